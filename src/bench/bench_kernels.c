/* bench_kernels: see bench_kernels.h.
 *
 * Each shape is timed as the median call over ~0.15 s of back-to-back calls
 * after one warm-up call (the way training calls it), on the calling thread
 * alone and on the pool.  The reference loop runs once.  "max|diff|" is the largest
 * absolute difference from the reference, "rel" that divided by the largest
 * |reference| output.  %peak for double is against half the measured
 * single-precision peak (half as many lanes per FMA). */
#include "bench/bench_kernels.h"
#include "nn/kernels.h"
#include "bench/peak.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

enum bench_op { OP_FORWARD, OP_BACKWARD_INPUT, OP_BACKWARD_WEIGHTS };

typedef struct {
    enum bench_op op;
    int f64;          /* 0: float, 1: double */
    size_t batch, in, out;
    int flag;         /* forward: relu; backward_input: mask; weights: db */
    const char *what; /* which layer */
} bench_shape;

/* Training (float, batch 1024) and the theorem check (double, batch 256). */
static const bench_shape shapes[] = {
    {OP_FORWARD, 0, 1024, 784, 256, 1, "layer 1"},
    {OP_FORWARD, 0, 1024, 256, 256, 1, "layer 2"},
    {OP_FORWARD, 0, 1024, 256, 13, 0, "layer 3"},
    {OP_BACKWARD_INPUT, 0, 1024, 256, 256, 1, "layer 2"},
    {OP_BACKWARD_INPUT, 0, 1024, 256, 13, 1, "layer 3"},
    {OP_BACKWARD_WEIGHTS, 0, 1024, 784, 256, 1, "layer 1"},
    {OP_BACKWARD_WEIGHTS, 0, 1024, 256, 256, 1, "layer 2"},
    {OP_BACKWARD_WEIGHTS, 0, 1024, 256, 13, 1, "layer 3"},
    {OP_FORWARD, 1, 256, 784, 256, 1, "layer 1"},
    {OP_FORWARD, 1, 256, 256, 256, 1, "layer 2"},
    {OP_FORWARD, 1, 256, 256, 13, 0, "layer 3"},
    {OP_BACKWARD_INPUT, 1, 256, 256, 256, 1, "layer 2"},
    {OP_BACKWARD_INPUT, 1, 256, 256, 13, 1, "layer 3"},
    {OP_BACKWARD_WEIGHTS, 1, 256, 784, 256, 1, "layer 1"},
    {OP_BACKWARD_WEIGHTS, 1, 256, 256, 256, 1, "layer 2"},
    {OP_BACKWARD_WEIGHTS, 1, 256, 256, 13, 1, "layer 3"},
};

static const char *const op_names[] = {"forward", "backward_input", "backward_weights"};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Buffers of one shape, in the shape's precision (elements of esize). */
typedef struct {
    void *x, *w, *b, *dy, *mask;   /* inputs */
    void *out, *out2, *ref, *ref2; /* y | dx | dw, and db */
    size_t n_out, n_out2;
} bench_bufs;

