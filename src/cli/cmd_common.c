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

int cmd_workspace_open(cmd_workspace *w, const cmd_run_flags *rf, enum student_input_kind kind)
{
    err e;
    w->pool = NULL;
    w->has_other = 0;
    if (folder_open(&w->out, rf->out_dir, 1, &e)) {
        fprintf(stderr, "sublim: %s\n", e.msg);
        return 1;
    }
    if (cmd_load_data(rf, &w->train, &w->test)) {
        folder_close(&w->out);
        return 1;
    }
    int other = cmd_load_other(kind, &w->other);
    if (other < 0) {
        dataset_free(&w->train);
        dataset_free(&w->test);
        folder_close(&w->out);
        return 1;
    }
    w->has_other = other;
    return 0;
}

int cmd_workspace_start(cmd_workspace *w, const cmd_run_flags *rf, size_t need, int force,
                        const char *smaller, int quiet)
{
    if (cmd_check_memory(need, force, smaller, quiet))
        return 1;
    w->pool = cmd_make_pool(rf->threads);
    return w->pool ? 0 : 1;
}

void cmd_workspace_close(cmd_workspace *w)
{
    pool_free(w->pool);
    dataset_free(&w->train);
    dataset_free(&w->test);
    if (w->has_other)
        dataset_free(&w->other);
    folder_close(&w->out);
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
