#!/bin/sh
# The floating-point instruction mix of compiled kernels, per function: on
# aarch64, fused multiply-adds as vector (fmla v..) and scalar (fmadd)
# instructions, and the separate multiplies and adds, vector and scalar.
# A path whose sums are fused multiply-add chains shows fmla/fmadd in its
# hot loops; one that multiplies then adds shows fmul and fadd.
#
#   sh scripts/kernel-isa.sh OBJ...     (OBJDUMP: the disassembler,
#                                        aarch64-linux-gnu-objdump unless set)
#
# One line per function (object: function); functions without any of
# these instructions are left out.
set -eu
objdump=${OBJDUMP:-aarch64-linux-gnu-objdump}
[ $# -gt 0 ] || { echo "usage: sh scripts/kernel-isa.sh OBJ..." >&2; exit 2; }
command -v "$objdump" >/dev/null 2>&1 ||
    { echo "kernel-isa: $objdump not found (apt-get install binutils-aarch64-linux-gnu)" >&2; exit 1; }

printf '%-52s %6s %6s %6s %6s %6s %6s\n' function fmla.v fmadd fmul.v fadd.v fmul fadd
for obj in "$@"; do
    [ -f "$obj" ] || { echo "kernel-isa: no such object: $obj" >&2; exit 1; }
    # objdump -d prints "ADDR <name>:" before each function, then one
    # instruction a line: "ADDR:<tab>MNEMONIC<tab>OPERANDS".  A vector
    # instruction's first operand is a v register; a scalar one's s or d.
    "$objdump" -d --no-show-raw-insn "$obj" | awk -F'\t' -v obj="${obj##*/}" '
        function flush() {
            if (fn != "" && n["fmla.v"] + n["fmadd"] + n["fmul.v"] + n["fadd.v"] + n["fmul"] + n["fadd"] > 0)
                printf "%-52s %6d %6d %6d %6d %6d %6d\n", obj ": " fn, n["fmla.v"], n["fmadd"],
                       n["fmul.v"], n["fadd.v"], n["fmul"], n["fadd"]
            split("", n)
        }
        /^[0-9a-f]+ <.*>:$/ { flush(); fn = $0; sub(/^[^<]*</, "", fn); sub(/>:$/, "", fn); next }
        NF >= 3 {
            op = $2; vec = ($3 ~ /^v/)
            if (op == "fmla" && vec) n["fmla.v"]++
            else if (op == "fmadd") n["fmadd"]++
            else if (op == "fmul" || op == "fadd") n[op (vec ? ".v" : "")]++
        }
        END { flush() }'
done
