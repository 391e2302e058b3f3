#include "out/curves.h"
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/atomic.h"
#include "base/files.h"
#include "base/text.h"
#include "run/experiment.h"

static int cmp_curve(const void *pa, const void *pb)
{
    const curve_point *a = pa, *b = pb;
    if (a->seed != b->seed)
        return a->seed < b->seed ? -1 : 1;
    if (a->arm != b->arm)
        return a->arm < b->arm ? -1 : 1;
    return a->epoch < b->epoch ? -1 : a->epoch > b->epoch;
}

void curves_sort(curve_point *pts, size_t n)
{
    if (n > 1) /* qsort's pointer must not be NULL, even for no points */
        qsort(pts, n, sizeof *pts, cmp_curve);
}

int curves_write(const char *path, const curve_point *pts, size_t n, err *e)
{
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    atomic_file af;
    if (atomic_open(&af, path, e))
        return -1;
    fprintf(af.f, "%s\n", CURVES_CSV_HEADER);
    for (size_t i = 0; i < n; i++) {
        fprintf(af.f, "%" PRIu64 ",%s,%zu,%.9g,", pts[i].seed, arms[pts[i].arm].name,
                pts[i].epoch, pts[i].loss);
        if (!isnan(pts[i].test_acc))
            fprintf(af.f, "%.6f", pts[i].test_acc);
        fputc('\n', af.f);
    }
    return atomic_commit(&af, e);
}

int curves_read(const char *path, curve_point **out, size_t *n_out, err *e)
{
    FILE *f = files_open_read(path, e);
    if (!f)
        return -1;
    char line[512];
    curve_point *pts = NULL;
    size_t n = 0, cap = 0, lineno = 1;
    int rc = 0;
    size_t len;
    int got = files_read_line(f, line, sizeof line, &len);
    if (got != 1 || strcmp(line, CURVES_CSV_HEADER "\n") != 0)
        rc = err_set(e, "%s: not a sublim curves.csv (bad header)", path);
    while (rc == 0 && (got = files_read_line(f, line, sizeof line, &len)) != 0) {
        lineno++;
        if (got < 0 || line[len - 1] != '\n') {
            rc = err_set(e, "%s:%zu: %s", path, lineno,
                         got < 0 ? files_line_problem(got) : "unterminated line");
            break;
        }
        line[len - 1] = '\0';
        char *fld[6];
        size_t nf = 0;
        for (char *p = line; nf < 6; nf++) {
            fld[nf] = p;
            p = strchr(p, ',');
            if (!p) {
                nf++;
                break;
            }
            *p++ = '\0';
        }
        curve_point c;
        uint64_t epoch;
        int arm = nf == 5 ? experiment_arm_index(fld[1]) : -1;
        if (nf != 5 || arm < 0 || text_parse_u64(fld[0], &c.seed) || text_parse_u64(fld[2], &epoch) ||
            epoch == 0 || text_parse_real(fld[3], &c.loss) ||
            (*fld[4] ? text_parse_real(fld[4], &c.test_acc) : (c.test_acc = NAN, 0))) {
            rc = err_set(e, "%s:%zu: malformed row (want %s)", path, lineno,
                         CURVES_CSV_HEADER);
            break;
        }
        /* The figure allocates per epoch: an epoch no run can reach would
         * size it (and could overflow the size). */
        if (epoch > EXPERIMENT_MAX_EPOCHS) {
            rc = err_set(e, "%s:%zu: epoch %" PRIu64 " (a run has at most %d)", path, lineno,
                         epoch, EXPERIMENT_MAX_EPOCHS);
            break;
        }
        c.arm = (size_t)arm;
        c.epoch = (size_t)epoch;
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            curve_point *grown = realloc(pts, cap * sizeof *pts);
            if (!grown) {
                rc = err_set(e, "out of memory reading %s", path);
                break;
            }
            pts = grown;
        }
        pts[n++] = c;
    }
    if (rc == 0 && ferror(f))
        rc = err_set(e, "%s: read error", path);
    /* No points is still an array, so callers may memcpy from it. */
    if (rc == 0 && !pts && !(pts = malloc(sizeof *pts)))
        rc = err_set(e, "out of memory reading %s", path);
    fclose(f);
    if (rc) {
        free(pts);
        return rc;
    }
    *out = pts;
    *n_out = n;
    return 0;
}

