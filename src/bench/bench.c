/* bench: how fast the whole experiment runs on this machine, end to end.
 *
 * At 1 thread and at all of a pool's threads: the teacher alone (5 epochs)
 * and one full seed of the default experiment (all arms, with the
 * per-epoch test curves `sublim experiment` measures by default), with
 * their effective GFLOP/s, share of the measured FMA peak and the
 * speed-up; then the peak resident memory of those runs.  Figures are
 * ratios within this one run: the machines here are noisy, so the peak is
 * measured again after the runs, and a drop (another process took a core)
 * is reported next to the figures it spoils. */
#include "bench/bench.h"
#include "bench/bench_align.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include "base/clock.h"
#include "base/memory.h"
#include "bench/bench_kernels.h"
#include "bench/peak.h"
#include "nn/kernels_path.h"
#include "nn/adam.h"
#include "run/experiment.h"
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

/* Times the teacher's training (cfg's epochs) on d, on pool p. */
static int time_teacher(const experiment_config *cfg, const dataset *d, pool *p,
                        double *seconds, double *flop, err *e)
{
    mlp_shape s;
    if (mlp_shape_make(&s, d->pixels, cfg->width, cfg->hidden_layers,
                       EXPERIMENT_CLASSES + cfg->m, e))
        return -1;
    trainer tr;
    if (trainer_init(&tr, &s, EXPERIMENT_CLASSES, cfg->batch, d->n, p, e))
        return -1;
    float *params = mlp_arena_new_f32(&s);
    adam opt;
    int rc = -1;
    if (!params || adam_init(&opt, mlp_n_params(&s), adam_defaults(cfg->lr), e)) {
        free(params);
        trainer_free(&tr);
        return params ? -1 : err_set(e, "out of memory");
    }
    mlp_init_params_f32(params, &s, cfg->init, cfg->seed_start, 0);
    double loss, start = clock_seconds();
    if (train_teacher(&tr, params, &opt, d, cfg->teacher_epochs, cfg->seed_start, NULL,
                      &loss, e) == 0) {
        *seconds = clock_seconds() - start;
        *flop = train_flops_per_example(&s) * (double)d->n * (double)cfg->teacher_epochs;
        rc = 0;
    }
    adam_free(&opt);
    free(params);
    trainer_free(&tr);
    return rc;
}

/* Times the teacher alone, then one whole seed, on pool p. */
static int time_end_to_end(const experiment_config *cfg, const dataset *train,
                           const dataset *test, pool *p, e2e_times *t, err *e)
{
    mlp_shape s;
    if (mlp_shape_make(&s, train->pixels, cfg->width, cfg->hidden_layers,
                       EXPERIMENT_CLASSES + cfg->m, e))
        return -1;
    int rc = time_teacher(cfg, train, p, &t->teacher_s, &t->teacher_flop, e);
    if (rc)
        return rc;

    size_t n_arms, n_students = 0;
    const arm_spec *arms = experiment_arms(&n_arms);
    for (size_t a = 0; a < n_arms; a++)
        n_students += arms[a].training == ARM_STUDENT;
    arm_result *rows = calloc(n_arms, sizeof *rows);
    if (!rows)
        return err_set(e, "out of memory");
    double start = clock_seconds();
    rc = experiment_run(cfg, train, test, p, NULL, rows, e);
    t->seed_s = clock_seconds() - start;
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

/* Peak resident memory in MB (2^20 bytes): since rss_restart when it
 * worked, else of the whole process (getrusage, in its units). */
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
    return (double)ru.ru_maxrss * MEMORY_MAXRSS_UNIT / (1024 * 1024);
}

/* The table of both runs, and a warning when the machine was busy. */
static void print_times(FILE *out, const e2e_times *t1, const e2e_times *tn, size_t n_threads,
                        const double peak_before[2], const double peak_after[2])
{
    double peakn = peak_before[1];
    fprintf(out, "  %-22s %9s %9s %8s %8s %9s\n", "", "1 thread", "N threads", "GFLOP/s",
            "%peak", "speed-up");
    fprintf(out, "  %-22s %8.2fs %8.2fs %8.1f %7.1f%% %8.2fx\n", "teacher (5 epochs)",
            t1->teacher_s, tn->teacher_s, tn->teacher_flop / tn->teacher_s * 1e-9,
            100 * tn->teacher_flop / tn->teacher_s * 1e-9 / peakn, t1->teacher_s / tn->teacher_s);
    fprintf(out, "  %-22s %8.2fs %8.2fs %8.1f %7.1f%% %8.2fx\n", "one seed (all arms)",
            t1->seed_s, tn->seed_s, tn->seed_flop / tn->seed_s * 1e-9,
            100 * tn->seed_flop / tn->seed_s * 1e-9 / peakn, t1->seed_s / tn->seed_s);
    fprintf(out, "  (N = %zu; %.2f TFLOP per seed, curves included; measured FMA peak %.1f "
                 "GFLOP/s on 1 thread, %.1f on N before the runs, %.1f and %.1f after)\n",
            n_threads, tn->seed_flop * 1e-12, peak_before[0], peakn, peak_after[0],
            peak_after[1]);
    fprintf(out, "  100 seeds at this speed: %.1f minutes\n", 100 * tn->seed_s / 60);
    /* Two cores free give about twice one core's peak; much less means
     * another process held a core at some point, and the figures above
     * measure the machine's load as much as sublim. */
    double lo = peakn < peak_after[1] ? peakn : peak_after[1];
    double hi1 = peak_before[0] > peak_after[0] ? peak_before[0] : peak_after[0];
    if (n_threads > 1 && lo < 0.85 * (double)n_threads * hi1 && n_threads <= pool_online_cores())
        fprintf(out, "  warning: the %zu-thread peak was %.0f%% of %zu times the 1-thread peak: "
                     "the machine was busy, so these times are not representative\n",
                n_threads, 100 * lo / ((double)n_threads * hi1), n_threads);
}

