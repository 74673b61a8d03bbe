#!/usr/bin/env bash
# The memcheck pass of `make test` (make valgrind): a few samples under
# valgrind with --interp (no generated code for valgrind to chase), one of
# them writing a core that `vmlab inspect` then reads, also under valgrind.
# Any memcheck error, or a definite leak, fails the run (exit status 99 from
# valgrind, or a status other than the sample's own).
#
#   tools/valgrind.sh [BUILD]
set -u
cd "$(dirname "$0")/.."
B=${1:-build}
V=$B/vmlab
command -v valgrind >/dev/null 2>&1 || { echo "valgrind.sh: valgrind not installed (make deps)" >&2; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vmlab-valgrind.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
VG=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite)
fail=0

# check WANT NAME CMD...: run CMD under valgrind; its status must be WANT.
check() {
    local want=$1 name=$2
    shift 2
    "${VG[@]}" "$@" >"$TMP/out" 2>"$TMP/err"
    local st=$?
    if [ "$st" -ne "$want" ]; then
        echo "  valgrind: $name: status $st, want $want" >&2
        grep -v '^vmlab\|^Segmentation\|^Aborted' "$TMP/err" | head -30 >&2
        fail=1
    else
        echo "  valgrind: $name ok"
    fi
}

check 0 "hello" "$V" run --interp "$B/guests/hello" one two
check 0 "mem_syscalls" "$V" run --interp "$B/guests/mem_syscalls"
check 0 "gc_barrier" "$V" run --interp "$B/guests/gc_barrier"
check 0 "stack_overflow_caught" "$V" run --interp "$B/guests/stack_overflow_caught"
check 139 "null_deref (core)" "$V" run --interp --core-pattern "$TMP/core" "$B/guests/null_deref"
check 0 "inspect" "$V" inspect "$TMP/core"
check 0 "inspect --json" "$V" inspect --json "$TMP/core"
exit $fail
