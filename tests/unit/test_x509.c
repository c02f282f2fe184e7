/*
 * X.509 summary: real certificates made by openssl (tests/unit/data, see
 * gen_certs.sh and certs.txt for what openssl says about them), synthetic
 * certificates built here for the edge cases, truncation and length-lie
 * sweeps, tag bit flips and the RFC 6125 name-match table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mxp_x509.h"

#include "data/certs.h"

/* Summarize from an exact-size heap copy so ASan catches any over-read. */
static mxp_err summarize(const uint8_t *der, size_t len, struct mxp_cert_summary *out)
{
    uint8_t *copy = malloc(len == 0 ? 1 : len);
    assert_non_null(copy);
    if (len > 0)
        memcpy(copy, der, len);
    mxp_err e = mxp_x509_summarize(len == 0 ? NULL : copy, len, out);
    free(copy);
    return e;
}

static void assert_cleared(const struct mxp_cert_summary *s)
{
    static const struct mxp_cert_summary zero;
    assert_memory_equal(s, &zero, sizeof zero);
}

/* ---- real certificates -------------------------------------------------------- */

struct real_cert {
    const char *name;
    const uint8_t *der;
    size_t len;
    const char *subject;
    const char *sans[MXP_CFG_CERT_SANS_MAX];
    uint8_t n_sans;
    bool sans_truncated;
    int64_t not_before, not_after;
    uint8_t key_type;
    uint16_t key_bits, key_curve;
};

#define DER(n) #n, n##_der, sizeof n##_der

static const struct real_cert real[] = {
    {DER(rsa2048),
     "CN=mx.example.org, OU=Ops, O=Example Mail, L=Berlin, ST=Berlin, C=DE",
     {"mx.example.org", "mail.example.org"},
     2,
     false,
     1795327649,
     1826863649,
     MXP_KEY_RSA,
     2048,
     0},
    {DER(rsa4096_nosan),
     "CN=legacy.example.net, O=Legacy",
     {0},
     0,
     false,
     1795327651,
     1826863651,
     MXP_KEY_RSA,
     4096,
     0},
    {DER(ec256_wild),
     "CN=*.example.com",
     {"*.example.com", "example.com"},
     2,
     false,
     1795327651,
     1826863651,
     MXP_KEY_EC,
     256,
     23},
    {DER(ec384),
     "emailAddress=postmaster@p384.test, CN=mx.p384.test",
     {"mx.p384.test"},
     1,
     false,
     1795327651,
     1826863651,
     MXP_KEY_EC,
     384,
     24},
    {DER(ec521), "CN=mx.p521.test", {0}, 0, false, 1795327651, 1826863651, MXP_KEY_EC, 521, 25},
    {DER(ed25519),
     "O=Edwards, CN=mx.ed25519.test",
     {"mx.ed25519.test"},
     1,
     false,
     1795327651,
     1826863651,
     MXP_KEY_ED25519,
     256,
     0},
    {DER(gentime),
     "CN=long.example.org",
     {"long.example.org"},
     1,
     false,
     1795327651,
     2832127651 /* GeneralizedTime 20590930060731Z */,
     MXP_KEY_EC,
     256,
     23},
    {DER(many_sans),
     "CN=many.example.org",
     {"a1.example.org", "a2.example.org", "a3.example.org", "a4.example.org", "a5.example.org",
      "a6.example.org", "a7.example.org", "a8.example.org"},
     8,
     true,
     1795327651,
     1826863651,
     MXP_KEY_EC,
     256,
     23},
    {DER(expired),
     "CN=old.example.org",
     {"old.example.org"},
     1,
     false,
     1546300800,
     1577836800,
     MXP_KEY_RSA,
     2048,
     0},
    {DER(utc_edges),
     "CN=edges.example.org",
     {"edges.example.org"},
     1,
     false,
     -631152000 /* UTCTime 500101000000Z */,
     2524607999 /* UTCTime 491231235959Z */,
     MXP_KEY_RSA,
     2048,
     0},
};
#define N_REAL (sizeof real / sizeof real[0])

static void test_real_certs(void **state)
{
    (void)state;
    _Static_assert(MXP_CFG_CERT_SANS_MAX == 8, "many_sans expects 8 slots");
    for (size_t i = 0; i < N_REAL; i++) {
        const struct real_cert *r = &real[i];
        struct mxp_cert_summary s;
        memset(&s, 0xa5, sizeof s);
        mxp_err e = summarize(r->der, r->len, &s);
        if (!mxp_ok(e))
            fail_msg("%s: %04x", r->name, e.code);
        assert_true(s.present);
        assert_string_equal(s.subject, r->subject);
        assert_string_equal(s.issuer, r->subject); /* all self-signed */
        assert_true(s.self_signed);
        assert_int_equal(s.n_sans, r->n_sans);
        assert_int_equal(s.sans_truncated, r->sans_truncated);
        for (size_t k = 0; k < r->n_sans; k++)
            assert_string_equal(s.sans[k], r->sans[k]);
        assert_int_equal(s.not_before, r->not_before);
        assert_int_equal(s.not_after, r->not_after);
        assert_int_equal(s.key_type, r->key_type);
        assert_int_equal(s.key_bits, r->key_bits);
        assert_int_equal(s.key_curve, r->key_curve);
        /* left for the engine */
        assert_int_equal(s.name_match, MXP_NOT_CHECKED);
        assert_int_equal(s.expired, MXP_NOT_CHECKED);
        assert_int_equal(s.chain_len, 0);
    }
}

static void test_real_name_match(void **state)
{
    (void)state;
    struct mxp_cert_summary s;
    assert_true(mxp_ok(summarize(rsa2048_der, sizeof rsa2048_der, &s)));
    assert_true(mxp_x509_name_matches(&s, "mx.example.org"));
    assert_true(mxp_x509_name_matches(&s, "MAIL.example.org."));
    assert_false(mxp_x509_name_matches(&s, "example.org"));
    assert_true(mxp_ok(summarize(rsa4096_nosan_der, sizeof rsa4096_nosan_der, &s)));
    assert_true(mxp_x509_name_matches(&s, "legacy.example.net")); /* CN, no SANs */
    assert_false(mxp_x509_name_matches(&s, "Legacy"));
    assert_true(mxp_ok(summarize(ec256_wild_der, sizeof ec256_wild_der, &s)));
    assert_true(mxp_x509_name_matches(&s, "mx.example.com"));
    assert_true(mxp_x509_name_matches(&s, "example.com"));
    assert_false(mxp_x509_name_matches(&s, "a.b.example.com"));
    assert_true(mxp_ok(summarize(many_sans_der, sizeof many_sans_der, &s)));
    assert_true(mxp_x509_name_matches(&s, "a8.example.org"));
    assert_false(mxp_x509_name_matches(&s, "a9.example.org"));   /* not kept */
    assert_false(mxp_x509_name_matches(&s, "many.example.org")); /* CN: there are SANs */
}

static void test_real_truncation(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_REAL; i++) {
        for (size_t k = 0; k < real[i].len; k++) {
            struct mxp_cert_summary s;
            memset(&s, 0xa5, sizeof s);
            mxp_err e = summarize(real[i].der, k, &s);
            if (!mxp_is(e, MXP_E_CERT_PARSE))
                fail_msg("%s prefix %zu: %04x", real[i].name, k, e.code);
            assert_cleared(&s);
        }
    }
}

static void test_real_trailing_bytes(void **state)
{
    (void)state;
    static uint8_t buf[4096];
    for (size_t i = 0; i < N_REAL; i++) {
        struct mxp_cert_summary s;
        memcpy(buf, real[i].der, real[i].len);
        memcpy(buf + real[i].len, "\x30\x00", 2);
        assert_int_equal(summarize(buf, real[i].len + 1, &s).code, MXP_E_CERT_PARSE);
        assert_int_equal(summarize(buf, real[i].len + 2, &s).code, MXP_E_CERT_PARSE);
    }
}

/* Test-side DER walk: every element of the certificate, with where its
 * length sits and where its parent ends. */
