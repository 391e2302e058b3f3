/* sweep_view: what a collected sweep shows people.
 *
 *   sweep.svg  the subliminal effect against each swept setting: test
 *              accuracy of student_aux_same and student_aux_cross (mean and
 *              95% CI over seeds; the other arms lighter, means only), x the
 *              first axis's values in its order; with more axes, small
 *              multiples, one panel per combination of the other axes'
 *              values (the first SWEEP_VIEW_MAX_PANELS drawn, a note says
 *              how many more; report.md has every point); chance drawn.
 *              Every point's mark carries data-point (its name),
 *              data-arm, data-mean, and for the two students data-ci95
 *              (svg.h);
 *   report.md  the plan (base configuration, axes, seeds), one table row per
 *              (point, arm), and a plain reading: for each point, whether the
 *              same-init student is above the other-init one (intervals apart
 *              or not), and how that changes along each axis.
 * Both are pure functions of the plan and the points' summaries: the same
 * rows give the same bytes. */
#ifndef SUBLIM_SWEEP_VIEW_H
#define SUBLIM_SWEEP_VIEW_H

#include "base/err.h"
#include "out/sweep.h"
#include "run/sweep.h"

/* Panels sweep.svg draws at most, so its size stays bounded. */
#define SWEEP_VIEW_MAX_PANELS 24

/* r: one entry per point of p (sweep_n_points), in point order. */
int sweep_view_figure(const char *path, const sweep_plan *p, const sweep_point_result *r,
                      err *e);
int sweep_view_report(const char *path, const sweep_plan *p, const sweep_point_result *r,
                      err *e);

#endif
