/* sublim experiment: the paper's MNIST experiment over seeds.
 *
 * Besides running the experiment, this command keeps a long run safe:
 *  - results.csv and curves.csv are rewritten (atomically) after every seed,
 *    so a run killed at any moment keeps the seeds it finished;
 *  - --resume keeps those seeds and runs only the others.  The folder's
 *    config.txt must match this run's flags (else refused, naming the key);
 *    results.csv then ends byte-identical to an uninterrupted run's, and so
 *    does curves.csv (its points of unfinished seeds are dropped and made
 *    again).  A seed with only some of its arms in results.csv is run again;
 *    a row outside this run's seeds or given twice is refused.  run.txt
 *    keeps the earlier blocks (one still "running" becomes "interrupted")
 *    and gets one for this run, whose seeds= lists the seeds it ran.  With
 *    no rows to keep, --resume is a fresh run;
 *  - --save-teacher FILE puts every seed's teacher in one checkpoint
 *    (checkpoint.h), rewritten atomically after each teacher.  A FILE that
 *    exists already is added to when it holds teachers of this very
 *    configuration, and refused otherwise (it is never overwritten);
 *  - --load-teacher FILE uses the teachers FILE holds instead of training
 *    them.  FILE must be a checkpoint of this configuration and data, else
 *    it is refused.  A seed FILE has no teacher for is trained as usual (a
 *    teacher is a pure function of its seed and configuration, so the rows
 *    are the same either way); a loaded teacher has no curve points, since
 *    it was not trained in this run. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/atomic.h"
#include "run/checkpoint.h"
#include "cli/commands.h"
#include "run/experiment.h"
#include "nn/idx.h"
#include "nn/kernels.h"
#include "out/progress.h"
#include "out/report.h"
#include "out/results.h"

#define PATH_SIZE 4200

/* ---- what the user sees while it runs, and what is saved per seed ---- */

