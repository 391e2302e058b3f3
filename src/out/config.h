/* config: config.txt, what a result folder's rows depend on.
 *
 * Every setting of experiment_settings() except those that only pick the
 * seeds (the seeds are the rows), as key=value in the table's order; then
 * the data actually read, data_read.train and data_read.test (the SHA-256
 * of each set's bytes, dataset_sha256; and data_read.student_inputs, the
 * other dataset's training set, when the students imitated on it); then every entry of the data
 * folder's SHA256SUMS (data.<file>=<sha256>; data=unverified when there is
 * none), the published sums of what the data was unpacked from.  Resume
 * and merge join only folders whose config.txt agree key for key, so rows
 * made from other data never join, whatever SHA256SUMS says. */
#ifndef SUBLIM_CONFIG_H
#define SUBLIM_CONFIG_H

#include "base/err.h"
#include "base/sha256.h"
#include "nn/idx.h"
#include "out/kv.h"
#include "run/experiment.h"

#define CONFIG_DATA_READ_TRAIN "data_read.train"
#define CONFIG_DATA_READ_TEST "data_read.test"
/* With --student-inputs mnist|fashion: the other dataset's training set. */
#define CONFIG_DATA_READ_INPUTS "data_read.student_inputs"
#define CONFIG_DATA_SUM "data." /* + a file name of SHA256SUMS */
/* SHA256SUMS entries config.txt keeps (each one, or the run is refused). */
#define CONFIG_MAX_DATA_SUMS 200

/* The data a run read: the SHA-256 of its training and of its test set,
 * and of the other dataset's training set its students imitated on ("":
 * none). */
typedef struct {
    char train[SHA256_HEX], test[SHA256_HEX], inputs[SHA256_HEX];
} config_data;

/* other may be NULL. */
void config_data_of(config_data *d, const dataset *train, const dataset *test,
                    const dataset *other);
/* Records d in k: config.txt's list, or a run's block of run.txt. */
void config_data_set(kv_list *k, const config_data *d);
/* Refuses a folder whose runs (run.txt's blocks, from runs_path) did not
 * all read the data its config.txt records; a folder made before sublim
 * recorded the data read has it nowhere and passes. */
int config_check_runs(const kv_list *config, const kv_list *runs, size_t n_runs,
                      const char *runs_path, err *e);

/* The lines config.txt holds for cfg on data, read from data_dir; -1 when
 * its SHA256SUMS cannot be read or holds what config.txt cannot keep. */
int config_make(kv_list *out, const experiment_config *cfg, const config_data *data,
                const char *data_dir, err *e);

int config_write(const char *path, const kv_list *config, err *e);
int config_read(const char *path, kv_list *config, err *e);

/* Sets cfg's settings from config (checking each like its flag); the
 * seeds and cfg->curves keep their values.  Names the key on a missing or
 * malformed value. */
int config_apply(const kv_list *config, const char *path, experiment_config *cfg, err *e);

/* The flag that sets a config.txt key ("--student-epochs"), "(fixed)" for
 * a setting no flag sets, "" for other keys (the data's). */
void config_flag_of(const char *key, char *buf, size_t size);

#endif
