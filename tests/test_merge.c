/* Tests of out/merge (merge_folders) and `sublim merge`: result folders of
 * separate runs joined into the folder one run over all their seeds would
 * have written; folders that cannot be joined refused; the inputs never
 * changed; the output never one of the inputs, nor a folder holding
 * results unless forced; and folders being written by another process
 * refused (the locks of out/folder).  Synthetic folders: no MNIST needed. */
#include "testutil.h"
#include "tu_folder.h"

#include "out/folder.h"
#include "out/merge.h"
#include "out/report.h"
#include "out/runlog.h"

/* The test's folder and the folders under it the tests make and merge:
 * inputs a, b, c, d; both (one run over a's and b's seeds); outputs out,
 * merged, merged2, fresh. */
typedef struct {
    tu_dir tmp; /* first: tu_dir_teardown removes it and frees the fixture */
    char a[300], b[300], c[300], d[300], both[300], out[300], merged[300], merged2[300],
        fresh[300];
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    tu_tempdir(fx->tmp.dir, sizeof fx->tmp.dir);
#define UNDER(name) snprintf(fx->name, sizeof fx->name, "%s/" #name, fx->tmp.dir)
    UNDER(a);
    UNDER(b);
    UNDER(c);
    UNDER(d);
    UNDER(both);
    UNDER(out);
    UNDER(merged);
    UNDER(merged2);
    UNDER(fresh);
#undef UNDER
    *state = fx;
    return 0;
}
#define teardown tu_dir_teardown

/* a and b: seed 0 and seed 1 of tu_small_config, with every file. */
static void make_a_and_b(const fixture *fx)
{
    experiment_config cfg = tu_small_config();
    uint64_t s0[] = {0}, s1[] = {1};
    tu_make_folder(fx->a, s0, 1, &cfg, TU_ALL_FILES);
    tu_make_folder(fx->b, s1, 1, &cfg, TU_ALL_FILES);
}

/* Every entry of dir with its bytes, as one string: two snapshots are
 * equal when nothing in the folder changed.  The lock file is left out: it
 * holds the pid of the last process that took the lock, not content. */
static char *snapshot(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    assert_true(n >= 0);
    char *buf;
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0 &&
            strcmp(name, FOLDER_LOCK) != 0) {
            size_t size;
            char *text = tu_slurp(tu_path(dir, name), &size);
            fprintf(f, "== %s %zu\n", name, size);
            fwrite(text, 1, size, f);
            free(text);
        }
        free(names[i]);
    }
    free(names);
    fclose(f);
    return buf;
}

static void assert_same_snapshot(const char *before, const char *dir)
{
    char *now = snapshot(dir);
    if (strcmp(before, now) != 0)
        fail_msg("%s changed", dir);
    free(now);
}

/* `sublim merge ARGS...` (at most 6). */
static int run_merge(char **out, const char *a, const char *b, const char *c, const char *d,
                     const char *x, const char *y)
{
    const char *args[] = {"merge", a, b, c, d, x, y, NULL};
    return tu_run_sublim(out, args);
}

/* ---- merging ---- */

