/* Collecting a sweep (out/sweep.h): every task checked, each point's
 * seeds merged into an ordinary result folder, the tidy tables, the
 * views. */
#include "out/sweep.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "base/atomic.h"
#include "base/files.h"
#include "out/config.h"
#include "out/folder.h"
#include "out/kv.h"
#include "out/merge.h"
#include "out/sweep_view.h"

/* ---- the tasks of a point, checked ---- */

/* A task's config.txt must be its point's: every setting, and the data
 * read that the plan records.  (The data folder's published sums may
 * differ between machines; merge refuses a point whose tasks' differ.) */
static int check_task_config(const kv_list *have, const char *path, const experiment_config *cfg,
                             const kv_list *plan, const char *point, err *e)
{
    static const char *const data_keys[] = {CONFIG_DATA_READ_TRAIN, CONFIG_DATA_READ_TEST};
    size_t n;
    const setting *s = experiment_settings(&n);
    char want[448];
    for (size_t i = 0; i < n + 2; i++) {
        const char *key = i < n ? s[i].name : data_keys[i - n];
        if (i < n && (s[i].flags & SETTING_SEEDS))
            continue;
        int absent = i < n && !setting_is_recorded(&s[i], cfg); /* as config_make */
        if (i < n)
            setting_format(&s[i], cfg, want, sizeof want);
        else
            snprintf(want, sizeof want, "%s", kv_get(plan, key));
        const char *got = kv_get(have, key);
        if (absent ? got != NULL : !got || strcmp(got, want) != 0)
            return err_set(e, "%s: %s=%s, but the point %s of this sweep has %s=%s: the folder "
                              "of another run (remove it, or run the task again with --force)",
                           path, key, got ? got : "(none)", point, key, want);
    }
    return 0;
}

/* The rows of task folder dir (point name, seed) into rows (the arms cfg
 * runs, in table order), after checking that it holds exactly that seed
 * of that configuration. */
static int read_task(const char *dir, uint64_t seed, const experiment_config *cfg,
                     const kv_list *plan, const char *name, arm_result *rows, err *e)
{
    char path[FILES_PATH_MAX];
    size_t which[EXPERIMENT_MAX_ARMS], n_arms = experiment_arms_run(cfg, which);
    folder f;
    folder_content c;
    if (folder_open_read(&f, dir, e))
        return -1;
    int rc = folder_read(&f, &c, e);
    folder_close(&f);
    if (rc)
        return -1;
    if (!c.has_config)
        rc = err_set(e, "%s: no %s: its configuration is unknown", dir, FOLDER_CONFIG);
    else if (folder_path(&f, FOLDER_CONFIG, path, sizeof path, e) ||
             check_task_config(&c.config, path, cfg, plan, name, e))
        rc = -1;
    for (size_t i = 0; i < c.n_rows && rc == 0; i++) {
        if (c.rows[i].seed != seed)
            rc = err_set(e, "%s/%s holds seed %" PRIu64 ", not this task's seed %" PRIu64, dir,
                         FOLDER_RESULTS, c.rows[i].seed, seed);
        else /* whole seeds of the arms cfg runs, each once: folder_read */
            for (size_t k = 0; k < n_arms; k++)
                if (which[k] == c.rows[i].arm)
                    rows[k] = c.rows[i];
    }
    if (rc == 0 && c.n_rows != n_arms)
        rc = err_set(e, "%s/%s holds no row of seed %" PRIu64, dir, FOLDER_RESULTS, seed);
    folder_content_free(&c);
    return rc;
}

/* ---- a point ---- */

typedef struct {
    char **dirs;      /* [seeds] its task folders */
    size_t n_arms;    /* the arms the point runs */
    arm_result *rows; /* [seeds][n_arms] */
} point_tasks;

static void point_tasks_free(point_tasks *t, size_t seeds)
{
    for (size_t s = 0; t->dirs && s < seeds; s++)
        free(t->dirs[s]);
    free(t->dirs);
    free(t->rows);
}

/* Reads and checks the point's tasks, merges them into points/POINT and
 * summarizes them into r. */
