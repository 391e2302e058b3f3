/* Shared helpers for sublim's cmocka tests. */
#ifndef SUBLIM_TESTUTIL_H
#define SUBLIM_TESTUTIL_H

/* wait4, for a child's peak memory (tu_run_sublim_measured), is BSD, not
 * POSIX; every test includes this header first. */
#define _DEFAULT_SOURCE

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "base/memory.h" /* MEMORY_MAXRSS_UNIT */

/* A fresh temporary directory for one test; the path is written to buf. */
static inline void tu_tempdir(char *buf, size_t n)
{
    snprintf(buf, n, "/tmp/sublim-test-XXXXXX");
    assert_non_null(mkdtemp(buf));
}

/* Writes n bytes to path (test fixtures). */
static inline void tu_write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* Relative difference |a-b| / max(|a|,|b|,floor). */
static inline double tu_reldiff(double a, double b, double floor_)
{
    double m = a < 0 ? -a : a, mb = b < 0 ? -b : b;
    if (mb > m) m = mb;
    if (floor_ > m) m = floor_;
    double d = a - b;
    return (d < 0 ? -d : d) / m;
}

/* Fails with both strings shown unless needle occurs in hay. */
#define tu_assert_contains(hay, needle)                                         \
    do {                                                                        \
        const char *tu_h_ = (hay), *tu_n_ = (needle);                           \
        if (!strstr(tu_h_, tu_n_))                                              \
            fail_msg("expected \"%s\" in \"%s\"", tu_n_, tu_h_);                \
    } while (0)

/* Fails unless |a-b| <= tol * max(|a|,|b|,floor), showing both numbers. */
#define tu_assert_close(a, b, tol, floor_)                                      \
    do {                                                                        \
        double tu_a_ = (a), tu_b_ = (b);                                        \
        if (!(tu_a_ == tu_b_ || tu_reldiff(tu_a_, tu_b_, (floor_)) <= (tol)))    \
            fail_msg("%s = %.17g vs %s = %.17g (rel diff %.3g > %.3g)", #a,     \
                     tu_a_, #b, tu_b_, tu_reldiff(tu_a_, tu_b_, (floor_)),      \
                     (double)(tol));                                            \
    } while (0)


/* A temporary folder per test, as a cmocka setup/teardown pair:
 * *state points to a tu_dir whose dir exists; path is the test's own. */
typedef struct {
    char dir[256];
    char path[512];
} tu_dir;

static inline int tu_dir_setup(void **state)
{
    tu_dir *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    tu_tempdir(fx->dir, sizeof fx->dir);
    *state = fx;
    return 0;
}

static inline int tu_dir_teardown(void **state)
{
    tu_dir *fx = *state;
    char cmd[600];
    /* Tests may leave read-only folders behind on purpose. */
    snprintf(cmd, sizeof cmd, "chmod -R u+w '%s'; rm -rf '%s'", fx->dir, fx->dir);
    int rc = system(cmd);
    free(fx);
    return rc == 0 ? 0 : -1;
}

/* dir/name in one of eight rotating buffers (enough for one call's
 * arguments). */
static inline const char *tu_path(const char *dir, const char *name)
{
    static char buf[8][700];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

/* The whole file, NUL-terminated; *n its size (n may be NULL).  free() it. */
static inline char *tu_slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    assert_true(size >= 0);
    rewind(f);
    char *buf = malloc((size_t)size + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
    buf[size] = '\0';
    fclose(f);
    if (n)
        *n = (size_t)size;
    return buf;
}

/* Fails unless files a and b hold the same bytes. */
static inline void tu_assert_same_file(const char *a, const char *b)
{
    size_t na, nb;
    char *x = tu_slurp(a, &na), *y = tu_slurp(b, &nb);
    if (na != nb || memcmp(x, y, na) != 0)
        fail_msg("%s and %s differ", a, b);
    free(x);
    free(y);
}

/* Entries of dir whose name holds ".tmp." (base/atomic.h's temporaries). */
static inline size_t tu_count_temporaries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    for (struct dirent *de; (de = readdir(d));)
        n += strstr(de->d_name, ".tmp.") != NULL;
    closedir(d);
    return n;
}

/* fork(), with this process's buffered output flushed first (so the child
 * does not print it again); fails the test when fork fails. */
static inline pid_t tu_fork(void)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    assert_true(pid >= 0);
    return pid;
}