/* dir's config.txt with its line `from` (whole) written `to`. */
static void respell_config_line(const char *dir, const char *from, const char *to)
{
    char *text = tu_slurp(tu_path(dir, FOLDER_CONFIG), NULL), *at = strstr(text, from);
    assert_non_null(at);
    assert_true(at[strlen(from)] == '\n');
    char *out = malloc(strlen(text) + strlen(to) + 1);
    assert_non_null(out);
    sprintf(out, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    tu_write_file(tu_path(dir, FOLDER_CONFIG), out, strlen(out));
    free(out);
    free(text);
}

/* config.txt is compared by value: a folder whose config.txt spells the
 * learning rate as an older writer did (%.17g: 0.00029999999999999997) or
 * by hand (3e-4) merges with one that spells it 0.0003, and the merged
 * config.txt is this program's (a run of both seeds'); another value is
 * still refused, naming the key. */
static void test_merge_compares_values_not_spellings(void **state)
{
    fixture *fx = *state;
    make_a_and_b(fx);
    experiment_config cfg = tu_small_config();
    uint64_t s01[] = {0, 1};
    tu_make_folder(fx->both, s01, 2, &cfg, TU_ALL_FILES);
    respell_config_line(fx->a, "lr=0.0003", "lr=0.00029999999999999997");
    respell_config_line(fx->b, "lr=0.0003", "lr=3e-4");
    const char *ab[] = {fx->a, fx->b};
    char notes[512];
    err e;
    if (merge_folders(ab, 2, fx->merged, 0, notes, sizeof notes, &e))
        fail_msg("merge: %s", e.msg);
    tu_assert_same_file(tu_path(fx->merged, FOLDER_CONFIG), tu_path(fx->both, FOLDER_CONFIG));
    tu_assert_same_file(tu_path(fx->merged, FOLDER_RESULTS), tu_path(fx->both, FOLDER_RESULTS));

    respell_config_line(fx->b, "lr=3e-4", "lr=0.00030000000000000003"); /* the next double */
    assert_int_equal(merge_folders(ab, 2, fx->merged2, 0, notes, sizeof notes, &e), -1);
    tu_assert_contains(e.msg, "lr=0.00030000000000000003");
}

/* Two one-seed folders merged (in either order) give the bytes of one
 * two-seed run: results.csv, curves.csv, config.txt, the figures, and
 * summary.json up to how the runs went (its "run" member: both runs' wall
 * time).  theorem.csv comes along; run.txt keeps both runs; the inputs are
 * not changed. */
static void test_merge_equals_one_run(void **state)
{
    fixture *fx = *state;
    const char *a = fx->a, *b = fx->b, *both = fx->both, *merged = fx->merged;
    make_a_and_b(fx);
    experiment_config cfg = tu_small_config();
    uint64_t s01[] = {0, 1};
    tu_make_folder(both, s01, 2, &cfg, TU_ALL_FILES);
    const char theorem[] = "variant,eps\nsame,0.1\n";
    tu_write_file(tu_path(a, FOLDER_THEOREM_CSV), theorem, sizeof theorem - 1);
    tu_regenerate_ok(both);
    char *a_before = snapshot(a), *b_before = snapshot(b);

    /* b before a: the order must not matter. */
    const char *ba[] = {b, a};
    char notes[512];
    err e;
    if (merge_folders(ba, 2, merged, 0, notes, sizeof notes, &e))
        fail_msg("merge: %s", e.msg);
    assert_string_equal(notes, "");
    static const char *const same[] = {FOLDER_RESULTS,         FOLDER_CURVES,
                                       FOLDER_ALIGNMENT,       FOLDER_CONFIG,
                                       FOLDER_FIGURE,          FOLDER_CURVES_FIGURE,
                                       FOLDER_ALIGNMENT_FIGURE};
    for (size_t k = 0; k < sizeof same / sizeof same[0]; k++)
        tu_assert_same_file(tu_path(merged, same[k]), tu_path(both, same[k]));
    tu_assert_same_file(tu_path(merged, FOLDER_THEOREM_CSV), tu_path(a, FOLDER_THEOREM_CSV));
    assert_same_snapshot(a_before, a);
    assert_same_snapshot(b_before, b);
    assert_int_not_equal(access(tu_path(a, FOLDER_LOCK), F_OK), 0); /* read, not locked */

    char *x = tu_slurp(tu_path(merged, FOLDER_SUMMARY), NULL);
    char *y = tu_slurp(tu_path(both, FOLDER_SUMMARY), NULL);
    char *xr = strstr(x, "\"run\""), *yr = strstr(y, "\"run\"");
    assert_non_null(xr);
    assert_non_null(yr);
    *xr = *yr = '\0';
    assert_string_equal(x, y);
    tu_assert_contains(xr + 1, "\"threads\": 2");
    tu_assert_contains(xr + 1, "\"wall_seconds\": 25.000"); /* 12.5 s each */
    free(x);
    free(y);
    char *md = tu_slurp(tu_path(merged, FOLDER_REPORT), NULL);
    tu_assert_contains(md, "**Seeds** (2): 0-1");
    tu_assert_contains(md, "| 1 | Linux"); /* b's run, then a's */
    tu_assert_contains(md, "| 0 | Linux");
    tu_assert_contains(md, "## Theorem check");
    free(md);

    /* The command does the same. */
    char *out;
    assert_int_equal(run_merge(&out, a, b, "--out", fx->merged2, NULL, NULL), 0);
    tu_assert_contains(out, "merged 2 folders into");
    free(out);
    tu_assert_same_file(tu_path(fx->merged2, FOLDER_RESULTS), tu_path(both, FOLDER_RESULTS));
    assert_same_snapshot(a_before, a);
    free(a_before);
    free(b_before);
}

/* With a trait: two one-seed folders merged give one two-seed run's
 * results.csv (its trait columns too), figure and summary. */
static void test_merge_of_trait_folders_equals_one_run(void **state)
{
    fixture *fx = *state;
    experiment_config cfg = tu_trait_config();
    uint64_t s0[] = {0}, s1[] = {1}, s01[] = {0, 1};
    tu_make_folder(fx->a, s0, 1, &cfg, TU_ALL_FILES);
    tu_make_folder(fx->b, s1, 1, &cfg, TU_ALL_FILES);
    tu_make_folder(fx->both, s01, 2, &cfg, TU_ALL_FILES);
    tu_regenerate_ok(fx->both);
    const char *ab[] = {fx->a, fx->b};
    char notes[512];
    err e;
    if (merge_folders(ab, 2, fx->merged, 0, notes, sizeof notes, &e))
        fail_msg("merge: %s", e.msg);
    static const char *const same[] = {FOLDER_RESULTS, FOLDER_CURVES, FOLDER_CONFIG,
                                       FOLDER_FIGURE};
    for (size_t k = 0; k < sizeof same / sizeof same[0]; k++)
        tu_assert_same_file(tu_path(fx->merged, same[k]), tu_path(fx->both, same[k]));
    char *csv = tu_slurp(tu_path(fx->merged, FOLDER_RESULTS), NULL);
    tu_assert_contains(csv, "," RESULTS_CSV_TRAIT_COLUMNS "\n");
    free(csv);
    char *x = tu_slurp(tu_path(fx->merged, FOLDER_SUMMARY), NULL);
    char *y = tu_slurp(tu_path(fx->both, FOLDER_SUMMARY), NULL);
    *strstr(x, "\"run\"") = *strstr(y, "\"run\"") = '\0';
    assert_string_equal(x, y);
    tu_assert_contains(x, "\"trait_rate\": {\"n\": 2,");
    free(x);
    free(y);
}

/* Folders that cannot be one run are refused, naming why, before anything
 * is written: other configurations (both values shown), a seed in two
 * folders, a folder without config.txt.  A folder without curves.csv is
 * merged without curves, and said so. */
static void test_merge_refuses_conflicts(void **state)
{
    fixture *fx = *state;
    const char *a = fx->a, *b = fx->b, *c = fx->c, *d = fx->d, *out = fx->out;
    experiment_config cfg = tu_small_config(), wider = tu_small_config();
    wider.width = 128;
    uint64_t s0[] = {0}, s1[] = {1}, s01[] = {0, 1}, s2[] = {2};
    tu_make_folder(a, s0, 1, &cfg, TU_ALL_FILES);
    tu_make_folder(b, s1, 1, &wider, TU_ALL_FILES);
    tu_make_folder(c, s01, 2, &cfg, TU_RUN_TXT);
    err e;
    char notes[512];

    const char *ab[] = {a, b};
    assert_int_not_equal(merge_folders(ab, 2, out, 0, notes, sizeof notes, &e), 0);
    tu_assert_contains(e.msg, "configurations differ");
    tu_assert_contains(e.msg, "width=64");
    tu_assert_contains(e.msg, "width=128");
    assert_int_not_equal(access(out, F_OK), 0);

    const char *ac[] = {a, c};
    assert_int_not_equal(merge_folders(ac, 2, out, 0, notes, sizeof notes, &e), 0);
    tu_assert_contains(e.msg, "seed 0");
    tu_assert_contains(e.msg, "in both");
    assert_int_not_equal(access(out, F_OK), 0);

    unlink(tu_path(b, FOLDER_CONFIG));
    const char *b_only[] = {b};
    assert_int_not_equal(merge_folders(b_only, 1, out, 0, notes, sizeof notes, &e), 0);
    tu_assert_contains(e.msg, "config.txt");
    assert_int_not_equal(merge_folders(NULL, 0, out, 0, notes, sizeof notes, &e), 0);

    /* On the command line: usage errors are exit 2, a refused merge exit 1. */
    char *text;
    assert_int_equal(run_merge(NULL, a, c, NULL, NULL, NULL, NULL), 2);
    assert_int_equal(run_merge(NULL, "--out", out, NULL, NULL, NULL, NULL), 2);
    assert_int_equal(run_merge(NULL, a, c, "--out", out, "--bogus", NULL), 2);
    assert_int_equal(run_merge(&text, a, c, "--out", out, NULL, NULL), 1);
    tu_assert_contains(text, "in both");
    free(text);
    assert_int_not_equal(access(out, F_OK), 0);

    tu_make_folder(d, s2, 1, &cfg, TU_RUN_TXT);
    const char *ad[] = {a, d};
    assert_int_equal(merge_folders(ad, 2, out, 0, notes, sizeof notes, &e), 0);
    tu_assert_contains(notes, "curves.csv left out");
    tu_assert_contains(notes, "alignment.csv left out");
    assert_int_not_equal(access(tu_path(out, FOLDER_CURVES), F_OK), 0);
    assert_int_not_equal(access(tu_path(out, FOLDER_CURVES_FIGURE), F_OK), 0);
    assert_int_not_equal(access(tu_path(out, FOLDER_ALIGNMENT), F_OK), 0);
    assert_int_not_equal(access(tu_path(out, FOLDER_ALIGNMENT_FIGURE), F_OK), 0);
}

/* An input's results.csv is read as strictly as resume reads it: a row
 * twice, a test_acc that disagrees with its counts, a seed short of a row
 * are refused naming the file and the line (exit 1 on the command line),
 * and no output is made. */
static void test_merge_refuses_results_resume_would_not_keep(void **state)
{
    fixture *fx = *state;
    experiment_config cfg = tu_small_config();
    uint64_t s12[] = {1, 2};
    const char *ab[] = {fx->a, fx->b};
    for (tu_damage d = TU_ROW_TWICE; d <= TU_SEED_SHORT; d++) {
        make_a_and_b(fx);
        tu_make_folder(fx->b, s12, 2, &cfg, TU_ALL_FILES);
        const char *damaged = d == TU_SEED_SHORT ? fx->b : fx->a;
        char want[400], *text, notes[512];
        snprintf(want, sizeof want, "%s:%zu: ", tu_path(damaged, FOLDER_RESULTS),
                 tu_damage_results(damaged, d));
        err e;
        assert_int_not_equal(merge_folders(ab, 2, fx->out, 0, notes, sizeof notes, &e), 0);
        tu_assert_contains(e.msg, want);
        assert_int_equal(run_merge(&text, fx->a, fx->b, "--out", fx->out, NULL, NULL), 1);
        tu_assert_contains(text, want);
        free(text);
        assert_int_not_equal(access(fx->out, F_OK), 0);
    }
}

/* The output may not be one of the inputs, however it is spelled: merging
 * would overwrite an input's rows.  The input is left exactly as it was. */
static void test_merge_into_an_input_is_refused(void **state)
{
    fixture *fx = *state;
    const char *a = fx->a, *b = fx->b;
    char a_again[320];
    snprintf(a_again, sizeof a_again, "%s/./a/", fx->tmp.dir);
    make_a_and_b(fx);
    char *before = snapshot(a);
    const char *ab[] = {a, b};
    char notes[512];
    err e;
    assert_int_not_equal(merge_folders(ab, 2, a_again, 1, notes, sizeof notes, &e), 0);
    tu_assert_contains(e.msg, "is one of the folders being merged");
    assert_same_snapshot(before, a);
    char *out;
    assert_int_equal(run_merge(&out, a, b, "--out", a, "--force", NULL), 1);
    tu_assert_contains(out, "is one of the folders being merged");
    free(out);
    assert_same_snapshot(before, a);
    free(before);
}

/* A folder holding results is not merged into unless forced: refused and
 * unchanged without force; with it, its results are replaced by the
 * merged ones (the same bytes as a merge into a new folder), and run.txt
 * holds only the merged runs. */
static void test_merge_into_results_needs_force(void **state)
{
    fixture *fx = *state;
    const char *a = fx->a, *b = fx->b, *out = fx->out, *fresh = fx->fresh;
    make_a_and_b(fx);
    experiment_config cfg = tu_small_config();
    uint64_t s7[] = {7};
    tu_make_folder(out, s7, 1, &cfg, TU_ALL_FILES);
    tu_regenerate_ok(out);
    char *before = snapshot(out);
    const char *ab[] = {a, b};
    char notes[512];
    err e;
    assert_int_not_equal(merge_folders(ab, 2, out, 0, notes, sizeof notes, &e), 0);
    tu_assert_contains(e.msg, "already holds results");
    tu_assert_contains(e.msg, "--force");
    assert_same_snapshot(before, out);
    char *text;
    assert_int_equal(run_merge(&text, a, b, "--out", out, NULL, NULL), 1);
    tu_assert_contains(text, "already holds results");
    free(text);
    assert_same_snapshot(before, out);
    free(before);

    assert_int_equal(run_merge(NULL, a, b, "--out", out, "--force", NULL), 0);
    assert_int_equal(merge_folders(ab, 2, fresh, 0, notes, sizeof notes, &e), 0);
    static const char *const same[] = {FOLDER_RESULTS, FOLDER_CURVES, FOLDER_CONFIG,
                                       FOLDER_SUMMARY, FOLDER_FIGURE, FOLDER_CURVES_FIGURE};
    for (size_t k = 0; k < sizeof same / sizeof same[0]; k++)
        tu_assert_same_file(tu_path(out, same[k]), tu_path(fresh, same[k]));
    kv_list *runs;
    size_t n_runs;
    assert_int_equal(runlog_read(tu_path(out, FOLDER_RUNS), &runs, &n_runs, &e), 0);
    assert_int_equal(n_runs, 2);
    assert_string_equal(kv_get(&runs[0], "seeds"), "0");
    assert_string_equal(kv_get(&runs[1], "seeds"), "1");
    free(runs);
}

/* A forced merge replaces the folder's results; a theorem.csv the folder
 * held from before is not one of the inputs' (they have none), so it must
 * not stay and be reported as if it belonged to the merged rows. */
static void test_merge_force_leaves_no_stale_theorem(void **state)
{
    fixture *fx = *state;
    const char *a = fx->a, *b = fx->b, *out = fx->out;
    make_a_and_b(fx);
    experiment_config cfg = tu_small_config();
    uint64_t s7[] = {7};
    tu_make_folder(out, s7, 1, &cfg, TU_ALL_FILES);
    const char theorem[] = "variant,eps\nstale,0.5\n";
    tu_write_file(tu_path(out, FOLDER_THEOREM_CSV), theorem, sizeof theorem - 1);
    const char *ab[] = {a, b};
    char notes[512];
    err e;
    assert_int_equal(merge_folders(ab, 2, out, 1, notes, sizeof notes, &e), 0);
    char *md = tu_slurp(tu_path(out, FOLDER_REPORT), NULL);
    int stale = strstr(md, "stale") || access(tu_path(out, FOLDER_THEOREM_CSV), F_OK) == 0;
    free(md);
    if (stale)
        fail_msg("the merged folder keeps the theorem.csv it held before the forced merge");
}

/* ---- locks ---- */

/* An input being written by another process (a running experiment) is not
 * read half-written: the merge is refused at once, naming that process,
 * and writes nothing; so is an output another process writes.  Once the
 * writer is gone, the merge goes through. */
static void test_merge_refuses_folders_being_written(void **state)
{
    fixture *fx = *state;
    const char *a = fx->a, *b = fx->b, *out = fx->out;
    char want[96];
    make_a_and_b(fx);
    const char *ab[] = {a, b};
    char notes[512];
    err e;

    tu_lock_holder h = tu_hold_lock(a, TU_LOCK_CREATE);
    assert_int_not_equal(merge_folders(ab, 2, out, 0, notes, sizeof notes, &e), 0);
    snprintf(want, sizeof want, "being written by another sublim (pid %ld)", (long)h.pid);
    tu_assert_contains(e.msg, a);
    tu_assert_contains(e.msg, want);
    assert_int_not_equal(access(out, F_OK), 0);
    tu_release_lock(h);

    h = tu_hold_lock(out, TU_LOCK_CREATE);
    assert_int_not_equal(merge_folders(ab, 2, out, 0, notes, sizeof notes, &e), 0);
    snprintf(want, sizeof want, "being written by another sublim (pid %ld)", (long)h.pid);
    tu_assert_contains(e.msg, want);
    assert_int_not_equal(access(tu_path(out, FOLDER_RESULTS), F_OK), 0);
    tu_release_lock(h);

    if (merge_folders(ab, 2, out, 0, notes, sizeof notes, &e))
        fail_msg("merge after the writers ended: %s", e.msg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_merge_equals_one_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge_compares_values_not_spellings, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_merge_of_trait_folders_equals_one_run, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_merge_refuses_conflicts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge_refuses_results_resume_would_not_keep, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_merge_into_an_input_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge_into_results_needs_force, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge_force_leaves_no_stale_theorem, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_merge_refuses_folders_being_written, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
