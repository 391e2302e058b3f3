#include "out/merge.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/atomic.h"
#include "base/files.h"
#include "out/classes.h"
#include "out/config.h"
#include "out/folder.h"
#include "out/report.h"
#include "out/runlog.h"

/* The inputs, read and checked: every one has config.txt, and they agree. */
typedef struct {
    folder_content *in; /* [n] */
    size_t n, n_read;
} inputs;

static void inputs_free(inputs *x)
{
    for (size_t i = 0; i < x->n_read; i++)
        folder_content_free(&x->in[i]);
    free(x->in);
}

/* Each folder under a read lock while it is read, so a run writing it is
 * refused rather than half read. */
static int read_input(const char *dir, folder_content *c, err *e)
{
    folder f;
    if (folder_open_read(&f, dir, e))
        return -1;
    int rc = folder_read(&f, c, e);
    folder_close(&f);
    return rc;
}

static int read_inputs(inputs *x, const char *const *dirs, size_t n, err *e)
{
    char path[FILES_PATH_MAX], first[FILES_PATH_MAX];
    x->n = n;
    x->n_read = 0;
    x->in = calloc(n, sizeof *x->in);
    if (!x->in)
        return err_set(e, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (read_input(dirs[i], &x->in[i], e))
            return -1;
        x->n_read++;
        if (files_join(path, sizeof path, dirs[i], FOLDER_CONFIG, e) ||
            files_join(first, sizeof first, dirs[0], FOLDER_CONFIG, e))
            return -1;
        if (!x->in[i].has_config)
            return err_set(e, "%s: missing, so its configuration cannot be compared", path);
        if (i > 0 && kv_compare(&x->in[0].config, first, &x->in[i].config, path, e))
            return -1;
    }
    return 0;
}

/* ---- the union ---- */

typedef struct {
    arm_result r;
    size_t src;
} sourced_row;

static int cmp_sourced(const void *pa, const void *pb)
{
    const sourced_row *a = pa, *b = pb;
    if (a->r.seed != b->r.seed)
        return a->r.seed < b->r.seed ? -1 : 1;
    if (a->r.arm != b->r.arm)
        return a->r.arm < b->r.arm ? -1 : 1;
    return a->src < b->src ? -1 : a->src > b->src;
}

/* Every input's rows, curves and runs, joined (rows sorted, a seed × arm
 * twice refused). */
typedef struct {
    arm_result *rows;
    size_t n_rows;
    curve_point *curves;
    size_t n_curves;
    int all_curves; /* every input has curves.csv */
    align_rows align;
    int all_alignment; /* every input has alignment.csv */
    kv_list *runs;
    size_t n_runs;
} merged;

static void merged_free(merged *m)
{
    free(m->rows);
    free(m->curves);
    align_rows_free(&m->align);
    free(m->runs);
}

static int join_rows(merged *m, const inputs *x, const char *const *dirs, err *e)
{
    const arm_spec *arms = experiment_arms(&(size_t){0});
    size_t n = 0;
    for (size_t i = 0; i < x->n; i++)
        n += x->in[i].n_rows;
    sourced_row *all = malloc((n ? n : 1) * sizeof *all);
    m->rows = malloc((n ? n : 1) * sizeof *m->rows);
    if (!all || !m->rows) {
        free(all);
        return err_set(e, "out of memory");
    }
    size_t k = 0;
    for (size_t i = 0; i < x->n; i++)
        for (size_t j = 0; j < x->in[i].n_rows; j++)
            all[k++] = (sourced_row){x->in[i].rows[j], i};
    qsort(all, n, sizeof *all, cmp_sourced);
    int rc = 0;
    for (size_t j = 0; j < n && rc == 0; j++) {
        if (j > 0 && all[j].r.seed == all[j - 1].r.seed && all[j].r.arm == all[j - 1].r.arm)
            rc = err_set(e,
                         "seed %" PRIu64 " (arm %s) is in both %s and %s: refusing to merge "
                         "overlapping runs",
                         all[j].r.seed, arms[all[j].r.arm].name, dirs[all[j - 1].src],
                         dirs[all[j].src]);
        m->rows[j] = all[j].r;
    }
    m->n_rows = n;
    free(all);
    return rc;
}

