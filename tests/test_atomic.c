/* Tests of atomic file writing (base/atomic.h): a reader sees the old file
 * or the whole new one, failures leave the old file and no temporary, and
 * the temporaries a killed writer left are cleaned up, and only those:
 * never a live writer's. */
#include "testutil.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/time.h>
#include <time.h>
#include "base/atomic.h"

typedef tu_dir fixture;
#define setup tu_dir_setup
#define teardown tu_dir_teardown

/* Fails unless path holds exactly text. */
static void assert_file_is(const char *path, const char *text)
{
    char *got = tu_slurp(path, NULL);
    assert_string_equal(got, text);
    free(got);
}

/* The target appears only at commit, whole and readable by all, and a
 * second commit replaces it; no temporary is left either time.  The
 * temporary is named after the target and the writer's pid. */
static void atomic_commit_writes_the_file(void **state)
{
    fixture *fx = *state;
    const char *path = tu_path(fx->dir, "out.txt");
    atomic_file af;
    err e = {{0}};
    assert_int_equal(atomic_open(&af, path, &e), 0);
    char prefix[700];
    snprintf(prefix, sizeof prefix, "%s.tmp.%ld.", path, (long)getpid());
    if (strncmp(af.tmp, prefix, strlen(prefix)) != 0 || strlen(af.tmp) != strlen(prefix) + 6)
        fail_msg("temporary %s, want %sXXXXXX", af.tmp, prefix);
    fprintf(af.f, "hello %d\n", 42);
    assert_int_equal(tu_count_entries(fx->dir), 1); /* only the temporary so far */
    assert_int_equal(tu_count_temporaries(fx->dir), 1);
    assert_false(files_exists(path));            /* the target is not there yet */
    assert_int_equal(atomic_commit(&af, &e), 0);
    assert_file_is(path, "hello 42\n");
    assert_int_equal(tu_count_entries(fx->dir), 1);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true((st.st_mode & 0444) == 0444); /* readable by all */

    assert_int_equal(atomic_open(&af, path, &e), 0);
    fputs("new", af.f);
    assert_int_equal(atomic_commit(&af, &e), 0);
    assert_file_is(path, "new");
    assert_int_equal(tu_count_entries(fx->dir), 1);
}

/* commit_new creates the target, whole and readable by all, only when
 * nothing is there: a second writer gets 1 and leaves the first one's
 * file as it was; neither leaves a temporary. */
static void atomic_commit_new_keeps_the_first(void **state)
{
    fixture *fx = *state;
    const char *path = tu_path(fx->dir, "plan.txt");
    atomic_file af;
    err e = {{0}};
    assert_int_equal(atomic_open(&af, path, &e), 0);
    fputs("first", af.f);
    assert_int_equal(atomic_commit_new(&af, &e), 0);
    assert_file_is(path, "first");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true((st.st_mode & 0444) == 0444);

    assert_int_equal(atomic_open(&af, path, &e), 0);
    fputs("second", af.f);
    assert_int_equal(atomic_commit_new(&af, &e), 1);
    assert_file_is(path, "first");
    assert_int_equal(tu_count_entries(fx->dir), 1);

    /* Anything in the target's place counts, a folder too. */
    const char *sub = tu_path(fx->dir, "sub");
    assert_int_equal(mkdir(sub, 0755), 0);
    assert_int_equal(atomic_open(&af, sub, &e), 0);
    assert_int_equal(atomic_commit_new(&af, &e), 1);
    assert_int_equal(tu_count_temporaries(fx->dir), 0);
}

/* Abort removes the temporary and leaves the old file as it was; a target
 * in a missing folder is refused at open, naming it. */
static void atomic_abort_keeps_the_old_file(void **state)
{
    fixture *fx = *state;
    const char *path = tu_path(fx->dir, "keep.txt");
    tu_write_file(path, "old", 3);
    atomic_file af;
    err e = {{0}};
    assert_int_equal(atomic_open(&af, path, &e), 0);
    fputs("half-written", af.f);
    fflush(af.f);
    atomic_abort(&af);
    assert_file_is(path, "old");
    assert_int_equal(tu_count_entries(fx->dir), 1); /* the temporary is gone */

    const char *bad = tu_path(fx->dir, "missing/x.txt");
    assert_int_equal(atomic_open(&af, bad, &e), -1);
    tu_assert_contains(e.msg, bad);
}

