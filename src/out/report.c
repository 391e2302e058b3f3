#include "out/report.h"
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "base/atomic.h"
#include "base/pool.h"
#include "out/results.h"
#include "out/svg.h"

#define MAX_ARMS 16
#define PATH_SIZE 4200

static void join(char *buf, const char *dir, const char *name)
{
    snprintf(buf, PATH_SIZE, "%s/%s", dir, name);
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* ---- key=value lists ---- */

int report_kvs_set(report_kvs *k, const char *key, const char *value)
{
    size_t i = 0;
    while (i < k->n && strcmp(k->kv[i].key, key) != 0)
        i++;
    if (strlen(key) >= sizeof k->kv[0].key || strlen(value) >= sizeof k->kv[0].value ||
        (i == k->n && k->n == REPORT_MAX_KEYS))
        return -1;
    if (i == k->n)
        k->n++;
    strcpy(k->kv[i].key, key);
    /* One line per entry: a value never holds a line break. */
    char *v = k->kv[i].value;
    for (; *value; value++)
        *v++ = *value == '\n' || *value == '\r' ? ' ' : *value;
    *v = '\0';
    return 0;
}

const char *report_kvs_get(const report_kvs *k, const char *key)
{
    for (size_t i = 0; i < k->n; i++)
        if (strcmp(k->kv[i].key, key) == 0)
            return k->kv[i].value;
    return NULL;
}

/* fgets for text files from outside: reads one line (with its '\n', if
 * any) into line and its length into *len.  Returns 1 on a line, 0 at the
 * end of the file, READ_NUL on a NUL byte (fgets would hide the rest of
 * the line) and READ_LONG on a line longer than size - 1 bytes. */
#define READ_NUL (-1)
#define READ_LONG (-2)
static int read_line(FILE *f, char *line, size_t size, size_t *len)
{
    size_t n = 0;
    int c;
    while ((c = getc(f)) != EOF) {
        if (c == '\0' || n + 1 >= size) {
            *len = n;
            return c == '\0' ? READ_NUL : READ_LONG;
        }
        line[n++] = (char)c;
        if (c == '\n')
            break;
    }
    line[n] = '\0';
    *len = n;
    return n > 0;
}

static const char *read_problem(int got)
{
    return got == READ_NUL ? "a NUL byte (not a text file)" : "line too long";
}

/* Reads "key=value" lines ('#' comments and blank lines skipped).  With
 * blocks, "[run]" starts a new list and entries before the first are an
 * error; without, there is one list.  *out (n_out lists) is malloc'ed. */
static int read_kv_file(const char *path, int blocks, report_kvs **out, size_t *n_out, err *e)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return err_set(e, "%s: cannot open: %s", path, strerror(errno));
    char line[1024];
    size_t lineno = 0, n = blocks ? 0 : 1, cap = 1;
    report_kvs *lists = calloc(1, sizeof *lists);
    int rc = lists ? 0 : err_set(e, "out of memory reading %s", path);
    size_t len;
    int got;
    while (rc == 0 && (got = read_line(f, line, sizeof line, &len)) != 0) {
        lineno++;
        if (got < 0) {
            rc = err_set(e, "%s:%zu: %s", path, lineno, read_problem(got));
            break;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        if (line[0] == '[') {
            if (!blocks || strcmp(line, "[run]") != 0) {
                rc = err_set(e, "%s:%zu: unexpected section '%s'", path, lineno, line);
                break;
            }
            if (n == cap) {
                report_kvs *grown = realloc(lists, 2 * cap * sizeof *lists);
                if (!grown) {
                    rc = err_set(e, "out of memory reading %s", path);
                    break;
                }
                lists = grown;
                cap *= 2;
            }
            lists[n++].n = 0;
            continue;
        }
        char *eq = strchr(line, '=');
        if (!eq || eq == line) {
            rc = err_set(e, "%s:%zu: expected key=value, got '%.60s'", path, lineno, line);
            break;
        }
        if (n == 0) {
            rc = err_set(e, "%s:%zu: an entry before the first [run]", path, lineno);
            break;
        }
        *eq = '\0';
        if (report_kvs_get(&lists[n - 1], line)) {
            rc = err_set(e, "%s:%zu: '%s' given twice", path, lineno, line);
            break;
        }
        if (report_kvs_set(&lists[n - 1], line, eq + 1)) {
            rc = err_set(e, "%s:%zu: key or value too long, or too many keys", path, lineno);
            break;
        }
    }
    if (rc == 0 && ferror(f))
        rc = err_set(e, "%s: read error", path);
    fclose(f);
    if (rc) {
        free(lists);
        return rc;
    }
    *out = lists;
    *n_out = n;
    return 0;
}

static void write_kvs(FILE *f, const report_kvs *k)
{
    for (size_t i = 0; i < k->n; i++)
        fprintf(f, "%s=%s\n", k->kv[i].key, k->kv[i].value);
}

/* ---- config.txt ---- */

/* The shortest %g that reads back as the same double. */
static void format_double(char *buf, size_t size, double v)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

int report_config_make(report_kvs *out, const experiment_config *c, const char *data_dir,
                       err *e)
{
    char v[64];
    memset(out, 0, sizeof *out);
#define SET_SIZE(key, x) (snprintf(v, sizeof v, "%zu", (size_t)(x)), report_kvs_set(out, key, v))
    SET_SIZE("epochs", c->teacher_epochs);
    SET_SIZE("student_epochs", c->student_epochs);
    SET_SIZE("m", c->m);
    SET_SIZE("width", c->width);
    SET_SIZE("hidden_layers", c->hidden_layers);
    SET_SIZE("batch", c->batch);
#undef SET_SIZE
    format_double(v, sizeof v, c->lr);
    report_kvs_set(out, "lr", v);
    report_kvs_set(out, "init", c->init == MLP_INIT_NORMAL ? "normal" : "uniform");
    report_kvs_set(out, "noise", c->noise == NOISE_UNIFORM ? "uniform" : "normal");
    snprintf(v, sizeof v, "%zu", c->n_noise);
    report_kvs_set(out, "noise_images", v);
    report_kvs_set(out, "optimizer", "adam(beta1=0.9, beta2=0.999, eps=1e-8)");

    /* The data: the published SHA-256 of each file the data folder was
     * unpacked from (scripts/fetch-mnist.sh verifies them). */
    char path[PATH_SIZE], line[512];
    join(path, data_dir, "SHA256SUMS");
    FILE *f = fopen(path, "r");
    /* Absent: the data is unverified.  Present but unreadable (out of
     * memory, a read error): an error, not a configuration that silently
     * lacks the data's checksums. */
    if (!f && errno != ENOENT)
        return err_set(e, "%s: cannot open: %s", path, strerror(errno));
    size_t found = 0;
    while (f && fgets(line, sizeof line, f)) {
        char hash[65], name[256];
        if (sscanf(line, "%64[0-9a-fA-F] %255s", hash, name) != 2 || strlen(hash) != 64)
            continue;
        char key[64];
        snprintf(key, sizeof key, "data.%.58s", name[0] == '*' ? name + 1 : name);
        if (report_kvs_set(out, key, hash) == 0)
            found++;
    }
    int failed = f && ferror(f);
    if (f)
        fclose(f);
    if (failed)
        return err_set(e, "%s: read error", path);
    if (!found)
        report_kvs_set(out, "data", "unverified (no SHA256SUMS in the data folder)");
    return 0;
}

int report_config_write(const char *path, const report_kvs *config, err *e)
{
    atomic_file af;
    if (atomic_open(&af, path, e))
        return -1;
    fprintf(af.f, "# sublim: the settings results.csv depends on (all flags but --seeds,\n"
                  "# --seed-start, --threads, --data, --out) and the data's SHA-256.\n"
                  "# 'sublim merge' joins only folders whose config.txt agree.\n");
    write_kvs(af.f, config);
    return atomic_commit(&af, e);
}

int report_config_read(const char *path, report_kvs *config, err *e)
{
    report_kvs *lists;
    size_t n;
    if (read_kv_file(path, 0, &lists, &n, e))
        return -1;
    *config = lists[0];
    free(lists);
    return 0;
}

static int get_size(const report_kvs *k, const char *path, const char *key, size_t *out,
                    err *e)
{
    const char *v = report_kvs_get(k, key);
    if (!v)
        return err_set(e, "%s: '%s' is missing", path, key);
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (*v < '0' || *v > '9' || *end || errno)
        return err_set(e, "%s: %s=%s is not a non-negative integer", path, key, v);
    *out = (size_t)x;
    return 0;
}

static int get_choice(const report_kvs *k, const char *path, const char *key, const char *a,
                      const char *b, int *out, err *e)
{
    const char *v = report_kvs_get(k, key);
    if (!v)
        return err_set(e, "%s: '%s' is missing", path, key);
    if (strcmp(v, a) != 0 && strcmp(v, b) != 0)
        return err_set(e, "%s: %s=%s is neither %s nor %s", path, key, v, a, b);
    *out = strcmp(v, b) == 0;
    return 0;
}

int report_config_apply(const report_kvs *k, const char *path, experiment_config *c, err *e)
{
    int init, noise;
    if (get_size(k, path, "epochs", &c->teacher_epochs, e) ||
        get_size(k, path, "student_epochs", &c->student_epochs, e) ||
        get_size(k, path, "m", &c->m, e) || get_size(k, path, "width", &c->width, e) ||
        get_size(k, path, "hidden_layers", &c->hidden_layers, e) ||
        get_size(k, path, "batch", &c->batch, e) ||
        get_size(k, path, "noise_images", &c->n_noise, e) ||
        get_choice(k, path, "init", "normal", "uniform", &init, e) ||
        get_choice(k, path, "noise", "uniform", "normal", &noise, e))
        return -1;
    const char *lr = report_kvs_get(k, "lr");
    char *end;
    if (!lr)
        return err_set(e, "%s: 'lr' is missing", path);
    c->lr = strtod(lr, &end);
    if (end == lr || *end || !isfinite(c->lr) || c->lr <= 0)
        return err_set(e, "%s: lr=%s is not a positive number", path, lr);
    c->init = init ? MLP_INIT_UNIFORM : MLP_INIT_NORMAL;
    c->noise = noise ? NOISE_NORMAL : NOISE_UNIFORM;
    return 0;
}

int report_config_compare(const report_kvs *a, const char *a_path, const report_kvs *b,
                          const char *b_path, err *e)
{
    for (size_t i = 0; i < a->n; i++) {
        const char *v = report_kvs_get(b, a->kv[i].key);
        if (!v)
            return err_set(e, "configurations differ: %s has %s=%s, %s has no '%s'", a_path,
                           a->kv[i].key, a->kv[i].value, b_path, a->kv[i].key);
        if (strcmp(v, a->kv[i].value) != 0)
            return err_set(e, "configurations differ: %s has %s=%s, %s has %s=%s", a_path,
                           a->kv[i].key, a->kv[i].value, b_path, a->kv[i].key, v);
    }
    for (size_t i = 0; i < b->n; i++)
        if (!report_kvs_get(a, b->kv[i].key))
            return err_set(e, "configurations differ: %s has %s=%s, %s has no '%s'", b_path,
                           b->kv[i].key, b->kv[i].value, a_path, b->kv[i].key);
    return 0;
}

/* ---- run.txt ---- */

void report_run_make(report_kvs *run, int argc, char **argv, const experiment_config *cfg,
                     size_t threads, const char *kernels)
{
    char buf[448], v[256];
    size_t used = 0;
    memset(run, 0, sizeof *run);
    /* The command as typed, quoted where a shell would need it. */
    for (int i = 0; i < argc && used < sizeof buf; i++) {
        const char *a = argv[i];
        int plain = *a != '\0';
        for (const char *p = a; *p; p++)
            plain &= strchr("-_./=,:+@%0123456789abcdefghijklmnopqrstuvwxyz"
                            "ABCDEFGHIJKLMNOPQRSTUVWXYZ", *p) != NULL;
        used += (size_t)snprintf(buf + used, sizeof buf - used, plain ? "%s%s" : "%s'%s'",
                                 i ? " " : "", a);
    }
    report_kvs_set(run, "command", buf);
    report_kvs_set(run, "data", cfg->data_dir);
    if (cfg->seeds == 1)
        snprintf(v, sizeof v, "%" PRIu64, cfg->seed_start);
    else
        snprintf(v, sizeof v, "%" PRIu64 "-%" PRIu64, cfg->seed_start,
                 cfg->seed_start + cfg->seeds - 1);
    report_kvs_set(run, "seeds", v);
    snprintf(v, sizeof v, "%zu", threads);
    report_kvs_set(run, "threads", v);
    report_kvs_set(run, "kernels", kernels);
    struct utsname u;
    if (uname(&u) == 0) {
        snprintf(buf, sizeof buf, "%s %s %s", u.sysname, u.release, u.machine);
        report_kvs_set(run, "machine", buf);
    }
    snprintf(v, sizeof v, "%zu", pool_online_cores());
    report_kvs_set(run, "cores", v);
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) != 0 || !colon)
            continue;
        colon++;
        while (*colon == ' ' || *colon == '\t')
            colon++;
        colon[strcspn(colon, "\n")] = '\0';
        report_kvs_set(run, "cpu", colon);
        break;
    }
    if (f)
        fclose(f);
    report_kvs_set(run, "wall_seconds", "-");
    report_kvs_set(run, "status", "running");
}

