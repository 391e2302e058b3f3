/* kernels_simd_impl: one vector path of the dense-layer products, written
 * once over REAL and the instruction set's vector macros.
 *
 * kernels_avx512.c, kernels_avx2.c and kernels_neon.c each include this
 * twice, once per precision, after their intrinsics header.  Per file (the
 * instruction set), the includer defines:
 *
 *   KS_TARGET                function attribute enabling the instruction set
 *   KS_MR, KS_NVMAX          register tile: KS_MR rows x KS_NVMAX vectors
 *   KS_PACK_A                1: copy dy^T panels (pack_a); 0: read in place
 *   SFX(transpose)(d, ldd, s, lds, nrows)  a function: d[c][r] = s[r][c]
 *                            for a KS_VL x KS_VL block (row strides ldd, lds),
 *                            reading rows r >= nrows as zero
 *
 * and per inclusion (the precision), undefined again at the end of this file:
 *
 *   REAL, SFX(name)          element type; appends _f32 / _f64 to a name
 *   KS_VEC, KS_VL            vector type and its number of lanes
 *   KS_MASK                  lane-mask type; KS_TAILMASK(n) keeps lanes < n
 *   KS_ZERO() KS_LOAD(p) KS_LOADM(p,k) KS_STORE(p,v) KS_STOREM(p,k,v)
 *   KS_BCAST(p) KS_FMA(a,b,c)=a*b+c KS_ADD(a,b) KS_KEEPGT0(v,t)=t>0 ? v : 0
 *
 * Each inclusion defines static functions only: SFX(simd_dense_forward),
 * SFX(simd_dense_backward_input) and SFX(simd_dense_backward_weights),
 * which the includer gathers in its kern_ops table (kernels_ops.h).  Its other
 * statics need SFX alone to be unique, as a file holds one instruction set.
 *
 * All three products are one GEMM, C[M][N] = A[M][K] B[K][N], with A and B
 * read through strides: A(m,k) = a[m*ars + k*acs], B(k,n) = b[k*bks + n*bns].
 *
 *   forward           C = y  [batch][out]  A = x (rows)     B = w^T (packed)
 *   backward_input    C = dx [batch][in]   A = dy (rows)    B = w   (direct)
 *   backward_weights  C = dw [out][in]     A = dy^T (cols)  B = x   (direct)
 *
 * The micro-kernel keeps a KS_MR x (KS_NVMAX*KS_VL) block of C in registers,
 * broadcasts one A element per row and multiplies it into the vectors of
 * one B row.  A row-major A is read in place through KS_MR row pointers;
 * dy^T in place too, with prefetching, or copied panel by panel to
 * [k][KS_MR] (pack_a, where that is faster).  B is packed only
 * for the forward product, whose weight matrix must be transposed so that
 * a B row is contiguous (pack_b, by KS_VL x KS_VL register transposes).
 * Everything needed per task lives on the stack of the thread running it
 * (KS_BUF_BYTES + a KS_KC x KS_MR panel): no allocation, no shared state.
 *
 * Tasks are tiles of C (never a split of the K sum): a grid of column tiles
 * (whole vectors) and row tiles (whole KS_MR panels), see gemm().
 *
 * Sum order (the determinism contract): every C element is one fused
 * multiply-add chain over k = 0, 1, ..., K-1 starting from 0, then + bias,
 * then ReLU / mask.  K blocking stores and reloads the running sum exactly,
 * so the result does not depend on the tiling, the task split or the thread
 * count -- and the AVX2 and AVX-512 paths give the same bits. */

/* ---- once, whatever the instruction set and precision ---- */
#ifndef SUBLIM_KERNELS_SIMD_IMPL_ONCE
#define SUBLIM_KERNELS_SIMD_IMPL_ONCE

#include <string.h>
#include "base/pool.h"
#include "nn/kernels_ops.h" /* KERN_UNROLL */

/* Bytes of packed B per task (on the running thread's stack), the
 * preferred K block, the B bytes a task's column tile may keep in L2, and
 * the prefetch distance (k steps) for dy^T read in place. */
#ifndef KS_BUF_BYTES
#define KS_BUF_BYTES (192u * 1024u)
#endif
#ifndef KS_KC
#define KS_KC 512
#endif
#ifndef KS_L2_BYTES
#define KS_L2_BYTES (256u * 1024u)
#endif
#define KS_PF 16

#endif

