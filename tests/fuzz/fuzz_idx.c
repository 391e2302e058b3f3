/* Fuzz target: the IDX image and label readers.  The first byte picks the
 * reader; the rest is the file. */
#include <stdlib.h>
#include <unistd.h>
#include "fuzz_input.h"
#include "nn/idx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_labels(const char *path)
{
    err e;
    uint8_t *buf = NULL;
    size_t n = 0;
    if (idx_read_labels(path, &buf, &n, 10, &e) == 0 && n == 0)
        abort(); /* success promises at least one label */
    free(buf);
}

static void check_images(const char *path)
{
    err e;
    uint8_t *buf = NULL;
    size_t n = 0, rows = 0, cols = 0;
    if (idx_read_images(path, &buf, &n, &rows, &cols, &e) == 0 &&
        (n == 0 || rows == 0 || cols == 0))
        abort();
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    return fuzz_on_file(data + 1, size - 1, data[0] & 1 ? check_labels : check_images);
}
