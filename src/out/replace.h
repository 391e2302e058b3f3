/* replace: a result folder's files replaced by a new set in one step.
 *
 * A new run's results.csv must never sit beside the old run's config.txt,
 * yet rename(2) replaces one file at a time.  So the new files are put in
 * place through a journal, the folder DIR/.switching/:
 *
 *  1. they are written into DIR/.staging/ (replace_begin makes it);
 *  2. replace_commit marks each file of the set that the new files lack
 *     with an empty NAME.gone (it is to be removed), then renames .staging
 *     to .switching: that one rename is the switch.  Before it DIR holds
 *     its old files untouched; after it the new ones are decided;
 *  3. it moves every file of .switching into DIR (for NAME.gone: removes
 *     DIR/NAME) and removes .switching.
 *
 * A writer killed in 1 or 2 leaves .staging, which replace_recover removes:
 * the old files stand.  Killed in 3, it leaves .switching, which
 * replace_recover completes: an entry leaves the journal once handled, so
 * handling what is left again is safe.  Nothing here locks: only the holder
 * of the folder's write lock calls these (out/folder.h), and folder_open
 * calls replace_recover. */
#ifndef SUBLIM_REPLACE_H
#define SUBLIM_REPLACE_H

#include <stddef.h>
#include "base/err.h"

#define REPLACE_STAGING ".staging"
#define REPLACE_SWITCHING ".switching"
#define REPLACE_GONE ".gone"

/* Makes DIR/.staging, empty (a leftover is removed first); its path goes
 * to staging. */
int replace_begin(const char *dir, char *staging, size_t size, err *e);
/* Switches DIR to the files in DIR/.staging: each of names[0..n) becomes
 * the staged copy, or is removed when none was staged; a staged file not
 * named moves in too; DIR's other files stay.  A failure before the switch
 * leaves DIR as it was (and .staging removed); one after it says that the
 * next replace_recover completes it. */
int replace_commit(const char *dir, const char *const *names, size_t n, err *e);
/* Removes DIR/.staging (a killed writer's unfinished files), completes a
 * switch a killed writer began (DIR/.switching). */
int replace_recover(const char *dir, err *e);
/* 1 when DIR holds a switch begun and not completed (DIR/.switching). */
int replace_pending(const char *dir);
/* Removes DIR/.staging and what it holds: a new set given up. */
void replace_abort(const char *dir);

#endif
