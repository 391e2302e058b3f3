/* Tests of base/files.h: paths that do not fit are errors, what exists and
 * what is the same file, folders made once, files opened to read only when
 * regular (never a FIFO, which would block, a folder or a device), whole
 * files read (text or binary), and lines read with a NUL byte or an
 * overlong line told apart from a line. */
#include "testutil.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/files.h"

typedef tu_dir fixture;
#define setup tu_dir_setup
#define teardown tu_dir_teardown

/* files_ensure_dir makes a folder, accepts one already there, and refuses
 * a file in its place, naming it. */
static void ensure_dir_cases(void **state)
{
    fixture *fx = *state;
    const char *sub = tu_path(fx->dir, "sub"), *file = tu_path(fx->dir, "file");
    err e = {{0}};
    assert_int_equal(files_ensure_dir(sub, &e), 0);
    struct stat st;
    assert_int_equal(stat(sub, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(files_ensure_dir(sub, &e), 0); /* already there: fine */
    tu_write_file(file, "x", 1);
    assert_int_equal(files_ensure_dir(file, &e), -1);
    tu_assert_contains(e.msg, file);
    tu_assert_contains(e.msg, "not a folder");
    /* One level only: a missing parent is an error naming the folder. */
    const char *deep = tu_path(fx->dir, "no/such");
    assert_int_equal(files_ensure_dir(deep, &e), -1);
    tu_assert_contains(e.msg, deep);
}

/* files_join writes dir/name when it fits, exactly up to the last byte,
 * and is an error (never a truncated path) when it does not. */
static void join_fits_or_fails(void **state)
{
    (void)state;
    char buf[16];
    err e = {{0}};
    assert_int_equal(files_join(buf, sizeof buf, "a/b", "c.txt", &e), 0);
    assert_string_equal(buf, "a/b/c.txt");
    /* "dir7890/name567" is 15 bytes: it just fits in 16. */
    assert_int_equal(files_join(buf, sizeof buf, "dir7890", "name567", &e), 0);
    assert_string_equal(buf, "dir7890/name567");
    assert_int_equal(files_join(buf, sizeof buf, "dir7890", "name5678", &e), -1);
    tu_assert_contains(e.msg, "too long");
    tu_assert_contains(e.msg, "name5678");
    assert_int_equal(files_join(buf, sizeof buf, "dir7890", "name5678", NULL), -1);

    /* At the real size too: a name that makes the path FILES_PATH_MAX long. */
    static char dir[FILES_PATH_MAX], path[FILES_PATH_MAX];
    memset(dir, 'd', sizeof dir - 3);
    dir[sizeof dir - 3] = '\0'; /* dir + "/x" = FILES_PATH_MAX - 1 bytes */
    assert_int_equal(files_join(path, sizeof path, dir, "x", &e), 0);
    assert_int_equal(strlen(path), FILES_PATH_MAX - 1);
    assert_int_equal(files_join(path, sizeof path, dir, "xy", &e), -1);
}

/* files_exists sees files and folders, not missing paths or a symlink to
 * nothing. */
static void exists_cases(void **state)
{
    fixture *fx = *state;
    const char *file = tu_path(fx->dir, "f");
    tu_write_file(file, "", 0);
    assert_true(files_exists(file));
    assert_true(files_exists(fx->dir));
    assert_false(files_exists(tu_path(fx->dir, "missing")));
    assert_false(files_exists(tu_path(fx->dir, "f/under-a-file")));
    const char *dangling = tu_path(fx->dir, "dangling");
    assert_int_equal(symlink("missing", dangling), 0);
    assert_false(files_exists(dangling));
}

/* files_same: one file however it is spelled (./, .., a symlink, a hard
 * link), not two files with the same bytes, never a missing path. */
static void same_cases(void **state)
{
    fixture *fx = *state;
    char x[600], spelled[600], via_dotdot[600], twin[600], sym[600], hard[600], sub[600];
    snprintf(x, sizeof x, "%s/x", fx->dir);
    snprintf(spelled, sizeof spelled, "%s/./x", fx->dir);
    snprintf(sub, sizeof sub, "%s/sub", fx->dir);
    snprintf(via_dotdot, sizeof via_dotdot, "%s/sub/../x", fx->dir);
    snprintf(twin, sizeof twin, "%s/twin", fx->dir);
    snprintf(sym, sizeof sym, "%s/sym", fx->dir);
    snprintf(hard, sizeof hard, "%s/hard", fx->dir);
    tu_write_file(x, "same", 4);
    tu_write_file(twin, "same", 4);
    assert_int_equal(mkdir(sub, 0755), 0);
    assert_int_equal(symlink("x", sym), 0);
    assert_int_equal(link(x, hard), 0);

    assert_true(files_same(x, x));
    assert_true(files_same(x, spelled));
    assert_true(files_same(x, via_dotdot));
    assert_true(files_same(sym, x));
    assert_true(files_same(x, hard));
    assert_false(files_same(x, twin)); /* equal bytes, another file */
    assert_false(files_same(x, sub));
    /* Folders too. */
    char dir_dot[600];
    snprintf(dir_dot, sizeof dir_dot, "%s/sub/..", fx->dir);
    assert_true(files_same(fx->dir, dir_dot));
    /* Missing: never the same, not even as itself. */
    const char *missing = tu_path(fx->dir, "missing");
    assert_false(files_same(missing, missing));
    assert_false(files_same(x, missing));
    assert_false(files_same(missing, x));
}

/* Reads path with files_read_all, expecting success; checks the size and
 * the NUL after the bytes. */
static char *read_ok(const char *path, size_t *n)
{
    char *buf = NULL;
    err e = {{0}};
    if (files_read_all(path, &buf, n, &e))
        fail_msg("%s", e.msg);
    assert_non_null(buf);
    assert_int_equal(buf[*n], '\0');
    return buf;
}

/* files_read_all reads text and binary files whole (NUL bytes included)
 * and an empty file as an empty string. */
static void read_all_files(void **state)
{
    fixture *fx = *state;
    const char text[] = "a=1\nb=two\n";
    tu_write_file(tu_path(fx->dir, "text"), text, sizeof text - 1);
    size_t n;
    char *buf = read_ok(tu_path(fx->dir, "text"), &n);
    assert_int_equal(n, sizeof text - 1);
    assert_string_equal(buf, text);
    free(buf);

    uint8_t bin[300];
    for (size_t k = 0; k < sizeof bin; k++)
        bin[k] = (uint8_t)(k * 37); /* NUL bytes at 0 and every 256 */
    tu_write_file(tu_path(fx->dir, "bin"), bin, sizeof bin);
    buf = read_ok(tu_path(fx->dir, "bin"), &n);
    assert_int_equal(n, sizeof bin);
    assert_memory_equal(buf, bin, sizeof bin);
    free(buf);

    tu_write_file(tu_path(fx->dir, "empty"), "", 0);
    buf = read_ok(tu_path(fx->dir, "empty"), &n);
    assert_int_equal(n, 0);
    assert_string_equal(buf, "");
    free(buf);
}

/* What is not a regular file is refused with the path in the message and
 * the outputs untouched: a folder, a device that never ends, a missing
 * file. */
static void read_all_refusals(void **state)
{
    fixture *fx = *state;
    const char *missing = tu_path(fx->dir, "missing");
    const char *refused[] = {fx->dir, "/dev/zero", missing};
    const char *why[] = {"not a regular file", "not a regular file", "cannot open"};
    for (size_t k = 0; k < 3; k++) {
        if (k == 1 && access(refused[k], R_OK) != 0)
            continue; /* no /dev/zero here */
        char *buf = (char *)refused;
        size_t n = 77;
        err e = {{0}};
        assert_int_equal(files_read_all(refused[k], &buf, &n, &e), -1);
        tu_assert_contains(e.msg, refused[k]);
        tu_assert_contains(e.msg, why[k]);
        assert_ptr_equal(buf, (char *)refused);
        assert_int_equal(n, 77);
    }
    err e = {{0}};
    char *buf;
    size_t n;
    assert_int_equal(files_read_all(missing, &buf, &n, &e), -1);
    tu_assert_contains(e.msg, strerror(ENOENT));
}

/* What files_open_read and files_read_all do with path, run in a child
 * that SIGALRM ends after 5 s: 0 when both refuse it before reading,
 * naming it and why, with errno EINVAL; else the line that failed. */
static int refused_in_child(const char *path)
{
    alarm(5);
    err e = {{0}};
    errno = 0;
    FILE *f = files_open_read(path, &e);
    if (f || errno != EINVAL || !strstr(e.msg, path) || !strstr(e.msg, "not a regular file"))
        return __LINE__;
    char *buf;
    size_t n;
    memset(&e, 0, sizeof e);
    if (files_read_all(path, &buf, &n, &e) != -1 || !strstr(e.msg, "not a regular file"))
        return __LINE__;
    return 0;
}

/* A FIFO (no writer: a plain open would wait for one forever), a folder
 * and devices are refused before a byte is read; a missing file gives
 * ENOENT; a regular file opens and reads. */
static void open_read_refuses_what_is_not_a_file(void **state)
{
    fixture *fx = *state;
    const char *fifo = tu_path(fx->dir, "fifo");
    assert_int_equal(mkfifo(fifo, 0644), 0);
    const char *refused[] = {fifo, fx->dir, "/dev/null", "/dev/zero"};
    for (size_t k = 0; k < sizeof refused / sizeof refused[0]; k++) {
        if (access(refused[k], R_OK) != 0)
            continue; /* no such device here */
        fflush(stdout);
        fflush(stderr);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
            _exit(refused_in_child(refused[k]) ? 1 : 0);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (WIFSIGNALED(status))
            fail_msg("%s: still reading after 5 s (signal %d)", refused[k], WTERMSIG(status));
        if (WEXITSTATUS(status) != 0)
            fail_msg("%s: not refused as it should be", refused[k]);
    }

    err e = {{0}};
    errno = 0;
    assert_null(files_open_read(tu_path(fx->dir, "missing"), &e));
    assert_int_equal(errno, ENOENT);
    tu_assert_contains(e.msg, "missing: cannot open");
    tu_write_file(tu_path(fx->dir, "file"), "line\n", 5);
    FILE *f = files_open_read(tu_path(fx->dir, "file"), &e);
    assert_non_null(f);
    char line[16];
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "line\n");
    fclose(f);
}

/* A stream holding n bytes of data, read from the start. */
static FILE *stream_of(const void *data, size_t n)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    rewind(f);
    return f;
}

