/* kv: ordered key=value lists, the text format of config.txt and run.txt.
 *
 * One "key=value" per line; '#' comments and blank lines are skipped.  A
 * file of blocks (run.txt) starts each list with a "[run]" line.  Values
 * never hold a line break (kv_set turns one into a space). */
#ifndef SUBLIM_KV_H
#define SUBLIM_KV_H

#include <stddef.h>
#include <stdio.h>
#include "base/err.h"

#define KV_MAX_KEYS 256 /* config.txt: its settings, and up to CONFIG_MAX_DATA_SUMS sums */

typedef struct {
    char key[64];
    char value[448];
} kv_pair;

typedef struct {
    kv_pair kv[KV_MAX_KEYS];
    size_t n;
} kv_list;

/* Sets key to value (replacing an earlier value); -1 when full or too long. */
int kv_set(kv_list *k, const char *key, const char *value);
/* The value of key, or NULL. */
const char *kv_get(const kv_list *k, const char *key);

/* Reads a file of one list (blocks NULL) or of "[blocks]" blocks (e.g.
 * "run"): *lists (malloc'ed) gets *n lists.  A key given twice in a list,
 * a line that is not key=value and an entry before the first block are
 * errors naming the line. */
int kv_read_file(const char *path, const char *blocks, kv_list **lists, size_t *n, err *e);

/* Writes "key=value" lines. */
void kv_write(FILE *f, const kv_list *k);

/* 0 when a and b hold the same keys with the same values; else -1, e naming
 * the first difference and both sources. */
int kv_compare(const kv_list *a, const char *a_name, const kv_list *b, const char *b_name,
               err *e);

#endif
