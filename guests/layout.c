/* layout — where does each kind of object live in a process?
 *
 * Prints the address of a function, constants, globals, thread-local
 * variables, heap blocks and locals, and names the segment each one is in.  The segment is decided at
 * run time, by comparing the address with the boundaries the linker script
 * exports (__text_start, ...), the heap range malloc got from brk, and the
 * stack between the current sp and the top of the stack.  Nothing is
 * hard-coded, so it also tells the truth about your own changes.
 *
 * Then it reads its own program headers from memory (the kernel passes
 * their address in the auxiliary vector, AT_PHDR) to show the segments as
 * the ELF file describes them.
 *
 * Try: vmlab run --maps build/guests/layout   (the kernel's view of the same)
 */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

/* Boundaries from guests/lib/vmlab.ld. */
extern char __text_start[], __text_end[];
extern char __rodata_start[], __rodata_end[];
extern char __data_start[], __data_end[];
extern char __bss_start[], __bss_end[];

const int lookup_table[4] = { 2, 3, 5, 7 };     /* const: read-only data */
int initialised_global = 42;                    /* data: value in the file */
int zero_global = 0;                            /* bss: zero needs no bytes */
int uninitialised_global;                       /* bss */
static char big_buffer[8192];                   /* bss: 8 KiB, free in the file */
_Thread_local int per_thread = 5;               /* TLS: one copy per thread */

struct seg {
    const char *name;
    uintptr_t lo, hi;                           /* [lo, hi) */
    const char *about;
};

enum { S_TEXT, S_RODATA, S_DATA, S_BSS, S_HEAP, S_MMAP, S_STACK, NSEG };
static struct seg segs[NSEG];

static uintptr_t current_sp(void)
{
    uintptr_t sp;
    __asm__ volatile("mv %0, sp" : "=r"(sp));
    return sp;
}

static uintptr_t current_tp(void)
{
    uintptr_t tp;
    __asm__ volatile("mv %0, tp" : "=r"(tp));
    return tp;
}

/* The stack's top: the kernel put the program's path (AT_EXECFN) among the
 * last strings at the top of the stack; its page end is the stack top. */
static uintptr_t stack_top(void)
{
    uintptr_t execfn = getauxval(AT_EXECFN);
    return (execfn + 4095) & ~(uintptr_t)4095;
}

static void find_segments(void)
{
    struct malloc_info mi;
    uintptr_t brk_now = (uintptr_t)sbrk(0);

    malloc_info_get(&mi);
    segs[S_TEXT] = (struct seg){ "text", (uintptr_t)__text_start, (uintptr_t)__text_end,
                                 "machine code; read + execute, never written" };
    segs[S_RODATA] = (struct seg){ "rodata", (uintptr_t)__rodata_start, (uintptr_t)__rodata_end,
                                   "constants and string literals; read-only" };
    segs[S_DATA] = (struct seg){ "data", (uintptr_t)__data_start, (uintptr_t)__data_end,
                                 "globals with an initial value, copied from the file" };
    segs[S_BSS] = (struct seg){ "bss", (uintptr_t)__bss_start, (uintptr_t)__bss_end,
                                "globals that start at zero; the kernel zero-fills them" };
    segs[S_HEAP] = (struct seg){ "heap", mi.heap_start, brk_now,
                                 "malloc's memory; grows up when malloc calls brk()" };
    segs[S_STACK] = (struct seg){ "stack", current_sp(), stack_top(),
                                  "locals and return addresses; grows down on calls" };
    /* Anything between the break and the stack was placed by mmap(). */
    segs[S_MMAP] = (struct seg){ "mmap", brk_now, segs[S_STACK].lo,
                                 "mmap() areas, e.g. big malloc blocks; placed top-down" };
}

/* The mapping malloc made for a big block: its header is 8 bytes before
 * the block, at the start of a page. */
static void show_mapping(const void *block)
{
    uintptr_t lo = (uintptr_t)block - 8;
    uintptr_t hi = lo + ((malloc_usable_size((void *)block) + 8 + 4095) & ~(uintptr_t)4095);

    printf("  %-7s 0x%08lx-0x%08lx  %s\n", "mmap", (unsigned long)lo, (unsigned long)hi,
           segs[S_MMAP].about);
}

static const char *segment_of(const void *p)
{
    uintptr_t a = (uintptr_t)p;

    for (int i = 0; i < NSEG; i++)
        if (a >= segs[i].lo && a < segs[i].hi)
            return segs[i].name;
    return "(none)";
}

