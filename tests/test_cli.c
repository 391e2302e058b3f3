/* Tests of the command line as a user runs it (the built program, through
 * tu_run_sublim): --help of every command, bad flags and commands (exit 2,
 * naming what is wrong), and the result folder's protections: results not
 * replaced without --force, a folder another sublim is writing refused at
 * once, an output folder that cannot be made.  Tests that need the data
 * run a tiny experiment on ./mnist (skipped, saying so, without it). */
#include "testutil.h"
#include "tu_folder.h"

#include <signal.h>
#include <time.h>
#include "cli/commands.h"
#include "out/folder.h"
#include "run/experiment.h"
#include "run/theorem.h"

#define MAX_ARGS 64

/* Runs sublim with the arguments given (NULL-terminated); *out gets what
 * it printed (NULL: discarded).  Returns the exit code. */
static int sublim(char **out, ...)
{
    const char *args[MAX_ARGS];
    size_t n = 0;
    va_list ap;
    va_start(ap, out);
    for (const char *a; (a = va_arg(ap, const char *)) && n < MAX_ARGS - 1;)
        args[n++] = a;
    va_end(ap);
    args[n] = NULL;
    return tu_run_sublim(out, args);
}

/* The tiny experiment of the old tests: seconds on MNIST. */
#define TINY "--width", "16", "--epochs", "1", "--student-epochs", "1", "--noise-images", \
             "2048", "--batch", "512", "--threads", "2", "--quiet"

/* Fails unless sublim ARGS exits with code and prints every word given. */
#define EXPECT(code, words, ...)                                                \
    do {                                                                        \
        char *out_;                                                             \
        int rc_ = sublim(&out_, __VA_ARGS__, NULL);                             \
        if (rc_ != (code))                                                      \
            fail_msg("exit %d, want %d: %s", rc_, (code), out_);                \
        for (const char *const *w_ = (words); *w_; w_++)                        \
            tu_assert_contains(out_, *w_);                                      \
        free(out_);                                                             \
    } while (0)
#define W(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ---- help and usage ---- */

/* Fails unless help lists the flag of every setting of the table that
 * has one. */
static void lists_flags(const char *help, const setting *s, size_t n)
{
    char flag[80];
    for (size_t i = 0; i < n; i++) {
        if (!setting_has_flag(&s[i]))
            continue;
        setting_flag(&s[i], flag, sizeof flag);
        tu_assert_contains(help, flag);
    }
}

/* `sublim CMD --help` exits 0; its output, malloc'ed. */
static char *help_of(const char *cmd)
{
    char *out;
    int rc = sublim(&out, cmd, "--help", NULL);
    if (rc != 0)
        fail_msg("sublim %s --help: exit %d: %s", cmd, rc, out);
    char usage[64];
    snprintf(usage, sizeof usage, "usage: sublim %s", cmd);
    tu_assert_contains(out, usage);
    return out;
}

/* Every command's --help exits 0 and lists its flags (those of the
 * settings tables it reads, and its own); `sublim --help` lists the
 * commands. */
static void every_command_has_help(void **state)
{
    (void)state;
    size_t n_exp, n_thm, n_run;
    const setting *exp = experiment_settings(&n_exp), *thm = theorem_settings(&n_thm);
    const setting *run = cmd_run_settings(&n_run);
    assert_int_equal(n_run, 3); /* --threads, --data, --out */

    char *h = help_of("experiment");
    lists_flags(h, exp, n_exp);
    lists_flags(h, run, n_run);
    const char *own[] = {"--resume", "--force", "--save-teacher", "--load-teacher",
                         "--no-curves", "--quiet"};
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
        tu_assert_contains(h, own[i]);
    free(h);

    h = help_of("theorem");
    lists_flags(h, thm, n_thm);
    lists_flags(h, run, n_run);
    tu_assert_contains(h, "--check");
    free(h);

    h = help_of("bench");
    lists_flags(h, run, 2); /* no result folder: no --out */
    tu_assert_contains(h, "--kernels-only");
    assert_null(strstr(h, "--out"));
    free(h);

    h = help_of("report");
    tu_assert_contains(h, "OUT");
    free(h);
    h = help_of("merge");
    tu_assert_contains(h, "--out");
    tu_assert_contains(h, "--force");
    free(h);

    EXPECT(0, W("experiment", "theorem", "report", "bench", "merge"), "--help");
    EXPECT(0, W("usage: sublim <command>"), "help");
}

/* No command, or one that does not exist: usage, exit 2. */
static void bad_commands_exit_2(void **state)
{
    (void)state;
    EXPECT(CMD_EXIT_USAGE, W("usage: sublim <command>", "experiment"), NULL);
    EXPECT(CMD_EXIT_USAGE, W("unknown command 'frobnicate'", "usage"), "frobnicate");
    EXPECT(CMD_EXIT_USAGE, W("unknown command '--seeds'"), "--seeds", "3");
}

