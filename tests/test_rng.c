/* Tests of rng (Philox4x32-10 and what is drawn from it) and of the noise
 * batches built from it. */
#include "testutil.h"

#include <string.h>

#include <math.h>
#include "nn/batch.h"
#include "base/pool.h"
#include "base/rng.h"

/* ---- Philox4x32-10 ---- */

/* Random123's known-answer vectors (kat_vectors, philox4x32 10 rounds).
 * rng_block counts over c0 = index lo, c1 = index hi, c2 = sub, c3 = stream
 * and is keyed by k0 = seed lo, k1 = seed hi. */
static void philox_known_answers(void **state)
{
    (void)state;
    static const struct {
        uint32_t ctr[4], key[2], out[4];
    } kat[] = {
        {{0, 0, 0, 0}, {0, 0}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
        {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
         {0xffffffff, 0xffffffff},
         {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
        {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
         {0xa4093822, 0x299f31d0},
         {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
    };
    for (size_t t = 0; t < sizeof kat / sizeof kat[0]; t++) {
        uint64_t index = (uint64_t)kat[t].ctr[1] << 32 | kat[t].ctr[0];
        uint64_t seed = (uint64_t)kat[t].key[1] << 32 | kat[t].key[0];
        uint32_t out[4];
        rng_block(seed, kat[t].ctr[3], kat[t].ctr[2], index, out);
        for (int k = 0; k < 4; k++)
            if (out[k] != kat[t].out[k])
                fail_msg("vector %zu word %d: got 0x%08x, want 0x%08x", t, k,
                         (unsigned)out[k], (unsigned)kat[t].out[k]);
    }
}

static int same_block(const uint32_t a[4], const uint32_t b[4])
{
    return memcmp(a, b, 4 * sizeof *a) == 0;
}

static void block_is_a_pure_function(void **state)
{
    (void)state;
    uint32_t a[4], b[4];
    rng_block(12345, RNG_NOISE, 7, 99, a);
    for (int i = 0; i < 3; i++) {
        uint32_t junk[4];
        rng_block(1, 2, 3, 4, junk); /* nothing drawn in between matters */
        rng_block(12345, RNG_NOISE, 7, 99, b);
        assert_true(same_block(a, b));
    }
}

/* Changing any one coordinate, including a single high bit of the 64-bit
 * seed or index, changes the block. */
static void every_coordinate_matters(void **state)
{
    (void)state;
    const uint64_t seed = 0x0123456789abcdefull, index = 0x00000001deadbeefull;
    const uint32_t stream = RNG_SHUFFLE_STUDENT, sub = 3;
    uint32_t base[4], o[4];
    rng_block(seed, stream, sub, index, base);

    rng_block(seed ^ 1, stream, sub, index, o);
    assert_false(same_block(base, o));
    rng_block(seed ^ (1ull << 63), stream, sub, index, o);
    assert_false(same_block(base, o));
    rng_block(seed, stream + 1, sub, index, o);
    assert_false(same_block(base, o));
    rng_block(seed, stream, sub + 1, index, o);
    assert_false(same_block(base, o));
    rng_block(seed, stream, sub, index + 1, o);
    assert_false(same_block(base, o));
    rng_block(seed, stream, sub, index ^ (1ull << 40), o);
    assert_false(same_block(base, o));

    /* Neighbouring counters share no word (a weak counter mix would). */
    for (uint64_t i = 0; i < 1000; i++) {
        uint32_t x[4], y[4];
        rng_block(seed, stream, sub, i, x);
        rng_block(seed, stream, sub, i + 1, y);
        for (int k = 0; k < 4; k++)
            assert_int_not_equal(x[k], y[k]);
    }
}

/* ---- uniform, symmetric, normal ---- */

static void uniform_moments(void **state)
{
    (void)state;
    const size_t n = 100000;
    double sum = 0, sum2 = 0, lo = 1, hi = 0;
    size_t below_quarter = 0;
    for (size_t i = 0; i < n; i++) {
        double u = rng_uniform(42, RNG_THEOREM, 0, i);
        assert_true(u >= 0.0 && u < 1.0);
        sum += u;
        sum2 += u * u;
        lo = u < lo ? u : lo;
        hi = u > hi ? u : hi;
        below_quarter += u < 0.25;
    }
    double mean = sum / (double)n, var = sum2 / (double)n - mean * mean;
    /* sd of the mean is 0.29/sqrt(1e5) = 9e-4: 5e-3 is > 5 sigma. */
    assert_true(fabs(mean - 0.5) < 5e-3);
    assert_true(fabs(var - 1.0 / 12) < 2e-3);
    assert_true(lo < 1e-3 && hi > 1 - 1e-3);
    assert_true(fabs((double)below_quarter / (double)n - 0.25) < 0.01);
    /* Same draw twice; different seeds draw differently. */
    assert_true(rng_uniform(42, RNG_THEOREM, 0, 17) == rng_uniform(42, RNG_THEOREM, 0, 17));
    assert_true(rng_uniform(42, RNG_THEOREM, 0, 17) != rng_uniform(43, RNG_THEOREM, 0, 17));
}

static void sym_f32_range(void **state)
{
    (void)state;
    assert_true(rng_sym_f32(0) == -1.0f);
    assert_true(rng_sym_f32(0xffffffffu) < 1.0f);
    assert_true(rng_sym_f32(0xffffffffu) == 1.0f - 0x1.0p-23f);
    assert_true(rng_sym_f32(0x80000000u) == 0.0f);
    /* The low 8 bits are dropped: 24 bits, exactly representable. */
    assert_true(rng_sym_f32(0x12345600u) == rng_sym_f32(0x123456ffu));
    double sum = 0, sum2 = 0;
    const size_t n = 100000;
    for (size_t i = 0; i < n; i++) {
        uint32_t w[4];
        rng_block(7, RNG_NOISE, 0, i, w);
        float x = rng_sym_f32(w[i % 4]);
        assert_true(x >= -1.0f && x < 1.0f);
        sum += x;
        sum2 += (double)x * x;
    }
    double mean = sum / (double)n, var = sum2 / (double)n - mean * mean;
    assert_true(fabs(mean) < 0.01);
    assert_true(fabs(var - 1.0 / 3) < 0.005);
}

static void normal_moments(void **state)
{
    (void)state;
    const size_t n = 100000;
    double sum = 0, sum2 = 0, sum4 = 0;
    size_t within1 = 0;
    for (size_t i = 0; i < n; i++) {
        double z = rng_normal(2024, RNG_INIT, 0, i);
        assert_true(isfinite(z));
        sum += z;
        sum2 += z * z;
        sum4 += z * z * z * z;
        within1 += fabs(z) < 1;
    }
    double mean = sum / (double)n, var = sum2 / (double)n - mean * mean;
    assert_true(fabs(mean) < 0.02);
    assert_true(fabs(var - 1) < 0.03);
    assert_true(fabs(sum4 / (double)n - 3) < 0.15);                 /* kurtosis */
    assert_true(fabs((double)within1 / (double)n - 0.682689) < 0.01); /* a normal's shape */
}

/* ---- permutations ---- */

static int is_permutation(const size_t *p, size_t n)
{
    unsigned char *seen = calloc(n ? n : 1, 1);
    int ok = 1;
    for (size_t i = 0; i < n && ok; i++) {
        if (p[i] >= n || seen[p[i]])
            ok = 0;
        else
            seen[p[i]] = 1;
    }
    free(seen);
    return ok;
}

static void permutation_properties(void **state)
{
    (void)state;
    enum { N = 1000 };
    size_t *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
    assert_non_null(a);
    assert_non_null(b);

    rng_permutation(a, N, 5, RNG_SHUFFLE_TEACHER, 0);
    assert_true(is_permutation(a, N));
    size_t fixed = 0;
    for (size_t i = 0; i < N; i++)
        fixed += a[i] == i;
    assert_true(fixed < 10); /* about one fixed point is expected */

    rng_permutation(b, N, 5, RNG_SHUFFLE_TEACHER, 0);
    assert_memory_equal(a, b, N * sizeof *a);  /* deterministic */

    rng_permutation(b, N, 5, RNG_SHUFFLE_TEACHER, 1);
    assert_true(is_permutation(b, N));
    assert_memory_not_equal(a, b, N * sizeof *a); /* another epoch */
    rng_permutation(b, N, 5, RNG_SHUFFLE_STUDENT, 0);
    assert_memory_not_equal(a, b, N * sizeof *a); /* another purpose */
    rng_permutation(b, N, 6, RNG_SHUFFLE_TEACHER, 0);
    assert_memory_not_equal(a, b, N * sizeof *a); /* another seed */

    /* Degenerate sizes. */
    rng_permutation(a, 0, 5, RNG_SHUFFLE_TEACHER, 0);
    rng_permutation(a, 1, 5, RNG_SHUFFLE_TEACHER, 0);
    assert_int_equal(a[0], 0);
    free(a);
    free(b);
}

/* All 6 orders of 3 items come out about equally often over 6000 epochs;
 * an off-by-one in Fisher-Yates (j in [0, i-1) or [0, n)) would not. */
static void permutation_is_uniform(void **state)
{
    (void)state;
    size_t count[3][3][3] = {{{0}}};
    const uint32_t trials = 6000;
    for (uint32_t sub = 0; sub < trials; sub++) {
        size_t p[3];
        rng_permutation(p, 3, 11, RNG_SHUFFLE_TEACHER, sub);
        assert_true(is_permutation(p, 3));
        count[p[0]][p[1]][p[2]]++;
    }
    size_t orders = 0;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 3; k++)
                if (count[i][j][k]) {
                    orders++;
                    /* expected 1000, sd 29: allow 5 sd */
                    if (count[i][j][k] < 855 || count[i][j][k] > 1145)
                        fail_msg("order %d%d%d came %zu times of %u", i, j, k,
                                 count[i][j][k], (unsigned)trials);
                }
    assert_int_equal(orders, 6);
}

/* rng_blocks (16 lanes at a time, AVX-512 where the CPU has it, the plain
 * loop for the rest) gives exactly the words of rng_block, for every count
 * and where the index's low word wraps into the high word. */
static void blocks_match_block(void **state)
{
    (void)state;
    const uint64_t firsts[] = {0, 5, 0xFFFFFFFFull - 20, 0x123456789ull};
    const size_t counts[] = {0, 1, 15, 16, 17, 33, 100};
    uint32_t got[4 * 100], want[4];
    for (size_t f = 0; f < sizeof firsts / sizeof firsts[0]; f++)
        for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
            size_t n = counts[c];
            memset(got, 0xAB, sizeof got);
            rng_blocks(0xDEADBEEFCAFEull, RNG_NOISE, 3, firsts[f], n, got);
            for (size_t b = 0; b < n; b++) {
                rng_block(0xDEADBEEFCAFEull, RNG_NOISE, 3, firsts[f] + b, want);
                assert_memory_equal(got + 4 * b, want, sizeof want);
            }
            /* nothing written past the n blocks */
            for (size_t k = 4 * n; k < 4 * 100; k++)
                assert_int_equal(got[k], 0xABABABABu);
        }
}

/* ---- noise batches ---- */

enum { N_IMAGES = 24, PER_BATCH = 6 };

/* Builds all N_IMAGES images in batches of PER_BATCH, visiting the batches
 * in the given order, into out [N_IMAGES][pixels] (image-major). */
static void noise_in_order(pool *p, float *out, size_t pixels, enum noise_kind kind,
                           const size_t *batch_order, size_t n_batches)
{
    float *rows = malloc(PER_BATCH * pixels * sizeof *rows);
    assert_non_null(rows);
    for (size_t k = 0; k < n_batches; k++) {
        size_t idx[PER_BATCH];
        /* batch b holds images b, b + 4, b + 8, ...: an arbitrary index list */
        size_t b = batch_order[k];
        for (size_t r = 0; r < PER_BATCH; r++)
            idx[r] = b + r * (N_IMAGES / PER_BATCH);
        batch_noise_f32(p, rows, 99, kind, idx, PER_BATCH, pixels);
        for (size_t r = 0; r < PER_BATCH; r++)
            memcpy(out + idx[r] * pixels, rows + r * pixels, pixels * sizeof *out);
    }
    free(rows);
}

static void noise_independent_of_order_and_threads(void **state)
{
    (void)state;
    const size_t n_batches = N_IMAGES / PER_BATCH;
    const size_t forward[] = {0, 1, 2, 3}, backward[] = {3, 2, 1, 0}, mixed[] = {2, 0, 3, 1};
    const size_t pixel_counts[] = {784, 7};      /* 7: a last partial quad */
    const enum noise_kind kinds[] = {NOISE_UNIFORM, NOISE_NORMAL};
    pool *p2 = pool_create(2), *p3 = pool_create(3);
    assert_non_null(p2);
    assert_non_null(p3);
    for (size_t pc = 0; pc < 2; pc++) {
        size_t pixels = pixel_counts[pc];
        for (size_t kc = 0; kc < 2; kc++) {
            size_t n = N_IMAGES * pixels;
            float *ref = malloc(n * sizeof *ref), *other = malloc(n * sizeof *other);
            assert_non_null(ref);
            assert_non_null(other);
            noise_in_order(NULL, ref, pixels, kinds[kc], forward, n_batches);
            noise_in_order(NULL, other, pixels, kinds[kc], backward, n_batches);
            assert_memory_equal(ref, other, n * sizeof *ref);
            noise_in_order(p2, other, pixels, kinds[kc], mixed, n_batches);
            assert_memory_equal(ref, other, n * sizeof *ref);
            noise_in_order(p3, other, pixels, kinds[kc], backward, n_batches);
            assert_memory_equal(ref, other, n * sizeof *ref);

            /* One image alone is the same image too. */
            size_t one = 13;
            batch_noise_f32(p2, other, 99, kinds[kc], &one, 1, pixels);
            assert_memory_equal(ref + one * pixels, other, pixels * sizeof *ref);

            /* Images differ from each other and the seed matters. */
            assert_memory_not_equal(ref, ref + pixels, pixels * sizeof *ref);
            batch_noise_f32(NULL, other, 100, kinds[kc], &one, 1, pixels);
            assert_memory_not_equal(ref + one * pixels, other, pixels * sizeof *ref);
            free(ref);
            free(other);
        }
    }
    pool_free(p2);
    pool_free(p3);
}

static void noise_f32_and_f64_agree(void **state)
{
    (void)state;
    const size_t pixels = 785, n = 5; /* 785: a partial last quad */
    const size_t idx[5] = {0, 1000, 3, 59999, 17};
    float *f = malloc(n * pixels * sizeof *f);
    double *d = malloc(n * pixels * sizeof *d);
    assert_non_null(f);
    assert_non_null(d);
    for (int kind = 0; kind < 2; kind++) {
        batch_noise_f32(NULL, f, 3, (enum noise_kind)kind, idx, n, pixels);
        batch_noise_f64(NULL, d, 3, (enum noise_kind)kind, idx, n, pixels);
        double sum = 0, sum2 = 0, lo = 0, hi = 0;
        for (size_t k = 0; k < n * pixels; k++) {
            if ((double)f[k] != d[k])
                fail_msg("kind %d entry %zu: f32 %.9g, f64 %.17g", kind, k, (double)f[k], d[k]);
            sum += d[k];
            sum2 += d[k] * d[k];
            lo = d[k] < lo ? d[k] : lo;
            hi = d[k] > hi ? d[k] : hi;
        }
        double m = sum / (double)(n * pixels), var = sum2 / (double)(n * pixels) - m * m;
        assert_true(fabs(m) < 0.1);
        if (kind == NOISE_UNIFORM) {
            assert_true(lo >= -1.0 && hi < 1.0);
            assert_true(fabs(var - 1.0 / 3) < 0.03);
        } else {
            assert_true(lo < -2.5 && hi > 2.5); /* unbounded, unlike the uniform */
            assert_true(fabs(var - 1) < 0.08);
        }
    }
    free(f);
    free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(philox_known_answers),
        cmocka_unit_test(block_is_a_pure_function),
        cmocka_unit_test(blocks_match_block),
        cmocka_unit_test(every_coordinate_matters),
        cmocka_unit_test(uniform_moments),
        cmocka_unit_test(sym_f32_range),
        cmocka_unit_test(normal_moments),
        cmocka_unit_test(permutation_properties),
        cmocka_unit_test(permutation_is_uniform),
        cmocka_unit_test(noise_independent_of_order_and_threads),
        cmocka_unit_test(noise_f32_and_f64_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
