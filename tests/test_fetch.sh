#!/bin/sh
# Tests scripts/fetch-mnist.sh without the network: a stand-in "MNIST" of
# small fake files, served from local folders (MNIST_SRC) and file:// mirrors.
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
fetch=$root/scripts/fetch-mnist.sh
names="train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte"
command -v curl >/dev/null 2>&1 || { echo "FAIL: test_fetch needs curl"; exit 1; }

# The caller's settings (CI exports MNIST_SRC) must not leak in.  Any case
# that forgets to set mirrors gets one that cannot reach the network.
unset MNIST_SRC MNIST_DIR FASHION_SRC FASHION_DIR
MNIST_MIRRORS=file:///nonexistent/
FASHION_MIRRORS=file:///nonexistent/
export MNIST_MIRRORS FASHION_MIRRORS

t=$(mktemp -d) || exit 1
trap 'rm -rf "$t"' EXIT
# Checksums as the fetch script takes them (sha256).
. "$root/scripts/portable.sh"
fails=0
ok()   { echo "ok   - $1"; }
fail() { echo "FAIL - $1"; fails=$((fails + 1)); }

# The stand-in data set: good copies in $t/good, the plain files in $t/plain.
mkdir "$t/good" "$t/plain" "$t/empty"
for n in $names; do
    printf 'fake %s\n' "$n" > "$t/plain/$n"
    gzip -c "$t/plain/$n" > "$t/good/$n.gz"
done
(cd "$t/good" && sha256 *.gz) > "$t/SHA256SUMS"

# new_target NAME: a fresh MNIST_DIR holding only SHA256SUMS.
new_target() { mkdir "$t/$1" && cp "$t/SHA256SUMS" "$t/$1/"; echo "$t/$1"; }

# unpacked_ok DIR: all four files unpacked, identical to the originals.
unpacked_ok() {
    for n in $names; do cmp -s "$1/$n" "$t/plain/$n" || return 1; done
}

# no_leftovers DIR: no temp files and no unpacked file for the .gz named $2.
no_leftovers() {
    [ -z "$(find "$1" -name '*.tmp*')" ] && [ ! -e "$1/${2%.gz}" ]
}

# (a) copy from MNIST_SRC, then a second run is a quick no-op.
d=$(new_target a)
if MNIST_DIR=$d MNIST_SRC=$t/good sh "$fetch" > "$t/a.out" 2>&1 && unpacked_ok "$d" &&
   MNIST_DIR=$d MNIST_SRC=$t/good sh "$fetch" 2>&1 | grep -q "up to date"; then
    ok "MNIST_SRC copy unpacks, second run is a no-op"
else
    fail "MNIST_SRC copy unpacks, second run is a no-op"; cat "$t/a.out"
fi

# (b) download through file:// mirrors, the first of which has nothing.
d=$(new_target b)
if MNIST_DIR=$d MNIST_MIRRORS="file://$t/empty/ file://$t/good" sh "$fetch" > "$t/b.out" 2>&1 &&
   unpacked_ok "$d"; then
    ok "mirror download falls through an empty mirror"
else
    fail "mirror download falls through an empty mirror"; cat "$t/b.out"
fi

