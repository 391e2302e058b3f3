/* Tests of an experiment run recorded in a result folder (out/record.h),
 * in-process on the real MNIST (skipped, saying so, without ./mnist) with
 * a tiny configuration:
 *  - --resume gives the bytes of an uninterrupted run and refuses what it
 *    cannot keep; with nothing to keep it is a fresh run;
 *  - a folder holding results is refused (left as it was) unless resumed
 *    or forced, and --force replaces it, keeping the old files whole until
 *    its first seed is done;
 *  - teachers saved to and loaded from checkpoints give the same rows, and
 *    other configurations or damaged files are refused;
 *  - a run that fails midway says so in run.txt and tells whether resume
 *    can go on. */
#define _GNU_SOURCE /* fopencookie (funopen on macOS): a log that acts on what the run says */
#include "testutil.h"
#include "tu_folder.h"

#include <sys/stat.h>
#include "base/files.h"
#include "out/folder.h"
#include "out/record.h"
#include "out/replace.h"
#include "out/results.h"
#include "run/checkpoint.h"

typedef struct {
    tu_dir d;
    dataset train, test;
    pool *p;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    tu_tempdir(fx->d.dir, sizeof fx->d.dir);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    dataset_free(&fx->train);
    dataset_free(&fx->test);
    pool_free(fx->p);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->d.dir);
    int rc = system(cmd);
    free(fx);
    return rc == 0 ? 0 : -1;
}

/* MNIST, once per test, and two threads (the old command-line tests'). */
static void load_data(fixture *fx)
{
    tu_need_mnist();
    err e;
    if (dataset_load(&fx->train, "mnist", "train", EXPERIMENT_CLASSES, &e) ||
        dataset_load(&fx->test, "mnist", "t10k", EXPERIMENT_CLASSES, &e))
        fail_msg("%s", e.msg);
    fx->p = pool_create(2);
    assert_non_null(fx->p);
}

/* The tiny configuration of `--width 16 --epochs 1 --student-epochs 1
 * --noise-images 2048 --batch 512` with curves, as `sublim experiment`
 * records it. */
static record_options tiny(size_t seeds)
{
    static char *argv[] = {"sublim", "experiment"};
    record_options o = {.cfg = experiment_defaults(), .data_dir = "mnist", .argc = 2,
                        .argv = argv, .progress = PROGRESS_QUIET, .quiet = 1};
    o.cfg.seeds = seeds;
    o.cfg.width = 16;
    o.cfg.teacher_epochs = 1;
    o.cfg.student_epochs = 1;
    o.cfg.n_noise = 2048;
    o.cfg.batch = 512;
    o.cfg.curves = 1;
    return o;
}

/* Records o into the folder name of the test's folder (created).  e gets
 * the error; *out the outcome (may be NULL). */
static int record(fixture *fx, const char *name, const record_options *o, record_outcome *out,
                  err *e)
{
    folder f;
    record_outcome ignored;
    if (folder_open(&f, tu_path(fx->d.dir, name), 1, e))
        fail_msg("%s", e->msg);
    int rc = record_experiment(&f, o, &fx->train, &fx->test, fx->p, out ? out : &ignored, e);
    folder_close(&f);
    return rc;
}

/* Expects record to succeed. */
static void record_ok(fixture *fx, const char *name, const record_options *o,
                      record_outcome *out)
{
    err e = {{0}};
    if (record(fx, name, o, out, &e))
        fail_msg("%s: %s", name, e.msg);
}

/* Expects record to fail with both words in its message. */
static void record_refused(fixture *fx, const char *name, const record_options *o,
                           const char *w1, const char *w2)
{
    err e = {{0}};
    if (record(fx, name, o, NULL, &e) == 0)
        fail_msg("%s: recorded; expected a refusal saying %s", name, w1);
    tu_assert_contains(e.msg, w1);
    tu_assert_contains(e.msg, w2);
}

/* Fails unless the file name of folders a and b (in the test's folder)
 * holds the same bytes. */
