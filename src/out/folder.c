#include "out/folder.h"
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/atomic.h"
#include "base/lock.h"
#include "base/text.h"
#include "out/classes.h"
#include "out/config.h"
#include "out/replace.h"
#include "out/runlog.h"

/* ---- opening, locking ---- */

/* Takes the lock of f's folder (base/lock.h), to write or to read. */
static int take_lock(folder *f, enum lock_mode mode, err *e)
{
    char path[FILES_PATH_MAX];
    err why;
    if (folder_path(f, FOLDER_LOCK, path, sizeof path, e))
        return -1;
    if (lock_take(&f->lock_fd, path, mode, f->dir, &why) == 0)
        return 0;
    return err_set(e, "%s, or use another folder", why.msg);
}

static int set_dir(folder *f, const char *dir, err *e)
{
    f->lock_fd = -1;
    if (strlen(dir) >= sizeof f->dir)
        return err_set(e, "path too long: %.200s...", dir);
    strcpy(f->dir, dir);
    return 0;
}

int folder_open(folder *f, const char *dir, int create, err *e)
{
    if (set_dir(f, dir, e))
        return -1;
    if (!create && !files_exists(dir))
        return err_set(e, "%s: no such folder", dir);
    if (files_ensure_dir(dir, e) || take_lock(f, LOCK_WRITE, e))
        return -1;
    atomic_remove_stale_in(dir, 1);
    if (replace_recover(dir, e)) {
        folder_close(f);
        return -1;
    }
    return 0;
}

int folder_open_read(folder *f, const char *dir, err *e)
{
    if (set_dir(f, dir, e) || take_lock(f, LOCK_READ, e))
        return -1;
    atomic_remove_stale_in(dir, 0);
    if (!replace_pending(dir))
        return 0;
    /* A writer was killed while switching the folder to its new files:
     * completing that needs the write lock for a moment. */
    folder_close(f);
    folder w;
    if (folder_open(&w, dir, 0, e))
        return -1;
    folder_close(&w);
    if (take_lock(f, LOCK_READ, e))
        return -1;
    if (replace_pending(dir)) { /* another writer switched and died in between */
        folder_close(f);
        return err_set(e, "%s: a killed run left it half switched to new files: run 'sublim "
                          "report' on it",
                       dir);
    }
    return 0;
}

void folder_close(folder *f)
{
    lock_release(&f->lock_fd);
}

int folder_path(const folder *f, const char *name, char *buf, size_t size, err *e)
{
    return files_join(buf, size, f->dir, name, e);
}

int folder_has(const folder *f, const char *name)
{
    char path[FILES_PATH_MAX];
    return folder_path(f, name, path, sizeof path, NULL) == 0 && files_exists(path);
}

int folder_remove(const folder *f, const char *name, err *e)
{
    char path[FILES_PATH_MAX];
    if (folder_path(f, name, path, sizeof path, e))
        return -1;
    if (unlink(path) != 0 && errno != ENOENT)
        return err_set(e, "%s: cannot remove: %s", path, strerror(errno));
    return 0;
}

/* ---- new files in place of the old in one step ---- */

int folder_stage(const folder *f, folder *staged, err *e)
{
    char path[FILES_PATH_MAX];
    return replace_begin(f->dir, path, sizeof path, e) || set_dir(staged, path, e) ? -1 : 0;
}

int folder_switch(const folder *f, const char *const *names, size_t n, err *e)
{
    return replace_commit(f->dir, names, n, e);
}

void folder_unstage(const folder *f)
{
    replace_abort(f->dir);
}

/* ---- reading it all ---- */

static int cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return a < b ? -1 : a > b;
}

/* The sorted distinct seeds of rows; *seeds is malloc'ed. */
static int distinct_seeds(const arm_result *rows, size_t n, uint64_t **seeds, size_t *n_seeds)
{
    uint64_t *s = malloc((n ? n : 1) * sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < n; i++)
        s[i] = rows[i].seed;
    qsort(s, n, sizeof *s, cmp_u64);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || s[i] != s[k - 1])
            s[k++] = s[i];
    *seeds = s;
    *n_seeds = k;
    return 0;
}

