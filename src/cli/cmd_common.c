/* Helpers shared by the subcommands. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "cli/commands.h"

double cmd_now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

const char *const CMD_INIT_CHOICES[] = {"normal", "uniform", NULL};
const char *const CMD_NOISE_CHOICES[] = {"uniform", "normal", NULL};

int cmd_parse_flags(const char *cmd, const char *usage, int argc, char **argv,
                    const flag_spec *specs, size_t n_specs)
{
    err e;
    int rc = cli_parse(argc, argv, specs, n_specs, &e);
    if (rc == 1) {
        cli_print_help(stdout, usage, specs, n_specs);
        return 0;
    }
    if (rc < 0) {
        fprintf(stderr, "sublim %s: %s\n", cmd, e.msg);
        return CMD_EXIT_USAGE;
    }
    return -1;
}

pool *cmd_make_pool(size_t threads)
{
    size_t n = threads ? threads : pool_online_cores();
    pool *p = pool_create(n);
    if (!p)
        fprintf(stderr, "sublim: cannot start %zu threads: %s\n", n, strerror(errno));
    return p;
}

