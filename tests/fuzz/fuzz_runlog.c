/* Fuzz target: the run.txt reader (used by report, merge and --resume),
 * and the totals summary.json takes from what it read. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzz_input.h"
#include "out/kv.h"
#include "out/runlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* run.txt at path through the reader, then the totals. */
static void check(const char *path)
{
    err e;
    kv_list *runs = NULL;
    size_t n = 0;
    if (runlog_read(path, &runs, &n, &e) == 0) {
        for (size_t r = 0; r < n; r++) {
            if (runs[r].n > KV_MAX_KEYS)
                abort();
            for (size_t i = 0; i < runs[r].n; i++)
                if (!memchr(runs[r].kv[i].key, '\0', sizeof runs[r].kv[i].key) ||
                    !memchr(runs[r].kv[i].value, '\0', sizeof runs[r].kv[i].value))
                    abort();
            kv_get(&runs[r], "status");
        }
        size_t threads;
        const char *kernels;
        double wall;
        runlog_totals(runs, n, &threads, &kernels, &wall);
        if (!kernels)
            abort();
        free(runs);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_on_file(data, size, check);
}
