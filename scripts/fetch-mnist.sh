#!/bin/sh
# Fetch, verify and unpack MNIST (or, with --fashion, Fashion-MNIST) into a
# folder:
#
#   sh scripts/fetch-mnist.sh [--fashion] [DIR]   in the repository (`make
#                                     data`, `make data-fashion`): DIR, else
#                                     $MNIST_DIR, else mnist/ there
#                                     (fashion-mnist/ for Fashion-MNIST)
#   sublim-fetch-mnist [--fashion] [DIR]   installed (`make install`): DIR,
#                                     else $MNIST_DIR, else the user's data
#                                     folder ${XDG_DATA_HOME:-~/.local/share}/sublim/mnist
#                                     (or .../fashion-mnist), where an
#                                     installed sublim looks for it
#
#   MNIST_SRC=dir      copy the four .gz files from dir instead of downloading
#                      (Fashion-MNIST: FASHION_SRC, by default the folder of
#                      Debian's package dataset-fashion-mnist when installed)
#   MNIST_MIRRORS=...  space-separated base URLs to try in turn (file:// works
#                      with curl; the tests use this to stay off the network;
#                      Fashion-MNIST: FASHION_MIRRORS)
#   MNIST_DIR=dir      target directory (Fashion-MNIST: FASHION_DIR)
#
# The checksums are the target's SHA256SUMS when it has one, else the list
# that comes with the script (mnist/SHA256SUMS or fashion-mnist/SHA256SUMS,
# or share/sublim/ installed), copied there.  A list may name the .gz
# files, checked before they are unpacked (MNIST's), or the unpacked files,
# checked once unpacked (Fashion-MNIST's: its .gz files differ from source
# to source, its data does not); each file is checked against every sum
# listed for it, and a file with none is refused.  Every file is written
# to a temp name and renamed, so an interrupted run leaves no half-written
# data behind.  Every failure exits 1 with one line on stderr.
set -u

die() { echo "fetch-mnist: $*" >&2; exit 1; }
fashion=no
if [ "${1:-}" = --fashion ]; then fashion=yes; shift; fi
[ $# -le 1 ] || die "usage: $0 [--fashion] [DIR] (at most one folder)"
case ${1:-} in -*) die "unknown option '$1' (usage: $0 [--fashion] [DIR])" ;; esac
if [ $fashion = yes ]; then
    title=Fashion-MNIST folder=fashion-mnist
    package=dataset-fashion-mnist
    package_dir=/usr/share/datasets/fashion-mnist
    target=${FASHION_DIR:-}
    src=${FASHION_SRC:-}
    if [ -z "$src" ] && [ -f "$package_dir/train-images-idx3-ubyte.gz" ]; then src=$package_dir; fi
    srcvar=FASHION_SRC
    mirrors=${FASHION_MIRRORS:-http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/ https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/}
    offline="install Debian's package $package (apt-get install $package), or point FASHION_SRC at a folder holding the four .gz files"
else
    title=MNIST folder=mnist
    target=${MNIST_DIR:-}
    src=${MNIST_SRC:-}
    srcvar=MNIST_SRC
    mirrors=${MNIST_MIRRORS:-https://ossci-datasets.s3.amazonaws.com/mnist/ https://storage.googleapis.com/cvdf-datasets/mnist/ http://yann.lecun.com/exdb/mnist/}
    offline="point MNIST_SRC at a folder holding the four .gz files (make run MNIST_SRC=DIR)"
fi

# User-given paths are relative to the caller's directory.  The script's
# own files are beside it in the repository (scripts/portable.sh,
# mnist/SHA256SUMS) and in ../share/sublim/ installed.
here=$(pwd)
abspath() { case $1 in /*) echo "$1" ;; *) echo "$here/$1" ;; esac; }
bin=$(cd "$(dirname "$0")" && pwd) || die "cannot find the folder of $0"
if [ -f "$bin/portable.sh" ]; then
    portable=$bin/portable.sh
    shipped=$bin/../$folder/SHA256SUMS
    default=$(cd "$bin/.." && pwd)/$folder
elif [ -f "$bin/../share/sublim/portable.sh" ]; then
    portable=$bin/../share/sublim/portable.sh
    shipped=$bin/../share/sublim/$folder/SHA256SUMS
    case ${XDG_DATA_HOME:-} in
    /*) default=$XDG_DATA_HOME/sublim/$folder ;;
    *) [ -n "${HOME:-}" ] || die "HOME is not set: name the folder (${0##*/} DIR)"
       default=$HOME/.local/share/sublim/$folder ;;
    esac
