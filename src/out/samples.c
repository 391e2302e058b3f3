#include "out/samples.h"
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/atomic.h"
#include "base/files.h"
#include "base/text.h"

#define PGM_MAXVAL 255
#define PGM_LINE 70 /* the plain PGM format's longest line */

/* An input in [-1, 1] (batch.h's scale) as a grey level. */
static uint8_t grey_of(float v)
{
    double g = round(((double)v + 1.0) * 127.5);
    return (uint8_t)(g < 0 ? 0 : g > PGM_MAXVAL ? PGM_MAXVAL : g);
}

static size_t strip_width(const samples *s) { return s->n * s->cols; }

uint8_t samples_grey(const samples *s, int noise, size_t k, size_t y, size_t x)
{
    return s->pixels[((size_t)noise * s->rows + y) * strip_width(s) + k * s->cols + x];
}

void samples_free(samples *s)
{
    free(s->pixels);
    memset(s, 0, sizeof *s);
}

int samples_make(samples *s, const dataset *train, uint64_t seed, enum noise_kind noise,
                 err *e)
{
    memset(s, 0, sizeof *s);
    s->n = train->n < SAMPLES_N ? train->n : SAMPLES_N;
    s->rows = train->rows;
    s->cols = train->cols;
    s->seed = seed;
    s->noise = noise;
    size_t pixels = train->pixels, index[SAMPLES_N];
    float *in = malloc(2 * SAMPLES_N * pixels * sizeof *in);
    s->pixels = malloc(2 * SAMPLES_N * pixels + 1);
    if (!in || !s->pixels) {
        free(in);
        samples_free(s);
        return err_set(e, "out of memory for samples.pgm");
    }
    for (size_t k = 0; k < s->n; k++) {
        index[k] = k;
        s->labels[k] = train->labels[k];
    }
    /* The batch builders the training uses (serially: no pool). */
    batch_digits_f32(NULL, in, train, index, s->n);
    batch_noise_f32(NULL, in + s->n * pixels, seed, noise, index, s->n, pixels);
    for (int row = 0; row < 2; row++)
        for (size_t k = 0; k < s->n; k++)
            for (size_t y = 0; y < s->rows; y++)
                for (size_t x = 0; x < s->cols; x++)
                    s->pixels[((size_t)row * s->rows + y) * strip_width(s) + k * s->cols + x] =
                        grey_of(in[((size_t)row * s->n + k) * pixels + y * s->cols + x]);
    free(in);
    return 0;
}

int samples_write(const char *path, const samples *s, err *e)
{
    atomic_file af;
    if (atomic_open(&af, path, e))
        return -1;
    FILE *f = af.f;
    size_t w = strip_width(s), h = 2 * s->rows;
    fprintf(f, "P2\n# sublim samples: the top row is the first %zu training digits, the "
               "bottom row the first %zu noise images of seed %" PRIu64 ", as the networks "
               "see them (inputs -1..1 drawn 0..255; noise beyond that clipped)\n",
            s->n, s->n, s->seed);
    fprintf(f, "# images %zu\n# labels", s->n);
    for (size_t k = 0; k < s->n; k++)
        fprintf(f, " %u", s->labels[k]);
    fprintf(f, "\n# seed %" PRIu64 "\n# noise %s\n%zu %zu\n%d\n", s->seed, NOISE_NAMES[s->noise],
            w, h, PGM_MAXVAL);
    for (size_t y = 0; y < h; y++) {
        size_t used = 0;
        for (size_t x = 0; x < w; x++) {
            char cell[8];
            int len = snprintf(cell, sizeof cell, "%u", s->pixels[y * w + x]);
            if (used && used + 1 + (size_t)len > PGM_LINE) {
                fputc('\n', f);
                used = 0;
            }
            used += (size_t)fprintf(f, "%s%s", used ? " " : "", cell);
        }
        fputc('\n', f);
    }
    return atomic_commit(&af, e);
}

