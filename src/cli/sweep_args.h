/* sweep_args: the command line of `sublim sweep`, read into a plan.
 *
 * Every experiment setting with a flag takes a comma list or a range
 * (run/sweep.h); its text is read first (a table of text flags made from
 * experiment_settings(), same names and help), then becomes an axis.  A
 * setting given one value (or left at its default) is not swept: the
 * value goes into the base every point shares, so the plan's axes, the
 * point names and sweep.csv's columns are exactly the settings that vary.
 * --seeds and --seed-start are single numbers: every point runs them. */
#ifndef SUBLIM_SWEEP_ARGS_H
#define SUBLIM_SWEEP_ARGS_H

#include <stddef.h>
#include "cli/commands.h"
#include "run/sweep.h"

typedef struct {
    sweep_plan plan;
    cmd_run_flags run;    /* --threads, --data, --out */
    int resume, force, quiet, list;
    size_t tasks_per_job; /* --task J runs tasks J·K ... J·K + K - 1 */
    const char *task;     /* --task J as given, or NULL */
    const char *collect;  /* --collect DIR, or NULL */
} sweep_args;

/* Parses argv (the arguments after "sweep") into a: -1 to go on, else the
 * exit code (0 after --help; 2 after printing a flag's error: an unknown
 * or repeated flag, a bad list, a grid over SWEEP_SANE_TASKS without
 * --force, modes that exclude each other). */
int sweep_args_parse(int argc, char **argv, sweep_args *a);

/* The tasks to run: those of the job --task J names, or else
 * SLURM_ARRAY_TASK_ID names, in [*first, *first + *count); every task
 * when neither is given (*local set).  0, or 2 after printing why the job
 * is out of range or not a number. */
int sweep_args_job(const sweep_args *a, int *local, size_t *first, size_t *count);

#endif
