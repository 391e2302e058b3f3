/* Fuzz target: the samples.pgm reader (used by report). */
#include <stdlib.h>
#include "fuzz_input.h"
#include "out/samples.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the reader accepts keeps its promises: a strip of at most
 * SAMPLES_N images per row, within SAMPLES_MAX_SIDE, every pixel readable. */
static void check(const char *path)
{
    err e;
    samples s;
    if (samples_read(path, &s, &e) != 0)
        return;
    if (s.n == 0 || s.n > SAMPLES_N || s.rows == 0 || s.cols == 0 ||
        2 * s.rows > SAMPLES_MAX_SIDE || s.n * s.cols > SAMPLES_MAX_SIDE || !s.pixels)
        abort();
    unsigned sum = 0;
    for (int noise = 0; noise < 2; noise++)
        for (size_t k = 0; k < s.n; k++)
            sum += samples_grey(&s, noise, k, s.rows - 1, s.cols - 1);
    (void)sum;
    samples_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_on_file(data, size, check);
}
