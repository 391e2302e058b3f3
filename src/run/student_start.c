#include "run/student_start.h"
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "base/text.h"

_Static_assert(sizeof(student_start) <= SETTING_FIELD_MAX, "a start is a setting's field");

static int start_parse(const char *text, void *field, const char *label, err *e)
{
    student_start s;
    memset(&s, 0, sizeof s); /* padding too: configurations compare by bytes */
    if (strcmp(text, "own") == 0) {
        /* the default */
    } else if (strcmp(text, "embed") == 0) {
        s.kind = STUDENT_START_EMBED;
    } else if (strncmp(text, "mix:", 4) == 0) {
        s.kind = STUDENT_START_MIX;
        if (text_parse_real(text + 4, &s.alpha) || !isfinite(s.alpha))
            return err_set(e, "%s: '%s': mix:A takes a number A in [0, 1]", label, text);
        if (s.alpha < 0 || s.alpha > 1)
            return err_set(e, "%s: '%s': A is out of range [0, 1]", label, text);
    } else {
        return err_set(e, "%s: '%s' is not a start (own, embed or mix:A)", label, text);
    }
    memcpy(field, &s, sizeof s);
    return 0;
}

static void start_format(const void *field, char *buf, size_t size)
{
    student_start s;
    memcpy(&s, field, sizeof s);
    if (s.kind == STUDENT_START_MIX) {
        char a[TEXT_REAL_SIZE];
        text_real(a, sizeof a, s.alpha);
        snprintf(buf, size, "mix:%s", a);
    } else {
        snprintf(buf, size, "%s", s.kind == STUDENT_START_EMBED ? "embed" : "own");
    }
}

const setting_codec STUDENT_START_CODEC = {start_parse, start_format};

void student_start_mix(float *out, const float *shared, const float *other, size_t n,
                       double alpha)
{
    double beta = 1 - alpha, norm = sqrt(alpha * alpha + beta * beta);
    for (size_t k = 0; k < n; k++)
        out[k] = (float)((alpha * shared[k] + beta * other[k]) / norm);
}
