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
    const dataset_about *d = datasets_about(kind);
    const char *env = d->env ? getenv(d->env) : NULL;
    rf->dataset = kind;
    if (rf->data_dir)
        return;
    if (env && env[0]) {
        rf->data_dir = env; /* set on purpose: used even when it lacks the files */
        return;
    }
    user_data_dir(rf->data_found, sizeof rf->data_found, d->folder);
    rf->data_dir = holds_data(d->folder)           ? d->folder
                   : holds_data(rf->data_found) ? rf->data_found
                                                : NULL;
}

/* The way to fetch the dataset: the fetch script (with the dataset's
 * option), and where it comes from when a Debian package installs it. */
static void fetch_words(char *buf, size_t size, const dataset_about *d)
{
    if (d->package)
        snprintf(buf, size, "'%s%s' (it copies Debian's package %s when installed: "
                            "apt-get install %s), or '%s%s DIR' and --data DIR",
                 CMD_FETCH_SCRIPT, d->fetch, d->package, d->package, CMD_FETCH_SCRIPT,
                 d->fetch);
    else
        snprintf(buf, size, "'%s%s', or '%s%s DIR' and --data DIR%s%s%s", CMD_FETCH_SCRIPT,
                 d->fetch, CMD_FETCH_SCRIPT, d->fetch, d->env ? " (or " : "",
                 d->env ? d->env : "", d->env ? "=DIR)" : "");
}

/* Says that the data was found nowhere, where it was looked for, and how
 * to fetch it. */
static void tell_no_data(const dataset_about *d)
{
    char user[FILES_PATH_MAX], how[600];
    user_data_dir(user, sizeof user, d->folder);
    fetch_words(how, sizeof how, d);
    fprintf(stderr,
            "sublim: no %s data: no --data given%s%s%s, and neither ./%s nor %s holds %s\n"
            "sublim: fetch and verify it with %s; in the repository, 'make %s'\n",
            d->title, d->env ? ", " : "", d->env ? d->env : "", d->env ? " is not set" : "",
            d->folder, user[0] ? user : "the user's data folder (HOME is not set)", DATA_PROBE,
            how, d->make);
}

int cmd_load_other(enum student_input_kind kind, dataset *other)
{
    enum dataset_kind d;
    if (!student_inputs_dataset(kind, &d))
        return 0;
    cmd_run_flags rf = cmd_run_defaults();
    dataset test;
    cmd_find_data(&rf, d);
    if (!rf.data_dir) {
        /* --data names the run's own dataset, so the words of
         * tell_no_data would mislead here. */
        const dataset_about *about = datasets_about(d);
        char user[FILES_PATH_MAX];
        user_data_dir(user, sizeof user, about->folder);
        fprintf(stderr,
                "sublim: --student-inputs %s needs %s's training images, and neither ./%s "
                "nor %s holds %s%s%s%s\n"
                "sublim: fetch and verify them with '%s%s' (into the user's data folder%s%s%s); "
                "in the repository, 'make %s'\n",
                STUDENT_INPUT_NAMES[kind], about->title, about->folder,
                user[0] ? user : "the user's data folder (HOME is not set)", DATA_PROBE,
                about->env ? " (nor $" : "", about->env ? about->env : "",
                about->env ? ", which is not set)" : "", CMD_FETCH_SCRIPT, about->fetch,
                about->package ? "; it copies Debian's package " : "",
                about->package ? about->package : "", about->package ? " when installed" : "",
                about->make);
        return -1;
    }
    if (cmd_load_data(&rf, other, &test))
        return -1;
    dataset_free(&test);
    return 1;
}

int cmd_load_data(const cmd_run_flags *rf, dataset *train, dataset *test)
{
    err e;
    const dataset_about *d = datasets_about(rf->dataset);
    if (!rf->data_dir) {
        tell_no_data(d);
        return -1;
    }
    if (dataset_load(train, rf->data_dir, "train", EXPERIMENT_CLASSES, &e) == 0) {
        if (dataset_load(test, rf->data_dir, "t10k", EXPERIMENT_CLASSES, &e) == 0)
            return 0;
        dataset_free(train);
    }
    fprintf(stderr, "sublim: %s\n(fetch and verify %s with '%s%s DIR', or 'make %s' in the "
                    "repository)\n",
            e.msg, d->title, CMD_FETCH_SCRIPT, d->fetch, d->make);
    return -1;
}
