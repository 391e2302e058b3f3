/* record: an experiment run, recorded in a result folder as it goes.
 *
 * Keeps a long run safe:
 *  - results.csv and curves.csv are rewritten (atomically) after every
 *    seed, so a run killed at any moment keeps the seeds it finished;
 *  - resume keeps those seeds and runs only the others (folder_resume):
 *    results.csv and curves.csv then end byte-identical to an
 *    uninterrupted run's; run.txt keeps the earlier runs' blocks and gets
 *    one for this run, whose seeds= lists the seeds it ran;
 *  - a folder that holds results is refused unless the run resumes them or
 *    is forced to replace them;
 *  - teachers can be loaded from and saved to checkpoints (run/teachers.h).
 * At the end: summary.json, the figures and report.md (out/report.h). */
#ifndef SUBLIM_RECORD_H
#define SUBLIM_RECORD_H

#include <stddef.h>
#include <stdio.h>
#include "base/err.h"
#include "base/pool.h"
#include "nn/idx.h"
#include "out/folder.h"
#include "out/progress.h"
#include "out/results.h"
#include "run/experiment.h"

typedef struct {
    experiment_config cfg;
    const char *data_dir;     /* where train and test came from (config.txt, run.txt) */
    const dataset *other;     /* --student-inputs mnist|fashion: that dataset's training
                                 set (borrowed); else NULL */
    int resume;               /* keep the seeds an earlier run of cfg finished here */
    int force;                /* replace the results the folder holds */
    const char *load_teacher; /* checkpoint files, or NULL */
    const char *save_teacher;
    FILE *log;                /* progress and notices (stderr); NULL: none */
    enum progress_mode progress;
    int quiet;                /* no notices either */
    int argc;                 /* the command line, for run.txt */
    char **argv;
} record_options;

typedef struct {
    arm_summary sum[EXPERIMENT_MAX_ARMS];
    size_t kept;          /* seeds kept from earlier runs */
    double wall_seconds;
    int resumable;        /* on failure: finished seeds are saved; resume goes on */
} record_outcome;

/* Runs the experiment into f (opened with folder_open). */
int record_experiment(const folder *f, const record_options *o, const dataset *train,
                      const dataset *test, pool *p, record_outcome *out, err *e);

#endif