/* A bad flag exits 2, naming it and what is wrong, before anything runs
 * (no output folder appears). */
static void bad_flags_exit_2(void **state)
{
    tu_dir *fx = *state;
    char out[600];
    snprintf(out, sizeof out, "%s/out", fx->dir);
    const int U = CMD_EXIT_USAGE;
    EXPECT(U, W("'--bogus'", "unknown"), "experiment", "--out", out, "--bogus");
    EXPECT(U, W("--seeds", "needs a value"), "experiment", "--out", out, "--seeds");
    EXPECT(U, W("--seeds", "out of range"), "experiment", "--out", out, "--seeds", "0");
    EXPECT(U, W("--lr", "not a number"), "experiment", "--out", out, "--lr", "fast");
    EXPECT(U, W("--init", "choices"), "experiment", "--out", out, "--init", "gaussian");
    EXPECT(U, W("--resume", "takes no value"), "experiment", "--out", out, "--resume=1");
    EXPECT(U, W("'extra'", "unexpected"), "experiment", "--out", out, "extra");
    EXPECT(U, W("--eps", "not a number"), "theorem", "--out", out, "--eps", "0.1,,0.2");
    EXPECT(U, W("--loss", "choices"), "theorem", "--out", out, "--loss", "l1");
    EXPECT(U, W("--check", "takes no value"), "theorem", "--out", out, "--check=yes");
    EXPECT(U, W("'--out'", "unknown"), "bench", "--out", out);
    EXPECT(U, W("--threads", "out of range"), "bench", "--threads", "100000");
    EXPECT(U, W("'--bogus'", "unknown"), "report", out, "--bogus");
    EXPECT(U, W("'--bogus'", "unknown"), "merge", out, "--out", out, "--bogus");
    EXPECT(U, W("--out"), "merge", out);
    assert_int_equal(access(out, F_OK), -1);
}

/* theorem --check with no ε <= 1e-3 would check nothing: usage error. */
static void theorem_check_needs_a_small_eps(void **state)
{
    tu_dir *fx = *state;
    char out[600], eps[32];
    snprintf(out, sizeof out, "%s/t", fx->dir);
    snprintf(eps, sizeof eps, "%g,%g", THEOREM_CHECK_MAX_EPS * 100, THEOREM_CHECK_MAX_EPS * 10);
    EXPECT(CMD_EXIT_USAGE, W("--check", "--eps"), "theorem", "--check", "--eps", eps, "--out",
           out);
    assert_int_equal(access(out, F_OK), -1);
}

/* report needs exactly one folder (2 otherwise) that exists (1 otherwise,
 * and it is not created). */
static void report_needs_a_folder(void **state)
{
    tu_dir *fx = *state;
    char missing[600];
    snprintf(missing, sizeof missing, "%s/missing", fx->dir);
    EXPECT(CMD_EXIT_USAGE, W("one result folder"), "report");
    EXPECT(CMD_EXIT_USAGE, W("one result folder"), "report", fx->dir, fx->dir);
    EXPECT(1, W(missing, "no such folder"), "report", missing);
    assert_int_equal(access(missing, F_OK), -1);
}

/* ---- the result folder ---- */

/* An experiment into a folder that holds results exits 1, pointing to
 * --force (and --resume), and leaves every file as it was; with --force it
 * replaces them. */
