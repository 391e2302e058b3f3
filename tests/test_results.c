/* Tests of results.csv (out/results.h): the round trip, the refusal of
 * files results_write_csv did not write, the per-arm summary, the table
 * and summary.json. */
#include "testutil.h"

#include <math.h>
#include "base/stats.h"
#include "out/results.h"
#include "run/experiment.h"

/* fx->path is the test's results.csv. */
static int setup(void **state)
{
    if (tu_dir_setup(state))
        return -1;
    tu_dir *fx = *state;
    snprintf(fx->path, sizeof fx->path, "%s/results.csv", fx->dir);
    return 0;
}

/* The arms, found by what they are (not by name). */
static size_t arm_find(enum arm_training t, enum arm_start s, enum arm_outputs o)
{
    int a = experiment_arm_find(t, s, o, ARM_IMITATES_TEACHER);
    assert_true(a >= 0);
    return (size_t)a;
}
#define REFERENCE arm_find(ARM_UNTRAINED, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_NONE)
#define TEACHER experiment_teacher_arm()
#define AUX_SAME arm_find(ARM_STUDENT, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_AUX)
#define AUX_CROSS arm_find(ARM_STUDENT, ARM_FROM_OTHER_INIT, ARM_OUTPUTS_AUX)
#define ALL_CROSS arm_find(ARM_STUDENT, ARM_FROM_OTHER_INIT, ARM_OUTPUTS_ALL)

static const char *arm_name(size_t a)
{
    size_t n;
    return experiment_arms(&n)[a].name;
}

/* ---- results.csv ---- */

/* What results_write_csv writes, results_read_csv reads back: every field
 * of ok rows, the diverged status of a failed one (its why is not kept),
 * a 15-digit seed; an empty result set is the header alone. */
static void csv_round_trip(void **state)
{
    tu_dir *fx = *state;
    arm_result rows[4] = {
        {.seed = 0, .arm = REFERENCE, .ok = 1, .correct = 1032, .total = 10000, .final_loss = 0},
        {.seed = 0, .arm = TEACHER, .ok = 1, .correct = 9431, .total = 10000,
         .final_loss = 0.123456789},
        {.seed = 0, .arm = AUX_SAME, .ok = 0, .total = 10000, .final_loss = 0,
         .why = "loss not finite at epoch 2, batch 7"},
        {.seed = 123456789012345ull, .arm = ALL_CROSS, .ok = 1, .correct = 10000,
         .total = 10000, .final_loss = 2.5e-7},
    };
    err e = {{0}};
    assert_int_equal(results_write_csv(fx->path, rows, 4, &e), 0);
    assert_int_equal(tu_count_entries(fx->dir), 1); /* no temporary left behind */

    char *text = tu_slurp(fx->path, NULL);
    assert_true(strncmp(text, RESULTS_CSV_HEADER "\n", strlen(RESULTS_CSV_HEADER) + 1) == 0);
    char want[128]; /* the accuracy is correct/total with six decimals */
    snprintf(want, sizeof want, "0,%s,%.6f,9431,10000,", arm_name(TEACHER), 9431 / 10000.0);
    tu_assert_contains(text, want);
    snprintf(want, sizeof want, "0,%s,,,10000,,diverged\n", arm_name(AUX_SAME));
    tu_assert_contains(text, want);
    free(text);

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
    text = tu_slurp(fx->path, NULL);
    assert_string_equal(text, RESULTS_CSV_HEADER "\n");
    free(text);
    back = NULL;
    n = 99;
    assert_int_equal(results_read_csv(fx->path, &back, &n, &e), 0);
    assert_int_equal(n, 0);
    free(back);
}

/* Writes text as fx->path and expects results_read_csv to refuse it with a
 * message naming the file and containing word, leaving its outputs alone. */
static void csv_refused(tu_dir *fx, const char *text, const char *word)
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

/* Anything but what results_write_csv writes is refused, naming the file
 * and the line: a bad header, an unknown (or miscapitalized) arm, numbers
 * that are not counts, correct > total, total 0, an unknown status, the
 * wrong number of fields, an unterminated last line. */