/* Uniform in [-1, 1) from a local xorshift state (fixed seed: reproducible). */
static double next_uniform(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return (double)(*s >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

static void fill(void *v, size_t n, int f64, uint64_t *s)
{
    for (size_t i = 0; i < n; i++) {
        double u = next_uniform(s);
        if (f64)
            ((double *)v)[i] = u;
        else
            ((float *)v)[i] = (float)u;
    }
}

static void run_tuned(const bench_shape *sh, pool *p, bench_bufs *B)
{
    size_t n = sh->batch, i = sh->in, o = sh->out;
    if (sh->f64) {
        switch (sh->op) {
        case OP_FORWARD:
            kern_dense_forward_f64(p, B->out, B->x, B->w, B->b, n, i, o, sh->flag);
            break;
        case OP_BACKWARD_INPUT:
            kern_dense_backward_input_f64(p, B->out, B->dy, B->w,
                                          sh->flag ? B->mask : NULL, n, i, o);
            break;
        case OP_BACKWARD_WEIGHTS:
            kern_dense_backward_weights_f64(p, B->out, sh->flag ? B->out2 : NULL,
                                            B->dy, B->x, n, i, o);
            break;
        }
    } else {
        switch (sh->op) {
        case OP_FORWARD:
            kern_dense_forward_f32(p, B->out, B->x, B->w, B->b, n, i, o, sh->flag);
            break;
        case OP_BACKWARD_INPUT:
            kern_dense_backward_input_f32(p, B->out, B->dy, B->w,
                                          sh->flag ? B->mask : NULL, n, i, o);
            break;
        case OP_BACKWARD_WEIGHTS:
            kern_dense_backward_weights_f32(p, B->out, sh->flag ? B->out2 : NULL,
                                            B->dy, B->x, n, i, o);
            break;
        }
    }
}

static void run_ref(const bench_shape *sh, bench_bufs *B)
{
    size_t n = sh->batch, i = sh->in, o = sh->out;
    if (sh->f64) {
        switch (sh->op) {
        case OP_FORWARD:
            kern_ref_dense_forward_f64(B->ref, B->x, B->w, B->b, n, i, o, sh->flag);
            break;
        case OP_BACKWARD_INPUT:
            kern_ref_dense_backward_input_f64(B->ref, B->dy, B->w,
                                              sh->flag ? B->mask : NULL, n, i, o);
            break;
        case OP_BACKWARD_WEIGHTS:
            kern_ref_dense_backward_weights_f64(B->ref, sh->flag ? B->ref2 : NULL,
                                                B->dy, B->x, n, i, o);
            break;
        }
    } else {
        switch (sh->op) {
        case OP_FORWARD:
            kern_ref_dense_forward_f32(B->ref, B->x, B->w, B->b, n, i, o, sh->flag);
            break;
        case OP_BACKWARD_INPUT:
            kern_ref_dense_backward_input_f32(B->ref, B->dy, B->w,
                                              sh->flag ? B->mask : NULL, n, i, o);
            break;
        case OP_BACKWARD_WEIGHTS:
            kern_ref_dense_backward_weights_f32(B->ref, sh->flag ? B->ref2 : NULL,
                                                B->dy, B->x, n, i, o);
            break;
        }
    }
}

/* Median seconds per call over about 0.15 s of back-to-back calls (at least
 * 5), after one warm-up call: the median shrugs off the odd call that lost
 * its core to another process. */
#define BENCH_MAX_CALLS 4096

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double time_tuned(const bench_shape *sh, pool *p, bench_bufs *B)
{
    static const double budget = 0.15;
    double t[BENCH_MAX_CALLS];
    run_tuned(sh, p, B);
    double start = now_seconds();
    size_t calls = 0;
    do {
        double t0 = now_seconds();
        run_tuned(sh, p, B);
        t[calls++] = now_seconds() - t0;
    } while (calls < BENCH_MAX_CALLS && (calls < 5 || now_seconds() - start < budget));
    qsort(t, calls, sizeof t[0], cmp_double);
    return calls % 2 ? t[calls / 2] : 0.5 * (t[calls / 2 - 1] + t[calls / 2]);
}

static double get(const void *v, size_t k, int f64)
{
    return f64 ? ((const double *)v)[k] : (double)((const float *)v)[k];
}

/* Largest |a - b| and largest |b| over n elements. */
static void compare(const void *a, const void *b, size_t n, int f64,
                    double *max_diff, double *max_ref)
{
    for (size_t k = 0; k < n; k++) {
        double x = get(a, k, f64), y = get(b, k, f64);
        double d = fabs(x - y);
        if (!(d <= *max_diff)) /* NaN counts as the largest */
            *max_diff = d;
        if (fabs(y) > *max_ref)
            *max_ref = fabs(y);
    }
}

static void free_bufs(bench_bufs *B)
{
    free(B->x);
    free(B->w);
    free(B->b);
    free(B->dy);
    free(B->mask);
    free(B->out);
    free(B->out2);
    free(B->ref);
    free(B->ref2);
}

static int alloc_bufs(const bench_shape *sh, bench_bufs *B)
{
    size_t es = sh->f64 ? sizeof(double) : sizeof(float);
    size_t n = sh->batch, i = sh->in, o = sh->out;
    B->n_out = sh->op == OP_FORWARD ? n * o : sh->op == OP_BACKWARD_INPUT ? n * i : o * i;
    B->n_out2 = sh->op == OP_BACKWARD_WEIGHTS ? o : 1;
    B->x = malloc(n * i * es);
    B->w = malloc(o * i * es);
    B->b = malloc(o * es);
    B->dy = malloc(n * o * es);
    B->mask = malloc(n * i * es);
    B->out = malloc(B->n_out * es);
    B->ref = malloc(B->n_out * es);
    B->out2 = malloc(B->n_out2 * es);
    B->ref2 = malloc(B->n_out2 * es);
    if (!B->x || !B->w || !B->b || !B->dy || !B->mask || !B->out || !B->ref ||
        !B->out2 || !B->ref2)
        return -1;
    uint64_t s = 0x9E3779B97F4A7C15u;
    fill(B->x, n * i, sh->f64, &s);
    fill(B->w, o * i, sh->f64, &s);
    fill(B->b, o, sh->f64, &s);
    fill(B->dy, n * o, sh->f64, &s);
    fill(B->mask, n * i, sh->f64, &s); /* about half <= 0, like a ReLU output */
    return 0;
}

/* Seconds per call of shape sh on p, after allocating and filling its
 * buffers (the reference too when ref_s != NULL, then compared into
 * max_diff / max_ref); -1 when out of memory. */
static double time_shape(const bench_shape *sh, pool *p, double *t_pool, double *ref_s,
                         double *max_diff, double *max_ref)
{
    bench_bufs B = {0};
    if (alloc_bufs(sh, &B) != 0) {
        free_bufs(&B);
        errno = ENOMEM;
        return -1;
    }
    double t1 = time_tuned(sh, NULL, &B);
    if (t_pool)
        *t_pool = p && pool_threads(p) > 1 ? time_tuned(sh, p, &B) : t1;
    if (ref_s) {
        double t0 = now_seconds();
        run_ref(sh, &B);
        *ref_s = now_seconds() - t0;
        *max_diff = *max_ref = 0;
        compare(B.out, B.ref, B.n_out, sh->f64, max_diff, max_ref);
        if (sh->op == OP_BACKWARD_WEIGHTS && sh->flag)
            compare(B.out2, B.ref2, B.n_out2, sh->f64, max_diff, max_ref);
    }
    free_bufs(&B);
    return t1;
}

double bench_step_gflops(void)
{
    double flops = 0, t = 0;
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        const bench_shape *sh = &shapes[k];
        if (sh->f64)
            continue;
        double t1 = time_shape(sh, NULL, NULL, NULL, NULL, NULL);
        if (t1 < 0)
            return -1;
        flops += 2.0 * (double)sh->batch * (double)sh->in * (double)sh->out;
        t += t1;
    }
    return flops / t * 1e-9;
}

int bench_kernels(pool *p, FILE *out)
{
    size_t threads = pool_threads(p);
    double peak1 = peak_gflops();
    double peakn = threads > 1 ? peak_gflops_pool(p) : peak1;
    fprintf(out, "kernels: path %s; measured FMA peak (float) %.1f GFLOP/s on 1 thread, "
                 "%.1f on %zu threads\n",
            kern_path_name(), peak1, peakn, threads);
    fprintf(out, "%-17s %-7s %-4s %5s %4s %4s  %9s %5s  %9s %5s  %8s  %9s %9s\n", "op",
            "layer", "type", "batch", "in", "out", "1 thread", "%peak", "threads", "%peak",
            "ref", "max|diff|", "rel");
    /* A training step runs each float shape once: their summed FLOPs over
     * their summed times is the products' rate in training. */
    double step_flops = 0, step_t1 = 0, step_tn = 0;
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        const bench_shape *sh = &shapes[k];
        double flops = 2.0 * (double)sh->batch * (double)sh->in * (double)sh->out;
        double tn, tr, max_diff, max_ref;
        double t1 = time_shape(sh, threads > 1 ? p : NULL, &tn, &tr, &max_diff, &max_ref);
        if (t1 < 0)
            return -1;
        double scale = sh->f64 ? 0.5 : 1.0; /* double: half the lanes */
        double g1 = flops / t1 * 1e-9, gn = flops / tn * 1e-9;
        fprintf(out, "%-17s %-7s %-4s %5zu %4zu %4zu  %9.1f %4.0f%%  %9.1f %4.0f%%  %8.2f  %9.2e %9.2e\n",
                op_names[sh->op], sh->what, sh->f64 ? "f64" : "f32", sh->batch, sh->in,
                sh->out, g1, 100.0 * g1 / (peak1 * scale), gn,
                100.0 * gn / (peakn * scale), flops / tr * 1e-9, max_diff,
                max_ref > 0 ? max_diff / max_ref : max_diff);
        if (!sh->f64) {
            step_flops += flops;
            step_t1 += t1;
            step_tn += tn;
        }
    }
    double g1 = step_flops / step_t1 * 1e-9, gn = step_flops / step_tn * 1e-9;
    fprintf(out, "one training step's products (the f32 rows, FLOP-weighted): %.1f GFLOP/s "
                 "= %.0f%% of peak on 1 thread, %.1f = %.0f%% on %zu threads\n",
            g1, 100 * g1 / peak1, gn, 100 * gn / peakn, threads);
    return 0;
}
