#include "run/checkpoint.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/atomic.h"
#include "base/files.h"

static const char MAGIC[8] = {'S', 'U', 'B', 'L', 'I', 'M', 'C', 'K'};

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
    const uint8_t *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * FNV_PRIME;
    return h;
}

uint64_t dataset_fingerprint(const dataset *d)
{
    uint64_t h = fnv1a(FNV_OFFSET, d->images, d->n * d->pixels);
    return fnv1a(h, d->labels, d->n);
}

/* ---- little-endian writing, hashing as it goes ---- */

typedef struct {
    FILE *f;
    uint64_t hash;
} writer;

static void put(writer *w, const void *p, size_t n)
{
    fwrite(p, 1, n, w->f);
    w->hash = fnv1a(w->hash, p, n);
}

static void put_u32(writer *w, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put(w, b, 4);
}

static void put_u64(writer *w, uint64_t v)
{
    put_u32(w, (uint32_t)v);
    put_u32(w, (uint32_t)(v >> 32));
}

static void put_f64(writer *w, double v)
{
    uint64_t u;
    memcpy(&u, &v, 8);
    put_u64(w, u);
}

static void put_f32(writer *w, float v)
{
    uint32_t u;
    memcpy(&u, &v, 4);
    put_u32(w, u);
}

/* ---- reading from a buffer that holds the whole file ---- */

typedef struct {
    const uint8_t *p;
    size_t left;
    int short_read;
} reader;

static const uint8_t *take(reader *r, size_t n)
{
    if (r->left < n) {
        r->short_read = 1;
        return NULL;
    }
    const uint8_t *p = r->p;
    r->p += n;
    r->left -= n;
    return p;
}

