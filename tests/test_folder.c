/* Tests of the result folder (out/folder.h): opening and its lock (a second
 * writer refused while another process holds it, readers beside readers),
 * the temporaries of killed writers, reading everything it holds, the seed
 * table and its writing, and --resume's folder_resume.  The rows are small
 * and synthetic: no training here. */
#include "testutil.h"
#include "tu_folder.h"

#include <signal.h>
#include <sys/stat.h>
#include "base/files.h"
#include "out/config.h"
#include "out/curves.h"
#include "out/folder.h"
#include "out/results.h"
#include "out/runlog.h"

/* ---- helpers ---- */

/* Fails unless opening dir (to write, or to read) is refused at once,
 * naming dir and pid (as its writer unless a reader holds it). */
static void assert_busy(const char *dir, int writing, pid_t pid, int held_by_writer)
{
    folder f;
    err e = {{0}};
    int rc = writing ? folder_open(&f, dir, 1, &e) : folder_open_read(&f, dir, &e);
    if (rc == 0) {
        folder_close(&f);
        fail_msg("%s opened to %s although pid %ld holds it", dir, writing ? "write" : "read",
                 (long)pid);
    }
    char want[64];
    snprintf(want, sizeof want, "another sublim (pid %ld)", (long)pid);
    tu_assert_contains(e.msg, dir);
    tu_assert_contains(e.msg, want);
    if (held_by_writer)
        tu_assert_contains(e.msg, "is being written by");
}

static void open_ok(folder *f, const char *dir)
{
    err e = {{0}};
    if (folder_open(f, dir, 1, &e))
        fail_msg("folder_open(%s): %s", dir, e.msg);
}

/* The experiment these tests "ran": 3 seeds from 10, one epoch each, curves
 * on. */
static experiment_config tiny_cfg(void)
{
    experiment_config c = experiment_defaults();
    c.seeds = 3;
    c.seed_start = 10;
    c.teacher_epochs = 1;
    c.student_epochs = 1;
    c.width = 16;
    c.curves = 1;
    return c;
}

/* The row of every arm cfg runs for seed s (accuracies, and with a trait
 * trait counts, differing per seed and arm). */
static size_t seed_rows(arm_result *rows, uint64_t s, const experiment_config *cfg)
{
    size_t which[EXPERIMENT_MAX_ARMS], n = experiment_arms_run(cfg, which);
    for (size_t i = 0; i < n; i++) {
        size_t a = which[i];
        rows[i] = (arm_result){.seed = s, .arm = a, .ok = 1, .correct = 10 * s + a,
                               .total = 1000, .final_loss = 0.5 + (double)a};
        if (cfg->trait.kind != TRAIT_NONE) /* counts differing per seed and arm */
            rows[i].has_trait = 1, rows[i].trait = (trait_counts){s + a, 100, 2 * s + a};
    }
    return n;
}

/* Every trained arm's curve points of seed s under cfg. */
static size_t seed_curves(curve_point *pts, uint64_t s, const experiment_config *cfg)
{
    size_t which[EXPERIMENT_MAX_ARMS], n_arms = experiment_arms_run(cfg, which), n = 0;
    const arm_spec *arms = experiment_arms(&(size_t){0});
    for (size_t i = 0; i < n_arms; i++)
        for (size_t ep = 1; ep <= experiment_arm_epochs(cfg, &arms[which[i]]); ep++)
            pts[n++] = (curve_point){s, which[i], ep, 1.0 / (double)ep, 0.25};
    return n;
}

/* Writes, into dir, what a run of cfg that finished seeds[0..n) leaves:
 * results.csv, curves.csv (when cfg->curves), config.txt, run.txt (one
 * block, status). */
