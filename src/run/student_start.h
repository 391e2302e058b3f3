/* student_start: where the students beyond the paper's start from.
 *
 *  - own:   students of another shape (--student-width, --student-depth)
 *           start from their own init, an independent draw;
 *  - embed: a student wider than the teacher that contains θ0 exactly
 *           (mlp_embed): it computes θ0's function at step 0 while its
 *           architecture differs;
 *  - mix:α  a student of the teacher's shape starting from
 *           (α θ0 + (1-α) θ0') / sqrt(α² + (1-α)²), which keeps the init's
 *           variance: α = 1 is θ0, α = 0 is θ0', exactly. */
#ifndef SUBLIM_STUDENT_START_H
#define SUBLIM_STUDENT_START_H

#include <stddef.h>
#include "base/setting.h"

enum student_start_kind { STUDENT_START_OWN, STUDENT_START_EMBED, STUDENT_START_MIX };

typedef struct {
    enum student_start_kind kind;
    double alpha; /* mix: the share of θ0, in [0, 1] */
} student_start;

/* "own", "embed", "mix:A" (A in [0, 1]). */
extern const setting_codec STUDENT_START_CODEC;

/* out[k] = (α shared[k] + (1-α) other[k]) / sqrt(α² + (1-α)²), k < n,
 * in double, rounded once. */
void student_start_mix(float *out, const float *shared, const float *other, size_t n,
                       double alpha);

#endif
