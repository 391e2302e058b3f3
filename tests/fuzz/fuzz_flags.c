/* Fuzz target: the command line (cli/flags.h) over a table with every
 * setting type.  The input is split at NUL bytes and newlines into argv.
 * Whatever the input: no crash, an error says something, and a parse that
 * succeeds leaves every value in its range, flagless fields untouched, and
 * each value's text form reading back to the same bits. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/flags.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum pick { PICK_A, PICK_BB };
static const char *const PICKS[] = {"a", "bb", NULL};

typedef struct {
    size_t size;
    uint64_t u64;
    double real;
    setting_list list;
    enum pick choice;
    const char *str;
    int sw;
    size_t fixed_in_code;
} cfg_t;

#define AT(f) offsetof(cfg_t, f)
static const setting TABLE[] = {
    {"size", SETTING_SIZE, AT(size), "1", 1, 1000, NULL, "a size", 0},
    {"u64", SETTING_U64, AT(u64), "0", 0, 1e15, NULL, "a seed", SETTING_SEEDS},
    {"real", SETTING_REAL, AT(real), "0.5", 1e-9, 1e3, NULL, "a number", 0},
    {"list", SETTING_LIST, AT(list), "0.1", 1e-12, 1, NULL, "a list", 0},
    {"choice", SETTING_CHOICE, AT(choice), "a", 0, 0, PICKS, "a choice", 0},
    {"str", SETTING_TEXT, AT(str), NULL, 0, 0, NULL, "a string", 0},
    {"switch", SETTING_SWITCH, AT(sw), NULL, 0, 0, NULL, "a switch", 0},
    {"fixed_in_code", SETTING_SIZE, AT(fixed_in_code), "7", 0, 9, NULL, "no flag",
     SETTING_NO_FLAG},
    {"recorded", SETTING_FIXED, 0, "v1", 0, 0, NULL, "recorded only", 0},
};
#undef AT
#define N_TABLE (sizeof TABLE / sizeof TABLE[0])

/* Every value of c in its range, and its text form parsing back to it. */
static void check(const cfg_t *c)
{
    if (c->size < 1 || c->size > 1000 || c->u64 > 1000000000000000ull)
        abort();
    if (!(c->real >= 1e-9 && c->real <= 1e3))
        abort();
    if (c->list.n < 1 || c->list.n > SETTING_LIST_MAX)
        abort();
    for (size_t k = 0; k < c->list.n; k++)
        if (!(c->list.v[k] >= 1e-12 && c->list.v[k] <= 1))
            abort();
    if ((unsigned)c->choice > PICK_BB || (c->str && !*c->str) || (c->sw != 0 && c->sw != 1))
        abort();
    if (c->fixed_in_code != 7)
        abort(); /* a SETTING_NO_FLAG field was set from the command line */
    for (size_t i = 0; i < N_TABLE; i++) {
        const setting *s = &TABLE[i];
        size_t bytes = s->type == SETTING_SIZE     ? sizeof(size_t)
                       : s->type == SETTING_U64    ? sizeof(uint64_t)
                       : s->type == SETTING_REAL   ? sizeof(double)
                       : s->type == SETTING_LIST   ? sizeof(setting_list)
                       : s->type == SETTING_CHOICE ? sizeof(enum pick)
                                                   : 0;
        if (!bytes)
            continue; /* text (checked above), switch, fixed */
        char text[1024];
        setting_format(s, c, text, sizeof text);
        cfg_t back = *c;
        memset((char *)&back + s->offset, 0, bytes);
        if (setting_parse(s, text, &back, s->name, NULL) != 0 || memcmp(&back, c, sizeof back))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *argv[64];
    int argc = 0;
    for (size_t i = 0; i <= size && argc < 64;) {
        size_t len = strcspn(buf + i, "\n");
        buf[i + len] = '\0';
        argv[argc++] = buf + i;
        i += len + 1;
    }
    cfg_t c;
    memset(&c, 0, sizeof c);
    if (settings_defaults(TABLE, N_TABLE, &c, NULL))
        abort();
    const flag_table tables[] = {{TABLE, N_TABLE, &c}};
    for (int i = 0; i < argc; i++)
        (void)flags_takes_value(argv[i], tables, 1);
    err e;
    e.msg[0] = '\0';
    int rc = flags_parse(argc, argv, tables, 1, &e);
    if (rc == -1 && !e.msg[0])
        abort(); /* a refusal must say why */
    if (rc == 0)
        check(&c);
    if (rc != -1) {
        static FILE *sink;
        if (!sink)
            sink = fopen("/dev/null", "w");
        if (sink)
            flags_print_help(sink, "usage: fuzz", tables, 1);
    }
    free(buf);
    return 0;
}
