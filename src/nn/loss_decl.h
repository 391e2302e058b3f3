/* loss_decl: the losses' per-precision declarations, written once over REAL.
 *
 * Included only by loss.h, twice: REAL float with SFX(name) name##_f32,
 * then REAL double with SFX(name) name##_f64.  Ends by undefining REAL and
 * SFX, so each inclusion is three lines. */
#if !defined(REAL) || !defined(SFX)
#error "nn/loss_decl.h: define REAL and SFX(name) first (include nn/loss.h)"
#endif

/* out = log softmax(z) over n <= LOSS_MAX_OUTPUTS entries (in double, rounded). */
void SFX(loss_log_softmax)(REAL *out, const REAL *z, size_t n);

/* Cross-entropy of softmax over outputs [0, n_classes) with labels. */
double SFX(loss_ce)(pool *p, double *terms, REAL *dlogits, const REAL *logits,
                    const uint8_t *labels, size_t batch, size_t n_out, size_t n_classes);

/* KL(softmax(teacher) || softmax(student)) over the selected outputs:
 * the paper's distillation loss at temperature 1. */
double SFX(loss_kl)(pool *p, double *terms, REAL *dlogits, const REAL *student,
                    const REAL *teacher, size_t batch, size_t n_out, loss_outputs sel);

/* 1/2 * squared distance of the selected logits (Hessian = identity). */
double SFX(loss_mse)(pool *p, double *terms, REAL *dlogits, const REAL *student,
                     const REAL *teacher, size_t batch, size_t n_out, loss_outputs sel);

/* The class of one row of logits z: the first largest of z[0..n_classes). */
size_t SFX(loss_argmax)(const REAL *z, size_t n_classes);

/* Number of rows whose argmax over [0, n_classes) equals the label. */
size_t SFX(loss_correct)(const REAL *logits, const uint8_t *labels, size_t batch,
                         size_t n_out, size_t n_classes);

#undef REAL
#undef SFX
