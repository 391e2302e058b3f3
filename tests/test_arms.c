/* Tests of the arms beyond the paper (run/arms.c, run/trait.c,
 * run/student_start.c, and experiment_run with them), on the synthetic
 * quadrant task (8x8 images whose label, 0-3, is the bright quadrant):
 *  - the grammars of --trait and --student-init, their refusals and the
 *    combinations experiment_check refuses;
 *  - which arms run under which settings;
 *  - extra arms leave the paper's six rows bit for bit as they were;
 *  - mix:1 is the same-init student and mix:0 the cross-init one, bit for
 *    bit; an embedded student at step 0 scores what θ0 scores;
 *  - a trait the fine-tuning can learn trivially is learned by the trait
 *    teacher (and counted right), and the teacher's other digits stay. */
#include "testutil.h"
#include "tu_data.h"

#include <math.h>
#include "base/rng.h"
#include "run/experiment.h"

enum { N_TRAIN = TU_QUAD_TRAIN, N_TEST = TU_QUAD_TEST };

typedef tu_quad_sets fixture;

static experiment_config tiny_config(void)
{
    experiment_config cfg = experiment_defaults();
    cfg.seeds = 1;
    cfg.seed_start = 3;
    cfg.teacher_epochs = 4;
    cfg.student_epochs = 2;
    cfg.width = 16;
    cfg.batch = 32;
    cfg.lr = 1e-2;
    return cfg;
}

static int arm(const char *name)
{
    int a = experiment_arm_index(name);
    if (a < 0)
        fail_msg("no arm %s", name);
    return a;
}

/* The row of arm `name` among one seed's rows of cfg. */
static const arm_result *row_of(const experiment_config *cfg, const arm_result *rows,
                                const char *name)
{
    size_t which[EXPERIMENT_MAX_ARMS], n = experiment_arms_run(cfg, which);
    for (size_t k = 0; k < n; k++)
        if (which[k] == (size_t)arm(name))
            return &rows[k];
    fail_msg("%s does not run", name);
    return NULL;
}

/* The same training outcome and test score (a run with a trait counts its
 * trait too, on every arm: compared by same_row). */
static int same_score(const arm_result *a, const arm_result *b)
{
    return a->ok == b->ok && a->correct == b->correct && a->total == b->total &&
           memcmp(&a->final_loss, &b->final_loss, sizeof a->final_loss) == 0;
}

static int same_row(const arm_result *a, const arm_result *b)
{
    return same_score(a, b) && a->has_trait == b->has_trait &&
           a->trait.hits == b->trait.hits && a->trait.total == b->trait.total &&
           a->trait.target_hits == b->trait.target_hits;
}

/* ---- the grammars ---- */

static void parse_as(const setting_codec *c, const char *text, void *field)
{
    err e;
    if (c->parse(text, field, "--x", &e))
        fail_msg("'%s' refused: %s", text, e.msg);
    char back[64];
    c->format(field, back, sizeof back);
    assert_string_equal(back, text);
}

static void refused(const setting_codec *c, const char *text, const char *why)
{
    char field[SETTING_FIELD_MAX];
    err e = {{0}};
    assert_int_equal(c->parse(text, field, "--x", &e), -1);
    tu_assert_contains(e.msg, "--x");
    tu_assert_contains(e.msg, why);
}

static void trait_and_start_grammars(void **state)
{
    (void)state;
    trait_spec t;
    parse_as(&TRAIT_CODEC, "none", &t);
    assert_int_equal(t.kind, TRAIT_NONE);
    parse_as(&TRAIT_CODEC, "prefer:7", &t);
    assert_true(t.kind == TRAIT_PREFER && t.target == 7);
    parse_as(&TRAIT_CODEC, "swap:1:9", &t);
    assert_true(t.kind == TRAIT_SWAP && t.from == 1 && t.target == 9);
    refused(&TRAIT_CODEC, "prefer:10", "from 0 to 9");
    refused(&TRAIT_CODEC, "prefer:", "from 0 to 9");
    refused(&TRAIT_CODEC, "prefer:-1", "from 0 to 9");
    refused(&TRAIT_CODEC, "swap:3:3", "two different classes");
    refused(&TRAIT_CODEC, "swap:3", "two classes");
    refused(&TRAIT_CODEC, "swap:3:4:5", "two classes");
    refused(&TRAIT_CODEC, "owl", "not a trait");

    student_start s;
    parse_as(&STUDENT_START_CODEC, "own", &s);
    assert_int_equal(s.kind, STUDENT_START_OWN);
    parse_as(&STUDENT_START_CODEC, "embed", &s);
    assert_int_equal(s.kind, STUDENT_START_EMBED);
    parse_as(&STUDENT_START_CODEC, "mix:0.25", &s);
    assert_true(s.kind == STUDENT_START_MIX && s.alpha == 0.25);
    parse_as(&STUDENT_START_CODEC, "mix:0", &s);
    parse_as(&STUDENT_START_CODEC, "mix:1", &s);
    refused(&STUDENT_START_CODEC, "mix:1.01", "out of range [0, 1]");
    refused(&STUDENT_START_CODEC, "mix:-0.1", "out of range [0, 1]");
    refused(&STUDENT_START_CODEC, "mix:nan", "a number");
    refused(&STUDENT_START_CODEC, "mix:", "a number");
    refused(&STUDENT_START_CODEC, "same", "not a start");
}

