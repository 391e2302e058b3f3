/* Tests of out/progress: what a running experiment shows on stderr, in
 * its three modes (plain lines for logs, an updating terminal line, quiet),
 * and its estimate of the time left.  The caller passes the time, so every
 * output here is exact.  No MNIST needed. */
#include "testutil.h"

#include <math.h>
#include "out/progress.h"
#include "run/experiment.h"

/* Two seeds of one epoch each: 3 teacher batches (300 digits) and 2
 * student batches (200 noise images) per seed, at batch 100. */
#define N_TRAIN 300
#define N_NOISE 200

static experiment_config tiny_config(void)
{
    experiment_config c = experiment_defaults();
    c.seeds = 2;
    c.batch = 100;
    c.teacher_epochs = 1;
    c.student_epochs = 1;
    return c;
}

/* The students cfg runs. */
static size_t n_students(const experiment_config *cfg)
{
    size_t n_arms, n = 0;
    const arm_spec *arms = experiment_arms(&n_arms);
    for (size_t a = 0; a < n_arms; a++)
        n += experiment_arm_runs(cfg, a) && arms[a].training == ARM_STUDENT;
    return n;
}

/* Every arm tiny_config runs, of seed 0 at 50% (correct of total), the
 * aux_same student diverged when diverged is set. */
static size_t seed_rows(arm_result *rows, int diverged)
{
    experiment_config cfg = tiny_config();
    size_t which[EXPERIMENT_MAX_ARMS], n_arms = experiment_arms_run(&cfg, which);
    int aux_same = experiment_arm_find(ARM_STUDENT, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_AUX, ARM_IMITATES_TEACHER);
    assert_true(aux_same >= 0);
    for (size_t i = 0; i < n_arms; i++)
        rows[i] = (arm_result){.seed = 0, .arm = which[i],
                               .ok = !(diverged && (int)which[i] == aux_same),
                               .correct = 5000, .total = 10000};
    return n_arms;
}

/* A progress of cfg (N_TRAIN digits, N_NOISE noise images) in mode,
 * writing to a memory stream: *buf and *len once the one returned is
 * closed. */
static FILE *start(progress *p, enum progress_mode mode, const experiment_config *cfg,
                   char **buf, size_t *len)
{
    FILE *f = open_memstream(buf, len);
    assert_non_null(f);
    progress_init(p, f, mode, cfg, N_TRAIN, N_NOISE, 0.0);
    return f;
}

/* Plain lines (a log file): one per epoch of every arm, with the loss, the
 * test accuracy when measured, and the time left; never a \r.  The time
 * left: the first batch of a phase is setup and not measured, so 2 s for
 * 2 batches gives 1 s a teacher batch; a student batch is guessed at one
 * teacher batch per student; what is left is this seed's students, then a
 * whole seed. */
static void test_progress_lines(void **state)
{
    (void)state;
    experiment_config cfg = tiny_config();
    size_t teacher = experiment_teacher_arm(), students = n_students(&cfg); /* one pass */
    char *buf;
    size_t len;
    progress p;
    FILE *f = start(&p, PROGRESS_LINES, &cfg, &buf, &len);
    assert_true(progress_seconds_left(&p) < 0); /* nothing to go on yet */
    for (size_t b = 1; b <= 3; b++)
        progress_batch(&p, (double)b, 0, TRAIN_TEACHER, 0, 1, b, 3, 0.5);
    progress_epoch(&p, 3.0, 0, teacher, 0, 0.5, 0.9);
    double teacher_batch = 1.0, student_batch = teacher_batch * (double)students;
    double this_seed = 2 * student_batch, next_seed = 3 * teacher_batch + 2 * student_batch;
    tu_assert_close(progress_seconds_left(&p), this_seed + next_seed, 1e-9, 0);
    char left[32], want[64];
    progress_format_duration(left, sizeof left, this_seed + next_seed);
    snprintf(want, sizeof want, "~%s left\n", left);
    fclose(f);
    tu_assert_contains(buf, "seed 0 teacher");
    tu_assert_contains(buf, "epoch 1/1 loss 0.50000 test acc 0.9000");
    tu_assert_contains(buf, want);
    assert_null(strchr(buf, '\r'));
    /* Batches alone print nothing in this mode: one line, for the epoch. */
    assert_non_null(strchr(buf, '\n'));
    assert_null(strchr(strchr(buf, '\n') + 1, '\n'));
    free(buf);

    /* Without curves the accuracy is not measured (NaN): not shown. */
    f = start(&p, PROGRESS_LINES, &cfg, &buf, &len);
    progress_epoch(&p, 1.0, 0, teacher, 0, 0.5, NAN);
    fclose(f);
    assert_null(strstr(buf, "test acc"));
    tu_assert_contains(buf, "~? left");
    free(buf);
}

