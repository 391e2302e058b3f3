#include "out/record.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "base/clock.h"
#include "base/detmath.h"
#include "base/interrupt.h"
#include "nn/kernels.h"
#include "out/config.h"
#include "out/report.h"
#include "out/runlog.h"
#include "out/samples.h"
#include "run/teachers.h"

/* Everything a run keeps between its hooks. */
typedef struct {
    const folder *f;
    const record_options *o;
    seed_table seeds;
    teachers teach;
    progress prog;
    const dataset *train;  /* for samples.pgm */
    const kv_list *config; /* config.txt's lines for this run */
    const kv_list *runs;   /* run.txt's blocks, this run's last */
    size_t n_runs;
    int replacing;         /* --force over results not switched away from yet */
    int align_failed;      /* an alignment row could not be kept: align_err says why */
    err align_err;
} run_state;

/* ---- the files of this run ---- */

/* samples.pgm: the first digits, and the noise of the run's first seed. */
static int write_samples(const folder *f, const run_state *r, err *e)
{
    char path[FILES_PATH_MAX];
    samples s;
    if (folder_path(f, FOLDER_SAMPLES, path, sizeof path, e) ||
        samples_make(&s, r->train, r->o->cfg.seed_start, r->o->cfg.noise, e))
        return -1;
    int rc = samples_write(path, &s, e);
    samples_free(&s);
    return rc;
}

/* config.txt, run.txt and samples.pgm of this run into f. */
static int write_run_files(const folder *f, const run_state *r, err *e)
{
    char path[FILES_PATH_MAX];
    return folder_path(f, FOLDER_RUNS, path, sizeof path, e) ||
                   runlog_write(path, r->runs, r->n_runs, e) ||
                   folder_path(f, FOLDER_CONFIG, path, sizeof path, e) ||
                   config_write(path, r->config, e) || write_samples(f, r, e)
               ? -1
               : 0;
}

/* The first seed of a run replacing another's results: its results.csv,
 * curves.csv, config.txt and run.txt take the place of the old run's, and
 * the old derived files go, in one step (folder_switch).  Until then the
 * old run's files stand whole; a kill leaves one run's files or the
 * other's, never a mix. */
static int switch_to_new(run_state *r, err *e)
{
    static const char *const run_files[] = {FOLDER_RUN_FILES};
    folder staged;
    if (folder_stage(r->f, &staged, e))
        return -1;
    if (folder_write_seeds(&staged, &r->seeds, e) || write_run_files(&staged, r, e)) {
        folder_unstage(r->f);
        return -1;
    }
    if (folder_switch(r->f, run_files, sizeof run_files / sizeof run_files[0], e))
        return -1;
    r->replacing = 0;
    return 0;
}

/* ---- the hooks ---- */

static void on_batch(void *ctx, uint64_t seed, enum train_phase phase, size_t epoch,
                     size_t n_epochs, size_t batch, size_t n_batches, double loss)
{
    run_state *r = ctx;
    progress_batch(&r->prog, clock_seconds(), seed, phase, epoch, n_epochs, batch, n_batches,
                   loss);
}

static void on_epoch(void *ctx, uint64_t seed, size_t arm, size_t epoch, double loss,
                     double test_acc)
{
    run_state *r = ctx;
    seed_table *t = &r->seeds;
    if (t->cfg->curves && t->n_curves < t->cap_curves)
        t->curves[t->n_curves++] = (curve_point){seed, arm, epoch + 1, loss, test_acc};
    progress_epoch(&r->prog, clock_seconds(), seed, arm, epoch, loss, test_acc);
}

static void on_align(void *ctx, uint64_t seed, size_t arm, size_t epoch, const align_point *pt,
                     size_t parts)
{
    run_state *r = ctx;
    for (size_t p = 0; p < parts && !r->align_failed; p++) {
        align_row row = {seed, arm, epoch, pt->step, p, pt->displacement[p], pt->update[p],
                         pt->update_steps[p]};
        r->align_failed = align_rows_add(&r->seeds.align, &row, &r->align_err) != 0;
    }
}

