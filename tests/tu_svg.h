/* Figures read back in tests: a tiny XML checker, attributes of a tag,
 * and the figure as headless Chromium draws it (scripts/render-svg.sh), a
 * PNG decoded with the system's zlib. */
#ifndef SUBLIM_TU_SVG_H
#define SUBLIM_TU_SVG_H

#include <dlfcn.h>
#include "testutil.h"

/* ---- a tiny XML checker: balanced tags, quoted attributes, entities ---- */

/* The length of the XML name at n. */
static inline size_t tu_xml_name_len(const char *n)
{
    size_t len = 0;
    while ((n[len] >= 'a' && n[len] <= 'z') || (n[len] >= 'A' && n[len] <= 'Z') ||
           (n[len] >= '0' && n[len] <= '9') || (n[len] && strchr("-_:.", n[len])))
        len++;
    return len;
}

static inline int tu_xml_good_entity(const char *p)
{
    static const char *const ok[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (strncmp(p, ok[i], strlen(ok[i])) == 0)
            return 1;
    return 0;
}

static char tu_xml_why_[256];
#define TU_XML_BAD(...) \
    return snprintf(tu_xml_why_, sizeof tu_xml_why_, __VA_ARGS__), tu_xml_why_

/* NULL when xml is one well-formed element named root (after an optional
 * <?xml ...?> prolog), every tag closed in order; else what is wrong. */
static inline const char *tu_xml_problem(const char *xml, const char *root)
{
    char stack[64][32];
    int depth = 0, roots = 0;
    const char *p = xml;
    while (*p) {
        if (*p != '<') {
            if (*p == '&' && !tu_xml_good_entity(p))
                TU_XML_BAD("bare '&' at \"%.20s\"", p);
            if (depth == 0 && *p != ' ' && *p != '\n' && *p != '\t' && *p != '\r')
                TU_XML_BAD("text outside the root element: \"%.20s\"", p);
            p++;
            continue;
        }
        if (strncmp(p, "<?", 2) == 0 || strncmp(p, "<!--", 4) == 0) {
            int pi = p[1] == '?';
            const char *end = strstr(p, pi ? "?>" : "-->");
            if (!end)
                TU_XML_BAD("unterminated %s", pi ? "<?" : "<!--");
            if (pi && (roots || depth))
                TU_XML_BAD("processing instruction after the root element starts");
            p = end + (pi ? 2 : 3);
            continue;
        }
        if (p[1] == '/') {
            const char *n = p + 2;
            size_t len = tu_xml_name_len(n);
            if (depth == 0)
                TU_XML_BAD("closing tag </%.*s> with nothing open", (int)len, n);
            depth--;
            if (strlen(stack[depth]) != len || strncmp(stack[depth], n, len) != 0)
                TU_XML_BAD("</%.*s> closes <%.31s>", (int)len, n, stack[depth]);
            if (n[len] != '>')
                TU_XML_BAD("junk in closing tag </%.*s", (int)len, n);
            p = n + len + 1;
            continue;
        }
        const char *n = p + 1;
        size_t len = tu_xml_name_len(n);
        if (len == 0 || len >= 32)
            TU_XML_BAD("bad tag name at \"%.20s\"", p);
        if (depth == 0) {
            if (++roots > 1)
                TU_XML_BAD("a second root element <%.*s>", (int)len, n);
            if (strlen(root) != len || strncmp(root, n, len) != 0)
                TU_XML_BAD("root is <%.*s>, want <%s>", (int)len, n, root);
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
                    TU_XML_BAD("nesting too deep");
                snprintf(stack[depth++], 32, "%.*s", (int)len, n);
                p++;
                break;
            }
            size_t alen = tu_xml_name_len(p);
            if (alen == 0 || alen >= 32 || p[alen] != '=' ||
                (p[alen + 1] != '"' && p[alen + 1] != '\''))
                TU_XML_BAD("bad attribute in <%.*s> at \"%.20s\"", (int)len, n, p);
            for (int k = 0; k < n_attrs; k++)
                if (strlen(names[k]) == alen && strncmp(names[k], p, alen) == 0)
                    TU_XML_BAD("attribute %.*s twice in <%.*s>", (int)alen, p, (int)len, n);
            if (n_attrs < 64)
                snprintf(names[n_attrs++], 32, "%.*s", (int)alen, p);
            char quote = p[alen + 1];
            for (p += alen + 2; *p && *p != quote; p++) {
                if (*p == '<')
                    TU_XML_BAD("'<' in an attribute value of <%.*s>", (int)len, n);
                if (*p == '&' && !tu_xml_good_entity(p))
                    TU_XML_BAD("bare '&' in an attribute of <%.*s>", (int)len, n);
            }
            if (!*p)
                TU_XML_BAD("unterminated attribute value in <%.*s>", (int)len, n);
            p++;
        }
    }
    if (depth)
        TU_XML_BAD("<%.31s> is never closed", stack[depth - 1]);
    if (roots != 1)
        TU_XML_BAD("no root element");
    return NULL;
}

