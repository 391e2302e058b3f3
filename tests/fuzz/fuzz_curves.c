/* Fuzz target: the curves.csv reader (used by report, merge and --resume). */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>
#include "fuzz_input.h"
#include "out/curves.h"
#include "run/experiment.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* curves.csv at path through the reader: what it accepts keeps its promises. */
static void check(const char *path)
{
    err e;
    curve_point *pts = NULL;
    size_t n = 0, n_arms;
    experiment_arms(&n_arms);
    if (curves_read(path, &pts, &n, &e) == 0) {
        if (!pts)
            abort(); /* promised an array even for no points */
        for (size_t i = 0; i < n; i++)
            if (pts[i].arm >= n_arms || pts[i].epoch == 0 ||
                pts[i].epoch > EXPERIMENT_MAX_EPOCHS)
                abort(); /* the reader promised to refuse these */
        curves_sort(pts, n);
        free(pts);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_on_file(data, size, check);
}