/* ---- per precision ---- */
#if !defined(REAL) || !defined(SFX) || !defined(KS_VEC) || !defined(KS_TARGET)
#error "nn/kernels_simd_impl.h: define REAL, SFX(name) and the KS_ macros first"
#endif

#define KS_NRP (KS_NVMAX * KS_VL) /* widest panel: columns per micro-kernel */

/* Packed B block per task: KS_BUF_BYTES on the stack of the running thread. */
#define KS_BUF (KS_BUF_BYTES / sizeof(REAL))

/* gemm() sizes packed tiles in whole panels: one must fit at a full K block. */
_Static_assert(KS_BUF >= (size_t)KS_KC * KS_NRP, "pack buffer below one panel");

/* Epilogue of the last K block, all pointers already at the tile origin. */
typedef struct {
    const REAL *bias; /* [n] added to every row, or NULL */
    const REAL *mask; /* [m][ldm]: zero C where mask <= 0, or NULL */
    size_t ldm;
    int relu;
} SFX(epi);

/* The K loop of ukr: acc[r][v] += A(r,kk) B(kk, vector v) for kk < k, one
 * fused multiply-add chain per element in increasing kk.  masked: the last
 * vector of a B row is read through tm (B is not padded to whole vectors). */
KS_TARGET __attribute__((always_inline)) static inline void
SFX(ukr_k)(const int nv, const int masked, const int prefetch_a, size_t k,
           const REAL *const ap[KS_MR], size_t cs, const REAL *b, size_t bs, KS_MASK tm,
           KS_VEC acc[KS_MR][KS_NVMAX])
{
    for (size_t kk = 0; kk < k; kk++) {
        KS_VEC bv[KS_NVMAX];
        if (prefetch_a) /* A by columns: one strided line per k */
            __builtin_prefetch(ap[0] + (kk + KS_PF) * cs);
KERN_UNROLL
        for (int v = 0; v < nv; v++)
            bv[v] = masked && v == nv - 1 ? KS_LOADM(b + v * KS_VL, tm) : KS_LOAD(b + v * KS_VL);
KERN_UNROLL
        for (int r = 0; r < KS_MR; r++) {
            KS_VEC av = KS_BCAST(ap[r] + kk * cs);
KERN_UNROLL
            for (int v = 0; v < nv; v++)
                acc[r][v] = KS_FMA(av, bv[v], acc[r][v]);
        }
        b += bs;
    }
}

/* C[m][n] (+)= A B for one register tile.  A(r,k) = a[r*rs + k*cs]; rows
 * r >= m_read repeat row m_read-1 (never read past A), rows r >= m are not
 * stored; n <= nv*KS_VL columns.  B rows are bs apart; when b_padded, every
 * B row is readable nv*KS_VL wide.  load_c continues the chain from C (a
 * later K block); e != NULL applies the epilogue (the last K block). */
KS_TARGET __attribute__((always_inline)) static inline void
SFX(ukr)(const int nv, const int prefetch_a, size_t k, const REAL *a, size_t rs,
         size_t cs, size_t m_read, size_t m, const REAL *b, size_t bs,
         int b_padded, size_t n, REAL *c, size_t ldc, int load_c,
         const SFX(epi) *e)
{
    const REAL *ap[KS_MR];
    KS_VEC acc[KS_MR][KS_NVMAX];
    const size_t last_n = n - (size_t)(nv - 1) * KS_VL; /* lanes of the last vector */
    const int full = last_n == KS_VL;
    const KS_MASK tm = KS_TAILMASK(last_n);
KERN_UNROLL
    for (int r = 0; r < KS_MR; r++)
        ap[r] = a + ((size_t)r < m_read ? (size_t)r : m_read - 1) * rs;

KERN_UNROLL
    for (int r = 0; r < KS_MR; r++) {
KERN_UNROLL
        for (int v = 0; v < nv; v++)
            acc[r][v] = !load_c || (size_t)r >= m ? KS_ZERO()
                        : v < nv - 1 || full      ? KS_LOAD(c + r * ldc + v * KS_VL)
                                                  : KS_LOADM(c + r * ldc + v * KS_VL, tm);
    }

    if (b_padded || full)
        SFX(ukr_k)(nv, 0, prefetch_a, k, ap, cs, b, bs, tm, acc);
    else
        SFX(ukr_k)(nv, 1, prefetch_a, k, ap, cs, b, bs, tm, acc);
    if (e) {
        if (e->bias) {
KERN_UNROLL
            for (int v = 0; v < nv; v++) {
                KS_VEC bb = (v < nv - 1 || full) ? KS_LOAD(e->bias + v * KS_VL)
                                                 : KS_LOADM(e->bias + v * KS_VL, tm);
KERN_UNROLL
                for (int r = 0; r < KS_MR; r++)
                    acc[r][v] = KS_ADD(acc[r][v], bb);
            }
        }
        if (e->relu) {
KERN_UNROLL
            for (int r = 0; r < KS_MR; r++)
KERN_UNROLL
                for (int v = 0; v < nv; v++)
                    acc[r][v] = KS_KEEPGT0(acc[r][v], acc[r][v]);
        }
        if (e->mask) {
KERN_UNROLL
            for (int r = 0; r < KS_MR; r++) {
                if ((size_t)r >= m)
                    break;
                const REAL *mr = e->mask + r * e->ldm;
KERN_UNROLL
                for (int v = 0; v < nv; v++) {
                    KS_VEC mv = (v < nv - 1 || full) ? KS_LOAD(mr + v * KS_VL)
                                                     : KS_LOADM(mr + v * KS_VL, tm);
                    acc[r][v] = KS_KEEPGT0(acc[r][v], mv);
                }
            }
        }
    }
KERN_UNROLL
    for (int r = 0; r < KS_MR; r++) {
        if ((size_t)r >= m)
            break;
KERN_UNROLL
        for (int v = 0; v < nv; v++) {
            if (v < nv - 1 || full)
                KS_STORE(c + r * ldc + v * KS_VL, acc[r][v]);
            else
                KS_STOREM(c + r * ldc + v * KS_VL, tm, acc[r][v]);
        }
    }
}

