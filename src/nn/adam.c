#include "nn/adam.h"
#include <math.h>
#include "base/detmath.h"
#include <stdlib.h>
#include <string.h>

/* Elementwise work is cut into fixed chunks; each number is updated by one
 * task, so the thread count cannot change a bit. */
#define ADAM_CHUNK 16384

int adam_init(adam *a, size_t n, adam_config cfg, err *e)
{
    memset(a, 0, sizeof *a);
    a->cfg = cfg;
    a->n = n;
    a->m = calloc(n ? n : 1, sizeof *a->m);
    a->v = calloc(n ? n : 1, sizeof *a->v);
    if (!a->m || !a->v) {
        adam_free(a);
        return err_set(e, "out of memory for Adam moments (%zu numbers)", 2 * n);
    }
    return 0;
}

size_t adam_bytes(size_t n)
{
    return 2 * n * sizeof(float);
}

void adam_free(adam *a)
{
    free(a->m);
    free(a->v);
    memset(a, 0, sizeof *a);
}

void adam_reset(adam *a)
{
    memset(a->m, 0, a->n * sizeof *a->m);
    memset(a->v, 0, a->n * sizeof *a->v);
    a->step = 0;
}

/* The update of n numbers.  restrict lets the compiler vectorize it, and
 * target_clones builds it for AVX-512 and AVX2 besides plain x86-64, picked
 * when the program loads: vector sqrt and division are correctly rounded,
 * so every clone gives the same bits. */
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
static void adam_update(float *restrict params, const float *restrict grads,
                        float *restrict m, float *restrict v, size_t n, float one_minus_b1,
                        float b2, float one_minus_b2, float eps, float step_size,
                        float bc2_sqrt)
{
    for (size_t k = 0; k < n; k++) {
        float g = grads[k];
        m[k] += (g - m[k]) * one_minus_b1; /* lerp, as PyTorch */
        v[k] = v[k] * b2 + one_minus_b2 * g * g;
        float denom = sqrtf(v[k]) / bc2_sqrt + eps;
        params[k] -= step_size * (m[k] / denom);
    }
}

typedef struct {
    adam *a;
    float *params;
    const float *grads;
    float step_size, bc2_sqrt;
} adam_job;

static void adam_chunk(void *ctx, size_t chunk)
{
    const adam_job *job = ctx;
    adam *a = job->a;
    size_t begin = chunk * ADAM_CHUNK;
    size_t end = begin + ADAM_CHUNK < a->n ? begin + ADAM_CHUNK : a->n;
    /* 1 - beta is rounded once from double, as PyTorch does. */
    adam_update(job->params + begin, job->grads + begin, a->m + begin, a->v + begin,
                end - begin, (float)(1 - a->cfg.beta1), (float)a->cfg.beta2,
                (float)(1 - a->cfg.beta2), (float)a->cfg.eps, job->step_size,
                job->bc2_sqrt);
}

void adam_step(adam *a, pool *p, float *params, const float *grads)
{
    a->step++;
    /* beta^step by products alone (detmath_powi): libm's pow differs
     * between libraries in the last bit */
    double bc1 = 1 - detmath_powi(a->cfg.beta1, (uint64_t)a->step);
    double bc2 = 1 - detmath_powi(a->cfg.beta2, (uint64_t)a->step);
    adam_job job = {a, params, grads, (float)(a->cfg.lr / bc1), (float)sqrt(bc2)};
    pool_run(p, adam_chunk, &job, (a->n + ADAM_CHUNK - 1) / ADAM_CHUNK);
}
