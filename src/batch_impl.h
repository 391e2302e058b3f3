/* Batch building written once over `real`; batch.c includes this twice. */

void SFX(batch_digits)(real *out, const dataset *d, const size_t *index, size_t n)
{
    for (size_t r = 0; r < n; r++) {
        const uint8_t *img = d->images + index[r] * d->pixels;
        real *o = out + r * d->pixels;
        for (size_t j = 0; j < d->pixels; j++)
            o[j] = ((real)img[j] / (real)255 - (real)0.5) / (real)0.5;
    }
}

typedef struct {
    real *out;
    uint64_t seed;
    enum noise_kind kind;
    const size_t *index;
    size_t pixels;
} SFX(noise_job);

static void SFX(noise_row)(void *ctx, size_t r)
{
    const SFX(noise_job) *job = ctx;
    real *o = job->out + r * job->pixels;
    for (size_t quad = 0; 4 * quad < job->pixels; quad++) {
        float q[4];
        batch_noise_quad(q, job->seed, job->kind, job->index[r], quad, job->pixels);
        for (size_t k = 0; k < 4 && 4 * quad + k < job->pixels; k++)
            o[4 * quad + k] = q[k];
    }
}

void SFX(batch_noise)(pool *p, real *out, uint64_t seed, enum noise_kind kind,
                      const size_t *index, size_t n, size_t pixels)
{
    SFX(noise_job) job = {out, seed, kind, index, pixels};
    pool_run(p, SFX(noise_row), &job, n);
}
