/* figures: the charts of a result folder, and how each arm is shown.
 *
 *   figure.svg  test accuracy of every arm: mean, 95% CI (clipped to
 *               [0, 1]; none for one seed, and said so), one dot per seed
 *               (at most FIGURES_MAX_DOTS, said under it), the paper's
 *               value (only for the paper's configuration) and chance;
 *   curves.svg  mean training loss and test accuracy after every epoch;
 *   alignment.svg  the students' alignment with their teacher, per layer.
 * Both are pure functions of the folder's files (svg.h), so the same files
 * give the same bytes. */
#ifndef SUBLIM_FIGURES_H
#define SUBLIM_FIGURES_H

#include "base/err.h"
#include "out/folder.h"
#include "run/experiment.h"

/* How an arm is named and coloured, derived from what the arm is (not its
 * name), so a new row of the arm table gets a sensible look; the teachers'
 * words name what they learned (data: the run's dataset). */
typedef struct {
    const char *label, *note, *group, *color;
    const char *what; /* one sentence, for report.md's table */
} arm_look;

arm_look figures_arm_look(const arm_spec *arm, enum dataset_kind data);
/* The arm in one line, for legends: "teacher", "student, aux logits
 * only, teacher's start θ0". */
void figures_arm_line(const arm_spec *arm, char *buf, size_t size);

/* A bar of figure.svg draws at most this many dots (seeds), so the
 * figure's size is bounded whatever results.csv holds. */
#define FIGURES_MAX_DOTS 1000

/* figure.svg into path. */
int figures_write_bars(const folder_content *c, const char *path, err *e);
/* curves.svg into path (c->has_curves). */
int figures_write_curves(const folder_content *c, const char *path, err *e);
/* alignment.svg into path (c->has_alignment): per part of the network,
 * the students' displacement and step cosines with their teacher's
 * displacement, epoch by epoch (out/align_view.h). */
int figures_write_alignment(const folder_content *c, const char *path, err *e);

#endif
