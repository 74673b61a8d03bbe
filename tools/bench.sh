#!/usr/bin/env bash
# The harness behind `make bench`: vmlab against qemu-riscv32 and native.
#
#   tools/bench.sh [BUILD]          BUILD defaults to build
#
# Environment:
#   BENCH_RUNS=N          timed runs per workload and machine (default 3)
#   BENCH_FAULT_RATE=N    rounds of bench_fault for its round-trip target
#                         (default 2000000)
#   BENCH_CPU_ARGS, BENCH_MEM_ARGS, BENCH_FAULT_ARGS
#                         arguments for the guests (default: none, i.e. their
#                         built-in sizes; e.g. BENCH_CPU_ARGS=7 for ~10 G insns)
#   CC                    host compiler for the native builds (default cc)
#   BENCH_10G=0           leave out the 10 G compute run (bench_cpu 7, vmlab
#                         and qemu-riscv32 only), one of issue 16's targets
#   BENCH_BASE=PATH       another vmlab binary (e.g. a build of the commit
#                         before a change) run as a fifth runner, "base", in
#                         the same rotation: paired figures for a change
#
# For each workload (guests/bench_cpu.c, bench_mem.c, bench_fault.c) it builds
# a native binary into BUILD/bench/, then runs native, qemu-riscv32,
# `vmlab run --stats` (default options) and the same with --interp (the
# interpreter alone), alternating them (the order rotates each round, so a slow spell on
# the machine hurts all of them alike), N times each.  Times are
# whole-process wall clock; the table shows medians.  Every run's stdout
# must be the same, byte for byte, or the script fails.  vmlab MIPS =
# instructions retired (from --stats) / vmlab's median time, so it includes
# start-up; so do the faults per second of bench_fault in the table (its
# target is judged on a longer run: BENCH_FAULT_RATE).  Then it prints
# vmlab's start-up time for hello, the 10 G compute run (bench_cpu 7 against
# qemu-riscv32, RUNS rounds), issue 16's speed targets (met or not), what
# the MMU check costs in bench_mem's random loop (tools/check-cost), vmlab's
# time against the number of pages a guest touches (bench_mem over 4, 32 and 512 MiB), and paging under
# pressure: bench_mem's random phase over 4 MiB with 1 MiB of --mem, under
# each replacement policy (swap-ins per second, host time per major fault,
# clock-hand moves per victim); and vmlab paging: what recording a page
# reference string costs (bench_cpu, bench_mem), and the replay of every
# policy at 64 sizes on a 100-million-reference string.
#
# Known limit: the times are wall clock on a possibly busy machine; look at
# the per-run lines above the table when the medians look odd.
set -eu
export LC_ALL=C                 # a '.' in EPOCHREALTIME and in awk's numbers

cd "$(dirname "$0")/.."
B=${1:-build}
RUNS=${BENCH_RUNS:-3}
VMLAB=$B/vmlab
WORKLOADS="bench_cpu bench_mem bench_fault"

die() {
    echo "bench.sh: $*" >&2
    exit 1
}

case $RUNS in
'' | *[!0-9]* | 0) die "BENCH_RUNS must be a positive integer, not '$RUNS'" ;;
esac
[ -x "$VMLAB" ] || die "$VMLAB: not found (run make first)"
for w in $WORKLOADS hello; do
    [ -f "$B/guests/$w" ] || die "$B/guests/$w: not found (run make first)"
done
HOSTCC=${CC:-cc}
command -v "$HOSTCC" >/dev/null 2>&1 || die "host compiler '$HOSTCC' not found"

QEMU=$(command -v qemu-riscv32 2>/dev/null || true)
RUNNERS="native qemu vmlab interp"
if [ -z "$QEMU" ]; then
    echo "bench.sh: note: qemu-riscv32 not found (apt-get install qemu-user);" \
         "the qemu columns are skipped" >&2
    RUNNERS="native vmlab interp"
fi
BASE=${BENCH_BASE:-}
if [ -n "$BASE" ]; then
    [ -x "$BASE" ] || die "BENCH_BASE=$BASE: not an executable"
    RUNNERS="$RUNNERS base"
