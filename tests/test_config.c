/* Tests of out/config (config.txt: the settings a result folder's rows
 * depend on, and the data's sums) and of out/kv, the key=value format it
 * and run.txt are written in; plus runlog_totals, which summary.json's
 * "run" member comes from.  No MNIST needed. */
#include "testutil.h"

#include "out/config.h"
#include "out/kv.h"
#include "out/runlog.h"
#include "run/experiment.h"

typedef tu_dir fixture;
#define setup tu_dir_setup
#define teardown tu_dir_teardown

static const char T10K_SUM[] = "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6";

/* The data a made-up run read. */
static const config_data DATA = {
    "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"};

/* ---- config.txt ---- */

/* config.txt holds every setting but the seeds, in its one text form (lr
 * as 0.0003), then the data read, then the data's sums (comments and blank
 * lines of SHA256SUMS are no entries); written and read back it is the
 * same list, and applying it gives back the configuration it was made
 * from.  A changed value or an extra key is a difference, named with both
 * sides. */
static void test_config_round_trip(void **state)
{
    fixture *fx = *state;
    experiment_config cfg = experiment_defaults();
    cfg.width = 64;
    cfg.teacher_epochs = 3;
    cfg.student_epochs = 4;
    cfg.lr = 3e-4;
    cfg.noise = NOISE_NORMAL;
    cfg.init = MLP_INIT_UNIFORM;
    cfg.n_noise = 12345;
    cfg.seeds = 7;
    cfg.seed_start = 3;
    char sums[200];
    snprintf(sums, sizeof sums, "# published\n\n%s  t10k-images-idx3-ubyte.gz\n", T10K_SUM);
    tu_write_file(tu_path(fx->dir, "SHA256SUMS"), sums, strlen(sums));
    kv_list k, back;
    err e;
    assert_int_equal(config_make(&k, &cfg, &DATA, fx->dir, &e), 0);
    assert_string_equal(kv_get(&k, "lr"), "0.0003");
    assert_string_equal(kv_get(&k, "width"), "64");
    assert_string_equal(kv_get(&k, "data.t10k-images-idx3-ubyte.gz"), T10K_SUM);
    assert_null(kv_get(&k, "data")); /* verified: no "unverified" line */
    assert_null(kv_get(&k, "seeds"));
    assert_null(kv_get(&k, "seed_start"));
    assert_null(kv_get(&k, "threads"));
    assert_non_null(kv_get(&k, "optimizer")); /* fixed, but recorded */
    /* The settings come in the table's order. */
    size_t n_settings;
    const setting *s = experiment_settings(&n_settings);
    size_t j = 0;
    for (size_t i = 0; i < n_settings; i++)
        if (setting_is_recorded(&s[i], &cfg))
            assert_string_equal(k.kv[j++].key, s[i].name);
    assert_string_equal(k.kv[j].key, "data_read.train");
    assert_string_equal(k.kv[j++].value, DATA.train);
    assert_string_equal(k.kv[j].key, "data_read.test");
    assert_string_equal(k.kv[j++].value, DATA.test);
    assert_string_equal(k.kv[j++].key, "data.t10k-images-idx3-ubyte.gz");
    assert_int_equal(k.n, j);

    const char *path = tu_path(fx->dir, "config.txt");
    assert_int_equal(config_write(path, &k, &e), 0);
    assert_int_equal(config_read(path, &back, &e), 0);
    assert_int_equal(kv_compare(&k, "a", &back, "b", &e), 0);
    experiment_config c2 = experiment_defaults();
    assert_int_equal(config_apply(&back, path, &c2, &e), 0);
    assert_true(c2.lr == cfg.lr);
    assert_int_equal(c2.width, cfg.width);
    assert_int_equal(c2.teacher_epochs, cfg.teacher_epochs);
    assert_int_equal(c2.student_epochs, cfg.student_epochs);
    assert_int_equal(c2.n_noise, cfg.n_noise);
    assert_int_equal(c2.noise, NOISE_NORMAL);
    assert_int_equal(c2.init, MLP_INIT_UNIFORM);
    /* The seeds are the rows', not config.txt's: left as they were. */
    assert_int_equal(c2.seeds, experiment_defaults().seeds);
    assert_int_equal(c2.seed_start, experiment_defaults().seed_start);

    /* A setting recorded only when set: absent at its default, present and
     * read back when set (so a folder from before it existed reads as a
     * run at its default). */
    assert_null(kv_get(&k, "trait"));
    assert_null(kv_get(&k, "student_init"));
    assert_int_equal(c2.trait.kind, TRAIT_NONE);
    experiment_config set = cfg;
    set.trait = (trait_spec){TRAIT_SWAP, 4, 9};
    set.student_init = (student_start){STUDENT_START_MIX, 0.25};
    set.student_width = 512;
    kv_list k3;
    assert_int_equal(config_make(&k3, &set, &DATA, fx->dir, &e), 0);
    assert_string_equal(kv_get(&k3, "trait"), "swap:4:9");
    assert_string_equal(kv_get(&k3, "student_init"), "mix:0.25");
    assert_string_equal(kv_get(&k3, "student_width"), "512");
    assert_null(kv_get(&k3, "student_depth"));
    assert_int_not_equal(kv_compare(&k, "a", &k3, "b", &e), 0);
    experiment_config c3 = experiment_defaults();
    assert_int_equal(config_apply(&k3, path, &c3, &e), 0);
    assert_int_equal(c3.trait.kind, TRAIT_SWAP);
    assert_int_equal(c3.trait.from, 4);
    assert_int_equal(c3.trait.target, 9);
    assert_true(c3.student_init.kind == STUDENT_START_MIX && c3.student_init.alpha == 0.25);
    assert_int_equal(c3.student_width, 512);
    kv_set(&k3, "trait", "swap:4:4");
    assert_int_equal(config_apply(&k3, path, &c3, &e), -1);
    tu_assert_contains(e.msg, "trait");
    tu_assert_contains(e.msg, "two different classes");

    kv_set(&back, "width", "65");
    assert_int_not_equal(kv_compare(&k, "a/config.txt", &back, "b/config.txt", &e), 0);
    tu_assert_contains(e.msg, "width=64");
    tu_assert_contains(e.msg, "width=65");
    tu_assert_contains(e.msg, "b/config.txt");
    kv_set(&back, "width", "64");
    kv_set(&back, "extra", "1");
    assert_int_not_equal(kv_compare(&k, "a", &back, "b", &e), 0);
    tu_assert_contains(e.msg, "extra");
    /* A key only the first has is named too. */
    assert_int_not_equal(kv_compare(&back, "b", &k, "a", &e), 0);
    tu_assert_contains(e.msg, "a has no 'extra'");
}