/* The three widths, each compiled with constant nv, in two variants for
 * the two layouts of A: "rows" reads a row-major A in place through KS_MR
 * row pointers; "cols" reads an A stored by columns (dy^T) -- in place,
 * prefetching, or (KS_PACK_A) from a [k][KS_MR] copy made by pack_a. */
#if KS_PACK_A
#define KS_UKR_COLS(NV) SFX(ukr)(NV, 0, k, a, 1, KS_MR, KS_MR, m, b, bs, \
                                 b_padded, n, c, ldc, load_c, e)
#else
#define KS_UKR_COLS(NV) SFX(ukr)(NV, 1, k, a, 1, lda, m, m, b, bs, b_padded, \
                                 n, c, ldc, load_c, e)
#endif
#define KS_UKR_VARIANT(NV)                                                       \
    KS_TARGET static void SFX(ukr_rows##NV)(                                     \
        size_t k, const REAL *a, size_t lda, size_t m, const REAL *b,            \
        size_t bs, int b_padded, size_t n, REAL *c, size_t ldc, int load_c,      \
        const SFX(epi) *e)                                                       \
    {                                                                            \
        SFX(ukr)(NV, 0, k, a, lda, 1, m, m, b, bs, b_padded, n, c, ldc,          \
                 load_c, e);                                                     \
    }                                                                            \
    KS_TARGET static void SFX(ukr_cols##NV)(                                     \
        size_t k, const REAL *a, size_t lda, size_t m, const REAL *b,            \
        size_t bs, int b_padded, size_t n, REAL *c, size_t ldc, int load_c,      \
        const SFX(epi) *e)                                                       \
    {                                                                            \
        (void)lda;                                                               \
        KS_UKR_COLS(NV);                                                         \
    }
KS_UKR_VARIANT(1)
KS_UKR_VARIANT(2)
#if KS_NVMAX >= 3
KS_UKR_VARIANT(3)
#endif
#undef KS_UKR_VARIANT
#undef KS_UKR_COLS

typedef void SFX(ukr_fn)(size_t k, const REAL *a, size_t lda, size_t m,
                         const REAL *b, size_t bs, int b_padded, size_t n,
                         REAL *c, size_t ldc, int load_c, const SFX(epi) *e);

/* One GEMM call, split into tiles of C (tasks). */
typedef struct {
    REAL *c;
    size_t ldc;
    size_t M, N, K;
    const REAL *a;
    size_t ars, acs;
    const REAL *b;
    size_t bks, bns;
    int pack_b;
    const REAL *bias;
    const REAL *mask;
    size_t ldm;
    int relu;
    REAL *db;        /* backward_weights: column sums of A^T, or NULL */
    size_t tiles_m, tiles_n; /* task grid: row panels x column vectors */
    size_t kc;               /* K block */
} SFX(job);

