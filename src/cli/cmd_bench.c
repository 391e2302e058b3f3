/* sublim bench: how fast, on this machine, measured in one run: every
 * training kernel shape against the reference loops and the FMA peak
 * (bench/bench_kernels.h), then the teacher and one full seed at 1 and N
 * threads with the peak memory, and every kernel path this CPU has against
 * the others (bench/bench.h). */
#include <stddef.h>
#include <stdio.h>
#include "bench/bench.h"
#include "bench/bench_kernels.h"
#include "cli/commands.h"
#include "nn/kernels.h"

typedef struct {
    int kernels_only;
} own_flags;

static const setting OWN_FLAGS[] = {
    {"kernels_only", SETTING_SWITCH, offsetof(own_flags, kernels_only), NULL, 0, 0, NULL,
     "only the kernel table", 0},
};

int cmd_bench(int argc, char **argv)
{
    cmd_run_flags rf = cmd_run_defaults();
    own_flags own = {0};
    size_t n_run;
    const setting *run_settings = cmd_run_settings(&n_run);
    /* --threads and --data: the bench writes no result folder. */
    const flag_table tables[] = {{run_settings, 2, &rf}, {OWN_FLAGS, 1, &own}};
    int rc = cmd_parse_flags("bench",
                             "usage: sublim bench [flags]\n\n"
                             "Measures the kernels against the reference loops and the machine's\n"
                             "FMA peak, then the teacher and one full seed at 1 and N threads,\n"
                             "then every kernel path this CPU has on one thread.",
                             argc, argv, tables, 2);
    if (rc >= 0)
        return rc;
    (void)n_run;
    cmd_find_data(&rf, DATASET_MNIST);
    pool *p = cmd_make_pool(rf.threads);
    pool *one = p ? cmd_make_pool(1) : NULL;
    if (!one) {
        pool_free(p);
        return 1;
    }
    printf("kernels: %s, %zu thread(s)\n\n", kern_path_name(), pool_threads(p));
    rc = bench_kernels(p, stdout) ? 1 : 0;
    dataset train, test;
    if (rc == 0 && !own.kernels_only) {
        err e;
        if (cmd_load_data(&rf, &train, &test)) {
            rc = 1;
        } else {
            if (bench_end_to_end(p, one, &train, &test, stdout, &e) ||
                bench_paths(&train, stdout, &e)) {
                fprintf(stderr, "sublim bench: %s\n", e.msg);
                rc = 1;
            }
            dataset_free(&train);
            dataset_free(&test);
        }
    }
    pool_free(p);
    pool_free(one);
    return rc;
}
