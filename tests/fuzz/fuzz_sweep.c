/* Fuzz target: a sweep's plan, SW/sweep.txt (read by every task and by
 * collect), then what is done with a plan read: its points named and
 * configured, its tasks mapped, and a collect of the folder, which has no
 * task, refused.  Whatever the input: no crash, and a plan read keeps
 * every bound of run/sweep.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzz_input.h"
#include "out/sweep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The plan's bounds, its first and last point and task. */
static void check_plan(const sweep_plan *p)
{
    if (p->n_axes > SWEEP_MAX_AXES || p->base.seeds == 0)
        abort();
    for (size_t a = 0; a < p->n_axes; a++)
        if (p->axes[a].n == 0 || p->axes[a].n > SWEEP_MAX_VALUES ||
            !memchr(p->axes[a].values[p->axes[a].n - 1], '\0', SWEEP_VALUE_SIZE))
            abort();
    char name[1024];
    size_t points = sweep_n_points(p), point;
    uint64_t seed;
    for (size_t pt = 0; pt < points; pt += points - 1 ? points - 1 : 1) {
        experiment_config cfg;
        sweep_point_name(p, pt, name, sizeof name);
        sweep_point_config(p, pt, &cfg);
        if (strchr(name, '/') || cfg.seeds != p->base.seeds)
            abort(); /* a point is a folder name; every point runs the seeds */
    }
    sweep_task(p, sweep_n_tasks(p) - 1, &point, &seed);
    if (point != points - 1)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char dir[64], path[96];
    snprintf(dir, sizeof dir, "/tmp/sublim-fuzzsweep-XXXXXX");
    if (!mkdtemp(dir))
        return 0;
    snprintf(path, sizeof path, "%s/%s", dir, SWEEP_PLAN_FILE);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, size, f);
        fclose(f);
        sweep_plan p;
        err e;
        if (sweep_read_plan(dir, &p, &e) == 0) {
            check_plan(&p);
            /* No task ran: collect must refuse (a bounded grid only: it
             * looks at every task). */
            if (sweep_n_tasks(&p) <= 1000 && sweep_collect(dir, NULL, &e) == 0)
                abort();
        }
    }
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        abort();
    return 0;
}
