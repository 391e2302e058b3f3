/* commands: the subcommands of the sublim command line, and what they share.
 *
 * A command is thin: flags, one library call, an exit code.  Only these
 * files (and main.c) print to the user and pick exit codes: 0 ok, 1 failure
 * at run time, 2 bad usage. */
#ifndef SUBLIM_COMMANDS_H
#define SUBLIM_COMMANDS_H

#include <stddef.h>
#include "base/files.h"
#include "base/pool.h"
#include "cli/flags.h"
#include "nn/datasets.h"
#include "nn/idx.h"
#include "out/folder.h"

#define CMD_EXIT_USAGE 2

/* Each takes the arguments after its name. */
int cmd_experiment(int argc, char **argv);
int cmd_theorem(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_demo(int argc, char **argv);

/* The installed data fetch script (the Makefile installs it under this
 * name; scripts/fetch-mnist.sh in the repository). */
#define CMD_FETCH_SCRIPT "sublim-fetch-mnist"

/* The flags of every command that runs the experiment's network. */
typedef struct {
    size_t threads;       /* 0: online cores */
    const char *data_dir; /* the unpacked data files; NULL: found nowhere */
    const char *out_dir;  /* the result folder */
    char data_found[FILES_PATH_MAX]; /* the user's data folder, when data_dir is it */
    enum dataset_kind dataset;       /* what data_dir holds (cmd_find_data) */
} cmd_run_flags;

/* Their table: --threads, --data, --out (in that order: a command without
 * an output folder takes the first two). */
const setting *cmd_run_settings(size_t *n);
/* The defaults. */
cmd_run_flags cmd_run_defaults(void);
/* Once the flags are read: the data is of `kind`, and without --data,
 * data_dir is where it is found: for MNIST $SUBLIM_DATA when set, else the
 * first of ./FOLDER and the user's data folder
 * (${XDG_DATA_HOME:-$HOME/.local/share}/sublim/FOLDER) that holds it
 * (FOLDER: the dataset's, nn/datasets.h), else NULL (cmd_load_data then
 * says where it looked and how to fetch it). */
void cmd_find_data(cmd_run_flags *rf, enum dataset_kind kind);

/* Parses a command's flags: returns -1 to go on, else the exit code (0
 * after printing --help, 2 after printing the flag's error).  Given only
 * one of doc.h's DOC_ARG_* arguments, prints the command's part of the man
 * page or of a shell completion instead, and returns 0. */
int cmd_parse_flags(const char *cmd, const char *usage, int argc, char **argv,
                    const flag_table *tables, size_t n_tables);

/* The threads --threads asks for (0: online cores). */
size_t cmd_thread_count(size_t threads);

/* A pool of `threads` threads (0: online cores); prints why on failure. */
pool *cmd_make_pool(size_t threads);

/* A run whose memory estimate (need, bytes) exceeds what the process can
 * count on (base/memory.h) is refused, naming both and the flags that make
 * it smaller, unless forced (then only a warning); exit 1, not 2: the same
 * flags fit a larger machine.  Otherwise the estimate is told unless
 * quiet.  Returns 0 to go on, else the exit code. */
int cmd_check_memory(size_t need, int force, const char *smaller, int quiet);

/* The training and test sets of rf's dataset from rf->data_dir (NULL:
 * found nowhere, see cmd_find_data); prints why (and how to get them) on
 * failure. */
int cmd_load_data(const cmd_run_flags *rf, dataset *train, dataset *test);
/* The training set of the dataset inputs of kind are taken from when it
 * is another one (--student-inputs mnist|fashion: found as cmd_find_data
 * finds it, without --data), into *other: 1 when loaded, 0 when kind
 * needs none, -1 having said why it cannot be. */
int cmd_load_other(enum student_input_kind kind, dataset *other);

/* What a command that trains writes with: its result folder (locked), the
 * data, and threads started once the run is known to fit in memory. */
typedef struct {
    folder out;
    dataset train, test;
    dataset other;  /* cmd_load_other's, when has_other */
    int has_other;
    pool *pool; /* NULL until cmd_workspace_start */
} cmd_workspace;

/* Opens rf's output folder and loads rf's data, and the other dataset's
 * training set when the students' inputs (kind) are its: 0, or 1 having
 * said why (then nothing is held). */
int cmd_workspace_open(cmd_workspace *w, const cmd_run_flags *rf, enum student_input_kind kind);
/* Checks the run's memory estimate (cmd_check_memory's arguments) and
 * starts rf's threads: 0, or 1 having said why. */
int cmd_workspace_start(cmd_workspace *w, const cmd_run_flags *rf, size_t need, int force,
                        const char *smaller, int quiet);
/* Stops the threads, frees the data, releases the folder. */
void cmd_workspace_close(cmd_workspace *w);

/* "sublim CMD ARGS...": the command line run.txt records (argc + 2
 * entries, malloc'ed; NULL when out of memory). */
char **cmd_command_line(const char *cmd, int argc, char **argv);

/* The program as the user ran it ("build/sublim", "sublim"), from a
 * command's argv: main calls each command with its own argv + 2 (past the
 * program and the command's name), so argv[-2] is the program. */
const char *cmd_program(char **argv);

/* How to go on after a failure or an interruption: the command line
 * (argc, argv as cmd_command_line made them) with --resume, which keeps
 * the `kept` (seeds, tasks) finished so far, as a shell command to paste:
 * program (cmd_program) in place of "sublim", every word quoted as the
 * shell needs. */
void cmd_tell_resume(const char *program, int argc, char **argv, const char *kept);

#endif
