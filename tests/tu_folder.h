/* Result folders for the tests of what reads and writes them (test_report.c,
 * test_merge.c, test_figures.c, test_folder.c, test_record.c), synthetic:
 * no MNIST, no training.
 *  - tu_data_read: the data the synthetic folders say they were made from;
 *  - tu_snapshot: every file of one experiment's, to compare;
 *  - tu_make_folder: a folder as `sublim experiment` leaves it (results.csv,
 *    config.txt and, as asked, run.txt and curves.csv) for some seeds of a
 *    configuration such as tu_small_config's, each arm near the paper's
 *    value (tu_synthetic_acc) out of TU_TOTAL test images;
 *  - tu_regenerate, tu_regenerate_ok: report_regenerate under the folder's
 *    lock, as `sublim report` does;
 *  - tu_hold_lock: another process holding a folder's lock (tu_hold);
 *  - tu_rows_twice: a results.csv text with its rows in it twice;
 *  - tu_damage_results: a folder's results.csv with a row twice, a
 *    test_acc that disagrees with its counts, or a seed short of a row. */
#ifndef SUBLIM_TU_FOLDER_H
#define SUBLIM_TU_FOLDER_H

#include "testutil.h"

#include <math.h>
#include <sys/stat.h>
#include "base/text.h"
#include "out/classes.h"
#include "out/config.h"
#include "out/curves.h"
#include "out/folder.h"
#include "out/report.h"
#include "out/results.h"
#include "out/runlog.h"
#include "run/experiment.h"

/* ---- a result folder as `sublim experiment` leaves it ---- */

/* Test images per synthetic row. */
#define TU_TOTAL 10000

/* Near the paper's value of each arm (0.5 for an arm the paper did not
 * run), moved a little per seed. */
static inline double tu_synthetic_acc(uint64_t seed, size_t arm)
{
    const arm_spec *arms = experiment_arms(&(size_t){0});
    double paper = isnan(arms[arm].paper_mean) ? 0.5 : arms[arm].paper_mean;
    return paper + 0.01 * (double)((int)((seed * 7 + arm * 3) % 5) - 2);
}

/* Triggers of the trait per synthetic row (held-out noise images). */
#define TU_TRAIT_TOTAL 1000

/* A synthetic trait rate per arm: the trait teacher has the trait, the
 * same-init student of the trait teacher some of it, the others little;
 * moved a little per seed. */
static inline double tu_synthetic_trait(uint64_t seed, size_t arm)
{
    const arm_spec *arms = experiment_arms(&(size_t){0});
    double base = arms[arm].training == ARM_TRAIT_TEACHER ? 0.8
                  : arms[arm].imitates == ARM_IMITATES_TRAIT_TEACHER &&
                          arms[arm].start == ARM_FROM_SHARED_INIT
                      ? 0.3
                      : 0.1;
    return base + 0.01 * (double)((int)((seed * 3 + arm) % 5) - 2);
}

/* The defaults with width 64, 3 teacher and 3 student epochs. */
static inline experiment_config tu_small_config(void)
{
    experiment_config c = experiment_defaults();
    c.width = 64;
    c.teacher_epochs = 3;
    c.student_epochs = 3;
    return c;
}

/* tu_small_config with the trait prefer:3 (its arms run too). */
static inline experiment_config tu_trait_config(void)
{
    experiment_config c = tu_small_config();
    c.trait = (trait_spec){TRAIT_PREFER, 0, 3};
    return c;
}

/* The data every synthetic folder was made from (config.txt and run.txt
 * record it): the sums of no real data set. */
static inline const config_data *tu_data_read(void)
{
    static const config_data d = {
        "1111111111111111111111111111111111111111111111111111111111111111",
        "2222222222222222222222222222222222222222222222222222222222222222"};
    return &d;
}

