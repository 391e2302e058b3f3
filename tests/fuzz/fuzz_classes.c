/* Fuzz target: the classes.csv reader (used by report, merge and --resume),
 * against the rows of a fixed results.csv: seed 0's teacher, 5 of 10 test
 * digits right, and its reference, diverged. */
#include <stdlib.h>
#include "fuzz_input.h"
#include "out/classes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the reader accepts keeps its promises: every ok row has counts that
 * add up to its test counts; the diverged row has none. */
static void check(const char *path)
{
    err e;
    arm_result rows[2] = {
        {.seed = 0, .arm = experiment_teacher_arm(), .ok = 1, .correct = 5, .total = 10},
        {.seed = 0, .arm = 0, .ok = 0, .total = 10},
    };
    if (classes_read(path, rows, 2, &e) != 0)
        return;
    if (!rows[0].has_classes || rows[1].has_classes)
        abort();
    uint64_t sum = 0, diagonal = 0;
    for (size_t k = 0; k < EXPERIMENT_CLASSES * EXPERIMENT_CLASSES; k++) {
        sum += rows[0].classes[k];
        diagonal += k % (EXPERIMENT_CLASSES + 1) == 0 ? rows[0].classes[k] : 0;
    }
    if (sum != 10 || diagonal != 5)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_on_file(data, size, check);
}
