/* Tests of out/merge (merge_folders) and `sublim merge`: result folders of
 * separate runs joined into the folder one run over all their seeds would
 * have written; folders that cannot be joined refused; the inputs never
 * changed; the output never one of the inputs, nor a folder holding
 * results unless forced; and folders being written by another process
 * refused (the locks of out/folder).  Synthetic folders: no MNIST needed. */
#include "testutil.h"

#include <math.h>
#include <sys/stat.h>
#include "base/text.h"
#include "out/config.h"
#include "out/curves.h"
#include "out/folder.h"
#include "out/merge.h"
#include "out/report.h"
#include "out/results.h"
#include "out/runlog.h"
#include "run/experiment.h"

#define TEST_TOTAL 10000

typedef tu_dir fixture;
#define setup tu_dir_setup
#define teardown tu_dir_teardown

/* ---- a result folder as `sublim experiment` leaves it ---- */

/* Near the paper's value of each arm, moved a little per seed. */
static double synthetic_acc(uint64_t seed, size_t arm)
{
    const arm_spec *arms = experiment_arms(&(size_t){0});
    return arms[arm].paper_mean + 0.01 * (double)((int)((seed * 7 + arm * 3) % 5) - 2);
}

static experiment_config small_config(void)
{
    experiment_config c = experiment_defaults();
    c.width = 64;
    c.teacher_epochs = 3;
    c.student_epochs = 3;
    return c;
}

/* results.csv, config.txt, run.txt and (when curves) curves.csv for seeds. */
static void make_folder(const char *dir, const uint64_t *seeds, size_t n_seeds,
                        const experiment_config *cfg, int curves)
{
    size_t n_arms, n_pts = 0;
    const arm_spec *arms = experiment_arms(&n_arms);
    arm_result *rows = calloc(n_seeds * n_arms, sizeof *rows);
    curve_point *pts = calloc(n_seeds * n_arms * (cfg->teacher_epochs + cfg->student_epochs) + 1,
                              sizeof *pts);
    assert_non_null(rows);
    assert_non_null(pts);
    for (size_t s = 0; s < n_seeds; s++)
        for (size_t a = 0; a < n_arms; a++) {
            double acc = synthetic_acc(seeds[s], a);
            size_t epochs = experiment_arm_epochs(cfg, &arms[a]);
            rows[s * n_arms + a] = (arm_result){
                .seed = seeds[s], .arm = a, .ok = 1, .total = TEST_TOTAL,
                .correct = (size_t)lround(acc * TEST_TOTAL),
                .final_loss = epochs ? 0.01 * (double)(a + 1) : 0};
            for (size_t ep = 1; ep <= epochs; ep++)
                pts[n_pts++] = (curve_point){seeds[s], a, ep, 1.0 / (double)(ep * (a + 1)),
                                             acc * (double)ep / (double)epochs};
        }
    err e;
    mkdir(dir, 0755);
    assert_int_equal(results_write_csv(tu_path(dir, FOLDER_RESULTS), rows, n_seeds * n_arms, &e),
                     0);
    kv_list config, run;
    assert_int_equal(config_make(&config, cfg, "/nonexistent", &e), 0);
    assert_int_equal(config_write(tu_path(dir, FOLDER_CONFIG), &config, &e), 0);
    char seed_text[256];
    text_seed_ranges(seed_text, sizeof seed_text, seeds, n_seeds);
    char *argv[] = {"sublim", "experiment", "--width", "64"};
    runlog_make(&run, 4, argv, "/nonexistent", seed_text, 2, "generic");
    runlog_finish(&run, 12.5, "finished");
    assert_int_equal(runlog_write(tu_path(dir, FOLDER_RUNS), &run, 1, &e), 0);
    if (curves) {
        curves_sort(pts, n_pts);
        assert_int_equal(curves_write(tu_path(dir, FOLDER_CURVES), pts, n_pts, &e), 0);
    }
    free(rows);
    free(pts);
}

static void regenerate(const char *dir)
{
    folder f;
    err e;
    if (folder_open(&f, dir, 0, &e) || report_regenerate(&f, &e))
        fail_msg("report of %s: %s", dir, e.msg);
    folder_close(&f);
}

