/* kernels_ops_decl: the table of one path's products, declared once over
 * REAL.
 *
 * Included only by kernels_ops.h, twice: REAL float with SFX(name)
 * name##_f32, then REAL double with SFX(name) name##_f64.  Ends by
 * undefining REAL and SFX, so each inclusion is three lines. */
#if !defined(REAL) || !defined(SFX)
#error "nn/kernels_ops_decl.h: define REAL and SFX(name) first (include nn/kernels_ops.h)"
#endif

/* The three products of one path: the arguments and the contract of the
 * kern_dense_* functions of the same name (kernels_decl.h). */
typedef struct {
    void (*dense_forward)(pool *p, REAL *y, const REAL *x, const REAL *w, const REAL *b,
                          size_t batch, size_t in, size_t out, int relu);
    void (*dense_backward_input)(pool *p, REAL *dx, const REAL *dy, const REAL *w,
                                 const REAL *mask, size_t batch, size_t in, size_t out);
    void (*dense_backward_weights)(pool *p, REAL *dw, REAL *db, const REAL *dy,
                                   const REAL *x, size_t batch, size_t in, size_t out);
} SFX(kern_ops);

/* Every path: one fused multiply-add chain per output, k increasing. */
extern const SFX(kern_ops) SFX(kern_portable); /* kernels_portable.c */

#ifdef KERNELS_X86
extern const SFX(kern_ops) SFX(kern_fma);    /* kernels_fma.c */
extern const SFX(kern_ops) SFX(kern_avx2);   /* kernels_avx2.c */
extern const SFX(kern_ops) SFX(kern_avx512); /* kernels_avx512.c */
#endif
#ifdef KERNELS_NEON
extern const SFX(kern_ops) SFX(kern_neon);   /* kernels_neon.c */
#endif

#undef REAL
#undef SFX