static void experiment_keeps_results_without_force(void **state)
{
    tu_dir *fx = *state;
    tu_need_mnist();
    char out[600];
    snprintf(out, sizeof out, "%s/a", fx->dir);
    EXPECT(0, W("teacher"), "experiment", TINY, "--seeds", "1", "--out", out);
    char *before = tu_snapshot(out);
    EXPECT(1, W("already holds results", "--force", "--resume"), "experiment", TINY, "--seeds",
           "1", "--seed-start", "1", "--out", out);
    char *after = tu_snapshot(out);
    assert_string_equal(before, after);
    free(after);
    EXPECT(0, W("teacher"), "experiment", TINY, "--seeds", "1", "--seed-start", "1", "--out",
           out, "--force");
    char *results = tu_slurp(tu_path(out, FOLDER_RESULTS), NULL);
    assert_null(strstr(results, "\n0,")); /* seed 0's rows are gone */
    tu_assert_contains(results, "\n1,");
    free(results);
    free(before);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Starts `sublim experiment TINY --seeds 1000 ARGS` (args: NULL-terminated;
 * so many seeds that it still runs when the test is done with it), its
 * output discarded, and waits until the lock file lock holds its pid:
 * it holds that lock then.  Fails if it never does. */
static pid_t start_holding(const char *lock, const char *const *args)
{
    pid_t first = tu_start_sublim(W("experiment", TINY, "--seeds", "1000"), args, NULL);
    int held = 0;
    for (double t0 = now(); !held && now() - t0 < 30;) {
        FILE *f = fopen(lock, "r");
        long pid = 0;
        if (f) {
            held = fscanf(f, "%ld", &pid) == 1 && pid == (long)first;
            fclose(f);
        }
        if (!held) {
            int status;
            assert_int_equal(waitpid(first, &status, WNOHANG), 0); /* still running */
            nanosleep(&(struct timespec){0, 10000000}, NULL);
        }
    }
    if (!held) {
        kill(first, SIGKILL);
        waitpid(first, NULL, 0);
        fail_msg("%s never held the first experiment's pid %ld", lock, (long)first);
    }
    return first;
}

/* Fails unless the second command (exit code rc, output text, taking took
 * seconds, at most max) was refused at once while first, still running,
 * held what it wanted: exit 1, naming what (where) and first's pid.  Ends
 * first. */
static void assert_refused_beside(pid_t first, int rc, char *text, double took, double max,
                                  const char *where)
{
    int status;
    assert_int_equal(waitpid(first, &status, WNOHANG), 0); /* the first still runs */
    kill(first, SIGKILL);
    assert_int_equal(waitpid(first, &status, 0), first);
    char pid[80];
    snprintf(pid, sizeof pid, "being written by another sublim (pid %ld)", (long)first);
    if (rc != 1)
        fail_msg("exit %d, want 1: %s", rc, text);
    tu_assert_contains(text, where);
    tu_assert_contains(text, pid);
    free(text);
    if (took > max)
        fail_msg("the second experiment took %.1f s to be refused (at most %g)", took, max);
}

/* While one experiment writes a folder, a second one on it fails at once
 * (exit 1, "being written", the first one's pid), before loading any data;
 * the first is unharmed by it. */
static void second_experiment_refused_at_once(void **state)
{
    tu_dir *fx = *state;
    tu_need_mnist();
    char out[600], lock[700];
    snprintf(out, sizeof out, "%s/busy", fx->dir);
    snprintf(lock, sizeof lock, "%s/%s", out, FOLDER_LOCK);
    pid_t first = start_holding(lock, W("--out", out));
    char *text;
    double t0 = now();
    int rc = sublim(&text, "experiment", TINY, "--seeds", "1", "--out", out, NULL);
    assert_refused_beside(first, rc, text, now() - t0, 2, out);
}

/* While one experiment saves teachers to a file, a second one saving to it
 * (into another folder) fails at once, naming the file and the first one's
 * pid: one file never holds a mix of two runs' teachers.  It is refused
 * after loading the data (the file's key depends on it): 10 s at most on
 * a busy machine, where the first would run for minutes. */
static void second_teacher_saver_refused_at_once(void **state)
{
    tu_dir *fx = *state;
    tu_need_mnist();
    char a[600], b[600], ck[600], lock[700], where[700];
    snprintf(a, sizeof a, "%s/a", fx->dir);
    snprintf(b, sizeof b, "%s/b", fx->dir);
    snprintf(ck, sizeof ck, "%s/t.ck", fx->dir);
    snprintf(lock, sizeof lock, "%s.lock", ck);
    snprintf(where, sizeof where, "--save-teacher: %s", ck);
    pid_t first = start_holding(lock, W("--out", a, "--save-teacher", ck));
    char *text;
    double t0 = now();
    int rc = sublim(&text, "experiment", TINY, "--seeds", "1", "--out", b, "--save-teacher", ck,
                    NULL);
    assert_refused_beside(first, rc, text, now() - t0, 10, where);
    assert_int_not_equal(access(tu_path(b, FOLDER_RESULTS), F_OK), 0);
}

/* An output folder that cannot be made (under a file, or a file itself)
 * and a teacher file that cannot be written are clear errors, the latter
 * before any training (no results.csv). */
static void output_folder_cannot_be_made(void **state)
{
    tu_dir *fx = *state;
    tu_need_mnist();
    char file[600], under[700], ck[700], o[600];
    snprintf(file, sizeof file, "%s/file", fx->dir);
    snprintf(under, sizeof under, "%s/out", file);
    snprintf(ck, sizeof ck, "%s/nodir/t.ck", fx->dir);
    snprintf(o, sizeof o, "%s/o", fx->dir);
    tu_write_file(file, "x", 1);
    EXPECT(1, W("file/out"), "experiment", TINY, "--seeds", "1", "--out", under);
    EXPECT(1, W("not a folder"), "experiment", TINY, "--seeds", "1", "--out", file);
    EXPECT(1, W("--save-teacher", "nodir/t.ck"), "experiment", TINY, "--seeds", "2", "--out", o,
           "--save-teacher", ck);
    assert_int_equal(access(tu_path(o, FOLDER_RESULTS), F_OK), -1);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, tu_dir_setup, tu_dir_teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_command_has_help),
        cmocka_unit_test(bad_commands_exit_2),
        T(bad_flags_exit_2),
        T(theorem_check_needs_a_small_eps),
        T(report_needs_a_folder),
        T(experiment_keeps_results_without_force),
        T(second_experiment_refused_at_once),
        T(second_teacher_saver_refused_at_once),
        T(output_folder_cannot_be_made),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
