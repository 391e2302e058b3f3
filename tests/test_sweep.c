/* Tests of run/sweep.h, the plan of a grid of settings: comma lists and
 * ranges become each axis's values in config.txt's text form; bad lists
 * are refused naming the flag; axes follow the settings table, the last
 * varying fastest; tasks are (point, seed) in point order; names and
 * point configurations come from the values alone. */
#include "testutil.h"

#include "run/experiment.h"
#include "run/sweep.h"

/* A plan over the defaults with seeds from seed_start. */
static sweep_plan plan_of(size_t seeds, uint64_t seed_start)
{
    experiment_config base = experiment_defaults();
    base.seeds = seeds;
    base.seed_start = seed_start;
    sweep_plan p;
    sweep_plan_init(&p, &base);
    return p;
}

/* Adds the axis, failing with the error unless it is accepted. */
static void add(sweep_plan *p, const char *name, const char *values)
{
    err e = {{0}};
    if (sweep_add_axis(p, name, values, &e) != 0)
        fail_msg("sweep_add_axis(%s, %s): %s", name, values, e.msg);
}

/* Fails unless the axis of the setting called name holds exactly the
 * values of want (NULL-terminated). */
static void assert_values(const sweep_plan *p, const char *name, const char *const *want)
{
    size_t a = 0, n = 0;
    while (a < p->n_axes && strcmp(p->axes[a].s->name, name) != 0)
        a++;
    if (a == p->n_axes)
        fail_msg("no axis %s", name);
    for (; want[n]; n++) {
        if (n >= p->axes[a].n)
            fail_msg("axis %s has %zu values, want more", p->axes[a].s->name, p->axes[a].n);
        assert_string_equal(p->axes[a].values[n], want[n]);
    }
    assert_int_equal(p->axes[a].n, n);
}
#define V(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Lists keep their order, in config.txt's text form (1e-3 is 0.001). */
static void lists_become_values(void **state)
{
    (void)state;
    sweep_plan p = plan_of(1, 0);
    add(&p, "m", "10,1,3");
    add(&p, "lr", "1e-3,3e-4");
    add(&p, "init", "uniform,normal");
    assert_int_equal(p.n_axes, 3);
    assert_values(&p, "m", V("10", "1", "3"));
    assert_values(&p, "lr", V("0.001", "0.0003"));
    assert_values(&p, "init", V("uniform", "normal"));
    assert_int_equal(sweep_n_points(&p), 12);
    /* In the settings table's order: m, lr, init. */
    assert_string_equal(p.axes[0].s->name, "m");
    assert_string_equal(p.axes[2].s->name, "init");
}

/* START:STOP:xF and START:STOP:+D, STOP included when reached (also
 * through rounding: 1e-4·10² is 1e-2 exactly), never passed; a range
 * can sit in a list. */
static void ranges_become_values(void **state)
{
    (void)state;
    sweep_plan p = plan_of(1, 0);
    add(&p, "lr", "1e-4:1e-2:x10");
    assert_values(&p, "lr", V("0.0001", "0.001", "0.01"));
    add(&p, "width", "16:64:+16");
    assert_values(&p, "width", V("16", "32", "48", "64"));
    add(&p, "batch", "100:1000:x3");
    assert_values(&p, "batch", V("100", "300", "900"));
    add(&p, "m", "1,4:6:+1,10");
    assert_values(&p, "m", V("1", "4", "5", "6", "10"));
    add(&p, "epochs", "2:2:+1");
    assert_values(&p, "epochs", V("2"));
}

/* Fails unless sweep_add_axis(name, values) is refused with every word. */
static void assert_refused(sweep_plan *p, const char *name, const char *values,
                           const char *const *words)
{
    err e = {{0}};
    size_t n_axes = p->n_axes;
    if (sweep_add_axis(p, name, values, &e) == 0)
        fail_msg("sweep_add_axis(%s, %s) was accepted", name, values);
    for (; *words; words++)
        tu_assert_contains(e.msg, *words);
    assert_int_equal(p->n_axes, n_axes); /* a refused axis is not added */
}

