#include "out/align_view.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static size_t at(const align_view *v, enum align_measure m, size_t arm, size_t epoch,
                 size_t part)
{
    return ((m * EXPERIMENT_MAX_ARMS + arm) * v->n_epochs + (epoch - 1)) * v->n_parts + part;
}

double align_view_mean(const align_view *v, enum align_measure m, size_t arm, size_t epoch,
                       size_t part)
{
    return v->mean[at(v, m, arm, epoch, part)];
}

double align_view_sd(const align_view *v, size_t arm, size_t epoch, size_t part)
{
    return v->sd[at(v, ALIGN_DISPLACEMENT, arm, epoch, part)];
}

void align_view_free(align_view *v)
{
    free(v->mean);
    free(v->sd);
    memset(v, 0, sizeof *v);
}

/* Whether row i is the last of its (seed, arm, epoch) for its part: the
 * epoch's end (rows sorted by seed, arm, step, part). */
static int ends_epoch(const align_row *rows, size_t n, size_t i)
{
    for (size_t j = i + 1; j < n; j++) {
        const align_row *a = &rows[i], *b = &rows[j];
        if (b->seed != a->seed || b->arm != a->arm || b->epoch != a->epoch)
            return 1;
        if (b->part == a->part)
            return 0;
    }
    return 1;
}

int align_view_make(const align_row *rows, size_t n, align_view *v, err *e)
{
    memset(v, 0, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        v->n_epochs = rows[i].epoch > v->n_epochs ? rows[i].epoch : v->n_epochs;
        v->n_parts = rows[i].part + 1 > v->n_parts ? rows[i].part + 1 : v->n_parts;
    }
    size_t cells = ALIGN_N_MEASURES * EXPERIMENT_MAX_ARMS * (v->n_epochs ? v->n_epochs : 1) *
                   (v->n_parts ? v->n_parts : 1);
    v->mean = calloc(cells, sizeof *v->mean);
    v->sd = calloc(cells, sizeof *v->sd);
    double *sum2 = calloc(cells, sizeof *sum2), *count = calloc(cells, sizeof *count);
    if (!v->mean || !v->sd || !sum2 || !count) {
        free(sum2);
        free(count);
        align_view_free(v);
        return err_set(e, "out of memory for the alignment's means");
    }
    for (size_t i = 0; i < n; i++) {
        const align_row *r = &rows[i];
        if (i == 0 || r->seed != rows[i - 1].seed || r->arm != rows[i - 1].arm)
            v->seeds[r->arm]++;
        if (r->epoch == 0) /* step 0: nothing to average */
            continue;
        size_t d = at(v, ALIGN_DISPLACEMENT, r->arm, r->epoch, r->part);
        if (!isnan(r->displacement) && ends_epoch(rows, n, i)) {
            v->mean[d] += r->displacement;
            sum2[d] += r->displacement * r->displacement;
            count[d]++;
        }
        size_t u = at(v, ALIGN_UPDATE, r->arm, r->epoch, r->part);
        if (!isnan(r->update)) {
            v->mean[u] += r->update * (double)r->update_steps;
            count[u] += (double)r->update_steps;
        }
    }
    for (size_t k = 0; k < cells; k++) {
        double mean = count[k] ? v->mean[k] / count[k] : NAN;
        v->mean[k] = mean;
        v->sd[k] = NAN; /* one seed: no spread */
        if (count[k] > 1) {
            double var = (sum2[k] - count[k] * mean * mean) / (count[k] - 1);
            v->sd[k] = var > 0 ? sqrt(var) : 0; /* rounding can make a 0 negative */
        }
    }
    free(sum2);
    free(count);
    return 0;
}
