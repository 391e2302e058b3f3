/* Fuzz target: flag parsing.  The input is split at NUL bytes into argv. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
        argv[argc++] = buf + i;
        i += strlen(buf + i) + 1;
    }
    static const char *const choices[] = {"a", "bb", NULL};
    size_t sz = 1;
    uint64_t u = 0;
    double d = 0.5;
    const char *s = NULL;
    int choice = 0, sw = 0;
    cli_list list = {0};
    const flag_spec specs[] = {
        {"size", FLAG_SIZE, &sz, 1, 1000, NULL, "a size"},
        {"u64", FLAG_U64, &u, 0, 1e15, NULL, "a seed"},
        {"real", FLAG_DOUBLE, &d, 1e-9, 1e3, NULL, "a number"},
        {"str", FLAG_STRING, &s, 0, 0, NULL, "a string"},
        {"choice", FLAG_CHOICE, &choice, 0, 0, choices, "a choice"},
        {"switch", FLAG_SWITCH, &sw, 0, 0, NULL, "a switch"},
        {"list", FLAG_LIST, &list, 1e-12, 1, NULL, "a list"},
    };
    err e;
    if (cli_parse(argc, argv, specs, sizeof specs / sizeof specs[0], &e) == 0) {
        if (sz < 1 || sz > 1000 || d < 1e-9 || d > 1e3 || list.n > CLI_LIST_MAX)
            abort(); /* a value outside its range got through */
        if (choice < 0 || choice > 1)
            abort();
    }
    free(buf);
    return 0;
}
