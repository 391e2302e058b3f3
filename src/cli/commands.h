/* commands: the subcommands of the sublim CLI and what they share.
 * Only these files (and main.c) print to the user and pick exit codes:
 * 0 ok, 1 failure at run time, 2 bad usage. */
#ifndef SUBLIM_COMMANDS_H
#define SUBLIM_COMMANDS_H

#include <stddef.h>
#include "cli/cli.h"
#include "base/pool.h"

#define CMD_EXIT_USAGE 2

/* Each takes the arguments after its name. */
int cmd_experiment(int argc, char **argv);
int cmd_theorem(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_merge(int argc, char **argv);

/* Parses a subcommand's flags: returns -1 to go on, else the exit code
 * (0 after printing --help, 2 after printing the flag's error). */
int cmd_parse_flags(const char *cmd, const char *usage, int argc, char **argv,
                    const flag_spec *specs, size_t n_specs);

/* A pool of `threads` threads (0: online cores); prints why on failure. */
pool *cmd_make_pool(size_t threads);

double cmd_now_seconds(void);

extern const char *const CMD_INIT_CHOICES[];  /* normal|uniform */
extern const char *const CMD_NOISE_CHOICES[]; /* uniform|normal */

#endif
