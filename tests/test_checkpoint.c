/* Tests of run/checkpoint.h, the file of trained teachers: a round trip;
 * refusal of a file made under another configuration, with a damaged
 * byte, truncated at any length, or of another version, each with a
 * message naming the file and the problem; and the data fingerprint that
 * tells which data taught a teacher. */
#include "testutil.h"

#include <errno.h>
#include "run/checkpoint.h"

/* A 4-3-2 network (23 numbers) under a made-up configuration. */
static checkpoint_key tiny_key(void)
{
    checkpoint_key k;
    memset(&k, 0, sizeof k);
    assert_int_equal(mlp_shape_make(&k.shape, 4, 3, 1, 2, NULL), 0);
    k.init = MLP_INIT_NORMAL;
    k.epochs = 5;
    k.batch = 64;
    k.lr = 3e-4;
    k.data_fingerprint = 0x1234abcdull;
    return k;
}

/* Parameters i * 0.25 - 1, with p[0] = first. */
static void fill(float *p, size_t n, float first)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (float)i * 0.25f - 1;
    p[0] = first;
}

/* Saves a checkpoint of two teachers under key to path: seed 7 (loss 0.5,
 * p[0] = -1) and seed 9 (loss 0.25, p[0] = 42); a third does not fit. */
static void save_two(const char *path, const checkpoint_key *key)
{
    checkpoint c;
    err e = {{0}};
    assert_int_equal(checkpoint_init(&c, key, 2, &e), 0);
    float p[64];
    assert_true(c.n_params <= 64);
    fill(p, c.n_params, -1);
    assert_int_equal(checkpoint_put(&c, 7, 0.5, p, 2, &e), 0);
    p[0] = 42;
    assert_int_equal(checkpoint_put(&c, 9, 0.25, p, 2, &e), 0);
    assert_int_equal(checkpoint_put(&c, 11, 0.25, p, 2, &e), -1); /* full */
    tu_assert_contains(e.msg, "full");
    assert_int_equal(checkpoint_save(&c, path, &e), 0);
    checkpoint_free(&c);
}

/* save_two to path, loaded back into *c. */
static void save_and_load(checkpoint *c, const char *path, const checkpoint_key *key)
{
    err e = {{0}};
    save_two(path, key);
    assert_int_equal(checkpoint_load(c, path, &e), 0);
}

/* The bytes (*n of them) save_two writes to dir/good.ck under tiny_key(). */
static uint8_t *good_bytes(const char *dir, size_t *n)
{
    checkpoint_key key = tiny_key();
    const char *good = tu_path(dir, "good.ck");
    save_two(good, &key);
    return (uint8_t *)tu_slurp(good, n);
}

/* What is saved loads back: key, every teacher's seed, loss and
 * parameters; an unknown seed is not found; no temporary is left. */
static void checkpoint_round_trip(void **state)
{
    tu_dir *fx = *state;
    checkpoint_key key = tiny_key();
    const char *path = tu_path(fx->dir, "t.ck");
    checkpoint c;
    save_and_load(&c, path, &key);
    err e = {{0}};
    assert_int_equal(checkpoint_check_key(&c, &key, path, &e), 0);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.n_params, mlp_n_params(&key.shape));
    assert_int_equal(c.n_params, 23);
    double loss;
    const float *p = checkpoint_find(&c, 9, &loss);
    assert_non_null(p);
    assert_true(p[0] == 42 && p[1] == -0.75f && loss == 0.25);
    p = checkpoint_find(&c, 7, &loss);
    assert_true(p && p[0] == -1 && loss == 0.5);
    assert_null(checkpoint_find(&c, 8, NULL));
    checkpoint_free(&c);
    assert_int_equal(tu_count_temporaries(fx->dir), 0);
}

/* Putting a seed that is there already replaces its teacher (even in a
 * full checkpoint); an empty checkpoint saves and loads as empty. */
