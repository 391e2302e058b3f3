#include "cli/flags.h"
#include <ctype.h>
#include <stdio.h>
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

/* "--init normal|uniform": the flag with what it takes. */
static void flag_with_placeholder(const setting *s, char *buf, size_t size)
{
    char arg[256];
    setting_flag(s, buf, size);
    setting_placeholder(s, arg, sizeof arg);
    if (*arg)
        snprintf(buf + strlen(buf), size - strlen(buf), " %s", arg);
}

/* Help's first column is as wide as its widest entry up to this; a wider
 * one gets a line of its own, its help below it. */
#define HELP_COLUMN_MAX 30

void flags_print_help(FILE *out, const char *usage, const flag_table *tables, size_t n_tables)
{
    char flag[320], value[256];
    int column = 22; /* at least: short tables line up with long ones */
    for (size_t t = 0; t < n_tables; t++)
        for (size_t i = 0; i < tables[t].n; i++) {
            if (!setting_has_flag(&tables[t].settings[i]))
                continue;
            flag_with_placeholder(&tables[t].settings[i], flag, sizeof flag);
            int len = (int)strlen(flag);
            if (len <= HELP_COLUMN_MAX && len > column)
                column = len;
        }
    fprintf(out, "%s\n\nflags:\n", usage);
    for (size_t t = 0; t < n_tables; t++)
        for (size_t i = 0; i < tables[t].n; i++) {
            const setting *s = &tables[t].settings[i];
            if (!setting_has_flag(s))
                continue;
            flag_with_placeholder(s, flag, sizeof flag);
            /* The current value: the default until parsing changed it. */
            value[0] = '\0';
            if (s->type != SETTING_SWITCH)
                setting_format(s, tables[t].cfg, value, sizeof value);
            if ((int)strlen(flag) > column)
                fprintf(out, "  %s\n  %-*s", flag, column, "");
            else
                fprintf(out, "  %-*s", column, flag);
            fprintf(out, " %s%s%s%s\n", s->help, *value ? " [" : "", value, *value ? "]" : "");
        }
}
