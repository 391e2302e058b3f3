#!/bin/sh
# The layers of src/, lowest first: a file may include only from its own
# folder and from folders before it in this list.  Every source file lives
# in one of them, and every include names its folder ("nn/mlp.h").
#
#   sh scripts/check-layers.sh [SRC_DIR]      (default: src)
#
# Prints each violation and exits 1 if there is any.
set -u
src=${1:-src}
layers="base nn run out bench cli"

rank() {
    r=0
    for l in $layers; do
        [ "$l" = "$1" ] && { echo $r; return; }
        r=$((r + 1))
    done
    echo -1
}

bad=0
for f in $(cd "$src" && find . -name '*.[ch]' | sed 's|^\./||' | sort); do
    dir=${f%/*}
    [ "$dir" = "$f" ] && dir=.
    own=$(rank "$dir")
    if [ "$own" -lt 0 ]; then
        echo "$src/$f: not in a layer folder ($layers)"
        bad=1
        continue
    fi
    # Quoted includes only: system headers are <...>.
    for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$src/$f"); do
        layer=${inc%%/*}
        if [ "$layer" = "$inc" ]; then
            echo "$src/$f: #include \"$inc\" names no layer folder"
            bad=1
            continue
        fi
        r=$(rank "$layer")
        if [ "$r" -lt 0 ] || [ ! -f "$src/$inc" ]; then
            echo "$src/$f: #include \"$inc\": no such file in a layer"
            bad=1
        elif [ "$r" -gt "$own" ]; then
            echo "$src/$f: #include \"$inc\" reaches up from $dir to $layer"
            bad=1
        fi
    done
done
[ $bad -eq 0 ] && echo "layers: every include in $src points down ($layers)"
exit $bad