/* Every entry of dir with its bytes, as one string: two snapshots are
 * equal when nothing in the folder changed.  The lock file is left out: it
 * holds the pid of the last process that took the lock, not content. */
static char *snapshot(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    assert_true(n >= 0);
    char *buf;
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0 &&
            strcmp(name, FOLDER_LOCK) != 0) {
            size_t size;
            char *text = tu_slurp(tu_path(dir, name), &size);
            fprintf(f, "== %s %zu\n", name, size);
            fwrite(text, 1, size, f);
            free(text);
        }
        free(names[i]);
    }
    free(names);
    fclose(f);
    return buf;
}

static void assert_same_snapshot(const char *before, const char *dir)
{
    char *now = snapshot(dir);
    if (strcmp(before, now) != 0)
        fail_msg("%s changed", dir);
    free(now);
}

/* `sublim merge ARGS...` (at most 6). */
static int run_merge(char **out, const char *a, const char *b, const char *c, const char *d,
                     const char *x, const char *y)
{
    const char *args[] = {"merge", a, b, c, d, x, y, NULL};
    return tu_run_sublim(out, args);
}

/* ---- merging ---- */

/* Two one-seed folders merged (in either order) give the bytes of one
 * two-seed run: results.csv, curves.csv, config.txt, the figures, and
 * summary.json up to how the runs went (its "run" member: both runs' wall
 * time).  theorem.csv comes along; run.txt keeps both runs; the inputs are
 * not changed. */
static void test_merge_equals_one_run(void **state)
{
    fixture *fx = *state;
    char a[300], b[300], both[300], merged[300], merged2[300];
    snprintf(a, sizeof a, "%s/a", fx->dir);
    snprintf(b, sizeof b, "%s/b", fx->dir);
    snprintf(both, sizeof both, "%s/both", fx->dir);
    snprintf(merged, sizeof merged, "%s/merged", fx->dir);
    snprintf(merged2, sizeof merged2, "%s/merged2", fx->dir);
    experiment_config cfg = small_config();
    uint64_t s0[] = {0}, s1[] = {1}, s01[] = {0, 1};
    make_folder(a, s0, 1, &cfg, 1);
    make_folder(b, s1, 1, &cfg, 1);
    make_folder(both, s01, 2, &cfg, 1);
    const char theorem[] = "variant,eps\nsame,0.1\n";
    tu_write_file(tu_path(a, FOLDER_THEOREM_CSV), theorem, sizeof theorem - 1);
    regenerate(both);
    char *a_before = snapshot(a), *b_before = snapshot(b);

    /* b before a: the order must not matter. */
    const char *ba[] = {b, a};
    char notes[512];
    err e;
    if (merge_folders(ba, 2, merged, 0, notes, sizeof notes, &e))
        fail_msg("merge: %s", e.msg);
    assert_string_equal(notes, "");
    static const char *const same[] = {FOLDER_RESULTS, FOLDER_CURVES, FOLDER_CONFIG,
                                       FOLDER_FIGURE, FOLDER_CURVES_FIGURE};
    for (size_t k = 0; k < sizeof same / sizeof same[0]; k++)
        tu_assert_same_file(tu_path(merged, same[k]), tu_path(both, same[k]));
    tu_assert_same_file(tu_path(merged, FOLDER_THEOREM_CSV), tu_path(a, FOLDER_THEOREM_CSV));
    assert_same_snapshot(a_before, a);
    assert_same_snapshot(b_before, b);
    assert_int_not_equal(access(tu_path(a, FOLDER_LOCK), F_OK), 0); /* read, not locked */

    char *x = tu_slurp(tu_path(merged, FOLDER_SUMMARY), NULL);
    char *y = tu_slurp(tu_path(both, FOLDER_SUMMARY), NULL);
    char *xr = strstr(x, "\"run\""), *yr = strstr(y, "\"run\"");
    assert_non_null(xr);
    assert_non_null(yr);
    *xr = *yr = '\0';
    assert_string_equal(x, y);
    tu_assert_contains(xr + 1, "\"threads\": 2");
    tu_assert_contains(xr + 1, "\"wall_seconds\": 25.000"); /* 12.5 s each */
    free(x);
    free(y);
    char *md = tu_slurp(tu_path(merged, FOLDER_REPORT), NULL);
    tu_assert_contains(md, "**Seeds** (2): 0-1");
    tu_assert_contains(md, "| 1 | Linux"); /* b's run, then a's */
    tu_assert_contains(md, "| 0 | Linux");
    tu_assert_contains(md, "## Theorem check");
    free(md);

    /* The command does the same. */
    char *out;
    assert_int_equal(run_merge(&out, a, b, "--out", merged2, NULL, NULL), 0);
    tu_assert_contains(out, "merged 2 folders into");
    free(out);
    tu_assert_same_file(tu_path(merged2, FOLDER_RESULTS), tu_path(both, FOLDER_RESULTS));
    assert_same_snapshot(a_before, a);
    free(a_before);
    free(b_before);
}