/* A full disk at commit (the temporary's stream on /dev/full): the commit
 * fails naming the file and ENOSPC, the previous file stays whole, and the
 * temporary is removed. */
static void atomic_disk_full(void **state)
{
    fixture *fx = *state;
    const char *path = tu_path(fx->dir, "results.csv");
    tu_write_file(path, "old\n", 4);
    if (access("/dev/full", W_OK) != 0) {
        print_message("SKIPPED: no /dev/full\n");
        skip();
    }
    atomic_file af;
    err e = {{0}};
    assert_int_equal(atomic_open(&af, path, &e), 0);
    assert_non_null(freopen("/dev/full", "w", af.f));
    for (int i = 0; i < 10000; i++)
        fprintf(af.f, "%d,teacher,0.5\n", i);
    assert_int_equal(atomic_commit(&af, &e), -1);
    tu_assert_contains(e.msg, path);
    tu_assert_contains(e.msg, strerror(ENOSPC));
    assert_file_is(path, "old\n");
    assert_int_equal(tu_count_temporaries(fx->dir), 0);
}

/* Places no file can be written: each refused at open with the path and
 * the reason, and no temporary left behind. */
static void atomic_unwritable_places(void **state)
{
    fixture *fx = *state;
    atomic_file af;
    err e = {{0}};
    /* A folder that does not exist, and a "folder" that is a file. */
    const char *missing = tu_path(fx->dir, "missing/results.csv");
    assert_int_equal(atomic_open(&af, missing, &e), -1);
    tu_assert_contains(e.msg, missing);
    tu_assert_contains(e.msg, strerror(ENOENT));
    tu_write_file(tu_path(fx->dir, "file"), "x", 1);
    const char *under_file = tu_path(fx->dir, "file/results.csv");
    assert_int_equal(atomic_open(&af, under_file, &e), -1);
    tu_assert_contains(e.msg, under_file);
    tu_assert_contains(e.msg, strerror(ENOTDIR));
    /* A read-only folder (root writes anyway: then nothing to test). */
    char ro[600];
    snprintf(ro, sizeof ro, "%s/ro", fx->dir);
    assert_int_equal(mkdir(ro, 0555), 0);
    if (geteuid() != 0) {
        const char *in_ro = tu_path(ro, "results.csv");
        assert_int_equal(atomic_open(&af, in_ro, &e), -1);
        tu_assert_contains(e.msg, in_ro);
        tu_assert_contains(e.msg, strerror(EACCES));
        assert_int_equal(tu_count_temporaries(ro), 0);
    }
    /* A path too long for the temporary's name. */
    char longpath[FILES_PATH_MAX + 100];
    memset(longpath, 'a', sizeof longpath - 1);
    longpath[sizeof longpath - 1] = '\0';
    assert_int_equal(atomic_open(&af, longpath, &e), -1);
    tu_assert_contains(e.msg, "too long");
}

/* The files of one folder: what a killed writer of results.csv left (a
 * real temporary, from atomic_open in a child that died before its
 * commit; and pid-less ones of older versions), and neighbours that are
 * not its. */
static const char *const OWN[] = {"results.csv.tmp.AbC123", "results.csv.tmp.zzzzzz"};
static const char *const OTHERS_TMP[] = {"config.txt.tmp.XyZ789", "xresults.csv.tmp.AbC123",
                                         "results.csv.tmp.Q1w2E3.tmp.R4t5Y6"};
static const char *const NOT_TMP[] = {"results.csv", "notes.tmp.txt", "results.csv.tmp.abc",
                                      "results.csv.tmp.abcdefg", ".tmp.abcdef",
                                      "results.csv.tmp.12x.abcdef", "results.csv.tmp.0.abcdef"};
#define COUNT(a) (sizeof(a) / sizeof(a)[0])

/* left gets the path of the temporary a writer killed before its commit
 * left: written by a child, which then dies. */
