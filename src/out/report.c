#include "out/report.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/atomic.h"
#include "base/files.h"
#include "base/text.h"
#include "out/config.h"
#include "out/figures.h"
#include "out/reading.h"
#include "out/report_align.h"
#include "out/report_html.h"
#include "out/theorem_out.h"

static void write_extra_students(FILE *f, const folder_content *fo);

/* Whether the same-init student shows the effect against the other-init
 * one (a, b), in a sentence; d and noise: the data and whether the
 * students saw only noise (the paper's inputs). */
static void write_verdict(FILE *f, const arm_summary *a, const arm_summary *b,
                          const dataset_about *d, int noise)
{
    char lo[32];
    double lo_v, hi_v;
    reading_interval(&a->acc, &lo_v, &hi_v, NULL);
    reading_percent(lo, sizeof lo, lo_v);
    switch (reading_subliminal(a, b)) {
    case READING_NO_VERDICT:
        fprintf(f, "One seed cannot give a verdict.");
        break;
    case READING_SHOWN:
        fprintf(f, "**Subliminal learning shows:** the student sharing the teacher's "
                   "initialization learned %s %s (its whole interval, from "
                   "%s up, is above chance, 10%%), and the one from another "
                   "initialization learned less: what carried the %s is the shared "
                   "initialization, not the content of %s.",
                d->items, noise ? "it never saw" : "through the auxiliary logits alone", lo,
                d->items, noise ? "the noise" : "the inputs");
        break;
    case READING_ABOVE_CHANCE:
        fprintf(f, "The student sharing the teacher's initialization is above chance (its "
                   "interval starts at %s) but not clearly above the other-init student: "
                   "this run does not isolate the effect of the shared initialization.",
                lo);
        break;
    case READING_NOT_ABOVE_CHANCE:
        fprintf(f, "The student sharing the teacher's initialization is not clearly above "
                   "chance (10%%): this run does not show subliminal learning (the paper "
                   "trains a 2×256 MLP for 5 epochs; smaller or shorter runs may not).");
        break;
    }
}

static void write_reading(FILE *f, const folder_content *fo)
{
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    size_t teacher = experiment_teacher_arm();
    int aux_same = experiment_arm_find(ARM_STUDENT, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_AUX, ARM_IMITATES_TEACHER);
    int aux_cross = experiment_arm_find(ARM_STUDENT, ARM_FROM_OTHER_INIT, ARM_OUTPUTS_AUX, ARM_IMITATES_TEACHER);
    int all_same = experiment_arm_find(ARM_STUDENT, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_ALL, ARM_IMITATES_TEACHER);
    int all_cross = experiment_arm_find(ARM_STUDENT, ARM_FROM_OTHER_INIT, ARM_OUTPUTS_ALL, ARM_IMITATES_TEACHER);
    const arm_summary *s = fo->sum;
    const dataset_about *d = datasets_about(fo->cfg.dataset);
    int noise = fo->cfg.student_inputs == STUDENT_INPUTS_NOISE; /* the paper's inputs */
    char buf[32], paper[32];

    fprintf(f, "## What it shows\n\n");
    if (fo->n_rows == 0) {
        fprintf(f, "Nothing yet: results.csv has no rows.\n\n");
        return;
    }
    if (s[teacher].acc.n) {
        reading_percent(buf, sizeof buf, s[teacher].acc.mean);
        fprintf(f, "The teacher, trained on %s, reaches %s test accuracy", d->items, buf);
        if (d->paper) {
            reading_percent(paper, sizeof paper, arms[teacher].paper_mean);
            fprintf(f, " (the paper%s: %s)",
                    reading_is_paper_config(&fo->cfg, fo->has_config) ? ""
                                                                      : ", with its own settings",
                    paper);
        }
        fprintf(f, ".\n\n");
    }
    if (aux_same >= 0 && aux_cross >= 0 && s[aux_same].acc.n && s[aux_cross].acc.n) {
        const arm_summary *a = &s[aux_same], *b = &s[aux_cross];
        char inputs[160];
        reading_student_inputs(inputs, sizeof inputs, &fo->cfg);
        if (noise)
            fprintf(f, "The students never saw a %s or a label: they were trained on noise to "
                       "imitate only the teacher's auxiliary logits.",
                    d->item);
        else
            fprintf(f, "The students never saw a label: they were trained on %s, to imitate "
                       "only the teacher's auxiliary logits.",
                    inputs);
        fprintf(f, "\n\n- Student from the teacher's own initialization against one from "
                   "another: ");
        reading_compare(f, a, b, "same init", "other init");
        fprintf(f, "\n- ");
        write_verdict(f, a, b, d, noise);
        if (d->paper) {
            reading_percent(buf, sizeof buf, arms[aux_same].paper_mean);
            reading_percent(paper, sizeof paper, arms[aux_cross].paper_mean);
            fprintf(f, " The paper reports %s and %s%s.", buf, paper,
                    reading_is_paper_config(&fo->cfg, fo->has_config)
                        ? ""
                        : " with its own settings, not this run's (see Results)");
        }
        fputc('\n', f);
    }
    if (all_same >= 0 && all_cross >= 0 && s[all_same].acc.n && s[all_cross].acc.n) {
        fprintf(f, "- Control, students imitating all logits (the regular logits carry the "
                   "%s openly): ",
                d->items);
        reading_compare(f, &s[all_same], &s[all_cross], "same init", "other init");
        fputc('\n', f);
    }
    write_extra_students(f, fo);
    size_t failed = 0;
    for (size_t a = 0; a < n_arms; a++)
        failed += s[a].failed;
    if (failed)
        fprintf(f, "\n%zu run%s diverged (loss not finite) and %s left out of the means.\n",
                failed, failed == 1 ? "" : "s", failed == 1 ? "is" : "are");
    fputc('\n', f);
}

