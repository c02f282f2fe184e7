/*
 * X.509 certificate summary: a DER walker over the bounds-checked cursor.
 *
 * Certificate structure is a fixed shape (RFC 5280 section 4.1), so the walker
 * follows it with straight-line code and a few bounded loops; nothing recurses
 * and no element is trusted to be shorter than it claims. Every TLV length is
 * checked against its enclosing element before a sub-cursor is taken.
 *
 * Before the summary walk, der_validate() checks the nesting of every
 * constructed element in the certificate (not only those summarized) with an
 * explicit stack of MXP_X509_DEPTH_MAX levels, so a length lie anywhere is
 * rejected and hostile nesting cannot exhaust the stack.
 *
 * DNs are rendered in RFC 4514 order (most specific RDN first, "CN=..., O=...,
 * C=...") with RFC 4514 escaping of the special characters, so the text is
 * unambiguous: the CN fallback of mxp_x509_name_matches() parses it back.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mxp_cursor.h"
#include "mxp_x509.h"

#include "mxp_time.h"

_Static_assert(MXP_CFG_CERT_DN_MAX >= 16, "MXP_CFG_CERT_DN_MAX too small for a DN");
_Static_assert(MXP_CFG_CERT_SAN_LEN >= 16, "MXP_CFG_CERT_SAN_LEN too small");
_Static_assert(MXP_CFG_CERT_SANS_MAX >= 1 && MXP_CFG_CERT_SANS_MAX <= 255, "n_sans is a uint8_t");

enum {
    DER_BOOLEAN = 0x01,
    DER_INTEGER = 0x02,
    DER_BIT_STRING = 0x03,
    DER_OCTET_STRING = 0x04,
    DER_OID = 0x06,
    DER_UTF8 = 0x0c,
    DER_NUMERIC = 0x12,
    DER_PRINTABLE = 0x13,
    DER_T61 = 0x14,
    DER_VIDEOTEX = 0x15,
    DER_IA5 = 0x16,
    DER_UTCTIME = 0x17,
    DER_GENTIME = 0x18,
    DER_GRAPHIC = 0x19,
    DER_VISIBLE = 0x1a,
    DER_GENERAL = 0x1b,
    DER_UNIVERSAL = 0x1c,
    DER_BMP = 0x1e,
    DER_SEQUENCE = 0x30,
    DER_SET = 0x31,
    DER_CTX0 = 0xa0,      /* tbsCertificate version */
    DER_CTX1_PRIM = 0x81, /* issuerUniqueID */
    DER_CTX1 = 0xa1,
    DER_CTX2_PRIM = 0x82, /* subjectUniqueID; also GeneralName dNSName */
    DER_CTX2 = 0xa2,
    DER_CTX3 = 0xa3, /* extensions */
};

/* Nesting levels checked by der_validate(), counting the input as one. Names
 * and extensions need 6; RSASSA-PSS parameters in the key need 9. */
#define MXP_X509_DEPTH_MAX 12

/* One element: its tag, its contents as a sub-cursor, and its full encoding. */
struct der_tlv {
    uint8_t tag;
    struct mxp_cursor body;
    const uint8_t *start;
    size_t total;
};

static mxp_err der_read(struct mxp_cursor *c, struct der_tlv *t)
{
    size_t start = c->off;
    uint8_t tag, b;
    uint32_t len;

    MXP_GUARD(mxp_cur_u8(c, &tag));
    MXP_ENSURE((tag & 0x1f) != 0x1f, MXP_E_CERT_PARSE); /* no high tag numbers here */
    MXP_GUARD(mxp_cur_u8(c, &b));
    if (b < 0x80) {
        len = b;
    } else {
        unsigned n = b & 0x7fu;
        MXP_ENSURE(n != 0, MXP_E_CERT_PARSE); /* indefinite length is BER, not DER */
        MXP_ENSURE(n <= 4, MXP_E_CERT_PARSE);
        len = 0;
        for (unsigned i = 0; i < n; i++) {
            MXP_GUARD(mxp_cur_u8(c, &b));
            len = (len << 8) | b;
        }
    }
    MXP_ENSURE(len <= mxp_cur_left(c), MXP_E_CERT_PARSE);
    t->tag = tag;
    t->start = c->data + start;
    MXP_GUARD(mxp_cur_sub(c, len, &t->body));
    t->total = c->off - start;
    return MXP_SUCCESS;
}

