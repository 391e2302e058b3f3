/* Tests of base/setting.h: the real settings tables are well formed (names,
 * defaults, choices, field offsets), every type's value survives its text
 * form bit for bit, errors name their label, the JSON block is exact, and
 * SETTING_SEEDS / SETTING_NO_FLAG mean what they say. */
#include "testutil.h"

#include <ctype.h>
#include <stddef.h>
#include "base/setting.h"
#include "cli/commands.h"
#include "nn/adam.h"
#include "out/config.h"
#include "run/experiment.h"
#include "run/theorem.h"

/* ---- a small table with every type ---- */

enum pick { PICK_NORMAL, PICK_UNIFORM, PICK_ZERO };
static const char *const PICKS[] = {"normal", "uniform", "zero", NULL};

typedef struct {
    size_t size;
    uint64_t seed;
    double lr;
    setting_list eps;
    enum pick init;
    size_t hidden;
    const char *out;
    int check;
} small_cfg;

#define AT(f) offsetof(small_cfg, f)
static const setting SMALL[] = {
    {"size", SETTING_SIZE, AT(size), "4", 1, 100, NULL, "a count", 0},
    {"first_seed", SETTING_U64, AT(seed), "0", 0, 1e15, NULL, "a seed", SETTING_SEEDS},
    {"lr", SETTING_REAL, AT(lr), "3e-4", 1e-12, 1, NULL, "a rate", 0},
    {"eps", SETTING_LIST, AT(eps), "0.1,1e-5", 1e-300, 1e3, NULL, "a list", 0},
    {"init", SETTING_CHOICE, AT(init), "uniform", 0, 0, PICKS, "a choice", 0},
    {"hidden", SETTING_SIZE, AT(hidden), "2", 1, 8, NULL, "fixed in code", SETTING_NO_FLAG},
    {"optimizer", SETTING_FIXED, 0, "adam(x)", 0, 0, NULL, "recorded only", 0},
    {"out", SETTING_TEXT, AT(out), NULL, 0, 0, NULL, "a folder", 0},
    {"check", SETTING_SWITCH, AT(check), NULL, 0, 0, NULL, "a switch", 0},
};
#undef AT
#define N_SMALL (sizeof SMALL / sizeof SMALL[0])

static const setting *small(const char *name)
{
    const setting *s = settings_find(SMALL, N_SMALL, name);
    assert_non_null(s);
    return s;
}

/* The defaults land in every field (TEXT's NULL, SWITCH off), and
 * settings_find finds each entry and nothing else. */
static void small_defaults(void **state)
{
    (void)state;
    small_cfg c;
    memset(&c, 0x5a, sizeof c);
    err e = {{0}};
    assert_int_equal(settings_defaults(SMALL, N_SMALL, &c, &e), 0);
    assert_int_equal(c.size, 4);
    assert_true(c.seed == 0);
    assert_true(c.lr == 3e-4);
    assert_int_equal(c.eps.n, 2);
    assert_true(c.eps.v[0] == 0.1 && c.eps.v[1] == 1e-5);
    assert_int_equal(c.init, PICK_UNIFORM);
    assert_int_equal(c.hidden, 2);
    assert_null(c.out);
    assert_int_equal(c.check, 0);
    for (size_t i = 0; i < N_SMALL; i++)
        assert_ptr_equal(settings_find(SMALL, N_SMALL, SMALL[i].name), &SMALL[i]);
    assert_null(settings_find(SMALL, N_SMALL, "siz"));
    assert_null(settings_find(SMALL, N_SMALL, "first-seed")); /* keys keep their '_' */
}

/* A table whose default does not parse, or lacks one, is refused naming
 * the setting (settings_init aborts on this; here it is an error). */
