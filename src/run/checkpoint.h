/* checkpoint: trained teachers saved to a file, to skip retraining them.
 *
 * A teacher is a pure function of its seed and of everything in
 * checkpoint_key; a file made under another key, or damaged, is refused.
 *
 * Format (all integers little-endian):
 *   "SUBLIMCK"            8-byte magic
 *   u32 version           CHECKPOINT_VERSION
 *   u32 n_layers, u32 dims[n_layers + 1]
 *   u32 init, u32 epochs, u32 batch, f64 lr, u64 data_fingerprint
 *   u64 n_teachers
 *   n_teachers × { u64 seed, f64 final_loss, f32 params[mlp_n_params] }
 *   u64 FNV-1a hash of every byte before it */
#ifndef SUBLIM_CHECKPOINT_H
#define SUBLIM_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>
#include "base/err.h"
#include "nn/idx.h"
#include "nn/mlp.h"

#define CHECKPOINT_VERSION 1u
#define CHECKPOINT_MAX_TEACHERS 1000000u

typedef struct {
    mlp_shape shape;
    uint32_t init;             /* enum mlp_init */
    uint32_t epochs;
    uint32_t batch;
    double lr;
    uint64_t data_fingerprint; /* dataset_fingerprint() of the training set */
} checkpoint_key;

typedef struct {
    checkpoint_key key;
    size_t n;           /* teachers */
    size_t n_params;
    uint64_t *seeds;    /* [n] */
    double *losses;     /* [n] final training loss */
    float *params;      /* [n][n_params] */
} checkpoint;

/* FNV-1a over a dataset's images and labels: which data taught a teacher. */
uint64_t dataset_fingerprint(const dataset *d);

/* An empty checkpoint for key, with room for up to capacity teachers. */
int checkpoint_init(checkpoint *c, const checkpoint_key *key, size_t capacity, err *e);
/* Adds (or replaces) the teacher of seed. */
int checkpoint_put(checkpoint *c, uint64_t seed, double loss, const float *params,
                   size_t capacity, err *e);
/* The teacher of seed, or NULL. */
const float *checkpoint_find(const checkpoint *c, uint64_t seed, double *loss);

int checkpoint_save(const checkpoint *c, const char *path, err *e); /* atomic */
int checkpoint_load(checkpoint *c, const char *path, err *e);
/* 0 when c was made under key, else -1 naming the first difference. */
int checkpoint_check_key(const checkpoint *c, const checkpoint_key *key,
                         const char *path, err *e);
void checkpoint_free(checkpoint *c);

#endif
