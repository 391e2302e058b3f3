/* report_align: report.md's sections on the students' alignment with
 * their teacher: through training (alignment.csv, read through
 * align_view.h), and per layer beside the theorem's (theorem_layers.csv). */
#ifndef SUBLIM_REPORT_ALIGN_H
#define SUBLIM_REPORT_ALIGN_H

#include <stdio.h>
#include "base/err.h"
#include "out/folder.h"

/* The section, when fo has alignment rows; nothing otherwise. */
int report_align_md(FILE *f, const folder_content *fo, err *e);

/* Under the theorem check, when dir has theorem_layers.csv: the theorem's
 * cosines per layer (one step from θ0, from θ0', K steps; each at its
 * smallest ε) beside the experiment's students at their last epoch (fo:
 * the experiment, NULL or without alignment rows when there is none). */
int report_align_layers_md(FILE *f, const folder *dir, const folder_content *fo, err *e);

#endif
