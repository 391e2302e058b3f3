#include "out/align_csv.h"
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/atomic.h"
#include "base/files.h"
#include "base/text.h"
#include "nn/alignment.h"
#include "run/experiment.h"

int align_rows_add(align_rows *t, const align_row *r, err *e)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 256;
        align_row *grown = realloc(t->rows, cap * sizeof *grown);
        if (!grown)
            return err_set(e, "out of memory for the alignment's rows");
        t->rows = grown;
        t->cap = cap;
    }
    t->rows[t->n++] = *r;
    return 0;
}

void align_rows_free(align_rows *t)
{
    free(t->rows);
    memset(t, 0, sizeof *t);
}

static int cmp_row(const void *pa, const void *pb)
{
    const align_row *a = pa, *b = pb;
    if (a->seed != b->seed)
        return a->seed < b->seed ? -1 : 1;
    if (a->arm != b->arm)
        return a->arm < b->arm ? -1 : 1;
    if (a->step != b->step)
        return a->step < b->step ? -1 : 1;
    return a->part < b->part ? -1 : a->part > b->part;
}

void align_rows_sort(align_row *rows, size_t n)
{
    if (n > 1) /* qsort's pointer must not be NULL, even for no rows */
        qsort(rows, n, sizeof *rows, cmp_row);
}

static int cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return a < b ? -1 : a > b;
}

void align_rows_keep_seeds(align_row *rows, size_t *n, const uint64_t *seeds, size_t n_seeds)
{
    size_t k = 0;
    for (size_t i = 0; i < *n; i++)
        if (n_seeds && bsearch(&rows[i].seed, seeds, n_seeds, sizeof *seeds, cmp_u64))
            rows[k++] = rows[i];
    *n = k;
}

/* x, or nothing for an undefined cosine. */
static void cell(FILE *f, double x)
{
    if (!isnan(x))
        fprintf(f, "%.9g", x);
}

int align_csv_write(const char *path, const align_row *rows, size_t n, err *e)
{
    const arm_spec *arms = experiment_arms(&(size_t){0});
    atomic_file af;
    if (atomic_open(&af, path, e))
        return -1;
    fprintf(af.f, "%s\n", ALIGN_CSV_HEADER);
    for (size_t i = 0; i < n; i++) {
        const align_row *r = &rows[i];
        fprintf(af.f, "%" PRIu64 ",%s,%zu,%zu,", r->seed, arms[r->arm].name, r->epoch, r->step);
        if (r->part == 0)
            fprintf(af.f, "all,");
        else
            fprintf(af.f, "layer%zu,", r->part);
        cell(af.f, r->displacement);
        fputc(',', af.f);
        cell(af.f, r->update);
        fprintf(af.f, ",%zu\n", r->update_steps);
    }
    return atomic_commit(&af, e);
}

/* "all" -> 0, "layer<l>" -> l (1 <= l <= MLP_MAX_LAYERS); -1 else. */
static int parse_part(const char *s, size_t *part)
{
    uint64_t l;
    if (strcmp(s, "all") == 0)
        return *part = 0, 0;
    if (strncmp(s, "layer", 5) != 0 || text_parse_u64(s + 5, &l) || l < 1 || l > MLP_MAX_LAYERS)
        return -1;
    *part = (size_t)l;
    return 0;
}

/* A cosine cell: empty (undefined) or a number in [-1, 1]. */
static int parse_cos(const char *s, double *x)
{
    if (!*s)
        return *x = NAN, 0;
    return text_parse_real(s, x) || !(fabs(*x) <= 1 + 1e-12) ? -1 : 0;
}

/* One line, its fields split at commas (in place). */
static int parse_row(char *line, align_row *r)
{
    char *fld[9];
    size_t nf = 0;
    for (char *p = line; nf < 9; nf++) {
        fld[nf] = p;
        p = strchr(p, ',');
        if (!p) {
            nf++;
            break;
        }
        *p++ = '\0';
    }
    int arm = nf == 8 ? experiment_arm_index(fld[1]) : -1;
    if (arm < 0 || text_parse_u64(fld[0], &r->seed) || text_parse_size(fld[2], &r->epoch) ||
        text_parse_size(fld[3], &r->step) || parse_part(fld[4], &r->part) ||
        parse_cos(fld[5], &r->displacement) || parse_cos(fld[6], &r->update) ||
        text_parse_size(fld[7], &r->update_steps) || r->epoch > EXPERIMENT_MAX_EPOCHS)
        return -1;
    r->arm = (size_t)arm;
    return 0;
}

int align_csv_read(const char *path, align_rows *t, err *e)
{
    memset(t, 0, sizeof *t);
    FILE *f = files_open_read(path, e);
    if (!f)
        return -1;
    char line[512];
    size_t len, lineno = 1;
    int rc = 0, got = files_read_line(f, line, sizeof line, &len);
    if (got != 1 || strcmp(line, ALIGN_CSV_HEADER "\n") != 0)
        rc = err_set(e, "%s: not a sublim alignment.csv (bad header)", path);
    while (rc == 0 && (got = files_read_line(f, line, sizeof line, &len)) != 0) {
        lineno++;
        align_row r;
        if (got < 0 || line[len - 1] != '\n')
            rc = err_set(e, "%s:%zu: %s", path, lineno,
                         got < 0 ? files_line_problem(got) : "unterminated line");
        else if (line[len - 1] = '\0', parse_row(line, &r))
            rc = err_set(e, "%s:%zu: malformed row (want %s)", path, lineno, ALIGN_CSV_HEADER);
        else
            rc = align_rows_add(t, &r, e);
    }
    if (rc == 0 && ferror(f))
        rc = err_set(e, "%s: read error", path);
    /* No rows is still an array, so callers may memcpy from it. */
    if (rc == 0 && !t->rows && !(t->rows = malloc(sizeof *t->rows)))
        rc = err_set(e, "out of memory reading %s", path);
    fclose(f);
    if (rc)
        align_rows_free(t);
    return rc;
}