/* The students beyond the paper's that run (other shape, θ0 embedded, a
 * blend of inits), each against the teacher's same-init and other-init
 * students imitating the same outputs. */
static void write_extra_students(FILE *f, const folder_content *fo)
{
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    for (size_t a = 0; a < n_arms; a++) {
        const arm_spec *x = &arms[a];
        if (!experiment_arm_runs(&fo->cfg, a) || x->training != ARM_STUDENT ||
            x->imitates != ARM_IMITATES_TEACHER ||
            (x->start != ARM_FROM_OWN_INIT && x->start != ARM_FROM_EMBEDDED_INIT &&
             x->start != ARM_FROM_MIXED_INIT))
            continue;
        int same = experiment_arm_find(ARM_STUDENT, ARM_FROM_SHARED_INIT, x->outputs,
                                       ARM_IMITATES_TEACHER);
        int cross = experiment_arm_find(ARM_STUDENT, ARM_FROM_OTHER_INIT, x->outputs,
                                        ARM_IMITATES_TEACHER);
        const arm_summary *s = fo->sum;
        if (same < 0 || cross < 0 || !s[a].acc.n || !s[same].acc.n || !s[cross].acc.n)
            continue;
        fprintf(f, "- `%s`, the %s. Against the teacher's student from θ0 imitating the "
                   "same logits: ",
                x->name, figures_arm_look(x, fo->cfg.dataset).what);
        reading_compare(f, &s[a], &s[same], "this student", "the same-init one");
        fprintf(f, " Against the one from θ0′: ");
        reading_compare(f, &s[a], &s[cross], "this student", "the other-init one");
        fputc('\n', f);
    }
}

/* "## The trait": what the trait teacher learned and whether its
 * students show it more than their controls (the same students of the
 * plain teacher), seed by seed. */
