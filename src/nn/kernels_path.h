/* kernels_path: which vector path the kernels use (for tests and benches).
 *
 * kern_path_active() is the path the kern_dense_* functions take on this
 * call: the best the CPU supports, or the one SUBLIM_KERNELS names
 * ("portable", "fma", "neon", "avx2", "avx512") when the CPU supports it
 * (else the best supported one below it in this order).  kern_path_name()
 * in kernels.h is kern_path_str of it.  Every path gives the same bits. */
#ifndef SUBLIM_KERNELS_PATH_H
#define SUBLIM_KERNELS_PATH_H

enum kern_path {
    KERN_PATH_PORTABLE, /* plain C, any CPU */
    KERN_PATH_FMA,      /* the same C built for x86 FMA (kernels_fma.c) */
    KERN_PATH_NEON,     /* arm64 */
    KERN_PATH_AVX2,     /* x86 AVX2 + FMA */
    KERN_PATH_AVX512,   /* x86 AVX-512 F/BW/DQ/VL */
    KERN_PATH_COUNT
};

int kern_path_supported(enum kern_path path);
enum kern_path kern_path_active(void);
const char *kern_path_str(enum kern_path path);

#endif