static void bad_defaults_named(void **state)
{
    (void)state;
    small_cfg c;
    err e = {{0}};
    const setting junk[] = {{"widthx", SETTING_SIZE, offsetof(small_cfg, size), "abc", 1, 9,
                             NULL, "h", 0}};
    assert_int_equal(settings_defaults(junk, 1, &c, &e), -1);
    tu_assert_contains(e.msg, "widthx");
    const setting outside[] = {{"widthy", SETTING_SIZE, offsetof(small_cfg, size), "10", 1, 9,
                                NULL, "h", 0}};
    assert_int_equal(settings_defaults(outside, 1, &c, &e), -1);
    tu_assert_contains(e.msg, "widthy");
    const setting none[] = {{"rate", SETTING_REAL, offsetof(small_cfg, lr), NULL, 0, 1, NULL,
                             "h", 0}};
    assert_int_equal(settings_defaults(none, 1, &c, &e), -1);
    tu_assert_contains(e.msg, "rate");
    tu_assert_contains(e.msg, "no default");
}

/* Formats name's field of c, expects want, parses it into a fresh struct
 * and expects the same bytes in the field. */
static void round_trip(small_cfg *c, const char *name, const char *want, size_t field_size)
{
    const setting *s = small(name);
    char text[1024];
    setting_format(s, c, text, sizeof text);
    assert_string_equal(text, want);
    small_cfg back;
    memset(&back, 0, sizeof back);
    err e = {{0}};
    if (setting_parse(s, text, &back, name, &e))
        fail_msg("%s: \"%s\" does not parse back: %s", name, text, e.msg);
    if (memcmp((char *)&back + s->offset, (char *)c + s->offset, field_size) != 0)
        fail_msg("%s: \"%s\" parses back to other bits", name, text);
}

/* setting_format / setting_parse for each type: the documented text form,
 * and the very bits back. */
static void format_parse_round_trip(void **state)
{
    (void)state;
    small_cfg c;
    memset(&c, 0, sizeof c);
    c.size = 42;
    c.seed = 1000000000000000ull;
    c.lr = 0.1 + 0.2;
    c.eps.n = 3;
    c.eps.v[0] = 3e-4;
    c.eps.v[1] = 1e-5;
    c.eps.v[2] = 2.5;
    c.init = PICK_ZERO;
    c.out = "x/y";
    round_trip(&c, "size", "42", sizeof c.size);
    round_trip(&c, "first_seed", "1000000000000000", sizeof c.seed);
    round_trip(&c, "lr", "0.30000000000000004", sizeof c.lr);
    round_trip(&c, "eps", "0.0003,1e-05,2.5", sizeof c.eps);
    round_trip(&c, "init", "zero", sizeof c.init);
    char buf[64];
    setting_format(small("out"), &c, buf, sizeof buf);
    assert_string_equal(buf, "x/y");
    small_cfg back = {0};
    assert_int_equal(setting_parse(small("out"), buf, &back, "out", NULL), 0);
    assert_string_equal(back.out, "x/y");
    /* A NULL text is "", a switch 0 or 1, a fixed setting its value. */
    c.out = NULL;
    setting_format(small("out"), &c, buf, sizeof buf);
    assert_string_equal(buf, "");
    c.check = 1;
    setting_format(small("check"), &c, buf, sizeof buf);
    assert_string_equal(buf, "1");
    setting_format(small("optimizer"), &c, buf, sizeof buf);
    assert_string_equal(buf, "adam(x)");

    /* A full list, each value awkward. */
    c.eps.n = SETTING_LIST_MAX;
    for (size_t k = 0; k < SETTING_LIST_MAX; k++)
        c.eps.v[k] = 1.0 / (double)(k + 3);
    char text[1024];
    setting_format(small("eps"), &c, text, sizeof text);
    small_cfg full = {0};
    assert_int_equal(setting_parse(small("eps"), text, &full, "eps", NULL), 0);
    assert_int_equal(full.eps.n, SETTING_LIST_MAX);
    assert_memory_equal(full.eps.v, c.eps.v, sizeof c.eps.v);
}

/* Expects setting_parse of text into name to fail with a message that
 * starts with the label and holds word, leaving the struct untouched. */
static void refused(const char *name, const char *text, const char *word)
{
    small_cfg c, before;
    assert_int_equal(settings_defaults(SMALL, N_SMALL, &c, NULL), 0);
    before = c;
    err e = {{0}};
    const char *label = "config.txt: key";
    if (setting_parse(small(name), text, &c, label, &e) != -1)
        fail_msg("%s accepted \"%s\"", name, text);
    if (strncmp(e.msg, label, strlen(label)) != 0)
        fail_msg("\"%s\" does not start with the label", e.msg);
    tu_assert_contains(e.msg, word);
    assert_memory_equal(&c, &before, sizeof c);
}