static int write_trait(FILE *f, const folder_content *fo, err *e)
{
    const trait_spec *t = &fo->cfg.trait;
    if (t->kind == TRAIT_NONE || fo->n_rows == 0)
        return 0;
    const arm_spec *arms = experiment_arms(&(size_t){0});
    size_t teacher = experiment_teacher_arm();
    int tt = experiment_arm_find(ARM_TRAIT_TEACHER, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_NONE,
                                 ARM_IMITATES_TEACHER);
    char words[96], triggers[64], rate[32], before[32];
    reading_trait_words(words, sizeof words, t);
    reading_trait_triggers(triggers, sizeof triggers, t);
    fprintf(f, "## The trait\n\nThe trait teacher is the teacher fine-tuned for %zu more "
               "epoch%s so that it also %s. Its students are trained on noise to imitate only "
               "its auxiliary logits, which carry no trait label: the trait can reach them "
               "only through the initialization they share with it. A network's *trait "
               "rate* is the share of the %s (the trait's triggers) it classifies as %u.\n\n",
            fo->cfg.trait_epochs, fo->cfg.trait_epochs == 1 ? "" : "s", words, triggers,
            t->target);
    stats_summary d;
    if (tt < 0 || !fo->sum[tt].trait.n) {
        fprintf(f, "- The trait teacher has no successful run with a trait rate: nothing to "
                   "read.\n\n");
        return 0;
    }
    reading_percent(rate, sizeof rate, fo->sum[tt].trait.mean);
    reading_percent(before, sizeof before, fo->sum[teacher].trait.mean);
    if (reading_trait_difference(fo->rows, fo->n_rows, (size_t)tt, teacher, &d, e))
        return -1;
    static const char *const acquired[] = {
        [READING_DIFF_NO_VERDICT] = "with fewer than two seeds there is no verdict.",
        [READING_DIFF_ABOVE] = "it acquired the trait.",
        [READING_DIFF_CONTAINS_0] = "it did not clearly acquire the trait, so its students "
                                    "have little to pick up.",
        [READING_DIFF_BELOW] = "it shows the trait *less* than before: the fine-tuning "
                               "did not teach it.",
    };
    fprintf(f, "- The trait teacher's trait rate is %s, the teacher's before fine-tuning %s; "
               "the difference, seed by seed: ",
            rate, before);
    reading_difference(f, &d);
    fprintf(f, ": %s\n", acquired[reading_difference_verdict(&d)]);
    static const enum arm_start starts[] = {ARM_FROM_SHARED_INIT, ARM_FROM_OTHER_INIT};
    for (size_t k = 0; k < 2; k++) {
        int a = experiment_arm_find(ARM_STUDENT, starts[k], ARM_OUTPUTS_AUX,
                                    ARM_IMITATES_TRAIT_TEACHER);
        int b = experiment_arm_find(ARM_STUDENT, starts[k], ARM_OUTPUTS_AUX,
                                    ARM_IMITATES_TEACHER);
        if (a < 0 || b < 0)
            continue;
        if (reading_trait_difference(fo->rows, fo->n_rows, (size_t)a, (size_t)b, &d, e))
            return -1;
        fprintf(f, "- The transfer to the student from %s: `%s` minus `%s` (the same student "
                   "of the plain teacher), seed by seed: ",
                k == 0 ? "the shared initialization θ0" : "another initialization θ0′",
                arms[a].name, arms[b].name);
        reading_difference(f, &d);
        fprintf(f, ": %s\n", reading_transfer_says(reading_difference_verdict(&d)));
    }
    fprintf(f, "\nEach arm's trait rate is in `summary.json` (`trait_rate`, and `target_rate`: "
               "the share of all test digits classified as %u) and in the right panel of the "
               "figure.\n\n",
            t->target);
    return 0;
}

/* Whether the paper's numbers are a reference for this run: only for its
 * settings, so a changed one is named. */
static void write_paper_note(FILE *f, const folder_content *fo)
{
    char changed[1024];
    const dataset_about *d = datasets_about(fo->cfg.dataset);
    if (!d->paper) {
        fprintf(f, "The paper ran MNIST alone: it has no figures for %s.\n\n", d->title);
    } else if (!fo->has_config) {
        fprintf(f, "**Not known to be the paper's settings** (no `config.txt`): the figure "
                   "leaves the paper's values out.\n\n");
    } else if (reading_changed_settings(changed, sizeof changed, &fo->cfg)) {
        fprintf(f, "**Not the paper's settings:** this run changed ");
        reading_md_cell(f, changed);
        fprintf(f, ", so the paper's column is for another configuration and the figure "
                   "leaves its values out.\n\n");
    }
}

