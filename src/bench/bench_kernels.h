/* bench_kernels: speed and accuracy of the tuned kernels on the shapes the
 * experiment uses (MLP 784-256-256-13, batch 1024 in float; batch 256 in
 * double for the theorem check), against the reference loops and the
 * machine's measured FMA peak. */
#ifndef SUBLIM_BENCH_KERNELS_H
#define SUBLIM_BENCH_KERNELS_H

#include <stdio.h>
#include "base/pool.h"

/* Prints one table to out: per shape, the tuned kernel's GFLOP/s on one
 * thread and on p's threads, the fraction of the measured peak reached, the
 * reference loop's GFLOP/s, and the largest difference between the two.
 * Takes a few seconds.  Returns 0, or -1 when memory ran out (errno set). */
int bench_kernels(pool *p, FILE *out);

/* GFLOP/s of the products of one training step (the float shapes,
 * FLOP-weighted) on the calling thread, on the active path; -1 when memory
 * ran out (errno set). */
double bench_step_gflops(void);

#endif
