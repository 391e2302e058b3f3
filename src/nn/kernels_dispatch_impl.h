/* kernels_dispatch_impl: the public kern_dense_* functions, written once
 * over REAL: each hands its call to the table (kernels_ops.h) of the path
 * kern_path_active() picks for this call.
 *
 * kernels.c includes this twice: REAL float with SFX(name) name##_f32, then
 * REAL double with SFX(name) name##_f64; each inclusion defines the
 * kern_dense_* functions kernels_decl.h declares and ends by undefining
 * REAL and SFX. */

/* ---- once, whatever the precision ---- */
#ifndef SUBLIM_KERNELS_DISPATCH_IMPL_ONCE
#define SUBLIM_KERNELS_DISPATCH_IMPL_ONCE
#include "nn/kernels.h"
#include "nn/kernels_ops.h"
#include "nn/kernels_path.h"
#endif

/* ---- per precision ---- */
#if !defined(REAL) || !defined(SFX)
#error "nn/kernels_dispatch_impl.h: define REAL and SFX(name) first"
#endif

/* The products of the path this call takes. */
static const SFX(kern_ops) *SFX(active_ops)(void)
{
    switch (kern_path_active()) {
#ifdef KERNELS_X86
    case KERN_PATH_AVX512: return &SFX(kern_avx512);
    case KERN_PATH_AVX2: return &SFX(kern_avx2);
    case KERN_PATH_FMA: return &SFX(kern_fma);
#endif
#ifdef KERNELS_NEON
    case KERN_PATH_NEON: return &SFX(kern_neon);
#endif
    default: return &SFX(kern_portable);
    }
}

void SFX(kern_dense_forward)(pool *p, REAL *y, const REAL *x, const REAL *w, const REAL *b,
                             size_t batch, size_t in, size_t out, int relu)
{
    SFX(active_ops)()->dense_forward(p, y, x, w, b, batch, in, out, relu);
}

void SFX(kern_dense_backward_input)(pool *p, REAL *dx, const REAL *dy, const REAL *w,
                                    const REAL *mask, size_t batch, size_t in, size_t out)
{
    SFX(active_ops)()->dense_backward_input(p, dx, dy, w, mask, batch, in, out);
}

void SFX(kern_dense_backward_weights)(pool *p, REAL *dw, REAL *db, const REAL *dy,
                                      const REAL *x, size_t batch, size_t in, size_t out)
{
    SFX(active_ops)()->dense_backward_weights(p, dw, db, dy, x, batch, in, out);
}

#undef REAL
#undef SFX
