#include "base/text.h"
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int text_parse_u64(const char *s, uint64_t *out)
{
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > UINT64_MAX)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

int text_parse_size(const char *s, size_t *out)
{
    uint64_t v;
    if (text_parse_u64(s, &v) || v > SIZE_MAX)
        return -1;
    *out = (size_t)v;
    return 0;
}

int text_parse_real(const char *s, double *out)
{
    if (isspace((unsigned char)*s))
        return -1; /* strtod would skip it */
    char *end;
    *out = strtod(s, &end);
    return end == s || *end ? -1 : 0;
}

void text_real(char *buf, size_t size, double x)
{
    if (!isfinite(x)) {
        snprintf(buf, size, "%s", isnan(x) ? "nan" : x < 0 ? "-inf" : "inf");
        return;
    }
    /* The fewest digits that read back; 17 always do. */
    char e[TEXT_REAL_SIZE];
    int digits = 1;
    for (; digits < 17; digits++) {
        snprintf(e, sizeof e, "%.*e", digits - 1, x);
        if (strtod(e, NULL) == x)
            break;
    }
    /* %g writes a number whose decimal exponent is below its precision in
     * plain digits: a precision of at least exponent + 1 (up to 15) keeps
     * 1000 as "1000" and 1e15 as "1e+15", as %.15g did, with no digit
     * more than the fewest. */
    snprintf(e, sizeof e, "%.*e", digits - 1, x);
    int exponent = atoi(strchr(e, 'e') + 1), plain = exponent + 1 < 15 ? exponent + 1 : 15;
    snprintf(buf, size, "%.*g", digits > plain ? digits : plain, x);
}

void text_seed_ranges(char *buf, size_t size, const uint64_t *s, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used < size;) {
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
