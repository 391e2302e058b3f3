#include "base/interrupt.h"
#include <signal.h>
#include <stdatomic.h>

_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "a signal handler may only set a lock-free atomic");

/* The signal noted, 0 before any: the one global mutable state (interrupt.h). */
static atomic_int noted;

static void restore_default(int sig)
{
    struct sigaction sa = {.sa_handler = SIG_DFL};
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

/* Async-signal-safe: an atomic compare-exchange and sigaction. */
static void note(int sig)
{
    int none = 0;
    atomic_compare_exchange_strong(&noted, &none, sig);
    restore_default(SIGINT);
    restore_default(SIGTERM);
}

void interrupt_catch(void)
{
    /* SA_RESTART: a read or write the signal lands in goes on. */
    struct sigaction sa = {.sa_handler = note, .sa_flags = SA_RESTART};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int interrupt_signal(void)
{
    return atomic_load(&noted);
}

int interrupt_check(err *e)
{
    int sig = interrupt_signal();
    if (sig == 0)
        return 0;
    return err_set(e, "interrupted by %s", sig == SIGINT ? "SIGINT" : "SIGTERM");
}
