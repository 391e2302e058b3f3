/* Tests of results.csv (round trip, refusal of malformed files), the
 * summary statistics, the flag parser and atomic file writing. */
#include "testutil.h"

#include <dirent.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/atomic.h"
#include "cli/cli.h"
#include "run/experiment.h"
#include "out/results.h"
#include "base/stats.h"

typedef struct {
    char dir[256];
    char path[512];
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    tu_tempdir(fx->dir, sizeof fx->dir);
    snprintf(fx->path, sizeof fx->path, "%s/results.csv", fx->dir);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    int rc = system(cmd);
    free(fx);
    return rc == 0 ? 0 : -1;
}

/* Number of entries in dir other than . and .. */
static size_t count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    for (struct dirent *ent; (ent = readdir(d));)
        n += strcmp(ent->d_name, ".") != 0 && strcmp(ent->d_name, "..") != 0;
    closedir(d);
    return n;
}

static void slurp(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
}

static int arm(const char *name)
{
    int a = experiment_arm_index(name);
    assert_true(a >= 0);
    return a;
}

/* ---- results.csv ---- */

static void csv_round_trip(void **state)
{
    fixture *fx = *state;
    arm_result rows[4] = {
        {.seed = 0, .arm = (size_t)arm("reference"), .ok = 1, .correct = 1032, .total = 10000,
         .final_loss = 0},
        {.seed = 0, .arm = (size_t)arm("teacher"), .ok = 1, .correct = 9431, .total = 10000,
         .final_loss = 0.123456789},
        {.seed = 0, .arm = (size_t)arm("student_aux_same"), .ok = 0, .total = 10000,
         .final_loss = 0, .why = "loss not finite at epoch 2, batch 7"},
        {.seed = 123456789012345ull, .arm = (size_t)arm("student_all_cross"), .ok = 1,
         .correct = 10000, .total = 10000, .final_loss = 2.5e-7},
    };
    err e = {{0}};
    assert_int_equal(results_write_csv(fx->path, rows, 4, &e), 0);
    assert_int_equal(count_entries(fx->dir), 1); /* no temporary left behind */

    char text[2048];
    slurp(fx->path, text, sizeof text);
    assert_true(strncmp(text, RESULTS_CSV_HEADER "\n", strlen(RESULTS_CSV_HEADER) + 1) == 0);
    tu_assert_contains(text, "0,teacher,0.943100,9431,10000,");
    tu_assert_contains(text, "diverged");

    arm_result *back = NULL;
    size_t n = 0;
    assert_int_equal(results_read_csv(fx->path, &back, &n, &e), 0);
    assert_int_equal(n, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(back[i].seed, rows[i].seed);
        assert_int_equal(back[i].arm, rows[i].arm);
        assert_int_equal(back[i].ok, rows[i].ok);
        assert_int_equal(back[i].total, rows[i].total);
        if (rows[i].ok) {
            assert_int_equal(back[i].correct, rows[i].correct);
            tu_assert_close(back[i].final_loss, rows[i].final_loss, 1e-8, 1e-300);
        }
    }
    free(back);

    /* An empty result set is a header alone, and reads back as 0 rows. */
    assert_int_equal(results_write_csv(fx->path, rows, 0, &e), 0);
    back = NULL;
    n = 99;
    assert_int_equal(results_read_csv(fx->path, &back, &n, &e), 0);
    assert_int_equal(n, 0);
    free(back);
}

/* Writes text as fx->path and expects results_read_csv to refuse it with a
 * message naming the file and containing word. */
static void csv_refused(fixture *fx, const char *text, const char *word)
{
    tu_write_file(fx->path, text, strlen(text));
    err e = {{0}};
    arm_result *rows = (arm_result *)&e; /* must not be written on failure */
    size_t n = 77;
    if (results_read_csv(fx->path, &rows, &n, &e) != -1) {
        free(rows);
        fail_msg("accepted: %s", text);
    }
    assert_ptr_equal(rows, (arm_result *)&e);
    assert_int_equal(n, 77);
    tu_assert_contains(e.msg, fx->path);
    tu_assert_contains(e.msg, word);
}

#define H RESULTS_CSV_HEADER "\n"

