/* kernels: run-time choice of the vector path, and the portable path.
 *
 * Paths, best first: "avx512" (AVX-512F/BW/DQ/VL), "avx2" (AVX2+FMA), both in
 * kernels_x86.c, and "portable" (plain C, below).  The best path the CPU
 * supports is used; SUBLIM_KERNELS=portable|avx2|avx512 asks for another
 * (a path the CPU lacks falls back to the best one it has below it).  The
 * choice is recomputed on every call -- a getenv and a cpuid-table lookup,
 * negligible next to a matrix product -- so there is no cached global state.
 *
 * Results are a function of the sizes and the path only:
 *   portable     each sum is the reference loop's: a multiply then an add,
 *                k increasing (bit-identical to kern_ref_*);
 *   avx2/avx512  each sum is a fused multiply-add chain, k increasing (the
 *                two vector paths agree bit for bit).
 * Work is split over outputs only, so the thread count never matters. */
#include "nn/kernels.h"
#include "nn/kernels_path.h"
#include "nn/kernels_x86.h"

#include <stdlib.h>
#include <string.h>

/* ---- choosing a path ---- */

static enum kern_path best_supported(void)
{
#ifdef KERNELS_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return KERN_PATH_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return KERN_PATH_AVX2;
#endif
    return KERN_PATH_PORTABLE;
}

int kern_path_supported(enum kern_path path)
{
    return path <= best_supported();
}

enum kern_path kern_path_active(void)
{
    enum kern_path best = best_supported();
    const char *want = getenv("SUBLIM_KERNELS");
    if (!want)
        return best;
    for (int q = 0; q <= (int)KERN_PATH_AVX512; q++)
        if (strcmp(want, kern_path_str((enum kern_path)q)) == 0)
            return (enum kern_path)q < best ? (enum kern_path)q : best;
    return best;
}

const char *kern_path_str(enum kern_path path)
{
    switch (path) {
    case KERN_PATH_AVX512: return "avx512";
    case KERN_PATH_AVX2: return "avx2";
    default: return "portable";
    }
}

const char *kern_path_name(void) { return kern_path_str(kern_path_active()); }

/* ---- the portable path ----
 * Tasks are blocks of output rows.  Every sum runs k = 0, 1, ... from 0 in
 * plain multiply and add, exactly as the reference loops. */

#define PORT_ROWS 16 /* output rows per task */
#define PORT_WROWS 4 /* backward_weights: rows of dw per task (kept in L1) */