static inline void tu_assert_well_formed(const char *xml, const char *root)
{
    const char *why = tu_xml_problem(xml, root);
    if (why)
        fail_msg("not well-formed XML: %s", why);
}

/* ---- reading the figures back ---- */

/* The value of attribute name in the tag starting at tag, into buf. */
static inline int tu_attr(const char *tag, const char *name, char *buf, size_t size)
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

static inline double tu_attr_num(const char *tag, const char *name)
{
    char buf[64];
    if (tu_attr(tag, name, buf, sizeof buf))
        fail_msg("no %s= in \"%.80s\"", name, tag);
    return strtod(buf, NULL);
}

/* ---- rasterized by headless Chromium ---- */

typedef struct {
    size_t w, h, channels;
    unsigned char *rows; /* h rows of a filter byte, then w pixels */
} tu_image;

typedef int (*tu_uncompress_fn)(unsigned char *, unsigned long *, const unsigned char *,
                                unsigned long);

static inline uint32_t tu_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Decodes an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes),
 * inflating with the system's zlib, loaded at run time so the test builds
 * without it: libz.so.1 (Linux), libz.so.6 (FreeBSD), libz.1.dylib
 * (macOS).  Returns a reason on failure. */
static inline const char *tu_png_decode(const char *path, tu_image *img)
{
    static const char *const zlibs[] = {"libz.so.1", "libz.so.6", "libz.1.dylib",
                                        "libz.dylib", "libz.so"};
    void *z = NULL;
    for (size_t i = 0; !z && i < sizeof zlibs / sizeof zlibs[0]; i++)
        z = dlopen(zlibs[i], RTLD_NOW);
    if (!z)
        return "cannot load zlib (libz.so.1, libz.so.6, libz.1.dylib, libz.dylib or libz.so) "
               "to inflate the PNG";
    tu_uncompress_fn inflate_all;
    *(void **)&inflate_all = dlsym(z, "uncompress");
    if (!inflate_all)
        return "the zlib loaded has no uncompress";
    size_t size;
    char *raw = tu_slurp(path, &size);
    const unsigned char *p = (const unsigned char *)raw, *end = p + size;
    if (size < 8 || memcmp(p, "\x89PNG\r\n\x1a\n", 8) != 0)
        return "not a PNG";
    p += 8;
    unsigned char *idat = NULL;
    size_t n_idat = 0, channels = 0;
    while (p + 12 <= end) {
        uint32_t len = tu_be32(p);
        const unsigned char *type = p + 4, *data = p + 8;
        if (data + len + 4 > end)
            return "truncated PNG chunk";
        if (memcmp(type, "IHDR", 4) == 0) {
            img->w = tu_be32(data);
            img->h = tu_be32(data + 4);
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

static inline const unsigned char *tu_pixel(const tu_image *img, double x, double y)
{
    size_t xi = (size_t)x, yi = (size_t)y;
    assert_true(xi < img->w && yi < img->h);
    return img->rows + yi * (img->w * img->channels + 1) + 1 + xi * img->channels;
}

/* svg rasterized by headless Chromium into png, decoded into *img (its
 * rows malloc'ed), at the SVG's own size.  Skips the test, saying so,
 * where no Chromium can be had or its PNG cannot be read. */
static inline void tu_render_svg(const char *svg, const char *png, tu_image *img)
{
    if (access("scripts/render-svg.sh", R_OK) != 0)
        fail_msg("scripts/render-svg.sh not found: run the tests from the repository root");
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "sh scripts/render-svg.sh '%s' '%s'", svg, png);
    int status = system(cmd);
    int rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (rc == 77) {
        print_message("SKIPPED: no headless Chromium here (install the Debian package "
                      "'chromium'); the figure was NOT checked in a browser\n");
        skip();
    }
    if (rc != 0)
        fail_msg("%s failed (exit %d)", cmd, rc);
    *img = (tu_image){0};
    const char *why = tu_png_decode(png, img);
    if (why) {
        print_message("SKIPPED: rendered, but cannot read the PNG: %s\n", why);
        skip();
    }
    char *text = tu_slurp(svg, NULL);
    const char *root = strstr(text, "<svg");
    assert_non_null(root);
    assert_int_equal(img->w, (size_t)tu_attr_num(root, "width"));
    assert_int_equal(img->h, (size_t)tu_attr_num(root, "height"));
    free(text);
}

#endif
