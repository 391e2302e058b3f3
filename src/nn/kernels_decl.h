/* kernels_decl: the dense-layer products, declared once over REAL.
 *
 * Included only by kernels.h, twice: REAL float with SFX(name) name##_f32,
 * then REAL double with SFX(name) name##_f64.  Ends by undefining REAL and
 * SFX, so each inclusion is three lines. */
#if !defined(REAL) || !defined(SFX)
#error "nn/kernels_decl.h: define REAL and SFX(name) first (include nn/kernels.h)"
#endif

/* y = x w^T + b, then y = max(y, 0) when relu is non-zero. */
void SFX(kern_dense_forward)(pool *p, REAL *y, const REAL *x, const REAL *w, const REAL *b,
                             size_t batch, size_t in, size_t out, int relu);

/* dx = dy w; then dx[k] = 0 wherever mask[k] <= 0 when mask != NULL
 * (mask is the previous layer's post-ReLU output, [batch][in]). */
void SFX(kern_dense_backward_input)(pool *p, REAL *dx, const REAL *dy, const REAL *w,
                                    const REAL *mask, size_t batch, size_t in, size_t out);

/* dw = dy^T x and db = column sums of dy (db may be NULL).  Overwrites. */
void SFX(kern_dense_backward_weights)(pool *p, REAL *dw, REAL *db, const REAL *dy,
                                      const REAL *x, size_t batch, size_t in, size_t out);

/* The plain reference loops the fast kernels are tested against. */
void SFX(kern_ref_dense_forward)(REAL *y, const REAL *x, const REAL *w, const REAL *b,
                                 size_t batch, size_t in, size_t out, int relu);
void SFX(kern_ref_dense_backward_input)(REAL *dx, const REAL *dy, const REAL *w,
                                        const REAL *mask, size_t batch, size_t in,
                                        size_t out);
void SFX(kern_ref_dense_backward_weights)(REAL *dw, REAL *db, const REAL *dy, const REAL *x,
                                          size_t batch, size_t in, size_t out);

#undef REAL
#undef SFX