/* Settings that do not go together are refused, naming the flags. */
static void combinations_refused(void **state)
{
    (void)state;
    experiment_config c = experiment_defaults();
    err e;
    assert_int_equal(experiment_check(&c, &e), 0);
    c.trait_epochs = 3;
    assert_int_equal(experiment_check(&c, &e), -1);
    tu_assert_contains(e.msg, "--trait-epochs");
    c = experiment_defaults();
    c.student_init.kind = STUDENT_START_EMBED;
    assert_int_equal(experiment_check(&c, &e), -1);
    tu_assert_contains(e.msg, "--student-width above --width (256)");
    c.student_width = 256;
    assert_int_equal(experiment_check(&c, &e), -1);
    c.student_width = 300;
    assert_int_equal(experiment_check(&c, &e), 0);
    c.student_depth = 3;
    assert_int_equal(experiment_check(&c, &e), -1);
    tu_assert_contains(e.msg, "--student-depth 3");
    c.student_depth = 2;
    assert_int_equal(experiment_check(&c, &e), 0);
}

/* Which arms run: the paper's six always; each group only with its flags. */
static void arms_run_with_their_settings(void **state)
{
    (void)state;
    experiment_config c = experiment_defaults();
    assert_int_equal(experiment_arms_run(&c, NULL), 6);
    c.trait = (trait_spec){TRAIT_PREFER, 0, 3};
    assert_int_equal(experiment_arms_run(&c, NULL), 9);
    assert_true(experiment_arm_runs(&c, (size_t)arm("student_aux_cross_trait")));
    c.student_depth = 1;
    assert_int_equal(experiment_arms_run(&c, NULL), 11);
    assert_true(experiment_arm_runs(&c, (size_t)arm("student_all_otherarch")));
    c.student_init = (student_start){STUDENT_START_MIX, 0.5};
    assert_int_equal(experiment_arms_run(&c, NULL), 12);
    c.student_init = (student_start){STUDENT_START_EMBED, 0};
    assert_int_equal(experiment_arms_run(&c, NULL), 11);
    assert_false(experiment_arm_runs(&c, (size_t)arm("student_aux_otherarch")));
    assert_true(experiment_arm_runs(&c, (size_t)arm("student_all_embed")));
    /* Passes over the noise: the teacher's students, the trait teacher's,
     * those of another shape. */
    assert_int_equal(experiment_student_passes(&c), 3);
    c.trait.kind = TRAIT_NONE;
    assert_int_equal(experiment_student_passes(&c), 2);
}

/* ---- experiment_run with the extra arms ---- */

/* The paper's six rows are the same bits whatever else runs beside them,
 * and mix:1 / mix:0 start exactly where the same-init / cross-init
 * students do, so they end the same too. */
static void extra_arms_change_no_other_row(void **state)
{
    fixture *fx = *state;
    experiment_config plain = tiny_config(), extra = plain;
    extra.trait = (trait_spec){TRAIT_SWAP, 1, 2};
    extra.student_width = 24;
    extra.student_init = (student_start){STUDENT_START_MIX, 1};
    arm_result a[EXPERIMENT_MAX_ARMS], b[EXPERIMENT_MAX_ARMS];
    err e;
    assert_int_equal(experiment_run(&plain, &fx->train, &fx->test, NULL, NULL, a, &e), 0);
    assert_int_equal(experiment_run(&extra, &fx->train, &fx->test, NULL, NULL, b, &e), 0);
    for (size_t k = 0; k < 6; k++) {
        assert_int_equal(a[k].arm, b[k].arm);
        assert_true(same_score(&a[k], &b[k]));
    }
    assert_true(same_score(row_of(&extra, b, "student_aux_mix"),
                         row_of(&plain, a, "student_aux_same")));
    extra.student_init.alpha = 0;
    assert_int_equal(experiment_run(&extra, &fx->train, &fx->test, NULL, NULL, b, &e), 0);
    assert_true(same_score(row_of(&extra, b, "student_aux_mix"),
                         row_of(&plain, a, "student_aux_cross")));
    extra.student_init.alpha = 0.5; /* in between: neither */
    assert_int_equal(experiment_run(&extra, &fx->train, &fx->test, NULL, NULL, b, &e), 0);
    const arm_result *mid = row_of(&extra, b, "student_aux_mix");
    assert_true(mid->ok);
    assert_false(same_score(mid, row_of(&plain, a, "student_aux_same")));
}

