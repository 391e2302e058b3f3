/* The datasets sublim knows by name (datasets.h). */
#include "nn/datasets.h"

#include <stddef.h>

const char *const DATASET_NAMES[] = {"mnist", "fashion", NULL};

static const dataset_about ABOUT[] = {
    [DATASET_MNIST] = {"MNIST", "mnist", "digit", "digits", "digit", "digits",
                       {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"},
                       NULL, "", "data", "SUBLIM_DATA", 1},
    /* Xiao, Rasul & Vollgraf (2017): Zalando's article images, MNIST's
     * format and sizes, labels in this order. */
    [DATASET_FASHION] = {"Fashion-MNIST", "fashion-mnist", "clothing image",
                         "clothing images", "class", "classes",
                         {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
                          "Shirt", "Sneaker", "Bag", "Ankle boot"},
                         "dataset-fashion-mnist", " --fashion", "data-fashion",
                         "SUBLIM_FASHION_DATA", 0},
};

const dataset_about *datasets_about(enum dataset_kind k)
{
    return &ABOUT[k];
}
