#include "cli/sweep_args.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/text.h"

static const char USAGE[] =
    "usage: sublim sweep [flags]\n"
    "       sublim sweep --collect DIR\n\n"
    "Runs the experiment over a grid of settings.  Every setting flag takes a\n"
    "comma list (--m 1,3,10, --init normal,uniform) or, for a number, a range\n"
    "START:STOP:xFACTOR or START:STOP:+STEP (--lr 1e-4:1e-2:x10 is 1e-4, 1e-3,\n"
    "1e-2); the grid is the product of the lists, and every point runs the same\n"
    "seeds.  A task is one (point, seed), written to OUT/tasks/POINT/seed-S/.\n"
    "By default every task runs here, then the sweep is collected: OUT/sweep.csv\n"
    "(one row per point, seed and arm), summary.csv, sweep.svg, report.md, and\n"
    "OUT/points/POINT/ (each point's seeds merged).  --list prints the tasks;\n"
    "--task J (or SLURM_ARRAY_TASK_ID) runs one job of --tasks-per-job tasks\n"
    "and writes only those; --collect DIR collects once every task is done.";

#define AT(field) offsetof(sweep_args, field)
static const setting OWN_FLAGS[] = {
    {"resume", SETTING_SWITCH, AT(resume), NULL, 0, 0, NULL,
     "keep the tasks finished in OUT; resume or run the others", 0},
    {"force", SETTING_SWITCH, AT(force), NULL, 0, 0, NULL,
     "replace the results of the tasks run; run a grid of more than 10000 tasks; run even "
     "if the memory estimate exceeds the machine's",
     0},
    {"quiet", SETTING_SWITCH, AT(quiet), NULL, 0, 0, NULL, "no progress line", 0},
    {"list", SETTING_SWITCH, AT(list), NULL, 0, 0, NULL,
     "print the tasks, one per line: INDEX POINT SEED (writes nothing)", 0},
    {"task", SETTING_TEXT, AT(task), NULL, 0, 0, NULL,
     "run job J only: tasks J*K ... J*K+K-1 of --list, K = --tasks-per-job (default: "
     "$SLURM_ARRAY_TASK_ID when set; else every task, then collect)",
     0, .placeholder = "J"},
    {"tasks_per_job", SETTING_SIZE, AT(tasks_per_job), "1", 1, 1000000, NULL,
     "tasks per job (--task, SLURM_ARRAY_TASK_ID)", 0},
    {"collect", SETTING_TEXT, AT(collect), NULL, 0, 0, NULL,
     "collect the sweep in this folder (its plan from its sweep.txt)", 0, .placeholder = "DIR"},
};
#undef AT
#define N_OWN (sizeof OWN_FLAGS / sizeof OWN_FLAGS[0])

/* The experiment settings that have a flag, as text flags. */
#define MAX_SETTINGS 32
typedef struct {
    setting table[MAX_SETTINGS];
    const setting *real[MAX_SETTINGS];
    const char *text[MAX_SETTINGS]; /* the struct the table describes */
    char help[MAX_SETTINGS][256];   /* the setting's, saying what it takes */
    char placeholder[MAX_SETTINGS][64];
    size_t n;
} text_settings;

/* The setting's help, with what a sweep takes for it. */
static void help_of(const setting *s, char *buf, size_t size)
{
    size_t used = (size_t)snprintf(buf, size, "%s", s->help);
    if (s->flags & (SETTING_SEEDS | SETTING_ONE_VALUE))
        return; /* one value, as experiment takes it */
    if (s->type == SETTING_SPEC) {
        snprintf(buf + used, size - used, "; a list");
        return;
    }
    if (s->type != SETTING_CHOICE) {
        snprintf(buf + used, size - used, "; a list or a range");
        return;
    }
    for (size_t k = 0; s->choices[k] && used < size; k++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", k ? "|" : ": ", s->choices[k]);
    if (used < size)
        snprintf(buf + used, size - used, ", or a list");
}

static void text_settings_make(text_settings *t)
{
    size_t n;
    const setting *s = experiment_settings(&n);
    t->n = 0;
    for (size_t i = 0; i < n && t->n < MAX_SETTINGS; i++)
        if (setting_has_flag(&s[i])) {
            t->real[t->n] = &s[i];
            help_of(&s[i], t->help[t->n], sizeof t->help[t->n]);
            /* The seeds and the one-value settings take what experiment's
             * take; the others a list. */
            if (s[i].flags & (SETTING_SEEDS | SETTING_ONE_VALUE))
                setting_placeholder(&s[i], t->placeholder[t->n], sizeof t->placeholder[t->n]);
            else
                snprintf(t->placeholder[t->n], sizeof t->placeholder[t->n], "LIST");
            t->table[t->n] = (setting){s[i].name, SETTING_TEXT, t->n * sizeof(const char *),
                                       s[i].def, 0, 0, NULL, t->help[t->n], 0,
                                       .placeholder = t->placeholder[t->n]};
            t->n++;
        }
}

/* The length of the flag name in arg ("--m=3": 1), 0 when arg is no
 * flag.  After a successful parse every argument starting "--" is a flag:
 * a value that looks like one is refused unless glued on with '='. */
static size_t flag_length(const char *arg)
{
    return strncmp(arg, "--", 2) == 0 ? strcspn(arg + 2, "=") : 0;
}

/* Refuses a flag given twice: a second list would silently win. */
static int refuse_repeats(int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        size_t len = flag_length(argv[i]);
        for (int j = 0; len && j < i; j++)
            if (flag_length(argv[j]) == len && strncmp(argv[j], argv[i], len + 2) == 0) {
                fprintf(stderr, "sublim sweep: %.*s is given twice: give each flag once (a "
                                "setting with all its values: --m 1,3)\n",
                        (int)len + 2, argv[i]);
                return CMD_EXIT_USAGE;
            }
    }
    return -1;
}

