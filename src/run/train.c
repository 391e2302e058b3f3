#include "run/train.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/interrupt.h"
#include "base/rng.h"

int trainer_init(trainer *t, const mlp_shape *s, size_t n_classes, size_t batch,
                 size_t max_examples, pool *p, err *e)
{
    memset(t, 0, sizeof *t);
    t->shape = *s;
    t->n_classes = n_classes;
    t->batch = batch;
    t->pool = p;
    t->max_examples = max_examples;
    size_t n_out = s->dims[s->n_layers];
    if (mlp_ws_init_f32(&t->ws, s, batch, p, e))
        return -1;
    t->grads = mlp_arena_new_f32(s);
    t->x = aligned_alloc(64, ((batch * s->dims[0] * sizeof(float)) + 63) & ~(size_t)63);
    t->dlogits = malloc(batch * n_out * sizeof(float));
    t->loss_terms = malloc(batch * n_out * sizeof(double));
    t->targets = malloc(batch * n_out * sizeof(float));
    t->perm = malloc((max_examples ? max_examples : 1) * sizeof(size_t));
    t->eval_index = malloc(batch * sizeof(size_t));
    t->labels = malloc(batch);
    if (!t->grads || !t->x || !t->dlogits || !t->loss_terms || !t->targets || !t->perm || !t->eval_index ||
        !t->labels) {
        trainer_free(t);
        return err_set(e, "out of memory for the trainer");
    }
    return 0;
}

size_t trainer_bytes(const mlp_shape *s, size_t batch, size_t max_examples)
{
    size_t n_out = s->dims[s->n_layers];
    return mlp_ws_numbers(s, batch) * sizeof(float) +          /* ws */
           mlp_n_params(s) * sizeof(float) +                   /* grads */
           batch * s->dims[0] * sizeof(float) +                /* x */
           batch * n_out * (2 * sizeof(float) + sizeof(double)) + /* dlogits, targets, loss_terms */
           (max_examples + batch) * sizeof(size_t) +           /* perm, eval_index */
           batch;                                              /* labels */
}

void trainer_free(trainer *t)
{
    mlp_ws_free_f32(&t->ws);
    free(t->grads);
    free(t->x);
    free(t->dlogits);
    free(t->loss_terms);
    free(t->targets);
    free(t->perm);
    free(t->eval_index);
    free(t->labels);
    memset(t, 0, sizeof *t);
}

const char *train_phase_name(enum train_phase phase)
{
    return phase == TRAIN_TEACHER ? "teacher"
           : phase == TRAIN_TRAIT_TEACHER ? "trait teacher"
                                          : "students";
}

static size_t n_outputs(const trainer *t) { return t->shape.dims[t->shape.n_layers]; }

/* Index of the first non-finite number in p[0..n), or n. */
static size_t first_non_finite(const float *p, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (!isfinite(p[k]))
            return k;
    return n;
}

/* The logits of params on d's rows [begin, begin + *n), *n the batch size
 * or what is left of d. */
static const float *eval_batch(trainer *t, const float *params, const dataset *d, size_t begin,
                               size_t *n)
{
    *n = d->n - begin < t->batch ? d->n - begin : t->batch;
    for (size_t r = 0; r < *n; r++)
        t->eval_index[r] = begin + r;
    batch_digits_f32(t->pool, t->x, d, t->eval_index, *n);
    return mlp_forward_f32(&t->ws, params, t->x, *n);
}

size_t train_count_correct(trainer *t, const float *params, const dataset *d)
{
    size_t correct = 0, n;
    for (size_t begin = 0; begin < d->n; begin += t->batch) {
        const float *logits = eval_batch(t, params, d, begin, &n);
        correct += loss_correct_f32(logits, d->labels + begin, n, n_outputs(t),
                                    t->n_classes);
    }
    return correct;
}

double train_mean_loss(trainer *t, const float *params, const dataset *d)
{
    double total = 0;
    size_t n;
    for (size_t begin = 0; begin < d->n; begin += t->batch) {
        const float *logits = eval_batch(t, params, d, begin, &n);
        total += (double)n * loss_ce_f32(t->pool, t->loss_terms, t->dlogits, logits,
                                         d->labels + begin, n, n_outputs(t), t->n_classes);
    }
    return total / (double)d->n;
}

/* Builds batch rows from index[0..n) of the set's numbering (digits
 * first, then its noise images): the digits go first, then the noise, each
 * in index order; their trained labels into t->labels.  index is reordered
 * so (it is this batch's slice of the epoch's order). */
