/* Tests of the theorem check on tiny networks and synthetic digits:
 * the forward-mode directional derivative against central differences,
 * measured Δθ_S·Δθ_T against the exact first-order prediction (KL and MSE,
 * auxiliary and all outputs), alignment for a shared init and both signs
 * for independent inits, thread-count invariance, cosines that survive a
 * tiny step, the check (which a missing cosine fails), the reports, and
 * batches larger than their dataset named by their flags. */
#include "testutil.h"

#include <math.h>
#include "nn/idx.h"
#include "nn/loss.h"
#include "nn/mlp.h"
#include "base/pool.h"
#include "base/rng.h"
#include "out/theorem_layers.h"
#include "out/theorem_out.h"
#include "run/theorem.h"

/* ---- fixtures ---- */

/* n synthetic 4x4 "digits": random bytes, random labels < 10. */
static dataset synthetic(size_t n, uint64_t seed)
{
    dataset d = {n, 4, 4, 16, malloc(n * 16), malloc(n)};
    assert_non_null(d.images);
    assert_non_null(d.labels);
    for (size_t i = 0; i < n * 16; i++)
        d.images[i] = (uint8_t)(256 * rng_uniform(seed, 99, 0, i));
    for (size_t i = 0; i < n; i++)
        d.labels[i] = (uint8_t)(10 * rng_uniform(seed, 99, 1, i));
    return d;
}

/* c's ε list: three values, largest first. */
static void three_eps(theorem_config *c, double e0, double e1, double e2)
{
    c->eps.n = 3;
    c->eps.v[0] = e0;
    c->eps.v[1] = e1;
    c->eps.v[2] = e2;
}

static theorem_config tiny_config(void)
{
    theorem_config c = theorem_defaults();
    c.trials = 5;
    c.width = 8;
    c.hidden_layers = 2;
    c.m = 3;
    c.input_batch = 32;
    c.teacher_batch = 32;
    c.heldout = 50;
    c.steps = 3;
    three_eps(&c, 1e-2, 1e-3, 1e-5);
    return c;
}

typedef struct {
    dataset train, heldout;
} fixture;

static int setup(void **state)
{
    fixture *f = malloc(sizeof *f);
    if (!f)
        return -1;
    f->train = synthetic(200, 1);
    f->heldout = synthetic(100, 2);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    dataset_free(&f->train);
    dataset_free(&f->heldout);
    free(f);
    return 0;
}

static void run(const fixture *f, const theorem_config *c, pool *p, theorem_result *r)
{
    err e;
    assert_int_equal(theorem_result_init(r, c, &e), 0);
    if (theorem_run(c, &f->train, &f->heldout, p, r, &e))
        fail_msg("theorem_run: %s", e.msg);
}

/* ---- the directional derivative ---- */

/* J(x)·d from mlp_jvp_f64 against (f(θ + h d) - f(θ - h d)) / 2h on every
 * logit; h is small enough that no ReLU switches (checked), so the only
 * error is O(h²) curvature and rounding. */
