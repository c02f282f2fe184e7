/*
 * The cipher suites this build can offer, strongest first, plus the IANA
 * names of named groups and signature schemes.
 *
 * The table mirrors what port/wolfssl/user_settings.h compiles into wolfSSL
 * 5.5.4 (37 suites for TLS 1.0-1.3); tests/unit/test_suites.c checks it both
 * ways against wolfSSL_get_ciphers(). Entries are guarded by the same feature
 * macros wolfSSL uses, so a board that trims a feature trims the table too.
 */
#include "mxp_suites.h"

#include <stddef.h>

#include <wolfssl/wolfcrypt/settings.h>

/* Version sets (bit = 1 << enum mxp_tls_version). */
#define V13 ((uint8_t)(1u << MXP_TLS13))
#define V12 ((uint8_t)(1u << MXP_TLS12))
#if defined(WOLFSSL_ALLOW_TLSV10) && !defined(NO_OLD_TLS)
#define V10_12 ((uint8_t)((1u << MXP_TLS10) | (1u << MXP_TLS11) | (1u << MXP_TLS12)))
#elif !defined(NO_OLD_TLS)
#define V10_12 ((uint8_t)((1u << MXP_TLS11) | (1u << MXP_TLS12)))
#else
#define V10_12 V12
#endif

/* clang-format off */
#define SUITE(id, iana, wolf, versions, kx, auth, weak) \
    {(id), (iana), (wolf), (versions), (uint8_t)(kx), (uint8_t)(auth), (weak)}
/* clang-format on */

/* What wolfSSL's internal.h needs to build each family (BUILD_TLS_*). */
#if defined(HAVE_CHACHA) && defined(HAVE_POLY1305)
#define MXP_SUITES_CHACHA 1
#endif
#if defined(MXP_SUITES_CHACHA) && !defined(NO_OLD_POLY1305)
#define MXP_SUITES_CHACHA_OLD 1
#endif
#if defined(HAVE_ECC) && !defined(NO_RSA)
#define MXP_SUITES_ECDHE_RSA 1
#endif
#if !defined(NO_DH) && !defined(NO_RSA)
#define MXP_SUITES_DHE_RSA 1
#endif
#if defined(WOLFSSL_STATIC_RSA) && !defined(NO_RSA)
#define MXP_SUITES_STATIC_RSA 1
#endif