/* Packs B[k0, k0+kc) x [n0, n1) as panels of KS_NRP columns, each
 * [kc][KS_NRP], zero-padded on the right. */
KS_TARGET static void SFX(pack_b)(REAL *dst, const SFX(job) *j,
                                  size_t k0, size_t kc, size_t n0, size_t n1)
{
    for (size_t jn = n0; jn < n1; jn += KS_NRP, dst += kc * KS_NRP) {
        size_t np = n1 - jn < KS_NRP ? n1 - jn : KS_NRP;
        if (j->bns == 1) {
            for (size_t kk = 0; kk < kc; kk++) {
                const REAL *s = j->b + (k0 + kk) * j->bks + jn;
                REAL *d = dst + kk * KS_NRP;
                size_t col = 0;
                for (; col < np; col++)
                    d[col] = s[col];
                for (; col < KS_NRP; col++)
                    d[col] = 0;
            }
        } else {
            /* Transpose, a KS_VL x KS_VL block at a time in registers; the
             * ragged right and bottom edges element by element. */
            for (size_t g = 0; g < KS_NRP; g += KS_VL) {
                for (size_t kb = 0; kb < kc; kb += KS_VL) {
                    size_t kn = kc - kb < KS_VL ? kc - kb : KS_VL;
                    REAL *d = dst + kb * KS_NRP + g;
                    const REAL *src = j->b + (jn + g) * j->bns + (k0 + kb) * j->bks;
                    if (kn == KS_VL && j->bks == 1) {
                        size_t rows = g < np ? np - g : 0;
                        SFX(transpose)(d, KS_NRP, src, j->bns,
                                       rows < KS_VL ? rows : KS_VL);
                        continue;
                    }
                    for (size_t kk = 0; kk < kn; kk++)
                        for (size_t col = 0; col < KS_VL; col++)
                            d[kk * KS_NRP + col] = g + col < np
                                ? src[col * j->bns + kk * j->bks] : 0;
                }
            }
        }
    }
}

/* Copies A rows [i, i+m) x k [k0, k0+kc) to dst[kc][KS_MR] (rows past m
 * zero).  For an A stored by columns (dy^T) the KS_MR elements of one k sit
 * a whole A row apart, a stride that defeats L1 when the panel is reread
 * for every B panel; the copy is read from L1.  Pays off where a k step of
 * the micro-kernel is short (AVX2), not for AVX-512 (KS_PACK_A). */
KS_TARGET static void SFX(pack_a)(REAL *dst, const SFX(job) *j,
                                  size_t i, size_t m, size_t k0, size_t kc)
{
    if (m == KS_MR && j->ars == 1) { /* the usual case: KS_MR adjacent values */
        for (size_t kk = 0; kk < kc; kk++)
            memcpy(dst + kk * KS_MR, j->a + i + (k0 + kk) * j->acs, sizeof(REAL) * KS_MR);
        return;
    }
    for (size_t kk = 0; kk < kc; kk++) {
        const REAL *s = j->a + i * j->ars + (k0 + kk) * j->acs;
        REAL *d = dst + kk * KS_MR;
        for (size_t r = 0; r < m; r++)
            d[r] = s[r * j->ars];
        for (size_t r = m; r < KS_MR; r++)
            d[r] = 0;
    }
}

/* db[m] = sum over k of A(m,k) for m in [m0, m1), k increasing: a vector of
 * rows at a time (rows are adjacent in dy^T), each lane its own sum. */
KS_TARGET static void SFX(col_sums)(REAL *db, const SFX(job) *j,
                                    size_t m0, size_t m1)
{
    if (j->ars != 1) {
        for (size_t mi = m0; mi < m1; mi++)
            db[mi] = 0;
        for (size_t kk = 0; kk < j->K; kk++)
            for (size_t mi = m0; mi < m1; mi++)
                db[mi] += j->a[mi * j->ars + kk * j->acs];
        return;
    }
    for (size_t mi = m0; mi < m1; mi += KS_VL) {
        size_t lanes = m1 - mi < KS_VL ? m1 - mi : KS_VL;
        const KS_MASK tm = KS_TAILMASK(lanes);
        const REAL *s = j->a + mi;
        KS_VEC acc = KS_ZERO();
        if (lanes == KS_VL)
            for (size_t kk = 0; kk < j->K; kk++)
                acc = KS_ADD(acc, KS_LOAD(s + kk * j->acs));
        else
            for (size_t kk = 0; kk < j->K; kk++)
                acc = KS_ADD(acc, KS_LOADM(s + kk * j->acs, tm));
        if (lanes == KS_VL)
            KS_STORE(db + mi, acc);
        else
            KS_STOREM(db + mi, tm, acc);
    }
}