static mxp_err der_expect(struct mxp_cursor *c, uint8_t tag, struct der_tlv *t)
{
    MXP_GUARD(der_read(c, t));
    MXP_ENSURE(t->tag == tag, MXP_E_CERT_PARSE);
    return MXP_SUCCESS;
}

static mxp_err der_end(const struct mxp_cursor *c)
{
    MXP_ENSURE(mxp_cur_left(c) == 0, MXP_E_CERT_PARSE);
    return MXP_SUCCESS;
}

static bool body_is(const struct mxp_cursor *body, const uint8_t *bytes, size_t n)
{
    return body->len == n && memcmp(body->data, bytes, n) == 0;
}

static mxp_err oid_check(const struct mxp_cursor *body)
{
    MXP_ENSURE(body->len > 0, MXP_E_CERT_PARSE);
    MXP_ENSURE((body->data[body->len - 1] & 0x80) == 0, MXP_E_CERT_PARSE);
    return MXP_SUCCESS;
}

/* Every constructed element must consist of whole elements, to the last
 * byte; primitive contents (and OCTET STRING wrapped extension values) are
 * opaque here. */
static mxp_err der_validate(const uint8_t *der, size_t len)
{
    struct mxp_cursor stack[MXP_X509_DEPTH_MAX];
    size_t depth = 1;
    mxp_cur_init(&stack[0], der, len, MXP_E_CERT_PARSE);
    while (depth > 0) {
        struct mxp_cursor *top = &stack[depth - 1];
        if (mxp_cur_left(top) == 0) {
            depth--;
            continue;
        }
        struct der_tlv t;
        MXP_GUARD(der_read(top, &t));
        if (t.tag & 0x20) {
            MXP_ENSURE(depth < MXP_X509_DEPTH_MAX, MXP_E_CERT_PARSE);
            stack[depth++] = t.body;
        }
    }
    return MXP_SUCCESS;
}

/* ---- bounded text ----------------------------------------------------------- */

struct text {
    char *buf;
    size_t cap; /* >= 4 */
    size_t len;
    bool full;
};

static void text_byte(struct text *t, uint8_t ch)
{
    if (t->full)
        return;
    if (t->len + 1 >= t->cap) {
        t->full = true;
        return;
    }
    t->buf[t->len++] = (char)ch;
}

static void text_str(struct text *t, const char *s)
{
    while (*s != '\0')
        text_byte(t, (uint8_t)*s++);
}

static void text_u64(struct text *t, uint64_t v)
{
    char digits[20];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v != 0);
    while (n > 0)
        text_byte(t, (uint8_t)digits[--n]);
}

/* NUL-terminate; when something did not fit, end in "..." instead, without
 * leaving a partial UTF-8 sequence before it. */
static void text_finish(struct text *t)
{
    if (t->full) {
        size_t keep = t->cap - 4;
        if (t->len > keep)
            t->len = keep;
        size_t p = t->len, tail = 0;
        while (tail < 3 && p > 0 && ((uint8_t)t->buf[p - 1] & 0xc0) == 0x80) {
            p--;
            tail++;
        }
        if (p > 0 && (uint8_t)t->buf[p - 1] >= 0xc0) {
            uint8_t lead = (uint8_t)t->buf[p - 1];
            size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
            if (tail + 1 < need)
                t->len = p - 1;
        }
        memcpy(t->buf + t->len, "...", 3);
        t->len += 3;
    }
    t->buf[t->len] = '\0';
}

/* ---- DN rendering ------------------------------------------------------------- */

/* RFC 4514 section 2.4 escaping of one character of an attribute value. */
static void text_dn_char(struct text *t, uint32_t cp, bool first, bool last)
{
    if (cp == 0) {
        text_str(t, "\\00");
        return;
    }
    if (cp < 0x80) {
        bool special = cp == ',' || cp == '+' || cp == '"' || cp == '\\' || cp == '<' ||
                       cp == '>' || cp == ';' || (first && (cp == '#' || cp == ' ')) ||
                       (last && cp == ' ');
        if (special)
            text_byte(t, '\\');
        text_byte(t, (uint8_t)cp);
    } else if (cp < 0x800) {
        text_byte(t, (uint8_t)(0xc0 | (cp >> 6)));
        text_byte(t, (uint8_t)(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        text_byte(t, (uint8_t)(0xe0 | (cp >> 12)));
        text_byte(t, (uint8_t)(0x80 | ((cp >> 6) & 0x3f)));
        text_byte(t, (uint8_t)(0x80 | (cp & 0x3f)));
    } else {
        text_byte(t, (uint8_t)(0xf0 | (cp >> 18)));
        text_byte(t, (uint8_t)(0x80 | ((cp >> 12) & 0x3f)));
        text_byte(t, (uint8_t)(0x80 | ((cp >> 6) & 0x3f)));
        text_byte(t, (uint8_t)(0x80 | (cp & 0x3f)));
    }
}

/* Raw bytes of an 8-bit string type: escaped ASCII specials, other bytes raw. */
static void text_dn_raw(struct text *t, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] < 0x80)
            text_dn_char(t, p[i], i == 0, i + 1 == n);
        else
            text_byte(t, p[i]);
    }
}

