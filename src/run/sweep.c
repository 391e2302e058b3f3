#include "run/sweep.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/detmath.h"
#include "base/text.h"

void sweep_plan_init(sweep_plan *p, const experiment_config *base)
{
    memset(p, 0, sizeof *p);
    p->base = *base;
}

/* The setting's text form of the number x (setting_format through a
 * scratch config, so it is the very text config.txt would hold). */
static int number_text(const setting *s, double x, char *buf, size_t size, const char *label,
                       err *e)
{
    char raw[TEXT_REAL_SIZE];
    experiment_config scratch;
    if (s->type == SETTING_REAL)
        text_real(raw, sizeof raw, x);
    else
        snprintf(raw, sizeof raw, "%.0f", x);
    if (setting_parse(s, raw, &scratch, label, e))
        return -1;
    setting_format(s, &scratch, buf, size);
    return 0;
}

/* Appends one value (its text form) to the axis, refusing it twice. */
static int add_value(sweep_axis *a, const char *text, const char *label, err *e)
{
    if (a->n == SWEEP_MAX_VALUES)
        return err_set(e, "%s: at most %d values", label, SWEEP_MAX_VALUES);
    for (size_t k = 0; k < a->n; k++)
        if (strcmp(a->values[k], text) == 0)
            return err_set(e, "%s: %s given twice", label, text);
    snprintf(a->values[a->n++], SWEEP_VALUE_SIZE, "%s", text);
    return 0;
}

/* START:STOP:xF or START:STOP:+D into the axis. */
static int add_range(sweep_axis *a, const char *range, const char *label, err *e)
{
    char start_text[64], stop_text[64], step_text[64];
    double start, stop, step;
    int geometric;
    if (sscanf(range, "%63[^:]:%63[^:]:%63s", start_text, stop_text, step_text) != 3 ||
        (step_text[0] != 'x' && step_text[0] != '+') ||
        text_parse_real(start_text, &start) || text_parse_real(stop_text, &stop) ||
        text_parse_real(step_text + 1, &step) || !isfinite(start) || !isfinite(stop) ||
        !isfinite(step))
        return err_set(e, "%s: '%s' is not a range START:STOP:xFACTOR or START:STOP:+STEP",
                       label, range);
    if (a->s->type != SETTING_SIZE && a->s->type != SETTING_U64 && a->s->type != SETTING_REAL)
        return err_set(e, "%s: a range needs a number setting; list the values", label);
    geometric = step_text[0] == 'x';
    if (geometric ? !(start > 0 && step > 1 && stop >= start) : !(step > 0 && stop >= start))
        return err_set(e, "%s: the range '%s' does not climb from %s to %s", label, range,
                       start_text, stop_text);
    /* Counted, not accumulated: value k is start·F^k (F^k by products
     * alone, the same bits on every libm) or start + k·D, and STOP counts
     * as reached within a relative 1e-9 (1e-4:1e-2:x10). */
    for (int k = 0;; k++) {
        double x = geometric ? start * detmath_powi(step, (uint64_t)k) : start + k * step;
        if (x > stop * (1 + 1e-9))
            break;
        if (fabs(x - stop) <= 1e-9 * fabs(stop))
            x = stop;
        char text[SWEEP_VALUE_SIZE];
        if (number_text(a->s, x, text, sizeof text, label, e) || add_value(a, text, label, e))
            return -1;
    }
    return 0;
}

