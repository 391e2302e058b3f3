#include "nn/loss.h"
#include <math.h>
#include <string.h>

enum loss_kind { LOSS_CE, LOSS_KL, LOSS_MSE };

/* Rows per pool task: a row costs a few exp calls. */
#define LOSS_TASK_ROWS 64

#define real float
#define SFX(name) name##_f32
#include "nn/loss_impl.h"
#undef real
#undef SFX

#define real double
#define SFX(name) name##_f64
#include "nn/loss_impl.h"
#undef real
#undef SFX
