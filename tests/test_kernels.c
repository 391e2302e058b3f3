/* Tests of the dense-layer kernels, on every vector path this CPU has
 * (chosen through SUBLIM_KERNELS), in float and double, on odd sizes:
 *
 *   1. against the reference loops: |fast - ref| <= tol * sum of |terms|
 *      (tol 1e-5 float, 1e-13 double), with and without bias, ReLU, mask, db;
 *   2. exactly against the documented sum order, the same on every path:
 *      one fused multiply-add chain per output, k increasing (fmaf/fma in
 *      C here);
 *   3. bit-identical results on 1, 2, 3 and 8 threads.
 * (The plain portable build skips the large shapes where the fma path runs:
 * see worth().)  Plus the path override itself, degenerate sizes, and a
 * check that the comparison can fail. */
#include "testutil.h"

#include <math.h>

#include "nn/kernels.h"
#include "nn/kernels_path.h"

typedef struct {
    size_t batch, in, out;
} shape;

/* Odd sizes around the register tiles (8 or 6 rows, 16..48 columns) and the
 * K blocks (512), plus the training shapes at a smaller batch. */
static const shape shapes[] = {
    {1, 1, 1},      {7, 13, 1},      {13, 7, 129},   {129, 13, 7},
    {7, 129, 13},   {1, 784, 13},    {129, 784, 13}, {1024, 256, 13},
    {29, 784, 256}, {1024, 129, 7}, {13, 1024, 129}, {50, 97, 33},
    {0, 7, 13},     {5, 0, 3},       {5, 7, 0},
};

static const enum kern_path paths[] = {KERN_PATH_PORTABLE, KERN_PATH_FMA, KERN_PATH_NEON,
                                       KERN_PATH_AVX2, KERN_PATH_AVX512};
static const size_t thread_counts[] = {1, 2, 3, 8};
#define N_POOLS (sizeof thread_counts / sizeof thread_counts[0])

/* Uniform in [-1, 1) from a local state; every 17th value exactly 0 (so a
 * mask has zeros, a ReLU sees ties). */
static double next_value(uint64_t *s)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    if ((*s >> 33) % 17 == 0)
        return 0;
    return (double)(*s >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

/* Whether to check `path` on shape s.  Every shape, except that where the
 * fma path runs, the plain portable build (whose every fmaf is then a libm
 * call: minutes under the sanitizers) takes the small shapes only: the fma
 * path is the same C compiled for FMA and takes them all. */
static int worth(enum kern_path path, const shape *s)
{
    return path != KERN_PATH_PORTABLE || !kern_path_supported(KERN_PATH_FMA) ||
           (double)s->batch * (double)s->in * (double)s->out <= 1e5;
}

static void use_path(enum kern_path path)
{
    assert_int_equal(setenv("SUBLIM_KERNELS", kern_path_str(path), 1), 0);
    assert_int_equal(kern_path_active(), path);
    assert_string_equal(kern_path_name(), kern_path_str(path));
}

/* Number of elements with |got - want| > tol * terms + tiny (NaN counts). */
static size_t count_off(const double *got, const double *want, const double *terms,
                        size_t n, double tol)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        if (!(fabs(got[i] - want[i]) <= tol * terms[i] + 1e-300))
            bad++;
    return bad;
}

static const char *const op_names[] = {"forward", "backward_input", "backward_weights"};

/* Fails the test, naming the case, unless ok. */
static void expect(int ok, const char *what, const shape *s, int op, int variant,
                   size_t threads)
{
    if (ok)
        return;
    print_error("%s: %s variant %d, batch %zu in %zu out %zu, path %s, %zu thread(s)\n",
                what, op_names[op], variant, s->batch, s->in, s->out, kern_path_name(),
                threads);
    fail();
}