static void csv_malformed_refused(void **state)
{
    fixture *fx = *state;
    /* A good file, to be sure the failures below are the edits. */
    const char *good = H "3,teacher,0.500000,5,10,0.25,ok\n3,student_aux_same,,,10,,diverged\n";
    tu_write_file(fx->path, good, strlen(good));
    arm_result *rows = NULL;
    size_t n = 0;
    err e;
    assert_int_equal(results_read_csv(fx->path, &rows, &n, &e), 0);
    assert_int_equal(n, 2);
    free(rows);

    csv_refused(fx, "", "header");
    csv_refused(fx, "seed,arm,acc\n3,teacher,0.5,5,10,0.25,ok\n", "header");
    csv_refused(fx, H "3,nonsense,0.500000,5,10,0.25,ok\n", ":2:");      /* unknown arm */
    csv_refused(fx, H "3,teacher,0.500000,5,10,0.25,ok\n3,Teacher,0.5,5,10,0.25,ok\n", ":3:");
    csv_refused(fx, H "x,teacher,0.500000,5,10,0.25,ok\n", "malformed"); /* bad numbers */
    csv_refused(fx, H "-3,teacher,0.500000,5,10,0.25,ok\n", "malformed");
    csv_refused(fx, H "3,teacher,0.500000,5x,10,0.25,ok\n", "malformed");
    csv_refused(fx, H "3,teacher,0.500000,5,10.0,0.25,ok\n", "malformed");
    csv_refused(fx, H "3,teacher,0.500000,5,10,zz,ok\n", "malformed");
    csv_refused(fx, H "3,teacher,0.500000,5,10,,ok\n", "malformed");
    csv_refused(fx, H "3,teacher,0.500000,,10,0.25,ok\n", "malformed");
    csv_refused(fx, H "99999999999999999999999,teacher,0.5,5,10,0.25,ok\n", "malformed");
    csv_refused(fx, H "3,teacher,1.100000,11,10,0.25,ok\n", "malformed"); /* correct > total */
    csv_refused(fx, H "3,teacher,0.500000,0,0,0.25,ok\n", "malformed");   /* total 0 */
    csv_refused(fx, H "3,teacher,0.500000,5,10,0.25,maybe\n", "status");
    csv_refused(fx, H "3,teacher,0.500000,5,10,0.25\n", "malformed");     /* 6 fields */
    csv_refused(fx, H "3,teacher,0.500000,5,10,0.25,ok,extra\n", "malformed");
    csv_refused(fx, H "3,teacher,0.500000,5,10,0.25,ok", "unterminated");
}

/* Two columns the reader does not use for the numbers it returns must still
 * be numbers: a corrupt test_acc, or a NaN loss on a row marked ok, means
 * the file is not what results_write_csv wrote. */
static void csv_unused_columns_still_checked(void **state)
{
    fixture *fx = *state;
    csv_refused(fx, H "3,teacher,abc,5,10,0.25,ok\n", "malformed");
    csv_refused(fx, H "3,teacher,0.500000,5,10,nan,ok\n", "malformed");
}

static void csv_missing_file(void **state)
{
    fixture *fx = *state;
    err e = {{0}};
    arm_result *rows;
    size_t n;
    assert_int_equal(results_read_csv(fx->path, &rows, &n, &e), -1);
    tu_assert_contains(e.msg, fx->path);
    /* A folder that does not exist cannot be written to, and says where. */
    char bad[600];
    snprintf(bad, sizeof bad, "%s/no/such/dir/results.csv", fx->dir);
    assert_int_equal(results_write_csv(bad, NULL, 0, &e), -1);
    tu_assert_contains(e.msg, bad);
}

/* ---- statistics ---- */

static void summarize_hand_values(void **state)
{
    (void)state;
    const double x[4] = {1, 2, 3, 4};
    stats_summary s = stats_summarize(x, 4);
    assert_int_equal(s.n, 4);
    tu_assert_close(s.mean, 2.5, 1e-15, 1);
    tu_assert_close(s.sd, sqrt(5.0 / 3), 1e-15, 1);      /* n - 1 in the denominator */
    tu_assert_close(s.ci95, 2.0542600597007348, 1e-6, 1); /* t(3) = 3.182446 */

    s = stats_summarize(x + 2, 1);
    assert_int_equal(s.n, 1);
    assert_true(s.mean == 3 && s.sd == 0 && s.ci95 == 0);
    s = stats_summarize(x, 0);
    assert_int_equal(s.n, 0);
    assert_true(s.mean == 0 && s.ci95 == 0);

    const double same[3] = {0.25, 0.25, 0.25};
    s = stats_summarize(same, 3);
    assert_true(s.mean == 0.25 && s.sd == 0 && s.ci95 == 0);
}

