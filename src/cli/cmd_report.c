/* sublim report, sublim merge: the derived outputs of result folders. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/commands.h"
#include "out/folder.h"
#include "out/merge.h"
#include "out/report.h"

/* A command's arguments split into flags (for cmd_parse_flags) and folder
 * names; a flag written "--flag value" keeps its value. */
typedef struct {
    char **flags, **dirs;
    int n_flags, n_dirs;
} folder_args;

static void folder_args_free(folder_args *fa)
{
    free(fa->flags);
    free(fa->dirs);
}

/* Splits argv and parses its flags: returns -1 to go on (fa holds the
 * folders; free it with folder_args_free), else the exit code. */
static int parse_folder_args(const char *cmd, const char *usage, int argc, char **argv,
                             const flag_table *tables, size_t n_tables, folder_args *fa)
{
    fa->flags = malloc((size_t)(argc + 1) * sizeof *fa->flags);
    fa->dirs = malloc((size_t)(argc + 1) * sizeof *fa->dirs);
    fa->n_flags = fa->n_dirs = 0;
    if (!fa->flags || !fa->dirs) {
        folder_args_free(fa);
        fprintf(stderr, "sublim: out of memory\n");
        return 1;
    }
    for (int i = 0; i < argc; i++) {
        if (strncmp(argv[i], "--", 2) != 0 && strcmp(argv[i], "-h") != 0) {
            fa->dirs[fa->n_dirs++] = argv[i];
            continue;
        }
        fa->flags[fa->n_flags++] = argv[i];
        if (flags_takes_value(argv[i], tables, n_tables) && i + 1 < argc)
            fa->flags[fa->n_flags++] = argv[++i];
    }
    int rc = cmd_parse_flags(cmd, usage, fa->n_flags, fa->flags, tables, n_tables);
    if (rc >= 0)
        folder_args_free(fa);
    return rc;
}

/* The derived files dir now has. */
static void print_outputs(const char *dir)
{
    static const struct {
        const char *what, *name;
    } outputs[] = {{"figure", FOLDER_FIGURE},
                   {"curves", FOLDER_CURVES_FIGURE},
                   {"alignment", FOLDER_ALIGNMENT_FIGURE},
                   {"report", FOLDER_REPORT},
                   {"page", FOLDER_REPORT_HTML}};
    char path[FILES_PATH_MAX];
    for (size_t k = 0; k < sizeof outputs / sizeof outputs[0]; k++)
        if (files_join(path, sizeof path, dir, outputs[k].name, NULL) == 0 &&
            files_exists(path))
            printf("%s: %s\n", outputs[k].what, path);
}

int cmd_report(int argc, char **argv)
{
    static const char usage[] =
        "usage: sublim report OUT\n\n"
        "Regenerates OUT/summary.json, figure.svg, curves.svg, alignment.svg,\n"
        "report.md and\n"
        "report.html from the files an experiment wrote there: results.csv (the\n"
        "results), classes.csv (each arm's answers per digit), samples.pgm (the\n"
        "digits and noise images the page shows), config.txt (the settings),\n"
        "run.txt (machine, threads, wall time), curves.csv, alignment.csv, and\n"
        "theorem.csv and\n"
        "theorem.txt (a theorem check and its settings).  A folder with a theorem\n"
        "check alone gets report.md alone.  The same files give the same bytes.";
    folder_args fa;
    int rc = parse_folder_args("report", usage, argc, argv, NULL, 0, &fa);
    if (rc >= 0)
        return rc;
    if (fa.n_dirs != 1) {
        fprintf(stderr, "sublim report: give exactly one result folder (see --help)\n");
        folder_args_free(&fa);
        return CMD_EXIT_USAGE;
    }
    err e;
    folder f;
    rc = 1;
    if (folder_open(&f, fa.dirs[0], 0, &e) == 0) {
        if (report_regenerate(&f, &e) == 0) {
            print_outputs(fa.dirs[0]);
            rc = 0;
        }
        folder_close(&f);
    }
    if (rc)
        fprintf(stderr, "sublim report: %s\n", e.msg);
    folder_args_free(&fa);
    return rc;
}

typedef struct {
    const char *out;
    int force;
} merge_flags;

static const setting MERGE_FLAGS[] = {
    {"out", SETTING_TEXT, offsetof(merge_flags, out), NULL, 0, 0, NULL,
     "the merged folder (new, or empty)", 0, .placeholder = "DIR"},
    {"force", SETTING_SWITCH, offsetof(merge_flags, force), NULL, 0, 0, NULL,
     "replace the results the merged folder holds", 0},
};

int cmd_merge(int argc, char **argv)
{
    static const char usage[] =
        "usage: sublim merge OUT1 OUT2 ... --out DIR\n\n"
        "Combines result folders of separate runs (other seeds, other machines) into\n"
        "DIR, as if one run had made all the rows: results.csv, config.txt, run.txt,\n"
        "curves.csv, alignment.csv, summary.json, figure.svg, curves.svg,\n"
        "alignment.svg, report.md.  Refuses folders\n"
        "whose config.txt differ, a seed that two folders both hold, and a DIR that\n"
        "is one of the folders.";
    merge_flags mf = {NULL, 0};
    const flag_table tables[] = {{MERGE_FLAGS, 2, &mf}};
    folder_args fa;
    int rc = parse_folder_args("merge", usage, argc, argv, tables, 1, &fa);
    if (rc >= 0)
        return rc;
    if (fa.n_dirs < 1 || !mf.out) {
        fprintf(stderr, "sublim merge: %s (see --help)\n",
                mf.out ? "give the folders to merge" : "--out DIR is required");
        folder_args_free(&fa);
        return CMD_EXIT_USAGE;
    }
    err e;
    char notes[1024];
    if (merge_folders((const char *const *)fa.dirs, (size_t)fa.n_dirs, mf.out, mf.force, notes,
                      sizeof notes, &e)) {
        fprintf(stderr, "sublim merge: %s\n", e.msg);
        rc = 1;
    } else {
        if (*notes)
            fprintf(stderr, "sublim merge: %s\n", notes);
        printf("merged %d folder%s into %s/\n", fa.n_dirs, fa.n_dirs == 1 ? "" : "s", mf.out);
        print_outputs(mf.out);
        rc = 0;
    }
    folder_args_free(&fa);
    return rc;
}
