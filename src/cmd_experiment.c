/* sublim experiment: the paper's MNIST experiment over seeds. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "atomic.h"
#include "commands.h"
#include "experiment.h"
#include "idx.h"
#include "kernels.h"
#include "progress.h"
#include "report.h"
#include "results.h"

/* ---- what the user sees while it runs, and what is saved per seed ---- */

typedef struct {
    const experiment_config *cfg;
    progress prog;
    arm_result *rows;
    size_t n_done;
    curve_point *curves;   /* [seeds × trained-arm epochs], allocated up front */
    size_t n_curves, cap_curves;
    char csv_path[4200], curves_path[4200];
} run_view;

static void on_batch(void *ctx, uint64_t seed, const char *phase, size_t epoch,
                     size_t n_epochs, size_t batch, size_t n_batches, double loss)
{
    run_view *v = ctx;
    progress_batch(&v->prog, cmd_now_seconds(), seed, phase, epoch, n_epochs, batch, n_batches,
                   loss);
}

static void on_epoch(void *ctx, uint64_t seed, size_t arm, size_t epoch, double loss,
                     double test_acc)
{
    run_view *v = ctx;
    if (v->cfg->curves && v->n_curves < v->cap_curves)
        v->curves[v->n_curves++] = (curve_point){seed, arm, epoch + 1, loss, test_acc};
    progress_epoch(&v->prog, cmd_now_seconds(), seed, arm, epoch, loss, test_acc);
}

/* Rewrites results.csv (and curves.csv) after every seed, so a killed run
 * keeps what it did. */
static int save_seed(void *ctx, const arm_result *seed_rows, size_t n, err *e)
{
    run_view *v = ctx;
    v->n_done += n;
    progress_seed(&v->prog, cmd_now_seconds(), seed_rows, n);
    if (v->cfg->curves) {
        report_curves_sort(v->curves, v->n_curves);
        if (report_curves_write(v->curves_path, v->curves, v->n_curves, e))
            return -1;
    }
    return results_write_csv(v->csv_path, v->rows, v->n_done, e);
}

/* Removes dir/name unless it is absent. */
static int remove_stale(const char *dir, const char *name, err *e)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (unlink(path) != 0 && errno != ENOENT)
        return err_set(e, "%s: cannot remove the previous run's file: %s", path,
                       strerror(errno));
    return 0;
}