KS_TARGET static void SFX(task)(void *ctx, size_t t)
{
    const SFX(job) *j = ctx;
    size_t ti = t / j->tiles_n, tj = t % j->tiles_n;
    /* rows: a share of the KS_MR-row panels; columns: of the vectors */
    size_t pan_m = (j->M + KS_MR - 1) / KS_MR, vec_n = (j->N + KS_VL - 1) / KS_VL;
    size_t m0 = ti * pan_m / j->tiles_m * KS_MR;
    size_t m1 = (ti + 1) * pan_m / j->tiles_m * KS_MR;
    size_t n0 = tj * vec_n / j->tiles_n * KS_VL;
    size_t n1 = (tj + 1) * vec_n / j->tiles_n * KS_VL;
    m1 = m1 < j->M ? m1 : j->M;
    n1 = n1 < j->N ? n1 : j->N;
    REAL bbuf[KS_BUF] __attribute__((aligned(64)));
    REAL abuf[KS_PACK_A ? KS_KC * KS_MR : 1] __attribute__((aligned(64)));
    const int rows = j->acs == 1; /* A row-major (else by columns) */

    for (size_t k0 = 0;; ) {
        size_t kc = j->K - k0 < j->kc ? j->K - k0 : j->kc;
        int last = k0 + kc >= j->K;
        if (j->pack_b)
            SFX(pack_b)(bbuf, j, k0, kc, n0, n1);
        for (size_t i = m0; i < m1; i += KS_MR) {
            size_t mm = m1 - i < KS_MR ? m1 - i : KS_MR;
            const REAL *a = j->a + i * j->ars + k0 * j->acs;
            if (KS_PACK_A && !rows) {
                SFX(pack_a)(abuf, j, i, mm, k0, kc);
                a = abuf;
            }
            size_t jp = 0;
            for (size_t jn = n0; jn < n1; jn += KS_NRP, jp++) {
                size_t nn = n1 - jn < KS_NRP ? n1 - jn : KS_NRP;
                int nv = (int)((nn + KS_VL - 1) / KS_VL);
                const REAL *b;
                size_t bs;
                if (j->pack_b) {
                    b = bbuf + jp * kc * KS_NRP;
                    bs = KS_NRP;
                } else {
                    b = j->b + k0 * j->bks + jn;
                    bs = j->bks;
                }
                SFX(epi) e = {
                    j->bias ? j->bias + jn : NULL,
                    j->mask ? j->mask + i * j->ldm + jn : NULL,
                    j->ldm, j->relu,
                };
                SFX(ukr_fn) *f;
#if KS_NVMAX >= 3
                if (nv == 3)
                    f = rows ? SFX(ukr_rows3) : SFX(ukr_cols3);
                else
#endif
                if (nv == 2)
                    f = rows ? SFX(ukr_rows2) : SFX(ukr_cols2);
                else
                    f = rows ? SFX(ukr_rows1) : SFX(ukr_cols1);
                f(kc, a, rows ? j->ars : j->acs, mm, b, bs, j->pack_b, nn, j->c + i * j->ldc + jn,
                  j->ldc, k0 > 0, last ? &e : NULL);
            }
        }
        if (last)
            break;
        k0 += kc;
    }

    /* db[m] = sum_k A(m,k), k increasing, for this tile's rows, shared out
     * in whole vectors among the tile's column tiles. */
    if (j->db) {
        size_t vecs = (m1 - m0 + KS_VL - 1) / KS_VL;
        size_t s0 = m0 + tj * vecs / j->tiles_n * KS_VL;
        size_t s1 = m0 + (tj + 1) * vecs / j->tiles_n * KS_VL;
        s1 = s1 < m1 ? s1 : m1;
        if (s0 < s1)
            SFX(col_sums)(j->db, j, s0, s1);
    }
}

/* Chooses the task tiling (it never changes a result, only the speed) and
 * runs the tasks on the pool. */
