#!/bin/sh
# sublim installed as a packager would: `make install DESTDIR=... PREFIX=/usr`,
# then the installed program run from another folder finds its data the
# way an installed tool does (--data, SUBLIM_DATA, ./mnist, the user's data
# folder), its man page renders, its fetch script fills the user's data
# folder, and `make uninstall` leaves no file behind.
#
# The make that runs this passes its BUILD and flags down (MAKEFLAGS), so
# the program installed is the one under test (SUBLIM_BIN).
set -u
. "$(dirname "$0")/tu_shell"

stage=$t/stage
usr=$stage/usr
if ! make -s -C "$root" install DESTDIR="$stage" PREFIX=/usr > "$t/install.log" 2>&1; then
    fail "make install DESTDIR=... PREFIX=/usr"
    cat "$t/install.log"
    exit 1
fi
ok "make install DESTDIR=... PREFIX=/usr"
sublim=$usr/bin/sublim
[ -z "${SUBLIM_BIN:-}" ] || check "the program installed is the one under test" \
    cmp -s "$sublim" "$SUBLIM_BIN"
for f in bin/sublim bin/sublim-fetch-mnist share/man/man1/sublim.1 \
    share/bash-completion/completions/sublim share/zsh/site-functions/_sublim; do
    check "installed: \$PREFIX/$f" test -s "$usr/$f"
done

# The version, as the source says it.
want=$(sed -n 's/^#define SUBLIM_VERSION "\(.*\)"$/\1/p' "$root/src/base/version.h")
for arg in --version version -V; do
    check "sublim $arg prints 'sublim $want'" test "$("$sublim" $arg)" = "sublim $want"
done

# The man page renders (man -l where man-db has it, else mandoc).
page=$usr/share/man/man1/sublim.1
if man -l "$page" > "$t/man.txt" 2> "$t/man.err" ||
    { command -v mandoc > /dev/null 2>&1 && mandoc -Tascii "$page" > "$t/man.txt"; }; then
    check "the installed man page renders with every section" \
        sh -c "for s in NAME SYNOPSIS DESCRIPTION COMMANDS ENVIRONMENT FILES 'EXIT STATUS' \
            EXAMPLES; do grep -q \"^\$s\" '$t/man.txt' || exit 1; done"
else
    fail "the installed man page renders (man -l, mandoc)"
    cat "$t/man.err"
fi

# The fetch script, installed: into the user's data folder by default
# (from the repository's verified .gz files rather than the network).
mkdir "$t/elsewhere" "$t/home"
if (cd "$t/elsewhere" && MNIST_SRC=$root/mnist XDG_DATA_HOME=$t/xdg \
    "$usr/bin/sublim-fetch-mnist" > "$t/fetch.log" 2>&1) &&
    [ -s "$t/xdg/sublim/mnist/train-images-idx3-ubyte" ]; then
    ok "sublim-fetch-mnist fetches into \$XDG_DATA_HOME/sublim/mnist"
else
    fail "sublim-fetch-mnist fetches into \$XDG_DATA_HOME/sublim/mnist"
    cat "$t/fetch.log"
fi

# runs WHERE NAME ENV... -- ARGS...: the installed sublim run in folder
# WHERE with only the environment given (plus PATH), its output in
# $t/NAME.out; its exit code.
runs() {
    where=$1 name=$2
    shift 2
    (cd "$where" && env -i PATH="$PATH" "$@" > "$t/$name.out" 2>&1)
}
# Tiny runs: the path matters here, not the numbers (and under
# AddressSanitizer, `make check`, width 256 takes a minute).
TINY="--seeds 1 --epochs 1 --student-epochs 1 --noise-images 2000 --width 32 --no-curves --quiet"
TINY_THEOREM="--trials 1 --eps 1e-3 --width 16 --input-batch 8 --teacher-batch 8 --heldout 10 --steps 1"

# A tiny experiment from another folder, the data named by SUBLIM_DATA.
# shellcheck disable=SC2086 # flag lists, split on purpose
if runs "$t/elsewhere" exp HOME="$t/home" SUBLIM_DATA="$root/mnist" \
    "$sublim" experiment $TINY --out "$t/res" &&
    grep -qx "version=$want" "$t/res/run.txt" &&
    grep -q "\"version\": \"$want\"" "$t/res/summary.json" &&
    grep -qx "data=$root/mnist" "$t/res/run.txt"; then
    ok "the installed sublim runs an experiment from another folder (SUBLIM_DATA), version in run.txt and summary.json"
else
    fail "the installed sublim runs an experiment from another folder (SUBLIM_DATA)"
    cat "$t/exp.out"
fi

# shellcheck disable=SC2086
{
    # The user's data folder, where sublim-fetch-mnist put it.
    runs "$t/elsewhere" xdg HOME="$t/home" XDG_DATA_HOME="$t/xdg" \
        "$sublim" theorem $TINY_THEOREM --out "$t/th-xdg"
    check "without --data or SUBLIM_DATA: the user's data folder" test $? = 0

    # ./mnist before the user's data folder (which is empty here).
    mkdir "$t/here" && ln -s "$root/mnist" "$t/here/mnist"
    runs "$t/here" here HOME="$t/home" "$sublim" theorem $TINY_THEOREM --out "$t/th-here"
    check "without --data or SUBLIM_DATA: ./mnist" test $? = 0

    # --data before SUBLIM_DATA: a --data without the files is refused even
    # though SUBLIM_DATA holds them.
    runs "$t/elsewhere" given HOME="$t/home" SUBLIM_DATA="$root/mnist" \
        "$sublim" theorem $TINY_THEOREM --data "$t/home" --out "$t/th-given"
    rc=$?
    check "--data comes before SUBLIM_DATA" \
        sh -c "[ $rc = 1 ] && grep -q '$t/home' '$t/given.out'"

    # Found nowhere: says where it looked and how to fetch it, naming the
    # fetch script install put in bin/.
    runs "$t/elsewhere" none HOME="$t/home" "$sublim" theorem $TINY_THEOREM --out "$t/th-none"
    rc=$?
}
if [ $rc = 1 ] && grep -q "SUBLIM_DATA" "$t/none.out" && grep -q "./mnist" "$t/none.out" &&
    grep -q "$t/home/.local/share/sublim/mnist" "$t/none.out" &&
    grep -q "'sublim-fetch-mnist'" "$t/none.out" && [ -x "$usr/bin/sublim-fetch-mnist" ]; then
    ok "no data anywhere: exit 1, names the places looked at and the fetch script"
else
    fail "no data anywhere: exit 1, names the places looked at and the fetch script (exit $rc)"
    cat "$t/none.out"
fi

if make -s -C "$root" uninstall DESTDIR="$stage" PREFIX=/usr > "$t/uninstall.log" 2>&1 &&
    [ -z "$(find "$stage" ! -type d)" ]; then
    ok "make uninstall leaves no file"
else
    fail "make uninstall leaves no file"
    cat "$t/uninstall.log"
    find "$stage" ! -type d
fi

finish