/* Folders that cannot be one run are refused, naming why, before anything
 * is written: other configurations (both values shown), a seed in two
 * folders, a folder without config.txt.  A folder without curves.csv is
 * merged without curves, and said so. */
static void test_merge_refuses_conflicts(void **state)
{
    fixture *fx = *state;
    char a[300], b[300], c[300], d[300], out[300];
    snprintf(a, sizeof a, "%s/a", fx->dir);
    snprintf(b, sizeof b, "%s/b", fx->dir);
    snprintf(c, sizeof c, "%s/c", fx->dir);
    snprintf(d, sizeof d, "%s/d", fx->dir);
    snprintf(out, sizeof out, "%s/out", fx->dir);
    experiment_config cfg = small_config(), wider = small_config();
    wider.width = 128;
    uint64_t s0[] = {0}, s1[] = {1}, s01[] = {0, 1}, s2[] = {2};
    make_folder(a, s0, 1, &cfg, 1);
    make_folder(b, s1, 1, &wider, 1);
    make_folder(c, s01, 2, &cfg, 0);
    err e;
    char notes[512];

    const char *ab[] = {a, b};
    assert_int_not_equal(merge_folders(ab, 2, out, 0, notes, sizeof notes, &e), 0);
    tu_assert_contains(e.msg, "configurations differ");
    tu_assert_contains(e.msg, "width=64");
    tu_assert_contains(e.msg, "width=128");
    assert_int_not_equal(access(out, F_OK), 0);

    const char *ac[] = {a, c};
    assert_int_not_equal(merge_folders(ac, 2, out, 0, notes, sizeof notes, &e), 0);
    tu_assert_contains(e.msg, "seed 0");
    tu_assert_contains(e.msg, "in both");
    assert_int_not_equal(access(out, F_OK), 0);

    unlink(tu_path(b, FOLDER_CONFIG));
    const char *b_only[] = {b};
    assert_int_not_equal(merge_folders(b_only, 1, out, 0, notes, sizeof notes, &e), 0);
    tu_assert_contains(e.msg, "config.txt");
    assert_int_not_equal(merge_folders(NULL, 0, out, 0, notes, sizeof notes, &e), 0);

    /* On the command line: usage errors are exit 2, a refused merge exit 1. */
    char *text;
    assert_int_equal(run_merge(NULL, a, c, NULL, NULL, NULL, NULL), 2);
    assert_int_equal(run_merge(NULL, "--out", out, NULL, NULL, NULL, NULL), 2);
    assert_int_equal(run_merge(NULL, a, c, "--out", out, "--bogus", NULL), 2);
    assert_int_equal(run_merge(&text, a, c, "--out", out, NULL, NULL), 1);
    tu_assert_contains(text, "in both");
    free(text);
    assert_int_not_equal(access(out, F_OK), 0);

    make_folder(d, s2, 1, &cfg, 0);
    const char *ad[] = {a, d};
    assert_int_equal(merge_folders(ad, 2, out, 0, notes, sizeof notes, &e), 0);
    tu_assert_contains(notes, "curves.csv left out");
    assert_int_not_equal(access(tu_path(out, FOLDER_CURVES), F_OK), 0);
    assert_int_not_equal(access(tu_path(out, FOLDER_CURVES_FIGURE), F_OK), 0);
}

/* The output may not be one of the inputs, however it is spelled: merging
 * would overwrite an input's rows.  The input is left exactly as it was. */
