/* Fuzz target: the results.csv reader (used by report, merge and resume).
 * What it accepts must keep its promises (correct <= total, total > 0, a
 * known arm, one total for all rows, no seed × arm twice; trait hits at
 * most their cases, only on ok rows), summarize, and survive a round trip: written back and read
 * again it gives the same rows, and writing those gives the same bytes. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzz_input.h"
#include "out/results.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Writes rows to a fresh temporary file (path) and reads it back. */
static int rewrite(const arm_result *rows, size_t n, char path[64], arm_result **back,
                   size_t *n_back)
{
    err e;
    if (fuzz_to_file(NULL, 0, path)) {
        *path = '\0';
        return -1;
    }
    if (results_write_csv(path, rows, n, &e) || results_read_csv(path, back, n_back, &e))
        abort(); /* what was read must write and read again */
    return 0;
}

/* results.csv at path through the reader, the summary and a round trip. */
static void check(const char *path)
{
    err e;
    arm_result *rows = NULL;
    size_t n = 0, n_arms;
    experiment_arms(&n_arms);
    if (results_read_csv(path, &rows, &n, &e) == 0) {
        for (size_t i = 0; i < n; i++) {
            if (rows[i].arm >= n_arms || rows[i].total == 0 ||
                (rows[i].ok && rows[i].correct > rows[i].total) || rows[i].total != rows[0].total)
                abort(); /* the reader promised to refuse these */
            if (rows[i].has_trait && (!rows[i].ok || rows[i].trait.hits > rows[i].trait.total ||
                                      rows[i].trait.target_hits > rows[i].total))
                abort(); /* and these, with the trait's columns */
            for (size_t j = 0; j < i && n < 1000; j++)
                if (rows[j].seed == rows[i].seed && rows[j].arm == rows[i].arm)
                    abort();
        }
        arm_summary sum[EXPERIMENT_MAX_ARMS];
        if (results_summarize(rows, n, sum, &e) == 0)
            for (size_t a = 0; a < n_arms; a++)
                if (sum[a].acc.n && !(sum[a].min <= sum[a].acc.mean + 1e-12 &&
                                      sum[a].acc.mean <= sum[a].max + 1e-12))
                    abort();
        char p1[64] = "", p2[64] = "";
        arm_result *b1 = NULL, *b2 = NULL;
        size_t n1 = 0, n2 = 0;
        if (rewrite(rows, n, p1, &b1, &n1) == 0 && rewrite(b1, n1, p2, &b2, &n2) == 0) {
            if (n1 != n || n2 != n)
                abort();
            for (size_t i = 0; i < n; i++)
                if (b1[i].seed != rows[i].seed || b1[i].arm != rows[i].arm ||
                    b1[i].ok != rows[i].ok || b1[i].total != rows[i].total ||
                    (rows[i].ok && b1[i].correct != rows[i].correct) ||
                    b1[i].has_trait != rows[i].has_trait ||
                    memcmp(&b1[i].trait, &rows[i].trait, sizeof rows[i].trait) != 0)
                    abort();
            size_t s1, s2;
            uint8_t *t1 = fuzz_slurp(p1, &s1), *t2 = fuzz_slurp(p2, &s2);
            if (t1 && t2 && (s1 != s2 || memcmp(t1, t2, s1) != 0))
                abort(); /* writing what was read is a fixed point */
            free(t1);
            free(t2);
        }
        free(b1);
        free(b2);
        if (*p1)
            unlink(p1);
        if (*p2)
            unlink(p2);
    }
    free(rows);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_on_file(data, size, check);
}