KS_TARGET static void SFX(gemm)(pool *p, SFX(job) *j)
{
    if (j->M == 0 || j->N == 0) {
        if (j->db)
            SFX(col_sums)(j->db, j, 0, j->M);
        return;
    }
    size_t threads = pool_threads(p);
    size_t vec_n = (j->N + KS_VL - 1) / KS_VL;   /* column vectors */
    size_t pan_m = (j->M + KS_MR - 1) / KS_MR;   /* row panels */
    j->kc = j->K < KS_KC ? j->K : KS_KC;
    if (j->kc == 0)
        j->kc = 1;

    /* Column tiles are narrow enough that a K block of B for one tile stays
     * in L2 (and fits the pack buffer); with several threads there are
     * about 4 tasks per thread.  Tiles are balanced in vectors and row
     * panels.  None of this changes a result, only the speed. */
    size_t max_vec = KS_L2_BYTES / (j->kc * KS_VL * sizeof(REAL));
    if (j->pack_b) {
        /* packed as whole panels of KS_NVMAX vectors: a multiple of that
         * (at least one, by the static assertion above) */
        size_t fit = KS_BUF / (j->kc * KS_VL);
        fit -= fit % KS_NVMAX;
        if (max_vec > fit)
            max_vec = fit;
    }
    if (max_vec == 0)
        max_vec = 1;
    size_t want = threads == 1 ? 1 : 4 * threads;
    size_t tiles_n = (vec_n + max_vec - 1) / max_vec, tiles_m;
    if (KS_PACK_A && j->acs != 1) {
        /* A packed per task (dy^T): each column tile repacks all its rows,
         * so split rows first, then columns if rows run out. */
        tiles_m = (want + tiles_n - 1) / tiles_n;
        tiles_m = tiles_m < pan_m ? tiles_m : pan_m;
        size_t more = (want + tiles_m - 1) / tiles_m;
        size_t cap = vec_n / 2 > 1 ? vec_n / 2 : 1;
        if (tiles_n < more)
            tiles_n = more < cap ? more : cap;
        if (tiles_n < (vec_n + max_vec - 1) / max_vec)
            tiles_n = (vec_n + max_vec - 1) / max_vec;
    } else {
        /* B packed per task (forward) or not at all: split columns first,
         * tiles at least 2 vectors wide, then rows. */
        size_t wide = vec_n / 2 < want ? vec_n / 2 : want;
        if (tiles_n < wide)
            tiles_n = wide;
        if (tiles_n == 0)
            tiles_n = 1;
        tiles_m = (want + tiles_n - 1) / tiles_n;
        tiles_m = tiles_m < pan_m ? tiles_m : pan_m;
    }
    j->tiles_n = tiles_n;
    j->tiles_m = tiles_m;
    pool_run(p, SFX(task), j, j->tiles_m * j->tiles_n);
}

KS_TARGET static void SFX(simd_dense_forward)(pool *p, REAL *y, const REAL *x,
                                              const REAL *w, const REAL *b, size_t batch,
                                              size_t in, size_t out, int relu)
{
    SFX(job) j = {
        .c = y, .ldc = out, .M = batch, .N = out, .K = in,
        .a = x, .ars = in, .acs = 1, .b = w, .bks = 1, .bns = in,
        .pack_b = 1, .bias = b, .relu = relu,
    };
    SFX(gemm)(p, &j);
}

KS_TARGET static void SFX(simd_dense_backward_input)(pool *p, REAL *dx, const REAL *dy,
                                                     const REAL *w, const REAL *mask,
                                                     size_t batch, size_t in, size_t out)
{
    SFX(job) j = {
        .c = dx, .ldc = in, .M = batch, .N = in, .K = out,
        .a = dy, .ars = out, .acs = 1, .b = w, .bks = in, .bns = 1,
        .mask = mask, .ldm = in,
    };
    SFX(gemm)(p, &j);
}

KS_TARGET static void SFX(simd_dense_backward_weights)(pool *p, REAL *dw, REAL *db,
                                                       const REAL *dy, const REAL *x,
                                                       size_t batch, size_t in, size_t out)
{
    SFX(job) j = {
        .c = dw, .ldc = in, .M = out, .N = in, .K = batch,
        .a = dy, .ars = 1, .acs = out, .b = x, .bks = in, .bns = 1,
        .db = db,
    };
    SFX(gemm)(p, &j);
}

#undef KS_NRP
#undef KS_BUF
#undef REAL
#undef SFX
#undef KS_VEC
#undef KS_VL
#undef KS_MASK
#undef KS_TAILMASK
#undef KS_ZERO
#undef KS_LOAD
#undef KS_LOADM
#undef KS_STORE
#undef KS_STOREM
#undef KS_BCAST
#undef KS_FMA
#undef KS_ADD
#undef KS_KEEPGT0
