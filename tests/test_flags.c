/* Tests of cli/flags.h: the command line read through settings tables.
 * Good flags land in their own table's struct, bad ones are refused naming
 * the flag and the reason, --help wins over later flags and shows current
 * values; and the real tables the commands combine parse and print. */
#include "testutil.h"

#include <stddef.h>
#include "cli/commands.h"
#include "cli/flags.h"
#include "run/experiment.h"
#include "run/theorem.h"

/* ---- two small tables, as a command has (science + its own flags) ---- */

enum pick { PICK_NORMAL, PICK_UNIFORM };
static const char *const PICKS[] = {"normal", "uniform", NULL};

typedef struct {
    size_t seeds;
    uint64_t seed;
    double lr;
    setting_list lrs;
    enum pick init;
    size_t student_epochs;
    size_t hidden;
} science;

typedef struct {
    const char *out;
    int check;
} own;

#define AT(f) offsetof(science, f)
static const setting SCIENCE[] = {
    {"seeds", SETTING_SIZE, AT(seeds), "1", 1, 100, NULL, "replicates", SETTING_SEEDS},
    {"seed", SETTING_U64, AT(seed), "0", 0, 1e15, NULL, "first seed", SETTING_SEEDS},
    {"lr", SETTING_REAL, AT(lr), "3e-4", 1e-12, 1, NULL, "learning rate", 0},
    {"lrs", SETTING_LIST, AT(lrs), "0.5", 0, 1, NULL, "learning rates", 0},
    {"init", SETTING_CHOICE, AT(init), "normal", 0, 0, PICKS, "init", 0},
    {"student_epochs", SETTING_SIZE, AT(student_epochs), "5", 0, 9, NULL, "epochs", 0},
    {"hidden", SETTING_SIZE, AT(hidden), "2", 1, 8, NULL, "layers", SETTING_NO_FLAG},
    {"optimizer", SETTING_FIXED, 0, "adam(x)", 0, 0, NULL, "optimizer", 0},
};
#undef AT
static const setting OWN[] = {
    {"out", SETTING_TEXT, offsetof(own, out), NULL, 0, 0, NULL, "output folder", 0,
     .placeholder = "DIR"},
    {"check", SETTING_SWITCH, offsetof(own, check), NULL, 0, 0, NULL, "check", 0},
};

typedef struct {
    science s;
    own o;
    flag_table tables[2];
} opts;

/* Both structs at their defaults, and the tables over them. */
static void opts_init(opts *o)
{
    memset(o, 0, sizeof *o);
    assert_int_equal(settings_defaults(SCIENCE, sizeof SCIENCE / sizeof SCIENCE[0], &o->s, NULL),
                     0);
    assert_int_equal(settings_defaults(OWN, 2, &o->o, NULL), 0);
    o->tables[0] = (flag_table){SCIENCE, sizeof SCIENCE / sizeof SCIENCE[0], &o->s};
    o->tables[1] = (flag_table){OWN, 2, &o->o};
}

/* flags_parse over argc arguments given after it. */
static int parse(opts *o, err *e, int argc, ...)
{
    char *argv[40];
    assert_true(argc <= 40);
    va_list ap;
    va_start(ap, argc);
    for (int i = 0; i < argc; i++)
        argv[i] = va_arg(ap, char *);
    va_end(ap);
    opts_init(o);
    memset(e, 0, sizeof *e);
    return flags_parse(argc, argv, o->tables, 2, e);
}

/* Every type, both spellings ("--f v", "--f=v"), both tables; defaults
 * stay where no flag is given; range ends are included; the last of a
 * repeated flag wins; "lr" is not a prefix match for "lrs"; a value that
 * looks like a flag is taken when written with '='. */