# A copy of the data set with one corrupted file.
mkdir "$t/bad"
cp "$t/good"/*.gz "$t/bad/"
echo "not the real file" | gzip -c > "$t/bad/train-labels-idx1-ubyte.gz"

# (c) a checksum mismatch is refused, names the file, leaves nothing behind.
d=$(new_target c)
if MNIST_DIR=$d MNIST_SRC=$t/bad sh "$fetch" > "$t/c.out" 2>&1; then
    fail "corrupted file (MNIST_SRC) is refused: it was accepted"
elif grep -q "mismatch.*train-labels-idx1-ubyte.gz" "$t/c.out" && no_leftovers "$d" train-labels-idx1-ubyte.gz; then
    ok "corrupted file (MNIST_SRC) is refused"
else
    fail "corrupted file (MNIST_SRC) is refused"; cat "$t/c.out"; ls -a "$d"
fi

d=$(new_target c2)
if MNIST_DIR=$d MNIST_MIRRORS="file://$t/bad/" sh "$fetch" > "$t/c2.out" 2>&1; then
    fail "corrupted file (only mirror) is refused: it was accepted"
elif grep -q "train-labels-idx1-ubyte.gz" "$t/c2.out" && no_leftovers "$d" train-labels-idx1-ubyte.gz &&
     [ ! -e "$d/.verified" ]; then
    ok "corrupted file (only mirror) is refused"
else
    fail "corrupted file (only mirror) is refused"; cat "$t/c2.out"; ls -a "$d"
fi

d=$(new_target c3)
if MNIST_DIR=$d MNIST_MIRRORS="file://$t/bad/ file://$t/good/" sh "$fetch" > "$t/c3.out" 2>&1 &&
   unpacked_ok "$d"; then
    ok "corrupted file on one mirror: the next mirror is used"
else
    fail "corrupted file on one mirror: the next mirror is used"; cat "$t/c3.out"
fi

# (d) MNIST_SRC lacking a file fails and names it.
mkdir "$t/partial"
cp "$t/good"/*.gz "$t/partial/"
rm "$t/partial/t10k-images-idx3-ubyte.gz"
d=$(new_target d)
if MNIST_DIR=$d MNIST_SRC=$t/partial sh "$fetch" > "$t/d.out" 2>&1; then
    fail "MNIST_SRC missing a file fails: it succeeded"
elif grep -q "t10k-images-idx3-ubyte.gz" "$t/d.out" && [ ! -e "$d/.verified" ]; then
    ok "MNIST_SRC missing a file fails clearly"
else
    fail "MNIST_SRC missing a file fails clearly"; cat "$t/d.out"
fi

# (e) new checksums invalidate the stamp: the data is fetched and checked again.
d=$t/a
echo "different" | gzip -c > "$t/bad/train-images-idx3-ubyte.gz"
(cd "$t/bad" && sha256 *.gz) > "$d/SHA256SUMS"
rm "$d"/*.gz
if MNIST_DIR=$d MNIST_SRC=$t/bad sh "$fetch" > "$t/e.out" 2>&1 &&
   ! grep -q "up to date" "$t/e.out" && [ "$(cat "$d/train-images-idx3-ubyte")" = different ]; then
    ok "changed SHA256SUMS forces a fresh fetch"
else
    fail "changed SHA256SUMS forces a fresh fetch"; cat "$t/e.out"
fi

# (f) --fashion: a list of the unpacked files' sums (Fashion-MNIST's), so
# any compression of the same data is good and other data is not.
(cd "$t/plain" && sha256 $names) > "$t/RAW_SHA256SUMS"
mkdir "$t/recompressed" "$t/wrongdata"
for n in $names; do
    gzip -9 -n -c "$t/plain/$n" > "$t/recompressed/$n.gz"
    cp "$t/good/$n.gz" "$t/wrongdata/"
done
cmp -s "$t/good/train-images-idx3-ubyte.gz" "$t/recompressed/train-images-idx3-ubyte.gz" &&
    fail "the stand-in's two compressions differ (test set-up)"
echo "other data" | gzip -c > "$t/wrongdata/t10k-labels-idx1-ubyte.gz"
new_fashion() { mkdir "$t/$1" && cp "$t/RAW_SHA256SUMS" "$t/$1/SHA256SUMS"; echo "$t/$1"; }
d=$(new_fashion f1)
if FASHION_DIR=$d FASHION_SRC=$t/good sh "$fetch" --fashion > "$t/f1.out" 2>&1 &&
   unpacked_ok "$d" && grep -q "Fashion-MNIST" "$t/f1.out" &&
   rm -f "$d"/*.gz "$d/.verified" &&
   FASHION_DIR=$d FASHION_MIRRORS="file://$t/recompressed/" sh "$fetch" --fashion > "$t/f1b.out" 2>&1 &&
   unpacked_ok "$d"; then
    ok "--fashion: the unpacked files are verified, whatever the compression"
else
    fail "--fashion: the unpacked files are verified, whatever the compression"
    cat "$t/f1.out" "$t/f1b.out" 2>/dev/null
fi
d=$(new_fashion f2)
if FASHION_DIR=$d FASHION_SRC=$t/wrongdata sh "$fetch" --fashion > "$t/f2.out" 2>&1; then
    fail "--fashion: other data under the right name is refused: it was accepted"
elif grep -q "mismatch for t10k-labels-idx1-ubyte (unpacked" "$t/f2.out" &&
     no_leftovers "$d" t10k-labels-idx1-ubyte.gz && [ ! -e "$d/.verified" ]; then
    ok "--fashion: other data under the right name is refused"
else
    fail "--fashion: other data under the right name is refused"; cat "$t/f2.out"; ls -a "$d"
fi
if [ -e /usr/share/datasets/fashion-mnist ]; then
    echo "skip - the offline hint: Debian's dataset-fashion-mnist is installed (the default source)"
else
    d=$(new_fashion f3)
    if FASHION_DIR=$d sh "$fetch" --fashion > "$t/f3.out" 2>&1; then
        fail "--fashion offline names the Debian package: it succeeded"
    elif grep -q "apt-get install dataset-fashion-mnist" "$t/f3.out"; then
        ok "--fashion offline names the Debian package"
    else
        fail "--fashion offline names the Debian package"; cat "$t/f3.out"
    fi
fi
if sh "$fetch" --bogus > "$t/g.out" 2>&1; then
    fail "an unknown option is refused: it was accepted"
elif grep -q "unknown option '--bogus'" "$t/g.out"; then
    ok "an unknown option is refused"
else
    fail "an unknown option is refused"; cat "$t/g.out"
fi

[ $fails -eq 0 ] && echo "test_fetch: all ok" || echo "test_fetch: $fails failed"
[ $fails -eq 0 ]
