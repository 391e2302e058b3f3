/* Tests of base/sha256: the digests of FIPS 180-4's examples (the empty
 * message, "abc", the 56-byte message whose padding spills into a second
 * block, a million 'a's), and the same digest however the bytes are split
 * into sha256_add calls. */
#include "testutil.h"

#include "base/sha256.h"

static void digest_of(const void *data, size_t n, char hex[SHA256_HEX])
{
    sha256 h;
    sha256_init(&h);
    sha256_add(&h, data, n);
    sha256_hex(&h, hex);
}

static void test_known_digests(void **state)
{
    (void)state;
    static const struct {
        const char *text, *digest;
    } known[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    char hex[SHA256_HEX];
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        digest_of(known[i].text, strlen(known[i].text), hex);
        assert_string_equal(hex, known[i].digest);
    }
    enum { MILLION = 1000000 };
    char *a = malloc(MILLION);
    assert_non_null(a);
    memset(a, 'a', MILLION);
    digest_of(a, MILLION, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);
}

/* Every length up to three blocks, added whole, byte by byte and in
 * pieces of 1, 2, 3, ... bytes: one digest. */
static void test_split_adds(void **state)
{
    (void)state;
    uint8_t msg[200];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)(i * 31 + 7);
    char whole[SHA256_HEX], bytewise[SHA256_HEX], pieces[SHA256_HEX];
    for (size_t n = 0; n <= sizeof msg; n++) {
        digest_of(msg, n, whole);
        sha256 h, g;
        sha256_init(&h);
        sha256_init(&g);
        for (size_t i = 0; i < n; i++)
            sha256_add(&h, msg + i, 1);
        for (size_t at = 0, step = 1; at < n; at += step, step++)
            sha256_add(&g, msg + at, step < n - at ? step : n - at);
        sha256_hex(&h, bytewise);
        sha256_hex(&g, pieces);
        if (strcmp(whole, bytewise) != 0 || strcmp(whole, pieces) != 0)
            fail_msg("length %zu: %s, %s, %s", n, whole, bytewise, pieces);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_digests),
        cmocka_unit_test(test_split_adds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
