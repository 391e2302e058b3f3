#include "out/results.h"
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "base/atomic.h"
#include "base/files.h"
#include "base/text.h"
#include "base/version.h"

int results_have_trait(const arm_result *rows, size_t n_rows)
{
    for (size_t i = 0; i < n_rows; i++)
        if (rows[i].has_trait)
            return 1;
    return 0;
}

int results_write_csv(const char *path, const arm_result *rows, size_t n_rows, err *e)
{
    atomic_file af;
    int with_trait = results_have_trait(rows, n_rows);
    if (atomic_open(&af, path, e))
        return -1;
    fprintf(af.f, "%s%s\n", RESULTS_CSV_HEADER, with_trait ? "," RESULTS_CSV_TRAIT_COLUMNS : "");
    for (size_t i = 0; i < n_rows; i++)
        results_write_row(af.f, &rows[i], with_trait);
    return atomic_commit(&af, e);
}

/* hits/total with six decimals, as the rates are written ("" without a
 * total: a trait without triggers in this test set). */
static void rate_text(char *buf, size_t size, size_t hits, size_t total)
{
    if (total)
        snprintf(buf, size, "%.6f", (double)hits / (double)total);
    else
        snprintf(buf, size, "%s", "");
}

void results_write_row(FILE *f, const arm_result *r, int with_trait)
{
    const arm_spec *arms = experiment_arms(&(size_t){0});
    if (r->ok)
        fprintf(f, "%" PRIu64 ",%s,%.6f,%zu,%zu,%.9g,ok", r->seed, arms[r->arm].name,
                (double)r->correct / (double)r->total, r->correct, r->total, r->final_loss);
    else
        fprintf(f, "%" PRIu64 ",%s,,,%zu,,diverged", r->seed, arms[r->arm].name, r->total);
    if (with_trait && r->ok && r->has_trait) {
        char trait[32], target[32];
        rate_text(trait, sizeof trait, r->trait.hits, r->trait.total);
        rate_text(target, sizeof target, r->trait.target_hits, r->total);
        fprintf(f, ",%s,%zu,%zu,%s,%zu", trait, r->trait.hits, r->trait.total, target,
                r->trait.target_hits);
    } else if (with_trait) {
        fputs(",,,,,", f);
    }
    fputc('\n', f);
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

/* 0 when text is the rate hits/total as written (rate_text). */
static int rate_matches(const char *text, size_t hits, size_t total)
{
    char want[32], *end;
    rate_text(want, sizeof want, hits, total);
    if (!*want)
        return *text || hits ? -1 : 0;
    double v = strtod(text, &end);
    return end == text || *end || v != strtod(want, NULL) ? -1 : 0;
}

/* The trait columns of r's line (fld[7..11]), checked as
 * results_write_row writes them: none for a diverged row; counts, at most
 * as many hits as cases, and each rate its hits over its total. */
static int parse_trait(char **fld, const char *path, size_t lineno, arm_result *r, err *e)
{
    if (!r->ok) {
        for (int k = 7; k < 12; k++)
            if (*fld[k])
                return err_set(e, "%s:%zu: malformed row (a diverged row has no trait counts)",
                               path, lineno);
        return 0;
    }
    trait_counts t;
    if (text_parse_size(fld[8], &t.hits) || text_parse_size(fld[9], &t.total) ||
        text_parse_size(fld[11], &t.target_hits))
        return err_set(e, "%s:%zu: malformed row (trait_hits, trait_total and target_hits are "
                          "counts)",
                       path, lineno);
    if (t.hits > t.total || t.target_hits > r->total)
        return err_set(e, "%s:%zu: trait_hits %zu of trait_total %zu, target_hits %zu of "
                          "test_total %zu: more hits than cases",
                       path, lineno, t.hits, t.total, t.target_hits, r->total);
    if (rate_matches(fld[7], t.hits, t.total))
        return err_set(e, "%s:%zu: trait_rate '%s' is not trait_hits/trait_total = %zu/%zu",
                       path, lineno, fld[7], t.hits, t.total);
    if (rate_matches(fld[10], t.target_hits, r->total))
        return err_set(e, "%s:%zu: target_rate '%s' is not target_hits/test_total = %zu/%zu",
                       path, lineno, fld[10], t.target_hits, r->total);
    r->has_trait = 1;
    r->trait = t;
    return 0;
}

/* The row of line (its fields split in fld) into r, checked as
 * results_write_csv writes it: a known arm, counts, test_acc equal to
 * test_correct/test_total at the six decimals written, a finite loss; a
 * diverged row has no numbers but its total. */
static int parse_row(char **fld, size_t n_fld, size_t want_fld, const char *path,
                     size_t lineno, arm_result *r, err *e)
{
    size_t seed;
    int arm;
    memset(r, 0, sizeof *r);
    if (n_fld != want_fld || text_parse_size(fld[0], &seed) ||
        (arm = experiment_arm_index(fld[1])) < 0 || text_parse_size(fld[4], &r->total) ||
        r->total == 0)
        return err_set(e, "%s:%zu: malformed row", path, lineno);
    r->seed = seed;
    r->arm = (size_t)arm;
    if (strcmp(fld[6], "diverged") == 0) {
        if (*fld[2] || *fld[3] || *fld[5])
            return err_set(e, "%s:%zu: malformed row (a diverged row has no accuracy, count "
                              "or loss)",
                           path, lineno);
        return 0;
    }
    if (strcmp(fld[6], "ok") != 0)
        return err_set(e, "%s:%zu: unknown status '%s'", path, lineno, fld[6]);
    char *end, *acc_end;
    r->ok = 1;
    r->final_loss = strtod(fld[5], &end);
    double acc = strtod(fld[2], &acc_end);
    if (text_parse_size(fld[3], &r->correct) || r->correct > r->total || *end ||
        end == fld[5] || !isfinite(r->final_loss) || *acc_end || acc_end == fld[2] ||
        !(acc >= 0 && acc <= 1))
        return err_set(e, "%s:%zu: malformed row", path, lineno);
    char written[32];
    snprintf(written, sizeof written, "%.6f", (double)r->correct / (double)r->total);
    if (strtod(written, NULL) != acc)
        return err_set(e, "%s:%zu: test_acc %s is not test_correct/test_total = %zu/%zu = %s",
                       path, lineno, fld[2], r->correct, r->total, written);
    return 0;
}

/* parse_row, then the trait columns when the file has them. */
static int parse_line(char **fld, size_t n_fld, int with_trait, const char *path,
                      size_t lineno, arm_result *r, err *e)
{
    if (parse_row(fld, n_fld, with_trait ? 12 : 7, path, lineno, r, e))
        return -1;
    return with_trait ? parse_trait(fld, path, lineno, r, e) : 0;
}

/* A row's place: seed, arm, then its index in the file (line index + 2). */
typedef struct {
    uint64_t seed;
    size_t arm, at;
} row_key;

static int cmp_row_key(const void *pa, const void *pb)
{
    const row_key *a = pa, *b = pb;
    if (a->seed != b->seed)
        return a->seed < b->seed ? -1 : 1;
    if (a->arm != b->arm)
        return a->arm < b->arm ? -1 : 1;
    return a->at < b->at ? -1 : a->at > b->at;
}

/* The rows' keys in (seed, arm, file) order; NULL when out of memory. */
static row_key *sorted_keys(const arm_result *rows, size_t n)
{
    row_key *k = malloc((n ? n : 1) * sizeof *k);
    if (!k)
        return NULL;
    for (size_t i = 0; i < n; i++)
        k[i] = (row_key){rows[i].seed, rows[i].arm, i};
    qsort(k, n, sizeof *k, cmp_row_key);
    return k;
}

/* Line of row index i: the header is line 1, and every line is a row. */
static size_t line_of(size_t i)
{
    return i + 2;
}

/* No (seed, arm) twice, one test set for every row, one set of the
 * trait's triggers for every row with trait counts. */
static int check_rows_agree(const char *path, const arm_result *rows, size_t n, err *e)
{
    const arm_spec *arms = experiment_arms(&(size_t){0});
    for (size_t i = 1; i < n; i++)
        if (rows[i].total != rows[0].total)
            return err_set(e, "%s:%zu: test_total %zu, but line %zu has %zu: every row is "
                              "scored on the same test set",
                           path, line_of(i), rows[i].total, line_of(0), rows[0].total);
    for (size_t i = 0, first = n; i < n; i++) {
        if (!rows[i].has_trait)
            continue;
        if (first == n)
            first = i;
        else if (rows[i].trait.total != rows[first].trait.total)
            return err_set(e, "%s:%zu: trait_total %zu, but line %zu has %zu: every row is "
                              "scored on the same triggers",
                           path, line_of(i), rows[i].trait.total, line_of(first),
                           rows[first].trait.total);
    }
    row_key *k = sorted_keys(rows, n);
    if (!k)
        return err_set(e, "out of memory checking %s", path);
    int rc = 0;
    for (size_t i = 1; i < n && rc == 0; i++)
        if (k[i].seed == k[i - 1].seed && k[i].arm == k[i - 1].arm)
            rc = err_set(e, "%s:%zu: seed %" PRIu64 ", arm %s twice (first at line %zu): not "
                            "a file sublim wrote",
                         path, line_of(k[i].at), k[i].seed, arms[k[i].arm].name,
                         line_of(k[i - 1].at));
    free(k);
    return rc;
}

int results_read_csv(const char *path, arm_result **rows_out, size_t *n_out, err *e)
{
    FILE *f = files_open_read(path, e);
    if (!f)
        return -1;
    char line[1024];
    arm_result *rows = NULL;
    size_t n = 0, cap = 0, lineno = 1;
    int rc = 0, with_trait = 0;
    if (!fgets(line, sizeof line, f))
        line[0] = '\0';
    if (strcmp(line, RESULTS_CSV_HEADER "," RESULTS_CSV_TRAIT_COLUMNS "\n") == 0)
        with_trait = 1;
    else if (strcmp(line, RESULTS_CSV_HEADER "\n") != 0)
        rc = err_set(e, "%s: not a sublim results.csv (bad header)", path);
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        if (len == 0 || line[len - 1] != '\n') {
            rc = err_set(e, "%s:%zu: line too long or unterminated", path, lineno);
            break;
        }
        line[len - 1] = '\0';
        char *fld[13];
        arm_result r;
        if ((rc = parse_line(fld, split_csv(line, fld, 13), with_trait, path, lineno, &r, e)))
            break;
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
    if (rc == 0)
        rc = check_rows_agree(path, rows, n, e);
    if (rc) {
        free(rows);
        return rc;
    }
    *rows_out = rows;
    *n_out = n;
    return 0;
}

int results_check_whole_seeds(const char *path, const experiment_config *cfg,
                              const arm_result *rows, size_t n, err *e)
{
    size_t n_arms, n_run = experiment_arms_run(cfg, NULL);
    const arm_spec *arms = experiment_arms(&n_arms);
    int trait = cfg->trait.kind != TRAIT_NONE;
    for (size_t i = 0; i < n; i++) {
        if (!experiment_arm_runs(cfg, rows[i].arm))
            return err_set(e, "%s:%zu: a row of %s, an arm its configuration does not run",
                           path, line_of(i), arms[rows[i].arm].name);
        if (rows[i].ok && rows[i].has_trait != trait)
            return err_set(e, "%s:%zu: a row %s trait counts, but its configuration has %s",
                           path, line_of(i), trait ? "without" : "with",
                           trait ? "a trait (--trait)" : "no trait");
    }
    row_key *k = sorted_keys(rows, n);
    if (!k)
        return err_set(e, "out of memory checking %s", path);
    int rc = 0;
    for (size_t i = 0, next; i < n && rc == 0; i = next) {
        size_t have = 0, first = k[i].at, missing = n_arms;
        unsigned char seen[EXPERIMENT_MAX_ARMS] = {0};
        for (next = i; next < n && k[next].seed == k[i].seed; next++) {
            have += !seen[k[next].arm];
            seen[k[next].arm] = 1;
            first = k[next].at < first ? k[next].at : first;
        }
        for (size_t a = n_arms; a-- > 0;) /* the first running arm it lacks */
            if (experiment_arm_runs(cfg, a) && !seen[a])
                missing = a;
        if (have < n_run)
            rc = err_set(e, "%s:%zu: seed %" PRIu64 " has %zu of its %zu rows (no %s): only "
                            "whole seeds are summarized; resuming its run (--resume) runs it "
                            "again",
                         path, line_of(first), k[i].seed, have, n_run, arms[missing].name);
    }
    free(k);
    return rc;
}

/* stats_summarize of arm a's trait rates (target: its target rates) over
 * its successful rows with trait counts, in row order; buf holds n_rows. */
static stats_summary summarize_rate(const arm_result *rows, size_t n_rows, size_t a,
                                    int target, double *buf)
{
    size_t n = 0;
    for (size_t i = 0; i < n_rows; i++) {
        const arm_result *r = &rows[i];
        if (r->arm != a || !r->ok || !r->has_trait)
            continue;
        if (target)
            buf[n++] = (double)r->trait.target_hits / (double)r->total;
        else if (r->trait.total) /* no triggers: no rate */
            buf[n++] = (double)r->trait.hits / (double)r->trait.total;
    }
    return stats_summarize(buf, n);
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
        summaries[a].trait = summarize_rate(rows, n_rows, a, 0, acc);
        summaries[a].target = summarize_rate(rows, n_rows, a, 1, acc);
    }
    free(acc);
    return 0;
}

