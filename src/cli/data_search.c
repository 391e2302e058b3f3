/* Where sublim finds its data without --data, as an installed tool finds
 * its data (commands.h: cmd_find_data), and what it says when it is
 * nowhere. */
#include <stdio.h>
#include <stdlib.h>
#include "base/files.h"
#include "cli/commands.h"
#include "run/experiment.h"

/* The file whose presence says a folder holds the data (the first one read). */
#define DATA_PROBE "train-images-idx3-ubyte"

/* The user's data folder for a dataset's folder name,
 * ${XDG_DATA_HOME:-$HOME/.local/share}/sublim/NAME (a relative
 * XDG_DATA_HOME is ignored, as the XDG spec says), into buf; "" when HOME
 * is unset too, or the path does not fit. */
static void user_data_dir(char *buf, size_t size, const char *name)
{
    const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    int n = -1;
    if (xdg && xdg[0] == '/')
        n = snprintf(buf, size, "%s/sublim/%s", xdg, name);
    else if (home && home[0])
        n = snprintf(buf, size, "%s/.local/share/sublim/%s", home, name);
    if (n < 0 || (size_t)n >= size)
        buf[0] = '\0';
}

static int holds_data(const char *dir)
{
    char path[FILES_PATH_MAX];
    return dir[0] && files_join(path, sizeof path, dir, DATA_PROBE, NULL) == 0 &&
           files_exists(path);
}

void cmd_find_data(cmd_run_flags *rf, enum dataset_kind kind)
{
    const char *here = datasets_about(kind)->folder;
    const char *env = getenv("SUBLIM_DATA");
    rf->dataset = kind;
    if (rf->data_dir)
        return;
    if (kind == DATASET_MNIST && env && env[0]) {
        rf->data_dir = env; /* set on purpose: used even when it lacks the files */
        return;
    }
    user_data_dir(rf->data_found, sizeof rf->data_found, here);
    rf->data_dir = holds_data(here)               ? here
                   : holds_data(rf->data_found) ? rf->data_found
                                                : NULL;
}

/* The way to fetch the dataset: the fetch script's option, and, when the
 * dataset comes as a Debian package, the package. */
static void fetch_words(char *buf, size_t size, enum dataset_kind kind)
{
    const dataset_about *d = datasets_about(kind);
    const char *opt = kind == DATASET_MNIST ? "" : " --fashion";
    if (d->package)
        snprintf(buf, size, "'%s%s' (it copies Debian's package %s when installed: "
                            "apt-get install %s), or '%s%s DIR' and --data DIR",
                 CMD_FETCH_SCRIPT, opt, d->package, d->package, CMD_FETCH_SCRIPT, opt);
    else
        snprintf(buf, size, "'%s', or '%s DIR' and --data DIR (or SUBLIM_DATA=DIR)",
                 CMD_FETCH_SCRIPT, CMD_FETCH_SCRIPT);
}

/* Says that the data was found nowhere, where it was looked for, and how
 * to fetch it. */
static void tell_no_data(enum dataset_kind kind)
{
    const dataset_about *d = datasets_about(kind);
    char user[FILES_PATH_MAX], how[600];
    user_data_dir(user, sizeof user, d->folder);
    fetch_words(how, sizeof how, kind);
    fprintf(stderr,
            "sublim: no %s data: no --data given%s, and neither ./%s nor %s holds %s\n"
            "sublim: fetch and verify it with %s; in the repository, 'make data%s'\n",
            d->title, kind == DATASET_MNIST ? ", SUBLIM_DATA is not set" : "", d->folder,
            user[0] ? user : "the user's data folder (HOME is not set)", DATA_PROBE, how,
            kind == DATASET_MNIST ? "" : "-fashion");
}

int cmd_load_data(const cmd_run_flags *rf, dataset *train, dataset *test)
{
    err e;
    if (!rf->data_dir) {
        tell_no_data(rf->dataset);
        return -1;
    }
    if (dataset_load(train, rf->data_dir, "train", EXPERIMENT_CLASSES, &e) == 0) {
        if (dataset_load(test, rf->data_dir, "t10k", EXPERIMENT_CLASSES, &e) == 0)
            return 0;
        dataset_free(train);
    }
    const dataset_about *d = datasets_about(rf->dataset);
    fprintf(stderr, "sublim: %s\n(fetch and verify %s with '%s%s DIR', or 'make data%s' in the "
                    "repository)\n",
            e.msg, d->title, CMD_FETCH_SCRIPT, rf->dataset == DATASET_MNIST ? "" : " --fashion",
            rf->dataset == DATASET_MNIST ? "" : "-fashion");
    return -1;
}
