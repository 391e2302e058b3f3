/* report.html and the files it draws from: classes.csv (each row's counts
 * per digit) and samples.pgm (what the networks see). */
#include "testutil.h"
#include "tu_data.h"
#include "tu_folder.h"

#include <inttypes.h>

#include "out/classes.h"
#include "out/report_html.h"
#include "out/samples.h"

/* ---- escaping ---- */

static char *escaped(const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    report_html_escape(f, s);
    fclose(f);
    return buf;
}

/* Every character HTML gives a meaning to is escaped; the rest, UTF-8
 * included, is kept. */
static void escapes_what_html_reads(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"a<b>&\"'c", "a&lt;b&gt;&amp;&quot;&#39;c"},
        {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
        {"&amp;", "&amp;amp;"},
        {"θ0′ 53.1%", "θ0′ 53.1%"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = escaped(cases[i][0]);
        assert_string_equal(got, cases[i][1]);
        free(got);
    }
}

/* ---- the page ---- */

/* A synthetic folder with every file, theorem.csv and samples.pgm too;
 * run.txt's command holds text HTML would read. */
static void make_full_folder(const char *dir)
{
    uint64_t seeds[] = {0, 1, 2};
    experiment_config cfg = tu_small_config();
    tu_make_folder(dir, seeds, 3, &cfg, TU_ALL_FILES);
    const char theorem[] = "variant,eps,trials,aligned_frac\nsame_init,0.001,20,1\n"
                           "cross_init,0.001,20,0.5\n";
    tu_write_file(tu_path(dir, FOLDER_THEOREM_CSV), theorem, sizeof theorem - 1);
    kv_list run;
    char *argv[] = {"sublim", "experiment", "--out", "<b>&x"};
    err e;
    runlog_make(&run, 4, argv, "/nonexistent", "0-2", 2, "generic");
    config_data_set(&run, tu_data_read());
    runlog_finish(&run, 12.5, "finished");
    assert_int_equal(runlog_write(tu_path(dir, FOLDER_RUNS), &run, 1, &e), 0);
    dataset d;
    tu_make_quadrants(&d, 20, 1);
    samples s;
    assert_int_equal(samples_make(&s, &d, 0, NOISE_UNIFORM, &e), 0);
    assert_int_equal(samples_write(tu_path(dir, FOLDER_SAMPLES), &s, &e), 0);
    samples_free(&s);
    dataset_free(&d);
}

static void assert_every_section(const char *html)
{
    for (size_t i = 0; REPORT_HTML_SECTIONS[i]; i++) {
        char want[64];
        snprintf(want, sizeof want, "<section id=\"%s\">", REPORT_HTML_SECTIONS[i]);
        if (tu_count(html, want) != 1)
            fail_msg("report.html has %zu sections %s", tu_count(html, want), want);
    }
    /* Self-contained: no script, nothing loaded from elsewhere. */
    assert_int_equal(tu_count(html, "<script"), 0);
    assert_int_equal(tu_count(html, "src="), 0);
    assert_int_equal(tu_count(html, "href="), 0);
    assert_int_equal(tu_count(html, "<?xml"), 0);
}

/* Every section, each with what its file holds: the three figures inlined, a
 * heat map of 100 cells per arm whose counts are the rows' summed, the
 * samples as 16 images, the theorem's rows and legend; text from the
 * files escaped; `sublim report` gives the same bytes again. */
