#include "base/atomic.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int atomic_open(atomic_file *af, const char *path, err *e)
{
    memset(af, 0, sizeof *af);
    if (strlen(path) >= sizeof af->path)
        return err_set(e, "path too long (%zu bytes): %.200s...", strlen(path), path);
    strcpy(af->path, path);
    snprintf(af->tmp, sizeof af->tmp, "%s" ATOMIC_TMP_SUFFIX "XXXXXX", path);
    int fd = mkstemp(af->tmp);
    if (fd < 0)
        return err_set(e, "%s: cannot create a temporary file: %s", path, strerror(errno));
    af->f = fdopen(fd, "w");
    if (!af->f) {
        int saved = errno; /* before close and unlink can change it */
        close(fd);
        unlink(af->tmp);
        return err_set(e, "%s: cannot open a temporary file: %s", path, strerror(saved));
    }
    return 0;
}

int atomic_commit(atomic_file *af, err *e)
{
    int failed = fflush(af->f) != 0 || ferror(af->f);
    int saved = errno;
    if (!failed && fsync(fileno(af->f)) != 0) {
        failed = 1;
        saved = errno;
    }
    if (fclose(af->f) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    af->f = NULL;
    /* mkstemp makes 0600 files; results are for everyone to read. */
    if (!failed && chmod(af->tmp, 0644) != 0) {
        failed = 1;
        saved = errno;
    }
    if (!failed && rename(af->tmp, af->path) != 0) {
        failed = 1;
        saved = errno;
    }
    if (failed) {
        unlink(af->tmp);
        return err_set(e, "%s: cannot write: %s", af->path, strerror(saved));
    }
    return 0;
}

void atomic_abort(atomic_file *af)
{
    if (af->f)
        fclose(af->f);
    af->f = NULL;
    unlink(af->tmp);
}

/* Removes dir's temporaries of name (of every file when name is NULL):
 * NAME.tmp.XXXXXX, exactly six characters after the suffix. */
static void remove_stale(const char *dir, const char *name)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    size_t suffix = strlen(ATOMIC_TMP_SUFFIX);
    struct dirent *de;
    char path[FILES_PATH_MAX];
    while ((de = readdir(d))) {
        const char *at = strstr(de->d_name, ATOMIC_TMP_SUFFIX);
        while (at && strstr(at + 1, ATOMIC_TMP_SUFFIX))
            at = strstr(at + 1, ATOMIC_TMP_SUFFIX); /* the last one */
        if (!at || at == de->d_name || strlen(at) != suffix + 6)
            continue;
        if (name && (strlen(name) != (size_t)(at - de->d_name) ||
                     strncmp(de->d_name, name, strlen(name)) != 0))
            continue;
        if (files_join(path, sizeof path, dir, de->d_name, NULL) == 0)
            unlink(path);
    }
    closedir(d);
}

void atomic_remove_stale(const char *path)
{
    char dir[FILES_PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    remove_stale(dir, slash ? slash + 1 : path);
}

void atomic_remove_stale_in(const char *dir)
{
    remove_stale(dir, NULL);
}
