/* Tests of run/teachers.h (--load-teacher, --save-teacher) on tiny
 * synthetic checkpoints written with checkpoint_save; no MNIST needed:
 * the key names exactly what a teacher depends on; files of another
 * configuration, damaged files and non-finite teachers are refused, and a
 * save file that is someone else's work is never overwritten; a save file
 * is added to, rewritten only when something new is in it, and a failed
 * save is reported; a second run saving to a file another one saves to is
 * refused at once. */
#include "testutil.h"

#include <math.h>
#include <signal.h>
#include <sys/stat.h>
#include "base/files.h"
#include "run/checkpoint.h"
#include "run/experiment.h"
#include "run/teachers.h"

enum { N_IMAGES = 12, SIDE = 2, PIXELS = SIDE * SIDE };

/* A tiny training set and configuration, and the key of its teachers
 * (a 4-3-11 network).  Holds pointers into itself: never copied. */
typedef struct {
    uint8_t images[N_IMAGES * PIXELS], labels[N_IMAGES];
    dataset train;
    experiment_config cfg;
    checkpoint_key key;
    size_t n_params;
} world;

static void world_make(world *w)
{
    for (size_t i = 0; i < N_IMAGES * PIXELS; i++)
        w->images[i] = (uint8_t)(i * 37 + 11);
    for (size_t i = 0; i < N_IMAGES; i++)
        w->labels[i] = (uint8_t)(i % EXPERIMENT_CLASSES);
    w->train = (dataset){N_IMAGES, SIDE, SIDE, PIXELS, w->images, w->labels};
    w->cfg = experiment_defaults();
    w->cfg.seeds = 3;
    w->cfg.seed_start = 0;
    w->cfg.width = 3;
    w->cfg.hidden_layers = 1;
    w->cfg.m = 1;
    w->cfg.teacher_epochs = 2;
    w->cfg.batch = 8;
    w->cfg.lr = 1e-3;
    err e = {{0}};
    if (teachers_key(&w->key, &w->cfg, &w->train, &e))
        fail_msg("teachers_key: %s", e.msg);
    w->n_params = mlp_n_params(&w->key.shape);
}

/* The parameters and loss a test gives the teacher of seed (+ shift). */
static void teacher_of(float *p, size_t n, uint64_t seed, float shift)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (float)seed + 0.5f * (float)i + shift;
}
static double loss_of(uint64_t seed) { return 0.125 * (double)(seed + 1); }

enum { MAX_PARAMS = 64 };

/* Writes a checkpoint under key holding the teachers of seeds[0..n). */
static void write_checkpoint(const char *path, const checkpoint_key *key,
                             const uint64_t *seeds, size_t n)
{
    checkpoint c;
    err e = {{0}};
    assert_int_equal(checkpoint_init(&c, key, n, &e), 0);
    assert_true(c.n_params <= MAX_PARAMS);
    float p[MAX_PARAMS];
    for (size_t k = 0; k < n; k++) {
        teacher_of(p, c.n_params, seeds[k], 0);
        assert_int_equal(checkpoint_put(&c, seeds[k], loss_of(seeds[k]), p, n, &e), 0);
    }
    if (checkpoint_save(&c, path, &e))
        fail_msg("%s", e.msg);
    checkpoint_free(&c);
}

/* Fails unless path is a checkpoint of w's key whose teachers are exactly
 * those of seeds[0..n), as teacher_of and loss_of make them. */
static void assert_holds(const world *w, const char *path, const uint64_t *seeds, size_t n)
{
    checkpoint c;
    err e = {{0}};
    if (checkpoint_load(&c, path, &e) || checkpoint_check_key(&c, &w->key, path, &e))
        fail_msg("%s", e.msg);
    assert_int_equal(c.n, n);
    float want[MAX_PARAMS];
    for (size_t k = 0; k < n; k++) {
        double loss;
        const float *p = checkpoint_find(&c, seeds[k], &loss);
        if (!p)
            fail_msg("%s has no teacher of seed %llu", path, (unsigned long long)seeds[k]);
        teacher_of(want, c.n_params, seeds[k], 0);
        assert_memory_equal(p, want, c.n_params * sizeof *p);
        assert_true(loss == loss_of(seeds[k]));
    }
    checkpoint_free(&c);
}

