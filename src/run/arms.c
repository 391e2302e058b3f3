/* The experiment's arms: the table of what each arm is, and which of them
 * a configuration runs. */
#include <math.h>
#include <string.h>
#include "run/experiment.h"

/* paper_mean: Cloud et al. 2025, MNIST figure (mean of 100 runs); the
 * arms beyond the paper have none. */
static const arm_spec ARMS[] = {
    {"reference", ARM_UNTRAINED, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_NONE, ARM_IMITATES_TEACHER,
     ARM_ALWAYS, 0.10},
    {"teacher", ARM_TEACHER, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_NONE, ARM_IMITATES_TEACHER,
     ARM_ALWAYS, 0.943},
    {"student_aux_same", ARM_STUDENT, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_AUX,
     ARM_IMITATES_TEACHER, ARM_ALWAYS, 0.53},
    {"student_aux_cross", ARM_STUDENT, ARM_FROM_OTHER_INIT, ARM_OUTPUTS_AUX,
     ARM_IMITATES_TEACHER, ARM_ALWAYS, 0.107},
    {"student_all_same", ARM_STUDENT, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_ALL,
     ARM_IMITATES_TEACHER, ARM_ALWAYS, 0.91},
    {"student_all_cross", ARM_STUDENT, ARM_FROM_OTHER_INIT, ARM_OUTPUTS_ALL,
     ARM_IMITATES_TEACHER, ARM_ALWAYS, 0.74},
    {"trait_teacher", ARM_TRAIT_TEACHER, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_NONE,
     ARM_IMITATES_TEACHER, ARM_WITH_TRAIT, NAN},
    {"student_aux_same_trait", ARM_STUDENT, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_AUX,
     ARM_IMITATES_TRAIT_TEACHER, ARM_WITH_TRAIT, NAN},
    {"student_aux_cross_trait", ARM_STUDENT, ARM_FROM_OTHER_INIT, ARM_OUTPUTS_AUX,
     ARM_IMITATES_TRAIT_TEACHER, ARM_WITH_TRAIT, NAN},
    {"student_aux_otherarch", ARM_STUDENT, ARM_FROM_OWN_INIT, ARM_OUTPUTS_AUX,
     ARM_IMITATES_TEACHER, ARM_WITH_OTHER_SHAPE, NAN},
    {"student_all_otherarch", ARM_STUDENT, ARM_FROM_OWN_INIT, ARM_OUTPUTS_ALL,
     ARM_IMITATES_TEACHER, ARM_WITH_OTHER_SHAPE, NAN},
    {"student_aux_embed", ARM_STUDENT, ARM_FROM_EMBEDDED_INIT, ARM_OUTPUTS_AUX,
     ARM_IMITATES_TEACHER, ARM_WITH_EMBED, NAN},
    {"student_all_embed", ARM_STUDENT, ARM_FROM_EMBEDDED_INIT, ARM_OUTPUTS_ALL,
     ARM_IMITATES_TEACHER, ARM_WITH_EMBED, NAN},
    {"student_aux_mix", ARM_STUDENT, ARM_FROM_MIXED_INIT, ARM_OUTPUTS_AUX,
     ARM_IMITATES_TEACHER, ARM_WITH_MIX, NAN},
};
#define N_ARMS (sizeof ARMS / sizeof ARMS[0])
_Static_assert(N_ARMS <= EXPERIMENT_MAX_ARMS, "more arms than EXPERIMENT_MAX_ARMS");

const arm_spec *experiment_arms(size_t *n_arms)
{
    *n_arms = N_ARMS;
    return ARMS;
}

int experiment_arm_runs(const experiment_config *cfg, size_t a)
{
    if (a >= N_ARMS)
        return 0;
    int other_shape = cfg->student_width || cfg->student_depth;
    switch (ARMS[a].when) {
    case ARM_ALWAYS: return 1;
    case ARM_WITH_TRAIT: return cfg->trait.kind != TRAIT_NONE;
    case ARM_WITH_OTHER_SHAPE:
        return other_shape && cfg->student_init.kind != STUDENT_START_EMBED;
    case ARM_WITH_EMBED: return cfg->student_init.kind == STUDENT_START_EMBED;
    case ARM_WITH_MIX: return cfg->student_init.kind == STUDENT_START_MIX;
    }
    return 0;
}

size_t experiment_arms_run(const experiment_config *cfg, size_t which[EXPERIMENT_MAX_ARMS])
{
    size_t n = 0;
    for (size_t a = 0; a < N_ARMS; a++)
        if (experiment_arm_runs(cfg, a)) {
            if (which)
                which[n] = a;
            n++;
        }
    return n;
}

int experiment_arm_index(const char *name)
{
    for (size_t a = 0; a < N_ARMS; a++)
        if (strcmp(ARMS[a].name, name) == 0)
            return (int)a;
    return -1;
}

int experiment_arm_find(enum arm_training training, enum arm_start start,
                        enum arm_outputs outputs, enum arm_imitates imitates)
{
    for (size_t a = 0; a < N_ARMS; a++)
        if (ARMS[a].training == training && ARMS[a].start == start &&
            ARMS[a].outputs == outputs && ARMS[a].imitates == imitates)
            return (int)a;
    return -1;
}

size_t experiment_teacher_arm(void)
{
    return (size_t)experiment_arm_find(ARM_TEACHER, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_NONE,
                                       ARM_IMITATES_TEACHER);
}

size_t experiment_arm_epochs(const experiment_config *cfg, const arm_spec *arm)
{
    return arm->training == ARM_TEACHER         ? cfg->teacher_epochs
           : arm->training == ARM_TRAIT_TEACHER ? cfg->trait_epochs
           : arm->training == ARM_STUDENT       ? cfg->student_epochs
                                                : 0;
}

double experiment_paper_mean(const experiment_config *cfg, size_t a)
{
    return datasets_about(cfg->dataset)->paper ? ARMS[a].paper_mean : NAN;
}

int experiment_arm_other_shape(const arm_spec *arm)
{
    return arm->start == ARM_FROM_OWN_INIT || arm->start == ARM_FROM_EMBEDDED_INIT;
}

/* Another shape has no θ_T - θ0 to compare with. */
int experiment_arm_aligns(const experiment_config *cfg, const arm_spec *arm)
{
    return cfg->curves && arm->training == ARM_STUDENT && !experiment_arm_other_shape(arm);
}

size_t experiment_student_passes(const experiment_config *cfg)
{
    int trait = 0, same_shape = 0, other_shape = 0;
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    for (size_t a = 0; a < n_arms; a++) {
        if (!experiment_arm_runs(cfg, a) || arms[a].training != ARM_STUDENT)
            continue;
        if (experiment_arm_other_shape(&arms[a]))
            other_shape = 1;
        else if (arms[a].imitates == ARM_IMITATES_TRAIT_TEACHER)
            trait = 1;
        else
            same_shape = 1;
    }
    return (size_t)(trait + same_shape + other_shape);
}

size_t experiment_trait_examples(const experiment_config *cfg, size_t n_train)
{
    return cfg->trait.kind == TRAIT_NONE
               ? 0
               : n_train + trait_noise_images(&cfg->trait, n_train, EXPERIMENT_CLASSES);
}