/* Why a teacher ended worse than guessing (ln 10), on the log: a loss that
 * rose above θ0's points to too large a step; one that never did, to too
 * few or too small steps (--lr 1e-12, or --batch 60000 for one epoch). */
static void tell_teacher(FILE *out, const record_options *o, const arm_result *row)
{
    double chance = detmath_log(EXPERIMENT_CLASSES);
    double acc = 100.0 * (double)row->correct / (double)row->total;
    if (row->verdict == TEACHER_UNSTABLE)
        fprintf(out, "sublim: warning: seed %" PRIu64 ": the teacher's final loss %.4g is "
                     "worse than guessing (ln %d = %.2f) and its test accuracy %.1f%%; its "
                     "loss rose to %.4g from the %.4g it started at: is the learning rate "
                     "(--lr %g) too high?\n",
                row->seed, row->final_loss, EXPERIMENT_CLASSES, chance, acc, row->peak_loss,
                row->start_loss, o->cfg.lr);
    else if (row->verdict == TEACHER_UNDERTRAINED)
        fprintf(out, "sublim: warning: seed %" PRIu64 ": the teacher is undertrained: its "
                     "final loss %.4g is still worse than guessing (ln %d = %.2f), never above "
                     "the %.4g it started at, and its test accuracy %.1f%%; more --epochs, a "
                     "smaller --batch or a larger --lr would train it\n",
                row->seed, row->final_loss, EXPERIMENT_CLASSES, chance, row->start_loss, acc);
}

/* Says which arm diverged, where; and why a teacher taught nothing. */
static void tell_failures(const run_state *r, const arm_result *rows, size_t n)
{
    FILE *out = r->o->log;
    for (size_t i = 0; out && i < n; i++) {
        const arm_result *row = &rows[i];
        if (!row->ok)
            fprintf(out, "sublim: diverged: %s; marked diverged in results.csv and left out "
                         "of the means\n",
                    row->why);
        else
            tell_teacher(out, r->o, row);
    }
}

/* A seed's rows are final: saved at once, so a killed run keeps them. */
static int on_seed(void *ctx, const arm_result *rows, size_t n, err *e)
{
    run_state *r = ctx;
    if (r->align_failed)
        return err_set(e, "%s", r->align_err.msg);
    unsigned char *done = &r->seeds.done[rows[0].seed - r->o->cfg.seed_start];
    *done = 1;
    progress_seed(&r->prog, clock_seconds(), rows, n);
    tell_failures(r, rows, n);
    if (r->replacing ? switch_to_new(r, e) : folder_write_seeds(r->f, &r->seeds, e)) {
        *done = 0; /* not saved after all */
        return -1;
    }
    return teachers_status(&r->teach, e);
}

static int seed_done(void *ctx, uint64_t seed)
{
    run_state *r = ctx;
    return r->seeds.done[seed - r->o->cfg.seed_start];
}

static int load_teacher(void *ctx, uint64_t seed, float *params, double *loss)
{
    run_state *r = ctx;
    return teachers_load(&r->teach, seed, params, loss);
}

static void on_teacher(void *ctx, uint64_t seed, const float *params, double loss)
{
    run_state *r = ctx;
    teachers_keep(&r->teach, seed, params, loss);
}

/* ---- before the run ---- */

/* A folder holds one run.  With rows to keep, results.csv and curves.csv
 * are rewritten with just them; with none and nothing to replace, stale
 * rows are removed; then config.txt and run.txt are rewritten for this
 * run, and the derived files go until the run ends and makes them again.
 * A run replacing another's results (--force) changes nothing yet: its
 * first seed switches the folder to its files (switch_to_new). */
