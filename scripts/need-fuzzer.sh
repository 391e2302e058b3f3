#!/bin/sh
# Makes sure clang can build libFuzzer targets (Debian: clang + libclang-rt-dev).
set -u
probe() {
    dir=$(mktemp -d)
    printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' > "$dir/f.c"
    clang -fsanitize=fuzzer,address,undefined "$dir/f.c" -o "$dir/f" >/dev/null 2>&1
    ok=$?
    rm -rf "$dir"
    return $ok
}
probe && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing clang and its fuzzer runtime (apt-get)..."
    apt-get install -y clang libclang-rt-dev >/dev/null 2>&1 ||
        { apt-get update >/dev/null 2>&1 && apt-get install -y clang libclang-rt-dev >/dev/null 2>&1; } ||
        apt-get install -y clang libclang-rt-14-dev >/dev/null 2>&1
    probe && exit 0
fi
if [ "$(uname -s)" = Darwin ]; then
    # Apple's clang has no libFuzzer; Homebrew's LLVM does.
    echo "libFuzzer is missing: Apple's clang has none; brew install llvm, then" \
        "PATH=\"\$(brew --prefix llvm)/bin:\$PATH\" make fuzz" >&2
else
    echo "libFuzzer is missing: install it with 'sudo apt-get install clang libclang-rt-dev'" >&2
fi
exit 1
