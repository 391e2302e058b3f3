/* atomic: write a file so that readers see either the old or the whole new
 * one, never a half-written file: write a temporary file in the same
 * folder, flush and fsync it, then rename it over the target. */
#ifndef SUBLIM_ATOMIC_H
#define SUBLIM_ATOMIC_H

#include <stdio.h>
#include "base/err.h"

typedef struct {
    FILE *f;
    char path[4096];
    char tmp[4200];
} atomic_file;

/* Opens the temporary file; write to af->f. */
int atomic_open(atomic_file *af, const char *path, err *e);
/* Flushes, fsyncs and renames into place; on any failure the temporary
 * file is removed and the target is left as it was. */
int atomic_commit(atomic_file *af, err *e);
/* Gives up: removes the temporary file. */
void atomic_abort(atomic_file *af);

/* Creates the folder (one level) unless it exists. */
int ensure_dir(const char *dir, err *e);

#endif