/* The key holds what a teacher depends on: the network made of cfg on the
 * training images, init, teacher epochs, batch, lr, the data; a change to
 * any of them gives a key an old checkpoint fails; a change to what only
 * students or the seed list depend on leaves the key as it was. */
static void key_reflects_config_and_data(void **state)
{
    (void)state;
    world w;
    world_make(&w);
    assert_int_equal(w.key.shape.n_layers, w.cfg.hidden_layers + 1);
    assert_int_equal(w.key.shape.dims[0], PIXELS);
    assert_int_equal(w.key.shape.dims[1], w.cfg.width);
    assert_int_equal(w.key.shape.dims[w.key.shape.n_layers], EXPERIMENT_CLASSES + w.cfg.m);
    assert_int_equal(w.key.init, w.cfg.init);
    assert_int_equal(w.key.epochs, w.cfg.teacher_epochs);
    assert_int_equal(w.key.batch, w.cfg.batch);
    assert_true(w.key.lr == w.cfg.lr);
    assert_true(w.key.data_fingerprint == dataset_fingerprint(&w.train));

    checkpoint old;
    err e = {{0}};
    assert_int_equal(checkpoint_init(&old, &w.key, 0, &e), 0);
    checkpoint_key k;
    const uint8_t image5 = w.images[5], label3 = w.labels[3];
    for (int change = 0; change < 9; change++) {
        experiment_config c = w.cfg;
        switch (change) {
        case 0: c.width++; break;
        case 1: c.m++; break;
        case 2: c.hidden_layers++; break;
        case 3: c.init = MLP_INIT_UNIFORM; break;
        case 4: c.teacher_epochs++; break;
        case 5: c.batch++; break;
        case 6: c.lr *= 2; break;
        case 7: w.images[5] ^= 1; break;
        case 8: w.labels[3] ^= 1; break;
        }
        assert_int_equal(teachers_key(&k, &c, &w.train, &e), 0);
        if (checkpoint_check_key(&old, &k, "old.ck", &e) == 0)
            fail_msg("change %d left the teachers' key as it was", change);
        w.images[5] = image5;
        w.labels[3] = label3;
    }
    for (int change = 0; change < 6; change++) {
        experiment_config c = w.cfg;
        switch (change) {
        case 0: c.seeds = 50; break;
        case 1: c.seed_start = 7; break;
        case 2: c.student_epochs++; break;
        case 3: c.noise = NOISE_NORMAL; break;
        case 4: c.n_noise = 99; break;
        case 5: c.curves = 1; break;
        }
        assert_int_equal(teachers_key(&k, &c, &w.train, &e), 0);
        if (checkpoint_check_key(&old, &k, "old.ck", &e))
            fail_msg("change %d (no teacher depends on it) changed the key: %s", change, e.msg);
    }
    checkpoint_free(&old);
    /* A network that cannot be made is an error, not a key. */
    experiment_config c = w.cfg;
    c.hidden_layers = MLP_MAX_LAYERS;
    assert_int_equal(teachers_key(&k, &c, &w.train, &e), -1);
    tu_assert_contains(e.msg, "hidden layers");
}

/* --load-teacher refuses, naming the flag and the file, a checkpoint of
 * another configuration, a damaged one, one with a non-finite teacher
 * (parameters or loss), and a missing one. */