static void left_by_killed_writer(const char *dir, char *left, size_t size)
{
    pid_t pid = tu_fork();
    if (pid == 0) {
        atomic_file af;
        err e;
        if (atomic_open(&af, tu_path(dir, "results.csv"), &e) != 0)
            _exit(1);
        fputs("half", af.f);
        fflush(af.f);
        _exit(0); /* no commit, no abort */
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "results.csv.tmp.%ld.", (long)pid);
    DIR *d = opendir(dir);
    assert_non_null(d);
    left[0] = '\0';
    for (struct dirent *de; (de = readdir(d));)
        if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
            snprintf(left, size, "%s/%s", dir, de->d_name);
    closedir(d);
    if (!left[0])
        fail_msg("no %s* in %s", prefix, dir);
}

static void make_neighbours(fixture *fx, char *left, size_t size)
{
    for (size_t k = 0; k < COUNT(OWN); k++)
        tu_write_file(tu_path(fx->dir, OWN[k]), "own", 3);
    for (size_t k = 0; k < COUNT(OTHERS_TMP); k++)
        tu_write_file(tu_path(fx->dir, OTHERS_TMP[k]), "other", 5);
    for (size_t k = 0; k < COUNT(NOT_TMP); k++)
        tu_write_file(tu_path(fx->dir, NOT_TMP[k]), "keep", 4);
    left_by_killed_writer(fx->dir, left, size);
}

/* atomic_remove_stale(path), by the holder of path's lock, removes path's
 * own leftovers (NAME.tmp.PID.XXXXXX and NAME.tmp.XXXXXX), not another
 * file's temporaries, not a name merely containing ".tmp."; a bare name
 * (no folder) means the current folder. */
static void atomic_remove_stale_only_own(void **state)
{
    fixture *fx = *state;
    char left[700];
    make_neighbours(fx, left, sizeof left);
    atomic_remove_stale(tu_path(fx->dir, "results.csv"), 1);
    assert_false(files_exists(left));
    for (size_t k = 0; k < COUNT(OWN); k++)
        if (files_exists(tu_path(fx->dir, OWN[k])))
            fail_msg("%s was left", OWN[k]);
    for (size_t k = 0; k < COUNT(OTHERS_TMP); k++)
        if (!files_exists(tu_path(fx->dir, OTHERS_TMP[k])))
            fail_msg("%s (another file's) was removed", OTHERS_TMP[k]);
    for (size_t k = 0; k < COUNT(NOT_TMP); k++)
        if (!files_exists(tu_path(fx->dir, NOT_TMP[k])))
            fail_msg("%s (not a temporary) was removed", NOT_TMP[k]);
    assert_file_is(tu_path(fx->dir, "results.csv"), "keep");

    /* The same through a bare name, from inside the folder. */
    tu_write_file(tu_path(fx->dir, "config.txt"), "k=v\n", 4);
    char cwd[1024];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(fx->dir), 0);
    atomic_remove_stale("config.txt", 1);
    assert_int_equal(chdir(cwd), 0);
    assert_false(files_exists(tu_path(fx->dir, "config.txt.tmp.XyZ789")));
    assert_true(files_exists(tu_path(fx->dir, "config.txt")));
    assert_true(files_exists(tu_path(fx->dir, "xresults.csv.tmp.AbC123")));
}

/* atomic_remove_stale_in(dir), by the holder of its lock, removes every
 * file's temporaries and nothing else; a missing folder is no error. */
static void atomic_remove_stale_in_removes_every_one(void **state)
{
    fixture *fx = *state;
    char left[700];
    make_neighbours(fx, left, sizeof left);
    atomic_remove_stale_in(fx->dir, 1);
    assert_false(files_exists(left));
    for (size_t k = 0; k < COUNT(OWN); k++)
        assert_false(files_exists(tu_path(fx->dir, OWN[k])));
    for (size_t k = 0; k < COUNT(OTHERS_TMP); k++)
        if (files_exists(tu_path(fx->dir, OTHERS_TMP[k])))
            fail_msg("%s was left", OTHERS_TMP[k]);
    for (size_t k = 0; k < COUNT(NOT_TMP); k++)
        if (!files_exists(tu_path(fx->dir, NOT_TMP[k])))
            fail_msg("%s (not a temporary) was removed", NOT_TMP[k]);
    assert_int_equal(tu_count_entries(fx->dir), COUNT(NOT_TMP));
    atomic_remove_stale_in(tu_path(fx->dir, "no-such-folder"), 1);
}

