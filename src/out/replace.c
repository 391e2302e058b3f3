#include "out/replace.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/files.h"

/* buf = dir/sub/name; sub or name may be NULL (dir/name, dir/sub). */
static int path_of(char *buf, size_t size, const char *dir, const char *sub, const char *name,
                   err *e)
{
    char at[FILES_PATH_MAX];
    if (!sub || !name)
        return files_join(buf, size, dir, sub ? sub : name, e);
    return files_join(at, sizeof at, dir, sub, e) || files_join(buf, size, at, name, e) ? -1
                                                                                          : 0;
}

/* Calls each(dir, sub, entry) for every entry of dir/sub until a pass finds
 * none left (each one removes its entry; readdir need not show entries
 * removed while it reads, hence the passes).  A missing dir/sub is done. */
static int drain(const char *dir, const char *sub,
                 int (*each)(const char *dir, const char *sub, const char *name, err *e), err *e)
{
    char path[FILES_PATH_MAX];
    if (path_of(path, sizeof path, dir, sub, NULL, e))
        return -1;
    for (;;) {
        DIR *d = opendir(path);
        if (!d)
            return errno == ENOENT ? 0 : err_set(e, "%s: %s", path, strerror(errno));
        size_t handled = 0;
        int rc = 0;
        for (struct dirent *de; rc == 0 && (de = readdir(d));) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            rc = each(dir, sub, de->d_name, e);
            handled++;
        }
        closedir(d);
        if (rc)
            return -1;
        if (handled == 0)
            break;
    }
    if (rmdir(path) != 0 && errno != ENOENT)
        return err_set(e, "%s: cannot remove: %s", path, strerror(errno));
    return 0;
}

static int remove_entry(const char *dir, const char *sub, const char *name, err *e)
{
    char path[FILES_PATH_MAX];
    if (path_of(path, sizeof path, dir, sub, name, e))
        return -1;
    if (unlink(path) != 0 && errno != ENOENT)
        return err_set(e, "%s: cannot remove: %s", path, strerror(errno));
    return 0;
}

/* One entry of the journal into dir: a file moves in, NAME.gone removes
 * dir/NAME.  Then it has left the journal. */
static int switch_entry(const char *dir, const char *sub, const char *name, err *e)
{
    char from[FILES_PATH_MAX], to[FILES_PATH_MAX];
    size_t len = strlen(name), gone = strlen(REPLACE_GONE);
    if (path_of(from, sizeof from, dir, sub, name, e))
        return -1;
    if (len > gone && strcmp(name + len - gone, REPLACE_GONE) == 0) {
        snprintf(to, sizeof to, "%.*s", (int)(len - gone), name);
        return remove_entry(dir, NULL, to, e) || remove_entry(dir, sub, name, e) ? -1 : 0;
    }
    if (files_join(to, sizeof to, dir, name, e))
        return -1;
    if (rename(from, to) != 0)
        return err_set(e, "%s: cannot move into place: %s", from, strerror(errno));
    return 0;
}

int replace_begin(const char *dir, char *staging, size_t size, err *e)
{
    if (drain(dir, REPLACE_STAGING, remove_entry, e) ||
        path_of(staging, size, dir, REPLACE_STAGING, NULL, e))
        return -1;
    if (mkdir(staging, 0755) != 0)
        return err_set(e, "%s: cannot make: %s", staging, strerror(errno));
    return 0;
}

/* An empty staging/NAME.gone for each name staging lacks. */
static int mark_gone(const char *dir, const char *const *names, size_t n, err *e)
{
    char path[FILES_PATH_MAX], gone[FILES_PATH_MAX];
    for (size_t i = 0; i < n; i++) {
        if (path_of(path, sizeof path, dir, REPLACE_STAGING, names[i], e))
            return -1;
        if (files_exists(path))
            continue;
        if (strlen(path) + strlen(REPLACE_GONE) >= sizeof gone)
            return err_set(e, "path too long: %.200s...", path);
        snprintf(gone, sizeof gone, "%s" REPLACE_GONE, path);
        int fd = open(gone, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || close(fd) != 0)
            return err_set(e, "%s: cannot create: %s", gone, strerror(errno));
    }
    return 0;
}

int replace_commit(const char *dir, const char *const *names, size_t n, err *e)
{
    char staging[FILES_PATH_MAX], switching[FILES_PATH_MAX];
    if (path_of(staging, sizeof staging, dir, REPLACE_STAGING, NULL, e) ||
        path_of(switching, sizeof switching, dir, REPLACE_SWITCHING, NULL, e))
        return -1;
    if (mark_gone(dir, names, n, e)) {
        replace_abort(dir);
        return -1;
    }
    if (rename(staging, switching) != 0) {
        int saved = errno;
        replace_abort(dir);
        return err_set(e, "%s: cannot switch to the new files: %s; the old ones stay",
                       staging, strerror(saved));
    }
    err why;
    if (drain(dir, REPLACE_SWITCHING, switch_entry, &why))
        return err_set(e, "%.300s; the next sublim that opens %.150s completes the switch",
                       why.msg, dir);
    return 0;
}

int replace_recover(const char *dir, err *e)
{
    return drain(dir, REPLACE_STAGING, remove_entry, e) ||
                   drain(dir, REPLACE_SWITCHING, switch_entry, e)
               ? -1
               : 0;
}

int replace_pending(const char *dir)
{
    char path[FILES_PATH_MAX];
    return path_of(path, sizeof path, dir, REPLACE_SWITCHING, NULL, NULL) == 0 &&
           files_exists(path);
}

void replace_abort(const char *dir)
{
    err ignored;
    drain(dir, REPLACE_STAGING, remove_entry, &ignored);
}
