/* report: everything derived from a result folder, and merging folders.
 *
 * A result folder OUT holds
 *   results.csv  one row per seed × arm: the source of truth (results.h);
 *   config.txt   key=value: every setting the results depend on, i.e. all
 *                flags except --seeds/--seed-start (the seeds are the rows),
 *                --threads (bits do not depend on it), --data and --out
 *                (paths), plus the data's SHA-256 sums (from the data
 *                folder's SHA256SUMS).  Written before training starts.
 *   run.txt      one [run] block per run that produced rows: command line,
 *                data folder, seeds, threads, kernels, machine, CPU, wall
 *                time, status.  What results.csv cannot tell; only quoted.
 *   curves.csv   seed,arm,epoch,train_loss,test_acc per trained arm and epoch
 *                (absent when the run had --no-curves).  The test accuracy
 *                costs one evaluation of the 10,000 test digits per epoch per
 *                trained arm: about 4% of a default run's CPU time (1 seed,
 *                1 thread: 27.0 and 27.9 s with curves, 26.0 and 26.2 s
 *                without), so curves are on by default;
 *   theorem.csv  written by `sublim theorem`, quoted as a table if present;
 *   summary.json derived (results_write_summary).
 *
 * report_regenerate() writes figure.svg, curves.svg and report.md from these
 * files alone, so the same files give byte-identical outputs: nothing in
 * them is read from the clock or the machine at report time (machine,
 * threads and wall time come from run.txt, written when the run happened).
 * `sublim experiment` ends by calling it, so its report is the one
 * `sublim report` regenerates.  A missing config.txt or run.txt is said so
 * in the report, not guessed; results.csv alone is enough for a figure.
 *
 * report_merge() unions the rows of folders whose config.txt agree key for
 * key, refusing a seed that two folders both hold, and writes a folder as
 * if one run had produced all the rows (rows sorted by seed, then arm):
 * its results.csv, curves.csv, figures and summary.json "arms" are the
 * bytes one run over all the seeds writes.  run.txt keeps one block per
 * run; summary.json's "run" sums their wall times and gives threads 0 and
 * kernels "mixed" when the runs differ. */
#ifndef SUBLIM_REPORT_H
#define SUBLIM_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include "base/err.h"
#include "run/experiment.h"

#define REPORT_MAX_KEYS 64
#define REPORT_CURVES_HEADER "seed,arm,epoch,train_loss,test_acc"

typedef struct {
    char key[64];
    char value[448];
} report_kv;

/* An ordered key=value list: config.txt, or one [run] block of run.txt. */
typedef struct {
    report_kv kv[REPORT_MAX_KEYS];
    size_t n;
} report_kvs;

/* Sets key to value (replacing an earlier value); -1 when full or too long. */
int report_kvs_set(report_kvs *k, const char *key, const char *value);
/* The value of key, or NULL. */
const char *report_kvs_get(const report_kvs *k, const char *key);

/* ---- config.txt ---- */

/* The settings of cfg that results depend on, plus data.<file>=<sha256> for
 * each line of data_dir/SHA256SUMS (or data=unverified when there is none);
 * -1 when SHA256SUMS is there but cannot be read. */
int report_config_make(report_kvs *out, const experiment_config *cfg, const char *data_dir,
                       err *e);
int report_config_write(const char *path, const report_kvs *config, err *e);
int report_config_read(const char *path, report_kvs *config, err *e);
/* Fills cfg's result-determining fields from config (the others keep their
 * values); names the key on a missing or malformed value. */
int report_config_apply(const report_kvs *config, const char *path, experiment_config *cfg,
                        err *e);
/* 0 when a and b hold the same keys with the same values; else -1, e naming
 * the first difference and both files. */
int report_config_compare(const report_kvs *a, const char *a_path, const report_kvs *b,
                          const char *b_path, err *e);

/* ---- run.txt ---- */

/* A [run] block for this process: command (argv joined), data folder,
 * seeds, threads, kernels, machine (uname), cpu (/proc/cpuinfo), status. */
void report_run_make(report_kvs *run, int argc, char **argv, const experiment_config *cfg,
                     size_t threads, const char *kernels);
/* Sets wall_seconds and status ("running", "finished", "failed"). */
void report_run_finish(report_kvs *run, double wall_seconds, const char *status);
int report_runs_write(const char *path, const report_kvs *runs, size_t n, err *e);
/* *runs is malloc'ed. */
int report_runs_read(const char *path, report_kvs **runs, size_t *n, err *e);

/* ---- curves.csv ---- */

typedef struct {
    uint64_t seed;
    size_t arm;       /* index into experiment_arms() */
    size_t epoch;     /* 1-based */
    double loss;      /* mean training loss of the epoch */
    double test_acc;  /* NaN: not measured */
} curve_point;

/* Sorts by (seed, arm, epoch), the order every writer uses. */
void report_curves_sort(curve_point *pts, size_t n);
int report_curves_write(const char *path, const curve_point *pts, size_t n, err *e);
/* *pts is malloc'ed. */
int report_curves_read(const char *path, curve_point **pts, size_t *n, err *e);

/* ---- outputs ---- */

/* "0-4, 7, 9-10" for the sorted distinct seeds of rows. */
void report_seed_list(char *buf, size_t size, const uint64_t *seeds, size_t n);

/* Writes dir/figure.svg, dir/curves.svg (when dir/curves.csv exists; else
 * removes a stale one) and dir/report.md from the folder's files. */
int report_regenerate(const char *dir, err *e);

/* Merges folders in[0..n) into out (created if needed; it must not hold a
 * results.csv unless it is one of the inputs): results.csv, config.txt,
 * run.txt, curves.csv (when every input has one), theorem.csv (when the
 * inputs that have one agree), summary.json, then report_regenerate(out).
 * *notes gets a short remark on what was left out, or "". */
int report_merge(const char *const *in, size_t n, const char *out, char *notes,
                 size_t notes_size, err *e);

#endif