void report_run_finish(report_kvs *run, double wall_seconds, const char *status)
{
    char v[64];
    snprintf(v, sizeof v, "%.1f", wall_seconds);
    report_kvs_set(run, "wall_seconds", v);
    report_kvs_set(run, "status", status);
}

int report_runs_write(const char *path, const report_kvs *runs, size_t n, err *e)
{
    atomic_file af;
    if (atomic_open(&af, path, e))
        return -1;
    fprintf(af.f, "# sublim: how each run that produced rows of results.csv went.\n"
                  "# Not derivable from results.csv; report.md quotes it.\n");
    for (size_t i = 0; i < n; i++) {
        fprintf(af.f, "[run]\n");
        write_kvs(af.f, &runs[i]);
    }
    return atomic_commit(&af, e);
}

int report_runs_read(const char *path, report_kvs **runs, size_t *n, err *e)
{
    return read_kv_file(path, 1, runs, n, e);
}

/* ---- curves.csv ---- */

static int cmp_curve(const void *pa, const void *pb)
{
    const curve_point *a = pa, *b = pb;
    if (a->seed != b->seed)
        return a->seed < b->seed ? -1 : 1;
    if (a->arm != b->arm)
        return a->arm < b->arm ? -1 : 1;
    return a->epoch < b->epoch ? -1 : a->epoch > b->epoch;
}