typedef struct {
    const experiment_config *cfg;
    size_t n_arms;
    progress prog;
    arm_result *rows;      /* [seeds][n_arms]: slot s holds seed seed_start + s */
    unsigned char *done;   /* [seeds]: the slot's rows are final (run or kept) */
    arm_result *out;       /* [seeds × n_arms]: the final rows, for writing */
    curve_point *curves;   /* [seeds × trained-arm epochs], allocated up front */
    size_t n_curves, cap_curves;
    char csv_path[PATH_SIZE], curves_path[PATH_SIZE];
    /* Teachers: loaded from and saved to checkpoints (either may be NULL). */
    const checkpoint *load;
    checkpoint *save;
    const char *save_path;
    size_t save_cap;
    int save_failed;       /* saving stopped; save_err says why */
    err save_err;
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

/* Writes curves.csv, then results.csv, from every finished slot.  In that
 * order: a kill in between leaves curve points of a seed results.csv does
 * not have yet, which --resume drops. */
static int write_rows(run_view *v, err *e)
{
    if (v->cfg->curves) {
        report_curves_sort(v->curves, v->n_curves);
        if (report_curves_write(v->curves_path, v->curves, v->n_curves, e))
            return -1;
    }
    size_t k = 0;
    for (size_t s = 0; s < v->cfg->seeds; s++)
        if (v->done[s]) {
            memcpy(v->out + k, v->rows + s * v->n_arms, v->n_arms * sizeof *v->out);
            k += v->n_arms;
        }
    return results_write_csv(v->csv_path, v->out, k, e);
}

static int seed_done(void *ctx, uint64_t seed)
{
    run_view *v = ctx;
    return v->done[seed - v->cfg->seed_start];
}

/* Rewrites results.csv (and curves.csv) after every seed, so a killed run
 * keeps what it did; says which arm diverged, where. */
static int save_seed(void *ctx, const arm_result *seed_rows, size_t n, err *e)
{
    run_view *v = ctx;
    v->done[seed_rows[0].seed - v->cfg->seed_start] = 1;
    progress_seed(&v->prog, cmd_now_seconds(), seed_rows, n);
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    for (size_t i = 0; i < n; i++) {
        const arm_result *r = &seed_rows[i];
        if (!r->ok)
            fprintf(stderr, "sublim: diverged: %s; marked diverged in results.csv and left "
                            "out of the means\n",
                    r->why);
        /* Finite but useless: a teacher worse than guessing, ln 10, has
         * taught nothing (as with --lr 1e3, whose Adam steps stay finite). */
        else if (arms[r->arm].training == ARM_TEACHER && r->final_loss > log(EXPERIMENT_CLASSES))
            fprintf(stderr, "sublim: warning: seed %" PRIu64 ": the teacher's final loss %.4g is "
                            "worse than guessing (ln %d = %.2f) and its test accuracy %.1f%%: "
                            "is the learning rate (--lr %g) too high?\n",
                    r->seed, r->final_loss, EXPERIMENT_CLASSES, log(EXPERIMENT_CLASSES),
                    100.0 * (double)r->correct / (double)r->total, v->cfg->lr);
    }
    if (write_rows(v, e))
        return -1;
    if (v->save_failed) {
        *e = v->save_err;
        return -1;
    }
    return 0;
}

/* ---- teachers ---- */

/* Puts a teacher into the checkpoint being saved and rewrites it, unless it
 * is there already.  A failure is kept for save_seed to report. */
static void keep_teacher(run_view *v, uint64_t seed, const float *params, double loss)
{
    double had_loss;
    const float *had = checkpoint_find(v->save, seed, &had_loss);
    if (v->save_failed ||
        (had && had_loss == loss && memcmp(had, params, v->save->n_params * sizeof *had) == 0))
        return;
    err e;
    if (checkpoint_put(v->save, seed, loss, params, v->save_cap, &e) ||
        checkpoint_save(v->save, v->save_path, &e)) {
        v->save_failed = 1;
        snprintf(v->save_err.msg, sizeof v->save_err.msg,
                 "--save-teacher: cannot save the teacher of seed %" PRIu64 ": %.400s", seed,
                 e.msg);
    }
}

static void on_teacher(void *ctx, uint64_t seed, const float *params, double loss)
{
    run_view *v = ctx;
    if (v->save)
        keep_teacher(v, seed, params, loss);
}

static int load_teacher(void *ctx, uint64_t seed, float *params, double *loss)
{
    run_view *v = ctx;
    const float *p = v->load ? checkpoint_find(v->load, seed, loss) : NULL;
    if (!p)
        return 0;
    memcpy(params, p, v->load->n_params * sizeof *params);
    if (v->save)
        keep_teacher(v, seed, p, *loss);
    return 1;
}

static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* Loads a checkpoint of this key: refuses another configuration, a damaged
 * file and teachers that are not finite. */
static int load_checkpoint(checkpoint *c, const char *path, const checkpoint_key *key, err *e)
{
    if (checkpoint_load(c, path, e))
        return -1;
    if (checkpoint_check_key(c, key, path, e)) {
        checkpoint_free(c);
        return -1;
    }
    for (size_t t = 0; t < c->n; t++) {
        int finite = isfinite(c->losses[t]);
        for (size_t i = 0; finite && i < c->n_params; i++)
            finite = isfinite(c->params[t * c->n_params + i]);
        if (!finite) {
            err_set(e, "%s: the teacher of seed %" PRIu64 " is not finite", path, c->seeds[t]);
            checkpoint_free(c);
            return -1;
        }
    }
    return 0;
}

/* Sets up --load-teacher and --save-teacher: *load and *save are filled
 * (and must be freed) when their path is given. */
static int teachers_open(const experiment_config *cfg, const dataset *train,
                         const char *load_path, const char *save_path, checkpoint *load,
                         checkpoint *save, size_t *save_cap, err *e)
{
    checkpoint_key key;
    memset(&key, 0, sizeof key);
    if (mlp_shape_make(&key.shape, train->pixels, cfg->width, cfg->hidden_layers,
                       EXPERIMENT_CLASSES + cfg->m, e))
        return -1;
    key.init = (uint32_t)cfg->init;
    key.epochs = (uint32_t)cfg->teacher_epochs;
    key.batch = (uint32_t)cfg->batch;
    key.lr = cfg->lr;
    key.data_fingerprint = dataset_fingerprint(train);
    err why;
    if (load_path && load_checkpoint(load, load_path, &key, &why))
        return err_set(e, "--load-teacher: %.490s", why.msg);
    if (!save_path)
        return 0;
    /* Teachers FILE holds already are kept; a FILE that is not a checkpoint
     * of this configuration is someone's work: never overwritten. */
    checkpoint existing;
    const checkpoint *have = NULL;
    memset(&existing, 0, sizeof existing);
    if (load_path && same_file(load_path, save_path)) {
        have = load;
    } else if (access(save_path, F_OK) == 0) {
        if (load_checkpoint(&existing, save_path, &key, &why)) {
            err_set(e, "--save-teacher: %.300s; refusing to overwrite it (remove it or "
                       "choose another file)",
                    why.msg);
            goto fail;
        }
        have = &existing;
    }
    /* A place that cannot be written is refused now, not after a teacher
     * has been trained for it. */
    atomic_file probe;
    if (atomic_open(&probe, save_path, &why)) {
        err_set(e, "--save-teacher: %.490s", why.msg);
        goto fail;
    }
    atomic_abort(&probe);
    *save_cap = (have ? have->n : 0) + cfg->seeds;
    if (checkpoint_init(save, &key, *save_cap, e))
        goto fail;
    for (size_t t = 0; have && t < have->n; t++)
        checkpoint_put(save, have->seeds[t], have->losses[t],
                       have->params + t * have->n_params, *save_cap, e);
    checkpoint_free(&existing);
    return 0;
fail:
    checkpoint_free(&existing);
    if (load_path)
        checkpoint_free(load);
    return -1;
}

/* ---- the result folder ---- */

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Removes dir/name unless it is absent. */
static int remove_stale(const char *dir, const char *name, err *e)
{
    char path[PATH_SIZE];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (unlink(path) != 0 && errno != ENOENT)
        return err_set(e, "%s: cannot remove the previous run's file: %s", path,
                       strerror(errno));
    return 0;
}

/* Removes the temporary files (name.tmp.XXXXXX, atomic.h) a killed writer
 * of one of names left in dir.  A folder holds one run at a time. */
static void remove_temporaries(const char *dir, const char *const *names, size_t n_names)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    char path[PATH_SIZE];
    while ((de = readdir(d))) {
        for (size_t k = 0; k < n_names; k++) {
            size_t len = strlen(names[k]);
            if (strncmp(de->d_name, names[k], len) == 0 &&
                strncmp(de->d_name + len, ".tmp.", 5) == 0 && strlen(de->d_name + len) == 11) {
                snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
                unlink(path);
            }
        }
    }
    closedir(d);
}