static void bad_lists_refused_naming_the_flag(void **state)
{
    (void)state;
    sweep_plan p = plan_of(1, 0);
    assert_refused(&p, "nope", "1", V("no setting 'nope'"));
    assert_refused(&p, "m", "", V("--m", "empty value"));
    assert_refused(&p, "m", "1,,3", V("--m", "empty value"));
    assert_refused(&p, "m", "1,3,", V("--m", "empty value"));
    assert_refused(&p, "m", "1,3,1", V("--m", "1 given twice"));
    assert_refused(&p, "m", "3,1:5:+2", V("--m", "3 given twice"));
    assert_refused(&p, "lr", "1e-3,0.001", V("--lr", "0.001 given twice"));
    assert_refused(&p, "m", "0,3", V("--m", "out of range"));
    assert_refused(&p, "m", "1,x", V("--m", "'x' is not"));
    assert_refused(&p, "init", "normal,gaussian", V("--init", "'gaussian'"));
    assert_refused(&p, "seeds", "1,2", V("--seeds cannot be swept", "seeds"));
    assert_refused(&p, "seed_start", "0,5", V("--seed-start cannot be swept"));
    assert_refused(&p, "hidden_layers", "1,2", V("cannot be swept"));
    assert_refused(&p, "optimizer", "a,b", V("cannot be swept"));
    assert_refused(&p, "m", "5:1:+1", V("--m", "does not climb"));
    assert_refused(&p, "lr", "1e-2:1e-1:x1", V("--lr", "does not climb"));
    assert_refused(&p, "lr", "0:1:x10", V("--lr", "does not climb"));
    assert_refused(&p, "m", "1:5", V("--m", "not a range"));
    assert_refused(&p, "m", "1:5:-1", V("--m", "not a range"));
    assert_refused(&p, "m", "1:y:+1", V("--m", "not a range"));
    assert_refused(&p, "init", "1:3:+1", V("--init", "needs a number setting"));
    assert_refused(&p, "m", "1:100:+1", V("--m", "at most 64 values"));
    assert_refused(&p, "lr", "1e-13:1e-11:x10", V("--lr", "out of range"));
    assert_refused(&p, "dataset", "mnist,fashion", V("--dataset takes one value", "one data set"));
    assert_refused(&p, "dataset", "cifar", V("--dataset"));
    add(&p, "m", "1,3");
    assert_refused(&p, "m", "5,7", V("--m is swept twice"));
}

/* At most SWEEP_MAX_AXES settings at once. */
static void too_many_axes_refused(void **state)
{
    (void)state;
    sweep_plan p = plan_of(1, 0);
    const char *names[] = {"epochs", "student_epochs", "m", "width", "batch",
                           "lr", "init", "noise", "noise_images"};
    const char *values[] = {"1,2", "1,2", "1,2", "8,16", "64,128",
                            "1e-3,1e-2", "normal,uniform", "uniform,normal", "0,100"};
    for (size_t i = 0; i < SWEEP_MAX_AXES; i++)
        add(&p, names[i], values[i]);
    assert_refused(&p, names[SWEEP_MAX_AXES], values[SWEEP_MAX_AXES], V("at most 8 settings"));
}

/* Axes in the settings table's order whatever the order they came in; the
 * last varies fastest; task t is point t / seeds, seed seed_start + t %
 * seeds; names from the values. */
static void points_and_tasks_in_order(void **state)
{
    (void)state;
    sweep_plan p = plan_of(2, 5);
    add(&p, "width", "64,256");
    add(&p, "m", "1,3");
    assert_string_equal(p.axes[0].s->name, "m");
    assert_string_equal(p.axes[1].s->name, "width");
    assert_int_equal(sweep_n_points(&p), 4);
    assert_int_equal(sweep_n_tasks(&p), 8);
    const char *names[] = {"m=1,width=64", "m=1,width=256", "m=3,width=64", "m=3,width=256"};
    char name[256];
    for (size_t pt = 0; pt < 4; pt++) {
        sweep_point_name(&p, pt, name, sizeof name);
        assert_string_equal(name, names[pt]);
        assert_int_equal(sweep_value_index(&p, pt, 0), pt / 2);
        assert_int_equal(sweep_value_index(&p, pt, 1), pt % 2);
    }
    for (size_t t = 0; t < 8; t++) {
        size_t point;
        uint64_t seed;
        sweep_task(&p, t, &point, &seed);
        assert_int_equal(point, t / 2);
        assert_int_equal(seed, 5 + t % 2);
    }
}