/* The per-precision part: buffers of `real`, compared in double. */
#define KERNEL_CHECKS(real, sfx, FMA, TOL)                                        \
    typedef struct {                                                              \
        real *x, *w, *b, *dy, *mask;      /* inputs */                            \
        real *ax, *aw, *ab, *ady;         /* their absolute values */             \
        real *got, *got2, *first, *first2;                                        \
        real *ref, *ref2, *terms, *terms2, *model, *model2;                       \
        double *dgot, *dref, *dterms;                                             \
    } bufs_##sfx;                                                                 \
                                                                                  \
    static real *alloc_##sfx(size_t n) {                                          \
        real *v = calloc(n + 1, sizeof *v);                                       \
        assert_non_null(v);                                                       \
        return v;                                                                 \
    }                                                                             \
                                                                                  \
    static void bufs_init_##sfx(bufs_##sfx *B, const shape *s, uint64_t seed)     \
    {                                                                             \
        size_t nx = s->batch * s->in, nw = s->out * s->in, ny = s->batch * s->out;\
        size_t big = nx > nw ? nx : nw;                                           \
        big = big > ny ? big : ny;                                                \
        B->x = alloc_##sfx(nx); B->ax = alloc_##sfx(nx);                          \
        B->w = alloc_##sfx(nw); B->aw = alloc_##sfx(nw);                          \
        B->b = alloc_##sfx(s->out); B->ab = alloc_##sfx(s->out);                  \
        B->dy = alloc_##sfx(ny); B->ady = alloc_##sfx(ny);                        \
        B->mask = alloc_##sfx(nx);                                                \
        B->got = alloc_##sfx(big); B->first = alloc_##sfx(big);                   \
        B->ref = alloc_##sfx(big); B->terms = alloc_##sfx(big);                   \
        B->model = alloc_##sfx(big);                                              \
        B->got2 = alloc_##sfx(s->out); B->first2 = alloc_##sfx(s->out);           \
        B->ref2 = alloc_##sfx(s->out); B->terms2 = alloc_##sfx(s->out);           \
        B->model2 = alloc_##sfx(s->out);                                          \
        B->dgot = calloc(big + 1, sizeof(double));                                \
        B->dref = calloc(big + 1, sizeof(double));                                \
        B->dterms = calloc(big + 1, sizeof(double));                              \
        assert_true(B->dgot && B->dref && B->dterms);                             \
        uint64_t st = seed;                                                       \
        for (size_t i = 0; i < nx; i++) {                                         \
            B->x[i] = (real)next_value(&st);                                      \
            B->ax[i] = (real)fabs((double)B->x[i]);                               \
            B->mask[i] = (real)next_value(&st);                                   \
        }                                                                         \
        for (size_t i = 0; i < nw; i++) {                                         \
            B->w[i] = (real)next_value(&st);                                      \
            B->aw[i] = (real)fabs((double)B->w[i]);                               \
        }                                                                         \
        for (size_t i = 0; i < s->out; i++) {                                     \
            B->b[i] = (real)next_value(&st);                                      \
            B->ab[i] = (real)fabs((double)B->b[i]);                               \
        }                                                                         \
        for (size_t i = 0; i < ny; i++) {                                         \
            B->dy[i] = (real)next_value(&st);                                     \
            B->ady[i] = (real)fabs((double)B->dy[i]);                             \
        }                                                                         \
    }                                                                             \
                                                                                  \
    static void bufs_free_##sfx(bufs_##sfx *B)                                    \
    {                                                                             \
        real *v[] = {B->x, B->w, B->b, B->dy, B->mask, B->ax, B->aw, B->ab,       \
                     B->ady, B->got, B->got2, B->first, B->first2, B->ref,        \
                     B->ref2, B->terms, B->terms2, B->model, B->model2};          \
        for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)                       \
            free(v[i]);                                                           \
        free(B->dgot);                                                            \
        free(B->dref);                                                            \
        free(B->dterms);                                                          \
    }                                                                             \
                                                                                  \
    /* The vector paths' sum order, written out: one FMA chain per output. */     \
    static void model_forward_##sfx(real *y, const real *x, const real *w,        \
                                    const real *b, size_t batch, size_t in,       \
                                    size_t out, int relu)                         \
    {                                                                             \
        for (size_t r = 0; r < batch; r++)                                        \
            for (size_t o = 0; o < out; o++) {                                    \
                real s = 0;                                                       \
                for (size_t i = 0; i < in; i++)                                   \
                    s = FMA(x[r * in + i], w[o * in + i], s);                     \
                if (b)                                                            \
                    s += b[o];                                                    \
                y[r * out + o] = (relu && !(s > 0)) ? 0 : s;                      \
            }                                                                     \
    }                                                                             \
    static void model_backward_input_##sfx(real *dx, const real *dy,              \
                                           const real *w, const real *mask,       \
                                           size_t batch, size_t in, size_t out)   \
    {                                                                             \
        for (size_t r = 0; r < batch; r++)                                        \
            for (size_t i = 0; i < in; i++) {                                     \
                real s = 0;                                                       \
                for (size_t o = 0; o < out; o++)                                  \
                    s = FMA(dy[r * out + o], w[o * in + i], s);                   \
                dx[r * in + i] = (mask && !(mask[r * in + i] > 0)) ? 0 : s;       \
            }                                                                     \
    }                                                                             \
    static void model_backward_weights_##sfx(real *dw, real *db, const real *dy,  \
                                             const real *x, size_t batch,         \
                                             size_t in, size_t out)               \
    {                                                                             \
        for (size_t o = 0; o < out; o++) {                                        \
            for (size_t i = 0; i < in; i++) {                                     \
                real s = 0;                                                       \
                for (size_t r = 0; r < batch; r++)                                \
                    s = FMA(dy[r * out + o], x[r * in + i], s);                   \
                dw[o * in + i] = s;                                               \
            }                                                                     \
            if (db) {                                                             \
                real s = 0;                                                       \
                for (size_t r = 0; r < batch; r++)                                \
                    s += dy[r * out + o];                                         \
                db[o] = s;                                                        \
            }                                                                     \
        }                                                                         \
    }                                                                             \
                                                                                  \
    /* One (op, variant): op 0 forward (variant bit 0 bias, bit 1 relu),        \
     * op 1 backward_input (variant 1: mask), op 2 backward_weights (1: db).     \
     * which: 0 fast kernel on pool p into got/got2, 1 reference into ref/ref2,  \
     * 2 |terms| into terms/terms2, 3 model into model/model2. */                 \
    static size_t run_##sfx(bufs_##sfx *B, const shape *s, int op, int variant,   \
                            int which, pool *p)                                   \
    {                                                                             \
        real *o1 = which == 0 ? B->got : which == 1 ? B->ref                      \
                 : which == 2 ? B->terms : B->model;                              \
        real *o2 = which == 0 ? B->got2 : which == 1 ? B->ref2                    \
                 : which == 2 ? B->terms2 : B->model2;                            \
        const real *x = which == 2 ? B->ax : B->x;                                \
        const real *w = which == 2 ? B->aw : B->w;                                \
        const real *dy = which == 2 ? B->ady : B->dy;                             \
        const real *b = (variant & 1) ? (which == 2 ? B->ab : B->b) : NULL;       \
        int relu = which == 2 ? 0 : (variant >> 1) & 1;                           \
        const real *mask = (variant && which != 2) ? B->mask : NULL;              \
        real *db = variant ? o2 : NULL;                                           \
        size_t n = s->batch, in = s->in, out = s->out;                            \
        if (op == 0) {                                                            \
            if (which == 0)                                                       \
                kern_dense_forward_##sfx(p, o1, x, w, b, n, in, out, relu);       \
            else if (which == 3)                                                  \
                model_forward_##sfx(o1, x, w, b, n, in, out, relu);               \
            else                                                                  \
                kern_ref_dense_forward_##sfx(o1, x, w, b, n, in, out, relu);      \
            return n * out;                                                       \
        } else if (op == 1) {                                                     \
            if (which == 0)                                                       \
                kern_dense_backward_input_##sfx(p, o1, dy, w, mask, n, in, out);  \
            else if (which == 3)                                                  \
                model_backward_input_##sfx(o1, dy, w, mask, n, in, out);          \
            else                                                                  \
                kern_ref_dense_backward_input_##sfx(o1, dy, w, mask, n, in, out); \
            return n * in;                                                        \
        } else {                                                                  \
            if (which == 0)                                                       \
                kern_dense_backward_weights_##sfx(p, o1, db, dy, x, n, in, out);  \
            else if (which == 3)                                                  \
                model_backward_weights_##sfx(o1, db, dy, x, n, in, out);          \
            else                                                                  \
                kern_ref_dense_backward_weights_##sfx(o1, db, dy, x, n, in, out); \
            return out * in;                                                      \
        }                                                                         \
    }                                                                             \
                                                                                  \
    /* Elements of got off the reference by more than TOL of the |terms|. */     \
    static size_t tolerance_off_##sfx(bufs_##sfx *B, const real *got,             \
                                      const real *ref, const real *terms,         \
                                      size_t n)                                   \
    {                                                                             \
        for (size_t i = 0; i < n; i++) {                                          \
            B->dgot[i] = got[i];                                                  \
            B->dref[i] = ref[i];                                                  \
            B->dterms[i] = terms[i];                                              \
        }                                                                         \
        return count_off(B->dgot, B->dref, B->dterms, n, TOL);                    \
    }                                                                             \
                                                                                  \
    static void check_shape_##sfx(const shape *s, pool *const *pools)             \
    {                                                                             \
        bufs_##sfx B;                                                             \
        bufs_init_##sfx(&B, s, 0x5EED0000u + s->batch * 131 + s->in * 7 + s->out);\
        static const int variants[3] = {4, 2, 2};                                 \
        for (int op = 0; op < 3; op++) {                                          \
            for (int v = 0; v < variants[op]; v++) {                              \
                size_t n = run_##sfx(&B, s, op, v, 1, NULL);                      \
                run_##sfx(&B, s, op, v, 2, NULL);                                 \
                run_##sfx(&B, s, op, v, 3, NULL);                                 \
                size_t n2 = op == 2 && v ? s->out : 0;                            \
                for (size_t k = 0; k < sizeof paths / sizeof paths[0]; k++) {     \
                    if (!kern_path_supported(paths[k]) || !worth(paths[k], s))    \
                        continue;                                                 \
                    use_path(paths[k]);                                           \
                    memset(B.got, 0x7f, (n + 1) * sizeof(real)); /* garbage */    \
                    memset(B.got2, 0x7f, (s->out + 1) * sizeof(real));            \
                    run_##sfx(&B, s, op, v, 0, NULL);                             \
                    expect(tolerance_off_##sfx(&B, B.got, B.ref, B.terms, n) == 0 \
                           && tolerance_off_##sfx(&B, B.got2, B.ref2, B.terms2,   \
                                                  n2) == 0,                       \
                           "off the reference", s, op, v, 1);                     \
                    expect(memcmp(B.got, B.model, n * sizeof(real)) == 0 &&       \
                           memcmp(B.got2, B.model2, n2 * sizeof(real)) == 0,      \
                           "not the documented sum order", s, op, v, 1);          \
                    /* same bits on every thread count */                         \
                    memcpy(B.first, B.got, n * sizeof(real));                     \
                    memcpy(B.first2, B.got2, n2 * sizeof(real));                  \
                    for (size_t t = 0; t < N_POOLS; t++) {                        \
                        memset(B.got, 0x7f, (n + 1) * sizeof(real));              \
                        memset(B.got2, 0x7f, (s->out + 1) * sizeof(real));        \
                        run_##sfx(&B, s, op, v, 0, pools[t]);                     \
                        expect(memcmp(B.got, B.first, n * sizeof(real)) == 0 &&   \
                               memcmp(B.got2, B.first2, n2 * sizeof(real)) == 0,  \
                               "differs from 1 thread", s, op, v,                 \
                               thread_counts[t]);                                 \
                    }                                                             \
                }                                                                 \
            }                                                                     \
        }                                                                         \
        bufs_free_##sfx(&B);                                                      \
        unsetenv("SUBLIM_KERNELS");                                               \
    }

