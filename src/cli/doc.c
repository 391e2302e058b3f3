#include "cli/doc.h"
#include <string.h>
#include "base/version.h"
#include "cli/commands.h"
#include "nn/kernels_path.h"
#include "out/folder.h"

static const char *const FORMAT_NAMES[] = {"man", "bash", "zsh"};
static const char *const COMMAND_ARGS[] = {"--help=man", "--help=bash", "--help=zsh"};
#define N_FORMATS (sizeof FORMAT_NAMES / sizeof FORMAT_NAMES[0])

/* The format whose entry in names[] is s; -1 for none. */
static int format_in(const char *const *names, const char *s, doc_format *f)
{
    for (size_t k = 0; k < N_FORMATS; k++)
        if (strcmp(s, names[k]) == 0) {
            *f = (doc_format)k;
            return 0;
        }
    return -1;
}

int doc_format_named(const char *name, doc_format *f)
{
    return format_in(FORMAT_NAMES, name, f);
}

const char *doc_command_arg(doc_format f)
{
    return COMMAND_ARGS[f];
}

int doc_format_of(const char *arg, doc_format *f)
{
    return format_in(COMMAND_ARGS, arg, f);
}

/* The settings of the tables that have a flag, in order, into flags[]
 * (at most MAX_FLAGS); how many. */
#define MAX_FLAGS 128
static size_t flags_of(const flag_table *tables, size_t n_tables, const setting **flags)
{
    size_t n = 0;
    for (size_t t = 0; t < n_tables; t++)
        for (size_t i = 0; i < tables[t].n && n < MAX_FLAGS; i++)
            if (setting_has_flag(&tables[t].settings[i]))
                flags[n++] = &tables[t].settings[i];
    return n;
}

/* What the k-th synopsis line of usage ("usage: sublim CMD ...", then
 * lines "       sublim CMD ...", up to the first blank line) gives after
 * CMD: the operands besides flags ("OUT", "--collect DIR"), "" for none;
 * -1 when there is no k-th line. */
static int usage_operands(const char *usage, const char *cmd, size_t k, char *buf, size_t size)
{
    char head[64];
    snprintf(head, sizeof head, "sublim %s", cmd);
    const char *line = usage;
    for (size_t i = 0;; i++) {
        const char *p = strstr(line, head), *end = strchr(line, '\n');
        if (!p || (end && p > end) || line[0] == '\n')
            return -1;
        if (i == k) {
            p += strlen(head);
            p += *p == ' ';
            snprintf(buf, size, "%.*s", (int)(end ? (size_t)(end - p) : strlen(p)), p);
            if (strcmp(buf, "[flags]") == 0)
                buf[0] = '\0';
            return 0;
        }
        if (!end)
            return -1;
        line = end + 1;
    }
}

/* 1 when the command takes folders named without a flag (report OUT,
 * merge OUT1 OUT2 ...). */
static int takes_folders(const char *usage, const char *cmd)
{
    char operands[512];
    for (size_t k = 0; usage_operands(usage, cmd, k, operands, sizeof operands) == 0; k++)
        if (operands[0] && operands[0] != '-')
            return 1;
    return 0;
}

/* ---- the man page (mdoc) ---- */

/* The character at *p as roff input into buf (12 bytes at most), moving
 * past it: a backslash escaped, anything beyond ASCII as a \[uXXXX]
 * escape (so the page is ASCII whatever the reader's locale).  Its
 * length. */
static size_t man_char(char *buf, const unsigned char **p)
{
    const unsigned char *q = *p;
    if (*q < 0x80) {
        *p = q + 1;
        return (size_t)sprintf(buf, *q == '\\' ? "\\e" : *q == '"' ? "\\(dq" : "%c", *q);
    }
    /* UTF-8: the lead byte says how many continuation bytes follow. */
    int more = *q >= 0xf0 ? 3 : *q >= 0xe0 ? 2 : 1;
    unsigned long c = *q++ & (0x3fu >> more);
    for (; more && (*q & 0xc0) == 0x80; more--)
        c = c << 6 | (*q++ & 0x3fu);
    *p = q;
    return (size_t)sprintf(buf, "\\[u%04lX]", c & 0x1fffff);
}

/* Text as text lines of at most 80 bytes (mandoc's style), broken between
 * words; a line start roff would read as a request is guarded. */
