/* sublim theorem: Cloud et al. 2025's Theorem 1, checked in double. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/atomic.h"
#include "cli/commands.h"
#include "nn/kernels.h"
#include "out/theorem_out.h"
#include "run/theorem.h"

static const char *const LOSS_CHOICES[] = {"kl", "mse", NULL};
static const char *const OUTPUT_CHOICES[] = {"aux", "all", NULL};
static const char *const DIRECTION_CHOICES[] = {"gradient", "random", NULL};
static const char *const INPUT_CHOICES[] = {"noise", "mnist", NULL};

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
    "Writes OUT/theorem.csv and OUT/theorem.json.  --check exits 1 unless, for\n"
    "same_init and every ε <= 1e-3, every inner product is > 0 and the mean\n"
    "ratio is within 1 ± 1e-2.";

/* The flags into *cfg, *check, *data_dir and *out_dir (which hold the
 * defaults).  Returns -1 to go on, else the exit code (--help, bad usage). */
static int parse_flags(int argc, char **argv, theorem_config *cfg, int *check,
                       const char **data_dir, const char **out_dir)
{
    cli_list eps = {cfg->n_eps, {0}};
    memcpy(eps.v, cfg->eps, cfg->n_eps * sizeof(double));
    int loss = (int)cfg->loss, outputs = (int)cfg->outputs, direction = (int)cfg->direction;
    int inputs = (int)cfg->inputs, init = 0, noise = 0;
    const flag_spec specs[] = {
        {"trials", FLAG_SIZE, &cfg->trials, 1, 1000000, NULL, "trials (each its own seed)"},
        {"eps", FLAG_LIST, &eps, 1e-300, 1e3, NULL, "ε values, comma-separated"},
        {"lr", FLAG_DOUBLE, &cfg->lr, 1e-300, 1e6, NULL,
         "η, the student's step (one step is linear in η: it only scales Δθ_S)"},
        {"steps", FLAG_SIZE, &cfg->steps, 1, 100000, NULL,
         "K: student steps for the same_init_k<K> control (1: no control)"},
        {"loss", FLAG_CHOICE, &loss, 0, 0, LOSS_CHOICES, "imitation loss"},
        {"outputs", FLAG_CHOICE, &outputs, 0, 0, OUTPUT_CHOICES, "imitated logits"},
        {"direction", FLAG_CHOICE, &direction, 0, 0, DIRECTION_CHOICES,
         "Δθ_T: -∇L_T(θ0), or a random unit direction"},
        {"inputs", FLAG_CHOICE, &inputs, 0, 0, INPUT_CHOICES, "what the student imitates on"},
        {"width", FLAG_SIZE, &cfg->width, 1, 65536, NULL, "hidden units per layer"},
        {"m", FLAG_SIZE, &cfg->m, 1, 1000, NULL, "auxiliary logits"},
        {"init", FLAG_CHOICE, &init, 0, 0, CMD_INIT_CHOICES, "weight init"},
        {"noise", FLAG_CHOICE, &noise, 0, 0, CMD_NOISE_CHOICES, "noise of --inputs noise"},
        {"input-batch", FLAG_SIZE, &cfg->input_batch, 1, 1000000, NULL,
         "imitated inputs per trial (E_x is their mean)"},
        {"teacher-batch", FLAG_SIZE, &cfg->teacher_batch, 1, 1000000, NULL,
         "training digits per trial for Δθ_T"},
        {"heldout", FLAG_SIZE, &cfg->heldout, 1, 1000000, NULL,
         "test digits per trial for the L_T change"},
        {"seed", FLAG_U64, &cfg->seed, 0, 1e15, NULL, "first trial's seed"},
        {"threads", FLAG_SIZE, &cfg->threads, 0, 256, NULL, "threads (0: online cores)"},
        {"data", FLAG_STRING, data_dir, 0, 0, NULL, "folder with the unpacked MNIST files"},
        {"out", FLAG_STRING, out_dir, 0, 0, NULL, "output folder"},
        {"check", FLAG_SWITCH, check, 0, 0, NULL, "exit 1 unless the theorem holds"},
    };
    const size_t n_specs = sizeof specs / sizeof specs[0];
    int rc = cmd_parse_flags("theorem", USAGE, argc, argv, specs, n_specs);
    if (rc >= 0)
        return rc;
    if (eps.n > THEOREM_MAX_EPS) {
        fprintf(stderr, "sublim theorem: --eps: at most %d values\n", THEOREM_MAX_EPS);
        return CMD_EXIT_USAGE;
    }
    cfg->n_eps = eps.n;
    memcpy(cfg->eps, eps.v, eps.n * sizeof(double));
    size_t checked = 0;
    for (size_t k = 0; k < cfg->n_eps; k++)
        checked += cfg->eps[k] <= THEOREM_CHECK_MAX_EPS;
    if (*check && checked == 0) {
        /* A check that checks nothing would pass for the wrong reason. */
        fprintf(stderr, "sublim theorem: --check needs some --eps value <= %g\n",
                THEOREM_CHECK_MAX_EPS);
        return CMD_EXIT_USAGE;
    }
    cfg->loss = (enum theorem_loss)loss;
    cfg->outputs = (enum theorem_outputs)outputs;
    cfg->direction = (enum theorem_direction)direction;
    cfg->inputs = (enum theorem_inputs)inputs;
    cfg->init = init ? MLP_INIT_UNIFORM : MLP_INIT_NORMAL;
    cfg->noise = noise ? NOISE_NORMAL : NOISE_UNIFORM;
    return -1;
}