fi

# Wall-clock seconds as a decimal: bash's EPOCHREALTIME costs no fork (which
# matters for the start-up times); date(1) is the fallback for old shells.
if [ -n "${EPOCHREALTIME:-}" ]; then
    now() { NOW=$EPOCHREALTIME; }
else
    date +%s.%N | grep -q '^[0-9]*\.[0-9]' || die "need bash >= 5 or GNU date for timing"
    now() { NOW=$(date +%s.%N); }
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vmlab-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# --- native builds ------------------------------------------------------------
mkdir -p "$B/bench"
for w in $WORKLOADS; do
    out=$B/bench/$w.native
    if [ ! -x "$out" ] || [ "guests/$w.c" -nt "$out" ]; then
        echo "  HOSTCC  $out"
        "$HOSTCC" -O2 -std=gnu11 -Wall -Wextra -o "$out" "guests/$w.c" ||
            die "guests/$w.c: native build with $HOSTCC failed"
    fi
done

# --- helpers --------------------------------------------------------------------
# args_of WORKLOAD: the guest's arguments from the environment.
args_of() {
    case $1 in
    bench_cpu) echo "${BENCH_CPU_ARGS:-}" ;;
    bench_mem) echo "${BENCH_MEM_ARGS:-}" ;;
    bench_fault) echo "${BENCH_FAULT_ARGS:-}" ;;
    *) echo "" ;;
    esac
}

# run RUNNER PROGRAM OUT ERR [ARGS...]: run the guest PROGRAM under RUNNER with
# stdout to OUT and stderr to ERR.  Sets ELAPSED (seconds), SYS (the host
# kernel's time for it, seconds: bash's `time`) and RC.
run() {
    local runner=$1 prog=$2 out=$3 err=$4 t0 TIMEFORMAT=%3S
    shift 4
    local cmd
    case $runner in
    native) cmd=("$B/bench/$prog.native") ;;
    qemu) cmd=("$QEMU" "$B/guests/$prog") ;;
    vmlab) cmd=("$VMLAB" run --stats "$B/guests/$prog") ;;
    interp) cmd=("$VMLAB" run --interp --stats "$B/guests/$prog") ;;
    # an older vmlab's default memory may be too small for bench_mem
    base) cmd=("$BASE" run --mem 256M --stats "$B/guests/$prog") ;;
    esac
    now
    t0=$NOW
    if { time "${cmd[@]}" "$@" >"$out" 2>"$err"; } 2>"$TMP/sys"; then RC=0; else RC=$?; fi
    now
    ELAPSED=$(awk -v a="$t0" -v b="$NOW" 'BEGIN { printf "%.6f", b - a }')
    SYS=$(cat "$TMP/sys")
}

