/* atomic: write a file so that readers see either the old or the whole new
 * one, never a half-written file: write a temporary file in the same
 * folder, flush and fsync it, then rename it over the target. */
#ifndef SUBLIM_ATOMIC_H
#define SUBLIM_ATOMIC_H

#include <stdio.h>
#include "base/err.h"
#include "base/files.h"

/* The temporary file is the target's name plus this, the writer's pid, a
 * dot and six random characters (mkstemp): results.csv.tmp.4242.Ab3xYz.
 * The pid says whose it is, so leftovers are removed only once their
 * writer is gone. */
#define ATOMIC_TMP_SUFFIX ".tmp."

typedef struct {
    FILE *f;
    char path[FILES_PATH_MAX];
    char tmp[FILES_PATH_MAX + 32];
} atomic_file;

/* Opens the temporary file; write to af->f. */
int atomic_open(atomic_file *af, const char *path, err *e);
/* Flushes, fsyncs and renames into place; on any failure the temporary
 * file is removed and the target is left as it was. */
int atomic_commit(atomic_file *af, err *e);
/* The same, but only when nothing is at the target yet: returns 1 (the
 * temporary removed, the target untouched) when something is, so
 * concurrent writers of one file can each check the one that won. */
int atomic_commit_new(atomic_file *af, err *e);
/* Gives up: removes the temporary file. */
void atomic_abort(atomic_file *af);

/* Removes the temporary files that writers of path killed before their
 * commit left beside it: those whose pid is no live process here (a live
 * writer's are never touched, lock or no lock), and, when holds_lock says
 * the caller alone may write path, the pid-less NAME.tmp.XXXXXX of older
 * versions.  A pid cannot be checked on another machine or in another pid
 * namespace: a folder written from there may lose a live temporary (its
 * writer's commit then fails, saying so). */
void atomic_remove_stale(const char *path, int holds_lock);
/* The same for every file of the folder dir. */
void atomic_remove_stale_in(const char *dir, int holds_lock);

#endif