static void t975_known_values(void **state)
{
    (void)state;
    /* Two-sided 95% Student t quantiles from the standard tables. */
    const struct {
        size_t df;
        double t;
    } known[] = {{1, 12.706205}, {2, 4.302653}, {10, 2.228139}, {30, 2.042272},
                 {31, 2.039513}, {40, 2.021075}, {60, 2.000298}, {99, 1.984217},
                 {120, 1.979930}, {1000, 1.962339}};
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
        if (fabs(stats_t975(known[k].df) - known[k].t) > 2e-5)
            fail_msg("t975(%zu) = %.6f, want %.6f", known[k].df, stats_t975(known[k].df),
                     known[k].t);
    /* Decreasing in df towards z = 1.959964, across the table's end. */
    for (size_t df = 1; df < 500; df++)
        assert_true(stats_t975(df + 1) < stats_t975(df));
    assert_true(stats_t975(100000000) > 1.959963 && stats_t975(100000000) < 1.959966);
}

static void results_summary_per_arm(void **state)
{
    (void)state;
    size_t n_arms;
    experiment_arms(&n_arms);
    size_t t = (size_t)arm("teacher"), r = (size_t)arm("reference");
    arm_result rows[6] = {
        {.seed = 0, .arm = t, .ok = 1, .correct = 90, .total = 100},
        {.seed = 1, .arm = t, .ok = 1, .correct = 92, .total = 100},
        {.seed = 2, .arm = t, .ok = 0, .total = 100},
        {.seed = 3, .arm = t, .ok = 1, .correct = 94, .total = 100},
        {.seed = 4, .arm = t, .ok = 1, .correct = 96, .total = 100},
        {.seed = 0, .arm = r, .ok = 1, .correct = 11, .total = 100},
    };
    arm_summary s[16];
    assert_true(n_arms <= 16);
    results_summarize(rows, 6, s);
    assert_int_equal(s[t].acc.n, 4);
    assert_int_equal(s[t].failed, 1);
    tu_assert_close(s[t].acc.mean, 0.93, 1e-12, 1);
    tu_assert_close(s[t].acc.sd, 0.025819888974716113, 1e-9, 1);
    tu_assert_close(s[t].acc.ci95, 0.041085201194014695, 1e-6, 1);
    tu_assert_close(s[t].min, 0.90, 1e-12, 1);
    tu_assert_close(s[t].max, 0.96, 1e-12, 1);
    assert_int_equal(s[r].acc.n, 1);
    assert_true(s[r].acc.ci95 == 0);
    tu_assert_close(s[r].min, 0.11, 1e-12, 1);
    size_t other = (size_t)arm("student_aux_cross");
    assert_int_equal(s[other].acc.n, 0);
    assert_int_equal(s[other].failed, 0);

    /* The table shows every arm and the divergence. */
    char buf[4096] = {0};
    FILE *f = fmemopen(buf, sizeof buf - 1, "w");
    assert_non_null(f);
    results_print_table(f, s);
    fclose(f);
    const arm_spec *arms = experiment_arms(&n_arms);
    for (size_t a = 0; a < n_arms; a++)
        tu_assert_contains(buf, arms[a].name);
    tu_assert_contains(buf, "0.9300");
    tu_assert_contains(buf, "(1 diverged)");
}

/* ---- flags ---- */

static const char *const CHOICES[] = {"normal", "uniform", NULL};

typedef struct {
    size_t seeds;
    uint64_t seed;
    double lr;
    const char *out;
    int init, check;
    cli_list lrs;
} opts;

static size_t make_specs(flag_spec *specs, opts *o)
{
    *o = (opts){.seeds = 1, .seed = 0, .lr = 3e-4, .out = "out", .init = 0, .check = 0};
    const flag_spec s[] = {
        {"seeds", FLAG_SIZE, &o->seeds, 1, 100, NULL, "replicates"},
        {"seed", FLAG_U64, &o->seed, 0, 1e15, NULL, "first seed"},
        {"lr", FLAG_DOUBLE, &o->lr, 1e-12, 1, NULL, "learning rate"},
        {"lrs", FLAG_LIST, &o->lrs, 0, 1, NULL, "learning rates"},
        {"out", FLAG_STRING, &o->out, 0, 0, NULL, "output folder"},
        {"init", FLAG_CHOICE, &o->init, 0, 0, CHOICES, "init"},
        {"check", FLAG_SWITCH, &o->check, 0, 0, NULL, "check"},
    };
    memcpy(specs, s, sizeof s);
    return sizeof s / sizeof s[0];
}

