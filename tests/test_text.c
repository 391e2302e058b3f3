/* Tests of base/text.h: strict parsing of counts and numbers (a damaged
 * file or a mistyped flag is refused, not half read), the one text form of
 * every real number sublim writes, and seed lists as ranges. */
#include "testutil.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include "base/rng.h"
#include "base/text.h"

/* Counts: every decimal integer that fits, and nothing else. */
static void parse_u64_and_size(void **state)
{
    (void)state;
    uint64_t u = 5;
    size_t z = 5;
    assert_int_equal(text_parse_u64("0", &u), 0);
    assert_true(u == 0);
    assert_int_equal(text_parse_u64("007", &u), 0);
    assert_true(u == 7);
    assert_int_equal(text_parse_u64("18446744073709551615", &u), 0);
    assert_true(u == UINT64_MAX);
    assert_int_equal(text_parse_size("123456789", &z), 0);
    assert_true(z == 123456789);

    const char *bad[] = {
        "", "-1", "+1", "-0", " 1", "1 ", "1x", "x1", "0x10", "1.0", "1e3", "1,000",
        "18446744073709551616",    /* UINT64_MAX + 1 */
        "99999999999999999999999", /* far beyond */
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        u = 5;
        z = 5;
        if (text_parse_u64(bad[k], &u) == 0)
            fail_msg("text_parse_u64 accepted '%s'", bad[k]);
        if (text_parse_size(bad[k], &z) == 0)
            fail_msg("text_parse_size accepted '%s'", bad[k]);
        assert_true(u == 5 && z == 5); /* untouched on failure */
    }
    /* size_t's own limit, where it is smaller than uint64_t's. */
    if (SIZE_MAX < UINT64_MAX) {
        char big[32];
        snprintf(big, sizeof big, "%" PRIu64, (uint64_t)SIZE_MAX + 1);
        assert_int_equal(text_parse_size(big, &z), -1);
    }
}

/* Numbers: what strtod reads whole (inf and nan included, as documented);
 * an empty string or trailing junk is refused. */
static void parse_real_cases(void **state)
{
    (void)state;
    double x;
    const struct {
        const char *text;
        double want;
    } good[] = {{"0", 0}, {"0.5", 0.5}, {"-2", -2}, {"3e-4", 3e-4}, {"1E+3", 1000},
                {".25", 0.25}, {"1e-300", 1e-300}};
    for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
        assert_int_equal(text_parse_real(good[k].text, &x), 0);
        assert_true(x == good[k].want);
    }
    assert_int_equal(text_parse_real("inf", &x), 0);
    assert_true(isinf(x));
    assert_int_equal(text_parse_real("nan", &x), 0);
    assert_true(isnan(x));
    const char *bad[] = {"", "abc", "1x", "1 ", "0.5.5", "1e", "--1", "1,5"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        if (text_parse_real(bad[k], &x) == 0)
            fail_msg("text_parse_real accepted '%s'", bad[k]);
}

/* "The whole string must be the number": leading white space is not part
 * of a number either.  strtod skips it, so " 0.5" is read while "0.5 " is
 * refused (and text_parse_u64 refuses " 5"). */
static void parse_real_refuses_leading_space(void **state)
{
    (void)state;
    double x;
    const char *bad[] = {" 0.5", "\t1", "\n2", " "};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        if (text_parse_real(bad[k], &x) == 0)
            fail_msg("text_parse_real accepted '%s' (leading white space)", bad[k]);
}

/* The significant digits of a number's text: leading zeros, and an
 * integer's trailing ones, left out ("0.0003": 1, "1000": 1, "1e+15": 1;
 * "0": 1, the one digit zero needs). */
static int significant_digits(const char *text)
{
    int n = 0, zeros = 0, started = 0, point = 0;
    for (const char *c = text; *c && *c != 'e'; c++) {
        point |= *c == '.';
        if (*c < '0' || *c > '9')
            continue;
        started |= *c != '0';
        if (!started)
            continue;
        zeros = *c == '0' && !point ? zeros + 1 : 0;
        n++;
    }
    return n ? n - zeros : 1;
}

/* text_real(x) reads back as exactly x (same bits: -0 too), with the
 * fewest digits that do; for a normal x where %.15g reads back, it is
 * %.15g's text byte for byte (so files written before stay the same). */
static void assert_real_round_trip(double x)
{
    char buf[TEXT_REAL_SIZE], short_form[64];
    text_real(buf, sizeof buf, x);
    double back = strtod(buf, NULL);
    if (memcmp(&back, &x, sizeof x) != 0)
        fail_msg("text_real(%.17g) = \"%s\" reads back as %.17g", x, buf, back);
    int fewest = 1;
    for (; fewest < 17; fewest++) {
        snprintf(short_form, sizeof short_form, "%.*e", fewest - 1, x);
        if (strtod(short_form, NULL) == x)
            break;
    }
    if (significant_digits(buf) != fewest)
        fail_msg("text_real(%.17g) = \"%s\": %d digits, %d read back", x, buf,
                 significant_digits(buf), fewest);
    snprintf(short_form, sizeof short_form, "%.15g", x);
    if (fabs(x) >= DBL_MIN && strtod(short_form, NULL) == x && strcmp(buf, short_form) != 0)
        fail_msg("text_real(%.17g) = \"%s\", not %%.15g's \"%s\"", x, buf, short_form);
}

