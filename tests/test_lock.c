/* Tests of base/lock.h: a write lock keeps every other process out and
 * names its pid, read locks share, nothing is created or held by reading
 * what was never locked, and a lock that cannot be taken says why. */
#include "testutil.h"

#include <signal.h>
#include "base/files.h"
#include "base/lock.h"

typedef struct {
    const char *path;
    enum lock_mode mode;
} taking;

static int take(const void *arg)
{
    const taking *t = arg;
    int fd;
    err e;
    return lock_take(&fd, t->path, t->mode, "the thing", &e);
}

/* Another process holds path in mode until tu_release_lock. */
static tu_lock_holder hold(const char *path, enum lock_mode mode)
{
    taking t = {path, mode};
    return tu_hold(take, &t, path);
}

/* Fails unless taking path in mode is refused, naming what and pid and
 * what the holder does. */
static void assert_busy(const char *path, enum lock_mode mode, pid_t pid, const char *doing)
{
    int fd = 123;
    err e = {{0}};
    if (lock_take(&fd, path, mode, "the thing", &e) == 0)
        fail_msg("%s taken although pid %ld holds it", path, (long)pid);
    assert_int_equal(fd, -1);
    char want[96];
    snprintf(want, sizeof want, "the thing is being %s by another sublim (pid %ld): wait",
             doing, (long)pid);
    tu_assert_contains(e.msg, want);
}

/* A writer notes its pid in the lock file and keeps writers and readers
 * out; once it has ended, even by SIGKILL, the lock is free. */
static void writer_excludes_everyone(void **state)
{
    tu_dir *fx = *state;
    const char *path = tu_path(fx->dir, "x.lock");
    tu_lock_holder h = hold(path, LOCK_WRITE);
    char *note = tu_slurp(path, NULL);
    assert_int_equal(strtol(note, NULL, 10), (long)h.pid);
    free(note);
    assert_busy(path, LOCK_WRITE, h.pid, "written");
    assert_busy(path, LOCK_READ, h.pid, "written");
    assert_int_equal(kill(h.pid, SIGKILL), 0);
    assert_int_equal(waitpid(h.pid, NULL, 0), h.pid);
    close(h.go);

    int fd;
    err e = {{0}};
    assert_int_equal(lock_take(&fd, path, LOCK_WRITE, "the thing", &e), 0);
    assert_true(fd >= 0);
    note = tu_slurp(path, NULL);
    assert_int_equal(strtol(note, NULL, 10), (long)getpid());
    free(note);
    lock_release(&fd);
    assert_int_equal(fd, -1);
    lock_release(&fd); /* twice: nothing */
}

/* Readers share, and keep a writer out, naming one of them. */
static void readers_share(void **state)
{
    tu_dir *fx = *state;
    const char *path = tu_path(fx->dir, "x.lock");
    int fd;
    err e = {{0}};
    assert_int_equal(lock_take(&fd, path, LOCK_WRITE, "the thing", &e), 0);
    lock_release(&fd); /* the file exists now */
    tu_lock_holder r = hold(path, LOCK_READ);
    assert_int_equal(lock_take(&fd, path, LOCK_READ, "the thing", &e), 0);
    assert_true(fd >= 0);
    lock_release(&fd);
    assert_busy(path, LOCK_WRITE, r.pid, "read");
    tu_release_lock(r);
}

/* Reading what no writer ever locked holds nothing and creates nothing;
 * a lock file that cannot be made is an error naming what and why. */
static void nothing_to_lock(void **state)
{
    tu_dir *fx = *state;
    const char *path = tu_path(fx->dir, "x.lock");
    int fd = 123;
    err e = {{0}};
    assert_int_equal(lock_take(&fd, path, LOCK_READ, "the thing", &e), 0);
    assert_int_equal(fd, -1);
    assert_false(files_exists(path));

    assert_int_equal(lock_take(&fd, tu_path(fx->dir, "no/x.lock"), LOCK_WRITE, "the thing", &e),
                     -1);
    assert_int_equal(fd, -1);
    tu_assert_contains(e.msg, "the thing: cannot lock it to write: ");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, tu_dir_setup, tu_dir_teardown)
    const struct CMUnitTest tests[] = {
        T(writer_excludes_everyone),
        T(readers_share),
        T(nothing_to_lock),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