static const struct mxp_suite_info mxp_suite_table[] = {
/* ---- TLS 1.3: AEAD only, key exchange and authentication negotiated apart */
#ifdef WOLFSSL_TLS13
    SUITE(0x1302, "TLS_AES_256_GCM_SHA384", "TLS13-AES256-GCM-SHA384", V13, MXP_KX_TLS13,
          MXP_AUTH_ANY, false),
#ifdef MXP_SUITES_CHACHA
    SUITE(0x1303, "TLS_CHACHA20_POLY1305_SHA256", "TLS13-CHACHA20-POLY1305-SHA256", V13,
          MXP_KX_TLS13, MXP_AUTH_ANY, false),
#endif
    SUITE(0x1301, "TLS_AES_128_GCM_SHA256", "TLS13-AES128-GCM-SHA256", V13, MXP_KX_TLS13,
          MXP_AUTH_ANY, false),
#endif

/* ---- ECDHE with AEAD (TLS 1.2) ----------------------------------------- */
#ifdef HAVE_ECC
    SUITE(0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384", V12,
          MXP_KX_ECDHE, MXP_AUTH_ECDSA, false),
#endif
#ifdef MXP_SUITES_ECDHE_RSA
    SUITE(0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384", V12,
          MXP_KX_ECDHE, MXP_AUTH_RSA, false),
#endif
#if defined(HAVE_ECC) && defined(MXP_SUITES_CHACHA)
    SUITE(0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305",
          V12, MXP_KX_ECDHE, MXP_AUTH_ECDSA, false),
#endif
#if defined(MXP_SUITES_ECDHE_RSA) && defined(MXP_SUITES_CHACHA)
    SUITE(0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305", V12,
          MXP_KX_ECDHE, MXP_AUTH_RSA, false),
#endif
#ifdef HAVE_ECC
    SUITE(0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256", V12,
          MXP_KX_ECDHE, MXP_AUTH_ECDSA, false),
#endif
#ifdef MXP_SUITES_ECDHE_RSA
    SUITE(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256", V12,
          MXP_KX_ECDHE, MXP_AUTH_RSA, false),
#endif
/* Pre-RFC 7905 ChaCha20-Poly1305 (draft-agl-tls-chacha20poly1305): code points
 * never registered by IANA; the names are wolfSSL's. Still offered by wolfSSL,
 * so they are probed, after the standard ones. */
#if defined(HAVE_ECC) && defined(MXP_SUITES_CHACHA_OLD)
    SUITE(0xCC14, "TLS_ECDHE_ECDSA_WITH_CHACHA20_OLD_POLY1305_SHA256",
          "ECDHE-ECDSA-CHACHA20-POLY1305-OLD", V12, MXP_KX_ECDHE, MXP_AUTH_ECDSA, false),
#endif
#if defined(MXP_SUITES_ECDHE_RSA) && defined(MXP_SUITES_CHACHA_OLD)
    SUITE(0xCC13, "TLS_ECDHE_RSA_WITH_CHACHA20_OLD_POLY1305_SHA256",
          "ECDHE-RSA-CHACHA20-POLY1305-OLD", V12, MXP_KX_ECDHE, MXP_AUTH_RSA, false),
#endif

/* ---- ECDHE with CBC: SHA-2 MACs are TLS 1.2 only, SHA-1 from TLS 1.0 ----- */
#ifdef HAVE_ECC
    SUITE(0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "ECDHE-ECDSA-AES256-SHA384", V12,
          MXP_KX_ECDHE, MXP_AUTH_ECDSA, false),
#endif
#ifdef MXP_SUITES_ECDHE_RSA
    SUITE(0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "ECDHE-RSA-AES256-SHA384", V12,
          MXP_KX_ECDHE, MXP_AUTH_RSA, false),
#endif
#ifdef HAVE_ECC
    SUITE(0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "ECDHE-ECDSA-AES128-SHA256", V12,
          MXP_KX_ECDHE, MXP_AUTH_ECDSA, false),
#endif
#ifdef MXP_SUITES_ECDHE_RSA
    SUITE(0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "ECDHE-RSA-AES128-SHA256", V12,
          MXP_KX_ECDHE, MXP_AUTH_RSA, false),
#endif
#ifdef HAVE_ECC
    SUITE(0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE-ECDSA-AES256-SHA", V10_12,
          MXP_KX_ECDHE, MXP_AUTH_ECDSA, false),
#endif
#ifdef MXP_SUITES_ECDHE_RSA
    SUITE(0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA", V10_12,
          MXP_KX_ECDHE, MXP_AUTH_RSA, false),
#endif
#ifdef HAVE_ECC
    SUITE(0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA", V10_12,
          MXP_KX_ECDHE, MXP_AUTH_ECDSA, false),
#endif
#ifdef MXP_SUITES_ECDHE_RSA
    SUITE(0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA", V10_12,
          MXP_KX_ECDHE, MXP_AUTH_RSA, false),
#endif

/* ---- finite-field DHE (server-chosen group size) ------------------------ */
#ifdef MXP_SUITES_DHE_RSA
    SUITE(0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "DHE-RSA-AES256-GCM-SHA384", V12,
          MXP_KX_DHE, MXP_AUTH_RSA, false),
#ifdef MXP_SUITES_CHACHA
    SUITE(0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "DHE-RSA-CHACHA20-POLY1305", V12,
          MXP_KX_DHE, MXP_AUTH_RSA, false),
#endif
    SUITE(0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "DHE-RSA-AES128-GCM-SHA256", V12,
          MXP_KX_DHE, MXP_AUTH_RSA, false),
#ifdef MXP_SUITES_CHACHA_OLD
    SUITE(0xCC15, "TLS_DHE_RSA_WITH_CHACHA20_OLD_POLY1305_SHA256", "DHE-RSA-CHACHA20-POLY1305-OLD",
          V12, MXP_KX_DHE, MXP_AUTH_RSA, false),
#endif
    SUITE(0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", "DHE-RSA-AES256-SHA256", V12, MXP_KX_DHE,
          MXP_AUTH_RSA, false),
    SUITE(0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", "DHE-RSA-AES128-SHA256", V12, MXP_KX_DHE,
          MXP_AUTH_RSA, false),
    SUITE(0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", "DHE-RSA-AES256-SHA", V10_12, MXP_KX_DHE,
          MXP_AUTH_RSA, false),
    SUITE(0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", "DHE-RSA-AES128-SHA", V10_12, MXP_KX_DHE,
          MXP_AUTH_RSA, false),
#endif

/* ---- static RSA key exchange: no forward secrecy, weak ------------------ */
#ifdef MXP_SUITES_STATIC_RSA
    SUITE(0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384", V12, MXP_KX_RSA,
          MXP_AUTH_RSA, true),
    SUITE(0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256", V12, MXP_KX_RSA,
          MXP_AUTH_RSA, true),
    SUITE(0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256", "AES256-SHA256", V12, MXP_KX_RSA, MXP_AUTH_RSA,
          true),
    SUITE(0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256", "AES128-SHA256", V12, MXP_KX_RSA, MXP_AUTH_RSA,
          true),
    SUITE(0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA", V10_12, MXP_KX_RSA, MXP_AUTH_RSA,
          true),
    SUITE(0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA", V10_12, MXP_KX_RSA, MXP_AUTH_RSA,
          true),
#endif

/* ---- 3DES (64-bit block, Sweet32): weak whatever the key exchange ------- */
#ifndef NO_DES3
#ifdef HAVE_ECC
    SUITE(0xC008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", "ECDHE-ECDSA-DES-CBC3-SHA", V10_12,
          MXP_KX_ECDHE, MXP_AUTH_ECDSA, true),
#endif
#ifdef MXP_SUITES_ECDHE_RSA
    SUITE(0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", "ECDHE-RSA-DES-CBC3-SHA", V10_12,
          MXP_KX_ECDHE, MXP_AUTH_RSA, true),
#endif
#ifdef MXP_SUITES_DHE_RSA
    SUITE(0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA", "EDH-RSA-DES-CBC3-SHA", V10_12, MXP_KX_DHE,
          MXP_AUTH_RSA, true),
#endif
#ifdef MXP_SUITES_STATIC_RSA
    /* wolfSSL's "IANA" name for this one is SSL_RSA_WITH_3DES_EDE_CBC_SHA. */
    SUITE(0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "DES-CBC3-SHA", V10_12, MXP_KX_RSA, MXP_AUTH_RSA,
          true),
#endif
#endif
};