void report_curves_sort(curve_point *pts, size_t n)
{
    if (n > 1) /* qsort's pointer must not be NULL, even for no points */
        qsort(pts, n, sizeof *pts, cmp_curve);
}

int report_curves_write(const char *path, const curve_point *pts, size_t n, err *e)
{
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    atomic_file af;
    if (atomic_open(&af, path, e))
        return -1;
    fprintf(af.f, "%s\n", REPORT_CURVES_HEADER);
    for (size_t i = 0; i < n; i++) {
        fprintf(af.f, "%" PRIu64 ",%s,%zu,%.9g,", pts[i].seed, arms[pts[i].arm].name,
                pts[i].epoch, pts[i].loss);
        if (!isnan(pts[i].test_acc))
            fprintf(af.f, "%.6f", pts[i].test_acc);
        fputc('\n', af.f);
    }
    return atomic_commit(&af, e);
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s < '0' || *s > '9' || *end || errno)
        return -1;
    *out = v;
    return 0;
}

static int parse_real(const char *s, double *out)
{
    char *end;
    *out = strtod(s, &end);
    return end == s || *end ? -1 : 0;
}

int report_curves_read(const char *path, curve_point **out, size_t *n_out, err *e)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return err_set(e, "%s: cannot open: %s", path, strerror(errno));
    char line[512];
    curve_point *pts = NULL;
    size_t n = 0, cap = 0, lineno = 1;
    int rc = 0;
    size_t len;
    int got = read_line(f, line, sizeof line, &len);
    if (got != 1 || strcmp(line, REPORT_CURVES_HEADER "\n") != 0)
        rc = err_set(e, "%s: not a sublim curves.csv (bad header)", path);
    while (rc == 0 && (got = read_line(f, line, sizeof line, &len)) != 0) {
        lineno++;
        if (got < 0 || line[len - 1] != '\n') {
            rc = err_set(e, "%s:%zu: %s", path, lineno,
                         got < 0 ? read_problem(got) : "unterminated line");
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
        if (nf != 5 || arm < 0 || parse_u64(fld[0], &c.seed) || parse_u64(fld[2], &epoch) ||
            epoch == 0 || parse_real(fld[3], &c.loss) ||
            (*fld[4] ? parse_real(fld[4], &c.test_acc) : (c.test_acc = NAN, 0))) {
            rc = err_set(e, "%s:%zu: malformed row (want %s)", path, lineno,
                         REPORT_CURVES_HEADER);
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

/* ---- seeds ---- */

void report_seed_list(char *buf, size_t size, const uint64_t *s, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used + 1 < size;) {
        size_t j = i;
        while (j + 1 < n && s[j + 1] == s[j] + 1)
            j++;
        int w = j == i ? snprintf(buf + used, size - used, "%s%" PRIu64, i ? ", " : "", s[i])
                       : snprintf(buf + used, size - used, "%s%" PRIu64 "-%" PRIu64,
                                  i ? ", " : "", s[i], s[j]);
        used += (size_t)w;
        i = j + 1;
    }
    if (used >= size && size > 4)
        strcpy(buf + size - 4, "...");
}

static int cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return a < b ? -1 : a > b;
}

/* The sorted distinct seeds of rows; *seeds is malloc'ed. */
static int distinct_seeds(const arm_result *rows, size_t n, uint64_t **seeds, size_t *n_seeds)
{
    uint64_t *s = malloc((n ? n : 1) * sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < n; i++)
        s[i] = rows[i].seed;
    qsort(s, n, sizeof *s, cmp_u64);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || s[i] != s[k - 1])
            s[k++] = s[i];
    *seeds = s;
    *n_seeds = k;
    return 0;
}

/* ---- how arms look ---- */

typedef struct {
    const char *label, *note, *group, *color, *what;
} arm_look;

/* Derived from what the arm is, not its name, so a new row of the arm
 * table gets a sensible look. */
static arm_look look_of(const arm_spec *a)
{
    static const char students[] = "students: trained on noise to imitate the teacher";
    if (a->training == ARM_UNTRAINED)
        return (arm_look){"reference", "untrained θ0", NULL, "#a9a9a9",
                          "the shared initialization θ0, untrained"};
    if (a->training == ARM_TEACHER)
        return (arm_look){"teacher", "trained on digits", NULL, "#3b7d4f",
                          "θ0 trained on digits (cross-entropy on the 10 regular logits)"};
    int same = a->start == ARM_FROM_SHARED_INIT;
    if (a->outputs == ARM_OUTPUTS_AUX)
        return same ? (arm_look){"aux logits only", "same init θ0", students, "#e0662b",
                                 "student from θ0, imitates only the teacher's auxiliary "
                                 "logits on noise"}
                    : (arm_look){"aux logits only", "other init θ0′", students, "#f4b78f",
                                 "student from another init θ0′, imitates only the "
                                 "auxiliary logits on noise"};
    return same ? (arm_look){"all logits", "same init θ0", students, "#3a78b5",
                             "student from θ0, imitates all the teacher's logits on noise"}
                : (arm_look){"all logits", "other init θ0′", students, "#9cc3e4",
                             "student from another init θ0′, imitates all the teacher's "
                             "logits on noise"};
}

