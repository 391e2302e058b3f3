/* The experiment's settings: the table that declares them, their
 * defaults, the checks across them, and the shapes they make. */
#include "run/experiment.h"
#include <stddef.h>
#include <string.h>
#include "nn/adam.h"

_Static_assert(sizeof(enum mlp_init) == sizeof(unsigned) &&
                   sizeof(enum noise_kind) == sizeof(unsigned),
               "choice settings are stored as unsigned");

#define AT(field) offsetof(experiment_config, field)
/* The defaults are the paper's protocol (the authors' code). */
static const setting SETTINGS[] = {
    {"seeds", SETTING_SIZE, AT(seeds), "5", 1, 100000, NULL, "independent replicates",
     SETTING_SEEDS},
    {"seed_start", SETTING_U64, AT(seed_start), "0", 0, 1e15, NULL, "first seed",
     SETTING_SEEDS},
    {"epochs", SETTING_SIZE, AT(teacher_epochs), "5", 0, EXPERIMENT_MAX_EPOCHS, NULL,
     "teacher epochs", 0},
    {"student_epochs", SETTING_SIZE, AT(student_epochs), "5", 0, EXPERIMENT_MAX_EPOCHS, NULL,
     "student epochs", 0},
    {"m", SETTING_SIZE, AT(m), "3", 1, 1000, NULL, "auxiliary logits", 0},
    {"width", SETTING_SIZE, AT(width), "256", 1, 65536, NULL, "hidden units per layer", 0},
    {"hidden_layers", SETTING_SIZE, AT(hidden_layers), "2", 1, MLP_MAX_LAYERS - 1, NULL,
     "hidden layers", SETTING_NO_FLAG},
    {"batch", SETTING_SIZE, AT(batch), "1024", 1, 65536, NULL, "batch size", 0},
    {"lr", SETTING_REAL, AT(lr), "3e-4", 1e-12, 1e6, NULL, "Adam learning rate", 0},
    {"init", SETTING_CHOICE, AT(init), "normal", 0, 0, MLP_INIT_NAMES, "weight init", 0},
    {"noise", SETTING_CHOICE, AT(noise), "uniform", 0, 0, NOISE_NAMES,
     "students' input noise", 0},
    {"noise_images", SETTING_SIZE, AT(n_noise), "0", 0, 10000000, NULL,
     "noise images per seed (0: as many as training digits)", 0},
    {"optimizer", SETTING_FIXED, 0, ADAM_DESCRIPTION, 0, 0, NULL, "the optimizer", 0},
    /* Beyond the paper, recorded only when set: results of runs from before
     * they existed read as runs without them. */
    {"dataset", SETTING_CHOICE, AT(dataset), "mnist", 0, 0, DATASET_NAMES,
     "the images: mnist, or fashion (Fashion-MNIST; the paper ran on MNIST)",
     SETTING_IF_SET | SETTING_ONE_VALUE},
    {"student_inputs", SETTING_CHOICE, AT(student_inputs), "noise", 0, 0, STUDENT_INPUT_NAMES,
     "what the students imitate the teacher on: noise, the training images (digits), them "
     "with their pixels shuffled, or the other dataset's training images (mnist, fashion)",
     SETTING_IF_SET},
    {"trait", SETTING_SPEC, AT(trait), "none", 0, 0, NULL,
     "a trait teacher's trait: prefer:C (reads noise as C) or swap:A:B (reads A as B)",
     SETTING_IF_SET, &TRAIT_CODEC, "none|prefer:C|swap:A:B"},
    {"trait_epochs", SETTING_SIZE, AT(trait_epochs), "1", 1, EXPERIMENT_MAX_EPOCHS, NULL,
     "the trait teacher's fine-tuning epochs", SETTING_IF_SET},
    {"student_width", SETTING_SIZE, AT(student_width), "0", 0, 65536, NULL,
     "students of another shape: hidden units (0: --width)", SETTING_IF_SET},
    {"student_depth", SETTING_SIZE, AT(student_depth), "0", 0, MLP_MAX_LAYERS - 1, NULL,
     "students of another shape: hidden layers (0: the teacher's)", SETTING_IF_SET},
    {"student_init", SETTING_SPEC, AT(student_init), "own", 0, 0, NULL,
     "how extra students start: own, embed (theta0 in a wider student), mix:A",
     SETTING_IF_SET, &STUDENT_START_CODEC, "own|embed|mix:A"},
    {"align_every", SETTING_SIZE, AT(align_every), "0", 0, 1e9, NULL,
     "measure the students' alignment with the teacher every K steps too (0: at epoch "
     "ends only)",
     SETTING_IF_SET},
};
#undef AT

const setting *experiment_settings(size_t *n)
{
    *n = sizeof SETTINGS / sizeof SETTINGS[0];
    return SETTINGS;
}

experiment_config experiment_defaults(void)
{
    experiment_config c;
    memset(&c, 0, sizeof c);
    settings_init(SETTINGS, sizeof SETTINGS / sizeof SETTINGS[0], &c);
    return c;
}

int experiment_check(const experiment_config *cfg, err *e)
{
    enum dataset_kind inputs;
    if (student_inputs_dataset(cfg->student_inputs, &inputs) && inputs == cfg->dataset)
        return err_set(e, "--student-inputs %s names the run's own dataset: its training "
                          "images are --student-inputs digits",
                       STUDENT_INPUT_NAMES[cfg->student_inputs]);
    const setting *epochs = settings_find(SETTINGS, sizeof SETTINGS / sizeof SETTINGS[0],
                                          "trait_epochs");
    if (cfg->trait.kind == TRAIT_NONE && !setting_is_default(epochs, cfg))
        return err_set(e, "--trait-epochs fine-tunes a trait teacher: give --trait too");
    if (cfg->student_init.kind == STUDENT_START_EMBED) {
        if (cfg->student_width <= cfg->width)
            return err_set(e, "--student-init embed puts the teacher's init inside a wider "
                              "student: give --student-width above --width (%zu)",
                           cfg->width);
        if (cfg->student_depth && cfg->student_depth != cfg->hidden_layers)
            return err_set(e, "--student-init embed needs the teacher's depth (%zu hidden "
                              "layers), not --student-depth %zu",
                           cfg->hidden_layers, cfg->student_depth);
    }
    return 0;
}

int experiment_shape(const experiment_config *cfg, size_t pixels, mlp_shape *s, err *e)
{
    return mlp_shape_make(s, pixels, cfg->width, cfg->hidden_layers,
                          EXPERIMENT_CLASSES + cfg->m, e);
}

int experiment_student_shape(const experiment_config *cfg, size_t pixels, mlp_shape *s,
                             err *e)
{
    return mlp_shape_make(s, pixels, cfg->student_width ? cfg->student_width : cfg->width,
                          cfg->student_depth ? cfg->student_depth : cfg->hidden_layers,
                          EXPERIMENT_CLASSES + cfg->m, e);
}

