/* idx: loading MNIST-style IDX files (LeCun's format) into memory.
 *
 * Images stay uint8 in memory (47 MB for MNIST's training set as bytes,
 * four times that as floats); batches are converted when they are used. */
#ifndef SUBLIM_IDX_H
#define SUBLIM_IDX_H

#include <stddef.h>
#include <stdint.h>
#include "base/err.h"
#include "base/sha256.h"

#define IDX_MAX_SIDE 4096        /* rows or cols larger than this are refused */
#define IDX_MAX_ITEMS 100000000u /* so no header can size a huge allocation */

typedef struct {
    size_t n;          /* number of examples */
    size_t rows, cols; /* image side lengths */
    size_t pixels;     /* rows * cols */
    uint8_t *images;   /* [n][pixels] */
    uint8_t *labels;   /* [n], each < n_classes */
} dataset;

/* Reads an idx3-ubyte image file.  On success *out owns [n][rows*cols]. */
int idx_read_images(const char *path, uint8_t **out, size_t *n, size_t *rows,
                    size_t *cols, err *e);

/* Reads an idx1-ubyte label file, checking every label is < n_classes. */
int idx_read_labels(const char *path, uint8_t **out, size_t *n,
                    unsigned n_classes, err *e);

/* Loads dir/<prefix>-images-idx3-ubyte and dir/<prefix>-labels-idx1-ubyte
 * (prefix "train" or "t10k") and checks that their counts agree. */
int dataset_load(dataset *d, const char *dir, const char *prefix,
                 unsigned n_classes, err *e);
void dataset_free(dataset *d);
/* Bytes d holds in memory (images and labels). */
size_t dataset_bytes(const dataset *d);

/* The SHA-256 of the bytes d was read from: its images file, then its
 * labels file, as `cat IMAGES LABELS | sha256sum` prints it.  Computed from
 * d itself, since the loader accepts a file only when it is exactly the
 * header d's shape gives followed by d's bytes. */
void dataset_sha256(const dataset *d, char hex[SHA256_HEX]);

#endif