/* The configuration in one line, for the figures' subtitles. */
static void config_line(char *buf, size_t size, const experiment_config *c, int has_config,
                        size_t n_seeds)
{
    char lr[32];
    if (!has_config) {
        snprintf(buf, size, "configuration not recorded (no config.txt) · %zu seed%s", n_seeds,
                 n_seeds == 1 ? "" : "s");
        return;
    }
    format_double(lr, sizeof lr, c->lr);
    snprintf(buf, size,
             "MLP %zu×%zu, m = %zu aux logits · %zu teacher / %zu student epochs · %s noise · "
             "batch %zu · Adam lr %s · %zu seed%s",
             c->hidden_layers, c->width, c->m, c->teacher_epochs, c->student_epochs,
             c->noise == NOISE_UNIFORM ? "uniform" : "normal", c->batch, lr, n_seeds,
             n_seeds == 1 ? "" : "s");
}

/* Everything the outputs are made from. */
typedef struct {
    const char *dir;
    arm_result *rows;
    size_t n_rows;
    arm_summary sum[MAX_ARMS];
    uint64_t *seeds;
    size_t n_seeds;
    int has_config;
    report_kvs config;
    experiment_config cfg;
    report_kvs *runs;
    size_t n_runs;
    int has_runs;
    curve_point *curves;
    size_t n_curves;
    int has_curves;
} folder;

static void folder_free(folder *fo)
{
    free(fo->rows);
    free(fo->seeds);
    free(fo->runs);
    free(fo->curves);
}

static int folder_read(folder *fo, const char *dir, err *e)
{
    char path[PATH_SIZE];
    size_t n_arms;
    memset(fo, 0, sizeof *fo);
    fo->dir = dir;
    fo->cfg = experiment_defaults();
    experiment_arms(&n_arms);
    if (n_arms > MAX_ARMS)
        return err_set(e, "too many arms (%zu) for a report", n_arms);
    join(path, dir, "results.csv");
    if (results_read_csv(path, &fo->rows, &fo->n_rows, e))
        return -1;
    int rc = 0;
    if (distinct_seeds(fo->rows, fo->n_rows, &fo->seeds, &fo->n_seeds))
        rc = err_set(e, "out of memory");
    results_summarize(fo->rows, fo->n_rows, fo->sum);
    join(path, dir, "config.txt");
    if (rc == 0 && exists(path)) {
        fo->has_config = 1;
        if (report_config_read(path, &fo->config, e) ||
            report_config_apply(&fo->config, path, &fo->cfg, e))
            rc = -1;
    }
    join(path, dir, "run.txt");
    if (rc == 0 && exists(path)) {
        fo->has_runs = 1;
        rc = report_runs_read(path, &fo->runs, &fo->n_runs, e);
    }
    join(path, dir, "curves.csv");
    if (rc == 0 && exists(path)) {
        fo->has_curves = 1;
        rc = report_curves_read(path, &fo->curves, &fo->n_curves, e);
    }
    if (rc)
        folder_free(fo);
    return rc;
}

/* ---- figure.svg ---- */

static int write_figure(const folder *fo, const char *path, err *e)
{
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    double *values = malloc((fo->n_rows ? fo->n_rows : 1) * sizeof *values);
    uint64_t *keys = malloc((fo->n_rows ? fo->n_rows : 1) * sizeof *keys);
    if (!values || !keys) {
        free(values);
        free(keys);
        return err_set(e, "out of memory");
    }
    svg_bar bars[MAX_ARMS];
    size_t used = 0;
    for (size_t a = 0; a < n_arms; a++) {
        arm_look lk = look_of(&arms[a]);
        svg_bar *b = &bars[a];
        *b = (svg_bar){arms[a].name, lk.label, lk.note, lk.group, lk.color, 0, fo->sum[a].acc.mean,
                       fo->sum[a].acc.ci95, values + used, keys + used, arms[a].paper_mean,
                       fo->sum[a].failed};
        for (size_t i = 0; i < fo->n_rows; i++) {
            const arm_result *r = &fo->rows[i];
            if (r->arm != a || !r->ok)
                continue;
            values[used] = (double)r->correct / (double)r->total;
            keys[used++] = r->seed;
            b->n++;
        }
    }
    char subtitle[512], ylabel[128];
    config_line(subtitle, sizeof subtitle, &fo->cfg, fo->has_config, fo->n_seeds);
    size_t total = fo->n_rows ? fo->rows[0].total : 0;
    if (total >= 1000)
        snprintf(ylabel, sizeof ylabel, "test accuracy on %zu,%03zu MNIST test digits",
                 total / 1000, total % 1000);
    else if (total)
        snprintf(ylabel, sizeof ylabel, "test accuracy on %zu MNIST test digits", total);
    else
        snprintf(ylabel, sizeof ylabel, "test accuracy");
    svg_bar_chart chart = {"Subliminal learning on MNIST: test accuracy of each arm",
                           subtitle,
                           ylabel,
                           "paper (Cloud et al. 2025)",
                           0.1,
                           bars,
                           n_arms};
    atomic_file af;
    int rc = atomic_open(&af, path, e);
    if (rc == 0) {
        svg_write_bar_chart(af.f, &chart);
        rc = atomic_commit(&af, e);
    }
    free(values);
    free(keys);
    return rc;
}

/* ---- curves.svg ---- */