struct elem {
    size_t tag_off, len_off, len_bytes, len, body_off, parent_end;
    unsigned depth;
    bool last; /* last child of its parent */
};

static size_t walk(const uint8_t *d, size_t n, struct elem *out, size_t cap)
{
    size_t ends[16], count = 0, pos = 0;
    unsigned depth = 0;
    ends[0] = n;
    while (pos < n || depth > 0) {
        if (pos == ends[depth]) {
            depth--;
            continue;
        }
        struct elem e = {0};
        e.tag_off = pos;
        e.len_off = pos + 1;
        uint8_t b = d[pos + 1];
        if (b < 0x80) {
            e.len = b;
            e.len_bytes = 1;
        } else {
            e.len_bytes = 1 + (b & 0x7fu);
            for (size_t k = 1; k < e.len_bytes; k++)
                e.len = (e.len << 8) | d[pos + 1 + k];
        }
        e.body_off = pos + 1 + e.len_bytes;
        e.parent_end = ends[depth];
        e.depth = depth;
        e.last = e.body_off + e.len == ends[depth];
        assert_true(count < cap);
        out[count++] = e;
        if ((d[pos] & 0x20) && depth + 1 < 16) {
            ends[++depth] = e.body_off + e.len;
            pos = e.body_off;
        } else {
            pos = e.body_off + e.len;
        }
    }
    return count;
}

static bool set_len(uint8_t *d, const struct elem *e, size_t len)
{
    if (e->len_bytes == 1) {
        if (len > 127)
            return false;
        d[e->len_off] = (uint8_t)len;
        return true;
    }
    for (size_t k = e->len_bytes - 1; k >= 1; k--) {
        d[e->len_off + k] = (uint8_t)len;
        len >>= 8;
    }
    return len == 0;
}

static void test_length_lies(void **state)
{
    (void)state;
    static uint8_t buf[4096];
    static struct elem el[512];
    size_t checked = 0;
    for (size_t i = 0; i < N_REAL; i++) {
        size_t n = walk(real[i].der, real[i].len, el, 512);
        for (size_t k = 0; k < n; k++) {
            struct mxp_cert_summary s;
            const struct elem *e = &el[k];
            size_t room = e->parent_end - e->body_off;
            /* one byte longer than its parent allows */
            memcpy(buf, real[i].der, real[i].len);
            if (set_len(buf, e, room + 1)) {
                if (!mxp_is(summarize(buf, real[i].len, &s), MXP_E_CERT_PARSE))
                    fail_msg("%s element %zu at %zu: longer than parent accepted", real[i].name, k,
                             e->tag_off);
                checked++;
            }
            /* far bigger than the buffer */
            memcpy(buf, real[i].der, real[i].len);
            if (e->len_bytes > 1) {
                memset(buf + e->len_off + 1, 0xff, e->len_bytes - 1);
                assert_int_equal(summarize(buf, real[i].len, &s).code, MXP_E_CERT_PARSE);
                checked++;
            }
            /* the last child one byte short leaves a stray byte in the parent */
            memcpy(buf, real[i].der, real[i].len);
            if (e->last && e->len > 0 && set_len(buf, e, e->len - 1)) {
                if (!mxp_is(summarize(buf, real[i].len, &s), MXP_E_CERT_PARSE))
                    fail_msg("%s element %zu at %zu: short last child accepted", real[i].name, k,
                             e->tag_off);
                checked++;
            }
        }
    }
    assert_true(checked > 500);
}

/* Flipping any bit of a mandatory element's tag must fail; flipping any bit
 * anywhere must never crash and never produce an unterminated summary. */
static void test_bit_flips(void **state)
{
    (void)state;
    static uint8_t buf[4096];
    static struct elem el[512];
    for (size_t i = 0; i < N_REAL; i++) {
        size_t n = walk(real[i].der, real[i].len, el, 512);
        /* Certificate, tbs and the tbs elements before the extensions */
        size_t structural[16], ns = 0;
        for (size_t k = 0; k < n && ns < 16; k++) {
            bool top = el[k].depth <= 1;
            bool tbs_child = el[k].depth == 2 && el[k].tag_off < el[1].body_off + el[1].len &&
                             real[i].der[el[k].tag_off] != 0xa3;
            if (top || tbs_child)
                structural[ns++] = el[k].tag_off;
        }
        assert_true(ns >= 10);
        for (size_t k = 0; k < ns; k++) {
            for (unsigned bit = 0; bit < 8; bit++) {
                struct mxp_cert_summary s;
                memcpy(buf, real[i].der, real[i].len);
                buf[structural[k]] ^= (uint8_t)(1u << bit);
                if (!mxp_is(summarize(buf, real[i].len, &s), MXP_E_CERT_PARSE))
                    fail_msg("%s: tag flip at %zu bit %u accepted", real[i].name, structural[k],
                             bit);
            }
        }
        memcpy(buf, real[i].der, real[i].len);
        for (size_t pos = 0; pos < real[i].len; pos++) {
            for (unsigned bit = 0; bit < 8; bit++) {
                struct mxp_cert_summary s;
                buf[pos] ^= (uint8_t)(1u << bit);
                mxp_err e = mxp_x509_summarize(buf, real[i].len, &s);
                buf[pos] ^= (uint8_t)(1u << bit);
                if (mxp_ok(e)) {
                    assert_true(s.present);
                    assert_non_null(memchr(s.subject, 0, sizeof s.subject));
                    assert_non_null(memchr(s.issuer, 0, sizeof s.issuer));
                    assert_true(s.n_sans <= MXP_CFG_CERT_SANS_MAX);
                    (void)mxp_x509_name_matches(&s, "mx.example.org");
                } else {
                    assert_int_equal(e.code, MXP_E_CERT_PARSE);
                    assert_false(s.present);
                }
            }
        }
    }
}

/* ---- synthetic certificates ----------------------------------------------------- */

struct bld {
    uint8_t b[8192];
    size_t n;
    size_t open[24];
    unsigned depth;
};

enum len_form {
    LEN_MIN,
    LEN_LONG4,
    LEN_LONG5,
    LEN_INDEF
};

static void b_raw(struct bld *b, const void *p, size_t n)
{
    assert_true(b->n + n <= sizeof b->b);
    if (n > 0)
        memcpy(b->b + b->n, p, n);
    b->n += n;
}

static void b_open(struct bld *b, uint8_t tag)
{
    assert_true(b->depth < 24);
    b_raw(b, &tag, 1);
    b->open[b->depth++] = b->n;
}

static void b_close_as(struct bld *b, enum len_form form)
{
    size_t start = b->open[--b->depth], len = b->n - start;
    uint8_t h[6];
    size_t hn;
    if (form == LEN_INDEF) {
        h[0] = 0x80;
        hn = 1;
    } else if (form == LEN_LONG4 || form == LEN_LONG5) {
        size_t k = 0;
        h[k++] = form == LEN_LONG4 ? 0x84 : 0x85;
        if (form == LEN_LONG5)
            h[k++] = 0;
        h[k++] = (uint8_t)(len >> 24);
        h[k++] = (uint8_t)(len >> 16);
        h[k++] = (uint8_t)(len >> 8);
        h[k++] = (uint8_t)len;
        hn = k;
    } else if (len < 128) {
        h[0] = (uint8_t)len;
        hn = 1;
    } else if (len < 256) {
        h[0] = 0x81;
        h[1] = (uint8_t)len;
        hn = 2;
    } else {
        h[0] = 0x82;
        h[1] = (uint8_t)(len >> 8);
        h[2] = (uint8_t)len;
        hn = 3;
    }
    assert_true(b->n + hn <= sizeof b->b);
    memmove(b->b + start + hn, b->b + start, len);
    memcpy(b->b + start, h, hn);
    b->n += hn;
    if (form == LEN_INDEF)
        b_raw(b, "\0\0", 2);
}

static void b_close(struct bld *b)
{
    b_close_as(b, LEN_MIN);
}

static void b_prim(struct bld *b, uint8_t tag, const void *p, size_t n)
{
    b_open(b, tag);
    b_raw(b, p, n);
    b_close(b);
}