void folder_content_free(folder_content *c)
{
    free(c->rows);
    free(c->seeds);
    free(c->runs);
    free(c->curves);
    align_rows_free(&c->align);
    memset(c, 0, sizeof *c);
}

int folder_read(const folder *f, folder_content *c, err *e)
{
    char path[FILES_PATH_MAX];
    memset(c, 0, sizeof *c);
    c->dir = f->dir;
    c->cfg = experiment_defaults();
    int rc = 0;
    /* The configuration first: it says which arms the rows are of. */
    if (folder_has(f, FOLDER_CONFIG)) {
        c->has_config = 1;
        if (folder_path(f, FOLDER_CONFIG, path, sizeof path, e) ||
            config_read(path, &c->config, e) || config_apply(&c->config, path, &c->cfg, e))
            return -1;
    }
    if (folder_path(f, FOLDER_RESULTS, path, sizeof path, e) ||
        results_read_csv(path, &c->rows, &c->n_rows, e))
        return -1;
    rc = results_check_whole_seeds(path, &c->cfg, c->rows, c->n_rows, e);
    if (rc == 0 && distinct_seeds(c->rows, c->n_rows, &c->seeds, &c->n_seeds))
        rc = err_set(e, "out of memory");
    if (rc == 0 && folder_has(f, FOLDER_CLASSES)) {
        c->has_classes = 1;
        rc = folder_path(f, FOLDER_CLASSES, path, sizeof path, e) ||
                     classes_read(path, c->rows, c->n_rows, e)
                 ? -1
                 : 0;
    }
    if (rc == 0)
        rc = results_summarize(c->rows, c->n_rows, c->sum, e);
    if (rc == 0 && folder_has(f, FOLDER_RUNS)) {
        c->has_runs = 1;
        rc = folder_path(f, FOLDER_RUNS, path, sizeof path, e) ||
                     runlog_read(path, &c->runs, &c->n_runs, e) ||
                     (c->has_config && config_check_runs(&c->config, c->runs, c->n_runs, path, e))
                 ? -1
                 : 0;
    }
    if (rc == 0 && folder_has(f, FOLDER_CURVES)) {
        c->has_curves = 1;
        rc = folder_path(f, FOLDER_CURVES, path, sizeof path, e) ||
                     curves_read(path, &c->curves, &c->n_curves, e)
                 ? -1
                 : 0;
    }
    if (rc == 0 && folder_has(f, FOLDER_ALIGNMENT)) {
        c->has_alignment = 1;
        rc = folder_path(f, FOLDER_ALIGNMENT, path, sizeof path, e) ||
                     align_csv_read(path, &c->align, e)
                 ? -1
                 : 0;
        if (rc == 0)
            align_rows_keep_seeds(c->align.rows, &c->align.n, c->seeds, c->n_seeds);
    }
    if (rc)
        folder_content_free(c);
    return rc;
}

int folder_write_summary(const folder *f, const folder_content *c, err *e)
{
    char path[FILES_PATH_MAX];
    experiment_config cfg = c->cfg;
    cfg.seeds = c->n_seeds;
    cfg.seed_start = c->n_seeds ? c->seeds[0] : 0;
    size_t threads;
    const char *kernels;
    double wall;
    runlog_totals(c->runs, c->n_runs, &threads, &kernels, &wall);
    if (folder_path(f, FOLDER_SUMMARY, path, sizeof path, e))
        return -1;
    return results_write_summary(path, &cfg, c->sum, threads, kernels, wall, e);
}

/* ---- an experiment's seeds ---- */