static void labelled_batch(trainer *t, const labelled_set *set, size_t *index, size_t n,
                           uint64_t seed)
{
    const dataset *d = set->digits;
    size_t n_digits = 0, n_noise = 0, pixels = t->shape.dims[0];
    for (size_t r = 0; r < n; r++) {
        if (index[r] < d->n)
            index[n_digits++] = index[r];
        else /* eval_index is free while an epoch's batches are built */
            t->eval_index[n_noise++] = set->first_noise + (index[r] - d->n);
    }
    batch_digits_f32(t->pool, t->x, d, index, n_digits);
    for (size_t r = 0; r < n_digits; r++) {
        uint8_t label = d->labels[index[r]];
        t->labels[r] = set->relabel ? set->relabel[label] : label;
    }
    if (n_noise) {
        batch_noise_f32(t->pool, t->x + n_digits * pixels, seed, set->noise, t->eval_index,
                        n_noise, pixels);
        memset(t->labels + n_digits, set->noise_label, n_noise);
    }
}

int train_labelled(trainer *t, float *params, adam *opt, const labelled_set *set,
                   size_t epochs, uint64_t seed, enum train_phase phase,
                   const train_hooks *hooks, double *final_loss, err *e)
{
    const char *who = train_phase_name(phase);
    size_t n_all = set->digits->n + set->n_noise;
    if (n_all > t->max_examples)
        return err_set(e, "%zu training examples, but the trainer was sized for %zu", n_all,
                       t->max_examples);
    size_t n_batches = (n_all + t->batch - 1) / t->batch;
    double epoch_loss = 0;
    for (size_t epoch = 0; epoch < epochs; epoch++) {
        rng_permutation(t->perm, n_all, seed, set->shuffle, (uint32_t)epoch);
        epoch_loss = 0;
        for (size_t b = 0; b < n_batches; b++) {
            if (interrupt_check(e))
                return -1;
            size_t begin = b * t->batch;
            size_t n = n_all - begin < t->batch ? n_all - begin : t->batch;
            labelled_batch(t, set, t->perm + begin, n, seed);
            const float *logits = mlp_forward_f32(&t->ws, params, t->x, n);
            double loss = loss_ce_f32(t->pool, t->loss_terms, t->dlogits, logits, t->labels, n,
                                      n_outputs(t), t->n_classes);
            if (!isfinite(loss))
                return err_set(e, "the %s's loss is not finite at epoch %zu, batch %zu "
                               "(learning rate too high?)", who, epoch + 1, b + 1);
            mlp_backward_f32(&t->ws, params, t->grads, t->x, t->dlogits, n);
            adam_step(opt, t->pool, params, t->grads);
            epoch_loss += loss;
            if (hooks && hooks->on_batch)
                hooks->on_batch(hooks->ctx, phase, epoch, epochs, b + 1, n_batches, loss);
        }
        epoch_loss /= (double)n_batches;
        size_t P = mlp_n_params(&t->shape);
        if (first_non_finite(params, P) < P)
            return err_set(e, "the %s's parameters are not finite after epoch %zu, "
                           "batch %zu (learning rate too high?)", who, epoch + 1, n_batches);
        if (hooks && hooks->on_epoch)
            hooks->on_epoch(hooks->ctx, phase, epoch, 0, params, epoch_loss);
    }
    *final_loss = epoch_loss;
    return 0;
}

int train_teacher(trainer *t, float *params, adam *opt, const dataset *d,
                  size_t epochs, uint64_t seed, const train_hooks *hooks,
                  double *final_loss, err *e)
{
    labelled_set digits = {d, NULL, 0, 0, 0, NOISE_UNIFORM, RNG_SHUFFLE_TEACHER};
    return train_labelled(t, params, opt, &digits, epochs, seed, TRAIN_TEACHER, hooks,
                          final_loss, e);
}

void train_confusion(trainer *t, const float *params, const dataset *d, size_t *confusion)
{
    size_t n, k = t->n_classes, n_out = n_outputs(t);
    memset(confusion, 0, k * k * sizeof *confusion);
    for (size_t begin = 0; begin < d->n; begin += t->batch) {
        const float *logits = eval_batch(t, params, d, begin, &n);
        for (size_t r = 0; r < n; r++)
            confusion[d->labels[begin + r] * k + loss_argmax_f32(logits + r * n_out, k)]++;
    }
}

void train_noise_votes(trainer *t, const float *params, uint64_t seed,
                       enum noise_kind noise, size_t first, size_t n_images, size_t *votes)
{
    size_t n_out = n_outputs(t), pixels = t->shape.dims[0];
    memset(votes, 0, t->n_classes * sizeof *votes);
    for (size_t begin = 0; begin < n_images; begin += t->batch) {
        size_t n = n_images - begin < t->batch ? n_images - begin : t->batch;
        for (size_t r = 0; r < n; r++)
            t->eval_index[r] = first + begin + r;
        batch_noise_f32(t->pool, t->x, seed, noise, t->eval_index, n, pixels);
        const float *logits = mlp_forward_f32(&t->ws, params, t->x, n);
        for (size_t r = 0; r < n; r++)
            votes[loss_argmax_f32(logits + r * n_out, t->n_classes)]++;
    }
}