static int parse(opts *o, err *e, int argc, ...)
{
    char *argv[16];
    va_list ap;
    va_start(ap, argc);
    for (int i = 0; i < argc; i++)
        argv[i] = va_arg(ap, char *);
    va_end(ap);
    flag_spec specs[8];
    size_t n = make_specs(specs, o);
    memset(e, 0, sizeof *e);
    return cli_parse(argc, argv, specs, n, e);
}

static void cli_good_flags(void **state)
{
    (void)state;
    opts o;
    err e;
    assert_int_equal(parse(&o, &e, 0), 0);
    assert_int_equal(o.seeds, 1); /* defaults untouched */
    assert_true(o.lr == 3e-4);

    assert_int_equal(parse(&o, &e, 11, "--seeds", "5", "--seed=1000000000000000", "--lr",
                           "1e-3", "--out", "x/y", "--init", "uniform", "--check", "--lrs=0.1"),
                     0);
    assert_int_equal(o.seeds, 5);
    assert_true(o.seed == 1000000000000000ull);
    assert_true(o.lr == 1e-3);
    assert_string_equal(o.out, "x/y");
    assert_int_equal(o.init, 1);
    assert_int_equal(o.check, 1);
    assert_int_equal(o.lrs.n, 1);

    /* "lr" is a prefix of "lrs": each flag gets its own value. */
    assert_int_equal(parse(&o, &e, 2, "--lr=0.5", "--lrs=1,0.25,1e-3"), 0);
    assert_true(o.lr == 0.5);
    assert_int_equal(o.lrs.n, 3);
    assert_true(o.lrs.v[0] == 1 && o.lrs.v[1] == 0.25 && o.lrs.v[2] == 1e-3);
    /* The range ends are included; the last value of a repeated flag wins. */
    assert_int_equal(parse(&o, &e, 4, "--seeds", "100", "--seeds=1", "--lr=1"), 0);
    assert_int_equal(o.seeds, 1);
    assert_true(o.lr == 1);
}

/* Expects cli_parse to fail with a message containing both words. */
#define REFUSED(w1, w2, ...)                                                    \
    do {                                                                        \
        opts o_;                                                                \
        err e_;                                                                 \
        assert_int_equal(parse(&o_, &e_, __VA_ARGS__), -1);                     \
        tu_assert_contains(e_.msg, w1);                                         \
        tu_assert_contains(e_.msg, w2);                                         \
    } while (0)

static void cli_bad_flags(void **state)
{
    (void)state;
    REFUSED("--seeds", "range", 2, "--seeds", "0");
    REFUSED("--seeds", "range", 2, "--seeds", "101");
    REFUSED("--seeds", "integer", 2, "--seeds", "-1");
    REFUSED("--seeds", "integer", 2, "--seeds", "5x");
    REFUSED("--seeds", "integer", 2, "--seeds", "1.5");
    REFUSED("--seeds", "integer", 1, "--seeds=");
    REFUSED("--seeds", "range", 2, "--seeds", "99999999999999999999999");
    REFUSED("--seed", "range", 2, "--seed", "1000000000000001");
    REFUSED("--lr", "number", 2, "--lr", "abc");
    REFUSED("--lr", "number", 2, "--lr", "nan");
    REFUSED("--lr", "number", 2, "--lr", "inf");
    REFUSED("--lr", "number", 2, "--lr", "1e-3x");
    REFUSED("--lr", "range", 2, "--lr", "2");
    REFUSED("--lr", "range", 2, "--lr", "0");
    REFUSED("--init", "choices", 2, "--init", "gaussian");
    REFUSED("--init", "choices", 2, "--init", "Normal");
    REFUSED("--out", "empty", 2, "--out", "");
    REFUSED("--check", "no value", 1, "--check=1");
    REFUSED("unknown", "--bogus", 1, "--bogus");
    REFUSED("unknown", "--see", 2, "--see", "1"); /* no prefix matching */
    REFUSED("--lr", "needs a value", 1, "--lr");
    REFUSED("--seeds", "needs a value", 3, "--lr", "0.1", "--seeds");
    REFUSED("unexpected", "extra", 3, "--seeds", "2", "extra");
    REFUSED("unexpected", "-x", 1, "-x");
    REFUSED("--lrs", "number", 2, "--lrs", "0.1,,0.2");
    REFUSED("--lrs", "number", 2, "--lrs", "0.1,");
    REFUSED("--lrs", "range", 2, "--lrs", "0.1,2");
    REFUSED("--lrs", "at most", 2, "--lrs",
            "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1");
    /* Exactly CLI_LIST_MAX values are fine. */
    opts o;
    err e;
    assert_int_equal(parse(&o, &e, 2, "--lrs",
                           "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1"),
                     0);
    assert_int_equal(o.lrs.n, CLI_LIST_MAX);
}

