#!/bin/sh
# The man page, as `sublim help --man` writes it from the flag tables:
# mandoc finds nothing to say about it, it has every section a user looks
# for, every command's section lists every flag that command's --help
# lists, and its examples are command lines sublim accepts.
set -u
. "$(dirname "$0")/tu_shell"

page=$t/sublim.1
"$bin" help --man > "$page" || { echo "FAIL - sublim help --man"; exit 1; }

sh "$root/scripts/need-mandoc.sh"
case $? in
0)
    if mandoc -Tlint "$page" > "$t/lint" 2>&1; then
        ok "mandoc -Tlint: clean"
    else
        fail "mandoc -Tlint: clean"
        cat "$t/lint"
    fi
    ;;
2) echo "skip - mandoc -Tlint: mandoc is missing and this is not root to install it" ;;
*) fail "mandoc -Tlint: mandoc could not be installed" ;;
esac

missing=
for s in NAME SYNOPSIS DESCRIPTION COMMANDS ENVIRONMENT FILES "EXIT STATUS" EXAMPLES; do
    grep -qx ".Sh $s" "$page" || missing="$missing '$s'"
done
[ -z "$missing" ] && ok "every section" || fail "sections missing:$missing"

# Every command `sublim --help` lists has a section listing every flag its
# --help prints.
commands=$("$bin" --help | awk '/^commands:/ { on = 1; next } on && NF { print $1 }')
[ -n "$commands" ] || fail "no commands in sublim --help"
for cmd in $commands; do
    awk -v cmd="$cmd" '$0 == ".Ss " cmd { on = 1; next } /^\.S[sh] / { on = 0 }
        on && /^\.It Fl / { print "-" $3 }' "$page" > "$t/$cmd.man"
    "$bin" "$cmd" --help | awk '/^  --/ { print $1 }' > "$t/$cmd.help"
    absent=$(grep -vxF -f "$t/$cmd.man" "$t/$cmd.help" | tr '\n' ' ')
    if [ -s "$t/$cmd.help" ] && [ -z "$absent" ]; then
        ok "$cmd: every flag of --help is in the man page ($(wc -l < "$t/$cmd.help") flags)"
    elif [ -s "$t/$cmd.help" ]; then
        fail "$cmd: flags missing from the man page: $absent"
    elif grep -qx ".Ss $cmd" "$page"; then
        ok "$cmd: in the man page (no flags)"
    else
        fail "$cmd: no section in the man page"
    fi
done

# The examples: each command line, --help added, parses (an unknown flag
# or a bad value would exit 2).
grep '^\$ sublim ' "$page" | sed 's/^\$ sublim //' > "$t/examples"
[ -s "$t/examples" ] || fail "no examples"
while read -r line; do
    # shellcheck disable=SC2086 # the example's words
    if "$bin" $line --help > /dev/null 2> "$t/example.err"; then
        ok "example parses: sublim $line"
    else
        fail "example parses: sublim $line"
        cat "$t/example.err"
    fi
done < "$t/examples"

finish
