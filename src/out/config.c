#include "out/config.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/atomic.h"
#include "base/files.h"

/* The settings config.txt holds: all but those that pick the seeds. */
static int in_config(const setting *s) { return !(s->flags & SETTING_SEEDS); }

/* One line of SHA256SUMS as sha256sum writes it, "<64 hex digits>  name"
 * ('*' before the name in binary mode): *name points into line.  0 on a
 * blank or '#' line (no entry), 1 on an entry, -1 on anything else. */
static int parse_sum_line(char *line, const char **hash, const char **name)
{
    line[strcspn(line, "\r\n")] = '\0';
    if (line[0] == '\0' || line[0] == '#')
        return 0;
    if (strspn(line, "0123456789abcdefABCDEF") != 64 || line[64] != ' ' ||
        (line[65] != ' ' && line[65] != '*') || line[66] == '\0')
        return -1;
    line[64] = '\0';
    *hash = line;
    *name = line + 66;
    return 1;
}

/* Records one entry as data.<name>=<sha256>; where names its line. */
static int add_data_sum(kv_list *out, const char *hash, const char *name, size_t *found,
                        const char *where, err *e)
{
    char key[sizeof out->kv[0].key];
    int n = snprintf(key, sizeof key, "%s%s", CONFIG_DATA_SUM, name);
    if (n < 0 || (size_t)n >= sizeof key || strchr(name, '='))
        return err_set(e, "%s: config.txt cannot record the file name '%.80s' (longer than "
                          "%zu characters, or with '=')",
                       where, name, sizeof key - sizeof CONFIG_DATA_SUM);
    const char *had = kv_get(out, key);
    if (had && strcmp(had, hash) != 0)
        return err_set(e, "%s: %s is listed twice, with different sums", where, name);
    if (!had && ++*found > CONFIG_MAX_DATA_SUMS)
        return err_set(e, "%s: more than %d files listed; config.txt records at most %d "
                          "(keep the data's own sums there)",
                       where, CONFIG_MAX_DATA_SUMS, CONFIG_MAX_DATA_SUMS);
    return kv_set(out, key, hash) ? err_set(e, "%s: config.txt is full", where) : 0;
}

/* data.<file>=<sha256> for every entry of data_dir/SHA256SUMS: the
 * published sums of the files the data was unpacked from
 * (scripts/fetch-mnist.sh verifies them).  Every entry is kept; what
 * cannot be kept is refused, naming the line. */
static int add_data_sums(kv_list *out, const char *data_dir, err *e)
{
    char path[FILES_PATH_MAX], line[512], where[FILES_PATH_MAX + 32];
    if (files_join(path, sizeof path, data_dir, "SHA256SUMS", e))
        return -1;
    FILE *f = files_open_read(path, e);
    /* Absent: the data is unverified.  Present but unreadable (out of
     * memory, a read error, not a regular file): an error, not a
     * configuration that silently lacks the data's checksums. */
    if (!f && errno != ENOENT)
        return -1;
    size_t found = 0, lineno = 0, len;
    int rc = 0, got;
    while (rc == 0 && f && (got = files_read_line(f, line, sizeof line, &len)) != 0) {
        const char *hash, *name;
        snprintf(where, sizeof where, "%s:%zu", path, ++lineno);
        if (got < 0) {
            rc = err_set(e, "%s: %s", where, files_line_problem(got));
            break;
        }
        int entry = parse_sum_line(line, &hash, &name);
        if (entry < 0)
            rc = err_set(e, "%s: not a SHA-256 line ('<64 hex digits>  <file>')", where);
        else if (entry > 0)
            rc = add_data_sum(out, hash, name, &found, where, e);
    }
    if (rc == 0 && f && ferror(f))
        rc = err_set(e, "%s: read error", path);
    if (f)
        fclose(f);
    if (rc == 0 && !found)
        kv_set(out, "data", "unverified (no SHA256SUMS in the data folder)");
    return rc;
}

void config_data_of(config_data *d, const dataset *train, const dataset *test,
                    const dataset *other)
{
    dataset_sha256(train, d->train);
    dataset_sha256(test, d->test);
    d->inputs[0] = '\0';
    if (other)
        dataset_sha256(other, d->inputs);
}

void config_data_set(kv_list *k, const config_data *d)
{
    kv_set(k, CONFIG_DATA_READ_TRAIN, d->train);
    kv_set(k, CONFIG_DATA_READ_TEST, d->test);
    if (d->inputs[0])
        kv_set(k, CONFIG_DATA_READ_INPUTS, d->inputs);
}