/* BMPString (UTF-16BE) or UniversalString (UCS-4BE) to UTF-8. */
static mxp_err text_dn_wide(struct text *t, const struct mxp_cursor *body, size_t unit)
{
    struct mxp_cursor c = *body;
    bool first = true;
    MXP_ENSURE(body->len % unit == 0, MXP_E_CERT_PARSE);
    while (mxp_cur_left(&c) > 0) {
        uint32_t cp;
        if (unit == 2) {
            uint16_t u, lo;
            MXP_GUARD(mxp_cur_u16be(&c, &u));
            cp = u;
            if (u >= 0xd800 && u <= 0xdbff && mxp_cur_left(&c) >= 2) {
                struct mxp_cursor peek = c;
                MXP_GUARD(mxp_cur_u16be(&peek, &lo));
                if (lo >= 0xdc00 && lo <= 0xdfff) {
                    c = peek;
                    cp = 0x10000u + (((uint32_t)u - 0xd800u) << 10) + (lo - 0xdc00u);
                }
            }
        } else {
            MXP_GUARD(mxp_cur_u32be(&c, &cp));
        }
        if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
            cp = 0xfffd;
        text_dn_char(t, cp, first, mxp_cur_left(&c) == 0);
        first = false;
    }
    return MXP_SUCCESS;
}

static void text_hex(struct text *t, const uint8_t *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        text_byte(t, (uint8_t)hex[p[i] >> 4]);
        text_byte(t, (uint8_t)hex[p[i] & 0x0f]);
    }
}

/* Dotted decimal OID; an arc too large for 64 bits is shown as "?". */
static void text_oid(struct text *t, const struct mxp_cursor *body)
{
    uint64_t v = 0;
    bool first = true, overflow = false;
    for (size_t i = 0; i < body->len; i++) {
        uint8_t b = body->data[i];
        if (v > (UINT64_MAX >> 7))
            overflow = true;
        v = (v << 7) | (b & 0x7fu);
        if (b & 0x80)
            continue;
        if (first) {
            /* the first subidentifier packs two arcs: 40 * a + b */
            unsigned a = v < 40 ? 0 : v < 80 ? 1 : 2;
            if (overflow) {
                text_str(t, "2.?");
            } else {
                text_u64(t, a);
                text_byte(t, '.');
                text_u64(t, v - 40u * a);
            }
            first = false;
        } else {
            text_byte(t, '.');
            if (overflow)
                text_byte(t, '?');
            else
                text_u64(t, v);
        }
        v = 0;
        overflow = false;
    }
}

struct attr_name {
    uint8_t len;
    uint8_t oid[10];
    const char *name;
};

static const struct attr_name attr_names[] = {
    {3, {0x55, 0x04, 0x03}, "CN"},
    {3, {0x55, 0x04, 0x05}, "serialNumber"},
    {3, {0x55, 0x04, 0x06}, "C"},
    {3, {0x55, 0x04, 0x07}, "L"},
    {3, {0x55, 0x04, 0x08}, "ST"},
    {3, {0x55, 0x04, 0x0a}, "O"},
    {3, {0x55, 0x04, 0x0b}, "OU"},
    {9, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01}, "emailAddress"},
    {10, {0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19}, "DC"},
};

static void text_attr_type(struct text *t, const struct mxp_cursor *oid)
{
    for (size_t i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++) {
        if (body_is(oid, attr_names[i].oid, attr_names[i].len)) {
            text_str(t, attr_names[i].name);
            return;
        }
    }
    text_oid(t, oid);
}

