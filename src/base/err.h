/* err: how library modules report failure.
 *
 * A module returns a non-zero status and writes one human sentence into
 * the caller's err buffer; only main prints it and picks the exit code. */
#ifndef SUBLIM_ERR_H
#define SUBLIM_ERR_H

#include <stddef.h>

typedef struct {
    char msg[512];
} err;

/* Formats msg into e (if e is non-NULL) and returns -1, so callers can
 * write `return err_set(e, "...", ...);`.  A message longer than e->msg
 * keeps its every word but the longest ones, which lose their middle
 * ("/tmp/a/very/lo...ng/path: cannot create the folder: ..."): a path of
 * 4 KB never hides the reason after it. */
int err_set(err *e, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
