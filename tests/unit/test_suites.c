/*
 * The suite table against the real wolfSSL build: every entry can be offered
 * alone in every version it claims (checked on the wire: the ClientHello
 * carries exactly that one suite), the table equals the compiled set, ids and
 * names agree with wolfSSL's, and lookups behave, including the negative cases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/settings.h>

#include "mxp_fakes.h"
#include "mxp_suites.h"
#include "mxp_wolfssl_port.h"

static struct mxp_fake_entropy fake_entropy;
static struct mxp_fake_clock fake_clock;
static struct mxp_hal fake_hal;

static int group_setup(void **state)
{
    (void)state;
    mxp_fake_entropy_init(&fake_entropy, 0x6d78707375697465u);
    mxp_fake_clock_init(&fake_clock, 1000);
    memset(&fake_hal, 0, sizeof fake_hal);
    fake_hal.entropy = &mxp_fake_entropy_api;
    fake_hal.entropy_ctx = &fake_entropy;
    fake_hal.clock = &mxp_fake_clock_api;
    fake_hal.clock_ctx = &fake_clock;
    mxp_wolfssl_port_init(&fake_hal);
    return wolfSSL_Init() == WOLFSSL_SUCCESS ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    wolfSSL_Cleanup();
    mxp_wolfssl_port_init(NULL);
    return 0;
}

/* ---- helpers ---------------------------------------------------------------- */

#define VBIT(v) ((uint8_t)(1u << (v)))
#define V10_12 (VBIT(MXP_TLS10) | VBIT(MXP_TLS11) | VBIT(MXP_TLS12))

typedef WOLFSSL_METHOD *(*client_method_fn)(void);

static client_method_fn method_for(enum mxp_tls_version v)
{
    switch (v) {
    case MXP_TLS10:
        return wolfTLSv1_client_method;
    case MXP_TLS11:
        return wolfTLSv1_1_client_method;
    case MXP_TLS12:
        return wolfTLSv1_2_client_method;
    case MXP_TLS13:
        return wolfTLSv1_3_client_method;
    default:
        return NULL;
    }
}

