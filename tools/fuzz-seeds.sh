#!/usr/bin/env bash
# Regenerate the fuzz seed corpora in tests/fuzz/corpus/ (make fuzz-seeds).
# They are committed; run this after the formats or the samples change.
#
#   elf/      a tiny program and broken variants of it (mkseeds), a stripped
#             sample and its first 4 KiB
#   inspect/  cores of the crash samples (notes only: --core-limit leaves
#             the memory out, so each stays small), the tiny crasher's core
#             with its code (a command line full of characters JSON must
#             escape), and a truncated core
#   cpu/      instruction sequences (mkseeds) and the start of a sample's code
#   syscall/  call sequences: I/O, memory, signals, files (mkseeds)
set -eu
cd "$(dirname "$0")/.."
B=${1:-build}
S=tests/fuzz/corpus
V=$B/vmlab
[ -x "$V" ] || { echo "fuzz-seeds.sh: $V not built (run make)" >&2; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vmlab-seeds.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

cc -O1 -std=gnu11 -I. -o "$TMP/mkseeds" tests/fuzz/mkseeds.c tests/rvelf.c
rm -rf "$S"
mkdir -p "$S/elf" "$S/inspect" "$S/cpu" "$S/syscall"
"$TMP/mkseeds" "$S"
mv "$S/crasher" "$TMP/crasher"

riscv64-unknown-elf-strip -o "$S/elf/hello-stripped" "$B/guests/hello"
head -c 4096 "$S/elf/hello-stripped" >"$S/elf/hello-first-4k"

for g in null_deref write_text abort sigill; do
    "$V" run --core-limit 8K --core-pattern "$TMP/core.$g" "$B/guests/$g" >/dev/null 2>&1 || true
    cp "$TMP/core.$g" "$S/inspect/core-$g"
done
"$V" run --core-limit 16K --core-pattern "$TMP/core.crasher" "$TMP/crasher" 'quote" back\slash' \
    "$(printf 'tab\tbell\a')" >/dev/null 2>&1 || true
cp "$TMP/core.crasher" "$S/inspect/core-crasher"
head -c 1024 "$TMP/core.crasher" >"$S/inspect/core-truncated"

riscv64-unknown-elf-objcopy -O binary --only-section=.text "$B/guests/hello" "$TMP/hello.text"
{ head -c 164 "$S/cpu/alu-loop"; head -c 2048 "$TMP/hello.text"; } >"$S/cpu/hello-text"

du -sh "$S"/* | sed 's/^/fuzz-seeds.sh: /'
