#!/bin/sh
# The sample tour behind `make demo`.  Usage: tools/demo.sh BUILD_DIR
B=${1:-build}
V="$B/vmlab"
G="$B/guests"
step() {
    printf '\n\033[1m=== %s\033[0m\n$ %s\n' "$1" "$2"
    sh -c "$2"
    printf '(exit status %s)\n' "$?"
}
cd "$(dirname "$0")/.." || exit 1
VABS=$(realpath "$V")
step "Hello from a RISC-V program, every access through the MMU" "$V run $G/hello one two"
step "Where things live: the segments of an address space" "$V run --maps $G/layout"
step "The call stack is last-in, first-out" "$V run $G/callstack"
step "Stack memory vanishes at scope exit, heap memory stays" "$V run $G/stack_vs_heap"
step "The allocator sits on brk and mmap (watch the system calls)" \
     "$V run --trace syscall $G/alloc 2>&1 | grep -E 'brk|mmap|munmap|^[A-Za-z]' | head -60"
step "Allocators choose: first, next, best, worst fit and size classes" \
     "$V run $G/alloc_strategies"
step "Demand paging and the TLB at work" "$V run --stats $G/matrix"
step "Beyond physical memory: 256 KiB, a growing working set, and thrashing" \
     "$V run --mem 256K $G/thrash 64 2>&1 >/dev/null"
step "Memory and swap both run out: the OOM killer" "$V run --mem 1M --swap 2M $G/oom"
step "Belady's anomaly: a real program's pages, and FIFO faults more with 4 frames than with 3" \
     "$V paging --only pages --policy fifo,lru,opt $G/belady"
step "Every thread has its own stack; the process has one heap" "$V run $G/thread_stacks"
step "A data race, replayed and varied: the same --sched-seed gives the same lost updates" \
     "for s in 1 2 1; do $V run --sched-seed \$s $G/race | sed -n 2p; done"
step "A deadlock is reported, not hung: where every thread waits" "$V run $G/deadlock; echo status \$?"
dir=$(mktemp -d /tmp/vmlab-demo.XXXXXX)
cat > "$dir/mine.c" <<'EOF_C'
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(void)
{
    double v[] = { 2.5, -1.0, 3.75, 0.5 };
    qsort(v, 4, sizeof *v, by_value);
    for (int i = 0; i < 4; i++)
        printf("%6.2f  sqrt(|x|) = %.4f\n", v[i], sqrt(fabs(v[i])));
    char line[] = "your,own,C";
    for (char *t = strtok(line, ","); t; t = strtok(NULL, ","))
        printf("[%s] ", t);
    printf("\n");
    return 0;
}
EOF_C
step "Your own C: vmlab cc is gcc with picolibc and vmlab's OS layer" \
     "cd $dir && $VABS cc -O2 -Wall -o mine mine.c -lm && $VABS run --trace syscall ./mine"
if [ -x "$G/null_deref" ]; then
    step "A crash: NULL pointer store -> SIGSEGV and a core file" \
         "$V run --core-pattern $dir/core.%e $G/null_deref"
    step "What happened? vmlab inspect explains the core" "$V inspect $dir/core.null_deref"
    step "Storing into code: text is r-x" "$V run --core-pattern $dir/core.%e $G/write_text"
    step "...unless you make text writable" "$V run --perm text=rwx --no-core $G/write_text"
    step "Catching the fault: the garbage collector's write barrier" "$V run $G/gc_barrier"
    step "A program that runs too long: stopped after 1 s of host time, like RLIMIT_CPU" \
         "$V run --timeout 1 --core-pattern $dir/core.%e $G/bench_cpu 7"
    step "...and its core shows where it was" "$V inspect $dir/core.bench_cpu | head -12"
fi
if [ -x "$G/debugme" ] && command -v gdb-multiarch >/dev/null 2>&1; then
    # vmlab waits for gdb on a free port (--gdb 0) and names it on stderr
    log=$(mktemp /tmp/vmlab-demo-gdb.XXXXXX)
    "$V" run --gdb 0 "$G/debugme" 2>"$log" &
    vm=$!
    port=
    for _ in $(seq 100); do
        port=$(sed -n 's/.*waiting for gdb on 127\.0\.0\.1:\([0-9]*\);.*/\1/p' "$log")
        [ -n "$port" ] && break
        sleep 0.05
    done
    if [ -n "$port" ]; then
        ex="-ex 'break square' -ex continue -ex bt -ex delete -ex 'watch counter' -ex continue"
        step "Debugging it live: gdb on vmlab run --gdb, a breakpoint, a watchpoint done by the MMU" \
             "timeout 60 gdb-multiarch -q -nx -batch -ex 'target remote :$port' $ex $G/debugme"
    fi
    kill "$vm" 2>/dev/null
    wait "$vm" 2>/dev/null
    rm -f "$log"
fi
rm -rf "$dir"
exit 0
