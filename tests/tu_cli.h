/* The program under test run with its arguments written out, for the
 * tests of the command line (test_cli.c, test_cli_sweep.c):
 *  - sublim(&out, ARGS..., NULL), sublim_within(seconds, &out, ARGS...,
 *    NULL): its exit code, and what it printed in out (NULL: discarded);
 *  - EXPECT(code, W(words...), ARGS...): fails unless it exits with code
 *    and prints every word;
 *  - W(...): a NULL-terminated list, of words or of arguments. */
#ifndef SUBLIM_TU_CLI_H
#define SUBLIM_TU_CLI_H

#include "testutil.h"

#define TU_CLI_MAX_ARGS 64

/* Runs sublim with the arguments in ap (NULL-terminated), ended after
 * `seconds` (0: no limit); *out gets what it printed (NULL: discarded).
 * Returns the exit code (-1: it did not exit). */
static inline int sublim_args(unsigned seconds, char **out, va_list ap)
{
    const char *args[TU_CLI_MAX_ARGS];
    size_t n = 0;
    for (const char *a; (a = va_arg(ap, const char *)) && n < TU_CLI_MAX_ARGS - 1;)
        args[n++] = a;
    args[n] = NULL;
    return tu_run_sublim_within(seconds, out, args);
}

/* sublim ARGS..., NULL without a time limit. */
static inline int sublim(char **out, ...)
{
    va_list ap;
    va_start(ap, out);
    int rc = sublim_args(0, out, ap);
    va_end(ap);
    return rc;
}

/* sublim ARGS..., NULL ended after `seconds`. */
static inline int sublim_within(unsigned seconds, char **out, ...)
{
    va_list ap;
    va_start(ap, out);
    int rc = sublim_args(seconds, out, ap);
    va_end(ap);
    return rc;
}

/* Fails unless sublim ARGS exits with code and prints every word given. */
#define EXPECT(code, words, ...)                                                \
    do {                                                                        \
        char *out_;                                                             \
        int rc_ = sublim(&out_, __VA_ARGS__, NULL);                             \
        if (rc_ != (code))                                                      \
            fail_msg("exit %d, want %d: %s", rc_, (code), out_);                \
        for (const char *const *w_ = (words); *w_; w_++)                        \
            tu_assert_contains(out_, *w_);                                      \
        free(out_);                                                             \
    } while (0)
/* A NULL-terminated list: the words EXPECT wants, or a command line. */
#define W(...) ((const char *const[]){__VA_ARGS__, NULL})

#endif
