/* theorem_out: theorem.csv, theorem.json and the printed table (see
 * out/theorem_out.h). */
#include "out/theorem_out.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "base/atomic.h"
#include "base/clock.h"
#include "base/stats.h"
#include "base/text.h"
#include "base/files.h"
#include "nn/kernels.h"
#include "out/kv.h"
#include "out/reading.h"
#include "out/theorem_layers.h"

/* x exactly (base/text.h). */
static void put_num(FILE *f, double x)
{
    char buf[TEXT_REAL_SIZE];
    text_real(buf, sizeof buf, x);
    fputs(buf, f);
}

/* A JSON number, or null where JSON has none (NaN, infinities). */
static void json_num(FILE *f, double x)
{
    if (isfinite(x))
        put_num(f, x);
    else
        fprintf(f, "null");
}

/* A JSON member after another: `, "name": x`. */
static void json_field(FILE *f, const char *name, double x)
{
    fprintf(f, ", \"%s\": ", name);
    json_num(f, x);
}

/* theorem.csv's columns, in THEOREM_CSV_HEADER's order: where each
 * lives in a theorem_row.  A prediction-only column is empty for a
 * variant without a prediction; a NaN is empty too. */
enum csv_kind { CSV_TEXT, CSV_SIZE, CSV_REAL };
typedef struct {
    const char *name;
    enum csv_kind kind;
    size_t offset;
    int prediction_only;
} csv_column;

#define AT(field) offsetof(theorem_row, field)
static const csv_column CSV_COLUMNS[] = {
    {"variant", CSV_TEXT, AT(variant), 0},
    {"eps", CSV_REAL, AT(eps), 0},
    {"trials", CSV_SIZE, AT(trials), 0},
    {"aligned_frac", CSV_REAL, AT(aligned_frac), 0},
    {"cos_mean", CSV_REAL, AT(cos_mean), 0},
    {"ratio_mean", CSV_REAL, AT(ratio_mean), 1},
    {"ratio_maxdev", CSV_REAL, AT(ratio_maxdev), 1},
    {"loss_drop_frac", CSV_REAL, AT(loss_drop_frac), 0},
    {"inner_mean", CSV_REAL, AT(inner_mean), 0},
    {"predicted_mean", CSV_REAL, AT(predicted_mean), 1},
    {"cos_min", CSV_REAL, AT(cos_min), 0},
    {"cos_max", CSV_REAL, AT(cos_max), 0},
    {"relu_flips_mean", CSV_REAL, AT(flips_mean), 1},
    {"kinked_frac", CSV_REAL, AT(kinked_frac), 1},
    {"ratio_maxdev_smooth", CSV_REAL, AT(ratio_maxdev_smooth), 1},
};
#undef AT
#define N_CSV_COLUMNS (sizeof CSV_COLUMNS / sizeof CSV_COLUMNS[0])

int theorem_out_write_csv(const char *path, const theorem_row *rows, size_t n_rows, err *e)
{
    atomic_file af;
    if (atomic_open(&af, path, e))
        return -1;
    for (size_t c = 0; c < N_CSV_COLUMNS; c++)
        fprintf(af.f, "%s%s", c ? "," : "", CSV_COLUMNS[c].name);
    fputc('\n', af.f);
    for (size_t i = 0; i < n_rows; i++) {
        const char *row = (const char *)&rows[i];
        for (size_t c = 0; c < N_CSV_COLUMNS; c++) {
            const csv_column *col = &CSV_COLUMNS[c];
            if (c)
                fputc(',', af.f);
            if (col->prediction_only && !rows[i].has_prediction)
                continue;
            if (col->kind == CSV_TEXT)
                fputs(row + col->offset, af.f);
            else if (col->kind == CSV_SIZE)
                fprintf(af.f, "%zu", *(const size_t *)(const void *)(row + col->offset));
            else if (isfinite(*(const double *)(const void *)(row + col->offset)))
                put_num(af.f, *(const double *)(const void *)(row + col->offset));
        }
        fputc('\n', af.f);
    }
    return atomic_commit(&af, e);
}

/* Field k of a CSV line (commas only: theorem.csv quotes nothing) into
 * buf; -1 when the line has fewer fields. */
static int csv_field(const char *line, size_t k, char *buf, size_t size)
{
    for (; k > 0; k--) {
        line = strchr(line, ',');
        if (!line)
            return -1;
        line++;
    }
    size_t n = strcspn(line, ",");
    snprintf(buf, size, "%.*s", (int)n, line);
    return 0;
}

