/* train: the training loops of the experiment, in float.
 *
 *  - the teacher: softmax cross-entropy over the regular logits, on digits;
 *  - students: imitation (KL) of the teacher's logits over a chosen block
 *    of outputs, on noise.  All students of a seed step in lock-step over
 *    the same noise batches, so each noise batch is built once and the
 *    teacher's logits on the noise are computed once for all of them;
 *  - evaluation: accuracy by argmax over the regular logits, and the
 *    teacher's loss over a whole dataset.
 *
 * Everything is allocated by trainer_init; nothing allocates in the loops.
 * A caught SIGINT or SIGTERM (base/interrupt.h) stops a loop before its
 * next batch, as an error. */
#ifndef SUBLIM_TRAIN_H
#define SUBLIM_TRAIN_H

#include <stddef.h>
#include <stdint.h>
#include "nn/adam.h"
#include "nn/batch.h"
#include "base/err.h"
#include "nn/idx.h"
#include "nn/loss.h"
#include "nn/mlp.h"
#include "base/pool.h"

/* What is being trained: a seed has two phases, its teacher, then all its
 * students in lock-step. */
enum train_phase { TRAIN_TEACHER, TRAIN_STUDENTS, TRAIN_TRAIT_TEACHER, TRAIN_N_PHASES };

/* "teacher", "students", "trait teacher" */
const char *train_phase_name(enum train_phase phase);

/* Called after every batch (and with batch == n_batches at epoch end);
 * may be NULL. */
typedef struct {
    void (*on_batch)(void *ctx, enum train_phase phase, size_t epoch, size_t n_epochs,
                     size_t batch, size_t n_batches, double loss);
    /* At the end of each epoch, with the network being trained (net: the
     * student's index; 0 for the teacher). */
    void (*on_epoch)(void *ctx, enum train_phase phase, size_t epoch, size_t net,
                     const float *params, double mean_loss);
    /* After each optimizer step of a student (net: its index), with its
     * parameters just updated. */
    void (*on_step)(void *ctx, size_t net, const float *params);
    void *ctx;
} train_hooks;

typedef struct {
    mlp_shape shape;
    size_t n_classes;      /* regular logits: outputs [0, n_classes) */
    size_t batch;          /* training batch size */
    pool *pool;            /* borrowed */
    mlp_ws_f32 ws;
    float *grads;          /* arena */
    float *x;              /* [batch][d0] current input batch */
    float *dlogits;        /* [batch][dL] */
    double *loss_terms;    /* [batch][dL]: the loss's per-row terms */
    float *targets;        /* [batch][dL] teacher logits gathered for a batch */
    size_t *perm;          /* [max_examples] epoch order */
    size_t *eval_index;    /* [batch] rows of an evaluation batch; evaluating */
                           /* between epochs never disturbs perm */
    uint8_t *labels;       /* [batch] labels of the current batch */
    size_t max_examples;
} trainer;

int trainer_init(trainer *t, const mlp_shape *s, size_t n_classes, size_t batch,
                 size_t max_examples, pool *p, err *e);
void trainer_free(trainer *t);
/* Bytes trainer_init allocates (for the memory estimate). */
size_t trainer_bytes(const mlp_shape *s, size_t batch, size_t max_examples);

/* Correct test predictions of params on d, in batches of t->batch.
 * Safe to call from a train_hooks callback. */
size_t train_count_correct(trainer *t, const float *params, const dataset *d);

/* The mean cross-entropy of params over d's regular logits, the loss the
 * teacher is trained on (in batches of t->batch; changes no result). */
double train_mean_loss(trainer *t, const float *params, const dataset *d);

/* Trains params (in place) for `epochs` epochs of Adam on d, reshuffled per
 * epoch from seed.  *final_loss gets the last epoch's mean batch loss.
 * Fails, naming epoch and batch, when the loss stops being finite; and
 * when interrupted (interrupt_signal() then says so). */
int train_teacher(trainer *t, float *params, adam *opt, const dataset *d,
                  size_t epochs, uint64_t seed, const train_hooks *hooks,
                  double *final_loss, err *e);

/* What a teacher is trained on: digits, their labels mapped through
 * relabel, and n_noise noise images (numbers first_noise, ...) all
 * labelled noise_label, shuffled together each epoch from (seed,
 * shuffle). */
typedef struct {
    const dataset *digits;
    const uint8_t *relabel;  /* [n_classes]; NULL: the labels as they are */
    size_t n_noise, first_noise;
    uint8_t noise_label;
    enum noise_kind noise;
    uint32_t shuffle;        /* the rng stream of its epochs' orders */
} labelled_set;

/* train_teacher on a labelled set (phase names it to the hooks): the
 * trait teacher's fine-tuning. */
int train_labelled(trainer *t, float *params, adam *opt, const labelled_set *set,
                   size_t epochs, uint64_t seed, enum train_phase phase,
                   const train_hooks *hooks, double *final_loss, err *e);

/* confusion[label][predicted] (n_classes²) of params on d. */
void train_confusion(trainer *t, const float *params, const dataset *d, size_t *confusion);

/* votes[c] = how many of the noise images first, ..., first + n - 1 params
 * classifies as c (n_classes of them). */
void train_noise_votes(trainer *t, const float *params, uint64_t seed,
                       enum noise_kind noise, size_t first, size_t n, size_t *votes);

/* What students imitate their teacher on: noise images (a pure function
 * of seed and number) when images is NULL, else the images of a dataset,
 * their pixels moved by perm when it is set (nn/batch.h). */
typedef struct {
    uint64_t seed;         /* the noise's, and the students' shuffles' */
    enum noise_kind noise;
    const dataset *images; /* NULL: noise */
    const size_t *perm;    /* [pixels]; NULL: the pixels in place */
} train_inputs;

/* out[i] = logits of params on input i, i < n_images: [n][dL]. */
void train_input_logits(trainer *t, const float *params, float *out, const train_inputs *in,
                        size_t n_images);

/* One student: its parameters, optimizer, the outputs it imitates, and
 * what became of it. */
typedef struct {
    float *params;
    adam *opt;
    loss_outputs outputs;
    int failed;            /* the loss stopped being finite */
    double final_loss;     /* last epoch's mean batch loss */
    char why[160];         /* when failed: epoch and batch */
} student;

/* Trains every student for `epochs` epochs over the n_images inputs,
 * reshuffled per epoch from in->seed, imitating teacher_logits [n_images][dL].
 * A student whose loss stops being finite is marked failed and skipped;
 * the others go on.  Fails only when interrupted (the students are then
 * half-trained). */
int train_students(trainer *t, student *students, size_t n_students,
                   const float *teacher_logits, size_t n_images, size_t epochs,
                   const train_inputs *in, const train_hooks *hooks, err *e);

#endif
