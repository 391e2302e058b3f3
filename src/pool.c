/* pool: a persistent POSIX-thread pool (see pool.h).
 *
 * pool_create(n) starts n-1 workers; the thread that calls pool_run is the
 * n-th and takes tasks too.  A run is published as a new generation number:
 * the caller stores the job (fn, ctx, n_tasks) and then bumps `gen` under the
 * mutex; workers either notice the bump while spinning or are woken by the
 * condition variable.  Every participant then takes task indices from the
 * atomic counter `next` until they run out, so each task runs exactly once.
 * The caller returns when the `pending` count of workers reaches zero, i.e.
 * every worker has finished its last task of this generation.
 *
 * Spin, then sleep: a worker spins for a few tens of microseconds after a
 * run before it sleeps on the condition variable, and so does the caller
 * while it waits for the last worker.  The training loop calls the kernels
 * back to back, so most wake-ups cost a cache-line transfer instead of a
 * futex round trip; an idle pool still sleeps and costs nothing.
 *
 * No state outside the struct: any number of pools may coexist.  pool_run
 * is not reentrant (a task must not call pool_run on its own pool) and a
 * pool is driven by one calling thread at a time. */
#include "pool.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

/* Spin iterations before sleeping.  One iteration is a relaxed load plus a
 * pause instruction (about 10-40 ns on current x86 cores), so this is a few
 * tens of microseconds: longer than a kernel call's gap in training, short
 * enough not to burn a core when the pool is idle. */
enum { POOL_SPIN = 4000 };

/* Worker stack: the kernels keep packed panels (a few hundred KiB) on the
 * stack of whichever thread runs a task. */
enum { POOL_STACK_BYTES = 8u << 20 };

struct pool {
    size_t n_threads;          /* workers + the calling thread, >= 1 */
    size_t n_workers;          /* threads actually started */
    pthread_t *workers;        /* [n_threads - 1] */
    pthread_mutex_t mu;
    pthread_cond_t wake;       /* workers: a new generation (or stop) */
    pthread_cond_t done;       /* caller: pending dropped to zero */
    /* The current job; written by the caller before `gen` is bumped. */
    pool_task_fn *fn;
    void *ctx;
    size_t n_tasks;
    atomic_size_t next;        /* next task index to hand out */
    atomic_size_t pending;     /* workers still busy with this generation */
    atomic_uint gen;           /* run counter; a change means "new job" */
    atomic_int stop;           /* set once, by pool_free */
};

static inline void cpu_relax(void)
{
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
    __builtin_ia32_pause();
#endif
}

/* Takes tasks from the shared counter until none is left. */
static void take_tasks(pool *p)
{
    pool_task_fn *fn = p->fn;
    void *ctx = p->ctx;
    size_t n = p->n_tasks;
    for (;;) {
        size_t t = atomic_fetch_add_explicit(&p->next, 1, memory_order_relaxed);
        if (t >= n)
            break;
        fn(ctx, t);
    }
}

/* Waits until `gen` differs from `seen`; returns the new generation. */
static unsigned wait_generation(pool *p, unsigned seen)
{
    for (int i = 0; i < POOL_SPIN; i++) {
        unsigned g = atomic_load_explicit(&p->gen, memory_order_acquire);
        if (g != seen)
            return g;
        cpu_relax();
    }
    unsigned g;
    pthread_mutex_lock(&p->mu);
    while ((g = atomic_load_explicit(&p->gen, memory_order_acquire)) == seen)
        pthread_cond_wait(&p->wake, &p->mu);
    pthread_mutex_unlock(&p->mu);
    return g;
}

static void *worker_main(void *arg)
{
    pool *p = arg;
    unsigned seen = 0;
    for (;;) {
        seen = wait_generation(p, seen);
        if (atomic_load_explicit(&p->stop, memory_order_acquire))
            return NULL;
        take_tasks(p);
        /* acq_rel: our tasks' writes happen before the caller's return. */
        if (atomic_fetch_sub_explicit(&p->pending, 1, memory_order_acq_rel) == 1) {
            pthread_mutex_lock(&p->mu);
            pthread_cond_broadcast(&p->done);
            pthread_mutex_unlock(&p->mu);
        }
    }
}