static void test_merge_into_an_input_is_refused(void **state)
{
    fixture *fx = *state;
    char a[300], b[300], a_again[320];
    snprintf(a, sizeof a, "%s/a", fx->dir);
    snprintf(b, sizeof b, "%s/b", fx->dir);
    snprintf(a_again, sizeof a_again, "%s/./a/", fx->dir);
    experiment_config cfg = small_config();
    uint64_t s0[] = {0}, s1[] = {1};
    make_folder(a, s0, 1, &cfg, 1);
    make_folder(b, s1, 1, &cfg, 1);
    char *before = snapshot(a);
    const char *ab[] = {a, b};
    char notes[512];
    err e;
    assert_int_not_equal(merge_folders(ab, 2, a_again, 1, notes, sizeof notes, &e), 0);
    tu_assert_contains(e.msg, "is one of the folders being merged");
    assert_same_snapshot(before, a);
    char *out;
    assert_int_equal(run_merge(&out, a, b, "--out", a, "--force", NULL), 1);
    tu_assert_contains(out, "is one of the folders being merged");
    free(out);
    assert_same_snapshot(before, a);
    free(before);
}

/* A folder holding results is not merged into unless forced: refused and
 * unchanged without force; with it, its results are replaced by the
 * merged ones (the same bytes as a merge into a new folder), and run.txt
 * holds only the merged runs. */
static void test_merge_into_results_needs_force(void **state)
{
    fixture *fx = *state;
    char a[300], b[300], out[300], fresh[300];
    snprintf(a, sizeof a, "%s/a", fx->dir);
    snprintf(b, sizeof b, "%s/b", fx->dir);
    snprintf(out, sizeof out, "%s/out", fx->dir);
    snprintf(fresh, sizeof fresh, "%s/fresh", fx->dir);
    experiment_config cfg = small_config();
    uint64_t s0[] = {0}, s1[] = {1}, s7[] = {7};
    make_folder(a, s0, 1, &cfg, 1);
    make_folder(b, s1, 1, &cfg, 1);
    make_folder(out, s7, 1, &cfg, 1);
    regenerate(out);
    char *before = snapshot(out);
    const char *ab[] = {a, b};
    char notes[512];
    err e;
    assert_int_not_equal(merge_folders(ab, 2, out, 0, notes, sizeof notes, &e), 0);
    tu_assert_contains(e.msg, "already holds results");
    tu_assert_contains(e.msg, "--force");
    assert_same_snapshot(before, out);
    char *text;
    assert_int_equal(run_merge(&text, a, b, "--out", out, NULL, NULL), 1);
    tu_assert_contains(text, "already holds results");
    free(text);
    assert_same_snapshot(before, out);
    free(before);

    assert_int_equal(run_merge(NULL, a, b, "--out", out, "--force", NULL), 0);
    assert_int_equal(merge_folders(ab, 2, fresh, 0, notes, sizeof notes, &e), 0);
    static const char *const same[] = {FOLDER_RESULTS, FOLDER_CURVES, FOLDER_CONFIG,
                                       FOLDER_SUMMARY, FOLDER_FIGURE, FOLDER_CURVES_FIGURE};
    for (size_t k = 0; k < sizeof same / sizeof same[0]; k++)
        tu_assert_same_file(tu_path(out, same[k]), tu_path(fresh, same[k]));
    kv_list *runs;
    size_t n_runs;
    assert_int_equal(runlog_read(tu_path(out, FOLDER_RUNS), &runs, &n_runs, &e), 0);
    assert_int_equal(n_runs, 2);
    assert_string_equal(kv_get(&runs[0], "seeds"), "0");
    assert_string_equal(kv_get(&runs[1], "seeds"), "1");
    free(runs);
}

/* A forced merge replaces the folder's results; a theorem.csv the folder
 * held from before is not one of the inputs' (they have none), so it must
 * not stay and be reported as if it belonged to the merged rows. */
