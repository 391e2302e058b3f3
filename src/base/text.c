#include "base/text.h"
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
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
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            return;
    }
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
