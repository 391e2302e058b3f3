/* Fuzz target: the config.txt reader (used by report, merge and --resume),
 * then what is done with what it read: applied to a configuration and
 * compared with another.  The same bytes also serve as a data folder's
 * SHA256SUMS, which the experiment reads into its config.txt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzz_input.h"
#include "out/config.h"
#include "out/kv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The file at path as config.txt, then as a data folder's SHA256SUMS. */
static void check(const char *path)
{
    err e;
    kv_list config, made;
    const config_data data_read = {"", ""};
    if (config_read(path, &config, &e) == 0) {
        if (config.n > KV_MAX_KEYS)
            abort();
        for (size_t i = 0; i < config.n; i++)
            if (!memchr(config.kv[i].key, '\0', sizeof config.kv[i].key) ||
                !memchr(config.kv[i].value, '\0', sizeof config.kv[i].value) ||
                strchr(config.kv[i].value, '\n'))
                abort(); /* a key or value that is not one line of text */
        experiment_config cfg = experiment_defaults();
        if (config_apply(&config, path, &cfg, &e) == 0 && !(cfg.lr > 0))
            abort(); /* apply promised a positive learning rate */
        char flag[64];
        for (size_t i = 0; i < config.n; i++)
            config_flag_of(config.kv[i].key, flag, sizeof flag);
        config_make(&made, &cfg, &data_read, "/nonexistent", NULL);
        kv_compare(&config, path, &made, "made", &e);
        if (kv_compare(&config, path, &config, path, &e) != 0)
            abort(); /* a configuration always agrees with itself */
    }
    /* As SHA256SUMS: "data.<name>" keys, each value 64 hex digits. */
    char dir[64], sums[96];
    snprintf(dir, sizeof dir, "/tmp/sublim-fuzzsums-XXXXXX");
    if (mkdtemp(dir)) {
        snprintf(sums, sizeof sums, "%s/SHA256SUMS", dir);
        if (rename(path, sums) == 0) {
            experiment_config cfg = experiment_defaults();
            if (config_make(&made, &cfg, &data_read, dir, &e) == 0) {
                for (size_t i = 0; i < made.n; i++)
                    if (strncmp(made.kv[i].key, "data.", 5) == 0 &&
                        strlen(made.kv[i].value) != 64)
                        abort();
                kv_compare(&made, "made", &made, "made", &e);
            }
            unlink(sums);
        }
        rmdir(dir);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_on_file(data, size, check);
}