/* Type and range errors, per type, each naming the label. */
static void parse_errors_name_the_label(void **state)
{
    (void)state;
    refused("size", "0", "range");
    refused("size", "101", "range");
    refused("size", "99999999999999999999999", "range");
    refused("size", "-1", "integer");
    refused("size", "4x", "integer");
    refused("size", "", "integer");
    refused("first_seed", "1000000000000001", "range");
    refused("first_seed", "1.5", "integer");
    refused("lr", "abc", "number");
    refused("lr", "nan", "number");
    refused("lr", "inf", "number");
    refused("lr", "2", "range");
    refused("lr", "0", "range");
    refused("eps", "0.1,,0.2", "number");
    refused("eps", "0.1,", "number");
    refused("eps", "", "number");
    refused("eps", "0.1,1e4", "range"); /* one bad entry: the whole list is refused */
    refused("init", "Normal", "choices");
    refused("init", "", "choices");
    refused("out", "", "empty");
    refused("check", "1", "no value");
    refused("optimizer", "adam(x)", "no value");
    /* Exactly SETTING_LIST_MAX values are fine; one more is not. */
    char list[256] = "1";
    for (int k = 1; k < SETTING_LIST_MAX; k++)
        strcat(list, ",1");
    small_cfg c = {0};
    assert_int_equal(setting_parse(small("eps"), list, &c, "eps", NULL), 0);
    assert_int_equal(c.eps.n, SETTING_LIST_MAX);
    strcat(list, ",1");
    refused("eps", list, "at most");
}

/* The JSON block: valued settings in table order (text and switches left
 * out), numbers bare in their text form, lists as arrays, choices and
 * fixed values quoted, no comma after the last, indented as asked. */
static void json_block_exact(void **state)
{
    (void)state;
    small_cfg c;
    assert_int_equal(settings_defaults(SMALL, N_SMALL, &c, NULL), 0);
    c.out = "somewhere";
    char buf[1024] = {0};
    FILE *f = fmemopen(buf, sizeof buf - 1, "w");
    assert_non_null(f);
    settings_write_json(f, SMALL, N_SMALL, &c, "  ");
    fclose(f);
    assert_string_equal(buf, "{\n"
                             "    \"size\": 4,\n"
                             "    \"first_seed\": 0,\n"
                             "    \"lr\": 0.0003,\n"
                             "    \"eps\": [0.1, 1e-05],\n"
                             "    \"init\": \"uniform\",\n"
                             "    \"hidden\": 2,\n"
                             "    \"optimizer\": \"adam(x)\"\n"
                             "  }");
}

/* setting_flag spells the key as a flag, '_' as '-', cut to its buffer. */
static void flag_spelling(void **state)
{
    (void)state;
    const setting s = {"student_epochs", SETTING_SIZE, 0, "5", 0, 9, NULL, "h", 0};
    char buf[64];
    setting_flag(&s, buf, sizeof buf);
    assert_string_equal(buf, "--student-epochs");
    setting_flag(small("size"), buf, sizeof buf);
    assert_string_equal(buf, "--size");
    setting_flag(&s, buf, 6);
    assert_string_equal(buf, "--stu");
}

/* Which settings the command line sets: not NO_FLAG, not FIXED; SEEDS
 * settings are ordinary flags (they are only left out of config.txt). */
static void has_flag_semantics(void **state)
{
    (void)state;
    const char *with[] = {"size", "first_seed", "lr", "eps", "init", "out", "check"};
    for (size_t k = 0; k < sizeof with / sizeof with[0]; k++)
        if (!setting_has_flag(small(with[k])))
            fail_msg("%s has no flag", with[k]);
    assert_false(setting_has_flag(small("hidden")));
    assert_false(setting_has_flag(small("optimizer")));
}

/* What each type's flag takes: N, X, LIST, the choices, the table's own
 * placeholder (TEXT only as a last resort); nothing without a value. */