static void jvp_matches_central_differences(void **state)
{
    (void)state;
    mlp_shape s;
    err e;
    assert_int_equal(mlp_shape_make(&s, 16, 8, 2, 13, &e), 0);
    size_t P = mlp_n_params(&s), B = 6, n_out = 13;
    double *theta = mlp_arena_new_f64(&s), *dir = mlp_arena_new_f64(&s);
    double *plus = mlp_arena_new_f64(&s), *minus = mlp_arena_new_f64(&s);
    double *x = malloc(B * 16 * sizeof *x), *zp = malloc(B * n_out * sizeof *zp);
    double *tan = malloc(B * n_out * sizeof *tan);
    mlp_ws_f64 ws, wsp, wsm;
    assert_int_equal(mlp_ws_init_f64(&ws, &s, B, NULL, &e), 0);
    assert_int_equal(mlp_ws_init_f64(&wsp, &s, B, NULL, &e), 0);
    assert_int_equal(mlp_ws_init_f64(&wsm, &s, B, NULL, &e), 0);
    mlp_init_params_f64(theta, &s, MLP_INIT_UNIFORM, 7, 0);
    for (size_t k = 0; k < P; k++)
        dir[k] = rng_normal(7, 50, 0, k);
    for (size_t k = 0; k < B * 16; k++)
        x[k] = 2 * rng_uniform(7, 50, 1, k) - 1;
    memcpy(tan, mlp_jvp_f64(&ws, theta, dir, x, B), B * n_out * sizeof *tan);

    const double h = 1e-6;
    for (size_t k = 0; k < P; k++) {
        plus[k] = theta[k] + h * dir[k];
        minus[k] = theta[k] - h * dir[k];
    }
    memcpy(zp, mlp_forward_f64(&wsp, plus, x, B), B * n_out * sizeof *zp);
    const double *zm = mlp_forward_f64(&wsm, minus, x, B);
    for (size_t l = 1; l < s.n_layers; l++)
        for (size_t k = 0; k < B * s.dims[l]; k++) {
            assert_true((wsp.act[l][k] > 0) == (ws.act[l][k] > 0));
            assert_true((wsm.act[l][k] > 0) == (ws.act[l][k] > 0));
        }
    double norm = 0;
    for (size_t k = 0; k < B * n_out; k++) {
        double fd = (zp[k] - zm[k]) / (2 * h);
        tu_assert_close(tan[k], fd, 1e-7, 1e-3);
        norm += tan[k] * tan[k];
    }
    assert_true(norm > 1e-2); /* not trivially zero */

    mlp_ws_free_f64(&ws);
    mlp_ws_free_f64(&wsp);
    mlp_ws_free_f64(&wsm);
    free(theta);
    free(dir);
    free(plus);
    free(minus);
    free(x);
    free(zp);
    free(tan);
}

/* ---- measured against predicted ---- */

/* At ε = 1e-5 every trial's Δθ_S·Δθ_T is η ε E_x[(JΔθ_T)ᵀ H (JΔθ_T)] to
 * 1e-4 relative, for both losses and both output sets. */
static void prediction_matches_measurement(void **state)
{
    const fixture *f = *state;
    for (int loss = 0; loss < 2; loss++) {
        for (int outputs = 0; outputs < 2; outputs++) {
            theorem_config c = tiny_config();
            c.loss = (enum theorem_loss)loss;
            c.outputs = (enum theorem_outputs)outputs;
            c.steps = 1;
            c.eps.n = 1;
            c.eps.v[0] = 1e-5;
            theorem_result r;
            run(f, &c, NULL, &r);
            for (size_t t = 0; t < c.trials; t++) {
                const theorem_obs *o = theorem_obs_at(&r, THEOREM_SAME, 0, t);
                assert_true(o->predicted > 0);
                if (!(fabs(o->inner / o->predicted - 1) <= 1e-4))
                    fail_msg("loss %d outputs %d trial %zu: inner %.17g predicted %.17g",
                             loss, outputs, t, o->inner, o->predicted);
            }
            theorem_result_free(&r);
        }
    }
}

/* The ratio approaches 1 as ε shrinks (first order: the error is O(ε)). */
static void ratio_tends_to_one(void **state)
{
    const fixture *f = *state;
    theorem_config c = tiny_config();
    c.steps = 1;
    three_eps(&c, 1e-1, 1e-3, 1e-5);
    theorem_result r;
    run(f, &c, NULL, &r);
    theorem_row rows[6];
    assert_int_equal(theorem_n_rows(&r), 6);
    theorem_summarize(&r, &c, rows);
    assert_true(rows[2].ratio_maxdev < rows[1].ratio_maxdev);
    assert_true(rows[1].ratio_maxdev < rows[0].ratio_maxdev);
    assert_true(rows[2].ratio_maxdev < 1e-5);
    theorem_result_free(&r);
}

/* ---- signs ---- */

/* Over 50 trials: a shared init is aligned in every trial at small ε and
 * the check passes; an independent init gives both signs. */
static void same_init_aligned_cross_init_both_signs(void **state)
{
    const fixture *f = *state;
    theorem_config c = tiny_config();
    c.trials = 50;
    theorem_result r;
    run(f, &c, NULL, &r);
    for (size_t ie = 0; ie < c.eps.n; ie++) {
        size_t pos = 0, neg = 0;
        for (size_t t = 0; t < c.trials; t++) {
            const theorem_obs *same = theorem_obs_at(&r, THEOREM_SAME, ie, t);
            const theorem_obs *cross = theorem_obs_at(&r, THEOREM_CROSS, ie, t);
            if (c.eps.v[ie] <= 1e-3 && !(same->inner > 0))
                fail_msg("eps %g trial %zu: same-init inner product %g", c.eps.v[ie], t,
                         same->inner);
            pos += cross->inner > 0;
            neg += cross->inner < 0;
        }
        if (pos == 0 || neg == 0)
            fail_msg("eps %g: cross-init inner products: %zu positive, %zu negative",
                     c.eps.v[ie], pos, neg);
    }
    err e;
    if (theorem_check(&r, &c, &e))
        fail_msg("check: %s", e.msg);
    theorem_result_free(&r);
}