/* What tu_make_folder writes besides results.csv and config.txt. */
enum {
    TU_RUN_TXT = 1,    /* run.txt: one finished run of 12.5 s, 2 threads */
    TU_CURVES_CSV = 2, /* curves.csv: every trained arm's epochs */
    TU_CLASSES_CSV = 4, /* classes.csv: each row's correct answers spread over the digits */
    TU_ALIGNMENT_CSV = 8, /* alignment.csv: each student's step 0 and epoch ends */
    TU_ALL_FILES = TU_RUN_TXT | TU_CURVES_CSV | TU_CLASSES_CSV | TU_ALIGNMENT_CSV,
};

/* r's counts per digit (classes.csv) as a run would give them: TU_TOTAL
 * images, a tenth of each digit; its correct answers spread over the
 * digits' diagonal, the wrong ones answered as the next digit. */
static inline void tu_synthetic_classes(arm_result *r)
{
    size_t per = TU_TOTAL / EXPERIMENT_CLASSES;
    for (size_t d = 0; d < EXPERIMENT_CLASSES; d++) {
        size_t right = r->correct / EXPERIMENT_CLASSES + (d < r->correct % EXPERIMENT_CLASSES);
        for (size_t k = 0; k < EXPERIMENT_CLASSES; k++)
            r->classes[d * EXPERIMENT_CLASSES + k] =
                k == d ? (uint32_t)right
                       : k == (d + 1) % EXPERIMENT_CLASSES ? (uint32_t)(per - right) : 0;
    }
    r->has_classes = 1;
}

/* alignment.csv for seeds under cfg: each student of the teacher's shape
 * at step 0 (undefined) and at its epochs' ends (4 steps each), its
 * cosines growing with the epoch and falling with the arm's index. */
static inline void tu_write_alignment(const char *dir, const uint64_t *seeds, size_t n_seeds,
                                      const experiment_config *cfg)
{
    size_t which[EXPERIMENT_MAX_ARMS], n_arms = experiment_arms_run(cfg, which);
    const arm_spec *arms = experiment_arms(&(size_t){0});
    align_rows t = {0};
    err e;
    for (size_t s = 0; s < n_seeds; s++)
        for (size_t i = 0; i < n_arms; i++) {
            const arm_spec *arm = &arms[which[i]];
            if (arm->training != ARM_STUDENT || arm->start == ARM_FROM_OWN_INIT ||
                arm->start == ARM_FROM_EMBEDDED_INIT)
                continue;
            for (size_t ep = 0; ep <= cfg->student_epochs; ep++)
                for (size_t p = 0; p <= cfg->hidden_layers + 1; p++) {
                    double c = ep ? 0.1 * (double)ep / (double)(which[i] + p + 1) : NAN;
                    align_row r = {seeds[s], which[i], ep, 4 * ep, p, c, c / 2, ep ? 4 : 0};
                    assert_int_equal(align_rows_add(&t, &r, &e), 0);
                }
        }
    align_rows_sort(t.rows, t.n);
    assert_int_equal(align_csv_write(tu_path(dir, FOLDER_ALIGNMENT), t.rows, t.n, &e), 0);
    align_rows_free(&t);
}

/* Makes dir (one level, when missing) and writes results.csv, config.txt
 * and what files (TU_RUN_TXT, TU_CURVES_CSV, ...) says for seeds under cfg:
 * every arm cfg runs ok at tu_synthetic_acc, final loss 0.01 (a + 1) when
 * trained, with a trait its trait rate at tu_synthetic_trait; the curves
 * rising to that accuracy over the arm's epochs. */
