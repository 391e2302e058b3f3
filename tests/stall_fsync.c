/* stall_fsync: an LD_PRELOAD shim for the tests that stop sublim in the
 * middle of writing a file (test_interrupt.c): the first fsync of a file
 * whose path holds $SUBLIM_STALL_FILE (say "results.csv.tmp") stalls, the
 * temporary written but not yet renamed, until the test creates
 * $SUBLIM_STALL_DIR/go; $SUBLIM_STALL_DIR/stalled tells the test it is
 * there.  Signals land in the stall like anywhere else.  Every other fsync
 * goes through (as fdatasync, or fcntl's F_FULLFSYNC on macOS, which has
 * no fdatasync: enough for tests).  A file's path comes from /proc/self/fd
 * (Linux) or fcntl's F_GETPATH (macOS). */
#ifdef __APPLE__
#define _DARWIN_C_SOURCE /* F_GETPATH, F_FULLFSYNC beside _POSIX_C_SOURCE */
#endif
#include <fcntl.h>
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

/* The path of the file open as fd into path (PATH_MAX bytes); 0 or -1. */
static int fd_path(int fd, char *path)
{
#ifdef F_GETPATH
    return fcntl(fd, F_GETPATH, path) == -1 ? -1 : 0;
#else
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, PATH_MAX - 1);
    if (n <= 0)
        return -1;
    path[n] = '\0';
    return 0;
#endif
}

int fsync(int fd)
{
    const char *dir = getenv("SUBLIM_STALL_DIR"), *file = getenv("SUBLIM_STALL_FILE");
    char path[PATH_MAX], mark[PATH_MAX], done[PATH_MAX];
    if (dir && file && !exists(dir, "go") && fd_path(fd, path) == 0) {
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
#ifdef F_FULLFSYNC
    return fcntl(fd, F_FULLFSYNC);
#else
    return fdatasync(fd);
#endif
}