/* Without SHA256SUMS the data is recorded as unverified (not silently
 * left out), so folders of verified and unverified data do not merge. */
static void test_config_unverified_data(void **state)
{
    fixture *fx = *state;
    experiment_config cfg = experiment_defaults();
    kv_list k;
    err e;
    assert_int_equal(config_make(&k, &cfg, &DATA, fx->dir, &e), 0);
    tu_assert_contains(kv_get(&k, "data"), "unverified");
    assert_string_equal(kv_get(&k, "data_read.train"), DATA.train);
    for (size_t i = 0; i < k.n; i++)
        assert_int_not_equal(strncmp(k.kv[i].key, "data.", 5), 0);
}

/* Writes a SHA256SUMS of n entries (file-000.gz ...; sum i is the digit
 * i % 10 repeated) to dir, then extra (a line or more) after them. */
static void write_sums(const char *dir, size_t n, const char *extra)
{
    char *text = malloc(n * 80 + strlen(extra) + 1), *p = text;
    assert_non_null(text);
    for (size_t i = 0; i < n; i++) {
        memset(p, (int)('0' + i % 10), 64);
        p += 64 + sprintf(p + 64, "  file-%03zu.gz\n", i);
    }
    strcpy(p, extra);
    tu_write_file(tu_path(dir, "SHA256SUMS"), text, strlen(text));
    free(text);
}

