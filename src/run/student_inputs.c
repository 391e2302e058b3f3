/* What the students imitate their teacher on (student_inputs.h). */
#include "run/student_inputs.h"

#include "base/rng.h"

const char *const STUDENT_INPUT_NAMES[] = {"noise", "digits", "shuffled", "mnist", "fashion",
                                           NULL};

int student_inputs_dataset(enum student_input_kind kind, enum dataset_kind *d)
{
    if (kind == STUDENT_INPUTS_MNIST)
        return *d = DATASET_MNIST, 1;
    if (kind == STUDENT_INPUTS_FASHION)
        return *d = DATASET_FASHION, 1;
    return 0;
}

const dataset *student_inputs_images(enum student_input_kind kind, const dataset *train,
                                     const dataset *other)
{
    enum dataset_kind d;
    if (kind == STUDENT_INPUTS_NOISE)
        return NULL;
    return student_inputs_dataset(kind, &d) ? other : train;
}

size_t student_inputs_available(enum student_input_kind kind, const dataset *images)
{
    return kind == STUDENT_INPUTS_NOISE ? SIZE_MAX : images ? images->n : 0;
}

void student_inputs_make(train_inputs *in, enum student_input_kind kind, uint64_t seed,
                         enum noise_kind noise, const dataset *images, size_t *perm)
{
    *in = (train_inputs){seed, noise, NULL, NULL};
    if (kind == STUDENT_INPUTS_NOISE)
        return;
    in->images = images;
    if (kind == STUDENT_INPUTS_SHUFFLED) {
        rng_permutation(perm, images->pixels, seed, RNG_PIXELS, 0);
        in->perm = perm;
    }
}
