/* sublim demo: the paper's effect in one command, for a class: one seed
 * of the experiment at the paper's settings and a short theorem check into
 * one folder, told in a few lines, ending with the page to open. */
#include <stddef.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/interrupt.h"
#include "cli/commands.h"
#include "out/reading.h"
#include "out/record.h"
#include "out/report.h"
#include "out/theorem_out.h"
#include "run/theorem.h"

static const char USAGE[] =
    "usage: sublim demo [flags]\n\n"
    "The paper's result in a few seconds, for a class: one seed of the\n"
    "experiment at the paper's settings (a seed alone already shows the\n"
    "effect) and a short check of the theorem, into OUT, told as it goes.\n"
    "Ends with OUT/report.html, a page to open or project.  Run again, it\n"
    "shows the finished run at once (an interrupted one goes on where it\n"
    "stopped); --force runs it all again.  `sublim experiment` and\n"
    "`sublim theorem` run any other setting.";

/* The demo's own choices: one seed (about 15 s on two cores; more seeds
 * only narrow an interval), and 10 one-step theorem trials (about 2 s). */
enum { DEMO_SEEDS = 1, DEMO_THEOREM_TRIALS = 10 };
#define DEMO_OUT "demo"

typedef struct {
    int force;
} own_flags;

static const setting OWN_FLAGS[] = {
    {"force", SETTING_SWITCH, offsetof(own_flags, force), NULL, 0, 0, NULL,
     "run it all again, replacing what OUT holds (results of another run too)", 0},
};

static void tell_plan(const experiment_config *cfg)
{
    printf("The paper's experiment, one seed (Cloud et al. 2025, \"Subliminal Learning\"):\n"
           "  1. a teacher network learns MNIST digits through its 10 digit outputs; its\n"
           "     %zu extra outputs (the auxiliary logits) are never trained on anything;\n"
           "  2. a student that starts from the teacher's own random initialization (θ0)\n"
           "     learns to copy only those %zu auxiliary logits, on images of pure noise:\n"
           "     it never sees a digit, a label or a digit output;\n"
           "  3. a control student does the same from another initialization (θ0′);\n"
           "  then every network is tested on MNIST's 10,000 test digits.\n\n",
           cfg->m, cfg->m);
    fflush(stdout);
}

/* Test accuracy of the arm called name (NaN when it has none). */
static double arm_accuracy(const record_outcome *out, const char *name)
{
    int a = experiment_arm_index(name);
    return a >= 0 && out->sum[a].acc.n ? out->sum[a].acc.mean : NAN;
}

static void tell_outcome(const experiment_config *cfg, const record_outcome *out)
{
    results_print_table(stdout, cfg, out->sum);
    printf("\nWhat to look at (chance is %.0f%%):\n"
           "  student_aux_same  %5.1f%%  same start as the teacher: it classifies digits it\n"
           "                            never saw, through outputs that never saw a digit;\n"
           "  student_aux_cross %5.1f%%  another start, the same training: what noise\n"
           "                            imitation alone gives.\n",
           100 * READING_CHANCE, 100 * arm_accuracy(out, "student_aux_same"),
           100 * arm_accuracy(out, "student_aux_cross"));
}

/* The theorem check into f, told; its verdict is reported as it is (the
 * page shows the table either way). */
static int run_theorem(const folder *f, const dataset *train, const dataset *test, pool *p,
                       err *e)
{
    theorem_config cfg = theorem_defaults();
    cfg.trials = DEMO_THEOREM_TRIALS;
    cfg.steps = 1;
    theorem_record r;
    printf("\nThe paper's theorem says why: from a shared start, one small step of imitation\n"
           "never moves the student away from the teacher.  Checked here on this network,\n"
           "%zu teacher-student pairs, one step each:\n",
           cfg.trials);
    fflush(stdout);
    if (theorem_validate(&cfg, train, test, e) ||
        theorem_out_record(f, &cfg, train, test, p, &r, e)) {
        theorem_out_free(&r);
        return -1;
    }
    err verdict;
    if (theorem_check(&r.res, &cfg, &verdict))
        printf("  the check FAILED: %s\n", verdict.msg);
    else
        printf("  every student moved toward its teacher (all %zu, at every ε <= %g)\n",
               cfg.trials, THEOREM_CHECK_MAX_EPS);
    theorem_out_free(&r);
    return 0;
}

