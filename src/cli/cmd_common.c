/* What the subcommands share. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/commands.h"
#include "cli/doc.h"
#include "base/files.h"
#include "base/memory.h"
#include "out/runlog.h"
#include "run/experiment.h"

#define AT(field) offsetof(cmd_run_flags, field)
static const setting RUN_FLAGS[] = {
    {"threads", SETTING_SIZE, AT(threads), "0", 0, 256, NULL, "threads (0: online cores)", 0},
    {"data", SETTING_TEXT, AT(data_dir), NULL, 0, 0, NULL,
     "folder with the unpacked MNIST files (not given: $SUBLIM_DATA when set, else the first "
     "of ./mnist and ${XDG_DATA_HOME:-~/.local/share}/sublim/mnist that holds them)",
     0, .placeholder = "DIR"},
    {"out", SETTING_TEXT, AT(out_dir), "out", 0, 0, NULL, "output folder", 0,
     .placeholder = "DIR"},
};
#undef AT

const setting *cmd_run_settings(size_t *n)
{
    *n = sizeof RUN_FLAGS / sizeof RUN_FLAGS[0];
    return RUN_FLAGS;
}

cmd_run_flags cmd_run_defaults(void)
{
    cmd_run_flags f;
    settings_init(RUN_FLAGS, sizeof RUN_FLAGS / sizeof RUN_FLAGS[0], &f);
    return f;
}

/* The data folder in the current one, the repository's layout. */
#define DATA_HERE "mnist"
/* The file whose presence says a folder holds MNIST (the first one read). */
#define DATA_PROBE "train-images-idx3-ubyte"

/* The user's data folder, ${XDG_DATA_HOME:-$HOME/.local/share}/sublim/mnist
 * (a relative XDG_DATA_HOME is ignored, as the XDG spec says), into buf;
 * "" when HOME is unset too, or the path does not fit. */
static void user_data_dir(char *buf, size_t size)
{
    const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    int n = -1;
    if (xdg && xdg[0] == '/')
        n = snprintf(buf, size, "%s/sublim/mnist", xdg);
    else if (home && home[0])
        n = snprintf(buf, size, "%s/.local/share/sublim/mnist", home);
    if (n < 0 || (size_t)n >= size)
        buf[0] = '\0';
}

static int holds_mnist(const char *dir)
{
    char path[FILES_PATH_MAX];
    return dir[0] && files_join(path, sizeof path, dir, DATA_PROBE, NULL) == 0 &&
           files_exists(path);
}

/* Without --data: where an installed tool finds its data (commands.h). */
static void find_data(cmd_run_flags *rf)
{
    const char *env = getenv("SUBLIM_DATA");
    if (rf->data_dir)
        return;
    if (env && env[0]) {
        rf->data_dir = env; /* set on purpose: used even when it lacks the files */
        return;
    }
    user_data_dir(rf->data_found, sizeof rf->data_found);
    rf->data_dir = holds_mnist(DATA_HERE)           ? DATA_HERE
                   : holds_mnist(rf->data_found) ? rf->data_found
                                                 : NULL;
}

int cmd_parse_flags(const char *cmd, const char *usage, int argc, char **argv,
                    const flag_table *tables, size_t n_tables)
{
    err e;
    doc_format doc;
    if (argc == 1 && doc_format_of(argv[0], &doc) == 0) {
        doc_command(stdout, doc, cmd, usage, tables, n_tables);
        return 0;
    }
    int rc = flags_parse(argc, argv, tables, n_tables, &e);
    if (rc == 1) {
        flags_print_help(stdout, usage, tables, n_tables);
        return 0;
    }
    if (rc < 0) {
        fprintf(stderr, "sublim %s: %s\n", cmd, e.msg);
        return CMD_EXIT_USAGE;
    }
    for (size_t t = 0; t < n_tables; t++)
        if (tables[t].settings == RUN_FLAGS)
            find_data(tables[t].cfg);
    return -1;
}

