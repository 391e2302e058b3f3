#include "base/err.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a shortened word keeps at least, "..." included. */
#define ERR_WORD_KEPT 40

static int continuation_byte(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

/* The longest run of non-spaces in s[0..n): its start, its length. */
static size_t longest_word(const char *s, size_t n, size_t *start)
{
    size_t best = 0, i = 0;
    *start = 0;
    while (i < n) {
        while (i < n && s[i] == ' ')
            i++;
        size_t from = i;
        while (i < n && s[i] != ' ')
            i++;
        if (i - from > best) {
            best = i - from;
            *start = from;
        }
    }
    return best;
}

/* Shortens s (n bytes, NUL-terminated) in place until it fits in size
 * bytes, by eliding the middle of its longest words ("/very/long/pa...th"):
 * a path is the long part of a message, and the reason after it is what a
 * reader needs most.  Returns the new length; still longer than size - 1
 * only when no word is long enough to shorten. */
static size_t shorten(char *s, size_t n, size_t size)
{
    while (n >= size) {
        size_t at, len = longest_word(s, n, &at);
        if (len <= ERR_WORD_KEPT)
            break;
        size_t excess = n - (size - 1);
        size_t keep = len > excess + ERR_WORD_KEPT ? len - excess : ERR_WORD_KEPT;
        size_t head = (keep - 3) / 3, tail_from = at + len - (keep - 3 - head);
        while (head > 0 && continuation_byte(s[at + head]))
            head--; /* never cut a UTF-8 character in two */
        while (tail_from < at + len && continuation_byte(s[tail_from]))
            tail_from++;
        memcpy(s + at + head, "...", 3);
        memmove(s + at + head + 3, s + tail_from, n - tail_from + 1);
        n -= tail_from - (at + head + 3);
    }
    return n;
}

int err_set(err *e, const char *fmt, ...)
{
    if (!e)
        return -1;
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    /* Formatted apart from e->msg, which may be one of the arguments. */
    char *full = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (full) {
        vsnprintf(full, (size_t)n + 1, fmt, again);
        shorten(full, (size_t)n, sizeof e->msg);
        snprintf(e->msg, sizeof e->msg, "%s", full);
        free(full);
    } else {
        char cut[sizeof e->msg]; /* out of memory: the message cut at its end */
        vsnprintf(cut, sizeof cut, fmt, again);
        memcpy(e->msg, cut, sizeof cut);
    }
    va_end(again);
    return -1;
}
