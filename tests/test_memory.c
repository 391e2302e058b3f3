/* Tests of base/memory.h: the memory a process can count on is the
 * machine's physical memory unless a lower address-space or data limit
 * says otherwise (checked in a child, whose limits can be lowered), and
 * sizes print in decimal MB and GB. */
#include "testutil.h"

#include "base/memory.h"

/* Without limits lower than it, the physical memory (sysconf); a lower
 * RLIMIT_AS or RLIMIT_DATA, set in a child, takes its place, named. */
static void limits_lower_the_physical_memory(void **state)
{
    (void)state;
    size_t phys = (size_t)sysconf(_SC_PHYS_PAGES) * (size_t)sysconf(_SC_PAGESIZE);
    memory_limit m = memory_available();
    assert_true(m.bytes > 0 && m.bytes <= phys);
    if (m.bytes == phys)
        assert_string_equal(m.what, "physical memory");
    const int resources[] = {RLIMIT_AS, RLIMIT_DATA};
    const char *names[] = {"address-space limit (ulimit -v)", "data-size limit (ulimit -d)"};
    for (int k = 0; k < 2; k++) {
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            const rlim_t cap = 3u << 30; /* 3 GiB: enough for this child */
            struct rlimit r = {cap, cap};
            struct rlimit got;
            /* Cannot test here; qemu-user (make check-ports) accepts a
             * lower RLIMIT_AS or RLIMIT_DATA but ignores it. */
            if (phys <= cap || setrlimit(resources[k], &r) != 0 ||
                getrlimit(resources[k], &got) != 0 || got.rlim_cur != cap)
                _exit(2);
            memory_limit c = memory_available();
            _exit(c.bytes == cap && strcmp(c.what, names[k]) == 0 ? 0 : 1);
        }
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        if (WEXITSTATUS(status) == 2)
            skip();
        if (WEXITSTATUS(status) != 0)
            fail_msg("a %s of 3 GiB was not what memory_available gave", names[k]);
    }
}

static void sizes_print_in_mb_and_gb(void **state)
{
    (void)state;
    char buf[32];
    memory_format(buf, sizeof buf, 91.1e6);
    assert_string_equal(buf, "91.1 MB");
    memory_format(buf, sizeof buf, 999.94e6);
    assert_string_equal(buf, "999.9 MB");
    memory_format(buf, sizeof buf, 67.4512e9);
    assert_string_equal(buf, "67.45 GB");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(limits_lower_the_physical_memory),
        cmocka_unit_test(sizes_print_in_mb_and_gb),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
