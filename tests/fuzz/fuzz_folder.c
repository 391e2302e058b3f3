/* Fuzz target: a whole result folder through `sublim report` and
 * `sublim merge`, so every reader of a folder (results.csv, config.txt,
 * run.txt, curves.csv, theorem.csv) and every writer fed by what they read
 * (figure.svg, curves.svg, report.md, summary.json) sees hostile files.
 *
 * Input: one mode byte, then the files separated by "\n@@\n" in the order
 * of NAMES, for folder A and then folder B; a part "!" (or a missing one)
 * means the file is absent.  Mode % 4: 0 report A; 1 merge A and B into a
 * new folder; 2 merge A and B into A (refused); 3 merge A with itself.
 * Bit 2 of the mode byte (force): report A twice; merge again into the
 * folder just made, with --force. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "out/folder.h"
#include "out/merge.h"
#include "out/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const NAMES[] = {"results.csv", "config.txt", "run.txt", "curves.csv",
                                    "theorem.csv"};
#define N_NAMES (sizeof NAMES / sizeof NAMES[0])
static const char SEP[] = "\n@@\n";

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    char path[512];
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
            unlink(path);
        }
    closedir(d);
    rmdir(dir);
}

/* Next part of [*p, end) up to SEP; advances *p past it. */
static const uint8_t *next_part(const uint8_t **p, const uint8_t *end, size_t *len)
{
    if (!*p)
        return NULL;
    const uint8_t *start = *p;
    size_t left = (size_t)(end - start);
    const uint8_t *sep = NULL;
    for (size_t i = 0; !sep && i + sizeof SEP - 1 <= left; i++)
        if (memcmp(start + i, SEP, sizeof SEP - 1) == 0)
            sep = start + i;
    *len = sep ? (size_t)(sep - start) : left;
    *p = sep ? sep + sizeof SEP - 1 : NULL;
    return start;
}

static int fill(const char *dir, const uint8_t **p, const uint8_t *end)
{
    for (size_t k = 0; k < N_NAMES; k++) {
        size_t len = 0;
        const uint8_t *part = next_part(p, end, &len);
        if (!part || (len == 1 && part[0] == '!'))
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, NAMES[k]);
        FILE *f = fopen(path, "wb");
        if (!f)
            return -1;
        size_t w = fwrite(part, 1, len, f);
        if (fclose(f) != 0 || w != len)
            return -1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    /* tmpfs when there is one: report writes are fsync'ed. */
    char base[64];
    snprintf(base, sizeof base, "%s/sublim-fuzzdir-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (!mkdtemp(base))
        return 0;
    char a[128], b[128], c[128];
    snprintf(a, sizeof a, "%s/a", base);
    snprintf(b, sizeof b, "%s/b", base);
    snprintf(c, sizeof c, "%s/c", base);
    const uint8_t *p = data + 1, *end = data + size;
    int mode = data[0] % 4, force = (data[0] >> 2) & 1;
    err e;
    char notes[1024];
    if (mkdir(a, 0700) == 0 && mkdir(b, 0700) == 0 && fill(a, &p, end) == 0 &&
        fill(b, &p, end) == 0) {
        const char *in[2] = {a, mode == 3 ? a : b};
        int rc = 0;
        for (int round = 0; round <= force && rc == 0; round++) {
            if (mode == 0) {
                folder f;
                rc = folder_open(&f, a, 0, &e);
                if (rc == 0) {
                    rc = report_regenerate(&f, &e);
                    folder_close(&f);
                }
            } else {
                rc = merge_folders(in, 2, mode == 2 ? a : c, round, notes, sizeof notes, &e);
            }
        }
        if (getenv("SUBLIM_FUZZ_VERBOSE")) /* to see what a corpus file reaches */
            fprintf(stderr, "mode %d%s: %s\n", mode, force ? " force" : "", rc ? e.msg : "ok");
    }
    remove_tree(a);
    remove_tree(b);
    remove_tree(c);
    rmdir(base);
    return 0;
}