static int write_curves_figure(const folder *fo, const char *path, err *e)
{
    size_t n_arms, n_x = 0;
    const arm_spec *arms = experiment_arms(&n_arms);
    for (size_t i = 0; i < fo->n_curves; i++)
        n_x = fo->curves[i].epoch > n_x ? fo->curves[i].epoch : n_x;
    if (n_x == 0)
        n_x = 1;
    /* Means over seeds per arm and epoch: [2][n_arms][n_x], loss then accuracy. */
    double *mean = calloc(2 * n_arms * n_x, sizeof *mean);
    size_t *count = calloc(2 * n_arms * n_x, sizeof *count);
    if (!mean || !count) {
        free(mean);
        free(count);
        return err_set(e, "out of memory");
    }
    for (size_t i = 0; i < fo->n_curves; i++) {
        const curve_point *c = &fo->curves[i];
        size_t at = c->arm * n_x + (c->epoch - 1);
        if (isfinite(c->loss)) {
            mean[at] += c->loss;
            count[at]++;
        }
        if (isfinite(c->test_acc)) {
            mean[n_arms * n_x + at] += c->test_acc;
            count[n_arms * n_x + at]++;
        }
    }
    for (size_t k = 0; k < 2 * n_arms * n_x; k++)
        mean[k] = count[k] ? mean[k] / (double)count[k] : NAN;

    svg_series series[2][MAX_ARMS];
    char labels[MAX_ARMS][96];
    size_t n_series[2] = {0, 0};
    for (size_t a = 0; a < n_arms; a++) {
        arm_look lk = look_of(&arms[a]);
        int is_student = arms[a].training == ARM_STUDENT;
        snprintf(labels[a], sizeof labels[a], "%s%s%s%s", is_student ? "student, " : "", lk.label,
                 is_student ? ", " : "", is_student ? lk.note : "");
        for (int p = 0; p < 2; p++) {
            const double *y = mean + ((size_t)p * n_arms + a) * n_x;
            int any = 0;
            for (size_t i = 0; i < n_x; i++)
                any |= isfinite(y[i]);
            if (any)
                series[p][n_series[p]++] = (svg_series){labels[a], lk.color, y};
        }
    }
    size_t seeds_in_curves = 0;
    for (size_t i = 0; i < fo->n_curves; i++)
        seeds_in_curves += i == 0 || fo->curves[i].seed != fo->curves[i - 1].seed;
    char subtitle[512], title[128];
    config_line(subtitle, sizeof subtitle, &fo->cfg, fo->has_config, fo->n_seeds);
    snprintf(title, sizeof title, "Training curves, mean over %zu seed%s", seeds_in_curves,
             seeds_in_curves == 1 ? "" : "s");
    svg_panel panels[2] = {
        {"training loss (log scale)", "teacher: cross-entropy · students: KL", "epoch", 1, 0, 0,
         NAN, n_x, series[0], n_series[0]},
        {"test accuracy after each epoch", "test accuracy", "epoch", 0, 0, 1, 0.1, n_x,
         series[1], n_series[1]},
    };
    atomic_file af;
    int rc = atomic_open(&af, path, e);
    if (rc == 0) {
        svg_write_panels(af.f, title, subtitle, panels, 2);
        rc = atomic_commit(&af, e);
    }
    free(mean);
    free(count);
    return rc;
}

/* ---- report.md ---- */

/* Writes s with the characters that would break a markdown table escaped. */
static void md_cell(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|' || *s == '\\')
            fputc('\\', f);
        fputc(*s, f);
    }
}

/* A CSV cell; long numbers rounded to 6 significant digits to stay readable. */
static void md_number_cell(FILE *f, const char *s, int round)
{
    char *end;
    double v = strtod(s, &end);
    if (round && *s && !*end && strlen(s) > 8 && isfinite(v))
        fprintf(f, "%.6g", v);
    else
        md_cell(f, s);
}

static void pct(char *buf, size_t size, double v)
{
    snprintf(buf, size, "%.1f%%", 100 * v);
}

/* The interval of an arm's mean, or none when it has fewer than 2 runs. */
static int interval(const arm_summary *s, double *lo, double *hi)
{
    *lo = s->acc.mean - s->acc.ci95;
    *hi = s->acc.mean + s->acc.ci95;
    return s->acc.n >= 2;
}

/* Two arms in words: "same init 53.1% (95% CI 51.0% to 55.2%), other init
 * 10.4% (9.8% to 11.0%): the intervals do not overlap, ...". */
static void compare(FILE *f, const arm_summary *a, const arm_summary *b, const char *a_name,
                    const char *b_name)
{
    char am[32], bm[32], al[32], ah[32], bl[32], bh[32];
    double alo, ahi, blo, bhi;
    pct(am, sizeof am, a->acc.mean);
    pct(bm, sizeof bm, b->acc.mean);
    if (!interval(a, &alo, &ahi) || !interval(b, &blo, &bhi)) {
        fprintf(f, "%s %s, %s %s; with fewer than two seeds there is no confidence interval, "
                   "so no verdict (run with `--seeds 5` or more).",
                a_name, am, b_name, bm);
        return;
    }
    pct(al, sizeof al, alo);
    pct(ah, sizeof ah, ahi);
    pct(bl, sizeof bl, blo);
    pct(bh, sizeof bh, bhi);
    fprintf(f, "%s %s (95%% CI %s to %s), %s %s (%s to %s): ", a_name, am, al, ah, b_name, bm,
            bl, bh);
    if (alo > bhi)
        fprintf(f, "the intervals do not overlap, %s is clearly higher.", a_name);
    else if (ahi < blo)
        fprintf(f, "the intervals do not overlap, %s is clearly *lower*.", a_name);
    else
        fprintf(f, "the intervals overlap, so this run does not tell them apart.");
}

static void write_reading(FILE *f, const folder *fo)
{
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    int teacher = experiment_arm_index("teacher");
    int aux_same = experiment_arm_index("student_aux_same");
    int aux_cross = experiment_arm_index("student_aux_cross");
    int all_same = experiment_arm_index("student_all_same");
    int all_cross = experiment_arm_index("student_all_cross");
    const arm_summary *s = fo->sum;
    char buf[32], lo[32], paper[32];

    fprintf(f, "## What it shows\n\n");
    if (fo->n_rows == 0) {
        fprintf(f, "Nothing yet: results.csv has no rows.\n\n");
        return;
    }
    if (teacher >= 0 && s[teacher].acc.n) {
        pct(buf, sizeof buf, s[teacher].acc.mean);
        pct(paper, sizeof paper, arms[teacher].paper_mean);
        fprintf(f, "The teacher, trained on digits, reaches %s test accuracy (the paper: "
                   "%s).\n\n",
                buf, paper);
    }
    if (aux_same >= 0 && aux_cross >= 0 && s[aux_same].acc.n && s[aux_cross].acc.n) {
        const arm_summary *a = &s[aux_same], *b = &s[aux_cross];
        double alo, ahi, blo, bhi;
        fprintf(f, "The students never saw a digit or a label: they were trained on noise to "
                   "imitate only the teacher's auxiliary logits.\n\n- Student from the "
                   "teacher's own initialization against one from another: ");
        compare(f, a, b, "same init", "other init");
        fprintf(f, "\n- ");
        int has_ci = interval(a, &alo, &ahi) && interval(b, &blo, &bhi);
        pct(lo, sizeof lo, alo);
        if (!has_ci)
            fprintf(f, "One seed cannot give a verdict.");
        else if (alo > 0.1 && alo > bhi)
            fprintf(f, "**Subliminal learning shows:** the student sharing the teacher's "
                       "initialization learned digits it never saw (its whole interval, from "
                       "%s up, is above chance, 10%%), and the one from another "
                       "initialization learned less: what carried the digits is the shared "
                       "initialization, not the content of the noise.",
                    lo);
        else if (alo > 0.1)
            fprintf(f, "The student sharing the teacher's initialization is above chance (its "
                       "interval starts at %s) but not clearly above the other-init student: "
                       "this run does not isolate the effect of the shared initialization.",
                    lo);
        else
            fprintf(f, "The student sharing the teacher's initialization is not clearly above "
                       "chance (10%%): this run does not show subliminal learning (the paper "
                       "trains a 2×256 MLP for 5 epochs; smaller or shorter runs may not).");
        pct(buf, sizeof buf, arms[aux_same].paper_mean);
        pct(paper, sizeof paper, arms[aux_cross].paper_mean);
        fprintf(f, " The paper reports %s and %s.\n", buf, paper);
    }
    if (all_same >= 0 && all_cross >= 0 && s[all_same].acc.n && s[all_cross].acc.n) {
        fprintf(f, "- Control, students imitating all logits (the regular logits carry the "
                   "digits openly): ");
        compare(f, &s[all_same], &s[all_cross], "same init", "other init");
        fputc('\n', f);
    }
    size_t failed = 0;
    for (size_t a = 0; a < n_arms; a++)
        failed += s[a].failed;
    if (failed)
        fprintf(f, "\n%zu run%s diverged (loss not finite) and %s left out of the means.\n",
                failed, failed == 1 ? "" : "s", failed == 1 ? "is" : "are");
    fputc('\n', f);
}