/* A pid that no process has any more: a child that exited and was reaped. */
static inline long tu_dead_pid(void)
{
    pid_t pid = tu_fork();
    if (pid == 0)
        _exit(0);
    assert_int_equal(waitpid(pid, NULL, 0), pid);
    return (long)pid;
}

/* A live process other than this one: a child that lives until it is
 * killed (tu_end_child) or this process ends (even by a failed assertion:
 * it waits on a pipe only this process can write). */
static inline long tu_live_child(void)
{
    int alive[2];
    assert_int_equal(pipe(alive), 0);
    pid_t pid = tu_fork();
    if (pid == 0) {
        char c;
        close(alive[1]);
        close(1);
        close(2);
        while (read(alive[0], &c, 1) != 0)
            continue;
        _exit(0);
    }
    close(alive[0]);
    fcntl(alive[1], F_SETFD, FD_CLOEXEC); /* left open: closed when this process ends */
    return (long)pid;
}

static inline void tu_end_child(long pid)
{
    kill((pid_t)pid, SIGKILL);
    waitpid((pid_t)pid, NULL, 0);
}

/* dir/NAME.tmp.PID.AbC123: a temporary as base/atomic.c names it, of the
 * writer pid (in tu_path's rotating buffers). */
static inline const char *tu_temporary(const char *dir, const char *name, long pid)
{
    char base[300];
    snprintf(base, sizeof base, "%s.tmp.%ld.AbC123", name, pid);
    return tu_path(dir, base);
}

/* Entries of dir other than . and .. */
static inline size_t tu_count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    for (struct dirent *de; (de = readdir(d));)
        n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* Number of (non-overlapping) occurrences of needle in hay. */
static inline size_t tu_count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* ---- another process holding something (a lock: fcntl locks never
 * conflict within one process) ---- */

typedef struct {
    pid_t pid;
    int go; /* closing it lets the child end */
} tu_lock_holder;

/* A child process that calls take(arg), which returns 0 once it holds what
 * it took, and holds it until tu_release_lock; fails, naming what, unless
 * take succeeded. */
static inline tu_lock_holder tu_hold(int (*take)(const void *arg), const void *arg,
                                     const char *what)
{
    int ready[2], go[2];
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(go), 0);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(ready[0]);
        close(go[1]);
        int rc = take(arg);
        char c = rc == 0 ? 'y' : 'n';
        if (write(ready[1], &c, 1) != 1)
            _exit(2);
        while (read(go[0], &c, 1) > 0)
            continue;
        _exit(rc == 0 ? 0 : 1);
    }
    close(ready[1]);
    close(go[0]);
    fcntl(go[1], F_SETFD, FD_CLOEXEC); /* not inherited by a sublim the test runs */
    char c = 0;
    assert_int_equal(read(ready[0], &c, 1), 1);
    close(ready[0]);
    if (c != 'y')
        fail_msg("the child could not take %s", what);
    return (tu_lock_holder){pid, go[1]};
}

