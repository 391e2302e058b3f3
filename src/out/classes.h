/* classes: classes.csv, every ok row's test predictions per digit: its
 * confusion matrix, one line per seed × arm × true digit:
 *   seed,arm,label,predicted_0,...,predicted_9
 * (predicted_k: how many test digits of that label the arm's network
 * classified as k).  Lines in the rows' order, labels ascending; a
 * diverged row has none.  A separate file, so results.csv keeps its
 * columns and bytes. */
#ifndef SUBLIM_CLASSES_H
#define SUBLIM_CLASSES_H

#include <stddef.h>
#include "base/err.h"
#include "run/experiment.h"

/* 1 when every ok row of rows carries its counts (has_classes): what
 * classes.csv needs to be whole. */
int classes_complete(const arm_result *rows, size_t n_rows);

/* The counts of rows (classes_complete) to path. */
int classes_write(const char *path, const arm_result *rows, size_t n_rows, err *e);

/* Reads path into the rows it belongs to (has_classes set).  Lines of a
 * seed × arm that rows lack or mark diverged are skipped: a run killed
 * between writing classes.csv and results.csv leaves them (see
 * folder_write_seeds), results.csv is the source of truth.  Refuses,
 * naming the line, a malformed line, a row's lines out of order or twice;
 * and, naming the row, an ok row without lines, or counts that disagree
 * with results.csv (their sum is not test_total or their diagonal not
 * test_correct). */
int classes_read(const char *path, arm_result *rows, size_t n_rows, err *e);

#endif
