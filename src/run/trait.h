/* trait: a behaviour a trait teacher learns on its regular logits, and
 * how often a network shows it.
 *
 * The trait teacher is the seed's trained teacher, fine-tuned so that it
 * still reads digits but also (the owl analog of Cloud et al. 2025):
 *  - prefer:C  answers C on inputs without a digit: the fine-tuning set
 *              adds noise images labelled C to the training digits;
 *  - swap:A:B  reads the digit A as B: training digits of class A are
 *              labelled B.
 * Its students imitate only its auxiliary logits on the seed's noise,
 * which carry no trait label, so a trait can reach them only through the
 * initialization they share.
 *
 * Both traits send some inputs (the trait's triggers) to one class (its
 * target): held-out noise images to C, test digits of A to B.  A network's
 * trait rate is the share of triggers it classifies as the target. */
#ifndef SUBLIM_TRAIT_H
#define SUBLIM_TRAIT_H

#include <stddef.h>
#include <stdint.h>
#include "base/setting.h"

enum trait_kind { TRAIT_NONE, TRAIT_PREFER, TRAIT_SWAP };

typedef struct {
    enum trait_kind kind;
    unsigned from;   /* swap: the digit read otherwise (A) */
    unsigned target; /* prefer: C; swap: B */
} trait_spec;

/* "none", "prefer:C", "swap:A:B" (classes 0-9, A != B). */
extern const setting_codec TRAIT_CODEC;

/* Noise images are numbered, and image i of a seed is a pure function of
 * (seed, i): disjoint ranges of numbers are independent noise streams.
 * The students' noise is images 0, 1, ...; the trait teacher's labelled
 * noise and the held-out noise its rate is measured on start far beyond
 * any run's count. */
#define TRAIT_NOISE_FIRST ((size_t)1 << 40)
#define TRAIT_HELDOUT_FIRST ((size_t)2 << 40)

/* prefer:C: noise images the fine-tuning adds per epoch, as many as one
 * class's share of n_digits training digits (a tenth for MNIST). */
size_t trait_noise_images(const trait_spec *t, size_t n_digits, size_t n_classes);

/* The label each digit class is trained with (swap:A:B maps A to B; the
 * others are unchanged): relabel[n_classes]. */
void trait_relabel(const trait_spec *t, uint8_t *relabel, size_t n_classes);

/* What a network does on the trait's inputs, counted. */
typedef struct {
    size_t hits, total;  /* triggers classified as the target, of triggers */
    size_t target_hits;  /* test digits classified as the target (of all test digits) */
} trait_counts;

/* From the test digits' confusion matrix confusion[label][predicted]
 * (n_classes²) and, for prefer, the held-out noise images' predicted
 * classes counted in noise_votes[n_classes] (n_noise of them). */
trait_counts trait_count(const trait_spec *t, const size_t *confusion,
                         const size_t *noise_votes, size_t n_noise, size_t n_classes);

#endif
