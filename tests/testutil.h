/* Shared helpers for sublim's cmocka tests. */
#ifndef SUBLIM_TESTUTIL_H
#define SUBLIM_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* A fresh temporary directory for one test; the path is written to buf. */
static inline void tu_tempdir(char *buf, size_t n)
{
    snprintf(buf, n, "/tmp/sublim-test-XXXXXX");
    assert_non_null(mkdtemp(buf));
}

/* Writes n bytes to path (test fixtures). */
static inline void tu_write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* Relative difference |a-b| / max(|a|,|b|,floor). */
static inline double tu_reldiff(double a, double b, double floor_)
{
    double m = a < 0 ? -a : a, mb = b < 0 ? -b : b;
    if (mb > m) m = mb;
    if (floor_ > m) m = floor_;
    double d = a - b;
    return (d < 0 ? -d : d) / m;
}

/* Fails with both strings shown unless needle occurs in hay. */
#define tu_assert_contains(hay, needle)                                         \
    do {                                                                        \
        const char *tu_h_ = (hay), *tu_n_ = (needle);                           \
        if (!strstr(tu_h_, tu_n_))                                              \
            fail_msg("expected \"%s\" in \"%s\"", tu_n_, tu_h_);                \
    } while (0)

/* Fails unless |a-b| <= tol * max(|a|,|b|,floor), showing both numbers. */
#define tu_assert_close(a, b, tol, floor_)                                      \
    do {                                                                        \
        double tu_a_ = (a), tu_b_ = (b);                                        \
        if (!(tu_a_ == tu_b_ || tu_reldiff(tu_a_, tu_b_, (floor_)) <= (tol)))    \
            fail_msg("%s = %.17g vs %s = %.17g (rel diff %.3g > %.3g)", #a,     \
                     tu_a_, #b, tu_b_, tu_reldiff(tu_a_, tu_b_, (floor_)),      \
                     (double)(tol));                                            \
    } while (0)


/* A temporary folder per test, as a cmocka setup/teardown pair:
 * *state points to a tu_dir whose dir exists; path is the test's own. */
typedef struct {
    char dir[256];
    char path[512];
} tu_dir;

static inline int tu_dir_setup(void **state)
{
    tu_dir *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    tu_tempdir(fx->dir, sizeof fx->dir);
    *state = fx;
    return 0;
}

static inline int tu_dir_teardown(void **state)
{
    tu_dir *fx = *state;
    char cmd[600];
    /* Tests may leave read-only folders behind on purpose. */
    snprintf(cmd, sizeof cmd, "chmod -R u+w '%s'; rm -rf '%s'", fx->dir, fx->dir);
    int rc = system(cmd);
    free(fx);
    return rc == 0 ? 0 : -1;
}

#endif
