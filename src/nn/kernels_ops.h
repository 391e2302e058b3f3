/* kernels_ops: what each vector path of the kernels offers (private to the
 * kernels module).
 *
 * A path is a const table of its three products per precision, defined at
 * the bottom of its own file: kern_portable_* (kernels_portable.c, any
 * compiler), kern_fma_*, kern_avx2_* and kern_avx512_* (kernels_fma.c,
 * kernels_avx2.c and kernels_avx512.c, GCC or clang on x86 only) and
 * kern_neon_* (kernels_neon.c, arm64 only).  kernels.c picks the table
 * of the path kern_path_active() names, on every call. */
#ifndef SUBLIM_KERNELS_OPS_H
#define SUBLIM_KERNELS_OPS_H

#include <stddef.h>
#include "base/pool.h"

/* GCC and clang on x86: target attributes, <immintrin.h>, cpu builtins. */
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#define KERNELS_X86 1
#endif
/* arm64: NEON is part of the base instruction set, <arm_neon.h>. */
#if defined(__aarch64__) && defined(__ARM_NEON)
#define KERNELS_NEON 1
#endif

/* Unroll the next loop completely (its trip count is a small constant once
 * inlined), so that a register tile's accumulators stay in registers:
 * clang reads GCC's "unroll N" as a partial unroll and keeps them in
 * memory, about 3x slower. */
#ifdef __clang__
#define KERN_UNROLL _Pragma("unroll")
#else
#define KERN_UNROLL _Pragma("GCC unroll 16")
#endif

/* Both precisions' tables (kernels_ops_decl.h), saving any REAL/SFX an
 * includer is in the middle of (an *_impl.h that includes this header). */
#pragma push_macro("REAL")
#pragma push_macro("SFX")
#undef REAL
#undef SFX

/* kern_ops_f32 and the paths' tables: kern_portable_f32, ... */
#define REAL float
#define SFX(name) name##_f32
#include "nn/kernels_ops_decl.h"

/* kern_ops_f64 and the paths' tables: kern_portable_f64, ... */
#define REAL double
#define SFX(name) name##_f64
#include "nn/kernels_ops_decl.h"

#pragma pop_macro("REAL")
#pragma pop_macro("SFX")

#endif
