/* student_inputs: what the students imitate their teacher on
 * (--student-inputs), and so what the teacher's logits are taken on:
 *
 *  - noise:    the paper's: images of pure noise (--noise), a pure function
 *              of (seed, image, pixel);
 *  - digits:   the training images themselves (MNIST's digits, or the
 *              images of --dataset): ordinary distillation, the baseline
 *              the others are read against;
 *  - shuffled: the training images with their pixels moved by one
 *              permutation, fixed per seed: the same pixel statistics as
 *              the images, no shape of a digit;
 *  - mnist, fashion: the training images of that dataset when the run is
 *              on the other one: real images, of nothing the teacher
 *              learned.
 * The students see their inputs in order 0, 1, ... reshuffled per epoch;
 * image inputs are the first ones of their training set. */
#ifndef SUBLIM_STUDENT_INPUTS_H
#define SUBLIM_STUDENT_INPUTS_H

#include <stddef.h>
#include <stdint.h>
#include "nn/batch.h"
#include "nn/datasets.h"
#include "nn/idx.h"
#include "run/train.h"

enum student_input_kind {
    STUDENT_INPUTS_NOISE,
    STUDENT_INPUTS_DIGITS,
    STUDENT_INPUTS_SHUFFLED,
    STUDENT_INPUTS_MNIST,
    STUDENT_INPUTS_FASHION,
};

/* Their names, in enum order, NULL-terminated (the setting's choices). */
extern const char *const STUDENT_INPUT_NAMES[];

/* 1 when inputs of kind are another dataset's images (mnist, fashion),
 * that dataset into *d; else 0. */
int student_inputs_dataset(enum student_input_kind kind, enum dataset_kind *d);

/* The images inputs of kind are taken from: train's, other's (the dataset
 * student_inputs_dataset names, loaded by the caller; may be NULL when
 * not needed), or none for noise (NULL). */
const dataset *student_inputs_images(enum student_input_kind kind, const dataset *train,
                                     const dataset *other);

/* How many inputs of kind there are in images (noise: as many as asked;
 * SIZE_MAX). */
size_t student_inputs_available(enum student_input_kind kind, const dataset *images);

/* *in = seed's inputs of kind: noise of that kind, or images
 * (student_inputs_images); perm (images->pixels entries) receives the
 * seed's permutation of the pixels for shuffled inputs, and in points to
 * it. */
void student_inputs_make(train_inputs *in, enum student_input_kind kind, uint64_t seed,
                         enum noise_kind noise, const dataset *images, size_t *perm);

#endif