static void good_flags(void **state)
{
    (void)state;
    opts o;
    err e;
    assert_int_equal(parse(&o, &e, 0), 0);
    assert_int_equal(o.s.seeds, 1);
    assert_true(o.s.lr == 3e-4);
    assert_null(o.o.out);
    assert_int_equal(o.o.check, 0);

    assert_int_equal(parse(&o, &e, 13, "--seeds", "5", "--seed=1000000000000000", "--lr", "1e-3",
                           "--out", "x/y", "--init", "uniform", "--check", "--lrs=0.1",
                           "--student-epochs", "9"),
                     0);
    assert_int_equal(o.s.seeds, 5);
    assert_true(o.s.seed == 1000000000000000ull);
    assert_true(o.s.lr == 1e-3);
    assert_string_equal(o.o.out, "x/y");
    assert_int_equal(o.s.init, PICK_UNIFORM);
    assert_int_equal(o.o.check, 1);
    assert_int_equal(o.s.lrs.n, 1);
    assert_true(o.s.lrs.v[0] == 0.1);
    assert_int_equal(o.s.student_epochs, 9);
    assert_int_equal(o.s.hidden, 2); /* no flag touched it */

    assert_int_equal(parse(&o, &e, 2, "--lr=0.5", "--lrs=1,0.25,1e-3"), 0);
    assert_true(o.s.lr == 0.5);
    assert_int_equal(o.s.lrs.n, 3);
    assert_true(o.s.lrs.v[0] == 1 && o.s.lrs.v[1] == 0.25 && o.s.lrs.v[2] == 1e-3);
    assert_int_equal(parse(&o, &e, 4, "--seeds", "100", "--seeds=1", "--lr=1"), 0);
    assert_int_equal(o.s.seeds, 1);
    assert_true(o.s.lr == 1);
    /* A value may contain '=' after the first one, and look like anything. */
    assert_int_equal(parse(&o, &e, 2, "--out=a=b", "--student-epochs=0"), 0);
    assert_string_equal(o.o.out, "a=b");
    assert_int_equal(o.s.student_epochs, 0);
    assert_int_equal(parse(&o, &e, 1, "--out=--check"), 0);
    assert_string_equal(o.o.out, "--check");
    assert_int_equal(o.o.check, 0);
    /* "-" and a leading "-" before a digit or a dot are values, not flags. */
    assert_int_equal(parse(&o, &e, 2, "--out", "-"), 0);
    assert_string_equal(o.o.out, "-");
    assert_int_equal(parse(&o, &e, 2, "--out", "-.5"), 0);
    assert_string_equal(o.o.out, "-.5");
}

/* Expects flags_parse to fail with a message containing both words. */
#define REFUSED(w1, w2, ...)                                                    \
    do {                                                                        \
        opts o_;                                                                \
        err e_;                                                                 \
        assert_int_equal(parse(&o_, &e_, __VA_ARGS__), -1);                     \
        tu_assert_contains(e_.msg, w1);                                         \
        tu_assert_contains(e_.msg, w2);                                         \
    } while (0)

/* Each kind of bad flag, refused naming the flag and why (a negative number
 * reaches its type check: it does not look like a flag). */
static void bad_flags(void **state)
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
    REFUSED("--student-epochs", "range", 2, "--student-epochs", "10");
    REFUSED("unknown", "--bogus", 1, "--bogus");
    REFUSED("unknown", "--see", 2, "--see", "1");          /* no prefix matching */
    REFUSED("unknown", "--student_epochs", 2, "--student_epochs", "3"); /* '_' is '-' */
    REFUSED("unknown", "--hidden", 2, "--hidden", "3");    /* SETTING_NO_FLAG */
    REFUSED("unknown", "--optimizer", 2, "--optimizer", "sgd"); /* SETTING_FIXED */
    REFUSED("unknown", "--", 1, "--");
    REFUSED("unknown", "--", 1, "--=5");
    REFUSED("--lr", "needs a value", 1, "--lr");
    REFUSED("--seeds", "needs a value", 3, "--lr", "0.1", "--seeds");
    /* A value that looks like a flag is a forgotten value, unless written
     * with '=': no folder named "--check". */
    REFUSED("--out", "looks like a flag", 2, "--out", "--check");
    REFUSED("--out", "--out=--check", 3, "--out", "--check", "x");
    REFUSED("--out", "looks like a flag", 2, "--out", "-h");
    REFUSED("--init", "looks like a flag", 2, "--init", "--seeds");
    REFUSED("unexpected", "extra", 3, "--seeds", "2", "extra");
    REFUSED("unexpected", "-x", 1, "-x");
    REFUSED("--lrs", "number", 2, "--lrs", "0.1,,0.2");
    REFUSED("--lrs", "number", 2, "--lrs", "0.1,");
    REFUSED("--lrs", "range", 2, "--lrs", "0.1,2");
    REFUSED("--lrs", "at most", 2, "--lrs",
            "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1");
    /* Exactly SETTING_LIST_MAX values are fine. */
    opts o;
    err e;
    assert_int_equal(parse(&o, &e, 2, "--lrs",
                           "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1"),
                     0);
    assert_int_equal(o.s.lrs.n, SETTING_LIST_MAX);
}

/* --help and -h return 1 wherever they are, unless a bad flag comes first;
 * flags_takes_value tells which arguments take the next one. */
