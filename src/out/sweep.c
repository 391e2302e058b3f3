/* A sweep's plan (sweep.txt) and its tasks, run and checked; collecting
 * them is out/sweep_collect.c. */
#include "out/sweep.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "base/atomic.h"
#include "base/clock.h"
#include "base/files.h"
#include "base/interrupt.h"
#include "out/config.h"
#include "out/folder.h"
#include "out/kv.h"
#include "out/record.h"

/* ---- the plan: sweep.txt ---- */

/* "m.2": the key of value k (0-based) of a swept setting, 1-based. */
static void value_key(char *buf, size_t size, const setting *s, size_t k)
{
    snprintf(buf, size, "%s.%zu", s->name, k + 1);
}

static const sweep_axis *axis_of(const sweep_plan *p, const setting *s)
{
    for (size_t a = 0; a < p->n_axes; a++)
        if (p->axes[a].s == s)
            return &p->axes[a];
    return NULL;
}

/* sweep.txt's lines for p on data: every setting of the table in its
 * order (a swept one as one line per value; one recorded only when set
 * left out at its default, as in config.txt), then the data read. */
static int plan_lines(const sweep_plan *p, const config_data *data, kv_list *out, err *e)
{
    size_t n;
    const setting *s = experiment_settings(&n);
    char key[80], v[448];
    int full = 0;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        const sweep_axis *a = axis_of(p, &s[i]);
        for (size_t k = 0; a && k < a->n; k++) {
            value_key(key, sizeof key, &s[i], k);
            full |= kv_set(out, key, a->values[k]);
        }
        if (!a && (!(s[i].flags & SETTING_IF_SET) || !setting_is_default(&s[i], &p->base))) {
            setting_format(&s[i], &p->base, v, sizeof v);
            full |= kv_set(out, s[i].name, v);
        }
    }
    config_data_set(out, data);
    if (full || !kv_get(out, CONFIG_DATA_READ_TEST))
        return err_set(e, "the plan has more values than %s can list (%d lines)",
                       SWEEP_PLAN_FILE, KV_MAX_KEYS);
    return 0;
}

int sweep_write_plan(const char *dir, const sweep_plan *p, const dataset *train,
                     const dataset *test, const dataset *other, err *e)
{
    char path[FILES_PATH_MAX];
    config_data data;
    kv_list lines, there;
    atomic_file af;
    config_data_of(&data, train, test, other);
    if (plan_lines(p, &data, &lines, e) || files_ensure_dir(dir, e) ||
        files_join(path, sizeof path, dir, SWEEP_PLAN_FILE, e) || atomic_open(&af, path, e))
        return -1;
    fprintf(af.f, "# sublim sweep: the plan of this folder's grid: the seeds every point\n"
                  "# runs, every setting (a swept one as NAME.1, NAME.2, ...: its values),\n"
                  "# and the data read.  Every task and collect checks it.\n");
    kv_write(af.f, &lines);
    int existed = atomic_commit_new(&af, e);
    if (existed <= 0)
        return existed;
    /* Another process wrote it first: it must be this very plan. */
    err why;
    if (config_read(path, &there, e))
        return -1;
    if (kv_compare(&there, path, &lines, "this sweep", &why))
        return err_set(e, "%s holds another sweep (%s): use another --out", dir, why.msg);
    return 0;
}

/* Appends the value of key (one value, as the flag reads it) to axis. */
static int read_value(sweep_axis *axis, const experiment_config *base, const char *value,
                      const char *where, err *e)
{
    sweep_plan one;
    err why;
    sweep_plan_init(&one, base);
    if (sweep_add_axis(&one, axis->s->name, value, &why))
        return err_set(e, "%s: %s", where, why.msg);
    if (one.axes[0].n != 1)
        return err_set(e, "%s: one value per line", where);
    if (axis->n == SWEEP_MAX_VALUES)
        return err_set(e, "%s: more than %d values", where, SWEEP_MAX_VALUES);
    for (size_t k = 0; k < axis->n; k++)
        if (strcmp(axis->values[k], one.axes[0].values[0]) == 0)
            return err_set(e, "%s: %s given twice", where, value);
    strcpy(axis->values[axis->n++], one.axes[0].values[0]);
    return 0;
}

/* The axis of s from lines (s.1, s.2, ...) at the end of p's axes, which
 * stay in the table's order when the table is read in order. */
static int read_axis(sweep_plan *p, const setting *s, const kv_list *lines, const char *path,
                     err *e)
{
    char key[80], where[FILES_PATH_MAX + 100];
    sweep_axis axis = {s, 0, {{0}}};
    const char *v;
    for (size_t k = 0; value_key(key, sizeof key, s, k), (v = kv_get(lines, key)); k++) {
        snprintf(where, sizeof where, "%s: %s", path, key);
        if (read_value(&axis, &p->base, v, where, e))
            return -1;
    }
    if (p->n_axes == SWEEP_MAX_AXES)
        return err_set(e, "%s: more than %d settings swept", path, SWEEP_MAX_AXES);
    p->axes[p->n_axes++] = axis;
    return 0;
}