#define MXP_SUITE_COUNT (sizeof mxp_suite_table / sizeof mxp_suite_table[0])

_Static_assert(MXP_SUITE_COUNT <= MXP_CFG_MAX_SUITES,
               "mxp_config.h: MXP_CFG_MAX_SUITES is smaller than the suites this build offers");
_Static_assert(MXP_SUITE_COUNT <= 255, "mxp_suite_result.order is a uint8_t");

size_t mxp_suites_count(void)
{
    return MXP_SUITE_COUNT;
}

const struct mxp_suite_info *mxp_suite_at(size_t i)
{
    return i < MXP_SUITE_COUNT ? &mxp_suite_table[i] : NULL;
}

const struct mxp_suite_info *mxp_suite_by_id(uint16_t id)
{
    for (size_t i = 0; i < MXP_SUITE_COUNT; i++) {
        if (mxp_suite_table[i].id == id)
            return &mxp_suite_table[i];
    }
    return NULL;
}

static char mxp_ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* ASCII case-insensitive equality; no locale, no <strings.h> on a board. */
static bool mxp_name_eq(const char *a, const char *b)
{
    while (*a != '\0' && mxp_ascii_lower(*a) == mxp_ascii_lower(*b)) {
        a++;
        b++;
    }
    return *a == '\0' && *b == '\0';
}