static int collect_point(const char *dir, const sweep_plan *p, size_t point,
                         const kv_list *plan, point_tasks *t, sweep_point_result *r, err *e)
{
    size_t seeds = p->base.seeds;
    char name[1024], path[FILES_PATH_MAX], notes[1024];
    experiment_config cfg;
    sweep_point_name(p, point, name, sizeof name);
    sweep_point_config(p, point, &cfg);
    size_t n_arms = t->n_arms = experiment_arms_run(&cfg, NULL);
    t->dirs = calloc(seeds, sizeof *t->dirs);
    t->rows = calloc(seeds * n_arms, sizeof *t->rows);
    if (!t->dirs || !t->rows)
        return err_set(e, "out of memory for the %zu seeds of %s", seeds, name);
    for (size_t s = 0; s < seeds; s++) {
        if (sweep_task_dir(dir, p, point * seeds + s, path, sizeof path, e))
            return -1;
        if (!(t->dirs[s] = strdup(path)))
            return err_set(e, "out of memory");
        if (read_task(path, cfg.seed_start + s, &cfg, plan, name, t->rows + s * n_arms, e))
            return -1;
    }
    if (snprintf(path, sizeof path, "%s/%s/%s", dir, SWEEP_POINTS_DIR, name) >=
        (int)sizeof path)
        return err_set(e, "path too long: %s/%s/%s", dir, SWEEP_POINTS_DIR, name);
    if (merge_folders((const char *const *)t->dirs, seeds, path, 1, notes, sizeof notes, e))
        return -1;
    return results_summarize(t->rows, seeds * n_arms, r->sum, e);
}

/* ---- the tables ---- */

/* "point,m,width,REST": the point, each swept setting, then rest. */
static void write_header(FILE *f, const sweep_plan *p, const char *rest)
{
    fputs("point", f);
    for (size_t a = 0; a < p->n_axes; a++)
        fprintf(f, ",%s", p->axes[a].s->name);
    fprintf(f, ",%s\n", rest);
}

/* The point's columns and a comma: its name (quoted when it holds a
 * comma, as CSV wants), each swept setting's value. */
static void write_point(FILE *f, const sweep_plan *p, size_t point)
{
    char name[1024];
    sweep_point_name(p, point, name, sizeof name);
    fprintf(f, strchr(name, ',') ? "\"%s\"" : "%s", name);
    for (size_t a = 0; a < p->n_axes; a++)
        fprintf(f, ",%s", p->axes[a].values[sweep_value_index(p, point, a)]);
    fputc(',', f);
}

/* 1 when some point of p has a trait: its rows carry trait counts, and
 * sweep.csv and summary.csv get the trait's columns. */
static int sweep_has_trait(const sweep_plan *p)
{
    experiment_config cfg;
    for (size_t point = 0; point < sweep_n_points(p); point++)
        if (sweep_point_config(p, point, &cfg), cfg.trait.kind != TRAIT_NONE)
            return 1;
    return 0;
}

/* The point's rows of summary.csv; with_trait: the trait rate's mean and
 * CI after them (empty where the arm has no trait rate). */
static void write_summary_rows(FILE *f, const sweep_plan *p, size_t point,
                               const sweep_point_result *r, int with_trait)
{
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    experiment_config cfg;
    sweep_point_config(p, point, &cfg);
    for (size_t a = 0; a < n_arms; a++) {
        if (!experiment_arm_runs(&cfg, a))
            continue;
        const arm_summary *s = &r->sum[a];
        write_point(f, p, point);
        fprintf(f, "%s,%zu,", arms[a].name, s->acc.n);
        if (s->acc.n)
            fprintf(f, "%.6f,%.6f,%.6f,%.6f,%.6f", s->acc.mean, s->acc.sd, s->acc.ci95, s->min,
                    s->max);
        else
            fputs(",,,,", f);
        fprintf(f, ",%zu", s->failed);
        if (with_trait && s->trait.n)
            fprintf(f, ",%.6f,%.6f", s->trait.mean, s->trait.ci95);
        else if (with_trait)
            fputs(",,", f);
        fputc('\n', f);
    }
}

/* sweep.csv and summary.csv, point by point, with r filled on the way;
 * both files are replaced only when every point is collected. */
static int write_tables(const char *dir, const sweep_plan *p, const kv_list *plan,
                        sweep_point_result *r, err *e)
{
    char path[FILES_PATH_MAX];
    size_t seeds = p->base.seeds;
    atomic_file csv, summary;
    if (files_join(path, sizeof path, dir, SWEEP_CSV, e) || atomic_open(&csv, path, e))
        return -1;
    if (files_join(path, sizeof path, dir, SWEEP_SUMMARY_CSV, e) ||
        atomic_open(&summary, path, e)) {
        atomic_abort(&csv);
        return -1;
    }
    int rc = 0, trait = sweep_has_trait(p);
    write_header(csv.f, p, trait ? RESULTS_CSV_HEADER "," RESULTS_CSV_TRAIT_COLUMNS
                                 : RESULTS_CSV_HEADER);
    write_header(summary.f, p, trait ? "arm,n,mean,sd,ci95,min,max,failed,trait_mean,trait_ci95"
                                     : "arm,n,mean,sd,ci95,min,max,failed");
    for (size_t point = 0; point < sweep_n_points(p) && rc == 0; point++) {
        point_tasks t = {NULL, 0, NULL};
        rc = collect_point(dir, p, point, plan, &t, &r[point], e);
        for (size_t i = 0; rc == 0 && i < seeds * t.n_arms; i++) {
            write_point(csv.f, p, point);
            results_write_row(csv.f, &t.rows[i], trait);
        }
        if (rc == 0)
            write_summary_rows(summary.f, p, point, &r[point], trait);
        point_tasks_free(&t, seeds);
    }
    if (rc) {
        atomic_abort(&csv);
        atomic_abort(&summary);
        return -1;
    }
    if (atomic_commit(&csv, e)) {
        atomic_abort(&summary);
        return -1;
    }
    return atomic_commit(&summary, e);
}

