#include "base/atomic.h"
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
    snprintf(af->tmp, sizeof af->tmp, "%s.tmp.XXXXXX", path);
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

int ensure_dir(const char *dir, err *e)
{
    if (mkdir(dir, 0755) == 0 || errno == EEXIST) {
        struct stat st;
        if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
            return 0;
        return err_set(e, "%s: exists and is not a folder", dir);
    }
    return err_set(e, "%s: cannot create the folder: %s", dir, strerror(errno));
}