int seed_table_init(seed_table *t, const experiment_config *cfg, err *e)
{
    memset(t, 0, sizeof *t);
    t->cfg = cfg;
    const arm_spec *arms = experiment_arms(&(size_t){0});
    t->n_arms = experiment_arms_run(cfg, t->arm);
    size_t epochs = 0;
    for (size_t k = 0; k < t->n_arms; k++)
        epochs += experiment_arm_epochs(cfg, &arms[t->arm[k]]);
    t->cap_curves = cfg->curves ? cfg->seeds * epochs : 0;
    t->rows = calloc(cfg->seeds * t->n_arms, sizeof *t->rows);
    t->packed = calloc(cfg->seeds * t->n_arms, sizeof *t->packed);
    t->done = calloc(cfg->seeds, 1);
    t->curves = malloc((t->cap_curves ? t->cap_curves : 1) * sizeof *t->curves);
    if (!t->rows || !t->packed || !t->done || !t->curves) {
        seed_table_free(t);
        return err_set(e, "out of memory for %zu seeds", cfg->seeds);
    }
    return 0;
}

void seed_table_free(seed_table *t)
{
    free(t->rows);
    free(t->packed);
    free(t->done);
    free(t->curves);
    align_rows_free(&t->align);
    memset(t, 0, sizeof *t);
}

size_t seed_table_count(const seed_table *t, int done)
{
    size_t n = 0;
    for (size_t s = 0; s < t->cfg->seeds; s++)
        n += !t->done[s] == !done;
    return n;
}

void seed_table_list(const seed_table *t, int done, char *buf, size_t size)
{
    uint64_t *seeds = calloc(t->cfg->seeds ? t->cfg->seeds : 1, sizeof *seeds);
    size_t n = 0;
    if (!seeds) {
        snprintf(buf, size, "?");
        return;
    }
    for (size_t s = 0; s < t->cfg->seeds; s++)
        if (!t->done[s] == !done)
            seeds[n++] = t->cfg->seed_start + s;
    text_seed_ranges(buf, size, seeds, n);
    if (n == 0)
        snprintf(buf, size, "none");
    free(seeds);
}

int folder_write_seeds(const folder *f, seed_table *t, err *e)
{
    char path[FILES_PATH_MAX];
    if (t->cfg->curves) {
        curves_sort(t->curves, t->n_curves);
        if (folder_path(f, FOLDER_CURVES, path, sizeof path, e) ||
            curves_write(path, t->curves, t->n_curves, e))
            return -1;
        align_rows_sort(t->align.rows, t->align.n);
        if (folder_path(f, FOLDER_ALIGNMENT, path, sizeof path, e) ||
            align_csv_write(path, t->align.rows, t->align.n, e))
            return -1;
    }
    size_t k = 0;
    for (size_t s = 0; s < t->cfg->seeds; s++)
        if (t->done[s]) {
            memcpy(t->packed + k, t->rows + s * t->n_arms, t->n_arms * sizeof *t->packed);
            k += t->n_arms;
        }
    if (folder_write_classes(f, t->packed, k, e) ||
        folder_path(f, FOLDER_RESULTS, path, sizeof path, e))
        return -1;
    return results_write_csv(path, t->packed, k, e);
}

int folder_write_classes(const folder *f, const arm_result *rows, size_t n_rows, err *e)
{
    char path[FILES_PATH_MAX];
    if (!classes_complete(rows, n_rows))
        return folder_remove(f, FOLDER_CLASSES, e);
    return folder_path(f, FOLDER_CLASSES, path, sizeof path, e) ||
                   classes_write(path, rows, n_rows, e)
               ? -1
               : 0;
}

/* ---- resuming ---- */

/* "3" or "0-4": the seeds a configuration runs. */
static void seed_range(char *buf, size_t size, const experiment_config *cfg)
{
    uint64_t last = cfg->seed_start + cfg->seeds - 1;
    if (cfg->seeds == 1)
        snprintf(buf, size, "%" PRIu64, last);
    else
        snprintf(buf, size, "%" PRIu64 "-%" PRIu64, cfg->seed_start, last);
}

