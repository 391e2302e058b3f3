/* Tests of out/sweep.h, a sweep's folder, on synthetic data: the plan
 * (sweep.txt) written, read back and refused when it is another sweep's,
 * other data's or not one a sweep writes; tasks run, kept, refused and
 * missing; collect refuses missing, foreign and damaged tasks without
 * losing what it wrote before, and gives the same bytes however the tasks
 * ran (one call, one at a time backwards, two processes at once). */
#include "tu_data.h"

#include <sys/stat.h>
#include "base/pool.h"
#include "out/config.h"
#include "out/folder.h"
#include "out/kv.h"
#include "out/sweep.h"
#include "run/sweep.h"

typedef struct {
    tu_dir d;
    dataset train, test;
    sweep_plan plan;
} fixture;

/* m ∈ {1, 3} × width ∈ {8, 16}, seeds 3 and 4: 8 tasks of a tiny network
 * on quadrant images, curves measured. */
static void tiny_plan(sweep_plan *p)
{
    experiment_config base = experiment_defaults();
    base.seeds = 2;
    base.seed_start = 3;
    base.teacher_epochs = 2;
    base.student_epochs = 1;
    base.batch = 32;
    base.lr = 1e-2;
    base.curves = 1;
    sweep_plan_init(p, &base);
    err e;
    assert_int_equal(sweep_add_axis(p, "m", "1,3", &e), 0);
    assert_int_equal(sweep_add_axis(p, "width", "8,16", &e), 0);
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    void *d = &fx->d;
    if (!fx || tu_dir_setup(&d))
        return -1;
    fx->d = *(tu_dir *)d;
    free(d);
    tu_make_quadrants(&fx->train, 200, 1);
    tu_make_quadrants(&fx->test, 120, 2);
    tiny_plan(&fx->plan);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    dataset_free(&fx->train);
    dataset_free(&fx->test);
    tu_dir *d = malloc(sizeof *d);
    *d = fx->d;
    void *s = d;
    free(fx);
    return tu_dir_teardown(&s);
}

/* buf = fx->d.dir/name, the sweep folder of a test. */
typedef char dir_name[600];
static const char *sw(fixture *fx, const char *name, dir_name buf)
{
    snprintf(buf, sizeof(dir_name), "%s/%s", fx->d.dir, name);
    return buf;
}

static void write_plan_ok(fixture *fx, const char *dir, const sweep_plan *p)
{
    err e = {{0}};
    if (sweep_write_plan(dir, p, &fx->train, &fx->test, NULL, &e))
        fail_msg("sweep_write_plan: %s", e.msg);
}

/* buf = the folder "sw" of the test, with fx->plan's sweep.txt. */
static const char *planned(fixture *fx, dir_name buf)
{
    sw(fx, "sw", buf);
    write_plan_ok(fx, buf, &fx->plan);
    return buf;
}

/* Runs tasks [first, first + count) of fx->plan into dir (1 thread). */
static int run_tasks(fixture *fx, const char *dir, size_t first, size_t count, int resume,
                     int force, err *e)
{
    char *argv[] = {"sublim", "sweep", "(test)"};
    sweep_run_options o = {.data_dir = "/nonexistent", .resume = resume, .force = force,
                           .argc = 3, .argv = argv};
    pool *pl = pool_create(1);
    assert_non_null(pl);
    int rc = sweep_run_tasks(dir, &fx->plan, first, count, &o, &fx->train, &fx->test, pl, e);
    pool_free(pl);
    return rc;
}

static void run_ok(fixture *fx, const char *dir, size_t first, size_t count, int resume)
{
    err e = {{0}};
    if (run_tasks(fx, dir, first, count, resume, 0, &e))
        fail_msg("sweep_run_tasks: %s", e.msg);
}

