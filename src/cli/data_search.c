/* Where sublim finds MNIST without --data, as an installed tool finds its
 * data (commands.h: cmd_find_data), and what it says when it is nowhere. */
#include <stdio.h>
#include <stdlib.h>
#include "base/files.h"
#include "cli/commands.h"
#include "run/experiment.h"

/* The data folder in the current one, the repository's layout. */
#define DATA_HERE "mnist"
/* The file whose presence says a folder holds MNIST (the first one read). */
#define DATA_PROBE "train-images-idx3-ubyte"

/* The user's data folder, ${XDG_DATA_HOME:-$HOME/.local/share}/sublim/mnist
 * (a relative XDG_DATA_HOME is ignored, as the XDG spec says), into buf;
 * "" when HOME is unset too, or the path does not fit. */
static void user_data_dir(char *buf, size_t size)
{
    const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    int n = -1;
    if (xdg && xdg[0] == '/')
        n = snprintf(buf, size, "%s/sublim/mnist", xdg);
    else if (home && home[0])
        n = snprintf(buf, size, "%s/.local/share/sublim/mnist", home);
    if (n < 0 || (size_t)n >= size)
        buf[0] = '\0';
}

static int holds_mnist(const char *dir)
{
    char path[FILES_PATH_MAX];
    return dir[0] && files_join(path, sizeof path, dir, DATA_PROBE, NULL) == 0 &&
           files_exists(path);
}

void cmd_find_data(cmd_run_flags *rf)
{
    const char *env = getenv("SUBLIM_DATA");
    if (rf->data_dir)
        return;
    if (env && env[0]) {
        rf->data_dir = env; /* set on purpose: used even when it lacks the files */
        return;
    }
    user_data_dir(rf->data_found, sizeof rf->data_found);
    rf->data_dir = holds_mnist(DATA_HERE)           ? DATA_HERE
                   : holds_mnist(rf->data_found) ? rf->data_found
                                                 : NULL;
}

/* Says that MNIST was found nowhere, where it was looked for, and how to
 * fetch it. */
static void tell_no_data(void)
{
    char user[FILES_PATH_MAX];
    user_data_dir(user, sizeof user);
    fprintf(stderr,
            "sublim: no MNIST data: no --data given, SUBLIM_DATA is not set, and neither "
            "./%s nor %s holds %s\n"
            "sublim: fetch and verify it with '%s' (into %s), or '%s DIR' and --data DIR "
            "(or SUBLIM_DATA=DIR); in the repository, 'make data'\n",
            DATA_HERE, user[0] ? user : "the user's data folder (HOME is not set)", DATA_PROBE,
            CMD_FETCH_SCRIPT, user[0] ? user : "$XDG_DATA_HOME/sublim/mnist", CMD_FETCH_SCRIPT);
}

int cmd_load_mnist(const char *dir, dataset *train, dataset *test)
{
    err e;
    if (!dir) {
        tell_no_data();
        return -1;
    }
    if (dataset_load(train, dir, "train", EXPERIMENT_CLASSES, &e) == 0) {
        if (dataset_load(test, dir, "t10k", EXPERIMENT_CLASSES, &e) == 0)
            return 0;
        dataset_free(train);
    }
    fprintf(stderr, "sublim: %s\n(fetch and verify MNIST with '%s DIR', or 'make data' in the "
                    "repository)\n",
            e.msg, CMD_FETCH_SCRIPT);
    return -1;
}
