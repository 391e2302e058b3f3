/* An LD_PRELOAD library that makes exactly one allocation fail: the
 * FAIL_MALLOC_AT-th call (1-based, counted from the program's start) of
 * malloc, calloc, realloc, aligned_alloc or posix_memalign returns NULL
 * with errno ENOMEM, as a real out-of-memory would.  With FAIL_MALLOC_COUNT
 * set it prints the number of allocations at exit.  glibc only (it calls
 * glibc's __libc_* allocators); scripts/resource-limits.sh builds and uses
 * it to check that every allocation of a run that fails gives a clear
 * error, never a crash or a silently wrong result. */
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static atomic_long count;
static long fail_at = -1;
static int armed;

__attribute__((constructor)) static void failmalloc_init(void)
{
    const char *s = getenv("FAIL_MALLOC_AT");
    fail_at = s ? atol(s) : -1;
    armed = 1;
}

__attribute__((destructor)) static void failmalloc_fini(void)
{
    if (getenv("FAIL_MALLOC_COUNT"))
        fprintf(stderr, "failmalloc: %ld allocations\n", (long)count);
}

static int fail(void)
{
    if (!armed || ++count != fail_at)
        return 0;
    errno = ENOMEM;
    return 1;
}

void *malloc(size_t n) { return fail() ? NULL : __libc_malloc(n); }
void *calloc(size_t k, size_t n) { return fail() ? NULL : __libc_calloc(k, n); }
void *realloc(void *p, size_t n) { return fail() ? NULL : __libc_realloc(p, n); }
void *aligned_alloc(size_t a, size_t n) { return fail() ? NULL : __libc_memalign(a, n); }
int posix_memalign(void **p, size_t a, size_t n)
{
    if (fail())
        return ENOMEM;
    *p = __libc_memalign(a, n);
    return *p ? 0 : ENOMEM;
}
