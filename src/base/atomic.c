#include "base/atomic.h"
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __APPLE__
#include <sys/sysctl.h> /* process_start */
#include <sys/time.h>
#endif

int atomic_open(atomic_file *af, const char *path, err *e)
{
    memset(af, 0, sizeof *af);
    if (strlen(path) >= sizeof af->path)
        return err_set(e, "path too long (%zu bytes): %.200s...", strlen(path), path);
    strcpy(af->path, path);
    snprintf(af->tmp, sizeof af->tmp, "%s" ATOMIC_TMP_SUFFIX "%ld.XXXXXX", path, (long)getpid());
    int fd = mkstemp(af->tmp);
    if (fd < 0)
        return err_set(e, "%s: cannot create a temporary file: %s", path, strerror(errno));
    af->f = fdopen(fd, "w");
    if (!af->f) {
        int saved = errno; /* before close and unlink can change it */
        close(fd);
        unlink(af->tmp);
        return err_set(e, "%s: cannot open a temporary file: %s", path, strerror(saved));
    }
    return 0;
}

/* Flushes, fsyncs, closes and opens up the temporary; 0 or the errno. */
static int finish_tmp(atomic_file *af)
{
    int failed = fflush(af->f) != 0 || ferror(af->f);
    int saved = errno;
    if (!failed && fsync(fileno(af->f)) != 0) {
        failed = 1;
        saved = errno;
    }
    if (fclose(af->f) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    af->f = NULL;
    /* mkstemp makes 0600 files; results are for everyone to read. */
    if (!failed && chmod(af->tmp, 0644) != 0) {
        failed = 1;
        saved = errno;
    }
    return failed ? (saved ? saved : EIO) : 0;
}

int atomic_commit(atomic_file *af, err *e)
{
    int saved = finish_tmp(af);
    if (!saved && rename(af->tmp, af->path) != 0)
        saved = errno;
    if (saved) {
        unlink(af->tmp);
        return err_set(e, "%s: cannot write: %s", af->path, strerror(saved));
    }
    return 0;
}

int atomic_commit_new(atomic_file *af, err *e)
{
    int saved = finish_tmp(af), existed = 0;
    /* link(2) fails with EEXIST rather than replace: a create-if-absent
     * that is atomic on local and network file systems alike. */
    if (!saved && link(af->tmp, af->path) != 0) {
        if (errno == EEXIST)
            existed = 1;
        else
            saved = errno;
    }
    unlink(af->tmp);
    if (saved)
        return err_set(e, "%s: cannot write: %s", af->path, strerror(saved));
    return existed;
}

void atomic_abort(atomic_file *af)
{
    if (af->f)
        fclose(af->f);
    af->f = NULL;
    unlink(af->tmp);
}

/* The writer's pid of a temporary's tail, what follows ATOMIC_TMP_SUFFIX:
 * "PID.XXXXXX" gives PID; the pid-less "XXXXXX" of older versions gives 0;
 * anything else -1 (not a temporary). */
static long tail_pid(const char *tail)
{
    const size_t random_chars = 6;
    size_t n = strlen(tail);
    if (n == random_chars)
        return 0;
    if (n < random_chars + 2 || tail[n - random_chars - 1] != '.')
        return -1;
    long pid = 0;
    for (const char *p = tail; p < tail + n - random_chars - 1; p++) {
        if (!isdigit((unsigned char)*p) || pid > 99999999)
            return -1;
        pid = pid * 10 + (*p - '0');
    }
    return pid > 0 ? pid : -1;
}

/* When process pid started, in seconds since the epoch, where the system
 * tells: Linux's /proc (its start in clock ticks after boot, and the boot
 * time), macOS's sysctl; -1 elsewhere or when it cannot be read. */
static int process_start(long pid, double *when)
{
#if defined(__linux__)
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    /* Fields after the name (which may hold spaces and parentheses):
     * state is field 3, starttime field 22. */
    const char *p = strrchr(buf, ')');
    unsigned long long ticks = 0;
    for (int field = 2; p && field < 22; field++)
        p = strchr(p + 1, ' ');
    if (!p || sscanf(p + 1, "%llu", &ticks) != 1)
        return -1;
    f = fopen("/proc/stat", "r");
    unsigned long long boot = 0;
    int found = 0;
    while (f && !found && fgets(buf, sizeof buf, f))
        found = sscanf(buf, "btime %llu", &boot) == 1;
    if (f)
        fclose(f);
    long hz = sysconf(_SC_CLK_TCK);
    if (!found || hz <= 0)
        return -1;
    *when = (double)boot + (double)ticks / (double)hz;
    return 0;
#elif defined(__APPLE__)
    int mib[4] = {CTL_KERN, KERN_PROC, KERN_PROC_PID, (int)pid};
    struct kinfo_proc info;
    size_t size = sizeof info;
    /* No such process: success with nothing written. */
    if (sysctl(mib, 4, &info, &size, NULL, 0) != 0 || size == 0)
        return -1;
    struct timeval start = info.kp_proc.p_starttime;
    *when = (double)start.tv_sec + (double)start.tv_usec * 1e-6;
    return 0;
#else
    (void)pid;
    (void)when;
    return -1;
#endif
}

/* Whether the writer of the temporary at path, process pid, may still be
 * at work: some process has that pid (one we may not signal counts) and,
 * where the system tells when it started (process_start), it started
 * before the temporary was last written; a process that started later
 * only got the pid of a writer gone since (pids wrap: 32768 of them on
 * many systems).  Where it cannot be told, any process with that pid
 * counts (kill(pid, 0)): the guarantee is weaker, but only in the safe
 * direction, a dead writer's temporary kept until that pid is free again,
 * never a live writer's removed. */
static int writer_alive(long pid, const char *path)
{
    if (kill((pid_t)pid, 0) != 0 && errno != EPERM)
        return 0;
    struct stat st;
    double started;
    if (stat(path, &st) != 0 || process_start(pid, &started) != 0)
        return 1; /* cannot tell: leave it */
    return started <= (double)st.st_mtime + 2; /* whole seconds, rounded either way */
}

/* Removes dir's temporaries of name (of every file when name is NULL) whose
 * writer is gone: NAME.tmp.PID.XXXXXX with no process PID, and, with
 * holds_lock, the pid-less NAME.tmp.XXXXXX. */
static void remove_stale(const char *dir, const char *name, int holds_lock)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    size_t suffix = strlen(ATOMIC_TMP_SUFFIX);
    struct dirent *de;
    char path[FILES_PATH_MAX];
    while ((de = readdir(d))) {
        const char *at = strstr(de->d_name, ATOMIC_TMP_SUFFIX);
        while (at && strstr(at + 1, ATOMIC_TMP_SUFFIX))
            at = strstr(at + 1, ATOMIC_TMP_SUFFIX); /* the last one */
        if (!at || at == de->d_name)
            continue;
        if (name && (strlen(name) != (size_t)(at - de->d_name) ||
                     strncmp(de->d_name, name, strlen(name)) != 0))
            continue;
        long pid = tail_pid(at + suffix);
        if (pid < 0 || (pid == 0 && !holds_lock) ||
            files_join(path, sizeof path, dir, de->d_name, NULL) != 0 ||
            (pid > 0 && writer_alive(pid, path)))
            continue;
        unlink(path);
    }
    closedir(d);
}

void atomic_remove_stale(const char *path, int holds_lock)
{
    char dir[FILES_PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    remove_stale(dir, slash ? slash + 1 : path, holds_lock);
}

void atomic_remove_stale_in(const char *dir, int holds_lock)
{
    remove_stale(dir, NULL, holds_lock);
}