static inline void tu_make_folder(const char *dir, const uint64_t *seeds, size_t n_seeds,
                                  const experiment_config *cfg, int files)
{
    size_t which[EXPERIMENT_MAX_ARMS], n_arms = experiment_arms_run(cfg, which), n_pts = 0;
    const arm_spec *arms = experiment_arms(&(size_t){0});
    size_t max_epochs = cfg->teacher_epochs + cfg->student_epochs + cfg->trait_epochs;
    arm_result *rows = calloc(n_seeds * n_arms, sizeof *rows);
    curve_point *pts = calloc(n_seeds * n_arms * max_epochs + 1, sizeof *pts);
    assert_non_null(rows);
    assert_non_null(pts);
    for (size_t s = 0; s < n_seeds; s++)
        for (size_t i = 0; i < n_arms; i++) {
            size_t a = which[i];
            double acc = tu_synthetic_acc(seeds[s], a);
            size_t epochs = experiment_arm_epochs(cfg, &arms[a]);
            rows[s * n_arms + i] = (arm_result){
                .seed = seeds[s], .arm = a, .ok = 1, .total = TU_TOTAL,
                .correct = (size_t)lround(acc * TU_TOTAL),
                .final_loss = epochs ? 0.01 * (double)(a + 1) : 0};
            if (cfg->trait.kind != TRAIT_NONE) {
                double rate = tu_synthetic_trait(seeds[s], a);
                rows[s * n_arms + i].has_trait = 1;
                rows[s * n_arms + i].trait = (trait_counts){
                    (size_t)lround(rate * TU_TRAIT_TOTAL), TU_TRAIT_TOTAL,
                    (size_t)lround((0.1 + 0.1 * rate) * TU_TOTAL)};
            }
            if (files & TU_CLASSES_CSV)
                tu_synthetic_classes(&rows[s * n_arms + i]);
            for (size_t ep = 1; ep <= epochs; ep++)
                pts[n_pts++] = (curve_point){seeds[s], a, ep, 1.0 / (double)(ep * (a + 1)),
                                             acc * (double)ep / (double)epochs};
        }
    err e;
    mkdir(dir, 0755);
    assert_int_equal(results_write_csv(tu_path(dir, FOLDER_RESULTS), rows, n_seeds * n_arms, &e),
                     0);
    kv_list config, run;
    assert_int_equal(config_make(&config, cfg, tu_data_read(), "/nonexistent", &e), 0);
    assert_int_equal(config_write(tu_path(dir, FOLDER_CONFIG), &config, &e), 0);
    if (files & TU_RUN_TXT) {
        char seed_text[256];
        text_seed_ranges(seed_text, sizeof seed_text, seeds, n_seeds);
        char *argv[] = {"sublim", "experiment", "--width", "64"};
        runlog_make(&run, 4, argv, "/nonexistent", seed_text, 2, "generic");
        config_data_set(&run, tu_data_read());
        runlog_finish(&run, 12.5, "finished");
        assert_int_equal(runlog_write(tu_path(dir, FOLDER_RUNS), &run, 1, &e), 0);
    }
    if (files & TU_CLASSES_CSV)
        assert_int_equal(classes_write(tu_path(dir, FOLDER_CLASSES), rows, n_seeds * n_arms, &e),
                         0);
    if (files & TU_CURVES_CSV) {
        curves_sort(pts, n_pts);
        assert_int_equal(curves_write(tu_path(dir, FOLDER_CURVES), pts, n_pts, &e), 0);
    }
    if (files & TU_ALIGNMENT_CSV)
        tu_write_alignment(dir, seeds, n_seeds, cfg);
    free(rows);
    free(pts);
}

/* Every file of one experiment in dir (FOLDER_RUN_FILES), each after its
 * name, in one string (a snapshot to compare; a file a synthetic folder
 * lacks, such as samples.pgm, as "(absent)").  free() it. */
static inline char *tu_snapshot(const char *dir)
{
    const char *names[] = {FOLDER_RUN_FILES};
    size_t cap = 1, used = 0;
    char *all = calloc(1, 1);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *text = access(tu_path(dir, names[i]), F_OK) == 0
                         ? tu_slurp(tu_path(dir, names[i]), NULL)
                         : strdup("(absent)");
        cap += strlen(names[i]) + strlen(text) + 2;
        all = realloc(all, cap);
        assert_non_null(all);
        used += (size_t)sprintf(all + used, "%s\n%s\n", names[i], text);
        free(text);
    }
    return all;
}

/* ---- report.md and the other derived files ---- */