static void write_run(const char *dir, const experiment_config *cfg, const uint64_t *seeds,
                      size_t n, const char *status)
{
    arm_result rows[8 * EXPERIMENT_MAX_ARMS];
    curve_point pts[8 * EXPERIMENT_MAX_ARMS * 2];
    assert_true(n <= 8);
    size_t n_rows = 0, n_pts = 0;
    for (size_t i = 0; i < n; i++) {
        n_rows += seed_rows(rows + n_rows, seeds[i], cfg);
        n_pts += seed_curves(pts + n_pts, seeds[i], cfg);
    }
    err e = {{0}};
    assert_int_equal(results_write_csv(tu_path(dir, FOLDER_RESULTS), rows, n_rows, &e), 0);
    if (cfg->curves)
        assert_int_equal(curves_write(tu_path(dir, FOLDER_CURVES), pts, n_pts, &e), 0);
    kv_list config, run;
    assert_int_equal(config_make(&config, cfg, tu_data_read(), dir, &e), 0);
    assert_int_equal(config_write(tu_path(dir, FOLDER_CONFIG), &config, &e), 0);
    char *argv[] = {"sublim", "experiment"};
    runlog_make(&run, 2, argv, "mnist", "10-12", 2, "portable"); /* status=running */
    config_data_set(&run, tu_data_read());
    if (strcmp(status, "running") != 0)
        runlog_finish(&run, 1.5, status);
    assert_int_equal(runlog_write(tu_path(dir, FOLDER_RUNS), &run, 1, &e), 0);
}

/* ---- opening and locking ---- */

/* create=1 makes the folder (one level) and its lock file, holding this
 * pid; create=0 refuses a missing folder; a file in the way is refused. */
