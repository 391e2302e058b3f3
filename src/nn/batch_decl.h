/* batch_decl: building a batch, declared once over REAL.
 *
 * Included only by batch.h, twice: REAL float with SFX(name) name##_f32,
 * then REAL double with SFX(name) name##_f64.  Ends by undefining REAL and
 * SFX, so each inclusion is three lines. */
#if !defined(REAL) || !defined(SFX)
#error "nn/batch_decl.h: define REAL and SFX(name) first (include nn/batch.h)"
#endif

/* out[r] = scaled pixels of d->images[index[r]], r < n; built on p. */
void SFX(batch_digits)(pool *p, REAL *out, const dataset *d, const size_t *index, size_t n);

/* The same with the pixels moved: pixel j of out[r] is pixel perm[j] of
 * the image (perm: a permutation of d->pixels). */
void SFX(batch_permuted)(pool *p, REAL *out, const dataset *d, const size_t *perm,
                         const size_t *index, size_t n);

/* out[r] = noise image index[r], r < n; rows built in parallel on p. */
void SFX(batch_noise)(pool *p, REAL *out, uint64_t seed, enum noise_kind kind,
                      const size_t *index, size_t n, size_t pixels);

#undef REAL
#undef SFX