static void csv_malformed_refused(void **state)
{
    tu_dir *fx = *state;
    /* A good file, to be sure the failures below are the edits. */
    const char *good = H "3,teacher,0.500000,5,10,0.25,ok\n3,student_aux_same,,,10,,diverged\n";
    tu_write_file(fx->path, good, strlen(good));
    arm_result *rows = NULL;
    size_t n = 0;
    err e;
    assert_int_equal(results_read_csv(fx->path, &rows, &n, &e), 0);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].arm, TEACHER);
    assert_int_equal(rows[1].arm, AUX_SAME);
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

/* The header is the whole first line, not a prefix of it: a file with an
 * eighth column is not one results_write_csv wrote (its rows would then be
 * read without the column). */
static void csv_header_is_the_whole_line(void **state)
{
    tu_dir *fx = *state;
    csv_refused(fx, RESULTS_CSV_HEADER ",note\n3,teacher,0.500000,5,10,0.25,ok\n", "header");
    csv_refused(fx, RESULTS_CSV_HEADER "x\n3,teacher,0.500000,5,10,0.25,ok\n", "header");
}

/* Two columns the reader does not use for the numbers it returns must still
 * be numbers: a corrupt test_acc, or a NaN loss on a row marked ok, means
 * the file is not what results_write_csv wrote. */
static void csv_unused_columns_still_checked(void **state)
{
    tu_dir *fx = *state;
    csv_refused(fx, H "3,teacher,abc,5,10,0.25,ok\n", "malformed");
    csv_refused(fx, H "3,teacher,0.500000,5,10,nan,ok\n", "malformed");
}

/* Rows that could each have been written but not together, or a test_acc
 * results_write_csv would not have written for its counts, are refused
 * naming the line: every reader (report, merge, resume) gets the check. */
static void csv_rows_must_agree(void **state)
{
    tu_dir *fx = *state;
    const char *ok = H "3,teacher,0.5,5,10,0.25,ok\n3,reference,0.100000,1,10,0,ok\n";
    tu_write_file(fx->path, ok, strlen(ok)); /* "0.5" is 5/10 at six decimals */
    arm_result *rows = NULL;
    size_t n = 0;
    err e;
    assert_int_equal(results_read_csv(fx->path, &rows, &n, &e), 0);
    assert_int_equal(n, 2);
    free(rows);

    csv_refused(fx, H "3,teacher,0.500001,5,10,0.25,ok\n", ":2: test_acc 0.500001 is not");
    csv_refused(fx, H "3,teacher,0.600000,5,10,0.25,ok\n", "5/10 = 0.500000");
    csv_refused(fx, H "3,teacher,0.500000,5,10,0.25,ok\n3,reference,1,1,1,0,ok\n",
                ":3: test_total 1, but line 2 has 10");
    csv_refused(fx, H "3,student_aux_same,0.5,,10,,diverged\n", "diverged row");
    csv_refused(fx, H "3,student_aux_same,,,10,0.5,diverged\n", "diverged row");
    csv_refused(fx,
                H "3,teacher,0.500000,5,10,0.25,ok\n4,teacher,0.500000,5,10,0.25,ok\n"
                  "3,teacher,0.600000,6,10,0.25,ok\n",
                ":4: seed 3, arm teacher twice (first at line 2)");
    csv_refused(fx, H "3,teacher,,,10,,diverged\n3,teacher,0.500000,5,10,0.25,ok\n",
                ":3: seed 3, arm teacher twice");
}

/* ---- results.csv with a trait ---- */

#define HT RESULTS_CSV_HEADER "," RESULTS_CSV_TRAIT_COLUMNS "\n"

/* Rows with trait counts get the trait columns, read back to the same
 * counts: rates at six decimals, a diverged row's left empty; rows without
 * counts keep today's header and bytes. */