static void show(const char *what, const void *p)
{
    printf("  %-34s 0x%08lx  %s\n", what, (unsigned long)(uintptr_t)p, segment_of(p));
}

/* The ELF program header as it sits in memory (Elf32_Phdr). */
struct phdr {
    uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

static const char *phdr_type(uint32_t t)
{
    switch (t) {
    case 1: return "LOAD";
    case 4: return "NOTE";
    case 7: return "TLS";
    case 0x6474e551: return "GNU_STACK";
    case 0x70000003: return "RISCV_ATTRIBUTES";
    default: return "other";
    }
}

static void show_program_headers(void)
{
    const struct phdr *ph = (const struct phdr *)getauxval(AT_PHDR);
    unsigned long n = getauxval(AT_PHNUM);

    printf("\nThe program headers, read from memory at AT_PHDR = %p\n", (const void *)ph);
    printf("(the kernel mapped each LOAD entry as one segment):\n");
    printf("  %-16s %-10s %-8s %-8s %s\n", "type", "vaddr", "memsz", "filesz", "perms");
    for (unsigned long i = 0; i < n; i++) {
        uint32_t f = ph[i].flags;
        printf("  %-16s 0x%08x %#-8x %#-8x %c%c%c  %s\n", phdr_type(ph[i].type),
               (unsigned)ph[i].vaddr, (unsigned)ph[i].memsz, (unsigned)ph[i].filesz,
               f & 4 ? 'r' : '-', f & 2 ? 'w' : '-', f & 1 ? 'x' : '-',
               ph[i].type == 1 ? segment_of((void *)(uintptr_t)(ph[i].vaddr + ph[i].memsz - 1))
                               : "");
    }
    printf("A LOAD with filesz 0 takes no room in the file: that is the bss.  TLS is the\n"
           "template of thread-local variables, copied into each thread's block.\n");
}

int main(int argc, char **argv)
{
    static int calls = 1;                       /* static local: data, not stack */
    int local = 7;                              /* stack */
    const char *literal = "a string literal";   /* the pointer is on the stack, */
                                                /* the characters in rodata */
    char *small = malloc(100);                  /* heap (brk) */
    char *large = malloc(256 * 1024);           /* mmap: over the 128 KiB threshold */

    (void)argc;
    find_segments();

    printf("Where does each kind of object live?  (virtual addresses)\n\n");
    printf("  %-34s %-10s  %s\n", "object", "address", "segment");
    show("main (a function)", (const void *)(uintptr_t)main);
    show("printf (a library function)", (const void *)(uintptr_t)printf);
    show("\"a string literal\"", literal);
    show("const int lookup_table[4]", lookup_table);
    show("int initialised_global = 42", &initialised_global);
    show("static int calls = 1 (in main)", &calls);
    show("int zero_global = 0", &zero_global);
    show("int uninitialised_global", &uninitialised_global);
    show("static char big_buffer[8192]", big_buffer);
    show("_Thread_local int per_thread = 5", &per_thread);
    show("errno (thread-local too)", &errno);
    show("malloc(100)", small);
    show("malloc(256 KiB)", large);
    show("int local (in main)", &local);
    show("argv[0] (the program's name)", argv[0]);

    printf("\nThe segments, from low to high addresses:\n");
    for (int i = 0; i < NSEG; i++) {
        if (i == S_MMAP) {
            show_mapping(large);
            continue;
        }
        printf("  %-7s 0x%08lx-0x%08lx  %s\n", segs[i].name, (unsigned long)segs[i].lo,
               (unsigned long)segs[i].hi, segs[i].about);
    }
    printf("text..bss come from the ELF file; the heap starts at the first page after\n"
           "the bss.  The stack range shown is what is in use now (from sp to the top);\n"
           "it may grow down to 8 MiB.  Between the heap, the mmap areas and the stack\n"
           "lie large unmapped gaps: touching one is a segmentation fault.\n");
    printf("Thread-local variables live in one block per thread, found through the tp\n"
           "register (tp = 0x%08lx); the main thread's block is reserved in the bss.\n",
           (unsigned long)current_tp());

    show_program_headers();

    printf("\nThe values: lookup_table[3] = %d, initialised_global = %d, calls = %d,\n"
           "zero_global = %d, uninitialised_global = %d, local = %d, per_thread = %d.\n",
           lookup_table[3], initialised_global, calls, zero_global,
           uninitialised_global, local, per_thread);
    free(large);
    free(small);
    return 0;
}
