/* version: which sublim this is, the one place that says so.
 *
 * `sublim --version` prints it, run.txt and summary.json record it.  A
 * plain header rather than `git describe`, so a tarball without .git
 * builds the same program; raise it with every release. */
#ifndef SUBLIM_VERSION_H
#define SUBLIM_VERSION_H

#define SUBLIM_VERSION "0.16.0"
/* The release date, as the man page's .Dd gives it. */
#define SUBLIM_VERSION_DATE "December 2, 2026"

#endif
