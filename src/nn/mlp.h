/* mlp: a ReLU multilayer perceptron whose parameters live in one flat arena.
 *
 * Arena layout (the same for parameters, gradients, Adam moments, a
 * teacher's displacement Δθ ...), layer by layer:
 *     W_1 [d1][d0], b_1 [d1], W_2 [d2][d1], b_2 [d2], ..., W_L [dL][dL-1], b_L [dL]
 * so copying, optimizer steps, checkpoints and inner products between two
 * networks are single loops over mlp_n_params() numbers.
 *
 * Every function that touches numbers exists in float (_f32: training) and
 * double (_f64: theorem check, gradient tests), compiled from one source
 * (mlp_impl.h, declared in mlp_decl.h), so the two can never drift apart. */
#ifndef SUBLIM_MLP_H
#define SUBLIM_MLP_H

#include <stddef.h>
#include <stdint.h>
#include "base/err.h"
#include "base/pool.h"

#define MLP_MAX_LAYERS 8

typedef struct {
    size_t n_layers;                  /* dense layers, L */
    size_t dims[MLP_MAX_LAYERS + 1];  /* dims[0] inputs ... dims[L] outputs */
} mlp_shape;

enum mlp_init {
    MLP_INIT_NORMAL,  /* W ~ N(0, 1/fan_in), b = 0: the authors' code */
    MLP_INIT_UNIFORM, /* W, b ~ U(±1/sqrt(fan_in)): PyTorch's nn.Linear default */
};
/* Their names on the command line and in result files, in enum order
 * (NULL-terminated). */
extern const char *const MLP_INIT_NAMES[];

/* in -> width (hidden_layers times, ReLU) -> out. */
int mlp_shape_make(mlp_shape *s, size_t in, size_t width, size_t hidden_layers,
                   size_t out, err *e);
size_t mlp_n_params(const mlp_shape *s);
size_t mlp_weight_offset(const mlp_shape *s, size_t layer); /* layer in 1..L */
size_t mlp_bias_offset(const mlp_shape *s, size_t layer);
size_t mlp_max_dim(const mlp_shape *s);
/* Numbers in a workspace for batches of up to max_batch (mlp_ws_init
 * allocates that many, in either precision). */
size_t mlp_ws_numbers(const mlp_shape *s, size_t max_batch);

/* Both precisions' declarations (mlp_decl.h), saving any REAL/SFX an includer
 * is in the middle of (an *_impl.h that includes this header). */
#pragma push_macro("REAL")
#pragma push_macro("SFX")
#undef REAL
#undef SFX

/* mlp_ws_f32, mlp_ws_init_f32, mlp_ws_free_f32, mlp_arena_new_f32,
 * mlp_init_params_f32, mlp_embed_f32, mlp_forward_f32, mlp_backward_f32, mlp_jvp_f32 */
#define REAL float
#define SFX(name) name##_f32
#include "nn/mlp_decl.h"

/* mlp_ws_f64, mlp_ws_init_f64, mlp_ws_free_f64, mlp_arena_new_f64,
 * mlp_init_params_f64, mlp_embed_f64, mlp_forward_f64, mlp_backward_f64, mlp_jvp_f64 */
#define REAL double
#define SFX(name) name##_f64
#include "nn/mlp_decl.h"

#pragma pop_macro("REAL")
#pragma pop_macro("SFX")

#endif
