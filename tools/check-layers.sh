#!/bin/sh
# Includes point one way (DESIGN.md "Modules and their rooms"):
#   mmu    -> nothing of ours
#   emu    -> mmu
#   kernel -> mmu, emu/cpu.h (and emu/insn.h for the inspector's disassembler)
#   view   -> kernel/query.h only
bad=0
check() { # dir allowed-regex
    for f in "$1"/*.[ch]; do
        [ -e "$f" ] || continue
        # emu/main.c is the CLI entry: it wires the layers together.
        [ "$f" = cli/main.c ] && continue
        grep -HnE '^#include "' "$f" | grep -vE "#include \"($2)\"" && bad=1
    done
}
check mmu  'mmu/[a-z_0-9]+\.h'
check emu  '(emu|mmu)/[a-z_0-9]+\.(h|def)|kernel/syscalls\.def'
check kernel '(kernel|mmu)/[a-z_0-9]+\.(h|def)|emu/(cpu|insn|disasm)\.h'
check inspect '(inspect|kernel|mmu)/[a-z_0-9]+\.(h|def)|emu/insn\.h'
check view '(view/[a-z_0-9]+\.h|kernel/query\.h)'
if [ $bad -ne 0 ]; then echo "check-layers: the includes above cross a layer boundary" >&2; exit 1; fi
echo "check-layers: ok"