int config_check_runs(const kv_list *config, const kv_list *runs, size_t n_runs,
                      const char *runs_path, err *e)
{
    static const char *const keys[] = {CONFIG_DATA_READ_TRAIN, CONFIG_DATA_READ_TEST,
                                       CONFIG_DATA_READ_INPUTS};
    for (size_t r = 0; r < n_runs; r++)
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            const char *want = kv_get(config, keys[k]), *got = kv_get(&runs[r], keys[k]);
            if (!want && !got)
                continue; /* a folder older than these keys: nothing to compare */
            if (!want || !got || strcmp(want, got) != 0)
                return err_set(e, "runs on different data in one folder: run %zu of %s "
                                  "has %s=%s, config.txt has %s",
                               r + 1, runs_path, keys[k], got ? got : "(none)",
                               want ? want : "(none)");
        }
    return 0;
}

int config_make(kv_list *out, const experiment_config *cfg, const config_data *data,
                const char *data_dir, err *e)
{
    size_t n;
    const setting *s = experiment_settings(&n);
    char v[448];
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        if (!setting_is_recorded(&s[i], cfg))
            continue;
        setting_format(&s[i], cfg, v, sizeof v);
        kv_set(out, s[i].name, v);
    }
    config_data_set(out, data);
    return add_data_sums(out, data_dir, e);
}

int config_write(const char *path, const kv_list *config, err *e)
{
    atomic_file af;
    if (atomic_open(&af, path, e))
        return -1;
    fprintf(af.f, "# sublim: what results.csv depends on: the settings (all flags but\n"
                  "# --seeds, --seed-start, --threads, --data, --out), the SHA-256 of the\n"
                  "# training and test sets as read (data_read.train is what\n"
                  "# 'cat train-images-idx3-ubyte train-labels-idx1-ubyte | sha256sum'\n"
                  "# prints; t10k for data_read.test) and the data folder's SHA256SUMS.\n"
                  "# --resume and 'sublim merge' join only folders whose config.txt agree.\n");
    kv_write(af.f, config);
    return atomic_commit(&af, e);
}

/* Each setting's value in its one text form (setting_format), so folders
 * compare by value: "3e-4" or an older writer's 0.00029999999999999997
 * equals this one's 0.0003.  A value that does not parse stays as it is,
 * for config_apply or the comparison to name. */
static void normalize(kv_list *config)
{
    size_t n;
    const setting *s = experiment_settings(&n);
    experiment_config scratch = experiment_defaults();
    char v[448];
    for (size_t i = 0; i < n; i++) {
        const char *have = kv_get(config, s[i].name);
        if (!have || s[i].type == SETTING_FIXED ||
            setting_parse(&s[i], have, &scratch, s[i].name, NULL))
            continue;
        setting_format(&s[i], &scratch, v, sizeof v);
        kv_set(config, s[i].name, v);
    }
}

int config_read(const char *path, kv_list *config, err *e)
{
    kv_list *lists;
    size_t n;
    if (kv_read_file(path, NULL, &lists, &n, e))
        return -1;
    *config = lists[0];
    free(lists);
    normalize(config);
    return 0;
}

int config_apply(const kv_list *config, const char *path, experiment_config *cfg, err *e)
{
    size_t n;
    const setting *s = experiment_settings(&n);
    char label[FILES_PATH_MAX + 80];
    for (size_t i = 0; i < n; i++) {
        /* A fixed setting has no field to set (comparing folders checks it). */
        if (!in_config(&s[i]) || s[i].type == SETTING_FIXED)
            continue;
        const char *v = kv_get(config, s[i].name);
        if (!v && (s[i].flags & SETTING_IF_SET))
            v = s[i].def; /* recorded only when set: absent, it is at its default */
        if (!v)
            return err_set(e, "%s: '%s' is missing", path, s[i].name);
        snprintf(label, sizeof label, "%s: %s", path, s[i].name);
        if (setting_parse(&s[i], v, cfg, label, e))
            return -1;
    }
    return 0;
}

void config_flag_of(const char *key, char *buf, size_t size)
{
    size_t n;
    const setting *all = experiment_settings(&n);
    const setting *s = settings_find(all, n, key);
    if (!s || !in_config(s))
        snprintf(buf, size, "%s", "");
    else if (!setting_has_flag(s))
        snprintf(buf, size, "(fixed)");
    else
        setting_flag(s, buf, size);
}
