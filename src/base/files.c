#include "base/files.h"
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int files_join(char *buf, size_t size, const char *dir, const char *name, err *e)
{
    int n = snprintf(buf, size, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= size)
        return err_set(e, "path too long: %.200s/%.100s", dir, name);
    return 0;
}

int files_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

int files_same(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

int files_ensure_dir(const char *dir, err *e)
{
    if (mkdir(dir, 0755) == 0 || errno == EEXIST) {
        struct stat st;
        if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
            return 0;
        return err_set(e, "%s: exists and is not a folder", dir);
    }
    return err_set(e, "%s: cannot create the folder: %s", dir, strerror(errno));
}

int files_check_regular(int fd, const char *path, err *e)
{
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        return 0;
    err_set(e, "%s: not a regular file (a FIFO, a device or a folder): refused", path);
    errno = EINVAL;
    return -1;
}

/* NULL, with e saying what failed doing what, and errno kept for the
 * caller; fd (when open) closed. */
static FILE *open_failed(int fd, const char *path, const char *doing, err *e)
{
    int cause = errno;
    if (fd >= 0)
        close(fd);
    err_set(e, "%s: %s: %s", path, doing, strerror(cause));
    errno = cause;
    return NULL;
}

FILE *files_open_read(const char *path, err *e)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return open_failed(fd, path, "cannot open", e);
    if (files_check_regular(fd, path, e)) {
        close(fd);
        errno = EINVAL;
        return NULL;
    }
    int flags = fcntl(fd, F_GETFL);
    FILE *f = flags >= 0 && fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0 ? fdopen(fd, "r") : NULL;
    return f ? f : open_failed(fd, path, "cannot read", e);
}

int files_read_all(const char *path, char **buf, size_t *n, err *e)
{
    FILE *f = files_open_read(path, e);
    if (!f)
        return -1;
    /* Sized from the file itself: one allocation. */
    struct stat st;
    if (fstat(fileno(f), &st) != 0) {
        fclose(f);
        return err_set(e, "%s: cannot read: %s", path, strerror(errno));
    }
    size_t size = (size_t)st.st_size;
    char *b = size < SIZE_MAX ? malloc(size + 1) : NULL;
    if (!b) {
        fclose(f);
        return err_set(e, "%s: out of memory for %zu bytes", path, size);
    }
    size_t got = fread(b, 1, size, f);
    int more = getc(f) != EOF; /* it grew while being read */
    int failed = ferror(f);
    fclose(f);
    if (got != size || more || failed) {
        free(b);
        return err_set(e, "%s: read error (the file changed while being read?)", path);
    }
    b[size] = '\0';
    *buf = b;
    *n = size;
    return 0;
}

int files_read_line(FILE *f, char *line, size_t size, size_t *len)
{
    size_t n = 0;
    int c;
    while ((c = getc(f)) != EOF) {
        if (c == '\0' || n + 1 >= size) {
            *len = n;
            return c == '\0' ? FILES_LINE_NUL : FILES_LINE_LONG;
        }
        line[n++] = (char)c;
        if (c == '\n')
            break;
    }
    line[n] = '\0';
    *len = n;
    return n > 0;
}

const char *files_line_problem(int got)
{
    return got == FILES_LINE_NUL ? "a NUL byte (not a text file)" : "line too long";
}
