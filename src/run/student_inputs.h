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
 *              the images, no shape of a digit.
 * The students see their inputs in order 0, 1, ... reshuffled per epoch;
 * image inputs are the first ones of the training set. */
#ifndef SUBLIM_STUDENT_INPUTS_H
#define SUBLIM_STUDENT_INPUTS_H

#include <stddef.h>
#include <stdint.h>
#include "nn/batch.h"
#include "nn/idx.h"
#include "run/train.h"

enum student_input_kind { STUDENT_INPUTS_NOISE, STUDENT_INPUTS_DIGITS, STUDENT_INPUTS_SHUFFLED };

/* Their names, in enum order, NULL-terminated (the setting's choices). */
extern const char *const STUDENT_INPUT_NAMES[];

/* How many inputs of kind there are for a training set (noise: as many as
 * asked; SIZE_MAX). */
size_t student_inputs_available(enum student_input_kind kind, const dataset *train);

/* *in = seed's inputs of kind: noise of that kind, or train's images;
 * perm (train->pixels entries) receives the seed's permutation of the
 * pixels for shuffled inputs, and in points to it. */
void student_inputs_make(train_inputs *in, enum student_input_kind kind, uint64_t seed,
                         enum noise_kind noise, const dataset *train, size_t *perm);

#endif