/* Publishes a new generation (job or stop) and wakes sleeping workers. */
static void publish(pool *p)
{
    pthread_mutex_lock(&p->mu);
    atomic_fetch_add_explicit(&p->gen, 1, memory_order_release);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mu);
}

static void stop_workers(pool *p)
{
    atomic_store_explicit(&p->stop, 1, memory_order_release);
    publish(p);
    for (size_t i = 0; i < p->n_workers; i++)
        pthread_join(p->workers[i], NULL);
    p->n_workers = 0;
}

pool *pool_create(size_t n_threads)
{
    if (n_threads == 0)
        n_threads = 1;
    pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->n_threads = n_threads;
    atomic_init(&p->next, 0);
    atomic_init(&p->pending, 0);
    atomic_init(&p->gen, 0);
    atomic_init(&p->stop, 0);
    if (n_threads == 1)
        return p;

    int err = 0;
    p->workers = calloc(n_threads - 1, sizeof *p->workers);
    if (!p->workers) {
        free(p);
        return NULL;
    }
    if ((err = pthread_mutex_init(&p->mu, NULL)) != 0)
        goto fail_mu;
    if ((err = pthread_cond_init(&p->wake, NULL)) != 0)
        goto fail_wake;
    if ((err = pthread_cond_init(&p->done, NULL)) != 0)
        goto fail_done;

    pthread_attr_t attr;
    if ((err = pthread_attr_init(&attr)) != 0)
        goto fail_attr;
    size_t stack = 0;
    if (pthread_attr_getstacksize(&attr, &stack) == 0 && stack < POOL_STACK_BYTES)
        pthread_attr_setstacksize(&attr, POOL_STACK_BYTES);
    for (size_t i = 0; i < n_threads - 1; i++) {
        if ((err = pthread_create(&p->workers[i], &attr, worker_main, p)) != 0)
            break;
        p->n_workers++;
    }
    pthread_attr_destroy(&attr);
    if (err == 0)
        return p;
    stop_workers(p);
fail_attr:
    pthread_cond_destroy(&p->done);
fail_done:
    pthread_cond_destroy(&p->wake);
fail_wake:
    pthread_mutex_destroy(&p->mu);
fail_mu:
    free(p->workers);
    free(p);
    errno = err;
    return NULL;
}

void pool_free(pool *p)
{
    if (!p)
        return;
    if (p->n_threads > 1) {
        stop_workers(p);
        pthread_cond_destroy(&p->done);
        pthread_cond_destroy(&p->wake);
        pthread_mutex_destroy(&p->mu);
    }
    free(p->workers);
    free(p);
}

size_t pool_threads(const pool *p) { return p ? p->n_threads : 1; }

void pool_run(pool *p, pool_task_fn *fn, void *ctx, size_t n_tasks)
{
    if (!p || p->n_threads == 1 || n_tasks <= 1) {
        for (size_t t = 0; t < n_tasks; t++)
            fn(ctx, t);
        return;
    }
    p->fn = fn;
    p->ctx = ctx;
    p->n_tasks = n_tasks;
    atomic_store_explicit(&p->next, 0, memory_order_relaxed);
    atomic_store_explicit(&p->pending, p->n_workers, memory_order_relaxed);
    publish(p);              /* release: the job above is visible */
    take_tasks(p);

    for (int i = 0; i < POOL_SPIN; i++) {
        if (atomic_load_explicit(&p->pending, memory_order_acquire) == 0)
            return;
        cpu_relax();
    }
    pthread_mutex_lock(&p->mu);
    while (atomic_load_explicit(&p->pending, memory_order_acquire) != 0)
        pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

size_t pool_online_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (size_t)n : 1;
}
