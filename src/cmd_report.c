/* sublim report, sublim merge: outputs derived from result folders. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "commands.h"
#include "report.h"

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
    char **flags = malloc((size_t)(argc + 1) * sizeof *flags);
    char **dirs = malloc((size_t)(argc + 1) * sizeof *dirs);
    int n_flags, n_dirs, rc;
    if (!flags || !dirs) {
        free(flags);
        free(dirs);
        fprintf(stderr, "sublim: out of memory\n");
        return 1;
    }
    split_args(argc, argv, NULL, 0, flags, &n_flags, dirs, &n_dirs);
    rc = cmd_parse_flags("report", usage, n_flags, flags, NULL, 0);
    if (rc < 0 && n_dirs != 1) {
        fprintf(stderr, "sublim report: give exactly one result folder (see --help)\n");
        rc = CMD_EXIT_USAGE;
    }
    if (rc < 0) {
        err e;
        rc = 0;
        if (report_regenerate(dirs[0], &e)) {
            fprintf(stderr, "sublim report: %s\n", e.msg);
            rc = 1;
        } else {
            print_outputs(dirs[0]);
        }
    }
    free(flags);
    free(dirs);
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
    char **flags = malloc((size_t)(argc + 1) * sizeof *flags);
    char **dirs = malloc((size_t)(argc + 1) * sizeof *dirs);
    int n_flags, n_dirs, rc;
    if (!flags || !dirs) {
        free(flags);
        free(dirs);
        fprintf(stderr, "sublim: out of memory\n");
        return 1;
    }
    split_args(argc, argv, specs, 1, flags, &n_flags, dirs, &n_dirs);
    rc = cmd_parse_flags("merge", usage, n_flags, flags, specs, 1);
    if (rc < 0 && (n_dirs < 1 || !out)) {
        fprintf(stderr, "sublim merge: %s (see --help)\n",
                out ? "give the folders to merge" : "--out DIR is required");
        rc = CMD_EXIT_USAGE;
    }
    if (rc < 0) {
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
    free(flags);
    free(dirs);
    return rc;
}