static void open_refuses_bad_load_files(void **state)
{
    tu_dir *fx = *state;
    world w;
    world_make(&w);
    const uint64_t seeds[] = {0, 1};
    const char *path = tu_path(fx->dir, "t.ck");
    teachers t;
    err e = {{0}};

    checkpoint_key other = w.key;
    other.lr *= 10;
    write_checkpoint(path, &other, seeds, 2);
    assert_int_equal(teachers_open(&t, &w.key, 3, path, NULL, &e), -1);
    tu_assert_contains(e.msg, "--load-teacher");
    tu_assert_contains(e.msg, path);
    tu_assert_contains(e.msg, "--lr");

    write_checkpoint(path, &w.key, seeds, 2);
    size_t n;
    char *bytes = tu_slurp(path, &n);
    bytes[n / 2] ^= 1;
    tu_write_file(path, bytes, n);
    free(bytes);
    assert_int_equal(teachers_open(&t, &w.key, 3, path, NULL, &e), -1);
    tu_assert_contains(e.msg, "--load-teacher");
    tu_assert_contains(e.msg, path);
    tu_assert_contains(e.msg, "damaged");

    for (int where = 0; where < 2; where++) {
        checkpoint c;
        float p[MAX_PARAMS];
        assert_int_equal(checkpoint_init(&c, &w.key, 2, &e), 0);
        teacher_of(p, w.n_params, 0, 0);
        assert_int_equal(checkpoint_put(&c, 0, loss_of(0), p, 2, &e), 0);
        double loss = loss_of(1);
        teacher_of(p, w.n_params, 1, 0);
        if (where == 0)
            p[w.n_params - 1] = NAN;
        else
            loss = INFINITY;
        assert_int_equal(checkpoint_put(&c, 1, loss, p, 2, &e), 0);
        assert_int_equal(checkpoint_save(&c, path, &e), 0);
        checkpoint_free(&c);
        assert_int_equal(teachers_open(&t, &w.key, 3, path, NULL, &e), -1);
        tu_assert_contains(e.msg, "--load-teacher");
        tu_assert_contains(e.msg, path);
        tu_assert_contains(e.msg, "seed 1 is not finite");
    }

    const char *none = tu_path(fx->dir, "none.ck");
    assert_int_equal(teachers_open(&t, &w.key, 3, none, NULL, &e), -1);
    tu_assert_contains(e.msg, none);
}

/* A save file of another configuration, or damaged, is someone's work:
 * refused ("refusing to overwrite"), byte for byte as it was, no temporary
 * left, also when a good load file is given too. */
static void open_refuses_to_overwrite_foreign_save_files(void **state)
{
    tu_dir *fx = *state;
    world w;
    world_make(&w);
    const uint64_t seeds[] = {4};
    const char *save = tu_path(fx->dir, "theirs.ck");
    const char *copy = tu_path(fx->dir, "copy");
    const char *load = tu_path(fx->dir, "load.ck");
    write_checkpoint(load, &w.key, seeds, 1);
    teachers t;
    err e = {{0}};
    for (int kind = 0; kind < 2; kind++) {
        checkpoint_key other = w.key;
        other.epochs++;
        write_checkpoint(save, &other, seeds, 1);
        size_t n;
        char *bytes = tu_slurp(save, &n);
        if (kind == 1) {
            write_checkpoint(save, &w.key, seeds, 1);
            free(bytes);
            bytes = tu_slurp(save, &n);
            bytes[n - 3] ^= 1;
            tu_write_file(save, bytes, n);
        }
        tu_write_file(copy, bytes, n);
        free(bytes);
        for (int with_load = 0; with_load < 2; with_load++) {
            e.msg[0] = '\0';
            assert_int_equal(teachers_open(&t, &w.key, 3, with_load ? load : NULL, save, &e),
                             -1);
            tu_assert_contains(e.msg, "--save-teacher");
            tu_assert_contains(e.msg, save);
            tu_assert_contains(e.msg, "refusing to overwrite");
            tu_assert_same_file(save, copy);
        }
    }
    assert_int_equal(tu_count_temporaries(fx->dir), 0);
}

