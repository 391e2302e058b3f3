#include "cli/cli.h"
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int parse_integer(const char *name, const char *s, double min, double max,
                         uint64_t *out, err *e)
{
    if (*s < '0' || *s > '9')
        return err_set(e, "--%s: '%s' is not a non-negative integer", name, s);
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end)
        return err_set(e, "--%s: '%s' is not a non-negative integer", name, s);
    if (errno == ERANGE || (double)v < min || (double)v > max)
        return err_set(e, "--%s: %s is out of range [%.0f, %.0f]", name, s, min, max);
    *out = v;
    return 0;
}

static int parse_real(const char *name, const char *s, double min, double max,
                      double *out, err *e)
{
    errno = 0;
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v))
        return err_set(e, "--%s: '%s' is not a number", name, s);
    if (v < min || v > max)
        return err_set(e, "--%s: %s is out of range [%g, %g]", name, s, min, max);
    *out = v;
    return 0;
}

static int parse_value(const flag_spec *f, const char *s, err *e)
{
    uint64_t u;
    switch (f->type) {
    case FLAG_SIZE:
        if (parse_integer(f->name, s, f->min, f->max, &u, e))
            return -1;
        *(size_t *)f->dest = (size_t)u;
        return 0;
    case FLAG_U64:
        if (parse_integer(f->name, s, f->min, f->max, &u, e))
            return -1;
        *(uint64_t *)f->dest = u;
        return 0;
    case FLAG_DOUBLE:
        return parse_real(f->name, s, f->min, f->max, (double *)f->dest, e);
    case FLAG_STRING:
        if (!*s)
            return err_set(e, "--%s: empty value", f->name);
        *(const char **)f->dest = s;
        return 0;
    case FLAG_CHOICE:
        for (int k = 0; f->choices[k]; k++)
            if (strcmp(s, f->choices[k]) == 0) {
                *(int *)f->dest = k;
                return 0;
            }
        return err_set(e, "--%s: '%s' is not one of the choices (see --help)", f->name, s);
    case FLAG_LIST: {
        cli_list *list = f->dest;
        char buf[1024];
        if (strlen(s) >= sizeof buf)
            return err_set(e, "--%s: list too long", f->name);
        strcpy(buf, s);
        list->n = 0;
        for (char *tok = buf, *next; tok; tok = next) {
            next = strchr(tok, ',');
            if (next)
                *next++ = '\0';
            if (list->n == CLI_LIST_MAX)
                return err_set(e, "--%s: at most %d values", f->name, CLI_LIST_MAX);
            if (parse_real(f->name, tok, f->min, f->max, &list->v[list->n++], e))
                return -1;
        }
        return 0;
    }
    case FLAG_SWITCH:
        break;
    }
    return err_set(e, "--%s: internal error: bad flag type", f->name);
}

int cli_parse(int argc, char **argv, const flag_spec *specs, size_t n_specs, err *e)
{
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
            return 1;
        if (strncmp(arg, "--", 2) != 0)
            return err_set(e, "unexpected argument '%s' (flags start with --)", arg);
        const char *name = arg + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const flag_spec *f = NULL;
        for (size_t k = 0; k < n_specs && !f; k++)
            if (strlen(specs[k].name) == len && strncmp(specs[k].name, name, len) == 0)
                f = &specs[k];
        if (!f)
            return err_set(e, "unknown flag '--%.*s' (see --help)", (int)len, name);
        if (f->type == FLAG_SWITCH) {
            if (eq)
                return err_set(e, "--%s takes no value", f->name);
            *(int *)f->dest = 1;
            continue;
        }
        const char *value = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (!value)
            return err_set(e, "--%s needs a value", f->name);
        if (parse_value(f, value, e))
            return -1;
    }
    return 0;
}

void cli_print_help(FILE *out, const char *usage, const flag_spec *specs, size_t n_specs)
{
    fprintf(out, "%s\n\nflags:\n", usage);
    for (size_t k = 0; k < n_specs; k++) {
        const flag_spec *f = &specs[k];
        char flag[64], def[256] = "";
        snprintf(flag, sizeof flag, "--%s%s", f->name, f->type == FLAG_SWITCH ? "" : " X");
        switch (f->type) {
        case FLAG_SIZE: snprintf(def, sizeof def, "%zu", *(size_t *)f->dest); break;
        case FLAG_U64: snprintf(def, sizeof def, "%" PRIu64, *(uint64_t *)f->dest); break;
        case FLAG_DOUBLE: snprintf(def, sizeof def, "%g", *(double *)f->dest); break;
        case FLAG_STRING:
            snprintf(def, sizeof def, "%s", *(const char **)f->dest ? *(const char **)f->dest : "");
            break;
        case FLAG_CHOICE: {
            size_t used = 0;
            for (int c = 0; f->choices[c]; c++)
                used += (size_t)snprintf(def + used, sizeof def - used, "%s%s%s",
                                         c ? "|" : "", f->choices[c],
                                         c == *(int *)f->dest ? "*" : "");
            break;
        }
        case FLAG_LIST: {
            const cli_list *l = f->dest;
            size_t used = 0;
            for (size_t c = 0; c < l->n && used < sizeof def; c++)
                used += (size_t)snprintf(def + used, sizeof def - used, "%s%g",
                                         c ? "," : "", l->v[c]);
            break;
        }
        case FLAG_SWITCH: break;
        }
        fprintf(out, "  %-22s %s%s%s%s\n", flag, f->help, *def ? " [" : "", def, *def ? "]" : "");
    }
}