static void same(fixture *fx, const char *a, const char *b, const char *name)
{
    char pa[700], pb[700];
    snprintf(pa, sizeof pa, "%s/%s/%s", fx->d.dir, a, name);
    snprintf(pb, sizeof pb, "%s/%s/%s", fx->d.dir, b, name);
    tu_assert_same_file(pa, pb);
}

static char *slurp_in(fixture *fx, const char *folder_name, const char *file)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s/%s", fx->d.dir, folder_name, file);
    return tu_slurp(path, NULL);
}

/* Records tiny(1) into the folder "a" of the test's folder, whose path goes
 * to dir; returns the options it recorded. */
static record_options record_one_seed_in_a(fixture *fx, char *dir, size_t size)
{
    snprintf(dir, size, "%s/a", fx->d.dir);
    record_options o = tiny(1);
    record_ok(fx, "a", &o, NULL);
    return o;
}

/* ---- resume ---- */

/* A run "killed" after 2 of 3 seeds, resumed, ends with the bytes of an
 * uninterrupted run, though its curves.csv and alignment.csv held points
 * of the seed it had not finished (a kill between writing them and
 * results.csv); run.txt
 * keeps the first run's block and says the resumed one ran seed 2 only.
 * Resuming a finished run changes none of its rows. */
static void resume_matches_an_uninterrupted_run(void **state)
{
    fixture *fx = *state;
    load_data(fx);
    const char *d = fx->d.dir;
    record_options o = tiny(3);
    record_ok(fx, "ref", &o, NULL);
    record_options two = tiny(2);
    record_ok(fx, "run", &two, NULL);
    /* A kill after curves.csv and alignment.csv were written, before
     * results.csv: they hold seed 2, which the resume runs again. */
    static const char *const ahead[] = {FOLDER_CURVES, FOLDER_ALIGNMENT};
    for (size_t k = 0; k < 2; k++) {
        char *text = slurp_in(fx, "ref", ahead[k]), path[700];
        snprintf(path, sizeof path, "%s/run/%s", d, ahead[k]);
        tu_write_file(path, text, strlen(text));
        free(text);
    }

    o.resume = 1;
    record_outcome out;
    record_ok(fx, "run", &o, &out);
    assert_int_equal(out.kept, 2);
    same(fx, "ref", "run", FOLDER_RESULTS);
    same(fx, "ref", "run", FOLDER_CURVES);
    same(fx, "ref", "run", FOLDER_ALIGNMENT);
    char *runs = slurp_in(fx, "run", FOLDER_RUNS);
    tu_assert_contains(runs, "seeds=0-1\n"); /* the first run */
    tu_assert_contains(runs, "seeds=2\n");   /* the resumed run ran seed 2 only */
    assert_int_equal(tu_count(runs, "[run]"), 2);
    assert_int_equal(tu_count(runs, "status=finished\n"), 2);
    free(runs);

    record_ok(fx, "run", &o, &out);
    assert_int_equal(out.kept, 3);
    same(fx, "ref", "run", FOLDER_RESULTS);
    same(fx, "ref", "run", FOLDER_CURVES);
    same(fx, "ref", "run", FOLDER_ALIGNMENT);
    runs = slurp_in(fx, "run", FOLDER_RUNS);
    tu_assert_contains(runs, "seeds=none\n");
    free(runs);
    assert_int_equal(tu_count_temporaries(tu_path(d, "run")), 0);
}

/* A folder whose config.txt spells a value as an older writer did (the
 * learning rate as %.17g writes it: 0.00029999999999999997) resumes: the
 * configurations are compared by value, and the rows end as an
 * uninterrupted run's. */