/* A point's configuration is the base with its values, and every seed. */
static void point_configs(void **state)
{
    (void)state;
    sweep_plan p = plan_of(3, 7);
    p.base.teacher_epochs = 2;
    add(&p, "lr", "1e-3,1e-2");
    add(&p, "init", "normal,uniform");
    experiment_config cfg;
    sweep_point_config(&p, 3, &cfg);
    assert_true(cfg.lr == 1e-2);
    assert_int_equal(cfg.init, MLP_INIT_UNIFORM);
    assert_int_equal(cfg.teacher_epochs, 2);
    assert_int_equal(cfg.seeds, 3);
    assert_int_equal(cfg.seed_start, 7);
    sweep_point_config(&p, 0, &cfg);
    assert_true(cfg.lr == 1e-3);
    assert_int_equal(cfg.init, MLP_INIT_NORMAL);
    char name[256];
    sweep_point_name(&p, 2, name, sizeof name);
    assert_string_equal(name, "lr=0.01,init=normal");
}

/* No axis: one point, "base", the base's own configuration. */
static void no_axis_is_one_point(void **state)
{
    (void)state;
    sweep_plan p = plan_of(4, 0);
    assert_int_equal(sweep_n_points(&p), 1);
    assert_int_equal(sweep_n_tasks(&p), 4);
    char name[64];
    sweep_point_name(&p, 0, name, sizeof name);
    assert_string_equal(name, "base");
    experiment_config cfg;
    sweep_point_config(&p, 0, &cfg);
    assert_int_equal(memcmp(&cfg, &p.base, sizeof cfg), 0);
}

/* A setting with a grammar of its own is swept by listing its values, whose
 * colons are theirs, not a range's; a point whose settings do not go
 * together is refused, naming it. */
static void spec_settings_swept(void **state)
{
    (void)state;
    sweep_plan p = plan_of(2, 0);
    add(&p, "trait", "none,prefer:3,swap:4:9");
    add(&p, "student_init", "mix:0,mix:0.50,mix:1");
    assert_values(&p, "trait", V("none", "prefer:3", "swap:4:9"));
    assert_values(&p, "student_init", V("mix:0", "mix:0.5", "mix:1"));
    experiment_config cfg;
    sweep_point_config(&p, 5, &cfg);
    assert_true(cfg.trait.kind == TRAIT_PREFER && cfg.trait.target == 3);
    assert_true(cfg.student_init.kind == STUDENT_START_MIX && cfg.student_init.alpha == 1);
    char name[256];
    sweep_point_name(&p, 5, name, sizeof name);
    assert_string_equal(name, "trait=prefer:3,student_init=mix:1");
    err e = {{0}};
    assert_int_equal(sweep_check_points(&p, &e), 0);
    assert_int_equal(sweep_add_axis(&p, "trait_epochs", "1:3:+1", &e), 0);
    assert_int_equal(sweep_check_points(&p, &e), -1); /* trait=none with 2 epochs */
    tu_assert_contains(e.msg, "point trait=none,trait_epochs=2,student_init=mix:0: ");
    tu_assert_contains(e.msg, "--trait-epochs");
    sweep_plan q = plan_of(1, 0);
    assert_int_equal(sweep_add_axis(&q, "trait", "prefer:3,prefer:11", &e), -1);
    tu_assert_contains(e.msg, "--trait: 'prefer:11'");
    assert_int_equal(sweep_add_axis(&q, "trait", "prefer:1:3:+1", &e), -1);
}

/* More than SWEEP_SANE_TASKS tasks only with force, saying how many. */
static void grid_size_bound(void **state)
{
    (void)state;
    sweep_plan p = plan_of(5, 0);
    add(&p, "m", "1:64:+1");
    add(&p, "width", "1:64:+1");
    err e = {{0}};
    assert_int_equal(sweep_n_tasks(&p), 64 * 64 * 5);
    assert_int_equal(sweep_check_size(&p, 0, &e), -1);
    tu_assert_contains(e.msg, "20480 tasks");
    tu_assert_contains(e.msg, "--force");
    assert_int_equal(sweep_check_size(&p, 1, &e), 0);
    sweep_plan small = plan_of(SWEEP_SANE_TASKS / 2, 0);
    add(&small, "m", "1,2");
    assert_int_equal(sweep_check_size(&small, 0, &e), 0); /* exactly the bound: fine */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lists_become_values),
        cmocka_unit_test(ranges_become_values),
        cmocka_unit_test(bad_lists_refused_naming_the_flag),
        cmocka_unit_test(too_many_axes_refused),
        cmocka_unit_test(points_and_tasks_in_order),
        cmocka_unit_test(point_configs),
        cmocka_unit_test(no_axis_is_one_point),
        cmocka_unit_test(grid_size_bound),
        cmocka_unit_test(spec_settings_swept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
