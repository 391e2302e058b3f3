/* config: config.txt, the settings a result folder's rows depend on.
 *
 * Every setting of experiment_settings() except those that only pick the
 * seeds (the seeds are the rows), as key=value in the table's order, then
 * every entry of the data folder's SHA256SUMS (data.<file>=<sha256>;
 * data=unverified when there is none).  Resume and merge join only folders
 * whose config.txt agree key for key. */
#ifndef SUBLIM_CONFIG_H
#define SUBLIM_CONFIG_H

#include "base/err.h"
#include "out/kv.h"
#include "run/experiment.h"

#define CONFIG_DATA_SUM "data." /* + a file name of SHA256SUMS */
/* SHA256SUMS entries config.txt keeps (each one, or the run is refused). */
#define CONFIG_MAX_DATA_SUMS 200

/* The lines config.txt holds for cfg on the data in data_dir; -1 when its
 * SHA256SUMS cannot be read or holds what config.txt cannot keep. */
int config_make(kv_list *out, const experiment_config *cfg, const char *data_dir, err *e);

int config_write(const char *path, const kv_list *config, err *e);
int config_read(const char *path, kv_list *config, err *e);

/* Sets cfg's settings from config (checking each like its flag); the
 * seeds and cfg->curves keep their values.  Names the key on a missing or
 * malformed value. */
int config_apply(const kv_list *config, const char *path, experiment_config *cfg, err *e);

/* The flag that sets a config.txt key ("--student-epochs"), "(fixed)" for
 * a setting no flag sets, "" for other keys (the data's sums). */
void config_flag_of(const char *key, char *buf, size_t size);

#endif
