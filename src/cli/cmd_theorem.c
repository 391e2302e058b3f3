/* sublim theorem: Cloud et al. 2025's Theorem 1, checked in double. */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include "cli/commands.h"
#include "nn/kernels.h"
#include "out/theorem_layers.h"
#include "out/theorem_out.h"
#include "run/theorem.h"

static const char USAGE[] =
    "usage: sublim theorem [flags]\n\n"
    "Checks the paper's theorem (Cloud et al. 2025, Sec. 5) in double precision,\n"
    "on the experiment's MLP.  Per trial t (seed S + t): θ0 = init(S + t), a\n"
    "teacher θ_T = θ0 + ε Δθ_T with Δθ_T = -∇L_T(θ0) (CE on the 10 digit logits\n"
    "over --teacher-batch training digits) or, with --direction random, a random\n"
    "unit direction; a student from θ0 takes one gradient step of size --lr on the\n"
    "imitation loss over --input-batch uniform-noise images (--inputs mnist:\n"
    "training digits).  Per ε, over trials: Δθ_S·Δθ_T and its cosine, the share\n"
    "aligned (> 0), measured / predicted where the prediction\n"
    "η ε E_x[(JΔθ_T)ᵀ H (JΔθ_T)] is exact (forward mode), the share of 'kinked'\n"
    "trials (some ReLU differs between θ0 and θ_T on the inputs), and the share\n"
    "whose L_T on --heldout test digits falls.  Controls: cross_init (a student\n"
    "from an independent θ0') and same_init_k<K> (--steps K > 1: K steps toward\n"
    "the fixed teacher; cosine per step in theorem.json).  One step is linear in\n"
    "η, so η leaves ratios and cosines alone; it shapes the K-step control (too\n"
    "large and gradient descent overshoots: on noise η = 1 already does).\n"
    "Writes OUT/theorem.csv and OUT/theorem.json.  --check exits 1 unless every\n"
    "cosine could be computed and, for same_init and every ε <= 1e-3, every\n"
    "inner product is > 0 and the mean ratio is within 1 ± 1e-2.";

typedef struct {
    int check, force;
} own_flags;

static const setting OWN_FLAGS[] = {
    {"check", SETTING_SWITCH, offsetof(own_flags, check), NULL, 0, 0, NULL,
     "exit 1 unless the theorem holds", 0},
    {"force", SETTING_SWITCH, offsetof(own_flags, force), NULL, 0, 0, NULL,
     "run even if the memory estimate exceeds the machine's", 0},
};

/* The flags into cfg, rf and own.  Returns -1 to go on, else the exit code
 * (--help, bad usage). */
static int parse_flags(int argc, char **argv, theorem_config *cfg, cmd_run_flags *rf,
                       own_flags *own)
{
    size_t n_settings, n_run;
    const setting *settings = theorem_settings(&n_settings);
    const setting *run_settings = cmd_run_settings(&n_run);
    const flag_table tables[] = {
        {settings, n_settings, cfg},
        {run_settings, n_run, rf},
        {OWN_FLAGS, sizeof OWN_FLAGS / sizeof OWN_FLAGS[0], own},
    };
    int rc = cmd_parse_flags("theorem", USAGE, argc, argv, tables, 3);
    if (rc >= 0)
        return rc;
    size_t checked = 0;
    for (size_t k = 0; k < cfg->eps.n; k++)
        checked += cfg->eps.v[k] <= THEOREM_CHECK_MAX_EPS;
    if (own->check && checked == 0) {
        /* A check that checks nothing would pass for the wrong reason. */
        fprintf(stderr, "sublim theorem: --check needs some --eps value <= %g\n",
                THEOREM_CHECK_MAX_EPS);
        return CMD_EXIT_USAGE;
    }
    return -1;
}

/* The table, its legend, and the check's verdict; the exit code. */
static int report(const theorem_config *cfg, const theorem_record *r, const char *out_dir,
                  int check)
{
    err e;
    theorem_out_print_table(stdout, r->rows, r->n_rows);
    theorem_out_print_legend(stdout);
    theorem_layers_print(stdout, r->rows, r->n_rows);
    printf("\n%zu trial(s) in %.1f s; results in %s/\n", cfg->trials, r->wall_seconds, out_dir);
    if (!check)
        return 0;
    if (theorem_check(&r->res, cfg, &e)) {
        fprintf(stderr, "sublim theorem: check FAILED: %s\n", e.msg);
        return 1;
    }
    printf("check passed: same_init, every eps <= %g: all %zu trials aligned, mean ratio "
           "within 1 ± %g\n",
           THEOREM_CHECK_MAX_EPS, cfg->trials, THEOREM_CHECK_RATIO_TOL);
    return 0;
}

int cmd_theorem(int argc, char **argv)
{
    theorem_config cfg = theorem_defaults();
    cmd_run_flags rf = cmd_run_defaults();
    own_flags own = {0};
    int rc = parse_flags(argc, argv, &cfg, &rf, &own);
    if (rc >= 0)
        return rc;
    err e;
    dataset train, test;
    cmd_find_data(&rf, DATASET_MNIST);
    if (cmd_load_data(&rf, &train, &test))
        return 1;
    folder f;
    pool *p = NULL;
    theorem_record r = {0};
    rc = 1;
    size_t threads = cmd_thread_count(rf.threads);
    if (theorem_validate(&cfg, &train, &test, &e)) {
        fprintf(stderr, "sublim theorem: %s\n", e.msg);
        rc = CMD_EXIT_USAGE;
    } else if (cmd_check_memory(theorem_memory_bytes(&cfg, &train, &test, threads), own.force,
                                "--width, --input-batch, --heldout or --threads", 0)) {
        rc = 1;
    } else if (folder_open(&f, rf.out_dir, 1, &e)) {
        fprintf(stderr, "sublim: %s\n", e.msg);
    } else {
        if ((p = cmd_make_pool(threads))) {
            fprintf(stderr, "sublim: theorem, %zu trial(s) from seed %" PRIu64 " on %zu "
                            "thread(s), kernels %s\n",
                    cfg.trials, cfg.seed, pool_threads(p), kern_path_name());
            if (theorem_out_record(&f, &cfg, &train, &test, p, &r, &e) == 0)
                rc = report(&cfg, &r, rf.out_dir, own.check);
            else
                fprintf(stderr, "sublim: %s\n", e.msg);
        }
        folder_close(&f);
    }
    theorem_out_free(&r);
    pool_free(p);
    dataset_free(&train);
    dataset_free(&test);
    return rc;
}
