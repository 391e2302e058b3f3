# shellcheck shell=sh
# The few tools whose spelling differs between GNU/Linux, macOS and the
# BSDs, once, for the scripts and shell tests to source (POSIX sh; bash
# sources it too):
#
#   . "$root/scripts/portable.sh"
#
#   sha256 [FILE...]       "HASH  FILE" lines as sha256sum prints them (just
#                          the hash for standard input); 127 without a tool
#   with_timeout SIG SECS CMD...
#                          CMD, sent SIG after SECS seconds (see below)
#   now_ms                 milliseconds since the epoch
#   exec_preloaded LIB CMD...
#                          the shell replaced by CMD, LIB preloaded
#
# Variables of its own start with wt_.

if command -v sha256sum >/dev/null 2>&1; then
    sha256() { sha256sum "$@"; }
elif command -v shasum >/dev/null 2>&1; then # macOS
    sha256() { shasum -a 256 "$@"; }
elif command -v sha256 >/dev/null 2>&1; then # the BSDs' sha256(1): -q, the hash alone
    sha256() {
        if [ $# -eq 0 ]; then
            command sha256 -q
            return
        fi
        for wt_file in "$@"; do
            wt_hash=$(command sha256 -q "$wt_file") || return 1
            printf '%s  %s\n' "$wt_hash" "$wt_file"
        done
    }
else
    sha256() { echo "no sha256sum, shasum or sha256 here" >&2; return 127; }
fi

# with_timeout SIG SECS CMD...: runs CMD, sends it SIG (KILL, TERM, ...) if
# it still runs after SECS seconds (a fraction where sleep(1) takes one:
# GNU, macOS, the BSDs), and returns only once CMD has ended and been
# reaped, with CMD's own exit status (128 + the signal's number when a
# signal ended it).  That is GNU timeout's --foreground --preserve-status:
# only CMD gets the signal, not the processes it started, and a caller that
# waits for CMD's locks to go finds them gone.  timeout(1) does it where it
# takes those flags (GNU coreutils, FreeBSD; gtimeout from Homebrew's
# coreutils), else a watcher process that polls, then signals.  CMD's
# standard input is then /dev/null (it runs in the background).
wt_timeout=
for wt_try in timeout gtimeout; do
    if "$wt_try" --foreground --preserve-status -s KILL 10 true >/dev/null 2>&1; then
        wt_timeout=$wt_try
        break
    fi
done
if [ -n "$wt_timeout" ]; then
    with_timeout() {
        wt_sig=$1 wt_secs=$2
        shift 2
        "$wt_timeout" --foreground --preserve-status -s "$wt_sig" "$wt_secs" "$@"
    }
else
    with_timeout() {
        wt_sig=$1 wt_secs=$2
        shift 2
        "$@" &
        wt_pid=$!
        # The watcher: every 0.1 s it checks that CMD still runs (it ends as
        # soon as CMD is reaped); at SECS it signals CMD.  Polling, not a
        # long sleep stopped by a signal: a signal can arrive before the
        # watcher's trap is in place and leave the sleep behind.
        (
            wt_ticks=$(awk -v s="$wt_secs" 'BEGIN { t = int(s * 10); if (t < s * 10) t++; print t }')
            while [ "$wt_ticks" -gt 0 ]; do
                sleep 0.1
                kill -0 "$wt_pid" 2>/dev/null || exit 0
                wt_ticks=$((wt_ticks - 1))
            done
            kill -s "$wt_sig" "$wt_pid" 2>/dev/null
            exit 0
        ) &
        wt_watch=$!
        wt_status=0
        wait "$wt_pid" 2>/dev/null || wt_status=$? # no "Killed" from the shell
        wait "$wt_watch" 2>/dev/null || :
        return "$wt_status"
    }
fi

# now_ms: GNU date's %N where it has one (Linux), else perl's clock (macOS),
# else whole seconds.
case $(date +%3N 2>/dev/null) in
[0-9][0-9][0-9]) now_ms() { date +%s%3N; } ;;
*)
    if command -v perl >/dev/null 2>&1; then
        now_ms() { perl -MTime::HiRes=time -e 'printf "%d\n", time() * 1000'; }
    else
        now_ms() { echo $(($(date +%s) * 1000)); }
    fi
    ;;
esac

# exec_preloaded LIB CMD...: replaces the shell with CMD, LIB loaded first
# so that its functions (rename, fsync, malloc, ...) take the place of the
# C library's: LD_PRELOAD on Linux and the BSDs, DYLD_INSERT_LIBRARIES with
# a flat namespace on macOS (where CMD must not be one of Apple's protected
# programs, whose environment is cleaned); each system ignores the other's
# variables.  Run it in the background or in a subshell:
# `exec_preloaded LIB CMD &` makes $! CMD's own pid.
exec_preloaded() {
    wt_lib=$1
    shift
    LD_PRELOAD=$wt_lib DYLD_INSERT_LIBRARIES=$wt_lib DYLD_FORCE_FLAT_NAMESPACE=1
    export LD_PRELOAD DYLD_INSERT_LIBRARIES DYLD_FORCE_FLAT_NAMESPACE
    exec "$@"
}
