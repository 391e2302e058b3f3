/* folder: the owner of a result folder, OUT/.
 *
 * Every file in OUT/ is read and written through here:
 *   results.csv  one row per seed × arm: the source of truth (results.h);
 *   curves.csv   loss and test accuracy per trained arm and epoch (curves.h;
 *                absent after a --no-curves run);
 *   alignment.csv  the students' alignment with their teacher through
 *                training (align_csv.h; absent after a --no-curves run and
 *                in a folder made before it existed);
 *   classes.csv  each ok row's test predictions per digit (classes.h; absent
 *                in a folder made before it existed);
 *   samples.pgm  a few training digits and noise images of the first seed,
 *                as the networks see them (samples.h);
 *   config.txt   what the rows depend on: settings, data read, data sums (config.h);
 *   run.txt      how each run that produced rows went (runlog.h);
 *   theorem.csv, theorem.json, theorem.txt, theorem_layers.csv   written
 *                by `sublim theorem` (theorem.txt: the configuration the
 *                table was made with; theorem_layers.csv: its cosines per
 *                layer);
 *   summary.json, figure.svg, curves.svg, alignment.svg, report.md, report.html   derived
 *                from the above;
 *   .lock        the lock (below);
 *   .staging/, .switching/   new files on their way in (folder_switch).
 *
 * A process that writes holds the folder's lock, OUT/.lock (base/lock.h:
 * released by the kernel however the process ends): a second writer is
 * refused at once, naming the holder's pid.  Every file is written to a
 * temporary named with its writer's pid and renamed into place
 * (base/atomic.h); whoever opens the folder removes the temporaries of
 * writers that are gone, never a live one's. */
#ifndef SUBLIM_FOLDER_H
#define SUBLIM_FOLDER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "base/err.h"
#include "base/files.h"
#include "out/align_csv.h"
#include "out/curves.h"
#include "out/kv.h"
#include "out/results.h"
#include "run/experiment.h"

#define FOLDER_RESULTS "results.csv"
#define FOLDER_CURVES "curves.csv"
#define FOLDER_ALIGNMENT "alignment.csv"
#define FOLDER_CONFIG "config.txt"
#define FOLDER_RUNS "run.txt"
#define FOLDER_SUMMARY "summary.json"
#define FOLDER_THEOREM_CSV "theorem.csv"
#define FOLDER_THEOREM_JSON "theorem.json"
#define FOLDER_THEOREM_CONFIG "theorem.txt"
#define FOLDER_THEOREM_LAYERS "theorem_layers.csv"
/* What `sublim theorem` writes, all in one step. */
#define FOLDER_THEOREM_FILES \
    FOLDER_THEOREM_CSV, FOLDER_THEOREM_JSON, FOLDER_THEOREM_CONFIG, FOLDER_THEOREM_LAYERS
#define FOLDER_FIGURE "figure.svg"
#define FOLDER_CURVES_FIGURE "curves.svg"
#define FOLDER_ALIGNMENT_FIGURE "alignment.svg"
#define FOLDER_REPORT "report.md"
#define FOLDER_REPORT_HTML "report.html"
#define FOLDER_CLASSES "classes.csv"
#define FOLDER_SAMPLES "samples.pgm"
#define FOLDER_LOCK ".lock"

/* What is derived from the results (`sublim report` redoes them). */
#define FOLDER_DERIVED \
    FOLDER_SUMMARY, FOLDER_FIGURE, FOLDER_CURVES_FIGURE, FOLDER_ALIGNMENT_FIGURE, \
        FOLDER_REPORT, FOLDER_REPORT_HTML
/* The files of one experiment: its results, what they depend on and what
 * is derived from them (not theorem.*: `sublim theorem` writes those). */
#define FOLDER_RUN_FILES                                                              \
    FOLDER_RESULTS, FOLDER_CURVES, FOLDER_ALIGNMENT, FOLDER_CLASSES, FOLDER_CONFIG, FOLDER_RUNS,          \
        FOLDER_SAMPLES, FOLDER_DERIVED

typedef struct {
    char dir[FILES_PATH_MAX];
    int lock_fd; /* -1: no lock held */
} folder;

/* Opens dir to write: creates it (one level) when create is set and it is
 * not there, takes its lock (refused, naming the holder, while another
 * process writes it) and cleans up after killed writers: removes their
 * temporary files (atomic_remove_stale_in: never a live process's) and
 * unfinished new files, completes a switch to new files that one began
 * (folder_switch). */
int folder_open(folder *f, const char *dir, int create, err *e);
/* Opens dir to read only, with a shared lock where dir has a lock file:
 * refused while a writer holds it, so what is read is one complete state
 * (a switch a killed writer began is completed first, which takes the
 * write lock for a moment).  Removes the temporaries of writers that are
 * gone, as folder_open. */
int folder_open_read(folder *f, const char *dir, err *e);
/* Releases the lock. */
void folder_close(folder *f);