# median NUMBERS...: the middle value (mean of the two middle ones if even).
median() {
    printf '%s\n' "$@" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
                                  else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# div A B FORMAT: A / B formatted, or "-" when either is missing or B is 0.
div() {
    awk -v a="$1" -v b="$2" -v f="$3" \
        'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf f "\n", a / b }'
}

# --- the workloads --------------------------------------------------------------
declare -A T                    # T[workload,runner] = "t1 t2 ..."
declare -A S                    # S[workload,runner]: the same runs' system times
declare -A INSNS FAULTS

for w in $WORKLOADS; do
    # shellcheck disable=SC2046  # the arguments are meant to be split
    set -- $(args_of "$w")
    ref=""
    for ((i = 0; i < RUNS; i++)); do
        # Rotate the order each round: native qemu vmlab, qemu vmlab native, ...
        read -ra rs <<<"$RUNNERS"
        line="$w run $((i + 1))/$RUNS:"
        for ((k = 0; k < ${#rs[@]}; k++)); do
            r=${rs[$(((i + k) % ${#rs[@]}))]}
            out=$TMP/$w.$r.$i.out
            err=$TMP/$w.$r.$i.err
            run "$r" "$w" "$out" "$err" "$@"
            if [ "$RC" -ne 0 ]; then
                echo "bench.sh: $w under $r exited with status $RC; its stderr ends:" >&2
                tail -n 20 "$err" >&2
                exit 1
            fi
            if [ -z "$ref" ]; then
                ref=$out
                refname=$r
            elif ! cmp -s "$ref" "$out"; then
                echo "bench.sh: OUTPUT MISMATCH for $w: $refname vs $r (run $((i + 1)))" >&2
                diff -u --label "$refname" --label "$r" "$ref" "$out" >&2 || true
                exit 1
            fi
            T[$w,$r]="${T[$w,$r]:-} $ELAPSED"
            S[$w,$r]="${S[$w,$r]:-} $SYS"
            if [ "$r" = vmlab ]; then
                n=$(awk '/^instructions retired/ { print $3 }' "$err")
                [ -n "$n" ] || die "$w: no 'instructions retired' line in vmlab --stats output"
                if [ -n "${INSNS[$w]:-}" ] && [ "${INSNS[$w]}" != "$n" ]; then
                    echo "bench.sh: warning: $w retired ${INSNS[$w]} then $n instructions" >&2
                fi
                INSNS[$w]=$n
            fi
            line="$line $r $(printf '%.3f' "$ELAPSED")s"
        done
        echo "$line"
    done
    FAULTS[$w]=$(sed -n 's/.*faults handled \([0-9]*\).*/\1/p' "$ref")
    echo "  output: $(tr '\n' ' ' <"$ref")"
done

# --- start-up time ----------------------------------------------------------------
STARTUP_RUNS=10
declare -A ST
for ((i = 0; i < STARTUP_RUNS; i++)); do
    for r in $RUNNERS; do
        [ "$r" = native ] || [ "$r" = interp ] && continue
        case $r in
        qemu) cmd=("$QEMU" "$B/guests/hello") ;;
        vmlab) cmd=("$VMLAB" run "$B/guests/hello") ;;
        base) cmd=("$BASE" run "$B/guests/hello") ;;
        esac
        now
        t0=$NOW
        "${cmd[@]}" >/dev/null 2>&1 || die "hello under $r failed"
        now
        ST[$r]="${ST[$r]:-} $(awk -v a="$t0" -v b="$NOW" 'BEGIN { printf "%.6f", b - a }')"
    done
done

# --- the table --------------------------------------------------------------------
echo
printf '%-12s %12s %9s %9s %9s %9s %10s %8s %13s %13s %9s %8s\n' workload "insns(vmlab)" \
    "native s" "qemu s" "vmlab s" vmlab/qemu vmlab/native "MIPS" "faults/s vm" "faults/s qemu" \
    "interp s" "int MIPS"
for w in $WORKLOADS; do
    # shellcheck disable=SC2086
    ti=$(median ${T[$w,interp]})
    # shellcheck disable=SC2086
    tn=$(median ${T[$w,native]})
    # shellcheck disable=SC2086
    tv=$(median ${T[$w,vmlab]})
    tq=-
    # shellcheck disable=SC2086
    [ -n "$QEMU" ] && tq=$(median ${T[$w,qemu]})
    fv=- fq=-
    if [ -n "${FAULTS[$w]}" ]; then
        fv=$(div "${FAULTS[$w]}" "$tv" '%.0f')
        fq=$(div "${FAULTS[$w]}" "$tq" '%.0f')
    fi
    printf '%-12s %12s %9.3f %9s %9.3f %9s %10s %8s %13s %13s %9.3f %8s\n' "$w" "${INSNS[$w]}" \
        "$tn" "$([ "$tq" = - ] && echo - || printf '%.3f' "$tq")" "$tv" \
        "$(div "$tv" "$tq" '%.2f')" "$(div "$tv" "$tn" '%.2f')" \
        "$(div "${INSNS[$w]}" "$(awk -v t="$tv" 'BEGIN { print t * 1e6 }')" '%.0f')" "$fv" "$fq" \
        "$ti" "$(div "${INSNS[$w]}" "$(awk -v t="$ti" 'BEGIN { print t * 1e6 }')" '%.0f')"
done
echo
# shellcheck disable=SC2086
printf 'start-up, median of %d runs of hello: vmlab %.1f ms' "$STARTUP_RUNS" \
    "$(awk -v t="$(median ${ST[vmlab]})" 'BEGIN { print t * 1000 }')"
if [ -n "$QEMU" ]; then
    # shellcheck disable=SC2086
    printf ', qemu-riscv32 %.1f ms' "$(awk -v t="$(median ${ST[qemu]})" 'BEGIN { print t * 1000 }')"
fi
if [ -n "$BASE" ]; then
    # shellcheck disable=SC2086
    printf ', base %.1f ms' "$(awk -v t="$(median ${ST[base]})" 'BEGIN { print t * 1000 }')"
fi
echo
if [ -n "$BASE" ]; then
    echo "paired with BENCH_BASE ($BASE, run with --mem 256M), medians:"
    for w in $WORKLOADS; do
        # shellcheck disable=SC2086
        tv=$(median ${T[$w,vmlab]})
        # shellcheck disable=SC2086
        tb=$(median ${T[$w,base]})
        printf '  %-12s vmlab %.3f s  base %.3f s  vmlab/base %s\n' "$w" "$tv" "$tb" \
            "$(div "$tv" "$tb" '%.3f')"
    done
fi
echo "medians of $RUNS runs (BENCH_RUNS), whole-process wall time; MIPS and faults/s" \
     "include start-up; outputs identical on all machines; interp = vmlab --interp"

# --- the 10 G compute run -------------------------------------------------------------
# Issue 16's second compute target: bench_cpu 7 (about 10.4 G instructions),
# vmlab and qemu-riscv32 back to back, the order alternating, RUNS rounds.
# Skipped when BENCH_CPU_ARGS already asks for it, or with BENCH_10G=0.
if [ -n "$QEMU" ] && [ "${BENCH_10G:-1}" != 0 ] && [ "$(args_of bench_cpu)" != 7 ]; then
    ref10=""
    for ((i = 0; i < RUNS; i++)); do
        line="bench_cpu 7 run $((i + 1))/$RUNS:"
        for r in $([ $((i % 2)) = 0 ] && echo "vmlab qemu" || echo "qemu vmlab"); do
            run "$r" bench_cpu "$TMP/10g.$r.out" "$TMP/10g.$r.err" 7
            [ "$RC" -eq 0 ] || die "bench_cpu 7 under $r exited with status $RC"
            if [ -z "$ref10" ]; then
                ref10=$TMP/10g.ref
                cp "$TMP/10g.$r.out" "$ref10"
            elif ! cmp -s "$ref10" "$TMP/10g.$r.out"; then
                die "OUTPUT MISMATCH for bench_cpu 7 under $r (run $((i + 1)))"
            fi
            T[bench_cpu_7,$r]="${T[bench_cpu_7,$r]:-} $ELAPSED"
            line="$line $r $(printf '%.3f' "$ELAPSED")s"
        done
        echo "$line"
    done
    n10=$(awk '/^instructions retired/ { print $3 }' "$TMP/10g.vmlab.err")
    # shellcheck disable=SC2086
    printf '  bench_cpu 7: %s instructions; medians vmlab %.3f s, qemu-riscv32 %.3f s\n' "$n10" \
        "$(median ${T[bench_cpu_7,vmlab]})" "$(median ${T[bench_cpu_7,qemu]})"
fi

# --- issue 16's targets -------------------------------------------------------------
# verdict VALUE OP LIMIT: "met" or "NOT met" (OP is <= or >=; "-" is unknown).
verdict() {
    awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
        if (v == "-") print "unknown";
        else if ((op == "<=" && v + 0 <= l + 0) || (op == ">=" && v + 0 >= l + 0)) print "met";
        else print "NOT met" }'
}
# pairs W: vmlab/qemu of each round (the two ran back to back), as "min-max".
pairs() {
    local -a v q
    read -ra v <<<"${T[$1,vmlab]}"
    read -ra q <<<"${T[$1,qemu]}"
    for ((i = 0; i < ${#v[@]}; i++)); do
        awk -v a="${v[$i]}" -v b="${q[$i]}" 'BEGIN { printf "%.3f\n", a / b }'
    done | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.2f-%.2f", lo, hi }'
}
echo
echo "speed targets (issue 16): ratios of the medians above; \"rounds\" is the lowest and highest"
echo "  ratio of one round's back-to-back runs (the machine's noise)"
if [ -n "$QEMU" ]; then
    for w in bench_cpu bench_mem; do
        limit=0.90
        [ "$w" = bench_mem ] && limit=1.00
        # shellcheck disable=SC2086
        r=$(div "$(median ${T[$w,vmlab]})" "$(median ${T[$w,qemu]})" '%.2f')
        a=$(args_of "$w")
        printf '  %-22s vmlab/qemu %s (rounds %s), at most %s: %s\n' "$w${a:+ $a}" "$r" \
            "$(pairs "$w")" "$limit" "$(verdict "$r" "<=" "$limit")"
    done
    if [ -n "${T[bench_cpu_7,vmlab]:-}" ]; then
        # shellcheck disable=SC2086
        r=$(div "$(median ${T[bench_cpu_7,vmlab]})" "$(median ${T[bench_cpu_7,qemu]})" '%.2f')
        printf '  %-22s vmlab/qemu %s (rounds %s), at most 0.90: %s\n' "bench_cpu 7 (10 G)" "$r" \
            "$(pairs bench_cpu_7)" "$(verdict "$r" "<=" 0.90)"
    fi
fi
# The round-trip rate: the table's run of bench_fault takes vmlab about
# 0.04 s, of which start-up is a third, so its faults/s mostly measure
# start-up's noise.  The target is judged on a run 20 times longer
# (BENCH_FAULT_RATE rounds, 2000000 by default: about 0.7 s), RUNS times,
# vmlab alone (the target is absolute).
FR_N=${BENCH_FAULT_RATE:-2000000}
FR_T=""
for ((i = 0; i < RUNS; i++)); do
    run vmlab bench_fault "$TMP/fr.out" "$TMP/fr.err" "$FR_N"
    [ "$RC" -eq 0 ] || die "bench_fault $FR_N under vmlab exited with status $RC"
    FR_T="$FR_T $ELAPSED"
done
fr_done=$(sed -n 's/.*faults handled \([0-9]*\).*/\1/p' "$TMP/fr.out")
# shellcheck disable=SC2086
fps=$(div "${fr_done:-}" "$(median $FR_T)" '%.0f')
# shellcheck disable=SC2086
printf '  %-22s %s round trips/s (bench_fault %s, median of %.3f s), at least 2000000: %s\n' \
    bench_fault "$fps" "$FR_N" "$(median $FR_T)" "$(verdict "$fps" ">=" 2000000)"
# shellcheck disable=SC2086
mips=$(div "${INSNS[bench_cpu]}" "$(awk -v t="$(median ${T[bench_cpu,interp]})" 'BEGIN { print t * 1e6 }')" '%.0f')
printf '  %-22s %s MIPS (--interp), at least 1200: %s\n' bench_cpu "$mips" "$(verdict "$mips" ">=" 1200)"

# bench_mem's runs with their system time: vmlab's physical memory is on
# huge pages, and on a virtual machine whose kernel reports free 2 MiB
# blocks to the hypervisor (virtio-balloon free page reporting), the runs
# that get such blocks spend about 0.1 s more in the kernel faulting them
# in; qemu-riscv32's 4 KiB pages do not.
if [ -n "$QEMU" ]; then
    echo "  bench_mem's runs, wall / system time (s):"
    for r in vmlab qemu; do
        read -ra mem_wall <<<"${T[bench_mem,$r]}"
        read -ra mem_sys <<<"${S[bench_mem,$r]}"
        line=""
        for ((i = 0; i < ${#mem_wall[@]}; i++)); do
            line="$line $(printf '%.3f' "${mem_wall[$i]}")/${mem_sys[$i]}"
        done
        printf '    %-6s%s\n' "$r" "$line"
    done
fi

# --- what the check costs ----------------------------------------------------------------
# bench_mem's random loop as translated, run natively with and without parts
# of its MMU check (tools/check-cost): where the gap to qemu-riscv32 comes
# from.  x86-64 hosts only, like the translator.
# (make builds it: see CHECK_COST in the Makefile.)
if [ "$(uname -m)" = x86_64 ]; then
    cc_bin=$B/bench/check_cost
    [ -x "$cc_bin" ] || die "$cc_bin: not found (run make first)"
    "$cc_bin" 17 "$RUNS" >"$TMP/check_cost.out" || die "tools/check-cost failed"
    echo
    echo "what the MMU check costs (tools/check-cost; the checksum is bench_mem's \"reads\"):"
    sed 's/^/  /' "$TMP/check_cost.out"
fi

# --- growth with the number of touched pages -----------------------------------------
# bench_mem over MIB of malloc (+ 1 MiB of brk) with 1 M random operations:
# every page is touched (one demand-paging fault each), then hashed.
echo
echo "touched pages (bench_mem MIB 1 1 under vmlab --mem 1G; median of $RUNS):"
for mib in 4 40 400; do
    # bench_mem wants powers of two: 4, 32 and 512 MiB are the nearest
    case $mib in 40) mib=32 ;; 400) mib=512 ;; esac
    ts=""
    for ((i = 0; i < RUNS; i++)); do
        now
        t0=$NOW
        "$VMLAB" run --mem 1G "$B/guests/bench_mem" "$mib" 1 1 >/dev/null 2>&1 ||
            die "bench_mem $mib 1 1 under vmlab failed"
        now
        ts="$ts $(awk -v a="$t0" -v b="$NOW" 'BEGIN { printf "%.6f", b - a }')"
    done
    # shellcheck disable=SC2086
    t=$(median $ts)
    pages=$((mib * 256 + 256))
    printf '  %7d pages  %7.3f s  %6.2f us/page\n' "$pages" "$t" \
        "$(awk -v t="$t" -v p="$pages" 'BEGIN { print t * 1e6 / p }')"
done
[ -n "$QEMU" ] || echo "note: qemu-riscv32 missing, its columns are '-'"

# --- paging under pressure ---------------------------------------------------------------
# bench_mem's random phase over 4 MiB of malloc + 1 MiB of brk with 1 MiB of
# memory: most operations touch a page that is on swap (a major fault, and an
# eviction that writes a dirty victim).
echo
echo "paging under pressure (bench_mem 4 1 1 under --mem 1M, swap in the page cache; median of $RUNS):"
printf '  %-7s %9s %12s %14s %14s %16s\n' policy "time s" "swap-ins" "swap-ins/s" "us/major fault" "hand moves/victim"
for pol in fifo clock nru aging random; do
    ts=""
    for ((i = 0; i < RUNS; i++)); do
        now
        t0=$NOW
        "$VMLAB" run --mem 1M --policy "$pol" --stats "$B/guests/bench_mem" 4 1 1 \
            >"$TMP/pg.out" 2>"$TMP/pg.err" || die "bench_mem 4 1 1 under --mem 1M --policy $pol failed"
        now
        ts="$ts $(awk -v a="$t0" -v b="$NOW" 'BEGIN { printf "%.6f", b - a }')"
    done
    # shellcheck disable=SC2086
    t=$(median $ts)
    ins=$(sed -n 's/.*(major: \([0-9]*\) read back from swap.*/\1/p' "$TMP/pg.err")
    maj=$(sed -n 's/^  minor, major *[0-9]*, \([0-9]*\).*/\1/p' "$TMP/pg.err")
    ev=$(awk '/^evictions/ { print $2 }' "$TMP/pg.err")
    hm=$(sed -n 's/.*hand moves \([0-9]*\).*/\1/p' "$TMP/pg.err")
    printf '  %-7s %9.3f %12s %14s %14s %16s\n' "$pol" "$t" "$ins" "$(div "$ins" "$t" '%.0f')" \
        "$(div "$(awk -v t="$t" 'BEGIN { print t * 1e6 }')" "$maj" '%.2f')" "$(div "$hm" "$ev" '%.2f')"
done
echo "  (us/major fault: the whole run's time over its major faults, guest work included)"

# --- vmlab paging -------------------------------------------------------------------------
# Recording: each workload run plainly and under `vmlab paging --policy none`
# (record the page reference string with instruction fetches, or with
# --data-only, write it to a file, read it back once); "record s" is the
# recording phase alone, as vmlab paging reports it, so record/plain is what
# recording costs.  Then the replay: every policy at 64 sizes on a string of
# about 100 million references (bench_cpu's loads and stores up to 1.302 G
# instructions: the sieve and the matrix products), on all processors.
echo
echo "vmlab paging: recording (median of $RUNS; record = the recording phase, total = the command)"
printf '  %-10s %-10s %9s %9s %9s %12s %12s %9s %8s\n' workload mode "plain s" "record s" "total s" record/plain references "M refs/s" "file MB"
for w in bench_cpu bench_mem; do
    tp=""
    for ((i = 0; i < RUNS; i++)); do
        now
        t0=$NOW
        "$VMLAB" run "$B/guests/$w" >/dev/null 2>&1 || die "$w failed"
        now
        tp="$tp $(awk -v a="$t0" -v b="$NOW" 'BEGIN { printf "%.6f", b - a }')"
    done
    # shellcheck disable=SC2086
    plain=$(median $tp)
    for mode in fetches data-only; do
        flag=""
        [ "$mode" = data-only ] && flag=--data-only
        tr="" tt=""
        for ((i = 0; i < RUNS; i++)); do
            now
            t0=$NOW
            # shellcheck disable=SC2086
            "$VMLAB" paging $flag --policy none --save-refs "$TMP/rec.refs" "$B/guests/$w" \
                >"$TMP/rec.out" 2>/dev/null || die "vmlab paging $flag $w failed"
            now
            tt="$tt $(awk -v a="$t0" -v b="$NOW" 'BEGIN { printf "%.6f", b - a }')"
            tr="$tr $(sed -n 's/^recorded [0-9]* references of [0-9]* instructions in \([0-9.]*\) s.*/\1/p' "$TMP/rec.out")"
        done
        refs=$(sed -n 's/^recorded \([0-9]*\) references.*/\1/p' "$TMP/rec.out")
        # shellcheck disable=SC2086
        rec=$(median $tr)
        # shellcheck disable=SC2086
        tot=$(median $tt)
        mb=$(awk -v s="$(stat -c %s "$TMP/rec.refs")" 'BEGIN { printf "%.1f", s / 1048576 }')
        printf '  %-10s %-10s %9.3f %9.3f %9.3f %12s %12s %9s %8s\n' "$w" "$mode" "$plain" "$rec" "$tot" \
            "$(div "$rec" "$plain" '%.2f')" "$refs" "$(div "$refs" "$(awk -v t="$rec" 'BEGIN { print t * 1e6 }')" '%.1f')" "$mb"
    done
done

"$VMLAB" paging --data-only --policy none --max-insns 1302M --save-refs "$TMP/100m.refs" \
    "$B/guests/bench_cpu" >"$TMP/100m.out" 2>/dev/null || true
refs=$(sed -n 's/.*: \([0-9,]*\) references to.*/\1/p' "$TMP/100m.out")
[ -n "$refs" ] || die "recording the 100 M string failed"
now
t0=$NOW
"$VMLAB" paging --refs-file "$TMP/100m.refs" --frames 1..64 --policy all >"$TMP/100m.txt" ||
    die "vmlab paging on the 100 M string failed"
now
t=$(awk -v a="$t0" -v b="$NOW" 'BEGIN { printf "%.2f", b - a }')
echo
echo "vmlab paging: replay of $refs references (bench_cpu loads and stores), 8 policies x 64 sizes," \
     "$(nproc) processors: $t s"
for pol in opt lru mru fifo clock random aging nru; do
    now
    t0=$NOW
    "$VMLAB" paging --refs-file "$TMP/100m.refs" --frames 1..64 --policy "$pol" --threads 1 >/dev/null ||
        die "vmlab paging --policy $pol failed"
    now
    printf '  %-7s %7.2f s on one thread\n' "$pol" "$(awk -v a="$t0" -v b="$NOW" 'BEGIN { print b - a }')"
done