static void write_results_table(FILE *f, const folder *fo)
{
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    fprintf(f, "| arm | what it is | n | mean | 95%% CI | min | max | paper |\n"
               "|---|---|--:|--:|--:|--:|--:|--:|\n");
    for (size_t a = 0; a < n_arms; a++) {
        const arm_summary *s = &fo->sum[a];
        arm_look lk = look_of(&arms[a]);
        fprintf(f, "| %s | %s | %zu", arms[a].name, lk.what, s->acc.n);
        if (s->acc.n)
            fprintf(f, " | %.4f | ±%.4f | %.4f | %.4f", s->acc.mean, s->acc.ci95, s->min,
                    s->max);
        else
            fprintf(f, " | – | – | – | –");
        fprintf(f, " | %.3f |", arms[a].paper_mean);
        if (s->failed)
            fprintf(f, " %zu diverged |", s->failed);
        fputc('\n', f);
    }
    fprintf(f, "\nAccuracy on the %zu MNIST test digits; n successful seeds; the 95%% CI is "
               "the half-width t(0.975, n−1)·sd/√n; paper: Cloud et al. (2025), MNIST figure, "
               "mean of 100 runs.\n\n",
            fo->n_rows ? fo->rows[0].total : (size_t)0);
}

/* theorem.csv, as a markdown table. */
static int write_theorem(FILE *f, const char *dir, err *e)
{
    char path[PATH_SIZE], line[2048];
    join(path, dir, "theorem.csv");
    if (!exists(path))
        return 0;
    FILE *in = fopen(path, "r");
    if (!in)
        return err_set(e, "%s: cannot open: %s", path, strerror(errno));
    fprintf(f, "## Theorem check\n\nFrom `theorem.csv` (written by `sublim theorem`; long "
               "numbers rounded here to 6 significant digits): one gradient step of a student "
               "on the teacher's outputs, from the same and from a different "
               "initialization.\n\n");
    size_t lineno = 0, n_fields = 0, shown = 0, rows = 0;
    int rc = 0;
    size_t len;
    int got;
    while ((got = read_line(in, line, sizeof line, &len)) != 0) {
        lineno++;
        if (got < 0) {
            rc = err_set(e, "%s:%zu: %s", path, lineno, read_problem(got));
            break;
        }
        line[strcspn(line, "\r\n")] = '\0';
        if (!*line)
            continue;
        size_t k = 1;
        for (const char *p = line; *p; p++)
            k += *p == ',';
        if (lineno == 1)
            n_fields = k;
        else if (k != n_fields) {
            rc = err_set(e, "%s:%zu: %zu fields, the header has %zu", path, lineno, k,
                         n_fields);
            break;
        }
        if (lineno > 1 && ++rows > 200)
            continue; /* a table past 200 rows is no longer read */
        fputs("|", f);
        for (char *p = line, *comma;; p = comma + 1) {
            comma = strchr(p, ',');
            if (comma)
                *comma = '\0';
            fputc(' ', f);
            md_number_cell(f, p, lineno > 1);
            fputs(" |", f);
            if (!comma)
                break;
        }
        fputc('\n', f);
        if (lineno == 1) {
            fputs("|", f);
            for (size_t i = 0; i < n_fields; i++)
                fputs("---|", f);
            fputc('\n', f);
        }
        shown++;
    }
    if (rc == 0 && ferror(in))
        rc = err_set(e, "%s: read error", path);
    fclose(in);
    if (rc == 0 && lineno == 0)
        rc = err_set(e, "%s: empty file", path);
    if (rc == 0 && rows > 200)
        fprintf(f, "\n(%zu more rows in theorem.csv)\n", rows - 200);
    fputc('\n', f);
    return rc;
}

/* What each config key is on the command line. */
static const char *flag_of(const char *key)
{
    static const char *const map[][2] = {
        {"epochs", "--epochs"},        {"student_epochs", "--student-epochs"},
        {"m", "--m"},                  {"width", "--width"},
        {"hidden_layers", "(fixed)"},  {"batch", "--batch"},
        {"lr", "--lr"},                {"init", "--init"},
        {"noise", "--noise"},          {"noise_images", "--noise-images"},
        {"optimizer", "(fixed)"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], key) == 0)
            return map[i][1];
    return "";
}

