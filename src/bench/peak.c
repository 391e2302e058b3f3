/* peak: see peak.h.  Each loop runs `iters` rounds of updates acc = acc*m + a
 * on independent vector accumulators; with m just below 1 the values creep
 * from a toward a/(1-m) = 1000, so there are no overflows or denormals to
 * slow anything down.  Timing is the best of eight runs of ~20 ms. */
#include "bench/peak.h"
#include "nn/kernels_path.h"

#include <limits.h>
#include <math.h>
#include <time.h>

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#include <immintrin.h>
#define PEAK_X86 1
#endif

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Each loop returns a sum of its accumulators so nothing is optimized away. */

#ifdef PEAK_X86
/* 24 zmm accumulators: 4-cycle latency x 2 FMA pipes needs at least 8. */
__attribute__((target("avx512f")))
static float loop_avx512(long iters, float m, float a)
{
    __m512 vm = _mm512_set1_ps(m), va = _mm512_set1_ps(a);
    __m512 c0 = va, c1 = va, c2 = va, c3 = va, c4 = va, c5 = va, c6 = va, c7 = va;
    __m512 c8 = va, c9 = va, c10 = va, c11 = va, c12 = va, c13 = va, c14 = va;
    __m512 c15 = va, c16 = va, c17 = va, c18 = va, c19 = va, c20 = va;
    __m512 c21 = va, c22 = va, c23 = va;
    for (long i = 0; i < iters; i++) {
#define F(c) c = _mm512_fmadd_ps(c, vm, va);
        F(c0) F(c1) F(c2) F(c3) F(c4) F(c5) F(c6) F(c7) F(c8) F(c9) F(c10) F(c11)
        F(c12) F(c13) F(c14) F(c15) F(c16) F(c17) F(c18) F(c19) F(c20) F(c21)
        F(c22) F(c23)
#undef F
        /* opaque to the compiler: the identical chains stay separate */
        __asm__ volatile("" : "+v"(c0), "+v"(c1), "+v"(c2), "+v"(c3), "+v"(c4),
                         "+v"(c5), "+v"(c6), "+v"(c7), "+v"(c8), "+v"(c9),
                         "+v"(c10), "+v"(c11));
        __asm__ volatile("" : "+v"(c12), "+v"(c13), "+v"(c14), "+v"(c15),
                         "+v"(c16), "+v"(c17), "+v"(c18), "+v"(c19), "+v"(c20),
                         "+v"(c21), "+v"(c22), "+v"(c23));
    }
    __m512 s = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(c0, c1), _mm512_add_ps(c2, c3)),
                             _mm512_add_ps(_mm512_add_ps(c4, c5), _mm512_add_ps(c6, c7)));
    s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(c8, c9), _mm512_add_ps(c10, c11)));
    s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(c12, c13), _mm512_add_ps(c14, c15)));
    s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(c16, c17), _mm512_add_ps(c18, c19)));
    s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(c20, c21), _mm512_add_ps(c22, c23)));
    return _mm512_reduce_add_ps(s);
}

/* 12 ymm accumulators (of 16 registers); AVX and FMA instructions only, so
 * it is also the peak of the fma path. */
__attribute__((target("avx,fma")))
static float loop_avx2(long iters, float m, float a)
{
    __m256 vm = _mm256_set1_ps(m), va = _mm256_set1_ps(a);
    __m256 c0 = va, c1 = va, c2 = va, c3 = va, c4 = va, c5 = va, c6 = va, c7 = va;
    __m256 c8 = va, c9 = va, c10 = va, c11 = va;
    for (long i = 0; i < iters; i++) {
#define F(c) c = _mm256_fmadd_ps(c, vm, va);
        F(c0) F(c1) F(c2) F(c3) F(c4) F(c5) F(c6) F(c7) F(c8) F(c9) F(c10) F(c11)
#undef F
        __asm__ volatile("" : "+x"(c0), "+x"(c1), "+x"(c2), "+x"(c3), "+x"(c4),
                         "+x"(c5), "+x"(c6), "+x"(c7), "+x"(c8), "+x"(c9),
                         "+x"(c10), "+x"(c11));
    }
    __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(c0, c1), _mm256_add_ps(c2, c3)),
                             _mm256_add_ps(_mm256_add_ps(c4, c5), _mm256_add_ps(c6, c7)));
    s = _mm256_add_ps(s, _mm256_add_ps(_mm256_add_ps(c8, c9), _mm256_add_ps(c10, c11)));
    float lanes[8];
    _mm256_storeu_ps(lanes, s);
    return lanes[0] + lanes[1] + lanes[2] + lanes[3] + lanes[4] + lanes[5] + lanes[6] + lanes[7];
}
#endif

/* Plain C: 16 independent fused multiply-add chains, as the portable
 * kernels compute (the compiler may vectorize; without FMA hardware fmaf is
 * a library call, and this measures that). */
static float loop_portable(long iters, float m, float a)
{
    float c[16];
    for (int k = 0; k < 16; k++)
        c[k] = a + (float)k;
    for (long i = 0; i < iters; i++)
        for (int k = 0; k < 16; k++)
            c[k] = fmaf(c[k], m, a);
    float s = 0;
    for (int k = 0; k < 16; k++)
        s += c[k];
    return s;
}

static double flops_per_iter(enum kern_path path)
{
    switch (path) {
    case KERN_PATH_AVX512: return 24 * 16 * 2;
    case KERN_PATH_AVX2:
    case KERN_PATH_FMA: return 12 * 8 * 2;
    default: return 16 * 2;
    }
}

typedef struct {
    enum kern_path path;
    long iters;
} peak_job;

/* Runs one loop of j->iters rounds. */
static void run_loop(const peak_job *j)
{
    volatile float m = 0.999999f, a = 0.001f; /* opaque to the optimizer */
    volatile float sink;
    switch (j->path) {
#ifdef PEAK_X86
    case KERN_PATH_AVX512: sink = loop_avx512(j->iters, m, a); break;
    case KERN_PATH_AVX2:
    case KERN_PATH_FMA: sink = loop_avx2(j->iters, m, a); break;
#endif
    default: sink = loop_portable(j->iters, m, a); break;
    }
    (void)sink;
}

static void peak_task(void *ctx, size_t t)
{
    (void)t;
    run_loop(ctx);
}

/* Iterations that take about 20 ms on this thread. */
static long calibrate(enum kern_path path)
{
    peak_job j = {.path = path, .iters = 1000};
    for (;;) {
        double t0 = now_seconds();
        run_loop(&j);
        double dt = now_seconds() - t0;
        if (dt > 0.005 || j.iters > LONG_MAX / 8)
            return (long)((double)j.iters * 0.020 / (dt > 0 ? dt : 1e-9)) + 1;
        j.iters *= 4;
    }
}

/* Best of eight runs of `n` loops at once on p (n = 1: this thread).  On a
 * shared VM a core can vanish for tens of milliseconds; the best of several
 * short runs is what the machine delivers when it is all there. */
static double measure(pool *p, size_t n)
{
    peak_job j = {.path = kern_path_active()};
    j.iters = calibrate(j.path);
    double flops = flops_per_iter(j.path) * (double)j.iters * (double)n;
    double best = 0;
    for (int rep = 0; rep < 8; rep++) {
        double t0 = now_seconds();
        pool_run(p, peak_task, &j, n);
        double dt = now_seconds() - t0;
        if (dt > 0 && flops / dt > best)
            best = flops / dt;
    }
    return best * 1e-9;
}

double peak_gflops(void) { return measure(NULL, 1); }

double peak_gflops_pool(pool *p) { return measure(p, pool_threads(p)); }
