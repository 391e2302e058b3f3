/* Robustness (issue 7), in-process:
 *  - checkpoints: a round trip, and refusal of a file made under another
 *    configuration, with a damaged byte, truncated at any length, or of
 *    another version, each with a message naming the file and the problem;
 *  - atomic writes that fail (disk full, no folder, a folder that is a
 *    file): an error naming the file, the old file intact, no temporary
 *    left behind;
 *  - a diverged arm's message names arm, seed, epoch and batch;
 *  - `sublim experiment` itself on the real data (skipped, saying so, when
 *    mnist/ is absent): --resume gives the rows of an uninterrupted run and
 *    refuses another configuration or a foreign results.csv; --save-teacher
 *    and --load-teacher give the same rows and refuse other configurations,
 *    damaged files and overwriting a checkpoint of another configuration;
 *    an output folder that cannot be made is a clear error. */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/atomic.h"
#include "run/checkpoint.h"
#include "cli/commands.h"
#include "run/experiment.h"
#include "out/results.h"
#include "base/stats.h"

typedef struct {
    char dir[256];
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    tu_tempdir(fx->dir, sizeof fx->dir);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "chmod -R u+w '%s'; rm -rf '%s'", fx->dir, fx->dir);
    int rc = system(cmd);
    free(fx);
    return rc == 0 ? 0 : -1;
}

static const char *path_in(const char *dir, const char *name)
{
    static char buf[4][700];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

/* The whole file; *n its size.  free() it. */
static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    assert_true(size >= 0);
    rewind(f);
    char *buf = malloc((size_t)size + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
    buf[size] = '\0';
    fclose(f);
    if (n)
        *n = (size_t)size;
    return buf;
}

static void assert_same_file(const char *a, const char *b)
{
    size_t na, nb;
    char *x = slurp(a, &na), *y = slurp(b, &nb);
    if (na != nb || memcmp(x, y, na) != 0)
        fail_msg("%s and %s differ", a, b);
    free(x);
    free(y);
}

/* Entries of dir whose name holds ".tmp." (atomic.h's temporaries). */
static size_t count_temporaries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    for (struct dirent *de; (de = readdir(d));)
        n += strstr(de->d_name, ".tmp.") != NULL;
    closedir(d);
    return n;
}

/* ---- checkpoints ---- */

static checkpoint_key tiny_key(void)
{
    checkpoint_key k;
    memset(&k, 0, sizeof k);
    assert_int_equal(mlp_shape_make(&k.shape, 4, 3, 1, 2, NULL), 0); /* 4-3-2: 23 numbers */
    k.init = MLP_INIT_NORMAL;
    k.epochs = 5;
    k.batch = 64;
    k.lr = 3e-4;
    k.data_fingerprint = 0x1234abcdull;
    return k;
}

/* Saves a checkpoint of two teachers under key to path. */
static void save_two(const char *path, const checkpoint_key *key)
{
    checkpoint c;
    err e = {{0}};
    assert_int_equal(checkpoint_init(&c, key, 2, &e), 0);
    float p[64];
    for (size_t i = 0; i < c.n_params; i++)
        p[i] = (float)i * 0.25f - 1;
    assert_int_equal(checkpoint_put(&c, 7, 0.5, p, 2, &e), 0);
    p[0] = 42;
    assert_int_equal(checkpoint_put(&c, 9, 0.25, p, 2, &e), 0);
    assert_int_equal(checkpoint_put(&c, 11, 0.25, p, 2, &e), -1); /* full */
    tu_assert_contains(e.msg, "full");
    assert_int_equal(checkpoint_save(&c, path, &e), 0);
    checkpoint_free(&c);
}

