/* Tests of out/replace.h, a result folder's files replaced by a new set in
 * one step: the named files are replaced or removed and the others stay; a
 * writer killed before the switch leaves the old files (its staged ones
 * are removed), one killed during it leaves a journal that the next
 * opener completes.  Then the real thing: a `sublim experiment --force`
 * over a finished folder, stopped at chosen renames by scripts/stall.c
 * (LD_PRELOAD) and killed there, leaves the old run whole or a new one
 * that --resume finishes to an uninterrupted run's bytes (issue 12,
 * case 5); a `sublim merge --force` likewise. */
#include "testutil.h"
#include "tu_folder.h"

#include <signal.h>
#include <sys/stat.h>
#include "base/files.h"
#include "out/folder.h"
#include "out/replace.h"

/* ---- helpers ---- */

/* Fails unless path holds exactly text. */
static void assert_holds(const char *path, const char *text)
{
    char *got = tu_slurp(path, NULL);
    if (strcmp(got, text) != 0)
        fail_msg("%s holds \"%s\", not \"%s\"", path, got, text);
    free(got);
}

static void write_text(const char *path, const char *text)
{
    tu_write_file(path, text, strlen(text));
}

/* dir holds an old run: results.csv, config.txt and summary.json, and
 * theorem.csv and notes.txt, which are not the run's. */
static void old_files(const char *dir)
{
    write_text(tu_path(dir, "results.csv"), "old rows");
    write_text(tu_path(dir, "config.txt"), "old config");
    write_text(tu_path(dir, "summary.json"), "old summary");
    write_text(tu_path(dir, "theorem.csv"), "theorem");
    write_text(tu_path(dir, "notes.txt"), "notes");
}

/* Fails unless dir holds the old run of old_files, untouched, and nothing
 * staged. */
static void assert_old(const char *dir)
{
    assert_holds(tu_path(dir, "results.csv"), "old rows");
    assert_holds(tu_path(dir, "config.txt"), "old config");
    assert_holds(tu_path(dir, "summary.json"), "old summary");
    assert_holds(tu_path(dir, "theorem.csv"), "theorem");
    assert_int_equal(tu_count_entries(dir), 5);
}

/* Fails unless dir holds the new run (new rows and config, no summary)
 * beside the files that are not the run's, and no journal. */
static void assert_new(const char *dir)
{
    assert_holds(tu_path(dir, "results.csv"), "new rows");
    assert_holds(tu_path(dir, "config.txt"), "new config");
    assert_false(files_exists(tu_path(dir, "summary.json")));
    assert_holds(tu_path(dir, "theorem.csv"), "theorem");
    assert_holds(tu_path(dir, "notes.txt"), "notes");
    assert_false(replace_pending(dir));
}

static const char *const RUN_FILES[] = {"results.csv", "config.txt", "summary.json"};
#define N_RUN_FILES (sizeof RUN_FILES / sizeof RUN_FILES[0])

/* Stages the new run in dir: new rows and config, no summary. */
static void stage_new(const char *dir)
{
    char staging[600];
    err e = {{0}};
    if (replace_begin(dir, staging, sizeof staging, &e))
        fail_msg("%s", e.msg);
    assert_string_equal(staging, tu_path(dir, REPLACE_STAGING));
    write_text(tu_path(dir, REPLACE_STAGING "/results.csv"), "new rows");
    write_text(tu_path(dir, REPLACE_STAGING "/config.txt"), "new config");
}

/* ---- the journal ---- */

/* A commit replaces the named files that were staged, removes the named
 * ones that were not, moves in a staged file not named, and leaves the
 * other files alone; nothing of the journal remains.  A leftover
 * .staging is emptied by the next begin. */
static void commit_replaces_the_named_files(void **state)
{
    tu_dir *fx = *state;
    old_files(fx->dir);
    stage_new(fx->dir);
    write_text(tu_path(fx->dir, REPLACE_STAGING "/stale"), "x");
    stage_new(fx->dir);
    write_text(tu_path(fx->dir, REPLACE_STAGING "/extra.txt"), "extra");
    err e = {{0}};
    if (replace_commit(fx->dir, RUN_FILES, N_RUN_FILES, &e))
        fail_msg("%s", e.msg);
    assert_new(fx->dir);
    assert_holds(tu_path(fx->dir, "extra.txt"), "extra");
    assert_false(files_exists(tu_path(fx->dir, "stale")));
    assert_int_equal(tu_count_entries(fx->dir), 5);
}

