#include "out/classes.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/atomic.h"
#include "base/files.h"
#include "base/text.h"

#define K EXPERIMENT_CLASSES

int classes_complete(const arm_result *rows, size_t n_rows)
{
    for (size_t i = 0; i < n_rows; i++)
        if (rows[i].ok && !rows[i].has_classes)
            return 0;
    return 1;
}

/* "seed,arm,label,predicted_0,...,predicted_9\n" */
static void header_text(char *buf, size_t size)
{
    size_t used = (size_t)snprintf(buf, size, "seed,arm,label");
    for (size_t k = 0; k < K && used < size; k++)
        used += (size_t)snprintf(buf + used, size - used, ",predicted_%zu", k);
    if (used < size)
        snprintf(buf + used, size - used, "\n");
}

int classes_write(const char *path, const arm_result *rows, size_t n_rows, err *e)
{
    const arm_spec *arms = experiment_arms(&(size_t){0});
    atomic_file af;
    if (atomic_open(&af, path, e))
        return -1;
    char header[256];
    header_text(header, sizeof header);
    fputs(header, af.f);
    for (size_t i = 0; i < n_rows; i++) {
        const arm_result *r = &rows[i];
        if (!r->ok || !r->has_classes)
            continue;
        for (size_t label = 0; label < K; label++) {
            fprintf(af.f, "%" PRIu64 ",%s,%zu", r->seed, arms[r->arm].name, label);
            for (size_t k = 0; k < K; k++)
                fprintf(af.f, ",%" PRIu32, r->classes[label * K + k]);
            fputc('\n', af.f);
        }
    }
    return atomic_commit(&af, e);
}

/* ---- reading ---- */

/* Rows by (seed, arm), to find a line's row in log time. */
static int cmp_row(const void *pa, const void *pb)
{
    const arm_result *a = *(const arm_result *const *)pa, *b = *(const arm_result *const *)pb;
    if (a->seed != b->seed)
        return a->seed < b->seed ? -1 : 1;
    return a->arm < b->arm ? -1 : a->arm > b->arm;
}

static arm_result *find_row(arm_result **index, size_t n, uint64_t seed, size_t arm)
{
    arm_result key = {.seed = seed, .arm = arm}, *k = &key;
    arm_result **hit = n ? bsearch(&k, index, n, sizeof *index, cmp_row) : NULL;
    return hit ? *hit : NULL;
}

/* One line's fields: seed, arm, label and K counts. */
typedef struct {
    uint64_t seed;
    size_t arm, label;
    uint32_t count[K];
} classes_line;

static int parse_line(char *line, classes_line *out)
{
    char *fld[K + 4];
    size_t nf = 0;
    for (char *p = line; nf < K + 4;) {
        fld[nf++] = p;
        p = strchr(p, ',');
        if (!p)
            break;
        *p++ = '\0';
    }
    int arm = nf == K + 3 ? experiment_arm_index(fld[1]) : -1;
    uint64_t v;
    if (arm < 0 || text_parse_u64(fld[0], &out->seed) || text_parse_u64(fld[2], &v) || v >= K)
        return -1;
    out->arm = (size_t)arm;
    out->label = (size_t)v;
    for (size_t k = 0; k < K; k++) {
        if (text_parse_u64(fld[3 + k], &v) || v > UINT32_MAX)
            return -1;
        out->count[k] = (uint32_t)v;
    }
    return 0;
}

/* The counts of a row agree with its results.csv numbers. */
static int agrees(const arm_result *r)
{
    uint64_t sum = 0, diagonal = 0;
    for (size_t label = 0; label < K; label++)
        for (size_t k = 0; k < K; k++) {
            sum += r->classes[label * K + k];
            diagonal += label == k ? r->classes[label * K + k] : 0;
        }
    return sum == r->total && diagonal == r->correct;
}

/* The lines after the header, into the rows of index. */
static int read_lines(FILE *f, const char *path, arm_result **index, size_t n_rows, err *e)
{
    const arm_spec *arms = experiment_arms(&(size_t){0});
    char line[512];
    size_t len, lineno = 1, next_label = 0;
    arm_result *current = NULL; /* the row whose labels are being read */
    int got;
    while ((got = files_read_line(f, line, sizeof line, &len)) != 0) {
        lineno++;
        if (got < 0 || line[len - 1] != '\n')
            return err_set(e, "%s:%zu: %s", path, lineno,
                           got < 0 ? files_line_problem(got) : "unterminated line");
        line[len - 1] = '\0';
        classes_line c;
        if (parse_line(line, &c))
            return err_set(e, "%s:%zu: malformed line (want seed,arm,label and %d counts)",
                           path, lineno, K);
        arm_result *r = find_row(index, n_rows, c.seed, c.arm);
        if (r && !r->ok)
            r = NULL; /* results.csv says it has no predictions: its counts are not read */
        if (r && r != current && c.label == 0 && r->has_classes)
            return err_set(e, "%s:%zu: seed %" PRIu64 ", arm %s twice", path, lineno, c.seed,
                           arms[c.arm].name);
        if (c.label != (r == current ? next_label : 0))
            return err_set(e, "%s:%zu: seed %" PRIu64 ", arm %s: label %zu out of order "
                              "(each row's labels 0 to %d, in order)",
                           path, lineno, c.seed, arms[c.arm].name, c.label, K - 1);
        current = r;
        next_label = c.label + 1 == K ? 0 : c.label + 1;
        if (next_label == 0)
            current = NULL; /* a row is complete: the next line starts one */
        if (!r)
            continue; /* a seed results.csv does not have (yet) */
        memcpy(&r->classes[c.label * K], c.count, sizeof c.count);
        r->has_classes = c.label + 1 == K;
    }
    if (ferror(f))
        return err_set(e, "%s: read error", path);
    if (current || next_label)
        return err_set(e, "%s: ends in the middle of a row's labels", path);
    return 0;
}

int classes_read(const char *path, arm_result *rows, size_t n_rows, err *e)
{
    const arm_spec *arms = experiment_arms(&(size_t){0});
    arm_result **index = malloc((n_rows ? n_rows : 1) * sizeof *index);
    if (!index)
        return err_set(e, "out of memory reading %s", path);
    for (size_t i = 0; i < n_rows; i++) {
        index[i] = &rows[i];
        rows[i].has_classes = 0;
    }
    if (n_rows > 1)
        qsort(index, n_rows, sizeof *index, cmp_row);
    FILE *f = files_open_read(path, e);
    if (!f) {
        free(index);
        return -1;
    }
    char header[512], want[256];
    size_t len;
    header_text(want, sizeof want);
    int rc = 0;
    if (files_read_line(f, header, sizeof header, &len) != 1 || strcmp(header, want) != 0)
        rc = err_set(e, "%s: not a sublim classes.csv (bad header)", path);
    if (rc == 0)
        rc = read_lines(f, path, index, n_rows, e);
    fclose(f);
    free(index);
    for (size_t i = 0; i < n_rows && rc == 0; i++) {
        const arm_result *r = &rows[i];
        if (r->ok && !r->has_classes)
            rc = err_set(e, "%s: no counts of seed %" PRIu64 ", arm %s, which results.csv has",
                         path, r->seed, arms[r->arm].name);
        else if (r->ok && !agrees(r))
            rc = err_set(e, "%s: the counts of seed %" PRIu64 ", arm %s disagree with "
                            "results.csv (their sum is not test_total %zu or their diagonal "
                            "not test_correct %zu)",
                         path, r->seed, arms[r->arm].name, r->total, r->correct);
    }
    return rc;
}
