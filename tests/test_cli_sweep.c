/* Tests of `sublim sweep` as a user runs it (the built program), on
 * synthetic data: --help; --list; bad flags exit 2 naming the flag and
 * write nothing; a local sweep runs, collects, is refused again without
 * --resume and kept with it; the same sweep as separate --task processes,
 * two at a time, or as SLURM_ARRAY_TASK_ID jobs of several tasks, collects
 * to the same bytes; collect names the missing tasks and refuses another
 * sweep's folder. */
#include "tu_cli.h"
#include "tu_data.h"

#include <sys/stat.h>
#include "base/files.h"
#include "out/sweep.h"
#include "run/experiment.h"

typedef struct {
    tu_dir d;
    char data[300], out[300];
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    void *d = NULL;
    if (!fx || tu_dir_setup(&d))
        return -1;
    fx->d = *(tu_dir *)d;
    free(d);
    snprintf(fx->data, sizeof fx->data, "%s/data", fx->d.dir);
    snprintf(fx->out, sizeof fx->out, "%s/sw", fx->d.dir);
    assert_int_equal(mkdir(fx->data, 0755), 0);
    dataset train, test;
    tu_make_quadrants(&train, 128, 1);
    tu_make_quadrants(&test, 32, 2);
    tu_write_idx(fx->data, "train", &train);
    tu_write_idx(fx->data, "t10k", &test);
    dataset_free(&train);
    dataset_free(&test);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    void *d = malloc(sizeof fx->d);
    memcpy(d, &fx->d, sizeof fx->d);
    free(fx);
    return tu_dir_teardown(&d);
}

/* The sweep of these tests: m ∈ {1, 3} × width ∈ {8, 16}, seeds 0 and 1:
 * 8 tasks of seconds in all. */
#define GRID "--m", "1,3", "--width", "8,16", "--seeds", "2", "--epochs", "2", \
             "--student-epochs", "1", "--batch", "32", "--lr", "1e-2", "--threads", "1"

/* ---- help, list, bad flags ---- */

static void help_lists_every_flag(void **state)
{
    (void)state;
    char *out;
    assert_int_equal(sublim(&out, "sweep", "--help", NULL), 0);
    tu_assert_contains(out, "usage: sublim sweep");
    size_t n;
    const setting *s = experiment_settings(&n);
    char flag[80];
    for (size_t i = 0; i < n; i++)
        if (setting_has_flag(&s[i])) {
            setting_flag(&s[i], flag, sizeof flag);
            tu_assert_contains(out, flag);
        }
    const char *own[] = {"--threads", "--data", "--out", "--resume", "--force", "--quiet",
                         "--list", "--task", "--tasks-per-job", "--collect",
                         "START:STOP:xFACTOR", "normal|uniform"};
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
        tu_assert_contains(out, own[i]);
    free(out);
    EXPECT(0, W("sweep"), "--help");
}

/* --list: INDEX POINT SEED per task, the last axis fastest, then the
 * seeds; settings given one value are no axis; nothing is written. */
static void list_prints_the_tasks(void **state)
{
    fixture *fx = *state;
    char *out;
    assert_int_equal(sublim(&out, "sweep", GRID, "--init", "uniform", "--seed-start", "5",
                            "--out", fx->out, "--list", NULL),
                     0);
    assert_string_equal(out, "0 m=1,width=8 5\n1 m=1,width=8 6\n2 m=1,width=16 5\n"
                             "3 m=1,width=16 6\n4 m=3,width=8 5\n5 m=3,width=8 6\n"
                             "6 m=3,width=16 5\n7 m=3,width=16 6\n");
    free(out);
    assert_false(files_exists(fx->out));
    EXPECT(0, W("0 base 0\n1 base 1\n"), "sweep", "--seeds", "2", "--list");
    EXPECT(0, W("0 lr=0.0001 0\n1 lr=0.001 0\n2 lr=0.01 0\n"), "sweep", "--lr",
           "1e-4:1e-2:x10", "--seeds", "1", "--list");
}

/* Every bad command line: exit 2, one line naming the flag, nothing
 * written. */
