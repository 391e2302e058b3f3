#!/bin/sh
# The shell completions `sublim help --bash` and `--zsh` write from the
# flag tables: the bash one, sourced, completes commands, flags, a choice
# flag's choices and folders; the zsh one is valid zsh.
set -u
# The completion is bash's: run the rest under bash.
if [ -z "${BASH_VERSION:-}" ]; then
    command -v bash > /dev/null 2>&1 || { echo "skip - bash completion: no bash here"; exit 0; }
    exec bash "$0" "$@"
fi
. "$(dirname "$0")/tu_shell"

"$bin" help --bash > "$t/sublim.bash" || { echo "FAIL - sublim help --bash"; exit 1; }
# shellcheck disable=SC1091
. "$t/sublim.bash" || { echo "FAIL - the bash completion does not source"; exit 1; }

# completes WANT WORD...: the completion of the command line WORD... (the
# last word the one being completed) is WANT, sorted, space-separated.
completes() {
    local want=$1
    shift
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _sublim 2> /dev/null
    local got
    got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')
    if [ "${got% }" = "$want" ]; then
        ok "'$*' completes to '$want'"
    else
        fail "'$*' completes to '$want': got '${got% }'"
    fi
}

completes "experiment" sublim exp
completes "--init" sublim experiment --ini
completes "normal uniform" sublim experiment --init ""
completes "normal uniform" sublim experiment --seeds 2 --init = ""
completes "uniform" sublim experiment --init u
completes "kl mse" sublim theorem --loss ""
completes "--resume" sublim sweep --res
completes "" sublim experiment --seeds ""

mkdir "$t/results-a" "$t/results-b" && touch "$t/results-file"
cd "$t" || exit 1
completes "results-a results-b" sublim report res
completes "results-a results-b" sublim experiment --out res
completes "results-a results-b results-file" sublim experiment --save-teacher res
cd - > /dev/null || exit 1

# Every command at the first word; every flag of a command's --help.
commands=$("$bin" --help | awk '/^commands:/ { on = 1; next } on && NF { print $1 }')
for cmd in $commands; do
    COMP_WORDS=(sublim "$cmd" --)
    COMP_CWORD=2
    COMPREPLY=()
    _sublim
    absent=
    for flag in $("$bin" "$cmd" --help | awk '/^  --/ { print $1 }'); do
        printf '%s\n' "${COMPREPLY[@]}" | grep -qx -- "$flag" || absent="$absent $flag"
    done
    [ -z "$absent" ] && ok "$cmd: every flag completes" || fail "$cmd: flags missing:$absent"
    COMP_WORDS=(sublim "$cmd")
    COMP_CWORD=1
    _sublim
    printf '%s\n' "${COMPREPLY[@]}" | grep -qx "$cmd" && ok "$cmd completes" ||
        fail "$cmd does not complete"
done

"$bin" help --zsh > "$t/_sublim" || fail "sublim help --zsh"
if command -v zsh > /dev/null 2>&1; then
    zsh -n "$t/_sublim" && ok "the zsh completion is valid zsh" ||
        fail "the zsh completion is valid zsh"
else
    echo "skip - zsh -n on the zsh completion: no zsh here"
fi
grep -q "'--init=\[weight init\]:init:(normal uniform)'" "$t/_sublim" &&
    ok "zsh: --init offers its choices" || fail "zsh: --init offers its choices"

finish
