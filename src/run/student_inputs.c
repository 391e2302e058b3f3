/* What the students imitate their teacher on (student_inputs.h). */
#include "run/student_inputs.h"

#include "base/rng.h"

const char *const STUDENT_INPUT_NAMES[] = {"noise", "digits", "shuffled", NULL};

size_t student_inputs_available(enum student_input_kind kind, const dataset *train)
{
    return kind == STUDENT_INPUTS_NOISE ? SIZE_MAX : train->n;
}

void student_inputs_make(train_inputs *in, enum student_input_kind kind, uint64_t seed,
                         enum noise_kind noise, const dataset *train, size_t *perm)
{
    *in = (train_inputs){seed, noise, NULL, NULL};
    if (kind == STUDENT_INPUTS_NOISE)
        return;
    in->images = train;
    if (kind == STUDENT_INPUTS_SHUFFLED) {
        rng_permutation(perm, train->pixels, seed, RNG_PIXELS, 0);
        in->perm = perm;
    }
}