/* Splits path into its folder and file name. */
static void split_path(const char *path, char *dir, size_t dir_size, const char **base)
{
    const char *slash = strrchr(path, '/');
    *base = slash ? slash + 1 : path;
    if (!slash)
        snprintf(dir, dir_size, ".");
    else if (slash == path)
        snprintf(dir, dir_size, "/");
    else
        snprintf(dir, dir_size, "%.*s", (int)(slash - path), path);
}

/* Number of epochs arm a is trained for (0: untrained). */
static size_t arm_epochs(const experiment_config *cfg, const arm_spec *arm)
{
    return arm->training == ARM_TEACHER   ? cfg->teacher_epochs
           : arm->training == ARM_STUDENT ? cfg->student_epochs
                                          : 0;
}

/* --resume: puts the rows and curve points of the seeds an earlier run of
 * this configuration finished into v; *kept counts those seeds.  The
 * earlier run's blocks of run.txt go to *runs (malloc'ed, n_runs).  -1 with
 * e on a folder that cannot be resumed. */
static int resume_load(run_view *v, const report_kvs *config, report_kvs **runs,
                       size_t *n_runs, size_t *kept, err *e)
{
    const experiment_config *cfg = v->cfg;
    const char *dir = cfg->out_dir;
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    char path[PATH_SIZE];
    arm_result *rows = NULL;
    curve_point *pts = NULL;
    unsigned char *have = NULL;
    size_t n_rows = 0, n_pts = 0;
    int rc = 0;
    *kept = 0;
    *runs = NULL;
    *n_runs = 0;
    if (!exists(v->csv_path))
        return 0;
    if (results_read_csv(v->csv_path, &rows, &n_rows, e))
        return -1;
    if (n_rows == 0) {
        free(rows);
        return 0;
    }
    /* Rows are kept only under the configuration that made them. */
    report_kvs old;
    snprintf(path, sizeof path, "%s/config.txt", dir);
    if (!exists(path)) {
        rc = err_set(e, "%s is missing, so the configuration of %s is unknown: cannot resume",
                     path, v->csv_path);
        goto done;
    }
    if (report_config_read(path, &old, e) ||
        report_config_compare(&old, path, config, "this run", e)) {
        rc = -1;
        goto done;
    }
    have = calloc(cfg->seeds * n_arms, 1);
    if (!have) {
        rc = err_set(e, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n_rows; i++) {
        const arm_result *r = &rows[i];
        if (r->seed < cfg->seed_start || r->seed - cfg->seed_start >= cfg->seeds) {
            char range[64];
            uint64_t last = cfg->seed_start + cfg->seeds - 1;
            if (cfg->seeds == 1)
                snprintf(range, sizeof range, "%" PRIu64, last);
            else
                snprintf(range, sizeof range, "%" PRIu64 "-%" PRIu64, cfg->seed_start, last);
            rc = err_set(e,
                         "%s holds seed %" PRIu64 ", not one of this run's seeds (%s): resume "
                         "with the --seeds and --seed-start of the run being resumed (or more "
                         "seeds), or use another --out and 'sublim merge'",
                         v->csv_path, r->seed, range);
            goto done;
        }
        size_t at = (size_t)(r->seed - cfg->seed_start) * n_arms + r->arm;
        if (have[at]) {
            rc = err_set(e, "%s holds seed %" PRIu64 ", arm %s twice: not a file sublim "
                            "wrote; cannot resume",
                         v->csv_path, r->seed, arms[r->arm].name);
            goto done;
        }
        have[at] = 1;
        v->rows[at] = *r;
    }
    for (size_t s = 0; s < cfg->seeds; s++) {
        size_t n_have = 0;
        for (size_t a = 0; a < n_arms; a++)
            n_have += have[s * n_arms + a];
        v->done[s] = n_have == n_arms;
        *kept += v->done[s];
        if (n_have && n_have < n_arms)
            fprintf(stderr, "sublim: seed %" PRIu64 " has %zu of its %zu rows in %s: running "
                            "it again\n",
                    cfg->seed_start + s, n_have, n_arms, v->csv_path);
    }
    if (*kept == 0)
        goto done;

    /* curves.csv: the points of the kept seeds, and only those. */
    int has_curves = exists(v->curves_path);
    if (cfg->curves && !has_curves) {
        rc = err_set(e, "%s is missing (was the run being resumed a --no-curves run?): "
                        "resume with --no-curves",
                     v->curves_path);
        goto done;
    }
    if (!cfg->curves && has_curves) {
        rc = err_set(e, "%s exists: the run being resumed measured curves; resume without "
                        "--no-curves",
                     v->curves_path);
        goto done;
    }
    if (cfg->curves) {
        if (report_curves_read(v->curves_path, &pts, &n_pts, e)) {
            rc = -1;
            goto done;
        }
        report_curves_sort(pts, n_pts);
        for (size_t i = 0; i < n_pts; i++) {
            const curve_point *c = &pts[i];
            int in_range = c->seed >= cfg->seed_start && c->seed - cfg->seed_start < cfg->seeds;
            if (!in_range || c->epoch > arm_epochs(cfg, &arms[c->arm]) ||
                (i > 0 && c->seed == pts[i - 1].seed && c->arm == pts[i - 1].arm &&
                 c->epoch == pts[i - 1].epoch)) {
                rc = err_set(e, "%s: seed %" PRIu64 ", arm %s, epoch %zu is not a point of "
                                "this run: cannot resume",
                             v->curves_path, c->seed, arms[c->arm].name, c->epoch);
                goto done;
            }
            if (!v->done[c->seed - cfg->seed_start])
                continue; /* a seed killed before its rows were saved */
            if (v->n_curves == v->cap_curves) {
                rc = err_set(e, "%s: more points than this run makes", v->curves_path);
                goto done;
            }
            v->curves[v->n_curves++] = *c;
        }
    }

    /* run.txt: the earlier runs' blocks; one still "running" was killed. */
    snprintf(path, sizeof path, "%s/run.txt", dir);
    if (exists(path)) {
        if (report_runs_read(path, runs, n_runs, e)) {
            rc = -1;
            goto done;
        }
        for (size_t r = 0; r < *n_runs; r++) {
            const char *status = report_kvs_get(&(*runs)[r], "status");
            if (status && strcmp(status, "running") == 0)
                report_kvs_set(&(*runs)[r], "status", "interrupted");
        }
    }
done:
    if (rc) {
        memset(v->done, 0, cfg->seeds);
        v->n_curves = 0;
        free(*runs);
        *runs = NULL;
        *n_runs = 0;
        *kept = 0;
    } else if (*kept == 0) {
        memset(v->done, 0, cfg->seeds);
    }
    free(rows);
    free(pts);
    free(have);
    return rc;
}

/* The seeds of the slots done (or not yet done): "3-5, 8", or "none". */
static void seed_slots(char *buf, size_t size, const run_view *v, int done)
{
    uint64_t *seeds = calloc(v->cfg->seeds ? v->cfg->seeds : 1, sizeof *seeds);
    size_t n = 0;
    if (!seeds) {
        snprintf(buf, size, "?");
        return;
    }
    for (size_t s = 0; s < v->cfg->seeds; s++)
        if (!v->done[s] == !done)
            seeds[n++] = v->cfg->seed_start + s;
    report_seed_list(buf, size, seeds, n);
    if (n == 0)
        snprintf(buf, size, "none");
    free(seeds);
}

/* ---- the command ---- */

int cmd_experiment(int argc, char **argv)
{
    experiment_config cfg = experiment_defaults();
    int init = 0, noise = 0, quiet = 0, no_curves = 0, resume = 0;
    const char *save_path = NULL, *load_path = NULL;
    const flag_spec specs[] = {
        {"seeds", FLAG_SIZE, &cfg.seeds, 1, 100000, NULL, "independent replicates"},
        {"seed-start", FLAG_U64, &cfg.seed_start, 0, 1e15, NULL, "first seed"},
        {"epochs", FLAG_SIZE, &cfg.teacher_epochs, 0, EXPERIMENT_MAX_EPOCHS, NULL,
         "teacher epochs"},
        {"student-epochs", FLAG_SIZE, &cfg.student_epochs, 0, EXPERIMENT_MAX_EPOCHS, NULL,
         "student epochs"},
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
        {"resume", FLAG_SWITCH, &resume, 0, 0, NULL,
         "keep the seeds a killed run of this configuration finished in OUT; run the rest"},
        {"save-teacher", FLAG_STRING, &save_path, 0, 0, NULL,
         "save every seed's trained teacher in this checkpoint file"},
        {"load-teacher", FLAG_STRING, &load_path, 0, 0, NULL,
         "use the teachers saved in this checkpoint file instead of training them"},
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
                           "summary.json, figure.svg, curves.svg and report.md.  A killed run\n"
                           "goes on where it stopped with the same flags plus --resume.",
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
    checkpoint loaded, saved;
    memset(&loaded, 0, sizeof loaded);
    memset(&saved, 0, sizeof saved);
    size_t save_cap = 0;
    if ((load_path || save_path) &&
        teachers_open(&cfg, &train, load_path, save_path, &loaded, &saved, &save_cap, &e)) {
        fprintf(stderr, "sublim: %s\n", e.msg);
        dataset_free(&train);
        dataset_free(&test);
        return 1;
    }
    size_t n_arms, n_trained = 0;
    const arm_spec *arms = experiment_arms(&n_arms);
    for (size_t a = 0; a < n_arms; a++)
        n_trained += arm_epochs(&cfg, &arms[a]);
    size_t n_noise = cfg.n_noise ? cfg.n_noise : train.n;
    arm_result *rows = calloc(cfg.seeds * n_arms, sizeof *rows);
    arm_result *out_rows = calloc(cfg.seeds * n_arms, sizeof *out_rows);
    unsigned char *done = calloc(cfg.seeds, 1);
    size_t cap_curves = cfg.curves ? cfg.seeds * n_trained : 0;
    curve_point *curves = malloc((cap_curves ? cap_curves : 1) * sizeof *curves);
    pool *p = rows && out_rows && done && curves ? cmd_make_pool(cfg.threads) : NULL;
    report_kvs config, *runs = NULL;
    size_t n_runs = 0;
    char path[PATH_SIZE];
    rc = 1;
    if (!rows || !out_rows || !done || !curves) {
        fprintf(stderr, "sublim: out of memory for %zu seeds\n", cfg.seeds);
    } else if (!p) {
        /* cmd_make_pool said why */
    } else if (ensure_dir(cfg.out_dir, &e)) {
        fprintf(stderr, "sublim: %s\n", e.msg);
    } else {
        double start = cmd_now_seconds();
        run_view view = {.cfg = &cfg,
                         .n_arms = n_arms,
                         .rows = rows,
                         .done = done,
                         .out = out_rows,
                         .curves = curves,
                         .cap_curves = cap_curves,
                         .load = load_path ? &loaded : NULL,
                         .save = save_path ? &saved : NULL,
                         .save_path = save_path,
                         .save_cap = save_cap};
        snprintf(view.csv_path, sizeof view.csv_path, "%s/results.csv", cfg.out_dir);
        snprintf(view.curves_path, sizeof view.curves_path, "%s/curves.csv", cfg.out_dir);
        experiment_hooks hooks = {.on_batch = on_batch,
                                  .on_epoch = on_epoch,
                                  .on_seed = save_seed,
                                  .seed_done = seed_done,
                                  .load_teacher = load_teacher,
                                  .on_teacher = on_teacher,
                                  .ctx = &view};
        static const char *const outputs[] = {"results.csv", "curves.csv", "run.txt",
                                              "config.txt",  "summary.json", "figure.svg",
                                              "curves.svg",  "report.md"};
        remove_temporaries(cfg.out_dir, outputs, sizeof outputs / sizeof outputs[0]);
        if (save_path) {
            char dir[PATH_SIZE];
            const char *base;
            split_path(save_path, dir, sizeof dir, &base);
            remove_temporaries(dir, &base, 1);
        }
        size_t kept = 0;
        int ok = report_config_make(&config, &cfg, cfg.data_dir, &e) == 0;
        if (ok && resume) {
            ok = resume_load(&view, &config, &runs, &n_runs, &kept, &e) == 0;
            if (!ok) {
                char msg[sizeof e.msg];
                snprintf(msg, sizeof msg, "--resume: %.490s", e.msg);
                snprintf(e.msg, sizeof e.msg, "%s", msg);
            }
        } else if (exists(view.csv_path) && !quiet) {
            fprintf(stderr, "sublim: replacing the results in %s/ (--resume keeps them)\n",
                    cfg.out_dir);
        }
        /* This run's block of run.txt goes after the earlier runs' ones. */
        report_kvs *grown = ok ? realloc(runs, (n_runs + 1) * sizeof *runs) : NULL;
        if (ok && !grown) {
            ok = 0;
            err_set(&e, "out of memory");
        }
        report_kvs *run = NULL;
        if (ok) {
            runs = grown;
            run = &runs[n_runs++];
            char *cmdline[1024];
            int n_cmd = 0;
            cmdline[n_cmd++] = "sublim";
            cmdline[n_cmd++] = "experiment";
            for (int i = 0; i < argc && n_cmd < 1024; i++)
                cmdline[n_cmd++] = argv[i];
            report_run_make(run, n_cmd, cmdline, &cfg, pool_threads(p), kern_path_name());
            if (kept) {
                char list[448];
                seed_slots(list, sizeof list, &view, 0);
                report_kvs_set(run, "seeds", list);
            }
        }
        /* A folder holds one run: without rows to keep, a previous run's
         * rows are removed before config.txt and run.txt are rewritten for
         * this one, so the files never describe different runs.  With rows
         * to keep, results.csv and curves.csv are rewritten with just them. */
        if (ok && kept) {
            ok = write_rows(&view, &e) == 0;
        } else if (ok) {
            ok = remove_stale(cfg.out_dir, "results.csv", &e) == 0 &&
                 remove_stale(cfg.out_dir, "curves.csv", &e) == 0;
        }
        ok = ok && remove_stale(cfg.out_dir, "summary.json", &e) == 0;
        snprintf(path, sizeof path, "%s/run.txt", cfg.out_dir);
        ok = ok && report_runs_write(path, runs, n_runs, &e) == 0;
        snprintf(path, sizeof path, "%s/config.txt", cfg.out_dir);
        ok = ok && report_config_write(path, &config, &e) == 0;
        if (ok && !quiet) {
            if (kept) {
                char had[256], todo[256];
                seed_slots(had, sizeof had, &view, 1);
                seed_slots(todo, sizeof todo, &view, 0);
                fprintf(stderr, "sublim: resuming: seeds %s kept from %s; %s%s\n", had,
                        view.csv_path, kept < cfg.seeds ? "running seeds " : "nothing left to run",
                        kept < cfg.seeds ? todo : "");
            }
            fprintf(stderr, "sublim: %zu seed(s) from %" PRIu64 " on %zu thread(s), kernels %s\n",
                    cfg.seeds, cfg.seed_start, pool_threads(p), kern_path_name());
            if (load_path) {
                size_t found = 0;
                for (size_t s = 0; s < cfg.seeds; s++)
                    found += !done[s] && checkpoint_find(&loaded, cfg.seed_start + s, NULL);
                fprintf(stderr, "sublim: teachers of %zu of the %zu seed(s) to run loaded from "
                                "%s%s\n",
                        found, cfg.seeds - kept, load_path,
                        found < cfg.seeds - kept ? "; the others are trained" : "");
            }
        }
        if (ok) {
            progress_init(&view.prog, stderr,
                          quiet                   ? PROGRESS_QUIET
                          : isatty(STDERR_FILENO) ? PROGRESS_TERMINAL
                                                  : PROGRESS_LINES,
                          &cfg, train.n, n_noise, start);
        }
        if (ok && experiment_run(&cfg, &train, &test, p, &hooks, rows, &e) == 0) {
            progress_end(&view.prog);
            arm_summary sum[16];
            results_summarize(rows, cfg.seeds * n_arms, sum);
            double wall = cmd_now_seconds() - start;
            report_run_finish(run, wall, "finished");
            char summary[PATH_SIZE];
            snprintf(path, sizeof path, "%s/run.txt", cfg.out_dir);
            snprintf(summary, sizeof summary, "%s/summary.json", cfg.out_dir);
            /* figure.svg, curves.svg and report.md from the files just
             * written, exactly as `sublim report` regenerates them. */
            if (report_runs_write(path, runs, n_runs, &e) == 0 &&
                results_write_summary(summary, &cfg, sum, pool_threads(p), kern_path_name(),
                                      wall, &e) == 0 &&
                report_regenerate(cfg.out_dir, &e) == 0) {
                results_print_table(stdout, sum);
                if (!quiet) {
                    if (kept)
                        printf("\n%zu seed(s) in %.1f s, %zu kept from earlier runs; results "
                               "in %s/\n",
                               cfg.seeds - kept, wall, kept, cfg.out_dir);
                    else
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
            report_run_finish(run, cmd_now_seconds() - start, "failed");
            snprintf(path, sizeof path, "%s/run.txt", cfg.out_dir);
            report_runs_write(path, runs, n_runs, &ignored);
        }
        int any_done = 0;
        for (size_t s = 0; s < cfg.seeds; s++)
            any_done |= done[s];
        if (rc) {
            fprintf(stderr, "sublim: %s\n", e.msg);
            if (ok && any_done)
                fprintf(stderr, "sublim: %s/results.csv keeps the seeds finished so far; "
                                "the same command with --resume goes on from there\n",
                        cfg.out_dir);
        }
    }
    pool_free(p);
    free(runs);
    free(rows);
    free(out_rows);
    free(done);
    free(curves);
    checkpoint_free(&loaded);
    checkpoint_free(&saved);
    dataset_free(&train);
    dataset_free(&test);
    return rc;
}
