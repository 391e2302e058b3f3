/* pool: a persistent POSIX-thread pool (see pool.h).
 *
 * pool_create(n) starts n-1 workers; the thread that calls pool_run is the
 * n-th and takes tasks too.  Tasks are handed out one at a time from a
 * shared 64-bit ticket = (generation << 32) | next task index:
 *
 *   - pool_run marks the ticket "being written" (odd generation), stores the
 *     job (fn, ctx, n_tasks), then publishes generation+2 with index 0 and
 *     wakes any sleeping worker;
 *   - a participant reads the job between two reads of the ticket (a
 *     seqlock: equal even generations mean the job it read is that one) and
 *     then claims indices with compare-and-swap on the ticket, which fails
 *     once the generation moved on, so each task runs exactly once and a
 *     late worker never touches a finished job;
 *   - pool_run returns when `done` reaches n_tasks.  It waits only for tasks
 *     that were claimed, never for a worker that has not woken up yet --
 *     which matters on a shared machine where a worker can be descheduled
 *     for a whole time slice.
 *
 * Spin, then sleep: a worker spins about 100 us after a run before it sleeps
 * on a condition variable, and so does the caller while it waits for the
 * last task.  The training loop calls the kernels back to back, so most
 * hand-offs cost a cache-line transfer rather than a futex round trip; an
 * idle pool sleeps and costs nothing.  A pool with more threads than online
 * cores does not spin (a spinning thread would hold a core the working ones
 * need).  Sleeping uses the usual flag-then-check handshake (a store, a
 * full fence, then a load, on both sides; broadcast under the mutex), so no
 * wake-up is lost.  The fences are explicit: sequentially consistent
 * atomics alone order a store before a later load in the C model, but
 * qemu-user runs arm64's store-release then load-acquire on an x86 host
 * without that order, and a lost wake-up hung 1 run of test_pool in 40
 * there; a fence is a full barrier everywhere.
 *
 * No state outside the struct: any number of pools may coexist.  pool_run
 * is not reentrant (a task must not call pool_run on its own pool) and a
 * pool is driven by one calling thread at a time. */
#include "base/pool.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

/* Spin iterations before sleeping: a relaxed load plus a pause instruction
 * each, 25 ns on the EPYC this was tuned on (10-40 ns on x86 cores). */
enum { POOL_SPIN = 4000 };

/* Worker stack: the kernels keep packed panels (a few hundred KiB) on the
 * stack of whichever thread runs a task. */
enum { POOL_STACK_BYTES = 8u << 20 };

#define GEN(t) ((uint32_t)((t) >> 32))
#define IDX(t) ((uint32_t)(t))

struct pool {
    size_t n_threads;                 /* workers + the calling thread, >= 1 */
    size_t n_workers;                 /* workers actually started */
    pthread_t *workers;               /* [n_threads - 1] */
    int spin;                         /* spin iterations before sleeping */
    pthread_mutex_t mu;
    pthread_cond_t wake;              /* workers: new generation or stop */
    pthread_cond_t finished;          /* caller: done reached n_tasks */
    _Atomic uint64_t ticket;          /* (generation << 32) | next index */
    _Atomic(pool_task_fn *) fn;       /* the job, valid for an even generation */
    _Atomic(void *) ctx;
    atomic_size_t n_tasks;
    atomic_size_t done;               /* tasks finished in this generation */
    atomic_int sleepers;              /* workers inside the sleep handshake */
    atomic_int caller_waiting;        /* caller inside the sleep handshake */
    atomic_int stop;                  /* set once, by pool_free */
};

/* One spin iteration.  Every 32nd yields the core: when the scheduler has
 * put a spinning thread on the same core as a working one (a busy machine),
 * the working one gets it back within a couple of microseconds. */
static inline void spin_pause(int i)
{
    if (i % 32 == 31) {
        sched_yield();
        return;
    }
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
    __builtin_ia32_pause();
#endif
}

/* Runs tasks of generation gen until none is left (or gen is over).  The
 * job was read by the caller of this function and belongs to gen. */
static void take_tasks(pool *p, uint32_t gen, pool_task_fn *fn, void *ctx, size_t n)
{
    uint64_t t = atomic_load_explicit(&p->ticket, memory_order_relaxed);
    while (GEN(t) == gen && IDX(t) < n) {
        if (!atomic_compare_exchange_weak_explicit(&p->ticket, &t, t + 1,
                                                   memory_order_acquire,
                                                   memory_order_relaxed))
            continue; /* t was reloaded */
        fn(ctx, IDX(t));
        size_t d = atomic_fetch_add_explicit(&p->done, 1, memory_order_seq_cst) + 1;
        atomic_thread_fence(memory_order_seq_cst); /* done, then caller_waiting */
        if (d == n && atomic_load_explicit(&p->caller_waiting, memory_order_seq_cst)) {
            pthread_mutex_lock(&p->mu);
            pthread_cond_broadcast(&p->finished);
            pthread_mutex_unlock(&p->mu);
        }
        t = atomic_load_explicit(&p->ticket, memory_order_relaxed);
    }
}

/* Waits until the ticket's generation is even and differs from seen (or
 * stop is set); returns that ticket. */