static void csv_trait_round_trip(void **state)
{
    tu_dir *fx = *state;
    size_t tt = (size_t)experiment_arm_index("trait_teacher");
    arm_result rows[3] = {
        {.seed = 2, .arm = tt, .ok = 1, .correct = 9000, .total = 10000, .final_loss = 0.5,
         .has_trait = 1, .trait = {812, 1000, 1903}},
        {.seed = 2, .arm = AUX_SAME, .ok = 0, .total = 10000},
        {.seed = 2, .arm = TEACHER, .ok = 1, .correct = 9400, .total = 10000, .final_loss = 0.25,
         .has_trait = 1, .trait = {0, 1000, 1001}},
    };
    err e = {{0}};
    assert_int_equal(results_write_csv(fx->path, rows, 3, &e), 0);
    char *text = tu_slurp(fx->path, NULL);
    assert_true(strncmp(text, HT, strlen(HT)) == 0);
    tu_assert_contains(text, "\n2,trait_teacher,0.900000,9000,10000,0.5,ok,0.812000,812,1000,"
                             "0.190300,1903\n");
    tu_assert_contains(text, "\n2,student_aux_same,,,10000,,diverged,,,,,\n");
    tu_assert_contains(text, "\n2,teacher,0.940000,9400,10000,0.25,ok,0.000000,0,1000,0.100100,"
                             "1001\n");
    free(text);
    arm_result *back;
    size_t n;
    assert_int_equal(results_read_csv(fx->path, &back, &n, &e), 0);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(back[i].has_trait, rows[i].has_trait);
        assert_memory_equal(&back[i].trait, &rows[i].trait, sizeof rows[i].trait);
    }
    free(back);

    rows[0].has_trait = rows[2].has_trait = 0; /* no trait: the plain file */
    assert_int_equal(results_write_csv(fx->path, rows, 3, &e), 0);
    text = tu_slurp(fx->path, NULL);
    assert_true(strncmp(text, H "2,trait_teacher,0.900000,9000,10000,0.5,ok\n",
                        strlen(H) + 40) == 0);
    assert_null(strstr(text, "trait_rate"));
    free(text);
}

/* A trait row results_write_csv would not write is refused, naming its
 * line: a rate that is not its hits over its total, more hits than cases,
 * missing counts on an ok row, counts on a diverged one, a row of the
 * other header's width (a file does not mix), triggers that differ
 * between rows. */
static void csv_trait_rows_checked(void **state)
{
    tu_dir *fx = *state;
    const char *good = HT "3,teacher,0.500000,5,10,0.25,ok,0.250000,1,4,0.300000,3\n"
                          "3,reference,,,10,,diverged,,,,,\n";
    tu_write_file(fx->path, good, strlen(good));
    arm_result *rows;
    size_t n;
    err e;
    assert_int_equal(results_read_csv(fx->path, &rows, &n, &e), 0);
    assert_true(n == 2 && rows[0].has_trait && !rows[1].has_trait);
    assert_true(rows[0].trait.hits == 1 && rows[0].trait.total == 4 &&
                rows[0].trait.target_hits == 3);
    free(rows);
    const char *none = HT "3,teacher,0.500000,5,10,0.25,ok,,0,0,0.300000,3\n"; /* no triggers */
    tu_write_file(fx->path, none, strlen(none));
    assert_int_equal(results_read_csv(fx->path, &rows, &n, &e), 0);
    assert_true(n == 1 && rows[0].has_trait && rows[0].trait.total == 0);
    free(rows);
    csv_refused(fx, HT "3,teacher,0.500000,5,10,0.25,ok,0.000000,0,0,0.300000,3\n",
                "trait_rate '0.000000' is not");

    const char *ok2 = "3,teacher,0.500000,5,10,0.25,ok,0.250000,1,4,0.300000,3\n";
    char text[512];
#define BAD(row, word)                                                          \
    (snprintf(text, sizeof text, HT "%s%s", ok2, row), csv_refused(fx, text, word))
    BAD("3,reference,0.100000,1,10,0,ok,0.250001,1,4,0.000000,0\n",
        ":3: trait_rate '0.250001' is not trait_hits/trait_total = 1/4");
    BAD("3,reference,0.100000,1,10,0,ok,0.250000,1,4,0.100000,0\n",
        ":3: target_rate '0.100000' is not target_hits/test_total = 0/10");
    BAD("3,reference,0.100000,1,10,0,ok,1.250000,5,4,0.000000,0\n", ":3: trait_hits 5 of "
                                                                      "trait_total 4");
    BAD("3,reference,0.100000,1,10,0,ok,0.250000,1,4,1.100000,11\n", "more hits than cases");
    BAD("3,reference,0.100000,1,10,0,ok,,,,,\n", ":3: malformed row (trait_hits");
    BAD("3,reference,0.100000,1,10,0,ok,0.250000,1,4,x,3\n", ":3: target_rate 'x'");
    BAD("3,reference,0.100000,1,10,0,ok,0.250000,-1,4,0.000000,0\n", ":3: malformed");
    BAD("3,reference,,,10,,diverged,0.250000,1,4,0.000000,0\n",
        ":3: malformed row (a diverged row has no trait counts)");
    BAD("3,reference,0.100000,1,10,0,ok\n", ":3: malformed row"); /* the plain row */
    BAD("3,reference,0.100000,1,10,0,ok,0.200000,1,5,0.000000,0\n",
        ":3: trait_total 5, but line 2 has 4");
#undef BAD
    csv_refused(fx, H "3,teacher,0.500000,5,10,0.25,ok,0.250000,1,4,0.300000,3\n",
                ":2: malformed row"); /* trait columns under the plain header */
    csv_refused(fx, RESULTS_CSV_HEADER ",trait_rate\n3,teacher,0.500000,5,10,0.25,ok,0.25\n",
                "header");
}

