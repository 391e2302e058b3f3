/* Tests of SIGINT and SIGTERM (base/interrupt.h), and of what a stopped
 * writer leaves, through the built program:
 *  - a command a signal stops ends cleanly: exit 130 (SIGINT) or 143
 *    (SIGTERM), no temporary file left, nothing half-written; an
 *    experiment's (a sweep task's) run.txt says "interrupted", it prints
 *    the command that resumes it (the program as run, the same flags plus
 *    --resume, quoted for the shell), and that command, run by the shell
 *    as printed, ends with the bytes of an uninterrupted run;
 *  - a report killed (SIGKILL) in the middle of a write leaves a
 *    temporary named with its pid, which the next command to open the
 *    folder removes, even one that only reads it;
 *  - in the library: the first signal is noted, a second one ends the
 *    process at once.
 * The moments are made exact by tests/stall_fsync.c, preloaded into the
 * program: it stalls in the fsync of a chosen file until the test lets it
 * go.  Tests that need the data run tiny experiments on ./mnist (skipped,
 * saying so, without it). */
#include "testutil.h"

#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include "base/interrupt.h"
#include "out/folder.h"
#include "tu_folder.h"

#ifndef SUBLIM_STALL_SHIM
#define SUBLIM_STALL_SHIM "build/tests/stall_fsync.so"
#endif

#define MAX_ARGS 64
/* A seed in well under a second. */
#define TINY "--width", "16", "--epochs", "1", "--student-epochs", "1", "--noise-images", \
             "2048", "--batch", "512", "--threads", "2", "--quiet"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void pause_briefly(void)
{
    nanosleep(&(struct timespec){0, 10000000}, NULL);
}

/* A sublim started in the background, its output going to log. */
typedef struct {
    pid_t pid;
    char log[64];
    char stall_dir[600]; /* the shim's folder; "" without the shim */
} running;

/* Starts sublim ARGS (NULL-terminated), under the stall shim when
 * stall_file is given: its first fsync of a path holding stall_file waits
 * for let_go. */
static running start(const char *dir, const char *stall_file, const char *const *args)
{
    running r = {0};
    snprintf(r.log, sizeof r.log, "/tmp/sublim-test-out-XXXXXX");
    int fd = mkstemp(r.log);
    assert_true(fd >= 0);
    if (stall_file) {
        snprintf(r.stall_dir, sizeof r.stall_dir, "%s/stall", dir);
        assert_int_equal(mkdir(r.stall_dir, 0755), 0);
    }
    r.pid = tu_fork();
    if (r.pid == 0) {
        const char *argv[MAX_ARGS + 2] = {SUBLIM_BIN};
        for (int n = 0; n < MAX_ARGS && args[n]; n++)
            argv[n + 1] = args[n];
        if (stall_file) {
            tu_preload(SUBLIM_STALL_SHIM);
            setenv("SUBLIM_STALL_DIR", r.stall_dir, 1);
            setenv("SUBLIM_STALL_FILE", stall_file, 1);
            /* Under AddressSanitizer (make check) the shim comes first. */
            setenv("ASAN_OPTIONS", "verify_asan_link_order=0", 1);
        }
        dup2(fd, 1);
        dup2(fd, 2);
        execv(SUBLIM_BIN, (char *const *)argv);
        _exit(127);
    }
    close(fd);
    return r;
}

/* Fails unless r is alive; kills it first, so no test leaves it behind. */
static void assert_running(const running *r, const char *waiting_for)
{
    int status;
    if (waitpid(r->pid, &status, WNOHANG) == 0)
        return;
    char *out = tu_slurp(r->log, NULL);
    fail_msg("sublim ended (status %d) before %s: %s", status, waiting_for, out);
}

static void stop(const running *r)
{
    kill(r->pid, SIGKILL);
    waitpid(r->pid, NULL, 0);
}

/* Waits until the program stalls in the shim (60 s at most). */
static void wait_stalled(const running *r)
{
    for (double t0 = now(); !files_exists(tu_path(r->stall_dir, "stalled")); pause_briefly()) {
        assert_running(r, "the stall");
        if (now() - t0 > 60) {
            stop(r);
            fail_msg("sublim never reached the fsync it was to stall in");
        }
    }
}