/* The cosine per layer: each in [-1, 1]; the whole network's a weighted
 * sum of them whose weights add to at most 1 (Cauchy-Schwarz), so within
 * [min(0, lowest), max(0, highest)]; the last layer exactly 0 when the
 * student imitates the auxiliary logits (the teacher's gradient moves only
 * the digit rows of the last layer, the student's only the auxiliary
 * ones), not when it imitates all; the rows' means are the trials'. */
static void layer_cosines(void **state)
{
    const fixture *f = *state;
    for (int all = 0; all < 2; all++) {
        theorem_config c = tiny_config();
        c.outputs = all ? THEOREM_OUTPUTS_ALL : THEOREM_OUTPUTS_AUX;
        theorem_result r;
        run(f, &c, NULL, &r);
        size_t L = c.hidden_layers + 1, last_nonzero = 0;
        for (size_t v = 0; v < THEOREM_N_VARIANTS; v++)
            for (size_t t = 0; t < c.trials; t++) {
                const theorem_obs *o = theorem_obs_at(&r, (enum theorem_variant)v, 0, t);
                double lo = 0, hi = 0;
                for (size_t l = 0; l < L; l++) {
                    assert_true(o->layer_cos[l] >= -1 && o->layer_cos[l] <= 1);
                    lo = fmin(lo, o->layer_cos[l]);
                    hi = fmax(hi, o->layer_cos[l]);
                }
                assert_true(o->cos >= lo - 1e-12 && o->cos <= hi + 1e-12);
                if (!all && v != THEOREM_CROSS)
                    assert_true(o->layer_cos[L - 1] == 0);
                last_nonzero += o->layer_cos[L - 1] != 0;
            }
        if (all)
            assert_true(last_nonzero > 0);
        theorem_row rows[THEOREM_N_VARIANTS * THEOREM_MAX_EPS];
        theorem_summarize(&r, &c, rows);
        double sum = 0;
        for (size_t t = 0; t < c.trials; t++)
            sum += theorem_obs_at(&r, THEOREM_SAME, 0, t)->layer_cos[0];
        assert_int_equal(rows[0].n_layers, L);
        assert_true(rows[0].layer_cos_mean[0] == sum / (double)c.trials);
        theorem_result_free(&r);
    }
}

/* theorem_layers.csv reads back as written (every part of every row, an
 * undefined cosine as NaN); a row out of order or malformed is refused,
 * naming the line. */
static void layers_csv_reads_back(void **state)
{
    (void)state;
    theorem_row rows[2] = {
        {.variant = "same_init", .eps = 1e-3, .cos_mean = 0.25, .n_layers = 2,
         .layer_cos_mean = {0.5, NAN}},
        {.variant = "same_init_k3", .eps = 1e-5, .cos_mean = -0.125, .n_layers = 2,
         .layer_cos_mean = {0.1, -0.2}},
    };
    char dir[64], path[128];
    tu_tempdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/theorem_layers.csv", dir);
    err e;
    assert_int_equal(theorem_layers_write(path, rows, 2, &e), 0);
    theorem_layers_row *back;
    size_t n;
    assert_int_equal(theorem_layers_read(path, &back, &n, &e), 0);
    assert_int_equal(n, 2);
    assert_string_equal(back[1].variant, "same_init_k3");
    assert_true(back[1].eps == 1e-5 && back[1].n_parts == 3);
    assert_true(back[0].cos_mean[0] == 0.25 && back[0].cos_mean[1] == 0.5);
    assert_true(isnan(back[0].cos_mean[2]));
    assert_true(back[1].cos_mean[2] == -0.2);
    free(back);
    static const char *const bad[] = {
        THEOREM_LAYERS_CSV_HEADER "\nsame_init,0.001,layer1,0.5\n",     /* no "all" first */
        THEOREM_LAYERS_CSV_HEADER "\nsame_init,0.001,all,0.5\nx,0.001,layer1,1\n",
        THEOREM_LAYERS_CSV_HEADER "\nsame_init,0.001,all,zero\n",
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        tu_write_file(path, bad[k], strlen(bad[k]));
        assert_int_equal(theorem_layers_read(path, &back, &n, &e), -1);
        tu_assert_contains(e.msg, "theorem_layers.csv:");
    }
    unlink(path);
    rmdir(dir);
}