static mxp_err text_attr_value(struct text *t, const struct der_tlv *v)
{
    switch (v->tag) {
    case DER_UTF8:
    case DER_NUMERIC:
    case DER_PRINTABLE:
    case DER_T61:
    case DER_VIDEOTEX:
    case DER_IA5:
    case DER_GRAPHIC:
    case DER_VISIBLE:
    case DER_GENERAL:
        text_dn_raw(t, v->body.data, v->body.len);
        return MXP_SUCCESS;
    case DER_BMP:
        return text_dn_wide(t, &v->body, 2);
    case DER_UNIVERSAL:
        return text_dn_wide(t, &v->body, 4);
    default:
        /* RFC 4514: a value of another type as '#' and its hex BER encoding */
        text_byte(t, '#');
        text_hex(t, v->start, v->total);
        return MXP_SUCCESS;
    }
}

/* One AttributeTypeAndValue: SEQUENCE { type OID, value ANY }. */
static mxp_err read_atv(struct mxp_cursor *rdn, struct der_tlv *type, struct der_tlv *value)
{
    struct der_tlv atv;
    MXP_GUARD(der_expect(rdn, DER_SEQUENCE, &atv));
    MXP_GUARD(der_expect(&atv.body, DER_OID, type));
    MXP_GUARD(oid_check(&type->body));
    MXP_GUARD(der_read(&atv.body, value));
    return der_end(&atv.body);
}

/* Name ::= SEQUENCE OF SET OF AttributeTypeAndValue, rendered most specific
 * RDN first. The whole Name is validated before anything is written, so
 * truncated output never hides a malformed tail. */
static mxp_err format_dn(const struct mxp_cursor *name, char *dst, size_t cap)
{
    struct mxp_cursor c = *name;
    size_t n_rdn = 0;
    while (mxp_cur_left(&c) > 0) {
        struct der_tlv rdn, type, value;
        MXP_GUARD(der_expect(&c, DER_SET, &rdn));
        MXP_ENSURE(mxp_cur_left(&rdn.body) > 0, MXP_E_CERT_PARSE);
        while (mxp_cur_left(&rdn.body) > 0)
            MXP_GUARD(read_atv(&rdn.body, &type, &value));
        n_rdn++;
    }

    struct text t = {dst, cap, 0, false};
    /* Walking from the front for each RDN costs O(n^2) element headers, but
     * output stops as soon as the buffer is full, which bounds the work. */
    for (size_t i = n_rdn; i-- > 0 && !t.full;) {
        struct der_tlv rdn, type, value;
        c = *name;
        for (size_t k = 0; k <= i; k++)
            MXP_GUARD(der_read(&c, &rdn));
        if (i + 1 != n_rdn)
            text_str(&t, ", ");
        bool first = true;
        while (mxp_cur_left(&rdn.body) > 0) {
            MXP_GUARD(read_atv(&rdn.body, &type, &value));
            if (!first)
                text_byte(&t, '+');
            first = false;
            text_attr_type(&t, &type.body);
            text_byte(&t, '=');
            MXP_GUARD(text_attr_value(&t, &value));
        }
    }
    text_finish(&t);
    return MXP_SUCCESS;
}

/* ---- validity ------------------------------------------------------------------- */

static mxp_err read_num(struct mxp_cursor *c, unsigned digits, unsigned *out)
{
    unsigned v = 0;
    for (unsigned i = 0; i < digits; i++) {
        uint8_t b;
        MXP_GUARD(mxp_cur_u8(c, &b));
        MXP_ENSURE(b >= '0' && b <= '9', MXP_E_CERT_PARSE);
        v = v * 10u + (unsigned)(b - '0');
    }
    *out = v;
    return MXP_SUCCESS;
}

/* UTCTime YYMMDDHHMM[SS]Z (RFC 5280 fixes the seconds form; the short one
 * still appears in old certificates) or GeneralizedTime YYYYMMDDHHMMSSZ. */
