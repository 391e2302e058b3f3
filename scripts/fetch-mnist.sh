#!/bin/sh
# Fetch, verify and unpack MNIST into a folder:
#
#   sh scripts/fetch-mnist.sh [DIR]   in the repository (`make data`): DIR,
#                                     else $MNIST_DIR, else mnist/ there
#   sublim-fetch-mnist [DIR]          installed (`make install`): DIR, else
#                                     $MNIST_DIR, else the user's data folder
#                                     ${XDG_DATA_HOME:-~/.local/share}/sublim/mnist,
#                                     where an installed sublim looks for it
#
#   MNIST_SRC=dir      copy the four .gz files from dir instead of downloading
#   MNIST_MIRRORS=...  space-separated base URLs to try in turn (file:// works
#                      with curl; the tests use this to stay off the network)
#   MNIST_DIR=dir      target directory
#
# The checksums are the target's SHA256SUMS when it has one, else the list
# that comes with the script (mnist/SHA256SUMS, or share/sublim/SHA256SUMS
# installed), copied there.  Every .gz is checked against them before it is
# used; every file is written to a temp name and renamed, so an interrupted
# run leaves no half-written data behind.  Every failure exits 1 with one
# line on stderr.
set -u

die() { echo "fetch-mnist: $*" >&2; exit 1; }
[ $# -le 1 ] || die "usage: $0 [DIR] (at most one folder)"

# User-given paths are relative to the caller's directory.  The script's
# own files are beside it in the repository (scripts/portable.sh,
# mnist/SHA256SUMS) and in ../share/sublim/ installed.
here=$(pwd)
abspath() { case $1 in /*) echo "$1" ;; *) echo "$here/$1" ;; esac; }
bin=$(cd "$(dirname "$0")" && pwd) || die "cannot find the folder of $0"
if [ -f "$bin/portable.sh" ]; then
    portable=$bin/portable.sh
    shipped=$bin/../mnist/SHA256SUMS
    default=$(cd "$bin/.." && pwd)/mnist
elif [ -f "$bin/../share/sublim/portable.sh" ]; then
    portable=$bin/../share/sublim/portable.sh
    shipped=$bin/../share/sublim/SHA256SUMS
    case ${XDG_DATA_HOME:-} in
    /*) default=$XDG_DATA_HOME/sublim/mnist ;;
    *) [ -n "${HOME:-}" ] || die "HOME is not set: name the folder (${0##*/} DIR)"
       default=$HOME/.local/share/sublim/mnist ;;
    esac
else
    die "cannot find portable.sh beside $0 or in $bin/../share/sublim/"
