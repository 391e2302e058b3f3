/* Tests of out/figures: figure.svg (well-formed SVG, one bar per arm, its
 * height proportional to the arm's mean accuracy, rasterized by headless
 * Chromium where it can be had), curves.svg, and how each arm is shown.
 * Synthetic result folders only: no MNIST needed. */
#include "testutil.h"
#include "tu_folder.h"

#include <dlfcn.h>
#include <math.h>
#include "out/figures.h"
#include "out/folder.h"
#include "out/results.h"
#include "run/experiment.h"

typedef tu_dir fixture;
#define setup tu_dir_setup
#define teardown tu_dir_teardown

/* ---- a tiny XML checker: balanced tags, quoted attributes, entities ---- */

/* The length of the XML name at n. */
static size_t name_len(const char *n)
{
    size_t len = 0;
    while ((n[len] >= 'a' && n[len] <= 'z') || (n[len] >= 'A' && n[len] <= 'Z') ||
           (n[len] >= '0' && n[len] <= '9') || (n[len] && strchr("-_:.", n[len])))
        len++;
    return len;
}

static int good_entity(const char *p)
{
    static const char *const ok[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (strncmp(p, ok[i], strlen(ok[i])) == 0)
            return 1;
    return 0;
}

static char xml_why[256];
#define XML_BAD(...) return snprintf(xml_why, sizeof xml_why, __VA_ARGS__), xml_why

/* NULL when xml is one well-formed element named root (after an optional
 * <?xml ...?> prolog), every tag closed in order; else what is wrong. */
static const char *xml_problem(const char *xml, const char *root)
{
    char stack[64][32];
    int depth = 0, roots = 0;
    const char *p = xml;
    while (*p) {
        if (*p != '<') {
            if (*p == '&' && !good_entity(p))
                XML_BAD("bare '&' at \"%.20s\"", p);
            if (depth == 0 && *p != ' ' && *p != '\n' && *p != '\t' && *p != '\r')
                XML_BAD("text outside the root element: \"%.20s\"", p);
            p++;
            continue;
        }
        if (strncmp(p, "<?", 2) == 0 || strncmp(p, "<!--", 4) == 0) {
            int pi = p[1] == '?';
            const char *end = strstr(p, pi ? "?>" : "-->");
            if (!end)
                XML_BAD("unterminated %s", pi ? "<?" : "<!--");
            if (pi && (roots || depth))
                XML_BAD("processing instruction after the root element starts");
            p = end + (pi ? 2 : 3);
            continue;
        }
        if (p[1] == '/') {
            const char *n = p + 2;
            size_t len = name_len(n);
            if (depth == 0)
                XML_BAD("closing tag </%.*s> with nothing open", (int)len, n);
            depth--;
            if (strlen(stack[depth]) != len || strncmp(stack[depth], n, len) != 0)
                XML_BAD("</%.*s> closes <%.31s>", (int)len, n, stack[depth]);
            if (n[len] != '>')
                XML_BAD("junk in closing tag </%.*s", (int)len, n);
            p = n + len + 1;
            continue;
        }
        const char *n = p + 1;
        size_t len = name_len(n);
        if (len == 0 || len >= 32)
            XML_BAD("bad tag name at \"%.20s\"", p);
        if (depth == 0) {
            if (++roots > 1)
                XML_BAD("a second root element <%.*s>", (int)len, n);
            if (strlen(root) != len || strncmp(root, n, len) != 0)
                XML_BAD("root is <%.*s>, want <%s>", (int)len, n, root);
        }
        char names[64][32];
        int n_attrs = 0;
        p = n + len;
        for (;;) {
            while (*p == ' ' || *p == '\n' || *p == '\t')
                p++;
            if (p[0] == '/' && p[1] == '>') {
                p += 2;
                break;
            }
            if (*p == '>') {
                if (depth == 64)
                    XML_BAD("nesting too deep");
                snprintf(stack[depth++], 32, "%.*s", (int)len, n);
                p++;
                break;
            }
            size_t alen = name_len(p);
            if (alen == 0 || alen >= 32 || p[alen] != '=' ||
                (p[alen + 1] != '"' && p[alen + 1] != '\''))
                XML_BAD("bad attribute in <%.*s> at \"%.20s\"", (int)len, n, p);
            for (int k = 0; k < n_attrs; k++)
                if (strlen(names[k]) == alen && strncmp(names[k], p, alen) == 0)
                    XML_BAD("attribute %.*s twice in <%.*s>", (int)alen, p, (int)len, n);
            if (n_attrs < 64)
                snprintf(names[n_attrs++], 32, "%.*s", (int)alen, p);
            char quote = p[alen + 1];
            for (p += alen + 2; *p && *p != quote; p++) {
                if (*p == '<')
                    XML_BAD("'<' in an attribute value of <%.*s>", (int)len, n);
                if (*p == '&' && !good_entity(p))
                    XML_BAD("bare '&' in an attribute of <%.*s>", (int)len, n);
            }
            if (!*p)
                XML_BAD("unterminated attribute value in <%.*s>", (int)len, n);
            p++;
        }
    }
    if (depth)
        XML_BAD("<%.31s> is never closed", stack[depth - 1]);
    if (roots != 1)
        XML_BAD("no root element");
    return NULL;
}

static void assert_well_formed(const char *xml, const char *root)
{
    const char *why = xml_problem(xml, root);
    if (why)
        fail_msg("not well-formed XML: %s", why);
}

/* The checker itself: the figures are only as well checked as it is, so it
 * must pass good XML and name each kind of breakage. */
static void test_xml_checker_catches_errors(void **state)
{
    (void)state;
    assert_null(xml_problem("<?xml version=\"1.0\"?>\n<svg a=\"1\"><g><text>a &amp; b</text>"
                            "</g><!-- x --><rect/></svg>\n",
                            "svg"));
    static const struct {
        const char *xml, *why;
    } bad[] = {
        {"<svg><g></svg>", "closes <g>"},
        {"<svg><g>", "never closed"},
        {"<svg></svg></g>", "nothing open"},
        {"<svg>a & b</svg>", "bare '&'"},
        {"<svg a=1></svg>", "bad attribute"},
        {"<svg a=\"1\" a=\"2\"></svg>", "twice"},
        {"<svg a=\"x<y\"></svg>", "'<' in an attribute"},
        {"<svg a=\"1", "unterminated attribute"},
        {"<svg></svg><svg></svg>", "second root"},
        {"<html></html>", "root is <html>"},
        {"x<svg></svg>", "outside the root"},
        {"", "no root"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *why = xml_problem(bad[i].xml, "svg");
        if (!why)
            fail_msg("the checker passed \"%s\"", bad[i].xml);
        tu_assert_contains(why, bad[i].why);
    }
}

/* ---- reading the figures back ---- */

/* The value of attribute name in the tag starting at tag, into buf. */
static int attr(const char *tag, const char *name, char *buf, size_t size)
{
    const char *end = strchr(tag, '>');
    char key[64];
    snprintf(key, sizeof key, " %s=\"", name);
    const char *at = strstr(tag, key);
    if (!at || !end || at > end)
        return -1;
    at += strlen(key);
    snprintf(buf, size, "%.*s", (int)(strchr(at, '"') - at), at);
    return 0;
}

static double attr_num(const char *tag, const char *name)
{
    char buf[64];
    if (attr(tag, name, buf, sizeof buf))
        fail_msg("no %s= in \"%.80s\"", name, tag);
    return strtod(buf, NULL);
}

typedef struct {
    const char *tag; /* where its <rect starts in the SVG */
    char arm[32];
    double mean, x, y, w, h;
} bar_box;

/* Every <rect class="bar"> of an SVG, in order. */
static size_t find_bars(const char *svg, bar_box *bars, size_t max)
{
    size_t n = 0;
    for (const char *p = svg; (p = strstr(p, "<rect class=\"bar\"")); p++) {
        assert_true(n < max);
        bar_box *b = &bars[n++];
        b->tag = p;
        assert_int_equal(attr(p, "data-arm", b->arm, sizeof b->arm), 0);
        b->mean = attr_num(p, "data-mean");
        b->x = attr_num(p, "x");
        b->y = attr_num(p, "y");
        b->w = attr_num(p, "width");
        b->h = attr_num(p, "height");
    }
    return n;
}

/* The y of the grid line for value v. */
static double grid_y(const char *svg, const char *v)
{
    char key[64];
    snprintf(key, sizeof key, "<line class=\"grid\" data-value=\"%s\"", v);
    const char *p = strstr(svg, key);
    if (!p)
        fail_msg("no grid line for %s", v);
    return attr_num(p, "y1");
}

/* ---- the figures ---- */

/* figure.svg from a folder's files: one bar per arm in table order, at the
 * mean of that arm's rows (computed here from results.csv, not by the code
 * under test), standing on the 0 line with a height proportional to the
 * mean; a dot per seed, CIs, paper markers, chance, the configuration.
 * curves.svg: a loss and an accuracy line per trained arm. */
static void test_figure_bars_match_accuracy(void **state)
{
    fixture *fx = *state;
    uint64_t seeds[] = {0, 1, 2, 3, 4};
    experiment_config cfg = tu_small_config();
    tu_make_folder(fx->dir, seeds, 5, &cfg, TU_CURVES_CSV); /* no run.txt: not the figures' */
    folder f;
    folder_content c;
    err e;
    assert_int_equal(folder_open(&f, fx->dir, 0, &e), 0);
    assert_int_equal(folder_read(&f, &c, &e), 0);
    assert_int_equal(figures_write_bars(&c, tu_path(fx->dir, FOLDER_FIGURE), &e), 0);
    assert_int_equal(figures_write_curves(&c, tu_path(fx->dir, FOLDER_CURVES_FIGURE), &e), 0);
    folder_close(&f);

    char *svg = tu_slurp(tu_path(fx->dir, FOLDER_FIGURE), NULL);
    assert_well_formed(svg, "svg");
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    bar_box bars[EXPERIMENT_MAX_ARMS];
    assert_int_equal(find_bars(svg, bars, EXPERIMENT_MAX_ARMS), n_arms);
    double mean[EXPERIMENT_MAX_ARMS] = {0};
    for (size_t i = 0; i < c.n_rows; i++)
        mean[c.rows[i].arm] += (double)c.rows[i].correct / (double)c.rows[i].total / 5.0;
    double y0 = grid_y(svg, "0.0"), y1 = grid_y(svg, "1.0");
    assert_true(y0 - y1 > 200); /* a readable plot */
    for (size_t a = 0; a < n_arms; a++) {
        assert_string_equal(bars[a].arm, arms[a].name);
        tu_assert_close(bars[a].mean, mean[a], 1e-5, 1e-6);
        if (fabs(bars[a].y + bars[a].h - y0) > 0.02)
            fail_msg("bar %s ends at %.2f, the 0 line is at %.2f", bars[a].arm,
                     bars[a].y + bars[a].h, y0);
        if (fabs(bars[a].h - mean[a] * (y0 - y1)) > 0.02)
            fail_msg("bar %s: height %.2f for mean %.4f, want %.2f", bars[a].arm, bars[a].h,
                     mean[a], mean[a] * (y0 - y1));
    }
    /* Heights proportional to accuracy: teacher against aux_same. */
    size_t t = experiment_teacher_arm();
    int s = experiment_arm_find(ARM_STUDENT, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_AUX);
    assert_true(s >= 0);
    tu_assert_close(bars[t].h / bars[s].h, mean[t] / mean[s], 1e-3, 0);

    assert_int_equal(tu_count(svg, "<circle class=\"seed\""), 5 * n_arms + 1); /* + legend's */
    assert_int_equal(tu_count(svg, "<g class=\"ci\""), n_arms + 1);
    assert_int_equal(tu_count(svg, "<path class=\"paper\""), n_arms + 1);
    tu_assert_contains(svg, "class=\"chance\"");
    tu_assert_contains(svg, "stroke-dasharray");
    tu_assert_contains(svg, "MLP 2×64");
    tu_assert_contains(svg, "Adam lr 0.0003");
    tu_assert_contains(svg, "5 seeds");
    assert_null(strstr(svg, "Dots:")); /* every dot drawn: no note */
    free(svg);

    char *curves = tu_slurp(tu_path(fx->dir, FOLDER_CURVES_FIGURE), NULL);
    assert_well_formed(curves, "svg");
    size_t trained = 0;
    for (size_t a = 0; a < n_arms; a++)
        trained += experiment_arm_epochs(&cfg, &arms[a]) > 0;
    assert_int_equal(tu_count(curves, "<polyline class=\"series\""), 2 * trained);
    tu_assert_contains(curves, "mean over 5 seeds");
    free(curves);
    folder_content_free(&c);
}

/* A folder with results.csv alone, one seed, and an arm whose row
 * diverged: that arm says "no data", the diverged row is counted, and the
 * missing config.txt and run.txt are said, not guessed. */
static void test_figure_without_rows_for_an_arm(void **state)
{
    fixture *fx = *state;
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    int aux_same = experiment_arm_find(ARM_STUDENT, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_AUX);
    assert_true(aux_same >= 0);
    arm_result rows[EXPERIMENT_MAX_ARMS];
    for (size_t a = 0; a < n_arms; a++)
        rows[a] = (arm_result){.seed = 0, .arm = a, .ok = a != (size_t)aux_same,
                               .correct = 9000, .total = TU_TOTAL};
    err e;
    assert_int_equal(results_write_csv(tu_path(fx->dir, FOLDER_RESULTS), rows, n_arms, &e), 0);
    tu_regenerate_ok(fx->dir);
    char *svg = tu_slurp(tu_path(fx->dir, FOLDER_FIGURE), NULL);
    assert_well_formed(svg, "svg");
    bar_box bars[EXPERIMENT_MAX_ARMS];
    assert_int_equal(find_bars(svg, bars, EXPERIMENT_MAX_ARMS), n_arms - 1);
    for (size_t b = 0; b < n_arms - 1; b++)
        assert_string_not_equal(bars[b].arm, arms[aux_same].name);
    tu_assert_contains(svg, "no data");
    tu_assert_contains(svg, "1 diverged");
    tu_assert_contains(svg, "configuration not recorded");
    free(svg);
    /* No curves.csv: no curves.svg either. */
    assert_int_not_equal(access(tu_path(fx->dir, FOLDER_CURVES_FIGURE), F_OK), 0);
    char *md = tu_slurp(tu_path(fx->dir, FOLDER_REPORT), NULL);
    tu_assert_contains(md, "not recorded (this folder has no `config.txt`)");
    tu_assert_contains(md, "not recorded (no `run.txt`)");
    tu_assert_contains(md, "1 run diverged");
    assert_null(strstr(md, "](curves.svg)"));
    free(md);
}

/* figure.svg of n_seeds seeds, every arm of seed s at 1000 + (7919 s mod
 * 8001) correct of TU_TOTAL (0.1 for seed 0), but seed 1 at 0.9; rows in
 * seed order or reversed.  Its text, malloc'ed; *size its bytes. */
static char *figure_of_many_seeds(const char *dir, size_t n_seeds, int reversed, size_t *size)
{
    size_t n_arms;
    experiment_arms(&n_arms);
    size_t n = n_seeds * n_arms;
    arm_result *rows = calloc(n, sizeof *rows);
    assert_non_null(rows);
    for (size_t i = 0; i < n; i++) {
        uint64_t seed = i / n_arms;
        rows[reversed ? n - 1 - i : i] = (arm_result){
            .seed = seed, .arm = i % n_arms, .ok = 1, .total = TU_TOTAL,
            .correct = seed == 1 ? 9000 : 1000 + (size_t)(seed * 7919 % 8001)};
    }
    err e;
    assert_int_equal(results_write_csv(tu_path(dir, FOLDER_RESULTS), rows, n, &e), 0);
    free(rows);
    tu_regenerate_ok(dir);
    return tu_slurp(tu_path(dir, FOLDER_FIGURE), size);
}

/* Beyond FIGURES_MAX_DOTS seeds a bar draws that many dots, the lowest and
 * the highest accuracy among them, and a note under the chart says so; the
 * file does not grow with the seeds (a 100 MB results.csv gave a 267 MB
 * figure), and the rows' order does not change a byte. */
static void test_figure_size_is_bounded(void **state)
{
    fixture *fx = *state;
    size_t n_arms, small, large;
    experiment_arms(&n_arms);
    char *svg = figure_of_many_seeds(fx->dir, 2 * FIGURES_MAX_DOTS, 0, &small);
    assert_well_formed(svg, "svg");
    assert_int_equal(tu_count(svg, "<circle class=\"seed\""), n_arms * FIGURES_MAX_DOTS + 1);
    char want[96];
    snprintf(want, sizeof want, "Dots: at most %d per arm of the %d seeds", FIGURES_MAX_DOTS,
             2 * FIGURES_MAX_DOTS);
    tu_assert_contains(svg, want);
    snprintf(want, sizeof want, "n = %d", 2 * FIGURES_MAX_DOTS);
    tu_assert_contains(svg, want);
    const char *extremes[] = {"0.1", "0.9"};
    for (size_t k = 0; k < 2; k++) {
        snprintf(want, sizeof want, " cy=\"%.1f\"", grid_y(svg, extremes[k]));
        if (tu_count(svg, want) != n_arms)
            fail_msg("%zu dots at accuracy %s, want one per arm", tu_count(svg, want),
                     extremes[k]);
    }
    char *reversed = figure_of_many_seeds(fx->dir, 2 * FIGURES_MAX_DOTS, 1, NULL);
    assert_string_equal(svg, reversed);
    free(reversed);
    free(svg);

    svg = figure_of_many_seeds(fx->dir, 4 * FIGURES_MAX_DOTS, 0, &large);
    assert_int_equal(tu_count(svg, "<circle class=\"seed\""), n_arms * FIGURES_MAX_DOTS + 1);
    if (large > small + 1000 || large > 1000000)
        fail_msg("figure.svg: %zu bytes for %d seeds, %zu for %d", small,
                 2 * FIGURES_MAX_DOTS, large, 4 * FIGURES_MAX_DOTS);
    free(svg);
}

/* An arm's look follows what the arm is, not its name: a new row of the
 * arm table shaped like an existing arm looks like it; and every arm of
 * the table is told apart (its own colour, its own label and note). */
static void test_arm_looks_follow_what_the_arm_is(void **state)
{
    (void)state;
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    for (size_t a = 0; a < n_arms; a++) {
        arm_look la = figures_arm_look(&arms[a]);
        assert_non_null(la.label);
        assert_non_null(la.what);
        assert_int_equal(strlen(la.color), 7);
        assert_int_equal(la.color[0], '#');
        /* Students are grouped under one heading; the others stand alone. */
        assert_int_equal(la.group != NULL, arms[a].training == ARM_STUDENT);
        for (size_t b = 0; b < a; b++) {
            arm_look lb = figures_arm_look(&arms[b]);
            assert_string_not_equal(la.color, lb.color);
            if (strcmp(la.label, lb.label) == 0)
                assert_string_not_equal(la.note, lb.note);
        }
        arm_spec renamed = arms[a];
        renamed.name = "a_new_arm";
        arm_look lr = figures_arm_look(&renamed);
        assert_string_equal(lr.color, la.color);
        assert_string_equal(lr.label, la.label);
    }
}

/* ---- rasterized by headless Chromium ---- */

typedef struct {
    size_t w, h, channels;
    unsigned char *rows; /* h rows of a filter byte, then w pixels */
} image;

typedef int (*uncompress_fn)(unsigned char *, unsigned long *, const unsigned char *,
                             unsigned long);

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Decodes an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes),
 * inflating with the system's zlib, loaded at run time so the test builds
 * without it.  Returns a reason on failure. */
static const char *png_decode(const char *path, image *img)
{
    void *z = dlopen("libz.so.1", RTLD_NOW);
    if (!z)
        return "cannot load libz.so.1 to inflate the PNG";
    uncompress_fn inflate_all;
    *(void **)&inflate_all = dlsym(z, "uncompress");
    if (!inflate_all)
        return "libz.so.1 has no uncompress";
    size_t size;
    char *raw = tu_slurp(path, &size);
    const unsigned char *p = (const unsigned char *)raw, *end = p + size;
    if (size < 8 || memcmp(p, "\x89PNG\r\n\x1a\n", 8) != 0)
        return "not a PNG";
    p += 8;
    unsigned char *idat = NULL;
    size_t n_idat = 0, channels = 0;
    while (p + 12 <= end) {
        uint32_t len = be32(p);
        const unsigned char *type = p + 4, *data = p + 8;
        if (data + len + 4 > end)
            return "truncated PNG chunk";
        if (memcmp(type, "IHDR", 4) == 0) {
            img->w = be32(data);
            img->h = be32(data + 4);
            if (data[8] != 8 || (data[9] != 2 && data[9] != 6) || data[12] != 0)
                return "PNG is not 8-bit RGB(A) non-interlaced";
            img->channels = channels = data[9] == 6 ? 4 : 3;
        } else if (memcmp(type, "IDAT", 4) == 0) {
            idat = realloc(idat, n_idat + len);
            assert_non_null(idat);
            memcpy(idat + n_idat, data, len);
            n_idat += len;
        }
        p = data + len + 4;
    }
    if (!channels || !idat)
        return "PNG without IHDR or IDAT";
    size_t stride = img->w * channels;
    unsigned long n_out = (unsigned long)((stride + 1) * img->h);
    unsigned char *f = malloc(n_out);
    assert_non_null(f);
    if (inflate_all(f, &n_out, idat, (unsigned long)n_idat) != 0 ||
        n_out != (stride + 1) * img->h)
        return "PNG data does not inflate";
    /* Undo the per-row filters in place (filtered byte -> pixel byte). */
    unsigned char *prev = NULL;
    for (size_t y = 0; y < img->h; y++) {
        unsigned char *row = f + y * (stride + 1) + 1;
        int type = row[-1];
        for (size_t i = 0; i < stride; i++) {
            int a = i >= channels ? row[i - channels] : 0, b = prev ? prev[i] : 0;
            int c = prev && i >= channels ? prev[i - channels] : 0;
            int pa = abs(b - c), pb = abs(a - c), pc = abs(a + b - 2 * c); /* Paeth */
            int paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
            int add = type == 0 ? 0 : type == 1 ? a : type == 2 ? b
                      : type == 3 ? (a + b) / 2 : type == 4 ? paeth : -1;
            if (add < 0)
                return "unknown PNG filter";
            row[i] = (unsigned char)(row[i] + add);
        }
        prev = row;
    }
    img->rows = f;
    free(idat);
    free(raw);
    dlclose(z);
    return NULL;
}

static const unsigned char *pixel(const image *img, double x, double y)
{
    size_t xi = (size_t)x, yi = (size_t)y;
    assert_true(xi < img->w && yi < img->h);
    return img->rows + yi * (img->w * img->channels + 1) + 1 + xi * img->channels;
}

/* The figure as a browser draws it: each bar filled with its arm's colour
 * inside, and background just above its top, so the bar the reader sees
 * ends where its mean says.  Skipped (said so) without Chromium. */
static void test_figure_renders_in_chromium(void **state)
{
    fixture *fx = *state;
    uint64_t seeds[] = {0, 1, 2};
    experiment_config cfg = tu_small_config();
    tu_make_folder(fx->dir, seeds, 3, &cfg, TU_CURVES_CSV);
    tu_regenerate_ok(fx->dir);

    if (access("scripts/render-svg.sh", R_OK) != 0)
        fail_msg("scripts/render-svg.sh not found: run the tests from the repository root");
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "sh scripts/render-svg.sh '%s' '%s'",
             tu_path(fx->dir, FOLDER_FIGURE), tu_path(fx->dir, "figure.png"));
    int status = system(cmd);
    int rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (rc == 77) {
        print_message("SKIPPED: no headless Chromium here (install the Debian package "
                      "'chromium'); the figure was NOT checked in a browser\n");
        skip();
    }
    if (rc != 0)
        fail_msg("%s failed (exit %d)", cmd, rc);

    image img = {0};
    const char *why = png_decode(tu_path(fx->dir, "figure.png"), &img);
    if (why) {
        print_message("SKIPPED: rendered, but cannot read the PNG: %s\n", why);
        skip();
    }
    char *svg = tu_slurp(tu_path(fx->dir, FOLDER_FIGURE), NULL);
    const char *root = strstr(svg, "<svg");
    assert_int_equal(img.w, (size_t)attr_num(root, "width"));
    assert_int_equal(img.h, (size_t)attr_num(root, "height"));

    bar_box bars[EXPERIMENT_MAX_ARMS];
    size_t n = find_bars(svg, bars, EXPERIMENT_MAX_ARMS);
    size_t n_arms;
    experiment_arms(&n_arms);
    assert_int_equal(n, n_arms);
    double chance_y = attr_num(strstr(svg, "<line class=\"chance\""), "y1");
    double top = grid_y(svg, "1.0");
    size_t checked = 0;
    for (size_t i = 0; i < n; i++) {
        const bar_box *b = &bars[i];
        char fill[16];
        assert_int_equal(attr(b->tag, "fill", fill, sizeof fill), 0);
        unsigned v = (unsigned)strtoul(fill + 1, NULL, 16);
        int want[3] = {(int)(v >> 16), (int)(v >> 8 & 255), (int)(v & 255)};
        /* Left of the bar's middle, clear of the dots and the whisker. */
        double x = b->x + 0.1 * b->w;
        for (int k = 1; k <= 3; k++) {
            double y = b->y + b->h * k / 4.0;
            if (fabs(y - chance_y) < 4)
                continue;
            const unsigned char *px = pixel(&img, x, y);
            for (int ch = 0; ch < 3; ch++)
                if (abs(px[ch] - want[ch]) > 12)
                    fail_msg("bar %s at (%.0f, %.0f): rgb(%d,%d,%d), want %s", b->arm, x, y,
                             px[0], px[1], px[2], fill);
            checked++;
        }
        /* Just above the bar's top: the background (white or a light grid
         * line). */
        double above = b->y - 5;
        if (above > top && fabs(above - chance_y) >= 4) {
            const unsigned char *px = pixel(&img, x, above);
            if (px[0] < 200 || px[1] < 200 || px[2] < 200)
                fail_msg("above bar %s at (%.0f, %.0f): rgb(%d,%d,%d), want background",
                         b->arm, x, above, px[0], px[1], px[2]);
            checked++;
        }
    }
    assert_true(checked >= 2 * n);
    free(svg);
    free(img.rows);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xml_checker_catches_errors),
        cmocka_unit_test_setup_teardown(test_figure_bars_match_accuracy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_figure_without_rows_for_an_arm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_figure_size_is_bounded, setup, teardown),
        cmocka_unit_test(test_arm_looks_follow_what_the_arm_is),
        cmocka_unit_test_setup_teardown(test_figure_renders_in_chromium, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
