/* setting: the fields of a configuration struct, declared as data.
 *
 * A table of settings describes a struct: per field its name, type,
 * default, range and one line of help.  From the table alone sublim parses
 * the command line (--name, '_' written '-'), prints --help, writes and
 * reads config.txt and the JSON configuration blocks, and names the flag
 * of a config.txt key in reports: adding a setting is one entry, plus the
 * code that uses its value.
 *
 * Every value has one text form (setting_format), the one config.txt
 * records; setting_parse reads it back to the same bits. */
#ifndef SUBLIM_SETTING_H
#define SUBLIM_SETTING_H

#include <stddef.h>
#include <stdio.h>
#include "base/err.h"

typedef enum {
    SETTING_SIZE,   /* size_t: an integer in [min, max] */
    SETTING_U64,    /* uint64_t: an integer in [min, max] */
    SETTING_REAL,   /* double: a finite number in [min, max] */
    SETTING_LIST,   /* setting_list: comma-separated numbers, each in [min, max] */
    SETTING_CHOICE, /* an enum whose values are the indices of choices[] */
    SETTING_TEXT,   /* const char *: not empty (a path); the default may be NULL */
    SETTING_SWITCH, /* int: 1 when the flag is given; it takes no value */
    SETTING_FIXED,  /* no field: def is the value of every run (recorded, not set) */
    SETTING_SPEC,   /* a field with a small grammar of its own: read and written by codec */
} setting_type;

/* SETTING_SPEC's field, read from text and written back as text: parse
 * checks all of it (errors start with label) and format gives the one
 * text form that parses to the same bits. */
/* The largest field a setting may have (a setting_list). */
#define SETTING_FIELD_MAX 512

typedef struct {
    int (*parse)(const char *text, void *field, const char *label, err *e);
    void (*format)(const void *field, char *buf, size_t size);
} setting_codec;

/* SETTING_LIST's field. */
#define SETTING_LIST_MAX 32
typedef struct {
    size_t n;
    double v[SETTING_LIST_MAX];
} setting_list;

/* Bits of setting.flags. */
enum {
    SETTING_NO_FLAG = 1, /* a field the command line cannot set (recorded as fixed) */
    SETTING_SEEDS = 2,   /* says which seeds run, not what a seed computes: left out of
                            config.txt, so folders of other seeds can be merged */
    SETTING_IF_SET = 4,  /* recorded (config.txt, JSON) only when not at its default, so
                            results written before the setting existed read as its default
                            and a default run's files keep their bytes */
    SETTING_ONE_VALUE = 8, /* a sweep takes one value of it: its tasks share what it
                              names (the data a sweep reads) */
};

typedef struct {
    const char *name;           /* config.txt and JSON key; the flag is --name, '_' as '-' */
    setting_type type;
    size_t offset;              /* offsetof the field in its struct (not FIXED) */
    const char *def;            /* the default as text (FIXED: the value); NULL: none */
    double min, max;            /* numbers, and each entry of a list */
    const char *const *choices; /* CHOICE: names in enum order, NULL-terminated */
    const char *help;           /* one line for --help */
    unsigned flags;             /* SETTING_NO_FLAG, SETTING_SEEDS, SETTING_IF_SET */
    const setting_codec *codec; /* SPEC: its grammar (other tables leave it out) */
    const char *placeholder;    /* what the flag takes, for help ("DIR", "FILE"); NULL: from
                                   the type (setting_placeholder) */
} setting;

/* Sets every field of cfg to its default; -1 (naming the setting) when a
 * default does not parse, which is a bug in the table. */
int settings_defaults(const setting *s, size_t n, void *cfg, err *e);

/* The same for tables fixed in the program: a default that does not parse
 * is a bug in the table, reported on stderr (naming the setting) before
 * abort().  tests/test_setting.c parses every default of the science's
 * tables; the commands' own tables are parsed by every run of --help. */
void settings_init(const setting *s, size_t n, void *cfg);

/* The entry called name, or NULL. */
const setting *settings_find(const setting *s, size_t n, const char *name);

/* "--student-epochs" for "student_epochs". */
void setting_flag(const setting *s, char *buf, size_t size);

/* What s's flag takes, as --help and the man page show it: "" for a
 * switch (and a setting without a flag), else s->placeholder when set,
 * else from the type: N (an integer), X (a real number), LIST (numbers,
 * comma-separated), the choices ("normal|uniform"), TEXT. */
void setting_placeholder(const setting *s, char *buf, size_t size);

/* 1 when the command line can set s. */
int setting_has_flag(const setting *s);

/* Reads text into s's field of cfg, checking type and range; errors start
 * with label (a flag, or "file: key").  SWITCH fields are set by the
 * command line alone (setting_parse refuses them). */
int setting_parse(const setting *s, const char *text, void *cfg, const char *label, err *e);

/* The text form of s's value in cfg ("" for a NULL text). */
void setting_format(const setting *s, const void *cfg, char *buf, size_t size);

/* 1 when s's value in cfg is its default (compared as text). */
int setting_is_default(const setting *s, const void *cfg);

/* 1 when config.txt and JSON blocks hold s's value in cfg: not a seed
 * setting, and not a SETTING_IF_SET one at its default. */
int setting_is_recorded(const setting *s, const void *cfg);

/* The settings (those with a value: not SWITCH or TEXT) as a JSON object,
 * keys in table order, one per line indented by indent + 2 spaces; a
 * SETTING_IF_SET setting only when it is not at its default. */
void settings_write_json(FILE *f, const setting *s, size_t n, const void *cfg,
                         const char *indent);

#endif