int cmd_experiment(int argc, char **argv)
{
    experiment_config cfg = experiment_defaults();
    int init = 0, noise = 0, quiet = 0, no_curves = 0;
    const flag_spec specs[] = {
        {"seeds", FLAG_SIZE, &cfg.seeds, 1, 100000, NULL, "independent replicates"},
        {"seed-start", FLAG_U64, &cfg.seed_start, 0, 1e15, NULL, "first seed"},
        {"epochs", FLAG_SIZE, &cfg.teacher_epochs, 0, 1000, NULL, "teacher epochs"},
        {"student-epochs", FLAG_SIZE, &cfg.student_epochs, 0, 1000, NULL, "student epochs"},
        {"m", FLAG_SIZE, &cfg.m, 1, 1000, NULL, "auxiliary logits"},
        {"width", FLAG_SIZE, &cfg.width, 1, 65536, NULL, "hidden units per layer"},
        {"lr", FLAG_DOUBLE, &cfg.lr, 1e-12, 1e6, NULL, "Adam learning rate"},
        {"batch", FLAG_SIZE, &cfg.batch, 1, 65536, NULL, "batch size"},
        {"init", FLAG_CHOICE, &init, 0, 0, CMD_INIT_CHOICES, "weight init"},
        {"noise", FLAG_CHOICE, &noise, 0, 0, CMD_NOISE_CHOICES, "students' input noise"},
        {"noise-images", FLAG_SIZE, &cfg.n_noise, 0, 10000000, NULL,
         "noise images per seed (0: as many as training digits)"},
        {"threads", FLAG_SIZE, &cfg.threads, 0, 256, NULL, "threads (0: online cores)"},
        {"data", FLAG_STRING, &cfg.data_dir, 0, 0, NULL, "folder with the unpacked MNIST files"},
        {"out", FLAG_STRING, &cfg.out_dir, 0, 0, NULL, "output folder"},
        {"no-curves", FLAG_SWITCH, &no_curves, 0, 0, NULL,
         "skip the test evaluation after every epoch (no curves.csv, curves.svg)"},
        {"quiet", FLAG_SWITCH, &quiet, 0, 0, NULL, "print only the final table"},
    };
    const size_t n_specs = sizeof specs / sizeof specs[0];
    int rc = cmd_parse_flags("experiment",
                           "usage: sublim experiment [flags]\n\n"
                           "Trains a teacher on MNIST and students on noise that imitate only\n"
                           "its auxiliary logits; reports test accuracy per arm over seeds.\n"
                           "Writes OUT/results.csv, config.txt, run.txt, curves.csv,\n"
                           "summary.json, figure.svg, curves.svg and report.md.",
                           argc, argv, specs, n_specs);
    if (rc >= 0)
        return rc;
    cfg.init = init ? MLP_INIT_UNIFORM : MLP_INIT_NORMAL;
    cfg.noise = noise ? NOISE_NORMAL : NOISE_UNIFORM;
    /* Curves by default: one test evaluation per epoch per trained arm
     * costs about 4% of the run (measured: see report.h). */
    cfg.curves = !no_curves;

    err e;
    dataset train, test;
    if (dataset_load(&train, cfg.data_dir, "train", EXPERIMENT_CLASSES, &e)) {
        fprintf(stderr, "sublim: %s\n(run 'make data' to fetch and verify MNIST)\n", e.msg);
        return 1;
    }
    if (dataset_load(&test, cfg.data_dir, "t10k", EXPERIMENT_CLASSES, &e)) {
        fprintf(stderr, "sublim: %s\n(run 'make data' to fetch and verify MNIST)\n", e.msg);
        dataset_free(&train);
        return 1;
    }
    size_t n_arms, n_trained = 0;
    const arm_spec *arms = experiment_arms(&n_arms);
    for (size_t a = 0; a < n_arms; a++)
        n_trained += arms[a].training == ARM_TEACHER   ? cfg.teacher_epochs
                     : arms[a].training == ARM_STUDENT ? cfg.student_epochs
                                                       : 0;
    size_t n_noise = cfg.n_noise ? cfg.n_noise : train.n;
    arm_result *rows = calloc(cfg.seeds * n_arms, sizeof *rows);
    size_t cap_curves = cfg.curves ? cfg.seeds * n_trained : 0;
    curve_point *curves = malloc((cap_curves ? cap_curves : 1) * sizeof *curves);
    pool *p = cmd_make_pool(cfg.threads);
    report_kvs config, run;
    char path[4200];
    rc = 1;
    if (!rows || !curves || !p) {
        fprintf(stderr, "sublim: out of memory\n");
    } else if (ensure_dir(cfg.out_dir, &e)) {
        fprintf(stderr, "sublim: %s\n", e.msg);
    } else {
        double start = cmd_now_seconds();
        run_view view = {.cfg = &cfg, .rows = rows, .curves = curves, .cap_curves = cap_curves};
        progress_init(&view.prog, stderr,
                      quiet                 ? PROGRESS_QUIET
                      : isatty(STDERR_FILENO) ? PROGRESS_TERMINAL
                                            : PROGRESS_LINES,
                      &cfg, train.n, n_noise, start);
        snprintf(view.csv_path, sizeof view.csv_path, "%s/results.csv", cfg.out_dir);
        snprintf(view.curves_path, sizeof view.curves_path, "%s/curves.csv", cfg.out_dir);
        experiment_hooks hooks = {.on_batch = on_batch, .on_epoch = on_epoch, .on_seed = save_seed,
                                 .ctx = &view};
        /* A folder holds one run: a previous run's rows are removed before
         * config.txt and run.txt are rewritten for this one, so the files
         * never describe different runs. */
        report_config_make(&config, &cfg, cfg.data_dir);
        char *cmdline[1024];
        int n_cmd = 0;
        cmdline[n_cmd++] = "sublim";
        cmdline[n_cmd++] = "experiment";
        for (int i = 0; i < argc && n_cmd < 1024; i++)
            cmdline[n_cmd++] = argv[i];
        report_run_make(&run, n_cmd, cmdline, &cfg, pool_threads(p), kern_path_name());
        snprintf(path, sizeof path, "%s/run.txt", cfg.out_dir);
        int ok = remove_stale(cfg.out_dir, "results.csv", &e) == 0 &&
                 remove_stale(cfg.out_dir, "curves.csv", &e) == 0 &&
                 remove_stale(cfg.out_dir, "summary.json", &e) == 0 &&
                 report_runs_write(path, &run, 1, &e) == 0;
        snprintf(path, sizeof path, "%s/config.txt", cfg.out_dir);
        ok = ok && report_config_write(path, &config, &e) == 0;
        if (ok && !quiet)
            fprintf(stderr, "sublim: %zu seed(s) from %" PRIu64 " on %zu thread(s), kernels %s\n",
                    cfg.seeds, cfg.seed_start, pool_threads(p), kern_path_name());
        if (ok && experiment_run(&cfg, &train, &test, p, &hooks, rows, &e) == 0) {
            progress_end(&view.prog);
            arm_summary sum[16];
            results_summarize(rows, cfg.seeds * n_arms, sum);
            double wall = cmd_now_seconds() - start;
            report_run_finish(&run, wall, "finished");
            char summary[4200];
            snprintf(path, sizeof path, "%s/run.txt", cfg.out_dir);
            snprintf(summary, sizeof summary, "%s/summary.json", cfg.out_dir);
            /* figure.svg, curves.svg and report.md from the files just
             * written, exactly as `sublim report` regenerates them. */
            if (report_runs_write(path, &run, 1, &e) == 0 &&
                results_write_summary(summary, &cfg, sum, pool_threads(p), kern_path_name(),
                                      wall, &e) == 0 &&
                report_regenerate(cfg.out_dir, &e) == 0) {
                results_print_table(stdout, sum);
                if (!quiet) {
                    printf("\n%zu seed(s) in %.1f s; results in %s/\n", cfg.seeds, wall,
                           cfg.out_dir);
                    printf("figure: %s/figure.svg\nreport: %s/report.md\n", cfg.out_dir,
                           cfg.out_dir);
                }
                rc = 0;
            }
        } else if (ok) {
            /* Say in run.txt that this run stopped; results.csv keeps its seeds. */
            err ignored;
            progress_end(&view.prog);
            report_run_finish(&run, cmd_now_seconds() - start, "failed");
            snprintf(path, sizeof path, "%s/run.txt", cfg.out_dir);
            report_runs_write(path, &run, 1, &ignored);
        }
        if (rc)
            fprintf(stderr, "sublim: %s\n", e.msg);
    }
    pool_free(p);
    free(rows);
    free(curves);
    dataset_free(&train);
    dataset_free(&test);
    return rc;
}