/* Every entry of a data folder's SHA256SUMS reaches config.txt, 200 of
 * them too ("*name", sha256sum's binary mode, is the name), and reads back
 * from it: none is dropped for want of room. */
static void test_config_keeps_every_sum(void **state)
{
    fixture *fx = *state;
    experiment_config cfg = experiment_defaults();
    write_sums(fx->dir, CONFIG_MAX_DATA_SUMS - 1,
               "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff *binary.gz\n");
    kv_list k, back;
    err e;
    if (config_make(&k, &cfg, &DATA, fx->dir, &e))
        fail_msg("%s", e.msg);
    const char *path = tu_path(fx->dir, "config.txt");
    assert_int_equal(config_write(path, &k, &e), 0);
    assert_int_equal(config_read(path, &back, &e), 0);
    char key[64], sum[65];
    for (size_t i = 0; i < CONFIG_MAX_DATA_SUMS - 1; i++) {
        snprintf(key, sizeof key, "data.file-%03zu.gz", i);
        memset(sum, (int)('0' + i % 10), 64);
        sum[64] = '\0';
        const char *v = kv_get(&back, key);
        if (!v || strcmp(v, sum) != 0)
            fail_msg("%s: %s", key, v ? v : "missing from config.txt");
    }
    assert_non_null(kv_get(&back, "data.binary.gz"));
    assert_null(kv_get(&back, "data"));
}

/* What config.txt cannot keep whole is refused, naming SHA256SUMS's line,
 * never dropped: an entry past CONFIG_MAX_DATA_SUMS, a line that is not
 * an entry, a name too long for a key or holding '=', a file listed twice
 * with different sums.  Listed twice with the same sum is one entry. */
static void test_config_refuses_sums_it_cannot_keep(void **state)
{
    fixture *fx = *state;
    experiment_config cfg = experiment_defaults();
    char long_name[200];
    snprintf(long_name, sizeof long_name, "%064d  %070d\n", 0, 0);
    const struct {
        size_t n;
        const char *extra, *why;
    } bad[] = {
        {CONFIG_MAX_DATA_SUMS, "1111111111111111111111111111111111111111111111111111111111111111"
                               "  one-too-many.gz\n",
         ":201: more than 200 files listed"},
        {3, "MD5 (file-000.gz) = 0123\n", ":4: not a SHA-256 line"},
        {3, "12345  short.gz\n", ":4: not a SHA-256 line"},
        {3, long_name, ":4: config.txt cannot record the file name"},
        {3, "3333333333333333333333333333333333333333333333333333333333333333  a=b.gz\n",
         ":4: config.txt cannot record the file name 'a=b.gz'"},
        {3, "3333333333333333333333333333333333333333333333333333333333333333  file-000.gz\n",
         ":4: file-000.gz is listed twice, with different sums"},
    };
    kv_list k;
    err e;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_sums(fx->dir, bad[i].n, bad[i].extra);
        if (config_make(&k, &cfg, &DATA, fx->dir, &e) == 0)
            fail_msg("case %zu was accepted", i);
        tu_assert_contains(e.msg, "SHA256SUMS");
        tu_assert_contains(e.msg, bad[i].why);
    }
    write_sums(fx->dir, 3,
               "0000000000000000000000000000000000000000000000000000000000000000  file-000.gz\n");
    assert_int_equal(config_make(&k, &cfg, &DATA, fx->dir, &e), 0);
}

/* A folder's runs must all have read the data its config.txt records:
 * a run of other data, or one that does not say (while config.txt does),
 * is refused, naming the run and the key; a folder older than these keys
 * has them nowhere and passes. */