const struct mxp_suite_info *mxp_suite_by_name(const char *name)
{
    if (name == NULL || name[0] == '\0')
        return NULL;
    for (size_t i = 0; i < MXP_SUITE_COUNT; i++) {
        const struct mxp_suite_info *s = &mxp_suite_table[i];
        if (mxp_name_eq(name, s->iana) || mxp_name_eq(name, s->wolf))
            return s;
    }
    /* The SSL_ spelling of old IANA names (wolfSSL reports 0x000A that way). */
    if (mxp_name_eq("SSL_RSA_WITH_3DES_EDE_CBC_SHA", name))
        return mxp_suite_by_id(0x000A);
    return NULL;
}

/* IANA "TLS Supported Groups" registry (RFC 8422, RFC 7919, RFC 8446). */
const char *mxp_group_name(uint16_t group)
{
    static const char *const ec_names[] = {
        NULL,
        "sect163k1",
        "sect163r1",
        "sect163r2",
        "sect193r1",
        "sect193r2",
        "sect233k1",
        "sect233r1",
        "sect239k1",
        "sect283k1",
        "sect283r1",
        "sect409k1",
        "sect409r1",
        "sect571k1",
        "sect571r1",
        "secp160k1",
        "secp160r1",
        "secp160r2",
        "secp192k1",
        "secp192r1",
        "secp224k1",
        "secp224r1",
        "secp256k1",
        "secp256r1",
        "secp384r1",
        "secp521r1",
        "brainpoolP256r1",
        "brainpoolP384r1",
        "brainpoolP512r1",
        "x25519",
        "x448",
        "brainpoolP256r1tls13",
        "brainpoolP384r1tls13",
        "brainpoolP512r1tls13",
    };
    static const char *const ffdhe_names[] = {
        "ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192",
    };

    if (group < sizeof ec_names / sizeof ec_names[0])
        return ec_names[group];
    if (group >= 256 && group < 256 + sizeof ffdhe_names / sizeof ffdhe_names[0])
        return ffdhe_names[group - 256];
    switch (group) {
    case 0x11EB:
        return "SecP256r1MLKEM768";
    case 0x11EC:
        return "X25519MLKEM768";
    case 0x11ED:
        return "SecP384r1MLKEM1024";
    case 0x6399:
        return "X25519Kyber768Draft00";
    default:
        return NULL;
    }
}

/* IANA "TLS SignatureScheme" registry (RFC 8446 4.2.3). TLS 1.2 carries the
 * same two bytes as (hash, signature); the legacy pairs without an RFC 8446
 * name are named the way OpenSSL prints them. */
const char *mxp_sigalg_name(uint16_t scheme)
{
    switch (scheme) {
    case 0x0201:
        return "rsa_pkcs1_sha1";
    case 0x0202:
        return "dsa_sha1";
    case 0x0203:
        return "ecdsa_sha1";
    case 0x0301:
        return "rsa_pkcs1_sha224";
    case 0x0302:
        return "dsa_sha224";
    case 0x0303:
        return "ecdsa_sha224";
    case 0x0401:
        return "rsa_pkcs1_sha256";
    case 0x0402:
        return "dsa_sha256";
    case 0x0403:
        return "ecdsa_secp256r1_sha256";
    case 0x0501:
        return "rsa_pkcs1_sha384";
    case 0x0502:
        return "dsa_sha384";
    case 0x0503:
        return "ecdsa_secp384r1_sha384";
    case 0x0601:
        return "rsa_pkcs1_sha512";
    case 0x0602:
        return "dsa_sha512";
    case 0x0603:
        return "ecdsa_secp521r1_sha512";
    case 0x0804:
        return "rsa_pss_rsae_sha256";
    case 0x0805:
        return "rsa_pss_rsae_sha384";
    case 0x0806:
        return "rsa_pss_rsae_sha512";
    case 0x0807:
        return "ed25519";
    case 0x0808:
        return "ed448";
    case 0x0809:
        return "rsa_pss_pss_sha256";
    case 0x080A:
        return "rsa_pss_pss_sha384";
    case 0x080B:
        return "rsa_pss_pss_sha512";
    case 0x081A:
        return "ecdsa_brainpoolP256r1tls13_sha256";
    case 0x081B:
        return "ecdsa_brainpoolP384r1tls13_sha384";
    case 0x081C:
        return "ecdsa_brainpoolP512r1tls13_sha512";
    default:
        return NULL;
    }
}