/* Killed before the switch (staged files, even their .gone marks): the
 * next recover removes them and the old run stands, untouched. */
static void killed_before_the_switch(void **state)
{
    tu_dir *fx = *state;
    old_files(fx->dir);
    err e = {{0}};
    for (int marked = 0; marked < 2; marked++) {
        stage_new(fx->dir);
        if (marked)
            write_text(tu_path(fx->dir, REPLACE_STAGING "/summary.json" REPLACE_GONE), "");
        assert_false(replace_pending(fx->dir));
        if (replace_recover(fx->dir, &e))
            fail_msg("%s", e.msg);
        assert_old(fx->dir);
    }
}

/* Makes by hand what a writer killed in the middle of switching dir to the
 * new run leaves: config.txt moved in already, the rows and the summary's
 * removal still in the journal. */
static void half_switched(const char *dir)
{
    old_files(dir);
    char sw[600];
    snprintf(sw, sizeof sw, "%s/%s", dir, REPLACE_SWITCHING);
    assert_int_equal(mkdir(sw, 0755), 0);
    write_text(tu_path(sw, "results.csv"), "new rows");
    write_text(tu_path(sw, "summary.json" REPLACE_GONE), "");
    write_text(tu_path(dir, "config.txt"), "new config");
}

/* Killed during the switch: the folder says so (replace_pending), and the
 * next recover, a writer's folder_open, or even a reader's
 * folder_open_read completes it; recovering twice is harmless. */
static void killed_during_the_switch(void **state)
{
    tu_dir *fx = *state;
    err e = {{0}};
    half_switched(fx->dir);
    assert_true(replace_pending(fx->dir));
    if (replace_recover(fx->dir, &e) || replace_recover(fx->dir, &e))
        fail_msg("%s", e.msg);
    assert_new(fx->dir);

    for (int writing = 0; writing < 2; writing++) {
        char dir[700];
        snprintf(dir, sizeof dir, "%s/%d", fx->dir, writing);
        assert_int_equal(mkdir(dir, 0755), 0);
        half_switched(dir);
        folder f;
        int rc = writing ? folder_open(&f, dir, 0, &e) : folder_open_read(&f, dir, &e);
        if (rc)
            fail_msg("%s", e.msg);
        assert_new(dir);
        folder_close(&f);
    }
}

/* A switch that cannot happen (something else where the journal goes)
 * fails saying the old files stay, and they do; nothing staged remains. */
static void switch_that_cannot_happen(void **state)
{
    tu_dir *fx = *state;
    old_files(fx->dir);
    stage_new(fx->dir);
    const char *sw = tu_path(fx->dir, REPLACE_SWITCHING);
    write_text(sw, "in the way");
    err e = {{0}};
    assert_int_equal(replace_commit(fx->dir, RUN_FILES, N_RUN_FILES, &e), -1);
    tu_assert_contains(e.msg, "the old ones stay");
    unlink(sw);
    assert_old(fx->dir);
}

/* ---- a forced run, killed at chosen moments ---- */

/* The tiny experiment of test_cli.c, two seeds. */
#define TINY "experiment", "--width", "16", "--epochs", "1", "--student-epochs", "1", \
             "--noise-images", "2048", "--batch", "512", "--threads", "2", "--seeds", "2", \
             "--quiet"

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

static void sublim_ok(const char *const *args)
{
    char *text;
    if (tu_run_sublim(&text, args) != 0)
        fail_msg("sublim %s ... failed: %s", args[0], text);
    free(text);
}

/* Runs `sublim ARGS` (NULL-terminated) up to its first rename whose
 * "FROM>TO" contains pattern, and kills it there with SIGKILL; fails
 * unless it got there. */
