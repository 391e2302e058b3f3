/* kernels_portable_impl: the portable path of the dense-layer products,
 * written once over REAL in plain C that compilers vectorize for whatever
 * vector unit the target has (NEON, SVE, SSE/AVX), without intrinsics.
 *
 * The arithmetic is the vector paths' (kernels_simd_impl.h), so every path
 * gives the same bits: each output is one fused multiply-add chain
 * (PORT_FMA: fmaf or fma, both exactly rounded by IEEE 754) over k = 0,
 * 1, ..., K-1 starting from 0, then + bias, then ReLU / mask; a bias
 * gradient is a plain sum, k increasing.  Where the target has no FMA
 * instruction (x86 before 2013) fmaf is a libm call: slow, still exact.
 *
 * All three products are one GEMM, C[M][N] = A[M][K] B[K][N], with A read
 * in place through strides, A(m,k) = a[m*ars + k*acs], and B(k,n) =
 * b[k*bks + n*bns]:
 *
 *   forward           C = y  [batch][out]  A = x     B = w^T
 *   backward_input    C = dx [batch][in]   A = dy    B = w
 *   backward_weights  C = dw [out][in]     A = dy^T  B = x
 *
 * A task is a tile of C (never a split of the K sum).  Per K block it
 * copies its columns of B into panels of PORT_NR columns, [kc][PORT_NR],
 * zero-padded on the right (w becomes w^T; every panel row is whole), then
 * runs the micro-kernel over PORT_MR x PORT_NR blocks of C (an A stored by
 * columns, dy^T, is copied too, PORT_MR rows at a time).  The
 * micro-kernel's inner loop runs over the PORT_NR columns of one panel
 * row: independent sums, so the compiler may turn them into vector FMAs
 * without reordering any sum.  K blocks store and reload a running sum
 * exactly, so no tiling changes a bit.
 *
 * kernels_portable_path.h includes this once per precision.  The includer
 * defines, per inclusion (undefined again at the end):
 *   REAL, SFX(name)     element type; appends _f32 / _f64 to a name
 *   PORT_FMA(a, b, c)   a*b + c rounded once: fmaf or fma
 * and once per file PORT_TARGET, a function attribute (empty for the
 * plain build; target("fma") for the x86 build that measures what a
 * compiler makes of this code on a CPU with FMA).  Each inclusion defines
 * static functions only: SFX(port_dense_forward),
 * SFX(port_dense_backward_input) and SFX(port_dense_backward_weights). */

/* ---- once, whatever the precision ---- */
#ifndef SUBLIM_KERNELS_PORTABLE_IMPL_ONCE
#define SUBLIM_KERNELS_PORTABLE_IMPL_ONCE

#include <math.h>
#include <stddef.h>
#include "base/pool.h"
#include "nn/kernels_ops.h" /* KERN_UNROLL */

/* Register block of C: PORT_MR rows x 64 bytes of columns (16 floats, 8
 * doubles: four NEON or two AVX registers per row; 24 or 12 accumulators,
 * of 32 NEON or 16 AVX registers).  A task's tile is at
 * most PORT_TILE_M rows x PORT_TILE_N columns, and its K block at most
 * PORT_KC long, so its B panels (PORT_KC x PORT_TILE_N, 64 or 128 KiB on
 * the running thread's stack) stay in L2. */
#define PORT_MR 4
#define PORT_TILE_M 64
#define PORT_TILE_N 64
#define PORT_KC 256

#endif

/* ---- per precision ---- */
#if !defined(REAL) || !defined(SFX) || !defined(PORT_FMA) || !defined(PORT_TARGET)
#error "nn/kernels_portable_impl.h: define REAL, SFX(name), PORT_FMA and PORT_TARGET first"
#endif

#define PORT_NR (64 / (int)sizeof(REAL)) /* columns per panel */