static void help_and_takes_value(void **state)
{
    (void)state;
    opts o;
    err e;
    assert_int_equal(parse(&o, &e, 1, "--help"), 1);
    assert_int_equal(parse(&o, &e, 1, "-h"), 1);
    assert_int_equal(parse(&o, &e, 3, "--seeds", "5", "--help"), 1);
    assert_int_equal(parse(&o, &e, 2, "--bogus", "--help"), -1);

    opts_init(&o);
    const char *takes[] = {"--seeds", "--lr", "--lrs", "--init", "--out", "--student-epochs"};
    for (size_t k = 0; k < sizeof takes / sizeof takes[0]; k++)
        if (!flags_takes_value(takes[k], o.tables, 2))
            fail_msg("%s takes a value", takes[k]);
    const char *not[] = {"--check", "--seeds=3", "--hidden", "--optimizer", "--bogus",
                         "seeds", "-h", "--help", "--student_epochs"};
    for (size_t k = 0; k < sizeof not / sizeof not[0]; k++)
        if (flags_takes_value(not[k], o.tables, 2))
            fail_msg("%s takes no value of its own", not[k]);
}

/* --help: the usage, then one line per flag with what it takes (N, X,
 * LIST, the choices, the table's placeholder; nothing for a switch) and the
 * current value (after parsing, not only the default); no line for what no
 * flag sets. */
static void help_text(void **state)
{
    (void)state;
    opts o;
    err e;
    assert_int_equal(parse(&o, &e, 4, "--seeds", "7", "--init", "uniform"), 0);
    char buf[4096] = {0};
    FILE *f = fmemopen(buf, sizeof buf - 1, "w");
    assert_non_null(f);
    flags_print_help(f, "usage: sublim test", o.tables, 2);
    fclose(f);
    assert_true(strncmp(buf, "usage: sublim test\n", 19) == 0);
    tu_assert_contains(buf, "  --seeds N ");
    tu_assert_contains(buf, "  --seed N ");
    tu_assert_contains(buf, "replicates [7]");
    tu_assert_contains(buf, "  --lr X ");
    tu_assert_contains(buf, "learning rate [0.0003]");
    tu_assert_contains(buf, "  --lrs LIST ");
    tu_assert_contains(buf, "  --init normal|uniform ");
    tu_assert_contains(buf, " init [uniform]\n");
    tu_assert_contains(buf, "  --student-epochs N ");
    tu_assert_contains(buf, "  --out DIR ");
    tu_assert_contains(buf, "  --check ");
    tu_assert_contains(buf, " check\n");
    assert_null(strstr(buf, "--seeds X"));
    assert_null(strstr(buf, "--check X"));
    assert_null(strstr(buf, "--hidden"));
    assert_null(strstr(buf, "--optimizer"));
    tu_assert_contains(buf, "output folder\n"); /* no default: no brackets */
    /* Table order: the science's flags before the command's own. */
    assert_true(strstr(buf, "--lrs") < strstr(buf, "--out"));
}

/* ---- the real tables, combined as the commands combine them ---- */

/* Fails when two flags of tables[] are spelled the same (the second would
 * never be reachable). */
static void assert_flags_distinct(const flag_table *tables, size_t n_tables)
{
    char a[80], b[80];
    for (size_t t = 0; t < n_tables; t++)
        for (size_t i = 0; i < tables[t].n; i++) {
            if (!setting_has_flag(&tables[t].settings[i]))
                continue;
            setting_flag(&tables[t].settings[i], a, sizeof a);
            for (size_t u = 0; u <= t; u++)
                for (size_t j = 0; j < (u == t ? i : tables[u].n); j++) {
                    if (!setting_has_flag(&tables[u].settings[j]))
                        continue;
                    setting_flag(&tables[u].settings[j], b, sizeof b);
                    if (strcmp(a, b) == 0)
                        fail_msg("%s twice", a);
                }
        }
}

/* Prints tables' help and checks a line per flag, with its default. */
static void assert_help_lists_every_flag(const flag_table *tables, size_t n_tables)
{
    static char buf[16384];
    memset(buf, 0, sizeof buf);
    FILE *f = fmemopen(buf, sizeof buf - 1, "w");
    assert_non_null(f);
    flags_print_help(f, "usage", tables, n_tables);
    fclose(f);
    for (size_t t = 0; t < n_tables; t++)
        for (size_t i = 0; i < tables[t].n; i++) {
            const setting *s = &tables[t].settings[i];
            char flag[80], line[200];
            setting_flag(s, flag, sizeof flag);
            snprintf(line, sizeof line, "  %s ", flag);
            if (setting_has_flag(s) != (strstr(buf, line) != NULL))
                fail_msg("%s: help line %s", flag, setting_has_flag(s) ? "missing" : "shown");
            /* A value's flag says what it takes, and a path says which. */
            char arg[100];
            setting_placeholder(s, arg, sizeof arg);
            snprintf(line, sizeof line, "  %s %s", flag, arg);
            const char *at = strstr(buf, line);
            if (setting_has_flag(s) && s->type != SETTING_SWITCH &&
                (!*arg || !at || !strchr(" \n", at[strlen(line)]) || strcmp(arg, "TEXT") == 0))
                fail_msg("%s: help shows no placeholder, or TEXT (%s)", flag, arg);
            if (setting_has_flag(s) && s->type != SETTING_SWITCH) {
                char value[256], shown[300];
                setting_format(s, tables[t].cfg, value, sizeof value);
                snprintf(shown, sizeof shown, "[%s]", value);
                if (*value)
                    tu_assert_contains(buf, shown);
            }
        }
}