/* The rows of results.csv into t's slots; a slot with all its arms is done. */
static int resume_rows(const char *path, const arm_result *rows, size_t n_rows, seed_table *t,
                       FILE *log, err *e)
{
    const experiment_config *cfg = t->cfg;
    unsigned char *have = calloc(cfg->seeds * t->n_arms, 1);
    if (!have)
        return err_set(e, "out of memory");
    int rc = 0;
    for (size_t i = 0; i < n_rows && rc == 0; i++) {
        const arm_result *r = &rows[i];
        if (r->seed < cfg->seed_start || r->seed - cfg->seed_start >= cfg->seeds) {
            char range[64];
            seed_range(range, sizeof range, cfg);
            rc = err_set(e,
                         "%s holds seed %" PRIu64 ", not one of this run's seeds (%s): resume "
                         "with the --seeds and --seed-start of the run being resumed (or more "
                         "seeds), or use another --out and 'sublim merge'",
                         path, r->seed, range);
            break;
        }
        size_t slot = 0;
        while (slot < t->n_arms && t->arm[slot] != r->arm)
            slot++;
        if (slot == t->n_arms) { /* results_check_whole_seeds refuses it first */
            rc = err_set(e, "%s holds rows of an arm this configuration does not run", path);
            break;
        }
        size_t at = (size_t)(r->seed - cfg->seed_start) * t->n_arms + slot;
        have[at] = 1; /* once: results_read_csv refuses a row twice */
        t->rows[at] = *r;
    }
    for (size_t s = 0; s < cfg->seeds && rc == 0; s++) {
        size_t n_have = 0;
        for (size_t a = 0; a < t->n_arms; a++)
            n_have += have[s * t->n_arms + a];
        t->done[s] = n_have == t->n_arms;
        if (n_have && n_have < t->n_arms && log)
            fprintf(log, "sublim: seed %" PRIu64 " has %zu of its %zu rows in %s: running "
                         "it again\n",
                    cfg->seed_start + s, n_have, t->n_arms, path);
    }
    free(have);
    return rc;
}

/* curves.csv: the points of the kept seeds, and only those. */
static int resume_curves(const folder *f, seed_table *t, err *e)
{
    const experiment_config *cfg = t->cfg;
    const arm_spec *arms = experiment_arms(&(size_t){0});
    char path[FILES_PATH_MAX];
    if (folder_path(f, FOLDER_CURVES, path, sizeof path, e))
        return -1;
    int has_curves = files_exists(path);
    if (cfg->curves && !has_curves)
        return err_set(e, "%s is missing (was the run being resumed a --no-curves run?): "
                          "resume with --no-curves",
                       path);
    if (!cfg->curves && has_curves)
        return err_set(e, "%s exists: the run being resumed measured curves; resume without "
                          "--no-curves",
                       path);
    if (!cfg->curves)
        return 0;
    curve_point *pts;
    size_t n_pts;
    if (curves_read(path, &pts, &n_pts, e))
        return -1;
    curves_sort(pts, n_pts);
    int rc = 0;
    for (size_t i = 0; i < n_pts && rc == 0; i++) {
        const curve_point *c = &pts[i];
        int in_range = c->seed >= cfg->seed_start && c->seed - cfg->seed_start < cfg->seeds;
        if (!in_range || c->epoch > experiment_arm_epochs(cfg, &arms[c->arm]) ||
            (i > 0 && c->seed == pts[i - 1].seed && c->arm == pts[i - 1].arm &&
             c->epoch == pts[i - 1].epoch))
            rc = err_set(e, "%s: seed %" PRIu64 ", arm %s, epoch %zu is not a point of "
                            "this run: cannot resume",
                         path, c->seed, arms[c->arm].name, c->epoch);
        else if (!t->done[c->seed - cfg->seed_start])
            continue; /* a seed killed before its rows were saved */
        else if (t->n_curves == t->cap_curves)
            rc = err_set(e, "%s: more points than this run makes", path);
        else
            t->curves[t->n_curves++] = *c;
    }
    free(pts);
    return rc;
}