static void test_config_check_runs(void **state)
{
    (void)state;
    experiment_config cfg = experiment_defaults();
    kv_list config, runs[2] = {{.n = 0}, {.n = 0}};
    err e;
    assert_int_equal(config_make(&config, &cfg, &DATA, "/nonexistent", &e), 0);
    config_data other = DATA;
    other.test[0] = 'f';
    config_data_set(&runs[0], &DATA);
    config_data_set(&runs[1], &DATA);
    assert_int_equal(config_check_runs(&config, runs, 2, "out/run.txt", &e), 0);
    config_data_set(&runs[1], &other);
    assert_int_not_equal(config_check_runs(&config, runs, 2, "out/run.txt", &e), 0);
    tu_assert_contains(e.msg, "run 2 of out/run.txt has data_read.test=f123");
    tu_assert_contains(e.msg, DATA.test);
    kv_list bare = {.n = 0};
    assert_int_not_equal(config_check_runs(&config, &bare, 1, "run.txt", &e), 0);
    tu_assert_contains(e.msg, "data_read.train=(none)");
    kv_list old = {.n = 0};
    kv_set(&old, "width", "256");
    assert_int_equal(config_check_runs(&old, &bare, 1, "run.txt", &e), 0);
    assert_int_not_equal(config_check_runs(&old, runs, 1, "run.txt", &e), 0);
}

/* config_apply checks every value like its flag and names the key: a
 * missing key, a value that is not a number, one out of range, an unknown
 * choice are each refused. */
static void test_config_apply_refuses_bad_values(void **state)
{
    (void)state;
    experiment_config cfg = experiment_defaults();
    kv_list k;
    err e;
    assert_int_equal(config_make(&k, &cfg, &DATA, "/nonexistent", &e), 0);
    static const struct {
        const char *key, *value, *why;
    } bad[] = {
        {"width", "sixty", "config.txt: width"},
        {"epochs", "1001", "config.txt: epochs"},
        {"lr", "-1", "config.txt: lr"},
        {"noise", "purple", "config.txt: noise"},
        {"batch", "", "config.txt: batch"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        kv_list edited = k;
        assert_int_equal(kv_set(&edited, bad[i].key, bad[i].value), 0);
        experiment_config c = experiment_defaults();
        if (config_apply(&edited, "config.txt", &c, &e) == 0)
            fail_msg("%s=%s was applied", bad[i].key, bad[i].value);
        tu_assert_contains(e.msg, bad[i].why);
    }
    kv_list missing = {.n = 0};
    for (size_t i = 0; i < k.n; i++)
        if (strcmp(k.kv[i].key, "student_epochs") != 0)
            kv_set(&missing, k.kv[i].key, k.kv[i].value);
    assert_int_not_equal(config_apply(&missing, "config.txt", &cfg, &e), 0);
    tu_assert_contains(e.msg, "'student_epochs' is missing");
}

/* report.md's configuration table names the flag of each key: the flag
 * that sets it, "(fixed)" for a setting no flag sets, "" for the rest. */
static void test_config_flag_of(void **state)
{
    (void)state;
    static const struct {
        const char *key, *flag;
    } want[] = {
        {"student_epochs", "--student-epochs"},
        {"epochs", "--epochs"},
        {"noise_images", "--noise-images"},
        {"lr", "--lr"},
        {"hidden_layers", "(fixed)"},
        {"optimizer", "(fixed)"},
        {"data.t10k-images-idx3-ubyte.gz", ""},
        {"data_read.train", ""},
        {"data", ""},
        {"seeds", ""}, /* a setting, but not a config.txt key */
        {"no_such_key", ""},
    };
    char buf[64];
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        config_flag_of(want[i].key, buf, sizeof buf);
        if (strcmp(buf, want[i].flag) != 0)
            fail_msg("flag of %s: \"%s\", want \"%s\"", want[i].key, buf, want[i].flag);
    }
}

/* ---- kv ---- */

/* kv_set keeps the order keys were first set in, replaces in place, turns
 * a line break into a space (one entry, one line) and refuses what does
 * not fit. */