/* One data line into r, its columns at where[c] (-1: absent from the
 * file, left NaN). */
static int parse_row(const char *line, const int *where, theorem_row *r, const char *path,
                     size_t lineno, err *e)
{
    char cell[64], *end;
    memset(r, 0, sizeof *r);
    for (size_t c = 0; c < N_CSV_COLUMNS; c++) {
        const csv_column *col = &CSV_COLUMNS[c];
        void *field = (char *)r + col->offset;
        if (col->kind == CSV_REAL)
            *(double *)field = NAN;
        if (where[c] < 0)
            continue;
        if (csv_field(line, (size_t)where[c], cell, sizeof cell))
            return err_set(e, "%s:%zu: no %s field", path, lineno, col->name);
        if (col->kind == CSV_TEXT) {
            if (strlen(cell) >= sizeof r->variant)
                return err_set(e, "%s:%zu: variant '%s' too long", path, lineno, cell);
            memcpy(r->variant, cell, strlen(cell) + 1);
            continue;
        }
        if (!*cell)
            continue; /* no number: NaN, or a column without a prediction */
        double v = strtod(cell, &end);
        if (*end || end == cell)
            return err_set(e, "%s:%zu: %s '%s' is not a number", path, lineno, col->name,
                           cell);
        if (col->kind == CSV_SIZE)
            *(size_t *)field = v >= 0 && v < 1e15 ? (size_t)v : 0;
        else
            *(double *)field = v;
    }
    r->has_prediction = !isnan(r->ratio_mean);
    return 0;
}

int theorem_out_read_csv(const char *path, theorem_row **rows, size_t *n_rows, err *e)
{
    char *text;
    size_t len;
    *rows = NULL;
    *n_rows = 0;
    if (files_read_all(path, &text, &len, e))
        return -1;
    int where[N_CSV_COLUMNS], rc = 0;
    size_t lines = 0, lineno = 0;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    theorem_row *r = calloc(lines + 1, sizeof *r);
    if (!r) {
        free(text);
        return err_set(e, "out of memory reading %s", path);
    }
    for (char *line = text, *next; rc == 0 && line < text + len && *line; line = next) {
        next = line + strcspn(line, "\n");
        if (*next)
            *next++ = '\0';
        line[strcspn(line, "\r")] = '\0';
        if (++lineno == 1) {
            /* The columns by name: a file of another column order reads the same. */
            for (size_t c = 0; c < N_CSV_COLUMNS; c++) {
                char name[64];
                where[c] = -1;
                for (int k = 0; csv_field(line, (size_t)k, name, sizeof name) == 0; k++)
                    if (strcmp(name, CSV_COLUMNS[c].name) == 0)
                        where[c] = k;
            }
            if (where[0] < 0 || where[1] < 0)
                rc = err_set(e, "%s:1: not a theorem.csv header (no variant or eps column)",
                             path);
        } else if (*line) {
            rc = parse_row(line, where, &r[(*n_rows)++], path, lineno, e);
        }
    }
    if (rc == 0 && lineno == 0)
        rc = err_set(e, "%s: empty file", path);
    free(text);
    if (rc) {
        free(r);
        *n_rows = 0;
        return -1;
    }
    *rows = r;
    return 0;
}

/* ---- theorem.txt: the configuration ---- */

int theorem_out_write_config(const char *path, const theorem_config *cfg, err *e)
{
    size_t n;
    const setting *settings = theorem_settings(&n);
    atomic_file af;
    if (atomic_open(&af, path, e))
        return -1;
    fprintf(af.f, "# sublim theorem: the configuration theorem.csv and theorem.json were made "
                  "with.\n");
    for (size_t i = 0; i < n; i++) {
        char value[SETTING_FIELD_MAX];
        if (settings[i].type == SETTING_SWITCH || settings[i].type == SETTING_TEXT)
            continue;
        setting_format(&settings[i], cfg, value, sizeof value);
        fprintf(af.f, "%s=%s\n", settings[i].name, value);
    }
    return atomic_commit(&af, e);
}

