#!/bin/sh
# Includes point one way (DESIGN.md "Modules and their rooms"); no file is
# exempt.  Each room may include its own headers (and its own .inc pieces,
# a part of a .c file compiled more than once, e.g. emu/interp.inc) and
# those listed here:
#   mmu     -> nothing of ours
#   emu     -> mmu
#   kernel  -> mmu, emu
#   inspect -> the kernel's format headers (core notes, signal ABI, walk words,
#              segment kinds, ELF and file readers), mmu/sv32.h, the
#              disassembler (emu/insn.h)
#   paging  -> the replacement policies it shares with the kernel
#   gdb     -> kernel/query.h and its control calls
#   view    -> kernel/query.h
#   cli     -> anything
#   tests   -> anything
bad=0
check() { # dir allowed-regex
    for f in "$1"/*.[ch]; do
        [ -e "$f" ] || continue
        grep -HnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
            grep -vE "#include \"($1/[a-z_0-9]+\.(h|def|inc)|$2)\"" && bad=1
    done
}
NONE='$^'
check mmu     "$NONE"
check emu     'mmu/[a-z_0-9]+\.h'
check kernel  '(mmu|emu)/[a-z_0-9]+\.(h|def)'
check inspect 'kernel/(core_note|sigdef|segment|pte|elf|file|walk_text)\.h|mmu/sv32\.h|emu/insn\.(h|def)'
check paging  'kernel/policy\.h'
check gdb     'kernel/query\.h'
check view    'kernel/query\.h'
# Nothing below the command line includes it, and nothing includes tests.
for d in mmu emu kernel inspect paging gdb view; do
    for f in "$d"/*.[ch]; do
        [ -e "$f" ] || continue
        grep -HnE '#include "(cli|tests)/' "$f" && bad=1
    done
done
if [ $bad -ne 0 ]; then echo "check-layers: the includes above cross a room's boundary (DESIGN.md)" >&2; exit 1; fi
echo "check-layers: ok"