static void man_text(FILE *out, const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t column = 0;
    while (*p) {
        char word[1024];
        size_t len = 0;
        while (*p == ' ' || *p == '\n')
            p++;
        while (*p && *p != ' ' && *p != '\n' && len + 16 < sizeof word)
            len += man_char(word + len, &p);
        if (!len)
            break;
        if (column && column + 1 + len > 80) {
            fputc('\n', out);
            column = 0;
        }
        if (column)
            fputc(' ', out), column++;
        else if (word[0] == '.' || word[0] == '\'')
            fputs("\\&", out), column += 2;
        fwrite(word, 1, len, out);
        column += len;
    }
    fputc('\n', out);
}

/* A macro argument: quoted (its quotes escaped). */
static void man_arg(FILE *out, const char *text)
{
    char c[16];
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)text; *p;)
        fwrite(c, 1, man_char(c, &p), out);
    fputc('"', out);
}

/* Prose as text lines, one sentence per line as mdoc asks.  A sentence
 * ends where the usage texts end one: a period then two spaces or a line
 * break; other line breaks join words. */
static void man_prose(FILE *out, const char *text)
{
    char line[4096];
    size_t used = 0;
    for (const char *p = text;; p++) {
        int end = *p == '\0' ||
                  (used && line[used - 1] == '.' && (*p == '\n' || (p[0] == ' ' && p[1] == ' ')));
        if (!end) {
            if (used + 1 < sizeof line)
                line[used++] = *p == '\n' ? ' ' : *p;
            continue;
        }
        line[used] = '\0';
        if (used)
            man_text(out, line);
        used = 0;
        if (*p == '\0')
            return;
        while (p[1] == ' ' || p[1] == '\n')
            p++;
    }
}

static void man_head(FILE *out, const doc_entry *commands, size_t n)
{
    fprintf(out,
            ".\\\" sublim.1: written by 'sublim help --man' from the settings tables the\n"
            ".\\\" command line is parsed with; regenerate it, do not edit it.\n"
            ".Dd %s\n.Dt SUBLIM 1\n.Os\n"
            ".Sh NAME\n.Nm sublim\n"
            ".Nd reproduce the MNIST experiment of Subliminal Learning\n"
            ".Sh SYNOPSIS\n.Nm\n.Ar command\n.Op Ar flags\n"
            ".Nm\n.Ar command\n.Fl -help\n"
            ".Nm\n.Fl -version\n"
            ".Sh DESCRIPTION\n"
            "A student network trained only to imitate a teacher's auxiliary logits, on\n"
            "random-noise images, learns to classify MNIST digits it never saw, but only\n"
            "when it starts from the same random weights as its teacher.\n"
            ".Nm\n"
            "reproduces this experiment of Subliminal Learning (Cloud et al., 2025) with\n"
            "controls, seeds and confidence intervals, and checks the paper's theorem\n"
            "behind it in double precision.\n"
            ".Pp\n"
            "This page describes\n.Nm\n%s.\n"
            ".Pp\n"
            "The commands:\n.Bl -tag -width experiment\n",
            SUBLIM_VERSION_DATE, SUBLIM_VERSION);
    for (size_t k = 0; k < n; k++) {
        fprintf(out, ".It Cm %s\n", commands[k].name);
        man_text(out, commands[k].help);
    }
    fputs(".It Cm help , Fl -help , Fl h\nthis list\n"
          ".It Cm version , Fl -version , Fl V\nthe version\n"
          ".El\n.Pp\n"
          "A flag that takes a value is written\n.Fl -name Ar value\nor\n"
          ".Fl -name Ns = Ns Ar value .\n"
          ".Sh COMMANDS\n",
          out);
}

