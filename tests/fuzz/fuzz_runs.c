/* Fuzz target: the run.txt reader (used by report, merge and --resume). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzz_input.h"
#include "out/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    if (fuzz_to_file(data, size, path))
        return 0;
    err e;
    report_kvs *runs = NULL;
    size_t n = 0;
    if (report_runs_read(path, &runs, &n, &e) == 0) {
        for (size_t r = 0; r < n; r++) {
            if (runs[r].n > REPORT_MAX_KEYS)
                abort();
            for (size_t i = 0; i < runs[r].n; i++)
                if (!memchr(runs[r].kv[i].value, '\0', sizeof runs[r].kv[i].value))
                    abort();
            report_kvs_get(&runs[r], "status");
        }
        free(runs);
    }
    unlink(path);
    return 0;
}
