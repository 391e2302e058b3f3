/* Tests of the command line as a user runs it (the built program, through
 * tu_run_sublim): --help of every command, bad flags and commands (exit 2,
 * naming what is wrong), and the result folder's protections: results not
 * replaced without --force, a folder another sublim is writing refused at
 * once, an output folder that cannot be made; output lost to a full disk
 * is a failure.  Tests that need the data run a tiny experiment on ./mnist
 * (skipped, saying so, without it). */
#include "testutil.h"

#include <errno.h>
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

/* The files of dir an experiment writes, concatenated (a snapshot). */
static char *snapshot(const char *dir)
{
    const char *names[] = {FOLDER_RESULTS, FOLDER_CURVES,  FOLDER_CONFIG, FOLDER_RUNS,
                           FOLDER_SUMMARY, FOLDER_REPORT, FOLDER_FIGURE};
    char *all = calloc(1, 1);
    size_t used = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t n;
        char *text = tu_slurp(tu_path(dir, names[i]), &n);
        all = realloc(all, used + n + 1);
        assert_non_null(all);
        memcpy(all + used, text, n + 1);
        used += n;
        free(text);
    }
    return all;
}

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
    char *before = snapshot(out);
    EXPECT(1, W("already holds results", "--force", "--resume"), "experiment", TINY, "--seeds",
           "1", "--seed-start", "1", "--out", out);
    char *after = snapshot(out);
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
    fflush(stdout);
    fflush(stderr);
    pid_t first = fork();
    assert_true(first >= 0);
    if (first == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        /* Many seeds: it is still running when the second one comes. */
        char *const argv[] = {SUBLIM_BIN, "experiment", TINY, "--seeds", "1000", "--out", out,
                              NULL};
        execv(SUBLIM_BIN, argv);
        _exit(127);
    }
    /* The lock is taken once the lock file holds the first one's pid. */
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

    char *text, pid[32];
    double t0 = now();
    int rc = sublim(&text, "experiment", TINY, "--seeds", "1", "--out", out, NULL);
    double took = now() - t0;
    int status;
    assert_int_equal(waitpid(first, &status, WNOHANG), 0); /* the first still runs */
    kill(first, SIGKILL);
    assert_int_equal(waitpid(first, &status, 0), first);
    snprintf(pid, sizeof pid, "(pid %ld)", (long)first);
    if (rc != 1)
        fail_msg("exit %d, want 1: %s", rc, text);
    tu_assert_contains(text, out);
    tu_assert_contains(text, "being written");
    tu_assert_contains(text, pid);
    free(text);
    if (took > 2)
        fail_msg("the second experiment took %.1f s to be refused", took);
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

/* Output that cannot reach stdout (a full disk: /dev/full) is a failure,
 * exit 1 with the reason, not a success: help, and an experiment (whose
 * results are written all the same). */
static void stdout_write_error_exits_1(void **state)
{
    tu_dir *fx = *state;
    if (access("/dev/full", W_OK) != 0) {
        print_message("SKIPPED: no /dev/full\n");
        skip();
    }
    const char *const *runs[] = {W("--help"), W("experiment", "--help"), W("report", "--help")};
    char *text;
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        int rc = tu_run_sublim_stdout(&text, "/dev/full", runs[i]);
        if (rc != 1)
            fail_msg("sublim %s > /dev/full: exit %d, want 1: %s", runs[i][0], rc, text);
        tu_assert_contains(text, "cannot write to standard output");
        tu_assert_contains(text, strerror(ENOSPC));
        free(text);
    }
    tu_need_mnist();
    char out[600];
    snprintf(out, sizeof out, "%s/o", fx->dir);
    int rc = tu_run_sublim_stdout(&text, "/dev/full",
                                  W("experiment", TINY, "--seeds", "1", "--out", out));
    if (rc != 1)
        fail_msg("sublim experiment > /dev/full: exit %d, want 1: %s", rc, text);
    tu_assert_contains(text, "cannot write to standard output");
    free(text);
    assert_true(files_exists(tu_path(out, FOLDER_RESULTS)));
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
        T(output_folder_cannot_be_made),
        T(stdout_write_error_exits_1),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
