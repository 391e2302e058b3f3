#include "out/theorem_layers.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "base/atomic.h"
#include "base/files.h"
#include "base/text.h"

static double part_cos(const theorem_row *r, size_t part)
{
    return part == 0 ? r->cos_mean : r->layer_cos_mean[part - 1];
}

int theorem_layers_write(const char *path, const theorem_row *rows, size_t n_rows, err *e)
{
    atomic_file af;
    if (atomic_open(&af, path, e))
        return -1;
    fprintf(af.f, "%s\n", THEOREM_LAYERS_CSV_HEADER);
    for (size_t i = 0; i < n_rows; i++)
        for (size_t p = 0; p <= rows[i].n_layers; p++) {
            fprintf(af.f, "%s,%.17g,", rows[i].variant, rows[i].eps);
            if (p == 0)
                fprintf(af.f, "all,");
            else
                fprintf(af.f, "layer%zu,", p);
            if (!isnan(part_cos(&rows[i], p)))
                fprintf(af.f, "%.17g", part_cos(&rows[i], p));
            fputc('\n', af.f);
        }
    return atomic_commit(&af, e);
}

/* One line's fields (split in place): variant, ε, part, cosine. */
static int parse_line(char *line, char variant[32], double *eps, size_t *part, double *cos)
{
    char *fld[4];
    size_t nf = 0;
    for (char *p = line; nf < 4; nf++) {
        fld[nf] = p;
        if (!(p = strchr(p, ','))) {
            nf++;
            break;
        }
        *p++ = '\0';
    }
    uint64_t l = 0;
    if (nf != 4 || !*fld[0] || strlen(fld[0]) >= 32 || text_parse_real(fld[1], eps) ||
        (strcmp(fld[2], "all") != 0 &&
         (strncmp(fld[2], "layer", 5) != 0 || text_parse_u64(fld[2] + 5, &l) || l < 1 ||
          l > MLP_MAX_LAYERS)))
        return -1;
    *part = (size_t)l;
    if (!*fld[3])
        *cos = NAN;
    else if (text_parse_real(fld[3], cos))
        return -1;
    snprintf(variant, 32, "%s", fld[0]);
    return 0;
}

int theorem_layers_read(const char *path, theorem_layers_row **out, size_t *n_out, err *e)
{
    FILE *f = files_open_read(path, e);
    if (!f)
        return -1;
    char line[256];
    size_t len, lineno = 1, n = 0, cap = 0;
    theorem_layers_row *rows = NULL;
    int rc = 0, got = files_read_line(f, line, sizeof line, &len);
    if (got != 1 || strcmp(line, THEOREM_LAYERS_CSV_HEADER "\n") != 0)
        rc = err_set(e, "%s: not a sublim theorem_layers.csv (bad header)", path);
    while (rc == 0 && (got = files_read_line(f, line, sizeof line, &len)) != 0) {
        lineno++;
        char variant[32];
        double eps, cos;
        size_t part;
        if (got < 0 || line[len - 1] != '\n' ||
            (line[len - 1] = '\0', parse_line(line, variant, &eps, &part, &cos))) {
            rc = err_set(e, "%s:%zu: malformed row (want %s)", path, lineno,
                         THEOREM_LAYERS_CSV_HEADER);
            break;
        }
        /* A row per (variant, ε), its parts in order from "all". */
        if (part == 0) {
            if (n == cap) {
                cap = cap ? 2 * cap : 16;
                theorem_layers_row *grown = realloc(rows, cap * sizeof *rows);
                if (!grown) {
                    rc = err_set(e, "out of memory reading %s", path);
                    break;
                }
                rows = grown;
            }
            rows[n] = (theorem_layers_row){.eps = eps, .n_parts = 0};
            snprintf(rows[n].variant, sizeof rows[n].variant, "%s", variant);
            n++;
        }
        theorem_layers_row *r = n ? &rows[n - 1] : NULL;
        if (!r || part != r->n_parts || strcmp(r->variant, variant) != 0 || r->eps != eps) {
            rc = err_set(e, "%s:%zu: a part out of order (each variant and eps lists all, "
                            "layer1, layer2, ...)",
                         path, lineno);
            break;
        }
        r->cos_mean[r->n_parts++] = cos;
    }
    if (rc == 0 && ferror(f))
        rc = err_set(e, "%s: read error", path);
    if (rc == 0 && !rows && !(rows = malloc(sizeof *rows)))
        rc = err_set(e, "out of memory reading %s", path);
    fclose(f);
    if (rc) {
        free(rows);
        return -1;
    }
    *out = rows;
    *n_out = n;
    return 0;
}

void theorem_layers_print(FILE *f, const theorem_row *rows, size_t n_rows)
{
    if (n_rows == 0)
        return;
    fprintf(f, "\ncos(Δθ_S, Δθ_T) per layer, mean over trials:\n  %-18s %8s %10s", "variant",
            "eps", "whole");
    for (size_t l = 1; l <= rows[0].n_layers; l++)
        fprintf(f, "    layer%zu", l);
    fputc('\n', f);
    for (size_t i = 0; i < n_rows; i++) {
        fprintf(f, "  %-18s %8.0e", rows[i].variant, rows[i].eps);
        for (size_t p = 0; p <= rows[i].n_layers; p++)
            fprintf(f, " %10.4f", part_cos(&rows[i], p));
        fputc('\n', f);
    }
}