/* buf = the folder's file name. */
int folder_path(const folder *f, const char *name, char *buf, size_t size, err *e);
/* 1 when the folder has a file called name. */
int folder_has(const folder *f, const char *name);
/* Removes the file name unless it is absent. */
int folder_remove(const folder *f, const char *name, err *e);

/* ---- new files in place of the old in one step (out/replace.h) ---- */

/* Makes staged the empty folder f/.staging (with no lock of its own): the
 * new files are written into it with the usual functions. */
int folder_stage(const folder *f, folder *staged, err *e);
/* Puts the staged files in the place of f's in one step: each of names[]
 * becomes its staged copy, or goes when none was staged; f's other files
 * stay.  A kill before the switch leaves f's old files (a later folder_open
 * removes the staged ones), a kill after it the new ones (a later
 * folder_open or folder_open_read completes the switch). */
int folder_switch(const folder *f, const char *const *names, size_t n, err *e);
/* Gives the staged files up (after a failure). */
void folder_unstage(const folder *f);

/* ---- everything the folder holds, read in one go ---- */

typedef struct {
    const char *dir;
    arm_result *rows;
    size_t n_rows;
    uint64_t *seeds;        /* the rows' distinct seeds, sorted */
    size_t n_seeds;
    arm_summary sum[EXPERIMENT_MAX_ARMS];
    int has_config;         /* else config is empty and cfg the defaults */
    kv_list config;
    experiment_config cfg;
    int has_runs;
    kv_list *runs;
    size_t n_runs;
    int has_curves;
    curve_point *curves;
    size_t n_curves;
    int has_alignment;
    align_rows align;       /* of the seeds results.csv has */
    int has_classes;        /* classes.csv: every ok row has its counts */
} folder_content;

/* Reads results.csv (required; whole seeds only, results.h) and whichever
 * of config.txt, run.txt, curves.csv, alignment.csv and classes.csv are
 * there (the last
 * into the rows); refuses runs of run.txt on other data than config.txt's
 * (config_check_runs). */
int folder_read(const folder *f, folder_content *c, err *e);
void folder_content_free(folder_content *c);

/* summary.json, derived from c alone: the configuration, each arm's n,
 * mean, sd, ci95, min, max, and the runs' threads, kernels and wall time
 * (runlog_totals). */
int folder_write_summary(const folder *f, const folder_content *c, err *e);

/* ---- an experiment's seeds as they are made ---- */

/* Slot s holds seed cfg->seed_start + s: its rows, whether they are final,
 * and the curve points of the run. */
typedef struct {
    const experiment_config *cfg;
    size_t n_arms;         /* the arms cfg runs: a seed's rows */
    size_t arm[EXPERIMENT_MAX_ARMS]; /* their indices, in table order */
    arm_result *rows;      /* [seeds][n_arms] */
    unsigned char *done;   /* [seeds]: the slot's rows are final (run or kept) */
    arm_result *packed;    /* [seeds × n_arms]: the final rows, for writing */
    curve_point *curves;   /* [seeds × trained-arm epochs], allocated up front */
    size_t n_curves, cap_curves;
    align_rows align;      /* the alignment's rows, as they come */
} seed_table;

int seed_table_init(seed_table *t, const experiment_config *cfg, err *e);
void seed_table_free(seed_table *t);
/* The seeds of the slots done (or not done): "3-5, 8", or "none". */
void seed_table_list(const seed_table *t, int done, char *buf, size_t size);
size_t seed_table_count(const seed_table *t, int done);

/* Writes curves.csv and alignment.csv (when t->cfg->curves), classes.csv,
 * then results.csv,
 * from every finished slot.  In that order: a kill in between leaves curve
 * points or counts of a seed results.csv does not have yet, which a
 * resume or a reader drops. */
int folder_write_seeds(const folder *f, seed_table *t, err *e);

/* classes.csv of rows when every ok row has its counts (classes_complete);
 * else (rows kept from a folder made before classes.csv) it is removed. */
int folder_write_classes(const folder *f, const arm_result *rows, size_t n_rows, err *e);

/* --resume: fills t with the rows and curve points of the seeds an earlier
 * run of this configuration (config, the lines config.txt would hold)
 * finished in the folder, and their alignment rows where it has them; *runs gets run.txt's blocks (malloc'ed; one
 * still "running" becomes "interrupted").  With nothing to keep, t is left
 * empty.  Refuses a folder of another configuration (other data too, in
 * config.txt or in a run of run.txt), rows outside t's seeds, a results.csv
 * results_read_csv refuses, curves that do not match the run; a seed with
 * only some of its rows is run again (said on log, which may be NULL),
 * where report and merge refuse it. */
int folder_resume(const folder *f, const kv_list *config, seed_table *t, kv_list **runs,
                  size_t *n_runs, FILE *log, err *e);

#endif