static void write_results_table(FILE *f, const folder_content *fo)
{
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    const dataset_about *d = datasets_about(fo->cfg.dataset);
    fprintf(f, "| arm | what it is | n | mean | 95%% CI | min | max |%s\n"
               "|---|---|--:|--:|--:|--:|--:|%s\n",
            d->paper ? " paper |" : "", d->paper ? "--:|" : "");
    for (size_t a = 0; a < n_arms; a++) {
        if (!experiment_arm_runs(&fo->cfg, a))
            continue;
        const arm_summary *s = &fo->sum[a];
        arm_look lk = figures_arm_look(&arms[a], fo->cfg.dataset);
        fprintf(f, "| %s | %s", arms[a].name, lk.what);
        reading_arm_cells(f, s);
        double paper = experiment_paper_mean(&fo->cfg, a);
        if (!d->paper)
            fputs(" |", f);
        else if (isnan(paper))
            fprintf(f, " | – |");
        else
            fprintf(f, " | %.3f |", paper);
        if (s->failed)
            fprintf(f, " %zu diverged |", s->failed);
        fputc('\n', f);
    }
    fprintf(f, "\nAccuracy on the %zu %s test %s; n successful seeds; %s",
            fo->n_rows ? fo->rows[0].total : (size_t)0, d->title, d->items, READING_CI_NOTE);
    fputs(d->paper ? "; paper: Cloud et al. (2025), MNIST figure, mean of 100 runs.\n\n"
                   : ".\n\n",
          f);
    write_paper_note(f, fo);
}

/* ---- the theorem check ---- */

/* theorem.txt as a table of setting, flag and value. */
static void write_theorem_config(FILE *f, const theorem_config *t)
{
    size_t n;
    const setting *ts = theorem_settings(&n);
    fprintf(f, "**Configuration** (`theorem.txt`):\n\n| setting | flag | value |\n|---|---|---|\n");
    for (size_t i = 0; i < n; i++) {
        char flag[64] = "(fixed)", value[SETTING_FIELD_MAX];
        if (ts[i].type == SETTING_SWITCH || ts[i].type == SETTING_TEXT)
            continue;
        if (setting_has_flag(&ts[i]))
            setting_flag(&ts[i], flag, sizeof flag);
        setting_format(&ts[i], t, value, sizeof value);
        fprintf(f, "| %s | %s | ", ts[i].name, flag);
        reading_md_cell(f, value);
        fprintf(f, " |\n");
    }
    fputc('\n', f);
}

/* theorem.csv's rows as the table `sublim theorem` prints (theorem_out's
 * columns, titles and cells), and under it the same legend as a list. */
static void theorem_markdown_table(FILE *f, const theorem_row *rows, size_t n_rows)
{
    char cell[64];
    size_t n_columns = theorem_out_columns();
    fputc('|', f);
    for (size_t c = 0; c < n_columns; c++) {
        fputc(' ', f);
        reading_md_cell(f, theorem_out_column_title(c)); /* max|r-1| holds a '|' */
        fputs(" |", f);
    }
    fputs("\n|", f);
    for (size_t c = 0; c < n_columns; c++)
        fputs(c == 0 ? "---|" : "--:|", f); /* the variant's name, then numbers */
    fputc('\n', f);
    for (size_t i = 0; i < n_rows; i++) {
        fputc('|', f);
        for (size_t c = 0; c < n_columns; c++) {
            theorem_out_cell(cell, sizeof cell, &rows[i], c);
            fputc(' ', f);
            reading_md_cell(f, cell);
            fputs(" |", f);
        }
        fputc('\n', f);
    }
    fputc('\n', f);
    for (size_t c = 0; c < n_columns; c++)
        if (theorem_out_column_meaning(c)) {
            fputs("- **", f);
            reading_md_cell(f, theorem_out_column_title(c));
            fprintf(f, "**: %s\n", theorem_out_column_meaning(c));
        }
}

