#include "base/setting.h"
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/text.h"

_Static_assert(sizeof(setting_list) <= SETTING_FIELD_MAX, "a list is a setting's field");

/* The field of s in cfg. */
static void *field(const setting *s, void *cfg) { return (char *)cfg + s->offset; }
static const void *cfield(const setting *s, const void *cfg)
{
    return (const char *)cfg + s->offset;
}

int settings_defaults(const setting *s, size_t n, void *cfg, err *e)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i].type == SETTING_FIXED)
            continue;
        if (s[i].type == SETTING_SWITCH) {
            *(int *)field(&s[i], cfg) = 0;
        } else if (s[i].type == SETTING_TEXT) {
            *(const char **)field(&s[i], cfg) = s[i].def;
        } else if (!s[i].def || setting_parse(&s[i], s[i].def, cfg, s[i].name, e)) {
            return s[i].def ? -1 : err_set(e, "%s: no default", s[i].name);
        }
    }
    return 0;
}

void settings_init(const setting *s, size_t n, void *cfg)
{
    err e;
    if (settings_defaults(s, n, cfg, &e)) {
        fprintf(stderr, "sublim: internal error in a settings table: %s\n", e.msg);
        abort();
    }
}

const setting *settings_find(const setting *s, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s[i].name, name) == 0)
            return &s[i];
    return NULL;
}

void setting_flag(const setting *s, char *buf, size_t size)
{
    snprintf(buf, size, "--%s", s->name);
    for (char *c = buf + 2; *c; c++)
        if (*c == '_')
            *c = '-';
}

