/* Fuzz target: the results.csv reader (used by report, merge and resume). */
#include <stdlib.h>
#include <unistd.h>
#include "fuzz_input.h"
#include "out/results.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    if (fuzz_to_file(data, size, path))
        return 0;
    err e;
    arm_result *rows = NULL;
    size_t n = 0;
    if (results_read_csv(path, &rows, &n, &e) == 0) {
        for (size_t i = 0; i < n; i++)
            if (rows[i].ok && rows[i].correct > rows[i].total)
                abort(); /* the reader promised to refuse this */
        arm_summary sum[16];
        results_summarize(rows, n, sum);
    }
    free(rows);
    unlink(path);
    return 0;
}