/* The documented forms, and exact round trips of awkward and random
 * numbers (every bit pattern class: tiny, huge, subnormal, negative). */
static void real_text_form(void **state)
{
    (void)state;
    const struct {
        double x;
        const char *text;
    } known[] = {{3e-4, "0.0003"}, {1e-5, "1e-05"}, {1000, "1000"}, {0.1 + 0.2,
                 "0.30000000000000004"}, {0.1, "0.1"}, {0, "0"}, {-0.0, "-0"},
                 {-2.5, "-2.5"}, {1e-8, "1e-08"}, {1e15, "1e+15"}, {1e-300, "1e-300"},
                 {5e-324, "5e-324"}, {DBL_MAX, "1.7976931348623157e+308"},
                 {1.0 / 3, "0.3333333333333333"}, {256, "256"}, {1e16, "1e+16"},
                 {123456789012345, "123456789012345"}, {0.00030000000000000003,
                 "0.00030000000000000003"}, {2.5e-310, "2.5e-310"}};
    char buf[TEXT_REAL_SIZE];
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) {
        text_real(buf, sizeof buf, known[k].x);
        assert_string_equal(buf, known[k].text);
        assert_real_round_trip(known[k].x);
    }
    text_real(buf, sizeof buf, INFINITY);
    assert_string_equal(buf, "inf");
    text_real(buf, sizeof buf, -INFINITY);
    assert_string_equal(buf, "-inf");
    text_real(buf, sizeof buf, NAN);
    assert_string_equal(buf, "nan");
    const double awkward[] = {1.0 / 3, 2.0 / 3, 3.141592653589793, DBL_MAX, -DBL_MAX, DBL_MIN,
                              DBL_TRUE_MIN, DBL_EPSILON, 1 + DBL_EPSILON, 9007199254740993.0,
                              0.9, 0.999, 1e-8, 1e23, 5e-324, 123456789012345678.0};
    for (size_t k = 0; k < sizeof awkward / sizeof awkward[0]; k++)
        assert_real_round_trip(awkward[k]);
    for (uint64_t i = 0; i < 20000; i++) {
        /* Random bit patterns (finite ones) and random "decimal" values. */
        uint32_t w[4];
        rng_block(11, RNG_THEOREM, 0, i, w);
        uint64_t bits = (uint64_t)w[0] << 32 | w[1];
        double x;
        memcpy(&x, &bits, sizeof x);
        if (isfinite(x))
            assert_real_round_trip(x);
        assert_real_round_trip((double)(w[2] % 100000) * pow(10, (int)(w[3] % 40) - 20));
    }
}

/* Seeds as ranges: runs of consecutive seeds are "a-b", the rest single. */
static void seed_ranges(void **state)
{
    (void)state;
    char buf[64];
    const uint64_t s[] = {0, 1, 2, 3, 7, 9, 10};
    text_seed_ranges(buf, sizeof buf, s, 7);
    assert_string_equal(buf, "0-3, 7, 9-10");
    text_seed_ranges(buf, sizeof buf, s, 1);
    assert_string_equal(buf, "0");
    text_seed_ranges(buf, sizeof buf, s, 0);
    assert_string_equal(buf, "");
    const uint64_t t[] = {0, 1, 2, 3, 4, 7, 9, 10};
    text_seed_ranges(buf, sizeof buf, t, 8);
    assert_string_equal(buf, "0-4, 7, 9-10");
    const uint64_t big[] = {999999999999999, 1000000000000000, 5};
    text_seed_ranges(buf, sizeof buf, big, 3);
    assert_string_equal(buf, "999999999999999-1000000000000000, 5");
}

/* A list that does not fit ends in "..." and fits its buffer, at every
 * buffer size; one that fits is whole.  (A list cut exactly at the end of
 * a range must be marked as well: nothing tells "0-4, 7" from the whole
 * list otherwise.) */
static void seed_ranges_mark_truncation(void **state)
{
    (void)state;
    const uint64_t s[] = {0, 1, 2, 3, 4, 7, 9, 10, 12, 13, 14, 20};
    const size_t n = sizeof s / sizeof s[0];
    char full[128], buf[128];
    text_seed_ranges(full, sizeof full, s, n);
    assert_string_equal(full, "0-4, 7, 9-10, 12-14, 20");
    for (size_t size = 5; size <= strlen(full) + 1; size++) {
        memset(buf, 'Z', sizeof buf);
        text_seed_ranges(buf, size, s, n);
        if (strlen(buf) >= size)
            fail_msg("size %zu: \"%s\" overflows", size, buf);
        if (buf[size] != 'Z')
            fail_msg("size %zu: wrote past the buffer", size);
        if (size == strlen(full) + 1)
            assert_string_equal(buf, full);
        else if (strlen(buf) < 3 || strcmp(buf + strlen(buf) - 3, "...") != 0)
            fail_msg("size %zu: \"%s\" is cut short without \"...\"", size, buf);
        else if (strncmp(buf, full, strlen(buf) - 3) != 0)
            fail_msg("size %zu: \"%s\" is not a prefix of \"%s\"", size, buf, full);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_u64_and_size),
        cmocka_unit_test(parse_real_cases),
        cmocka_unit_test(parse_real_refuses_leading_space),
        cmocka_unit_test(real_text_form),
        cmocka_unit_test(seed_ranges),
        cmocka_unit_test(seed_ranges_mark_truncation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