static void kill_at_rename(const char *pattern, const char *const *args)
{
    pid_t pid = tu_start_sublim(args, NULL, pattern);
    int status;
    assert_int_equal(waitpid(pid, &status, WUNTRACED), pid);
    if (!WIFSTOPPED(status)) {
        fail_msg("sublim ended (exit %d) before a rename matching \"%s\"",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1, pattern);
    }
    assert_int_equal(kill(pid, SIGKILL), 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
}

/* A finished run of another configuration is replaced by --force; the
 * forced run is killed at three moments: as it first writes results.csv
 * (staged), as it switches (.staging becomes .switching), and as it moves
 * its first file into place.  Before the switch the old run's every file
 * is as it was (a --force then replaces it); after it, --resume finishes
 * the new run to the bytes of an uninterrupted one. */
static void forced_run_killed_at_each_step(void **state)
{
    tu_dir *fx = *state;
    tu_need_mnist();
    char old[600], ref[600], run[600], cmd[2000];
    snprintf(old, sizeof old, "%s/old", fx->dir);
    snprintf(ref, sizeof ref, "%s/ref", fx->dir);
    snprintf(run, sizeof run, "%s/run", fx->dir);
    sublim_ok(ARGS(TINY, "--lr", "1e-3", "--out", old));
    sublim_ok(ARGS(TINY, "--out", ref));
    char *old_state = tu_snapshot(old);
    const char *moments[] = {"results.csv", REPLACE_STAGING ">", REPLACE_SWITCHING "/"};
    for (size_t m = 0; m < 3; m++) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s' && cp -R '%s' '%s'", run, old, run);
        assert_int_equal(system(cmd), 0);
        kill_at_rename(moments[m], ARGS(TINY, "--out", run, "--force"));
        int switched = m == 2;
        assert_int_equal(replace_pending(run), switched);
        if (!switched) {
            char *now = tu_snapshot(run);
            if (strcmp(now, old_state) != 0)
                fail_msg("killed at \"%s\": the old run's files changed", moments[m]);
            free(now);
        }
        sublim_ok(ARGS(TINY, "--out", run, switched ? "--resume" : "--force"));
        tu_assert_same_file(tu_path(ref, FOLDER_RESULTS), tu_path(run, FOLDER_RESULTS));
        tu_assert_same_file(tu_path(ref, FOLDER_CURVES), tu_path(run, FOLDER_CURVES));
        tu_assert_same_file(tu_path(ref, FOLDER_CONFIG), tu_path(run, FOLDER_CONFIG));
    }
    free(old_state);
}

/* The same for `sublim merge --force` over a finished folder (no MNIST
 * needed: synthetic folders): killed as it writes its figure, the old
 * folder is as it was; killed as it moves its files into place, the next
 * command on the folder completes the switch to the merged files. */
static void forced_merge_killed_midway(void **state)
{
    tu_dir *fx = *state;
    char a[600], b[600], old[600], ref[600], run[600], cmd[2000];
    snprintf(a, sizeof a, "%s/a", fx->dir);
    snprintf(b, sizeof b, "%s/b", fx->dir);
    snprintf(old, sizeof old, "%s/old", fx->dir);
    snprintf(ref, sizeof ref, "%s/ref", fx->dir);
    snprintf(run, sizeof run, "%s/run", fx->dir);
    experiment_config cfg = tu_small_config(), other = cfg;
    other.lr = 1e-3;
    tu_make_folder(a, (const uint64_t[]){0, 1}, 2, &cfg, TU_ALL_FILES);
    tu_make_folder(b, (const uint64_t[]){2}, 1, &cfg, TU_ALL_FILES);
    tu_make_folder(old, (const uint64_t[]){5}, 1, &other, TU_ALL_FILES);
    tu_regenerate_ok(old);
    sublim_ok(ARGS("merge", a, b, "--out", ref));
    char *old_state = tu_snapshot(old);
    const char *moments[] = {FOLDER_FIGURE, REPLACE_SWITCHING "/"};
    for (size_t m = 0; m < 2; m++) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s' && cp -R '%s' '%s'", run, old, run);
        assert_int_equal(system(cmd), 0);
        kill_at_rename(moments[m], ARGS("merge", a, b, "--out", run, "--force"));
        assert_int_equal(replace_pending(run), m == 1);
        if (m == 0) {
            char *now = tu_snapshot(run);
            if (strcmp(now, old_state) != 0)
                fail_msg("killed at \"%s\": the old folder's files changed", moments[m]);
            free(now);
            continue;
        }
        sublim_ok(ARGS("report", run));
        char *want = tu_snapshot(ref), *got = tu_snapshot(run);
        assert_string_equal(got, want);
        free(want);
        free(got);
    }
    free(old_state);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, tu_dir_setup, tu_dir_teardown)
    const struct CMUnitTest tests[] = {
        T(commit_replaces_the_named_files),
        T(killed_before_the_switch),
        T(killed_during_the_switch),
        T(switch_that_cannot_happen),
        T(forced_run_killed_at_each_step),
        T(forced_merge_killed_midway),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