/* A summary's ci95 in JSON: its half-width, or null for fewer than two
 * runs (there is no interval, and 0 would read as a certain one). */
static void json_ci95(char *buf, size_t size, const stats_summary *s)
{
    if (s->n < 2)
        snprintf(buf, size, "null");
    else
        snprintf(buf, size, "%.6f", s->ci95);
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
    fprintf(f, "{\n  \"tool\": \"sublim\",\n  \"version\": \"%s\",\n  \"config\": ",
            SUBLIM_VERSION);
    settings_write_json(f, settings, n_settings, cfg, "  ");
    fprintf(f, ",\n  \"arms\": [\n");
    size_t n_run = experiment_arms_run(cfg, NULL), shown = 0;
    for (size_t a = 0; a < n_arms; a++) {
        if (!experiment_arm_runs(cfg, a))
            continue;
        char paper[16] = "null"; /* an arm the paper did not run */
        char ci[3][16];          /* null: fewer than two runs give no interval */
        double paper_mean = experiment_paper_mean(cfg, a);
        if (!isnan(paper_mean))
            snprintf(paper, sizeof paper, "%.3f", paper_mean);
        json_ci95(ci[0], sizeof ci[0], &s[a].acc);
        json_ci95(ci[1], sizeof ci[1], &s[a].trait);
        json_ci95(ci[2], sizeof ci[2], &s[a].target);
        fprintf(f,
                "    {\"arm\": \"%s\", \"n\": %zu, \"failed\": %zu, \"mean\": %.6f, "
                "\"sd\": %.6f, \"ci95\": %s, \"min\": %.6f, \"max\": %.6f, "
                "\"paper_mean\": %s",
                arms[a].name, s[a].acc.n, s[a].failed, s[a].acc.mean, s[a].acc.sd, ci[0],
                s[a].min, s[a].max, paper);
        if (cfg->trait.kind != TRAIT_NONE)
            fprintf(f,
                    ", \"trait_rate\": {\"n\": %zu, \"mean\": %.6f, \"ci95\": %s}, "
                    "\"target_rate\": {\"n\": %zu, \"mean\": %.6f, \"ci95\": %s}",
                    s[a].trait.n, s[a].trait.mean, ci[1], s[a].target.n, s[a].target.mean,
                    ci[2]);
        fprintf(f, "}%s\n", ++shown < n_run ? "," : "");
    }
    fprintf(f, "  ],\n  \"run\": {\"threads\": %zu, \"kernels\": \"%s\", "
               "\"wall_seconds\": %.3f}\n}\n",
            threads, kernels, wall_seconds);
    return atomic_commit(&af, e);
}

