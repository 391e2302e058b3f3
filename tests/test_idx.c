/* Tests of the IDX loader: good files load byte for byte; every kind of bad
 * file is refused with a message that names the file and the problem; and
 * the real MNIST files load as MNIST (when unpacked in ./mnist). */
#include "testutil.h"

#include <unistd.h>
#include "nn/idx.h"

typedef tu_dir fixture;
#define setup tu_dir_setup
#define teardown tu_dir_teardown

/* An IDX header: 0 0 type ndims, then ndims big-endian 32-bit sizes. */
static size_t put_header(uint8_t *buf, uint8_t type, uint8_t ndims, const uint32_t *dims)
{
    buf[0] = 0;
    buf[1] = 0;
    buf[2] = type;
    buf[3] = ndims;
    for (size_t d = 0; d < ndims; d++) {
        uint8_t *p = buf + 4 + 4 * d;
        p[0] = (uint8_t)(dims[d] >> 24);
        p[1] = (uint8_t)(dims[d] >> 16);
        p[2] = (uint8_t)(dims[d] >> 8);
        p[3] = (uint8_t)dims[d];
    }
    return 4 + 4 * (size_t)ndims;
}

/* Writes an image file of n images of rows x cols (pixel k = k * 7 mod 256)
 * to fx->path = dir/name, with `extra` bytes more (< 0: fewer) than the
 * header promises. */
static void write_images(fixture *fx, const char *name, uint32_t n, uint32_t rows,
                         uint32_t cols, long extra)
{
    uint32_t dims[3] = {n, rows, cols};
    size_t data = (size_t)n * rows * cols;
    size_t len = 16 + data + (extra > 0 ? (size_t)extra : 0);
    uint8_t *buf = malloc(len);
    assert_non_null(buf);
    put_header(buf, 0x08, 3, dims);
    for (size_t k = 0; k < len - 16; k++)
        buf[16 + k] = (uint8_t)(k * 7);
    if (extra < 0)
        len -= (size_t)(-extra);
    snprintf(fx->path, sizeof fx->path, "%s/%s", fx->dir, name);
    tu_write_file(fx->path, buf, len);
    free(buf);
}

static void write_labels(fixture *fx, const char *name, const uint8_t *labels, uint32_t n)
{
    uint8_t buf[64];
    assert_true(n + 8 <= sizeof buf);
    put_header(buf, 0x08, 1, &n);
    if (n)
        memcpy(buf + 8, labels, n);
    snprintf(fx->path, sizeof fx->path, "%s/%s", fx->dir, name);
    tu_write_file(fx->path, buf, 8 + n);
}

/* The SHA-256 of dir/<prefix>-images-idx3-ubyte then
 * dir/<prefix>-labels-idx1-ubyte, as `cat IMAGES LABELS | sha256sum`. */
static void files_sha256(const char *dir, const char *prefix, char hex[SHA256_HEX])
{
    static const char *const kinds[] = {"images-idx3", "labels-idx1"};
    sha256 h;
    sha256_init(&h);
    for (size_t k = 0; k < 2; k++) {
        char path[512];
        size_t n;
        snprintf(path, sizeof path, "%s/%s-%s-ubyte", dir, prefix, kinds[k]);
        char *bytes = tu_slurp(path, &n);
        sha256_add(&h, bytes, n);
        free(bytes);
    }
    sha256_hex(&h, hex);
}

/* The first n bytes of the file at path, into buf. */
static void read_start(const char *path, uint8_t *buf, size_t n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(buf, 1, n, f), n);
    fclose(f);
}

/* Expects idx_read_images on fx->path to fail, naming the file and `word`. */
static void images_refused(fixture *fx, const char *word)
{
    err e = {{0}};
    uint8_t *img = NULL;
    size_t n = 77, rows = 77, cols = 77;
    assert_int_equal(idx_read_images(fx->path, &img, &n, &rows, &cols, &e), -1);
    assert_null(img);
    assert_int_equal(n, 77); /* outputs untouched on failure */
    tu_assert_contains(e.msg, fx->path);
    tu_assert_contains(e.msg, word);
}

static void labels_refused(fixture *fx, const char *word)
{
    err e = {{0}};
    uint8_t *lab = NULL;
    size_t n = 77;
    assert_int_equal(idx_read_labels(fx->path, &lab, &n, 10, &e), -1);
    assert_null(lab);
    assert_int_equal(n, 77);
    tu_assert_contains(e.msg, fx->path);
    tu_assert_contains(e.msg, word);
}

/* ---- good files ---- */

