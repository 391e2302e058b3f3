/* sublim report, sublim merge: outputs derived from result folders. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/commands.h"
#include "out/report.h"

/* Splits argv into flags (kept for cli_parse) and folder names.  A flag
 * that takes a value and is written "--flag value" keeps its value. */
static void split_args(int argc, char **argv, const flag_spec *specs, size_t n_specs,
                       char **flags, int *n_flags, char **dirs, int *n_dirs)
{
    *n_flags = *n_dirs = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0 && strcmp(a, "-h") != 0) {
            dirs[(*n_dirs)++] = argv[i];
            continue;
        }
        flags[(*n_flags)++] = argv[i];
        for (size_t k = 0; k < n_specs; k++)
            if (strcmp(a + 2, specs[k].name) == 0 && specs[k].type != FLAG_SWITCH &&
                i + 1 < argc)
                flags[(*n_flags)++] = argv[++i];
    }
}

/* A command's flags and folder names, split and parsed. */
typedef struct {
    char **flags, **dirs;
    int n_flags, n_dirs;
} folder_args;

/* Splits argv and parses its flags: returns -1 to go on (fa holds the
 * folders; free it with folder_args_free), else the exit code. */
static int parse_folder_args(const char *cmd, const char *usage, int argc, char **argv,
                             const flag_spec *specs, size_t n_specs, folder_args *fa)
{
    fa->flags = malloc((size_t)(argc + 1) * sizeof *fa->flags);
    fa->dirs = malloc((size_t)(argc + 1) * sizeof *fa->dirs);
    if (!fa->flags || !fa->dirs) {
        free(fa->flags);
        free(fa->dirs);
        fprintf(stderr, "sublim: out of memory\n");
        return 1;
    }
    split_args(argc, argv, specs, n_specs, fa->flags, &fa->n_flags, fa->dirs, &fa->n_dirs);
    int rc = cmd_parse_flags(cmd, usage, fa->n_flags, fa->flags, specs, n_specs);
    if (rc >= 0) {
        free(fa->flags);
        free(fa->dirs);
    }
    return rc;
}

static void folder_args_free(folder_args *fa)
{
    free(fa->flags);
    free(fa->dirs);
}

static void print_outputs(const char *dir)
{
    char path[4200];
    printf("figure: %s/figure.svg\n", dir);
    snprintf(path, sizeof path, "%s/curves.svg", dir);
    if (access(path, F_OK) == 0)
        printf("curves: %s\n", path);
    printf("report: %s/report.md\n", dir);
}

int cmd_report(int argc, char **argv)
{
    static const char usage[] =
        "usage: sublim report OUT\n\n"
        "Regenerates OUT/figure.svg, OUT/curves.svg and OUT/report.md from the files\n"
        "an experiment wrote there: results.csv (the results), config.txt (the\n"
        "settings), run.txt (machine, threads, wall time), curves.csv and theorem.csv.\n"
        "The same files give the same bytes.";
    folder_args fa;
    int rc = parse_folder_args("report", usage, argc, argv, NULL, 0, &fa);
    if (rc >= 0)
        return rc;
    if (fa.n_dirs != 1) {
        fprintf(stderr, "sublim report: give exactly one result folder (see --help)\n");
        rc = CMD_EXIT_USAGE;
    } else {
        err e;
        rc = 0;
        if (report_regenerate(fa.dirs[0], &e)) {
            fprintf(stderr, "sublim report: %s\n", e.msg);
            rc = 1;
        } else {
            print_outputs(fa.dirs[0]);
        }
    }
    folder_args_free(&fa);
    return rc;
}

int cmd_merge(int argc, char **argv)
{
    static const char usage[] =
        "usage: sublim merge OUT1 OUT2 ... --out DIR\n\n"
        "Combines result folders of separate runs (other seeds, other machines) into\n"
        "DIR, as if one run had made all the rows: results.csv, config.txt, run.txt,\n"
        "curves.csv, summary.json, figure.svg, curves.svg, report.md.  Refuses folders\n"
        "whose config.txt differ and a seed that two folders both hold.";
    const char *out = NULL;
    const flag_spec specs[] = {
        {"out", FLAG_STRING, &out, 0, 0, NULL, "the merged folder (new, or empty)"},
    };
    folder_args fa;
    int rc = parse_folder_args("merge", usage, argc, argv, specs, 1, &fa);
    if (rc >= 0)
        return rc;
    char **dirs = fa.dirs;
    int n_dirs = fa.n_dirs;
    if (n_dirs < 1 || !out) {
        fprintf(stderr, "sublim merge: %s (see --help)\n",
                out ? "give the folders to merge" : "--out DIR is required");
        rc = CMD_EXIT_USAGE;
    } else {
        err e;
        char notes[1024];
        rc = 0;
        if (report_merge((const char *const *)dirs, (size_t)n_dirs, out, notes, sizeof notes,
                         &e)) {
            fprintf(stderr, "sublim merge: %s\n", e.msg);
            rc = 1;
        } else {
            if (*notes)
                fprintf(stderr, "sublim merge: %s\n", notes);
            printf("merged %d folder%s into %s/\n", n_dirs, n_dirs == 1 ? "" : "s", out);
            print_outputs(out);
        }
    }
    folder_args_free(&fa);
    return rc;
}
