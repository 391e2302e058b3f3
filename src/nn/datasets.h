/* datasets: the image datasets sublim knows by name, MNIST and
 * Fashion-MNIST: what each is called, the folder it is looked for in, what
 * its ten classes are, where to get it, and whether the paper ran on it.
 * Their files are the same four IDX files (nn/idx.h), so `--data DIR`
 * takes any dataset laid out that way. */
#ifndef SUBLIM_DATASETS_H
#define SUBLIM_DATASETS_H

enum dataset_kind { DATASET_MNIST, DATASET_FASHION };

/* The names of the kinds, in enum order, NULL-terminated (the choices of
 * the --dataset setting). */
extern const char *const DATASET_NAMES[];

#define DATASETS_CLASSES 10

typedef struct {
    const char *title;   /* as a reader knows it: "MNIST", "Fashion-MNIST" */
    const char *folder;  /* its folder in the repository and in the user's data folder */
    const char *item;    /* one example, in words: "digit", "clothing image" */
    const char *items;   /* and several: "digits", "clothing images" */
    const char *label;   /* what a label names: "digit", "class" */
    const char *labels;  /* and several: "digits", "classes" */
    const char *classes[DATASETS_CLASSES]; /* what each label means */
    const char *package; /* the Debian package that installs it; NULL: none */
    const char *fetch;   /* the fetch script's option for it: "", " --fashion" */
    const char *make;    /* the repository's target that fetches it: "data", "data-fashion" */
    const char *env;     /* the variable naming its folder; NULL: none */
    int paper;           /* 1: the paper's experiment ran on it (its figures apply) */
} dataset_about;

/* What sublim knows of kind k (a valid enum value). */
const dataset_about *datasets_about(enum dataset_kind k);

#endif
