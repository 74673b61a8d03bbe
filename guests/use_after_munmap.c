/* use_after_munmap — reading memory after giving it back.
 *
 * mmap() asks the kernel for a fresh page of memory; munmap() gives it
 * back.  After munmap the page is gone from the address space: its segment
 * is removed, its page-table entry cleared, its frame freed.  The pointer
 * still holds the old address (C never clears pointers for you), so the
 * next read through it makes the MMU fault, the kernel finds no segment
 * there, and the process gets SIGSEGV with si_code SEGV_MAPERR, exit
 * status 139.
 *
 * This is the same bug as "use after free" with malloc/free, but easier
 * to see: free() usually keeps the memory mapped (the allocator reuses it
 * later), so reading a freed heap block often "works" and returns stale or
 * someone else's data, silently.  munmap really removes the page, so the
 * mistake is caught at the first access.  (Our malloc gives blocks of
 * 128 KiB or more their own mapping, so freeing one of those and reading
 * it again crashes the same way.)
 *
 *     vmlab run --trace syscall,fault build/guests/use_after_munmap
 *     vmlab inspect core.use_after_munma.*   (a core file name holds at most
 *                                            15 characters of the program name,
 *                                            as on Linux)
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define NOINLINE __attribute__((noinline, noipa))
#define PAGE 4096

NOINLINE static char read_first_byte(const volatile char *p)
{
    printf("  read_first_byte: reading the byte at %p\n", (const void *)p);
    return p[0];
}

int main(void)
{
    char *page;
    char c;

    setvbuf(stdout, NULL, _IOLBF, 0);   /* even into a pipe: a buffer dies with the process */
    printf("use_after_munmap: using memory after it was unmapped\n\n");

    page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    printf("mmap gave us a %d-byte page at %p (readable and writable).\n", PAGE,
           (void *)page);
    strcpy(page, "hello from a mapped page");
    printf("Wrote a string into it; reading it back: \"%s\"\n", page);
    c = read_first_byte(page);
    printf("The first byte is '%c': the page is there.\n\n", c);

    if (munmap(page, PAGE) != 0) {
        perror("munmap");
        return 1;
    }
    printf("munmap(%p, %d) returned 0: the page is no longer part of the\n"
           "address space, but the pointer still holds its old address.\n\n",
           (void *)page, PAGE);
    printf("Reading through the stale pointer (expect SIGSEGV, SEGV_MAPERR, exit 139):\n");
    c = read_first_byte(page);
    printf("not reached: read '%c'\n", c);
    return 0;
}
