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
#include "nn/kernels.h"

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

/* A CSV field: empty where there is no number. */
static void csv_num(FILE *f, double x)
{
    fputc(',', f);
    if (isfinite(x))
        put_num(f, x);
}

int theorem_out_write_csv(const char *path, const theorem_row *rows, size_t n_rows, err *e)
{
    atomic_file af;
    if (atomic_open(&af, path, e))
        return -1;
    fprintf(af.f, "%s\n", THEOREM_CSV_HEADER);
    for (size_t i = 0; i < n_rows; i++) {
        const theorem_row *r = &rows[i];
        fprintf(af.f, "%s,", r->variant);
        put_num(af.f, r->eps);
        fprintf(af.f, ",%zu", r->trials);
        csv_num(af.f, r->aligned_frac);
        csv_num(af.f, r->cos_mean);
        if (r->has_prediction) {
            csv_num(af.f, r->ratio_mean);
            csv_num(af.f, r->ratio_maxdev);
        } else {
            fprintf(af.f, ",,");
        }
        csv_num(af.f, r->loss_drop_frac);
        csv_num(af.f, r->inner_mean);
        if (r->has_prediction)
            csv_num(af.f, r->predicted_mean);
        else
            fprintf(af.f, ",");
        csv_num(af.f, r->cos_min);
        csv_num(af.f, r->cos_max);
        if (r->has_prediction) {
            csv_num(af.f, r->flips_mean);
            csv_num(af.f, r->kinked_frac);
            csv_num(af.f, r->ratio_maxdev_smooth);
        } else {
            fprintf(af.f, ",,,");
        }
        fprintf(af.f, "\n");
    }
    return atomic_commit(&af, e);
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

void theorem_out_print_table(FILE *f, const theorem_row *rows, size_t n_rows)
{
    fprintf(f, "%-14s %7s %4s %7s %9s %9s %9s %13s %9s %7s %9s %8s\n", "variant", "eps", "n",
            "aligned", "cos mean", "cos min", "cos max", "ratio mean", "max|r-1|", "kinked",
            "(smooth)", "L_T drop");
    for (size_t i = 0; i < n_rows; i++) {
        const theorem_row *r = &rows[i];
        if (i > 0 && strcmp(r->variant, rows[i - 1].variant) != 0)
            fprintf(f, "\n");
        fprintf(f, "%-14s %7.3g %4zu %6.1f%% %9.3g %9.3g %9.3g ", r->variant, r->eps,
                r->trials, 100 * r->aligned_frac, r->cos_mean, r->cos_min, r->cos_max);
        if (r->has_prediction) {
            fprintf(f, "%13.10f %9.3g %6.1f%% ", r->ratio_mean, r->ratio_maxdev,
                    100 * r->kinked_frac);
            if (isnan(r->ratio_maxdev_smooth))
                fprintf(f, "%9s", "-");
            else
                fprintf(f, "%9.3g", r->ratio_maxdev_smooth);
        } else
            fprintf(f, "%13s %9s %7s %9s", "-", "-", "-", "-");
        fprintf(f, " %7.1f%%\n", 100 * r->loss_drop_frac);
    }
}

void theorem_out_print_legend(FILE *f)
{
    fprintf(f, "\naligned: trials with Δθ_S·Δθ_T > 0.  ratio: measured / predicted, the "
               "prediction\nbeing first order in ε.  kinked: trials where some ReLU (input, "
               "hidden unit)\ndiffers between θ0 and θ_T: there the teacher left θ0's linear "
               "piece, which makes\nthe ratio's approach to 1 uneven; (smooth): max|r-1| over "
               "the other trials.\nL_T drop: trials whose held-out L_T fell after the "
               "student's step(s).\n");
}

int theorem_out_record(const folder *f, const theorem_config *cfg, const dataset *train,
                       const dataset *heldout, pool *p, theorem_record *r, err *e)
{
    char csv[FILES_PATH_MAX], json[FILES_PATH_MAX];
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
    if (folder_path(f, FOLDER_THEOREM_CSV, csv, sizeof csv, e) ||
        folder_path(f, FOLDER_THEOREM_JSON, json, sizeof json, e))
        return -1;
    return theorem_out_write_csv(csv, r->rows, r->n_rows, e) ||
                   theorem_out_write_json(json, cfg, &r->res, r->rows, r->n_rows,
                                          pool_threads(p), kern_path_name(), r->wall_seconds, e)
               ? -1
               : 0;
}

void theorem_out_free(theorem_record *r)
{
    theorem_result_free(&r->res);
    free(r->rows);
    memset(r, 0, sizeof *r);
}
