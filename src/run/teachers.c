#include "run/teachers.h"
#include <inttypes.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include "base/atomic.h"
#include "base/files.h"
#include "base/lock.h"

int teachers_key(checkpoint_key *key, const experiment_config *cfg, const dataset *train,
                 err *e)
{
    memset(key, 0, sizeof *key);
    if (mlp_shape_make(&key->shape, train->pixels, cfg->width, cfg->hidden_layers,
                       EXPERIMENT_CLASSES + cfg->m, e))
        return -1;
    key->init = (uint32_t)cfg->init;
    key->epochs = (uint32_t)cfg->teacher_epochs;
    key->batch = (uint32_t)cfg->batch;
    key->lr = cfg->lr;
    key->data_fingerprint = dataset_fingerprint(train);
    return 0;
}

/* Loads a checkpoint of this key: refuses another configuration, a damaged
 * file and teachers that are not finite. */
static int load_checkpoint(checkpoint *c, const char *path, const checkpoint_key *key, err *e)
{
    if (checkpoint_load(c, path, e))
        return -1;
    if (checkpoint_check_key(c, key, path, e)) {
        checkpoint_free(c);
        return -1;
    }
    for (size_t t = 0; t < c->n; t++) {
        int finite = isfinite(c->losses[t]);
        for (size_t i = 0; finite && i < c->n_params; i++)
            finite = isfinite(c->params[t * c->n_params + i]);
        if (!finite) {
            err_set(e, "%s: the teacher of seed %" PRIu64 " is not finite", path, c->seeds[t]);
            checkpoint_free(c);
            return -1;
        }
    }
    return 0;
}

/* The save file starts with the teachers it (or the load file, when both
 * are one file) holds already; a file of another configuration is refused. */
static int open_save(teachers *t, const checkpoint_key *key, size_t seeds, err *e)
{
    checkpoint existing;
    const checkpoint *have = NULL;
    err why;
    memset(&existing, 0, sizeof existing);
    atomic_remove_stale(t->save_path, 1); /* safe: we hold its lock */
    if (t->load_path && files_same(t->load_path, t->save_path)) {
        have = &t->load;
    } else if (files_exists(t->save_path)) {
        if (load_checkpoint(&existing, t->save_path, key, &why))
            return err_set(e, "--save-teacher: %s; refusing to overwrite it (remove it or "
                              "choose another file)",
                           why.msg);
        have = &existing;
    }
    atomic_file probe;
    if (atomic_open(&probe, t->save_path, &why)) {
        checkpoint_free(&existing);
        return err_set(e, "--save-teacher: %s", why.msg);
    }
    atomic_abort(&probe);
    t->save_capacity = (have ? have->n : 0) + seeds;
    int rc = checkpoint_init(&t->save, key, t->save_capacity, e);
    for (size_t k = 0; rc == 0 && have && k < have->n; k++)
        checkpoint_put(&t->save, have->seeds[k], have->losses[k],
                       have->params + k * have->n_params, t->save_capacity, e);
    checkpoint_free(&existing);
    return rc;
}

/* The save file's lock (TEACHERS_LOCK_SUFFIX), held until teachers_close:
 * another run saving to it is refused at once, naming this one. */
static int lock_save(teachers *t, err *e)
{
    char path[FILES_PATH_MAX];
    err why;
    if (strlen(t->save_path) + strlen(TEACHERS_LOCK_SUFFIX) >= sizeof path)
        return err_set(e, "--save-teacher: path too long: %.200s...", t->save_path);
    snprintf(path, sizeof path, "%s" TEACHERS_LOCK_SUFFIX, t->save_path);
    if (lock_take(&t->save_lock, path, LOCK_WRITE, t->save_path, &why))
        return err_set(e, "--save-teacher: %.400s, or choose another file", why.msg);
    return 0;
}

int teachers_open(teachers *t, const checkpoint_key *key, size_t seeds, const char *load_path,
                  const char *save_path, err *e)
{
    memset(t, 0, sizeof *t);
    t->save_lock = -1;
    t->load_path = load_path;
    t->save_path = save_path;
    err why;
    int rc = save_path ? lock_save(t, e) : 0;
    if (rc == 0 && load_path && load_checkpoint(&t->load, load_path, key, &why))
        rc = err_set(e, "--load-teacher: %s", why.msg);
    if (rc == 0 && save_path)
        rc = open_save(t, key, seeds, e);
    if (rc)
        teachers_close(t);
    return rc;
}

void teachers_close(teachers *t)
{
    checkpoint_free(&t->load);
    checkpoint_free(&t->save);
    lock_release(&t->save_lock);
    memset(t, 0, sizeof *t);
    t->save_lock = -1;
}

int teachers_have(const teachers *t, uint64_t seed)
{
    return t->load_path && checkpoint_find(&t->load, seed, NULL);
}

int teachers_load(teachers *t, uint64_t seed, float *params, double *loss)
{
    const float *p = t->load_path ? checkpoint_find(&t->load, seed, loss) : NULL;
    if (!p)
        return 0;
    memcpy(params, p, t->load.n_params * sizeof *params);
    teachers_keep(t, seed, p, *loss);
    return 1;
}

void teachers_keep(teachers *t, uint64_t seed, const float *params, double loss)
{
    if (!t->save_path || t->save_failed)
        return;
    double had_loss;
    const float *had = checkpoint_find(&t->save, seed, &had_loss);
    if (had && had_loss == loss && memcmp(had, params, t->save.n_params * sizeof *had) == 0)
        return; /* there already: no need to rewrite the file */
    err e;
    if (checkpoint_put(&t->save, seed, loss, params, t->save_capacity, &e) ||
        checkpoint_save(&t->save, t->save_path, &e)) {
        t->save_failed = 1;
        err_set(&t->save_error, "--save-teacher: cannot save the teacher of seed %" PRIu64 ": %s",
                seed, e.msg);
    }
}

int teachers_status(const teachers *t, err *e)
{
    if (!t->save_failed)
        return 0;
    *e = t->save_error;
    return -1;
}