static void test_kv_set(void **state)
{
    (void)state;
    kv_list k = {.n = 0};
    assert_int_equal(kv_set(&k, "b", "1"), 0);
    assert_int_equal(kv_set(&k, "a", "two\nlines\r"), 0);
    assert_int_equal(kv_set(&k, "b", "3"), 0);
    assert_int_equal(k.n, 2);
    assert_string_equal(k.kv[0].key, "b");
    assert_string_equal(kv_get(&k, "b"), "3");
    assert_string_equal(kv_get(&k, "a"), "two lines ");
    assert_null(kv_get(&k, "c"));

    char long_key[sizeof k.kv[0].key + 1], long_value[sizeof k.kv[0].value + 1];
    memset(long_key, 'k', sizeof long_key - 1);
    long_key[sizeof long_key - 1] = '\0';
    memset(long_value, 'v', sizeof long_value - 1);
    long_value[sizeof long_value - 1] = '\0';
    assert_int_equal(kv_set(&k, long_key, "1"), -1);
    assert_int_equal(kv_set(&k, "c", long_value), -1);
    assert_int_equal(k.n, 2);
    char key[16];
    while (k.n < KV_MAX_KEYS) {
        snprintf(key, sizeof key, "k%zu", k.n);
        assert_int_equal(kv_set(&k, key, "x"), 0);
    }
    assert_int_equal(kv_set(&k, "one_too_many", "x"), -1);
    assert_int_equal(kv_set(&k, "b", "still settable"), 0);
}

/* A file of [run] blocks (run.txt) reads back as one list per block;
 * comments and blank lines are skipped, a value may hold '=' and '#'. */
static void test_kv_read_blocks(void **state)
{
    fixture *fx = *state;
    const char text[] = "# a comment\n\n[run]\ncommand=sublim experiment --lr=1e-3\n"
                        "status=finished\n\n[run]\r\nstatus=running # not a comment\r\n"
                        "[run]\n";
    const char *path = tu_path(fx->dir, "run.txt");
    tu_write_file(path, text, sizeof text - 1);
    kv_list *lists;
    size_t n;
    err e;
    if (kv_read_file(path, "run", &lists, &n, &e))
        fail_msg("%s", e.msg);
    assert_int_equal(n, 3);
    assert_int_equal(lists[0].n, 2);
    assert_string_equal(kv_get(&lists[0], "command"), "sublim experiment --lr=1e-3");
    assert_string_equal(kv_get(&lists[1], "status"), "running # not a comment");
    assert_int_equal(lists[2].n, 0);
    free(lists);

    /* Written by runlog_write, read by runlog_read: the same blocks. */
    kv_list runs[2] = {{.n = 0}, {.n = 0}};
    kv_set(&runs[0], "seeds", "0-4");
    kv_set(&runs[1], "seeds", "5");
    kv_set(&runs[1], "status", "failed");
    assert_int_equal(runlog_write(path, runs, 2, &e), 0);
    assert_int_equal(runlog_read(path, &lists, &n, &e), 0);
    assert_int_equal(n, 2);
    for (size_t r = 0; r < 2; r++)
        assert_int_equal(kv_compare(&runs[r], "written", &lists[r], "read", &e), 0);
    free(lists);
    /* An empty file of blocks is no blocks. */
    tu_write_file(path, "", 0);
    assert_int_equal(kv_read_file(path, "run", &lists, &n, &e), 0);
    assert_int_equal(n, 0);
    free(lists);
}

/* What is not a kv file is refused, naming file and line: an entry before
 * the first block, a key twice in a block, an unknown section (or any
 * section in a file without blocks), a line without '=', a NUL byte, an
 * overlong line, a missing file. */