static void b_str(struct bld *b, uint8_t tag, const char *s)
{
    b_prim(b, tag, s, strlen(s));
}

#define B_OID(b, arr) b_prim((b), 0x06, (arr), sizeof(arr))

static const uint8_t OID_CN[] = {0x55, 0x04, 0x03};
static const uint8_t OID_C[] = {0x55, 0x04, 0x06};
static const uint8_t OID_L[] = {0x55, 0x04, 0x07};
static const uint8_t OID_ST[] = {0x55, 0x04, 0x08};
static const uint8_t OID_O[] = {0x55, 0x04, 0x0a};
static const uint8_t OID_OU[] = {0x55, 0x04, 0x0b};
static const uint8_t OID_SERIAL[] = {0x55, 0x04, 0x05};
static const uint8_t OID_DC[] = {0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19};
static const uint8_t OID_JURIS_C[] = {0x2b, 0x06, 0x01, 0x04, 0x01, 0x82,
                                      0x37, 0x3c, 0x02, 0x01, 0x03}; /* 1.3.6.1.4.1.311.60.2.1.3 */
static const uint8_t OID_HUGE_ARC[] = {0x69, 0x82, 0xff, 0xff, 0xff, 0xff,
                                       0xff, 0xff, 0xff, 0xff, 0x7f}; /* 2.25.(2^64+...) */
