/* oom — when memory and swap run out: the OOM killer.
 *
 * The program allocates memory one MiB at a time and writes every page of
 * it, so every page needs a frame, or a swap slot once memory is full.
 * When neither is left, the kernel cannot give the next page anything: it
 * picks a process to kill (here there is only one) and ends it with
 * SIGKILL — no handler runs, no core is written — and says why, as Linux
 * does in its kernel log:
 *
 *     vmlab run --mem 1M --swap 2M build/guests/oom
 *     ...
 *     vmlab: Out of memory: Killed process 4242 (oom) total-vm:..., swap:2048kB
 *     Killed                                      (exit status 137)
 *
 * Without a small --mem and --swap it stops by itself at MAX_MIB (default
 * 32), having taken that much memory without trouble.
 * Usage: oom [MAX_MIB]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIB (1024 * 1024)

int main(int argc, char **argv)
{
    int max = argc > 1 ? atoi(argv[1]) : 32;
    if (max < 1 || max > 2048) {
        fprintf(stderr, "usage: oom [MAX_MIB between 1 and 2048]\n");
        return 2;
    }
    printf("oom: taking memory one MiB at a time, writing every page\n");
    for (int mib = 1; mib <= max; mib++) {
        char *b = malloc(MIB);
        if (!b) {
            printf("malloc returned NULL after %d MiB: the address space is full\n", mib - 1);
            return 1;
        }
        memset(b, mib, MIB);
        printf("%4d MiB written\n", mib);
        fflush(stdout);
    }
    printf("done: %d MiB and no OOM (try: vmlab run --mem 1M --swap 2M oom)\n", max);
    return 0;
}
