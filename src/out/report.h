/* report: everything derived from a result folder's files.
 *
 * report_write makes summary.json, figure.svg, curves.svg, report.md and
 * report.html (report_html.h) from the folder's results.csv, classes.csv,
 * samples.pgm, config.txt, run.txt, curves.csv, theorem.csv and
 * theorem.txt alone, so the same files give byte-identical outputs:
 * nothing is read from the clock or the machine at report time (machine,
 * threads and wall time come from run.txt, written when the run happened).
 * `sublim experiment` ends with it, so its report is the one `sublim
 * report` regenerates.  A missing config.txt or run.txt is said so in the
 * report, not guessed; results.csv alone is enough for a figure. */
#ifndef SUBLIM_REPORT_H
#define SUBLIM_REPORT_H

#include "base/err.h"
#include "out/folder.h"

/* Writes the derived files of c into f (curves.svg only when the folder
 * has curves.csv; a stale one is removed). */
int report_write(const folder *f, const folder_content *c, err *e);

/* Reads f's files and writes what report_write does; a folder with
 * theorem.csv and no results.csv gets a report.md of the theorem check
 * alone (and no summary.json or figures). */
int report_regenerate(const folder *f, err *e);

#endif