int theorem_out_read_config(const char *path, theorem_config *cfg, err *e)
{
    size_t n, n_lists;
    const setting *settings = theorem_settings(&n);
    kv_list *lists;
    *cfg = theorem_defaults();
    if (kv_read_file(path, NULL, &lists, &n_lists, e))
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && n_lists && i < lists[0].n; i++) {
        const kv_pair *kv = &lists[0].kv[i];
        const setting *s = settings_find(settings, n, kv->key);
        char label[FILES_PATH_MAX + 80];
        snprintf(label, sizeof label, "%s: %s", path, kv->key);
        if (!s)
            rc = err_set(e, "%s: unknown setting", label);
        else if (s->type != SETTING_FIXED)
            rc = setting_parse(s, kv->value, cfg, label, e);
    }
    free(lists);
    return rc;
}

/* One per-trial array of a row: field k of theorem_obs (0 inner, 1 cos,
 * 2 ratio, 3 loss change, 4 ReLU flips). */
static void json_trials(FILE *f, const theorem_result *r, enum theorem_variant v, size_t ie,
                        const char *name, int field)
{
    fprintf(f, ",\n      \"%s\": [", name);
    for (size_t t = 0; t < r->trials; t++) {
        const theorem_obs *o = theorem_obs_at(r, v, ie, t);
        double x = field == 0   ? o->inner
                   : field == 1 ? o->cos
                   : field == 2 ? o->inner / o->predicted
                   : field == 3 ? o->loss_change
                                : (double)o->relu_flips;
        fprintf(f, "%s", t ? ", " : "");
        json_num(f, x);
    }
    fprintf(f, "]");
}

/* The K-step control at ε number ie, per step k = 1..K over trials: the
 * cosine of θ_S,k - θ0 with Δθ_T. */
static void json_steps(FILE *f, const theorem_result *r, size_t ie)
{
    fprintf(f, ",\n      \"steps\": [");
    for (size_t k = 0; k < r->steps; k++) {
        double sum = 0, lo = INFINITY, hi = -INFINITY;
        size_t pos = 0;
        for (size_t t = 0; t < r->trials; t++) {
            double x = theorem_step_cos_at(r, ie, t)[k];
            sum += x;
            lo = stats_min(lo, x);
            hi = stats_max(hi, x);
            pos += x > 0;
        }
        fprintf(f, "%s\n        {\"step\": %zu, \"cos_mean\": ", k ? "," : "", k + 1);
        json_num(f, sum / (double)r->trials);
        json_field(f, "cos_min", lo);
        json_field(f, "cos_max", hi);
        json_field(f, "aligned_frac", (double)pos / (double)r->trials);
        fprintf(f, "}");
    }
    fprintf(f, "]");
}

int theorem_out_write_json(const char *path, const theorem_config *c,
                           const theorem_result *r, const theorem_row *rows, size_t n_rows,
                           size_t threads, const char *kernels, double wall_seconds, err *e)
{
    atomic_file af;
    if (atomic_open(&af, path, e))
        return -1;
    FILE *f = af.f;
    fprintf(f, "{\n  \"tool\": \"sublim theorem\",\n  \"config\": ");
    size_t n_settings;
    const setting *settings = theorem_settings(&n_settings);
    settings_write_json(f, settings, n_settings, c, "  ");
    fprintf(f, ",\n  \"rows\": [\n");
    for (size_t i = 0; i < n_rows; i++) {
        const theorem_row *row = &rows[i];
        enum theorem_variant v = (enum theorem_variant)(i / r->n_eps);
        size_t ie = i % r->n_eps;
        fprintf(f, "    {\"variant\": \"%s\", \"eps\": ", row->variant);
        json_num(f, row->eps);
        fprintf(f, ", \"trials\": %zu,\n      \"aligned_frac\": ", row->trials);
        json_num(f, row->aligned_frac);
        json_field(f, "cos_mean", row->cos_mean);
        json_field(f, "cos_min", row->cos_min);
        json_field(f, "cos_max", row->cos_max);
        json_field(f, "inner_mean", row->inner_mean);
        json_field(f, "loss_drop_frac", row->loss_drop_frac);
        if (row->has_prediction) {
            fprintf(f, ",\n      \"predicted_mean\": ");
            json_num(f, row->predicted_mean);
            json_field(f, "ratio_mean", row->ratio_mean);
            json_field(f, "ratio_maxdev", row->ratio_maxdev);
            json_field(f, "relu_flips_mean", row->flips_mean);
            json_field(f, "kinked_frac", row->kinked_frac);
            json_field(f, "ratio_maxdev_smooth", row->ratio_maxdev_smooth);
        } else {
            fprintf(f, ",\n      \"predicted_mean\": null, \"ratio_mean\": null, "
                       "\"ratio_maxdev\": null");
        }
        if (v == THEOREM_STEPS)
            json_steps(f, r, ie);
        json_trials(f, r, v, ie, "inner", 0);
        json_trials(f, r, v, ie, "cos", 1);
        if (row->has_prediction)
            json_trials(f, r, v, ie, "ratio", 2);
        json_trials(f, r, v, ie, "loss_change", 3);
        if (row->has_prediction)
            json_trials(f, r, v, ie, "relu_flips", 4);
        fprintf(f, "}%s\n", i + 1 < n_rows ? "," : "");
    }
    fprintf(f, "  ],\n  \"run\": {\"threads\": %zu, \"kernels\": \"%s\", \"wall_seconds\": ",
            threads, kernels);
    json_num(f, wall_seconds);
    fprintf(f, "}\n}\n");
    return atomic_commit(&af, e);
}

