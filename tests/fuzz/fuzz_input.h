/* Shared by the fuzz targets (and their replay driver), without cmocka:
 * parsers of outside input read files, so each input is written to a
 * private temporary file first.
 *  - fuzz_to_file: data into a fresh temporary file;
 *  - fuzz_on_file: the same, a check run on it, the file removed;
 *  - fuzz_slurp: a whole file read back. */
#ifndef SUBLIM_FUZZ_INPUT_H
#define SUBLIM_FUZZ_INPUT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Writes data to a fresh temporary file; path receives its name.
 * Returns 0 on success. */
static inline int fuzz_to_file(const uint8_t *data, size_t size, char path[64])
{
    snprintf(path, 64, "/tmp/sublim-fuzz-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < size) {
        ssize_t w = write(fd, data + done, size - done);
        if (w <= 0) {
            close(fd);
            unlink(path);
            return -1;
        }
        done += (size_t)w;
    }
    close(fd);
    return 0;
}

/* Writes data to a fresh temporary file, runs check on its path and
 * removes it (nothing is checked when the file cannot be made).  Returns
 * 0, what a fuzz target returns. */
static inline int fuzz_on_file(const uint8_t *data, size_t size, void (*check)(const char *path))
{
    char path[64];
    if (fuzz_to_file(data, size, path))
        return 0;
    check(path);
    unlink(path);
    return 0;
}

/* The whole file at path, malloc'ed (even when empty); *n its size.  NULL
 * when it cannot be read. */
static inline uint8_t *fuzz_slurp(const char *path, size_t *n)
{
    *n = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *buf = NULL;
    size_t cap = 0;
    for (;;) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 4096;
            uint8_t *grown = realloc(buf, cap);
            if (!grown) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = grown;
        }
        size_t got = fread(buf + *n, 1, cap - *n, f);
        *n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    return buf;
}

#endif