static void page_has_every_part(void **state)
{
    tu_dir *fx = *state;
    make_full_folder(fx->dir);
    tu_regenerate_ok(fx->dir);
    char *html = tu_slurp(tu_path(fx->dir, FOLDER_REPORT_HTML), NULL);
    assert_every_section(html);
    assert_int_equal(tu_count(html, "<p class=\"missing\">"), 0);
    experiment_config cfg = tu_small_config();
    size_t n_arms = experiment_arms_run(&cfg, NULL);
    assert_int_equal(tu_count(html, "<rect class=\"cell\""), 100 * n_arms);
    assert_int_equal(tu_count(html, "<g class=\"digit\">"), SAMPLES_N);
    assert_int_equal(tu_count(html, "<g class=\"noise\">"), SAMPLES_N);
    assert_int_equal(tu_count(html, "<rect class=\"bar\""), n_arms); /* figure.svg */
    /* figure, curves, alignment, samples, maps */
    assert_int_equal(tu_count(html, "<svg"), 4 + n_arms);
    tu_assert_contains(html, "<td>cross_init</td>");
    tu_assert_contains(html, "<pre class=\"legend\">variant    same_init:");
    tu_assert_contains(html, "\naligned    trials with");
    tu_assert_contains(html, "&lt;b&gt;&amp;x");
    assert_int_equal(tu_count(html, "<b>&x"), 0);
    /* The teacher's map: each cell's count is the sum of its seeds'. */
    folder f;
    folder_content c;
    err e;
    assert_int_equal(folder_open_read(&f, fx->dir, &e), 0);
    assert_int_equal(folder_read(&f, &c, &e), 0);
    folder_close(&f);
    assert_true(c.has_classes);
    size_t teacher = experiment_teacher_arm();
    uint64_t cell = 0; /* label 3 answered 4 */
    for (size_t i = 0; i < c.n_rows; i++)
        if (c.rows[i].arm == teacher)
            cell += c.rows[i].classes[3 * EXPERIMENT_CLASSES + 4];
    char want[160];
    snprintf(want, sizeof want,
             "data-label=\"3\" data-predicted=\"4\" data-count=\"%" PRIu64 "\"", cell);
    const char *map = strstr(html, "data-arm=\"teacher\"");
    assert_non_null(map);
    tu_assert_contains(map, want);
    folder_content_free(&c);

    assert_int_equal(unlink(tu_path(fx->dir, FOLDER_REPORT_HTML)), 0);
    const char *args[] = {"report", fx->dir, NULL};
    char *out;
    assert_int_equal(tu_run_sublim(&out, args), 0);
    tu_assert_contains(out, FOLDER_REPORT_HTML);
    free(out);
    char *again = tu_slurp(tu_path(fx->dir, FOLDER_REPORT_HTML), NULL);
    assert_string_equal(again, html);
    free(again);
    free(html);
}

/* A folder with results.csv and config.txt alone still has every section,
 * each missing one saying so. */
static void page_of_a_bare_folder(void **state)
{
    tu_dir *fx = *state;
    uint64_t seeds[] = {0, 1};
    experiment_config cfg = tu_small_config();
    tu_make_folder(fx->dir, seeds, 2, &cfg, 0);
    tu_regenerate_ok(fx->dir);
    char *html = tu_slurp(tu_path(fx->dir, FOLDER_REPORT_HTML), NULL);
    assert_every_section(html);
    /* samples, per-digit, curves, alignment, theorem, machine */
    assert_int_equal(tu_count(html, "<p class=\"missing\">"), 6);
    assert_int_equal(tu_count(html, "<rect class=\"cell\""), 0);
    free(html);
}

/* ---- classes.csv ---- */

/* Read back, the counts are the ones written; a count changed so that it
 * disagrees with results.csv, a row's lines cut short or missing, a label
 * out of order are refused, naming classes.csv. */