static int join_curves_and_runs(merged *m, const inputs *x, err *e)
{
    size_t n_curves = 0, n_runs = 0;
    m->all_curves = 1;
    for (size_t i = 0; i < x->n; i++) {
        n_curves += x->in[i].n_curves;
        n_runs += x->in[i].n_runs;
        m->all_curves &= x->in[i].has_curves;
    }
    m->curves = malloc((n_curves ? n_curves : 1) * sizeof *m->curves);
    m->runs = malloc((n_runs ? n_runs : 1) * sizeof *m->runs);
    if (!m->curves || !m->runs)
        return err_set(e, "out of memory");
    for (size_t i = 0; i < x->n; i++) {
        /* A folder without curves.csv or run.txt has NULL for them. */
        if (x->in[i].n_curves)
            memcpy(m->curves + m->n_curves, x->in[i].curves,
                   x->in[i].n_curves * sizeof *m->curves);
        m->n_curves += x->in[i].n_curves;
        if (x->in[i].n_runs)
            memcpy(m->runs + m->n_runs, x->in[i].runs, x->in[i].n_runs * sizeof *m->runs);
        m->n_runs += x->in[i].n_runs;
    }
    curves_sort(m->curves, m->n_curves);
    return 0;
}

static int join_alignment(merged *m, const inputs *x, err *e)
{
    m->all_alignment = 1;
    for (size_t i = 0; i < x->n; i++) {
        m->all_alignment &= x->in[i].has_alignment;
        for (size_t j = 0; j < x->in[i].align.n; j++)
            if (align_rows_add(&m->align, &x->in[i].align.rows[j], e))
                return -1;
    }
    align_rows_sort(m->align.rows, m->align.n);
    return 0;
}

static void add_note(char *notes, size_t size, const char *s)
{
    size_t used = strlen(notes);
    snprintf(notes + used, size - used, "%s%s", used ? "\n" : "", s);
}

/* theorem.csv when every input that has one has the same one: *text
 * (malloc'ed) or NULL, with a note when they differ; *from is the first
 * input that has it. */
static int common_theorem(const char *const *dirs, size_t n, const char *out, char **text,
                          size_t *len, size_t *from, char *notes, size_t notes_size, err *e)
{
    char path[FILES_PATH_MAX], note[3 * FILES_PATH_MAX];
    *text = NULL;
    *from = 0;
    for (size_t i = 0; i < n; i++) {
        char *t;
        size_t t_len;
        if (files_join(path, sizeof path, dirs[i], FOLDER_THEOREM_CSV, e))
            return -1;
        if (!files_exists(path))
            continue;
        if (files_read_all(path, &t, &t_len, e))
            return -1;
        if (!*text) {
            *text = t;
            *len = t_len;
            *from = i;
            continue;
        }
        int same = t_len == *len && memcmp(t, *text, t_len) == 0;
        free(t);
        if (!same) {
            snprintf(note, sizeof note,
                     "theorem.csv left out: %s and %s hold different ones (run 'sublim "
                     "theorem --out %s')",
                     dirs[*from], dirs[i], out);
            add_note(notes, notes_size, note);
            free(*text);
            *text = NULL;
            return 0;
        }
    }
    return 0;
}

/* ---- the merged folder ---- */

/* Writes name's bytes into f. */
static int write_text(const folder *f, const char *name, const char *text, size_t len, err *e)
{
    char path[FILES_PATH_MAX];
    atomic_file af;
    if (folder_path(f, name, path, sizeof path, e) || atomic_open(&af, path, e))
        return -1;
    fwrite(text, 1, len, af.f);
    return atomic_commit(&af, e);
}

/* name as the input folder from has it, when it has it. */
static int copy_from(const folder *f, const char *from, const char *name, err *e)
{
    char path[FILES_PATH_MAX], *text;
    size_t len;
    if (files_join(path, sizeof path, from, name, e))
        return -1;
    if (!files_exists(path))
        return 0;
    if (files_read_all(path, &text, &len, e))
        return -1;
    int rc = write_text(f, name, text, len, e);
    free(text);
    return rc;
}

/* theorem.csv, theorem.json, theorem.txt and theorem_layers.csv as the
 * input `from` has them,
 * or none (what is not written is removed at the switch, so a replaced
 * folder keeps no theorem of other rows). */
static int write_theorem(const folder *f, const char *from, const char *csv, size_t csv_len,
                         err *e)
{
    if (!csv)
        return 0;
    return write_text(f, FOLDER_THEOREM_CSV, csv, csv_len, e) ||
                   copy_from(f, from, FOLDER_THEOREM_JSON, e) ||
                   copy_from(f, from, FOLDER_THEOREM_CONFIG, e) ||
                   copy_from(f, from, FOLDER_THEOREM_LAYERS, e)
               ? -1
               : 0;
}

/* samples.pgm of the input whose rows hold the merged rows' first seed
 * (its samples are of that seed), when it has one. */