static const uint8_t OID_RSA[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
static const uint8_t OID_RSA_PSS[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a};
static const uint8_t OID_SHA256_RSA[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b};
static const uint8_t OID_EC[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
static const uint8_t OID_P256[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const uint8_t OID_SECP256K1[] = {0x2b, 0x81, 0x04, 0x00, 0x0a};
static const uint8_t OID_ED448[] = {0x2b, 0x65, 0x71};
static const uint8_t OID_X25519[] = {0x2b, 0x65, 0x6e};
static const uint8_t OID_DSA[] = {0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01};
static const uint8_t OID_SAN[] = {0x55, 0x1d, 0x11};
static const uint8_t OID_BASIC[] = {0x55, 0x1d, 0x13};

/* A name with one single-valued RDN per entry, in DER order. */
struct rdn {
    const uint8_t *oid;
    size_t oid_len;
    uint8_t tag;
    const char *value;
    size_t value_len; /* 0: strlen */
};
#define RDN(o, t, v)                                                                               \
    {                                                                                              \
        (o), sizeof(o), (t), (v), 0                                                                \
    }

static void b_name(struct bld *b, const struct rdn *r, size_t n)
{
    b_open(b, 0x30);
    for (size_t i = 0; i < n; i++) {
        b_open(b, 0x31);
        b_open(b, 0x30);
        b_prim(b, 0x06, r[i].oid, r[i].oid_len);
        b_prim(b, r[i].tag, r[i].value, r[i].value_len ? r[i].value_len : strlen(r[i].value));
        b_close(b);
        b_close(b);
    }
    b_close(b);
}

static void b_p256_spki(struct bld *b)
{
    uint8_t point[66] = {0x00, 0x04};
    memset(point + 2, 0x11, 64);
    b_open(b, 0x30);
    b_open(b, 0x30);
    B_OID(b, OID_EC);
    B_OID(b, OID_P256);
    b_close(b);
    b_prim(b, 0x03, point, sizeof point);
    b_close(b);
}

/* Pieces of a tbsCertificate, each a complete element; NULL picks a default. */
struct spec {
    bool no_version, empty_serial;
    const struct bld *issuer, *subject, *validity, *spki, *exts, *tail, *sig_alg, *cert_tail;
    enum len_form outer_form;
};

static void b_piece(struct bld *b, const struct bld *piece)
{
    b_raw(b, piece->b, piece->n);
}

static void build(struct bld *b, const struct spec *sp)
{
    static const uint8_t serial[] = {0x01, 0x23};
    memset(b, 0, sizeof *b);
    b_open(b, 0x30);
    b_open(b, 0x30); /* tbs */
    if (!sp->no_version) {
        b_open(b, 0xa0);
        b_prim(b, 0x02, "\x02", 1);
        b_close(b);
    }
    b_prim(b, 0x02, serial, sp->empty_serial ? 0 : sizeof serial);
    if (sp->sig_alg) {
        b_piece(b, sp->sig_alg);
    } else {
        b_open(b, 0x30);
        B_OID(b, OID_SHA256_RSA);
        b_prim(b, 0x05, NULL, 0);
        b_close(b);
    }
    static const struct rdn def_name[] = {RDN(OID_CN, 0x0c, "test.example")};
    if (sp->issuer)
        b_piece(b, sp->issuer);
    else
        b_name(b, def_name, 1);
    if (sp->validity) {
        b_piece(b, sp->validity);
    } else {
        b_open(b, 0x30);
        b_str(b, 0x17, "240101000000Z");
        b_str(b, 0x17, "250101000000Z");
        b_close(b);
    }
    if (sp->subject)
        b_piece(b, sp->subject);
    else
        b_name(b, def_name, 1);
    if (sp->spki)
        b_piece(b, sp->spki);
    else
        b_p256_spki(b);
    if (sp->exts) {
        b_open(b, 0xa3);
        b_piece(b, sp->exts);
        b_close(b);
    }
    if (sp->tail)
        b_piece(b, sp->tail);
    b_close(b); /* tbs */
    b_open(b, 0x30);
    B_OID(b, OID_SHA256_RSA);
    b_close(b);
    b_prim(b, 0x03, "\x00\xaa\xbb", 3);
    if (sp->cert_tail)
        b_piece(b, sp->cert_tail);
    b_close_as(b, sp->outer_form);
}

static mxp_err build_and_summarize(const struct spec *sp, struct mxp_cert_summary *s)
{
    static struct bld cert;
    build(&cert, sp);
    mxp_err e = summarize(cert.b, cert.n, s);
    /* a synthetic certificate must also fail cleanly at every truncation */
    for (size_t k = 0; k < cert.n; k++) {
        struct mxp_cert_summary t;
        assert_int_equal(summarize(cert.b, k, &t).code, MXP_E_CERT_PARSE);
    }
    return e;
}

static void test_synthetic_default(void **state)
{
    (void)state;
    struct spec sp = {0};
    struct mxp_cert_summary s;
    assert_true(mxp_ok(build_and_summarize(&sp, &s)));
    assert_string_equal(s.subject, "CN=test.example");
    assert_true(s.self_signed);
    assert_int_equal(s.not_before, 1704067200);
    assert_int_equal(s.not_after, 1735689600);
    assert_int_equal(s.key_type, MXP_KEY_EC);
    assert_int_equal(s.key_curve, 23);
    assert_int_equal(s.n_sans, 0);
    assert_false(s.sans_truncated);
    assert_true(mxp_x509_name_matches(&s, "test.example"));

    sp.no_version = true; /* v1 */
    assert_true(mxp_ok(build_and_summarize(&sp, &s)));
    assert_string_equal(s.subject, "CN=test.example");
}

struct dn_case {
    struct rdn rdns[6];
    size_t n;
    const char *want;
};

static const struct dn_case dn_cases[] = {
    {{RDN(OID_C, 0x13, "DE"), RDN(OID_O, 0x0c, "Org"), RDN(OID_CN, 0x0c, "x")},
     3,
     "CN=x, O=Org, C=DE"},
    {{RDN(OID_DC, 0x16, "org"), RDN(OID_DC, 0x16, "example"), RDN(OID_L, 0x0c, "Town"),
      RDN(OID_ST, 0x0c, "State"), RDN(OID_SERIAL, 0x13, "42")},
     5,
     "serialNumber=42, ST=State, L=Town, DC=example, DC=org"},
    {{RDN(OID_O, 0x0c, "Example, Inc."), RDN(OID_OU, 0x0c, "a+b;c<d>e\"f\\g")},
     2,
     "OU=a\\+b\\;c\\<d\\>e\\\"f\\\\g, O=Example\\, Inc."},
    {{RDN(OID_CN, 0x0c, " #lead")}, 1, "CN=\\ #lead"},
    {{RDN(OID_CN, 0x0c, "#x")}, 1, "CN=\\#x"},
    {{RDN(OID_CN, 0x0c, "trail ")}, 1, "CN=trail\\ "},
    {{RDN(OID_CN, 0x0c, "mid # and = ok")}, 1, "CN=mid # and = ok"},
    {{{OID_CN, sizeof OID_CN, 0x0c, "a\0b", 3}}, 1, "CN=a\\00b"},
    {{RDN(OID_O, 0x0c,
          "Gr\xc3\xbc\xc3\x9f"
          "e")},
     1,
     "O=Gr\xc3\xbc\xc3\x9f"
     "e"},
    {{RDN(OID_O, 0x14, "caf\xe9")}, 1, "O=caf\xe9"}, /* T61: bytes kept raw */
    {{RDN(OID_O, 0x16, "ctl\x01\x7f")}, 1, "O=ctl\x01\x7f"},
    {{{OID_O, sizeof OID_O, 0x1e, "\x00G\x00r\x00\xfc", 6}}, 1, "O=Gr\xc3\xbc"}, /* BMP */
    {{{OID_O, sizeof OID_O, 0x1e, "\xd8\x3d\xde\x00", 4}}, 1, "O=\xf0\x9f\x98\x80"},
    {{{OID_O, sizeof OID_O, 0x1e,
       "\xd8\x3d\x00"
       "A",
       4}},
     1,
     "O=\xef\xbf\xbd"
     "A"},
    {{{OID_O, sizeof OID_O, 0x1e, "\xdc\x00", 2}}, 1, "O=\xef\xbf\xbd"},
    {{{OID_O, sizeof OID_O, 0x1e, "\x00 \x00,\x00 ", 6}}, 1, "O=\\ \\,\\ "},
    {{{OID_O, sizeof OID_O, 0x1c,
       "\x00\x00\x00"
       "A\x00\x00\x00\xe9\x00\x11\x00\x00",
       12}},
     1,
     "O=A\xc3\xa9\xef\xbf\xbd"}, /* UniversalString, one code point out of range */
    {{RDN(OID_JURIS_C, 0x13, "DE")}, 1, "1.3.6.1.4.1.311.60.2.1.3=DE"},
    {{RDN(OID_HUGE_ARC, 0x0c, "x")}, 1, "2.25.?=x"},
    {{{OID_CN, sizeof OID_CN, 0x02, "\x05", 1}}, 1, "CN=#020105"}, /* INTEGER value */
    {{{OID_CN, sizeof OID_CN, 0x0c, "", 0}}, 1, "CN="},
    {{{0}}, 0, ""},
};

static void test_dn_rendering(void **state)
{
    (void)state;
    static struct bld name;
    for (size_t i = 0; i < sizeof dn_cases / sizeof dn_cases[0]; i++) {
        struct mxp_cert_summary s;
        memset(&name, 0, sizeof name);
        b_name(&name, dn_cases[i].rdns, dn_cases[i].n);
        struct spec sp = {.subject = &name};
        mxp_err e = build_and_summarize(&sp, &s);
        if (!mxp_ok(e))
            fail_msg("dn case %zu: %04x", i, e.code);
        assert_string_equal(s.subject, dn_cases[i].want);
        assert_string_equal(s.issuer, "CN=test.example");
        assert_false(s.self_signed);
    }
}

static void test_dn_multivalued_and_malformed(void **state)
{
    (void)state;
    static struct bld name;
    struct mxp_cert_summary s;
    struct spec sp = {.subject = &name};

    /* SET { CN=a, O=b } as one RDN */
    memset(&name, 0, sizeof name);
    b_open(&name, 0x30);
    b_open(&name, 0x31);
    b_open(&name, 0x30);
    B_OID(&name, OID_CN);
    b_str(&name, 0x0c, "a");
    b_close(&name);
    b_open(&name, 0x30);
    B_OID(&name, OID_O);
    b_str(&name, 0x0c, "b");
    b_close(&name);
    b_close(&name);
    b_open(&name, 0x31);
    b_open(&name, 0x30);
    B_OID(&name, OID_C);
    b_str(&name, 0x13, "NL");
    b_close(&name);
    b_close(&name);
    b_close(&name);
    assert_true(mxp_ok(build_and_summarize(&sp, &s)));
    assert_string_equal(s.subject, "C=NL, CN=a+O=b");

    /* an empty RDN */
    memset(&name, 0, sizeof name);
    b_open(&name, 0x30);
    b_prim(&name, 0x31, NULL, 0);
    b_close(&name);
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);
    assert_cleared(&s);

    /* an RDN that is a SEQUENCE, not a SET */
    memset(&name, 0, sizeof name);
    b_open(&name, 0x30);
    b_open(&name, 0x30);
    b_open(&name, 0x30);
    B_OID(&name, OID_CN);
    b_str(&name, 0x0c, "a");
    b_close(&name);
    b_close(&name);
    b_close(&name);
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);

    /* AttributeTypeAndValue with a third element, or without a value */
    for (int variant = 0; variant < 4; variant++) {
        memset(&name, 0, sizeof name);
        b_open(&name, 0x30);
        b_open(&name, 0x31);
        b_open(&name, 0x30);
        if (variant == 2)
            b_str(&name, 0x0c, "type is not an OID");
        else if (variant == 3)
            b_prim(&name, 0x06, "\x55\x84", 2); /* OID ending mid-arc */
        else
            B_OID(&name, OID_CN);
        if (variant != 1)
            b_str(&name, 0x0c, "a");
        if (variant == 0)
            b_str(&name, 0x0c, "extra");
        b_close(&name);
        b_close(&name);
        b_close(&name);
        if (!mxp_is(build_and_summarize(&sp, &s), MXP_E_CERT_PARSE))
            fail_msg("malformed ATV variant %d accepted", variant);
    }

    /* odd-length BMPString, UniversalString not a multiple of 4 */
    static const struct rdn odd_bmp[] = {{OID_O, sizeof OID_O, 0x1e, "\x00G\x00", 3}};
    memset(&name, 0, sizeof name);
    b_name(&name, odd_bmp, 1);
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);
    static const struct rdn odd_ucs[] = {{OID_O, sizeof OID_O, 0x1c, "\x00\x00\x00G\x00", 5}};
    memset(&name, 0, sizeof name);
    b_name(&name, odd_ucs, 1);
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);

    /* a high-tag-number value type (read as one tag byte it would parse) */
    memset(&name, 0, sizeof name);
    b_open(&name, 0x30);
    b_open(&name, 0x31);
    b_open(&name, 0x30);
    B_OID(&name, OID_CN);
    b_raw(&name, "\x1f\x01x", 3);
    b_close(&name);
    b_close(&name);
    b_close(&name);
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);
}