static void good_images_load(void **state)
{
    fixture *fx = *state;
    write_images(fx, "img", 3, 2, 5, 0);
    err e = {{0}};
    uint8_t *img = NULL;
    size_t n = 0, rows = 0, cols = 0;
    assert_int_equal(idx_read_images(fx->path, &img, &n, &rows, &cols, &e), 0);
    assert_int_equal(n, 3);
    assert_int_equal(rows, 2);
    assert_int_equal(cols, 5);
    for (size_t k = 0; k < 30; k++)
        assert_int_equal(img[k], (uint8_t)(k * 7));
    free(img);
}

static void good_labels_load(void **state)
{
    fixture *fx = *state;
    const uint8_t want[5] = {0, 9, 3, 3, 7};
    write_labels(fx, "lab", want, 5);
    err e = {{0}};
    uint8_t *lab = NULL;
    size_t n = 0;
    assert_int_equal(idx_read_labels(fx->path, &lab, &n, 10, &e), 0);
    assert_int_equal(n, 5);
    assert_memory_equal(lab, want, 5);
    free(lab);
}

/* A dataset loads whole, and its fingerprint is the SHA-256 of the two
 * files it was read from. */
static void good_dataset_loads(void **state)
{
    fixture *fx = *state;
    const uint8_t labels[4] = {1, 0, 2, 1};
    write_images(fx, "train-images-idx3-ubyte", 4, 3, 2, 0);
    write_labels(fx, "train-labels-idx1-ubyte", labels, 4);
    dataset d;
    err e = {{0}};
    assert_int_equal(dataset_load(&d, fx->dir, "train", 3, &e), 0);
    assert_int_equal(d.n, 4);
    assert_int_equal(d.rows, 3);
    assert_int_equal(d.cols, 2);
    assert_int_equal(d.pixels, 6);
    assert_memory_equal(d.labels, labels, 4);
    assert_int_equal(d.images[23], (uint8_t)(23 * 7));
    /* Its fingerprint is that of the bytes read; one label changed changes it. */
    char read[SHA256_HEX], files[SHA256_HEX];
    dataset_sha256(&d, read);
    files_sha256(fx->dir, "train", files);
    assert_string_equal(read, files);
    d.labels[3] = 2;
    dataset_sha256(&d, read);
    assert_string_not_equal(read, files);
    dataset_free(&d);
    assert_null(d.images);
    assert_int_equal(d.n, 0);
}

/* ---- bad headers ---- */

static void wrong_magic(void **state)
{
    fixture *fx = *state;
    write_images(fx, "img", 2, 2, 2, 0);
    uint8_t buf[24];
    read_start(fx->path, buf, sizeof buf);
    buf[1] = 0x01; /* magic must start with two zero bytes */
    tu_write_file(fx->path, buf, 24);
    images_refused(fx, "magic");
}

static void wrong_type_byte(void **state)
{
    fixture *fx = *state;
    uint32_t dims[3] = {1, 2, 2};
    uint8_t buf[20] = {0};
    put_header(buf, 0x0D /* float */, 3, dims);
    snprintf(fx->path, sizeof fx->path, "%s/img", fx->dir);
    tu_write_file(fx->path, buf, 20);
    images_refused(fx, "type");
}

static void wrong_number_of_dims(void **state)
{
    fixture *fx = *state;
    /* A label file (1 dimension) given as images, and images as labels. */
    const uint8_t lab[3] = {1, 2, 3};
    write_labels(fx, "lab", lab, 3);
    images_refused(fx, "dimensions");
    write_images(fx, "img", 1, 2, 2, 0);
    labels_refused(fx, "dimensions");
    /* Two dimensions: a matrix, not a stack of images. */
    uint32_t dims[2] = {2, 2};
    uint8_t buf[16] = {0};
    put_header(buf, 0x08, 2, dims);
    snprintf(fx->path, sizeof fx->path, "%s/mat", fx->dir);
    tu_write_file(fx->path, buf, 16);
    images_refused(fx, "dimensions");
}

static void zero_count(void **state)
{
    fixture *fx = *state;
    write_images(fx, "img", 0, 28, 28, 0);
    images_refused(fx, "count");
    write_labels(fx, "lab", NULL, 0);
    labels_refused(fx, "count");
    write_images(fx, "img0", 5, 0, 28, 0);
    images_refused(fx, "size");
}