static void let_go(const running *r)
{
    tu_write_file(tu_path(r->stall_dir, "go"), "", 0);
}

/* Waits for r to end, `seconds` at most (else kills it and fails): its exit
 * code, or minus the signal that ended it; *out gets what it printed. */
static int wait_end(const running *r, double seconds, char **out)
{
    int status;
    double t0 = now();
    while (waitpid(r->pid, &status, WNOHANG) == 0) {
        if (now() - t0 > seconds) {
            stop(r);
            fail_msg("sublim still ran %.0f s after it was told to stop", seconds);
        }
        pause_briefly();
    }
    *out = tu_slurp(r->log, NULL);
    unlink(r->log);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

/* Runs sublim ARGS to the end. */
#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define sublim tu_run_sublim

/* The status of run.txt's last block, and whether any block says running. */
static void assert_last_run(const char *dir, const char *status)
{
    char *runs = tu_slurp(tu_path(dir, FOLDER_RUNS), NULL);
    const char *last = NULL;
    for (const char *p = runs; (p = strstr(p, "\nstatus=")); p++)
        last = p + strlen("\nstatus=");
    if (!last || strncmp(last, status, strlen(status)) != 0 || strstr(runs, "status=running"))
        fail_msg("run.txt, want the last run %s:\n%s", status, runs);
    free(runs);
}

/* The command an interrupted run printed to go on, malloc'ed (fails
 * without one). */
static char *printed_resume(const char *out)
{
    const char *at = strstr(out, "to go on where it stopped");
    if (at)
        at = strstr(at, "so far): ");
    if (!at)
        fail_msg("no command to resume in:\n%s", out);
    at += strlen("so far): ");
    char *command = strndup(at, strcspn(at, "\n"));
    assert_non_null(command);
    return command;
}

/* Runs command through the shell, as a user pasting it would: its exit
 * code; *out gets what it printed (malloc'ed). */
static int run_in_shell(const char *command, char **out)
{
    char *line = malloc(strlen(command) + 16);
    assert_non_null(line);
    sprintf(line, "%s 2>&1", command);
    fflush(NULL);
    FILE *p = popen(line, "r");
    assert_non_null(p);
    size_t cap = 4096, n = 0;
    *out = malloc(cap);
    assert_non_null(*out);
    for (size_t got; (got = fread(*out + n, 1, cap - n - 1, p)) > 0;)
        if ((n += got) == cap - 1) {
            *out = realloc(*out, cap *= 2);
            assert_non_null(*out);
        }
    (*out)[n] = '\0';
    int status = pclose(p);
    free(line);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* s in single quotes for the shell, a ' inside written '\'' (buf). */
static void shell_quote(char *buf, size_t size, const char *s)
{
    assert_true(4 * strlen(s) + 3 <= size);
    char *p = buf;
    *p++ = '\'';
    for (; *s; s++)
        if (*s == '\'') {
            memcpy(p, "'\\''", 4);
            p += 4;
        } else {
            *p++ = *s;
        }
    *p++ = '\'';
    *p = '\0';
}

/* ---- the library ---- */

/* In a child (the note cannot be undone): no note before a signal; the
 * first one is noted and interrupt_check says which; a second one ends the
 * process by its default action. */
static void first_signal_noted_second_ends(void **state)
{
    (void)state;
    pid_t pid = tu_fork();
    if (pid == 0) {
        err e;
        interrupt_catch();
        if (interrupt_signal() != 0 || interrupt_check(&e) != 0)
            _exit(1);
        raise(SIGTERM);
        if (interrupt_signal() != SIGTERM || interrupt_check(&e) != -1 ||
            strcmp(e.msg, "interrupted by SIGTERM") != 0)
            _exit(2);
        raise(SIGINT);
        _exit(3); /* not reached: the second signal ends it */
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGINT)
        fail_msg("the child %s %d", WIFEXITED(status) ? "failed check" : "died by signal",
                 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}

/* ---- experiment ---- */

/* SIGINT while seed 0 of 3 is being saved: the save completes, the run
 * stops before seed 1's first batch, exit 130, run.txt says interrupted,
 * no temporary, and the command printed (the program as run, the same
 * flags plus --resume, an --out with a space and a quote quoted), pasted
 * into the shell, finishes the run with the bytes of an uninterrupted one. */
static void experiment_sigint_then_resume(void **state)
{
    tu_dir *fx = *state;
    tu_need_mnist();
    char ref[600], dir[600], *out;
    snprintf(ref, sizeof ref, "%s/ref", fx->dir);
    snprintf(dir, sizeof dir, "%s/run it's", fx->dir);
    int rc = sublim(&out, ARGS("experiment", TINY, "--seeds", "3", "--out", ref));
    if (rc != 0)
        fail_msg("the uninterrupted run: exit %d: %s", rc, out);
    free(out);

    running r = start(fx->dir, "results.csv.tmp",
                      ARGS("experiment", TINY, "--seeds", "3", "--out", dir));
    wait_stalled(&r);
    kill(r.pid, SIGINT);
    let_go(&r);
    rc = wait_end(&r, 60, &out);
    if (rc != 130)
        fail_msg("exit %d, want 130: %s", rc, out);
    char resume[4096], quoted[4096];
    shell_quote(quoted, sizeof quoted, dir);
    snprintf(resume, sizeof resume,
             "%s experiment --width 16 --epochs 1 --student-epochs 1 --noise-images 2048 "
             "--batch 512 --threads 2 --quiet --seeds 3 --out %s --resume",
             SUBLIM_BIN, quoted);
    tu_assert_contains(out, "interrupted by SIGINT");
    char *command = printed_resume(out);
    assert_string_equal(command, resume);
    free(out);
    assert_last_run(dir, "interrupted");
    assert_int_equal(tu_count_temporaries(dir), 0);
    char *rows = tu_slurp(tu_path(dir, FOLDER_RESULTS), NULL);
    assert_int_equal(tu_count(rows, "\n0,"), 6); /* seed 0, whole */
    assert_int_equal(tu_count(rows, "\n1,"), 0);
    free(rows);

    rc = run_in_shell(command, &out);
    if (rc != 0)
        fail_msg("the resumed run (%s): exit %d: %s", command, rc, out);
    free(out);
    free(command);
    tu_assert_same_file(tu_path(ref, FOLDER_RESULTS), tu_path(dir, FOLDER_RESULTS));
    tu_assert_same_file(tu_path(ref, FOLDER_CURVES), tu_path(dir, FOLDER_CURVES));
    assert_last_run(dir, "finished");
    assert_int_equal(tu_count_temporaries(dir), 0);
}

/* A signal during a one-seed run that would train for a minute more
 * (stalled in the write of stall_file, then let go): it stops at the next
 * batch, at once, with exit 128 + sig; run.txt says interrupted; no
 * results, no temporary; with no seed finished, it says the same command
 * starts again (rather than offering a --resume with nothing to keep). */
static void stops_at_next_batch(tu_dir *fx, const char *stall_file, int sig,
                                const char *const *args)
{
    char dir[600], *out, word[32];
    snprintf(dir, sizeof dir, "%s/run", fx->dir);
    running r = start(fx->dir, stall_file, args);
    wait_stalled(&r);
    kill(r.pid, sig);
    let_go(&r);
    int rc = wait_end(&r, 10, &out);
    if (rc != 128 + sig)
        fail_msg("exit %d, want %d: %s", rc, 128 + sig, out);
    snprintf(word, sizeof word, "interrupted by %s", sig == SIGINT ? "SIGINT" : "SIGTERM");
    tu_assert_contains(out, word);
    tu_assert_contains(out, "no seed of this run was finished; the same command starts it again");
    free(out);
    assert_last_run(dir, "interrupted");
    assert_false(files_exists(tu_path(dir, FOLDER_RESULTS)));
    assert_int_equal(tu_count_temporaries(dir), 0);
}

/* SIGTERM before the teacher's first batch (while run.txt is written):
 * the teacher stops there. */
static void experiment_sigterm_stops_the_teacher(void **state)
{
    tu_dir *fx = *state;
    tu_need_mnist();
    stops_at_next_batch(fx, FOLDER_RUNS ".tmp", SIGTERM,
                        ARGS("experiment", TINY, "--epochs", "300", "--seeds", "1", "--out",
                             tu_path(fx->dir, "run")));
}

/* SIGINT after the teacher (while its checkpoint is saved): the students
 * stop at their first batch. */
static void experiment_sigint_stops_the_students(void **state)
{
    tu_dir *fx = *state;
    tu_need_mnist();
    stops_at_next_batch(fx, "t.ck.tmp", SIGINT,
                        ARGS("experiment", TINY, "--student-epochs", "300", "--noise-images",
                             "60000", "--seeds", "1", "--save-teacher",
                             tu_path(fx->dir, "t.ck"), "--out", tu_path(fx->dir, "run")));
}

/* ---- sweep ---- */

/* Fails if a run.txt under dir (a sweep's tasks) still says running. */
static void assert_no_task_running(const char *dir)
{
    char command[800], *out;
    snprintf(command, sizeof command, "grep -rl status=running '%s' || true", dir);
    assert_int_equal(run_in_shell(command, &out), 0);
    if (*out)
        fail_msg("a task's run.txt still says running: %s", out);
    free(out);
}

/* SIGINT while the sweep's first task saves its results: that task ends
 * whole, the sweep stops before the next one, exit 130, no task says
 * running, and the command printed (the program, the same flags plus
 * --resume), run by the shell, runs the rest and collects the sweep.csv of
 * an uninterrupted sweep. */
static void sweep_sigint_then_resume(void **state)
{
    tu_dir *fx = *state;
    tu_need_mnist();
    char ref[600], dir[600], *out;
    snprintf(ref, sizeof ref, "%s/ref", fx->dir);
    snprintf(dir, sizeof dir, "%s/sweep", fx->dir);
    int rc = sublim(&out, ARGS("sweep", TINY, "--m", "1,3", "--seeds", "1", "--out", ref));
    if (rc != 0)
        fail_msg("the uninterrupted sweep: exit %d: %s", rc, out);
    free(out);

    running r = start(fx->dir, "m=1/seed-0/results.csv.tmp",
                      ARGS("sweep", TINY, "--m", "1,3", "--seeds", "1", "--out", dir));
    wait_stalled(&r);
    kill(r.pid, SIGINT);
    let_go(&r);
    rc = wait_end(&r, 60, &out);
    if (rc != 130)
        fail_msg("exit %d, want 130: %s", rc, out);
    tu_assert_contains(out, "interrupted by SIGINT");
    char *command = printed_resume(out), resume[2048];
    snprintf(resume, sizeof resume,
             "%s sweep --width 16 --epochs 1 --student-epochs 1 --noise-images 2048 "
             "--batch 512 --threads 2 --quiet --m 1,3 --seeds 1 --out %s --resume",
             SUBLIM_BIN, dir);
    assert_string_equal(command, resume);
    free(out);
    assert_no_task_running(dir);
    assert_false(files_exists(tu_path(dir, "sweep.csv")));

    rc = run_in_shell(command, &out);
    if (rc != 0)
        fail_msg("the resumed sweep (%s): exit %d: %s", command, rc, out);
    free(out);
    free(command);
    tu_assert_same_file(tu_path(ref, "sweep.csv"), tu_path(dir, "sweep.csv"));
    assert_no_task_running(dir);
}

/* ---- theorem ---- */

/* Whether dir's lock file names pid (its writer has taken the lock). */
static int lock_names(const char *dir, pid_t pid)
{
    char want[32], got[32] = "";
    snprintf(want, sizeof want, "%ld\n", (long)pid);
    FILE *f = fopen(tu_path(dir, FOLDER_LOCK), "r");
    if (!f)
        return 0;
    size_t n = fread(got, 1, sizeof got - 1, f);
    got[n] = '\0';
    fclose(f);
    return strcmp(got, want) == 0;
}

/* SIGINT while the trials run: exit 130 within seconds, no theorem.csv
 * or theorem.json, no temporary. */
static void theorem_sigint_stops_between_trials(void **state)
{
    tu_dir *fx = *state;
    tu_need_mnist();
    char dir[600], *out;
    snprintf(dir, sizeof dir, "%s/t", fx->dir);
    /* Minutes of trials. */
    running r = start(fx->dir, NULL,
                      ARGS("theorem", "--trials", "5000", "--width", "16", "--threads", "2",
                           "--out", dir));
    /* The handler is in place once the lock file names the process. */
    for (double t0 = now(); !lock_names(dir, r.pid); pause_briefly()) {
        assert_running(&r, "taking the lock");
        if (now() - t0 > 60) {
            stop(&r);
            fail_msg("the theorem never took the lock of %s", dir);
        }
    }
    kill(r.pid, SIGINT);
    int rc = wait_end(&r, 15, &out);
    if (rc != 130)
        fail_msg("exit %d, want 130: %s", rc, out);
    tu_assert_contains(out, "interrupted by SIGINT");
    free(out);
    assert_false(files_exists(tu_path(dir, FOLDER_THEOREM_CSV)));
    assert_false(files_exists(tu_path(dir, FOLDER_THEOREM_JSON)));
    assert_int_equal(tu_count_temporaries(dir), 0);
}

/* ---- report ---- */

static void make_folder(const char *dir)
{
    experiment_config cfg = tu_small_config();
    tu_make_folder(dir, (const uint64_t[]){0, 1}, 2, &cfg, TU_ALL_FILES);
}

/* A report killed while it writes summary.json leaves the temporary,
 * named with its pid; the next command to open the folder removes it, even
 * a merge that only reads it; and report then works. */
static void report_killed_leaves_nothing_after_next_command(void **state)
{
    tu_dir *fx = *state;
    char dir[600], merged[600], *out;
    snprintf(dir, sizeof dir, "%s/res", fx->dir);
    snprintf(merged, sizeof merged, "%s/merged", fx->dir);
    make_folder(dir);
    running r = start(fx->dir, "summary.json.tmp", ARGS("report", dir));
    wait_stalled(&r);
    stop(&r);
    char *stalled = tu_slurp(tu_path(r.stall_dir, "stalled"), NULL);
    char name[64];
    snprintf(name, sizeof name, "/%s.tmp.%ld.", FOLDER_SUMMARY, (long)r.pid);
    tu_assert_contains(stalled, name);
    free(stalled);
    unlink(r.log);
    assert_int_equal(tu_count_temporaries(dir), 1);

    int rc = sublim(&out, ARGS("merge", dir, "--out", merged));
    if (rc != 0)
        fail_msg("merge: exit %d: %s", rc, out);
    free(out);
    assert_int_equal(tu_count_temporaries(dir), 0);
    rc = sublim(&out, ARGS("report", dir));
    if (rc != 0)
        fail_msg("report: exit %d: %s", rc, out);
    free(out);
    assert_int_equal(tu_count_temporaries(dir), 0);
}

/* SIGINT while report writes summary.json: it finishes the set of files
 * (a moment) and exits 130, leaving no temporary and every file whole. */
static void report_sigint_finishes_its_files(void **state)
{
    tu_dir *fx = *state;
    char dir[600], *out;
    snprintf(dir, sizeof dir, "%s/res", fx->dir);
    make_folder(dir);
    running r = start(fx->dir, "summary.json.tmp", ARGS("report", dir));
    wait_stalled(&r);
    kill(r.pid, SIGINT);
    let_go(&r);
    int rc = wait_end(&r, 30, &out);
    if (rc != 130)
        fail_msg("exit %d, want 130: %s", rc, out);
    free(out);
    assert_int_equal(tu_count_temporaries(dir), 0);
    const char *made[] = {FOLDER_SUMMARY, FOLDER_FIGURE, FOLDER_CURVES_FIGURE, FOLDER_REPORT};
    for (size_t i = 0; i < sizeof made / sizeof made[0]; i++)
        if (!files_exists(tu_path(dir, made[i])))
            fail_msg("%s was not written", made[i]);
    char *summary = tu_slurp(tu_path(dir, FOLDER_SUMMARY), NULL);
    tu_assert_contains(summary, "\"student_aux_same\"");
    free(summary);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, tu_dir_setup, tu_dir_teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_signal_noted_second_ends),
        T(experiment_sigint_then_resume),
        T(sweep_sigint_then_resume),
        T(experiment_sigterm_stops_the_teacher),
        T(experiment_sigint_stops_the_students),
        T(theorem_sigint_stops_between_trials),
        T(report_killed_leaves_nothing_after_next_command),
        T(report_sigint_finishes_its_files),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