/* A live writer's temporary is never removed, lock or no lock: not this
 * process's (whose commit then goes through), not another live process's;
 * a dead writer's is removed by anyone, a pid-less one only by the
 * holder of the lock. */
static void atomic_remove_stale_spares_live_writers(void **state)
{
    fixture *fx = *state;
    const char *path = tu_path(fx->dir, "results.csv");
    long other = tu_live_child(), dead = tu_dead_pid();
    char other_tmp[700], dead_tmp[700], old_tmp[700];
    snprintf(other_tmp, sizeof other_tmp, "%s", tu_temporary(fx->dir, "results.csv", other));
    snprintf(dead_tmp, sizeof dead_tmp, "%s", tu_temporary(fx->dir, "results.csv", dead));
    snprintf(old_tmp, sizeof old_tmp, "%s", tu_path(fx->dir, "results.csv.tmp.AbC123"));
    tu_write_file(other_tmp, "other", 5);
    tu_write_file(dead_tmp, "dead", 4);
    tu_write_file(old_tmp, "old", 3);
    atomic_file mine;
    err e = {{0}};
    assert_int_equal(atomic_open(&mine, path, &e), 0);
    fputs("mine", mine.f);

    atomic_remove_stale(path, 0); /* no lock */
    assert_false(files_exists(dead_tmp));
    assert_true(files_exists(old_tmp));
    assert_true(files_exists(other_tmp));
    assert_true(files_exists(mine.tmp));
    atomic_remove_stale_in(fx->dir, 1); /* the lock holder */
    assert_false(files_exists(old_tmp));
    assert_true(files_exists(other_tmp));
    assert_true(files_exists(mine.tmp));
    assert_int_equal(atomic_commit(&mine, &e), 0);
    assert_file_is(path, "mine");

    tu_end_child(other); /* now gone: its temporary goes too */
    atomic_remove_stale_in(fx->dir, 0);
    assert_int_equal(tu_count_temporaries(fx->dir), 0);
    assert_int_equal(tu_count_entries(fx->dir), 1);
}

/* Pids wrap (32768 of them on many systems), so a dead writer's pid can
 * belong to a live process again: a temporary last written before that
 * process started is its dead writer's, and goes (where the system tells
 * when a process started: Linux's /proc, macOS's sysctl); one written
 * after it started is kept. */
static void atomic_remove_stale_sees_reused_pids(void **state)
{
    fixture *fx = *state;
#if defined(__linux__)
    if (access("/proc/self/stat", R_OK) != 0) {
        print_message("SKIPPED: no /proc to tell when a process started\n");
        skip();
    }
#elif !defined(__APPLE__)
    print_message("SKIPPED: no way here to tell when a process started (Linux, macOS)\n");
    skip();
#endif
    long reused = tu_live_child();
    char before[700], after[700];
    snprintf(before, sizeof before, "%s", tu_temporary(fx->dir, "results.csv", reused));
    snprintf(after, sizeof after, "%s", tu_temporary(fx->dir, "curves.csv", reused));
    tu_write_file(before, "an older writer's", 17);
    tu_write_file(after, "its own", 7);
    /* The first was last written an hour before the live process began. */
    struct timeval hour_ago[2] = {{time(NULL) - 3600, 0}, {time(NULL) - 3600, 0}};
    assert_int_equal(utimes(before, hour_ago), 0);
    atomic_remove_stale_in(fx->dir, 0);
    assert_false(files_exists(before));
    assert_true(files_exists(after));
    tu_end_child(reused);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(atomic_commit_writes_the_file),
        T(atomic_commit_new_keeps_the_first),
        T(atomic_abort_keeps_the_old_file),
        T(atomic_disk_full),
        T(atomic_unwritable_places),
        T(atomic_remove_stale_only_own),
        T(atomic_remove_stale_in_removes_every_one),
        T(atomic_remove_stale_spares_live_writers),
        T(atomic_remove_stale_sees_reused_pids),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
