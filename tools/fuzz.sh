#!/usr/bin/env bash
# The runner behind `make fuzz` and `make fuzz-smoke`.
#
#   tools/fuzz.sh smoke RUNS NAME[:RUNS]...
#                       each harness over its seed corpus, then RUNS
#                       mutations (fixed seed); NAME:RUNS sets its own
#   tools/fuzz.sh long SECONDS NAME[:SECONDS]...
#                       each harness for SECONDS, one after another, niced
#                       (nice -n 19)
#   tools/fuzz.sh count RUNS NAME[:RUNS]...
#                       the same, for RUNS executions each
#
# FUZZ_BUILD (default build-fuzz) names the build; FUZZ_CPU=N pins the run
# to CPU N (fewer cross-CPU TLB flushes when the harness unmaps memory).
# Harnesses are build-fuzz/fuzz_NAME (make fuzz-build).  Seeds come from
# tests/fuzz/corpus/NAME and are never written; inputs libFuzzer finds
# interesting go to build-fuzz/corpus/NAME (kept between long runs), and a
# crashing input to build-fuzz/findings/NAME-crash-<sha1> (reproduce with:
# build-fuzz/fuzz_NAME FILE).  Each run's last libFuzzer line (executions,
# coverage) is printed; the script fails if any harness finds something.
set -eu
cd "$(dirname "$0")/.."
mode=${1:?usage: tools/fuzz.sh smoke|long N NAME...}
n=${2:?usage: tools/fuzz.sh smoke|long N NAME...}
shift 2
B=$PWD/${FUZZ_BUILD:-build-fuzz}
mkdir -p "$B/findings"
pin=()
if [ -n "${FUZZ_CPU:-}" ]; then pin=(taskset -c "$FUZZ_CPU"); fi
# fuzz_inspect's --elf programs: a sample with symbols only, and with DWARF
if [ -z "${VMLAB_FUZZ_ELF:-}" ]; then
    riscv64-unknown-elf-strip --strip-debug -o "$B/sample-symbols" build/guests/null_deref
    export VMLAB_FUZZ_ELF=$B/sample-symbols
fi
export VMLAB_FUZZ_ELF_DEBUG=${VMLAB_FUZZ_ELF_DEBUG:-$PWD/build/guests/null_deref}
# ASan: no leak report at exit for the harnesses' long-lived fixtures, and a
# small quarantine (freed blocks are kept 8 MiB deep, not 256: the inputs
# allocate file-sized buffers, and fresh pages are what costs here).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:quarantine_size_mb=8}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
status=0
for arg in "$@"; do
    name=${arg%%:*}
    count=$n
    case $arg in *:*) count=${arg#*:} ;; esac
    bin=$B/fuzz_$name
    seeds=$PWD/tests/fuzz/corpus/$name
    [ -x "$bin" ] || { echo "fuzz.sh: $bin not built (make fuzz-build)" >&2; exit 1; }
    [ -d "$seeds" ] || { echo "fuzz.sh: no seed corpus $seeds" >&2; exit 1; }
    log=$B/fuzz_$name.$mode.log
    case $mode in
    smoke)
        work=$(mktemp -d "${TMPDIR:-/tmp}/vmlab-fuzz-smoke.XXXXXX")
        args=(-runs="$count" -seed=1 -max_len=65536 "$work" "$seeds")
        run=("${pin[@]}")
        ;;
    long | count)
        work=$B/corpus/$name
        mkdir -p "$work"
        limit=-max_total_time=$count
        if [ "$mode" = count ]; then limit=-runs=$count; fi
        args=("$limit" -max_len=65536 -print_final_stats=1 "$work" "$seeds")
        run=("${pin[@]}" nice -n 19)
        ;;
    *)
        echo "fuzz.sh: unknown mode $mode (smoke or long)" >&2
        exit 2
        ;;
    esac
    if "${run[@]}" "$bin" -artifact_prefix="$B/findings/$name-" -rss_limit_mb=2048 \
        -timeout=20 "${args[@]}" >"$log" 2>&1; then
        echo "  fuzz_$name: $(grep -E '^#[0-9]+' "$log" | tail -1)"
    else
        echo "  fuzz_$name: FAILED (see $log and $B/findings/)" >&2
        tail -30 "$log" >&2
        status=1
    fi
    if [ "$mode" = smoke ]; then rm -rf "$work"; fi
done
exit $status