static void test_dn_truncation(void **state)
{
    (void)state;
    static struct bld name;
    static char value[400], want[MXP_CFG_CERT_DN_MAX];
    struct mxp_cert_summary s;
    struct spec sp = {.subject = &name};
    const size_t keep = MXP_CFG_CERT_DN_MAX - 4; /* room for "..." and the NUL */

    /* exactly fits: no marker */
    memset(value, 'a', sizeof value);
    value[MXP_CFG_CERT_DN_MAX - 1 - 2] = '\0';
    struct rdn r[2] = {{OID_O, sizeof OID_O, 0x0c, value, 0}};
    memset(&name, 0, sizeof name);
    b_name(&name, r, 1);
    assert_true(mxp_ok(build_and_summarize(&sp, &s)));
    assert_int_equal(strlen(s.subject), MXP_CFG_CERT_DN_MAX - 1);
    assert_int_not_equal(s.subject[MXP_CFG_CERT_DN_MAX - 2], '.');

    /* one more: truncated and marked */
    value[MXP_CFG_CERT_DN_MAX - 1 - 2] = 'a';
    value[MXP_CFG_CERT_DN_MAX - 2] = '\0';
    memset(&name, 0, sizeof name);
    b_name(&name, r, 1);
    assert_true(mxp_ok(build_and_summarize(&sp, &s)));
    assert_int_equal(strlen(s.subject), MXP_CFG_CERT_DN_MAX - 1);
    memcpy(want, "O=", 2);
    memset(want + 2, 'a', keep - 2);
    memcpy(want + keep, "...", 4);
    assert_string_equal(s.subject, want);

    /* the cut would split a UTF-8 sequence: it is dropped whole */
    memset(value, 'a', sizeof value);
    memcpy(value + keep - 3, "\xc3\xa9", 2); /* bytes keep-1 and keep of the text */
    value[300] = '\0';
    memset(&name, 0, sizeof name);
    b_name(&name, r, 1);
    assert_true(mxp_ok(build_and_summarize(&sp, &s)));
    assert_int_equal(strlen(s.subject), keep - 1 + 3);
    assert_memory_equal(s.subject + keep - 1, "...", 4);
    /* a complete sequence just before the cut is kept */
    memset(value, 'a', sizeof value);
    memcpy(value + keep - 4, "\xc3\xa9", 2);
    value[300] = '\0';
    memset(&name, 0, sizeof name);
    b_name(&name, r, 1);
    assert_true(mxp_ok(build_and_summarize(&sp, &s)));
    assert_int_equal(strlen(s.subject), keep + 3);
    assert_memory_equal(s.subject + keep - 2, "\xc3\xa9...", 6);
    /* a 3-byte sequence cut after its second byte */
    memset(value, 'a', sizeof value);
    memcpy(value + keep - 4, "\xe2\x82\xac", 3);
    value[300] = '\0';
    memset(&name, 0, sizeof name);
    b_name(&name, r, 1);
    assert_true(mxp_ok(build_and_summarize(&sp, &s)));
    assert_int_equal(strlen(s.subject), keep - 2 + 3);

    /* many RDNs: rendering stops once full, the whole Name is still checked */
    for (int broken = 0; broken < 2; broken++) {
        memset(&name, 0, sizeof name);
        b_open(&name, 0x30);
        for (int i = 0; i < 200; i++) {
            b_open(&name, 0x31);
            b_open(&name, 0x30);
            B_OID(&name, OID_OU);
            /* the first RDN in DER order is rendered last, so never here */
            if (!(broken && i == 0))
                b_str(&name, 0x0c, "unit");
            b_close(&name);
            b_close(&name);
        }
        b_close(&name);
        if (broken) {
            assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);
        } else {
            assert_true(mxp_ok(build_and_summarize(&sp, &s)));
            assert_int_equal(strlen(s.subject), MXP_CFG_CERT_DN_MAX - 1);
            assert_memory_equal(s.subject, "OU=unit, OU=unit", 16);
        }
    }
}

struct time_case {
    uint8_t tag;
    const char *text;
    bool ok;
    int64_t want;
};

static const struct time_case times[] = {
    {0x17, "700101000000Z", true, 0},
    {0x17, "7001010000Z", true, 0}, /* no seconds: pre-RFC 5280 form */
    {0x17, "240229120000Z", true, 1709208000},
    {0x17, "991231235959Z", true, 946684799},
    {0x17, "000101000000Z", true, 946684800},
    {0x17, "491231235959Z", true, 2524607999},
    {0x17, "500101000000Z", true, -631152000},
    {0x17, "700101000060Z", true, 60},
    {0x18, "20500101000000Z", true, 2524608000},
    {0x18, "99991231235959Z", true, 253402300799},
    {0x18, "00000101000000Z", true, -62167219200},
    {0x18, "20000229000000Z", true, 951782400},
    {0x18, "19700101000000Z", true, 0},
    {0x17, "230229000000Z", false, 0},
    {0x18, "21000229000000Z", false, 0},
    {0x17, "700001000000Z", false, 0},
    {0x17, "701301000000Z", false, 0},
    {0x17, "700100000000Z", false, 0},
    {0x17, "700132000000Z", false, 0},
    {0x17, "700431000000Z", false, 0},
    {0x17, "700101240000Z", false, 0},
    {0x17, "700101006000Z", false, 0},
    {0x17, "700101000061Z", false, 0},
    {0x17, "7a0101000000Z", false, 0},
    {0x17, "700101000000z", false, 0},
    {0x17, "700101000000", false, 0},
    {0x17, "7001010000000Z", false, 0},
    {0x17, "700101000000+0100", false, 0},
    {0x17, "70010100000Z", false, 0},
    {0x17, "-70101000000Z", false, 0},
    {0x17, "", false, 0},
    {0x18, "20500101000000.5Z", false, 0},
    {0x18, "205001010000Z", false, 0},
    {0x18, "20500101000000", false, 0},
    {0x18, "700101000000Z", false, 0},
    {0x04, "700101000000Z", false, 0},
    {0x13, "20500101000000Z", false, 0},
};

static void test_validity(void **state)
{
    (void)state;
    static struct bld v;
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        struct mxp_cert_summary s;
        for (int which = 0; which < 2; which++) {
            memset(&v, 0, sizeof v);
            b_open(&v, 0x30);
            if (which == 0) {
                b_str(&v, times[i].tag, times[i].text);
                b_str(&v, 0x17, "250101000000Z");
            } else {
                b_str(&v, 0x17, "240101000000Z");
                b_str(&v, times[i].tag, times[i].text);
            }
            b_close(&v);
            struct spec sp = {.validity = &v};
            mxp_err e = build_and_summarize(&sp, &s);
            if (mxp_ok(e) != times[i].ok)
                fail_msg("time %zu \"%s\": got %04x", i, times[i].text, e.code);
            if (times[i].ok)
                assert_int_equal(which == 0 ? s.not_before : s.not_after, times[i].want);
        }
    }
    /* one time, three times, and not a SEQUENCE */
    memset(&v, 0, sizeof v);
    b_open(&v, 0x30);
    b_str(&v, 0x17, "240101000000Z");
    b_close(&v);
    struct spec sp = {.validity = &v};
    struct mxp_cert_summary s;
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);
    memset(&v, 0, sizeof v);
    b_open(&v, 0x30);
    b_str(&v, 0x17, "240101000000Z");
    b_str(&v, 0x17, "240101000000Z");
    b_str(&v, 0x17, "240101000000Z");
    b_close(&v);
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);
    memset(&v, 0, sizeof v);
    b_open(&v, 0x31);
    b_str(&v, 0x17, "240101000000Z");
    b_str(&v, 0x17, "240101000000Z");
    b_close(&v);
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);
}

/* SubjectPublicKeyInfo with the given algorithm OID, optional params
 * element, and key bytes (the BIT STRING's unused-bits octet is added). */
static void b_spki(struct bld *b, const uint8_t *oid, size_t oid_len, const struct bld *params,
                   const uint8_t *key, size_t key_len, uint8_t unused)
{
    memset(b, 0, sizeof *b);
    b_open(b, 0x30);
    b_open(b, 0x30);
    b_prim(b, 0x06, oid, oid_len);
    if (params)
        b_piece(b, params);
    b_close(b);
    b_open(b, 0x03);
    b_raw(b, &unused, 1);
    b_raw(b, key, key_len);
    b_close(b);
    b_close(b);
}

static void rsa_key(struct bld *k, size_t zeros, size_t mod_len, uint8_t first, bool trailing)
{
    static uint8_t mod[600];
    memset(k, 0, sizeof *k);
    memset(mod, 0, zeros);
    mod[zeros] = first;
    memset(mod + zeros + 1, 0x5a, mod_len - 1);
    b_open(k, 0x30);
    b_prim(k, 0x02, mod, zeros + mod_len);
    b_prim(k, 0x02, "\x01\x00\x01", 3);
    b_close(k);
    if (trailing)
        b_raw(k, "\x05\x00", 2);
}

