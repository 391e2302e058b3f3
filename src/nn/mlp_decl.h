/* mlp_decl: the MLP's per-precision declarations, written once over REAL.
 *
 * Included only by mlp.h, twice: REAL float with SFX(name) name##_f32, then
 * REAL double with SFX(name) name##_f64 (after the shape types it uses).
 * Ends by undefining REAL and SFX, so each inclusion is three lines. */
#if !defined(REAL) || !defined(SFX)
#error "nn/mlp_decl.h: define REAL and SFX(name) first (include nn/mlp.h)"
#endif

/* Workspace for batches of up to max_batch examples; one allocation. */
typedef struct {
    mlp_shape shape;
    size_t max_batch;
    pool *pool;                      /* borrowed; may be NULL */
    REAL *act[MLP_MAX_LAYERS + 1];   /* act[l]: layer l output [B][dl]; */
                                     /* ReLU'd for l < L, logits at L */
    REAL *grad[MLP_MAX_LAYERS + 1];  /* d loss / d act[l], 1 <= l < L */
    REAL *tan[MLP_MAX_LAYERS + 1];   /* forward-mode tangents of act[l] */
    REAL *scratch;                   /* [B][max dim] */
    void *block;
} SFX(mlp_ws);

int SFX(mlp_ws_init)(SFX(mlp_ws) *ws, const mlp_shape *s, size_t max_batch, pool *p,
                     err *e);
void SFX(mlp_ws_free)(SFX(mlp_ws) *ws);

/* A zeroed, 64-byte aligned arena of mlp_n_params(s) numbers; free(). */
REAL *SFX(mlp_arena_new)(const mlp_shape *s);

/* Draws the parameters from (seed, init_id): a pure function of both. */
void SFX(mlp_init_params)(REAL *params, const mlp_shape *s, enum mlp_init kind,
                          uint64_t seed, uint32_t init_id);

/* Puts the network src (shape narrow) inside wide, a network of as many
 * layers, inputs and outputs whose hidden layers are at least as wide:
 * its first units are src's units with src's weights and biases, the
 * weights from the other units to them are zero, and everything else of
 * wide (the other units' incoming weights and biases) is left as it is.
 * So wide computes src's function exactly.  Fails when the shapes do not
 * fit so. */
int SFX(mlp_embed)(REAL *wide, const mlp_shape *wide_shape, const REAL *src,
                   const mlp_shape *narrow, err *e);

/* x [batch][d0] -> logits [batch][dL] (= ws->act[L]). */
const REAL *SFX(mlp_forward)(SFX(mlp_ws) *ws, const REAL *params, const REAL *x,
                             size_t batch);

/* After mlp_forward on the same x: grads = d loss / d params, given
 * dlogits = d loss / d logits [batch][dL].  Overwrites grads. */
void SFX(mlp_backward)(SFX(mlp_ws) *ws, const REAL *params, REAL *grads, const REAL *x,
                       const REAL *dlogits, size_t batch);

/* Forward pass plus the directional derivative of the logits along the
 * parameter direction dir (forward mode, exact): returns
 * J(x) dir [batch][dL] (= ws->tan[L]); the logits are in ws->act[L]. */
const REAL *SFX(mlp_jvp)(SFX(mlp_ws) *ws, const REAL *params, const REAL *dir,
                         const REAL *x, size_t batch);

#undef REAL
#undef SFX
