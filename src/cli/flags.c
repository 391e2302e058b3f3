#include "cli/flags.h"
#include <ctype.h>
#include <string.h>

/* The setting whose flag is name[0..len), or NULL (its table in *cfg). */
static const setting *find(const char *name, size_t len, const flag_table *tables,
                           size_t n_tables, void **cfg)
{
    char flag[80];
    for (size_t t = 0; t < n_tables; t++)
        for (size_t i = 0; i < tables[t].n; i++) {
            const setting *s = &tables[t].settings[i];
            if (!setting_has_flag(s))
                continue;
            setting_flag(s, flag, sizeof flag);
            if (strlen(flag + 2) == len && strncmp(flag + 2, name, len) == 0) {
                *cfg = tables[t].cfg;
                return s;
            }
        }
    return NULL;
}

/* "--resume", "-h": an argument a user meant as a flag, so "--out --resume"
 * lacks its value rather than naming a folder "--resume"; "-1" and "-.5"
 * are values (a range check refuses them where they are wrong). */
static int looks_like_flag(const char *arg)
{
    return arg[0] == '-' && (arg[1] == '-' || isalpha((unsigned char)arg[1]));
}

int flags_takes_value(const char *arg, const flag_table *tables, size_t n_tables)
{
    void *cfg;
    if (strncmp(arg, "--", 2) != 0 || strchr(arg, '='))
        return 0;
    const setting *s = find(arg + 2, strlen(arg + 2), tables, n_tables, &cfg);
    return s && s->type != SETTING_SWITCH;
}

int flags_parse(int argc, char **argv, const flag_table *tables, size_t n_tables, err *e)
{
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
            return 1;
        if (strncmp(arg, "--", 2) != 0)
            return err_set(e, "unexpected argument '%s' (flags start with --)", arg);
        const char *name = arg + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        void *cfg;
        const setting *s = find(name, len, tables, n_tables, &cfg);
        if (!s)
            return err_set(e, "unknown flag '--%.*s' (see --help)", (int)len, name);
        char flag[80];
        setting_flag(s, flag, sizeof flag);
        if (s->type == SETTING_SWITCH) {
            if (eq)
                return err_set(e, "%s takes no value", flag);
            *(int *)((char *)cfg + s->offset) = 1;
            continue;
        }
        const char *value = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (!value)
            return err_set(e, "%s needs a value", flag);
        if (!eq && looks_like_flag(value))
            return err_set(e, "%s needs a value, and '%s' looks like a flag (write %s=%s if "
                              "it is the value)",
                           flag, value, flag, value);
        if (setting_parse(s, value, cfg, flag, e))
            return -1;
    }
    return 0;
}

/* The current value as help shows it: "normal*|uniform" for a choice. */
static void current(const setting *s, const void *cfg, char *buf, size_t size)
{
    if (s->type != SETTING_CHOICE) {
        setting_format(s, cfg, buf, size);
        return;
    }
    unsigned k;
    memcpy(&k, (const char *)cfg + s->offset, sizeof k);
    size_t used = 0;
    buf[0] = '\0';
    for (unsigned c = 0; s->choices[c] && used < size; c++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s%s", c ? "|" : "",
                                 s->choices[c], c == k ? "*" : "");
}

void flags_print_help(FILE *out, const char *usage, const flag_table *tables, size_t n_tables)
{
    fprintf(out, "%s\n\nflags:\n", usage);
    for (size_t t = 0; t < n_tables; t++)
        for (size_t i = 0; i < tables[t].n; i++) {
            const setting *s = &tables[t].settings[i];
            if (!setting_has_flag(s))
                continue;
            char flag[80], def[256] = "";
            setting_flag(s, flag, sizeof flag);
            if (s->type != SETTING_SWITCH) {
                strncat(flag, " X", sizeof flag - strlen(flag) - 1);
                current(s, tables[t].cfg, def, sizeof def);
            }
            fprintf(out, "  %-22s %s%s%s%s\n", flag, s->help, *def ? " [" : "", def,
                    *def ? "]" : "");
        }
}