/* alignment.csv: the rows of the kept seeds (a folder made before it
 * existed has none to keep). */
static int resume_alignment(const folder *f, seed_table *t, err *e)
{
    char path[FILES_PATH_MAX];
    if (!t->cfg->curves || !folder_has(f, FOLDER_ALIGNMENT))
        return 0;
    if (folder_path(f, FOLDER_ALIGNMENT, path, sizeof path, e) ||
        align_csv_read(path, &t->align, e))
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < t->align.n; i++) {
        const align_row *r = &t->align.rows[i];
        uint64_t s = r->seed - t->cfg->seed_start;
        if (r->seed >= t->cfg->seed_start && s < t->cfg->seeds && t->done[s])
            t->align.rows[k++] = *r;
    }
    t->align.n = k;
    return 0;
}

/* classes.csv's counts into the rows read (when the folder has it: one
 * made before it existed resumes without, and ends without it). */
static int resume_classes(const folder *f, arm_result *rows, size_t n_rows, err *e)
{
    char path[FILES_PATH_MAX];
    if (!folder_has(f, FOLDER_CLASSES))
        return 0;
    return folder_path(f, FOLDER_CLASSES, path, sizeof path, e) ||
                   classes_read(path, rows, n_rows, e)
               ? -1
               : 0;
}

/* run.txt's blocks, each of a run on the data config records; one still
 * "running" was killed. */
static int resume_runs(const folder *f, const kv_list *config, kv_list **runs, size_t *n_runs,
                       err *e)
{
    char path[FILES_PATH_MAX];
    if (!folder_has(f, FOLDER_RUNS))
        return 0;
    if (folder_path(f, FOLDER_RUNS, path, sizeof path, e) ||
        runlog_read(path, runs, n_runs, e) ||
        config_check_runs(config, *runs, *n_runs, path, e))
        return -1;
    for (size_t r = 0; r < *n_runs; r++) {
        const char *status = kv_get(&(*runs)[r], "status");
        if (status && strcmp(status, "running") == 0)
            kv_set(&(*runs)[r], "status", "interrupted");
    }
    return 0;
}

/* Rows are kept only under the configuration that made them. */
static int resume_config(const folder *f, const kv_list *config, const char *rows_path, err *e)
{
    char path[FILES_PATH_MAX];
    kv_list old;
    if (folder_path(f, FOLDER_CONFIG, path, sizeof path, e))
        return -1;
    if (!files_exists(path))
        return err_set(e, "%s is missing, so the configuration of %s is unknown: cannot resume",
                       path, rows_path);
    return config_read(path, &old, e) || kv_compare(&old, path, config, "this run", e) ? -1 : 0;
}

int folder_resume(const folder *f, const kv_list *config, seed_table *t, kv_list **runs,
                  size_t *n_runs, FILE *log, err *e)
{
    char path[FILES_PATH_MAX];
    arm_result *rows = NULL;
    size_t n_rows = 0;
    *runs = NULL;
    *n_runs = 0;
    if (folder_path(f, FOLDER_RESULTS, path, sizeof path, e))
        return -1;
    if (!files_exists(path))
        return 0;
    if (results_read_csv(path, &rows, &n_rows, e))
        return -1;
    int rc = 0;
    if (n_rows > 0)
        rc = resume_config(f, config, path, e) || resume_classes(f, rows, n_rows, e) ||
                     resume_rows(path, rows, n_rows, t, log, e)
                 ? -1
                 : 0;
    if (rc == 0 && seed_table_count(t, 1) > 0)
        rc = resume_curves(f, t, e) || resume_alignment(f, t, e) ||
                     resume_runs(f, config, runs, n_runs, e)
                 ? -1
                 : 0;
    free(rows);
    if (rc || seed_table_count(t, 1) == 0) {
        memset(t->done, 0, t->cfg->seeds);
        t->n_curves = 0;
        t->align.n = 0;
        free(*runs);
        *runs = NULL;
        *n_runs = 0;
    }
    return rc ? -1 : 0;
}
