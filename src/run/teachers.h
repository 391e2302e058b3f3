/* teachers: the trained teachers of an experiment run, loaded from and
 * saved to checkpoint files (--load-teacher, --save-teacher).
 *
 *  - load: a checkpoint of this very configuration and data, else refused;
 *    a seed it has no teacher for is trained as usual (a teacher is a pure
 *    function of its seed and configuration, so rows are the same either
 *    way);
 *  - save: every seed's teacher in one checkpoint, rewritten atomically
 *    after each new teacher.  A file there already is added to when it
 *    holds teachers of this configuration, and refused otherwise: it is
 *    someone's work and never overwritten.  Loading and saving may name
 *    the same file.  A run saving to FILE holds FILE.lock's lock
 *    (base/lock.h) from teachers_open to teachers_close: a second run
 *    saving to FILE is refused at once, naming the first one's pid.  Only
 *    loading takes no lock (the file is replaced atomically, so a reader
 *    sees one whole version). */
#ifndef SUBLIM_TEACHERS_H
#define SUBLIM_TEACHERS_H

#include <stddef.h>
#include <stdint.h>
#include "base/err.h"
#include "nn/idx.h"
#include "run/checkpoint.h"
#include "run/experiment.h"

/* The save file's lock file is its name plus this. */
#define TEACHERS_LOCK_SUFFIX ".lock"

typedef struct {
    const char *load_path, *save_path; /* NULL: not asked for */
    int save_lock;                     /* the save file's lock; -1: none held */
    checkpoint load, save;
    size_t save_capacity;
    int save_failed;  /* saving stopped; save_error says why */
    err save_error;
} teachers;

/* The key of the teachers cfg trains on train. */
int teachers_key(checkpoint_key *key, const experiment_config *cfg, const dataset *train,
                 err *e);

/* Opens the files (either path may be NULL) for a run of cfg->seeds seeds,
 * taking the save file's lock.  A place --save-teacher cannot write is
 * refused now, not after a teacher has been trained for it. */
int teachers_open(teachers *t, const checkpoint_key *key, size_t seeds, const char *load_path,
                  const char *save_path, err *e);
void teachers_close(teachers *t);

/* 1 when a saved teacher of seed was copied into params and *loss. */
int teachers_load(teachers *t, uint64_t seed, float *params, double *loss);
/* 1 when the load file has a teacher of seed. */
int teachers_have(const teachers *t, uint64_t seed);
/* Puts a teacher in the save file (when saving) and rewrites it.  A
 * failure stops saving; teachers_status then reports it. */
void teachers_keep(teachers *t, uint64_t seed, const float *params, double loss);
/* 0, or -1 with why saving failed. */
int teachers_status(const teachers *t, err *e);

#endif