static mxp_err parse_time(struct mxp_cursor *validity, int64_t *out)
{
    static const uint8_t mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    struct der_tlv tm;
    unsigned year, mon, day, hour, min, sec = 0;
    uint8_t z;

    MXP_GUARD(der_read(validity, &tm));
    struct mxp_cursor *c = &tm.body;
    if (tm.tag == DER_UTCTIME) {
        MXP_ENSURE(tm.body.len == 13 || tm.body.len == 11, MXP_E_CERT_PARSE);
        MXP_GUARD(read_num(c, 2, &year));
        year += year >= 50 ? 1900 : 2000; /* RFC 5280 section 4.1.2.5.1 */
    } else if (tm.tag == DER_GENTIME) {
        MXP_ENSURE(tm.body.len == 15, MXP_E_CERT_PARSE);
        MXP_GUARD(read_num(c, 4, &year));
    } else {
        return MXP_ERR(MXP_E_CERT_PARSE, 0);
    }
    MXP_GUARD(read_num(c, 2, &mon));
    MXP_GUARD(read_num(c, 2, &day));
    MXP_GUARD(read_num(c, 2, &hour));
    MXP_GUARD(read_num(c, 2, &min));
    if (mxp_cur_left(c) == 3)
        MXP_GUARD(read_num(c, 2, &sec));
    MXP_GUARD(mxp_cur_u8(c, &z));
    MXP_ENSURE(z == 'Z', MXP_E_CERT_PARSE);
    MXP_GUARD(der_end(c));

    MXP_ENSURE(mon >= 1 && mon <= 12, MXP_E_CERT_PARSE);
    unsigned dim = mdays[mon - 1] + (mon == 2 && mxp_time_is_leap(year) ? 1u : 0u);
    MXP_ENSURE(day >= 1 && day <= dim, MXP_E_CERT_PARSE);
    MXP_ENSURE(hour <= 23 && min <= 59 && sec <= 60, MXP_E_CERT_PARSE);

    *out = mxp_time_days_from_civil((int64_t)year, mon, day) * 86400 + (int64_t)hour * 3600 +
           (int64_t)min * 60 + (int64_t)sec;
    return MXP_SUCCESS;
}

/* ---- public key ----------------------------------------------------------------- */