static bool contains(const char *haystack, const char *needle)
{
    return strstr(haystack, needle) != NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* What the client put on the wire before it waited for the server. */
struct wire {
    unsigned char buf[8192];
    size_t len;
};

static int wire_send(WOLFSSL *ssl, char *buf, int sz, void *ctx)
{
    struct wire *w = ctx;
    (void)ssl;
    if (sz < 0 || (size_t)sz > sizeof w->buf - w->len)
        return WOLFSSL_CBIO_ERR_GENERAL;
    memcpy(w->buf + w->len, buf, (size_t)sz);
    w->len += (size_t)sz;
    return sz;
}

static int wire_recv(WOLFSSL *ssl, char *buf, int sz, void *ctx)
{
    (void)ssl;
    (void)buf;
    (void)sz;
    (void)ctx;
    return WOLFSSL_CBIO_ERR_WANT_READ;
}

static size_t get16(const unsigned char *p)
{
    return ((size_t)p[0] << 8) | p[1];
}

/* Parse the ClientHello's cipher_suites into out[]; returns the count or -1
 * when the bytes are not one plain ClientHello record. */
static int hello_suites(const struct wire *w, uint16_t *out, int cap)
{
    const unsigned char *p = w->buf;
    size_t n = w->len, rec_len, hs_len, off, sid_len, cs_len;

    if (n < 5 || p[0] != 0x16)
        return -1;
    rec_len = get16(p + 3);
    if (5 + rec_len > n || rec_len < 4 || p[5] != 0x01)
        return -1;
    hs_len = ((size_t)p[6] << 16) | ((size_t)p[7] << 8) | p[8];
    if (hs_len + 4 > rec_len)
        return -1;
    off = 9 + 2 + 32; /* handshake header, legacy_version, random */
    if (off + 1 > 5 + rec_len)
        return -1;
    sid_len = p[off];
    off += 1 + sid_len;
    if (off + 2 > 5 + rec_len)
        return -1;
    cs_len = get16(p + off);
    off += 2;
    if (cs_len % 2 != 0 || off + cs_len > 5 + rec_len || (int)(cs_len / 2) > cap)
        return -1;
    for (size_t i = 0; i < cs_len / 2; i++)
        out[i] = (uint16_t)get16(p + off + 2 * i);
    return (int)(cs_len / 2);
}

/* ---- the table equals the compiled set ---------------------------------------- */

static void test_every_entry_offered_alone_per_version(void **state)
{
    (void)state;
    for (size_t i = 0; i < mxp_suites_count(); i++) {
        const struct mxp_suite_info *s = mxp_suite_at(i);
        assert_non_null(s);
        assert_true(s->versions != 0);
        assert_int_equal(s->versions & ~MXP_TLS_ALL_VERSIONS, 0);
        for (int v = MXP_TLS10; v < MXP_TLS_VERSION_COUNT; v++) {
            if (!(s->versions & VBIT(v)))
                continue;
            WOLFSSL_CTX *ctx = wolfSSL_CTX_new(method_for((enum mxp_tls_version)v)());
            assert_non_null(ctx);
            wolfSSL_CTX_set_verify(ctx, WOLFSSL_VERIFY_NONE, NULL);
            wolfSSL_CTX_SetIOSend(ctx, wire_send);
            wolfSSL_CTX_SetIORecv(ctx, wire_recv);
            if (wolfSSL_CTX_set_cipher_list(ctx, s->wolf) != WOLFSSL_SUCCESS)
                fail_msg("CTX rejects %s for %s", s->wolf,
                         mxp_tls_version_name((enum mxp_tls_version)v));

            WOLFSSL *ssl = wolfSSL_new(ctx);
            assert_non_null(ssl);
            if (wolfSSL_set_cipher_list(ssl, s->wolf) != WOLFSSL_SUCCESS)
                fail_msg("SSL rejects %s for %s", s->wolf,
                         mxp_tls_version_name((enum mxp_tls_version)v));

            struct wire w = {.len = 0};
            wolfSSL_SetIOWriteCtx(ssl, &w);
            wolfSSL_SetIOReadCtx(ssl, &w);
            assert_int_equal(wolfSSL_connect(ssl), WOLFSSL_FATAL_ERROR);
            assert_int_equal(wolfSSL_get_error(ssl, WOLFSSL_FATAL_ERROR), WOLFSSL_ERROR_WANT_READ);

            uint16_t offered[64];
            int n = hello_suites(&w, offered, 64);
            if (n != 1 || offered[0] != s->id)
                fail_msg("%s over %s: ClientHello offers %d suites, first 0x%04x", s->wolf,
                         mxp_tls_version_name((enum mxp_tls_version)v), n, n > 0 ? offered[0] : 0);
            wolfSSL_free(ssl);
            wolfSSL_CTX_free(ctx);
        }
    }
}

static void test_compiled_set_is_the_table(void **state)
{
    char buf[8192];
    size_t seen = 0;
    (void)state;

    assert_int_equal(wolfSSL_get_ciphers(buf, (int)sizeof buf), WOLFSSL_SUCCESS);
    for (char *name = strtok(buf, ":"); name != NULL; name = strtok(NULL, ":")) {
        const struct mxp_suite_info *s = mxp_suite_by_name(name);
        if (s == NULL)
            fail_msg("wolfSSL offers %s, missing from the table", name);
        assert_string_equal(s->wolf, name);
        seen++;
    }
    /* Every name was found and names are unique (test below): equal sets. */
    assert_int_equal(seen, mxp_suites_count());
    assert_true(mxp_suites_count() <= MXP_CFG_MAX_SUITES);
}

static void test_ids_and_names_unique(void **state)
{
    (void)state;
    for (size_t i = 0; i < mxp_suites_count(); i++) {
        const struct mxp_suite_info *a = mxp_suite_at(i);
        for (size_t j = i + 1; j < mxp_suites_count(); j++) {
            const struct mxp_suite_info *b = mxp_suite_at(j);
            assert_int_not_equal(a->id, b->id);
            assert_true(strcmp(a->iana, b->iana) != 0);
            assert_true(strcmp(a->wolf, b->wolf) != 0);
        }
    }
}

static void test_names_agree_with_wolfssl(void **state)
{
    (void)state;
    for (size_t i = 0; i < mxp_suites_count(); i++) {
        const struct mxp_suite_info *s = mxp_suite_at(i);
        const unsigned char b0 = (unsigned char)(s->id >> 8), b1 = (unsigned char)(s->id & 0xff);
        const char *wolf = wolfSSL_get_cipher_name_from_suite(b0, b1);
        const char *iana = wolfSSL_get_cipher_name_iana_from_suite(b0, b1);
        assert_non_null(wolf);
        assert_string_equal(wolf, s->wolf);
        assert_non_null(iana);
        if (s->id == 0x000A) /* wolfSSL keeps the SSLv3-era spelling */
            assert_string_equal(iana, "SSL_RSA_WITH_3DES_EDE_CBC_SHA");
        else
            assert_string_equal(iana, s->iana);
    }
}

/* ---- the rules the table encodes ------------------------------------------------ */

static int rank(const struct mxp_suite_info *s)
{
    if (s->kx == MXP_KX_TLS13)
        return 0;
    if (contains(s->iana, "3DES"))
        return 5;
    if (s->kx == MXP_KX_RSA)
        return 4;
    if (s->kx == MXP_KX_DHE)
        return 3;
    return (contains(s->iana, "_GCM_") || contains(s->iana, "CHACHA20")) ? 1 : 2;
}

static void test_versions_kx_auth_weak_order(void **state)
{
    int last_rank = 0;
    (void)state;

    for (size_t i = 0; i < mxp_suites_count(); i++) {
        const struct mxp_suite_info *s = mxp_suite_at(i);
        const char *n = s->iana;

        if ((s->id >> 8) == 0x13) {
            assert_int_equal(s->kx, MXP_KX_TLS13);
            assert_int_equal(s->auth, MXP_AUTH_ANY);
            assert_int_equal(s->versions, VBIT(MXP_TLS13));
        } else {
            assert_true(starts_with(n, "TLS_"));
            if (starts_with(n, "TLS_ECDHE_"))
                assert_int_equal(s->kx, MXP_KX_ECDHE);
            else if (starts_with(n, "TLS_DHE_"))
                assert_int_equal(s->kx, MXP_KX_DHE);
            else if (starts_with(n, "TLS_RSA_"))
                assert_int_equal(s->kx, MXP_KX_RSA);
            else
                fail_msg("unexpected key exchange in %s", n);
            assert_int_equal(s->auth, contains(n, "_ECDSA_") ? MXP_AUTH_ECDSA : MXP_AUTH_RSA);

            if (contains(n, "_GCM_") || contains(n, "CHACHA20") || ends_with(n, "_SHA256") ||
                ends_with(n, "_SHA384"))
                assert_int_equal(s->versions, VBIT(MXP_TLS12));
            else if (ends_with(n, "_CBC_SHA"))
                assert_int_equal(s->versions, V10_12);
            else
                fail_msg("no version rule for %s", n);
        }
        assert_int_equal(s->weak, contains(n, "3DES") || s->kx == MXP_KX_RSA);

        int r = rank(s);
        if (r < last_rank)
            fail_msg("%s (group %d) listed after group %d", n, r, last_rank);
        last_rank = r;
    }
    /* Strongest first: the first entry is a TLS 1.3 suite. */
    assert_int_equal(mxp_suite_at(0)->kx, MXP_KX_TLS13);
}

/* ---- lookups ----------------------------------------------------------------------- */

static void test_lookup_by_both_names_and_id(void **state)
{
    (void)state;
    for (size_t i = 0; i < mxp_suites_count(); i++) {
        const struct mxp_suite_info *s = mxp_suite_at(i);
        char lower[96];
        size_t k;

        assert_ptr_equal(mxp_suite_by_id(s->id), s);
        assert_ptr_equal(mxp_suite_by_name(s->iana), s);
        assert_ptr_equal(mxp_suite_by_name(s->wolf), s);
        for (k = 0; s->iana[k] != '\0' && k + 1 < sizeof lower; k++)
            lower[k] =
                (char)((s->iana[k] >= 'A' && s->iana[k] <= 'Z') ? s->iana[k] + 32 : s->iana[k]);
        lower[k] = '\0';
        assert_ptr_equal(mxp_suite_by_name(lower), s);
    }
    const struct mxp_suite_info *s = mxp_suite_by_name("ecdhe-rsa-AES128-gcm-SHA256");
    assert_non_null(s);
    assert_int_equal(s->id, 0xC02F);
    assert_string_equal(s->iana, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    assert_int_equal(mxp_suite_by_name("TLS_AES_128_GCM_SHA256")->id, 0x1301);
    assert_int_equal(mxp_suite_by_name("tls13-chacha20-poly1305-sha256")->id, 0x1303);
    assert_int_equal(mxp_suite_by_name("SSL_RSA_WITH_3DES_EDE_CBC_SHA")->id, 0x000A);
}

static void test_lookup_negative(void **state)
{
    (void)state;
    assert_null(mxp_suite_by_name(NULL));
    assert_null(mxp_suite_by_name(""));
    assert_null(mxp_suite_by_name("RC4-SHA"));
    assert_null(mxp_suite_by_name("TLS_RSA_WITH_RC4_128_SHA"));
    assert_null(mxp_suite_by_name("AES128"));      /* prefix of AES128-SHA */
    assert_null(mxp_suite_by_name("AES128-SHA2")); /* prefix of AES128-SHA256 */
    assert_null(mxp_suite_by_name("AES128-SHA ")); /* trailing space */
    assert_null(mxp_suite_by_name("AES128-SHA256x"));
    assert_null(mxp_suite_by_name("TLS_AES_128_CCM_SHA256")); /* not compiled in */
    assert_null(mxp_suite_by_name("SSL_RSA_WITH_AES_128_CBC_SHA"));
    assert_null(mxp_suite_by_id(0x0000));
    assert_null(mxp_suite_by_id(0x00FF)); /* renegotiation SCSV is not a suite */
    assert_null(mxp_suite_by_id(0x1304));
    assert_null(mxp_suite_by_id(0xFFFF));
    assert_null(mxp_suite_at(mxp_suites_count()));
    assert_null(mxp_suite_at((size_t)-1));
}

static void test_group_names(void **state)
{
    (void)state;
    assert_string_equal(mxp_group_name(23), "secp256r1");
    assert_string_equal(mxp_group_name(24), "secp384r1");
    assert_string_equal(mxp_group_name(25), "secp521r1");
    assert_string_equal(mxp_group_name(29), "x25519");
    assert_string_equal(mxp_group_name(30), "x448");
    assert_string_equal(mxp_group_name(21), "secp224r1");
    assert_string_equal(mxp_group_name(256), "ffdhe2048");
    assert_string_equal(mxp_group_name(257), "ffdhe3072");
    assert_string_equal(mxp_group_name(258), "ffdhe4096");
    assert_string_equal(mxp_group_name(259), "ffdhe6144");
    assert_string_equal(mxp_group_name(260), "ffdhe8192");
    assert_string_equal(mxp_group_name(0x11EC), "X25519MLKEM768");
    assert_null(mxp_group_name(0));
    assert_null(mxp_group_name(34));
    assert_null(mxp_group_name(255));
    assert_null(mxp_group_name(261));
    assert_null(mxp_group_name(0xFFFF));
}

static void test_sigalg_names(void **state)
{
    (void)state;
    assert_string_equal(mxp_sigalg_name(0x0401), "rsa_pkcs1_sha256");
    assert_string_equal(mxp_sigalg_name(0x0501), "rsa_pkcs1_sha384");
    assert_string_equal(mxp_sigalg_name(0x0601), "rsa_pkcs1_sha512");
    assert_string_equal(mxp_sigalg_name(0x0804), "rsa_pss_rsae_sha256");
    assert_string_equal(mxp_sigalg_name(0x0805), "rsa_pss_rsae_sha384");
    assert_string_equal(mxp_sigalg_name(0x0806), "rsa_pss_rsae_sha512");
    assert_string_equal(mxp_sigalg_name(0x0809), "rsa_pss_pss_sha256");
    assert_string_equal(mxp_sigalg_name(0x0403), "ecdsa_secp256r1_sha256");
    assert_string_equal(mxp_sigalg_name(0x0503), "ecdsa_secp384r1_sha384");
    assert_string_equal(mxp_sigalg_name(0x0603), "ecdsa_secp521r1_sha512");
    assert_string_equal(mxp_sigalg_name(0x0201), "rsa_pkcs1_sha1");
    assert_string_equal(mxp_sigalg_name(0x0203), "ecdsa_sha1");
    assert_string_equal(mxp_sigalg_name(0x0807), "ed25519");
    assert_string_equal(mxp_sigalg_name(0x0808), "ed448");
    assert_null(mxp_sigalg_name(0x0000));
    assert_null(mxp_sigalg_name(0x0101));
    assert_null(mxp_sigalg_name(0x0800));
    assert_null(mxp_sigalg_name(0xFFFF));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_entry_offered_alone_per_version),
        cmocka_unit_test(test_compiled_set_is_the_table),
        cmocka_unit_test(test_ids_and_names_unique),
        cmocka_unit_test(test_names_agree_with_wolfssl),
        cmocka_unit_test(test_versions_kx_auth_weak_order),
        cmocka_unit_test(test_lookup_by_both_names_and_id),
        cmocka_unit_test(test_lookup_negative),
        cmocka_unit_test(test_group_names),
        cmocka_unit_test(test_sigalg_names),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