/* ---- determinism ---- */

static void bits_do_not_depend_on_threads(void **state)
{
    const fixture *f = *state;
    theorem_config c = tiny_config();
    c.trials = 7;
    theorem_result a, b, d;
    pool *p1 = pool_create(1), *p3 = pool_create(3);
    assert_non_null(p1);
    assert_non_null(p3);
    run(f, &c, NULL, &a);
    run(f, &c, p1, &b);
    run(f, &c, p3, &d);
    size_t n_obs = THEOREM_N_VARIANTS * c.eps.n * c.trials;
    size_t n_cos = c.eps.n * c.trials * c.steps;
    assert_memory_equal(a.obs, b.obs, n_obs * sizeof *a.obs);
    assert_memory_equal(a.obs, d.obs, n_obs * sizeof *a.obs);
    assert_memory_equal(a.step_cos, d.step_cos, n_cos * sizeof *a.step_cos);
    /* The first K-step is the one-step student. */
    for (size_t t = 0; t < c.trials; t++)
        assert_true(theorem_step_cos_at(&a, 0, t)[0] ==
                    theorem_obs_at(&a, THEOREM_SAME, 0, t)->cos);
    theorem_result_free(&a);
    theorem_result_free(&b);
    theorem_result_free(&d);
    pool_free(p1);
    pool_free(p3);
}

/* One step is linear in η: the ratio and the cosines do not move with it,
 * from 8 η down to η = 1e-200, where same-init steps are near 1e-207 and
 * their squares underflow: the cosines are computed scale-free, where
 * they used to come out 0 in every trial while "aligned" said 100%. */
static void one_step_ratio_independent_of_lr(void **state)
{
    const fixture *f = *state;
    theorem_config c = tiny_config();
    c.steps = 1;
    theorem_result a, b;
    run(f, &c, NULL, &a);
    const double factors[] = {8, 1e-200 / c.lr};
    for (size_t k = 0; k < 2; k++) {
        theorem_config scaled = c;
        scaled.lr = c.lr * factors[k];
        run(f, &scaled, NULL, &b);
        for (int v = THEOREM_SAME; v <= THEOREM_CROSS; v++)
            for (size_t ie = 0; ie < c.eps.n; ie++)
                for (size_t t = 0; t < c.trials; t++) {
                    const theorem_obs *x = theorem_obs_at(&a, (enum theorem_variant)v, ie, t);
                    const theorem_obs *y = theorem_obs_at(&b, (enum theorem_variant)v, ie, t);
                    assert_true(y->cos != 0);
                    tu_assert_close(x->cos, y->cos, 1e-12, 0);
                    tu_assert_close(factors[k] * x->inner, y->inner, 1e-12, 0);
                    if (v == THEOREM_SAME)
                        tu_assert_close(x->inner / x->predicted, y->inner / y->predicted,
                                        1e-12, 0);
                }
        err e;
        if (theorem_check(&b, &scaled, &e))
            fail_msg("check at lr %g: %s", scaled.lr, e.msg);
        theorem_result_free(&b);
    }
    theorem_result_free(&a);
}

/* ---- the check ---- */