KERNEL_CHECKS(float, f32, fmaf, 1e-5)
KERNEL_CHECKS(double, f64, fma, 1e-13)

static pool *pools[N_POOLS];

static int setup(void **state)
{
    (void)state;
    for (size_t t = 0; t < N_POOLS; t++)
        if (!(pools[t] = pool_create(thread_counts[t])))
            return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (size_t t = 0; t < N_POOLS; t++)
        pool_free(pools[t]);
    return 0;
}

static void test_f32(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++)
        check_shape_f32(&shapes[k], pools);
}

static void test_f64(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++)
        check_shape_f64(&shapes[k], pools);
}

/* The training shapes at full batch, fast path only (the reference would
 * take seconds): threads must not change a bit; outputs are finite. */
static void test_training_shapes_threads(void **state)
{
    (void)state;
    static const shape train[] = {{1024, 784, 256}, {1024, 256, 256}, {1024, 256, 13},
                                  {608, 784, 256}};
    for (size_t k = 0; k < sizeof train / sizeof train[0]; k++) {
        const shape *s = &train[k];
        bufs_f32 B;
        bufs_init_f32(&B, s, 42 + k);
        for (int op = 0; op < 3; op++) {
            size_t n = run_f32(&B, s, op, op == 0 ? 3 : 1, 0, NULL);
            size_t n2 = op == 2 ? s->out : 0;
            for (size_t i = 0; i < n; i++)
                assert_true(isfinite(B.got[i]));
            memcpy(B.first, B.got, n * sizeof(float));
            memcpy(B.first2, B.got2, n2 * sizeof(float));
            for (size_t t = 0; t < N_POOLS; t++) {
                run_f32(&B, s, op, op == 0 ? 3 : 1, 0, pools[t]);
                expect(memcmp(B.got, B.first, n * sizeof(float)) == 0 &&
                           memcmp(B.got2, B.first2, n2 * sizeof(float)) == 0,
                       "differs from 1 thread", s, op, op == 0 ? 3 : 1, thread_counts[t]);
            }
        }
        bufs_free_f32(&B);
    }
}