/* The tasks sweep_missing finds, as "0 1 5". */
static void assert_missing(const char *dir, const sweep_plan *p, const char *want)
{
    size_t *missing, n;
    char got[256] = "";
    err e = {{0}};
    if (sweep_missing(dir, p, &missing, &n, &e))
        fail_msg("sweep_missing: %s", e.msg);
    for (size_t i = 0; i < n; i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%zu", i ? " " : "", missing[i]);
    free(missing);
    assert_string_equal(got, want);
}

/* buf = the path of task t's file name. */
typedef char path_name[1024];
static const char *task_file(const char *dir, const sweep_plan *p, size_t t, const char *name,
                             path_name buf)
{
    char task[800];
    err e;
    assert_int_equal(sweep_task_dir(dir, p, t, task, sizeof task, &e), 0);
    snprintf(buf, sizeof(path_name), "%s/%s", task, name);
    return buf;
}

/* The file at path with its first `from` replaced by `to`. */
static void edit_file(const char *path, const char *from, const char *to)
{
    char *text = tu_slurp(path, NULL), *at = strstr(text, from), out[16384];
    assert_non_null(at);
    int n = snprintf(out, sizeof out, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    tu_write_file(path, out, (size_t)n);
    free(text);
}

/* ---- the plan ---- */

/* What is written reads back as the same plan; the file lists a swept
 * setting's values one per line; the same plan written again is fine and
 * leaves the file as it was. */
static void plan_round_trip(void **state)
{
    fixture *fx = *state;
    dir_name dir_buf;
    const char *dir = planned(fx, dir_buf);
    char *text = tu_slurp(tu_path(dir, SWEEP_PLAN_FILE), NULL);
    tu_assert_contains(text, "\nseeds=2\nseed_start=3\n");
    tu_assert_contains(text, "\nm.1=1\nm.2=3\nwidth.1=8\nwidth.2=16\n");
    tu_assert_contains(text, "\nlr=0.01\n");
    assert_null(strstr(text, "\nm=")); /* a swept setting has no base line */
    tu_assert_contains(text, "data_read.train=");

    sweep_plan back;
    err e = {{0}};
    if (sweep_read_plan(dir, &back, &e))
        fail_msg("sweep_read_plan: %s", e.msg);
    assert_int_equal(back.n_axes, 2);
    for (size_t a = 0; a < 2; a++) {
        assert_ptr_equal(back.axes[a].s, fx->plan.axes[a].s);
        assert_int_equal(back.axes[a].n, 2);
        for (size_t k = 0; k < 2; k++)
            assert_string_equal(back.axes[a].values[k], fx->plan.axes[a].values[k]);
    }
    back.base.curves = fx->plan.base.curves; /* no setting: not in the file */
    back.base.m = fx->plan.base.m;           /* swept: the base's is unused */
    back.base.width = fx->plan.base.width;
    /* student_start has padding its codec leaves unset: compared by value. */
    assert_int_equal(back.base.student_init.kind, fx->plan.base.student_init.kind);
    assert_true(back.base.student_init.alpha == fx->plan.base.student_init.alpha);
    memcpy(&back.base.student_init, &fx->plan.base.student_init, sizeof back.base.student_init);
    assert_int_equal(memcmp(&back.base, &fx->plan.base, sizeof back.base), 0);

    write_plan_ok(fx, dir, &fx->plan);
    char *again = tu_slurp(tu_path(dir, SWEEP_PLAN_FILE), NULL);
    assert_string_equal(again, text);
    assert_int_equal(tu_count_temporaries(dir), 0);
    free(text);
    free(again);
}

/* Fails unless sweep_write_plan(p) into dir is refused with every word,
 * leaving sweep.txt as it was. */
static void assert_write_refused(fixture *fx, const char *dir, const sweep_plan *p,
                                 const dataset *train, const char *const *words)
{
    char *before = tu_slurp(tu_path(dir, SWEEP_PLAN_FILE), NULL);
    err e = {{0}};
    assert_int_equal(sweep_write_plan(dir, p, train, &fx->test, NULL, &e), -1);
    for (; *words; words++)
        tu_assert_contains(e.msg, *words);
    char *after = tu_slurp(tu_path(dir, SWEEP_PLAN_FILE), NULL);
    assert_string_equal(after, before);
    free(before);
    free(after);
}
#define W(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Another grid, other seeds, other settings or other data are another
 * sweep: refused, naming the line that differs. */
static void plan_of_another_sweep_refused(void **state)
{
    fixture *fx = *state;
    dir_name dir_buf;
    const char *dir = planned(fx, dir_buf);
    err e;
    sweep_plan other = fx->plan;
    snprintf(other.axes[0].values[1], SWEEP_VALUE_SIZE, "5");
    assert_write_refused(fx, dir, &other, &fx->train,
                         W("holds another sweep", "m.2=3", "m.2=5", "another --out"));
    other = fx->plan;
    other.base.seeds = 3;
    assert_write_refused(fx, dir, &other, &fx->train, W("seeds=2", "seeds=3"));
    other = fx->plan;
    assert_int_equal(sweep_add_axis(&other, "lr", "1e-2,1e-3", &e), 0);
    assert_write_refused(fx, dir, &other, &fx->train, W("lr"));
    dataset train2;
    tu_make_quadrants(&train2, 200, 9);
    assert_write_refused(fx, dir, &fx->plan, &train2, W("data_read.train"));
    dataset_free(&train2);
}

/* Fails unless reading dir's plan, with sweep.txt holding text, is
 * refused with every word. */
static void assert_read_refused(const char *dir, const char *text, const char *const *words)
{
    sweep_plan p;
    err e = {{0}};
    tu_write_file(tu_path(dir, SWEEP_PLAN_FILE), text, strlen(text));
    if (sweep_read_plan(dir, &p, &e) == 0)
        fail_msg("read a plan from:\n%s", text);
    for (; *words; words++)
        tu_assert_contains(e.msg, *words);
}

/* Only what a sweep writes is read as a plan: each change to the file is
 * refused, naming it. */
static void plan_not_written_by_a_sweep_refused(void **state)
{
    fixture *fx = *state;
    dir_name dir_buf;
    const char *dir = sw(fx, "sw", dir_buf);
    sweep_plan p;
    err e = {{0}};
    assert_int_equal(mkdir(dir, 0755), 0);
    assert_int_equal(sweep_read_plan(dir, &p, &e), -1);
    tu_assert_contains(e.msg, "no sweep.txt: not a sweep folder");
    write_plan_ok(fx, dir, &fx->plan);
    char *good = tu_slurp(tu_path(dir, SWEEP_PLAN_FILE), NULL), text[8192];
    const struct {
        const char *from, *to;
        const char *const *words;
    } edits[] = {
        {"m.2=3", "m.2=03", W("not a plan sweep wrote", "m.2=03")},
        {"m.2=3", "m.2=1", W("m.2", "1 given twice")},
        {"m.2=3", "m.2=0", W("m.2", "out of range")},
        {"m.2=3", "m.2=3,5", W("m.2", "one value per line")},
        {"width.1=8\nwidth.2=16", "x=1", W("no 'width'", "not a sweep plan")},
        {"lr=0.01", "lr=0.01\nextra=1", W("not a plan sweep wrote", "extra")},
        {"lr=0.01", "lr=fast", W("lr", "'fast' is not a number")},
        {"seeds=2", "seeds=2\nseeds=2", W("'seeds' given twice")},
        {"seeds=2", "seeds=2\nnot a line", W("expected key=value")},
        {"optimizer=adam", "optimizer=sgd", W("not a plan sweep wrote", "optimizer")},
        {"data_read.test=", "data_read.tst=", W("no data read")},
    };
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        const char *at = strstr(good, edits[i].from);
        assert_non_null(at);
        snprintf(text, sizeof text, "%.*s%s%s", (int)(at - good), good, edits[i].to,
                 at + strlen(edits[i].from));
        assert_read_refused(dir, text, edits[i].words);
    }
    free(good);
}

/* ---- tasks ---- */

/* Each task writes its own result folder of one seed; missing are the
 * others; without --resume or --force a task folder with results stops
 * the run before any task runs; --resume keeps the finished ones as they
 * were and runs the rest; --force runs them again. */
static void tasks_run_kept_and_missing(void **state)
{
    fixture *fx = *state;
    dir_name dir_buf;
    const char *dir = planned(fx, dir_buf);
    path_name results, config, runs;
    err e = {{0}};
    assert_missing(dir, &fx->plan, "0 1 2 3 4 5 6 7");
    run_ok(fx, dir, 2, 3, 0);
    assert_missing(dir, &fx->plan, "0 1 5 6 7");
    char *rows = tu_slurp(task_file(dir, &fx->plan, 3, FOLDER_RESULTS, results), NULL);
    tu_assert_contains(rows, "\n4,teacher,"); /* task 3: point 1, seed 3 + 1 */
    assert_null(strstr(rows, "\n3,"));
    char *text = tu_slurp(task_file(dir, &fx->plan, 3, FOLDER_CONFIG, config), NULL);
    tu_assert_contains(text, "\nm=1\nwidth=16\n");
    free(text);

    assert_int_equal(run_tasks(fx, dir, 0, 8, 0, 0, &e), -1);
    tu_assert_contains(e.msg, "seed-3/results.csv already holds results");
    tu_assert_contains(e.msg, "--resume");
    assert_missing(dir, &fx->plan, "0 1 5 6 7"); /* task 0 did not run */

    /* A mark in run.txt tells a kept task from one run again. */
    task_file(dir, &fx->plan, 3, FOLDER_RUNS, runs);
    edit_file(runs, "\ncpu=", "\ncpu=marked ");
    run_ok(fx, dir, 0, 8, 1);
    assert_missing(dir, &fx->plan, "");
    text = tu_slurp(runs, NULL);
    tu_assert_contains(text, "cpu=marked");
    free(text);
    if (run_tasks(fx, dir, 3, 1, 0, 1, &e))
        fail_msg("--force: %s", e.msg);
    text = tu_slurp(runs, NULL);
    assert_null(strstr(text, "cpu=marked"));
    free(text);
    text = tu_slurp(results, NULL);
    assert_string_equal(text, rows); /* the same seed's same rows */
    free(text);
    free(rows);
}

/* ---- collect ---- */

static void collect_ok(const char *dir);

static void collect_ok(const char *dir)
{
    err e = {{0}};
    if (sweep_collect(dir, NULL, &e))
        fail_msg("sweep_collect: %s", e.msg);
}

/* buf = the folder "sw" of the test with every task of fx->plan run
 * and collected. */
static const char *collected(fixture *fx, dir_name buf)
{
    planned(fx, buf);
    run_ok(fx, buf, 0, 8, 0);
    collect_ok(buf);
    return buf;
}

/* sweep.csv is results.csv's rows with the point's columns before them,
 * point by point; summary.csv each point's arms; each point is an
 * ordinary result folder of every seed. */
static void collect_writes_the_tables(void **state)
{
    fixture *fx = *state;
    dir_name dir_buf;
    const char *dir = collected(fx, dir_buf);
    char *csv = tu_slurp(tu_path(dir, SWEEP_CSV), NULL);
    const char *head = "point,m,width," RESULTS_CSV_HEADER "\n";
    assert_true(strncmp(csv, head, strlen(head)) == 0);
    size_t n_arms = experiment_arms_run(&fx->plan.base, NULL); /* no arm swept in or out */
    assert_int_equal(tu_count(csv, "\n"), 1 + 8 * n_arms);
    /* Task 2 (point m=1,width=16, seed 3): its rows, after its columns. */
    path_name path;
    char *task_rows = tu_slurp(task_file(dir, &fx->plan, 2, FOLDER_RESULTS, path), NULL);
    char want[4096];
    const char *rows = strchr(task_rows, '\n') + 1;
    size_t at = 0;
    for (const char *line = rows; *line; line = strchr(line, '\n') + 1)
        at += (size_t)snprintf(want + at, sizeof want - at, "\"m=1,width=16\",1,16,%.*s",
                               (int)(strchr(line, '\n') - line + 1), line);
    tu_assert_contains(csv, want);
    free(task_rows);

    char *sum = tu_slurp(tu_path(dir, SWEEP_SUMMARY_CSV), NULL);
    head = "point,m,width,arm,n,mean,sd,ci95,min,max,failed\n";
    assert_true(strncmp(sum, head, strlen(head)) == 0);
    assert_int_equal(tu_count(sum, "\n"), 1 + 4 * n_arms);
    tu_assert_contains(sum, "\n\"m=3,width=16\",3,16,teacher,2,0.");

    folder f;
    folder_content c;
    err e = {{0}};
    assert_int_equal(folder_open_read(&f, tu_path(dir, "points/m=3,width=16"), &e), 0);
    assert_int_equal(folder_read(&f, &c, &e), 0);
    folder_close(&f);
    assert_int_equal(c.n_seeds, 2);
    assert_int_equal(c.cfg.m, 3);
    assert_int_equal(c.cfg.width, 16);
    char line[256];
    snprintf(line, sizeof line, "\n\"m=3,width=16\",3,16,teacher,2,%.6f,%.6f,%.6f,%.6f,%.6f,0\n",
             c.sum[1].acc.mean, c.sum[1].acc.sd, c.sum[1].acc.ci95, c.sum[1].min, c.sum[1].max);
    tu_assert_contains(sum, line);
    folder_content_free(&c);
    free(sum);
    free(csv);
}

/* The same tables from one call, from every task alone backwards, and
 * from two processes at once (each writing the plan); collecting twice
 * changes nothing. */
static void collect_is_the_same_however_tasks_ran(void **state)
{
    fixture *fx = *state;
    dir_name b1, b2, b3;
    const char *one = sw(fx, "one", b1), *back = sw(fx, "back", b2), *two = sw(fx, "two", b3);
    write_plan_ok(fx, one, &fx->plan);
    run_ok(fx, one, 0, 8, 0);
    collect_ok(one);
    write_plan_ok(fx, back, &fx->plan);
    for (size_t t = 8; t-- > 0;)
        run_ok(fx, back, t, 1, 0);
    collect_ok(back);
    pid_t kids[2];
    for (int k = 0; k < 2; k++)
        if ((kids[k] = tu_fork()) == 0) {
            err e;
            _exit(sweep_write_plan(two, &fx->plan, &fx->train, &fx->test, NULL, &e) ||
                  run_tasks(fx, two, 4 * (size_t)k, 4, 0, 0, &e));
        }
    for (int k = 0; k < 2; k++) {
        int status;
        assert_int_equal(waitpid(kids[k], &status, 0), kids[k]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    collect_ok(two);
    const char *files[] = {SWEEP_CSV, SWEEP_SUMMARY_CSV};
    for (size_t i = 0; i < 2; i++) {
        tu_assert_same_file(tu_path(one, files[i]), tu_path(back, files[i]));
        tu_assert_same_file(tu_path(one, files[i]), tu_path(two, files[i]));
    }
    char *before = tu_slurp(tu_path(one, SWEEP_CSV), NULL);
    collect_ok(one);
    char *after = tu_slurp(tu_path(one, SWEEP_CSV), NULL);
    assert_string_equal(after, before);
    free(before);
    free(after);
}

/* Fails unless collecting dir is refused with every word, leaving the
 * tables it wrote before as they were. */
static void assert_collect_refused(const char *dir, const char *const *words)
{
    char *csv = tu_slurp(tu_path(dir, SWEEP_CSV), NULL);
    char *sum = tu_slurp(tu_path(dir, SWEEP_SUMMARY_CSV), NULL);
    err e = {{0}};
    assert_int_equal(sweep_collect(dir, NULL, &e), -1);
    for (; *words; words++)
        tu_assert_contains(e.msg, *words);
    char *csv_after = tu_slurp(tu_path(dir, SWEEP_CSV), NULL);
    char *sum_after = tu_slurp(tu_path(dir, SWEEP_SUMMARY_CSV), NULL);
    assert_string_equal(csv_after, csv);
    assert_string_equal(sum_after, sum);
    free(csv);
    free(sum);
    free(csv_after);
    free(sum_after);
}

/* Missing, foreign (another configuration, another seed) and damaged
 * tasks are refused, naming them; the tables already written stay. */
static void collect_refuses_missing_foreign_and_damaged(void **state)
{
    fixture *fx = *state;
    dir_name dir_buf;
    const char *dir = collected(fx, dir_buf);

    path_name results, config;
    task_file(dir, &fx->plan, 5, FOLDER_RESULTS, results);
    char *saved = tu_slurp(results, NULL);
    assert_int_equal(rename(results, tu_path(dir, "saved.csv")), 0);
    assert_collect_refused(dir, W("1 of its 8 tasks", "task 5, m=3,width=8 seed 4"));
    assert_int_equal(rename(tu_path(dir, "saved.csv"), results), 0);

    task_file(dir, &fx->plan, 5, FOLDER_CONFIG, config);
    edit_file(config, "\nm=3\n", "\nm=2\n");
    assert_collect_refused(dir, W("seed-4/config.txt: m=2", "point m=3,width=8", "m=3"));
    edit_file(config, "\nm=2\n", "\nm=3\n");
    /* Rows of other data, though the folder agrees with itself. */
    path_name runs;
    task_file(dir, &fx->plan, 5, FOLDER_RUNS, runs);
    edit_file(config, "data_read.test=", "data_read.test=0");
    edit_file(runs, "data_read.test=", "data_read.test=0");
    assert_collect_refused(dir, W("seed-4/config.txt: data_read.test=0"));
    edit_file(config, "data_read.test=0", "data_read.test=");
    edit_file(runs, "data_read.test=0", "data_read.test=");

    edit_file(results, "\n4,", "\n5,"); /* a row of another seed */
    assert_collect_refused(dir, W("results.csv", "seed"));
    tu_write_file(results, saved, strlen(saved));
    edit_file(results, ",ok\n", ",fine\n");
    assert_collect_refused(dir, W("seed-4/results.csv:2", "unknown status"));
    tu_write_file(results, saved, strlen(saved));
    collect_ok(dir);
    free(saved);
}

/* A sweep with a trait (every point's: run/sweep reads "prefer:3" in a
 * list as a range, so --trait is not swept): each task records it,
 * sweep.csv quotes the task's rows with their trait columns, summary.csv
 * gets the trait rate's columns, each point's folder keeps them. */
static void collect_carries_the_trait(void **state)
{
    fixture *fx = *state;
    sweep_plan p;
    err e = {{0}};
    sweep_plan_init(&p, &fx->plan.base);
    p.base.seeds = 1;
    p.base.trait = (trait_spec){TRAIT_PREFER, 0, 3};
    if (sweep_add_axis(&p, "m", "1,3", &e))
        fail_msg("m axis: %s", e.msg);
    fx->plan = p;
    dir_name dir_buf;
    const char *dir = planned(fx, dir_buf);
    char *plan = tu_slurp(tu_path(dir, SWEEP_PLAN_FILE), NULL);
    tu_assert_contains(plan, "\ntrait=prefer:3\n");
    free(plan);
    run_ok(fx, dir, 0, 2, 0);
    collect_ok(dir);
    path_name path;
    char *config = tu_slurp(task_file(dir, &p, 1, FOLDER_CONFIG, path), NULL);
    tu_assert_contains(config, "\ntrait=prefer:3\n");
    free(config);

    char *csv = tu_slurp(tu_path(dir, SWEEP_CSV), NULL);
    const char *head = "point,m," RESULTS_CSV_HEADER "," RESULTS_CSV_TRAIT_COLUMNS "\n";
    assert_true(strncmp(csv, head, strlen(head)) == 0);
    char *task = tu_slurp(task_file(dir, &p, 1, FOLDER_RESULTS, path), NULL);
    assert_true(strncmp(task, head + strlen("point,m,"), strlen(head + strlen("point,m,"))) == 0);
    char want[4096];
    size_t at = 0;
    for (const char *line = strchr(task, '\n') + 1; *line; line = strchr(line, '\n') + 1)
        at += (size_t)snprintf(want + at, sizeof want - at, "m=3,3,%.*s",
                               (int)(strchr(line, '\n') - line + 1), line);
    tu_assert_contains(csv, want);
    tu_assert_contains(csv, "\nm=3,3,3,trait_teacher,");
    free(task);
    free(csv);

    char *sum = tu_slurp(tu_path(dir, SWEEP_SUMMARY_CSV), NULL);
    tu_assert_contains(sum, "failed,trait_mean,trait_ci95\n");
    tu_assert_contains(sum, "\nm=1,1,trait_teacher,1,");
    free(sum);
    char *point = tu_slurp(tu_path(dir, "points/m=1/" FOLDER_RESULTS), NULL);
    tu_assert_contains(point, "," RESULTS_CSV_TRAIT_COLUMNS "\n");
    free(point);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(plan_round_trip),
        T(plan_of_another_sweep_refused),
        T(plan_not_written_by_a_sweep_refused),
        T(tasks_run_kept_and_missing),
        T(collect_writes_the_tables),
        T(collect_is_the_same_however_tasks_ran),
        T(collect_refuses_missing_foreign_and_damaged),
        T(collect_carries_the_trait),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
