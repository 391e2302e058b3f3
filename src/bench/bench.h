/* bench: the speed of the whole experiment on this machine (see bench.c). */
#ifndef SUBLIM_BENCH_H
#define SUBLIM_BENCH_H

#include <stdio.h>
#include "base/err.h"
#include "base/pool.h"
#include "nn/idx.h"

/* Times the teacher and one seed on one (1 thread) and on p, and prints
 * the table to out. */
int bench_end_to_end(pool *p, pool *one, const dataset *train, const dataset *test, FILE *out,
                     err *e);

/* Images of the teacher epoch bench_paths times on each path. */
#define BENCH_PATH_IMAGES 10000

/* For every kernel path this CPU supports, on one thread: the products of
 * one training step (GFLOP/s) and one teacher epoch on the first
 * BENCH_PATH_IMAGES training images, each path's time as a ratio to the
 * fastest.  Prints the table to out. */
int bench_paths(const dataset *train, FILE *out, err *e);

#endif