/* Lets the holder end normally; fails unless it did. */
static inline void tu_release_lock(tu_lock_holder h)
{
    close(h.go);
    int status;
    assert_int_equal(waitpid(h.pid, &status, 0), h.pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Skips the test unless MNIST is unpacked in ./mnist (tests run from the
 * project root). */
static inline void tu_need_mnist(void)
{
    if (access("mnist/train-images-idx3-ubyte", R_OK) != 0 ||
        access("mnist/t10k-images-idx3-ubyte", R_OK) != 0) {
        print_message("SKIPPED: no MNIST in ./mnist/ (run `make data` from the project root)\n");
        skip();
    }
}

/* The program under test, as the Makefile built it (SUBLIM_BIN). */
#ifndef SUBLIM_BIN
#define SUBLIM_BIN "build/sublim"
#endif

/* Runs `sublim ARGS` (args: NULL-terminated) with its stdout into the file
 * stdout_path (NULL: with stderr) and stderr into *output (malloc'ed; NULL:
 * discarded) and returns its exit code (-1 when it did not exit normally).
 * seconds: after that long SIGALRM ends it, so a hang fails the test (0: no
 * limit); as_cap: the child's address space is capped at that many bytes
 * (ulimit -v; 0: not capped); peak (may be NULL) gets its peak resident
 * memory in bytes. */
static inline int tu_run_sublim_with(char **output, const char *stdout_path,
                                     const char *const *args, unsigned seconds, size_t as_cap,
                                     double *peak)
{
    char log[] = "/tmp/sublim-test-out-XXXXXX";
    int fd = mkstemp(log);
    assert_true(fd >= 0);
    pid_t pid = tu_fork();
    if (pid == 0) {
        const char *argv[128];
        int n = 0;
        argv[n++] = SUBLIM_BIN;
        for (; args[n - 1] && n < 127; n++)
            argv[n] = args[n - 1];
        argv[n] = NULL;
        int out = stdout_path ? open(stdout_path, O_WRONLY) : fd;
        dup2(out, 1);
        dup2(fd, 2);
        alarm(seconds); /* kept across execv */
        struct rlimit cap = {(rlim_t)as_cap, (rlim_t)as_cap};
        if (as_cap && setrlimit(RLIMIT_AS, &cap) != 0)
            _exit(126);
        execv(SUBLIM_BIN, (char *const *)argv);
        _exit(127);
    }
    close(fd);
    int status;
    struct rusage ru;
    assert_int_equal(wait4(pid, &status, 0, &ru), pid);
    if (peak)
        *peak = MEMORY_MAXRSS_UNIT * (double)ru.ru_maxrss;
    char *text = tu_slurp(log, NULL);
    unlink(log);
    if (output)
        *output = text;
    else
        free(text);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* With a time limit. */
static inline int tu_run_sublim_within(unsigned seconds, char **output,
                                       const char *const *args)
{
    return tu_run_sublim_with(output, NULL, args, seconds, 0, NULL);
}

/* With a memory cap, measuring the peak. */
static inline int tu_run_sublim_measured(char **output, const char *const *args, size_t as_cap,
                                         double *peak)
{
    return tu_run_sublim_with(output, NULL, args, 0, as_cap, peak);
}

/* With its stdout into a file of its own. */
static inline int tu_run_sublim_stdout(char **output, const char *stdout_path,
                                       const char *const *args)
{
    return tu_run_sublim_with(output, stdout_path, args, 0, 0, NULL);
}

/* With no limit. */
static inline int tu_run_sublim(char **output, const char *const *args)
{
    return tu_run_sublim_with(output, NULL, args, 0, 0, NULL);
}

/* In a child about to exec: lib is to be loaded first, its functions
 * taking the place of the C library's (the stall shims): LD_PRELOAD on
 * Linux and the BSDs, DYLD_INSERT_LIBRARIES with a flat namespace on
 * macOS; each system ignores the other's variables (as exec_preloaded in
 * scripts/portable.sh). */
static inline void tu_preload(const char *lib)
{
    setenv("LD_PRELOAD", lib, 1);
    setenv("DYLD_INSERT_LIBRARIES", lib, 1);
    setenv("DYLD_FORCE_FLAT_NAMESPACE", "1", 1);
}

/* The preload that stops a program at a chosen rename (scripts/stall.c),
 * as the Makefile built it (SUBLIM_STALL). */
#ifndef SUBLIM_STALL
#define SUBLIM_STALL "build/tests/stall.so"
#endif

/* Starts `sublim HEAD... TAIL...` (each NULL-terminated; tail may be NULL)
 * in a child process, its output discarded, and returns its pid.  With
 * stall_at, it stops (SIGSTOP) at its first rename whose "FROM>TO"
 * contains stall_at (SUBLIM_STALL preloaded). */
static inline pid_t tu_start_sublim(const char *const *head, const char *const *tail,
                                    const char *stall_at)
{
    if (stall_at && access(SUBLIM_STALL, R_OK) != 0)
        fail_msg("no %s: run the tests with make", SUBLIM_STALL);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid != 0)
        return pid;
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    const char *argv[128] = {SUBLIM_BIN};
    size_t n = 1;
    for (size_t i = 0; head[i] && n < 127; i++)
        argv[n++] = head[i];
    for (size_t i = 0; tail && tail[i] && n < 127; i++)
        argv[n++] = tail[i];
    if (stall_at) {
        char asan[256];
        const char *was = getenv("ASAN_OPTIONS");
        /* A sanitized sublim wants its runtime first; the shim is harmless. */
        snprintf(asan, sizeof asan, "verify_asan_link_order=0%s%s", was ? ":" : "",
                 was ? was : "");
        setenv("ASAN_OPTIONS", asan, 1);
        tu_preload(SUBLIM_STALL);
        setenv("STALL_RENAME", stall_at, 1);
    }
    execv(SUBLIM_BIN, (char *const *)argv);
    _exit(127);
}

#endif
