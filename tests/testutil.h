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

#endif
