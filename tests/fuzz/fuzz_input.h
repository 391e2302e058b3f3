/* Shared by the fuzz targets: parsers of outside input read files, so each
 * input is written to a private temporary file first. */
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

#endif
