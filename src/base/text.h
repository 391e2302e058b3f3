/* text: numbers to and from text, the same way everywhere.
 *
 * Parsing is strict: the whole string must be the number (no sign for
 * counts, no trailing junk, no overflow), so a damaged file or a mistyped
 * flag is refused rather than half read. */
#ifndef SUBLIM_TEXT_H
#define SUBLIM_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* A non-negative decimal integer that fits in uint64_t (or size_t). */
int text_parse_u64(const char *s, uint64_t *out);
int text_parse_size(const char *s, size_t *out);

/* A number strtod reads whole (it may be inf or nan: check if that
 * matters). */
int text_parse_real(const char *s, double *out);

/* x in its shortest round-trip form: the fewest significant digits (1 to
 * 17) that strtod reads back as exactly x, "0.0003" and not
 * 0.00029999999999999997, "5e-324" for the smallest subnormal.  Written
 * as %g writes it, except that an integer below 1e15 stays in plain
 * digits ("1000", not "1e+03"), as %.15g keeps it.  Every setting and
 * number sublim writes as text goes through here; "inf", "-inf", "nan"
 * for what is not finite. */
#define TEXT_REAL_SIZE 32
void text_real(char *buf, size_t size, double x);

/* Sorted distinct seeds as ranges, "0-4, 7, 9-10" ("..." at the end when
 * they do not fit). */
void text_seed_ranges(char *buf, size_t size, const uint64_t *seeds, size_t n);

#endif