/* On a terminal: one line per phase, rewritten in place (\r, erase) with
 * seed, phase, epoch, batch, loss, speed and time left, and closed with
 * the phase's result: the teacher's loss and accuracy, then each student's
 * accuracy (or "diverged"). */
static void test_progress_terminal(void **state)
{
    (void)state;
    experiment_config cfg = tiny_config();
    size_t teacher = experiment_teacher_arm();
    char *buf;
    size_t len;
    progress p;
    arm_result rows[EXPERIMENT_MAX_ARMS];
    size_t n_rows = seed_rows(rows, 1);
    FILE *f = start(&p, PROGRESS_TERMINAL, &cfg, &buf, &len);
    for (size_t b = 1; b <= 3; b++)
        progress_batch(&p, (double)b, 0, TRAIN_TEACHER, 0, 1, b, 3, 0.25);
    progress_epoch(&p, 3.0, 0, teacher, 0, 0.25, 0.9);
    for (size_t b = 1; b <= 2; b++)
        progress_batch(&p, 3.0 + 4.0 * (double)b, 0, TRAIN_STUDENTS, 0, 1, b, 2, 0.01);
    progress_seed(&p, 12.0, rows, n_rows);
    progress_end(&p);
    fclose(f);
    tu_assert_contains(buf, "\r\033[Kseed 0 (1/2)  teacher   epoch 1/1  batch 3/3  loss 0.2500");
    tu_assert_contains(buf, "img/s");
    tu_assert_contains(buf, "left");
    tu_assert_contains(buf, "\r\033[Kseed 0 (1/2)  teacher   1 epoch in 3s  loss 0.2500  "
                            "test acc 90.0%\n");
    tu_assert_contains(buf, "\r\033[Kseed 0 (1/2)  students  epoch 1/1  batch 2/2");
    tu_assert_contains(buf, "students  1 epoch in 9s  test acc");
    tu_assert_contains(buf, "aux_same diverged");
    tu_assert_contains(buf, "aux_cross 50.0%");
    assert_int_equal(buf[len - 1], '\n'); /* the last line is closed */
    free(buf);

    /* Redrawn at most every 0.1 s (but always at a phase's last batch),
     * and a line left open by a failure is ended by progress_end. */
    f = start(&p, PROGRESS_TERMINAL, &cfg, &buf, &len);
    progress_batch(&p, 1.00, 0, TRAIN_TEACHER, 0, 1, 1, 3, 0.5);
    progress_batch(&p, 1.01, 0, TRAIN_TEACHER, 0, 1, 2, 3, 0.5);
    progress_batch(&p, 1.02, 0, TRAIN_TEACHER, 0, 1, 3, 3, 0.5);
    progress_end(&p);
    fclose(f);
    assert_null(strstr(buf, "batch 2/3"));
    tu_assert_contains(buf, "batch 1/3");
    tu_assert_contains(buf, "batch 3/3");
    assert_int_equal(buf[len - 1], '\n');
    free(buf);
}

/* The time left counts the trait teacher's phase and every pass of the
 * students (each starting again from epoch 0).  With prefer:3, 300
 * digits, 200 noise images, batch 100: teacher 3 batches, trait teacher
 * (330 examples) 4, students 2 per pass, 2 passes (the teacher's 4
 * students, then the trait teacher's 2).  Measured: teacher 1 s, trait
 * teacher 2 s, students 3 s a batch; before a phase is measured the trait
 * teacher is guessed at a teacher batch, a student batch at one teacher
 * batch per student of an average pass (6 / 2). */