/* SUBLIM_KERNELS picks a supported path, falls back below, ignores junk. */
static void test_path_override(void **state)
{
    (void)state;
    unsetenv("SUBLIM_KERNELS");
    enum kern_path best = kern_path_active();
    assert_true(kern_path_supported(best));
    assert_true(kern_path_supported(KERN_PATH_PORTABLE));
    for (size_t k = 0; k < sizeof paths / sizeof paths[0]; k++) {
        setenv("SUBLIM_KERNELS", kern_path_str(paths[k]), 1);
        enum kern_path want = paths[k];
        while (!kern_path_supported(want)) /* the portable path always is */
            want--;
        assert_int_equal(kern_path_active(), want);
        assert_string_equal(kern_path_name(), kern_path_str(want));
    }
    setenv("SUBLIM_KERNELS", "no-such-path", 1);
    assert_int_equal(kern_path_active(), best);
    unsetenv("SUBLIM_KERNELS");
}

/* The tolerance check rejects a wrong result (so the tests above can fail). */
static void test_checker_fails(void **state)
{
    (void)state;
    double want[3] = {1.0, -2.0, 0.5}, terms[3] = {4.0, 4.0, 4.0};
    double got[3] = {1.0, -2.0, 0.5};
    assert_int_equal(count_off(got, want, terms, 3, 1e-5), 0);
    got[1] = -2.0 + 1e-3;
    assert_int_equal(count_off(got, want, terms, 3, 1e-5), 1);
    got[2] = NAN;
    assert_int_equal(count_off(got, want, terms, 3, 1e-5), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checker_fails),
        cmocka_unit_test(test_path_override),
        cmocka_unit_test(test_f32),
        cmocka_unit_test(test_f64),
        cmocka_unit_test(test_training_shapes_threads),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
