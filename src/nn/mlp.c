/* mlp: the network's shape and arena layout (precision-free), then the
 * float and double builds of its numerics (mlp_impl.h). */
#include "nn/mlp.h"
#include <string.h>

const char *const MLP_INIT_NAMES[] = {"normal", "uniform", NULL};

int mlp_shape_make(mlp_shape *s, size_t in, size_t width, size_t hidden_layers,
                   size_t out, err *e)
{
    memset(s, 0, sizeof *s);
    if (in == 0 || width == 0 || out == 0)
        return err_set(e, "network sizes must be positive");
    if (hidden_layers + 1 > MLP_MAX_LAYERS)
        return err_set(e, "at most %d hidden layers", MLP_MAX_LAYERS - 1);
    s->n_layers = hidden_layers + 1;
    s->dims[0] = in;
    for (size_t l = 1; l <= hidden_layers; l++)
        s->dims[l] = width;
    s->dims[s->n_layers] = out;
    return 0;
}

size_t mlp_weight_offset(const mlp_shape *s, size_t layer)
{
    size_t off = 0;
    for (size_t l = 1; l < layer; l++)
        off += s->dims[l] * s->dims[l - 1] + s->dims[l];
    return off;
}

size_t mlp_bias_offset(const mlp_shape *s, size_t layer)
{
    return mlp_weight_offset(s, layer) + s->dims[layer] * s->dims[layer - 1];
}

size_t mlp_n_params(const mlp_shape *s)
{
    return mlp_weight_offset(s, s->n_layers + 1);
}

size_t mlp_max_dim(const mlp_shape *s)
{
    size_t m = 0;
    for (size_t l = 0; l <= s->n_layers; l++)
        if (s->dims[l] > m)
            m = s->dims[l];
    return m;
}

/* mlp_ws_init_f32, mlp_ws_free_f32, mlp_arena_new_f32, mlp_init_params_f32,
 * mlp_embed_f32, mlp_forward_f32, mlp_backward_f32, mlp_jvp_f32 */
#define REAL float
#define SFX(name) name##_f32
#include "nn/mlp_impl.h"

/* mlp_ws_init_f64, mlp_ws_free_f64, mlp_arena_new_f64, mlp_init_params_f64,
 * mlp_embed_f64, mlp_forward_f64, mlp_backward_f64, mlp_jvp_f64 */
#define REAL double
#define SFX(name) name##_f64
#include "nn/mlp_impl.h"

/* After the inclusions, for mlp_align_up: each buffer is rounded up to 16
 * numbers, so all start 64-byte aligned. */
size_t mlp_ws_numbers(const mlp_shape *s, size_t max_batch)
{
    size_t total = 0;
    for (size_t l = 1; l <= s->n_layers; l++)
        total += 3 * mlp_align_up(max_batch * s->dims[l]); /* act, grad, tan */
    return total + mlp_align_up(max_batch * mlp_max_dim(s)); /* scratch */
}