/* t->x = inputs index[0..n) of in. */
static void input_batch(trainer *t, const train_inputs *in, const size_t *index, size_t n)
{
    if (!in->images)
        batch_noise_f32(t->pool, t->x, in->seed, in->noise, index, n, t->shape.dims[0]);
    else if (!in->perm)
        batch_digits_f32(t->pool, t->x, in->images, index, n);
    else
        batch_permuted_f32(t->pool, t->x, in->images, in->perm, index, n);
}

void train_input_logits(trainer *t, const float *params, float *out, const train_inputs *in,
                        size_t n_images)
{
    size_t n_out = n_outputs(t);
    for (size_t begin = 0; begin < n_images; begin += t->batch) {
        size_t n = n_images - begin < t->batch ? n_images - begin : t->batch;
        for (size_t r = 0; r < n; r++)
            t->eval_index[r] = begin + r;
        input_batch(t, in, t->eval_index, n);
        const float *logits = mlp_forward_f32(&t->ws, params, t->x, n);
        memcpy(out + begin * n_out, logits, n * n_out * sizeof *out);
    }
}

int train_students(trainer *t, student *students, size_t n_students,
                   const float *teacher_logits, size_t n_images, size_t epochs,
                   const train_inputs *in, const train_hooks *hooks, err *e)
{
    size_t n_out = n_outputs(t);
    size_t n_batches = (n_images + t->batch - 1) / t->batch;
    if (n_images > t->max_examples) {
        for (size_t k = 0; k < n_students; k++) {
            students[k].failed = 1;
            snprintf(students[k].why, sizeof students[k].why,
                     "%zu inputs, but the trainer was sized for %zu", n_images,
                     t->max_examples);
        }
        return 0;
    }
    double epoch_loss[n_students ? n_students : 1];
    for (size_t epoch = 0; epoch < epochs; epoch++) {
        rng_permutation(t->perm, n_images, in->seed, RNG_SHUFFLE_STUDENT, (uint32_t)epoch);
        for (size_t k = 0; k < n_students; k++)
            epoch_loss[k] = 0;
        for (size_t b = 0; b < n_batches; b++) {
            if (interrupt_check(e))
                return -1;
            size_t begin = b * t->batch;
            size_t n = n_images - begin < t->batch ? n_images - begin : t->batch;
            const size_t *index = t->perm + begin;
            /* One batch of inputs and one gather of targets serve every student. */
            input_batch(t, in, index, n);
            for (size_t r = 0; r < n; r++)
                memcpy(t->targets + r * n_out, teacher_logits + index[r] * n_out,
                       n_out * sizeof *t->targets);
            double mean = 0;
            size_t alive = 0;
            for (size_t k = 0; k < n_students; k++) {
                student *s = &students[k];
                if (s->failed)
                    continue;
                const float *logits = mlp_forward_f32(&t->ws, s->params, t->x, n);
                double loss = loss_kl_f32(t->pool, t->loss_terms, t->dlogits, logits,
                                          t->targets, n, n_out, s->outputs);
                if (!isfinite(loss)) {
                    s->failed = 1;
                    snprintf(s->why, sizeof s->why,
                             "loss not finite at epoch %zu, batch %zu", epoch + 1, b + 1);
                    continue;
                }
                mlp_backward_f32(&t->ws, s->params, t->grads, t->x, t->dlogits, n);
                adam_step(s->opt, t->pool, s->params, t->grads);
                if (hooks && hooks->on_step)
                    hooks->on_step(hooks->ctx, k, s->params);
                epoch_loss[k] += loss;
                mean += loss;
                alive++;
            }
            if (hooks && hooks->on_batch)
                hooks->on_batch(hooks->ctx, TRAIN_STUDENTS, epoch, epochs, b + 1, n_batches,
                                alive ? mean / (double)alive : NAN);
        }
        for (size_t k = 0; k < n_students; k++) {
            student *s = &students[k];
            if (s->failed)
                continue;
            s->final_loss = epoch_loss[k] / (double)n_batches;
            size_t P = mlp_n_params(&t->shape);
            if (first_non_finite(s->params, P) < P) {
                s->failed = 1;
                snprintf(s->why, sizeof s->why,
                         "parameters not finite after epoch %zu, batch %zu", epoch + 1,
                         n_batches);
                continue;
            }
            if (hooks && hooks->on_epoch)
                hooks->on_epoch(hooks->ctx, TRAIN_STUDENTS, epoch, k, s->params, s->final_loss);
        }
    }
    return 0;
}
