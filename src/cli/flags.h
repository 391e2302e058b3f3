/* flags: the command line, read through settings tables (base/setting.h).
 *
 * A command's flags are one or more tables, each with the struct it fills:
 * the science's settings (experiment_settings, theorem_settings) and the
 * command's own (threads, folders, switches).  Parsing checks types and
 * ranges and names the offending flag, so every command refuses bad input
 * the same way; --help prints every flag with its current value, which is
 * the default until parsing changes it. */
#ifndef SUBLIM_FLAGS_H
#define SUBLIM_FLAGS_H

#include <stddef.h>
#include <stdio.h>
#include "base/err.h"
#include "base/setting.h"

typedef struct {
    const setting *settings;
    size_t n;
    void *cfg; /* the struct the settings describe */
} flag_table;

/* Parses argv[0..argc) (flags only, "--name value" or "--name=value"; a
 * value that looks like a flag, "--out --resume", is refused unless written
 * "--out=--resume").
 * Returns 0 on success, 1 when --help or -h was given, -1 on a bad flag
 * (e says which and why). */
int flags_parse(int argc, char **argv, const flag_table *tables, size_t n_tables, err *e);

/* 1 when arg is a flag of the tables that takes a value. */
int flags_takes_value(const char *arg, const flag_table *tables, size_t n_tables);

/* Prints usage, then one line per flag with its current value. */
void flags_print_help(FILE *f, const char *usage, const flag_table *tables, size_t n_tables);

#endif
