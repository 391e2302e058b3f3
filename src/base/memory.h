/* memory: how much memory this process can count on, for the commands to
 * refuse a configuration whose estimate exceeds it before allocating any
 * of it (Linux overcommits: a run far too large would otherwise allocate
 * for a while, then be killed, or fail, mid-run). */
#ifndef SUBLIM_MEMORY_H
#define SUBLIM_MEMORY_H

#include <stddef.h>

typedef struct {
    size_t bytes;     /* 0: nothing is known */
    const char *what; /* what sets it, for messages: "physical memory", ... */
} memory_limit;

/* The smallest of the machine's physical memory (sysconf) and this
 * process's address-space and data limits (RLIMIT_AS, RLIMIT_DATA: ulimit
 * -v and -d).  The limits count address space, which is never less than
 * resident memory, so an estimate of resident memory above any of them
 * cannot fit. */
memory_limit memory_available(void);

/* Bytes in one unit of getrusage's ru_maxrss (peak resident memory):
 * kilobytes on Linux and the BSDs, bytes on macOS. */
#ifdef __APPLE__
#define MEMORY_MAXRSS_UNIT 1.0
#else
#define MEMORY_MAXRSS_UNIT 1024.0
#endif

/* bytes as "88.7 MB" or "1.45 GB" (decimal units), into buf. */
void memory_format(char *buf, size_t size, double bytes);

#endif