static void write_what_ran(FILE *f, const folder *fo)
{
    char seeds[1024];
    report_seed_list(seeds, sizeof seeds, fo->seeds, fo->n_seeds);
    fprintf(f, "## What was run\n\n**Seeds** (%zu): %s\n\n", fo->n_seeds, seeds);
    if (!fo->has_config) {
        fprintf(f, "**Configuration:** not recorded (this folder has no `config.txt`).\n\n");
    } else {
        fprintf(f, "**Configuration** (`config.txt`; `--threads` does not change results):\n\n"
                   "| setting | flag | value |\n|---|---|---|\n");
        for (size_t i = 0; i < fo->config.n; i++) {
            const report_kv *kv = &fo->config.kv[i];
            if (strncmp(kv->key, "data", 4) == 0)
                continue;
            fprintf(f, "| %s | %s | ", kv->key, flag_of(kv->key));
            md_cell(f, kv->value);
            fprintf(f, " |\n");
        }
        fprintf(f, "\n**Data** (SHA-256 of the files the data was unpacked from, from the data "
                   "folder's `SHA256SUMS`):\n\n");
        for (size_t i = 0; i < fo->config.n; i++) {
            const report_kv *kv = &fo->config.kv[i];
            if (strcmp(kv->key, "data") == 0)
                fprintf(f, "- %s\n", kv->value);
            else if (strncmp(kv->key, "data.", 5) == 0)
                fprintf(f, "- `%s  %s`\n", kv->value, kv->key + 5);
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
        const report_kvs *run = &fo->runs[r];
        fputs("|", f);
        for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
            const char *v = report_kvs_get(run, cols[c]);
            fputc(' ', f);
            md_cell(f, v ? v : "?");
            fputs(" |", f);
        }
        const char *wall = report_kvs_get(run, "wall_seconds");
        const char *status = report_kvs_get(run, "status");
        const char *cmd = report_kvs_get(run, "command");
        char *end = NULL;
        if (wall)
            strtod(wall, &end);
        fprintf(f, " %s%s | ", wall ? wall : "?", end && end != wall && !*end ? " s" : "");
        md_cell(f, status ? status : "?");
        fputs(" | `", f);
        md_cell(f, cmd ? cmd : "?");
        fputs("` |\n", f);
    }
    fprintf(f, "\nData folder%s: ", fo->n_runs > 1 ? "s" : "");
    for (size_t r = 0; r < fo->n_runs; r++) {
        const char *d = report_kvs_get(&fo->runs[r], "data");
        fprintf(f, "%s`", r ? ", " : "");
        md_cell(f, d ? d : "?");
        fputc('`', f);
    }
    fputs(".\n", f);
}

static int write_markdown(const folder *fo, const char *path, err *e)
{
    atomic_file af;
    if (atomic_open(&af, path, e))
        return -1;
    FILE *f = af.f;
    fprintf(f, "# Subliminal learning on MNIST: sublim report\n\n"
               "The MNIST experiment of Cloud et al. (2025), *Subliminal Learning: Language "
               "models transmit behavioral traits via hidden signals in data*: a teacher MLP "
               "with extra *auxiliary* logits is trained on digits; students are trained on "
               "pure noise to imitate only those auxiliary logits (never a digit, never a "
               "label), then tested on MNIST digits.\n\n");
    write_reading(f, fo);
    fprintf(f, "## Results\n\n");
    write_results_table(f, fo);
    fprintf(f, "![Test accuracy of each arm: bars are means over seeds, whiskers 95%% "
               "confidence intervals, dots single seeds, triangles the paper's values, dashed "
               "line chance](figure.svg)\n\n");
    if (fo->has_curves)
        fprintf(f, "![Training curves: mean training loss and test accuracy after each epoch, "
                   "per arm](curves.svg)\n\n");
    err terr;
    if (write_theorem(f, fo->dir, &terr)) {
        atomic_abort(&af);
        return err_set(e, "%s", terr.msg);
    }
    write_what_ran(f, fo);
    fprintf(f, "\n---\nWritten by `sublim` from the files beside it (results.csv, config.txt, "
               "run.txt, curves.csv, theorem.csv); `sublim report DIR` regenerates it.\n");
    return atomic_commit(&af, e);
}

int report_regenerate(const char *dir, err *e)
{
    folder fo;
    if (folder_read(&fo, dir, e))
        return -1;
    char path[PATH_SIZE];
    int rc;
    join(path, dir, "figure.svg");
    rc = write_figure(&fo, path, e);
    join(path, dir, "curves.svg");
    if (rc == 0 && fo.has_curves)
        rc = write_curves_figure(&fo, path, e);
    else if (rc == 0 && exists(path) && unlink(path) != 0)
        rc = err_set(e, "%s: cannot remove the stale file: %s", path, strerror(errno));
    join(path, dir, "report.md");
    if (rc == 0)
        rc = write_markdown(&fo, path, e);
    folder_free(&fo);
    return rc;
}

/* ---- merge ---- */

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

