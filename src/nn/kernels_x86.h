/* kernels_x86: the AVX2+FMA and AVX-512 paths of the dense-layer products
 * (private to the kernels module; kernels.c chooses among them at run time).
 * Same arguments as the kern_dense_* functions in kernels.h. */
#ifndef SUBLIM_KERNELS_X86_H
#define SUBLIM_KERNELS_X86_H

#include "nn/kernels.h"

/* GCC and clang on x86: target attributes, <immintrin.h>, cpu builtins. */
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#define KERNELS_X86 1

#define KX86_DECLARE(path, real, sfx)                                           \
    void kern_##path##_forward_##sfx(pool *p, real *y, const real *x,           \
                                     const real *w, const real *b,              \
                                     size_t batch, size_t in, size_t out,       \
                                     int relu);                                 \
    void kern_##path##_backward_input_##sfx(pool *p, real *dx, const real *dy,  \
                                            const real *w, const real *mask,    \
                                            size_t batch, size_t in,            \
                                            size_t out);                        \
    void kern_##path##_backward_weights_##sfx(pool *p, real *dw, real *db,      \
                                              const real *dy, const real *x,    \
                                              size_t batch, size_t in,          \
                                              size_t out);

KX86_DECLARE(avx512, float, f32)
KX86_DECLARE(avx512, double, f64)
KX86_DECLARE(avx2, float, f32)
KX86_DECLARE(avx2, double, f64)
#undef KX86_DECLARE

#endif
#endif