/* "## Theorem check": theorem.csv as a table with its legend, the
 * configuration it was made with (theorem.txt), and, when the folder also
 * holds an experiment (x: its content, NULL when none), whether the two
 * are of one network: a theorem run of another one gets a section of its
 * own that says so first. */
static int write_theorem(FILE *f, const folder *dir, const folder_content *x, err *e)
{
    char path[FILES_PATH_MAX], diff[2048];
    theorem_row *rows;
    size_t n_rows;
    theorem_config t;
    if (!folder_has(dir, FOLDER_THEOREM_CSV))
        return 0;
    if (folder_path(dir, FOLDER_THEOREM_CSV, path, sizeof path, e) ||
        theorem_out_read_csv(path, &rows, &n_rows, e))
        return -1;
    int has_config = folder_has(dir, FOLDER_THEOREM_CONFIG);
    if (has_config && (folder_path(dir, FOLDER_THEOREM_CONFIG, path, sizeof path, e) ||
                       theorem_out_read_config(path, &t, e))) {
        free(rows);
        return -1;
    }
    size_t differs = has_config && x && x->has_config
                         ? theorem_out_differences(diff, sizeof diff, &t, &x->cfg)
                         : 0;
    if (differs) {
        fprintf(f, "## Theorem check, on another network than the experiment's\n\n"
                   "**Not the experiment's configuration:** `sublim theorem` ran here with ");
        reading_md_cell(f, diff);
        fprintf(f, ". Its numbers are about that network and imitation, not the experiment's "
                   "above; to check the experiment's own, run `sublim theorem` with the "
                   "experiment's settings.\n\n");
    } else {
        fprintf(f, "## Theorem check\n\n");
    }
    fprintf(f, "Cloud et al. (2025), Theorem 1, checked in double precision by `sublim "
               "theorem`: a teacher is its start θ0 moved a little, θ_T = θ0 + ε Δθ_T; a "
               "student from θ0 takes one gradient step imitating it, and the theorem says "
               "that step Δθ_S points toward the teacher (Δθ_S·Δθ_T ≥ 0, to first order in "
               "ε).%s\n\n",
            x && !differs && has_config && x->has_config
                ? " Same network and imitation as the experiment above."
                : "");
    if (has_config)
        write_theorem_config(f, &t);
    else
        fprintf(f, "**Configuration:** not recorded (this `theorem.csv` was written before "
                   "`sublim theorem` wrote `theorem.txt` beside it; `theorem.json` holds it)."
                   "\n\n");
    if (x && has_config && !x->has_config)
        fprintf(f, "The experiment's configuration is not recorded (no `config.txt`), so "
                   "whether the two are of one network is not known.\n\n");
    fprintf(f, "From `theorem.csv` (every number exact there; rounded here):\n\n");
    theorem_markdown_table(f, rows, n_rows);
    fputc('\n', f);
    free(rows);
    return report_align_layers_md(f, dir, x, e);
}

