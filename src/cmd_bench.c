/* sublim bench: how fast, on this machine, measured in one run.
 *
 * 1. every training kernel shape: tuned vs reference GFLOP/s and their
 *    largest difference, against the FMA peak measured here and now;
 * 2. end to end, at 1 thread and at --threads (default: online cores):
 *    the teacher alone (5 epochs) and one full seed (all arms), with their
 *    effective GFLOP/s, share of the measured peak and the speed-up;
 * 3. the process's peak resident memory.
 * Figures are ratios within this one run: the machines here are noisy. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include "bench_kernels.h"
#include "commands.h"
#include "experiment.h"
#include "idx.h"
#include "kernels.h"
#include "peak.h"
#include "train.h"

/* FLOPs of one training example through shape s (an FMA is 2): the forward
 * product, the weight gradient, and the input gradient of every layer but
 * the first (never computed). */
static double train_flops_per_example(const mlp_shape *s)
{
    double fwd = 0, input_grad = 0;
    for (size_t l = 1; l <= s->n_layers; l++) {
        double macs = (double)s->dims[l - 1] * (double)s->dims[l];
        fwd += macs;
        if (l > 1)
            input_grad += macs;
    }
    return 2 * (2 * fwd + input_grad);
}

static double forward_flops_per_example(const mlp_shape *s)
{
    double fwd = 0;
    for (size_t l = 1; l <= s->n_layers; l++)
        fwd += (double)s->dims[l - 1] * (double)s->dims[l];
    return 2 * fwd;
}

typedef struct {
    double teacher_s, seed_s;
    double teacher_flop, seed_flop;
} e2e_times;

/* Times the teacher alone, then one whole seed, on pool p. */
static int time_end_to_end(const experiment_config *cfg, const dataset *train,
                           const dataset *test, pool *p, e2e_times *t, err *e)
{
    mlp_shape s;
    if (mlp_shape_make(&s, train->pixels, cfg->width, cfg->hidden_layers,
                       EXPERIMENT_CLASSES + cfg->m, e))
        return -1;
    trainer tr;
    if (trainer_init(&tr, &s, EXPERIMENT_CLASSES, cfg->batch, train->n, p, e))
        return -1;
    float *params = mlp_arena_new_f32(&s);
    adam opt;
    int rc = -1;
    if (!params || adam_init(&opt, mlp_n_params(&s), (adam_config){cfg->lr, 0.9, 0.999, 1e-8}, e)) {
        free(params);
        trainer_free(&tr);
        return params ? -1 : err_set(e, "out of memory");
    }
    mlp_init_params_f32(params, &s, cfg->init, cfg->seed_start, 0);
    double loss, start = cmd_now_seconds();
    if (train_teacher(&tr, params, &opt, train, cfg->teacher_epochs, cfg->seed_start, NULL,
                      &loss, e) == 0) {
        t->teacher_s = cmd_now_seconds() - start;
        t->teacher_flop = train_flops_per_example(&s) * (double)train->n *
                          (double)cfg->teacher_epochs;
        rc = 0;
    }
    adam_free(&opt);
    free(params);
    trainer_free(&tr);
    if (rc)
        return rc;

    size_t n_arms;
    experiment_arms(&n_arms);
    arm_result *rows = calloc(n_arms, sizeof *rows);
    if (!rows)
        return err_set(e, "out of memory");
    start = cmd_now_seconds();
    rc = experiment_run(cfg, train, test, p, NULL, rows, e);
    t->seed_s = cmd_now_seconds() - start;
    free(rows);
    /* Teacher + 4 students trained; teacher logits on the noise; 6 evaluations. */
    double n_noise = (double)(cfg->n_noise ? cfg->n_noise : train->n);
    t->seed_flop = t->teacher_flop +
                   4 * train_flops_per_example(&s) * n_noise * (double)cfg->student_epochs +
                   forward_flops_per_example(&s) * (n_noise + (double)n_arms * (double)test->n);
    return rc;
}