/* ---- the table and its legend: stdout and report.md ---- */

/* The table's columns: a title, a width on stdout, and what it means (the
 * legend; NULL: the title says it). */
enum table_column {
    COL_VARIANT, COL_EPS, COL_TRIALS, COL_ALIGNED, COL_COS_MEAN, COL_COS_MIN, COL_COS_MAX,
    COL_RATIO, COL_RATIO_DEV, COL_KINKED, COL_SMOOTH, COL_DROP, N_TABLE_COLUMNS
};
typedef struct {
    const char *title;
    int width;
    const char *meaning;
} table_column;

static const table_column TABLE[N_TABLE_COLUMNS] = {
    [COL_VARIANT] = {"variant", -14,
                     "same_init: the student starts at the teacher's own start θ0 (the "
                     "theorem's case); cross_init: at an independent start θ0′ (a control, no "
                     "prediction); same_init_k<K>: K steps toward the teacher (no prediction)"},
    [COL_EPS] = {"eps", 7, "how far the teacher moved from θ0: θ_T = θ0 + ε Δθ_T"},
    [COL_TRIALS] = {"n", 4, "trials (each its own seed)"},
    [COL_ALIGNED] = {"aligned", 7, "trials with Δθ_S·Δθ_T > 0: the student moved toward the "
                                   "teacher"},
    [COL_COS_MEAN] = {"cos mean", 9, "cosine of Δθ_S with Δθ_T: mean, min and max over trials"},
    [COL_COS_MIN] = {"cos min", 9, NULL},
    [COL_COS_MAX] = {"cos max", 9, NULL},
    [COL_RATIO] = {"ratio mean", 13, "measured Δθ_S·Δθ_T / predicted, the prediction being "
                                     "first order in ε (1 when the theorem's formula holds)"},
    [COL_RATIO_DEV] = {"max|r-1|", 9, "the largest |ratio − 1| over trials"},
    [COL_KINKED] = {"kinked", 7, "trials where some ReLU (input, hidden unit) differs between "
                                 "θ0 and θ_T: there the teacher left θ0's linear piece, which "
                                 "makes the ratio's approach to 1 uneven"},
    [COL_SMOOTH] = {"(smooth)", 9, "max|r-1| over the trials that are not kinked"},
    [COL_DROP] = {"L_T drop", 8, "trials whose held-out teacher loss L_T fell after the "
                                 "student's step(s)"},
};

/* The number of column c of r (NaN for the variant's text and count). */
static double table_number(const theorem_row *r, enum table_column c)
{
    switch (c) {
    case COL_EPS: return r->eps;
    case COL_ALIGNED: return r->aligned_frac;
    case COL_COS_MEAN: return r->cos_mean;
    case COL_COS_MIN: return r->cos_min;
    case COL_COS_MAX: return r->cos_max;
    case COL_RATIO: return r->has_prediction ? r->ratio_mean : NAN;
    case COL_RATIO_DEV: return r->has_prediction ? r->ratio_maxdev : NAN;
    case COL_KINKED: return r->has_prediction ? r->kinked_frac : NAN;
    case COL_SMOOTH: return r->has_prediction ? r->ratio_maxdev_smooth : NAN;
    case COL_DROP: return r->loss_drop_frac;
    default: return NAN;
    }
}

/* Row r's cell of column c: "-" where the variant has no such number (no
 * prediction; every trial kinked; a column an older theorem.csv lacks). */