static void check_names_what_failed(void **state)
{
    const fixture *f = *state;
    theorem_config c = tiny_config();
    theorem_result r;
    run(f, &c, NULL, &r);
    err e;
    assert_int_equal(theorem_check(&r, &c, &e), 0);

    /* ε = 1e-2 is outside the check: a bad trial there changes nothing. */
    theorem_obs *o = theorem_obs_at(&r, THEOREM_SAME, 0, 2);
    o->inner = -1;
    assert_int_equal(theorem_check(&r, &c, &e), 0);

    /* A non-positive inner product at ε = 1e-3. */
    o = theorem_obs_at(&r, THEOREM_SAME, 1, 3);
    double saved = o->inner;
    o->inner = 0;
    assert_int_equal(theorem_check(&r, &c, &e), -1);
    tu_assert_contains(e.msg, "eps=0.001");
    tu_assert_contains(e.msg, "non-positive inner product");
    tu_assert_contains(e.msg, "trial 3");
    o->inner = saved;

    /* A mean ratio 3% off at ε = 1e-5. */
    for (size_t t = 0; t < c.trials; t++)
        theorem_obs_at(&r, THEOREM_SAME, 2, t)->predicted /= 1.03;
    assert_int_equal(theorem_check(&r, &c, &e), -1);
    tu_assert_contains(e.msg, "eps=1e-05");
    tu_assert_contains(e.msg, "outside 1 ± 0.01");
    for (size_t t = 0; t < c.trials; t++)
        theorem_obs_at(&r, THEOREM_SAME, 2, t)->predicted *= 1.03;
    assert_int_equal(theorem_check(&r, &c, &e), 0);

    /* A cosine that cannot be computed (NaN), in any variant at any ε, even
     * one the ratio check leaves out; the row's mean, min and max show it
     * as NaN rather than hiding it. */
    theorem_obs_at(&r, THEOREM_CROSS, 0, 4)->cos = NAN; /* ε = 1e-2 */
    assert_int_equal(theorem_check(&r, &c, &e), -1);
    tu_assert_contains(e.msg, "1 cosine(s) cannot be computed");
    tu_assert_contains(e.msg, "cross_init at eps=0.01, trial 4");
    theorem_row rows[9];
    theorem_summarize(&r, &c, rows);
    assert_true(isnan(rows[3].cos_mean) && isnan(rows[3].cos_min) && isnan(rows[3].cos_max));
    assert_false(isnan(rows[4].cos_min));
    theorem_result_free(&r);
}

/* ---- reports ---- */

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static void reports(void **state)
{
    const fixture *f = *state;
    theorem_config c = tiny_config();
    theorem_result r;
    run(f, &c, NULL, &r);
    size_t n = theorem_n_rows(&r);
    assert_int_equal(n, 9); /* same, cross, k3 × 3 ε */
    theorem_row rows[9];
    theorem_summarize(&r, &c, rows);
    assert_string_equal(rows[0].variant, "same_init");
    assert_string_equal(rows[3].variant, "cross_init");
    assert_string_equal(rows[6].variant, "same_init_k3");
    assert_true(rows[0].has_prediction && !rows[3].has_prediction && !rows[6].has_prediction);
    assert_true(rows[2].eps == 1e-5 && rows[2].trials == c.trials);
    assert_true(rows[2].aligned_frac == 1);

    char dir[64], csv[128], json[128];
    tu_tempdir(dir, sizeof dir);
    snprintf(csv, sizeof csv, "%s/theorem.csv", dir);
    snprintf(json, sizeof json, "%s/theorem.json", dir);
    err e;
    assert_int_equal(theorem_out_write_csv(csv, rows, n, &e), 0);
    assert_int_equal(theorem_out_write_json(json, &c, &r, rows, n, 1, "test", 0.5, &e), 0);
    char *text = slurp(csv);
    assert_memory_equal(text, THEOREM_CSV_HEADER "\n", strlen(THEOREM_CSV_HEADER) + 1);
    size_t lines = 0;
    for (char *s = text; *s; s++)
        lines += *s == '\n';
    assert_int_equal(lines, n + 1);
    /* No prediction for the controls: their ratio columns are empty. */
    char *cross = strstr(text, "\ncross_init,");
    assert_non_null(cross);
    size_t commas = 0;
    char *s = cross + 1;
    for (; commas < 5 && *s; s++)
        commas += *s == ',';
    assert_memory_equal(s, ",,", 2);
    free(text);
    text = slurp(json);
    tu_assert_contains(text, "\"variant\": \"same_init_k3\"");
    tu_assert_contains(text, "\"steps\": [");
    tu_assert_contains(text, "{\"step\": 3, \"cos_mean\": ");
    tu_assert_contains(text, "\"ratio\": [");
    tu_assert_contains(text, "\"loss\": \"kl\"");
    free(text);
    remove(csv);
    remove(json);
    remove(dir);

    /* One step only: no K-step rows. */
    theorem_result_free(&r);
    c.steps = 1;
    run(f, &c, NULL, &r);
    assert_int_equal(theorem_n_rows(&r), 6);
    theorem_result_free(&r);
}