static void checkpoint_round_trip(void **state)
{
    fixture *fx = *state;
    checkpoint_key key = tiny_key();
    const char *path = path_in(fx->dir, "t.ck");
    save_two(path, &key);
    checkpoint c;
    err e = {{0}};
    assert_int_equal(checkpoint_load(&c, path, &e), 0);
    assert_int_equal(checkpoint_check_key(&c, &key, path, &e), 0);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.n_params, 23);
    double loss;
    const float *p = checkpoint_find(&c, 9, &loss);
    assert_non_null(p);
    assert_true(p[0] == 42 && p[1] == -0.75f && loss == 0.25);
    p = checkpoint_find(&c, 7, &loss);
    assert_true(p && p[0] == -1 && loss == 0.5);
    assert_null(checkpoint_find(&c, 8, NULL));
    checkpoint_free(&c);
    assert_int_equal(count_temporaries(fx->dir), 0);
}

static void checkpoint_refuses_other_configurations(void **state)
{
    fixture *fx = *state;
    checkpoint_key key = tiny_key();
    const char *path = path_in(fx->dir, "t.ck");
    save_two(path, &key);
    checkpoint c;
    err e = {{0}};
    assert_int_equal(checkpoint_load(&c, path, &e), 0);
    struct {
        checkpoint_key k;
        const char *word;
    } cases[6];
    for (int i = 0; i < 6; i++)
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
    for (int i = 0; i < 6; i++) {
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

static void checkpoint_refuses_damaged_files(void **state)
{
    fixture *fx = *state;
    checkpoint_key key = tiny_key();
    const char *good = path_in(fx->dir, "good.ck");
    const char *bad = path_in(fx->dir, "bad.ck");
    save_two(good, &key);
    size_t n;
    uint8_t *buf = (uint8_t *)slurp(good, &n);
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
    assert_int_equal(checkpoint_load(&c, path_in(fx->dir, "none.ck"), &e), -1);
    tu_assert_contains(e.msg, "none.ck");
    /* A folder. */
    assert_int_equal(checkpoint_load(&c, fx->dir, &e), -1);
    free(longer);
    free(buf);
}

static void checkpoint_refuses_other_versions(void **state)
{
    fixture *fx = *state;
    checkpoint_key key = tiny_key();
    const char *good = path_in(fx->dir, "good.ck");
    const char *bad = path_in(fx->dir, "v2.ck");
    save_two(good, &key);
    size_t n;
    uint8_t *buf = (uint8_t *)slurp(good, &n);
    assert_int_equal(buf[8], CHECKPOINT_VERSION); /* u32 after the magic */
    buf[8] = CHECKPOINT_VERSION + 1;
    write_rehashed(bad, buf, n - 8);
    checkpoint c;
    err e = {{0}};
    assert_int_equal(checkpoint_load(&c, bad, &e), -1);
    tu_assert_contains(e.msg, bad);
    tu_assert_contains(e.msg, "version 2");
    /* The same bytes with the right version load: only the version was wrong. */
    buf[8] = CHECKPOINT_VERSION;
    write_rehashed(bad, buf, n - 8);
    assert_int_equal(checkpoint_load(&c, bad, &e), 0);
    checkpoint_free(&c);
    free(buf);
}

static void fingerprint_sees_every_byte(void **state)
{
    (void)state;
    uint8_t images[2 * 4] = {1, 2, 3, 4, 5, 6, 7, 8}, labels[2] = {0, 1};
    dataset d = {2, 2, 2, 4, images, labels};
    uint64_t h = dataset_fingerprint(&d);
    images[7] ^= 1;
    assert_true(dataset_fingerprint(&d) != h);
    images[7] ^= 1;
    labels[0] = 1;
    assert_true(dataset_fingerprint(&d) != h);
    labels[0] = 0;
    assert_true(dataset_fingerprint(&d) == h);
}

/* ---- atomic writes that fail ---- */

static void atomic_disk_full(void **state)
{
    fixture *fx = *state;
    const char *path = path_in(fx->dir, "results.csv");
    tu_write_file(path, "old\n", 4);
    if (access("/dev/full", W_OK) != 0) {
        print_message("SKIPPED: no /dev/full\n");
        skip();
    }
    atomic_file af;
    err e = {{0}};
    assert_int_equal(atomic_open(&af, path, &e), 0);
    /* The temporary's stream now writes to a device that is always full;
     * the temporary itself stays in the folder, as after a real ENOSPC. */
    assert_non_null(freopen("/dev/full", "w", af.f));
    for (int i = 0; i < 10000; i++)
        fprintf(af.f, "%d,teacher,0.5\n", i);
    assert_int_equal(atomic_commit(&af, &e), -1);
    tu_assert_contains(e.msg, path);
    tu_assert_contains(e.msg, strerror(ENOSPC));
    char *text = slurp(path, NULL);
    assert_string_equal(text, "old\n"); /* the previous file, whole */
    free(text);
    assert_int_equal(count_temporaries(fx->dir), 0);
}

static void atomic_unwritable_places(void **state)
{
    fixture *fx = *state;
    arm_result row = {.seed = 1, .arm = 0, .ok = 1, .correct = 1, .total = 2};
    err e = {{0}};
    /* A folder that does not exist, and a "folder" that is a file. */
    const char *missing = path_in(fx->dir, "missing/results.csv");
    assert_int_equal(results_write_csv(missing, &row, 1, &e), -1);
    tu_assert_contains(e.msg, missing);
    tu_write_file(path_in(fx->dir, "file"), "x", 1);
    const char *under_file = path_in(fx->dir, "file/results.csv");
    assert_int_equal(results_write_csv(under_file, &row, 1, &e), -1);
    tu_assert_contains(e.msg, under_file);
    tu_assert_contains(e.msg, strerror(ENOTDIR));
    /* A read-only folder (root writes anyway: then nothing to test). */
    char ro[600];
    snprintf(ro, sizeof ro, "%s/ro", fx->dir);
    assert_int_equal(mkdir(ro, 0555), 0);
    if (geteuid() != 0) {
        const char *in_ro = path_in(ro, "results.csv");
        assert_int_equal(results_write_csv(in_ro, &row, 1, &e), -1);
        tu_assert_contains(e.msg, in_ro);
        tu_assert_contains(e.msg, strerror(EACCES));
        assert_int_equal(count_temporaries(ro), 0);
    }
    /* A path too long for the temporary's name. */
    char longpath[5000];
    memset(longpath, 'a', sizeof longpath - 1);
    longpath[sizeof longpath - 1] = '\0';
    atomic_file af;
    assert_int_equal(atomic_open(&af, longpath, &e), -1);
    tu_assert_contains(e.msg, "too long");
}

/* ---- the summary needs no memory ---- */

/* results_summarize allocates nothing (so cannot fail under memory
 * pressure) yet gives stats_summarize's very bits. */
static void summary_matches_stats_bitwise(void **state)
{
    (void)state;
    size_t n_arms;
    experiment_arms(&n_arms);
    enum { SEEDS = 37 };
    arm_result rows[SEEDS * 8];
    double acc[8][SEEDS];
    size_t n_ok[8] = {0}, n_rows = 0;
    uint32_t s = 12345;
    for (size_t seed = 0; seed < SEEDS; seed++)
        for (size_t a = 0; a < n_arms; a++) {
            s ^= s << 13, s ^= s >> 17, s ^= s << 5;
            arm_result r = {.seed = seed, .arm = a, .ok = s % 7 != 0, .total = 10000,
                            .correct = s % 10001};
            if (r.ok)
                acc[a][n_ok[a]++] = (double)r.correct / (double)r.total;
            rows[n_rows++] = r;
        }
    arm_summary sum[16];
    results_summarize(rows, n_rows, sum);
    for (size_t a = 0; a < n_arms; a++) {
        stats_summary want = stats_summarize(acc[a], n_ok[a]);
        assert_int_equal(sum[a].acc.n, want.n);
        assert_memory_equal(&sum[a].acc.mean, &want.mean, sizeof(double));
        assert_memory_equal(&sum[a].acc.sd, &want.sd, sizeof(double));
        assert_memory_equal(&sum[a].acc.ci95, &want.ci95, sizeof(double));
        assert_int_equal(sum[a].failed, SEEDS - n_ok[a]);
    }
}

/* ---- a diverged arm names arm, seed, epoch and batch ---- */

#define SIDE 8
static void make_data(dataset *d, size_t n, uint32_t seed)
{
    memset(d, 0, sizeof *d);
    d->n = n;
    d->rows = d->cols = SIDE;
    d->pixels = SIDE * SIDE;
    d->images = malloc(n * d->pixels);
    d->labels = malloc(n);
    assert_non_null(d->images);
    assert_non_null(d->labels);
    uint32_t s = seed * 2654435761u + 1;
    for (size_t i = 0; i < n * d->pixels; i++) {
        s ^= s << 13, s ^= s >> 17, s ^= s << 5;
        d->images[i] = (uint8_t)s;
    }
    for (size_t i = 0; i < n; i++)
        d->labels[i] = (uint8_t)(i % 10);
}

static void diverged_arms_say_where(void **state)
{
    (void)state;
    dataset train, test;
    make_data(&train, 100, 1);
    make_data(&test, 20, 2);
    experiment_config cfg = experiment_defaults();
    cfg.seeds = 1;
    cfg.seed_start = 40;
    cfg.width = 8;
    cfg.batch = 32;
    cfg.teacher_epochs = 2;
    cfg.student_epochs = 2;
    cfg.n_noise = 64;
    cfg.lr = 1e30; /* the teacher diverges */
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    arm_result rows[16];
    err e = {{0}};
    assert_int_equal(experiment_run(&cfg, &train, &test, NULL, NULL, rows, &e), 0);
    int t = experiment_arm_index("teacher");
    assert_false(rows[t].ok);
    tu_assert_contains(rows[t].why, "teacher, seed 40: ");
    tu_assert_contains(rows[t].why, "epoch 1, batch ");
    /* A teacher that is its init (0 epochs) cannot diverge: the students do. */
    cfg.teacher_epochs = 0;
    assert_int_equal(experiment_run(&cfg, &train, &test, NULL, NULL, rows, &e), 0);
    size_t failed = 0;
    for (size_t a = 0; a < n_arms; a++) {
        if (arms[a].training != ARM_STUDENT)
            continue;
        if (rows[a].ok)
            continue;
        failed++;
        char want[64];
        snprintf(want, sizeof want, "%s, seed 40: ", arms[a].name);
        tu_assert_contains(rows[a].why, want);
        tu_assert_contains(rows[a].why, "epoch ");
        tu_assert_contains(rows[a].why, "batch ");
    }
    assert_true(failed > 0);
    dataset_free(&train);
    dataset_free(&test);
}

/* ---- sublim experiment on the real data ---- */

static void need_mnist(void)
{
    if (access("mnist/train-images-idx3-ubyte", R_OK) != 0 ||
        access("mnist/t10k-images-idx3-ubyte", R_OK) != 0) {
        print_message("SKIPPED: no MNIST in ./mnist/ (run `make data` from the project root)\n");
        skip();
    }
}

/* Runs `sublim experiment` with a tiny configuration plus the flags in
 * extra (space-separated); stdout and stderr go to *output (malloc'ed).
 * Returns the exit code. */
static int experiment(const char *dir, char **output, const char *fmt, ...)
{
    char extra[2000], line[3000];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(extra, sizeof extra, fmt, ap);
    va_end(ap);
    snprintf(line, sizeof line,
             "--width 16 --epochs 1 --student-epochs 1 --noise-images 2048 --batch 512 "
             "--threads 2 --quiet %s",
             extra);
    char *argv[64];
    int argc = 0;
    for (char *tok = strtok(line, " "); tok && argc < 64; tok = strtok(NULL, " "))
        argv[argc++] = tok;
    char log[700];
    snprintf(log, sizeof log, "%s/output.log", dir);
    fflush(stdout);
    fflush(stderr);
    int saved_out = dup(1), saved_err = dup(2);
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(saved_out >= 0 && saved_err >= 0 && fd >= 0);
    dup2(fd, 1);
    dup2(fd, 2);
    close(fd);
    int rc = cmd_experiment(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
    char *text = slurp(log, NULL);
    unlink(log);
    if (output)
        *output = text;
    else
        free(text);
    return rc;
}

static void resume_matches_an_uninterrupted_run(void **state)
{
    fixture *fx = *state;
    need_mnist();
    const char *d = fx->dir;
    char *out;
    assert_int_equal(experiment(d, NULL, "--seeds 3 --out %s/ref", d), 0);
    /* A run "killed" after 2 seeds: its folder as the third seed began. */
    assert_int_equal(experiment(d, NULL, "--seeds 2 --out %s/run", d), 0);
    /* A kill between writing curves.csv and results.csv leaves curve
     * points of a seed results.csv lacks: --resume must drop them. */
    char *curves = slurp(path_in(d, "ref/curves.csv"), NULL);
    tu_write_file(path_in(d, "run/curves.csv"), curves, strlen(curves));
    free(curves);
    assert_int_equal(experiment(d, &out, "--seeds 3 --out %s/run --resume", d), 0);
    free(out);
    assert_same_file(path_in(d, "ref/results.csv"), path_in(d, "run/results.csv"));
    assert_same_file(path_in(d, "ref/curves.csv"), path_in(d, "run/curves.csv"));
    char *runs = slurp(path_in(d, "run/run.txt"), NULL);
    tu_assert_contains(runs, "seeds=2\n"); /* the resumed run ran seed 2 only */
    free(runs);
    /* Resuming a finished run changes none of its rows. */
    assert_int_equal(experiment(d, NULL, "--seeds 3 --out %s/run --resume", d), 0);
    assert_same_file(path_in(d, "ref/results.csv"), path_in(d, "run/results.csv"));
    assert_int_equal(count_temporaries(path_in(d, "run")), 0);
}

static void resume_refuses_what_it_cannot_keep(void **state)
{
    fixture *fx = *state;
    need_mnist();
    const char *d = fx->dir;
    char *out;
    assert_int_equal(experiment(d, NULL, "--seeds 2 --out %s/run", d), 0);
    char *before = slurp(path_in(d, "run/results.csv"), NULL);
    /* Another configuration: refused, naming the key. */
    assert_int_equal(experiment(d, &out, "--seeds 3 --out %s/run --resume --lr 1e-3", d), 1);
    tu_assert_contains(out, "lr=0.0003");
    tu_assert_contains(out, "lr=0.001");
    free(out);
    /* Rows of seeds this run does not have. */
    assert_int_equal(experiment(d, &out, "--seeds 1 --seed-start 5 --out %s/run --resume", d), 1);
    tu_assert_contains(out, "seed 0");
    free(out);
    /* curves.csv missing although curves are measured. */
    rename(path_in(d, "run/curves.csv"), path_in(d, "curves.bak"));
    assert_int_equal(experiment(d, &out, "--seeds 3 --out %s/run --resume", d), 1);
    tu_assert_contains(out, "--no-curves");
    free(out);
    rename(path_in(d, "curves.bak"), path_in(d, "run/curves.csv"));
    /* A row given twice. */
    size_t n = strlen(before);
    char *twice = malloc(2 * n);
    assert_non_null(twice);
    memcpy(twice, before, n);
    const char *row1 = strchr(before, '\n') + 1;
    memcpy(twice + n, row1, strlen(row1));
    tu_write_file(path_in(d, "run/results.csv"), twice, n + strlen(row1));
    assert_int_equal(experiment(d, &out, "--seeds 3 --out %s/run --resume", d), 1);
    tu_assert_contains(out, "twice");
    free(out);
    free(twice);
    /* A damaged results.csv. */
    tu_write_file(path_in(d, "run/results.csv"), "seed,arm\n1,2\n", 13);
    assert_int_equal(experiment(d, &out, "--seeds 3 --out %s/run --resume", d), 1);
    tu_assert_contains(out, "results.csv");
    free(out);
    /* After all that, the original rows still resume as they were. */
    tu_write_file(path_in(d, "run/results.csv"), before, strlen(before));
    assert_int_equal(experiment(d, NULL, "--seeds 2 --out %s/run --resume", d), 0);
    char *after = slurp(path_in(d, "run/results.csv"), NULL);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

static void teachers_saved_and_loaded(void **state)
{
    fixture *fx = *state;
    need_mnist();
    const char *d = fx->dir;
    char *out;
    assert_int_equal(experiment(d, NULL, "--seeds 2 --out %s/a --save-teacher %s/t.ck", d, d), 0);
    /* Seeds 0-1 from the file, seed 2 trained: the rows of a plain run. */
    assert_int_equal(experiment(d, NULL, "--seeds 3 --out %s/ref", d), 0);
    assert_int_equal(experiment(d, &out, "--seeds 3 --out %s/b --load-teacher %s/t.ck", d, d), 0);
    free(out);
    assert_same_file(path_in(d, "ref/results.csv"), path_in(d, "b/results.csv"));
    /* Loading and saving the same file adds seed 2's teacher to it. */
    assert_int_equal(experiment(d, NULL, "--seeds 3 --out %s/c --load-teacher %s/t.ck "
                                         "--save-teacher %s/t.ck", d, d, d), 0);
    checkpoint c;
    err e = {{0}};
    assert_int_equal(checkpoint_load(&c, path_in(d, "t.ck"), &e), 0);
    assert_int_equal(c.n, 3);
    checkpoint_free(&c);
    assert_same_file(path_in(d, "ref/results.csv"), path_in(d, "c/results.csv"));

    /* Another configuration: refused by --load-teacher, and --save-teacher
     * does not overwrite the file. */
    char *ck = slurp(path_in(d, "t.ck"), NULL);
    assert_int_equal(experiment(d, &out, "--seeds 1 --out %s/x --lr 1e-3 --load-teacher %s/t.ck",
                                d, d), 1);
    tu_assert_contains(out, "t.ck");
    tu_assert_contains(out, "--lr");
    free(out);
    assert_int_equal(experiment(d, &out, "--seeds 1 --out %s/x --lr 1e-3 --save-teacher %s/t.ck",
                                d, d), 1);
    tu_assert_contains(out, "refusing to overwrite");
    free(out);
    size_t n;
    char *ck_after = slurp(path_in(d, "t.ck"), &n);
    assert_memory_equal(ck, ck_after, n);
    free(ck_after);
    /* A damaged byte. */
    ck[n / 2] ^= 1;
    tu_write_file(path_in(d, "bad.ck"), ck, n);
    assert_int_equal(experiment(d, &out, "--seeds 1 --out %s/x --load-teacher %s/bad.ck", d, d),
                     1);
    tu_assert_contains(out, "bad.ck");
    tu_assert_contains(out, "damaged");
    free(out);
    free(ck);
}

static void output_folder_cannot_be_made(void **state)
{
    fixture *fx = *state;
    need_mnist();
    const char *d = fx->dir;
    char *out;
    tu_write_file(path_in(d, "file"), "x", 1);
    assert_int_equal(experiment(d, &out, "--seeds 1 --out %s/file/out", d), 1);
    tu_assert_contains(out, "file/out");
    free(out);
    assert_int_equal(experiment(d, &out, "--seeds 1 --out %s/file", d), 1);
    tu_assert_contains(out, "not a folder");
    free(out);
    /* A teacher file that cannot be written is refused before training. */
    assert_int_equal(experiment(d, &out, "--seeds 2 --out %s/o --save-teacher %s/nodir/t.ck", d,
                                d), 1);
    tu_assert_contains(out, "--save-teacher");
    tu_assert_contains(out, "nodir/t.ck");
    free(out);
    assert_int_not_equal(access(path_in(d, "o/results.csv"), F_OK), 0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(checkpoint_round_trip),
        T(checkpoint_refuses_other_configurations),
        T(checkpoint_refuses_damaged_files),
        T(checkpoint_refuses_other_versions),
        cmocka_unit_test(fingerprint_sees_every_byte),
        T(atomic_disk_full),
        T(atomic_unwritable_places),
        cmocka_unit_test(summary_matches_stats_bitwise),
        cmocka_unit_test(diverged_arms_say_where),
        T(resume_matches_an_uninterrupted_run),
        T(resume_refuses_what_it_cannot_keep),
        T(teachers_saved_and_loaded),
        T(output_folder_cannot_be_made),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
