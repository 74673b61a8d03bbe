/* tests/fuzz/fuzz.h — what the libFuzzer harnesses share.
 *
 * Each harness is one tests/fuzz/fuzz_NAME.c defining
 * LLVMFuzzerTestOneInput, built with clang -fsanitize=fuzzer,address,
 * undefined into build-fuzz/fuzz_NAME (make fuzz).  A harness reports a
 * finding by aborting (fuzz_fail): the sanitizers do the same for memory
 * errors and undefined behaviour, and libFuzzer then saves the input. */
#ifndef VMLAB_TESTS_FUZZ_FUZZ_H
#define VMLAB_TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Print the broken promise, then abort. */
void fuzz_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* An anonymous in-memory file holding data, reachable by a path
 * ("/proc/self/fd/N") for code that opens files by name.  The same file is
 * rewritten on each call (one per `slot`, 0..3).  Returns the path, or
 * aborts. */
const char *fuzz_file(int slot, const void *data, size_t size);

/* A stream that discards what is written, or aborts. */
FILE *fuzz_null_stream(void);

/* Arm a host timer (ms > 0) that interrupts a blocked system call with
 * EINTR after ms and every 100 ms after that, as `vmlab run --timeout`
 * does (a signal caught without SA_RESTART; not SIGALRM, which libFuzzer
 * uses); 0 disarms it. */
void fuzz_alarm(unsigned ms);

/* Reading the input a piece at a time; past its end every read is 0. */
struct fuzz_in {
    const uint8_t *p;
    size_t         n;
};
uint8_t  fuzz_u8(struct fuzz_in *in);
uint32_t fuzz_u32(struct fuzz_in *in);

#endif