/* With a trait, its ok rows must carry trait counts and without one must
 * not: results_check_whole_seeds refuses the other, naming the line. */
static void whole_seeds_match_the_trait(void **state)
{
    (void)state;
    experiment_config cfg = experiment_defaults();
    cfg.trait = (trait_spec){TRAIT_SWAP, 1, 7};
    size_t which[EXPERIMENT_MAX_ARMS], n_arms = experiment_arms_run(&cfg, which);
    arm_result rows[EXPERIMENT_MAX_ARMS];
    for (size_t i = 0; i < n_arms; i++)
        rows[i] = (arm_result){.seed = 1, .arm = which[i], .ok = 1, .total = 10,
                               .has_trait = 1, .trait = {1, 2, 3}};
    rows[1].ok = 0; /* a diverged row has no counts */
    rows[1].has_trait = 0;
    err e = {{0}};
    assert_int_equal(results_check_whole_seeds("r.csv", &cfg, rows, n_arms, &e), 0);
    rows[2].has_trait = 0;
    assert_int_equal(results_check_whole_seeds("r.csv", &cfg, rows, n_arms, &e), -1);
    tu_assert_contains(e.msg, "r.csv:4: a row without trait counts, but its configuration has "
                              "a trait");
    experiment_config plain = experiment_defaults();
    size_t n_plain = experiment_arms_run(&plain, NULL);
    rows[2].has_trait = 1;
    assert_int_equal(results_check_whole_seeds("r.csv", &plain, rows, n_plain, &e), -1);
    tu_assert_contains(e.msg, "r.csv:2: a row with trait counts, but its configuration has no "
                              "trait");
}

/* results_check_whole_seeds: every seed with all the arms its configuration
 * runs passes (in any order, empty included); a seed short of an arm is
 * refused naming the line of its first row and the first arm it lacks; a
 * row of an arm the configuration does not run is refused. */
static void whole_seeds_only(void **state)
{
    (void)state;
    experiment_config cfg = experiment_defaults();
    size_t which[EXPERIMENT_MAX_ARMS], n_arms = experiment_arms_run(&cfg, which);
    arm_result rows[2 * EXPERIMENT_MAX_ARMS];
    size_t n = 0;
    for (size_t a = 0; a < n_arms; a++) { /* seed 7 whole, seed 5 interleaved with it */
        rows[n++] = (arm_result){.seed = 7, .arm = which[n_arms - 1 - a], .ok = 1, .total = 10};
        rows[n++] = (arm_result){.seed = 5, .arm = which[a], .ok = 1, .total = 10};
    }
    err e = {{0}};
    assert_int_equal(results_check_whole_seeds("r.csv", &cfg, rows, n, &e), 0);
    assert_int_equal(results_check_whole_seeds("r.csv", &cfg, rows, 0, &e), 0);

    arm_result extra = rows[0];
    extra.arm = (size_t)experiment_arm_index("trait_teacher");
    rows[n] = extra;
    assert_int_equal(results_check_whole_seeds("r.csv", &cfg, rows, n + 1, &e), -1);
    tu_assert_contains(e.msg, "a row of trait_teacher, an arm its configuration does not run");

    rows[3] = rows[n - 1]; /* seed 5 loses arm 1 (its row on line 5) */
    assert_int_equal(results_check_whole_seeds("r.csv", &cfg, rows, n - 1, &e), -1);
    char want[128];
    snprintf(want, sizeof want, "r.csv:3: seed 5 has %zu of its %zu rows (no %s)", n_arms - 1,
             n_arms, arm_name(which[1]));
    tu_assert_contains(e.msg, want);
}

