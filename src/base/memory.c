#include "base/memory.h"
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

/* Lowers *m to the soft limit of resource, when that is set and lower. */
static void lower_to_rlimit(memory_limit *m, int resource, const char *what)
{
    struct rlimit r;
    if (getrlimit(resource, &r) != 0 || r.rlim_cur == RLIM_INFINITY)
        return;
    if (m->bytes == 0 || (size_t)r.rlim_cur < m->bytes)
        *m = (memory_limit){(size_t)r.rlim_cur, what};
}

memory_limit memory_available(void)
{
    memory_limit m = {0, "physical memory"};
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page > 0)
        m.bytes = (size_t)pages * (size_t)page;
    lower_to_rlimit(&m, RLIMIT_AS, "address-space limit (ulimit -v)");
    lower_to_rlimit(&m, RLIMIT_DATA, "data-size limit (ulimit -d)");
    return m;
}

void memory_format(char *buf, size_t size, double bytes)
{
    if (bytes >= 1e9)
        snprintf(buf, size, "%.2f GB", bytes / 1e9);
    else
        snprintf(buf, size, "%.1f MB", bytes / 1e6);
}
