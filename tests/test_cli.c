/* Tests of the command line as a user runs it (the built program, through
 * tu_run_sublim): --help of every command, bad flags and commands (exit 2,
 * naming what is wrong), and the result folder's protections: results not
 * replaced without --force, a folder another sublim is writing refused at
 * once, an output folder that cannot be made, rows of other data never
 * joined, inputs that are not files, long paths; output lost to a full
 * disk is a failure.  Tests that need the data run a tiny experiment on
 * ./mnist (skipped, saying so, without it) or on synthetic data. */
#include "tu_cli.h"
#include "tu_data.h"
#include "tu_folder.h"

#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include "base/memory.h"
#include "cli/commands.h"
#include "out/folder.h"
#include "run/experiment.h"
#include "run/theorem.h"

/* The tiny experiment of the old tests: seconds on MNIST. */
#define TINY "--width", "16", "--epochs", "1", "--student-epochs", "1", "--noise-images", \
             "2048", "--batch", "512", "--threads", "2", "--quiet"

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

/* Every flag's help says what it takes: N, X, LIST, the choices, DIR or
 * FILE for a path, nothing for a switch; never the bare TEXT a path
 * without its placeholder would show. */
static void help_says_what_flags_take(void **state)
{
    (void)state;
    const char *cmds[] = {"experiment", "theorem", "bench", "merge", "sweep"};
    for (size_t c = 0; c < sizeof cmds / sizeof cmds[0]; c++) {
        char *h = help_of(cmds[c]);
        if (strstr(h, " TEXT "))
            fail_msg("sublim %s --help shows a TEXT placeholder:\n%s", cmds[c], h);
        free(h);
    }
    char *h = help_of("experiment");
    const char *exp[] = {"  --seeds N ", "  --lr X ", "  --init normal|uniform ",
                         "  --data DIR ", "  --out DIR ", "  --save-teacher FILE ",
                         "  --load-teacher FILE ", "  --trait none|prefer:C|swap:A:B ",
                         "  --resume  "};
    for (size_t i = 0; i < sizeof exp / sizeof exp[0]; i++)
        tu_assert_contains(h, exp[i]);
    free(h);
    h = help_of("theorem");
    tu_assert_contains(h, "  --eps LIST ");
    tu_assert_contains(h, "  --loss kl|mse ");
    free(h);
    h = help_of("sweep");
    const char *sweep[] = {"  --seeds N ", "  --m LIST ", "  --init LIST ", "  --task J ",
                           "  --collect DIR ", "  --list  "};
    for (size_t i = 0; i < sizeof sweep / sizeof sweep[0]; i++)
        tu_assert_contains(h, sweep[i]);
    free(h);
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

/* A flag where a value is due is a forgotten value (exit 2): no folder
 * named "--resume", no checkpoint named "--quiet", no merge into
 * "--force"; with '=' it is the value. */
static void flag_as_value_exit_2(void **state)
{
    tu_dir *fx = *state;
    char out[600], missing[600];
    snprintf(out, sizeof out, "%s/out", fx->dir);
    snprintf(missing, sizeof missing, "%s/no-data", fx->dir);
    const int U = CMD_EXIT_USAGE;
    EXPECT(U, W("--out", "'--resume' looks like a flag", "--out=--resume"), "experiment",
           "--data", missing, "--out", "--resume");
    assert_int_equal(access("--resume", F_OK), -1);
    EXPECT(U, W("--save-teacher", "'--quiet' looks like a flag"), "experiment", "--data",
           missing, "--out", out, "--save-teacher", "--quiet");
    EXPECT(U, W("--out", "'--force' looks like a flag"), "merge", out, "--out", "--force");
    EXPECT(U, W("--data", "'-h' looks like a flag"), "theorem", "--out", out, "--data", "-h");
    assert_int_equal(access(out, F_OK), -1);
    /* Written with '=', a value may start with "--" (here: a missing data folder). */
    char data_flag[640];
    snprintf(data_flag, sizeof data_flag, "--data=%s/--quiet", fx->dir);
    EXPECT(1, W("--quiet"), "experiment", data_flag, "--out", out);
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

/* ---- foreign data ---- */

/* The tiny experiment on the synthetic data of make_data. */
#define QUAD "--width", "8", "--epochs", "1", "--student-epochs", "1", "--noise-images", "64", \
             "--batch", "32", "--threads", "1", "--quiet", "--no-curves"

/* What SHA256SUMS make_data puts beside the data. */
enum { NO_SUMS, OWN_SUMS, MNIST_SUMS };

/* dir = root/name, a data folder of quadrant images drawn from seed (128
 * to train on, 32 to test), with no SHA256SUMS, one of its own, or
 * MNIST's (the committed mnist/SHA256SUMS) copied beside it. */
static void make_data(char *dir, size_t size, const char *root, const char *name, uint32_t seed,
                      int sums)
{
    snprintf(dir, size, "%s/%s", root, name);
    assert_int_equal(mkdir(dir, 0755), 0);
    dataset train, test;
    tu_make_quadrants(&train, 128, seed);
    tu_make_quadrants(&test, 32, seed + 1000);
    tu_write_idx(dir, "train", &train);
    tu_write_idx(dir, "t10k", &test);
    dataset_free(&train);
    dataset_free(&test);
    size_t n;
    char *text = sums == MNIST_SUMS ? tu_slurp("mnist/SHA256SUMS", &n) : NULL, own[128];
    if (sums == OWN_SUMS) {
        memset(own, (int)('a' + seed % 6), 64);
        n = (size_t)snprintf(own + 64, sizeof own - 64, "  quadrants-%u.gz\n", seed) + 64;
    }
    if (sums != NO_SUMS)
        tu_write_file(tu_path(dir, "SHA256SUMS"), text ? text : own, n);
    free(text);
}

/* dir/name: the text of a's file, then b's without its first `skip` lines. */
static void join_files(const char *dir, const char *a, const char *b, const char *name,
                       int skip)
{
    char *ta = tu_slurp(tu_path(a, name), NULL), *tb = tu_slurp(tu_path(b, name), NULL);
    const char *rest = tb;
    for (int i = 0; i < skip; i++)
        rest = strchr(rest, '\n') + 1;
    char *all = malloc(strlen(ta) + strlen(rest) + 1);
    assert_non_null(all);
    strcpy(all, ta);
    strcat(all, rest);
    tu_write_file(tu_path(dir, name), all, strlen(all));
    free(all);
    free(ta);
    free(tb);
}

/* Rows made from other data never join a folder's, whatever SHA256SUMS is
 * beside the data (none, the data's own, MNIST's copied next to other
 * files): --resume and merge refuse them, naming data_read.train (the
 * fingerprint of the data read), and report and --resume refuse a folder
 * where they were mixed (as an older sublim's --resume left it: the other
 * run's rows and run.txt block under the first one's config.txt).  The
 * same data in another folder resumes and merges. */
static void foreign_data_refused(void **state)
{
    tu_dir *fx = *state;
    for (int sums = NO_SUMS; sums <= MNIST_SUMS; sums++) {
        char root[300], x[400], same[400], y[400], a[400], b[400], c[400], m[400], mixed[400];
        snprintf(root, sizeof root, "%s/%d", fx->dir, sums);
        assert_int_equal(mkdir(root, 0755), 0);
        make_data(x, sizeof x, root, "x", 1, sums);
        make_data(same, sizeof same, root, "same", 1, sums);
        make_data(y, sizeof y, root, "y", 2, sums);
        snprintf(a, sizeof a, "%s/a", root);
        snprintf(b, sizeof b, "%s/b", root);
        snprintf(c, sizeof c, "%s/c", root);
        snprintf(m, sizeof m, "%s/m", root);
        snprintf(mixed, sizeof mixed, "%s/mixed", root);
        EXPECT(0, W("teacher"), "experiment", QUAD, "--seeds", "1", "--data", x, "--out", a);
        EXPECT(0, W("teacher"), "experiment", QUAD, "--seeds", "1", "--seed-start", "1", "--data",
               y, "--out", b);
        EXPECT(0, W("teacher"), "experiment", QUAD, "--seeds", "1", "--seed-start", "2", "--data",
               same, "--out", c);
        assert_int_equal(mkdir(mixed, 0755), 0);
        char *config = tu_slurp(tu_path(a, FOLDER_CONFIG), NULL);
        tu_write_file(tu_path(mixed, FOLDER_CONFIG), config, strlen(config));
        free(config);
        join_files(mixed, a, b, FOLDER_RESULTS, 1);
        join_files(mixed, a, b, FOLDER_RUNS, 0);
        EXPECT(1, W("runs on different data", "run 2 of", "data_read.train"), "report", mixed);
        EXPECT(1, W("runs on different data", "run 2 of"), "experiment", QUAD, "--seeds", "3",
               "--data", x, "--out", mixed, "--resume");
        char *before = tu_slurp(tu_path(a, FOLDER_RESULTS), NULL);
        EXPECT(1, W("cannot go on with the run", "data_read.train"), "experiment", QUAD,
               "--seeds", "2", "--data", y, "--out", a, "--resume");
        char *after = tu_slurp(tu_path(a, FOLDER_RESULTS), NULL);
        assert_string_equal(before, after);
        free(before);
        free(after);
        EXPECT(1, W("configurations differ", "data_read.train"), "merge", a, b, "--out", m);
        assert_int_equal(access(tu_path(m, FOLDER_RESULTS), F_OK), -1);
        EXPECT(0, W("merged 2 folders"), "merge", a, c, "--out", m);
        EXPECT(0, W("teacher"), "experiment", QUAD, "--seeds", "2", "--data", same, "--out", a,
               "--resume");
    }
}

/* Fails unless sublim ARGS exits 1 within 10 s, saying that name is not a
 * regular file. */
#define REFUSES_NOT_A_FILE(name, ...)                                           \
    do {                                                                        \
        char *out_, want_[256];                                                 \
        int rc_ = sublim_within(10, &out_, __VA_ARGS__, NULL);                  \
        if (rc_ != 1)                                                           \
            fail_msg("exit %d (-1: still running after 10 s), want 1: %s", rc_, \
                     out_);                                                     \
        snprintf(want_, sizeof want_, "%s: not a regular file", (name));        \
        tu_assert_contains(out_, want_);                                        \
        free(out_);                                                             \
    } while (0)

/* The MNIST files a --data folder holds. */
static const char *const MNIST_FILES[] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                          "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

/* path replaced by a FIFO: opened plainly to read, it blocks until a
 * writer comes, which none does. */
static void make_fifo(const char *path)
{
    unlink(path);
    assert_int_equal(mkfifo(path, 0644), 0);
}

/* A FIFO in place of any file of a result folder, its lock included, or
 * of the data is refused before being read (exit 1, naming it) by every
 * command that reads it, instead of waiting forever. */
static void fifo_inputs_refused(void **state)
{
    tu_dir *fx = *state;
    const char *names[] = {FOLDER_RESULTS,     FOLDER_CURVES,       FOLDER_CONFIG,
                           FOLDER_RUNS,        FOLDER_THEOREM_CSV,  FOLDER_LOCK};
    const uint64_t seeds[] = {0, 1};
    experiment_config cfg = tu_small_config();
    char dir[600], merged[600], data[600];
    snprintf(merged, sizeof merged, "%s/merged", fx->dir);
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        snprintf(dir, sizeof dir, "%s/f%zu", fx->dir, k);
        tu_make_folder(dir, seeds, 2, &cfg, TU_ALL_FILES);
        make_fifo(tu_path(dir, names[k]));
        REFUSES_NOT_A_FILE(names[k], "report", dir);
        REFUSES_NOT_A_FILE(names[k], "merge", dir, "--out", merged);
    }
    /* theorem.json, which merge copies beside theorem.csv. */
    snprintf(dir, sizeof dir, "%s/json", fx->dir);
    tu_make_folder(dir, seeds, 2, &cfg, TU_ALL_FILES);
    tu_write_file(tu_path(dir, FOLDER_THEOREM_CSV), "variant\n", 8);
    make_fifo(tu_path(dir, FOLDER_THEOREM_JSON));
    REFUSES_NOT_A_FILE(FOLDER_THEOREM_JSON, "merge", dir, "--out", merged);

    snprintf(data, sizeof data, "%s/data", fx->dir);
    assert_int_equal(mkdir(data, 0755), 0);
    for (size_t k = 0; k < 4; k++)
        make_fifo(tu_path(data, MNIST_FILES[k]));
    REFUSES_NOT_A_FILE(MNIST_FILES[0], "experiment", "--data", data, "--out", tu_path(fx->dir, "e"));
    REFUSES_NOT_A_FILE(MNIST_FILES[0], "theorem", "--data", data, "--out", tu_path(fx->dir, "t"));
}

/* The same for the data's SHA256SUMS and a teacher checkpoint, read once
 * the data is loaded. */
static void fifo_sums_and_checkpoint_refused(void **state)
{
    tu_dir *fx = *state;
    tu_need_mnist();
    char data[600], cwd[2048], real[2600];
    snprintf(data, sizeof data, "%s/data", fx->dir);
    assert_int_equal(mkdir(data, 0755), 0);
    assert_non_null(getcwd(cwd, sizeof cwd));
    for (size_t k = 0; k < 4; k++) {
        snprintf(real, sizeof real, "%s/mnist/%s", cwd, MNIST_FILES[k]);
        assert_int_equal(symlink(real, tu_path(data, MNIST_FILES[k])), 0);
    }
    make_fifo(tu_path(data, "SHA256SUMS"));
    REFUSES_NOT_A_FILE("SHA256SUMS", "experiment", TINY, "--data", data, "--out",
                       tu_path(fx->dir, "a"));
    const char *ck = tu_path(fx->dir, "teachers.ck");
    make_fifo(ck);
    REFUSES_NOT_A_FILE(ck, "experiment", TINY, "--out", tu_path(fx->dir, "b"),
                       "--load-teacher", ck);
    REFUSES_NOT_A_FILE(ck, "experiment", TINY, "--out", tu_path(fx->dir, "c"),
                       "--save-teacher", ck);
}

/* A 4000-byte --out path under a folder that does not exist: the reason
 * comes whole within the error's 512 bytes (the path loses its middle). */
static void long_out_path_keeps_the_reason(void **state)
{
    tu_dir *fx = *state;
    char out[4001];
    snprintf(out, sizeof out, "%s/missing", fx->dir);
    while (strlen(out) < sizeof out - 1) {
        size_t n = strlen(out), seg = sizeof out - 1 - n - 1;
        seg = seg > 200 ? 200 : seg;
        out[n] = '/';
        memset(out + n + 1, 'd', seg);
        out[n + 1 + seg] = '\0';
    }
    assert_int_equal(strlen(out), 4000);
    char *text;
    int rc = sublim(&text, "experiment", "--seeds", "1", "--out", out, NULL);
    if (rc != 1)
        fail_msg("exit %d, want 1: %s", rc, text);
    tu_assert_contains(text, "cannot create the folder: No such file or directory\n");
    tu_assert_contains(text, fx->dir);
    tu_assert_contains(text, "...");
    assert_true(strlen(text) < 600);
    free(text);
}

/* ---- what a run tells ---- */

/* A teacher that ends worse than guessing is called undertrained when its
 * loss never rose above its start (--lr 1e-12; one batch of all 60,000
 * digits for one epoch), and asked "is the learning rate too high?" only
 * when it did rise (--lr 1e3), where that question used to be asked of
 * all three. */
static void teacher_warning_tells_undertrained_from_too_high(void **state)
{
    tu_dir *fx = *state;
    tu_need_mnist();
    char out[600];
    snprintf(out, sizeof out, "%s/w", fx->dir);
    const char *const undertrained[][4] = {{"--lr", "1e-12", "--epochs", "1"},
                                           {"--batch", "60000", "--epochs", "1"}};
    for (size_t k = 0; k < 2; k++) {
        char *text;
        const char *const *a = undertrained[k];
        int rc = sublim(&text, "experiment", TINY, "--seeds", "1", "--force", "--out", out, a[0],
                        a[1], a[2], a[3], NULL);
        if (rc != 0)
            fail_msg("%s %s: exit %d: %s", a[0], a[1], rc, text);
        tu_assert_contains(text, "the teacher is undertrained");
        tu_assert_contains(text, "more --epochs");
        if (strstr(text, "too high"))
            fail_msg("%s %s: %s", a[0], a[1], text);
        free(text);
    }
    EXPECT(0, W("worse than guessing", "its loss rose to", "(--lr 1000) too high?"),
           "experiment", TINY, "--seeds", "1", "--force", "--out", out, "--lr", "1e3");
}

/* ---- memory ---- */

/* Skips a test of memory sizes under AddressSanitizer, whose shadow memory
 * and redzones swell resident memory and which needs terabytes of address
 * space to start at all. */
static void skip_under_asan(void)
{
#ifdef __SANITIZE_ADDRESS__
    print_message("SKIPPED: memory sizes mean nothing under AddressSanitizer\n");
    skip();
#endif
}

/* Fails unless peak is within [0.95, 1.10] of the estimate need (the
 * program and its libraries add a few MB the estimate leaves out). */
static void near_estimate(const char *what, double peak, size_t need, const char *text)
{
    if (!(peak >= 0.95 * (double)need && peak <= 1.10 * (double)need))
        fail_msg("%s: peak resident memory %.1f MB, estimate %.1f MB: %s", what, peak / 1e6,
                 (double)need / 1e6, text);
    tu_assert_contains(text, "of memory (estimate)");
}

/* The memory estimates of a default-network experiment and of the
 * theorem's default network on 2 threads against the peak resident memory
 * of real runs (what `/usr/bin/time -v` reports). */
static void memory_estimate_matches_peak_rss(void **state)
{
    tu_dir *fx = *state;
    tu_need_mnist();
    skip_under_asan();
    dataset train, test;
    err e;
    assert_int_equal(dataset_load(&train, "mnist", "train", EXPERIMENT_CLASSES, &e), 0);
    assert_int_equal(dataset_load(&test, "mnist", "t10k", EXPERIMENT_CLASSES, &e), 0);
    char out[600], *text;
    double peak;
    snprintf(out, sizeof out, "%s/m", fx->dir);
    /* Epochs do not change what is allocated, and 0 keeps the run short. */
    experiment_config cfg = experiment_defaults();
    assert_int_equal(tu_run_sublim_measured(&text,
                                            W("experiment", "--seeds", "1", "--epochs", "0",
                                                 "--student-epochs", "0", "--no-curves",
                                                 "--threads", "2", "--out", out),
                                            0, &peak),
                     0);
    near_estimate("experiment", peak, experiment_memory_bytes(&cfg, &train, &test), text);
    free(text);
    theorem_config tc = theorem_defaults();
    tc.trials = 2;
    assert_int_equal(tu_run_sublim_measured(&text,
                                            W("theorem", "--trials", "2", "--eps", "1e-3",
                                                 "--steps", "1", "--threads", "2", "--out", out),
                                            0, &peak),
                     0);
    near_estimate("theorem", peak, theorem_memory_bytes(&tc, &train, &test, 2), text);
    free(text);
    dataset_free(&train);
    dataset_free(&test);
}

/* A run whose estimate exceeds what the process may use (here a 512 MB
 * address-space cap; --width 2560 needs about 713 MB) is refused at once,
 * exit 1, giving the estimate and the limit, before any result; --force
 * tries anyway (and then runs out of memory, which it names).  Without a
 * cap, --width 65536 (hundreds of GB) is refused by the physical memory. */
static void memory_refused_up_front(void **state)
{
    tu_dir *fx = *state;
    tu_need_mnist();
    skip_under_asan();
    const size_t cap = 512u << 20;
    char out[600], *text;
    snprintf(out, sizeof out, "%s/big", fx->dir);
    double t0 = now();
    const char *const *wide =
        W("experiment", TINY, "--width", "2560", "--seeds", "1", "--out", out);
    int rc = tu_run_sublim_measured(&text, wide, cap, NULL);
    if (rc != 1 || now() - t0 > 5)
        fail_msg("exit %d after %.1f s: %s", rc, now() - t0, text);
    tu_assert_contains(text, "this run needs about 919.5 MB of memory but the address-space "
                             "limit (ulimit -v) is 536.9 MB");
    tu_assert_contains(text, "--force tries anyway");
    assert_int_equal(access(tu_path(out, FOLDER_RESULTS), F_OK), -1);
    free(text);
    rc = tu_run_sublim_measured(
        &text, W("theorem", "--width", "2048", "--trials", "2", "--threads", "2", "--out", out),
        cap, NULL);
    assert_int_equal(rc, 1);
    tu_assert_contains(text, "but the address-space limit (ulimit -v) is 536.9 MB");
    free(text);
    rc = tu_run_sublim_measured(
        &text, W("experiment", TINY, "--width", "2560", "--seeds", "1", "--out", out, "--force"),
        cap, NULL);
    assert_int_equal(rc, 1);
    tu_assert_contains(text, "trying anyway (--force)");
    tu_assert_contains(text, "out of memory");
    free(text);

    memory_limit have = memory_available();
    if (have.bytes > 300e9) /* --width 65536 needs about 310 GB */
        return;
    EXPECT(1, W("this run needs about", have.what, "--force"), "experiment", "--width", "65536",
           "--out", out);
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
        cmocka_unit_test(help_says_what_flags_take),
        cmocka_unit_test(bad_commands_exit_2),
        T(bad_flags_exit_2),
        T(flag_as_value_exit_2),
        T(theorem_check_needs_a_small_eps),
        T(report_needs_a_folder),
        T(experiment_keeps_results_without_force),
        T(second_experiment_refused_at_once),
        T(second_teacher_saver_refused_at_once),
        T(output_folder_cannot_be_made),
        T(foreign_data_refused),
        T(long_out_path_keeps_the_reason),
        T(fifo_inputs_refused),
        T(fifo_sums_and_checkpoint_refused),
        T(teacher_warning_tells_undertrained_from_too_high),
        T(memory_estimate_matches_peak_rss),
        T(memory_refused_up_front),
        T(stdout_write_error_exits_1),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
