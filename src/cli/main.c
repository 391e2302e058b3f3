/* sublim: the command line.  Commands live in cmd_*.c; they alone print
 * errors and choose exit codes: 0 ok, 1 failure at run time, 2 bad usage;
 * 128 + the signal's number when SIGINT or SIGTERM stopped them.  Output
 * that could not be written to stdout is a failure too.  `sublim --version`
 * says which sublim this is; `sublim help --man` (--bash, --zsh) writes
 * the man page (a completion) from the commands' flag tables. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "base/interrupt.h"
#include "base/version.h"
#include "cli/commands.h"
#include "cli/doc.h"

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
    /* SIGINT and SIGTERM stop it in order (base/interrupt.h) rather than
     * at once: every command that writes files.  bench writes none, and has
     * no safe points to stop at. */
    int stops_in_order;
} command;

static const command COMMANDS[] = {
    {"demo", cmd_demo, "the paper's effect in a few seconds, for a class: one seed, a page to open",
     1},
    {"experiment", cmd_experiment,
     "the paper's MNIST experiment: teacher, students, controls, seeds", 1},
    {"theorem", cmd_theorem,
     "the paper's theorem, checked in double: one imitation step moves toward the teacher", 1},
    {"report", cmd_report, "regenerate a result folder's figures, report.md and report.html",
     1},
    {"bench", cmd_bench, "speed of kernels and of the whole experiment on this machine", 0},
    {"merge", cmd_merge, "combine result folders of separate runs (same configuration) into one",
     1},
    {"sweep", cmd_sweep, "the experiment over a grid of settings: here, as separate tasks, "
                         "collected into one table", 1},
};
#define N_COMMANDS (sizeof COMMANDS / sizeof COMMANDS[0])

static void usage(FILE *f)
{
    fprintf(f, "usage: sublim <command> [flags]    (sublim <command> --help for its flags)\n"
               "       sublim --version\n\n"
               "commands:\n");
    for (size_t k = 0; k < N_COMMANDS; k++)
        fprintf(f, "  %-11s %s\n", COMMANDS[k].name, COMMANDS[k].help);
}

/* `sublim help --man` (--bash, --zsh): the man page or a completion, each
 * command writing its own part from its flag tables (cli/doc.h). */
static int write_doc(const char *which)
{
    doc_format f;
    if (strncmp(which, "--", 2) != 0 || doc_format_named(which + 2, &f)) {
        fprintf(stderr, "sublim help: unknown '%s' (--man, --bash or --zsh)\n", which);
        return CMD_EXIT_USAGE;
    }
    doc_entry entries[N_COMMANDS];
    for (size_t k = 0; k < N_COMMANDS; k++)
        entries[k] = (doc_entry){COMMANDS[k].name, COMMANDS[k].help};
    doc_head(stdout, f, entries, N_COMMANDS);
    char arg[32];
    snprintf(arg, sizeof arg, "%s", doc_command_arg(f));
    for (size_t k = 0; k < N_COMMANDS; k++) {
        char *argv[] = {arg, NULL};
        if (COMMANDS[k].run(1, argv) != 0)
            return 1;
    }
    doc_tail(stdout, f);
    return 0;
}

static int is_one_of(const char *arg, const char *a, const char *b, const char *c)
{
    return strcmp(arg, a) == 0 || strcmp(arg, b) == 0 || strcmp(arg, c) == 0;
}

/* Runs the command argv names; its exit code. */
static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CMD_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (is_one_of(name, "--version", "-V", "version")) {
        printf("sublim %s\n", SUBLIM_VERSION);
        return 0;
    }
    if (is_one_of(name, "--help", "-h", "help")) {
        if (argc > 2)
            return write_doc(argv[2]);
        usage(stdout);
        return 0;
    }
    for (size_t k = 0; k < N_COMMANDS; k++) {
        if (strcmp(name, COMMANDS[k].name) != 0)
            continue;
        if (COMMANDS[k].stops_in_order)
            interrupt_catch();
        return COMMANDS[k].run(argc - 2, argv + 2);
    }
    fprintf(stderr, "sublim: unknown command '%s'\n", name);
    usage(stderr);
    return CMD_EXIT_USAGE;
}

/* 0 when everything printed reached stdout; else 1, saying so (a table
 * lost to a full disk is a failure, not a success). */
static int stdout_status(void)
{
    int flush_failed = fflush(stdout) != 0;
    int saved = errno;
    if (!flush_failed && !ferror(stdout))
        return 0;
    fprintf(stderr, "sublim: cannot write to standard output%s%s\n", flush_failed ? ": " : "",
            flush_failed ? strerror(saved) : "");
    return 1;
}

int main(int argc, char **argv)
{
    int rc = dispatch(argc, argv);
    int output_rc = stdout_status();
    int sig = interrupt_signal();
    if (sig)
        return 128 + sig; /* as a shell reports a process the signal ended */
    return rc ? rc : output_rc;
}