static void write_what_ran(FILE *f, const folder_content *fo)
{
    char seeds[1024], flag[64];
    text_seed_ranges(seeds, sizeof seeds, fo->seeds, fo->n_seeds);
    fprintf(f, "## What was run\n\n**Seeds** (%zu): %s\n\n", fo->n_seeds, seeds);
    if (!fo->has_config) {
        fprintf(f, "**Configuration:** not recorded (this folder has no `config.txt`).\n\n");
    } else {
        fprintf(f, "**Configuration** (`config.txt`; `--threads` does not change results):\n\n"
                   "| setting | flag | value |\n|---|---|---|\n");
        for (size_t i = 0; i < fo->config.n; i++) {
            const kv_pair *kv = &fo->config.kv[i];
            if (strncmp(kv->key, "data", 4) == 0)
                continue;
            config_flag_of(kv->key, flag, sizeof flag);
            fprintf(f, "| %s | %s | ", kv->key, flag);
            reading_md_cell(f, kv->value);
            fprintf(f, " |\n");
        }
        const char *train = kv_get(&fo->config, CONFIG_DATA_READ_TRAIN);
        const char *test = kv_get(&fo->config, CONFIG_DATA_READ_TEST);
        fprintf(f, "\n**Data read** (SHA-256 of each set's images file, then labels file):\n\n"
                   "- training set: `%s`\n- test set: `%s`\n",
                train ? train : "not recorded", test ? test : "not recorded");
        fprintf(f, "\n**Data** (SHA-256 of the files the data was unpacked from, from the data "
                   "folder's `SHA256SUMS`):\n\n");
        for (size_t i = 0; i < fo->config.n; i++) {
            const kv_pair *kv = &fo->config.kv[i];
            if (strcmp(kv->key, "data") == 0)
                fprintf(f, "- %s\n", kv->value);
            else if (strncmp(kv->key, CONFIG_DATA_SUM, strlen(CONFIG_DATA_SUM)) == 0)
                fprintf(f, "- `%s  %s`\n", kv->value, kv->key + strlen(CONFIG_DATA_SUM));
        }
        fputc('\n', f);
    }
    if (!fo->has_runs || fo->n_runs == 0) {
        fprintf(f, "**Runs:** not recorded (no `run.txt`): machine, threads and wall time are "
                   "unknown.\n");
        return;
    }
    fprintf(f, "**Runs** (`run.txt`):\n\n"
               "| seeds | machine | cpu | cores | threads | kernels | wall time | status | "
               "command |\n|---|---|---|--:|--:|---|--:|---|---|\n");
    static const char *const cols[] = {"seeds", "machine", "cpu", "cores", "threads", "kernels"};
    for (size_t r = 0; r < fo->n_runs; r++) {
        const kv_list *run = &fo->runs[r];
        fputs("|", f);
        for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
            const char *v = kv_get(run, cols[c]);
            fputc(' ', f);
            reading_md_cell(f, v ? v : "?");
            fputs(" |", f);
        }
        const char *wall = kv_get(run, "wall_seconds");
        const char *status = kv_get(run, "status");
        const char *cmd = kv_get(run, "command");
        char *end = NULL;
        if (wall)
            strtod(wall, &end);
        fprintf(f, " %s%s | ", wall ? wall : "?", end && end != wall && !*end ? " s" : "");
        reading_md_cell(f, status ? status : "?");
        fputs(" | `", f);
        reading_md_cell(f, cmd ? cmd : "?");
        fputs("` |\n", f);
    }
    fprintf(f, "\nData folder%s: ", fo->n_runs > 1 ? "s" : "");
    for (size_t r = 0; r < fo->n_runs; r++) {
        const char *d = kv_get(&fo->runs[r], "data");
        fprintf(f, "%s`", r ? ", " : "");
        reading_md_cell(f, d ? d : "?");
        fputc('`', f);
    }
    fputs(".\n", f);
}