fi
if [ $# -eq 1 ]; then dir=$(abspath "$1")
elif [ -n "${MNIST_DIR:-}" ]; then dir=$(abspath "$MNIST_DIR")
else dir=$default; fi
mkdir -p "$dir" || die "cannot create $dir"
src=
if [ -n "${MNIST_SRC:-}" ]; then src=$(abspath "$MNIST_SRC"); fi
mirrors=${MNIST_MIRRORS:-https://ossci-datasets.s3.amazonaws.com/mnist/ https://storage.googleapis.com/cvdf-datasets/mnist/ http://yann.lecun.com/exdb/mnist/}

names="train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte"
sums=$dir/SHA256SUMS
stamp=$dir/.verified   # a copy of the SHA256SUMS the unpacked files came from
if [ ! -f "$sums" ]; then
    [ -f "$shipped" ] || die "missing $sums and $shipped (the committed checksum list)"
    cat "$shipped" > "$sums.tmp.$$" && mv -f "$sums.tmp.$$" "$sums" || die "cannot write $sums"
fi

# Fast path: everything unpacked earlier, from these very checksums.
done_already=yes
for n in $names; do [ -f "$dir/$n" ] || done_already=no; done
if [ $done_already = yes ] && [ -f "$stamp" ] && cmp -s "$stamp" "$sums"; then
    echo "fetch-mnist: $dir is up to date (verified against SHA256SUMS)"
    exit 0
fi

# Temp files carry our pid (and match the /mnist/*.tmp* ignore rule);
# remove whatever is left of them however we exit.
tmp=tmp.$$
trap 'rm -f "$dir"/*."$tmp" "$stamp.$tmp"' EXIT
trap 'exit 1' HUP INT TERM
rm -f "$stamp"   # the data is no longer known-good until we finish

. "$portable" # sha256
sha256 </dev/null >/dev/null 2>&1 || die "need sha256sum, shasum or sha256 to verify the data"
hash_of() { sha256 < "$1" | cut -d' ' -f1; }

# Expected hash of $1 from SHA256SUMS ("hash  name", or "hash *name").
expected_of() { awk -v f="$1" '$2 == f || $2 == "*" f { print $1; exit }' "$sums"; }

# check FILE NAME: succeeds if FILE has NAME's listed hash; otherwise sets
# $problem to a one-line description.
check() {
    actual=$(hash_of "$1")
    [ "$actual" = "$want" ] && return 0
    problem="checksum mismatch for $2: expected $want, got $actual"
    return 1
}

# get URL OUT: download one URL; errors go to stderr for the caller to report.
if command -v curl >/dev/null 2>&1; then
    get() { curl -fsSL --retry 2 --connect-timeout 20 -o "$2" "$1"; }
elif command -v wget >/dev/null 2>&1; then
    get() { wget -nv -T 20 -t 3 -O "$2" "$1"; }
else
    get() { return 127; }
fi

for n in $names; do
    gz=$n.gz
    want=$(expected_of "$gz")
    [ -n "$want" ] || die "no checksum for $gz in $sums"
    part=$dir/$gz.$tmp
    problem=

    # A verified .gz kept from an earlier run is reused as is.
    if [ -f "$dir/$gz" ] && check "$dir/$gz" "$gz"; then
        :
    elif [ -n "$src" ]; then
        [ -f "$src/$gz" ] || die "MNIST_SRC=$src has no $gz"
        # cat, not cp: the copy gets our umask, not the source's (read-only) mode.
        cat "$src/$gz" > "$part" || die "cannot copy $src/$gz to $dir"
        if ! check "$part" "$gz"; then rm -f "$part"; die "$problem (from $src)"; fi
        mv -f "$part" "$dir/$gz" || die "cannot rename $part"
    else
        command -v curl >/dev/null 2>&1 || command -v wget >/dev/null 2>&1 ||
            die "need curl or wget to download $gz (or set MNIST_SRC to a folder holding it)"
        ok=no
        for m in $mirrors; do
            url=${m%/}/$gz
            # Keep the downloader's complaint (last line) for our own message.
            if ! why=$(get "$url" "$part" 2>&1); then
                problem="download failed: $url ($(echo "$why" | tail -n 1))"
                echo "fetch-mnist: $problem, trying next mirror" >&2
            elif ! check "$part" "$gz"; then
                problem="$problem (from $url)"
                echo "fetch-mnist: $problem, trying next mirror" >&2
            else
                ok=yes; break
            fi
            rm -f "$part"
        done
        [ $ok = yes ] || die "could not get a good $gz from any mirror (last: $problem); offline, point MNIST_SRC at a folder holding the four .gz files (make run MNIST_SRC=DIR)"
        mv -f "$part" "$dir/$gz" || die "cannot rename $part"
        echo "fetch-mnist: downloaded $gz from $url"
    fi

    # Unpack to a temp name, then rename: the canonical name is all or nothing.
    gzip -dc "$dir/$gz" > "$dir/$n.$tmp" || die "cannot unpack $gz"
    mv -f "$dir/$n.$tmp" "$dir/$n" || die "cannot rename $dir/$n.$tmp"
done

cat "$sums" > "$stamp.$tmp" && mv -f "$stamp.$tmp" "$stamp" || die "cannot write $stamp"
echo "fetch-mnist: $dir ready (4 files verified against SHA256SUMS)"