/* Experiment, theorem, then the report again with the theorem in it. */
static int run_all(const folder *f, const record_options *o, const dataset *train,
                   const dataset *test, pool *p, const char *out_dir, err *e)
{
    record_outcome out;
    tell_plan(&o->cfg);
    if (record_experiment(f, o, train, test, p, &out, e))
        return -1;
    if (out.kept)
        printf("(the finished run %s/ holds, shown again: --force runs it again)\n\n",
               out_dir);
    tell_outcome(&o->cfg, &out);
    if (run_theorem(f, train, test, p, e) || report_regenerate(f, e))
        return -1;
    printf("\npage: %s/%s (open it in a browser)\n", out_dir, FOLDER_REPORT_HTML);
    return 0;
}

static int run(const record_options *o, const cmd_run_flags *rf)
{
    cmd_workspace w;
    if (cmd_workspace_open(&w, rf, o->cfg.student_inputs))
        return 1;
    int rc = 1;
    size_t need = experiment_memory_bytes(&o->cfg, &w.train, &w.test);
    if (cmd_workspace_start(&w, rf, need, o->force, "--threads", 1) == 0) {
        err e;
        if (run_all(&w.out, o, &w.train, &w.test, w.pool, rf->out_dir, &e) == 0) {
            rc = 0;
        } else {
            fprintf(stderr, "sublim: %s\n", e.msg);
            if (interrupt_signal())
                fprintf(stderr, "sublim: 'sublim demo' again goes on from there\n");
            else if (!o->force)
                fprintf(stderr, "sublim: --force replaces what %s holds; --out names another "
                                "folder\n",
                        rf->out_dir);
        }
    }
    cmd_workspace_close(&w);
    return rc;
}

int cmd_demo(int argc, char **argv)
{
    /* The run flags with OUT's default "demo" (its help says so too). */
    size_t n_run;
    const setting *shared = cmd_run_settings(&n_run);
    setting run_settings[8];
    if (n_run > sizeof run_settings / sizeof run_settings[0])
        abort(); /* the table above outgrew this copy: a programming error */
    memcpy(run_settings, shared, n_run * sizeof *shared);
    for (size_t k = 0; k < n_run; k++)
        if (strcmp(run_settings[k].name, "out") == 0)
            run_settings[k].def = DEMO_OUT;
    cmd_run_flags rf;
    own_flags own;
    settings_init(run_settings, n_run, &rf);
    settings_init(OWN_FLAGS, sizeof OWN_FLAGS / sizeof OWN_FLAGS[0], &own);
    const flag_table tables[] = {
        {run_settings, n_run, &rf},
        {OWN_FLAGS, sizeof OWN_FLAGS / sizeof OWN_FLAGS[0], &own},
    };
    int rc = cmd_parse_flags("demo", USAGE, argc, argv, tables, 2);
    if (rc >= 0)
        return rc;
    cmd_find_data(&rf, DATASET_MNIST);
    record_options o = {.cfg = experiment_defaults(), .log = stderr};
    o.cfg.seeds = DEMO_SEEDS;
    o.cfg.curves = 1;
    o.data_dir = rf.data_dir;
    o.resume = !own.force;
    o.force = own.force;
    o.progress = progress_mode_for(isatty(STDERR_FILENO), getenv("TERM"), getenv("NO_COLOR"));
    o.argc = argc + 2;
    o.argv = cmd_command_line("demo", argc, argv);
    if (!o.argv) {
        fprintf(stderr, "sublim: out of memory\n");
        return 1;
    }
    rc = run(&o, &rf);
    free(o.argv);
    return rc;
}