static uint64_t wait_ticket(pool *p, uint32_t seen)
{
    for (int i = 0; i < p->spin; i++) {
        uint64_t t = atomic_load_explicit(&p->ticket, memory_order_acquire);
        if ((GEN(t) != seen && GEN(t) % 2 == 0) ||
            atomic_load_explicit(&p->stop, memory_order_relaxed))
            return t;
        spin_pause(i);
    }
    pthread_mutex_lock(&p->mu);
    atomic_fetch_add_explicit(&p->sleepers, 1, memory_order_seq_cst);
    atomic_thread_fence(memory_order_seq_cst); /* sleepers, then the ticket */
    uint64_t t;
    for (;;) {
        t = atomic_load_explicit(&p->ticket, memory_order_seq_cst);
        if ((GEN(t) != seen && GEN(t) % 2 == 0) ||
            atomic_load_explicit(&p->stop, memory_order_seq_cst))
            break;
        pthread_cond_wait(&p->wake, &p->mu);
    }
    atomic_fetch_sub_explicit(&p->sleepers, 1, memory_order_relaxed);
    pthread_mutex_unlock(&p->mu);
    return t;
}

static void *worker_main(void *arg)
{
    pool *p = arg;
    uint32_t seen = 0;
    for (;;) {
        uint64_t t1 = wait_ticket(p, seen);
        if (atomic_load_explicit(&p->stop, memory_order_acquire))
            return NULL;
        /* seqlock read of the job: valid if the generation did not move */
        pool_task_fn *fn = atomic_load_explicit(&p->fn, memory_order_relaxed);
        void *ctx = atomic_load_explicit(&p->ctx, memory_order_relaxed);
        size_t n = atomic_load_explicit(&p->n_tasks, memory_order_relaxed);
        atomic_thread_fence(memory_order_acquire);
        uint64_t t2 = atomic_load_explicit(&p->ticket, memory_order_relaxed);
        seen = GEN(t1);
        if (GEN(t2) == seen)
            take_tasks(p, seen, fn, ctx, n);
    }
}

/* Wakes sleeping workers after the ticket changed (or stop was set). */
static void wake_workers(pool *p)
{
    atomic_thread_fence(memory_order_seq_cst); /* the ticket, then sleepers */
    if (atomic_load_explicit(&p->sleepers, memory_order_seq_cst) > 0) {
        pthread_mutex_lock(&p->mu);
        pthread_cond_broadcast(&p->wake);
        pthread_mutex_unlock(&p->mu);
    }
}

static void stop_workers(pool *p)
{
    atomic_store_explicit(&p->stop, 1, memory_order_seq_cst);
    pthread_mutex_lock(&p->mu);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mu);
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
    p->spin = n_threads <= pool_online_cores() ? POOL_SPIN : 0;
    atomic_init(&p->ticket, 0);
    atomic_init(&p->fn, NULL);
    atomic_init(&p->ctx, NULL);
    atomic_init(&p->n_tasks, 0);
    atomic_init(&p->done, 0);
    atomic_init(&p->sleepers, 0);
    atomic_init(&p->caller_waiting, 0);
    atomic_init(&p->stop, 0);
    if (n_threads == 1)
        return p;

    int err;
    p->workers = calloc(n_threads - 1, sizeof *p->workers);
    if (!p->workers) {
        free(p);
        return NULL;
    }
    if ((err = pthread_mutex_init(&p->mu, NULL)) != 0)
        goto fail_mu;
    if ((err = pthread_cond_init(&p->wake, NULL)) != 0)
        goto fail_wake;
    if ((err = pthread_cond_init(&p->finished, NULL)) != 0)
        goto fail_finished;

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
    pthread_cond_destroy(&p->finished);
fail_finished:
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
        pthread_cond_destroy(&p->finished);
        pthread_cond_destroy(&p->wake);
        pthread_mutex_destroy(&p->mu);
    }
    free(p->workers);
    free(p);
}

size_t pool_threads(const pool *p) { return p ? p->n_threads : 1; }

void pool_run(pool *p, pool_task_fn *fn, void *ctx, size_t n_tasks)
{
    if (!p || p->n_threads == 1 || n_tasks <= 1 || n_tasks > UINT32_MAX) {
        for (size_t t = 0; t < n_tasks; t++)
            fn(ctx, t);
        return;
    }
    /* Every task of the previous generation is finished, so nobody reads
     * the job while it is rewritten under an odd generation. */
    uint32_t gen = GEN(atomic_load_explicit(&p->ticket, memory_order_relaxed));
    atomic_store_explicit(&p->ticket, (uint64_t)(gen + 1) << 32, memory_order_relaxed);
    atomic_thread_fence(memory_order_release);
    atomic_store_explicit(&p->fn, fn, memory_order_relaxed);
    atomic_store_explicit(&p->ctx, ctx, memory_order_relaxed);
    atomic_store_explicit(&p->n_tasks, n_tasks, memory_order_relaxed);
    atomic_store_explicit(&p->done, 0, memory_order_relaxed);
    gen += 2;
    atomic_store_explicit(&p->ticket, (uint64_t)gen << 32, memory_order_seq_cst);
    wake_workers(p);

    take_tasks(p, gen, fn, ctx, n_tasks);

    /* acquire: the tasks' writes happen before pool_run returns */
    for (int i = 0; i < p->spin; i++) {
        if (atomic_load_explicit(&p->done, memory_order_acquire) == n_tasks)
            return;
        spin_pause(i);
    }
    pthread_mutex_lock(&p->mu);
    atomic_store_explicit(&p->caller_waiting, 1, memory_order_seq_cst);
    atomic_thread_fence(memory_order_seq_cst); /* caller_waiting, then done */
    while (atomic_load_explicit(&p->done, memory_order_seq_cst) != n_tasks)
        pthread_cond_wait(&p->finished, &p->mu);
    atomic_store_explicit(&p->caller_waiting, 0, memory_order_relaxed);
    pthread_mutex_unlock(&p->mu);
}

size_t pool_online_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (size_t)n : 1;
}
