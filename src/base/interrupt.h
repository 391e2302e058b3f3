/* interrupt: SIGINT and SIGTERM turned into an orderly stop.
 *
 * Once interrupt_catch() has run, either signal only notes itself, and long
 * work polls interrupt_check() at its safe points (between training
 * batches, between theorem trials), returning its error through the usual
 * error paths: whatever a command writes is then written whole (a file,
 * and the set of files it belongs with) or not at all, run.txt can say
 * "interrupted", and the command exits 128 + the signal's number.  A
 * command that writes without such a point (report, merge) just finishes
 * first: it takes a moment.
 *
 * The note is sublim's one piece of global mutable state: a lock-free
 * atomic int, which C11 lets a signal handler set and any thread read, so
 * the pool's threads are never disturbed.  The first signal restores the
 * default action of both, so a second one ends the process at once; the
 * temporary files it may leave carry its pid, and the next command that
 * opens the folder removes them (base/atomic.h). */
#ifndef SUBLIM_INTERRUPT_H
#define SUBLIM_INTERRUPT_H

#include "base/err.h"

/* From now on SIGINT and SIGTERM are noted instead of ending the process.
 * (Should the system refuse, they keep ending it, which leaves nothing
 * worse than a kill does.) */
void interrupt_catch(void);
/* The first signal noted (SIGINT or SIGTERM), or 0. */
int interrupt_signal(void);
/* 0 while no signal was noted; else -1, and e says "interrupted by SIGINT"
 * (or SIGTERM). */
int interrupt_check(err *e);

#endif
