/* cli/cc.c — `vmlab cc [gcc options] FILE.c ... -o PROG`: the compiler
 * driver for guests, as musl-gcc is for musl.
 *
 * It runs Debian's riscv64-unknown-elf-gcc with picolibc as the C library
 * and vmlab's Linux OS layer under it, and passes every option it is given
 * through unchanged.  What it adds:
 *
 *   -march=rv32imac -mabi=ilp32     unless the command line names its own
 *                                   (-march=rv32im picks that multilib)
 *   --specs=PICOLIBC/picolibc.specs picolibc's headers and libc.a/libm.a
 *                                   (PICOLIBC: Debian's directory, or
 *                                   $VMLAB_PICOLIBC)
 *   -g -fno-omit-frame-pointer      backtraces (callstack, vmlab inspect,
 *                                   gdb); later options override them
 *   -I SDK/include                  after the program's own -I: the OS
 *                                   layer's headers (signal.h, sys/mman.h,
 *                                   ...), before picolibc's
 *   when linking: -nostartfiles SDK/ARCH/crt0.o ... SDK/ARCH/libvmlab.a
 *   in a group with libc.a, ahead of it (vmlab.ld names the functions the
 *   OS layer defines in place of libc.a's, so its malloc, abort, exit,
 *   ... win), -T SDK/vmlab.ld, and --wrap for the four stdio calls that
 *   batch unbuffered output (guests/lib/stdio.c)
 *
 * Threads: the pthread library is part of the OS layer (libvmlab.a), and
 * the linker takes it only when a program calls it, so -pthread is
 * optional; it is passed to gcc as usual, and -lpthread (there is no
 * separate library) is dropped, so Makefiles written for Linux work
 * unchanged.  Threads need the A extension: -pthread with -march=rv32im is
 * an error line (without -pthread, such a program's pthread_create fails
 * with ENOSYS).
 *
 * SDK is the OS layer's directory, found relative to this executable:
 * EXEDIR/lib/vmlab in the build tree (build/vmlab, build/lib/vmlab) and
 * EXEDIR/../lib/vmlab in an installed copy (PREFIX/bin/vmlab,
 * PREFIX/lib/vmlab; make install).  So it works from any directory.
 *
 * The driver then becomes gcc (exec): gcc's messages and exit status are
 * the command's.  What vmlab cc itself can fail on — no cross compiler, no
 * picolibc, no OS layer, an ISA it has no library for — is one line and
 * exit status 2.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/host.h"

#define CROSS_GCC       "riscv64-unknown-elf-gcc"
#define CROSS_GCC_PKG   "gcc-riscv64-unknown-elf"
#define PICOLIBC_DIR    "/usr/lib/picolibc/riscv64-unknown-elf"   /* $VMLAB_PICOLIBC overrides */
#define PICOLIBC_PKG    "picolibc-riscv64-unknown-elf"

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* PROG looked up in $PATH, into out.  Returns true if found. */
static bool find_in_path(const char *prog, char *out, size_t n)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    while (*path) {
        size_t len = strcspn(path, ":");
        if ((size_t)snprintf(out, n, "%.*s%s%s", (int)len, path, len ? "/" : "", prog) < n &&
            access(out, X_OK) == 0 && is_file(out))
            return true;
        path += len + (path[len] == ':');
    }
    return false;
}

/* The OS layer next to this executable (see the file comment). */
static bool find_sdk(char *sdk, size_t n)
{
    char dir[4096], ld[4200];
    if (host_exe_dir(dir, sizeof dir) != 0)
        return false;
    static const char *const rel[] = { "/lib/vmlab", "/../lib/vmlab" };
    for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
        snprintf(ld, sizeof ld, "%s%s/vmlab.ld", dir, rel[i]);
        if (is_file(ld) && (size_t)snprintf(sdk, n, "%s%s", dir, rel[i]) < n)
            return true;
    }
    return false;
}

/* Which of the OS layer's two builds an -march= value needs: "rv32imac",
 * "rv32im", or NULL for an ISA it has none for.  Extensions after an
 * underscore (rv32imac_zicsr) do not change the choice. */
static const char *multilib_of(const char *march)
{
    size_t base = strcspn(march, "_");
    if (base == 8 && !strncmp(march, "rv32imac", 8))
        return "rv32imac";
    if (base == 6 && !strncmp(march, "rv32im", 6))
        return "rv32im";
    return NULL;
}