static void resume_keeps_an_older_spelling(void **state)
{
    fixture *fx = *state;
    load_data(fx);
    record_options o = tiny(2);
    record_ok(fx, "ref", &o, NULL);
    record_options one = tiny(1);
    record_ok(fx, "run", &one, NULL);
    char *config = slurp_in(fx, "run", FOLDER_CONFIG), *lr = strstr(config, "\nlr=0.0003\n");
    assert_non_null(lr);
    char old[8192];
    snprintf(old, sizeof old, "%.*s\nlr=0.00029999999999999997\n%s", (int)(lr - config), config,
             lr + strlen("\nlr=0.0003\n"));
    tu_write_file(tu_path(fx->d.dir, "run/" FOLDER_CONFIG), old, strlen(old));
    free(config);

    o.resume = 1;
    record_outcome out;
    record_ok(fx, "run", &o, &out);
    assert_int_equal(out.kept, 1);
    same(fx, "ref", "run", FOLDER_RESULTS);
    same(fx, "ref", "run", FOLDER_CONFIG);
}

/* What --resume cannot keep is refused, saying why, and the folder's rows
 * are left alone: another configuration (naming the key), rows of seeds
 * this run does not have, curves.csv missing with curves on, a row twice,
 * a damaged results.csv.  After all that the rows resume as they were. */
static void resume_refuses_what_it_cannot_keep(void **state)
{
    fixture *fx = *state;
    load_data(fx);
    const char *d = fx->d.dir;
    record_options o = tiny(2);
    record_ok(fx, "run", &o, NULL);
    char *before = slurp_in(fx, "run", FOLDER_RESULTS);
    char results[700];
    snprintf(results, sizeof results, "%s/run/%s", d, FOLDER_RESULTS);

    record_options r = tiny(3);
    r.resume = 1;
    r.cfg.lr = 1e-3;
    record_refused(fx, "run", &r, "lr=0.0003", "lr=0.001");
    char *now = slurp_in(fx, "run", FOLDER_RESULTS);
    assert_string_equal(before, now);
    free(now);

    r = tiny(1);
    r.resume = 1;
    r.cfg.seed_start = 5;
    record_refused(fx, "run", &r, "cannot go on with the run", "seed 0");

    r = tiny(3);
    r.resume = 1;
    assert_int_equal(rename(tu_path(d, "run/" FOLDER_CURVES), tu_path(d, "curves.bak")), 0);
    record_refused(fx, "run", &r, "cannot go on with the run", "--no-curves");
    assert_int_equal(rename(tu_path(d, "curves.bak"), tu_path(d, "run/" FOLDER_CURVES)), 0);

    char *twice = tu_rows_twice(before);
    tu_write_file(results, twice, strlen(twice));
    record_refused(fx, "run", &r, "cannot go on with the run", "twice");
    free(twice);

    tu_write_file(results, "seed,arm\n1,2\n", 13);
    record_refused(fx, "run", &r, "cannot go on with the run", FOLDER_RESULTS);

    tu_write_file(results, before, strlen(before));
    o.resume = 1;
    record_ok(fx, "run", &o, NULL);
    now = slurp_in(fx, "run", FOLDER_RESULTS);
    assert_string_equal(before, now);
    free(now);
    free(before);
}

/* --resume with nothing to keep (a new folder) is a plain run. */
static void resume_with_nothing_to_keep_is_a_fresh_run(void **state)
{
    fixture *fx = *state;
    load_data(fx);
    record_options o = tiny(2);
    record_ok(fx, "ref", &o, NULL);
    o.resume = 1;
    record_outcome out;
    record_ok(fx, "run", &o, &out);
    assert_int_equal(out.kept, 0);
    same(fx, "ref", "run", FOLDER_RESULTS);
    same(fx, "ref", "run", FOLDER_CURVES);
    same(fx, "ref", "run", FOLDER_ALIGNMENT);
    char *runs = slurp_in(fx, "run", FOLDER_RUNS);
    assert_int_equal(tu_count(runs, "[run]"), 1);
    tu_assert_contains(runs, "seeds=0-1\n");
    free(runs);
}

/* ---- a folder that holds results ---- */

/* Without --resume or --force, a folder holding results is refused (the
 * message offering both) and left byte for byte as it was; --force
 * replaces it: only the new run's rows and run.txt block remain. */