typedef struct {
    REAL *c, *db;
    size_t ldc;
    size_t M, N, K;
    const REAL *a, *b;
    size_t ars, acs, bks, bns;
    const REAL *bias, *mask; /* bias [N], mask [M][ldc]: either may be NULL */
    int relu;
    size_t tiles_n; /* column tiles; tasks are tiles_m x tiles_n */
} SFX(port_job);

/* The epilogue of a full PORT_MR x PORT_NR block on its last K block:
 * s + bias, ReLU'd, masked, each step only when asked (adding a zero bias
 * would turn -0 into +0), stored to c.  Every loop has a constant length
 * and is unrolled, so that the block stays in registers: a loop of
 * variable length here becomes a memcpy of the block through memory. */
PORT_TARGET static inline void SFX(port_store_full)(REAL *c, size_t ldc,
                                                   REAL s[PORT_MR][PORT_NR],
                                                   const REAL *bias, int relu,
                                                   const REAL *mask)
{
    if (bias)
        KERN_UNROLL
        for (int r = 0; r < PORT_MR; r++)
            KERN_UNROLL
            for (int q = 0; q < PORT_NR; q++)
                s[r][q] += bias[q];
    if (relu)
        KERN_UNROLL
        for (int r = 0; r < PORT_MR; r++)
            KERN_UNROLL
            for (int q = 0; q < PORT_NR; q++)
                s[r][q] = s[r][q] > 0 ? s[r][q] : 0;
    if (mask)
        KERN_UNROLL
        for (int r = 0; r < PORT_MR; r++)
            KERN_UNROLL
            for (int q = 0; q < PORT_NR; q++)
                s[r][q] = mask[r * ldc + q] > 0 ? s[r][q] : 0;
    KERN_UNROLL
    for (int r = 0; r < PORT_MR; r++)
        KERN_UNROLL
        for (int q = 0; q < PORT_NR; q++)
            c[r * ldc + q] = s[r][q];
}

/* C[r][0..n) for r < m (at most PORT_MR x PORT_NR) += A(r, 0..k) B(0..k,
 * panel), continuing from C when load_c (a later K block).  Rows r >= m
 * reread row m-1 (never past A) and are not stored.  last: this is the
 * last K block, so add the bias and apply ReLU and mask. */
PORT_TARGET static inline void SFX(port_ukr)(const SFX(port_job) *j, size_t k,
                                            const REAL *a, size_t ars, size_t acs, size_t m,
                                            const REAL *panel, REAL *c, size_t n, size_t col,
                                            size_t row, int load_c, int last)
{
    const int full = m == PORT_MR && n == PORT_NR;
    REAL acc[PORT_MR][PORT_NR];
    const REAL *ap[PORT_MR];
    KERN_UNROLL
    for (int r = 0; r < PORT_MR; r++) {
        ap[r] = a + ((size_t)r < m ? (size_t)r : m - 1) * ars;
        KERN_UNROLL
        for (int q = 0; q < PORT_NR; q++)
            acc[r][q] = full && load_c ? c[r * j->ldc + q] : 0;
    }
    if (load_c && !full)
        for (size_t r = 0; r < m; r++)
            for (size_t q = 0; q < n; q++)
                acc[r][q] = c[r * j->ldc + q];
    for (size_t kk = 0; kk < k; kk++) {
        const REAL *bk = panel + kk * PORT_NR;
        KERN_UNROLL
        for (int r = 0; r < PORT_MR; r++) {
            REAL av = ap[r][kk * acs];
            KERN_UNROLL
            for (int q = 0; q < PORT_NR; q++)
                acc[r][q] = PORT_FMA(av, bk[q], acc[r][q]);
        }
    }
    const REAL *bias = last && j->bias ? j->bias + col : NULL;
    const REAL *mask = last && j->mask ? j->mask + row * j->ldc + col : NULL;
    int relu = last && j->relu;
    if (full) {
        SFX(port_store_full)(c, j->ldc, acc, bias, relu, mask);
        return;
    }
    for (size_t r = 0; r < m; r++) /* a ragged block, element by element */
        for (size_t q = 0; q < n; q++) {
            REAL s = acc[r][q];
            if (bias)
                s += bias[q];
            if (relu && !(s > 0))
                s = 0;
            if (mask && !(mask[r * j->ldc + q] > 0))
                s = 0;
            c[r * j->ldc + q] = s;
        }
}