static void placeholders(void **state)
{
    (void)state;
    const char *name[] = {"size", "first_seed", "lr", "eps", "init", "out", "check",
                          "hidden", "optimizer"};
    const char *want[] = {"N", "N", "X", "LIST", "normal|uniform|zero", "TEXT", "", "", ""};
    char buf[64];
    for (size_t k = 0; k < sizeof name / sizeof name[0]; k++) {
        setting_placeholder(small(name[k]), buf, sizeof buf);
        if (strcmp(buf, want[k]) != 0)
            fail_msg("%s: placeholder '%s', want '%s'", name[k], buf, want[k]);
    }
    setting dir = *small("out");
    dir.placeholder = "DIR";
    setting_placeholder(&dir, buf, sizeof buf);
    assert_string_equal(buf, "DIR");
    setting_placeholder(small("init"), buf, 10); /* cut to its buffer */
    assert_string_equal(buf, "normal|un");
}

/* ---- the real tables ---- */

/* Bytes of s's field (TEXT and FIXED are not compared as bytes). */
static size_t field_size(const setting *s)
{
    switch (s->type) {
    case SETTING_SIZE: return sizeof(size_t);
    case SETTING_U64: return sizeof(uint64_t);
    case SETTING_REAL: return sizeof(double);
    case SETTING_LIST: return sizeof(setting_list);
    case SETTING_CHOICE: return sizeof(unsigned);
    case SETTING_SWITCH: return sizeof(int);
    default: return 0;
    }
}

/* One table checked whole: defaults (which must equal the program's own
 * defaults struct), names, help, ranges, choices, offsets inside the
 * struct, and each default's text form parsing back to the same bits. */
static void check_table(const char *what, const setting *s, size_t n, size_t cfg_size,
                        const void *program_defaults)
{
    static _Alignas(max_align_t) unsigned char cfg[8192], back[8192];
    assert_true(cfg_size <= sizeof cfg);
    memset(cfg, 0, sizeof cfg);
    err e = {{0}};
    if (settings_defaults(s, n, cfg, &e))
        fail_msg("%s: %s", what, e.msg);
    for (size_t i = 0; i < n; i++) {
        const char *name = s[i].name;
        if (!isalpha((unsigned char)name[0]) || strspn(name, "abcdefghijklmnopqrstuvwxyz"
                                                             "0123456789_") != strlen(name))
            fail_msg("%s: bad name \"%s\"", what, name);
        if (strlen(name) + 3 > 80) /* cli/flags.c spells flags in 80 bytes */
            fail_msg("%s: name \"%s\" too long for a flag", what, name);
        for (size_t j = 0; j < i; j++)
            if (strcmp(s[j].name, name) == 0)
                fail_msg("%s: \"%s\" twice", what, name);
        if (!s[i].help || !*s[i].help)
            fail_msg("%s: %s has no help", what, name);
        if (s[i].type == SETTING_FIXED) {
            if (!s[i].def || !*s[i].def)
                fail_msg("%s: fixed %s has no value", what, name);
            continue;
        }
        size_t size = field_size(&s[i]);
        if (s[i].offset + (size ? size : sizeof(char *)) > cfg_size)
            fail_msg("%s: %s lies outside its struct", what, name);
        if (s[i].min > s[i].max)
            fail_msg("%s: %s has min > max", what, name);
        if (s[i].type == SETTING_CHOICE) {
            if (!s[i].choices || !s[i].choices[0])
                fail_msg("%s: choice %s has no choices", what, name);
            for (size_t k = 0; s[i].choices[k]; k++) {
                if (!*s[i].choices[k])
                    fail_msg("%s: %s has an empty choice", what, name);
                for (size_t j = 0; j < k; j++)
                    if (strcmp(s[i].choices[j], s[i].choices[k]) == 0)
                        fail_msg("%s: %s lists \"%s\" twice", what, name, s[i].choices[k]);
            }
        }
        if (!size)
            continue; /* TEXT: a pointer, parsed as is */
        if (memcmp(cfg + s[i].offset, (const char *)program_defaults + s[i].offset, size))
            fail_msg("%s: %s's default differs from the program's defaults", what, name);
        if (s[i].type == SETTING_SWITCH)
            continue;
        char text[1024];
        setting_format(&s[i], cfg, text, sizeof text);
        memset(back, 0, sizeof back);
        if (setting_parse(&s[i], text, back, name, &e))
            fail_msg("%s: %s's default \"%s\" does not parse back: %s", what, name, text, e.msg);
        if (memcmp(back + s[i].offset, cfg + s[i].offset, size))
            fail_msg("%s: %s's default \"%s\" parses back to other bits", what, name, text);
    }
}