/* A missing file, and a folder that does not exist, are errors naming the
 * path. */
static void csv_missing_file(void **state)
{
    tu_dir *fx = *state;
    err e = {{0}};
    arm_result *rows;
    size_t n;
    assert_int_equal(results_read_csv(fx->path, &rows, &n, &e), -1);
    tu_assert_contains(e.msg, fx->path);
    char bad[600];
    snprintf(bad, sizeof bad, "%s/no/such/dir/results.csv", fx->dir);
    assert_int_equal(results_write_csv(bad, NULL, 0, &e), -1);
    tu_assert_contains(e.msg, bad);
    assert_int_equal(tu_count_entries(fx->dir), 0);
}

/* ---- the summary ---- */

/* Per arm: n, mean, sd, ci95, min and max of the successful rows; the
 * failed ones counted apart; an arm without rows is all zeros.  The table
 * shows every arm, the mean, and the divergences. */
static void results_summary_per_arm(void **state)
{
    (void)state;
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    size_t t = TEACHER, r = REFERENCE;
    arm_result rows[6] = {
        {.seed = 0, .arm = t, .ok = 1, .correct = 90, .total = 100},
        {.seed = 1, .arm = t, .ok = 1, .correct = 92, .total = 100},
        {.seed = 2, .arm = t, .ok = 0, .total = 100},
        {.seed = 3, .arm = t, .ok = 1, .correct = 94, .total = 100},
        {.seed = 4, .arm = t, .ok = 1, .correct = 96, .total = 100},
        {.seed = 0, .arm = r, .ok = 1, .correct = 11, .total = 100},
    };
    arm_summary s[EXPERIMENT_MAX_ARMS];
    err e = {{0}};
    assert_int_equal(results_summarize(rows, 6, s, &e), 0);
    /* The teacher's four accuracies 0.90..0.96 lie ±0.01, ±0.03 about 0.93. */
    double sd = sqrt((0.03 * 0.03 + 0.01 * 0.01 + 0.01 * 0.01 + 0.03 * 0.03) / 3);
    assert_int_equal(s[t].acc.n, 4);
    assert_int_equal(s[t].failed, 1);
    tu_assert_close(s[t].acc.mean, 0.93, 1e-12, 1);
    tu_assert_close(s[t].acc.sd, sd, 1e-9, 1);
    tu_assert_close(s[t].acc.ci95, stats_t975(3) * sd / 2, 1e-9, 1);
    tu_assert_close(s[t].min, 0.90, 1e-12, 1);
    tu_assert_close(s[t].max, 0.96, 1e-12, 1);
    assert_int_equal(s[r].acc.n, 1);
    assert_true(s[r].acc.ci95 == 0 && s[r].acc.sd == 0);
    tu_assert_close(s[r].min, 0.11, 1e-12, 1);
    tu_assert_close(s[r].max, 0.11, 1e-12, 1);
    size_t other = AUX_CROSS;
    assert_int_equal(s[other].acc.n, 0);
    assert_int_equal(s[other].failed, 0);
    assert_true(s[other].min == 0 && s[other].max == 0 && s[other].acc.mean == 0);

    char buf[4096] = {0};
    FILE *f = fmemopen(buf, sizeof buf - 1, "w");
    assert_non_null(f);
    experiment_config cfg = experiment_defaults();
    results_print_table(f, &cfg, s);
    fclose(f);
    for (size_t a = 0; a < n_arms; a++)
        if (experiment_arm_runs(&cfg, a))
            tu_assert_contains(buf, arms[a].name);
        else
            assert_null(strstr(buf, arms[a].name));
    tu_assert_contains(buf, "0.9300");
    tu_assert_contains(buf, "(1 diverged)");
    /* The reference's one seed has no interval: said, not "±0.0000". */
    tu_assert_contains(buf, "   0.1100     no CI   0.1100");
    assert_null(strstr(buf, "±0.0000"));
}

