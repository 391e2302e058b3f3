/* sublim experiment: the paper's MNIST experiment over seeds, recorded in
 * a result folder (out/record.h says how a long run is kept safe). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/interrupt.h"
#include "cli/commands.h"
#include "out/record.h"

static const char USAGE[] =
    "usage: sublim experiment [flags]\n\n"
    "Trains a teacher on MNIST and students on noise that imitate only\n"
    "its auxiliary logits; reports test accuracy per arm over seeds.\n"
    "Writes OUT/results.csv, config.txt, run.txt, curves.csv,\n"
    "alignment.csv, summary.json, figure.svg, curves.svg, alignment.svg and\n"
    "report.md.  A killed run\n"
    "goes on where it stopped with the same flags plus --resume.";

/* The flags of this command alone. */
typedef struct {
    int resume, force, no_curves, quiet;
    const char *save_teacher, *load_teacher;
} own_flags;

#define AT(field) offsetof(own_flags, field)
static const setting OWN_FLAGS[] = {
    {"resume", SETTING_SWITCH, AT(resume), NULL, 0, 0, NULL,
     "keep the seeds a killed run of this configuration finished in OUT; run the rest", 0},
    {"force", SETTING_SWITCH, AT(force), NULL, 0, 0, NULL,
     "replace the results OUT holds once this run's first seed is done (a folder with "
     "results is refused otherwise); run even if the memory estimate exceeds the machine's",
     0},
    {"save_teacher", SETTING_TEXT, AT(save_teacher), NULL, 0, 0, NULL,
     "save every seed's trained teacher in this checkpoint file", 0, .placeholder = "FILE"},
    {"load_teacher", SETTING_TEXT, AT(load_teacher), NULL, 0, 0, NULL,
     "use the teachers saved in this checkpoint file instead of training them", 0,
     .placeholder = "FILE"},
    {"no_curves", SETTING_SWITCH, AT(no_curves), NULL, 0, 0, NULL,
     "skip the test evaluation and the students' alignment after every epoch (no "
     "curves.csv, curves.svg, alignment.csv, alignment.svg)",
     0},
    {"quiet", SETTING_SWITCH, AT(quiet), NULL, 0, 0, NULL, "print only the final table", 0},
};
#undef AT

static void print_outcome(const record_options *o, const char *out_dir,
                          const record_outcome *r)
{
    results_print_table(stdout, &o->cfg, r->sum);
    if (o->quiet)
        return;
    size_t ran = o->cfg.seeds - r->kept;
    if (r->kept)
        printf("\n%zu seed(s) in %.1f s, %zu kept from earlier runs; results in %s/\n", ran,
               r->wall_seconds, r->kept, out_dir);
    else
        printf("\n%zu seed(s) in %.1f s; results in %s/\n", ran, r->wall_seconds, out_dir);
    printf("figure: %s/%s\nreport: %s/%s\npage: %s/%s\n", out_dir, FOLDER_FIGURE, out_dir,
           FOLDER_REPORT, out_dir, FOLDER_REPORT_HTML);
}

/* The run, once the flags are read: folder, data, threads, record;
 * program (as the user ran it) for the command that resumes. */
static int run(record_options *o, const cmd_run_flags *rf, const char *program)
{
    cmd_workspace w;
    if (cmd_workspace_open(&w, rf, o->cfg.student_inputs))
        return 1;
    int rc = 1;
    o->other = w.has_other ? &w.other : NULL;
    size_t need = experiment_memory_bytes(&o->cfg, &w.train, &w.test) +
                  (o->other ? dataset_bytes(o->other) : 0);
    if (cmd_workspace_start(&w, rf, need, o->force, "--width, --batch or --noise-images",
                            o->quiet) == 0) {
        err e;
        record_outcome out;
        if (record_experiment(&w.out, o, &w.train, &w.test, w.pool, &out, &e) == 0) {
            print_outcome(o, rf->out_dir, &out);
            rc = 0;
        } else {
            fprintf(stderr, "sublim: %s\n", e.msg);
            if (out.resumable)
                cmd_tell_resume(program, o->argc, o->argv, "seeds");
            else if (interrupt_signal())
                fprintf(stderr, "sublim: no seed of this run was finished; the same command "
                                "starts it again\n");
        }
    }
    cmd_workspace_close(&w);
    return rc;
}

int cmd_experiment(int argc, char **argv)
{
    record_options o = {.cfg = experiment_defaults(), .log = stderr};
    cmd_run_flags rf = cmd_run_defaults();
    own_flags own;
    size_t n_settings, n_run, n_own = sizeof OWN_FLAGS / sizeof OWN_FLAGS[0];
    const setting *settings = experiment_settings(&n_settings);
    const setting *run_settings = cmd_run_settings(&n_run);
    settings_init(OWN_FLAGS, n_own, &own);
    const flag_table tables[] = {
        {settings, n_settings, &o.cfg},
        {run_settings, n_run, &rf},
        {OWN_FLAGS, n_own, &own},
    };
    int rc = cmd_parse_flags("experiment", USAGE, argc, argv, tables, 3);
    if (rc >= 0)
        return rc;
    err e;
    if (experiment_check(&o.cfg, &e)) {
        fprintf(stderr, "sublim experiment: %s\n", e.msg);
        return CMD_EXIT_USAGE;
    }
    /* Curves by default: one test evaluation per epoch per trained arm
     * costs about 4% of the run. */
    o.cfg.curves = !own.no_curves;
    cmd_find_data(&rf, o.cfg.dataset);
    o.data_dir = rf.data_dir;
    o.resume = own.resume;
    o.force = own.force;
    o.save_teacher = own.save_teacher;
    o.load_teacher = own.load_teacher;
    o.quiet = own.quiet;
    o.progress = progress_mode_for(isatty(STDERR_FILENO), getenv("TERM"), getenv("NO_COLOR"));
    o.argc = argc + 2;
    o.argv = cmd_command_line("experiment", argc, argv);
    if (!o.argv) {
        fprintf(stderr, "sublim: out of memory\n");
        return 1;
    }
    rc = run(&o, &rf, cmd_program(argv));
    free(o.argv);
    return rc;
}