#define PORTABLE(real, sfx)                                                       \
    typedef struct {                                                              \
        real *c, *db;                                                             \
        const real *x, *w, *b, *dy, *mask;                                        \
        size_t batch, in, out;                                                    \
        int relu;                                                                 \
    } port_job_##sfx;                                                             \
                                                                                  \
    /* y[r][o] = x[r] . w[o] + b[o]: both rows contiguous.  Four outputs at   \
     * a time share the loads of x[r] and keep four chains in flight; each      \
     * chain is still its own sum in increasing i. */                            \
    static void port_forward_task_##sfx(void *ctx, size_t t)                      \
    {                                                                             \
        const port_job_##sfx *j = ctx;                                            \
        size_t r1 = (t + 1) * PORT_ROWS < j->batch ? (t + 1) * PORT_ROWS          \
                                                   : j->batch;                    \
        size_t in = j->in;                                                        \
        for (size_t r = t * PORT_ROWS; r < r1; r++) {                             \
            const real *xr = j->x + r * in;                                       \
            real *yr = j->c + r * j->out;                                         \
            size_t o = 0;                                                         \
            for (; o + 4 <= j->out; o += 4) {                                     \
                const real *w0 = j->w + o * in, *w1 = w0 + in, *w2 = w1 + in,     \
                           *w3 = w2 + in;                                         \
                real s0 = 0, s1 = 0, s2 = 0, s3 = 0;                              \
                for (size_t i = 0; i < in; i++) {                                 \
                    s0 += xr[i] * w0[i];                                          \
                    s1 += xr[i] * w1[i];                                          \
                    s2 += xr[i] * w2[i];                                          \
                    s3 += xr[i] * w3[i];                                          \
                }                                                                 \
                yr[o] = s0;                                                       \
                yr[o + 1] = s1;                                                   \
                yr[o + 2] = s2;                                                   \
                yr[o + 3] = s3;                                                   \
            }                                                                     \
            for (; o < j->out; o++) {                                             \
                const real *wo = j->w + o * in;                                   \
                real s = 0;                                                       \
                for (size_t i = 0; i < in; i++)                                   \
                    s += xr[i] * wo[i];                                           \
                yr[o] = s;                                                        \
            }                                                                     \
            for (o = 0; o < j->out; o++) {                                        \
                real s = yr[o] + (j->b ? j->b[o] : 0);                            \
                yr[o] = (j->relu && !(s > 0)) ? 0 : s;                            \
            }                                                                     \
        }                                                                         \
    }                                                                             \
                                                                                  \
    /* dx[r][:] = sum_o dy[r][o] w[o][:], accumulated row by row. */              \
    static void port_backward_input_task_##sfx(void *ctx, size_t t)               \
    {                                                                             \
        const port_job_##sfx *j = ctx;                                            \
        size_t r1 = (t + 1) * PORT_ROWS < j->batch ? (t + 1) * PORT_ROWS          \
                                                   : j->batch;                    \
        for (size_t r = t * PORT_ROWS; r < r1; r++) {                             \
            real *dxr = j->c + r * j->in;                                         \
            for (size_t i = 0; i < j->in; i++)                                    \
                dxr[i] = 0;                                                       \
            for (size_t o = 0; o < j->out; o++) {                                 \
                real g = j->dy[r * j->out + o];                                   \
                const real *wo = j->w + o * j->in;                                \
                for (size_t i = 0; i < j->in; i++)                                \
                    dxr[i] += g * wo[i];                                          \
            }                                                                     \
            if (j->mask)                                                          \
                for (size_t i = 0; i < j->in; i++)                                \
                    if (!(j->mask[r * j->in + i] > 0))                            \
                        dxr[i] = 0;                                               \
        }                                                                         \
    }                                                                             \
                                                                                  \
    /* dw[o][:] = sum_r dy[r][o] x[r][:] for a block of o. */                     \
    static void port_backward_weights_task_##sfx(void *ctx, size_t t)             \
    {                                                                             \
        const port_job_##sfx *j = ctx;                                            \
        size_t o0 = t * PORT_WROWS;                                               \
        size_t o1 = o0 + PORT_WROWS < j->out ? o0 + PORT_WROWS : j->out;          \
        for (size_t o = o0; o < o1; o++) {                                        \
            for (size_t i = 0; i < j->in; i++)                                    \
                j->c[o * j->in + i] = 0;                                          \
            if (j->db)                                                            \
                j->db[o] = 0;                                                     \
        }                                                                         \
        for (size_t r = 0; r < j->batch; r++) {                                   \
            const real *xr = j->x + r * j->in;                                    \
            for (size_t o = o0; o < o1; o++) {                                    \
                real g = j->dy[r * j->out + o];                                   \
                real *dwo = j->c + o * j->in;                                     \
                for (size_t i = 0; i < j->in; i++)                                \
                    dwo[i] += g * xr[i];                                          \
                if (j->db)                                                        \
                    j->db[o] += g;                                                \
            }                                                                     \
        }                                                                         \
    }                                                                             \
                                                                                  \
    void kern_dense_forward_##sfx(pool *p, real *y, const real *x, const real *w, \
                                  const real *b, size_t batch, size_t in,         \
                                  size_t out, int relu)                           \
    {                                                                             \
        switch (kern_path_active()) {                                             \
        KX86_CASES(forward, sfx, (p, y, x, w, b, batch, in, out, relu))           \
        default: break;                                                           \
        }                                                                         \
        port_job_##sfx j = {.c = y, .x = x, .w = w, .b = b, .batch = batch,       \
                            .in = in, .out = out, .relu = relu};                  \
        pool_run(p, port_forward_task_##sfx, &j,                                  \
                 (batch + PORT_ROWS - 1) / PORT_ROWS);                            \
    }                                                                             \
                                                                                  \
    void kern_dense_backward_input_##sfx(pool *p, real *dx, const real *dy,       \
                                         const real *w, const real *mask,         \
                                         size_t batch, size_t in, size_t out)     \
    {                                                                             \
        switch (kern_path_active()) {                                             \
        KX86_CASES(backward_input, sfx, (p, dx, dy, w, mask, batch, in, out))     \
        default: break;                                                           \
        }                                                                         \
        port_job_##sfx j = {.c = dx, .dy = dy, .w = w, .mask = mask,              \
                            .batch = batch, .in = in, .out = out};                \
        pool_run(p, port_backward_input_task_##sfx, &j,                           \
                 (batch + PORT_ROWS - 1) / PORT_ROWS);                            \
    }                                                                             \
                                                                                  \
    void kern_dense_backward_weights_##sfx(pool *p, real *dw, real *db,           \
                                           const real *dy, const real *x,         \
                                           size_t batch, size_t in, size_t out)   \
    {                                                                             \
        switch (kern_path_active()) {                                             \
        KX86_CASES(backward_weights, sfx, (p, dw, db, dy, x, batch, in, out))     \
        default: break;                                                           \
        }                                                                         \
        port_job_##sfx j = {.c = dw, .db = db, .dy = dy, .x = x, .batch = batch,  \
                            .in = in, .out = out};                                \
        pool_run(p, port_backward_weights_task_##sfx, &j,                         \
                 (out + PORT_WROWS - 1) / PORT_WROWS);                            \
    }

#ifdef KERNELS_X86
#define KX86_CASES(op, sfx, args)                                                 \
    case KERN_PATH_AVX512: kern_avx512_##op##_##sfx args; return;                 \
    case KERN_PATH_AVX2: kern_avx2_##op##_##sfx args; return;
#else
#define KX86_CASES(op, sfx, args)
#endif

PORTABLE(float, f32)
PORTABLE(double, f64)
