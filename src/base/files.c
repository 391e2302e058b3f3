#include "base/files.h"
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

int files_read_all(const char *path, char **buf, size_t *n, err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(e, "%s: cannot open: %s", path, strerror(errno));
    /* Sized from the file itself: one allocation, and a folder or a device
     * is refused instead of read forever. */
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return err_set(e, "%s: not a regular file", path);
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