/* Copies B[k0, k0+kc) x [n0, n1) into panels of PORT_NR columns, each
 * [kc][PORT_NR], zero-padded on the right.  A transposed B (w^T: columns
 * are contiguous) is read a whole column at a time: reading across rows
 * instead strides by a row, which at 1 KiB maps every row to the same few
 * L1 sets and thrashes. */
PORT_TARGET static void SFX(port_pack_b)(REAL *dst, const SFX(port_job) *j, size_t k0,
                                        size_t kc, size_t n0, size_t n1)
{
    for (size_t jn = n0; jn < n1; jn += PORT_NR, dst += kc * PORT_NR) {
        size_t np = n1 - jn < (size_t)PORT_NR ? n1 - jn : (size_t)PORT_NR;
        if (j->bns == 1) { /* rows of B contiguous (dx, dw): row by row */
            for (size_t kk = 0; kk < kc; kk++) {
                const REAL *s = j->b + (k0 + kk) * j->bks + jn;
                REAL *d = dst + kk * PORT_NR;
                if (np == PORT_NR) /* a constant length: vector moves, not a memcpy call */
                    KERN_UNROLL
                    for (int q = 0; q < PORT_NR; q++)
                        d[q] = s[q];
                else
                    for (size_t q = 0; q < np; q++)
                        d[q] = s[q];
            }
        } else { /* w^T (y): a column of B is a row of w */
            for (size_t q = 0; q < np; q++) {
                const REAL *s = j->b + k0 * j->bks + (jn + q) * j->bns;
                for (size_t kk = 0; kk < kc; kk++)
                    dst[kk * PORT_NR + q] = s[kk * j->bks];
            }
        }
        for (size_t kk = 0; kk < kc; kk++)
            for (size_t q = np; q < (size_t)PORT_NR; q++)
                dst[kk * PORT_NR + q] = 0;
    }
}

/* Copies A rows [i, i+m) x k [k0, k0+kc) to dst[kc][PORT_MR], rows past m
 * zero: for an A stored by columns (dy^T), whose elements of one k sit a
 * whole row of dy apart, so that the micro-kernel reads them from L1. */
PORT_TARGET static void SFX(port_pack_a)(REAL *dst, const SFX(port_job) *j, size_t i,
                                        size_t m, size_t k0, size_t kc)
{
    for (size_t kk = 0; kk < kc; kk++) {
        const REAL *s = j->a + i * j->ars + (k0 + kk) * j->acs;
        REAL *d = dst + kk * PORT_MR;
        for (size_t r = 0; r < PORT_MR; r++)
            d[r] = r < m ? s[r * j->ars] : 0;
    }
}

/* db[m] = sum over k of A(m,k), k increasing, for m in [m0, m1). */
PORT_TARGET static void SFX(port_col_sums)(const SFX(port_job) *j, size_t m0, size_t m1)
{
    for (size_t mi = m0; mi < m1; mi++)
        j->db[mi] = 0;
    for (size_t kk = 0; kk < j->K; kk++)
        for (size_t mi = m0; mi < m1; mi++)
            j->db[mi] += j->a[mi * j->ars + kk * j->acs];
}