static void checkpoint_put_replaces_and_empty_round_trips(void **state)
{
    tu_dir *fx = *state;
    checkpoint_key key = tiny_key();
    const char *path = tu_path(fx->dir, "t.ck");
    checkpoint c;
    save_and_load(&c, path, &key);
    err e = {{0}};
    float p[64];
    fill(p, c.n_params, 5);
    assert_int_equal(checkpoint_put(&c, 7, 0.125, p, c.n, &e), 0);
    assert_int_equal(c.n, 2);
    double loss;
    const float *q = checkpoint_find(&c, 7, &loss);
    assert_true(q && q[0] == 5 && loss == 0.125);
    q = checkpoint_find(&c, 9, &loss);
    assert_true(q && q[0] == 42 && loss == 0.25); /* the other untouched */
    checkpoint_free(&c);

    const char *empty = tu_path(fx->dir, "empty.ck");
    assert_int_equal(checkpoint_init(&c, &key, 0, &e), 0);
    assert_int_equal(checkpoint_put(&c, 1, 0.5, p, 0, &e), -1);
    assert_int_equal(checkpoint_save(&c, empty, &e), 0);
    checkpoint_free(&c);
    assert_int_equal(checkpoint_load(&c, empty, &e), 0);
    assert_int_equal(c.n, 0);
    assert_int_equal(checkpoint_check_key(&c, &key, empty, &e), 0);
    checkpoint_free(&c);
}

/* A checkpoint made under a key differing in any one field is refused,
 * naming the file and the flag (or the data) that differs. */
static void checkpoint_refuses_other_configurations(void **state)
{
    tu_dir *fx = *state;
    checkpoint_key key = tiny_key();
    const char *path = tu_path(fx->dir, "t.ck");
    checkpoint c;
    save_and_load(&c, path, &key);
    err e = {{0}};
    struct {
        checkpoint_key k;
        const char *word;
    } cases[7];
    for (int i = 0; i < 7; i++)
        cases[i].k = key;
    assert_int_equal(mlp_shape_make(&cases[0].k.shape, 4, 5, 1, 2, NULL), 0);
    cases[0].word = "shape";
    cases[1].k.init = MLP_INIT_UNIFORM;
    cases[1].word = "--init";
    cases[2].k.epochs = 6;
    cases[2].word = "epochs";
    cases[3].k.batch = 32;
    cases[3].word = "--batch";
    cases[4].k.lr = 1e-3;
    cases[4].word = "--lr";
    cases[5].k.data_fingerprint ^= 1;
    cases[5].word = "other data";
    /* Another depth (more layers), same first dims. */
    assert_int_equal(mlp_shape_make(&cases[6].k.shape, 4, 3, 2, 2, NULL), 0);
    cases[6].word = "shape";
    for (int i = 0; i < 7; i++) {
        e.msg[0] = '\0';
        assert_int_equal(checkpoint_check_key(&c, &cases[i].k, path, &e), -1);
        tu_assert_contains(e.msg, path);
        tu_assert_contains(e.msg, cases[i].word);
    }
    checkpoint_free(&c);
}

