/* Interim pool: runs every task on the calling thread. */
#include "pool.h"
#include <stdlib.h>
#include <unistd.h>

struct pool { size_t n_threads; };

pool *pool_create(size_t n_threads)
{
    pool *p = malloc(sizeof *p);
    if (p) p->n_threads = n_threads ? n_threads : 1;
    return p;
}
void pool_free(pool *p) { free(p); }
size_t pool_threads(const pool *p) { return p ? p->n_threads : 1; }
void pool_run(pool *p, pool_task_fn *fn, void *ctx, size_t n_tasks)
{
    (void)p;
    for (size_t t = 0; t < n_tasks; t++) fn(ctx, t);
}
size_t pool_online_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (size_t)n : 1;
}
