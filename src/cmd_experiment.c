/* sublim experiment: the paper's MNIST experiment over seeds. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "atomic.h"
#include "commands.h"
#include "experiment.h"
#include "idx.h"
#include "kernels.h"
#include "results.h"

/* ---- what the user sees while it runs ---- */

typedef struct {
    const experiment_config *cfg;
    double start;
    arm_result *rows;
    size_t n_done;
    char csv_path[4096];
} run_view;

static void show_epoch(void *ctx, uint64_t seed, size_t arm, size_t epoch, double loss,
                       double test_acc)
{
    const run_view *v = ctx;
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    fprintf(stderr, "[%7.1fs] seed %" PRIu64 " %-18s epoch %zu loss %.5f", cmd_now_seconds() - v->start,
            seed, arms[arm].name, epoch + 1, loss);
    if (!isnan(test_acc))
        fprintf(stderr, " test acc %.4f", test_acc);
    fputc('\n', stderr);
}

/* Rewrites results.csv after every seed, so a killed run keeps what it did. */
static int save_seed(void *ctx, const arm_result *seed_rows, size_t n, err *e)
{
    run_view *v = ctx;
    (void)seed_rows;
    v->n_done += n;
    return results_write_csv(v->csv_path, v->rows, v->n_done, e);
}

int cmd_experiment(int argc, char **argv)
{
    experiment_config cfg = experiment_defaults();
    int init = 0, noise = 0;
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
    };
    const size_t n_specs = sizeof specs / sizeof specs[0];
    int rc = cmd_parse_flags("experiment",
                           "usage: sublim experiment [flags]\n\n"
                           "Trains a teacher on MNIST and students on noise that imitate only\n"
                           "its auxiliary logits; reports test accuracy per arm over seeds.\n"
                           "Writes OUT/results.csv and OUT/summary.json.",
                           argc, argv, specs, n_specs);
    if (rc >= 0)
        return rc;
    cfg.init = init ? MLP_INIT_UNIFORM : MLP_INIT_NORMAL;
    cfg.noise = noise ? NOISE_NORMAL : NOISE_UNIFORM;

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
    size_t n_arms;
    experiment_arms(&n_arms);
    arm_result *rows = calloc(cfg.seeds * n_arms, sizeof *rows);
    pool *p = cmd_make_pool(cfg.threads);
    rc = 1;
    if (!rows || !p) {
        fprintf(stderr, "sublim: out of memory\n");
    } else if (ensure_dir(cfg.out_dir, &e)) {
        fprintf(stderr, "sublim: %s\n", e.msg);
    } else {
        double start = cmd_now_seconds();
        run_view view = {&cfg, start, rows, 0, ""};
        snprintf(view.csv_path, sizeof view.csv_path, "%s/results.csv", cfg.out_dir);
        experiment_hooks hooks = {.on_epoch = show_epoch, .on_seed = save_seed, .ctx = &view};
        fprintf(stderr, "sublim: %zu seed(s) from %" PRIu64 " on %zu thread(s), kernels %s\n",
                cfg.seeds, cfg.seed_start, pool_threads(p), kern_path_name());
        if (experiment_run(&cfg, &train, &test, p, &hooks, rows, &e) == 0) {
            arm_summary sum[16];
            results_summarize(rows, cfg.seeds * n_arms, sum);
            char path[4200];
            snprintf(path, sizeof path, "%s/summary.json", cfg.out_dir);
            double wall = cmd_now_seconds() - start;
            if (results_write_summary(path, &cfg, sum, pool_threads(p), kern_path_name(),
                                      wall, &e) == 0) {
                results_print_table(stdout, sum);
                printf("\n%zu seed(s) in %.1f s; results in %s/\n", cfg.seeds, wall,
                       cfg.out_dir);
                rc = 0;
            }
        }
        if (rc)
            fprintf(stderr, "sublim: %s\n", e.msg);
    }
    pool_free(p);
    free(rows);
    dataset_free(&train);
    dataset_free(&test);
    return rc;
}

