/* lock: one writer at a time for a thing on disk (a result folder, a
 * checkpoint file), by an fcntl lock on a lock file beside it, which the
 * kernel releases however the process ends (even on SIGKILL).
 *
 *  - a writer takes a write lock, creating the lock file and noting its pid
 *    in it (for people, and for a holder on another machine, where fcntl
 *    cannot name it);
 *  - readers take read locks, which keep writers out but not each other; a
 *    thing never written under a lock (no lock file) has nothing to wait
 *    for, and reading creates no lock file;
 *  - nobody waits: a conflict is an error at once, naming the holder's pid.
 * fcntl locks belong to the process: two opens in one process never
 * conflict (the tests use a child process to hold one). */
#ifndef SUBLIM_LOCK_H
#define SUBLIM_LOCK_H

#include "base/err.h"

enum lock_mode { LOCK_READ, LOCK_WRITE };

/* Takes the lock file path in mode without waiting; *fd gets its
 * descriptor (-1 when reading finds no lock file: nothing held).  On a
 * conflict the error says "WHAT is being written by another sublim (pid
 * N): wait for it to finish" (or "being read"), what naming the thing the
 * lock guards. */
int lock_take(int *fd, const char *path, enum lock_mode mode, const char *what, err *e);
/* Releases a lock lock_take took (nothing when *fd is -1); *fd becomes -1. */
void lock_release(int *fd);

#endif
