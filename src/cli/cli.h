/* cli: table-driven flag parsing for the subcommands.
 *
 * A subcommand lists its flags as data; parsing checks types and ranges and
 * names the offending flag in its error, so every command rejects bad input
 * the same way. */
#ifndef SUBLIM_CLI_H
#define SUBLIM_CLI_H

#include <stddef.h>
#include <stdio.h>
#include "base/err.h"

typedef enum {
    FLAG_SIZE,   /* size_t, integer in [min, max] */
    FLAG_U64,    /* uint64_t, integer in [min, max] */
    FLAG_DOUBLE, /* double, finite, in [min, max] */
    FLAG_STRING, /* const char * (points into argv) */
    FLAG_CHOICE, /* int: index into choices (NULL-terminated) */
    FLAG_SWITCH, /* int: set to 1, takes no value */
    FLAG_LIST,   /* double list "1e-1,1e-2": dest is cli_list */
} flag_type;

#define CLI_LIST_MAX 32
typedef struct {
    size_t n;
    double v[CLI_LIST_MAX];
} cli_list;

typedef struct {
    const char *name;  /* without the leading "--" */
    flag_type type;
    void *dest;
    double min, max;   /* for numbers and each list entry */
    const char *const *choices;
    const char *help;  /* one line; the default is printed after it */
} flag_spec;

/* Parses argv[0..argc) (flags only).  Returns 0 on success, 1 when --help
 * or -h was given, -1 on a bad flag (e says which and why). */
int cli_parse(int argc, char **argv, const flag_spec *specs, size_t n_specs, err *e);

/* Prints "usage" then one line per flag with its current (default) value. */
void cli_print_help(FILE *f, const char *usage, const flag_spec *specs, size_t n_specs);

#endif