/* An embedded student untrained (0 student epochs) computes θ0's function,
 * so it classifies every test digit as the reference does; a student of
 * another shape from its own init does not start there. */
static void embedded_student_starts_at_theta0(void **state)
{
    fixture *fx = *state;
    experiment_config c = tiny_config();
    c.student_epochs = 0;
    c.student_width = 40;
    c.student_init.kind = STUDENT_START_EMBED;
    arm_result rows[EXPERIMENT_MAX_ARMS];
    err e;
    assert_int_equal(experiment_run(&c, &fx->train, &fx->test, NULL, NULL, rows, &e), 0);
    const arm_result *ref = row_of(&c, rows, "reference");
    assert_int_equal(row_of(&c, rows, "student_aux_embed")->correct, ref->correct);
    assert_int_equal(row_of(&c, rows, "student_all_embed")->correct, ref->correct);
    /* Trained, it learns from the teacher like any student. */
    c.student_epochs = 3;
    assert_int_equal(experiment_run(&c, &fx->train, &fx->test, NULL, NULL, rows, &e), 0);
    assert_true(row_of(&c, rows, "student_all_embed")->correct > ref->correct);
}

/* A trait the fine-tuning learns trivially (noise is easy to tell from a
 * quadrant; one quadrant relabelled): the trait teacher shows it, the
 * teacher does not, and the trait teacher still reads the other digits. */
static void trait_teacher_learns_the_trait(void **state)
{
    fixture *fx = *state;
    experiment_config c = tiny_config();
    c.trait = (trait_spec){TRAIT_PREFER, 0, 2};
    c.trait_epochs = 8;
    arm_result rows[EXPERIMENT_MAX_ARMS];
    err e;
    assert_int_equal(experiment_run(&c, &fx->train, &fx->test, NULL, NULL, rows, &e), 0);
    const arm_result *t = row_of(&c, rows, "teacher"), *tt = row_of(&c, rows, "trait_teacher");
    assert_true(tt->has_trait && t->has_trait);
    assert_int_equal(tt->trait.total, N_TEST); /* held-out noise: as many as test digits */
    if (!(tt->trait.hits > 0.9 * N_TEST))
        fail_msg("the trait teacher reads %zu of %d noise images as 2", tt->trait.hits, N_TEST);
    assert_true(tt->correct > 0.9 * N_TEST);
    assert_true(t->trait.hits < tt->trait.hits);

    c.trait = (trait_spec){TRAIT_SWAP, 1, 3};
    assert_int_equal(experiment_run(&c, &fx->train, &fx->test, NULL, NULL, rows, &e), 0);
    t = row_of(&c, rows, "teacher");
    tt = row_of(&c, rows, "trait_teacher");
    size_t ones = 0;
    for (size_t i = 0; i < N_TEST; i++)
        ones += fx->test.labels[i] == 1;
    assert_int_equal(tt->trait.total, ones);
    if (!(tt->trait.hits > 0.9 * (double)ones))
        fail_msg("the trait teacher reads %zu of %zu ones as 3", tt->trait.hits, ones);
    assert_true(t->trait.hits < 0.1 * (double)ones);
    /* It reads the others still: all its misses are (about) the ones. */
    assert_true(tt->correct + tt->trait.hits > 0.9 * N_TEST);
    /* Digits read as 3: the threes and the ones. */
    assert_true(tt->trait.target_hits >= tt->trait.hits);
}

/* A saved teacher serves a run with extra arms too: the trait teacher and
 * every student are made from the teacher, so loading it gives every row's
 * bits again (the checkpoint holds the teacher, which no new setting
 * changes). */
typedef struct {
    float *saved;
    size_t n;
    int loads;
} teacher_store;

static void save_teacher(void *ctx, uint64_t seed, const float *params, double loss)
{
    (void)seed;
    (void)loss;
    teacher_store *t = ctx;
    memcpy(t->saved, params, t->n * sizeof *params);
}

static int load_teacher(void *ctx, uint64_t seed, float *params, double *loss)
{
    (void)seed;
    teacher_store *t = ctx;
    memcpy(params, t->saved, t->n * sizeof *params);
    *loss = 0.5;
    t->loads++;
    return 1;
}

