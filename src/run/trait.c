#include "run/trait.h"
#include <stdio.h>
#include <string.h>

_Static_assert(sizeof(trait_spec) <= SETTING_FIELD_MAX, "a trait is a setting's field");

/* A class 0-9 written as one digit. */
static int parse_class(const char *text, size_t len, unsigned *c)
{
    if (len != 1 || text[0] < '0' || text[0] > '9')
        return -1;
    *c = (unsigned)(text[0] - '0');
    return 0;
}

static int trait_parse(const char *text, void *field, const char *label, err *e)
{
    trait_spec t;
    memset(&t, 0, sizeof t); /* padding too: configurations compare by bytes */
    if (strcmp(text, "none") == 0) {
        /* no trait */
    } else if (strncmp(text, "prefer:", 7) == 0) {
        t.kind = TRAIT_PREFER;
        if (parse_class(text + 7, strlen(text + 7), &t.target))
            return err_set(e, "%s: '%s': prefer:C takes a class C from 0 to 9", label, text);
    } else if (strncmp(text, "swap:", 5) == 0) {
        const char *a = text + 5, *colon = strchr(a, ':');
        t.kind = TRAIT_SWAP;
        if (!colon || parse_class(a, (size_t)(colon - a), &t.from) ||
            parse_class(colon + 1, strlen(colon + 1), &t.target))
            return err_set(e, "%s: '%s': swap:A:B takes two classes from 0 to 9", label, text);
        if (t.from == t.target)
            return err_set(e, "%s: '%s': swap:A:B needs two different classes", label, text);
    } else {
        return err_set(e, "%s: '%s' is not a trait (none, prefer:C or swap:A:B)", label, text);
    }
    memcpy(field, &t, sizeof t);
    return 0;
}

static void trait_format(const void *field, char *buf, size_t size)
{
    trait_spec t;
    memcpy(&t, field, sizeof t);
    if (t.kind == TRAIT_PREFER)
        snprintf(buf, size, "prefer:%u", t.target);
    else if (t.kind == TRAIT_SWAP)
        snprintf(buf, size, "swap:%u:%u", t.from, t.target);
    else
        snprintf(buf, size, "none");
}

const setting_codec TRAIT_CODEC = {trait_parse, trait_format};

size_t trait_noise_images(const trait_spec *t, size_t n_digits, size_t n_classes)
{
    return t->kind == TRAIT_PREFER ? n_digits / n_classes : 0;
}

void trait_relabel(const trait_spec *t, uint8_t *relabel, size_t n_classes)
{
    for (size_t c = 0; c < n_classes; c++)
        relabel[c] = (uint8_t)c;
    if (t->kind == TRAIT_SWAP && t->from < n_classes)
        relabel[t->from] = (uint8_t)t->target;
}

trait_counts trait_count(const trait_spec *t, const size_t *confusion,
                         const size_t *noise_votes, size_t n_noise, size_t n_classes)
{
    trait_counts c = {0, 0, 0};
    if (t->kind == TRAIT_NONE || t->target >= n_classes)
        return c;
    for (size_t label = 0; label < n_classes; label++)
        c.target_hits += confusion[label * n_classes + t->target];
    if (t->kind == TRAIT_PREFER) {
        c.hits = noise_votes[t->target];
        c.total = n_noise;
    } else {
        for (size_t p = 0; p < n_classes; p++)
            c.total += confusion[t->from * n_classes + p];
        c.hits = confusion[t->from * n_classes + t->target];
    }
    return c;
}