/* Reads a whole small file; *buf is malloc'ed and NUL-terminated. */
static int slurp(const char *path, char **buf, size_t *n, err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(e, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 4096, len = 0;
    char *b = malloc(cap);
    int rc = b ? 0 : err_set(e, "out of memory");
    while (rc == 0) {
        if (len + 1 == cap) {
            char *g = realloc(b, cap *= 2);
            if (!g) {
                rc = err_set(e, "out of memory");
                break;
            }
            b = g;
        }
        size_t got = fread(b + len, 1, cap - 1 - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (rc == 0 && ferror(f))
        rc = err_set(e, "%s: read error", path);
    fclose(f);
    if (rc) {
        free(b);
        return rc;
    }
    b[len] = '\0';
    *buf = b;
    *n = len;
    return 0;
}

static int same_folder(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static void add_note(char *notes, size_t size, const char *s)
{
    size_t used = strlen(notes);
    snprintf(notes + used, size - used, "%s%s", used ? "\n" : "", s);
}

int report_merge(const char *const *in, size_t n_in, const char *out, char *notes,
                 size_t notes_size, err *e)
{
    char path[PATH_SIZE], path2[PATH_SIZE], note[PATH_SIZE + 200];
    notes[0] = '\0';
    if (n_in == 0)
        return err_set(e, "nothing to merge");
    int out_is_input = 0;
    for (size_t i = 0; i < n_in; i++)
        out_is_input |= same_folder(in[i], out);
    join(path, out, "results.csv");
    if (!out_is_input && exists(path))
        return err_set(e, "%s already holds results; merge into a new or empty folder", out);

    folder *fo = calloc(n_in, sizeof *fo);
    sourced_row *rows = NULL;
    curve_point *curves = NULL;
    report_kvs *runs = NULL;
    char *theorem = NULL;
    size_t theorem_len = 0, theorem_from = 0;
    int rc = fo ? 0 : err_set(e, "out of memory");
    size_t n_read = 0;
    for (; rc == 0 && n_read < n_in; n_read++) {
        if (folder_read(&fo[n_read], in[n_read], e)) {
            rc = -1;
            break;
        }
        join(path, in[n_read], "config.txt");
        if (!fo[n_read].has_config) {
            rc = err_set(e, "%s: missing, so its configuration cannot be compared", path);
            n_read++;
            break;
        }
        join(path2, in[0], "config.txt");
        if (n_read > 0 && report_config_compare(&fo[0].config, path2, &fo[n_read].config,
                                                path, e)) {
            n_read++;
            rc = -1;
            break;
        }
    }

    /* The rows: all of them, sorted; a seed × arm twice is refused. */
    size_t n_rows = 0, n_curves = 0, n_runs = 0;
    int all_curves = 1;
    for (size_t i = 0; rc == 0 && i < n_in; i++) {
        n_rows += fo[i].n_rows;
        n_curves += fo[i].n_curves;
        n_runs += fo[i].n_runs;
        all_curves &= fo[i].has_curves;
    }
    if (rc == 0) {
        rows = malloc((n_rows ? n_rows : 1) * sizeof *rows);
        curves = malloc((n_curves ? n_curves : 1) * sizeof *curves);
        runs = malloc((n_runs ? n_runs : 1) * sizeof *runs);
        if (!rows || !curves || !runs)
            rc = err_set(e, "out of memory");
    }
    if (rc == 0) {
        size_t k = 0, c = 0, r = 0;
        for (size_t i = 0; i < n_in; i++) {
            for (size_t j = 0; j < fo[i].n_rows; j++)
                rows[k++] = (sourced_row){fo[i].rows[j], i};
            /* A folder without curves.csv or run.txt has NULL for them. */
            if (fo[i].n_curves)
                memcpy(curves + c, fo[i].curves, fo[i].n_curves * sizeof *curves);
            c += fo[i].n_curves;
            if (fo[i].n_runs)
                memcpy(runs + r, fo[i].runs, fo[i].n_runs * sizeof *runs);
            r += fo[i].n_runs;
        }
        qsort(rows, n_rows, sizeof *rows, cmp_sourced);
        size_t n_arms;
        const arm_spec *arms = experiment_arms(&n_arms);
        for (size_t j = 1; j < n_rows && rc == 0; j++)
            if (rows[j].r.seed == rows[j - 1].r.seed && rows[j].r.arm == rows[j - 1].r.arm)
                rc = err_set(e,
                             "seed %" PRIu64 " (arm %s) is in both %s and %s: refusing to "
                             "merge overlapping runs",
                             rows[j].r.seed, arms[rows[j].r.arm].name, in[rows[j - 1].src],
                             in[rows[j].src]);
    }

    /* theorem.csv: kept when every input that has one has the same one. */
    for (size_t i = 0; rc == 0 && i < n_in; i++) {
        join(path, in[i], "theorem.csv");
        if (!exists(path))
            continue;
        char *t = NULL;
        size_t len = 0;
        if (slurp(path, &t, &len, e)) {
            rc = -1;
            break;
        }
        if (!theorem) {
            theorem = t;
            theorem_len = len;
            theorem_from = i;
        } else {
            int same = len == theorem_len && memcmp(t, theorem, len) == 0;
            free(t);
            if (!same) {
                snprintf(note, sizeof note,
                         "theorem.csv left out: %s and %s hold different ones (run "
                         "'sublim theorem --out %s')",
                         in[theorem_from], in[i], out);
                add_note(notes, notes_size, note);
                free(theorem);
                theorem = NULL;
                break;
            }
        }
    }

    if (rc == 0 && ensure_dir(out, e))
        rc = -1;
    if (rc == 0) {
        arm_result *plain = malloc((n_rows ? n_rows : 1) * sizeof *plain);
        if (!plain)
            rc = err_set(e, "out of memory");
        for (size_t j = 0; rc == 0 && j < n_rows; j++)
            plain[j] = rows[j].r;
        join(path, out, "results.csv");
        if (rc == 0)
            rc = results_write_csv(path, plain, n_rows, e);
        join(path, out, "config.txt");
        if (rc == 0)
            rc = report_config_write(path, &fo[0].config, e);
        join(path, out, "run.txt");
        if (rc == 0)
            rc = report_runs_write(path, runs, n_runs, e);
        join(path, out, "curves.csv");
        if (rc == 0 && all_curves) {
            report_curves_sort(curves, n_curves);
            rc = report_curves_write(path, curves, n_curves, e);
        } else if (rc == 0) {
            add_note(notes, notes_size,
                     "curves.csv left out: not every folder has one (a --no-curves run)");
            if (exists(path) && unlink(path) != 0)
                rc = err_set(e, "%s: cannot remove: %s", path, strerror(errno));
        }
        join(path, out, "theorem.csv");
        if (rc == 0 && theorem) {
            atomic_file af;
            rc = atomic_open(&af, path, e);
            if (rc == 0) {
                fwrite(theorem, 1, theorem_len, af.f);
                rc = atomic_commit(&af, e);
            }
        }

        /* summary.json as one run over all the seeds would write it; the run
         * part sums the wall times and keeps threads and kernels when all
         * runs agree (else 0 and "mixed"). */
        if (rc == 0) {
            experiment_config cfg = fo[0].cfg;
            arm_summary sum[MAX_ARMS];
            uint64_t *seeds;
            size_t n_seeds, threads = 0;
            const char *kernels = NULL;
            double wall = 0;
            if (distinct_seeds(plain, n_rows, &seeds, &n_seeds)) {
                rc = err_set(e, "out of memory");
            } else {
                cfg.seeds = n_seeds;
                cfg.seed_start = n_seeds ? seeds[0] : 0;
                cfg.out_dir = out;
                free(seeds);
                for (size_t r = 0; r < n_runs; r++) {
                    const char *t = report_kvs_get(&runs[r], "threads");
                    const char *k = report_kvs_get(&runs[r], "kernels");
                    const char *w = report_kvs_get(&runs[r], "wall_seconds");
                    size_t tv = t ? strtoull(t, NULL, 10) : 0;
                    threads = r == 0 ? tv : threads == tv ? threads : 0;
                    if (!k)
                        k = "unknown";
                    kernels = r == 0 || strcmp(kernels, k) == 0 ? k : "mixed";
                    wall += w ? strtod(w, NULL) : 0;
                }
                results_summarize(plain, n_rows, sum);
                join(path, out, "summary.json");
                rc = results_write_summary(path, &cfg, sum, threads,
                                           kernels ? kernels : "unknown", wall, e);
            }
        }
        free(plain);
    }
    if (rc == 0)
        rc = report_regenerate(out, e);

    for (size_t i = 0; i < n_read && fo; i++)
        folder_free(&fo[i]);
    free(fo);
    free(rows);
    free(curves);
    free(runs);
    free(theorem);
    return rc;
}