/* theorem.csv and theorem.txt read back as written (every number exact,
 * NaN where a cell is empty); stdout's table and report.md's share their
 * column titles, cells and legend. */
static void csv_config_and_table_read_back(void **state)
{
    (void)state;
    theorem_row rows[2] = {
        {.variant = "same_init", .eps = 1e-4, .trials = 3, .aligned_frac = 1, .cos_mean = 0.1,
         .cos_min = 0.05, .cos_max = 1.0 / 3, .inner_mean = 2e-9, .has_prediction = 1,
         .predicted_mean = 2.1e-9, .ratio_mean = 0.9999796166, .ratio_maxdev = 6e-5,
         .flips_mean = 0.5, .kinked_frac = 0.25, .ratio_maxdev_smooth = NAN,
         .loss_drop_frac = 2.0 / 3},
        {.variant = "cross_init", .eps = 1e-4, .trials = 3, .aligned_frac = 1.0 / 3,
         .cos_mean = -0.01, .cos_min = -0.1, .cos_max = 0.1, .inner_mean = -1e-12,
         .loss_drop_frac = 0.5},
    };
    char dir[64], csv[128], txt[128];
    tu_tempdir(dir, sizeof dir);
    snprintf(csv, sizeof csv, "%s/theorem.csv", dir);
    snprintf(txt, sizeof txt, "%s/theorem.txt", dir);
    err e;
    assert_int_equal(theorem_out_write_csv(csv, rows, 2, &e), 0);
    theorem_row *back;
    size_t n;
    assert_int_equal(theorem_out_read_csv(csv, &back, &n, &e), 0);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(back[i].variant, rows[i].variant);
        assert_int_equal(back[i].trials, rows[i].trials);
        assert_int_equal(back[i].has_prediction, rows[i].has_prediction);
        assert_true(back[i].eps == rows[i].eps && back[i].cos_max == rows[i].cos_max &&
                    back[i].loss_drop_frac == rows[i].loss_drop_frac &&
                    back[i].inner_mean == rows[i].inner_mean);
    }
    assert_true(back[0].ratio_mean == rows[0].ratio_mean && isnan(back[0].ratio_maxdev_smooth));
    assert_true(isnan(back[1].ratio_mean) && isnan(back[1].predicted_mean));

    theorem_config c = theorem_defaults(), c2;
    c.width = 32;
    c.loss = THEOREM_LOSS_MSE;
    c.eps = (setting_list){2, {1e-2, 1e-4}};
    c.trials = 4;
    assert_int_equal(theorem_out_write_config(txt, &c, &e), 0);
    assert_int_equal(theorem_out_read_config(txt, &c2, &e), 0);
    assert_memory_equal(&c, &c2, sizeof c);
    char *text = slurp(txt);
    tu_assert_contains(text, "\nwidth=32\n");
    tu_assert_contains(text, "\nloss=mse\n");
    tu_assert_contains(text, "\neps=0.01,0.0001\n");
    free(text);

    /* The column API (report.md's and report.html's table) gives the
     * titles, cells and meanings stdout prints. */
    FILE *out = tmpfile();
    assert_non_null(out);
    theorem_out_print_table(out, back, n);
    theorem_out_print_legend(out);
    fputc('\0', out);
    rewind(out);
    char a[8192] = "";
    assert_true(fread(a, 1, sizeof a - 1, out) > 0);
    fclose(out);
    size_t n_columns = theorem_out_columns(), meanings = 0;
    assert_int_equal(n_columns, 12);
    for (size_t col = 0; col < n_columns; col++) {
        char cell[64], word[64];
        tu_assert_contains(a, theorem_out_column_title(col));
        for (size_t i = 0; i < n; i++) {
            theorem_out_cell(cell, sizeof cell, &back[i], col);
            tu_assert_contains(a, cell);
        }
        const char *meaning = theorem_out_column_meaning(col);
        if (meaning) { /* its first words: the legend wraps the rest */
            snprintf(word, sizeof word, "%.*s", (int)strcspn(meaning, " ") + 1, meaning);
            tu_assert_contains(a, word);
            meanings++;
        }
    }
    assert_int_equal(meanings, 10);
    static const char *const shown[] = {"ratio mean", "L_T drop", "(smooth)", "0.9999796166",
                                        "25.0%", "66.7%", "trials with Δθ_S·Δθ_T > 0"};
    for (size_t k = 0; k < sizeof shown / sizeof shown[0]; k++)
        tu_assert_contains(a, shown[k]);
    free(back);
    remove(csv);
    remove(txt);
    remove(dir);
}