static void bad_flags_exit_2(void **state)
{
    fixture *fx = *state;
    const char *o = fx->out;
    EXPECT(2, W("--m is given twice"), "sweep", "--m", "1", "--m", "3", "--out", o);
    EXPECT(2, W("--lr is given twice"), "sweep", "--lr=1e-3", "--lr", "1e-2", "--out", o);
    EXPECT(2, W("unknown flag '--mm'"), "sweep", "--mm", "1,3", "--out", o);
    EXPECT(2, W("--m: empty value"), "sweep", "--m", "", "--out", o);
    EXPECT(2, W("--m: an empty value"), "sweep", "--m", "1,,3", "--out", o);
    EXPECT(2, W("--width: 0 is out of range"), "sweep", "--width", "0,8", "--out", o);
    EXPECT(2, W("--init: 'gauss'"), "sweep", "--init", "normal,gauss", "--out", o);
    EXPECT(2, W("--seeds cannot be swept"), "sweep", "--seeds", "1,2", "--out", o);
    EXPECT(2, W("--m: 3 given twice"), "sweep", "--m", "3,1:5:+2", "--out", o);
    EXPECT(2, W("20480 tasks", "--force"), "sweep", "--m", "1:64:+1", "--width", "1:64:+1",
           "--out", o);
    EXPECT(2, W("--task 8 is out of range", "8 tasks (0 to 7)"), "sweep", GRID, "--task", "8",
           "--out", o);
    EXPECT(2, W("--task 3 is out of range", "3 jobs of --tasks-per-job 3 (0 to 2)"), "sweep",
           GRID, "--task", "3", "--tasks-per-job", "3", "--out", o);
    EXPECT(2, W("--task 'x' is not a task number"), "sweep", GRID, "--task", "x", "--out", o);
    EXPECT(2, W("--tasks-per-job: 0 is out of range"), "sweep", "--tasks-per-job", "0");
    EXPECT(2, W("'--m' does not go with it"), "sweep", "--collect", o, "--m", "3");
    EXPECT(2, W("without --task"), "sweep", "--list", "--task", "1");
    setenv("SLURM_ARRAY_TASK_ID", "9", 1);
    EXPECT(2, W("SLURM_ARRAY_TASK_ID 9 is out of range"), "sweep", GRID, "--out", o);
    unsetenv("SLURM_ARRAY_TASK_ID");
    assert_false(files_exists(o));
}

/* ---- running and collecting ---- */

/* A local sweep: progress per task, the tables, the points; the same
 * command again is refused (the tables stay), with --resume it keeps every
 * task and collects the same bytes. */
