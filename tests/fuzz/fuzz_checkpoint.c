/* Fuzz target: the teacher checkpoint reader.  When the first byte is odd
 * the target appends the right checksum, so the fuzzer reaches the parser
 * behind the checksum gate too. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "run/checkpoint.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The checkpoint at path: what loads finds each of its teachers. */
static void check(const char *path)
{
    err e;
    checkpoint c;
    if (checkpoint_load(&c, path, &e) == 0) {
        double loss;
        for (size_t t = 0; t < c.n; t++)
            if (!checkpoint_find(&c, c.seeds[t], &loss))
                abort();
        checkpoint_free(&c);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t n = size - 1;
    uint8_t *buf = malloc(n + 8);
    if (!buf)
        return 0;
    memcpy(buf, data + 1, n);
    if (data[0] & 1) {
        uint64_t h = 0xcbf29ce484222325ull;
        for (size_t i = 0; i < n; i++)
            h = (h ^ buf[i]) * 0x100000001b3ull;
        for (int k = 0; k < 8; k++)
            buf[n + k] = (uint8_t)(h >> (8 * k));
        n += 8;
    }
    fuzz_on_file(buf, n, check);
    free(buf);
    return 0;
}