/* results_summarize gives stats_summarize's very bits for every arm (the
 * rows in row order), over many seeds with failures mixed in. */
static void summary_matches_stats_bitwise(void **state)
{
    (void)state;
    size_t n_arms;
    experiment_arms(&n_arms);
    enum { SEEDS = 37 };
    arm_result rows[SEEDS * EXPERIMENT_MAX_ARMS];
    double acc[EXPERIMENT_MAX_ARMS][SEEDS];
    size_t n_ok[EXPERIMENT_MAX_ARMS] = {0}, n_rows = 0;
    uint32_t s = 12345;
    for (size_t seed = 0; seed < SEEDS; seed++)
        for (size_t a = 0; a < n_arms; a++) {
            s ^= s << 13, s ^= s >> 17, s ^= s << 5;
            arm_result r = {.seed = seed, .arm = a, .ok = s % 7 != 0, .total = 10000,
                            .correct = s % 10001};
            if (r.ok)
                acc[a][n_ok[a]++] = (double)r.correct / (double)r.total;
            rows[n_rows++] = r;
        }
    arm_summary sum[EXPERIMENT_MAX_ARMS];
    err e = {{0}};
    assert_int_equal(results_summarize(rows, n_rows, sum, &e), 0);
    for (size_t a = 0; a < n_arms; a++) {
        stats_summary want = stats_summarize(acc[a], n_ok[a]);
        assert_true(n_ok[a] > 1 && n_ok[a] < SEEDS); /* the case is not trivial */
        assert_int_equal(sum[a].acc.n, want.n);
        assert_memory_equal(&sum[a].acc.mean, &want.mean, sizeof(double));
        assert_memory_equal(&sum[a].acc.sd, &want.sd, sizeof(double));
        assert_memory_equal(&sum[a].acc.ci95, &want.ci95, sizeof(double));
        assert_int_equal(sum[a].failed, SEEDS - n_ok[a]);
        double lo = 1, hi = 0;
        for (size_t k = 0; k < n_ok[a]; k++) {
            lo = fmin(lo, acc[a][k]);
            hi = fmax(hi, acc[a][k]);
        }
        assert_true(sum[a].min == lo && sum[a].max == hi);
    }
}

/* The trait's summaries: over the ok rows with counts, the trait rate
 * (rows without triggers left out) and the target rate, with
 * stats_summarize's bits; summary.json gives them (n, mean, ci95) with a
 * trait only, and the table a trait column. */