/* report_regenerate on dir under its lock, as `sublim report` does. */
static inline int tu_regenerate(const char *dir, err *e)
{
    folder f;
    if (folder_open(&f, dir, 0, e))
        return -1;
    int rc = report_regenerate(&f, e);
    folder_close(&f);
    return rc;
}

/* tu_regenerate, expected to succeed. */
static inline void tu_regenerate_ok(const char *dir)
{
    err e;
    if (tu_regenerate(dir, &e))
        fail_msg("report of %s: %s", dir, e.msg);
}

/* ---- another process holding a folder's lock ---- */

/* How the holder opens the folder. */
typedef enum {
    TU_LOCK_READ,   /* folder_open_read: a reader */
    TU_LOCK_WRITE,  /* folder_open, the folder already there: a writer */
    TU_LOCK_CREATE, /* folder_open creating the folder when missing: a writer */
} tu_lock_mode;

typedef struct {
    const char *dir;
    tu_lock_mode mode;
} tu_folder_opening;

static inline int tu_open_folder(const void *arg)
{
    const tu_folder_opening *o = arg;
    folder f;
    err e;
    return o->mode == TU_LOCK_READ ? folder_open_read(&f, o->dir, &e)
                                   : folder_open(&f, o->dir, o->mode == TU_LOCK_CREATE, &e);
}

/* A child process that opens dir as mode says and holds it until
 * tu_release_lock; fails unless it could open it. */
static inline tu_lock_holder tu_hold_lock(const char *dir, tu_lock_mode mode)
{
    tu_folder_opening o = {dir, mode};
    return tu_hold(tu_open_folder, &o, dir);
}

/* ---- damaged files ---- */

/* csv (a header line, then rows) with its rows appended again: every row
 * twice.  free() it. */
static inline char *tu_rows_twice(const char *csv)
{
    size_t n = strlen(csv);
    const char *row1 = strchr(csv, '\n') + 1;
    char *twice = malloc(n + strlen(row1) + 1);
    assert_non_null(twice);
    strcpy(twice, csv);
    strcat(twice, row1);
    return twice;
}

/* How tu_damage_results damages a results.csv. */
typedef enum {
    TU_ROW_TWICE,      /* its first row again at the end */
    TU_ACC_EDITED,     /* the first row's test_acc made 1.000000 */
    TU_SEED_SHORT,     /* its last row removed */
} tu_damage;

/* Damages dir's results.csv (the header, then at least one ok row below
 * 100%) as damage says; returns the line damaged (the new row, the edited
 * row, the first row of the seed that lost its last one). */
static inline size_t tu_damage_results(const char *dir, tu_damage damage)
{
    const char *path = tu_path(dir, FOLDER_RESULTS);
    char *csv = tu_slurp(path, NULL), *out = malloc(2 * strlen(csv) + 16);
    assert_non_null(out);
    char *row1 = strchr(csv, '\n') + 1, *row1_end = strchr(row1, '\n') + 1;
    size_t rows = tu_count(csv, "\n") - 1, line = 2;
    if (damage == TU_ROW_TWICE) {
        sprintf(out, "%s%.*s", csv, (int)(row1_end - row1), row1);
        line = rows + 2;
    } else if (damage == TU_ACC_EDITED) {
        char *acc = strchr(strchr(row1, ',') + 1, ',') + 1;
        sprintf(out, "%.*s1.000000%s", (int)(acc - csv), csv, strchr(acc, ','));
    } else {
        size_t n = strlen(csv) - 1;
        while (csv[n - 1] != '\n')
            n--;
        sprintf(out, "%.*s", (int)n, csv);
        const char *last = csv + n; /* the removed row: its seed's first line */
        size_t seed_len = (size_t)(strchr(last, ',') - last) + 1;
        for (const char *p = row1; strncmp(p, last, seed_len) != 0; p = strchr(p, '\n') + 1)
            line++;
    }
    tu_write_file(path, out, strlen(out));
    free(out);
    free(csv);
    return line;
}

#endif