/* The synopsis of one command: sublim CMD, then its operands. */
static void man_synopsis(FILE *out, const char *cmd, const char *operands, int another)
{
    fprintf(out, "%s.Nm\n.Cm %s\n", another ? ".br\n" : "", cmd);
    char copy[512];
    snprintf(copy, sizeof copy, "%s", operands);
    for (char *save, *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
        if (strncmp(w, "--", 2) == 0)
            fprintf(out, ".Fl %s\n", w + 1);
        else
            fprintf(out, ".Ar %s\n", w);
    if (!operands[0] || operands[0] != '-')
        fputs(".Op Ar flags\n", out);
}

static void man_flag(FILE *out, const setting *s)
{
    char flag[80];
    setting_flag(s, flag, sizeof flag);
    fprintf(out, ".It Fl %s", flag + 1);
    char what[64];
    setting_placeholder(s, what, sizeof what);
    if (s->type == SETTING_CHOICE)
        for (unsigned c = 0; s->choices[c]; c++)
            fprintf(out, "%s Cm %s", c ? " |" : "", s->choices[c]);
    else if (what[0])
        fprintf(out, " Ar %s", what);
    fputc('\n', out);
    man_text(out, s->help);
    if (s->def && s->def[0] && s->type != SETTING_SWITCH) {
        fputs(".Pq default: Ql ", out);
        man_arg(out, s->def);
        fputc('\n', out);
    }
}

static void man_command(FILE *out, const char *cmd, const char *usage,
                        const flag_table *tables, size_t n_tables)
{
    char operands[512];
    fprintf(out, ".Ss %s\n", cmd);
    for (size_t k = 0; usage_operands(usage, cmd, k, operands, sizeof operands) == 0; k++)
        man_synopsis(out, cmd, operands, k > 0);
    /* The usage text's description: what follows its first blank line. */
    const char *text = strstr(usage, "\n\n");
    if (text) {
        fputs(".Pp\n", out);
        man_prose(out, text + 2);
    }
    fputs(".Bl -tag -width Ds\n", out);
    const setting *flags[MAX_FLAGS];
    for (size_t k = 0, n = flags_of(tables, n_tables, flags); k < n; k++)
        man_flag(out, flags[k]);
    fputs(".It Fl -help , Fl h\nprint these flags with their current values\n.El\n", out);
}

/* What a result folder holds, named from out/folder.h. */
static const struct {
    const char *file, *what;
} FOLDER_FILES[] = {
    {FOLDER_RESULTS, "one row per seed and arm: the results everything else is derived from"},
    {FOLDER_CONFIG, "the settings the rows depend on, and the data they read"},
    {FOLDER_RUNS,
     "how each run went: command, version, machine, threads, kernels, wall time, status"},
    {FOLDER_CURVES, "loss and test accuracy per trained arm and epoch (not with --no-curves)"},
    {FOLDER_ALIGNMENT,
     "each student's cosine with its teacher's displacement from the shared start, over the "
     "whole network and per layer, at step 0, each epoch's end and every --align-every steps "
     "(not with --no-curves)"},
    {FOLDER_SUMMARY, "the results per arm, with the configuration"},
    {FOLDER_FIGURE, "the bar figure of accuracy per arm"},
    {FOLDER_CURVES_FIGURE, "the curves"},
    {FOLDER_ALIGNMENT_FIGURE, "the alignment, per layer, epoch by epoch"},
    {FOLDER_REPORT, "the report: table, figures, configuration, machine"},
    {FOLDER_THEOREM_CSV, "written by theorem: its table"},
    {FOLDER_THEOREM_JSON, "written by theorem: every trial"},
};

static void man_tail(FILE *out)
{
    fputs(".Sh ENVIRONMENT\n.Bl -tag -width XDG_DATA_HOME\n"
          ".It Ev SUBLIM_DATA\n"
          "The folder of the unpacked MNIST files when\n.Fl -data\nis not given.\n"
          ".It Ev XDG_DATA_HOME\n"
          "Without\n.Fl -data\nand\n.Ev SUBLIM_DATA ,\nand when\n.Pa ./mnist\n"
          "does not hold MNIST, it is looked for in\n.Pa $XDG_DATA_HOME/sublim/mnist\n"
          "(by default\n.Pa ~/.local/share/sublim/mnist ,\n"
          "where\n.Nm sublim-fetch-mnist\nputs it).\n"
          ".It Ev SUBLIM_FASHION_DATA\n"
          "The folder of the unpacked Fashion-MNIST files when it is read without\n"
          ".Fl -data :\nwith\n.Fl -student-inputs Cm fashion ,\nor with\n"
          ".Fl -dataset Cm fashion\nand no\n.Fl -data .\n"
          ".It Ev SUBLIM_KERNELS\nThe kernel path to use, at most:\n",
          out);
    for (int q = (int)KERN_PATH_COUNT - 1; q >= 0; q--)
        fprintf(out, ".Cm %s%s\n", kern_path_str((enum kern_path)q), q ? " ," : " ;");
    fputs("by default the best this CPU has.\nEvery path gives the same results.\n"
          ".It Ev NO_COLOR , Ev TERM\n"
          "When\n.Ev NO_COLOR\nis set or\n.Ev TERM\nis\n.Ql dumb ,\n"
          "progress is written without terminal escapes.\n"
          ".It Ev SLURM_ARRAY_TASK_ID\n"
          "The job a\n.Cm sweep\nruns when\n.Fl -task\nis not given.\n"
          ".El\n"
          ".Sh FILES\n.Bl -tag -width Ds\n",
          out);
    for (size_t k = 0; k < sizeof FOLDER_FILES / sizeof FOLDER_FILES[0]; k++) {
        fprintf(out, ".It Pa OUT/%s\n", FOLDER_FILES[k].file);
        man_text(out, FOLDER_FILES[k].what);
    }
    fputs(".It Pa ./mnist/ , Pa ~/.local/share/sublim/mnist/\n"
          "Where MNIST is looked for (see\n.Ev SUBLIM_DATA ) .\n"
          ".Nm sublim-fetch-mnist Op Ar DIR\n"
          "downloads, verifies and unpacks it into\n.Ar DIR\nor the user's data folder.\n"
          ".It Pa ./fashion-mnist/ , Pa ~/.local/share/sublim/fashion-mnist/\n"
          "Where Fashion-MNIST is looked for (see\n.Ev SUBLIM_FASHION_DATA ) .\n"
          ".Nm sublim-fetch-mnist Fl -fashion Op Ar DIR\n"
          "copies it from Debian's package dataset-fashion-mnist when installed, else\n"
          "downloads it, and verifies and unpacks it.\n"
          ".El\n"
          ".Sh EXIT STATUS\n.Bl -tag -width Ds\n"
          ".It 0\nsuccess.\n"
          ".It 1\na failure at run time (missing data, a folder in use, a failed check).\n"
          ".It 2\nbad usage: an unknown flag, a value out of range.\n"
          ".It 128 + N\nstopped by signal N (130: SIGINT, 143: SIGTERM), having kept\n"
          "the seeds finished so far;\nthe same command with\n.Fl -resume\ngoes on.\n"
          ".El\n"
          ".Sh EXAMPLES\n"
          "Fetch MNIST once, then run one seed (about a quarter of a minute on two\n"
          "cores) and look at the report:\n"
          ".Bd -literal -offset indent\n"
          "$ sublim-fetch-mnist\n"
          "$ sublim experiment --seeds 1 --out demo\n"
          "$ sublim theorem --out demo --check\n"
          "$ sublim report demo\n"
          ".Ed\n"
          ".Pp\n"
          "The effect over the number of auxiliary logits, two seeds each:\n"
          ".Bd -literal -offset indent\n"
          "$ sublim sweep --m 1,3,10 --seeds 2 --out sweep-m\n"
          ".Ed\n"
          ".Sh AUTHORS\n.An the sublim authors\n",
          out);
}

/* ---- bash ---- */

/* text inside single quotes, as the shell reads it back; the characters
 * of `backslashed` get a backslash (for what reads the text next). */
static void sh_quoted(FILE *out, const char *text, const char *backslashed)
{
    for (const char *p = text; *p; p++)
        if (*p == '\'')
            fputs("'\\''", out);
        else
            fprintf(out, "%s%c", strchr(backslashed, *p) ? "\\" : "", *p);
}

static void bash_head(FILE *out, const doc_entry *commands, size_t n)
{
    fputs("# bash completion for sublim: written by 'sublim help --bash' from the settings\n"
          "# tables the command line is parsed with; regenerate it, do not edit it.\n"
          "_sublim()\n{\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} prev= words= operands=\n"
          "    ((COMP_CWORD > 1)) && prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
          "    # --flag=value: bash splits the word at '='.\n"
          "    [[ $cur == = ]] && cur=\n"
          "    [[ $prev == = ]] && ((COMP_CWORD > 2)) && prev=${COMP_WORDS[COMP_CWORD - 2]}\n"
          "    if ((COMP_CWORD == 1)); then\n"
          "        COMPREPLY=($(compgen -W '",
          out);
    for (size_t k = 0; k < n; k++)
        fprintf(out, "%s ", commands[k].name);
    fputs("help version --help --version' -- \"$cur\"))\n"
          "        return\n"
          "    fi\n"
          "    case ${COMP_WORDS[1]} in\n",
          out);
}

/* The completion of a flag's value: its choices, a path or nothing. */
static void bash_value(FILE *out, const setting *s)
{
    char what[64];
    setting_placeholder(s, what, sizeof what);
    if (s->type == SETTING_CHOICE) {
        fputs("COMPREPLY=($(compgen -W '", out);
        for (unsigned c = 0; s->choices[c]; c++)
            fprintf(out, "%s%s", c ? " " : "", s->choices[c]);
        fputs("' -- \"$cur\"))", out);
    } else if (strcmp(what, "DIR") == 0 || strcmp(what, "FILE") == 0) {
        fprintf(out, "compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -%c -- \"$cur\"))",
                what[0] == 'D' ? 'd' : 'f');
    } else {
        fputs("COMPREPLY=()", out); /* a number or a list: nothing to offer */
    }
}

static void bash_command(FILE *out, const char *cmd, const char *usage,
                         const flag_table *tables, size_t n_tables)
{
    fprintf(out, "    %s)\n        case $prev in\n", cmd);
    const setting *flags[MAX_FLAGS];
    size_t n = flags_of(tables, n_tables, flags);
    for (size_t k = 0; k < n; k++) {
        const setting *s = flags[k];
        if (s->type == SETTING_SWITCH)
            continue;
        char flag[80];
        setting_flag(s, flag, sizeof flag);
        fprintf(out, "        %s) ", flag);
        bash_value(out, s);
        fputs("; return ;;\n", out);
    }
    fputs("        esac\n        words='", out);
    for (size_t k = 0; k < n; k++) {
        char flag[80];
        setting_flag(flags[k], flag, sizeof flag);
        fprintf(out, "%s ", flag);
    }
    /* Folders named without a flag (report OUT, merge OUT1 OUT2 ...). */
    fprintf(out, "--help'\n        operands=%d\n        ;;\n", takes_folders(usage, cmd));
}

static void bash_tail(FILE *out)
{
    fputs("    *) return ;;\n"
          "    esac\n"
          "    if [[ $cur != -* ]] && ((operands)); then\n"
          "        compopt -o filenames 2>/dev/null\n"
          "        COMPREPLY=($(compgen -d -- \"$cur\"))\n"
          "    else\n"
          "        COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
          "    fi\n"
          "}\n"
          "complete -F _sublim sublim\n",
          out);
}

/* ---- zsh ---- */

static void zsh_head(FILE *out, const doc_entry *commands, size_t n)
{
    fputs("#compdef sublim\n"
          "# zsh completion for sublim: written by 'sublim help --zsh' from the settings\n"
          "# tables the command line is parsed with; regenerate it, do not edit it.\n"
          "_sublim() {\n"
          "    local -a commands\n"
          "    commands=(\n",
          out);
    for (size_t k = 0; k < n; k++) {
        fprintf(out, "        '%s:", commands[k].name);
        sh_quoted(out, commands[k].help, "");
        fputs("'\n", out);
    }
    fputs("        'help:the commands'\n"
          "        'version:the version'\n"
          "    )\n"
          "    if ((CURRENT == 2)); then\n"
          "        _describe -t commands 'sublim command' commands\n"
          "        return\n"
          "    fi\n"
          "    local cmd=$words[2]\n"
          "    shift words\n"
          "    ((CURRENT--))\n"
          "    case $cmd in\n",
          out);
}

static void zsh_command(FILE *out, const char *cmd, const char *usage,
                        const flag_table *tables, size_t n_tables)
{
    fprintf(out, "    %s)\n        _arguments \\\n", cmd);
    const setting *flags[MAX_FLAGS];
    for (size_t k = 0, n = flags_of(tables, n_tables, flags); k < n; k++) {
        const setting *s = flags[k];
        char flag[80];
        setting_flag(s, flag, sizeof flag);
        char what[64];
        setting_placeholder(s, what, sizeof what);
        fprintf(out, "            '%s%s[", flag, s->type == SETTING_SWITCH ? "" : "=");
        sh_quoted(out, s->help, "[]:\\"); /* an _arguments description */
        fputc(']', out);
        if (s->type == SETTING_CHOICE) {
            fprintf(out, ":%s:(", s->name);
            for (unsigned c = 0; s->choices[c]; c++)
                fprintf(out, "%s%s", c ? " " : "", s->choices[c]);
            fputc(')', out);
        } else if (s->type != SETTING_SWITCH) {
            fprintf(out, ":%s:%s", what,
                    strcmp(what, "DIR") == 0    ? "_files -/"
                    : strcmp(what, "FILE") == 0 ? "_files"
                                                : " ");
        }
        fputs("' \\\n", out);
    }
    if (takes_folders(usage, cmd))
        fputs("            '*:result folder:_files -/' \\\n", out);
    fputs("            '(- *)--help[print the flags]'\n        ;;\n", out);
}

static void zsh_tail(FILE *out)
{
    fputs("    esac\n}\n_sublim \"$@\"\n", out);
}

void doc_head(FILE *out, doc_format f, const doc_entry *commands, size_t n)
{
    (f == DOC_MAN ? man_head : f == DOC_BASH ? bash_head : zsh_head)(out, commands, n);
}

void doc_command(FILE *out, doc_format f, const char *cmd, const char *usage,
                 const flag_table *tables, size_t n_tables)
{
    (f == DOC_MAN ? man_command : f == DOC_BASH ? bash_command : zsh_command)(out, cmd, usage,
                                                                            tables, n_tables);
}

void doc_tail(FILE *out, doc_format f)
{
    (f == DOC_MAN ? man_tail : f == DOC_BASH ? bash_tail : zsh_tail)(out);
}