static uint32_t get_u32(reader *r)
{
    const uint8_t *b = take(r, 4);
    return b ? (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24
             : 0;
}

static uint64_t get_u64(reader *r)
{
    uint64_t lo = get_u32(r);
    return lo | (uint64_t)get_u32(r) << 32;
}

static double get_f64(reader *r)
{
    uint64_t u = get_u64(r);
    double v;
    memcpy(&v, &u, 8);
    return v;
}

/* ---- the checkpoint ---- */

int checkpoint_init(checkpoint *c, const checkpoint_key *key, size_t capacity, err *e)
{
    memset(c, 0, sizeof *c);
    c->key = *key;
    c->n_params = mlp_n_params(&key->shape);
    /* Sized by the caller's capacity only: no room is made "just in case",
     * so a header with huge layers but no teachers allocates nothing. */
    size_t cap = capacity ? capacity : 1;
    c->seeds = malloc(cap * sizeof *c->seeds);
    c->losses = malloc(cap * sizeof *c->losses);
    c->params = capacity == 0 ? malloc(sizeof *c->params)
                : capacity <= SIZE_MAX / sizeof(float) / c->n_params
                    ? malloc(capacity * c->n_params * sizeof *c->params)
                    : NULL;
    if (!c->seeds || !c->losses || !c->params) {
        checkpoint_free(c);
        return err_set(e, "out of memory for %zu teachers", cap);
    }
    return 0;
}

int checkpoint_put(checkpoint *c, uint64_t seed, double loss, const float *params,
                   size_t capacity, err *e)
{
    size_t k = 0;
    while (k < c->n && c->seeds[k] != seed)
        k++;
    if (k == c->n) {
        if (c->n == capacity)
            return err_set(e, "checkpoint is full (%zu teachers)", capacity);
        c->n++;
    }
    c->seeds[k] = seed;
    c->losses[k] = loss;
    memcpy(c->params + k * c->n_params, params, c->n_params * sizeof *params);
    return 0;
}

const float *checkpoint_find(const checkpoint *c, uint64_t seed, double *loss)
{
    for (size_t k = 0; k < c->n; k++)
        if (c->seeds[k] == seed) {
            if (loss)
                *loss = c->losses[k];
            return c->params + k * c->n_params;
        }
    return NULL;
}

int checkpoint_save(const checkpoint *c, const char *path, err *e)
{
    atomic_file af;
    if (atomic_open(&af, path, e))
        return -1;
    writer w = {af.f, FNV_OFFSET};
    const checkpoint_key *k = &c->key;
    put(&w, MAGIC, sizeof MAGIC);
    put_u32(&w, CHECKPOINT_VERSION);
    put_u32(&w, (uint32_t)k->shape.n_layers);
    for (size_t l = 0; l <= k->shape.n_layers; l++)
        put_u32(&w, (uint32_t)k->shape.dims[l]);
    put_u32(&w, k->init);
    put_u32(&w, k->epochs);
    put_u32(&w, k->batch);
    put_f64(&w, k->lr);
    put_u64(&w, k->data_fingerprint);
    put_u64(&w, c->n);
    for (size_t t = 0; t < c->n; t++) {
        put_u64(&w, c->seeds[t]);
        put_f64(&w, c->losses[t]);
        for (size_t i = 0; i < c->n_params; i++)
            put_f32(&w, c->params[t * c->n_params + i]);
    }
    uint64_t hash = w.hash;
    put_u64(&w, hash);
    return atomic_commit(&af, e);
}

int checkpoint_load(checkpoint *c, const char *path, err *e)
{
    memset(c, 0, sizeof *c);
    char *bytes = NULL;
    size_t size = 0;
    if (files_read_all(path, &bytes, &size, e))
        return -1;
    const uint8_t *buf = (const uint8_t *)bytes;
    int rc = 0;
    reader r = {buf, size, 0};
    const uint8_t *magic = take(&r, sizeof MAGIC);
    if (!magic || memcmp(magic, MAGIC, sizeof MAGIC) != 0) {
        rc = err_set(e, "%s: not a sublim checkpoint (bad magic)", path);
        goto done;
    }
    /* The hash covers everything but its own 8 bytes: check it first, so
     * no damaged number is ever used to size anything. */
    if (size < sizeof MAGIC + 12 + 8) {
        rc = err_set(e, "%s: truncated checkpoint", path);
        goto done;
    }
    reader tail = {buf + size - 8, 8, 0};
    if (get_u64(&tail) != fnv1a(FNV_OFFSET, buf, size - 8)) {
        rc = err_set(e, "%s: checkpoint is damaged or truncated (checksum mismatch)", path);
        goto done;
    }
    r.left -= 8; /* the hash */
    uint32_t version = get_u32(&r);
    if (version != CHECKPOINT_VERSION) {
        rc = err_set(e, "%s: checkpoint version %u, this sublim reads version %u", path,
                     version, CHECKPOINT_VERSION);
        goto done;
    }
    checkpoint_key key;
    memset(&key, 0, sizeof key);
    uint32_t n_layers = get_u32(&r);
    if (n_layers == 0 || n_layers > MLP_MAX_LAYERS) {
        rc = err_set(e, "%s: bad layer count %u", path, n_layers);
        goto done;
    }
    key.shape.n_layers = n_layers;
    for (size_t l = 0; l <= n_layers; l++) {
        key.shape.dims[l] = get_u32(&r);
        if (key.shape.dims[l] == 0 || key.shape.dims[l] > 1u << 20) {
            rc = err_set(e, "%s: bad layer size", path);
            goto done;
        }
    }
    key.init = get_u32(&r);
    key.epochs = get_u32(&r);
    key.batch = get_u32(&r);
    key.lr = get_f64(&r);
    key.data_fingerprint = get_u64(&r);
    uint64_t n = get_u64(&r);
    size_t n_params = mlp_n_params(&key.shape);
    size_t per_teacher = 16 + 4 * n_params;
    if (r.short_read || n > CHECKPOINT_MAX_TEACHERS || n > r.left / per_teacher ||
        n * per_teacher != r.left) {
        rc = err_set(e, "%s: size does not match its header (truncated or damaged)", path);
        goto done;
    }
    if (checkpoint_init(c, &key, (size_t)n, e)) {
        rc = -1;
        goto done;
    }
    for (size_t t = 0; t < n; t++) {
        c->seeds[t] = get_u64(&r);
        c->losses[t] = get_f64(&r);
        const uint8_t *p = take(&r, 4 * n_params);
        for (size_t i = 0; i < n_params; i++) {
            uint32_t u = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
                         (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
            memcpy(&c->params[t * n_params + i], &u, 4);
        }
        c->n++;
    }
done:
    free(bytes);
    if (rc)
        checkpoint_free(c);
    return rc;
}

int checkpoint_check_key(const checkpoint *c, const checkpoint_key *key,
                         const char *path, err *e)
{
    const checkpoint_key *have = &c->key;
    if (have->shape.n_layers != key->shape.n_layers ||
        memcmp(have->shape.dims, key->shape.dims,
               (key->shape.n_layers + 1) * sizeof key->shape.dims[0]) != 0)
        return err_set(e, "%s: teachers of another network shape (--width or --m differ)", path);
    if (have->init != key->init)
        return err_set(e, "%s: teachers made with another --init", path);
    if (have->epochs != key->epochs)
        return err_set(e, "%s: teachers trained for %u epochs, not %u", path, have->epochs,
                       key->epochs);
    if (have->batch != key->batch)
        return err_set(e, "%s: teachers trained with --batch %u, not %u", path, have->batch,
                       key->batch);
    if (have->lr != key->lr)
        return err_set(e, "%s: teachers trained with --lr %g, not %g", path, have->lr, key->lr);
    if (have->data_fingerprint != key->data_fingerprint)
        return err_set(e, "%s: teachers trained on other data", path);
    return 0;
}

void checkpoint_free(checkpoint *c)
{
    free(c->seeds);
    free(c->losses);
    free(c->params);
    memset(c, 0, sizeof *c);
}
