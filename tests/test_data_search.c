/* Tests of cli/data_search.c: where sublim looks for MNIST when --data is
 * not given ($SUBLIM_DATA, then ./mnist, then the user's data folder
 * ${XDG_DATA_HOME:-$HOME/.local/share}/sublim/mnist), and for
 * Fashion-MNIST ($SUBLIM_FASHION_DATA, ./fashion-mnist, then
 * .../sublim/fashion-mnist), through
 * the flags as a command parses them; what it says when the data is
 * nowhere.  Each test runs in a fresh folder with its own environment; no
 * data is read (a folder "holds" it when the first file read is there). */
#include "testutil.h"

#include <sys/stat.h>
#include "cli/commands.h"

#define PROBE "train-images-idx3-ubyte"

typedef struct {
    tu_dir d;
    char was[1024]; /* the folder the test started in */
} fixture;

static int setup(void **state)
{
    void *d;
    if (tu_dir_setup(&d))
        return -1;
    fixture *fx = realloc(d, sizeof *fx);
    if (!fx || !getcwd(fx->was, sizeof fx->was) || chdir(fx->d.dir))
        return -1;
    unsetenv("SUBLIM_DATA");
    unsetenv("SUBLIM_FASHION_DATA");
    unsetenv("XDG_DATA_HOME");
    setenv("HOME", tu_path(fx->d.dir, "home"), 1);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    int rc = chdir(fx->was);
    void *d = fx;
    return tu_dir_teardown(&d) || rc ? -1 : 0;
}

/* dir/a/b/... made, with the probe file in it when holds is set. */
static void make_data(const char *dir, int holds)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'%s%s%s", dir, holds ? " && touch '" : "",
             holds ? dir : "", holds ? "/" PROBE "'" : "");
    assert_int_equal(system(cmd), 0);
}

/* The data folder of kind a command given ARGS would read (the flags
 * parsed as the command parses them); NULL when found nowhere. */
static const char *found_of(cmd_run_flags *rf, enum dataset_kind kind, int argc, char **argv)
{
    size_t n;
    const setting *s = cmd_run_settings(&n);
    *rf = cmd_run_defaults();
    const flag_table tables[] = {{s, n, rf}};
    assert_int_equal(cmd_parse_flags("theorem", "usage", argc, argv, tables, 1), -1);
    cmd_find_data(rf, kind);
    return rf->data_dir;
}

/* MNIST's. */
static const char *found(cmd_run_flags *rf, int argc, char **argv)
{
    return found_of(rf, DATASET_MNIST, argc, argv);
}

/* What cmd_load_data prints on stderr for rf (it fails), malloc'ed. */
/* What fn(arg) says on stderr, expecting it to fail (-1). */
static char *refusal_of(int (*fn)(const void *), const void *arg)
{
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    FILE *log = tmpfile();
    assert_non_null(log);
    assert_true(saved >= 0 && dup2(fileno(log), STDERR_FILENO) >= 0);
    int rc = fn(arg);
    fflush(stderr);
    assert_true(dup2(saved, STDERR_FILENO) >= 0);
    close(saved);
    assert_int_equal(rc, -1);
    long size = ftell(log);
    char *text = calloc(1, (size_t)size + 1);
    assert_non_null(text);
    rewind(log);
    assert_int_equal(fread(text, 1, (size_t)size, log), (size_t)size);
    fclose(log);
    return text;
}

static int load(const void *rf)
{
    dataset train, test;
    return cmd_load_data(rf, &train, &test);
}

static char *load_refusal(const cmd_run_flags *rf)
{
    return refusal_of(load, rf);
}

static void data_flag_first(void **state)
{
    (void)state;
    cmd_run_flags rf;
    make_data("mnist", 1);
    setenv("SUBLIM_DATA", "elsewhere", 1);
    char *argv[] = {"--data", "given"};
    assert_string_equal(found(&rf, 2, argv), "given"); /* even without the files */
}

static void environment_second(void **state)
{
    (void)state;
    cmd_run_flags rf;
    make_data("mnist", 1);
    setenv("SUBLIM_DATA", "from-env", 1);
    assert_string_equal(found(&rf, 0, NULL), "from-env"); /* set on purpose: used */
    setenv("SUBLIM_DATA", "", 1);                          /* empty: as if unset */
    assert_string_equal(found(&rf, 0, NULL), "mnist");
}

static void here_before_user_folder(void **state)
{
    fixture *fx = *state;
    cmd_run_flags rf;
    char user[700];
    snprintf(user, sizeof user, "%s/home/.local/share/sublim/mnist", fx->d.dir);
    make_data(user, 1);
    make_data("mnist", 0); /* a ./mnist without the files is passed over */
    assert_string_equal(found(&rf, 0, NULL), user);
    make_data("mnist", 1);
    assert_string_equal(found(&rf, 0, NULL), "mnist");
}

