/* sweep: a grid of experiment settings, and the tasks that run it.
 *
 * A sweep gives some settings of experiment_settings() several values: a
 * comma list ("1,3,10", "normal,uniform") or, for a number, a range
 * START:STOP:xF (START, START·F, ... up to STOP) or START:STOP:+D (START,
 * START+D, ... up to STOP), STOP included when reached.  Each swept setting
 * is an axis; the grid is the product of the axes, taken in the order the
 * settings table lists them, the last axis varying fastest.  A point is one
 * combination of values; every other setting is the base configuration's,
 * shared by every point.
 *
 * A task is one (point, seed): task t runs point t / seeds with seed
 * seed_start + t % seeds.  A task's rows are those the same seed gives in
 * any run of the point's configuration (experiment_run is a pure function
 * of the seed and the configuration), so tasks can run anywhere, in any
 * order, and the grid's rows are the same bits. */
#ifndef SUBLIM_SWEEP_H
#define SUBLIM_SWEEP_H

#include <stddef.h>
#include <stdint.h>
#include "base/err.h"
#include "base/setting.h"
#include "run/experiment.h"

#define SWEEP_MAX_AXES 8          /* settings swept at once */
#define SWEEP_MAX_VALUES 64       /* values of one axis */
#define SWEEP_VALUE_SIZE 48       /* bytes of one value's text */
#define SWEEP_SANE_TASKS 10000    /* more tasks than this need force */

typedef struct {
    const setting *s;                               /* the setting swept */
    size_t n;                                       /* its values */
    char values[SWEEP_MAX_VALUES][SWEEP_VALUE_SIZE]; /* as config.txt writes them */
} sweep_axis;

typedef struct {
    experiment_config base;  /* the settings not swept, the seeds of every point */
    size_t n_axes;
    sweep_axis axes[SWEEP_MAX_AXES]; /* in the settings table's order */
} sweep_plan;

/* An empty plan over base (base->seeds seeds from base->seed_start). */
void sweep_plan_init(sweep_plan *p, const experiment_config *base);

/* Sweeps the setting called name over the values text: each value is
 * parsed and checked as the flag would be (errors name the flag), written
 * back in its text form; an empty list, a value twice, a setting that only
 * picks seeds or has no flag, a setting swept twice, and a range that does
 * not reach STOP from START (or is not a number's) are refused. */
int sweep_add_axis(sweep_plan *p, const char *name, const char *values, err *e);

/* Points: the product of the axes' sizes (1 with no axis). */
size_t sweep_n_points(const sweep_plan *p);
/* Tasks: points × seeds. */
size_t sweep_n_tasks(const sweep_plan *p);
/* The refusal of a grid of more than SWEEP_SANE_TASKS tasks, unless force. */
int sweep_check_size(const sweep_plan *p, int force, err *e);
/* The refusal of a point whose settings do not go together
 * (experiment_check), naming the point. */
int sweep_check_points(const sweep_plan *p, err *e);

/* The point and seed of task t (< sweep_n_tasks). */
void sweep_task(const sweep_plan *p, size_t task, size_t *point, uint64_t *seed);
/* The index into axis a's values of point. */
size_t sweep_value_index(const sweep_plan *p, size_t point, size_t axis);
/* The point's configuration: the base with the point's values, all its
 * seeds (cfg->seeds, cfg->seed_start as the base's). */
void sweep_point_config(const sweep_plan *p, size_t point, experiment_config *cfg);
/* The point's name, from its values alone: "m=3,width=256" (axes in
 * order); "base" with no axis.  A folder name: no '/' in any value. */
void sweep_point_name(const sweep_plan *p, size_t point, char *buf, size_t size);

#endif
