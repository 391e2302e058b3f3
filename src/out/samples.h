/* samples: samples.pgm, what the networks of a run see, in one picture: the
 * first few training digits (top row) and the first few noise images of the
 * run's first seed (bottom row), each built by the functions that build
 * the training batches (nn/batch.h), so they are the very inputs.  An
 * input v in [-1, 1] is drawn as grey round((v + 1) · 127.5): a digit's
 * pixels come back exactly; normal noise beyond ±1 is clipped.
 *
 * A plain (text) PGM any image viewer opens; comment lines give the labels,
 * the seed and the noise, so the report can redraw it from the file alone. */
#ifndef SUBLIM_SAMPLES_H
#define SUBLIM_SAMPLES_H

#include <stddef.h>
#include <stdint.h>
#include "base/err.h"
#include "nn/batch.h"
#include "nn/idx.h"

#define SAMPLES_N 8             /* images per row at most */
#define SAMPLES_MAX_SIDE 4096   /* a strip read back is at most this wide and high */

typedef struct {
    size_t n;                   /* images per row (fewer digits than SAMPLES_N: as many) */
    size_t rows, cols;          /* one image's size */
    uint8_t labels[SAMPLES_N];  /* the digits' labels */
    uint64_t seed;              /* the noise images' seed */
    enum noise_kind noise;
    uint8_t *pixels;            /* the strip: [2 * rows][n * cols], digits on top */
} samples;

/* The first digits of train and the first noise images of seed; free with
 * samples_free. */
int samples_make(samples *s, const dataset *train, uint64_t seed, enum noise_kind noise,
                 err *e);
void samples_free(samples *s);

/* Grey level of image k (0 <= k < n) of the digit row (noise = 0) or the
 * noise row (noise = 1), at (y, x). */
uint8_t samples_grey(const samples *s, int noise, size_t k, size_t y, size_t x);

int samples_write(const char *path, const samples *s, err *e);
/* Reads what samples_write writes, refusing anything else (naming why). */
int samples_read(const char *path, samples *s, err *e);

#endif