static void classes_read_back_and_refused(void **state)
{
    tu_dir *fx = *state;
    uint64_t seeds[] = {0, 1};
    experiment_config cfg = tu_small_config();
    tu_make_folder(fx->dir, seeds, 2, &cfg, TU_ALL_FILES);
    folder f;
    folder_content c;
    err e;
    assert_int_equal(folder_open_read(&f, fx->dir, &e), 0);
    assert_int_equal(folder_read(&f, &c, &e), 0);
    for (size_t i = 0; i < c.n_rows; i++) {
        arm_result want = c.rows[i];
        tu_synthetic_classes(&want);
        assert_true(c.rows[i].has_classes);
        assert_memory_equal(c.rows[i].classes, want.classes, sizeof want.classes);
    }
    folder_content_free(&c);
    folder_close(&f);

    char *good = tu_slurp(tu_path(fx->dir, FOLDER_CLASSES), NULL);
    const char *second = strchr(good, '\n') + 1, *third = strchr(second, '\n') + 1;
    size_t n = strlen(good);
    char *bad = malloc(n + 16);
    assert_non_null(bad);
    /* 1: a count one higher (the sum no longer test_total); 2: the first
     * row's first line dropped; 3: its first two lines swapped; 4: only the
     * header; 5: an arm no run has. */
    for (int k = 1; k <= 5; k++) {
        size_t head = (size_t)(second - good);
        if (k == 1) {
            const char *end = strchr(second, '\n'), *last = end;
            while (last[-1] != ',')
                last--;
            snprintf(bad, n + 16, "%.*s9999%s", (int)(last - good), good, end);
        } else if (k == 2) {
            snprintf(bad, n + 16, "%.*s%s", (int)head, good, third);
        } else if (k == 3) {
            size_t l1 = (size_t)(third - second), l2 = (size_t)(strchr(third, '\n') + 1 - third);
            snprintf(bad, n + 16, "%.*s%.*s%.*s%s", (int)head, good, (int)l2, third, (int)l1,
                     second, third + l2);
        } else if (k == 4) {
            snprintf(bad, n + 16, "%.*s", (int)head, good);
        } else {
            snprintf(bad, n + 16, "%.*s0,no_such_arm,0,1,1,1,1,1,1,1,1,1,1\n%s", (int)head,
                     good, second);
        }
        tu_write_file(tu_path(fx->dir, FOLDER_CLASSES), bad, strlen(bad));
        assert_int_equal(folder_open_read(&f, fx->dir, &e), 0);
        if (folder_read(&f, &c, &e) == 0)
            fail_msg("damage %d: classes.csv read", k);
        tu_assert_contains(e.msg, FOLDER_CLASSES);
        folder_close(&f);
    }
    free(bad);
    free(good);
}

/* ---- samples.pgm ---- */

/* The digits come back with their very pixels and labels, the noise as the
 * batch builder makes it (drawn to grey); what is read back is what was
 * written; a damaged file is refused. */
static void samples_are_the_inputs(void **state)
{
    tu_dir *fx = *state;
    dataset d;
    tu_make_quadrants(&d, 20, 7);
    samples s, back;
    err e;
    assert_int_equal(samples_make(&s, &d, 5, NOISE_NORMAL, &e), 0);
    assert_int_equal(s.n, SAMPLES_N);
    float noise[TU_QUAD_PIXELS];
    size_t index = 2;
    batch_noise_f32(NULL, noise, 5, NOISE_NORMAL, &index, 1, d.pixels);
    for (size_t k = 0; k < s.n; k++) {
        assert_int_equal(s.labels[k], d.labels[k]);
        for (size_t y = 0; y < d.rows; y++)
            for (size_t x = 0; x < d.cols; x++)
                assert_int_equal(samples_grey(&s, 0, k, y, x),
                                 d.images[k * d.pixels + y * d.cols + x]);
    }
    for (size_t p = 0; p < d.pixels; p++) {
        double g = fmin(255, fmax(0, round(((double)noise[p] + 1) * 127.5)));
        assert_int_equal(samples_grey(&s, 1, 2, p / d.cols, p % d.cols), (int)g);
    }
    const char *path = tu_path(fx->dir, FOLDER_SAMPLES);
    assert_int_equal(samples_write(path, &s, &e), 0);
    assert_int_equal(samples_read(path, &back, &e), 0);
    assert_int_equal(back.n, s.n);
    assert_int_equal(back.rows, s.rows);
    assert_int_equal(back.cols, s.cols);
    assert_int_equal(back.seed, 5);
    assert_int_equal(back.noise, NOISE_NORMAL);
    assert_memory_equal(back.labels, s.labels, s.n);
    assert_memory_equal(back.pixels, s.pixels, 2 * s.n * s.rows * s.cols);
    samples_free(&back);
    char *text = tu_slurp(path, NULL);
    text[strlen(text) - 2] = 'x'; /* the last pixel */
    tu_write_file(path, text, strlen(text));
    assert_int_equal(samples_read(path, &back, &e), -1);
    tu_assert_contains(e.msg, FOLDER_SAMPLES);
    free(text);
    samples_free(&s);
    dataset_free(&d);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, tu_dir_setup, tu_dir_teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escapes_what_html_reads),
        T(page_has_every_part),
        T(page_of_a_bare_folder),
        T(classes_read_back_and_refused),
        T(samples_are_the_inputs),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
