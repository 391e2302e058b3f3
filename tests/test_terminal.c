/* Tests of what `sublim experiment` shows on a real terminal (a pseudo-
 * terminal): the progress line rewritten in place with escapes when the
 * terminal takes them, and no escape at all when TERM is dumb or NO_COLOR
 * is set (out/progress.h's progress_mode_for).  A tiny experiment on
 * synthetic data, so it needs no MNIST. */
#define _XOPEN_SOURCE 600 /* posix_openpt, grantpt, unlockpt, ptsname */
#include "testutil.h"

#include <fcntl.h>
#include <sys/stat.h>
#include "tu_data.h"

#define TINY "--width", "8", "--epochs", "1", "--student-epochs", "1", "--noise-images", \
             "64", "--batch", "32", "--threads", "1", "--no-curves"

/* sublim experiment TINY on the data in dir, its stdout and stderr a
 * pseudo-terminal, with TERM and NO_COLOR as given (NULL: unset); what
 * the terminal received, malloc'ed.  Fails unless it exits 0. */
static char *run_on_terminal(const char *dir, const char *term, const char *no_color)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(master >= 0);
    assert_int_equal(grantpt(master), 0);
    assert_int_equal(unlockpt(master), 0);
    const char *slave_name = ptsname(master);
    assert_non_null(slave_name);
    char out[600];
    snprintf(out, sizeof out, "%s/out-%s-%s", dir, term ? term : "none",
             no_color ? no_color : "none");
    pid_t pid = tu_fork();
    if (pid == 0) {
        setsid();
        int slave = open(slave_name, O_RDWR);
        if (slave < 0)
            _exit(127);
        dup2(slave, 1);
        dup2(slave, 2);
        close(master);
        term ? setenv("TERM", term, 1) : unsetenv("TERM");
        no_color ? setenv("NO_COLOR", no_color, 1) : unsetenv("NO_COLOR");
        execl(SUBLIM_BIN, SUBLIM_BIN, "experiment", "--seeds", "2", TINY, "--data",
              tu_path(dir, "data"), "--out", out, (char *)NULL);
        _exit(127);
    }
    /* Read until the child's side closes (EIO on Linux, 0 elsewhere). */
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    assert_non_null(buf);
    for (ssize_t got; (got = read(master, buf + n, cap - n)) > 0;)
        if ((n += (size_t)got) == cap) {
            buf = realloc(buf, (cap *= 2) + 1);
            assert_non_null(buf);
        }
    buf[n] = '\0';
    close(master);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail_msg("sublim on a terminal (TERM=%s NO_COLOR=%s) failed:\n%s", term ? term : "",
                 no_color ? no_color : "", buf);
    return buf;
}

/* xterm gets the line rewritten in place; dumb, unset TERM and NO_COLOR
 * get plain lines, without a single escape. */
static void escapes_only_where_taken(void **state)
{
    tu_dir *fx = *state;
    char data[600];
    snprintf(data, sizeof data, "%s/data", fx->dir);
    assert_int_equal(mkdir(data, 0755), 0);
    dataset train, test;
    tu_make_quadrants(&train, 128, 1);
    tu_make_quadrants(&test, 32, 2);
    tu_write_idx(data, "train", &train);
    tu_write_idx(data, "t10k", &test);
    dataset_free(&train);
    dataset_free(&test);

    char *shown = run_on_terminal(fx->dir, "xterm", NULL);
    tu_assert_contains(shown, "\033[K"); /* so the others' lack of escapes means something */
    free(shown);
    const char *term[] = {"dumb", NULL, "xterm", "xterm"};
    const char *no_color[] = {NULL, NULL, "1", "yes"};
    for (size_t k = 0; k < sizeof term / sizeof term[0]; k++) {
        shown = run_on_terminal(fx->dir, term[k], no_color[k]);
        if (strchr(shown, '\033'))
            fail_msg("TERM=%s NO_COLOR=%s: an escape on the terminal:\n%s",
                     term[k] ? term[k] : "(unset)", no_color[k] ? no_color[k] : "(unset)",
                     shown);
        tu_assert_contains(shown, "epoch 1/1 loss"); /* the plain lines */
        free(shown);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(escapes_only_where_taken, tu_dir_setup,
                                        tu_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