static void results_refused_unless_forced(void **state)
{
    fixture *fx = *state;
    load_data(fx);
    char dir[600];
    record_one_seed_in_a(fx, dir, sizeof dir);
    char *before = tu_snapshot(dir);
    record_options other = tiny(1);
    other.cfg.seed_start = 1;
    record_refused(fx, "a", &other, "already holds results", "--force");
    record_refused(fx, "a", &other, "--resume", FOLDER_RESULTS);
    char *after = tu_snapshot(dir);
    assert_string_equal(before, after);
    free(after);
    assert_int_equal(tu_count_temporaries(dir), 0);

    other.force = 1;
    record_ok(fx, "a", &other, NULL);
    folder f;
    folder_content c;
    err e = {{0}};
    assert_int_equal(folder_open_read(&f, dir, &e), 0);
    assert_int_equal(folder_read(&f, &c, &e), 0);
    assert_int_equal(c.n_seeds, 1);
    assert_true(c.seeds[0] == 1);
    assert_int_equal(c.n_runs, 1);
    assert_string_equal(kv_get(&c.runs[0], "seeds"), "1");
    folder_content_free(&c);
    folder_close(&f);
    free(before);
}

/* ---- teachers ---- */

/* Teachers saved by one run and loaded by another give a plain run's rows
 * (seeds without a saved teacher are trained); loading and saving one
 * file adds the new teachers to it.  Another configuration is refused by
 * --load-teacher and --save-teacher (which leaves the file alone), and so
 * is a damaged file. */
static void teachers_saved_and_loaded(void **state)
{
    fixture *fx = *state;
    load_data(fx);
    const char *d = fx->d.dir;
    char ck_path[700], bad_path[700];
    snprintf(ck_path, sizeof ck_path, "%s/t.ck", d);
    snprintf(bad_path, sizeof bad_path, "%s/bad.ck", d);
    record_options o = tiny(2);
    o.save_teacher = ck_path;
    record_ok(fx, "a", &o, NULL);
    o = tiny(3);
    record_ok(fx, "ref", &o, NULL);
    o.load_teacher = ck_path;
    record_ok(fx, "b", &o, NULL);
    same(fx, "ref", "b", FOLDER_RESULTS);
    o.save_teacher = ck_path;
    record_ok(fx, "c", &o, NULL);
    checkpoint c;
    err e = {{0}};
    assert_int_equal(checkpoint_load(&c, ck_path, &e), 0);
    assert_int_equal(c.n, 3);
    checkpoint_free(&c);
    same(fx, "ref", "c", FOLDER_RESULTS);

    size_t n;
    char *ck = tu_slurp(ck_path, &n);
    o = tiny(1);
    o.cfg.lr = 1e-3;
    o.load_teacher = ck_path;
    record_refused(fx, "x", &o, "t.ck", "--lr");
    o.load_teacher = NULL;
    o.save_teacher = ck_path;
    record_refused(fx, "x", &o, "t.ck", "refusing to overwrite");
    size_t n_after;
    char *ck_after = tu_slurp(ck_path, &n_after);
    assert_int_equal(n, n_after);
    assert_memory_equal(ck, ck_after, n);
    free(ck_after);
    ck[n / 2] ^= 1;
    tu_write_file(bad_path, ck, n);
    o = tiny(1);
    o.load_teacher = bad_path;
    record_refused(fx, "x", &o, "bad.ck", "damaged");
    assert_false(files_exists(tu_path(d, "x/" FOLDER_RESULTS)));
    free(ck);
}

/* ---- a run that fails ---- */

/* A log stream that calls act() once, when the run has said `when`. */
typedef struct {
    char said[1 << 16];
    size_t n;
    char when[64];
    void (*act)(const char *arg);
    const char *arg;
    int acted;
} watch;

static void watch_take(watch *w, const char *buf, size_t size)
{
    size_t room = sizeof w->said - 1 - w->n, k = size < room ? size : room;
    memcpy(w->said + w->n, buf, k);
    w->n += k;
    w->said[w->n] = '\0';
    if (!w->acted && strstr(w->said, w->when)) {
        w->acted = 1;
        w->act(w->arg);
    }
}