static int prepare_folder(run_state *r, err *e)
{
    static const char *const derived[] = {FOLDER_DERIVED};
    const folder *f = r->f;
    if (r->replacing)
        return 0;
    int ok = seed_table_count(&r->seeds, 1)
                 ? folder_write_seeds(f, &r->seeds, e) == 0
                 : folder_remove(f, FOLDER_RESULTS, e) == 0 && folder_remove(f, FOLDER_CURVES, e) == 0 &&
                       folder_remove(f, FOLDER_CLASSES, e) == 0;
    for (size_t i = 0; ok && i < sizeof derived / sizeof derived[0]; i++)
        ok = folder_remove(f, derived[i], e) == 0;
    return ok ? write_run_files(f, r, e) : -1;
}

/* What this run will do, on the log. */
static void tell_plan(const run_state *r, pool *p)
{
    const record_options *o = r->o;
    const experiment_config *cfg = &o->cfg;
    size_t kept = seed_table_count(&r->seeds, 1);
    if (!o->log || o->quiet)
        return;
    if (kept) {
        char had[256], todo[256];
        seed_table_list(&r->seeds, 1, had, sizeof had);
        seed_table_list(&r->seeds, 0, todo, sizeof todo);
        fprintf(o->log, "sublim: resuming: seeds %s kept from %s/%s; %s%s\n", had, r->f->dir,
                FOLDER_RESULTS, kept < cfg->seeds ? "running seeds " : "nothing left to run",
                kept < cfg->seeds ? todo : "");
    }
    fprintf(o->log, "sublim: %zu seed(s) from %" PRIu64 " on %zu thread(s), kernels %s\n",
            cfg->seeds, cfg->seed_start, pool_threads(p), kern_path_name());
    if (o->load_teacher) {
        size_t found = 0;
        for (size_t s = 0; s < cfg->seeds; s++)
            found += !r->seeds.done[s] && teachers_have(&r->teach, cfg->seed_start + s);
        fprintf(o->log, "sublim: teachers of %zu of the %zu seed(s) to run loaded from %s%s\n",
                found, cfg->seeds - kept, o->load_teacher,
                found < cfg->seeds - kept ? "; the others are trained" : "");
    }
}

/* Refuses to replace results unless asked to; resumes them when asked. */
static int take_over(run_state *r, const kv_list *config, kv_list **runs, size_t *n_runs,
                     err *e)
{
    const record_options *o = r->o;
    char path[FILES_PATH_MAX];
    *runs = NULL;
    *n_runs = 0;
    if (o->resume) {
        err why;
        if (folder_resume(r->f, config, &r->seeds, runs, n_runs, o->log, &why) == 0)
            return 0;
        return err_set(e, "cannot go on with the run the folder holds: %s", why.msg);
    }
    if (!folder_has(r->f, FOLDER_RESULTS))
        return 0;
    folder_path(r->f, FOLDER_RESULTS, path, sizeof path, NULL);
    if (!o->force)
        return err_set(e, "%s already holds results: --resume goes on with them, --force "
                          "replaces them, or choose another --out",
                       path);
    r->replacing = 1;
    if (o->log && !o->quiet)
        fprintf(o->log, "sublim: replacing the results in %s/ (--force) once this run's "
                        "first seed is done; they stay until then\n",
                r->f->dir);
    return 0;
}

/* ---- the run ---- */

/* After a successful run: summary.json, figures and report.md from the
 * files just written (as `sublim report` regenerates them), and the
 * summaries for the caller's table. */
static int finish(run_state *r, record_outcome *out, err *e)
{
    folder_content c;
    if (folder_read(r->f, &c, e))
        return -1;
    memcpy(out->sum, c.sum, sizeof out->sum);
    int rc = report_write(r->f, &c, e);
    folder_content_free(&c);
    return rc;
}

/* The run proper, once the folder is ready: run.txt's block for this run
 * is runs[n_runs - 1]. */
