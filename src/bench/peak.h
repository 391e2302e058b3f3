/* peak: the machine's measured single-precision multiply-add peak.
 *
 * A short loop keeps enough independent vector accumulators in registers to
 * hide the FMA latency and issues nothing but FMAs, on the vector path the
 * kernels use (kern_path_active: AVX-512, AVX+FMA for the avx2 and fma
 * paths, or plain C fmaf for the others).  Nothing is hard-coded: the number is what
 * this machine delivers now, to set the kernels' GFLOP/s against. */
#ifndef SUBLIM_PEAK_H
#define SUBLIM_PEAK_H

#include "base/pool.h"

/* GFLOP/s (an FMA counts 2) of one thread, best of eight ~20 ms runs. */
double peak_gflops(void);

/* GFLOP/s of all of p's threads running the loop at once (summed). */
double peak_gflops_pool(pool *p);

#endif