/* The plan of lines, read from path: the base's settings, then the axes;
 * the data read into *data. */
static int plan_of_lines(const kv_list *lines, const char *path, sweep_plan *p,
                         config_data *data, err *e)
{
    size_t n;
    const setting *s = experiment_settings(&n);
    char key[80], label[FILES_PATH_MAX + 100];
    experiment_config base = experiment_defaults();
    for (size_t i = 0; i < n; i++) {
        const char *v = kv_get(lines, s[i].name);
        value_key(key, sizeof key, &s[i], 0);
        snprintf(label, sizeof label, "%s: %s", path, s[i].name);
        if (!v && !kv_get(lines, key) && !(s[i].flags & SETTING_IF_SET))
            return err_set(e, "%s: no '%s': not a sweep plan", path, s[i].name);
        if (v && s[i].type != SETTING_FIXED && setting_parse(&s[i], v, &base, label, e))
            return -1;
    }
    const char *train = kv_get(lines, CONFIG_DATA_READ_TRAIN);
    const char *test = kv_get(lines, CONFIG_DATA_READ_TEST);
    if (!train || !test || strlen(train) >= sizeof data->train ||
        strlen(test) >= sizeof data->test)
        return err_set(e, "%s: no data read (%s, %s): not a sweep plan", path,
                       CONFIG_DATA_READ_TRAIN, CONFIG_DATA_READ_TEST);
    strcpy(data->train, train);
    strcpy(data->test, test);
    const char *inputs = kv_get(lines, CONFIG_DATA_READ_INPUTS);
    if (inputs && strlen(inputs) >= sizeof data->inputs)
        return err_set(e, "%s: %s is not a SHA-256", path, CONFIG_DATA_READ_INPUTS);
    snprintf(data->inputs, sizeof data->inputs, "%s", inputs ? inputs : "");
    sweep_plan_init(p, &base);
    for (size_t i = 0; i < n; i++) {
        value_key(key, sizeof key, &s[i], 0);
        if (!kv_get(lines, s[i].name) && kv_get(lines, key) &&
            read_axis(p, &s[i], lines, path, e))
            return -1;
    }
    return 0;
}

int sweep_read_plan(const char *dir, sweep_plan *p, err *e)
{
    char path[FILES_PATH_MAX];
    config_data data;
    kv_list lines, again;
    err why;
    if (files_join(path, sizeof path, dir, SWEEP_PLAN_FILE, e))
        return -1;
    if (!files_exists(path))
        return err_set(e, "%s: no %s: not a sweep folder", dir, SWEEP_PLAN_FILE);
    if (config_read(path, &lines, e) || plan_of_lines(&lines, path, p, &data, e) ||
        plan_lines(p, &data, &again, e))
        return -1;
    /* What is read must be what a sweep writes: no line more, every value
     * in its text form, the fixed settings this program's. */
    if (kv_compare(&lines, path, &again, "the plan read from it", &why))
        return err_set(e, "%s: not a plan sweep wrote (%s)", path, why.msg);
    return 0;
}

/* ---- the tasks ---- */

int sweep_task_dir(const char *dir, const sweep_plan *p, size_t task, char *buf, size_t size,
                   err *e)
{
    size_t point;
    uint64_t seed;
    char name[1024];
    sweep_task(p, task, &point, &seed);
    sweep_point_name(p, point, name, sizeof name);
    int n = snprintf(buf, size, "%s/%s/%s/seed-%" PRIu64, dir, SWEEP_TASKS_DIR, name, seed);
    if (n < 0 || (size_t)n >= size)
        return err_set(e, "path too long: %s/%s/%s/...", dir, SWEEP_TASKS_DIR, name);
    return 0;
}

/* 1 when the task folder holds every arm's row of seed; 0 when it does
 * not; -1 (with e) when its results.csv cannot be read or holds another
 * seed. */
static int task_done(const char *task_dir, const sweep_plan *p, size_t point, uint64_t seed,
                     err *e)
{
    char path[FILES_PATH_MAX];
    arm_result *rows;
    size_t n_rows, have = 0;
    experiment_config cfg;
    sweep_point_config(p, point, &cfg);
    size_t n_arms = experiment_arms_run(&cfg, NULL);
    if (files_join(path, sizeof path, task_dir, FOLDER_RESULTS, e))
        return -1;
    if (!files_exists(path))
        return 0;
    if (results_read_csv(path, &rows, &n_rows, e))
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n_rows && rc == 0; i++)
        if (rows[i].seed != seed)
            rc = err_set(e, "%s holds seed %" PRIu64 ", not this task's seed %" PRIu64, path,
                         rows[i].seed, seed);
        else
            have++; /* once per arm: results_read_csv refuses a row twice */
    free(rows);
    return rc ? -1 : have == n_arms;
}

