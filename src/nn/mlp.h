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
 * (mlp_impl.h), so the two can never drift apart. */
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

/* in -> width (hidden_layers times, ReLU) -> out. */
int mlp_shape_make(mlp_shape *s, size_t in, size_t width, size_t hidden_layers,
                   size_t out, err *e);
size_t mlp_n_params(const mlp_shape *s);
size_t mlp_weight_offset(const mlp_shape *s, size_t layer); /* layer in 1..L */
size_t mlp_bias_offset(const mlp_shape *s, size_t layer);
size_t mlp_max_dim(const mlp_shape *s);

#define MLP_DECLARE(real, sfx)                                                   \
    /* Workspace for batches of up to max_batch examples; one allocation. */    \
    typedef struct {                                                            \
        mlp_shape shape;                                                        \
        size_t max_batch;                                                       \
        pool *pool;                      /* borrowed; may be NULL */            \
        real *act[MLP_MAX_LAYERS + 1];   /* act[l]: layer l output [B][dl]; */  \
                                         /* ReLU'd for l < L, logits at L */    \
        real *grad[MLP_MAX_LAYERS + 1];  /* d loss / d act[l], 1 <= l < L */    \
        real *tan[MLP_MAX_LAYERS + 1];   /* forward-mode tangents of act[l] */  \
        real *scratch;                   /* [B][max dim] */                     \
        void *block;                                                            \
    } mlp_ws_##sfx;                                                             \
                                                                                \
    int mlp_ws_init_##sfx(mlp_ws_##sfx *ws, const mlp_shape *s,                 \
                          size_t max_batch, pool *p, err *e);                   \
    void mlp_ws_free_##sfx(mlp_ws_##sfx *ws);                                   \
                                                                                \
    /* A zeroed, 64-byte aligned arena of mlp_n_params(s) numbers; free(). */   \
    real *mlp_arena_new_##sfx(const mlp_shape *s);                              \
                                                                                \
    /* Draws the parameters from (seed, init_id): a pure function of both. */   \
    void mlp_init_params_##sfx(real *params, const mlp_shape *s,                \
                               enum mlp_init kind, uint64_t seed,               \
                               uint32_t init_id);                               \
                                                                                \
    /* x [batch][d0] -> logits [batch][dL] (= ws->act[L]). */                   \
    const real *mlp_forward_##sfx(mlp_ws_##sfx *ws, const real *params,         \
                                  const real *x, size_t batch);                 \
                                                                                \
    /* After mlp_forward on the same x: grads = d loss / d params, given        \
     * dlogits = d loss / d logits [batch][dL].  Overwrites grads. */           \
    void mlp_backward_##sfx(mlp_ws_##sfx *ws, const real *params, real *grads,  \
                            const real *x, const real *dlogits, size_t batch);  \
                                                                                \
    /* Forward pass plus the directional derivative of the logits along the     \
     * parameter direction dir (forward mode, exact): returns                   \
     * J(x) dir [batch][dL] (= ws->tan[L]); the logits are in ws->act[L]. */    \
    const real *mlp_jvp_##sfx(mlp_ws_##sfx *ws, const real *params,             \
                              const real *dir, const real *x, size_t batch);

MLP_DECLARE(float, f32)
MLP_DECLARE(double, f64)

#endif