static void saved_teacher_serves_extra_arms(void **state)
{
    fixture *fx = *state;
    experiment_config c = tiny_config();
    c.trait = (trait_spec){TRAIT_PREFER, 0, 1};
    c.student_depth = 1;
    c.student_init = (student_start){STUDENT_START_MIX, 0.3};
    mlp_shape s;
    assert_int_equal(experiment_shape(&c, fx->train.pixels, &s, NULL), 0);
    teacher_store store = {malloc(mlp_n_params(&s) * sizeof(float)), mlp_n_params(&s), 0};
    assert_non_null(store.saved);
    experiment_hooks save = {.on_teacher = save_teacher, .ctx = &store};
    experiment_hooks load = {.load_teacher = load_teacher, .ctx = &store};
    arm_result a[EXPERIMENT_MAX_ARMS], b[EXPERIMENT_MAX_ARMS];
    err e;
    assert_int_equal(experiment_run(&c, &fx->train, &fx->test, NULL, &save, a, &e), 0);
    assert_int_equal(experiment_run(&c, &fx->train, &fx->test, NULL, &load, b, &e), 0);
    assert_int_equal(store.loads, 1);
    size_t n = experiment_arms_run(&c, NULL);
    for (size_t k = 0; k < n; k++)
        if (b[k].arm != experiment_teacher_arm()) /* its loss is the file's */
            assert_true(same_row(&a[k], &b[k]));
    free(store.saved);
}

/* trait_count from a confusion matrix: the triggers and the target. */
static void trait_counts_from_confusion(void **state)
{
    (void)state;
    size_t conf[3 * 3] = {5, 1, 0, /* label 0 */ 2, 7, 1, /* label 1 */ 0, 4, 9};
    size_t votes[3] = {10, 20, 70};
    trait_spec swap = {TRAIT_SWAP, 1, 2}, prefer = {TRAIT_PREFER, 0, 1}, none = {0, 0, 0};
    trait_counts c = trait_count(&swap, conf, votes, 100, 3);
    assert_int_equal(c.hits, 1);
    assert_int_equal(c.total, 10);
    assert_int_equal(c.target_hits, 0 + 1 + 9);
    c = trait_count(&prefer, conf, votes, 100, 3);
    assert_int_equal(c.hits, 20);
    assert_int_equal(c.total, 100);
    assert_int_equal(c.target_hits, 1 + 7 + 4);
    c = trait_count(&none, conf, votes, 100, 3);
    assert_int_equal(c.hits + c.total + c.target_hits, 0);
    uint8_t relabel[4];
    trait_relabel(&swap, relabel, 4);
    assert_memory_equal(relabel, ((uint8_t[]){0, 2, 2, 3}), 4);
    assert_int_equal(trait_noise_images(&prefer, 60000, 10), 6000);
    assert_int_equal(trait_noise_images(&swap, 60000, 10), 0);
}

/* student_start_mix keeps the init's scale: α = 1/2 of two independent
 * draws has their variance, not half of it; the ends are exact. */
static void mix_keeps_the_variance(void **state)
{
    (void)state;
    enum { N = 20000 };
    float *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b), *m = malloc(N * sizeof *m);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(m);
    for (size_t k = 0; k < N; k++) {
        a[k] = (float)rng_normal(1, RNG_THEOREM, 0, k);
        b[k] = (float)rng_normal(1, RNG_THEOREM, 1, k);
    }
    student_start_mix(m, a, b, N, 1);
    assert_memory_equal(m, a, N * sizeof *m);
    student_start_mix(m, a, b, N, 0);
    assert_memory_equal(m, b, N * sizeof *m);
    student_start_mix(m, a, b, N, 0.5);
    double var = 0, dot = 0;
    for (size_t k = 0; k < N; k++) {
        var += (double)m[k] * m[k];
        dot += (double)m[k] * a[k];
    }
    var /= N;
    dot /= N;
    tu_assert_close(var, 1.0, 0.05, 0); /* sd of the estimate: about 0.01 */
    tu_assert_close(dot, sqrt(0.5), 0.05, 0); /* its correlation with θ0 */
    free(a);
    free(b);
    free(m);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, tu_quad_setup, tu_quad_teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(trait_and_start_grammars),
        cmocka_unit_test(combinations_refused),
        cmocka_unit_test(arms_run_with_their_settings),
        cmocka_unit_test(trait_counts_from_confusion),
        cmocka_unit_test(mix_keeps_the_variance),
        T(extra_arms_change_no_other_row),
        T(embedded_student_starts_at_theta0),
        T(trait_teacher_learns_the_trait),
        T(saved_teacher_serves_extra_arms),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