static void test_keys(void **state)
{
    (void)state;
    static struct bld spki, key, params;
    struct mxp_cert_summary s;
    struct spec sp = {.spki = &spki};
    static const struct bld *const no_params = NULL;
    struct bld *null_params = &params;
    memset(&params, 0, sizeof params);
    b_prim(&params, 0x05, NULL, 0);

    /* RSA: leading zero bytes of the modulus do not count */
    rsa_key(&key, 1, 256, 0x80, false);
    b_spki(&spki, OID_RSA, sizeof OID_RSA, null_params, key.b, key.n, 0);
    assert_true(mxp_ok(build_and_summarize(&sp, &s)));
    assert_int_equal(s.key_type, MXP_KEY_RSA);
    assert_int_equal(s.key_bits, 2048);
    rsa_key(&key, 3, 128, 0x01, false);
    b_spki(&spki, OID_RSA, sizeof OID_RSA, null_params, key.b, key.n, 0);
    assert_true(mxp_ok(build_and_summarize(&sp, &s)));
    assert_int_equal(s.key_bits, 1017);
    rsa_key(&key, 0, 384, 0xc0, false);
    b_spki(&spki, OID_RSA_PSS, sizeof OID_RSA_PSS, no_params, key.b, key.n, 0);
    assert_true(mxp_ok(build_and_summarize(&sp, &s)));
    assert_int_equal(s.key_type, MXP_KEY_RSA);
    assert_int_equal(s.key_bits, 3072);
    /* RSA key errors: unused bits, trailing bytes, not a SEQUENCE */
    rsa_key(&key, 1, 256, 0x80, false);
    b_spki(&spki, OID_RSA, sizeof OID_RSA, null_params, key.b, key.n, 1);
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);
    rsa_key(&key, 1, 256, 0x80, true);
    b_spki(&spki, OID_RSA, sizeof OID_RSA, null_params, key.b, key.n, 0);
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);
    b_spki(&spki, OID_RSA, sizeof OID_RSA, null_params, (const uint8_t *)"\x02\x01\x01", 3, 0);
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);

    /* EC on a curve without an IANA group: size from the point */
    static uint8_t point[97];
    point[0] = 0x04;
    memset(&params, 0, sizeof params);
    B_OID(&params, OID_SECP256K1);
    b_spki(&spki, OID_EC, sizeof OID_EC, &params, point, 65, 0);
    assert_true(mxp_ok(build_and_summarize(&sp, &s)));
    assert_int_equal(s.key_type, MXP_KEY_EC);
    assert_int_equal(s.key_curve, 0);
    assert_int_equal(s.key_bits, 256);
    point[0] = 0x03; /* compressed */
    b_spki(&spki, OID_EC, sizeof OID_EC, &params, point, 49, 0);
    assert_true(mxp_ok(build_and_summarize(&sp, &s)));
    assert_int_equal(s.key_bits, 384);
    b_spki(&spki, OID_EC, sizeof OID_EC, &params, point, 0, 0); /* no point */
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);
    b_spki(&spki, OID_EC, sizeof OID_EC, no_params, point, 65, 0); /* no curve */
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);

    /* Ed448, X25519 (not a signing key: unknown), unknown algorithm */
    b_spki(&spki, OID_ED448, sizeof OID_ED448, no_params, point, 57, 0);
    assert_true(mxp_ok(build_and_summarize(&sp, &s)));
    assert_int_equal(s.key_type, MXP_KEY_ED448);
    assert_int_equal(s.key_bits, 456);
    assert_int_equal(s.key_curve, 0);
    b_spki(&spki, OID_X25519, sizeof OID_X25519, no_params, point, 32, 0);
    assert_true(mxp_ok(build_and_summarize(&sp, &s)));
    assert_int_equal(s.key_type, MXP_KEY_UNKNOWN);
    assert_int_equal(s.key_bits, 0);
    static const uint8_t oid_1234[] = {0x2a, 0x03, 0x04};
    b_spki(&spki, oid_1234, sizeof oid_1234, null_params, point, 7, 0);
    assert_true(mxp_ok(build_and_summarize(&sp, &s)));
    assert_int_equal(s.key_type, MXP_KEY_UNKNOWN);

    /* DSA: size of p from the parameters, 0 when they are inherited */
    static uint8_t p[129];
    p[0] = 0x00;
    p[1] = 0x80;
    memset(&params, 0, sizeof params);
    b_open(&params, 0x30);
    b_prim(&params, 0x02, p, sizeof p);
    b_prim(&params, 0x02, "\x01", 1);
    b_prim(&params, 0x02, "\x02", 1);
    b_close(&params);
    b_spki(&spki, OID_DSA, sizeof OID_DSA, &params, (const uint8_t *)"\x02\x01\x07", 3, 0);
    assert_true(mxp_ok(build_and_summarize(&sp, &s)));
    assert_int_equal(s.key_type, MXP_KEY_DSA);
    assert_int_equal(s.key_bits, 1024);
    b_spki(&spki, OID_DSA, sizeof OID_DSA, no_params, (const uint8_t *)"\x02\x01\x07", 3, 0);
    assert_true(mxp_ok(build_and_summarize(&sp, &s)));
    assert_int_equal(s.key_type, MXP_KEY_DSA);
    assert_int_equal(s.key_bits, 0);

    /* algorithm identifier without an OID, key not a BIT STRING, extra element */
    memset(&spki, 0, sizeof spki);
    b_open(&spki, 0x30);
    b_open(&spki, 0x30);
    b_prim(&spki, 0x05, NULL, 0);
    b_close(&spki);
    b_prim(&spki, 0x03, "\x00\x01", 2);
    b_close(&spki);
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);
    memset(&spki, 0, sizeof spki);
    b_open(&spki, 0x30);
    b_open(&spki, 0x30);
    B_OID(&spki, OID_ED448);
    b_close(&spki);
    b_prim(&spki, 0x04, "\x00\x01", 2);
    b_close(&spki);
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);
    memset(&spki, 0, sizeof spki);
    b_open(&spki, 0x30);
    b_open(&spki, 0x30);
    B_OID(&spki, OID_ED448);
    b_close(&spki);
    b_prim(&spki, 0x03, "\x00\x01", 2);
    b_prim(&spki, 0x05, NULL, 0);
    b_close(&spki);
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);
    memset(&spki, 0, sizeof spki);
    b_open(&spki, 0x30);
    b_open(&spki, 0x30);
    B_OID(&spki, OID_ED448);
    b_close(&spki);
    b_prim(&spki, 0x03, NULL, 0); /* no unused-bits octet */
    b_close(&spki);
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);
}

/* extensions: SEQUENCE OF Extension, with one SAN holding `names` */
static void b_san_ext(struct bld *b, const struct bld *names, bool critical, enum len_form form)
{
    memset(b, 0, sizeof *b);
    b_open(b, 0x30);
    b_open(b, 0x30); /* an extension we do not read */
    B_OID(b, OID_BASIC);
    b_prim(b, 0x01, "\xff", 1);
    b_prim(b, 0x04, "\x30\x03\x01\x01\xff", 5);
    b_close(b);
    b_open(b, 0x30);
    B_OID(b, OID_SAN);
    if (critical)
        b_prim(b, 0x01, "\xff", 1);
    b_open(b, 0x04);
    b_open(b, 0x30);
    b_piece(b, names);
    b_close_as(b, form);
    b_close(b);
    b_close(b);
    b_close(b);
}