/* ---- validation ---- */

static void validate_rejects_bad_configs(void **state)
{
    const fixture *f = *state;
    err e;
    theorem_config c = tiny_config();
    assert_int_equal(theorem_validate(&c, &f->train, &f->heldout, &e), 0);
    /* A batch larger than its dataset names its flag and both sizes. */
    c.heldout = 101;
    assert_int_equal(theorem_validate(&c, &f->train, &f->heldout, &e), -1);
    tu_assert_contains(e.msg, "--heldout 101 is more than the 100 held-out");
    c = tiny_config();
    c.teacher_batch = 201;
    assert_int_equal(theorem_validate(&c, &f->train, &f->heldout, &e), -1);
    tu_assert_contains(e.msg, "--teacher-batch 201 is more than the 200 training digits");
    c = tiny_config();
    c.input_batch = 201;
    assert_int_equal(theorem_validate(&c, &f->train, &f->heldout, &e), 0); /* noise */
    c.inputs = THEOREM_INPUTS_DIGITS;
    assert_int_equal(theorem_validate(&c, &f->train, &f->heldout, &e), -1);
    tu_assert_contains(e.msg, "--input-batch 201 is more than the 200 training digits");
    c = tiny_config();
    c.eps.v[1] = 0;
    assert_int_equal(theorem_validate(&c, &f->train, &f->heldout, &e), -1);
    c = tiny_config();
    c.trials = 0;
    assert_int_equal(theorem_validate(&c, &f->train, &f->heldout, &e), -1);
    dataset other = synthetic(10, 3);
    other.pixels = 9;
    c = tiny_config();
    assert_int_equal(theorem_validate(&c, &f->train, &other, &e), -1);
    tu_assert_contains(e.msg, "pixels");
    dataset_free(&other);
}

/* Random unit directions and digit inputs run and stay aligned.  Where a
 * ReLU switches between θ0 and θ_T the first-order prediction need not
 * hold: in this width-8 network, with the normal init's zero biases, an
 * input that switches off every first-layer unit leaves second-layer
 * pre-activations at exactly 0, a kink at θ0 itself, which a random
 * direction's bias entries push across (trial 4 here).  The ratio is
 * checked on the trials without switches. */
static void other_directions_and_inputs(void **state)
{
    const fixture *f = *state;
    theorem_config c = tiny_config();
    c.direction = THEOREM_DIR_RANDOM;
    c.inputs = THEOREM_INPUTS_DIGITS;
    theorem_result r;
    run(f, &c, NULL, &r);
    size_t smooth = 0;
    for (size_t t = 0; t < c.trials; t++) {
        const theorem_obs *o = theorem_obs_at(&r, THEOREM_SAME, 2, t);
        assert_true(o->inner > 0);
        if (o->relu_flips == 0) {
            tu_assert_close(o->inner, o->predicted, 1e-4, 0);
            smooth++;
        }
    }
    assert_true(smooth >= 4);
    theorem_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(jvp_matches_central_differences),
        cmocka_unit_test_setup_teardown(prediction_matches_measurement, setup, teardown),
        cmocka_unit_test_setup_teardown(ratio_tends_to_one, setup, teardown),
        cmocka_unit_test_setup_teardown(same_init_aligned_cross_init_both_signs, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(layer_cosines, setup, teardown),
        cmocka_unit_test(layers_csv_reads_back),
        cmocka_unit_test_setup_teardown(bits_do_not_depend_on_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(one_step_ratio_independent_of_lr, setup, teardown),
        cmocka_unit_test_setup_teardown(check_names_what_failed, setup, teardown),
        cmocka_unit_test_setup_teardown(reports, setup, teardown),
        cmocka_unit_test(csv_config_and_table_read_back),
        cmocka_unit_test_setup_teardown(validate_rejects_bad_configs, setup, teardown),
        cmocka_unit_test_setup_teardown(other_directions_and_inputs, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