static void cli_help(void **state)
{
    (void)state;
    opts o;
    err e;
    assert_int_equal(parse(&o, &e, 1, "--help"), 1);
    assert_int_equal(parse(&o, &e, 1, "-h"), 1);
    assert_int_equal(parse(&o, &e, 3, "--seeds", "5", "--help"), 1);
    /* A bad flag before --help is still reported. */
    assert_int_equal(parse(&o, &e, 2, "--bogus", "--help"), -1);

    flag_spec specs[8];
    size_t n = make_specs(specs, &o);
    o.seeds = 7;
    char buf[4096] = {0};
    FILE *f = fmemopen(buf, sizeof buf - 1, "w");
    assert_non_null(f);
    cli_print_help(f, "usage: sublim test", specs, n);
    fclose(f);
    tu_assert_contains(buf, "usage: sublim test");
    tu_assert_contains(buf, "--seeds");
    tu_assert_contains(buf, "[7]");   /* the current value is the default shown */
    tu_assert_contains(buf, "--check");
    tu_assert_contains(buf, "normal*");
    tu_assert_contains(buf, "uniform");
}

/* ---- atomic files ---- */

static void atomic_commit_writes_the_file(void **state)
{
    fixture *fx = *state;
    char path[600], text[64];
    snprintf(path, sizeof path, "%s/out.txt", fx->dir);
    atomic_file af;
    err e = {{0}};
    assert_int_equal(atomic_open(&af, path, &e), 0);
    fprintf(af.f, "hello %d\n", 42);
    assert_int_equal(count_entries(fx->dir), 1); /* only the temporary so far */
    assert_int_not_equal(access(path, F_OK), 0); /* the target is not there yet */
    assert_int_equal(atomic_commit(&af, &e), 0);
    slurp(path, text, sizeof text);
    assert_string_equal(text, "hello 42\n");
    assert_int_equal(count_entries(fx->dir), 1);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true((st.st_mode & 0444) == 0444); /* readable by all */

    /* A second commit replaces the file whole. */
    assert_int_equal(atomic_open(&af, path, &e), 0);
    fputs("new", af.f);
    assert_int_equal(atomic_commit(&af, &e), 0);
    slurp(path, text, sizeof text);
    assert_string_equal(text, "new");
    assert_int_equal(count_entries(fx->dir), 1);
}

static void atomic_abort_keeps_the_old_file(void **state)
{
    fixture *fx = *state;
    char path[600], text[64];
    snprintf(path, sizeof path, "%s/keep.txt", fx->dir);
    tu_write_file(path, "old", 3);
    atomic_file af;
    err e = {{0}};
    assert_int_equal(atomic_open(&af, path, &e), 0);
    fputs("half-written", af.f);
    fflush(af.f);
    atomic_abort(&af);
    slurp(path, text, sizeof text);
    assert_string_equal(text, "old");
    assert_int_equal(count_entries(fx->dir), 1); /* the temporary is gone */

    /* A target in a missing folder: refused at open, naming it. */
    char bad[700];
    snprintf(bad, sizeof bad, "%s/missing/x.txt", fx->dir);
    assert_int_equal(atomic_open(&af, bad, &e), -1);
    tu_assert_contains(e.msg, bad);
}

static void ensure_dir_cases(void **state)
{
    fixture *fx = *state;
    char sub[600], file[600];
    snprintf(sub, sizeof sub, "%s/sub", fx->dir);
    snprintf(file, sizeof file, "%s/file", fx->dir);
    err e = {{0}};
    assert_int_equal(ensure_dir(sub, &e), 0);
    struct stat st;
    assert_int_equal(stat(sub, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(ensure_dir(sub, &e), 0); /* already there: fine */
    tu_write_file(file, "x", 1);
    assert_int_equal(ensure_dir(file, &e), -1);
    tu_assert_contains(e.msg, file);
    tu_assert_contains(e.msg, "not a folder");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(csv_round_trip),
        T(csv_malformed_refused),
        T(csv_unused_columns_still_checked),
        T(csv_missing_file),
        cmocka_unit_test(summarize_hand_values),
        cmocka_unit_test(t975_known_values),
        cmocka_unit_test(results_summary_per_arm),
        cmocka_unit_test(cli_good_flags),
        cmocka_unit_test(cli_bad_flags),
        cmocka_unit_test(cli_help),
        T(atomic_commit_writes_the_file),
        T(atomic_abort_keeps_the_old_file),
        T(ensure_dir_cases),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
