/* sweep (out): a sweep's folder, its tasks run and collected.
 *
 * SW/ holds
 *   sweep.txt                  the plan: seeds and seed_start, every setting
 *                              as config.txt has it, except that a swept
 *                              setting has one line per value (m.1=1,
 *                              m.2=3, ...), and the data read
 *                              (data_read.train, data_read.test); a task or
 *                              a collect of another plan is refused;
 *   tasks/POINT/seed-S/        one ordinary result folder per task (one
 *                              seed), written only by that task, under its
 *                              own lock: any number of tasks can run at
 *                              once, on machines sharing the folder;
 *   points/POINT/              each point's seeds merged (collect): an
 *                              ordinary result folder (report, merge work);
 *   sweep.csv                  tidy: one row per (point, seed, arm), each
 *                              swept setting a column of its own;
 *   summary.csv                one row per (point, arm): n, mean, sd, ci95,
 *                              min, max, failed;
 *   sweep.svg, report.md       the figure and the reading;
 *   .lock                      held by a collect (one at a time).
 * Collecting gives the same bytes however the tasks ran (one process,
 * several, a Slurm array): only rows go into the files, never run facts.
 *
 * sweep.csv's columns: point (quoted: its name holds commas), one per swept
 * setting (the axes' order), then results.csv's own, each row formatted as
 * results.csv formats it; rows by point, seed, arm.  summary.csv's: point,
 * the swept settings, arm, n, mean, sd, ci95, min, max, failed, with the
 * numbers of summary.json (%.6f; mean to max empty when n is 0). */
#ifndef SUBLIM_SWEEP_OUT_H
#define SUBLIM_SWEEP_OUT_H

#include <stddef.h>
#include <stdio.h>
#include "base/err.h"
#include "base/pool.h"
#include "nn/idx.h"
#include "out/progress.h"
#include "out/results.h"
#include "run/sweep.h"

#define SWEEP_PLAN_FILE "sweep.txt"
#define SWEEP_CSV "sweep.csv"
#define SWEEP_SUMMARY_CSV "summary.csv"
#define SWEEP_FIGURE "sweep.svg"
#define SWEEP_REPORT "report.md"
#define SWEEP_TASKS_DIR "tasks"
#define SWEEP_POINTS_DIR "points"

/* How tasks run. */
typedef struct {
    const char *data_dir;     /* recorded in each task's config.txt and run.txt */
    const dataset *other;     /* the other dataset's training set, for points with
                                 --student-inputs mnist|fashion (else NULL) */
    int resume;               /* keep the tasks already finished */
    int force;                /* replace a task folder's results */
    FILE *log;                /* the sweep's progress line and notices (stderr), or NULL */
    int quiet;                /* no progress line (a task's warnings still go to log) */
    int argc;                 /* the command line, for each task's run.txt */
    char **argv;
} sweep_run_options;

/* Writes SW/sweep.txt for p on the data train/test (creating SW), or
 * checks that the one there is p's: another plan, or other data, is
 * refused naming the line that differs.  Safe for any number of tasks at
 * once: the first whole file stays (atomic_commit_new), the others check
 * theirs against it. */
int sweep_write_plan(const char *dir, const sweep_plan *p, const dataset *train,
                     const dataset *test, const dataset *other, err *e);
/* The plan of SW/sweep.txt (curves off in its base: they are no setting). */
int sweep_read_plan(const char *dir, sweep_plan *p, err *e);

/* SW/tasks/POINT/seed-S, the folder of task t. */
int sweep_task_dir(const char *dir, const sweep_plan *p, size_t task, char *buf, size_t size,
                   err *e);

/* Runs tasks [first, first + count) of p into SW (all threads of pool for
 * each; curves as p->base.curves says), one after the other; with resume,
 * a finished task is kept and an unfinished one resumed; without resume
 * or force, a task folder holding results is refused before any task
 * runs; force replaces them (as `experiment --force`). */
int sweep_run_tasks(const char *dir, const sweep_plan *p, size_t first, size_t count,
                    const sweep_run_options *o, const dataset *train, const dataset *test,
                    pool *pl, err *e);

/* The tasks of p whose folder does not hold their seed's rows (every
 * arm), in order: *missing (malloc'ed) gets *n of them.  A results.csv
 * that cannot be read, or that holds another seed, is an error. */
int sweep_missing(const char *dir, const sweep_plan *p, size_t **missing, size_t *n, err *e);

/* Collects SW (plan from sweep.txt): refuses (naming them) missing tasks,
 * and a task folder of another configuration or other data than its point
 * (foreign) or that cannot be read whole (damaged); merges each point's
 * tasks into points/POINT/; writes sweep.csv, summary.csv, sweep.svg and
 * report.md.  Idempotent; on failure the files written before stay.  With
 * table, prints there the effect per point (each aux student's mean and
 * 95% CI, from the shared and from the other init). */
int sweep_collect(const char *dir, FILE *table, err *e);

/* ---- for the figure and the report ---- */

/* What collect knows of one point. */
typedef struct {
    arm_summary sum[EXPERIMENT_MAX_ARMS];
} sweep_point_result;

#endif