static uint64_t fnv1a(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

/* Writes buf[0..n) with a correct checksum appended. */
static void write_rehashed(const char *path, const uint8_t *buf, size_t n)
{
    uint8_t *b = malloc(n + 8);
    assert_non_null(b);
    memcpy(b, buf, n);
    uint64_t h = fnv1a(buf, n);
    for (int k = 0; k < 8; k++)
        b[n + k] = (uint8_t)(h >> (8 * k));
    tu_write_file(path, b, n + 8);
    free(b);
}

/* Any changed byte, any truncation, an extra byte, a count that does not
 * match the size, a file that is no checkpoint, a missing file and a
 * folder: all refused, naming the file (and the checksum catching any
 * change past the magic). */
static void checkpoint_refuses_damaged_files(void **state)
{
    tu_dir *fx = *state;
    size_t n;
    uint8_t *buf = good_bytes(fx->dir, &n);
    const char *bad = tu_path(fx->dir, "bad.ck");
    checkpoint c;
    err e = {{0}};

    /* Any one byte changed, anywhere (magic, header, numbers, checksum). */
    for (size_t i = 0; i < n; i++) {
        buf[i] ^= 0x10;
        tu_write_file(bad, buf, n);
        buf[i] ^= 0x10;
        e.msg[0] = '\0';
        if (checkpoint_load(&c, bad, &e) == 0)
            fail_msg("a checkpoint with byte %zu changed was accepted", i);
        tu_assert_contains(e.msg, bad);
        if (i >= 8) /* past the magic: the checksum catches it */
            tu_assert_contains(e.msg, "damaged");
    }
    /* Truncated at every length, and one byte too long. */
    for (size_t len = 0; len < n; len++) {
        tu_write_file(bad, buf, len);
        e.msg[0] = '\0';
        if (checkpoint_load(&c, bad, &e) == 0)
            fail_msg("a checkpoint truncated to %zu of %zu bytes was accepted", len, n);
        tu_assert_contains(e.msg, bad);
    }
    uint8_t *longer = malloc(n + 1);
    assert_non_null(longer);
    memcpy(longer, buf, n);
    longer[n] = 0;
    tu_write_file(bad, longer, n + 1);
    assert_int_equal(checkpoint_load(&c, bad, &e), -1);
    /* Cut inside the teachers but with a correct checksum: the header's
     * count no longer matches the size. */
    write_rehashed(bad, buf, n - 8 - 4);
    assert_int_equal(checkpoint_load(&c, bad, &e), -1);
    tu_assert_contains(e.msg, "does not match its header");
    /* Not a checkpoint at all. */
    tu_write_file(bad, "seed,arm\n", 9);
    assert_int_equal(checkpoint_load(&c, bad, &e), -1);
    tu_assert_contains(e.msg, "not a sublim checkpoint");
    /* Missing. */
    assert_int_equal(checkpoint_load(&c, tu_path(fx->dir, "none.ck"), &e), -1);
    tu_assert_contains(e.msg, "none.ck");
    /* A folder. */
    assert_int_equal(checkpoint_load(&c, fx->dir, &e), -1);
    free(longer);
    free(buf);
}

/* A file of another format version is refused, naming the version, even
 * with a correct checksum; the same bytes with this version load. */
static void checkpoint_refuses_other_versions(void **state)
{
    tu_dir *fx = *state;
    size_t n;
    uint8_t *buf = good_bytes(fx->dir, &n);
    const char *bad = tu_path(fx->dir, "v2.ck");
    assert_int_equal(buf[8], CHECKPOINT_VERSION); /* u32 after the magic */
    buf[8] = CHECKPOINT_VERSION + 1;
    write_rehashed(bad, buf, n - 8);
    checkpoint c;
    err e = {{0}};
    assert_int_equal(checkpoint_load(&c, bad, &e), -1);
    tu_assert_contains(e.msg, bad);
    char want[32];
    snprintf(want, sizeof want, "version %u", CHECKPOINT_VERSION + 1);
    tu_assert_contains(e.msg, want);
    /* The same bytes with the right version load: only the version was wrong. */
    buf[8] = CHECKPOINT_VERSION;
    write_rehashed(bad, buf, n - 8);
    assert_int_equal(checkpoint_load(&c, bad, &e), 0);
    checkpoint_free(&c);
    free(buf);
}

/* Saving where no file can be made is an error naming the file, leaving
 * no temporary behind. */
static void checkpoint_save_fails_cleanly(void **state)
{
    tu_dir *fx = *state;
    checkpoint_key key = tiny_key();
    checkpoint c;
    err e = {{0}};
    assert_int_equal(checkpoint_init(&c, &key, 1, &e), 0);
    const char *missing = tu_path(fx->dir, "nodir/t.ck");
    assert_int_equal(checkpoint_save(&c, missing, &e), -1);
    tu_assert_contains(e.msg, missing);
    tu_write_file(tu_path(fx->dir, "file"), "x", 1);
    const char *under_file = tu_path(fx->dir, "file/t.ck");
    assert_int_equal(checkpoint_save(&c, under_file, &e), -1);
    tu_assert_contains(e.msg, under_file);
    tu_assert_contains(e.msg, strerror(ENOTDIR));
    checkpoint_free(&c);
    assert_int_equal(tu_count_temporaries(fx->dir), 0);
}

/* The fingerprint changes with any image byte and any label, and comes
 * back when they do. */
static void fingerprint_sees_every_byte(void **state)
{
    (void)state;
    uint8_t images[2 * 4] = {1, 2, 3, 4, 5, 6, 7, 8}, labels[2] = {0, 1};
    dataset d = {2, 2, 2, 4, images, labels};
    uint64_t h = dataset_fingerprint(&d);
    for (size_t i = 0; i < sizeof images; i++) {
        images[i] ^= 1;
        assert_true(dataset_fingerprint(&d) != h);
        images[i] ^= 1;
    }
    labels[0] = 1;
    assert_true(dataset_fingerprint(&d) != h);
    labels[0] = 0;
    assert_true(dataset_fingerprint(&d) == h);
    /* The same labels in another order: another dataset. */
    labels[0] = 1, labels[1] = 0;
    assert_true(dataset_fingerprint(&d) != h);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, tu_dir_setup, tu_dir_teardown)
    const struct CMUnitTest tests[] = {
        T(checkpoint_round_trip),
        T(checkpoint_put_replaces_and_empty_round_trips),
        T(checkpoint_refuses_other_configurations),
        T(checkpoint_refuses_damaged_files),
        T(checkpoint_refuses_other_versions),
        T(checkpoint_save_fails_cleanly),
        cmocka_unit_test(fingerprint_sees_every_byte),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