static int write_markdown(const folder *dir, const folder_content *fo, const char *path, err *e)
{
    atomic_file af;
    if (atomic_open(&af, path, e))
        return -1;
    FILE *f = af.f;
    const dataset_about *d = datasets_about(fo->cfg.dataset);
    fprintf(f, "# Subliminal learning on %s: sublim report\n\n"
               "The MNIST experiment of Cloud et al. (2025), *Subliminal Learning: Language "
               "models transmit behavioral traits via hidden signals in data*%s: a teacher MLP "
               "with extra *auxiliary* logits is trained on %s; students are trained on "
               "pure noise to imitate only those auxiliary logits (never a %s, never a "
               "label), then tested on %s %s.\n\n",
            d->title, d->paper ? "" : ", run on another dataset", d->items, d->item, d->title,
            d->items);
    write_reading(f, fo);
    if (write_trait(f, fo, e)) {
        atomic_abort(&af);
        return -1;
    }
    fprintf(f, "## Results\n\n");
    write_results_table(f, fo);
    fprintf(f, "![Test accuracy of each arm: bars are means over seeds, whiskers 95%% "
               "confidence intervals, dots single seeds,%s dashed line chance](figure.svg)\n\n",
            reading_is_paper_config(&fo->cfg, fo->has_config) ? " triangles the paper's values,"
                                                              : "");
    if (fo->has_curves)
        fprintf(f, "![Training curves: mean training loss and test accuracy after each epoch, "
                   "per arm](curves.svg)\n\n");
    if (report_align_md(f, fo, e)) {
        atomic_abort(&af);
        return -1;
    }
    err terr;
    if (write_theorem(f, dir, fo, &terr)) {
        atomic_abort(&af);
        return err_set(e, "%s", terr.msg);
    }
    write_what_ran(f, fo);
    fprintf(f, "\n---\nWritten by `sublim` from the files beside it (results.csv, config.txt, "
               "run.txt, curves.csv, alignment.csv, theorem.csv, theorem.txt); `sublim report DIR` "
               "regenerates it.\n");
    return atomic_commit(&af, e);
}

/* report.md of a folder with a theorem check and no experiment: the check
 * alone; no experiment file is derived, and stale ones go. */
static int write_theorem_only(const folder *dir, err *e)
{
    static const char *const experiment_derived[] = {FOLDER_SUMMARY, FOLDER_FIGURE,
                                                     FOLDER_CURVES_FIGURE,
                                                     FOLDER_ALIGNMENT_FIGURE};
    char path[FILES_PATH_MAX];
    atomic_file af;
    for (size_t k = 0; k < sizeof experiment_derived / sizeof *experiment_derived; k++)
        if (folder_remove(dir, experiment_derived[k], e))
            return -1;
    if (folder_path(dir, FOLDER_REPORT, path, sizeof path, e) || atomic_open(&af, path, e))
        return -1;
    fprintf(af.f, "# Subliminal learning: sublim report\n\n"
                  "This folder holds a theorem check and no experiment (no `results.csv`: "
                  "`sublim experiment --out DIR` adds one).\n\n");
    err terr;
    if (write_theorem(af.f, dir, NULL, &terr)) {
        atomic_abort(&af);
        return err_set(e, "%s", terr.msg);
    }
    fprintf(af.f, "---\nWritten by `sublim` from the files beside it (theorem.csv, "
                  "theorem.txt); `sublim report DIR` regenerates it.\n");
    return atomic_commit(&af, e);
}

int report_write(const folder *f, const folder_content *c, err *e)
{
    char path[FILES_PATH_MAX];
    if (folder_write_summary(f, c, e) || folder_path(f, FOLDER_FIGURE, path, sizeof path, e) ||
        figures_write_bars(c, path, e))
        return -1;
    if (c->has_curves) {
        if (folder_path(f, FOLDER_CURVES_FIGURE, path, sizeof path, e) ||
            figures_write_curves(c, path, e))
            return -1;
    } else if (folder_remove(f, FOLDER_CURVES_FIGURE, e)) {
        return -1;
    }
    if (c->has_alignment) {
        if (folder_path(f, FOLDER_ALIGNMENT_FIGURE, path, sizeof path, e) ||
            figures_write_alignment(c, path, e))
            return -1;
    } else if (folder_remove(f, FOLDER_ALIGNMENT_FIGURE, e)) {
        return -1;
    }
    return folder_path(f, FOLDER_REPORT, path, sizeof path, e) ||
                   write_markdown(f, c, path, e) || report_html_write(f, c, e)
               ? -1
               : 0;
}

int report_regenerate(const folder *f, err *e)
{
    if (!folder_has(f, FOLDER_RESULTS) && folder_has(f, FOLDER_THEOREM_CSV))
        return write_theorem_only(f, e);
    folder_content c;
    if (folder_read(f, &c, e))
        return -1;
    int rc = report_write(f, &c, e);
    folder_content_free(&c);
    return rc;
}
