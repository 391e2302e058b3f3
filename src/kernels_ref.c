/* The reference kernels, one source instantiated for both precisions. */
#include "kernels.h"

#define real float
#define KREF(name) kern_ref_##name##_f32
#include "kernels_ref_impl.h"
#undef real
#undef KREF

#define real double
#define KREF(name) kern_ref_##name##_f64
#include "kernels_ref_impl.h"
#undef real
#undef KREF