static void test_progress_trait_and_passes(void **state)
{
    (void)state;
    experiment_config cfg = tiny_config();
    cfg.trait = (trait_spec){TRAIT_PREFER, 0, 3};
    assert_int_equal(experiment_student_passes(&cfg), 2);
    assert_int_equal(n_students(&cfg), 6);
    char *buf;
    size_t len;
    progress p;
    FILE *f = start(&p, PROGRESS_QUIET, &cfg, &buf, &len);
    assert_int_equal(p.batches[TRAIN_TRAIT_TEACHER], 4);
    assert_int_equal(p.batches[TRAIN_STUDENTS], 4);
    for (size_t b = 1; b <= 3; b++)
        progress_batch(&p, (double)b, 0, TRAIN_TEACHER, 0, 1, b, 3, 0.5);
    double seed_guess = 3 * 1.0 + 4 * 1.0 + 4 * 3.0;
    tu_assert_close(progress_seconds_left(&p), 4 * 1.0 + 4 * 3.0 + seed_guess, 1e-9, 0);

    progress_batch(&p, 4.0, 0, TRAIN_TRAIT_TEACHER, 0, 1, 1, 4, 0.5); /* setup: left out */
    progress_batch(&p, 6.0, 0, TRAIN_TRAIT_TEACHER, 0, 1, 2, 4, 0.5);
    double seed_now = 3 * 1.0 + 4 * 2.0 + 4 * 3.0;
    tu_assert_close(progress_seconds_left(&p), 2 * 2.0 + 4 * 3.0 + seed_now, 1e-9, 0);
    progress_batch(&p, 8.0, 0, TRAIN_TRAIT_TEACHER, 0, 1, 3, 4, 0.5);
    progress_batch(&p, 10.0, 0, TRAIN_TRAIT_TEACHER, 0, 1, 4, 4, 0.5);

    progress_batch(&p, 11.0, 0, TRAIN_STUDENTS, 0, 1, 1, 2, 0.5);
    progress_batch(&p, 14.0, 0, TRAIN_STUDENTS, 0, 1, 2, 2, 0.5); /* pass 1 done */
    seed_now = 3 * 1.0 + 4 * 2.0 + 4 * 3.0;
    tu_assert_close(progress_seconds_left(&p), 2 * 3.0 + seed_now, 1e-9, 0);
    progress_batch(&p, 16.0, 0, TRAIN_STUDENTS, 0, 1, 1, 2, 0.5); /* pass 2 starts */
    assert_int_equal(p.pass, 1);
    assert_int_equal(p.phase_done, 3);
    tu_assert_close(progress_seconds_left(&p), 1 * 3.0 + seed_now, 1e-9, 0);
    progress_batch(&p, 19.0, 0, TRAIN_STUDENTS, 0, 1, 2, 2, 0.5);
    tu_assert_close(progress_seconds_left(&p), seed_now, 1e-9, 0);
    progress_end(&p);
    fclose(f);
    free(buf);
}

/* Quiet: nothing at all, whatever happens. */
static void test_progress_quiet(void **state)
{
    (void)state;
    experiment_config cfg = tiny_config();
    char *buf;
    size_t len;
    progress p;
    arm_result rows[EXPERIMENT_MAX_ARMS];
    size_t n_rows = seed_rows(rows, 0);
    FILE *f = start(&p, PROGRESS_QUIET, &cfg, &buf, &len);
    progress_batch(&p, 1.0, 0, TRAIN_TEACHER, 0, 1, 1, 3, 0.5);
    progress_epoch(&p, 1.0, 0, experiment_teacher_arm(), 0, 0.5, NAN);
    progress_batch(&p, 2.0, 0, TRAIN_STUDENTS, 0, 1, 1, 2, 0.5);
    progress_seed(&p, 2.0, rows, n_rows);
    progress_end(&p);
    fclose(f);
    assert_int_equal(len, 0);
    free(buf);
}

/* Durations as people read them; a negative one (no estimate) is "?". */
static void test_progress_format_duration(void **state)
{
    (void)state;
    static const struct {
        double s;
        const char *text;
    } want[] = {{3725, "1h02m"}, {250, "4m10s"}, {59.4, "59s"}, {60, "1m00s"}, {0, "0s"},
                {-1, "?"},       {NAN, "?"}};
    char d[32];
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        progress_format_duration(d, sizeof d, want[i].s);
        assert_string_equal(d, want[i].text);
    }
}

/* Escapes only on a terminal that takes them: not when stderr is no
 * terminal, TERM is dumb, empty or unset, or NO_COLOR is set (an empty
 * NO_COLOR counts as unset, as no-color.org says). */
static void test_progress_mode_for(void **state)
{
    (void)state;
    assert_int_equal(progress_mode_for(1, "xterm-256color", NULL), PROGRESS_TERMINAL);
    assert_int_equal(progress_mode_for(1, "xterm", ""), PROGRESS_TERMINAL);
    assert_int_equal(progress_mode_for(0, "xterm", NULL), PROGRESS_LINES);
    assert_int_equal(progress_mode_for(1, "dumb", NULL), PROGRESS_LINES);
    assert_int_equal(progress_mode_for(1, "", NULL), PROGRESS_LINES);
    assert_int_equal(progress_mode_for(1, NULL, NULL), PROGRESS_LINES);
    assert_int_equal(progress_mode_for(1, "xterm", "1"), PROGRESS_LINES);
    assert_int_equal(progress_mode_for(1, "xterm", "0"), PROGRESS_LINES); /* any value */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_progress_lines),
        cmocka_unit_test(test_progress_terminal),
        cmocka_unit_test(test_progress_trait_and_passes),
        cmocka_unit_test(test_progress_quiet),
        cmocka_unit_test(test_progress_format_duration),
        cmocka_unit_test(test_progress_mode_for),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