static void table_cell(char *buf, size_t size, const theorem_row *r, enum table_column c)
{
    if (c != COL_VARIANT && c != COL_TRIALS && isnan(table_number(r, c))) {
        snprintf(buf, size, "-");
        return;
    }
    switch (c) {
    case COL_VARIANT: snprintf(buf, size, "%s", r->variant); break;
    case COL_EPS: snprintf(buf, size, "%.3g", r->eps); break;
    case COL_TRIALS: snprintf(buf, size, "%zu", r->trials); break;
    case COL_ALIGNED: snprintf(buf, size, "%.1f%%", 100 * r->aligned_frac); break;
    case COL_COS_MEAN: snprintf(buf, size, "%.3g", r->cos_mean); break;
    case COL_COS_MIN: snprintf(buf, size, "%.3g", r->cos_min); break;
    case COL_COS_MAX: snprintf(buf, size, "%.3g", r->cos_max); break;
    case COL_RATIO: snprintf(buf, size, "%.10f", r->ratio_mean); break;
    case COL_RATIO_DEV: snprintf(buf, size, "%.3g", r->ratio_maxdev); break;
    case COL_KINKED: snprintf(buf, size, "%.1f%%", 100 * r->kinked_frac); break;
    case COL_SMOOTH: snprintf(buf, size, "%.3g", r->ratio_maxdev_smooth); break;
    case COL_DROP: snprintf(buf, size, "%.1f%%", 100 * r->loss_drop_frac); break;
    default: snprintf(buf, size, "?");
    }
}

size_t theorem_out_columns(void)
{
    return N_TABLE_COLUMNS;
}

const char *theorem_out_column_title(size_t c)
{
    return c < N_TABLE_COLUMNS ? TABLE[c].title : "";
}

const char *theorem_out_column_meaning(size_t c)
{
    return c < N_TABLE_COLUMNS ? TABLE[c].meaning : NULL;
}

void theorem_out_cell(char *buf, size_t size, const theorem_row *r, size_t c)
{
    table_cell(buf, size, r, c < N_TABLE_COLUMNS ? (enum table_column)c : N_TABLE_COLUMNS);
}

void theorem_out_print_table(FILE *f, const theorem_row *rows, size_t n_rows)
{
    char cell[64];
    for (size_t c = 0; c < N_TABLE_COLUMNS; c++)
        fprintf(f, "%s%*s", c ? " " : "", TABLE[c].width, TABLE[c].title);
    fputc('\n', f);
    for (size_t i = 0; i < n_rows; i++) {
        if (i > 0 && strcmp(rows[i].variant, rows[i - 1].variant) != 0)
            fputc('\n', f);
        for (size_t c = 0; c < N_TABLE_COLUMNS; c++) {
            table_cell(cell, sizeof cell, &rows[i], (enum table_column)c);
            fprintf(f, "%s%*s", c ? " " : "", TABLE[c].width, cell);
        }
        fputc('\n', f);
    }
}

/* The terminal width the legend is wrapped to, and its indent. */
enum { LEGEND_COLUMNS = 88, LEGEND_INDENT = 11 };

void theorem_out_print_legend(FILE *f)
{
    fputc('\n', f);
    for (size_t c = 0; c < N_TABLE_COLUMNS; c++) {
        const char *p = TABLE[c].meaning;
        if (!p)
            continue;
        fprintf(f, "%-*s", LEGEND_INDENT, TABLE[c].title);
        /* Words onto lines of at most LEGEND_COLUMNS characters (bytes, a
         * little fewer where a line holds Greek letters). */
        size_t at = LEGEND_INDENT;
        while (*p) {
            size_t word = strcspn(p, " ");
            if (at > LEGEND_INDENT && at + 1 + word > LEGEND_COLUMNS) {
                fprintf(f, "\n%*s", LEGEND_INDENT, "");
                at = LEGEND_INDENT;
            } else if (at > LEGEND_INDENT) {
                fputc(' ', f);
                at++;
            }
            fwrite(p, 1, word, f);
            at += word;
            p += word;
            p += *p == ' ';
        }
        fputc('\n', f);
    }
}

/* ---- against the experiment's configuration ---- */

/* Theorem settings that share a name with an experiment setting but not
 * its meaning: the theorem's lr is the step η of one plain gradient step,
 * the experiment's Adam's rate. */
