/* merge: result folders of separate runs (other seeds, other machines)
 * joined into one, as if one run had produced all the rows.
 *
 * The folders' config.txt must agree key for key, and no seed may be in
 * two of them.  The merged folder gets results.csv and curves.csv (rows
 * sorted by seed, then arm: the bytes one run over all the seeds writes),
 * config.txt, run.txt with every run's blocks, theorem.csv when the inputs
 * that have one agree, and the derived files (report.h).  It must not be
 * one of the inputs, and must not hold results unless forced. */
#ifndef SUBLIM_MERGE_H
#define SUBLIM_MERGE_H

#include <stddef.h>
#include "base/err.h"

/* notes gets a short remark on what was left out, or "". */
int merge_folders(const char *const *in, size_t n_in, const char *out, int force, char *notes,
                  size_t notes_size, err *e);

#endif