/* A save path whose folder does not exist (or is a file) is refused when
 * the files are opened, before any teacher is trained for it, and nothing
 * is created. */
static void open_refuses_unwritable_save_paths(void **state)
{
    tu_dir *fx = *state;
    world w;
    world_make(&w);
    teachers t;
    err e = {{0}};
    const char *nodir = tu_path(fx->dir, "nodir/t.ck");
    assert_int_equal(teachers_open(&t, &w.key, 3, NULL, nodir, &e), -1);
    tu_assert_contains(e.msg, "--save-teacher");
    tu_assert_contains(e.msg, nodir);
    assert_false(files_exists(tu_path(fx->dir, "nodir")));
    tu_write_file(tu_path(fx->dir, "file"), "x", 1);
    const char *under_file = tu_path(fx->dir, "file/t.ck");
    assert_int_equal(teachers_open(&t, &w.key, 3, NULL, under_file, &e), -1);
    tu_assert_contains(e.msg, under_file);
    assert_int_equal(tu_count_temporaries(fx->dir), 0);
}

/* teachers_load copies a saved teacher's parameters and loss and says 1;
 * for a seed the file lacks it says 0 and touches nothing; teachers_have
 * agrees; with no load file nothing is found and nothing fails.  A loaded
 * teacher goes into the save file too (it collects every seed's). */
static void load_copies_params_and_loss(void **state)
{
    tu_dir *fx = *state;
    world w;
    world_make(&w);
    const uint64_t seeds[] = {5, 6};
    const char *path = tu_path(fx->dir, "t.ck");
    write_checkpoint(path, &w.key, seeds, 2);
    teachers t;
    err e = {{0}};
    assert_int_equal(teachers_open(&t, &w.key, 3, path, NULL, &e), 0);
    float got[MAX_PARAMS], want[MAX_PARAMS];
    double loss = -1;
    assert_true(teachers_have(&t, 6));
    assert_int_equal(teachers_load(&t, 6, got, &loss), 1);
    teacher_of(want, w.n_params, 6, 0);
    assert_memory_equal(got, want, w.n_params * sizeof *got);
    assert_true(loss == loss_of(6));

    memset(got, 0x5a, sizeof got);
    memcpy(want, got, sizeof got);
    loss = -1;
    assert_false(teachers_have(&t, 7));
    assert_int_equal(teachers_load(&t, 7, got, &loss), 0);
    assert_memory_equal(got, want, sizeof got);
    assert_true(loss == -1);
    assert_int_equal(teachers_status(&t, &e), 0);
    teachers_close(&t);

    assert_int_equal(teachers_open(&t, &w.key, 3, NULL, NULL, &e), 0);
    assert_false(teachers_have(&t, 5));
    assert_int_equal(teachers_load(&t, 5, got, &loss), 0);
    teacher_of(want, w.n_params, 5, 0);
    teachers_keep(&t, 5, want, loss_of(5)); /* not saving: nothing happens */
    assert_int_equal(teachers_status(&t, &e), 0);
    teachers_close(&t);

    const char *save = tu_path(fx->dir, "mine.ck");
    assert_int_equal(teachers_open(&t, &w.key, 3, path, save, &e), 0);
    assert_int_equal(teachers_load(&t, 5, got, &loss), 1);
    assert_int_equal(teachers_status(&t, &e), 0);
    teachers_close(&t);
    assert_holds(&w, save, seeds, 1);
}

/* Loading and saving the same file (however spelled) adds a new seed's
 * teacher to the ones it had. */
