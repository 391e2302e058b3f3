/* sublim sweep: the experiment over a grid of settings, run here, as
 * separate tasks (--task, a Slurm array) or collected (--collect); the
 * flags are read in sweep_args.c, the folder is out/sweep.h's. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include "base/clock.h"
#include "base/interrupt.h"
#include "cli/commands.h"
#include "cli/sweep_args.h"
#include "out/sweep.h"

/* --list: one line per task, INDEX POINT SEED. */
static int list_tasks(const sweep_plan *p)
{
    char name[1024];
    for (size_t t = 0; t < sweep_n_tasks(p); t++) {
        size_t point;
        uint64_t seed;
        sweep_task(p, t, &point, &seed);
        sweep_point_name(p, point, name, sizeof name);
        printf("%zu %s %" PRIu64 "\n", t, name, seed);
    }
    return 0;
}

/* Every missing task on stderr, as --list prints it; 1 if any (or when
 * they cannot be told). */
static int tell_missing(const char *dir, const sweep_plan *p)
{
    size_t *missing, n, point;
    uint64_t seed;
    char name[1024];
    err e;
    if (sweep_missing(dir, p, &missing, &n, &e)) {
        fprintf(stderr, "sublim sweep: %s\n", e.msg);
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        sweep_task(p, missing[i], &point, &seed);
        sweep_point_name(p, point, name, sizeof name);
        fprintf(stderr, "missing: %zu %s %" PRIu64 "\n", missing[i], name, seed);
    }
    if (n)
        fprintf(stderr, "sublim sweep: %s: %zu of its %zu tasks are not finished: run them "
                        "(--task, or the sweep again with --resume), then collect again\n",
                dir, n, sweep_n_tasks(p));
    free(missing);
    return n ? 1 : 0;
}

static int collect(const char *dir)
{
    sweep_plan p;
    err e;
    if (sweep_read_plan(dir, &p, &e)) {
        fprintf(stderr, "sublim sweep: %s\n", e.msg);
        return 1;
    }
    if (tell_missing(dir, &p))
        return 1;
    if (sweep_collect(dir, stdout, &e)) {
        fprintf(stderr, "sublim sweep: %s\n", e.msg);
        return 1;
    }
    printf("\ntable: %s/%s\nsummary: %s/%s\nfigure: %s/%s\nreport: %s/%s\npoints: %s/%s/\n",
           dir, SWEEP_CSV, dir, SWEEP_SUMMARY_CSV, dir, SWEEP_FIGURE, dir, SWEEP_REPORT, dir,
           SWEEP_POINTS_DIR);
    return 0;
}

/* The memory of the largest point's run of one seed. */
static size_t memory_needed(const sweep_plan *p, const dataset *train, const dataset *test)
{
    size_t need = 0;
    for (size_t point = 0; point < sweep_n_points(p); point++) {
        experiment_config cfg;
        sweep_point_config(p, point, &cfg);
        cfg.seeds = 1;
        size_t n = experiment_memory_bytes(&cfg, train, test);
        need = n > need ? n : need;
    }
    return need;
}

/* Runs the tasks [first, first + count) into OUT (the plan written or
 * checked first); a local sweep collects at the end. */
static int run_tasks(const sweep_args *a, sweep_run_options *o, size_t first, size_t count,
                     int local, const dataset *train, const dataset *test)
{
    const char *out = a->run.out_dir;
    err e;
    size_t other = o->other ? dataset_bytes(o->other) : 0;
    if (cmd_check_memory(memory_needed(&a->plan, train, test) + other, a->force,
                         "--width, --batch or --noise-images", a->quiet))
        return 1;
    pool *pl = cmd_make_pool(a->run.threads);
    if (!pl)
        return 1;
    double start = clock_seconds();
    int rc = sweep_write_plan(out, &a->plan, train, test, o->other, &e) ||
             sweep_run_tasks(out, &a->plan, first, count, o, train, test, pl, &e);
    pool_free(pl);
    if (rc) {
        fprintf(stderr, "sublim sweep: %s\n", e.msg);
        return 1;
    }
    double seconds = clock_seconds() - start;
    if (local) {
        if (!a->quiet)
            printf("%zu task(s) in %.1f s; results in %s/\n", count, seconds, out);
        return collect(out);
    }
    if (count == 1)
        printf("ran task %zu", first);
    else
        printf("ran tasks %zu to %zu", first, first + count - 1);
    printf(" of %zu in %.1f s; results in %s/ (then: sublim sweep --collect %s)\n",
           sweep_n_tasks(&a->plan), seconds, out, out);
    return 0;
}

/* The students' inputs of the plan's first point that takes them from
 * another dataset (one sweep is on one dataset, so there is one other),
 * else noise. */
static enum student_input_kind other_inputs(const sweep_plan *p)
{
    for (size_t point = 0; point < sweep_n_points(p); point++) {
        experiment_config cfg;
        enum dataset_kind d;
        sweep_point_config(p, point, &cfg);
        if (student_inputs_dataset(cfg.student_inputs, &d))
            return cfg.student_inputs;
    }
    return STUDENT_INPUTS_NOISE;
}

/* Runs the job the flags name (every task, then collect, by default). */
static int run(const sweep_args *a, int argc, char **argv)
{
    size_t first, count;
    int local, rc = sweep_args_job(a, &local, &first, &count);
    if (rc)
        return rc;
    sweep_run_options o = {.data_dir = a->run.data_dir, .resume = a->resume, .force = a->force,
                           .log = stderr, .quiet = a->quiet, .argc = argc + 2,
                           .argv = cmd_command_line("sweep", argc, argv)};
    dataset train, test, other;
    int has_other = 0;
    if (!o.argv) {
        fprintf(stderr, "sublim: out of memory\n");
        rc = 1;
    } else if (cmd_load_data(&a->run, &train, &test)) {
        rc = 1;
    } else if ((has_other = cmd_load_other(other_inputs(&a->plan), &other)) < 0) {
        dataset_free(&train);
        dataset_free(&test);
        rc = 1;
    } else {
        o.other = has_other ? &other : NULL;
        rc = run_tasks(a, &o, first, count, local, &train, &test);
        if (rc && interrupt_signal())
            cmd_tell_resume(cmd_program(argv), o.argc, o.argv, "tasks");
        dataset_free(&train);
        dataset_free(&test);
        if (has_other)
            dataset_free(&other);
    }
    free(o.argv);
    return rc;
}

int cmd_sweep(int argc, char **argv)
{
    sweep_args *a = malloc(sizeof *a);
    if (!a) {
        fprintf(stderr, "sublim: out of memory\n");
        return 1;
    }
    int rc = sweep_args_parse(argc, argv, a);
    if (rc < 0)
        rc = a->collect ? collect(a->collect) : a->list ? list_tasks(&a->plan) : run(a, argc, argv);
    free(a);
    return rc;
}