/* Lines come with their '\n'; the last one may lack it; then 0 at the
 * end, again and again. */
static void read_line_lines(void **state)
{
    (void)state;
    const char data[] = "ab\n\nlast";
    FILE *f = stream_of(data, sizeof data - 1);
    char line[16];
    size_t len = 99;
    assert_int_equal(files_read_line(f, line, sizeof line, &len), 1);
    assert_string_equal(line, "ab\n");
    assert_int_equal(len, 3);
    assert_int_equal(files_read_line(f, line, sizeof line, &len), 1);
    assert_string_equal(line, "\n");
    assert_int_equal(len, 1);
    assert_int_equal(files_read_line(f, line, sizeof line, &len), 1);
    assert_string_equal(line, "last");
    assert_int_equal(len, 4);
    assert_int_equal(files_read_line(f, line, sizeof line, &len), 0);
    assert_int_equal(len, 0);
    assert_string_equal(line, "");
    assert_int_equal(files_read_line(f, line, sizeof line, &len), 0);
    fclose(f);
}

/* A NUL byte is FILES_LINE_NUL (fgets would cut the line there and go on),
 * a line that does not fit is FILES_LINE_LONG; a line of size - 1 bytes
 * with its '\n' still fits.  Each problem has words for messages. */
static void read_line_problems(void **state)
{
    (void)state;
    char line[8];
    size_t len;
    const char nul[] = "ok\nab\0cd\n";
    FILE *f = stream_of(nul, sizeof nul - 1);
    assert_int_equal(files_read_line(f, line, sizeof line, &len), 1);
    assert_int_equal(files_read_line(f, line, sizeof line, &len), FILES_LINE_NUL);
    fclose(f);

    const char fits[] = "abcdef\n";   /* 7 bytes: the most an 8-byte buffer holds */
    f = stream_of(fits, sizeof fits - 1);
    assert_int_equal(files_read_line(f, line, sizeof line, &len), 1);
    assert_string_equal(line, fits);
    assert_int_equal(len, 7);
    fclose(f);

    const char long_line[] = "abcdefg\nnext\n"; /* 8 bytes with its '\n' */
    f = stream_of(long_line, sizeof long_line - 1);
    assert_int_equal(files_read_line(f, line, sizeof line, &len), FILES_LINE_LONG);
    fclose(f);
    const char long_last[] = "abcdefghij"; /* no '\n' at all */
    f = stream_of(long_last, sizeof long_last - 1);
    assert_int_equal(files_read_line(f, line, sizeof line, &len), FILES_LINE_LONG);
    fclose(f);

    tu_assert_contains(files_line_problem(FILES_LINE_NUL), "NUL");
    tu_assert_contains(files_line_problem(FILES_LINE_LONG), "too long");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(ensure_dir_cases),
        cmocka_unit_test(join_fits_or_fails),
        T(exists_cases),
        T(same_cases),
        T(read_all_files),
        T(read_all_refusals),
        T(open_read_refuses_what_is_not_a_file),
        cmocka_unit_test(read_line_lines),
        cmocka_unit_test(read_line_problems),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
