/* An LD_PRELOAD library that stops a program at a chosen rename(2), so a
 * test can act at that very moment (kill it there, or start a rival
 * beside it) instead of guessing a delay.  The first rename whose
 * "FROM>TO" contains $STALL_RENAME stops the process with SIGSTOP before
 * renaming; a SIGCONT lets it go on.  With $STALL_NOTE set, the pid is
 * written to that file first (for scripts, which cannot wait for a stop).
 * Built by the Makefile for the tests and by scripts/kill-resume.sh. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int stalled;

static void stall_if_asked(const char *from, const char *to)
{
    const char *pattern = getenv("STALL_RENAME");
    if (stalled || !pattern)
        return;
    size_t n = strlen(from) + strlen(to) + 2;
    char *both = malloc(n);
    if (!both)
        return;
    snprintf(both, n, "%s>%s", from, to);
    int hit = strstr(both, pattern) != NULL;
    free(both);
    if (!hit)
        return;
    stalled = 1;
    const char *note = getenv("STALL_NOTE");
    FILE *f = note ? fopen(note, "w") : NULL;
    if (f) {
        fprintf(f, "%ld\n", (long)getpid());
        fclose(f);
    }
    raise(SIGSTOP);
}

int rename(const char *from, const char *to)
{
    int (*real)(const char *, const char *) =
        (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
    stall_if_asked(from, to);
    return real(from, to);
}