/* A stream that writes to a watch: funopen where the BSDs' stdio has it
 * and glibc's fopencookie does not (macOS, OpenBSD, NetBSD), else
 * fopencookie (glibc, musl, FreeBSD). */
#if defined(__APPLE__) || defined(__OpenBSD__) || defined(__NetBSD__)
static int watch_write(void *cookie, const char *buf, int size)
{
    watch_take(cookie, buf, (size_t)size);
    return size;
}

static FILE *watch_stream(watch *w)
{
    return funopen(w, NULL, watch_write, NULL, NULL);
}
#else
static ssize_t watch_write(void *cookie, const char *buf, size_t size)
{
    watch_take(cookie, buf, size);
    return (ssize_t)size;
}

static FILE *watch_stream(watch *w)
{
    cookie_io_functions_t io = {.write = watch_write};
    return fopencookie(w, "w", io);
}
#endif

/* Has o's run log in lines to a watch that calls act(arg) once the run
 * says that seed s's teacher has trained; end it with unwatch(). */
static watch *watch_log(record_options *o, uint64_t s, void (*act)(const char *arg),
                        const char *arg)
{
    watch *w = calloc(1, sizeof *w);
    assert_non_null(w);
    w->act = act;
    w->arg = arg;
    size_t n_arms;
    snprintf(w->when, sizeof w->when, "seed %llu %s", (unsigned long long)s,
             experiment_arms(&n_arms)[experiment_teacher_arm()].name);
    o->log = watch_stream(w);
    assert_non_null(o->log);
    setvbuf(o->log, NULL, _IONBF, 0);
    o->quiet = 0;
    o->progress = PROGRESS_LINES;
    return w;
}

/* Closes o's log; fails unless the watch acted. */
static void unwatch(record_options *o, watch *w)
{
    fclose(o->log);
    assert_true(w->acted);
    free(w);
}

/* Puts a folder where the file path was: the next atomic write of it fails. */
static void block(const char *path)
{
    unlink(path);
    if (mkdir(path, 0755) != 0)
        abort();
}

/* Seed 1's teacher cannot be saved (its checkpoint became a folder): the
 * run stops after saving seed 1's rows, run.txt says status=failed, the
 * outcome says resume can go on, and it does, to a plain run's bytes. */
static void failed_run_is_resumable(void **state)
{
    fixture *fx = *state;
    load_data(fx);
    char ck_path[700];
    snprintf(ck_path, sizeof ck_path, "%s/t.ck", fx->d.dir);
    record_options o = tiny(3);
    o.save_teacher = ck_path;
    watch *w = watch_log(&o, 1, block, ck_path);
    record_outcome out;
    err e = {{0}};
    assert_int_equal(record(fx, "run", &o, &out, &e), -1);
    unwatch(&o, w);
    tu_assert_contains(e.msg, "--save-teacher");
    tu_assert_contains(e.msg, "seed 1");
    assert_true(out.resumable);
    char *runs = slurp_in(fx, "run", FOLDER_RUNS);
    tu_assert_contains(runs, "status=failed\n");
    tu_assert_contains(runs, "seeds=0-2\n");
    free(runs);

    folder f;
    folder_content c;
    assert_int_equal(folder_open_read(&f, tu_path(fx->d.dir, "run"), &e), 0);
    assert_int_equal(folder_read(&f, &c, &e), 0);
    assert_int_equal(c.n_seeds, 2); /* seeds 0 and 1 */
    folder_content_free(&c);
    folder_close(&f);

    o = tiny(3);
    record_ok(fx, "ref", &o, NULL);
    o.resume = 1;
    record_ok(fx, "run", &o, &out);
    assert_int_equal(out.kept, 2);
    same(fx, "ref", "run", FOLDER_RESULTS);
    same(fx, "ref", "run", FOLDER_CURVES);
}

/* Seed 0's rows cannot be saved (results.csv became a folder): the run
 * fails with a message naming results.csv, run.txt says so, and the
 * outcome must not promise that resume goes on from saved seeds: none
 * were saved. */