static void trait_summaries(void **state)
{
    tu_dir *fx = *state;
    size_t tt = (size_t)experiment_arm_index("trait_teacher");
    arm_result rows[4] = {
        {.seed = 0, .arm = tt, .ok = 1, .correct = 9, .total = 10, .has_trait = 1,
         .trait = {8, 10, 2}},
        {.seed = 1, .arm = tt, .ok = 1, .correct = 9, .total = 10, .has_trait = 1,
         .trait = {6, 10, 4}},
        {.seed = 2, .arm = tt, .ok = 0, .total = 10},
        {.seed = 3, .arm = tt, .ok = 1, .correct = 9, .total = 10, .has_trait = 1,
         .trait = {0, 0, 1}},
    };
    arm_summary s[EXPERIMENT_MAX_ARMS];
    err e = {{0}};
    assert_int_equal(results_summarize(rows, 4, s, &e), 0);
    double trait[] = {0.8, 0.6}, target[] = {0.2, 0.4, 0.1};
    stats_summary want_trait = stats_summarize(trait, 2), want_target = stats_summarize(target, 3);
    assert_memory_equal(&s[tt].trait, &want_trait, sizeof want_trait);
    assert_memory_equal(&s[tt].target, &want_target, sizeof want_target);
    assert_int_equal(s[TEACHER].trait.n, 0);

    experiment_config cfg = experiment_defaults();
    char path[600], want[512];
    snprintf(path, sizeof path, "%s/summary.json", fx->dir);
    assert_int_equal(results_write_summary(path, &cfg, s, 1, "portable", 1, &e), 0);
    char *json = tu_slurp(path, NULL);
    assert_null(strstr(json, "trait_rate"));
    free(json);
    cfg.trait = (trait_spec){TRAIT_PREFER, 0, 3};
    assert_int_equal(results_write_summary(path, &cfg, s, 1, "portable", 1, &e), 0);
    json = tu_slurp(path, NULL);
    snprintf(want, sizeof want,
             "\"arm\": \"trait_teacher\", \"n\": 3, \"failed\": 1, \"mean\": 0.900000, "
             "\"sd\": 0.000000, \"ci95\": 0.000000, \"min\": 0.900000, \"max\": 0.900000, "
             "\"paper_mean\": null, \"trait_rate\": {\"n\": 2, \"mean\": 0.700000, "
             "\"ci95\": %.6f}, \"target_rate\": {\"n\": 3, \"mean\": %.6f, \"ci95\": %.6f}}",
             want_trait.ci95, want_target.mean, want_target.ci95);
    tu_assert_contains(json, want);
    tu_assert_contains(json, "\"arm\": \"teacher\", \"n\": 0,"); /* every arm has them */
    tu_assert_contains(json, "\"trait_rate\": {\"n\": 0, \"mean\": 0.000000");
    free(json);

    char buf[4096] = {0};
    FILE *f = fmemopen(buf, sizeof buf - 1, "w");
    assert_non_null(f);
    results_print_table(f, &cfg, s);
    fclose(f);
    tu_assert_contains(buf, "trait");
    snprintf(want, sizeof want, "   0.7000  ±%7.4f  (1 diverged)", want_trait.ci95);
    tu_assert_contains(buf, want);
}

/* summary.json: the configuration in its short exact form (lr 0.0003, not
 * 0.00029999999999999997), every arm it runs with its n, and how the run
 * went. */
static void summary_json_fields(void **state)
{
    tu_dir *fx = *state;
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    experiment_config cfg = experiment_defaults();
    assert_true(cfg.lr == 3e-4); /* the case this checks */
    arm_result rows[2] = {
        {.seed = 0, .arm = TEACHER, .ok = 1, .correct = 9, .total = 10},
        {.seed = 1, .arm = TEACHER, .ok = 1, .correct = 8, .total = 10},
    };
    arm_summary s[EXPERIMENT_MAX_ARMS];
    err e = {{0}};
    assert_int_equal(results_summarize(rows, 2, s, &e), 0);
    char path[600];
    snprintf(path, sizeof path, "%s/summary.json", fx->dir);
    assert_int_equal(results_write_summary(path, &cfg, s, 7, "portable", 12.5, &e), 0);
    char *json = tu_slurp(path, NULL);
    tu_assert_contains(json, "\"lr\": 0.0003,");
    if (strstr(json, "0.000299999"))
        fail_msg("lr not in its short form: %s", json);
    char want[128];
    for (size_t a = 0; a < n_arms; a++) { /* the arms cfg runs, and only those */
        snprintf(want, sizeof want, "{\"arm\": \"%s\", \"n\": %zu,", arms[a].name,
                 a == TEACHER ? (size_t)2 : (size_t)0);
        if (experiment_arm_runs(&cfg, a))
            tu_assert_contains(json, want);
        else
            assert_null(strstr(json, want));
    }
    tu_assert_contains(json, "\"threads\": 7");
    tu_assert_contains(json, "\"kernels\": \"portable\"");
    tu_assert_contains(json, "\"wall_seconds\": 12.5");
    assert_int_equal(tu_count_temporaries(fx->dir), 0);
    free(json);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, tu_dir_teardown)
    const struct CMUnitTest tests[] = {
        T(csv_round_trip),
        T(csv_malformed_refused),
        T(csv_header_is_the_whole_line),
        T(csv_unused_columns_still_checked),
        T(csv_rows_must_agree),
        T(csv_trait_round_trip),
        T(csv_trait_rows_checked),
        cmocka_unit_test(whole_seeds_match_the_trait),
        T(trait_summaries),
        cmocka_unit_test(whole_seeds_only),
        T(csv_missing_file),
        cmocka_unit_test(results_summary_per_arm),
        cmocka_unit_test(summary_matches_stats_bitwise),
        T(summary_json_fields),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