PORT_TARGET static void SFX(port_task)(void *ctx, size_t t)
{
    const SFX(port_job) *j = ctx;
    size_t m0 = t / j->tiles_n * PORT_TILE_M, n0 = t % j->tiles_n * PORT_TILE_N;
    size_t m1 = m0 + PORT_TILE_M < j->M ? m0 + PORT_TILE_M : j->M;
    size_t n1 = n0 + PORT_TILE_N < j->N ? n0 + PORT_TILE_N : j->N;
    REAL panels[PORT_KC * PORT_TILE_N];
    REAL apack[PORT_KC * PORT_MR];
    const int pack_a = j->acs != 1; /* A by columns */

    /* K blocks; one (empty) when K is 0, so C is still bias, ReLU, mask */
    for (size_t k0 = 0;; k0 += PORT_KC) {
        size_t kc = j->K - k0 < PORT_KC ? j->K - k0 : PORT_KC;
        int last = k0 + kc == j->K;
        SFX(port_pack_b)(panels, j, k0, kc, n0, n1);
        for (size_t i = m0; i < m1; i += PORT_MR) {
            size_t m = m1 - i < PORT_MR ? m1 - i : PORT_MR;
            const REAL *a = j->a + i * j->ars + k0 * j->acs;
            size_t ars = j->ars, acs = j->acs;
            if (pack_a) {
                SFX(port_pack_a)(apack, j, i, m, k0, kc);
                a = apack;
                ars = 1;
                acs = PORT_MR;
            }
            const REAL *panel = panels;
            for (size_t jn = n0; jn < n1; jn += PORT_NR, panel += kc * PORT_NR) {
                size_t n = n1 - jn < (size_t)PORT_NR ? n1 - jn : (size_t)PORT_NR;
                SFX(port_ukr)(j, kc, a, ars, acs, m, panel, j->c + i * j->ldc + jn, n, jn,
                              i, k0 > 0, last);
            }
        }
        if (last)
            break;
    }
    if (j->db && n0 == 0) /* the first column tile sums its rows */
        SFX(port_col_sums)(j, m0, m1);
}

PORT_TARGET static void SFX(port_gemm)(pool *p, SFX(port_job) *j)
{
    size_t tiles_m = (j->M + PORT_TILE_M - 1) / PORT_TILE_M;
    j->tiles_n = (j->N + PORT_TILE_N - 1) / PORT_TILE_N;
    if (j->N == 0 && j->db) /* no C, but the bias gradient is still due */
        j->tiles_n = 1;
    pool_run(p, SFX(port_task), j, tiles_m * j->tiles_n);
}

PORT_TARGET static void SFX(port_dense_forward)(pool *p, REAL *y, const REAL *x,
                                               const REAL *w, const REAL *b, size_t batch,
                                               size_t in, size_t out, int relu)
{
    SFX(port_job) j = {.c = y, .ldc = out, .M = batch, .N = out, .K = in,
                       .a = x, .ars = in, .acs = 1, .b = w, .bks = 1, .bns = in,
                       .bias = b, .relu = relu};
    SFX(port_gemm)(p, &j);
}

PORT_TARGET static void SFX(port_dense_backward_input)(pool *p, REAL *dx, const REAL *dy,
                                                      const REAL *w, const REAL *mask,
                                                      size_t batch, size_t in, size_t out)
{
    SFX(port_job) j = {.c = dx, .ldc = in, .M = batch, .N = in, .K = out,
                       .a = dy, .ars = out, .acs = 1, .b = w, .bks = in, .bns = 1,
                       .mask = mask};
    SFX(port_gemm)(p, &j);
}

PORT_TARGET static void SFX(port_dense_backward_weights)(pool *p, REAL *dw, REAL *db,
                                                        const REAL *dy, const REAL *x,
                                                        size_t batch, size_t in, size_t out)
{
    SFX(port_job) j = {.c = dw, .db = db, .ldc = in, .M = out, .N = in, .K = batch,
                       .a = dy, .ars = 1, .acs = out, .b = x, .bks = in, .bns = 1};
    SFX(port_gemm)(p, &j);
}

#undef PORT_NR
#undef REAL
#undef SFX
#undef PORT_FMA