/* The subliminal effect per point: the aux students' means and CIs from
 * the shared and the other init. */
static void print_effect(FILE *f, const sweep_plan *p, const sweep_point_result *r)
{
    const arm_spec *arms = experiment_arms(&(size_t){0});
    int shown[] = {experiment_arm_find(ARM_STUDENT, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_AUX, ARM_IMITATES_TEACHER),
                   experiment_arm_find(ARM_STUDENT, ARM_FROM_OTHER_INIT, ARM_OUTPUTS_AUX, ARM_IMITATES_TEACHER)};
    char name[1024];
    int width = 5;
    for (size_t point = 0; point < sweep_n_points(p); point++) {
        sweep_point_name(p, point, name, sizeof name);
        width = (int)strlen(name) > width ? (int)strlen(name) : width;
    }
    fprintf(f, "%-*s %5s %20s %20s\n", width, "point", "n", arms[shown[0]].name,
            arms[shown[1]].name);
    for (size_t point = 0; point < sweep_n_points(p); point++) {
        sweep_point_name(p, point, name, sizeof name);
        fprintf(f, "%-*s %5zu", width, name, r[point].sum[shown[0]].acc.n);
        for (size_t k = 0; k < 2; k++) {
            const stats_summary *s = &r[point].sum[shown[k]].acc;
            if (s->n)
                fprintf(f, "     %.4f ± %.4f", s->mean, s->ci95);
            else
                fprintf(f, " %20s", "-");
        }
        fputc('\n', f);
    }
}

/* ---- the whole ---- */

/* Refuses a sweep with tasks missing, naming how many and the first. */
static int refuse_missing(const char *dir, const sweep_plan *p, err *e)
{
    size_t *missing, n, point;
    uint64_t seed;
    char name[1024];
    if (sweep_missing(dir, p, &missing, &n, e))
        return -1;
    int rc = 0;
    if (n) {
        sweep_task(p, missing[0], &point, &seed);
        sweep_point_name(p, point, name, sizeof name);
        rc = err_set(e, "%s: %zu of its %zu tasks are not finished (the first: task %zu, %s "
                        "seed %" PRIu64 "): run them, then collect again",
                     dir, n, sweep_n_tasks(p), missing[0], name, seed);
    }
    free(missing);
    return rc;
}

/* Everything after the plan is read and the folder locked. */
static int collect(const char *dir, const sweep_plan *p, const kv_list *plan, FILE *table,
                   err *e)
{
    char path[FILES_PATH_MAX];
    if (refuse_missing(dir, p, e) || files_join(path, sizeof path, dir, SWEEP_POINTS_DIR, e) ||
        files_ensure_dir(path, e))
        return -1;
    sweep_point_result *r = calloc(sweep_n_points(p), sizeof *r);
    if (!r)
        return err_set(e, "out of memory for %zu points", sweep_n_points(p));
    int rc = write_tables(dir, p, plan, r, e) ||
                     files_join(path, sizeof path, dir, SWEEP_FIGURE, e) ||
                     sweep_view_figure(path, p, r, e) ||
                     files_join(path, sizeof path, dir, SWEEP_REPORT, e) ||
                     sweep_view_report(path, p, r, e)
                 ? -1
                 : 0;
    if (rc == 0 && table)
        print_effect(table, p, r);
    free(r);
    return rc;
}

int sweep_collect(const char *dir, FILE *table, err *e)
{
    char path[FILES_PATH_MAX];
    sweep_plan p;
    kv_list *plan = malloc(sizeof *plan);
    folder sw;
    if (!plan)
        return err_set(e, "out of memory");
    int rc = -1;
    if (sweep_read_plan(dir, &p, e) == 0 &&
        files_join(path, sizeof path, dir, SWEEP_PLAN_FILE, e) == 0 &&
        config_read(path, plan, e) == 0 && folder_open(&sw, dir, 0, e) == 0) {
        rc = collect(dir, &p, plan, table, e);
        folder_close(&sw);
    }
    free(plan);
    return rc;
}
