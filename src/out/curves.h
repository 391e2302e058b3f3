/* curves: curves.csv, the training loss and test accuracy of every trained
 * arm after every epoch: seed,arm,epoch,train_loss,test_acc (test_acc
 * empty where it was not measured).  Rows sorted by (seed, arm, epoch). */
#ifndef SUBLIM_CURVES_H
#define SUBLIM_CURVES_H

#include <stddef.h>
#include <stdint.h>
#include "base/err.h"

#define CURVES_CSV_HEADER "seed,arm,epoch,train_loss,test_acc"

typedef struct {
    uint64_t seed;
    size_t arm;       /* index into experiment_arms() */
    size_t epoch;     /* 1-based */
    double loss;      /* mean training loss of the epoch */
    double test_acc;  /* NaN: not measured */
} curve_point;

/* Sorts by (seed, arm, epoch), the order every writer uses. */
void curves_sort(curve_point *pts, size_t n);
int curves_write(const char *path, const curve_point *pts, size_t n, err *e);
/* *pts is malloc'ed (never NULL on success, even for no points). */
int curves_read(const char *path, curve_point **pts, size_t *n, err *e);

#endif