static void huge_dims_refused(void **state)
{
    fixture *fx = *state;
    uint8_t buf[16];
    snprintf(fx->path, sizeof fx->path, "%s/huge", fx->dir);
    /* Sides beyond IDX_MAX_SIDE and counts beyond IDX_MAX_ITEMS. */
    uint32_t wide[3] = {1, 2, IDX_MAX_SIDE + 1};
    put_header(buf, 0x08, 3, wide);
    tu_write_file(fx->path, buf, 16);
    images_refused(fx, "size");
    uint32_t many[3] = {IDX_MAX_ITEMS + 1, 1, 1};
    put_header(buf, 0x08, 3, many);
    tu_write_file(fx->path, buf, 16);
    images_refused(fx, "count");
    uint32_t all_ones[3] = {0xffffffffu, 0xffffffffu, 0xffffffffu};
    put_header(buf, 0x08, 3, all_ones);
    tu_write_file(fx->path, buf, 16);
    images_refused(fx, "");
    uint32_t many_labels = 0xffffffffu;
    put_header(buf, 0x08, 1, &many_labels);
    tu_write_file(fx->path, buf, 8);
    labels_refused(fx, "count");
}

/* Within the limits, a header can still promise far more data than the file
 * holds (here 1e8 x 4096 x 4096 bytes, 1.7 PB, in a 16-byte file).  That
 * must be refused from the file's size, before a buffer is sized from the
 * header: the loader must not try to allocate what the file cannot fill. */
static void header_promising_more_than_the_file_refused_before_allocating(void **state)
{
    fixture *fx = *state;
    uint8_t buf[16];
    snprintf(fx->path, sizeof fx->path, "%s/liar", fx->dir);
    uint32_t dims[3] = {IDX_MAX_ITEMS, IDX_MAX_SIDE, IDX_MAX_SIDE};
    put_header(buf, 0x08, 3, dims);
    tu_write_file(fx->path, buf, 16);
    err e = {{0}};
    uint8_t *img = NULL;
    size_t n, rows, cols;
    assert_int_equal(idx_read_images(fx->path, &img, &n, &rows, &cols, &e), -1);
    tu_assert_contains(e.msg, fx->path);
    if (strstr(e.msg, "memory"))
        fail_msg("the header sized an allocation before the file size was checked: %s",
                 e.msg);
    tu_assert_contains(e.msg, "truncated");

    uint32_t n_labels = IDX_MAX_ITEMS;
    put_header(buf, 0x08, 1, &n_labels);
    tu_write_file(fx->path, buf, 9);
    labels_refused(fx, "truncated");
}

static void truncated_header(void **state)
{
    fixture *fx = *state;
    write_images(fx, "img", 1, 2, 2, 0);
    uint8_t buf[20];
    read_start(fx->path, buf, sizeof buf);
    tu_write_file(fx->path, buf, 10); /* magic and 1.5 of 3 sizes */
    images_refused(fx, "truncated");
    tu_write_file(fx->path, buf, 3); /* not even a magic */
    images_refused(fx, "truncated");
}

/* ---- bad data ---- */

static void truncated_data(void **state)
{
    fixture *fx = *state;
    write_images(fx, "img", 3, 4, 4, -1);
    images_refused(fx, "truncated");
    write_images(fx, "img2", 3, 4, 4, -48); /* header only */
    images_refused(fx, "truncated");
    snprintf(fx->path, sizeof fx->path, "%s/lab", fx->dir);
    uint8_t file[12] = {0, 0, 8, 1, 0, 0, 0, 5, 1, 2, 3, 4}; /* promises 5, has 4 */
    tu_write_file(fx->path, file, sizeof file);
    labels_refused(fx, "truncated");
}

static void trailing_bytes(void **state)
{
    fixture *fx = *state;
    write_images(fx, "img", 3, 4, 4, 1);
    images_refused(fx, "longer");
    uint8_t file[11] = {0, 0, 8, 1, 0, 0, 0, 2, 1, 2, 3};
    snprintf(fx->path, sizeof fx->path, "%s/lab", fx->dir);
    tu_write_file(fx->path, file, sizeof file);
    labels_refused(fx, "longer");
}

static void empty_file(void **state)
{
    fixture *fx = *state;
    snprintf(fx->path, sizeof fx->path, "%s/empty", fx->dir);
    tu_write_file(fx->path, "", 0);
    images_refused(fx, "empty");
    labels_refused(fx, "empty");
}

static void missing_file(void **state)
{
    fixture *fx = *state;
    snprintf(fx->path, sizeof fx->path, "%s/no-such-file", fx->dir);
    images_refused(fx, "cannot open");
    labels_refused(fx, "cannot open");
}