int sweep_add_axis(sweep_plan *p, const char *name, const char *values, err *e)
{
    size_t n;
    const setting *all = experiment_settings(&n), *s = settings_find(all, n, name);
    char label[80];
    if (!s)
        return err_set(e, "no setting '%s' to sweep", name);
    setting_flag(s, label, sizeof label);
    if (!setting_has_flag(s) || (s->flags & SETTING_SEEDS) || s->type == SETTING_SWITCH ||
        s->type == SETTING_TEXT)
        return err_set(e, "%s cannot be swept (every point runs the same %s)", label,
                       (s->flags & SETTING_SEEDS) ? "seeds" : "value");
    for (size_t a = 0; a < p->n_axes; a++)
        if (p->axes[a].s == s)
            return err_set(e, "%s is swept twice: give all its values in one list", label);
    if (p->n_axes == SWEEP_MAX_AXES)
        return err_set(e, "at most %d settings can be swept at once", SWEEP_MAX_AXES);
    /* Axes keep the settings table's order, whatever the flags' order. */
    size_t at = p->n_axes;
    while (at > 0 && p->axes[at - 1].s > s)
        at--;
    sweep_axis axis = {s, 0, {{0}}};
    char buf[1024];
    if (strlen(values) >= sizeof buf)
        return err_set(e, "%s: list too long", label);
    strcpy(buf, values);
    for (char *tok = buf, *next; tok; tok = next) {
        next = strchr(tok, ',');
        if (next)
            *next++ = '\0';
        if (!*tok)
            return err_set(e, "%s: an empty value in '%s'", label, values);
        /* A range is for numbers; a spec's own colons (prefer:3) are not one. */
        if (strchr(tok, ':') && s->type != SETTING_SPEC) {
            if (add_range(&axis, tok, label, e))
                return -1;
            continue;
        }
        experiment_config scratch = p->base;
        char text[SWEEP_VALUE_SIZE];
        if (setting_parse(s, tok, &scratch, label, e))
            return -1;
        setting_format(s, &scratch, text, sizeof text);
        if (add_value(&axis, text, label, e))
            return -1;
    }
    if (axis.n > 1 && (s->flags & SETTING_ONE_VALUE))
        return err_set(e, "%s takes one value in a sweep: its tasks share one data set (run "
                          "one sweep per value)",
                       label);
    memmove(&p->axes[at + 1], &p->axes[at], (p->n_axes - at) * sizeof p->axes[0]);
    p->axes[at] = axis;
    p->n_axes++;
    return 0;
}

size_t sweep_n_points(const sweep_plan *p)
{
    size_t n = 1;
    for (size_t a = 0; a < p->n_axes; a++)
        n *= p->axes[a].n;
    return n;
}

size_t sweep_n_tasks(const sweep_plan *p)
{
    return sweep_n_points(p) * p->base.seeds;
}

int sweep_check_size(const sweep_plan *p, int force, err *e)
{
    size_t n = sweep_n_tasks(p);
    if (n > SWEEP_SANE_TASKS && !force)
        return err_set(e, "the grid has %zu tasks (%zu points × %zu seeds), more than %d: "
                          "--force to run it anyway",
                       n, sweep_n_points(p), p->base.seeds, SWEEP_SANE_TASKS);
    return 0;
}

int sweep_check_points(const sweep_plan *p, err *e)
{
    for (size_t point = 0; point < sweep_n_points(p); point++) {
        experiment_config cfg;
        err why;
        sweep_point_config(p, point, &cfg);
        if (experiment_check(&cfg, &why)) {
            char name[512];
            sweep_point_name(p, point, name, sizeof name);
            return err_set(e, "point %s: %s", name, why.msg);
        }
    }
    return 0;
}

void sweep_task(const sweep_plan *p, size_t task, size_t *point, uint64_t *seed)
{
    *point = task / p->base.seeds;
    *seed = p->base.seed_start + task % p->base.seeds;
}

size_t sweep_value_index(const sweep_plan *p, size_t point, size_t axis)
{
    /* The last axis varies fastest. */
    for (size_t a = p->n_axes; a-- > axis + 1;)
        point /= p->axes[a].n;
    return point % p->axes[axis].n;
}

void sweep_point_config(const sweep_plan *p, size_t point, experiment_config *cfg)
{
    *cfg = p->base;
    for (size_t a = 0; a < p->n_axes; a++) {
        const sweep_axis *x = &p->axes[a];
        /* Checked when the axis was added: it parses. */
        setting_parse(x->s, x->values[sweep_value_index(p, point, a)], cfg, x->s->name, NULL);
    }
}

void sweep_point_name(const sweep_plan *p, size_t point, char *buf, size_t size)
{
    size_t used = 0;
    if (p->n_axes == 0)
        snprintf(buf, size, "base");
    for (size_t a = 0; a < p->n_axes && used < size; a++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s=%s", a ? "," : "",
                                 p->axes[a].s->name,
                                 p->axes[a].values[sweep_value_index(p, point, a)]);
}
