#!/bin/sh
# Make sure mandoc is here for the man page's lint (tests/test_man.sh):
# installed with apt-get when we are root on Debian.  Exits 0 when mandoc
# is there; 1 when installing it failed; 2 when it is missing and cannot
# be installed here (not root, or no apt-get), saying how to get it, so the
# caller can skip that check and say so.
#
#   sh scripts/need-mandoc.sh && mandoc -Tlint build/sublim.1
set -u
command -v mandoc >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "need-mandoc: mandoc is missing; installing it" >&2
    export DEBIAN_FRONTEND=noninteractive
    # A fresh container often has no package lists yet: update, then retry once.
    { apt-get install -y mandoc || { apt-get update && apt-get install -y mandoc; }; } >&2
    command -v mandoc >/dev/null 2>&1 && exit 0
    echo "need-mandoc: apt-get could not install mandoc" >&2
    exit 1
fi
echo "need-mandoc: mandoc is not installed (apt-get install mandoc, brew install mandoc," \
    "pkg install mandoc; the BSDs and macOS have it)" >&2
exit 2