static void same_file_loaded_and_saved_gains_teachers(void **state)
{
    tu_dir *fx = *state;
    world w;
    world_make(&w);
    const uint64_t seeds[] = {0, 1, 2};
    const char *path = tu_path(fx->dir, "t.ck");
    const char *spelled = tu_path(fx->dir, "./t.ck");
    write_checkpoint(path, &w.key, seeds, 2);
    teachers t;
    err e = {{0}};
    assert_int_equal(teachers_open(&t, &w.key, w.cfg.seeds, path, spelled, &e), 0);
    float p[MAX_PARAMS];
    double loss;
    assert_int_equal(teachers_load(&t, 0, p, &loss), 1);
    assert_int_equal(teachers_load(&t, 2, p, &loss), 0);
    teacher_of(p, w.n_params, 2, 0);
    teachers_keep(&t, 2, p, loss_of(2));
    if (teachers_status(&t, &e))
        fail_msg("%s", e.msg);
    teachers_close(&t);
    assert_holds(&w, path, seeds, 3);
    assert_int_equal(tu_count_temporaries(fx->dir), 0);
}

/* Fails unless path is (or is not, per same) the very file of st. */
static void assert_file_kept(const char *path, const struct stat *st, int same)
{
    struct stat now;
    assert_int_equal(stat(path, &now), 0);
    int kept = now.st_ino == st->st_ino && now.st_mtim.tv_sec == st->st_mtim.tv_sec &&
               now.st_mtim.tv_nsec == st->st_mtim.tv_nsec;
    if (kept != same)
        fail_msg("%s was %s", path, same ? "rewritten" : "not rewritten");
}

/* A save file of this configuration is added to; keeping a teacher the
 * file has already (same bits, same loss) does not rewrite it (same inode,
 * same mtime), while another teacher for that seed replaces it. */
static void keep_rewrites_only_what_is_new(void **state)
{
    tu_dir *fx = *state;
    world w;
    world_make(&w);
    const uint64_t seeds[] = {3, 4};
    const char *path = tu_path(fx->dir, "t.ck");
    write_checkpoint(path, &w.key, seeds, 1);
    struct stat before;
    assert_int_equal(stat(path, &before), 0);
    teachers t;
    err e = {{0}};
    assert_int_equal(teachers_open(&t, &w.key, 2, NULL, path, &e), 0);
    float p[MAX_PARAMS];
    teacher_of(p, w.n_params, 3, 0);
    teachers_keep(&t, 3, p, loss_of(3));
    assert_file_kept(path, &before, 1);

    teacher_of(p, w.n_params, 4, 0);
    teachers_keep(&t, 4, p, loss_of(4));
    assert_file_kept(path, &before, 0);
    assert_holds(&w, path, seeds, 2);

    assert_int_equal(stat(path, &before), 0);
    teacher_of(p, w.n_params, 3, 1);
    teachers_keep(&t, 3, p, loss_of(3));
    assert_file_kept(path, &before, 0);
    assert_int_equal(teachers_status(&t, &e), 0);
    teachers_close(&t);
    checkpoint c;
    assert_int_equal(checkpoint_load(&c, path, &e), 0);
    assert_int_equal(c.n, 2);
    assert_true(checkpoint_find(&c, 3, NULL)[0] == p[0]);
    checkpoint_free(&c);
}

/* Removes the folder dir that held a save file t.ck, and the lock file
 * left beside it. */
static int remove_save_folder(const char *dir)
{
    unlink(tu_path(dir, "t.ck" TEACHERS_LOCK_SUFFIX));
    return rmdir(dir);
}

/* A save that fails after open (its folder made read-only, or gone)
 * stops saving and teachers_status reports it, naming --save-teacher and
 * the seed; later teachers are not saved, even where they could be. */