/* Options after which gcc does not link. */
static bool stops_before_link(const char *a)
{
    return !strcmp(a, "-c") || !strcmp(a, "-S") || !strcmp(a, "-E") || !strcmp(a, "-M") ||
           !strcmp(a, "-MM") || !strcmp(a, "-fsyntax-only") || !strcmp(a, "--version") ||
           !strcmp(a, "-dumpversion") || !strcmp(a, "-dumpmachine") ||
           !strncmp(a, "-print-", 7) || !strcmp(a, "--help");
}

int cmd_cc(int argc, char **argv)
{
    char gcc[4096], sdk[4096];
    if (!find_in_path(CROSS_GCC, gcc, sizeof gcc)) {
        fprintf(stderr, "vmlab cc: %s not found: install the Debian package %s (make deps)\n",
                CROSS_GCC, CROSS_GCC_PKG);
        return 2;
    }
    const char *pico = getenv("VMLAB_PICOLIBC");
    char specs[4200];
    if (!pico || !*pico)
        pico = PICOLIBC_DIR;
    snprintf(specs, sizeof specs, "--specs=%s/picolibc.specs", pico);
    if (!is_file(specs + 8)) {
        fprintf(stderr, "vmlab cc: picolibc not found (no %s): install the Debian package %s "
                "(make deps)\n", specs + 8, PICOLIBC_PKG);
        return 2;
    }
    if (!find_sdk(sdk, sizeof sdk)) {
        fprintf(stderr, "vmlab cc: vmlab's OS layer is not beside this program (no lib/vmlab/"
                "vmlab.ld next to it or one level up): build it with make, or make install\n");
        return 2;
    }

    const char *march = NULL, *arch = "rv32imac";
    bool has_mabi = false, link = true, has_T = false, pthread = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-pthread") || !strcmp(a, "-lpthread"))
            pthread = true;
        else if (!strncmp(a, "-march=", 7))
            march = a + 7;
        else if (!strncmp(a, "-mabi=", 6))
            has_mabi = true;
        else if (!strcmp(a, "-T") || !strncmp(a, "-T", 2) || !strncmp(a, "-Wl,-T", 6))
            has_T = true;
        else if (stops_before_link(a))
            link = false;
    }
    if (march) {
        arch = multilib_of(march);
        if (!arch) {
            fprintf(stderr, "vmlab cc: -march=%s: vmlab's OS layer and picolibc are built for "
                    "rv32imac and rv32im only\n", march);
            return 2;
        }
    }
    if (pthread && strcmp(arch, "rv32imac") != 0) {
        fprintf(stderr, "vmlab cc: -pthread needs the A extension (atomic instructions): build for "
                "rv32imac, not -march=%s\n", march);
        return 2;
    }
    if (argc < 2)
        link = false;                     /* gcc says "no input files" */

    /* Room for ours + theirs + NULL. */
    char **av = calloc((size_t)argc + 32, sizeof *av);
    char bufs[8][4300];
    if (!av) {
        fprintf(stderr, "vmlab cc: out of memory\n");
        return 2;
    }
    int n = 0, b = 0;
#define BUF(...) (snprintf(bufs[b], sizeof bufs[b], __VA_ARGS__), bufs[b++])
    av[n++] = gcc;
    if (!march)
        av[n++] = "-march=rv32imac";
    if (!has_mabi)
        av[n++] = "-mabi=ilp32";
    av[n++] = specs;
    av[n++] = "-g";
    av[n++] = "-fno-omit-frame-pointer";
    if (link) {
        av[n++] = "-nostartfiles";
        av[n++] = BUF("%s/%s/crt0.o", sdk, arch);
    }
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "-lpthread") != 0)      /* in libvmlab.a */
            av[n++] = argv[i];
    av[n++] = BUF("-I%s/include", sdk);
    if (link) {
        if (!has_T)
            av[n++] = BUF("-T%s/vmlab.ld", sdk);
        av[n++] = "-static";
        av[n++] = "-Wl,--wrap=vfprintf,--wrap=fputs,--wrap=fwrite,--wrap=puts";
        av[n++] = "-Wl,--start-group";
        av[n++] = BUF("%s/%s/libvmlab.a", sdk, arch);
        av[n++] = "-lc";
        av[n++] = "-Wl,--end-group";
    }
#undef BUF
    av[n] = NULL;
    execv(gcc, av);
    fprintf(stderr, "vmlab cc: cannot run %s: %s\n", gcc, strerror(errno));
    free(av);
    return 2;
}
