/* Tests of `sublim demo` as a lecturer meets it, short of its training
 * (the whole demo, about 20 s on two cores, runs in `make check-page`):
 * its help, its flags (the run's flags and --force only: its settings are
 * the paper's), a folder that holds another run (refused, untouched, with
 * the way out named) and missing data (how to fetch it). */
#include "tu_cli.h"

#include <sys/stat.h>

/* The tiny experiment of test_cli.c: seconds on MNIST. */
#define TINY "--width", "16", "--epochs", "1", "--student-epochs", "1", "--noise-images", \
             "2048", "--batch", "512", "--threads", "2", "--quiet"

static void help_says_what_it_does(void **state)
{
    (void)state;
    EXPECT(0, W("usage: sublim demo", "one seed", "report.html", "--out DIR", "[demo]", "--force",
                "--threads N", "--data DIR"),
           "demo", "--help");
}

/* The demo runs the paper's settings: a setting's flag is not one of its
 * own, and a bad value of its own flags is refused before anything runs. */
static void settings_are_not_its_flags(void **state)
{
    tu_dir *fx = *state;
    char out[600];
    snprintf(out, sizeof out, "%s/demo", fx->dir);
    EXPECT(2, W("unknown flag '--seeds'"), "demo", "--seeds", "3", "--out", out);
    EXPECT(2, W("unknown flag '--width'"), "demo", "--width", "64", "--out", out);
    EXPECT(2, W("--threads"), "demo", "--threads", "many", "--out", out);
    struct stat st;
    assert_int_equal(stat(out, &st), -1); /* nothing was made */
}

/* A folder holding another run (here a tiny experiment) is refused: its
 * results stay as they were, and the message says why and how to go on. */
static void folder_of_another_run_refused(void **state)
{
    tu_dir *fx = *state;
    tu_need_mnist();
    char out[600];
    snprintf(out, sizeof out, "%s/class", fx->dir);
    EXPECT(0, W("student_aux_same"), "experiment", TINY, "--seeds", "1", "--data", "mnist", "--out",
           out);
    size_t n_before, n_after;
    char *before = tu_slurp(tu_path(out, "results.csv"), &n_before);
    EXPECT(1, W("configurations differ", "epochs=1", "--force replaces what", "--out names"),
           "demo", "--data", "mnist", "--out", out, "--threads", "2");
    char *after = tu_slurp(tu_path(out, "results.csv"), &n_after);
    assert_non_null(before);
    assert_non_null(after);
    assert_int_equal(n_before, n_after);
    assert_memory_equal(before, after, n_before);
    free(before);
    free(after);
}

/* No data where it is told to look: exit 1, naming the file and the way
 * to fetch it. */
static void missing_data_says_how_to_fetch(void **state)
{
    tu_dir *fx = *state;
    EXPECT(1, W("train-images-idx3-ubyte", "sublim-fetch-mnist"), "demo", "--data",
           tu_path(fx->dir, "none"), "--out", tu_path(fx->dir, "demo"));
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, tu_dir_setup, tu_dir_teardown)
    const struct CMUnitTest tests[] = {
        T(help_says_what_it_does),
        T(settings_are_not_its_flags),
        T(folder_of_another_run_refused),
        T(missing_data_says_how_to_fetch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