static const char *const SAME_NAME_OTHER_MEANING[] = {"lr"};
/* Theorem settings the experiment has no flag for, because its students
 * always do one thing: imitate with KL, on noise. */
static const struct {
    const char *name, *experiment;
} EXPERIMENT_ALWAYS[] = {{"loss", "kl"}, {"inputs", "noise"}};

size_t theorem_out_differences(char *buf, size_t size, const theorem_config *t,
                               const experiment_config *x)
{
    size_t n_t, n_x, found = 0, used = 0;
    const setting *ts = theorem_settings(&n_t), *xs = experiment_settings(&n_x);
    buf[0] = '\0';
    for (size_t i = 0; i < n_t; i++) {
        const setting *s = &ts[i];
        char flag[64], tv[SETTING_FIELD_MAX], xv[SETTING_FIELD_MAX] = "";
        const setting *same = settings_find(xs, n_x, s->name);
        for (size_t k = 0; k < sizeof SAME_NAME_OTHER_MEANING / sizeof *SAME_NAME_OTHER_MEANING;
             k++)
            if (strcmp(s->name, SAME_NAME_OTHER_MEANING[k]) == 0)
                same = NULL;
        if (same && !(same->flags & SETTING_SEEDS) && same->type != SETTING_FIXED)
            setting_format(same, x, xv, sizeof xv);
        for (size_t k = 0; k < sizeof EXPERIMENT_ALWAYS / sizeof *EXPERIMENT_ALWAYS; k++)
            if (strcmp(s->name, EXPERIMENT_ALWAYS[k].name) == 0)
                snprintf(xv, sizeof xv, "%s", EXPERIMENT_ALWAYS[k].experiment);
        setting_format(s, t, tv, sizeof tv);
        if (!*xv || strcmp(tv, xv) == 0)
            continue;
        if (setting_has_flag(s))
            setting_flag(s, flag, sizeof flag);
        else
            snprintf(flag, sizeof flag, "%s", s->name);
        int k = snprintf(buf + used, used < size ? size - used : 0, "%s%s %s (the experiment: %s)",
                         found ? ", " : "", flag, tv, xv);
        used += k > 0 ? (size_t)k : 0;
        found++;
    }
    return found;
}

int theorem_out_record(const folder *f, const theorem_config *cfg, const dataset *train,
                       const dataset *heldout, pool *p, theorem_record *r, err *e)
{
    char csv[FILES_PATH_MAX], json[FILES_PATH_MAX], txt[FILES_PATH_MAX],
        layers[FILES_PATH_MAX];
    memset(r, 0, sizeof *r);
    if (theorem_result_init(&r->res, cfg, e))
        return -1;
    r->n_rows = theorem_n_rows(&r->res);
    r->rows = calloc(r->n_rows, sizeof *r->rows);
    if (!r->rows)
        return err_set(e, "out of memory");
    double start = clock_seconds();
    if (theorem_run(cfg, train, heldout, p, &r->res, e))
        return -1;
    r->wall_seconds = clock_seconds() - start;
    theorem_summarize(&r->res, cfg, r->rows);
    /* The files in place in one step (folder_switch), so a table never
     * sits beside another run's configuration. */
    static const char *const files[] = {FOLDER_THEOREM_FILES};
    folder staged;
    if (folder_stage(f, &staged, e))
        return -1;
    if (folder_path(&staged, FOLDER_THEOREM_CSV, csv, sizeof csv, e) ||
        folder_path(&staged, FOLDER_THEOREM_JSON, json, sizeof json, e) ||
        folder_path(&staged, FOLDER_THEOREM_CONFIG, txt, sizeof txt, e) ||
        folder_path(&staged, FOLDER_THEOREM_LAYERS, layers, sizeof layers, e) ||
        theorem_layers_write(layers, r->rows, r->n_rows, e) ||
        theorem_out_write_csv(csv, r->rows, r->n_rows, e) ||
        theorem_out_write_json(json, cfg, &r->res, r->rows, r->n_rows, pool_threads(p),
                               kern_path_name(), r->wall_seconds, e) ||
        theorem_out_write_config(txt, cfg, e)) {
        folder_unstage(f);
        return -1;
    }
    return folder_switch(f, files, sizeof files / sizeof files[0], e);
}

void theorem_out_free(theorem_record *r)
{
    theorem_result_free(&r->res);
    free(r->rows);
    memset(r, 0, sizeof *r);
}
