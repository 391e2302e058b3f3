/* kernels_path: which vector path the kernels use (for tests and benches).
 *
 * kern_path_active() is the path the kern_dense_* functions take on this
 * call: the best the CPU supports, or the one SUBLIM_KERNELS names
 * ("portable", "avx2", "avx512") when the CPU supports it (else the best
 * below it).  kern_path_name() in kernels.h is kern_path_str of it. */
#ifndef SUBLIM_KERNELS_PATH_H
#define SUBLIM_KERNELS_PATH_H

enum kern_path { KERN_PATH_PORTABLE, KERN_PATH_AVX2, KERN_PATH_AVX512 };

int kern_path_supported(enum kern_path path);
enum kern_path kern_path_active(void);
const char *kern_path_str(enum kern_path path);

#endif