static void test_kv_read_errors(void **state)
{
    fixture *fx = *state;
    char overlong[1100 + 16];
    memset(overlong, 'x', sizeof overlong);
    memcpy(overlong, "[run]\nk=", 8);
    overlong[sizeof overlong - 1] = '\n';
    static const char nul[] = "[run]\nstatus=fin\0ished\n";
    const struct {
        const char *text;
        size_t len;
        const char *blocks, *why;
    } bad[] = {
        {"command=x\n[run]\n", 0, "run", ":1: an entry before the first [run]"},
        {"[run]\na=1\n# c\na=2\n", 0, "run", ":4: 'a' given twice"},
        {"[run]\n[walk]\n", 0, "run", ":2: unexpected section '[walk]'"},
        {"[run\n", 0, "run", ":1: unexpected section"},
        {"a=1\n[run]\n", 0, NULL, ":2: unexpected section '[run]'"},
        {"a=1\njust words\n", 0, NULL, ":2: expected key=value"},
        {"=1\n", 0, NULL, ":1: expected key=value"},
        {nul, sizeof nul - 1, "run", ":2: a NUL byte"},
        {overlong, sizeof overlong, "run", ":2: line too long"},
    };
    const char *path = tu_path(fx->dir, "bad.txt");
    kv_list *lists;
    size_t n;
    err e;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tu_write_file(path, bad[i].text, bad[i].len ? bad[i].len : strlen(bad[i].text));
        if (kv_read_file(path, bad[i].blocks, &lists, &n, &e) == 0)
            fail_msg("case %zu was read", i);
        tu_assert_contains(e.msg, path);
        tu_assert_contains(e.msg, bad[i].why);
    }
    /* A key twice in different blocks is fine. */
    const char ok[] = "[run]\na=1\n[run]\na=2\n";
    tu_write_file(path, ok, sizeof ok - 1);
    assert_int_equal(kv_read_file(path, "run", &lists, &n, &e), 0);
    free(lists);
    assert_int_not_equal(kv_read_file(tu_path(fx->dir, "missing"), "run", &lists, &n, &e), 0);
    tu_assert_contains(e.msg, "cannot open");
    /* config_read is the one-list reader: a section is refused there. */
    const char sectioned[] = "[run]\nwidth=64\n";
    tu_write_file(path, sectioned, sizeof sectioned - 1);
    kv_list config;
    assert_int_not_equal(config_read(path, &config, &e), 0);
    tu_assert_contains(e.msg, "unexpected section");
}

/* ---- run.txt totals ---- */

/* summary.json's "run": the runs' wall times added up; threads and
 * kernels when every run agrees, else 0 and "mixed"; "unknown" without
 * runs. */
static void test_runlog_totals(void **state)
{
    (void)state;
    kv_list runs[2];
    char *argv[] = {"sublim", "experiment", "--out", "a b"};
    runlog_make(&runs[0], 4, argv, "mnist", "0-4", 2, "avx2");
    tu_assert_contains(kv_get(&runs[0], "command"), "--out 'a b'");
    assert_string_equal(kv_get(&runs[0], "status"), "running");
    runlog_finish(&runs[0], 10.25, "finished");
    runs[1] = runs[0];
    runlog_finish(&runs[1], 5.0, "failed");
    assert_string_equal(kv_get(&runs[1], "status"), "failed");
    size_t threads;
    const char *kernels;
    double wall;
    runlog_totals(runs, 2, &threads, &kernels, &wall);
    assert_int_equal(threads, 2);
    assert_string_equal(kernels, "avx2");
    tu_assert_close(wall, atof(kv_get(&runs[0], "wall_seconds")) + 5.0, 1e-12, 0);
    kv_set(&runs[1], "threads", "4");
    kv_set(&runs[1], "kernels", "generic");
    runlog_totals(runs, 2, &threads, &kernels, &wall);
    assert_int_equal(threads, 0);
    assert_string_equal(kernels, "mixed");
    runlog_totals(NULL, 0, &threads, &kernels, &wall);
    assert_string_equal(kernels, "unknown");
    assert_true(wall == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_config_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config_unverified_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config_keeps_every_sum, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config_refuses_sums_it_cannot_keep, setup, teardown),
        cmocka_unit_test(test_config_check_runs),
        cmocka_unit_test(test_config_apply_refuses_bad_values),
        cmocka_unit_test(test_config_flag_of),
        cmocka_unit_test(test_kv_set),
        cmocka_unit_test_setup_teardown(test_kv_read_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kv_read_errors, setup, teardown),
        cmocka_unit_test(test_runlog_totals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