static void status_reports_a_failed_save(void **state)
{
    tu_dir *fx = *state;
    world w;
    world_make(&w);
    char sub[600];
    snprintf(sub, sizeof sub, "%s/sub", fx->dir);
    const char *path = tu_path(sub, "t.ck");
    float p[MAX_PARAMS];
    teachers t;
    err e = {{0}};
    for (int how = 0; how < 2; how++) {
        assert_int_equal(mkdir(sub, 0755), 0);
        assert_int_equal(teachers_open(&t, &w.key, 3, NULL, path, &e), 0);
        assert_int_equal(teachers_status(&t, &e), 0);
        if (how == 0) {
            /* Permissions do not stop root: nothing to test then. */
            if (geteuid() == 0) {
                teachers_close(&t);
                assert_int_equal(remove_save_folder(sub), 0);
                continue;
            }
            assert_int_equal(chmod(sub, 0555), 0);
        } else {
            assert_int_equal(remove_save_folder(sub), 0);
        }
        teacher_of(p, w.n_params, 0, 0);
        teachers_keep(&t, 0, p, loss_of(0));
        e.msg[0] = '\0';
        assert_int_equal(teachers_status(&t, &e), -1);
        tu_assert_contains(e.msg, "--save-teacher");
        tu_assert_contains(e.msg, "seed 0");
        if (how == 0)
            assert_int_equal(chmod(sub, 0755), 0);
        else
            assert_int_equal(mkdir(sub, 0755), 0);
        teacher_of(p, w.n_params, 1, 0);
        teachers_keep(&t, 1, p, loss_of(1));
        assert_false(files_exists(path));
        assert_int_equal(teachers_status(&t, &e), -1);
        tu_assert_contains(e.msg, "seed 0");
        teachers_close(&t);
        assert_int_equal(tu_count_temporaries(sub), 0);
        assert_int_equal(remove_save_folder(sub), 0);
    }
}

/* What a child process saving teachers to a file opens. */
typedef struct {
    const world *w;
    const char *path;
} saving;

static int open_to_save(const void *arg)
{
    const saving *s = arg;
    teachers t;
    err e;
    return teachers_open(&t, &s->w->key, 3, NULL, s->path, &e);
}

/* While another process saves teachers to a file, a second run saving to
 * it is refused at once (loading it too or not), naming the file and the
 * first one's pid, and the file is left alone; only loading it is fine.
 * Once the first has ended, even by SIGKILL, the file opens to save. */
static void second_saver_refused(void **state)
{
    tu_dir *fx = *state;
    world w;
    world_make(&w);
    const char *path = tu_path(fx->dir, "t.ck");
    const uint64_t seeds[] = {4};
    write_checkpoint(path, &w.key, seeds, 1);
    saving s = {&w, path};
    tu_lock_holder h = tu_hold(open_to_save, &s, path);
    char want[96];
    snprintf(want, sizeof want, "is being written by another sublim (pid %ld)", (long)h.pid);
    teachers t;
    err e = {{0}};
    for (int with_load = 0; with_load < 2; with_load++) {
        e.msg[0] = '\0';
        assert_int_equal(teachers_open(&t, &w.key, 3, with_load ? path : NULL, path, &e), -1);
        tu_assert_contains(e.msg, "--save-teacher: ");
        tu_assert_contains(e.msg, path);
        tu_assert_contains(e.msg, want);
    }
    assert_holds(&w, path, seeds, 1);
    assert_int_equal(teachers_open(&t, &w.key, 3, path, NULL, &e), 0);
    assert_true(teachers_have(&t, 4));
    teachers_close(&t);
    assert_int_equal(kill(h.pid, SIGKILL), 0);
    assert_int_equal(waitpid(h.pid, NULL, 0), h.pid);
    close(h.go);
    if (teachers_open(&t, &w.key, 3, NULL, path, &e))
        fail_msg("%s", e.msg);
    teachers_close(&t);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, tu_dir_setup, tu_dir_teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(key_reflects_config_and_data),
        T(open_refuses_bad_load_files),
        T(open_refuses_to_overwrite_foreign_save_files),
        T(open_refuses_unwritable_save_paths),
        T(load_copies_params_and_loss),
        T(same_file_loaded_and_saved_gains_teachers),
        T(keep_rewrites_only_what_is_new),
        T(status_reports_a_failed_save),
        T(second_saver_refused),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
