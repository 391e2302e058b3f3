#include "loss.h"
#include <math.h>
#include <string.h>

#define real float
#define SFX(name) name##_f32
#include "loss_impl.h"
#undef real
#undef SFX

#define real double
#define SFX(name) name##_f64
#include "loss_impl.h"
#undef real
#undef SFX
