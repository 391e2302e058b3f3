#include "nn/idx.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "base/files.h"

/* IDX magic: two zero bytes, a type code (0x08 = unsigned byte), and the
 * number of dimensions. */
#define IDX_TYPE_UBYTE 0x08

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Reads the whole header (4 + 4 * ndims bytes), checks magic and type, and
 * returns the dimensions.  The caller then reads exactly `payload` bytes and
 * checks there is nothing after them. */
static int read_header(FILE *f, const char *path, unsigned ndims,
                       uint32_t dims[3], err *e)
{
    uint8_t head[16];
    size_t want = 4 + 4 * (size_t)ndims;
    size_t got = fread(head, 1, want, f);
    if (got == 0)
        return err_set(e, "%s: file is empty", path);
    if (got < 4)
        return err_set(e, "%s: truncated header (%zu of %zu bytes)", path, got, want);
    if (head[0] != 0 || head[1] != 0)
        return err_set(e, "%s: not an IDX file (bad magic %02x%02x%02x%02x)", path,
                       head[0], head[1], head[2], head[3]);
    if (head[2] != IDX_TYPE_UBYTE)
        return err_set(e, "%s: IDX element type 0x%02x, expected 0x08 (unsigned byte)",
                       path, head[2]);
    if (head[3] != ndims)
        return err_set(e, "%s: IDX file has %u dimensions, expected %u", path,
                       head[3], ndims);
    if (got < want)
        return err_set(e, "%s: truncated header (%zu of %zu bytes)", path, got, want);
    for (unsigned d = 0; d < ndims; d++)
        dims[d] = be32(head + 4 + 4 * d);
    return 0;
}

/* Reads exactly n payload bytes into a fresh buffer, refusing short files
 * and trailing garbage.  The file's size is checked before anything is
 * allocated, so a lying header cannot ask for gigabytes. */
static int read_payload(FILE *f, const char *path, size_t header, size_t n,
                        uint8_t **out, err *e)
{
    struct stat st;
    if (fstat(fileno(f), &st) != 0) /* a regular file: files_open_read checked */
        return err_set(e, "%s: cannot read: %s", path, strerror(errno));
    size_t have = (size_t)st.st_size > header ? (size_t)st.st_size - header : 0;
    if (have < n)
        return err_set(e, "%s: truncated: header promises %zu data bytes, file has %zu",
                       path, n, have);
    if (have > n)
        return err_set(e, "%s: %zu data bytes expected, but the file is longer", path, n);
    uint8_t *buf = malloc(n ? n : 1);
    if (!buf)
        return err_set(e, "%s: out of memory for %zu bytes", path, n);
    size_t got = fread(buf, 1, n, f);
    if (got != n) {
        free(buf);
        if (ferror(f))
            return err_set(e, "%s: read error: %s", path, strerror(errno));
        return err_set(e, "%s: truncated: header promises %zu data bytes, file has %zu",
                       path, n, got);
    }
    if (fgetc(f) != EOF) {
        free(buf);
        return err_set(e, "%s: %zu data bytes expected, but the file is longer", path, n);
    }
    *out = buf;
    return 0;
}

int idx_read_images(const char *path, uint8_t **out, size_t *n, size_t *rows,
                    size_t *cols, err *e)
{
    FILE *f = files_open_read(path, e);
    if (!f)
        return -1;
    uint32_t dims[3];
    int rc = read_header(f, path, 3, dims, e);
    if (rc == 0 && (dims[0] == 0 || dims[0] > IDX_MAX_ITEMS))
        rc = err_set(e, "%s: bad image count %u", path, (unsigned)dims[0]);
    if (rc == 0 && (dims[1] == 0 || dims[2] == 0 || dims[1] > IDX_MAX_SIDE ||
                    dims[2] > IDX_MAX_SIDE))
        rc = err_set(e, "%s: bad image size %ux%u", path, (unsigned)dims[1],
                     (unsigned)dims[2]);
    if (rc == 0) {
        /* Bounded by the checks above: at most 1e8 * 4096 * 4096 < 2^61. */
        size_t bytes = (size_t)dims[0] * dims[1] * dims[2];
        rc = read_payload(f, path, 16, bytes, out, e);
    }
    fclose(f);
    if (rc == 0) {
        *n = dims[0];
        *rows = dims[1];
        *cols = dims[2];
    }
    return rc;
}

int idx_read_labels(const char *path, uint8_t **out, size_t *n,
                    unsigned n_classes, err *e)
{
    FILE *f = files_open_read(path, e);
    if (!f)
        return -1;
    uint32_t dims[3];
    int rc = read_header(f, path, 1, dims, e);
    if (rc == 0 && (dims[0] == 0 || dims[0] > IDX_MAX_ITEMS))
        rc = err_set(e, "%s: bad label count %u", path, (unsigned)dims[0]);
    uint8_t *labels = NULL;
    if (rc == 0)
        rc = read_payload(f, path, 8, dims[0], &labels, e);
    fclose(f);
    for (size_t i = 0; rc == 0 && i < dims[0]; i++)
        if (labels[i] >= n_classes)
            rc = err_set(e, "%s: label %u at index %zu is out of range 0-%u", path,
                         labels[i], i, n_classes - 1);
    if (rc != 0) {
        free(labels);
        return rc;
    }
    *out = labels;
    *n = dims[0];
    return 0;
}

int dataset_load(dataset *d, const char *dir, const char *prefix,
                 unsigned n_classes, err *e)
{
    memset(d, 0, sizeof *d);
    char path[4096];
    size_t n_labels = 0;
    snprintf(path, sizeof path, "%s/%s-images-idx3-ubyte", dir, prefix);
    if (idx_read_images(path, &d->images, &d->n, &d->rows, &d->cols, e))
        return -1;
    snprintf(path, sizeof path, "%s/%s-labels-idx1-ubyte", dir, prefix);
    if (idx_read_labels(path, &d->labels, &n_labels, n_classes, e)) {
        dataset_free(d);
        return -1;
    }
    if (n_labels != d->n) {
        err_set(e, "%s/%s: %zu images but %zu labels", dir, prefix, d->n, n_labels);
        dataset_free(d);
        return -1;
    }
    d->pixels = d->rows * d->cols;
    return 0;
}

size_t dataset_bytes(const dataset *d)
{
    return d->n * d->pixels + d->n;
}

void dataset_free(dataset *d)
{
    free(d->images);
    free(d->labels);
    memset(d, 0, sizeof *d);
}

/* An IDX header of unsigned bytes: magic, then the sizes big-endian. */
static void add_header(sha256 *h, uint8_t ndims, const size_t *dims)
{
    uint8_t head[16] = {0, 0, IDX_TYPE_UBYTE, ndims};
    for (unsigned d = 0; d < ndims; d++)
        for (unsigned b = 0; b < 4; b++)
            head[4 + 4 * d + b] = (uint8_t)(dims[d] >> (24 - 8 * b));
    sha256_add(h, head, 4 + 4 * (size_t)ndims);
}

void dataset_sha256(const dataset *d, char hex[SHA256_HEX])
{
    sha256 h;
    sha256_init(&h);
    add_header(&h, 3, (const size_t[]){d->n, d->rows, d->cols});
    sha256_add(&h, d->images, d->n * d->pixels);
    add_header(&h, 1, &d->n);
    sha256_add(&h, d->labels, d->n);
    sha256_hex(&h, hex);
}
