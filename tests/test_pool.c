/* Tests of the thread pool: every task runs exactly once, on pools of 1 to 8
 * threads, over many runs (including runs after the workers went to sleep),
 * and the tasks' writes are visible when pool_run returns. */
#include "testutil.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "base/pool.h"

#define MAX_TASKS 1000

typedef struct {
    atomic_int runs[MAX_TASKS];  /* times each task ran */
    int value[MAX_TASKS];        /* plain writes, checked after pool_run */
    int stamp;                   /* what this run writes */
    int work;                    /* busy iterations per task */
} count_ctx;

static void count_task(void *vctx, size_t t)
{
    count_ctx *c = vctx;
    volatile int sink = 0;
    for (int i = 0; i < c->work; i++) /* so that the workers get a share */
        sink += i;
    (void)sink; /* written only, to be kept: clang counts that as unused */
    atomic_fetch_add_explicit(&c->runs[t], 1, memory_order_relaxed);
    c->value[t] = c->stamp + (int)t;
}

static void sleep_us(long us)
{
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

/* One run of n tasks on p; every task ran once and its write is visible. */
static void check_run(pool *p, count_ctx *c, size_t n, int stamp)
{
    for (size_t t = 0; t < n; t++)
        atomic_store(&c->runs[t], 0);
    c->stamp = stamp;
    pool_run(p, count_task, c, n);
    for (size_t t = 0; t < n; t++) {
        assert_int_equal(atomic_load(&c->runs[t]), 1);
        assert_int_equal(c->value[t], stamp + (int)t);
    }
}

static void test_every_task_once(void **state)
{
    (void)state;
    static count_ctx c; /* 8 KiB: keep it off the stack */
    static const size_t sizes[] = {0, 1, 2, 3, 7, 8, 9, 64, 257, MAX_TASKS};
    for (size_t threads = 1; threads <= 8; threads++) {
        pool *p = pool_create(threads);
        assert_non_null(p);
        assert_int_equal(pool_threads(p), threads);
        int stamp = 0;
        for (int rep = 0; rep < 60; rep++) {
            c.work = rep % 3 == 0 ? 0 : rep % 3 == 1 ? 100 : 2000;
            for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
                check_run(p, &c, sizes[k], stamp += 1000);
        }
        pool_free(p);
    }
}

/* Back-to-back runs, and runs after a pause long enough for the workers to
 * stop spinning and sleep: a lost wake-up would hang here. */
static void test_many_runs_and_sleeps(void **state)
{
    (void)state;
    static count_ctx c;
    pool *p = pool_create(2);
    assert_non_null(p);
    for (int rep = 0; rep < 20000; rep++) {
        c.work = rep % 4 == 0 ? 300 : 0;
        check_run(p, &c, 2 + (size_t)rep % 5, rep);
    }
    for (int rep = 0; rep < 40; rep++) {
        sleep_us(rep % 2 ? 300 : 3000);
        check_run(p, &c, 4, rep);
    }
    pool_free(p);

    p = pool_create(5); /* more threads than cores here: no spinning */
    assert_non_null(p);
    c.work = 100;
    for (int rep = 0; rep < 2000; rep++)
        check_run(p, &c, 1 + (size_t)rep % 11, rep);
    pool_free(p);
}

/* A NULL pool or a one-thread pool runs the tasks in order on this thread. */
typedef struct {
    pthread_t self;
    size_t next;
    int in_order, on_caller;
} order_ctx;

static void order_task(void *vctx, size_t t)
{
    order_ctx *c = vctx;
    if (t != c->next++)
        c->in_order = 0;
    if (!pthread_equal(pthread_self(), c->self))
        c->on_caller = 0;
}

static void test_serial_pools(void **state)
{
    (void)state;
    pool *one = pool_create(1);
    assert_non_null(one);
    pool *pools[] = {NULL, one};
    for (int k = 0; k < 2; k++) {
        order_ctx c = {pthread_self(), 0, 1, 1};
        pool_run(pools[k], order_task, &c, 100);
        assert_int_equal(c.next, 100);
        assert_true(c.in_order);
        assert_true(c.on_caller);
    }
    assert_int_equal(pool_threads(NULL), 1);
    pool_free(one);
    pool_free(NULL);

    pool *zero = pool_create(0); /* treated as one thread */
    assert_non_null(zero);
    assert_int_equal(pool_threads(zero), 1);
    pool_free(zero);
}

/* Tasks that block for a while get spread over more than one thread. */
typedef struct {
    pthread_mutex_t mu;
    pthread_t seen[64];
    size_t n_seen;
} threads_ctx;

static void threads_task(void *vctx, size_t t)
{
    (void)t;
    threads_ctx *c = vctx;
    sleep_us(2000);
    pthread_mutex_lock(&c->mu);
    size_t k = 0;
    while (k < c->n_seen && !pthread_equal(c->seen[k], pthread_self()))
        k++;
    if (k == c->n_seen && c->n_seen < 64)
        c->seen[c->n_seen++] = pthread_self();
    pthread_mutex_unlock(&c->mu);
}

static void test_uses_threads(void **state)
{
    (void)state;
    pool *p = pool_create(4);
    assert_non_null(p);
    threads_ctx c = {.n_seen = 0};
    pthread_mutex_init(&c.mu, NULL);
    pool_run(p, threads_task, &c, 32);
    pthread_mutex_destroy(&c.mu);
    assert_true(c.n_seen >= 2);
    assert_true(c.n_seen <= 4);
    pool_free(p);
}

static void test_online_cores(void **state)
{
    (void)state;
    assert_true(pool_online_cores() >= 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_task_once),
        cmocka_unit_test(test_many_runs_and_sleeps),
        cmocka_unit_test(test_serial_pools),
        cmocka_unit_test(test_uses_threads),
        cmocka_unit_test(test_online_cores),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