static void label_out_of_range(void **state)
{
    fixture *fx = *state;
    const uint8_t labels[4] = {0, 9, 10, 1}; /* 10 is not a digit */
    write_labels(fx, "lab", labels, 4);
    labels_refused(fx, "label");
    labels_refused(fx, "range");
    labels_refused(fx, "index 2");
    /* With 11 classes the same file is fine. */
    err e;
    uint8_t *lab = NULL;
    size_t n = 0;
    assert_int_equal(idx_read_labels(fx->path, &lab, &n, 11, &e), 0);
    assert_int_equal(n, 4);
    free(lab);
}

static void count_mismatch(void **state)
{
    fixture *fx = *state;
    const uint8_t labels[3] = {1, 0, 2};
    write_images(fx, "t10k-images-idx3-ubyte", 4, 3, 3, 0);
    write_labels(fx, "t10k-labels-idx1-ubyte", labels, 3);
    dataset d;
    err e = {{0}};
    assert_int_equal(dataset_load(&d, fx->dir, "t10k", 10, &e), -1);
    tu_assert_contains(e.msg, fx->dir);
    tu_assert_contains(e.msg, "t10k");
    tu_assert_contains(e.msg, "4 images");
    tu_assert_contains(e.msg, "3 labels");
    assert_null(d.images); /* nothing leaks to the caller */
    assert_null(d.labels);
    assert_int_equal(d.n, 0);
}

static void dataset_names_the_failing_file(void **state)
{
    fixture *fx = *state;
    /* Images fine, labels missing: the message names the label file. */
    write_images(fx, "train-images-idx3-ubyte", 2, 2, 2, 0);
    dataset d;
    err e = {{0}};
    assert_int_equal(dataset_load(&d, fx->dir, "train", 10, &e), -1);
    tu_assert_contains(e.msg, "train-labels-idx1-ubyte");
    assert_null(d.images);
    /* Both missing: the image file is named. */
    assert_int_equal(dataset_load(&d, fx->dir, "t10k", 10, &e), -1);
    tu_assert_contains(e.msg, "t10k-images-idx3-ubyte");
}

/* ---- the real data ---- */

/* MNIST as `make data` unpacks it in ./mnist (skipped when it is not
 * there): the sizes, the well-known first labels of both sets, a plausible
 * class balance, images with black corners and full-white ink, and the
 * test set's fingerprint that of its files. */
static void mnist_loads(void **state)
{
    (void)state;
    tu_need_mnist();
    enum { CLASSES = 10, SIDE = 28 };
    dataset train, test;
    err e = {{0}};
    if (dataset_load(&train, "mnist", "train", CLASSES, &e))
        fail_msg("%s", e.msg);
    if (dataset_load(&test, "mnist", "t10k", CLASSES, &e))
        fail_msg("%s", e.msg);
    assert_int_equal(train.n, 60000);
    assert_int_equal(test.n, 10000);
    assert_int_equal(train.rows, SIDE);
    assert_int_equal(train.cols, SIDE);
    assert_int_equal(train.pixels, SIDE * SIDE);
    assert_int_equal(test.pixels, SIDE * SIDE);
    /* The famous first labels: 5 0 4 1 9 (train) and 7 2 1 0 4 (test). */
    const uint8_t train5[5] = {5, 0, 4, 1, 9}, test5[5] = {7, 2, 1, 0, 4};
    assert_memory_equal(train.labels, train5, 5);
    assert_memory_equal(test.labels, test5, 5);
    size_t count[CLASSES] = {0};
    for (size_t i = 0; i < train.n; i++)
        count[train.labels[i]]++;
    for (int c = 0; c < CLASSES; c++)
        assert_true(count[c] > 5000 && count[c] < 7000);
    uint8_t hi = 0;
    for (size_t k = 0; k < (size_t)SIDE * SIDE * 100; k++)
        hi = train.images[k] > hi ? train.images[k] : hi;
    assert_int_equal(hi, 255);
    assert_int_equal(train.images[0], 0);
    /* The fingerprint config.txt records: the files' SHA-256. */
    char read[SHA256_HEX], files[SHA256_HEX];
    dataset_sha256(&test, read);
    files_sha256("mnist", "t10k", files);
    assert_string_equal(read, files);
    dataset_free(&train);
    dataset_free(&test);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(good_images_load),
        T(good_labels_load),
        T(good_dataset_loads),
        T(wrong_magic),
        T(wrong_type_byte),
        T(wrong_number_of_dims),
        T(zero_count),
        T(huge_dims_refused),
        T(header_promising_more_than_the_file_refused_before_allocating),
        T(truncated_header),
        T(truncated_data),
        T(trailing_bytes),
        T(empty_file),
        T(missing_file),
        T(label_out_of_range),
        T(count_mismatch),
        T(dataset_names_the_failing_file),
        cmocka_unit_test(mnist_loads),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
