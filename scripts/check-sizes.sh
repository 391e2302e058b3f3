#!/bin/sh
# The tree stays easy to read: no source file over 600 lines, no function
# over 100 lines (tables are not functions), no command file (src/cli/cmd_*)
# over 200 lines.
#
#   sh scripts/check-sizes.sh [SRC_DIR]      (default: src)
#
# A function is counted from the line before its opening brace (the brace
# alone at the start of a line, as every function here is written) to its
# closing brace at the start of a line.  Prints each excess; exits 1 if any.
set -u
src=${1:-src}
max_file=600 max_function=100 max_command=200
bad=0
for f in $(find "$src" -name '*.[ch]' | sort); do
    lines=$(($(wc -l <"$f"))) # a number, without the padding BSD wc puts before it
    limit=$max_file
    case $f in */cli/cmd_*.c) limit=$max_command ;; esac
    if [ "$lines" -gt "$limit" ]; then
        echo "$f: $lines lines (at most $limit)"
        bad=1
    fi
    awk -v file="$f" -v max="$max_function" '
        /^\{/ { start = NR - 1; name = prev; next }
        /^\}/ && start { n = NR - start + 1
                         if (n > max) { printf "%s:%d: %s... is %d lines (at most %d)\n",
                                        file, start, substr(name, 1, 60), n, max; bad = 1 }
                         start = 0 }
        { prev = $0 }
        END { exit bad }' "$f" || bad=1
done
[ $bad -eq 0 ] && echo "sizes: files <= $max_file lines (commands <= $max_command), functions <= $max_function"
exit $bad