static void xdg_data_home(void **state)
{
    fixture *fx = *state;
    cmd_run_flags rf;
    char xdg[700], in_xdg[800], in_home[800];
    snprintf(xdg, sizeof xdg, "%s/xdg", fx->d.dir);
    snprintf(in_xdg, sizeof in_xdg, "%s/sublim/mnist", xdg);
    snprintf(in_home, sizeof in_home, "%s/home/.local/share/sublim/mnist", fx->d.dir);
    make_data(in_xdg, 1);
    make_data(in_home, 1);
    setenv("XDG_DATA_HOME", xdg, 1);
    assert_string_equal(found(&rf, 0, NULL), in_xdg);
    setenv("XDG_DATA_HOME", "xdg", 1); /* relative: ignored, as the XDG spec says */
    assert_string_equal(found(&rf, 0, NULL), in_home);
}

static void nowhere(void **state)
{
    (void)state;
    cmd_run_flags rf;
    assert_null(found(&rf, 0, NULL));
    char *said = load_refusal(&rf);
    tu_assert_contains(said, "no MNIST data");
    tu_assert_contains(said, "sublim-fetch-mnist");
    tu_assert_contains(said, "make data'");
    free(said);
    unsetenv("HOME");
    assert_null(found(&rf, 0, NULL));
}

/* Fashion-MNIST has folders of its own and a variable, SUBLIM_FASHION_DATA;
 * SUBLIM_DATA and ./mnist, which name MNIST, are not looked at. */
static void fashion_in_its_own_folders(void **state)
{
    fixture *fx = *state;
    cmd_run_flags rf;
    make_data("mnist", 1);
    setenv("SUBLIM_DATA", "mnist", 1);
    assert_null(found_of(&rf, DATASET_FASHION, 0, NULL));
    char user[700];
    snprintf(user, sizeof user, "%s/home/.local/share/sublim/fashion-mnist", fx->d.dir);
    make_data(user, 1);
    assert_string_equal(found_of(&rf, DATASET_FASHION, 0, NULL), user);
    make_data("fashion-mnist", 1);
    assert_string_equal(found_of(&rf, DATASET_FASHION, 0, NULL), "fashion-mnist");
    setenv("SUBLIM_FASHION_DATA", "named", 1); /* its own variable comes first */
    assert_string_equal(found_of(&rf, DATASET_FASHION, 0, NULL), "named");
    char *argv[] = {"--data", "given"};
    assert_string_equal(found_of(&rf, DATASET_FASHION, 2, argv), "given");
    assert_int_equal(rf.dataset, DATASET_FASHION);
}

/* Nowhere, Fashion-MNIST's message names the Debian package that installs
 * it and the fetch script's option; a --data without it, the file. */
static void fashion_nowhere_names_the_package(void **state)
{
    (void)state;
    cmd_run_flags rf;
    assert_null(found_of(&rf, DATASET_FASHION, 0, NULL));
    char *said = load_refusal(&rf);
    tu_assert_contains(said, "no Fashion-MNIST data");
    tu_assert_contains(said, "./fashion-mnist");
    tu_assert_contains(said, "apt-get install dataset-fashion-mnist");
    tu_assert_contains(said, "sublim-fetch-mnist --fashion");
    tu_assert_contains(said, "make data-fashion");
    free(said);
    char *argv[] = {"--data", "empty"};
    make_data("empty", 0);
    found_of(&rf, DATASET_FASHION, 2, argv);
    said = load_refusal(&rf);
    tu_assert_contains(said, "empty/" PROBE);
    tu_assert_contains(said, "Fashion-MNIST");
    free(said);
}

static int load_other(const void *kind)
{
    dataset other;
    return cmd_load_other(*(const enum student_input_kind *)kind, &other);
}

/* The students' inputs from the other dataset are looked for in its own
 * folders (never where --data points: that is the run's own data), and
 * their absence is said in their words; inputs of no other dataset load
 * nothing. */
static void other_inputs_nowhere(void **state)
{
    (void)state;
    dataset none;
    assert_int_equal(cmd_load_other(STUDENT_INPUTS_NOISE, &none), 0);
    assert_int_equal(cmd_load_other(STUDENT_INPUTS_SHUFFLED, &none), 0);
    make_data("mnist", 1);
    enum student_input_kind fashion = STUDENT_INPUTS_FASHION;
    char *said = refusal_of(load_other, &fashion);
    tu_assert_contains(said, "--student-inputs fashion needs Fashion-MNIST's training images");
    tu_assert_contains(said, "./fashion-mnist");
    tu_assert_contains(said, "sublim-fetch-mnist --fashion");
    tu_assert_contains(said, "make data-fashion");
    assert_null(strstr(said, "--data"));
    free(said);
    enum student_input_kind mnist = STUDENT_INPUTS_MNIST;
    assert_int_equal(unlink("mnist/" PROBE), 0);
    said = refusal_of(load_other, &mnist);
    tu_assert_contains(said, "--student-inputs mnist needs MNIST's training images");
    tu_assert_contains(said, "SUBLIM_DATA");
    free(said);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(data_flag_first, setup, teardown),
        cmocka_unit_test_setup_teardown(environment_second, setup, teardown),
        cmocka_unit_test_setup_teardown(here_before_user_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(xdg_data_home, setup, teardown),
        cmocka_unit_test_setup_teardown(nowhere, setup, teardown),
        cmocka_unit_test_setup_teardown(fashion_in_its_own_folders, setup, teardown),
        cmocka_unit_test_setup_teardown(fashion_nowhere_names_the_package, setup, teardown),
        cmocka_unit_test_setup_teardown(other_inputs_nowhere, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
