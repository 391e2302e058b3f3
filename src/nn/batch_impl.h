/* batch_impl: building a batch of digits or noise, written once over REAL.
 *
 * batch.c includes this twice: REAL float with SFX(name) name##_f32, then
 * REAL double with SFX(name) name##_f64; each inclusion defines the
 * functions batch_decl.h declares and ends by undefining REAL and SFX. */

/* ---- once, whatever the precision ---- */
#ifndef SUBLIM_BATCH_IMPL_ONCE
#define SUBLIM_BATCH_IMPL_ONCE

#include "nn/batch.h"
#include "base/rng.h"

/* Noise blocks made per call of rng_blocks (4 pixels each). */
#define BATCH_NOISE_CHUNK 256

/* Digit rows per pool task: enough to amortize claiming a task. */
#define BATCH_DIGIT_ROWS 16

/* How many rows ahead a digit row is prefetched. */
#define BATCH_PREFETCH_AHEAD 2

/* The per-pixel loops are built for AVX-512 and AVX2 besides plain x86-64,
 * picked when the program loads. */
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define BATCH_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define BATCH_VECTOR_CLONES
#endif

#endif

/* ---- per precision ---- */
#if !defined(REAL) || !defined(SFX)
#error "nn/batch_impl.h: define REAL and SFX(name) first"
#endif

typedef struct {
    REAL *out;
    const dataset *d;
    const size_t *index;
    size_t n;
    const size_t *perm; /* NULL: the pixels in place */
} SFX(digits_job);

BATCH_VECTOR_CLONES static void SFX(digits_rows)(void *ctx, size_t task)
{
    const SFX(digits_job) *job = ctx;
    size_t pixels = job->d->pixels, end = (task + 1) * BATCH_DIGIT_ROWS;
    for (size_t r = task * BATCH_DIGIT_ROWS; r < end && r < job->n; r++) {
        /* Rows are scattered over the dataset: fetch a later one now, so it
         * arrives from memory while this one is scaled. */
        if (r + BATCH_PREFETCH_AHEAD < job->n) {
            const char *next = (const char *)(job->d->images +
                                              job->index[r + BATCH_PREFETCH_AHEAD] * pixels);
            for (size_t b = 0; b < pixels; b += 64)
                __builtin_prefetch(next + b);
            __builtin_prefetch(next + pixels - 1);
        }
        const uint8_t *restrict img = job->d->images + job->index[r] * pixels;
        REAL *restrict o = job->out + r * pixels;
        /* Vectorized; division is correctly rounded in every lane, so every
         * clone gives the same numbers. */
        if (!job->perm)
            for (size_t j = 0; j < pixels; j++)
                o[j] = ((REAL)img[j] / (REAL)255 - (REAL)0.5) / (REAL)0.5;
        else
            for (size_t j = 0; j < pixels; j++)
                o[j] = ((REAL)img[job->perm[j]] / (REAL)255 - (REAL)0.5) / (REAL)0.5;
    }
}

void SFX(batch_digits)(pool *p, REAL *out, const dataset *d, const size_t *index, size_t n)
{
    SFX(digits_job) job = {out, d, index, n, NULL};
    pool_run(p, SFX(digits_rows), &job, (n + BATCH_DIGIT_ROWS - 1) / BATCH_DIGIT_ROWS);
}

void SFX(batch_permuted)(pool *p, REAL *out, const dataset *d, const size_t *perm,
                         const size_t *index, size_t n)
{
    SFX(digits_job) job = {out, d, index, n, perm};
    pool_run(p, SFX(digits_rows), &job, (n + BATCH_DIGIT_ROWS - 1) / BATCH_DIGIT_ROWS);
}

typedef struct {
    REAL *out;
    uint64_t seed;
    enum noise_kind kind;
    const size_t *index;
    size_t pixels;
} SFX(noise_job);

BATCH_VECTOR_CLONES static void SFX(noise_row)(void *ctx, size_t r)
{
    const SFX(noise_job) *job = ctx;
    REAL *o = job->out + r * job->pixels;
    size_t quads = (job->pixels + 3) / 4;
    if (job->kind == NOISE_UNIFORM) {
        /* Image i's pixels are the words of blocks i*quads .. i*quads+quads-1,
         * made in chunks so that any image size fits the stack buffer. */
        uint32_t words[4 * BATCH_NOISE_CHUNK];
        for (size_t q0 = 0; q0 < quads; q0 += BATCH_NOISE_CHUNK) {
            size_t nq = quads - q0 < BATCH_NOISE_CHUNK ? quads - q0 : BATCH_NOISE_CHUNK;
            rng_blocks(job->seed, RNG_NOISE, 0, (uint64_t)job->index[r] * quads + q0, nq,
                       words);
            size_t n = job->pixels - 4 * q0 < 4 * nq ? job->pixels - 4 * q0 : 4 * nq;
            REAL *restrict dst = o + 4 * q0;
            for (size_t k = 0; k < n; k++) /* one bound: it vectorizes */
                dst[k] = rng_sym_f32(words[k]);
        }
        return;
    }
    for (size_t quad = 0; quad < quads; quad++) {
        float q[4];
        batch_noise_quad(q, job->seed, job->kind, job->index[r], quad, job->pixels);
        for (size_t k = 0; k < 4 && 4 * quad + k < job->pixels; k++)
            o[4 * quad + k] = q[k];
    }
}

void SFX(batch_noise)(pool *p, REAL *out, uint64_t seed, enum noise_kind kind,
                      const size_t *index, size_t n, size_t pixels)
{
    SFX(noise_job) job = {out, seed, kind, index, pixels};
    pool_run(p, SFX(noise_row), &job, n);
}

#undef REAL
#undef SFX