/* ---- reading ---- */

/* A cursor over the file's text. */
typedef struct {
    const char *p;
} cursor;

/* The next line (without its '\n') into buf; 0 when there is none. */
static int next_line(cursor *c, char *buf, size_t size)
{
    const char *end = strchr(c->p, '\n');
    if (!end || (size_t)(end - c->p) >= size)
        return 0;
    memcpy(buf, c->p, (size_t)(end - c->p));
    buf[end - c->p] = '\0';
    c->p = end + 1;
    return 1;
}

/* The line "# key rest": rest, or NULL. */
static const char *comment(cursor *c, const char *key, char *buf, size_t size)
{
    size_t k = strlen(key);
    if (!next_line(c, buf, size) || strncmp(buf, "# ", 2) != 0 || strncmp(buf + 2, key, k) != 0 ||
        buf[2 + k] != ' ')
        return NULL;
    return buf + 3 + k;
}

/* A whole decimal number among spaces; advances *p. */
static int number(const char **p, uint64_t *v)
{
    char digits[24];
    size_t n = 0;
    while (**p == ' ' || **p == '\n')
        (*p)++;
    while (**p >= '0' && **p <= '9' && n + 1 < sizeof digits)
        digits[n++] = *(*p)++;
    digits[n] = '\0';
    return n == 0 || text_parse_u64(digits, v) ? -1 : 0;
}

static int parse(const char *text, samples *s)
{
    cursor c = {text};
    char line[512];
    const char *rest;
    uint64_t v, w, h;
    if (!next_line(&c, line, sizeof line) || strcmp(line, "P2") != 0 ||
        !next_line(&c, line, sizeof line) || strncmp(line, "# sublim samples", 16) != 0 ||
        !(rest = comment(&c, "images", line, sizeof line)) || number(&rest, &v) || *rest ||
        v == 0 || v > SAMPLES_N)
        return -1;
    s->n = (size_t)v;
    if (!(rest = comment(&c, "labels", line, sizeof line)))
        return -1;
    for (size_t k = 0; k < s->n; k++) {
        if (number(&rest, &v) || v > UINT8_MAX)
            return -1;
        s->labels[k] = (uint8_t)v;
    }
    if (*rest || !(rest = comment(&c, "seed", line, sizeof line)) || number(&rest, &s->seed) ||
        *rest || !(rest = comment(&c, "noise", line, sizeof line)))
        return -1;
    int kind = -1;
    for (int i = 0; NOISE_NAMES[i]; i++)
        if (strcmp(rest, NOISE_NAMES[i]) == 0)
            kind = i;
    if (kind < 0)
        return -1;
    s->noise = (enum noise_kind)kind;
    const char *p = c.p;
    if (number(&p, &w) || number(&p, &h) || number(&p, &v) || v != PGM_MAXVAL || w == 0 ||
        w > SAMPLES_MAX_SIDE || h == 0 || h > SAMPLES_MAX_SIDE || w % s->n || h % 2)
        return -1;
    s->cols = (size_t)w / s->n;
    s->rows = (size_t)h / 2;
    if (!(s->pixels = malloc((size_t)(w * h))))
        return -1;
    for (size_t i = 0; i < w * h; i++) {
        if (number(&p, &v) || v > PGM_MAXVAL)
            return -1;
        s->pixels[i] = (uint8_t)v;
    }
    while (*p == ' ' || *p == '\n')
        p++;
    return *p ? -1 : 0;
}

int samples_read(const char *path, samples *s, err *e)
{
    char *text;
    size_t len;
    memset(s, 0, sizeof *s);
    if (files_read_all(path, &text, &len, e))
        return -1;
    int rc = strlen(text) != len || parse(text, s) ? -1 : 0;
    free(text);
    if (rc) {
        samples_free(s);
        return err_set(e, "%s: not a samples.pgm as sublim writes it", path);
    }
    return 0;
}