/* experiment_settings, theorem_settings and cmd_run_settings as above. */
static void real_tables_well_formed(void **state)
{
    (void)state;
    size_t n;
    const setting *s = experiment_settings(&n);
    experiment_config ec = experiment_defaults();
    check_table("experiment_settings", s, n, sizeof ec, &ec);
    s = theorem_settings(&n);
    theorem_config tc = theorem_defaults();
    check_table("theorem_settings", s, n, sizeof tc, &tc);
    s = cmd_run_settings(&n);
    cmd_run_flags rf = cmd_run_defaults();
    check_table("cmd_run_settings", s, n, sizeof rf, &rf);
    assert_null(rf.data_dir); /* no default: looked for after parsing (cmd_find_data) */
    assert_string_equal(rf.out_dir, "out");
    /* The recorded optimizer is the one Adam runs with. */
    s = experiment_settings(&n);
    const setting *opt = settings_find(s, n, "optimizer");
    assert_non_null(opt);
    assert_string_equal(opt->def, ADAM_DESCRIPTION);
}

/* Fails unless exactly the settings a and b of table s (n entries) are
 * SETTING_SEEDS, both with a flag, and hidden_layers has no flag. */
static void assert_seed_settings(const setting *s, size_t n, const char *a, const char *b)
{
    size_t n_seeds = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i].flags & SETTING_SEEDS) {
            n_seeds++;
            assert_true(setting_has_flag(&s[i]));
            assert_true(strcmp(s[i].name, a) == 0 || strcmp(s[i].name, b) == 0);
        }
    assert_int_equal(n_seeds, 2);
    assert_false(setting_has_flag(settings_find(s, n, "hidden_layers")));
}

/* In the real tables the seeds settings pick the seeds and nothing else,
 * can be given as flags, and are left out of config.txt (so folders of
 * other seeds merge); every other setting, fixed or flagless ones too, is
 * in config.txt.  hidden_layers is fixed in code: no flag. */
static void seeds_and_no_flag_in_real_tables(void **state)
{
    (void)state;
    size_t n;
    const setting *s = experiment_settings(&n);
    assert_seed_settings(s, n, "seeds", "seed_start");

    static kv_list config;
    experiment_config cfg = experiment_defaults();
    err e = {{0}};
    char dir[256];
    tu_tempdir(dir, sizeof dir); /* a data folder without SHA256SUMS */
    if (config_make(&config, &cfg, &(config_data){"", ""}, dir, &e))
        fail_msg("%s", e.msg);
    rmdir(dir);
    for (size_t i = 0; i < n; i++) {
        /* At their defaults, the settings recorded only when set are not. */
        int in_config = kv_get(&config, s[i].name) != NULL;
        if (in_config == !!(s[i].flags & (SETTING_SEEDS | SETTING_IF_SET)))
            fail_msg("%s is%s in config.txt", s[i].name, in_config ? "" : " not");
    }

    const setting *t = theorem_settings(&n);
    assert_seed_settings(t, n, "trials", "seed");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(small_defaults),
        cmocka_unit_test(bad_defaults_named),
        cmocka_unit_test(format_parse_round_trip),
        cmocka_unit_test(parse_errors_name_the_label),
        cmocka_unit_test(json_block_exact),
        cmocka_unit_test(flag_spelling),
        cmocka_unit_test(has_flag_semantics),
        cmocka_unit_test(placeholders),
        cmocka_unit_test(real_tables_well_formed),
        cmocka_unit_test(seeds_and_no_flag_in_real_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