/* The first flag given that is not one of allowed (NULL-terminated), or
 * NULL. */
static const char *other_flag(int argc, char **argv, const char *const *allowed)
{
    for (int i = 0; i < argc; i++) {
        size_t len = flag_length(argv[i]), k = 0;
        while (len && allowed[k] &&
               !(strlen(allowed[k]) == len && strncmp(allowed[k], argv[i] + 2, len) == 0))
            k++;
        if (len && !allowed[k])
            return argv[i];
    }
    return NULL;
}

/* The plan of the settings' texts: the seeds into the base; each other
 * setting swept when it has several values, else its one value in the
 * base. */
static int make_plan(const text_settings *t, sweep_plan *plan, err *e)
{
    experiment_config base = experiment_defaults();
    sweep_plan one;
    char flag[80];
    for (size_t i = 0; i < t->n; i++) {
        const setting *s = t->real[i];
        if (!(s->flags & SETTING_SEEDS))
            continue;
        setting_flag(s, flag, sizeof flag);
        /* A list is refused by sweep_add_axis, which says why. */
        sweep_plan_init(&one, &base);
        if (strpbrk(t->text[i], ",:") ? sweep_add_axis(&one, s->name, t->text[i], e)
                                      : setting_parse(s, t->text[i], &base, flag, e))
            return -1;
    }
    base.curves = 1; /* as experiment's default: a point folder has curves.svg */
    sweep_plan_init(plan, &base);
    for (size_t i = 0; i < t->n; i++) {
        const setting *s = t->real[i];
        if (s->flags & SETTING_SEEDS)
            continue;
        setting_flag(s, flag, sizeof flag);
        sweep_plan_init(&one, &base);
        if (sweep_add_axis(&one, s->name, t->text[i], e))
            return -1;
        if (one.axes[0].n > 1 ? sweep_add_axis(plan, s->name, t->text[i], e)
                              : setting_parse(s, one.axes[0].values[0], &plan->base, flag, e))
            return -1;
    }
    return 0;
}

/* --collect, --list and --task exclude each other; --collect takes its
 * plan from DIR, so no other flag but --quiet. */
static int check_modes(int argc, char **argv, const sweep_args *a)
{
    static const char *const with_collect[] = {"collect", "quiet", NULL};
    const char *other = a->collect ? other_flag(argc, argv, with_collect) : NULL;
    if (other) {
        fprintf(stderr, "sublim sweep: --collect DIR reads the plan from DIR/sweep.txt: "
                        "'%s' does not go with it\n",
                other);
        return CMD_EXIT_USAGE;
    }
    if (a->list && a->task) {
        fprintf(stderr, "sublim sweep: --list prints every task: give it without --task\n");
        return CMD_EXIT_USAGE;
    }
    return -1;
}

int sweep_args_parse(int argc, char **argv, sweep_args *a)
{
    text_settings t;
    size_t n_run;
    memset(a, 0, sizeof *a);
    text_settings_make(&t);
    a->run = cmd_run_defaults();
    settings_init(t.table, t.n, t.text);
    settings_init(OWN_FLAGS, N_OWN, a);
    const flag_table tables[] = {
        {t.table, t.n, t.text},
        {cmd_run_settings(&n_run), n_run, &a->run},
        {OWN_FLAGS, N_OWN, a},
    };
    int rc = cmd_parse_flags("sweep", USAGE, argc, argv, tables, 3);
    if (rc < 0)
        rc = refuse_repeats(argc, argv);
    if (rc < 0)
        rc = check_modes(argc, argv, a);
    if (rc >= 0 || a->collect)
        return rc;
    err e;
    if (make_plan(&t, &a->plan, &e) || sweep_check_size(&a->plan, a->force, &e) ||
        sweep_check_points(&a->plan, &e)) {
        fprintf(stderr, "sublim sweep: %s\n", e.msg);
        return CMD_EXIT_USAGE;
    }
    cmd_find_data(&a->run, a->plan.base.dataset);
    return -1;
}

/* The job number named by text (what --task or SLURM_ARRAY_TASK_ID gave,
 * named by what) into the tasks it runs. */
static int job_tasks(const sweep_args *a, const char *what, const char *text, size_t *first,
                     size_t *count)
{
    size_t n = sweep_n_tasks(&a->plan), k = a->tasks_per_job, jobs = (n + k - 1) / k, j;
    if (text_parse_size(text, &j)) {
        fprintf(stderr, "sublim sweep: %s '%s' is not a task number\n", what, text);
        return CMD_EXIT_USAGE;
    }
    if (j >= jobs) {
        if (k == 1)
            fprintf(stderr, "sublim sweep: %s %zu is out of range: the sweep has %zu tasks "
                            "(0 to %zu)\n",
                    what, j, n, n - 1);
        else
            fprintf(stderr, "sublim sweep: %s %zu is out of range: the sweep's %zu tasks make "
                            "%zu jobs of --tasks-per-job %zu (0 to %zu)\n",
                    what, j, n, jobs, k, jobs - 1);
        return CMD_EXIT_USAGE;
    }
    *first = j * k;
    *count = n - *first < k ? n - *first : k;
    return 0;
}

int sweep_args_job(const sweep_args *a, int *local, size_t *first, size_t *count)
{
    const char *slurm = getenv("SLURM_ARRAY_TASK_ID");
    *local = !a->task && !slurm;
    if (a->task)
        return job_tasks(a, "--task", a->task, first, count);
    if (slurm)
        return job_tasks(a, "SLURM_ARRAY_TASK_ID", slurm, first, count);
    *first = 0;
    *count = sweep_n_tasks(&a->plan);
    return 0;
}
