/* doc: the man page and the bash and zsh completions, written from the
 * same settings tables the command line is parsed with, so they cannot
 * drift from it.
 *
 * `sublim help --man` (--bash, --zsh) writes the head (doc_head), then
 * runs every command with the one argument doc_command_arg gives; the
 * command's cmd_parse_flags sees it and writes its part (doc_command) from
 * its own tables instead of running; the tail (doc_tail) ends the file.
 * The Makefile makes sublim.1 and the completions this way. */
#ifndef SUBLIM_DOC_H
#define SUBLIM_DOC_H

#include <stddef.h>
#include <stdio.h>
#include "cli/flags.h"

typedef enum { DOC_MAN, DOC_BASH, DOC_ZSH } doc_format;

/* A command as the top level lists it. */
typedef struct {
    const char *name, *help;
} doc_entry;

/* "man", "bash" or "zsh" into *f; -1 for any other name. */
int doc_format_named(const char *name, doc_format *f);
/* The argument that asks a command for its part: "--help=man", ... */
const char *doc_command_arg(doc_format f);
/* 0 when arg is such an argument (*f: which); else -1. */
int doc_format_of(const char *arg, doc_format *f);

/* The start, listing the commands (and the version in the man page). */
void doc_head(FILE *out, doc_format f, const doc_entry *commands, size_t n);
/* One command's part: its usage text (the man page) and its flags. */
void doc_command(FILE *out, doc_format f, const char *cmd, const char *usage,
                 const flag_table *tables, size_t n_tables);
/* The end. */
void doc_tail(FILE *out, doc_format f);

#endif
