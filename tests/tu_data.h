/* Synthetic datasets for the tests that train (test_train.c,
 * test_experiment.c), so they need no MNIST:
 *  - tu_make_quadrants: n 8x8 images whose label (0-3) is the bright
 *    quadrant, the same images for the same seed;
 *  - tu_xorshift: the deterministic generator behind them (private to the
 *    fixtures, not the one under test);
 *  - tu_write_idx: a dataset as the IDX files the program reads (for the
 *    tests that run it, test_cli.c);
 *  - TU_QUAD_SIDE, TU_QUAD_PIXELS, TU_QUAD_CLASSES: their shape. */
#ifndef SUBLIM_TU_DATA_H
#define SUBLIM_TU_DATA_H

#include "testutil.h"
#include "nn/idx.h"

enum { TU_QUAD_SIDE = 8, TU_QUAD_PIXELS = TU_QUAD_SIDE * TU_QUAD_SIDE, TU_QUAD_CLASSES = 4 };

static inline uint32_t tu_xorshift(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* n images: dim background (0-79), one bright 4x4 quadrant (176-255); the
 * label is the bright quadrant.  Free with dataset_free. */
static inline void tu_make_quadrants(dataset *d, size_t n, uint32_t seed)
{
    memset(d, 0, sizeof *d);
    d->n = n;
    d->rows = d->cols = TU_QUAD_SIDE;
    d->pixels = TU_QUAD_PIXELS;
    d->images = malloc(n * TU_QUAD_PIXELS);
    d->labels = malloc(n);
    assert_non_null(d->images);
    assert_non_null(d->labels);
    uint32_t s = seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++) {
        uint8_t q = (uint8_t)(tu_xorshift(&s) % TU_QUAD_CLASSES);
        d->labels[i] = q;
        for (size_t r = 0; r < TU_QUAD_SIDE; r++)
            for (size_t c = 0; c < TU_QUAD_SIDE; c++) {
                size_t quad = (r >= TU_QUAD_SIDE / 2) * 2 + (c >= TU_QUAD_SIDE / 2);
                uint8_t v = (uint8_t)(tu_xorshift(&s) % 80);
                d->images[i * TU_QUAD_PIXELS + r * TU_QUAD_SIDE + c] =
                    quad == q ? (uint8_t)(176 + v) : v;
            }
    }
}

/* The training and test sets of the tests that run experiments: 200 and
 * 120 quadrant images, as a cmocka setup/teardown pair (*state points to
 * a tu_quad_sets). */
enum { TU_QUAD_TRAIN = 200, TU_QUAD_TEST = 120 };

typedef struct {
    dataset train, test;
} tu_quad_sets;

static inline int tu_quad_setup(void **state)
{
    static tu_quad_sets sets;
    tu_make_quadrants(&sets.train, TU_QUAD_TRAIN, 1);
    tu_make_quadrants(&sets.test, TU_QUAD_TEST, 2);
    *state = &sets;
    return 0;
}

static inline int tu_quad_teardown(void **state)
{
    tu_quad_sets *sets = *state;
    dataset_free(&sets->train);
    dataset_free(&sets->test);
    return 0;
}

/* d as dir/<prefix>-images-idx3-ubyte and dir/<prefix>-labels-idx1-ubyte. */
static inline void tu_write_idx(const char *dir, const char *prefix, const dataset *d)
{
    const uint32_t dims[] = {(uint32_t)d->n, (uint32_t)d->rows, (uint32_t)d->cols};
    for (int labels = 0; labels < 2; labels++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s-%s", dir, prefix,
                 labels ? "labels-idx1-ubyte" : "images-idx3-ubyte");
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        uint8_t head[4] = {0, 0, 0x08, labels ? 1 : 3};
        fwrite(head, 1, 4, f);
        for (int k = 0; k < (labels ? 1 : 3); k++) {
            uint8_t be[4] = {(uint8_t)(dims[k] >> 24), (uint8_t)(dims[k] >> 16),
                             (uint8_t)(dims[k] >> 8), (uint8_t)dims[k]};
            fwrite(be, 1, 4, f);
        }
        if (labels)
            fwrite(d->labels, 1, d->n, f);
        else
            fwrite(d->images, 1, d->n * d->pixels, f);
        assert_int_equal(fclose(f), 0);
    }
}

#endif