int cmd_theorem(int argc, char **argv)
{
    theorem_config cfg = theorem_defaults();
    int check = 0;
    const char *data_dir = "mnist", *out_dir = "out";
    int rc = parse_flags(argc, argv, &cfg, &check, &data_dir, &out_dir);
    if (rc >= 0)
        return rc;

    err e;
    dataset train, test;
    if (dataset_load(&train, data_dir, "train", THEOREM_CLASSES, &e)) {
        fprintf(stderr, "sublim: %s\n(run 'make data' to fetch and verify MNIST)\n", e.msg);
        return 1;
    }
    if (dataset_load(&test, data_dir, "t10k", THEOREM_CLASSES, &e)) {
        fprintf(stderr, "sublim: %s\n(run 'make data' to fetch and verify MNIST)\n", e.msg);
        dataset_free(&train);
        return 1;
    }
    if (theorem_validate(&cfg, &train, &test, &e)) {
        fprintf(stderr, "sublim theorem: %s\n", e.msg);
        dataset_free(&train);
        dataset_free(&test);
        return CMD_EXIT_USAGE;
    }
    theorem_result res;
    theorem_row *rows = NULL;
    pool *p = NULL;
    rc = 1;
    if (theorem_result_init(&res, &cfg, &e)) {
        fprintf(stderr, "sublim: %s\n", e.msg);
        goto done;
    }
    size_t n_rows = theorem_n_rows(&res);
    rows = calloc(n_rows, sizeof *rows);
    p = cmd_make_pool(cfg.threads);
    if (!rows || !p) {
        if (!rows)
            fprintf(stderr, "sublim: out of memory\n");
        goto done;
    }
    if (ensure_dir(out_dir, &e)) {
        fprintf(stderr, "sublim: %s\n", e.msg);
        goto done;
    }
    fprintf(stderr, "sublim: theorem, %zu trial(s) from seed %" PRIu64 " on %zu thread(s), "
                    "kernels %s\n", cfg.trials, cfg.seed, pool_threads(p), kern_path_name());
    double start = cmd_now_seconds();
    if (theorem_run(&cfg, &train, &test, p, &res, &e)) {
        fprintf(stderr, "sublim: %s\n", e.msg);
        goto done;
    }
    double wall = cmd_now_seconds() - start;
    theorem_summarize(&res, &cfg, rows);
    char csv[4200], json[4200];
    snprintf(csv, sizeof csv, "%s/theorem.csv", out_dir);
    snprintf(json, sizeof json, "%s/theorem.json", out_dir);
    if (theorem_out_write_csv(csv, rows, n_rows, &e) ||
        theorem_out_write_json(json, &cfg, &res, rows, n_rows, pool_threads(p),
                               kern_path_name(), wall, &e)) {
        fprintf(stderr, "sublim: %s\n", e.msg);
        goto done;
    }
    theorem_out_print_table(stdout, rows, n_rows);
    theorem_out_print_legend(stdout);
    printf("\n%zu trial(s) in %.1f s; results in %s/\n", cfg.trials, wall, out_dir);
    rc = 0;
    if (check) {
        if (theorem_check(&res, &cfg, &e)) {
            fprintf(stderr, "sublim theorem: check FAILED: %s\n", e.msg);
            rc = 1;
        } else {
            printf("check passed: same_init, every eps <= %g: all %zu trials aligned, "
                   "mean ratio within 1 ± %g\n", THEOREM_CHECK_MAX_EPS, cfg.trials,
                   THEOREM_CHECK_RATIO_TOL);
        }
    }
done:
    pool_free(p);
    free(rows);
    theorem_result_free(&res);
    dataset_free(&train);
    dataset_free(&test);
    return rc;
}