static void test_merge_force_leaves_no_stale_theorem(void **state)
{
    fixture *fx = *state;
    char a[300], b[300], out[300];
    snprintf(a, sizeof a, "%s/a", fx->dir);
    snprintf(b, sizeof b, "%s/b", fx->dir);
    snprintf(out, sizeof out, "%s/out", fx->dir);
    experiment_config cfg = small_config();
    uint64_t s0[] = {0}, s1[] = {1}, s7[] = {7};
    make_folder(a, s0, 1, &cfg, 1);
    make_folder(b, s1, 1, &cfg, 1);
    make_folder(out, s7, 1, &cfg, 1);
    const char theorem[] = "variant,eps\nstale,0.5\n";
    tu_write_file(tu_path(out, FOLDER_THEOREM_CSV), theorem, sizeof theorem - 1);
    const char *ab[] = {a, b};
    char notes[512];
    err e;
    assert_int_equal(merge_folders(ab, 2, out, 1, notes, sizeof notes, &e), 0);
    char *md = tu_slurp(tu_path(out, FOLDER_REPORT), NULL);
    int stale = strstr(md, "stale") || access(tu_path(out, FOLDER_THEOREM_CSV), F_OK) == 0;
    free(md);
    if (stale)
        fail_msg("the merged folder keeps the theorem.csv it held before the forced merge");
}

/* ---- locks ---- */

/* A child process holding dir's write lock (folder_open) until released. */
typedef struct {
    pid_t pid;
    int go; /* closing it lets the child end */
} lock_holder;

static lock_holder hold_lock(const char *dir)
{
    int ready[2], go[2];
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(go), 0);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(ready[0]);
        close(go[1]);
        folder f;
        err e;
        char ok = folder_open(&f, dir, 1, &e) == 0 ? 'y' : 'n';
        if (write(ready[1], &ok, 1) != 1)
            _exit(2);
        char c;
        while (read(go[0], &c, 1) > 0)
            continue;
        _exit(ok == 'y' ? 0 : 1);
    }
    close(ready[1]);
    close(go[0]);
    fcntl(go[1], F_SETFD, FD_CLOEXEC);
    char ok = 0;
    assert_int_equal(read(ready[0], &ok, 1), 1);
    close(ready[0]);
    assert_int_equal(ok, 'y');
    return (lock_holder){pid, go[1]};
}

static void release_lock(lock_holder h)
{
    close(h.go);
    int status;
    assert_int_equal(waitpid(h.pid, &status, 0), h.pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* An input being written by another process (a running experiment) is not
 * read half-written: the merge is refused at once, naming that process,
 * and writes nothing; so is an output another process writes.  Once the
 * writer is gone, the merge goes through. */
static void test_merge_refuses_folders_being_written(void **state)
{
    fixture *fx = *state;
    char a[300], b[300], out[300], want[96];
    snprintf(a, sizeof a, "%s/a", fx->dir);
    snprintf(b, sizeof b, "%s/b", fx->dir);
    snprintf(out, sizeof out, "%s/out", fx->dir);
    experiment_config cfg = small_config();
    uint64_t s0[] = {0}, s1[] = {1};
    make_folder(a, s0, 1, &cfg, 1);
    make_folder(b, s1, 1, &cfg, 1);
    const char *ab[] = {a, b};
    char notes[512];
    err e;

    lock_holder h = hold_lock(a);
    assert_int_not_equal(merge_folders(ab, 2, out, 0, notes, sizeof notes, &e), 0);
    snprintf(want, sizeof want, "being written by another sublim (pid %ld)", (long)h.pid);
    tu_assert_contains(e.msg, a);
    tu_assert_contains(e.msg, want);
    assert_int_not_equal(access(out, F_OK), 0);
    release_lock(h);

    h = hold_lock(out);
    assert_int_not_equal(merge_folders(ab, 2, out, 0, notes, sizeof notes, &e), 0);
    snprintf(want, sizeof want, "being written by another sublim (pid %ld)", (long)h.pid);
    tu_assert_contains(e.msg, want);
    assert_int_not_equal(access(tu_path(out, FOLDER_RESULTS), F_OK), 0);
    release_lock(h);

    if (merge_folders(ab, 2, out, 0, notes, sizeof notes, &e))
        fail_msg("merge after the writers ended: %s", e.msg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_merge_equals_one_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge_refuses_conflicts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge_into_an_input_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge_into_results_needs_force, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge_force_leaves_no_stale_theorem, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_merge_refuses_folders_being_written, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
