/* bench_align: what measuring the students' alignment (nn/alignment.h)
 * costs a default seed. */
#ifndef SUBLIM_BENCH_ALIGN_H
#define SUBLIM_BENCH_ALIGN_H

#include <stdio.h>
#include "base/err.h"
#include "nn/idx.h"
#include "run/experiment.h"

/* Times the tracker's per-step work and its points on the default network
 * (one thread: the tracker does not use the pool), adds them up over what
 * one seed of cfg measures, and prints that as a share of seed_s1 and
 * seed_sn, one seed's time on 1 and on N threads. */
int bench_alignment(const experiment_config *cfg, const dataset *train, double seed_s1,
                    double seed_sn, FILE *out, err *e);

#endif
