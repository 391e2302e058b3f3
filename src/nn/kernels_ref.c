/* The reference kernels, one source instantiated for both precisions. */
#include "nn/kernels.h"

#define real float
#define KREF(name) kern_ref_##name##_f32
#include "nn/kernels_ref_impl.h"
#undef real
#undef KREF

#define real double
#define KREF(name) kern_ref_##name##_f64
#include "nn/kernels_ref_impl.h"
#undef real
#undef KREF