void setting_placeholder(const setting *s, char *buf, size_t size)
{
    static const char *const BY_TYPE[] = {
        [SETTING_SIZE] = "N",    [SETTING_U64] = "N",  [SETTING_REAL] = "X",
        [SETTING_LIST] = "LIST", [SETTING_TEXT] = "TEXT", [SETTING_SPEC] = "TEXT",
    };
    buf[0] = '\0';
    if (!setting_has_flag(s) || s->type == SETTING_SWITCH)
        return;
    if (s->placeholder) {
        snprintf(buf, size, "%s", s->placeholder);
        return;
    }
    if (s->type != SETTING_CHOICE) {
        snprintf(buf, size, "%s", BY_TYPE[s->type]);
        return;
    }
    size_t used = 0;
    for (unsigned k = 0; s->choices[k] && used < size; k++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", k ? "|" : "", s->choices[k]);
}

int setting_has_flag(const setting *s)
{
    return s->type != SETTING_FIXED && !(s->flags & SETTING_NO_FLAG);
}

static int parse_integer(const setting *s, const char *text, const char *label, uint64_t *out,
                         err *e)
{
    uint64_t v;
    if (*text < '0' || *text > '9')
        return err_set(e, "%s: '%s' is not a non-negative integer", label, text);
    if (text_parse_u64(text, &v)) {
        /* Digits to the end but too many of them: out of range, not junk. */
        if (strspn(text, "0123456789") == strlen(text))
            return err_set(e, "%s: %s is out of range [%.0f, %.0f]", label, text, s->min,
                           s->max);
        return err_set(e, "%s: '%s' is not a non-negative integer", label, text);
    }
    if ((double)v < s->min || (double)v > s->max)
        return err_set(e, "%s: %s is out of range [%.0f, %.0f]", label, text, s->min, s->max);
    *out = v;
    return 0;
}

static int parse_number(const setting *s, const char *text, const char *label, double *out,
                        err *e)
{
    double v;
    if (text_parse_real(text, &v) || !isfinite(v))
        return err_set(e, "%s: '%s' is not a number", label, text);
    if (v < s->min || v > s->max)
        return err_set(e, "%s: %s is out of range [%g, %g]", label, text, s->min, s->max);
    *out = v;
    return 0;
}

static int parse_list(const setting *s, const char *text, setting_list *list, const char *label,
                      err *e)
{
    char buf[1024];
    if (strlen(text) >= sizeof buf)
        return err_set(e, "%s: list too long", label);
    strcpy(buf, text);
    setting_list got = {0, {0}};
    for (char *tok = buf, *next; tok; tok = next) {
        next = strchr(tok, ',');
        if (next)
            *next++ = '\0';
        if (got.n == SETTING_LIST_MAX)
            return err_set(e, "%s: at most %d values", label, SETTING_LIST_MAX);
        if (parse_number(s, tok, label, &got.v[got.n++], e))
            return -1;
    }
    *list = got;
    return 0;
}

int setting_parse(const setting *s, const char *text, void *cfg, const char *label, err *e)
{
    uint64_t u;
    switch (s->type) {
    case SETTING_SIZE:
        if (parse_integer(s, text, label, &u, e))
            return -1;
        *(size_t *)field(s, cfg) = (size_t)u;
        return 0;
    case SETTING_U64:
        if (parse_integer(s, text, label, &u, e))
            return -1;
        *(uint64_t *)field(s, cfg) = u;
        return 0;
    case SETTING_REAL:
        return parse_number(s, text, label, (double *)field(s, cfg), e);
    case SETTING_LIST:
        return parse_list(s, text, (setting_list *)field(s, cfg), label, e);
    case SETTING_CHOICE:
        for (unsigned k = 0; s->choices[k]; k++)
            if (strcmp(text, s->choices[k]) == 0) {
                /* The field is an enum of the choices' indices. */
                memcpy(field(s, cfg), &k, sizeof k);
                return 0;
            }
        return err_set(e, "%s: '%s' is not one of the choices (see --help)", label, text);
    case SETTING_TEXT:
        if (!*text)
            return err_set(e, "%s: empty value", label);
        *(const char **)field(s, cfg) = text;
        return 0;
    case SETTING_SPEC:
        return s->codec->parse(text, field(s, cfg), label, e);
    case SETTING_SWITCH:
    case SETTING_FIXED:
        break;
    }
    return err_set(e, "%s: takes no value", label);
}

void setting_format(const setting *s, const void *cfg, char *buf, size_t size)
{
    buf[0] = '\0';
    switch (s->type) {
    case SETTING_SIZE: snprintf(buf, size, "%zu", *(const size_t *)cfield(s, cfg)); break;
    case SETTING_U64: snprintf(buf, size, "%" PRIu64, *(const uint64_t *)cfield(s, cfg)); break;
    case SETTING_REAL: text_real(buf, size, *(const double *)cfield(s, cfg)); break;
    case SETTING_LIST: {
        const setting_list *l = cfield(s, cfg);
        size_t used = 0;
        for (size_t k = 0; k < l->n && used < size; k++) {
            char v[TEXT_REAL_SIZE];
            text_real(v, sizeof v, l->v[k]);
            used += (size_t)snprintf(buf + used, size - used, "%s%s", k ? "," : "", v);
        }
        break;
    }
    case SETTING_CHOICE: {
        unsigned k;
        memcpy(&k, cfield(s, cfg), sizeof k);
        snprintf(buf, size, "%s", s->choices[k]);
        break;
    }
    case SETTING_TEXT: {
        const char *t = *(const char *const *)cfield(s, cfg);
        snprintf(buf, size, "%s", t ? t : "");
        break;
    }
    case SETTING_SWITCH: snprintf(buf, size, "%d", *(const int *)cfield(s, cfg)); break;
    case SETTING_FIXED: snprintf(buf, size, "%s", s->def); break;
    case SETTING_SPEC: s->codec->format(cfield(s, cfg), buf, size); break;
    }
}

int setting_is_default(const setting *s, const void *cfg)
{
    if (!s->def || s->type == SETTING_FIXED)
        return 1;
    /* The default's text form as the field holds it (the table's def
     * may be spelled otherwise: "3e-4" for 0.0003). */
    _Alignas(max_align_t) char scratch[SETTING_FIELD_MAX];
    char have[1024], want[1024];
    if (s->type == SETTING_SWITCH || s->type == SETTING_TEXT)
        return 0;
    setting setting_at0 = *s;
    setting_at0.offset = 0;
    if (setting_parse(&setting_at0, s->def, scratch, s->name, NULL))
        return 0;
    setting_format(&setting_at0, scratch, want, sizeof want);
    setting_format(s, cfg, have, sizeof have);
    return strcmp(have, want) == 0;
}

int setting_is_recorded(const setting *s, const void *cfg)
{
    if (s->flags & SETTING_SEEDS)
        return 0;
    return !(s->flags & SETTING_IF_SET) || !setting_is_default(s, cfg);
}

static int in_json(const setting *s, const void *cfg)
{
    return s->type != SETTING_SWITCH && s->type != SETTING_TEXT &&
           (!(s->flags & SETTING_IF_SET) || !setting_is_default(s, cfg));
}

void settings_write_json(FILE *f, const setting *s, size_t n, const void *cfg, const char *in)
{
    char v[1024];
    size_t last = 0;
    for (size_t i = 0; i < n; i++)
        if (in_json(&s[i], cfg))
            last = i;
    fprintf(f, "{\n");
    for (size_t i = 0; i < n; i++) {
        if (!in_json(&s[i], cfg))
            continue;
        fprintf(f, "%s  \"%s\": ", in, s[i].name);
        if (s[i].type == SETTING_LIST) {
            /* [a, b, c]: the list's text form with a space after each comma. */
            const setting_list *l = cfield(&s[i], cfg);
            fputc('[', f);
            for (size_t k = 0; k < l->n; k++) {
                text_real(v, sizeof v, l->v[k]);
                fprintf(f, "%s%s", k ? ", " : "", v);
            }
            fputc(']', f);
        } else {
            setting_format(&s[i], cfg, v, sizeof v);
            int quoted = s[i].type == SETTING_CHOICE || s[i].type == SETTING_FIXED ||
                         s[i].type == SETTING_SPEC;
            fprintf(f, quoted ? "\"%s\"" : "%s", v);
        }
        fprintf(f, "%s\n", i == last ? "" : ",");
    }
    fprintf(f, "%s}", in);
}