static int write_samples(const folder *f, const merged *m, const char *from, err *e)
{
    return m->n_rows ? copy_from(f, from, FOLDER_SAMPLES, e) : 0;
}

/* The input holding the seed of the merged rows' first row (0 without rows). */
static size_t first_seed_input(const inputs *x, const merged *m)
{
    for (size_t i = 0; m->n_rows && i < x->n; i++)
        for (size_t j = 0; j < x->in[i].n_rows; j++)
            if (x->in[i].rows[j].seed == m->rows[0].seed)
                return i;
    return 0;
}

/* Writes the merged folder's files into f, the staging folder of the
 * output: every file of it, derived ones included. */
static int write_merged(const folder *f, const merged *m, const kv_list *config,
                        const char *theorem_from, const char *theorem, size_t theorem_len,
                        const char *samples_from, char *notes, size_t notes_size, err *e)
{
    char path[FILES_PATH_MAX];
    if (folder_path(f, FOLDER_RESULTS, path, sizeof path, e) ||
        results_write_csv(path, m->rows, m->n_rows, e) ||
        folder_path(f, FOLDER_CONFIG, path, sizeof path, e) || config_write(path, config, e) ||
        folder_path(f, FOLDER_RUNS, path, sizeof path, e) ||
        runlog_write(path, m->runs, m->n_runs, e))
        return -1;
    if (m->all_curves) {
        if (folder_path(f, FOLDER_CURVES, path, sizeof path, e) ||
            curves_write(path, m->curves, m->n_curves, e))
            return -1;
    } else {
        add_note(notes, notes_size,
                 "curves.csv left out: not every folder has one (a --no-curves run)");
    }
    if (m->all_alignment) {
        if (folder_path(f, FOLDER_ALIGNMENT, path, sizeof path, e) ||
            align_csv_write(path, m->align.rows, m->align.n, e))
            return -1;
    } else {
        add_note(notes, notes_size,
                 "alignment.csv left out: not every folder has one (a --no-curves run, or "
                 "made before it existed)");
    }
    if (folder_write_classes(f, m->rows, m->n_rows, e))
        return -1;
    if (!classes_complete(m->rows, m->n_rows))
        add_note(notes, notes_size,
                 "classes.csv left out: not every folder has one (made before it existed)");
    if (write_theorem(f, theorem_from, theorem, theorem_len, e) ||
        write_samples(f, m, samples_from, e))
        return -1;
    return report_regenerate(f, e);
}

int merge_folders(const char *const *in, size_t n_in, const char *out, int force, char *notes,
                  size_t notes_size, err *e)
{
    notes[0] = '\0';
    if (n_in == 0)
        return err_set(e, "nothing to merge");
    for (size_t i = 0; i < n_in; i++)
        if (files_same(in[i], out))
            return err_set(e, "%s is one of the folders being merged: merge into a new folder "
                              "(the inputs are never changed)",
                           out);
    inputs x;
    merged m;
    char *theorem = NULL;
    size_t theorem_len = 0, theorem_from = 0;
    memset(&m, 0, sizeof m);
    int rc = read_inputs(&x, in, n_in, e) || join_rows(&m, &x, in, e) ||
                     join_curves_and_runs(&m, &x, e) || join_alignment(&m, &x, e) ||
                     common_theorem(in, n_in, out, &theorem, &theorem_len, &theorem_from, notes,
                                    notes_size, e)
                 ? -1
                 : 0;
    /* Written aside, then put in the place of what the folder held in one
     * step: a kill leaves the old files or the merged ones, never a mix. */
    static const char *const merged_files[] = {FOLDER_RUN_FILES, FOLDER_THEOREM_FILES};
    folder f, staged;
    if (rc == 0 && folder_open(&f, out, 1, e) == 0) {
        if (folder_has(&f, FOLDER_RESULTS) && !force)
            rc = err_set(e, "%s already holds results; merge into a new or empty folder (or "
                            "--force to replace them)",
                         out);
        else if (folder_stage(&f, &staged, e))
            rc = -1;
        else if (write_merged(&staged, &m, &x.in[0].config, in[theorem_from], theorem,
                              theorem_len, in[first_seed_input(&x, &m)], notes, notes_size,
                              e)) {
            folder_unstage(&f);
            rc = -1;
        } else {
            rc = folder_switch(&f, merged_files, sizeof merged_files / sizeof merged_files[0],
                               e);
        }
        folder_close(&f);
    } else if (rc == 0) {
        rc = -1;
    }
    free(theorem);
    merged_free(&m);
    inputs_free(&x);
    return rc;
}
