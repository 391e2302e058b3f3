/* pool: a small persistent POSIX-thread pool.
 *
 * pool_run(p, fn, ctx, ntasks) calls fn(ctx, task) once for every task in
 * [0, ntasks) and returns when all are done.  Tasks are independent by
 * contract (each writes its own outputs), so which thread runs which task
 * never changes a result: that is how sublim stays bit-identical at any
 * thread count.  A NULL pool, or a pool of one thread, runs the tasks in
 * order on the calling thread. */
#ifndef SUBLIM_POOL_H
#define SUBLIM_POOL_H

#include <stddef.h>

typedef struct pool pool;
typedef void pool_task_fn(void *ctx, size_t task);

/* Returns NULL when threads cannot be created (errno is kept). */
pool *pool_create(size_t n_threads);
void pool_free(pool *p);
size_t pool_threads(const pool *p); /* 1 for NULL */
void pool_run(pool *p, pool_task_fn *fn, void *ctx, size_t n_tasks);

/* Number of online cores, at least 1. */
size_t pool_online_cores(void);

#endif