static void local_sweep_runs_and_collects(void **state)
{
    fixture *fx = *state;
    char *out;
    assert_int_equal(sublim(&out, "sweep", GRID, "--data", fx->data, "--out", fx->out, NULL), 0);
    tu_assert_contains(out, "[1/8] task 0: m=1,width=8 seed 0\n");
    tu_assert_contains(out, "[8/8] task 7: m=3,width=16 seed 1, ETA ");
    tu_assert_contains(out, "8 task(s) in ");
    tu_assert_contains(out, "student_aux_same    student_aux_cross\nm=1,width=8      2     0.");
    tu_assert_contains(out, "\nm=3,width=16     2     0.");
    tu_assert_contains(out, "/sw/sweep.csv");
    free(out);
    const char *files[] = {SWEEP_PLAN_FILE, SWEEP_CSV, SWEEP_SUMMARY_CSV, SWEEP_FIGURE,
                           SWEEP_REPORT, "points/m=3,width=16/report.md",
                           "tasks/m=1,width=8/seed-1/results.csv"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (!files_exists(tu_path(fx->out, files[i])))
            fail_msg("no %s", files[i]);
    char *csv = tu_slurp(tu_path(fx->out, SWEEP_CSV), NULL);
    EXPECT(1, W("seed-0/results.csv already holds results", "--resume"), "sweep", GRID,
           "--data", fx->data, "--out", fx->out);
    assert_int_equal(sublim(&out, "sweep", GRID, "--data", fx->data, "--out", fx->out,
                            "--resume", NULL),
                     0);
    assert_int_equal(tu_count(out, "finished, kept"), 8);
    free(out);
    char *again = tu_slurp(tu_path(fx->out, SWEEP_CSV), NULL);
    assert_string_equal(again, csv);
    free(again);
    free(csv);
    EXPECT(1, W("holds another sweep", "m.2=3", "m.2=5"), "sweep", "--m", "1,5", "--width",
           "8,16", "--seeds", "2", "--epochs", "2", "--student-epochs", "1", "--batch", "32",
           "--lr", "1e-2", "--data", fx->data, "--out", fx->out, "--task", "0");
}

/* Waits for pid; fails unless it exited 0. */
static void wait_ok(pid_t pid)
{
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail_msg("a task exited with status %d", status);
}

/* The same sweep as --task processes two at a time, and as Slurm array
 * jobs of three tasks: missing tasks named until all ran, then the same
 * sweep.csv and summary.csv as the local run's. */
static void tasks_apart_collect_the_same_bytes(void **state)
{
    fixture *fx = *state;
    char local[300], apart[300], jobs[300], task[2][8];
    snprintf(local, sizeof local, "%s/local", fx->d.dir);
    snprintf(apart, sizeof apart, "%s/apart", fx->d.dir);
    snprintf(jobs, sizeof jobs, "%s/jobs", fx->d.dir);
    EXPECT(0, W("sweep.csv"), "sweep", GRID, "--data", fx->data, "--out", local, "--quiet");
    const char *const head[] = {"sweep", GRID, "--data", fx->data, "--out", apart, "--task", NULL};
    for (int t = 0; t < 6; t += 2) {
        pid_t pid[2];
        for (int k = 0; k < 2; k++) {
            snprintf(task[k], sizeof task[k], "%d", t + k);
            pid[k] = tu_start_sublim(head, W(task[k]), NULL);
        }
        wait_ok(pid[0]);
        wait_ok(pid[1]);
    }
    char *out;
    assert_int_equal(sublim(&out, "sweep", "--collect", apart, NULL), 1);
    tu_assert_contains(out, "missing: 6 m=3,width=16 0\nmissing: 7 m=3,width=16 1\n");
    tu_assert_contains(out, "2 of its 8 tasks are not finished");
    free(out);
    EXPECT(0, W("ran tasks 6 to 7 of 8"), "sweep", GRID, "--data", fx->data, "--out", apart,
           "--task", "3", "--tasks-per-job", "2");
    EXPECT(0, W("sweep.csv"), "sweep", "--collect", apart);

    const char *ids[] = {"0", "1", "2"};
    for (size_t j = 0; j < 3; j++) {
        setenv("SLURM_ARRAY_TASK_ID", ids[j], 1);
        EXPECT(0, W("ran tasks"), "sweep", GRID, "--data", fx->data, "--out", jobs,
               "--tasks-per-job", "3", "--quiet");
    }
    unsetenv("SLURM_ARRAY_TASK_ID");
    EXPECT(0, W("sweep.csv"), "sweep", "--collect", jobs);
    const char *tables[] = {SWEEP_CSV, SWEEP_SUMMARY_CSV};
    for (size_t i = 0; i < 2; i++) {
        tu_assert_same_file(tu_path(local, tables[i]), tu_path(apart, tables[i]));
        tu_assert_same_file(tu_path(local, tables[i]), tu_path(jobs, tables[i]));
    }
}

/* Collecting what is no sweep, or a damaged one: exit 1 naming it. */
static void collect_refusals_exit_1(void **state)
{
    fixture *fx = *state;
    EXPECT(1, W(fx->d.dir, "no sweep.txt: not a sweep folder"), "sweep", "--collect",
           fx->d.dir);
    EXPECT(0, W("ran tasks 0 to 7"), "sweep", GRID, "--data", fx->data, "--out", fx->out,
           "--task", "0", "--tasks-per-job", "8", "--quiet");
    tu_write_file(tu_path(fx->out, "tasks/m=3,width=8/seed-1/results.csv"), "junk\n", 5);
    EXPECT(1, W("seed-1/results.csv", "not a sublim results.csv"), "sweep", "--collect",
           fx->out);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(help_lists_every_flag),
        T(list_prints_the_tasks),
        T(bad_flags_exit_2),
        T(local_sweep_runs_and_collects),
        T(tasks_apart_collect_the_same_bytes),
        T(collect_refusals_exit_1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