size_t cmd_thread_count(size_t threads)
{
    return threads ? threads : pool_online_cores();
}

pool *cmd_make_pool(size_t threads)
{
    size_t n = cmd_thread_count(threads);
    pool *p = pool_create(n);
    if (!p)
        fprintf(stderr, "sublim: cannot start %zu threads: %s\n", n, strerror(errno));
    return p;
}

/* Says that MNIST was found nowhere, where it was looked for, and how to
 * fetch it. */
static void tell_no_data(void)
{
    char user[FILES_PATH_MAX];
    user_data_dir(user, sizeof user);
    fprintf(stderr,
            "sublim: no MNIST data: no --data given, SUBLIM_DATA is not set, and neither "
            "./%s nor %s holds %s\n"
            "sublim: fetch and verify it with '%s' (into %s), or '%s DIR' and --data DIR "
            "(or SUBLIM_DATA=DIR); in the repository, 'make data'\n",
            DATA_HERE, user[0] ? user : "the user's data folder (HOME is not set)", DATA_PROBE,
            CMD_FETCH_SCRIPT, user[0] ? user : "$XDG_DATA_HOME/sublim/mnist", CMD_FETCH_SCRIPT);
}

int cmd_load_mnist(const char *dir, dataset *train, dataset *test)
{
    err e;
    if (!dir) {
        tell_no_data();
        return -1;
    }
    if (dataset_load(train, dir, "train", EXPERIMENT_CLASSES, &e) == 0) {
        if (dataset_load(test, dir, "t10k", EXPERIMENT_CLASSES, &e) == 0)
            return 0;
        dataset_free(train);
    }
    fprintf(stderr, "sublim: %s\n(fetch and verify MNIST with '%s DIR', or 'make data' in the "
                    "repository)\n",
            e.msg, CMD_FETCH_SCRIPT);
    return -1;
}

int cmd_check_memory(size_t need, int force, const char *smaller, int quiet)
{
    memory_limit have = memory_available();
    char need_text[32], have_text[32];
    memory_format(need_text, sizeof need_text, (double)need);
    memory_format(have_text, sizeof have_text, (double)have.bytes);
    if (have.bytes == 0 || need <= have.bytes) {
        if (!quiet)
            fprintf(stderr, "sublim: about %s of memory (estimate), of %s of %s\n", need_text,
                    have_text, have.what);
        return 0;
    }
    if (force) {
        fprintf(stderr, "sublim: warning: this run needs about %s of memory but the %s is %s; "
                        "trying anyway (--force)\n",
                need_text, have.what, have_text);
        return 0;
    }
    fprintf(stderr, "sublim: this run needs about %s of memory but the %s is %s: refused "
                    "before allocating it (a smaller %s may fit; --force tries anyway)\n",
            need_text, have.what, have_text, smaller);
    return 1;
}

char **cmd_command_line(const char *cmd, int argc, char **argv)
{
    char **line = malloc((size_t)(argc + 2) * sizeof *line);
    if (!line)
        return NULL;
    line[0] = "sublim";
    line[1] = (char *)cmd;
    for (int i = 0; i < argc; i++)
        line[i + 2] = argv[i];
    return line;
}

const char *cmd_program(char **argv)
{
    return argv[-2];
}

void cmd_tell_resume(const char *program, int argc, char **argv, const char *kept)
{
    char resume[] = "--resume", command[2 * FILES_PATH_MAX];
    char **line = malloc((size_t)(argc + 1) * sizeof *line);
    if (!line)
        return;
    int n = argc, resuming = 0;
    for (int i = 0; i < n; i++) {
        line[i] = argv[i];
        resuming |= strcmp(line[i], resume) == 0;
    }
    line[0] = (char *)program;
    if (!resuming)
        line[n++] = resume;
    runlog_command_line(command, sizeof command, n, line);
    fprintf(stderr, "sublim: to go on where it stopped (keeping the %s finished so far): %s\n",
            kept, command);
    free(line);
}
