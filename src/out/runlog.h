/* runlog: run.txt, how each run that produced rows of a result folder went.
 *
 * One [run] block per run: command line, data folder, seeds, threads,
 * kernels, machine (uname), cores, CPU (/proc/cpuinfo, or sysctl on
 * macOS), wall time and status (running, finished, failed; interrupted:
 * stopped by SIGINT or SIGTERM, or found running by the next run, having
 * been killed); an experiment adds the data it read (config_data_set).
 * What results.csv cannot tell; reports only quote it. */
#ifndef SUBLIM_RUNLOG_H
#define SUBLIM_RUNLOG_H

#include <stddef.h>
#include "base/err.h"
#include "out/kv.h"

/* A block for this process, status "running"; seeds as "0-4". */
void runlog_make(kv_list *run, int argc, char **argv, const char *data_dir, const char *seeds,
                 size_t threads, const char *kernels);
/* Sets wall_seconds and status ("finished", "failed", "interrupted"). */
void runlog_finish(kv_list *run, double wall_seconds, const char *status);

/* buf = the command line argv, quoted where a shell would need it (as
 * run.txt's command= gives it). */
void runlog_command_line(char *buf, size_t size, int argc, char **argv);

int runlog_write(const char *path, const kv_list *runs, size_t n, err *e);
/* *runs is malloc'ed. */
int runlog_read(const char *path, kv_list **runs, size_t *n, err *e);

/* Over all runs: the summed wall time, the thread count and kernel path
 * when every run agrees (else 0 and "mixed"; "unknown" without runs). */
void runlog_totals(const kv_list *runs, size_t n, size_t *threads, const char **kernels,
                   double *wall_seconds);

#endif