/* sublim experiment's tables: flags reach their fields, out-of-range
 * values name the flag, flagless settings are refused, help is whole. */
static void experiment_flags(void **state)
{
    (void)state;
    experiment_config cfg = experiment_defaults();
    cmd_run_flags rf = cmd_run_defaults();
    size_t n_s, n_r;
    const setting *s = experiment_settings(&n_s), *r = cmd_run_settings(&n_r);
    const flag_table tables[] = {{s, n_s, &cfg}, {r, n_r, &rf}};
    assert_flags_distinct(tables, 2);
    assert_help_lists_every_flag(tables, 2);

    char *argv[] = {"--student-epochs", "7", "--lr=1e-3", "--init", "uniform",
                    "--noise-images", "100", "--seeds", "3", "--seed-start", "10",
                    "--threads", "2", "--data", "d", "--out", "o"};
    err e = {{0}};
    if (flags_parse(sizeof argv / sizeof argv[0], argv, tables, 2, &e))
        fail_msg("%s", e.msg);
    assert_int_equal(cfg.student_epochs, 7);
    assert_true(cfg.lr == 1e-3);
    assert_int_equal(cfg.init, MLP_INIT_UNIFORM);
    assert_int_equal(cfg.n_noise, 100);
    assert_int_equal(cfg.seeds, 3);
    assert_true(cfg.seed_start == 10);
    assert_int_equal(rf.threads, 2);
    assert_string_equal(rf.data_dir, "d");
    assert_string_equal(rf.out_dir, "o");
    assert_int_equal(cfg.teacher_epochs, experiment_defaults().teacher_epochs);

    char *bad[][2] = {{"--epochs", "1001"}, {"--hidden-layers", "3"}, {"--optimizer", "sgd"},
                      {"--threads", "-1"}, {"--noise", "gaussian"}};
    const char *word[] = {"range", "unknown", "unknown", "integer", "choices"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        assert_int_equal(flags_parse(2, bad[k], tables, 2, &e), -1);
        tu_assert_contains(e.msg, bad[k][0]);
        tu_assert_contains(e.msg, word[k]);
    }
}

/* sublim theorem's tables: the ε list and the choices parse; bench's
 * first two run flags (--threads, --data) leave --out out. */
static void theorem_and_bench_flags(void **state)
{
    (void)state;
    theorem_config cfg = theorem_defaults();
    cmd_run_flags rf = cmd_run_defaults();
    size_t n_s, n_r;
    const setting *s = theorem_settings(&n_s), *r = cmd_run_settings(&n_r);
    const flag_table tables[] = {{s, n_s, &cfg}, {r, n_r, &rf}};
    assert_flags_distinct(tables, 2);
    assert_help_lists_every_flag(tables, 2);
    char *argv[] = {"--eps", "0.5,0.25", "--loss", "mse", "--seed", "4", "--trials=2"};
    err e = {{0}};
    if (flags_parse(sizeof argv / sizeof argv[0], argv, tables, 2, &e))
        fail_msg("%s", e.msg);
    assert_int_equal(cfg.eps.n, 2);
    assert_true(cfg.eps.v[0] == 0.5 && cfg.eps.v[1] == 0.25);
    assert_int_equal(cfg.loss, THEOREM_LOSS_MSE);
    assert_true(cfg.seed == 4);
    assert_int_equal(cfg.trials, 2);
    char *zero_eps[] = {"--eps", "0.1,0"};
    assert_int_equal(flags_parse(2, zero_eps, tables, 2, &e), -1);
    tu_assert_contains(e.msg, "--eps");

    const flag_table bench[] = {{r, 2, &rf}};
    assert_string_equal(r[0].name, "threads");
    assert_string_equal(r[1].name, "data");
    char *out[] = {"--out", "o"};
    assert_int_equal(flags_parse(2, out, bench, 1, &e), -1);
    tu_assert_contains(e.msg, "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_flags),
        cmocka_unit_test(bad_flags),
        cmocka_unit_test(help_and_takes_value),
        cmocka_unit_test(help_text),
        cmocka_unit_test(experiment_flags),
        cmocka_unit_test(theorem_and_bench_flags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