else
    die "cannot find portable.sh beside $0 or in $bin/../share/sublim/"
fi
if [ $# -eq 1 ]; then dir=$(abspath "$1")
elif [ -n "$target" ]; then dir=$(abspath "$target")
else dir=$default; fi
mkdir -p "$dir" || die "cannot create $dir"
if [ -n "$src" ]; then src=$(abspath "$src"); fi

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

# good GZ: succeeds when the .gz file GZ has its listed sum (when one is
# listed) and unpacks to $dir/$n.$tmp with its listed sum (when one is);
# otherwise removes what it unpacked and sets $problem to one line.
good() {
    if [ -n "$want_gz" ]; then
        actual=$(hash_of "$1")
        [ "$actual" = "$want_gz" ] ||
            { problem="checksum mismatch for $gz: expected $want_gz, got $actual"; return 1; }
    fi
    gzip -dc "$1" > "$dir/$n.$tmp" 2>/dev/null ||
        { rm -f "$dir/$n.$tmp"; problem="cannot unpack $gz"; return 1; }
    if [ -n "$want_raw" ]; then
        actual=$(hash_of "$dir/$n.$tmp")
        [ "$actual" = "$want_raw" ] || {
            rm -f "$dir/$n.$tmp"
            problem="checksum mismatch for $n (unpacked from $gz): expected $want_raw, got $actual"
            return 1
        }
    fi
    return 0
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
    want_gz=$(expected_of "$gz")
    want_raw=$(expected_of "$n")
    [ -n "$want_gz$want_raw" ] || die "no checksum for $gz or $n in $sums"
    part=$dir/$gz.$tmp
    problem=

    # A .gz kept from an earlier run is reused when it is still good.
    if [ -f "$dir/$gz" ] && good "$dir/$gz"; then
        :
    elif [ -n "$src" ]; then
        [ -f "$src/$gz" ] || die "$srcvar=$src has no $gz"
        # cat, not cp: the copy gets our umask, not the source's (read-only) mode.
        cat "$src/$gz" > "$part" || die "cannot copy $src/$gz to $dir"
        if ! good "$part"; then rm -f "$part"; die "$problem (from $src)"; fi
        mv -f "$part" "$dir/$gz" || die "cannot rename $part"
    else
        command -v curl >/dev/null 2>&1 || command -v wget >/dev/null 2>&1 ||
            die "need curl or wget to download $gz (or set $srcvar to a folder holding it)"
        ok=no
        for m in $mirrors; do
            url=${m%/}/$gz
            # Keep the downloader's complaint (last line) for our own message.
            if ! why=$(get "$url" "$part" 2>&1); then
                problem="download failed: $url ($(echo "$why" | tail -n 1))"
                echo "fetch-mnist: $problem, trying next mirror" >&2
            elif ! good "$part"; then
                problem="$problem (from $url)"
                echo "fetch-mnist: $problem, trying next mirror" >&2
            else
                ok=yes; break
            fi
            rm -f "$part"
        done
        [ $ok = yes ] || die "could not get a good $gz from any mirror (last: $problem); offline, $offline"
        mv -f "$part" "$dir/$gz" || die "cannot rename $part"
        echo "fetch-mnist: downloaded $gz from $url"
    fi

    # The unpacked file, good, takes its canonical name all at once.
    mv -f "$dir/$n.$tmp" "$dir/$n" || die "cannot rename $dir/$n.$tmp"
done

cat "$sums" > "$stamp.$tmp" && mv -f "$stamp.$tmp" "$stamp" || die "cannot write $stamp"
echo "fetch-mnist: $dir ready ($title: 4 files verified against SHA256SUMS)"
