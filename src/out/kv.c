#include "out/kv.h"
#include <stdlib.h>
#include <string.h>
#include "base/files.h"

int kv_set(kv_list *k, const char *key, const char *value)
{
    size_t i = 0;
    while (i < k->n && strcmp(k->kv[i].key, key) != 0)
        i++;
    if (strlen(key) >= sizeof k->kv[0].key || strlen(value) >= sizeof k->kv[0].value ||
        (i == k->n && k->n == KV_MAX_KEYS))
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

const char *kv_get(const kv_list *k, const char *key)
{
    for (size_t i = 0; i < k->n; i++)
        if (strcmp(k->kv[i].key, key) == 0)
            return k->kv[i].value;
    return NULL;
}

/* Starts a new list at the end of *lists (grown as needed). */
static int add_list(kv_list **lists, size_t *n, size_t *cap)
{
    if (*n == *cap) {
        kv_list *grown = realloc(*lists, 2 * *cap * sizeof **lists);
        if (!grown)
            return -1;
        *lists = grown;
        *cap *= 2;
    }
    (*lists)[(*n)++].n = 0;
    return 0;
}

/* One line of the file (its line break removed) into the lists. */
static int read_entry(char *line, const char *blocks, kv_list **lists, size_t *n, size_t *cap,
                      const char *where, err *e)
{
    if (line[0] == '[') {
        size_t len = strlen(line);
        if (!blocks || len != strlen(blocks) + 2 || line[len - 1] != ']' ||
            strncmp(line + 1, blocks, len - 2) != 0)
            return err_set(e, "%s: unexpected section '%s'", where, line);
        return add_list(lists, n, cap) ? err_set(e, "out of memory reading %s", where) : 0;
    }
    char *eq = strchr(line, '=');
    if (!eq || eq == line)
        return err_set(e, "%s: expected key=value, got '%.60s'", where, line);
    if (*n == 0)
        return err_set(e, "%s: an entry before the first [%s]", where, blocks);
    *eq = '\0';
    if (kv_get(&(*lists)[*n - 1], line))
        return err_set(e, "%s: '%s' given twice", where, line);
    if (kv_set(&(*lists)[*n - 1], line, eq + 1))
        return err_set(e, "%s: key or value too long, or too many keys", where);
    return 0;
}

int kv_read_file(const char *path, const char *blocks, kv_list **out, size_t *n_out, err *e)
{
    FILE *f = files_open_read(path, e);
    if (!f)
        return -1;
    char line[1024], where[FILES_PATH_MAX + 32];
    size_t lineno = 0, n = blocks ? 0 : 1, cap = 1, len;
    kv_list *lists = calloc(1, sizeof *lists);
    int rc = lists ? 0 : err_set(e, "out of memory reading %s", path);
    int got;
    while (rc == 0 && (got = files_read_line(f, line, sizeof line, &len)) != 0) {
        lineno++;
        snprintf(where, sizeof where, "%s:%zu", path, lineno);
        if (got < 0) {
            rc = err_set(e, "%s: %s", where, files_line_problem(got));
            break;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len > 0 && line[0] != '#')
            rc = read_entry(line, blocks, &lists, &n, &cap, where, e);
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

void kv_write(FILE *f, const kv_list *k)
{
    for (size_t i = 0; i < k->n; i++)
        fprintf(f, "%s=%s\n", k->kv[i].key, k->kv[i].value);
}

int kv_compare(const kv_list *a, const char *a_name, const kv_list *b, const char *b_name,
               err *e)
{
    for (size_t i = 0; i < a->n; i++) {
        const char *v = kv_get(b, a->kv[i].key);
        if (!v)
            return err_set(e, "configurations differ: %s has %s=%s, %s has no '%s'", a_name,
                           a->kv[i].key, a->kv[i].value, b_name, a->kv[i].key);
        if (strcmp(v, a->kv[i].value) != 0)
            return err_set(e, "configurations differ: %s has %s=%s, %s has %s=%s", a_name,
                           a->kv[i].key, a->kv[i].value, b_name, a->kv[i].key, v);
    }
    for (size_t i = 0; i < b->n; i++)
        if (!kv_get(a, b->kv[i].key))
            return err_set(e, "configurations differ: %s has %s=%s, %s has no '%s'", b_name,
                           b->kv[i].key, b->kv[i].value, a_name, b->kv[i].key);
    return 0;
}