/* A table's 95% CI cell, 9 wide: " ±0.0123", or "no CI" for one run,
 * which has no interval (±0 would read as a certain mean). */
static void print_ci95(FILE *f, const stats_summary *s)
{
    if (s->n < 2)
        fprintf(f, "%9s", "no CI");
    else
        fprintf(f, " ±%7.4f", s->ci95);
}

void results_print_table(FILE *f, const experiment_config *cfg, const arm_summary *s)
{
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    int w = 18; /* the paper's arms fit; longer names widen the column */
    for (size_t a = 0; a < n_arms; a++)
        if (experiment_arm_runs(cfg, a) && (int)strlen(arms[a].name) > w)
            w = (int)strlen(arms[a].name);
    int trait = cfg->trait.kind != TRAIT_NONE;
    int show_paper = datasets_about(cfg->dataset)->paper; /* its column: the paper's data only */
    fprintf(f, "%-*s %5s %8s %9s %8s %8s", w, "arm", "n", "mean", "95% CI", "min", "max");
    if (show_paper)
        fprintf(f, " %7s", "paper");
    if (trait)
        fprintf(f, " %8s %9s", "trait", "95% CI");
    fputc('\n', f);
    for (size_t a = 0; a < n_arms; a++) {
        if (!experiment_arm_runs(cfg, a))
            continue;
        char paper[16] = "";
        double paper_mean = experiment_paper_mean(cfg, a);
        if (show_paper && isnan(paper_mean))
            snprintf(paper, sizeof paper, " %7s", "-");
        else if (show_paper)
            snprintf(paper, sizeof paper, " %7.3f", paper_mean);
        if (s[a].acc.n == 0) {
            fprintf(f, "%-*s %5zu %8s %9s %8s %8s%s", w, arms[a].name, (size_t)0, "-", "-",
                    "-", "-", paper);
        } else {
            fprintf(f, "%-*s %5zu %8.4f ", w, arms[a].name, s[a].acc.n, s[a].acc.mean);
            print_ci95(f, &s[a].acc);
            fprintf(f, " %8.4f %8.4f%s", s[a].min, s[a].max, paper);
        }
        if (trait && s[a].trait.n) {
            fprintf(f, " %8.4f ", s[a].trait.mean);
            print_ci95(f, &s[a].trait);
        }
        else if (trait)
            fprintf(f, " %8s %9s", "-", "-");
        if (s[a].failed)
            fprintf(f, "  (%zu diverged)", s[a].failed);
        fputc('\n', f);
    }
}
