#include "out/config.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/atomic.h"
#include "base/files.h"

/* The settings config.txt holds: all but those that pick the seeds. */
static int in_config(const setting *s) { return !(s->flags & SETTING_SEEDS); }

/* data.<file>=<sha256> for each line of data_dir/SHA256SUMS: the published
 * sums of the files the data was unpacked from (scripts/fetch-mnist.sh
 * verifies them). */
static int add_data_sums(kv_list *out, const char *data_dir, err *e)
{
    char path[FILES_PATH_MAX], line[512];
    if (files_join(path, sizeof path, data_dir, "SHA256SUMS", e))
        return -1;
    FILE *f = files_open_read(path, e);
    /* Absent: the data is unverified.  Present but unreadable (out of
     * memory, a read error, not a regular file): an error, not a
     * configuration that silently lacks the data's checksums. */
    if (!f && errno != ENOENT)
        return -1;
    size_t found = 0;
    while (f && fgets(line, sizeof line, f)) {
        char hash[65], name[256];
        if (sscanf(line, "%64[0-9a-fA-F] %255s", hash, name) != 2 || strlen(hash) != 64)
            continue;
        char key[64];
        snprintf(key, sizeof key, "data.%.58s", name[0] == '*' ? name + 1 : name);
        if (kv_set(out, key, hash) == 0)
            found++;
    }
    int failed = f && ferror(f);
    if (f)
        fclose(f);
    if (failed)
        return err_set(e, "%s: read error", path);
    if (!found)
        kv_set(out, "data", "unverified (no SHA256SUMS in the data folder)");
    return 0;
}

int config_make(kv_list *out, const experiment_config *cfg, const char *data_dir, err *e)
{
    size_t n;
    const setting *s = experiment_settings(&n);
    char v[448];
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        if (!in_config(&s[i]))
            continue;
        setting_format(&s[i], cfg, v, sizeof v);
        kv_set(out, s[i].name, v);
    }
    return add_data_sums(out, data_dir, e);
}

int config_write(const char *path, const kv_list *config, err *e)
{
    atomic_file af;
    if (atomic_open(&af, path, e))
        return -1;
    fprintf(af.f, "# sublim: the settings results.csv depends on (all flags but --seeds,\n"
                  "# --seed-start, --threads, --data, --out) and the data's SHA-256.\n"
                  "# 'sublim merge' joins only folders whose config.txt agree.\n");
    kv_write(af.f, config);
    return atomic_commit(&af, e);
}

int config_read(const char *path, kv_list *config, err *e)
{
    kv_list *lists;
    size_t n;
    if (kv_read_file(path, NULL, &lists, &n, e))
        return -1;
    *config = lists[0];
    free(lists);
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