int sweep_missing(const char *dir, const sweep_plan *p, size_t **missing, size_t *n, err *e)
{
    char path[FILES_PATH_MAX];
    size_t n_tasks = sweep_n_tasks(p);
    *n = 0;
    *missing = malloc(n_tasks * sizeof **missing);
    if (!*missing)
        return err_set(e, "out of memory for %zu tasks", n_tasks);
    for (size_t t = 0; t < n_tasks; t++) {
        size_t point;
        uint64_t seed;
        sweep_task(p, t, &point, &seed);
        int done = sweep_task_dir(dir, p, t, path, sizeof path, e) ? -1
                                                                     : task_done(path, p, point, seed, e);
        if (done < 0) {
            free(*missing);
            *missing = NULL;
            return -1;
        }
        if (!done)
            (*missing)[(*n)++] = t;
    }
    return 0;
}

/* Without resume or force, a task folder that holds results stops the
 * run before any task runs, so nothing is run only to be refused later. */
static int refuse_results(const char *dir, const sweep_plan *p, size_t first, size_t count,
                          err *e)
{
    char task_dir[FILES_PATH_MAX], path[FILES_PATH_MAX];
    for (size_t t = first; t < first + count; t++) {
        if (sweep_task_dir(dir, p, t, task_dir, sizeof task_dir, e) ||
            files_join(path, sizeof path, task_dir, FOLDER_RESULTS, e))
            return -1;
        if (files_exists(path))
            return err_set(e, "%s already holds results: --resume keeps the finished tasks, "
                              "--force replaces them, or choose another --out",
                           path);
    }
    return 0;
}

/* SW/tasks/POINT/seed-S and the folders above it. */
static int make_task_dir(const char *dir, const char *task_dir, err *e)
{
    char path[FILES_PATH_MAX];
    size_t skip = strlen(dir) + 1; /* SW exists: the plan is there */
    snprintf(path, sizeof path, "%s", task_dir);
    for (char *slash = strchr(path + skip, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        int rc = files_ensure_dir(path, e);
        *slash = '/';
        if (rc)
            return -1;
    }
    return files_ensure_dir(path, e);
}

/* One task: its point's configuration for its one seed, recorded in its
 * own result folder as `sublim experiment` records a run. */
static int run_task(const char *task_dir, const sweep_plan *p, size_t task,
                    const sweep_run_options *o, const dataset *train, const dataset *test,
                    pool *pl, err *e)
{
    size_t point;
    uint64_t seed;
    record_options ro = {.data_dir = o->data_dir, .other = o->other, .resume = o->resume,
                         .force = o->force,
                         .log = o->log, .progress = PROGRESS_QUIET, .quiet = 1,
                         .argc = o->argc, .argv = o->argv};
    sweep_task(p, task, &point, &seed);
    sweep_point_config(p, point, &ro.cfg);
    ro.cfg.seeds = 1;
    ro.cfg.seed_start = seed;
    folder f;
    record_outcome out;
    if (folder_open(&f, task_dir, 1, e))
        return -1;
    int rc = record_experiment(&f, &ro, train, test, pl, &out, e);
    folder_close(&f);
    return rc;
}

/* The progress line of the i-th task of count (task t), with the time
 * left judged from the tasks run so far. */
static void tell_task(FILE *log, size_t i, size_t count, size_t t, const sweep_plan *p,
                      size_t ran, double spent, const char *kept)
{
    size_t point;
    uint64_t seed;
    char name[1024], left[32] = "";
    sweep_task(p, t, &point, &seed);
    sweep_point_name(p, point, name, sizeof name);
    if (ran && !kept)
        progress_format_duration(left, sizeof left, spent / (double)ran * (double)(count - i));
    fprintf(log, "sublim: [%zu/%zu] task %zu: %s seed %" PRIu64 "%s%s%s\n", i + 1, count, t,
            name, seed, kept ? kept : "", *left ? ", ETA " : "", left);
}

int sweep_run_tasks(const char *dir, const sweep_plan *p, size_t first, size_t count,
                    const sweep_run_options *o, const dataset *train, const dataset *test,
                    pool *pl, err *e)
{
    char path[FILES_PATH_MAX];
    double spent = 0;
    size_t ran = 0;
    if (!o->resume && !o->force && refuse_results(dir, p, first, count, e))
        return -1;
    for (size_t i = 0; i < count; i++) {
        size_t t = first + i, point;
        uint64_t seed;
        sweep_task(p, t, &point, &seed);
        if (interrupt_check(e) || sweep_task_dir(dir, p, t, path, sizeof path, e) ||
            make_task_dir(dir, path, e))
            return -1;
        int done = o->resume ? task_done(path, p, point, seed, e) : 0;
        if (done < 0)
            return -1;
        if (o->log && !o->quiet)
            tell_task(o->log, i, count, t, p, ran, spent, done ? ": finished, kept" : NULL);
        if (done)
            continue;
        double start = clock_seconds();
        err why;
        if (run_task(path, p, t, o, train, test, pl, &why))
            return err_set(e, "task %zu (%s): %s", t, path, why.msg);
        spent += clock_seconds() - start;
        ran++;
    }
    return 0;
}
