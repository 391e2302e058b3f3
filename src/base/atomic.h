/* atomic: write a file so that readers see either the old or the whole new
 * one, never a half-written file: write a temporary file in the same
 * folder, flush and fsync it, then rename it over the target. */
#ifndef SUBLIM_ATOMIC_H
#define SUBLIM_ATOMIC_H

#include <stdio.h>
#include "base/err.h"
#include "base/files.h"

/* The temporary file is the target's name plus this and six random
 * characters (mkstemp). */
#define ATOMIC_TMP_SUFFIX ".tmp."

typedef struct {
    FILE *f;
    char path[FILES_PATH_MAX];
    char tmp[FILES_PATH_MAX + 16];
} atomic_file;

/* Opens the temporary file; write to af->f. */
int atomic_open(atomic_file *af, const char *path, err *e);
/* Flushes, fsyncs and renames into place; on any failure the temporary
 * file is removed and the target is left as it was. */
int atomic_commit(atomic_file *af, err *e);
/* Gives up: removes the temporary file. */
void atomic_abort(atomic_file *af);

/* Removes the temporary files a writer of path killed before its commit
 * left beside it.  Only safe while nobody else writes path. */
void atomic_remove_stale(const char *path);
/* The same for every file of the folder dir. */
void atomic_remove_stale_in(const char *dir);

#endif