static const uint8_t oid_rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
static const uint8_t oid_rsa_pss[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a};
static const uint8_t oid_ec[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
static const uint8_t oid_p256[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const uint8_t oid_p384[] = {0x2b, 0x81, 0x04, 0x00, 0x22};
static const uint8_t oid_p521[] = {0x2b, 0x81, 0x04, 0x00, 0x23};
static const uint8_t oid_ed25519[] = {0x2b, 0x65, 0x70};
static const uint8_t oid_ed448[] = {0x2b, 0x65, 0x71};
static const uint8_t oid_dsa[] = {0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01};
static const uint8_t oid_san[] = {0x55, 0x1d, 0x11};

#define BODY_IS(body, arr) body_is((body), (arr), sizeof(arr))

/* Significant bits of an unsigned big-endian INTEGER, clamped to 16 bits. */
static uint16_t integer_bits(const struct mxp_cursor *body)
{
    size_t i = 0;
    while (i < body->len && body->data[i] == 0)
        i++;
    if (i == body->len)
        return 0;
    unsigned top = 0;
    for (uint8_t b = body->data[i]; b != 0; b >>= 1)
        top++;
    if (body->len - i > UINT16_MAX / 8 + 1)
        return UINT16_MAX;
    size_t bits = (body->len - i - 1) * 8 + top;
    return bits > UINT16_MAX ? UINT16_MAX : (uint16_t)bits;
}

static mxp_err parse_spki(struct mxp_cursor *spki, struct mxp_cert_summary *out)
{
    struct der_tlv alg, oid, key;
    uint8_t unused;

    MXP_GUARD(der_expect(spki, DER_SEQUENCE, &alg));
    MXP_GUARD(der_expect(&alg.body, DER_OID, &oid));
    MXP_GUARD(oid_check(&oid.body));
    MXP_GUARD(der_expect(spki, DER_BIT_STRING, &key));
    MXP_GUARD(der_end(spki));
    MXP_GUARD(mxp_cur_u8(&key.body, &unused));
    MXP_ENSURE(unused == 0, MXP_E_CERT_PARSE); /* keys are whole octets */
    struct mxp_cursor *params = &alg.body;
    struct mxp_cursor *bits = &key.body;

    if (BODY_IS(&oid.body, oid_rsa) || BODY_IS(&oid.body, oid_rsa_pss)) {
        struct der_tlv rsa, mod, exp;
        MXP_GUARD(der_expect(bits, DER_SEQUENCE, &rsa));
        MXP_GUARD(der_end(bits));
        MXP_GUARD(der_expect(&rsa.body, DER_INTEGER, &mod));
        MXP_GUARD(der_expect(&rsa.body, DER_INTEGER, &exp));
        MXP_GUARD(der_end(&rsa.body));
        out->key_type = MXP_KEY_RSA;
        out->key_bits = integer_bits(&mod.body);
    } else if (BODY_IS(&oid.body, oid_ec)) {
        struct der_tlv curve;
        out->key_type = MXP_KEY_EC;
        MXP_GUARD(der_read(params, &curve));
        if (curve.tag == DER_OID && BODY_IS(&curve.body, oid_p256)) {
            out->key_curve = 23;
            out->key_bits = 256;
        } else if (curve.tag == DER_OID && BODY_IS(&curve.body, oid_p384)) {
            out->key_curve = 24;
            out->key_bits = 384;
        } else if (curve.tag == DER_OID && BODY_IS(&curve.body, oid_p521)) {
            out->key_curve = 25;
            out->key_bits = 521;
        } else {
            /* another or explicit curve: size from the point encoding */
            size_t n = mxp_cur_left(bits);
            uint8_t form;
            MXP_GUARD(mxp_cur_peek(bits, &form));
            size_t coord = form == 0x04 ? (n - 1) / 2 : n - 1;
            out->key_bits = coord * 8 > UINT16_MAX ? UINT16_MAX : (uint16_t)(coord * 8);
        }
    } else if (BODY_IS(&oid.body, oid_ed25519)) {
        out->key_type = MXP_KEY_ED25519;
        out->key_bits = 256; /* as OpenSSL's EVP_PKEY_get_bits() reports */
    } else if (BODY_IS(&oid.body, oid_ed448)) {
        out->key_type = MXP_KEY_ED448;
        out->key_bits = 456;
    } else if (BODY_IS(&oid.body, oid_dsa)) {
        out->key_type = MXP_KEY_DSA;
        if (mxp_cur_left(params) > 0) { /* Dss-Parms may be inherited from the CA */
            struct der_tlv dss, p;
            MXP_GUARD(der_expect(params, DER_SEQUENCE, &dss));
            MXP_GUARD(der_expect(&dss.body, DER_INTEGER, &p));
            out->key_bits = integer_bits(&p.body);
        }
    } else {
        out->key_type = MXP_KEY_UNKNOWN;
    }
    return MXP_SUCCESS;
}

/* ---- extensions ----------------------------------------------------------------- */

static void store_san(struct mxp_cert_summary *out, const struct mxp_cursor *name)
{
    if (out->n_sans >= MXP_CFG_CERT_SANS_MAX || name->len >= MXP_CFG_CERT_SAN_LEN) {
        out->sans_truncated = true;
        return;
    }
    char *dst = out->sans[out->n_sans++];
    for (size_t i = 0; i < name->len; i++) /* a NUL would hide the tail */
        dst[i] = name->data[i] == 0 ? '?' : (char)name->data[i];
    dst[name->len] = '\0';
}

static mxp_err parse_san(struct mxp_cursor *value, struct mxp_cert_summary *out)
{
    struct der_tlv names, gn;
    MXP_GUARD(der_expect(value, DER_SEQUENCE, &names));
    MXP_GUARD(der_end(value));
    while (mxp_cur_left(&names.body) > 0) {
        MXP_GUARD(der_read(&names.body, &gn));
        if (gn.tag == DER_CTX2_PRIM) /* dNSName [2] IA5String */
            store_san(out, &gn.body);
    }
    return MXP_SUCCESS;
}

static mxp_err parse_extensions(struct mxp_cursor *ctx3, struct mxp_cert_summary *out)
{
    struct der_tlv exts;
    MXP_GUARD(der_expect(ctx3, DER_SEQUENCE, &exts));
    MXP_GUARD(der_end(ctx3));
    while (mxp_cur_left(&exts.body) > 0) {
        struct der_tlv ext, id, crit, value;
        uint8_t tag;
        MXP_GUARD(der_expect(&exts.body, DER_SEQUENCE, &ext));
        MXP_GUARD(der_expect(&ext.body, DER_OID, &id));
        MXP_GUARD(oid_check(&id.body));
        MXP_GUARD(mxp_cur_peek(&ext.body, &tag));
        if (tag == DER_BOOLEAN) {
            MXP_GUARD(der_read(&ext.body, &crit));
            MXP_ENSURE(crit.body.len == 1, MXP_E_CERT_PARSE);
        }
        MXP_GUARD(der_expect(&ext.body, DER_OCTET_STRING, &value));
        MXP_GUARD(der_end(&ext.body));
        if (BODY_IS(&id.body, oid_san))
            MXP_GUARD(parse_san(&value.body, out));
    }
    return MXP_SUCCESS;
}

/* ---- certificate ---------------------------------------------------------------- */

static mxp_err parse_tbs(struct mxp_cursor *tbs, struct mxp_cert_summary *out)
{
    struct der_tlv el, issuer, validity, subject, spki;
    uint8_t tag;

    MXP_GUARD(mxp_cur_peek(tbs, &tag));
    if (tag == DER_CTX0) { /* version [0] EXPLICIT INTEGER DEFAULT v1 */
        struct der_tlv version;
        MXP_GUARD(der_read(tbs, &el));
        MXP_GUARD(der_expect(&el.body, DER_INTEGER, &version));
        MXP_GUARD(der_end(&el.body));
    }
    MXP_GUARD(der_expect(tbs, DER_INTEGER, &el)); /* serialNumber */
    MXP_ENSURE(el.body.len > 0, MXP_E_CERT_PARSE);
    MXP_GUARD(der_expect(tbs, DER_SEQUENCE, &el)); /* signature AlgorithmIdentifier */
    MXP_GUARD(der_expect(tbs, DER_SEQUENCE, &issuer));
    MXP_GUARD(format_dn(&issuer.body, out->issuer, sizeof out->issuer));
    MXP_GUARD(der_expect(tbs, DER_SEQUENCE, &validity));
    MXP_GUARD(parse_time(&validity.body, &out->not_before));
    MXP_GUARD(parse_time(&validity.body, &out->not_after));
    MXP_GUARD(der_end(&validity.body));
    MXP_GUARD(der_expect(tbs, DER_SEQUENCE, &subject));
    MXP_GUARD(format_dn(&subject.body, out->subject, sizeof out->subject));
    MXP_GUARD(der_expect(tbs, DER_SEQUENCE, &spki));
    MXP_GUARD(parse_spki(&spki.body, out));

    while (mxp_cur_left(tbs) > 0) {
        MXP_GUARD(der_read(tbs, &el));
        switch (el.tag) {
        case DER_CTX1_PRIM:
        case DER_CTX1:
        case DER_CTX2_PRIM:
        case DER_CTX2:
            break; /* unique identifiers: not summarized */
        case DER_CTX3:
            MXP_GUARD(parse_extensions(&el.body, out));
            break;
        default:
            return MXP_ERR(MXP_E_CERT_PARSE, 0);
        }
    }

    out->self_signed =
        issuer.total == subject.total && memcmp(issuer.start, subject.start, issuer.total) == 0;
    return MXP_SUCCESS;
}

static mxp_err parse_cert(const uint8_t *der, size_t len, struct mxp_cert_summary *out)
{
    struct mxp_cursor c;
    struct der_tlv cert, tbs, alg, sig;
    MXP_GUARD(der_validate(der, len));
    mxp_cur_init(&c, der, len, MXP_E_CERT_PARSE);
    MXP_GUARD(der_expect(&c, DER_SEQUENCE, &cert));
    MXP_GUARD(der_end(&c));
    MXP_GUARD(der_expect(&cert.body, DER_SEQUENCE, &tbs));
    MXP_GUARD(der_expect(&cert.body, DER_SEQUENCE, &alg));
    MXP_GUARD(der_expect(&cert.body, DER_BIT_STRING, &sig));
    MXP_GUARD(der_end(&cert.body));
    return parse_tbs(&tbs.body, out);
}

mxp_err mxp_x509_summarize(const uint8_t *der, size_t len, struct mxp_cert_summary *out)
{
    if (out == NULL)
        return MXP_ERR(MXP_E_USAGE, 0);
    memset(out, 0, sizeof *out);
    mxp_err e = parse_cert(der, len, out);
    if (!mxp_ok(e)) {
        memset(out, 0, sizeof *out);
        return MXP_ERR(MXP_E_CERT_PARSE, 0);
    }
    out->present = true;
    return MXP_SUCCESS;
}

/* ---- RFC 6125 name matching ----------------------------------------------------- */

static char ascii_lower(char ch)
{
    return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

static bool ieq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ascii_lower(a[i]) != ascii_lower(b[i]))
            return false;
    return true;
}

/* Letters, digits, hyphen and underscore in non-empty labels. */
static bool dns_name_ok(const char *s, size_t n)
{
    size_t label = 0;
    if (n == 0 || n > 253)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '.') {
            if (label == 0)
                return false;
            label = 0;
        } else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                   (ch >= '0' && ch <= '9') || ch == '-' || ch == '_') {
            if (++label > 63)
                return false;
        } else {
            return false;
        }
    }
    return label > 0;
}

