#include "out/results.h"
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "base/atomic.h"
#include "base/files.h"
#include "base/text.h"

int results_write_csv(const char *path, const arm_result *rows, size_t n_rows, err *e)
{
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    atomic_file af;
    if (atomic_open(&af, path, e))
        return -1;
    fprintf(af.f, "%s\n", RESULTS_CSV_HEADER);
    for (size_t i = 0; i < n_rows; i++) {
        const arm_result *r = &rows[i];
        if (r->ok)
            fprintf(af.f, "%" PRIu64 ",%s,%.6f,%zu,%zu,%.9g,ok\n", r->seed,
                    arms[r->arm].name, (double)r->correct / (double)r->total, r->correct,
                    r->total, r->final_loss);
        else
            fprintf(af.f, "%" PRIu64 ",%s,,,%zu,,diverged\n", r->seed, arms[r->arm].name,
                    r->total);
    }
    return atomic_commit(&af, e);
}

/* Splits line (modified in place) at commas into at most max fields. */
static size_t split_csv(char *line, char **fields, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (n < max) {
        fields[n++] = p;
        char *comma = strchr(p, ',');
        if (!comma)
            break;
        *comma = '\0';
        p = comma + 1;
    }
    return n;
}

int results_read_csv(const char *path, arm_result **rows_out, size_t *n_out, err *e)
{
    FILE *f = files_open_read(path, e);
    if (!f)
        return -1;
    char line[1024];
    arm_result *rows = NULL;
    size_t n = 0, cap = 0, lineno = 1;
    int rc = 0;
    if (!fgets(line, sizeof line, f) || strcmp(line, RESULTS_CSV_HEADER "\n") != 0)
        rc = err_set(e, "%s: not a sublim results.csv (bad header)", path);
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        if (len == 0 || line[len - 1] != '\n') {
            rc = err_set(e, "%s:%zu: line too long or unterminated", path, lineno);
            break;
        }
        line[len - 1] = '\0';
        char *fld[8];
        arm_result r = {0};
        size_t seed;
        int arm;
        if (split_csv(line, fld, 8) != 7 || text_parse_size(fld[0], &seed) ||
            (arm = experiment_arm_index(fld[1])) < 0 || text_parse_size(fld[4], &r.total) ||
            r.total == 0) {
            rc = err_set(e, "%s:%zu: malformed row", path, lineno);
            break;
        }
        r.seed = seed;
        r.arm = (size_t)arm;
        if (strcmp(fld[6], "ok") == 0) {
            char *end, *acc_end;
            r.ok = 1;
            r.final_loss = strtod(fld[5], &end);
            double acc = strtod(fld[2], &acc_end);
            if (text_parse_size(fld[3], &r.correct) || r.correct > r.total || *end ||
                end == fld[5] || !isfinite(r.final_loss) || *acc_end || acc_end == fld[2] ||
                !(acc >= 0 && acc <= 1)) {
                rc = err_set(e, "%s:%zu: malformed row", path, lineno);
                break;
            }
        } else if (strcmp(fld[6], "diverged") != 0) {
            rc = err_set(e, "%s:%zu: unknown status '%s'", path, lineno, fld[6]);
            break;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            arm_result *grown = realloc(rows, cap * sizeof *rows);
            if (!grown) {
                rc = err_set(e, "out of memory reading %s", path);
                break;
            }
            rows = grown;
        }
        rows[n++] = r;
    }
    if (rc == 0 && ferror(f))
        rc = err_set(e, "%s: read error", path);
    fclose(f);
    if (rc) {
        free(rows);
        return rc;
    }
    *rows_out = rows;
    *n_out = n;
    return 0;
}

int results_summarize(const arm_result *rows, size_t n_rows, arm_summary *summaries, err *e)
{
    size_t n_arms;
    experiment_arms(&n_arms);
    double *acc = malloc((n_rows ? n_rows : 1) * sizeof *acc);
    if (!acc)
        return err_set(e, "out of memory summarizing %zu rows", n_rows);
    for (size_t a = 0; a < n_arms; a++) {
        size_t n = 0, failed = 0;
        double lo = 1, hi = 0;
        for (size_t i = 0; i < n_rows; i++) {
            if (rows[i].arm != a)
                continue;
            if (!rows[i].ok) {
                failed++;
                continue;
            }
            double x = (double)rows[i].correct / (double)rows[i].total;
            acc[n++] = x;
            lo = x < lo ? x : lo;
            hi = x > hi ? x : hi;
        }
        summaries[a].acc = stats_summarize(acc, n);
        summaries[a].failed = failed;
        summaries[a].min = n ? lo : 0;
        summaries[a].max = n ? hi : 0;
    }
    free(acc);
    return 0;
}

int results_write_summary(const char *path, const experiment_config *cfg,
                          const arm_summary *s, size_t threads, const char *kernels,
                          double wall_seconds, err *e)
{
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    atomic_file af;
    if (atomic_open(&af, path, e))
        return -1;
    FILE *f = af.f;
    size_t n_settings;
    const setting *settings = experiment_settings(&n_settings);
    fprintf(f, "{\n  \"tool\": \"sublim\",\n  \"config\": ");
    settings_write_json(f, settings, n_settings, cfg, "  ");
    fprintf(f, ",\n  \"arms\": [\n");
    for (size_t a = 0; a < n_arms; a++)
        fprintf(f,
                "    {\"arm\": \"%s\", \"n\": %zu, \"failed\": %zu, \"mean\": %.6f, "
                "\"sd\": %.6f, \"ci95\": %.6f, \"min\": %.6f, \"max\": %.6f, "
                "\"paper_mean\": %.3f}%s\n",
                arms[a].name, s[a].acc.n, s[a].failed, s[a].acc.mean, s[a].acc.sd,
                s[a].acc.ci95, s[a].min, s[a].max, arms[a].paper_mean,
                a + 1 < n_arms ? "," : "");
    fprintf(f, "  ],\n  \"run\": {\"threads\": %zu, \"kernels\": \"%s\", "
               "\"wall_seconds\": %.3f}\n}\n",
            threads, kernels, wall_seconds);
    return atomic_commit(&af, e);
}

void results_print_table(FILE *f, const arm_summary *s)
{
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    fprintf(f, "%-18s %5s %8s %9s %8s %8s %7s\n", "arm", "n", "mean", "95% CI", "min",
            "max", "paper");
    for (size_t a = 0; a < n_arms; a++) {
        if (s[a].acc.n == 0) {
            fprintf(f, "%-18s %5zu %8s %9s %8s %8s %7.3f", arms[a].name, (size_t)0, "-",
                    "-", "-", "-", arms[a].paper_mean);
        } else {
            fprintf(f, "%-18s %5zu %8.4f  ±%7.4f %8.4f %8.4f %7.3f", arms[a].name,
                    s[a].acc.n, s[a].acc.mean, s[a].acc.ci95, s[a].min, s[a].max,
                    arms[a].paper_mean);
        }
        if (s[a].failed)
            fprintf(f, "  (%zu diverged)", s[a].failed);
        fputc('\n', f);
    }
}