static void failed_run_without_saved_seeds(void **state)
{
    fixture *fx = *state;
    load_data(fx);
    char results[700];
    snprintf(results, sizeof results, "%s/run/%s", fx->d.dir, FOLDER_RESULTS);
    record_options o = tiny(2);
    watch *w = watch_log(&o, 0, block, results);
    record_outcome out;
    err e = {{0}};
    assert_int_equal(record(fx, "run", &o, &out, &e), -1);
    unwatch(&o, w);
    tu_assert_contains(e.msg, FOLDER_RESULTS);
    char *runs = slurp_in(fx, "run", FOLDER_RUNS);
    tu_assert_contains(runs, "status=failed\n");
    free(runs);
    assert_false(out.resumable);
}

/* What the folder held when a forced run had trained its first teacher. */
static char *seen;

static void note_snapshot(const char *dir)
{
    seen = tu_snapshot(dir);
}

/* Puts a file where a forced run stages its new files: it cannot. */
static void block_staging(const char *dir)
{
    tu_write_file(tu_path(dir, REPLACE_STAGING), "x", 1);
}

/* A --force run over a finished folder leaves every file of the old run as
 * it was until its first seed is done (issue 12, case 5: they were deleted
 * at the start, so a run stopped early left nothing); then the folder
 * holds the new run alone: its config.txt, its one run.txt block, its rows,
 * nothing staged. */
static void forced_run_keeps_the_old_until_its_first_seed(void **state)
{
    fixture *fx = *state;
    load_data(fx);
    char dir[600];
    record_options o = record_one_seed_in_a(fx, dir, sizeof dir);
    char *old = tu_snapshot(dir), *old_rows = slurp_in(fx, "a", FOLDER_RESULTS);
    o.force = 1;
    o.cfg.lr = 1e-3;
    watch *w = watch_log(&o, 0, note_snapshot, dir);
    record_ok(fx, "a", &o, NULL);
    unwatch(&o, w);
    assert_string_equal(seen, old);
    free(seen);
    char *config = slurp_in(fx, "a", FOLDER_CONFIG), *runs = slurp_in(fx, "a", FOLDER_RUNS),
         *rows = slurp_in(fx, "a", FOLDER_RESULTS);
    tu_assert_contains(config, "lr=0.001\n");
    assert_int_equal(tu_count(runs, "[run]"), 1);
    assert_string_not_equal(rows, old_rows);
    assert_false(files_exists(tu_path(dir, REPLACE_STAGING)));
    assert_false(files_exists(tu_path(dir, REPLACE_SWITCHING)));
    free(config);
    free(runs);
    free(rows);
    free(old_rows);
    free(old);
}

/* A --force run that fails before its first seed is saved (here it cannot
 * stage its files) leaves the old run's files as they were, run.txt
 * included, and does not promise a resume. */
static void forced_run_failing_early_keeps_the_old(void **state)
{
    fixture *fx = *state;
    load_data(fx);
    char dir[600];
    record_options o = record_one_seed_in_a(fx, dir, sizeof dir);
    char *old = tu_snapshot(dir);
    o.force = 1;
    o.cfg.lr = 1e-3;
    watch *w = watch_log(&o, 0, block_staging, dir);
    record_outcome out;
    err e = {{0}};
    assert_int_equal(record(fx, "a", &o, &out, &e), -1);
    unwatch(&o, w);
    tu_assert_contains(e.msg, REPLACE_STAGING);
    assert_false(out.resumable);
    char *now = tu_snapshot(dir);
    assert_string_equal(now, old);
    free(now);
    free(old);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(resume_matches_an_uninterrupted_run),
        T(resume_keeps_an_older_spelling),
        T(resume_refuses_what_it_cannot_keep),
        T(resume_with_nothing_to_keep_is_a_fresh_run),
        T(results_refused_unless_forced),
        T(teachers_saved_and_loaded),
        T(failed_run_is_resumable),
        T(failed_run_without_saved_seeds),
        T(forced_run_keeps_the_old_until_its_first_seed),
        T(forced_run_failing_early_keeps_the_old),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
