/* Tests of base/err.h: a message that fits is kept as formatted; one that
 * does not keeps its reason and loses the middle of its long words (paths),
 * never a UTF-8 character cut in two; a message with no long word is cut at
 * its end; e->msg may be one of the arguments. */
#include "testutil.h"

#include "base/err.h"

/* A path of len bytes: /tmp, folders of at most 200 x's, then
 * /last-folder. */
static void long_path(char *buf, size_t len)
{
    const char *last = "/last-folder";
    strcpy(buf, "/tmp");
    for (size_t n = strlen(buf); n + strlen(last) < len; n = strlen(buf)) {
        size_t room = len - strlen(last) - n - 1, seg = room < 200 ? room : 200;
        strcat(buf, "/");
        memset(buf + n + 1, 'x', seg);
        buf[n + 1 + seg] = '\0';
    }
    strcat(buf, last);
}

static void short_message_kept(void **state)
{
    (void)state;
    err e;
    assert_int_equal(err_set(&e, "%s: cannot open: %s", "/tmp/a b/results.csv", "No such file"),
                     -1);
    assert_string_equal(e.msg, "/tmp/a b/results.csv: cannot open: No such file");
    assert_int_equal(err_set(NULL, "%s", "nothing to write to"), -1);
    /* Exactly sizeof e.msg - 1 bytes: kept whole. */
    char fits[sizeof e.msg];
    memset(fits, 'y', sizeof fits - 1);
    fits[sizeof fits - 1] = '\0';
    err_set(&e, "%s", fits);
    assert_string_equal(e.msg, fits);
}

/* A 4 KB path before the reason: the reason is there whole, and the path's
 * start and end around "...". */
static void long_path_keeps_the_reason(void **state)
{
    (void)state;
    char path[4100];
    long_path(path, 4000);
    assert_int_equal(strlen(path), 4000);
    err e;
    err_set(&e, "%s: cannot create the folder: %s", path, "No such file or directory");
    assert_true(strlen(e.msg) < sizeof e.msg);
    assert_true(strncmp(e.msg, "/tmp/xxx", 8) == 0);
    tu_assert_contains(e.msg, "...");
    tu_assert_contains(e.msg, "x/last-folder: cannot create the folder: No such file or "
                              "directory");
    /* It fills the message: as much of the path as fits is kept. */
    assert_true(strlen(e.msg) >= sizeof e.msg - 2);

    /* Two long paths: both lose their middle, the words between them stay. */
    err_set(&e, "%s and %s hold the same seed: refusing to merge", path, path);
    assert_true(strlen(e.msg) < sizeof e.msg);
    assert_int_equal(tu_count(e.msg, "..."), 2);
    tu_assert_contains(e.msg, "/last-folder and /tmp/");
    tu_assert_contains(e.msg, "/last-folder hold the same seed: refusing to merge");
}

/* 1 when s is well-formed UTF-8. */
static int valid_utf8(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t more = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : 9;
        if (more == 9)
            return 0;
        for (p++; more > 0; more--, p++)
            if ((*p & 0xC0) != 0x80)
                return 0;
    }
    return 1;
}

/* A path of two- and three-byte characters is shortened between
 * characters, at every length. */
static void shortening_keeps_utf8_whole(void **state)
{
    (void)state;
    char path[2000];
    for (size_t extra = 0; extra < 6; extra++) {
        strcpy(path, "/tmp/");
        while (strlen(path) < 1500 + extra)
            strcat(path, strlen(path) % 2 ? "é" : "€");
        err e;
        err_set(&e, "%s: not a regular file", path);
        if (!valid_utf8(e.msg))
            fail_msg("not UTF-8: %s", e.msg);
        tu_assert_contains(e.msg, "...");
        tu_assert_contains(e.msg, ": not a regular file");
    }
}

/* Nothing long enough to shorten: the end is cut, the message stays a
 * string of sizeof e.msg - 1 bytes. */
static void no_long_word_cut_at_the_end(void **state)
{
    (void)state;
    char words[1500] = "";
    while (strlen(words) < 1400)
        strcat(words, "word ");
    err e;
    err_set(&e, "%s", words);
    assert_int_equal(strlen(e.msg), sizeof e.msg - 1);
    assert_true(strncmp(e.msg, words, sizeof e.msg - 1) == 0);
}

/* The message may be built from its own previous text. */
static void message_may_quote_itself(void **state)
{
    (void)state;
    err e;
    err_set(&e, "cannot open: %s", "No such file");
    err_set(&e, "--load-teacher: %s", e.msg);
    assert_string_equal(e.msg, "--load-teacher: cannot open: No such file");
    char path[4100];
    long_path(path, 4000);
    err_set(&e, "%s: cannot open: %s", path, "Permission denied");
    err_set(&e, "--resume: %s", e.msg);
    assert_true(strncmp(e.msg, "--resume: /tmp/", 15) == 0);
    tu_assert_contains(e.msg, "/last-folder: cannot open: Permission denied");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(short_message_kept),
        cmocka_unit_test(long_path_keeps_the_reason),
        cmocka_unit_test(shortening_keeps_utf8_whole),
        cmocka_unit_test(no_long_word_cut_at_the_end),
        cmocka_unit_test(message_may_quote_itself),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