static int run(run_state *r, kv_list *runs, size_t n_runs, const dataset *train,
               const dataset *test, pool *p, double start, record_outcome *out, err *e)
{
    const record_options *o = r->o;
    char path[FILES_PATH_MAX];
    kv_list *mine = &runs[n_runs - 1];
    size_t n_noise = o->cfg.n_noise ? o->cfg.n_noise : train->n;
    progress_init(&r->prog, o->log, o->log && !o->quiet ? o->progress : PROGRESS_QUIET, &o->cfg,
                  train->n, n_noise, start);
    experiment_hooks hooks = {.on_batch = on_batch,
                              .on_epoch = on_epoch,
                              .on_align = on_align,
                              .on_seed = on_seed,
                              .seed_done = seed_done,
                              .load_teacher = load_teacher,
                              .on_teacher = on_teacher,
                              .ctx = r};
    int rc = experiment_run_on(&o->cfg, train, test, o->other, p, &hooks, r->seeds.rows, e);
    progress_end(&r->prog);
    out->wall_seconds = clock_seconds() - start;
    runlog_finish(mine, out->wall_seconds,
                  rc == 0 ? "finished" : interrupt_signal() ? "interrupted" : "failed");
    /* From here on, whatever fails, results.csv keeps the seeds run. */
    out->resumable = seed_table_count(&r->seeds, 1) > 0;
    if (folder_path(r->f, FOLDER_RUNS, path, sizeof path, e))
        return -1;
    if (rc) {
        /* Say in run.txt that this run stopped, unless the folder still
         * holds the run it was to replace. */
        err ignored;
        if (!r->replacing)
            runlog_write(path, runs, n_runs, &ignored);
        return -1;
    }
    return runlog_write(path, runs, n_runs, e) || finish(r, out, e) ? -1 : 0;
}

/* A block for this run at the end of run.txt's earlier ones, with the
 * data it reads. */
static int add_run(run_state *r, kv_list **runs, size_t *n_runs, pool *p,
                   const config_data *data, err *e)
{
    const record_options *o = r->o;
    kv_list *grown = realloc(*runs, (*n_runs + 1) * sizeof **runs);
    if (!grown)
        return err_set(e, "out of memory");
    *runs = grown;
    char seeds[448]; /* the seeds it runs: all but those kept */
    seed_table_list(&r->seeds, 0, seeds, sizeof seeds);
    runlog_make(&grown[*n_runs], o->argc, o->argv, o->data_dir, seeds, pool_threads(p),
                kern_path_name());
    config_data_set(&grown[(*n_runs)++], data);
    return 0;
}

int record_experiment(const folder *f, const record_options *o, const dataset *train,
                      const dataset *test, pool *p, record_outcome *out, err *e)
{
    memset(out, 0, sizeof *out);
    run_state r = {.f = f, .o = o, .train = train};
    checkpoint_key key;
    config_data data;
    kv_list config, *runs = NULL;
    size_t n_runs = 0;
    double start = clock_seconds();
    if (teachers_key(&key, &o->cfg, train, e) ||
        teachers_open(&r.teach, &key, o->cfg.seeds, o->load_teacher, o->save_teacher, e))
        return -1;
    enum dataset_kind inputs;
    /* A sweep hands the other dataset to every point: recorded where used. */
    config_data_of(&data, train, test,
                   student_inputs_dataset(o->cfg.student_inputs, &inputs) ? o->other : NULL);
    int rc = seed_table_init(&r.seeds, &o->cfg, e);
    if (rc == 0)
        rc = config_make(&config, &o->cfg, &data, o->data_dir, e) ||
                     take_over(&r, &config, &runs, &n_runs, e) ||
                     add_run(&r, &runs, &n_runs, p, &data, e)
                 ? -1
                 : 0;
    r.config = &config;
    r.runs = runs;
    r.n_runs = n_runs;
    if (rc == 0)
        rc = prepare_folder(&r, e);
    if (rc == 0) {
        out->kept = seed_table_count(&r.seeds, 1);
        tell_plan(&r, p);
        rc = run(&r, runs, n_runs, train, test, p, start, out, e);
    }
    free(runs);
    seed_table_free(&r.seeds);
    teachers_close(&r.teach);
    return rc;
}