int bench_end_to_end(pool *p, pool *one, const dataset *train, const dataset *test, FILE *out,
                     err *e)
{
    experiment_config cfg = experiment_defaults();
    cfg.seeds = 1;  /* time_end_to_end times exactly one seed */
    cfg.curves = 1; /* as `sublim experiment` without --no-curves */
#ifdef __GLIBC__
    /* The kernel table allocated and freed large buffers, which makes glibc
     * raise its mmap threshold and serve later large blocks from the heap,
     * where freed ones stay resident: the peak would then count the bench's
     * own churn.  A fixed threshold keeps large blocks mmapped, as in a
     * fresh `sublim experiment`. */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
    int restarted = rss_restart();
    double before[2] = {peak_gflops(), peak_gflops_pool(p)};
    e2e_times t1, tn;
    fprintf(out, "\nend to end (default experiment, seed %" PRIu64 "):\n", cfg.seed_start);
    if (time_end_to_end(&cfg, train, test, one, &t1, e) ||
        time_end_to_end(&cfg, train, test, p, &tn, e))
        return -1;
    double rss = rss_peak_mb(restarted);
    double after[2] = {peak_gflops(), peak_gflops_pool(p)};
    print_times(out, &t1, &tn, pool_threads(p), before, after);
    if (bench_alignment(&cfg, train, t1.seed_s, tn.seed_s, out, e))
        return -1;
    fprintf(out, "\npeak resident memory of the end-to-end runs: %.1f MB%s\n", rss,
            restarted ? "" : " (of the whole bench process)");
    return 0;
}

/* Each path is chosen through SUBLIM_KERNELS, the kernels' one switch,
 * which is restored as it was afterwards. */
int bench_paths(const dataset *train, FILE *out, err *e)
{
    experiment_config cfg = experiment_defaults();
    cfg.teacher_epochs = 1;
    dataset part = *train; /* the first images: the same work on every path */
    if (part.n > BENCH_PATH_IMAGES)
        part.n = BENCH_PATH_IMAGES;
    const char *was = getenv("SUBLIM_KERNELS");
    char *saved = was ? strdup(was) : NULL;
    if (was && !saved)
        return err_set(e, "out of memory");
    double best = 0;
    double gflops[KERN_PATH_COUNT] = {0}, secs[KERN_PATH_COUNT] = {0};
    int rc = 0;
    for (int q = 0; q < (int)KERN_PATH_COUNT && rc == 0; q++) {
        if (!kern_path_supported((enum kern_path)q))
            continue;
        setenv("SUBLIM_KERNELS", kern_path_str((enum kern_path)q), 1);
        double flop;
        gflops[q] = bench_step_gflops();
        if (gflops[q] < 0)
            rc = err_set(e, "out of memory");
        else
            rc = time_teacher(&cfg, &part, NULL, &secs[q], &flop, e);
        if (rc == 0 && (best == 0 || secs[q] < best))
            best = secs[q];
    }
    if (saved)
        setenv("SUBLIM_KERNELS", saved, 1);
    else
        unsetenv("SUBLIM_KERNELS");
    free(saved);
    if (rc)
        return rc;
    fprintf(out, "\nevery kernel path this CPU has, 1 thread (the same bits on each):\n");
    fprintf(out, "  %-9s %16s %15s %7s\n", "path", "step products", "teacher epoch", "speed");
    for (int q = 0; q < (int)KERN_PATH_COUNT; q++)
        if (secs[q] > 0)
            fprintf(out, "  %-9s %8.1f GFLOP/s %13.2f s %6.2fx\n",
                    kern_path_str((enum kern_path)q), gflops[q], secs[q], best / secs[q]);
    fprintf(out, "  (a teacher epoch on the first %zu training images; speed: the fastest\n"
                 "  path's epoch time over this one's)\n", part.n);
    return 0;
}