/* IP literals never match a dNSName: anything with ':' (IPv6, "[...]") or an
 * all-numeric last label (no TLD is numeric, so that is dotted IPv4). */
static bool host_is_ip(const char *h, size_t n)
{
    size_t last = n;
    for (size_t i = 0; i < n; i++)
        if (h[i] == ':' || h[i] == '[')
            return true;
    while (last > 0 && h[last - 1] != '.')
        last--;
    if (last == n)
        return false;
    for (size_t i = last; i < n; i++)
        if (h[i] < '0' || h[i] > '9')
            return false;
    return true;
}

static size_t strip_dot(const char *s, size_t n)
{
    return n > 0 && s[n - 1] == '.' ? n - 1 : n;
}

static bool pattern_matches(const char *pat, size_t pn, const char *host, size_t hn)
{
    pn = strip_dot(pat, pn);
    if (pn >= 2 && pat[0] == '*' && pat[1] == '.') {
        const char *rest = pat + 2;
        size_t rn = pn - 2;
        /* "*.org" would cover a whole TLD: require two labels after the star */
        if (!dns_name_ok(rest, rn) || memchr(rest, '.', rn) == NULL)
            return false;
        const char *dot = memchr(host, '.', hn);
        if (dot == NULL || dot == host)
            return false;
        size_t off = (size_t)(dot - host) + 1;
        return hn - off == rn && ieq(host + off, rest, rn);
    }
    return dns_name_ok(pat, pn) && pn == hn && ieq(pat, host, hn);
}

