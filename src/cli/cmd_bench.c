/* sublim bench: how fast, on this machine, measured in one run.
 *
 * 1. every training kernel shape: tuned vs reference GFLOP/s and their
 *    largest difference, against the FMA peak measured here and now;
 * 2. end to end, at 1 thread and at --threads (default: online cores):
 *    the teacher alone (5 epochs) and one full seed of the default
 *    experiment (all arms, with the per-epoch test curves `sublim
 *    experiment` measures by default), with their effective GFLOP/s, share
 *    of the measured peak and the speed-up;
 * 3. the peak resident memory of those end-to-end runs.
 * Figures are ratios within this one run: the machines here are noisy, so
 * the peak is measured again after the runs, and a drop (another process
 * took a core) is reported next to the figures it spoils. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include "bench/bench_kernels.h"
#include "cli/commands.h"
#include "run/experiment.h"
#include "nn/idx.h"
#include "nn/kernels.h"
#include "bench/peak.h"
#include "run/train.h"

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

/* The per-epoch test evaluation, as `sublim experiment` makes it by default:
 * experiment_run evaluates when cfg->curves is set and someone listens. */
static void ignore_epoch(void *ctx, uint64_t seed, size_t arm, size_t epoch, double loss,
                         double test_acc)
{
    (void)ctx, (void)seed, (void)arm, (void)epoch, (void)loss, (void)test_acc;
}

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

    size_t n_arms, n_students = 0;
    const arm_spec *arms = experiment_arms(&n_arms);
    for (size_t a = 0; a < n_arms; a++)
        n_students += arms[a].training == ARM_STUDENT;
    arm_result *rows = calloc(n_arms, sizeof *rows);
    if (!rows)
        return err_set(e, "out of memory");
    experiment_hooks hooks = {.on_epoch = ignore_epoch};
    start = cmd_now_seconds();
    rc = experiment_run(cfg, train, test, p, &hooks, rows, e);
    t->seed_s = cmd_now_seconds() - start;
    free(rows);
    /* Teacher and students trained; the teacher's logits on the noise; every
     * arm evaluated at the end, and with curves every trained one after every
     * epoch instead (the last of which is its final evaluation). */
    double n_noise = (double)(cfg->n_noise ? cfg->n_noise : train->n);
    double evals = (double)n_arms;
    if (cfg->curves) {
        size_t t_evals = cfg->teacher_epochs ? cfg->teacher_epochs : 1;
        size_t s_evals = cfg->student_epochs ? cfg->student_epochs : 1;
        evals += (double)(t_evals - 1) + (double)(n_students * (s_evals - 1));
    }
    t->seed_flop = t->teacher_flop +
                   (double)n_students * train_flops_per_example(&s) * n_noise *
                       (double)cfg->student_epochs +
                   forward_flops_per_example(&s) * (n_noise + evals * (double)test->n);
    return rc;
}

/* Peak resident memory from here on, where Linux can restart the count
 * (writing 5 to clear_refs resets VmHWM); 0 where it cannot. */
static int rss_restart(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (!f)
        return 0;
    int ok = fputs("5", f) >= 0;
    return fclose(f) == 0 && ok;
}

/* Peak resident memory in MB: since rss_restart when it worked, else of
 * the whole process. */
static double rss_peak_mb(int restarted)
{
    FILE *f = restarted ? fopen("/proc/self/status", "r") : NULL;
    if (f) {
        char line[256];
        double kb = -1;
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "VmHWM: %lf kB", &kb) == 1)
                break;
        fclose(f);
        if (kb >= 0)
            return kb / 1024;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024;
}

int cmd_bench(int argc, char **argv)
{
    experiment_config cfg = experiment_defaults();
    cfg.seeds = 1;  /* time_end_to_end times exactly one seed */
    cfg.curves = 1; /* as `sublim experiment` without --no-curves */
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
#ifdef __GLIBC__
        /* The kernel table allocated and freed large buffers, which makes
         * glibc raise its mmap threshold and serve later large blocks from
         * the heap, where freed ones stay resident: the peak would then count
         * the bench's own churn.  A fixed threshold keeps large blocks
         * mmapped, as in a fresh `sublim experiment`. */
        mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
        int restarted = rss_restart();
        double peak1 = peak_gflops(), peakn = peak_gflops_pool(p);
        e2e_times t1, tn;
        printf("\nend to end (default experiment, seed %" PRIu64 "):\n", cfg.seed_start);
        if (time_end_to_end(&cfg, &train, &test, one, &t1, &e) ||
            time_end_to_end(&cfg, &train, &test, p, &tn, &e)) {
            fprintf(stderr, "sublim bench: %s\n", e.msg);
            rc = 1;
        } else {
            double rss = rss_peak_mb(restarted);
            double peak1_after = peak_gflops(), peakn_after = peak_gflops_pool(p);
            printf("  %-22s %9s %9s %8s %8s %9s\n", "", "1 thread", "N threads", "GFLOP/s",
                   "%peak", "speed-up");
            printf("  %-22s %8.2fs %8.2fs %8.1f %7.1f%% %8.2fx\n", "teacher (5 epochs)",
                   t1.teacher_s, tn.teacher_s, tn.teacher_flop / tn.teacher_s * 1e-9,
                   100 * tn.teacher_flop / tn.teacher_s * 1e-9 / peakn, t1.teacher_s / tn.teacher_s);
            printf("  %-22s %8.2fs %8.2fs %8.1f %7.1f%% %8.2fx\n", "one seed (all arms)",
                   t1.seed_s, tn.seed_s, tn.seed_flop / tn.seed_s * 1e-9,
                   100 * tn.seed_flop / tn.seed_s * 1e-9 / peakn, t1.seed_s / tn.seed_s);
            printf("  (N = %zu; %.2f TFLOP per seed, curves included; measured FMA peak"
                   " %.1f GFLOP/s on 1 thread, %.1f on N before the runs, %.1f and %.1f after)\n",
                   n_threads, tn.seed_flop * 1e-12, peak1, peakn, peak1_after, peakn_after);
            printf("  100 seeds at this speed: %.1f minutes\n", 100 * tn.seed_s / 60);
            /* Two cores free give about twice one core's peak; much less means
             * another process held a core at some point, and the figures
             * above measure the machine's load as much as sublim. */
            double lo = peakn < peakn_after ? peakn : peakn_after;
            double hi1 = peak1 > peak1_after ? peak1 : peak1_after;
            if (n_threads > 1 && lo < 0.85 * (double)n_threads * hi1 &&
                n_threads <= pool_online_cores())
                printf("  warning: the %zu-thread peak was %.0f%% of %zu times the 1-thread"
                       " peak: the machine was busy, so these times are not representative\n",
                       n_threads, 100 * lo / ((double)n_threads * hi1), n_threads);
            printf("\npeak resident memory of the end-to-end runs: %.1f MB%s\n", rss,
                   restarted ? "" : " (of the whole bench process)");
        }
        dataset_free(&train);
        dataset_free(&test);
    }
    pool_free(p);
    pool_free(one);
    return rc;
}