int cmd_bench(int argc, char **argv)
{
    experiment_config cfg = experiment_defaults();
    cfg.seeds = 1; /* time_end_to_end times exactly one seed */
    size_t threads = 0;
    int kernels_only = 0;
    const flag_spec specs[] = {
        {"threads", FLAG_SIZE, &threads, 0, 256, NULL, "threads of the second run (0: online cores)"},
        {"kernels-only", FLAG_SWITCH, &kernels_only, 0, 0, NULL, "only the kernel table"},
        {"data", FLAG_STRING, &cfg.data_dir, 0, 0, NULL, "folder with the unpacked MNIST files"},
    };
    int rc = cmd_parse_flags("bench",
                             "usage: sublim bench [flags]\n\n"
                             "Measures the kernels against the reference loops and the machine's\n"
                             "FMA peak, then the teacher and one full seed at 1 and N threads.",
                             argc, argv, specs, sizeof specs / sizeof specs[0]);
    if (rc >= 0)
        return rc;
    size_t n_threads = threads ? threads : pool_online_cores();
    pool *p = cmd_make_pool(n_threads);
    pool *one = cmd_make_pool(1);
    if (!p || !one) {
        pool_free(p);
        pool_free(one);
        return 1;
    }
    printf("kernels: %s, %zu thread(s)\n\n", kern_path_name(), n_threads);
    rc = bench_kernels(p, stdout) ? 1 : 0;
    if (rc == 0 && !kernels_only) {
        err e;
        dataset train, test;
        if (dataset_load(&train, cfg.data_dir, "train", EXPERIMENT_CLASSES, &e) ||
            dataset_load(&test, cfg.data_dir, "t10k", EXPERIMENT_CLASSES, &e)) {
            fprintf(stderr, "sublim bench: %s\n(run 'make data' first)\n", e.msg);
            pool_free(p);
            pool_free(one);
            return 1;
        }
        double peak1 = peak_gflops(), peakn = peak_gflops_pool(p);
        e2e_times t1, tn;
        printf("\nend to end (default experiment, seed %" PRIu64 "):\n", cfg.seed_start);
        if (time_end_to_end(&cfg, &train, &test, one, &t1, &e) ||
            time_end_to_end(&cfg, &train, &test, p, &tn, &e)) {
            fprintf(stderr, "sublim bench: %s\n", e.msg);
            rc = 1;
        } else {
            printf("  %-22s %9s %9s %8s %8s %9s\n", "", "1 thread", "N threads", "GFLOP/s",
                   "%peak", "speed-up");
            printf("  %-22s %8.2fs %8.2fs %8.1f %7.1f%% %8.2fx\n", "teacher (5 epochs)",
                   t1.teacher_s, tn.teacher_s, tn.teacher_flop / tn.teacher_s * 1e-9,
                   100 * tn.teacher_flop / tn.teacher_s * 1e-9 / peakn, t1.teacher_s / tn.teacher_s);
            printf("  %-22s %8.2fs %8.2fs %8.1f %7.1f%% %8.2fx\n", "one seed (all arms)",
                   t1.seed_s, tn.seed_s, tn.seed_flop / tn.seed_s * 1e-9,
                   100 * tn.seed_flop / tn.seed_s * 1e-9 / peakn, t1.seed_s / tn.seed_s);
            printf("  (N = %zu; %.2f TFLOP per seed; measured FMA peak %.1f GFLOP/s on 1 thread,"
                   " %.1f on N)\n", n_threads, tn.seed_flop * 1e-12, peak1, peakn);
            printf("  100 seeds at this speed: %.1f minutes\n", 100 * tn.seed_s / 60);
        }
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        printf("\npeak resident memory: %.1f MB\n", (double)ru.ru_maxrss / 1024);
        dataset_free(&train);
        dataset_free(&test);
    }
    pool_free(p);
    pool_free(one);
    return rc;
}