static int hex_val(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* The first (most specific) CN of an RFC 4514 DN rendered by format_dn(),
 * unescaped into cn. Returns its length, or 0 when there is none. */
static size_t subject_cn(const char *dn, char *cn, size_t cap)
{
    size_t i = 0;
    bool at_start = true;
    while (dn[i] != '\0') {
        if (at_start && dn[i] == 'C' && dn[i + 1] == 'N' && dn[i + 2] == '=') {
            size_t n = 0;
            i += 3;
            while (dn[i] != '\0' && dn[i] != ',' && dn[i] != '+') {
                char ch = dn[i++];
                if (ch == '\\' && dn[i] != '\0') {
                    int hi = hex_val(dn[i]), lo = hi < 0 ? -1 : hex_val(dn[i + 1]);
                    if (lo >= 0) {
                        ch = (char)(hi * 16 + lo);
                        i += 2;
                    } else {
                        ch = dn[i++];
                    }
                }
                if (n + 1 >= cap)
                    return 0;
                cn[n++] = ch;
            }
            cn[n] = '\0';
            return n;
        }
        /* skip to the next unescaped separator */
        at_start = false;
        if (dn[i] == '\\' && dn[i + 1] != '\0') {
            i += 2;
            continue;
        }
        if (dn[i] == '+' || dn[i] == ',') {
            i++;
            while (dn[i] == ' ')
                i++;
            at_start = true;
            continue;
        }
        i++;
    }
    return 0;
}

bool mxp_x509_name_matches(const struct mxp_cert_summary *cert, const char *host)
{
    if (cert == NULL || host == NULL || !cert->present)
        return false;
    size_t hn = strip_dot(host, strlen(host));
    if (!dns_name_ok(host, hn) || host_is_ip(host, hn))
        return false;

    if (cert->n_sans > 0 || cert->sans_truncated) {
        for (size_t i = 0; i < cert->n_sans && i < MXP_CFG_CERT_SANS_MAX; i++) {
            const char *san = cert->sans[i];
            const char *end = memchr(san, '\0', MXP_CFG_CERT_SAN_LEN);
            if (end != NULL && pattern_matches(san, (size_t)(end - san), host, hn))
                return true;
        }
        return false;
    }
    char cn[MXP_CFG_CERT_DN_MAX];
    if (memchr(cert->subject, '\0', sizeof cert->subject) == NULL)
        return false;
    size_t cn_len = subject_cn(cert->subject, cn, sizeof cn);
    /* an escaped NUL in the CN makes cn_len longer than strlen: no match */
    return cn_len > 0 && strlen(cn) == cn_len && pattern_matches(cn, cn_len, host, hn);
}