static void test_san(void **state)
{
    (void)state;
    static struct bld names, exts, subject;
    static char long_name[MXP_CFG_CERT_SAN_LEN + 1];
    struct mxp_cert_summary s;
    struct spec sp = {.exts = &exts, .subject = &subject};
    static const struct rdn cn[] = {RDN(OID_CN, 0x0c, "cn.example")};
    b_name(&subject, cn, 1);

    memset(&names, 0, sizeof names);
    b_str(&names, 0x82, "ok.example");
    b_str(&names, 0x81, "postmaster@example.org"); /* rfc822Name: ignored */
    b_prim(&names, 0x87, "\xc0\x00\x02\x01", 4);   /* iPAddress: ignored */
    b_open(&names, 0xa4);                          /* directoryName: ignored */
    b_name(&names, cn, 1);
    b_close(&names);
    b_prim(&names, 0x82, "evil.example\0.good.example", 26); /* NUL cannot hide the tail */
    b_str(&names, 0x82, "");
    memset(long_name, 'l', sizeof long_name);
    b_prim(&names, 0x82, long_name, MXP_CFG_CERT_SAN_LEN - 1); /* fits */
    b_prim(&names, 0x82, long_name, MXP_CFG_CERT_SAN_LEN);     /* does not: skipped */
    b_str(&names, 0x82, "last.example");
    b_san_ext(&exts, &names, true, LEN_MIN);
    assert_true(mxp_ok(build_and_summarize(&sp, &s)));
    assert_int_equal(s.n_sans, 5);
    assert_true(s.sans_truncated);
    assert_string_equal(s.sans[0], "ok.example");
    assert_string_equal(s.sans[1], "evil.example?.good.example");
    assert_string_equal(s.sans[2], "");
    assert_int_equal(strlen(s.sans[3]), MXP_CFG_CERT_SAN_LEN - 1);
    assert_string_equal(s.sans[4], "last.example");
    assert_true(mxp_x509_name_matches(&s, "ok.example"));
    assert_false(mxp_x509_name_matches(&s, "evil.example"));
    assert_false(mxp_x509_name_matches(&s, "good.example"));
    assert_false(mxp_x509_name_matches(&s, "cn.example")); /* there are SANs */

    /* non-minimal lengths are tolerated */
    b_san_ext(&exts, &names, false, LEN_LONG4);
    assert_true(mxp_ok(build_and_summarize(&sp, &s)));
    assert_int_equal(s.n_sans, 5);

    /* only SANs that did not fit: still no CN fallback */
    memset(&names, 0, sizeof names);
    b_prim(&names, 0x82, long_name, MXP_CFG_CERT_SAN_LEN);
    b_san_ext(&exts, &names, false, LEN_MIN);
    assert_true(mxp_ok(build_and_summarize(&sp, &s)));
    assert_int_equal(s.n_sans, 0);
    assert_true(s.sans_truncated);
    assert_false(mxp_x509_name_matches(&s, "cn.example"));

    /* only non-DNS names: the CN counts */
    memset(&names, 0, sizeof names);
    b_prim(&names, 0x87, "\xc0\x00\x02\x01", 4);
    b_san_ext(&exts, &names, false, LEN_MIN);
    assert_true(mxp_ok(build_and_summarize(&sp, &s)));
    assert_int_equal(s.n_sans, 0);
    assert_false(s.sans_truncated);
    assert_true(mxp_x509_name_matches(&s, "cn.example"));

    /* malformed: GeneralNames not a SEQUENCE, trailing bytes in the value,
     * a bad critical flag, value not an OCTET STRING */
    memset(&exts, 0, sizeof exts);
    b_open(&exts, 0x30);
    b_open(&exts, 0x30);
    B_OID(&exts, OID_SAN);
    b_open(&exts, 0x04);
    b_open(&exts, 0x31);
    b_str(&exts, 0x82, "a.example");
    b_close(&exts);
    b_close(&exts);
    b_close(&exts);
    b_close(&exts);
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);
    memset(&exts, 0, sizeof exts);
    b_open(&exts, 0x30);
    b_open(&exts, 0x30);
    B_OID(&exts, OID_SAN);
    b_open(&exts, 0x04);
    b_open(&exts, 0x30);
    b_str(&exts, 0x82, "a.example");
    b_close(&exts);
    b_raw(&exts, "\x00", 1);
    b_close(&exts);
    b_close(&exts);
    b_close(&exts);
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);
    memset(&exts, 0, sizeof exts);
    b_open(&exts, 0x30);
    b_open(&exts, 0x30);
    B_OID(&exts, OID_BASIC);
    b_prim(&exts, 0x01, "\xff\xff", 2);
    b_prim(&exts, 0x04, "\x30\x00", 2);
    b_close(&exts);
    b_close(&exts);
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);
    memset(&exts, 0, sizeof exts);
    b_open(&exts, 0x30);
    b_open(&exts, 0x30);
    B_OID(&exts, OID_BASIC);
    b_prim(&exts, 0x03, "\x00\x30\x00", 3);
    b_close(&exts);
    b_close(&exts);
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);
    /* extensions not a SEQUENCE; an extension missing its value */
    memset(&exts, 0, sizeof exts);
    b_open(&exts, 0x31);
    b_close(&exts);
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);
    memset(&exts, 0, sizeof exts);
    b_open(&exts, 0x30);
    b_open(&exts, 0x30);
    B_OID(&exts, OID_BASIC);
    b_close(&exts);
    b_close(&exts);
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);
}

static void test_structure(void **state)
{
    (void)state;
    static struct bld tail, alg, issuer;
    struct mxp_cert_summary s;
    struct spec sp = {.tail = &tail};

    /* unique identifiers are skipped, anything else after the key is not */
    memset(&tail, 0, sizeof tail);
    b_prim(&tail, 0x81, "\x00\x01", 2);
    b_prim(&tail, 0x82, "\x00\x02", 2);
    assert_true(mxp_ok(build_and_summarize(&sp, &s)));
    memset(&tail, 0, sizeof tail);
    b_prim(&tail, 0xa4, NULL, 0);
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);
    memset(&tail, 0, sizeof tail);
    b_prim(&tail, 0x05, NULL, 0);
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);
    memset(&tail, 0, sizeof tail);
    b_raw(&tail, "\xbf\x81\x00\x00", 4); /* high tag number */
    assert_int_equal(build_and_summarize(&sp, &s).code, MXP_E_CERT_PARSE);

    /* length forms on the outer SEQUENCE */
    struct spec outer = {.outer_form = LEN_LONG4};
    assert_true(mxp_ok(build_and_summarize(&outer, &s)));
    assert_string_equal(s.subject, "CN=test.example");
    outer.outer_form = LEN_LONG5;
    assert_int_equal(build_and_summarize(&outer, &s).code, MXP_E_CERT_PARSE);
    outer.outer_form = LEN_INDEF;
    assert_int_equal(build_and_summarize(&outer, &s).code, MXP_E_CERT_PARSE);

    /* an element after the signature, inside the Certificate */
    struct spec after_sig = {.cert_tail = &tail};
    memset(&tail, 0, sizeof tail);
    b_prim(&tail, 0x05, NULL, 0);
    assert_int_equal(build_and_summarize(&after_sig, &s).code, MXP_E_CERT_PARSE);

    /* indefinite length where a zero length would parse: NULL params */
    memset(&alg, 0, sizeof alg);
    b_open(&alg, 0x30);
    B_OID(&alg, OID_SHA256_RSA);
    b_raw(&alg, "\x05\x80", 2);
    b_close(&alg);
    struct spec indef = {.sig_alg = &alg};
    assert_int_equal(build_and_summarize(&indef, &s).code, MXP_E_CERT_PARSE);
    alg.b[alg.n - 1] = 0x00;
    assert_true(mxp_ok(build_and_summarize(&indef, &s)));
    alg.b[alg.n - 1] = 0x81; /* long form without its length byte */
    assert_int_equal(build_and_summarize(&indef, &s).code, MXP_E_CERT_PARSE);

    /* nesting inside the signature algorithm's parameters: bounded */
    for (int levels = 4; levels <= 16; levels += 12) {
        memset(&alg, 0, sizeof alg);
        b_open(&alg, 0x30);
        B_OID(&alg, OID_SHA256_RSA);
        for (int i = 0; i < levels; i++)
            b_open(&alg, 0x30);
        for (int i = 0; i < levels; i++)
            b_close(&alg);
        b_close(&alg);
        struct spec deep = {.sig_alg = &alg};
        mxp_err e = build_and_summarize(&deep, &s);
        assert_int_equal(e.code, levels == 4 ? MXP_OK : MXP_E_CERT_PARSE);
    }

    /* issuer and subject with the same text but different encodings */
    static const struct rdn printable[] = {RDN(OID_CN, 0x13, "test.example")};
    memset(&issuer, 0, sizeof issuer);
    b_name(&issuer, printable, 1);
    struct spec other = {.issuer = &issuer};
    assert_true(mxp_ok(build_and_summarize(&other, &s)));
    assert_string_equal(s.issuer, s.subject);
    assert_false(s.self_signed);

    /* version that is not an INTEGER, empty serial */
    static uint8_t raw[64];
    static const uint8_t bad_version[] = {0x30, 0x0b, 0x30, 0x06, 0xa0, 0x02, 0x05, 0x00,
                                          0x02, 0x00, 0x30, 0x00, 0x03, 0x01, 0x00};
    memcpy(raw, bad_version, sizeof bad_version);
    assert_int_equal(summarize(raw, sizeof bad_version, &s).code, MXP_E_CERT_PARSE);

    struct spec no_serial = {.empty_serial = true};
    assert_int_equal(build_and_summarize(&no_serial, &s).code, MXP_E_CERT_PARSE);

    /* not a certificate at all */
    assert_int_equal(summarize((const uint8_t *)"\x30\x00", 2, &s).code, MXP_E_CERT_PARSE);
    assert_int_equal(summarize((const uint8_t *)"\x04\x00", 2, &s).code, MXP_E_CERT_PARSE);
    assert_int_equal(summarize(NULL, 0, &s).code, MXP_E_CERT_PARSE);
    assert_int_equal(mxp_x509_summarize(rsa2048_der, sizeof rsa2048_der, NULL).code, MXP_E_USAGE);
}

