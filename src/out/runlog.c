#include "out/runlog.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#ifdef __APPLE__
#include <sys/sysctl.h> /* cpu_name */
#endif
#include "base/atomic.h"
#include "base/pool.h"
#include "base/version.h"

void runlog_command_line(char *buf, size_t size, int argc, char **argv)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < argc && used < size; i++) {
        const char *a = argv[i];
        int plain = *a != '\0';
        for (const char *p = a; *p; p++)
            plain &= strchr("-_./=,:+@%0123456789abcdefghijklmnopqrstuvwxyz"
                            "ABCDEFGHIJKLMNOPQRSTUVWXYZ", *p) != NULL;
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? " " : "",
                                 plain ? a : "'");
        /* Quoted: a ' inside closes the quote, adds \' and opens another. */
        for (const char *p = a; !plain && *p && used < size; p++)
            used += (size_t)(*p == '\'' ? snprintf(buf + used, size - used, "'\\''")
                                         : snprintf(buf + used, size - used, "%c", *p));
        if (!plain && used < size)
            used += (size_t)snprintf(buf + used, size - used, "'");
    }
}

/* The CPU's model name: sysctl's brand string on macOS, /proc/cpuinfo's
 * model name elsewhere (Linux on x86 has one; ARM boards often do not);
 * failing those, the machine type uname gives ("aarch64"), or "unknown". */
static void cpu_name(kv_list *run, const char *machine)
{
    char name[256] = "";
#ifdef __APPLE__
    size_t size = sizeof name;
    if (sysctlbyname("machdep.cpu.brand_string", name, &size, NULL, 0) != 0)
        name[0] = '\0';
    name[sizeof name - 1] = '\0';
#else
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    while (f && !name[0] && fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) != 0 || !colon)
            continue;
        colon++;
        while (*colon == ' ' || *colon == '\t')
            colon++;
        colon[strcspn(colon, "\n")] = '\0';
        snprintf(name, sizeof name, "%s", colon);
    }
    if (f)
        fclose(f);
#endif
    kv_set(run, "cpu", name[0] ? name : machine && machine[0] ? machine : "unknown");
}

void runlog_make(kv_list *run, int argc, char **argv, const char *data_dir, const char *seeds,
                 size_t threads, const char *kernels)
{
    char buf[448];
    memset(run, 0, sizeof *run);
    runlog_command_line(buf, sizeof buf, argc, argv);
    kv_set(run, "command", buf);
    kv_set(run, "version", SUBLIM_VERSION);
    kv_set(run, "data", data_dir);
    kv_set(run, "seeds", seeds);
    snprintf(buf, sizeof buf, "%zu", threads);
    kv_set(run, "threads", buf);
    kv_set(run, "kernels", kernels);
    struct utsname u;
    int named = uname(&u) == 0;
    if (named) {
        snprintf(buf, sizeof buf, "%s %s %s", u.sysname, u.release, u.machine);
        kv_set(run, "machine", buf);
    }
    snprintf(buf, sizeof buf, "%zu", pool_online_cores());
    kv_set(run, "cores", buf);
    cpu_name(run, named ? u.machine : NULL);
    kv_set(run, "wall_seconds", "-");
    kv_set(run, "status", "running");
}

void runlog_finish(kv_list *run, double wall_seconds, const char *status)
{
    char v[64];
    snprintf(v, sizeof v, "%.1f", wall_seconds);
    kv_set(run, "wall_seconds", v);
    kv_set(run, "status", status);
}

int runlog_write(const char *path, const kv_list *runs, size_t n, err *e)
{
    atomic_file af;
    if (atomic_open(&af, path, e))
        return -1;
    fprintf(af.f, "# sublim: how each run that produced rows of results.csv went.\n"
                  "# Not derivable from results.csv; report.md quotes it.\n");
    for (size_t i = 0; i < n; i++) {
        fprintf(af.f, "[run]\n");
        kv_write(af.f, &runs[i]);
    }
    return atomic_commit(&af, e);
}

int runlog_read(const char *path, kv_list **runs, size_t *n, err *e)
{
    return kv_read_file(path, "run", runs, n, e);
}

void runlog_totals(const kv_list *runs, size_t n, size_t *threads, const char **kernels,
                   double *wall_seconds)
{
    *threads = 0;
    *kernels = "unknown";
    *wall_seconds = 0;
    for (size_t r = 0; r < n; r++) {
        const char *t = kv_get(&runs[r], "threads");
        const char *k = kv_get(&runs[r], "kernels");
        const char *w = kv_get(&runs[r], "wall_seconds");
        size_t tv = t ? strtoull(t, NULL, 10) : 0;
        *threads = r == 0 || *threads == tv ? tv : 0;
        if (!k)
            k = "unknown";
        *kernels = r == 0 || strcmp(*kernels, k) == 0 ? k : "mixed";
        *wall_seconds += w ? strtod(w, NULL) : 0;
    }
}
