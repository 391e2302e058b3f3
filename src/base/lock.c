#include "base/lock.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/files.h"

/* Who holds a lock on fd that conflicts with type: the pid fcntl reports
 * (0 when it cannot say, as over some network file systems: then the pid
 * a writer noted in the file), and whether that lock is a read lock. */
static long lock_holder(int fd, short type, int *reading)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    *reading = 0;
    if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK) {
        *reading = fl.l_type == F_RDLCK;
        if (fl.l_pid > 0)
            return (long)fl.l_pid;
    }
    char buf[32] = "";
    ssize_t got = *reading ? 0 : pread(fd, buf, sizeof buf - 1, 0);
    return got > 0 ? strtol(buf, NULL, 10) : 0;
}

int lock_take(int *fd, const char *path, enum lock_mode mode, const char *what, err *e)
{
    int writing = mode == LOCK_WRITE;
    /* Non-blocking: a FIFO in its place would block a read-only open. */
    *fd = open(path, (writing ? O_RDWR | O_CREAT : O_RDONLY) | O_CLOEXEC | O_NONBLOCK, 0644);
    if (*fd >= 0 && files_check_regular(*fd, path, e)) {
        lock_release(fd);
        return -1;
    }
    if (*fd < 0) {
        if (!writing && errno == ENOENT)
            return 0; /* never written by a sublim that locks: nothing to wait for */
        return err_set(e, "%s: cannot %s: %s", what, writing ? "lock it to write" : "read",
                       strerror(errno));
    }
    short type = writing ? F_WRLCK : F_RDLCK;
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    if (fcntl(*fd, F_SETLK, &fl) != 0) {
        int saved = errno, reading = 0;
        int busy = saved == EACCES || saved == EAGAIN;
        long pid = busy ? lock_holder(*fd, type, &reading) : 0;
        lock_release(fd);
        if (!busy)
            return err_set(e, "%s: cannot lock it: %s", what, strerror(saved));
        char who[48] = "another process";
        if (pid > 0)
            snprintf(who, sizeof who, "another sublim (pid %ld)", pid);
        return err_set(e, "%s is being %s by %s: wait for it to finish", what,
                       reading ? "read" : "written", who);
    }
    if (writing) {
        char pid[32];
        int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
        if (ftruncate(*fd, 0) != 0 || pwrite(*fd, pid, (size_t)n, 0) != n) {
            /* The lock holds without the note. */
        }
    }
    return 0;
}

void lock_release(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}