static void open_creates_or_refuses(void **state)
{
    tu_dir *fx = *state;
    char out[600];
    snprintf(out, sizeof out, "%s/out", fx->dir);
    folder f;
    err e = {{0}};
    assert_int_equal(folder_open(&f, out, 0, &e), -1);
    tu_assert_contains(e.msg, out);
    tu_assert_contains(e.msg, "no such folder");
    assert_false(files_exists(out));

    open_ok(&f, out);
    struct stat st;
    assert_int_equal(stat(out, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    char *pid = tu_slurp(tu_path(out, FOLDER_LOCK), NULL);
    assert_int_equal(strtol(pid, NULL, 10), (long)getpid());
    free(pid);
    folder_close(&f);
    assert_int_equal(f.lock_fd, -1);
    assert_int_equal(folder_open(&f, out, 0, &e), 0); /* there now */
    folder_close(&f);

    const char *deep = tu_path(fx->dir, "a/b");
    assert_int_equal(folder_open(&f, deep, 1, &e), -1);
    tu_assert_contains(e.msg, deep);
    tu_write_file(tu_path(fx->dir, "file"), "x", 1);
    assert_int_equal(folder_open(&f, tu_path(fx->dir, "file"), 1, &e), -1);
    tu_assert_contains(e.msg, "not a folder");
}

/* While another process writes the folder, a second writer is refused at
 * once, naming it; once it has ended, the folder opens.  A writer killed
 * with SIGKILL cannot unlock: the kernel does. */
static void second_writer_refused(void **state)
{
    tu_dir *fx = *state;
    folder f;
    tu_lock_holder h = tu_hold_lock(fx->dir, TU_LOCK_CREATE);
    assert_busy(fx->dir, 1, h.pid, 1);
    assert_busy(fx->dir, 1, h.pid, 1); /* a refusal takes nothing */
    tu_release_lock(h);
    open_ok(&f, fx->dir);
    folder_close(&f);

    h = tu_hold_lock(fx->dir, TU_LOCK_CREATE);
    assert_busy(fx->dir, 1, h.pid, 1);
    assert_int_equal(kill(h.pid, SIGKILL), 0);
    int status;
    assert_int_equal(waitpid(h.pid, &status, 0), h.pid);
    assert_true(WIFSIGNALED(status));
    close(h.go);
    open_ok(&f, fx->dir);
    folder_close(&f);
}

/* Readers: refused while a writer holds the folder, fine beside another
 * reader (which in turn keeps writers out), and fine on a folder that has
 * no lock file (which reading does not create). */
static void readers_and_writers(void **state)
{
    tu_dir *fx = *state;
    folder f;
    err e = {{0}};
    assert_int_equal(folder_open_read(&f, fx->dir, &e), 0);
    assert_int_equal(f.lock_fd, -1);
    folder_close(&f);
    assert_false(files_exists(tu_path(fx->dir, FOLDER_LOCK)));

    tu_lock_holder w = tu_hold_lock(fx->dir, TU_LOCK_CREATE);
    assert_busy(fx->dir, 0, w.pid, 1);
    tu_release_lock(w);

    tu_lock_holder r = tu_hold_lock(fx->dir, TU_LOCK_READ);
    if (folder_open_read(&f, fx->dir, &e))
        fail_msg("a reader beside a reader: %s", e.msg);
    folder_close(&f);
    assert_busy(fx->dir, 1, r.pid, 0);
    tu_release_lock(r);
    open_ok(&f, fx->dir);
    folder_close(&f);
}

/* Opening removes the temporaries of writers that are gone (name +
 * ".tmp." + a dead pid + "." + six characters), to read or to write; the
 * pid-less ones of older versions only when opening to write (under the
 * lock); never a live process's; nothing else.  folder_remove removes a
 * file, and a missing one is fine. */
static void open_removes_temporaries(void **state)
{
    tu_dir *fx = *state;
    const char *old_style[] = {"x.tmp.abc123", "results.csv.tmp.Zz9_0a"};
    const char *kept[] = {"summary.json", "notes.txt", "x.tmp.ab", "x.tmp.abc1234", ".tmp.abc123"};
    long live = tu_live_child();
    char dead[700], alive[700];
    snprintf(dead, sizeof dead, "%s", tu_temporary(fx->dir, FOLDER_RESULTS, tu_dead_pid()));
    snprintf(alive, sizeof alive, "%s", tu_temporary(fx->dir, FOLDER_RESULTS, live));
    for (size_t i = 0; i < 5; i++)
        tu_write_file(tu_path(fx->dir, kept[i]), "keep", 4);
    for (size_t i = 0; i < 2; i++)
        tu_write_file(tu_path(fx->dir, old_style[i]), "half", 4);
    tu_write_file(dead, "half", 4);
    tu_write_file(alive, "half", 4);
    folder f;
    err e = {{0}};
    assert_int_equal(folder_open_read(&f, fx->dir, &e), 0);
    folder_close(&f);
    assert_false(files_exists(dead));
    assert_int_equal(tu_count_temporaries(fx->dir), 2 + 3 + 1);
    open_ok(&f, fx->dir);
    for (size_t i = 0; i < 2; i++)
        if (files_exists(tu_path(fx->dir, old_style[i])))
            fail_msg("%s left behind", old_style[i]);
    for (size_t i = 0; i < 5; i++)
        if (!folder_has(&f, kept[i]))
            fail_msg("%s removed", kept[i]);
    if (!files_exists(alive))
        fail_msg("%s, a live process's, removed", alive);
    tu_end_child(live);

    assert_int_equal(folder_remove(&f, FOLDER_SUMMARY, &e), 0);
    assert_false(folder_has(&f, FOLDER_SUMMARY));
    assert_int_equal(folder_remove(&f, FOLDER_SUMMARY, &e), 0); /* missing: fine */
    char path[FILES_PATH_MAX];
    assert_int_equal(folder_path(&f, FOLDER_RESULTS, path, sizeof path, &e), 0);
    assert_string_equal(path, tu_path(fx->dir, FOLDER_RESULTS));
    folder_close(&f);
}

/* ---- reading ---- */

/* results.csv alone: rows, distinct sorted seeds, summaries, the default
 * configuration, no config/runs/curves.  All files: each read.  A seed
 * with some of its rows only is refused, naming its first line. */
static void read_what_is_there(void **state)
{
    tu_dir *fx = *state;
    folder f;
    folder_content c;
    err e = {{0}};
    open_ok(&f, fx->dir);
    assert_int_equal(folder_read(&f, &c, &e), -1); /* results.csv is required */
    tu_assert_contains(e.msg, FOLDER_RESULTS);

    arm_result rows[3 * EXPERIMENT_MAX_ARMS];
    experiment_config cfg = tiny_cfg(); /* the default's arms */
    size_t n = seed_rows(rows, 12, &cfg);
    n += seed_rows(rows + n, 10, &cfg);
    assert_int_equal(results_write_csv(tu_path(fx->dir, FOLDER_RESULTS), rows, n, &e), 0);
    assert_int_equal(folder_read(&f, &c, &e), 0);
    assert_int_equal(c.n_rows, n);
    assert_int_equal(c.n_seeds, 2);
    assert_true(c.seeds[0] == 10 && c.seeds[1] == 12);
    assert_int_equal(c.sum[experiment_teacher_arm()].acc.n, 2);
    folder_content_free(&c);

    /* Seed 10 without its last arm (its rows start on line 2 + n / 2). */
    assert_int_equal(results_write_csv(tu_path(fx->dir, FOLDER_RESULTS), rows, n - 1, &e), 0);
    assert_int_equal(folder_read(&f, &c, &e), -1);
    char want[128];
    snprintf(want, sizeof want, "results.csv:%zu: seed 10 has %zu of its %zu rows", 2 + n / 2,
             n / 2 - 1, n / 2);
    tu_assert_contains(e.msg, want);
    assert_int_equal(results_write_csv(tu_path(fx->dir, FOLDER_RESULTS), rows, n, &e), 0);
    assert_int_equal(folder_read(&f, &c, &e), 0);
    assert_false(c.has_config || c.has_runs || c.has_curves);
    assert_int_equal(c.n_runs + c.n_curves + c.config.n, 0);
    experiment_config def = experiment_defaults();
    assert_true(c.cfg.width == def.width && c.cfg.lr == def.lr);
    folder_content_free(&c);

    const uint64_t seeds[] = {10, 11};
    write_run(fx->dir, &cfg, seeds, 2, "finished");
    assert_int_equal(folder_read(&f, &c, &e), 0);
    assert_true(c.has_config && c.has_runs && c.has_curves);
    assert_int_equal(c.cfg.width, cfg.width); /* from config.txt */
    assert_int_equal(c.cfg.teacher_epochs, cfg.teacher_epochs);
    assert_int_equal(c.n_runs, 1);
    assert_string_equal(kv_get(&c.runs[0], "status"), "finished");
    curve_point pts[2 * EXPERIMENT_MAX_ARMS];
    assert_int_equal(c.n_curves, seed_curves(pts, 10, &cfg) + seed_curves(pts, 11, &cfg));
    folder_content_free(&c);

    /* A damaged config.txt is an error, not the defaults. */
    char *config = tu_slurp(tu_path(fx->dir, FOLDER_CONFIG), NULL), *w = strstr(config, "width=");
    assert_non_null(w);
    w[6] = 'x'; /* width=x6 */
    tu_write_file(tu_path(fx->dir, FOLDER_CONFIG), config, strlen(config));
    free(config);
    assert_int_equal(folder_read(&f, &c, &e), -1);
    tu_assert_contains(e.msg, "width");
    folder_close(&f);
}

/* ---- the seed table ---- */

/* Slots of seed_start + s; the done ones listed as ranges ("none"). */
static void seed_table_slots(void **state)
{
    (void)state;
    experiment_config cfg = tiny_cfg();
    cfg.seeds = 4;
    seed_table t;
    err e = {{0}};
    assert_int_equal(seed_table_init(&t, &cfg, &e), 0);
    size_t which[EXPERIMENT_MAX_ARMS], n_arms = experiment_arms_run(&cfg, which);
    const arm_spec *arms = experiment_arms(&(size_t){0});
    assert_int_equal(t.n_arms, n_arms);
    size_t per_seed = 0;
    for (size_t i = 0; i < n_arms; i++)
        per_seed += experiment_arm_epochs(&cfg, &arms[which[i]]);
    assert_int_equal(t.cap_curves, cfg.seeds * per_seed);
    char buf[64];
#define LISTS(done, want)                                                       \
    (seed_table_list(&t, done, buf, sizeof buf), assert_string_equal(buf, want))
    assert_true(seed_table_count(&t, 1) == 0 && seed_table_count(&t, 0) == 4);
    LISTS(1, "none");
    LISTS(0, "10-13");
    t.done[0] = t.done[2] = 1;
    LISTS(1, "10, 12");
    LISTS(0, "11, 13");
#undef LISTS
    assert_int_equal(seed_table_count(&t, 1), 2);
    seed_table_free(&t);

    cfg.curves = 0; /* no curves: no room for them */
    assert_int_equal(seed_table_init(&t, &cfg, &e), 0);
    assert_int_equal(t.cap_curves, 0);
    seed_table_free(&t);
}

/* Only the done slots reach results.csv, in seed order; curves.csv is
 * written first (when it cannot be, results.csv is not touched) and not at
 * all without curves. */
static void write_seeds_done_only(void **state)
{
    tu_dir *fx = *state;
    experiment_config cfg = tiny_cfg();
    seed_table t;
    folder f;
    err e = {{0}};
    open_ok(&f, fx->dir);
    assert_int_equal(seed_table_init(&t, &cfg, &e), 0);
    for (size_t s = 0; s < cfg.seeds; s++)
        seed_rows(t.rows + s * t.n_arms, cfg.seed_start + s, &cfg);
    t.n_curves = seed_curves(t.curves, 12, &cfg);
    t.n_curves += seed_curves(t.curves + t.n_curves, 10, &cfg);
    t.done[2] = t.done[0] = 1;

    /* curves.csv cannot be written: nothing is. */
    assert_int_equal(mkdir(tu_path(fx->dir, FOLDER_CURVES), 0755), 0);
    assert_int_equal(folder_write_seeds(&f, &t, &e), -1);
    tu_assert_contains(e.msg, FOLDER_CURVES);
    assert_false(folder_has(&f, FOLDER_RESULTS));
    assert_int_equal(rmdir(tu_path(fx->dir, FOLDER_CURVES)), 0);

    assert_int_equal(folder_write_seeds(&f, &t, &e), 0);
    arm_result *rows, want[2 * EXPERIMENT_MAX_ARMS];
    size_t n, n_want = seed_rows(want, 10, &cfg);
    n_want += seed_rows(want + n_want, 12, &cfg);
    assert_int_equal(results_read_csv(tu_path(fx->dir, FOLDER_RESULTS), &rows, &n, &e), 0);
    assert_int_equal(n, n_want);
    for (size_t i = 0; i < n; i++)
        assert_true(rows[i].seed == want[i].seed && rows[i].arm == want[i].arm &&
                    rows[i].correct == want[i].correct);
    free(rows);
    curve_point *pts;
    assert_int_equal(curves_read(tu_path(fx->dir, FOLDER_CURVES), &pts, &n, &e), 0);
    assert_int_equal(n, t.n_curves);
    assert_true(pts[0].seed == 10 && pts[n - 1].seed == 12); /* sorted */
    free(pts);
    seed_table_free(&t);

    assert_int_equal(folder_remove(&f, FOLDER_CURVES, &e), 0);
    cfg.curves = 0;
    assert_int_equal(seed_table_init(&t, &cfg, &e), 0);
    t.done[1] = 1;
    seed_rows(t.rows + t.n_arms, 11, &cfg);
    assert_int_equal(folder_write_seeds(&f, &t, &e), 0);
    assert_false(folder_has(&f, FOLDER_CURVES));
    seed_table_free(&t);
    folder_close(&f);
}

/* ---- resuming ---- */

/* What folder_resume did for a run of cfg on a folder. */
typedef struct {
    int rc;
    err e;
    seed_table t;
    kv_list *runs;
    size_t n_runs;
} resumed;

/* folder_resume of the folder dir for a run of cfg (config.txt's lines
 * made as the run would); free it with forget(). */
static resumed resume(const char *dir, const experiment_config *cfg, FILE *log)
{
    resumed r = {.runs = (kv_list *)&r, .n_runs = 77}; /* both must be set */
    folder f;
    kv_list config;
    open_ok(&f, dir);
    assert_int_equal(config_make(&config, cfg, tu_data_read(), dir, &r.e), 0);
    assert_int_equal(seed_table_init(&r.t, cfg, &r.e), 0);
    r.rc = folder_resume(&f, &config, &r.t, &r.runs, &r.n_runs, log, &r.e);
    folder_close(&f);
    return r;
}

static void forget(resumed *r)
{
    free(r->runs);
    seed_table_free(&r->t);
}

/* Writing r's kept seeds into dir gives results.csv's bytes before back;
 * frees before and r. */
static void writes_back(const char *dir, resumed *r, char *before)
{
    folder f;
    err e = {{0}};
    open_ok(&f, dir);
    assert_int_equal(folder_write_seeds(&f, &r->t, &e), 0);
    folder_close(&f);
    char *after = tu_slurp(tu_path(dir, FOLDER_RESULTS), NULL);
    assert_string_equal(before, after);
    free(before);
    free(after);
    forget(r);
}

/* Complete seeds are kept, rows and curve points; the curve points of a
 * seed results.csv lacks (killed in between) are dropped; run.txt's
 * "running" block becomes "interrupted"; writing the kept seeds gives
 * results.csv's bytes back. */
static void resume_keeps_complete_seeds(void **state)
{
    tu_dir *fx = *state;
    experiment_config cfg = tiny_cfg();
    const uint64_t seeds[] = {10, 11};
    write_run(fx->dir, &cfg, seeds, 2, "running");
    curve_point pts[3 * EXPERIMENT_MAX_ARMS];
    size_t kept_pts = seed_curves(pts, 10, &cfg);
    kept_pts += seed_curves(pts + kept_pts, 11, &cfg);
    size_t all_pts = kept_pts + seed_curves(pts + kept_pts, 12, &cfg);
    err e = {{0}};
    assert_int_equal(curves_write(tu_path(fx->dir, FOLDER_CURVES), pts, all_pts, &e), 0);
    char *before = tu_slurp(tu_path(fx->dir, FOLDER_RESULTS), NULL);

    resumed r = resume(fx->dir, &cfg, NULL);
    if (r.rc)
        fail_msg("%s", r.e.msg);
    assert_true(r.t.done[0] && r.t.done[1] && !r.t.done[2]);
    arm_result want[EXPERIMENT_MAX_ARMS];
    for (size_t s = 0; s < 2; s++) {
        seed_rows(want, seeds[s], &cfg);
        for (size_t a = 0; a < r.t.n_arms; a++) {
            const arm_result *row = &r.t.rows[s * r.t.n_arms + a];
            assert_true(row->seed == want[a].seed && row->arm == want[a].arm &&
                        row->correct == want[a].correct);
        }
    }
    assert_int_equal(r.t.n_curves, kept_pts);
    assert_int_equal(r.n_runs, 1);
    assert_string_equal(kv_get(&r.runs[0], "status"), "interrupted");

    writes_back(fx->dir, &r, before);
}

/* With a trait, the kept rows keep their trait counts: writing them gives
 * results.csv's bytes back, trait columns included. */
static void resume_keeps_trait_counts(void **state)
{
    tu_dir *fx = *state;
    experiment_config cfg = tiny_cfg();
    cfg.trait = (trait_spec){TRAIT_SWAP, 4, 9};
    const uint64_t seeds[] = {10, 11};
    write_run(fx->dir, &cfg, seeds, 2, "running");
    char *before = tu_slurp(tu_path(fx->dir, FOLDER_RESULTS), NULL);
    tu_assert_contains(before, RESULTS_CSV_TRAIT_COLUMNS);
    resumed r = resume(fx->dir, &cfg, NULL);
    if (r.rc)
        fail_msg("%s", r.e.msg);
    assert_true(r.t.done[0] && r.t.done[1] && !r.t.done[2]);
    assert_true(r.t.rows[0].has_trait && r.t.rows[r.t.n_arms + 1].trait.target_hits == 2 * 11 +
                r.t.rows[r.t.n_arms + 1].arm);
    writes_back(fx->dir, &r, before);
}

/* A seed with only some of its rows is run again, said on the log. */
static void resume_reruns_a_partial_seed(void **state)
{
    tu_dir *fx = *state;
    experiment_config cfg = tiny_cfg();
    const uint64_t seeds[] = {10};
    write_run(fx->dir, &cfg, seeds, 1, "finished");
    arm_result rows[2 * EXPERIMENT_MAX_ARMS];
    size_t n = seed_rows(rows, 10, &cfg);
    seed_rows(rows + n, 11, &cfg);
    err e = {{0}};
    assert_int_equal(results_write_csv(tu_path(fx->dir, FOLDER_RESULTS), rows, n + 2, &e), 0);
    FILE *log = tmpfile();
    assert_non_null(log);
    resumed r = resume(fx->dir, &cfg, log);
    if (r.rc)
        fail_msg("%s", r.e.msg);
    assert_true(r.t.done[0] && !r.t.done[1] && !r.t.done[2]);
    assert_string_equal(kv_get(&r.runs[0], "status"), "finished"); /* not running: kept */
    forget(&r);
    char text[1024] = "";
    rewind(log);
    text[fread(text, 1, sizeof text - 1, log)] = '\0';
    fclose(log);
    char want[64];
    snprintf(want, sizeof want, "seed 11 has 2 of its %zu rows", n);
    tu_assert_contains(text, want);
    tu_assert_contains(text, "running it again");
}

/* Expects resume of cfg to be refused with both words in the message,
 * leaving the table empty. */
static void refused(const char *dir, const experiment_config *cfg, const char *w1,
                    const char *w2)
{
    resumed r = resume(dir, cfg, NULL);
    if (r.rc == 0)
        fail_msg("resumed; expected a refusal saying %s", w1);
    tu_assert_contains(r.e.msg, w1);
    tu_assert_contains(r.e.msg, w2);
    assert_int_equal(seed_table_count(&r.t, 1), 0);
    assert_int_equal(r.t.n_curves, 0);
    assert_null(r.runs);
    assert_int_equal(r.n_runs, 0);
    forget(&r);
}

/* What cannot be kept is refused, saying why: rows of other seeds, a row
 * twice, another configuration (naming the key), no config.txt, curves.csv
 * missing with curves on or there with them off, a damaged results.csv. */
static void resume_refusals(void **state)
{
    tu_dir *fx = *state;
    const char *d = fx->dir;
    experiment_config cfg = tiny_cfg();
    const uint64_t seeds[] = {10, 11};
    write_run(d, &cfg, seeds, 2, "running");
    char *results = tu_slurp(tu_path(d, FOLDER_RESULTS), NULL);

    experiment_config other = cfg;
    other.seed_start = 11;
    refused(d, &other, "seed 10", "--seed-start");
    other = cfg;
    other.lr = 1e-3;
    refused(d, &other, "lr=0.0003", "lr=0.001");

    char *twice = tu_rows_twice(results);
    tu_write_file(tu_path(d, FOLDER_RESULTS), twice, strlen(twice));
    refused(d, &cfg, "twice", FOLDER_RESULTS);
    free(twice);
    tu_write_file(tu_path(d, FOLDER_RESULTS), "seed,arm\n1,2\n", 13);
    refused(d, &cfg, FOLDER_RESULTS, "header");
    tu_write_file(tu_path(d, FOLDER_RESULTS), results, strlen(results));

    assert_int_equal(rename(tu_path(d, FOLDER_CURVES), tu_path(d, "curves.bak")), 0);
    refused(d, &cfg, FOLDER_CURVES, "--no-curves");
    other = cfg;
    other.curves = 0;
    assert_int_equal(rename(tu_path(d, "curves.bak"), tu_path(d, FOLDER_CURVES)), 0);
    refused(d, &other, FOLDER_CURVES, "--no-curves");

    assert_int_equal(rename(tu_path(d, FOLDER_CONFIG), tu_path(d, "config.bak")), 0);
    refused(d, &cfg, FOLDER_CONFIG, "missing");
    assert_int_equal(rename(tu_path(d, "config.bak"), tu_path(d, FOLDER_CONFIG)), 0);

    /* After all that, the folder resumes as it was. */
    resumed r = resume(d, &cfg, NULL);
    if (r.rc)
        fail_msg("%s", r.e.msg);
    assert_int_equal(seed_table_count(&r.t, 1), 2);
    forget(&r);
    free(results);
}

/* Nothing to keep (no results.csv, or one without rows): an empty table,
 * no runs, no error; the configuration is not even compared. */
static void resume_with_nothing_to_keep(void **state)
{
    tu_dir *fx = *state;
    experiment_config cfg = tiny_cfg();
    for (int pass = 0; pass < 2; pass++) {
        resumed r = resume(fx->dir, &cfg, NULL);
        if (r.rc)
            fail_msg("%s", r.e.msg);
        assert_int_equal(seed_table_count(&r.t, 1), 0);
        assert_true(r.runs == NULL && r.n_runs == 0);
        forget(&r);
        write_run(fx->dir, &cfg, NULL, 0, "failed"); /* a results.csv without rows */
        cfg.lr = 1e-3;                                /* of another configuration */
    }
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, tu_dir_setup, tu_dir_teardown)
    const struct CMUnitTest tests[] = {
        T(open_creates_or_refuses),
        T(second_writer_refused),
        T(readers_and_writers),
        T(open_removes_temporaries),
        T(read_what_is_there),
        cmocka_unit_test(seed_table_slots),
        T(write_seeds_done_only),
        T(resume_keeps_complete_seeds),
        T(resume_keeps_trait_counts),
        T(resume_reruns_a_partial_seed),
        T(resume_refusals),
        T(resume_with_nothing_to_keep),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