/* ---- RFC 6125 name matching ----------------------------------------------------- */

struct match_case {
    const char *san[3];
    const char *subject;
    bool truncated;
    const char *host;
    bool want;
};

static const struct match_case matches[] = {
    {{"mx.example.org"}, "", false, "mx.example.org", true},
    {{"mx.example.org"}, "", false, "MX.Example.ORG", true},
    {{"MX.EXAMPLE.ORG"}, "", false, "mx.example.org", true},
    {{"mx.example.org"}, "", false, "mx.example.org.", true},
    {{"mx.example.org."}, "", false, "mx.example.org", true},
    {{"mx.example.org"}, "", false, "mx.example.org..", false},
    {{"mx.example.org"}, "", false, "mx2.example.org", false},
    {{"mx.example.org"}, "", false, "x.example.org", false},
    {{"mx.example.org"}, "", false, "mx.example.or", false},
    {{"mx.example.org"}, "", false, "mx.example.org.uk", false},
    {{"a.example", "b.example", "mx.example.org"}, "", false, "mx.example.org", true},
    {{"*.example.org"}, "", false, "mx.example.org", true},
    {{"*.example.org"}, "", false, "MX.EXAMPLE.ORG", true},
    {{"*.example.org"}, "", false, "example.org", false},
    {{"*.example.org"}, "", false, "a.b.example.org", false},
    {{"*.example.org"}, "", false, ".example.org", false},
    {{"*.example.org"}, "", false, "xexample.org", false},
    {{"*.example.org"}, "", false, "*.example.org", false},
    {{"f*.example.org"}, "", false, "foo.example.org", false},
    {{"*o.example.org"}, "", false, "foo.example.org", false},
    {{"*.*.example.org"}, "", false, "a.b.example.org", false},
    {{"mx.*.org"}, "", false, "mx.example.org", false},
    {{"*.org"}, "", false, "example.org", false},
    {{"*"}, "", false, "example", false},
    {{"*."}, "", false, "example", false},
    {{""}, "", false, "example.org", false},
    {{"a..example.org"}, "", false, "a..example.org", false},
    {{"mx.example.org"}, "", false, "", false},
    {{"mx.example.org"}, "", false, ".", false},
    {{"xn--bcher-kva.example"}, "", false, "XN--BCHER-KVA.example", true},
    {{"under_score.example"}, "", false, "under_score.example", true},
    {{"bad char.example"}, "", false, "bad char.example", false},
    /* IP literals never match dNSNames */
    {{"192.0.2.1"}, "", false, "192.0.2.1", false},
    {{"*.0.2.1"}, "", false, "192.0.2.1", false},
    {{"2001:db8::1"}, "", false, "2001:db8::1", false},
    {{"mx.example.org"}, "", false, "[2001:db8::1]", false},
    {{0}, "CN=192.0.2.1", false, "192.0.2.1", false},
    /* the CN only when there are no dNSName SANs */
    {{0}, "CN=legacy.example.net, O=Legacy", false, "legacy.example.net", true},
    {{0}, "CN=*.example.net", false, "mx.example.net", true},
    {{0}, "CN=legacy.example.net", true, "legacy.example.net", false},
    {{"other.example"}, "CN=legacy.example.net", false, "legacy.example.net", false},
    {{0}, "CN=first.example+CN=second.example", false, "first.example", true},
    {{0}, "CN=first.example, CN=second.example", false, "second.example", false},
    {{0}, "O=x\\, CN=victim.example", false, "victim.example", false},
    {{0}, "O=x, CN=real.example", false, "real.example", true},
    {{0}, "OU=a\\+CN=b.example, CN=real.example", false, "b.example", false},
    {{0}, "CN=a\\00.example", false, "a", false},
    {{0}, "CN=a\\2eexample", false, "a.example", true},
    {{0}, "CN=legacy.example...", false, "legacy.example", false},
    {{0}, "XCN=legacy.example", false, "legacy.example", false},
    {{0}, "", false, "legacy.example", false},
};

static void test_name_match_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof matches / sizeof matches[0]; i++) {
        struct mxp_cert_summary c;
        memset(&c, 0, sizeof c);
        c.present = true;
        for (size_t k = 0; k < 3 && matches[i].san[k] != NULL; k++)
            strcpy(c.sans[c.n_sans++], matches[i].san[k]);
        c.sans_truncated = matches[i].truncated;
        strcpy(c.subject, matches[i].subject);
        if (mxp_x509_name_matches(&c, matches[i].host) != matches[i].want)
            fail_msg("match case %zu: host \"%s\" want %d", i, matches[i].host, matches[i].want);
    }
}

static void test_name_match_guards(void **state)
{
    (void)state;
    struct mxp_cert_summary c;
    memset(&c, 0, sizeof c);
    strcpy(c.sans[0], "mx.example.org");
    c.n_sans = 1;
    assert_false(mxp_x509_name_matches(&c, "mx.example.org")); /* not present */
    c.present = true;
    assert_true(mxp_x509_name_matches(&c, "mx.example.org"));
    assert_false(mxp_x509_name_matches(&c, NULL));
    assert_false(mxp_x509_name_matches(NULL, "mx.example.org"));
    /* unterminated fields are never read past their end */
    memset(c.sans[0], 'a', sizeof c.sans[0]);
    assert_false(mxp_x509_name_matches(&c, "mx.example.org"));
    c.n_sans = 0;
    memset(c.subject, 'C', sizeof c.subject);
    assert_false(mxp_x509_name_matches(&c, "mx.example.org"));
    /* an over-long host label or name */
    char host[300];
    memset(host, 'a', sizeof host);
    host[64] = '\0';
    assert_false(mxp_x509_name_matches(&c, host));
    memset(host, 'a', sizeof host);
    for (size_t i = 10; i < 299; i += 10)
        host[i] = '.';
    host[299] = '\0';
    assert_false(mxp_x509_name_matches(&c, host));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_certs),
        cmocka_unit_test(test_real_name_match),
        cmocka_unit_test(test_real_truncation),
        cmocka_unit_test(test_real_trailing_bytes),
        cmocka_unit_test(test_length_lies),
        cmocka_unit_test(test_bit_flips),
        cmocka_unit_test(test_synthetic_default),
        cmocka_unit_test(test_dn_rendering),
        cmocka_unit_test(test_dn_multivalued_and_malformed),
        cmocka_unit_test(test_dn_truncation),
        cmocka_unit_test(test_validity),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_san),
        cmocka_unit_test(test_structure),
        cmocka_unit_test(test_name_match_table),
        cmocka_unit_test(test_name_match_guards),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
