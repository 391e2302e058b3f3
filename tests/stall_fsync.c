/* stall_fsync: an LD_PRELOAD shim for the tests that stop sublim in the
 * middle of writing a file (test_interrupt.c): the first fsync of a file
 * whose path holds $SUBLIM_STALL_FILE (say "results.csv.tmp") stalls, the
 * temporary written but not yet renamed, until the test creates
 * $SUBLIM_STALL_DIR/go; $SUBLIM_STALL_DIR/stalled tells the test it is
 * there.  Signals land in the stall like anywhere else.  Every other fsync
 * goes through (as fdatasync: enough for tests). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int exists(const char *dir, const char *name)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return access(path, F_OK) == 0;
}

int fsync(int fd)
{
    const char *dir = getenv("SUBLIM_STALL_DIR"), *file = getenv("SUBLIM_STALL_FILE");
    char link[64], path[PATH_MAX], mark[PATH_MAX], done[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (dir && file && n > 0 && !exists(dir, "go")) {
        path[n] = '\0';
        if (strstr(path, file)) {
            /* The mark appears whole (renamed into place): a test may
             * read it, and kill this process, as soon as it sees it. */
            snprintf(mark, sizeof mark, "%s/stalling", dir);
            FILE *f = fopen(mark, "w");
            if (f) {
                fprintf(f, "%s\n", path);
                fclose(f);
            }
            snprintf(done, sizeof done, "%s/stalled", dir);
            rename(mark, done);
            while (!exists(dir, "go"))
                nanosleep(&(struct timespec){0, 5000000}, NULL);
        }
    }
    return fdatasync(fd);
}
