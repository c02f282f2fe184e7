/* DNS codec: query bytes, response parsing, each RFC 9267 class of parser
 * mistake, every truncation prefix and single-octet mutations of valid replies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mxp_dns.h"

#define ID 0xbeef
#define F_OK 0x8180u /* QR RD RA, NOERROR */
#define F_NXDOMAIN 0x8183u
#define F_SERVFAIL 0x8182u
#define F_TC 0x8380u /* QR TC RD RA */
#define F_AA 0x8580u /* QR AA RD RA */
#define Q_OFF 12     /* the question name: every pointer's favourite target */
#define CLASS_CH 3
#define TYPE_SOA 6

/* ---- a small message builder ------------------------------------------------- */

struct msg {
    uint8_t b[4096];
    size_t n;
};

static void put8(struct msg *m, unsigned v)
{
    assert_true(m->n < sizeof m->b);
    m->b[m->n++] = (uint8_t)v;
}

static void put16(struct msg *m, unsigned v)
{
    put8(m, v >> 8);
    put8(m, v & 0xff);
}

static void put32(struct msg *m, uint32_t v)
{
    put16(m, v >> 16);
    put16(m, v & 0xffff);
}

static void put_raw(struct msg *m, const void *p, size_t n)
{
    assert_true(n <= sizeof m->b - m->n);
    memcpy(m->b + m->n, p, n);
    m->n += n;
}

/* The labels of a dotted name, without the root: a pointer or put8(0) follows. */
static size_t labels(struct msg *m, const char *dotted)
{
    size_t at = m->n;
    while (*dotted != '\0') {
        const char *dot = strchr(dotted, '.');
        size_t n = dot ? (size_t)(dot - dotted) : strlen(dotted);
        put8(m, (unsigned)n);
        put_raw(m, dotted, n);
        dotted += n + (dot ? 1 : 0);
    }
    return at;
}

static size_t name(struct msg *m, const char *dotted)
{
    size_t at = labels(m, dotted);
    put8(m, 0);
    return at;
}

static void ptr(struct msg *m, size_t off)
{
    put16(m, 0xc000u | (unsigned)off);
}

static void header(struct msg *m, unsigned flags, unsigned qd, unsigned an, unsigned ns,
                   unsigned ar)
{
    m->n = 0;
    put16(m, ID);
    put16(m, flags);
    put16(m, qd);
    put16(m, an);
    put16(m, ns);
    put16(m, ar);
}

static void question(struct msg *m, const char *qname, unsigned qtype)
{
    name(m, qname);
    put16(m, qtype);
    put16(m, MXP_DNS_CLASS_IN);
}

/* Fixed part of a record after its owner; returns where RDLENGTH goes. */
static size_t rr_class(struct msg *m, unsigned type, unsigned cls, uint32_t ttl)
{
    put16(m, type);
    put16(m, cls);
    put32(m, ttl);
    size_t at = m->n;
    put16(m, 0);
    return at;
}

static size_t rr(struct msg *m, unsigned type, uint32_t ttl)
{
    return rr_class(m, type, MXP_DNS_CLASS_IN, ttl);
}

/* Patch RDLENGTH to cover everything written since rr(). */
static void rr_end(struct msg *m, size_t at)
{
    size_t n = m->n - at - 2;
    m->b[at] = (uint8_t)(n >> 8);
    m->b[at + 1] = (uint8_t)n;
}

static void set16(struct msg *m, size_t at, unsigned v)
{
    m->b[at] = (uint8_t)(v >> 8);
    m->b[at + 1] = (uint8_t)v;
}

static void a_rdata(struct msg *m, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    put8(m, a);
    put8(m, b);
    put8(m, c);
    put8(m, d);
}

/* An exact-size heap copy, so ASan flags any read past the message. */
static mxp_err parse(const struct msg *m, size_t len, const char *qname, unsigned qtype,
                     struct mxp_dns_answer *out)
{
    uint8_t *copy = malloc(len == 0 ? 1 : len);
    assert_non_null(copy);
    memcpy(copy, m->b, len);
    mxp_err e =
        mxp_dns_parse_response(len == 0 ? NULL : copy, len, ID, qname, (uint16_t)qtype, out);
    free(copy);
    return e;
}

static struct mxp_dns_answer ans; /* large: keep it off the stack */

static void expect_bad(const struct msg *m, const char *qname, unsigned qtype, int detail)
{
    mxp_err e = parse(m, m->n, qname, qtype, &ans);
    if (!mxp_is(e, MXP_E_DNS_FAIL) || e.detail != detail)
        fail_msg("want dns-fail/%d (%s), got %04x/%d", detail, mxp_dns_detail_name(detail), e.code,
                 e.detail);
}

static void expect_ok(const struct msg *m, const char *qname, unsigned qtype)
{
    mxp_err e = parse(m, m->n, qname, qtype, &ans);
    if (!mxp_ok(e))
        fail_msg("want ok, got %04x/%d (%s)", e.code, e.detail, mxp_dns_detail_name(e.detail));
}

/* ---- valid responses ------------------------------------------------------------ */

/* example.com MX, compressed like BIND does: three exchangers, NS, glue. */
static void build_mx(struct msg *m)
{
    header(m, F_OK, 1, 3, 2, 2);
    question(m, "example.com", MXP_DNS_MX);
    ptr(m, Q_OFF);
    size_t at = rr(m, MXP_DNS_MX, 3600);
    put16(m, 10);
    size_t mx1 = labels(m, "mx1");
    ptr(m, Q_OFF);
    rr_end(m, at);
    ptr(m, Q_OFF);
    at = rr(m, MXP_DNS_MX, 3600);
    put16(m, 20);
    size_t mx2 = labels(m, "mx2");
    ptr(m, Q_OFF);
    rr_end(m, at);
    ptr(m, Q_OFF);
    at = rr(m, MXP_DNS_MX, 3600);
    put16(m, 10);
    name(m, "backup.example.net");
    rr_end(m, at);
    ptr(m, Q_OFF);
    at = rr(m, MXP_DNS_NS, 86400);
    labels(m, "ns1");
    ptr(m, Q_OFF);
    rr_end(m, at);
    ptr(m, Q_OFF);
    at = rr(m, MXP_DNS_NS, 86400);
    labels(m, "ns2");
    ptr(m, Q_OFF);
    rr_end(m, at);
    ptr(m, mx1);
    at = rr(m, MXP_DNS_A, 300);
    a_rdata(m, 192, 0, 2, 25);
    rr_end(m, at);
    ptr(m, mx2);
    at = rr(m, MXP_DNS_AAAA, 300);
    put_raw(m, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x25", 16);
    rr_end(m, at);
}

static void build_a(struct msg *m)
{
    header(m, F_AA, 1, 2, 0, 0);
    question(m, "mx1.example.com", MXP_DNS_A);
    for (unsigned i = 0; i < 2; i++) {
        ptr(m, Q_OFF);
        size_t at = rr(m, MXP_DNS_A, 60);
        a_rdata(m, 192, 0, 2, (uint8_t)(25 + i));
        rr_end(m, at);
    }
}

static void build_aaaa(struct msg *m)
{
    header(m, F_OK, 1, 1, 0, 0);
    question(m, "mx2.example.com", MXP_DNS_AAAA);
    ptr(m, Q_OFF);
    size_t at = rr(m, MXP_DNS_AAAA, 0x80000000u); /* top bit: reads as 0 */
    put_raw(m, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x25", 16);
    rr_end(m, at);
}

static void build_ptr(struct msg *m)
{
    header(m, F_OK, 1, 1, 0, 0);
    question(m, "25.2.0.192.in-addr.arpa", MXP_DNS_PTR);
    ptr(m, Q_OFF);
    size_t at = rr(m, MXP_DNS_PTR, 86400);
    name(m, "mx1.example.com");
    rr_end(m, at);
}

/* www.example.com -> edge.example.net -> host.cdn.example.org A, compressed. */
static void build_cname(struct msg *m)
{
    header(m, F_OK, 1, 3, 0, 0);
    question(m, "www.example.com", MXP_DNS_A);
    ptr(m, Q_OFF);
    size_t at = rr(m, MXP_DNS_CNAME, 300);
    size_t edge = name(m, "edge.example.net");
    rr_end(m, at);
    ptr(m, edge);
    at = rr(m, MXP_DNS_CNAME, 300);
    name(m, "HOST.cdn.example.org");
    rr_end(m, at);
    name(m, "host.CDN.example.org"); /* same owner, other case, uncompressed */
    at = rr(m, MXP_DNS_A, 20);
    a_rdata(m, 198, 51, 100, 7);
    rr_end(m, at);
}

static void build_nxdomain(struct msg *m)
{
    header(m, F_NXDOMAIN, 1, 0, 1, 0);
    question(m, "nope.example.com", MXP_DNS_MX);
    ptr(m, Q_OFF + 5); /* example.com */
    size_t at = rr(m, TYPE_SOA, 900);
    labels(m, "ns1");
    ptr(m, Q_OFF + 5);
    labels(m, "hostmaster");
    ptr(m, Q_OFF + 5);
    put32(m, 2024010101);
    put32(m, 7200);
    put32(m, 3600);
    put32(m, 1209600);
    put32(m, 300);
    rr_end(m, at);
}

static void build_nodata(struct msg *m)
{
    header(m, F_OK, 1, 0, 1, 0);
    question(m, "example.com", MXP_DNS_AAAA);
    ptr(m, Q_OFF);
    size_t at = rr(m, TYPE_SOA, 900);
    labels(m, "ns1");
    ptr(m, Q_OFF);
    labels(m, "hostmaster");
    ptr(m, Q_OFF);
    for (int i = 0; i < 5; i++)
        put32(m, 3600);
    rr_end(m, at);
}

static void build_servfail(struct msg *m)
{
    header(m, F_SERVFAIL, 1, 0, 0, 0);
    question(m, "example.com", MXP_DNS_MX);
}

static void build_refused_bare(struct msg *m)
{
    header(m, 0x8105, 0, 0, 0, 0); /* REFUSED, no question echoed */
}

static void build_txt(struct msg *m)
{
    header(m, F_OK, 1, 1, 0, 0);
    question(m, "_mta-sts.example.com", MXP_DNS_TXT);
    ptr(m, Q_OFF);
    size_t at = rr(m, MXP_DNS_TXT, 300);
    put8(m, 8);
    put_raw(m, "v=STSv1;", 8);
    put8(m, 12);
    put_raw(m, " id=2024\x01\xff\x7f;", 12);
    rr_end(m, at);
}

/* TC: ANCOUNT says 3, the server sent one record and part of the next. */
static void build_tc(struct msg *m)
{
    header(m, F_TC, 1, 3, 0, 0);
    question(m, "example.com", MXP_DNS_MX);
    ptr(m, Q_OFF);
    size_t at = rr(m, MXP_DNS_MX, 3600);
    put16(m, 10);
    labels(m, "mx1");
    ptr(m, Q_OFF);
    rr_end(m, at);
    ptr(m, Q_OFF);
    put16(m, MXP_DNS_MX);
}

typedef void (*build_fn)(struct msg *m);

struct valid_case {
    build_fn build;
    const char *qname;
    unsigned qtype;
    uint16_t code; /* expected result */
    int16_t detail;
};

static const struct valid_case valid[] = {
    {build_mx, "example.com", MXP_DNS_MX, MXP_OK, 0},
    {build_a, "mx1.example.com", MXP_DNS_A, MXP_OK, 0},
    {build_aaaa, "mx2.example.com", MXP_DNS_AAAA, MXP_OK, 0},
    {build_ptr, "25.2.0.192.in-addr.arpa", MXP_DNS_PTR, MXP_OK, 0},
    {build_cname, "www.example.com", MXP_DNS_A, MXP_OK, 0},
    {build_nxdomain, "nope.example.com", MXP_DNS_MX, MXP_E_DNS_NXDOMAIN, 0},
    {build_nodata, "example.com", MXP_DNS_AAAA, MXP_E_DNS_NODATA, 0},
    {build_servfail, "example.com", MXP_DNS_MX, MXP_E_DNS_FAIL, MXP_DNS_SERVFAIL},
    {build_refused_bare, "example.com", MXP_DNS_MX, MXP_E_DNS_FAIL, MXP_DNS_REFUSED},
    {build_txt, "_mta-sts.example.com", MXP_DNS_TXT, MXP_OK, 0},
    {build_tc, "example.com", MXP_DNS_MX, MXP_OK, 0},
};

static void test_valid_table(void **state)
{
    (void)state;
    static struct msg m;
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        valid[i].build(&m);
        mxp_err e = parse(&m, m.n, valid[i].qname, valid[i].qtype, &ans);
        if (e.code != valid[i].code || e.detail != valid[i].detail)
            fail_msg("case %zu: want %04x/%d got %04x/%d", i, valid[i].code, valid[i].detail,
                     e.code, e.detail);
    }
}

static void test_mx(void **state)
{
    (void)state;
    static struct msg m;
    build_mx(&m);
    expect_ok(&m, "example.com", MXP_DNS_MX);
    assert_int_equal(ans.n, 3);
    assert_false(ans.more);
    assert_false(ans.truncated);
    assert_int_equal(ans.rcode, 0);
    assert_int_equal(ans.cnames, 0);
    assert_string_equal(ans.canonical, "example.com");
    assert_int_equal(ans.rr[0].type, MXP_DNS_MX);
    assert_int_equal(ans.rr[0].pref, 10);
    assert_string_equal(ans.rr[0].name, "mx1.example.com");
    assert_int_equal(ans.rr[0].ttl, 3600);
    assert_int_equal(ans.rr[1].pref, 20);
    assert_string_equal(ans.rr[1].name, "mx2.example.com");
    assert_int_equal(ans.rr[2].pref, 10);
    assert_string_equal(ans.rr[2].name, "backup.example.net");
    /* the caller's spelling of the question is accepted in any case */
    expect_ok(&m, "EXAMPLE.com.", MXP_DNS_MX);
    assert_int_equal(ans.n, 3);
    /* glue and NS records are checked but not answers to an MX question */
    expect_bad(&m, "example.com", MXP_DNS_A, MXP_DNS_BAD_QUESTION);
}

static void test_a_aaaa(void **state)
{
    (void)state;
    static struct msg m;
    build_a(&m);
    expect_ok(&m, "mx1.example.com", MXP_DNS_A);
    assert_true(ans.authoritative);
    assert_int_equal(ans.n, 2);
    assert_int_equal(ans.rr[0].addr.family, MXP_AF_INET);
    assert_memory_equal(ans.rr[0].addr.bytes, "\xc0\x00\x02\x19", 4);
    assert_memory_equal(ans.rr[1].addr.bytes, "\xc0\x00\x02\x1a", 4);
    assert_int_equal(ans.rr[1].ttl, 60);

    build_aaaa(&m);
    expect_ok(&m, "mx2.example.com", MXP_DNS_AAAA);
    assert_false(ans.authoritative);
    assert_int_equal(ans.n, 1);
    assert_int_equal(ans.rr[0].addr.family, MXP_AF_INET6);
    assert_memory_equal(ans.rr[0].addr.bytes, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x25", 16);
    assert_int_equal(ans.rr[0].ttl, 0); /* RFC 2181: top bit set reads as 0 */
}

static void test_ptr(void **state)
{
    (void)state;
    static struct msg m;
    build_ptr(&m);
    expect_ok(&m, "25.2.0.192.in-addr.arpa.", MXP_DNS_PTR);
    assert_int_equal(ans.n, 1);
    assert_int_equal(ans.rr[0].type, MXP_DNS_PTR);
    assert_string_equal(ans.rr[0].name, "mx1.example.com");

    /* RFC 2317 classless delegation: CNAME to a name with '/' */
    header(&m, F_OK, 1, 2, 0, 0);
    question(&m, "25.2.0.192.in-addr.arpa", MXP_DNS_PTR);
    ptr(&m, Q_OFF);
    size_t at = rr(&m, MXP_DNS_CNAME, 300);
    labels(&m, "25.0/25");
    ptr(&m, Q_OFF + 3); /* 2.0.192.in-addr.arpa */
    rr_end(&m, at);
    ptr(&m, at + 2);
    at = rr(&m, MXP_DNS_PTR, 300);
    name(&m, "mx1.example.com");
    rr_end(&m, at);
    expect_ok(&m, "25.2.0.192.in-addr.arpa", MXP_DNS_PTR);
    assert_int_equal(ans.cnames, 1);
    assert_string_equal(ans.canonical, "25.0/25.2.0.192.in-addr.arpa");
    assert_string_equal(ans.rr[0].name, "mx1.example.com");
}

static void test_txt(void **state)
{
    (void)state;
    static struct msg m;
    build_txt(&m);
    expect_ok(&m, "_mta-sts.example.com", MXP_DNS_TXT);
    assert_int_equal(ans.n, 1);
    assert_string_equal(ans.rr[0].name, "v=STSv1; id=2024???;");
    assert_false(ans.rr[0].partial);

    /* longer than the slot: shortened and flagged */
    header(&m, F_OK, 1, 1, 0, 0);
    question(&m, "example.com", MXP_DNS_TXT);
    ptr(&m, Q_OFF);
    size_t at = rr(&m, MXP_DNS_TXT, 300);
    for (int s = 0; s < 2; s++) {
        put8(&m, 200);
        for (int i = 0; i < 200; i++)
            put8(&m, 'a' + s);
    }
    rr_end(&m, at);
    expect_ok(&m, "example.com", MXP_DNS_TXT);
    assert_true(ans.rr[0].partial);
    assert_int_equal(strlen(ans.rr[0].name), MXP_CFG_HOST_MAX - 1);

    /* a string running past RDLENGTH, and an empty TXT */
    set16(&m, at, 202);
    m.n = at + 2 + 202;
    expect_bad(&m, "example.com", MXP_DNS_TXT, MXP_DNS_BAD_RDLENGTH);
    set16(&m, at, 0);
    m.n = at + 2;
    expect_bad(&m, "example.com", MXP_DNS_TXT, MXP_DNS_BAD_RDLENGTH);
}

static void test_cname_chain(void **state)
{
    (void)state;
    static struct msg m;
    build_cname(&m);
    expect_ok(&m, "www.example.com", MXP_DNS_A);
    assert_int_equal(ans.cnames, 2);
    assert_string_equal(ans.canonical, "HOST.cdn.example.org");
    assert_int_equal(ans.n, 1);
    assert_memory_equal(ans.rr[0].addr.bytes, "\xc6\x33\x64\x07", 4);

    /* asking for the CNAME itself: no following */
    header(&m, F_OK, 1, 1, 0, 0);
    question(&m, "www.example.com", MXP_DNS_CNAME);
    ptr(&m, Q_OFF);
    size_t at = rr(&m, MXP_DNS_CNAME, 300);
    name(&m, "edge.example.net");
    rr_end(&m, at);
    expect_ok(&m, "www.example.com", MXP_DNS_CNAME);
    assert_int_equal(ans.cnames, 0);
    assert_string_equal(ans.rr[0].name, "edge.example.net");

    /* the chain leaves the message: NODATA, and where it ended */
    m.b[Q_OFF + 17 + 1] = MXP_DNS_A;
    assert_int_equal(parse(&m, m.n, "www.example.com", MXP_DNS_A, &ans).code, MXP_E_DNS_NODATA);
    assert_string_equal(ans.canonical, "edge.example.net");
    assert_int_equal(ans.cnames, 1);

    /* ... and NXDOMAIN for the target */
    m.b[3] = F_NXDOMAIN & 0xff;
    assert_int_equal(parse(&m, m.n, "www.example.com", MXP_DNS_A, &ans).code, MXP_E_DNS_NXDOMAIN);
    assert_string_equal(ans.canonical, "edge.example.net");

    /* a -> b -> a */
    header(&m, F_OK, 1, 2, 0, 0);
    question(&m, "a.example.com", MXP_DNS_A);
    ptr(&m, Q_OFF);
    at = rr(&m, MXP_DNS_CNAME, 300);
    size_t b = name(&m, "b.example.com");
    rr_end(&m, at);
    ptr(&m, b);
    at = rr(&m, MXP_DNS_CNAME, 300);
    ptr(&m, Q_OFF);
    rr_end(&m, at);
    expect_bad(&m, "a.example.com", MXP_DNS_A, MXP_DNS_BAD_CNAME);

    /* a self-CNAME */
    header(&m, F_OK, 1, 1, 0, 0);
    question(&m, "a.example.com", MXP_DNS_A);
    ptr(&m, Q_OFF);
    at = rr(&m, MXP_DNS_CNAME, 300);
    ptr(&m, Q_OFF);
    rr_end(&m, at);
    expect_bad(&m, "a.example.com", MXP_DNS_A, MXP_DNS_BAD_CNAME);
}

/* c0 -> c1 -> ... -> c<hops>, then an A record for the last. */
static void build_chain(struct msg *m, unsigned hops)
{
    char buf[32];
    header(m, F_OK, 1, hops + 1, 0, 0);
    question(m, "c0.example.com", MXP_DNS_A);
    size_t owner = Q_OFF;
    for (unsigned i = 0; i < hops; i++) {
        ptr(m, owner);
        size_t at = rr(m, MXP_DNS_CNAME, 300);
        snprintf(buf, sizeof buf, "c%u", i + 1);
        owner = labels(m, buf);
        ptr(m, Q_OFF + 3);
        rr_end(m, at);
    }
    ptr(m, owner);
    size_t at = rr(m, MXP_DNS_A, 300);
    a_rdata(m, 192, 0, 2, 1);
    rr_end(m, at);
}

static void test_cname_limit(void **state)
{
    (void)state;
    static struct msg m;
    build_chain(&m, MXP_DNS_CNAME_MAX);
    expect_ok(&m, "c0.example.com", MXP_DNS_A);
    assert_int_equal(ans.cnames, MXP_DNS_CNAME_MAX);
    assert_int_equal(ans.n, 1);
    build_chain(&m, MXP_DNS_CNAME_MAX + 1);
    expect_bad(&m, "c0.example.com", MXP_DNS_A, MXP_DNS_BAD_CNAME);
}

static void test_rcodes(void **state)
{
    (void)state;
    static struct msg m;
    build_nxdomain(&m);
    assert_int_equal(parse(&m, m.n, "nope.example.com", MXP_DNS_MX, &ans).code, MXP_E_DNS_NXDOMAIN);
    assert_int_equal(ans.rcode, MXP_DNS_NXDOMAIN);
    assert_string_equal(ans.canonical, "nope.example.com");

    build_nodata(&m);
    assert_int_equal(parse(&m, m.n, "example.com", MXP_DNS_AAAA, &ans).code, MXP_E_DNS_NODATA);
    assert_int_equal(ans.n, 0);

    build_servfail(&m);
    expect_bad(&m, "example.com", MXP_DNS_MX, MXP_DNS_SERVFAIL);
    assert_string_equal(mxp_dns_detail_name(MXP_DNS_SERVFAIL), "servfail");
    for (unsigned rc = 1; rc < 16; rc++) {
        if (rc == MXP_DNS_NXDOMAIN)
            continue;
        m.b[3] = (uint8_t)(0x80 | rc);
        expect_bad(&m, "example.com", MXP_DNS_MX, (int)rc);
        assert_int_equal(ans.rcode, rc);
    }
    /* REFUSED without the question is still REFUSED ... */
    build_refused_bare(&m);
    expect_bad(&m, "example.com", MXP_DNS_MX, MXP_DNS_REFUSED);
    /* ... but a bare NOERROR or NXDOMAIN proves nothing */
    m.b[3] = 0x80;
    expect_bad(&m, "example.com", MXP_DNS_MX, MXP_DNS_BAD_HEADER);
    m.b[3] = 0x83;
    expect_bad(&m, "example.com", MXP_DNS_MX, MXP_DNS_BAD_HEADER);

    /* records of another class or owner are not answers */
    header(&m, F_OK, 1, 2, 0, 0);
    question(&m, "example.com", MXP_DNS_A);
    ptr(&m, Q_OFF);
    size_t at = rr_class(&m, MXP_DNS_A, CLASS_CH, 300);
    a_rdata(&m, 1, 2, 3, 4);
    rr_end(&m, at);
    name(&m, "evil.example.org");
    at = rr(&m, MXP_DNS_A, 300);
    a_rdata(&m, 6, 6, 6, 6);
    rr_end(&m, at);
    assert_int_equal(parse(&m, m.n, "example.com", MXP_DNS_A, &ans).code, MXP_E_DNS_NODATA);
}

static void test_truncated_bit(void **state)
{
    (void)state;
    static struct msg m;
    build_tc(&m);
    expect_ok(&m, "example.com", MXP_DNS_MX);
    assert_true(ans.truncated);
    assert_int_equal(ans.n, 1);
    assert_string_equal(ans.rr[0].name, "mx1.example.com");

    /* TC with nothing but the question: still MXP_OK, nothing kept */
    header(&m, F_TC, 1, 5, 0, 0);
    question(&m, "example.com", MXP_DNS_MX);
    expect_ok(&m, "example.com", MXP_DNS_MX);
    assert_true(ans.truncated);
    assert_int_equal(ans.n, 0);

    /* TC excuses missing records, not broken ones */
    build_tc(&m);
    m.b[Q_OFF + 13 + 4] = 0xc0;
    m.b[Q_OFF + 13 + 5] = 0xff;
    expect_bad(&m, "example.com", MXP_DNS_MX, MXP_DNS_BAD_PTR_RANGE);
    /* nor a cut question */
    build_tc(&m);
    m.n = Q_OFF + 13 + 3;
    expect_bad(&m, "example.com", MXP_DNS_MX, MXP_DNS_BAD_SHORT);
    /* without TC the same message lies about its count */
    build_tc(&m);
    m.b[2] = F_OK >> 8;
    expect_bad(&m, "example.com", MXP_DNS_MX, MXP_DNS_BAD_SHORT);
}

static void test_capacity(void **state)
{
    (void)state;
    static struct msg m;
    const unsigned total = MXP_CFG_DNS_MAX_RR + 3;
    header(&m, F_OK, 1, total, 0, 0);
    question(&m, "pool.example.com", MXP_DNS_A);
    for (unsigned i = 0; i < total; i++) {
        ptr(&m, Q_OFF);
        size_t at = rr(&m, MXP_DNS_A, 60);
        a_rdata(&m, 10, 0, 0, (uint8_t)i);
        rr_end(&m, at);
    }
    expect_ok(&m, "pool.example.com", MXP_DNS_A);
    assert_int_equal(ans.n, MXP_CFG_DNS_MAX_RR);
    assert_true(ans.more);
    assert_int_equal(ans.rr[MXP_CFG_DNS_MAX_RR - 1].addr.bytes[3], MXP_CFG_DNS_MAX_RR - 1);
}

/* ---- header and question -------------------------------------------------------- */

static void test_header_checks(void **state)
{
    (void)state;
    static struct msg m;
    build_a(&m);
    assert_int_equal(
        mxp_dns_parse_response(m.b, m.n, ID ^ 1, "mx1.example.com", MXP_DNS_A, &ans).detail,
        MXP_DNS_BAD_ID);
    m.b[2] &= 0x7f; /* QR clear: a query, not a response */
    expect_bad(&m, "mx1.example.com", MXP_DNS_A, MXP_DNS_BAD_HEADER);
    build_a(&m);
    m.b[2] |= 1u << 3; /* OPCODE 1 (IQUERY) */
    expect_bad(&m, "mx1.example.com", MXP_DNS_A, MXP_DNS_BAD_HEADER);

    /* QDCOUNT 2, with two real questions */
    header(&m, F_OK, 2, 0, 0, 0);
    question(&m, "example.com", MXP_DNS_MX);
    question(&m, "example.com", MXP_DNS_MX);
    expect_bad(&m, "example.com", MXP_DNS_MX, MXP_DNS_BAD_HEADER);
    set16(&m, 4, 0);
    expect_bad(&m, "example.com", MXP_DNS_MX, MXP_DNS_BAD_HEADER);

    /* the question must be ours: name, type, class */
    build_mx(&m);
    expect_bad(&m, "example.org", MXP_DNS_MX, MXP_DNS_BAD_QUESTION);
    expect_bad(&m, "mx.example.com", MXP_DNS_MX, MXP_DNS_BAD_QUESTION);
    expect_bad(&m, "com", MXP_DNS_MX, MXP_DNS_BAD_QUESTION);
    expect_bad(&m, "example.com", MXP_DNS_TXT, MXP_DNS_BAD_QUESTION);
    set16(&m, Q_OFF + 13 + 2, CLASS_CH);
    expect_bad(&m, "example.com", MXP_DNS_MX, MXP_DNS_BAD_QUESTION);

    /* a question in another case is the same question (RFC 4343) */
    header(&m, F_OK, 1, 1, 0, 0);
    question(&m, "ExAmPlE.CoM", MXP_DNS_A);
    ptr(&m, Q_OFF);
    size_t at = rr(&m, MXP_DNS_A, 60);
    a_rdata(&m, 192, 0, 2, 1);
    rr_end(&m, at);
    expect_ok(&m, "example.com.", MXP_DNS_A);
    assert_int_equal(ans.n, 1);

    /* shorter than a header */
    build_a(&m);
    for (size_t k = 0; k < MXP_DNS_HEADER_LEN; k++) {
        m.n = k;
        expect_bad(&m, "mx1.example.com", MXP_DNS_A, MXP_DNS_BAD_SHORT);
    }
}

static void test_usage(void **state)
{
    (void)state;
    static struct msg m;
    build_a(&m);
    assert_int_equal(mxp_dns_parse_response(m.b, m.n, ID, "mx1.example.com", MXP_DNS_A, NULL).code,
                     MXP_E_USAGE);
    assert_int_equal(mxp_dns_parse_response(m.b, m.n, ID, NULL, MXP_DNS_A, &ans).code, MXP_E_USAGE);
    assert_int_equal(mxp_dns_parse_response(m.b, m.n, ID, "mx1..example.com", MXP_DNS_A, &ans).code,
                     MXP_E_USAGE);
    assert_int_equal(mxp_dns_parse_response(m.b, m.n, ID, "mx1.example.com", 0, &ans).code,
                     MXP_E_USAGE);
    mxp_err e = mxp_dns_parse_response(NULL, 100, ID, "mx1.example.com", MXP_DNS_A, &ans);
    assert_int_equal(e.code, MXP_E_DNS_FAIL);
    assert_int_equal(e.detail, MXP_DNS_BAD_SHORT);
}

/* ---- RFC 9267 classes --------------------------------------------------------- */

/* A message for "example.com" A whose only answer's owner is written by fn. */
static void owner_case(struct msg *m, void (*fn)(struct msg *m))
{
    header(m, F_OK, 1, 1, 0, 0);
    question(m, "example.com", MXP_DNS_A);
    fn(m);
    size_t at = rr(m, MXP_DNS_A, 60);
    a_rdata(m, 192, 0, 2, 1);
    rr_end(m, at);
}

static void own_self(struct msg *m)
{
    ptr(m, m->n);
}
static void own_forward(struct msg *m)
{
    ptr(m, m->n + 2 + 10); /* its own RDATA */
}
static void own_into_itself(struct msg *m)
{
    size_t at = labels(m, "x.y");
    ptr(m, at + 2); /* "y", then this pointer again */
}
static void own_past_end(struct msg *m)
{
    ptr(m, 0x3fff);
}
static void own_at_end(struct msg *m)
{
    ptr(m, m->n + 2 + 10 + 4); /* the message length */
}
static void own_header0(struct msg *m)
{
    ptr(m, 0);
}
static void own_header11(struct msg *m)
{
    ptr(m, 11);
}
static void own_question(struct msg *m)
{
    ptr(m, Q_OFF); /* the well-formed baseline */
}

static void test_pointer_loops(void **state)
{
    (void)state;
    static struct msg m;
    owner_case(&m, own_question);
    expect_ok(&m, "example.com", MXP_DNS_A);
    owner_case(&m, own_self);
    expect_bad(&m, "example.com", MXP_DNS_A, MXP_DNS_BAD_PTR_LOOP);
    owner_case(&m, own_forward);
    expect_bad(&m, "example.com", MXP_DNS_A, MXP_DNS_BAD_PTR_LOOP);
    owner_case(&m, own_into_itself);
    expect_bad(&m, "example.com", MXP_DNS_A, MXP_DNS_BAD_PTR_LOOP);

    /* two pointers at each other: owner -> its CNAME target -> owner */
    header(&m, F_OK, 1, 1, 0, 0);
    question(&m, "example.com", MXP_DNS_A);
    size_t owner = m.n;
    ptr(&m, owner + 12);
    size_t at = rr(&m, MXP_DNS_CNAME, 60);
    ptr(&m, owner);
    rr_end(&m, at);
    expect_bad(&m, "example.com", MXP_DNS_A, MXP_DNS_BAD_PTR_LOOP);

    /* the question pointing at itself */
    header(&m, F_OK, 1, 0, 0, 0);
    ptr(&m, Q_OFF);
    put16(&m, MXP_DNS_A);
    put16(&m, MXP_DNS_CLASS_IN);
    expect_bad(&m, "example.com", MXP_DNS_A, MXP_DNS_BAD_PTR_LOOP);

    /* a backwards target whose labels run on into the name pointing at it:
     * an opaque record ends in the label "x" with no root, the next owner is
     * "b" + a pointer to that "x" */
    header(&m, F_OK, 1, 2, 0, 0);
    question(&m, "example.com", MXP_DNS_A);
    ptr(&m, Q_OFF);
    at = rr(&m, 65280, 60);
    size_t x = labels(&m, "x");
    rr_end(&m, at);
    labels(&m, "b");
    ptr(&m, x);
    at = rr(&m, MXP_DNS_A, 60);
    a_rdata(&m, 192, 0, 2, 1);
    rr_end(&m, at);
    expect_bad(&m, "example.com", MXP_DNS_A, MXP_DNS_BAD_PTR_LOOP);
}

/* An owner reached through `hops` pointers: one from the owner, then a chain
 * of pointer-only names stored in an opaque record before it. */
static void build_hops(struct msg *m, unsigned hops)
{
    header(m, F_OK, 1, 2, 0, 0);
    question(m, "example.com", MXP_DNS_A);
    ptr(m, Q_OFF);
    size_t at = rr(m, 65280, 0); /* private-use type: opaque RDATA */
    size_t prev = Q_OFF;
    for (unsigned i = 1; i < hops; i++) {
        size_t here = m->n;
        ptr(m, prev);
        prev = here;
    }
    rr_end(m, at);
    ptr(m, prev);
    at = rr(m, MXP_DNS_A, 60);
    a_rdata(m, 192, 0, 2, 99);
    rr_end(m, at);
}

static void test_pointer_hops(void **state)
{
    (void)state;
    static struct msg m;
    build_hops(&m, MXP_DNS_PTR_HOPS_MAX);
    expect_ok(&m, "example.com", MXP_DNS_A);
    assert_int_equal(ans.n, 1);
    assert_int_equal(ans.rr[0].addr.bytes[3], 99);
    build_hops(&m, MXP_DNS_PTR_HOPS_MAX + 1);
    expect_bad(&m, "example.com", MXP_DNS_A, MXP_DNS_BAD_PTR_HOPS);
    build_hops(&m, 200);
    expect_bad(&m, "example.com", MXP_DNS_A, MXP_DNS_BAD_PTR_HOPS);
}

static void test_pointer_range(void **state)
{
    (void)state;
    static struct msg m;
    owner_case(&m, own_past_end);
    expect_bad(&m, "example.com", MXP_DNS_A, MXP_DNS_BAD_PTR_RANGE);
    owner_case(&m, own_at_end);
    expect_bad(&m, "example.com", MXP_DNS_A, MXP_DNS_BAD_PTR_RANGE);
    owner_case(&m, own_header0);
    expect_bad(&m, "example.com", MXP_DNS_A, MXP_DNS_BAD_PTR_RANGE);
    owner_case(&m, own_header11);
    expect_bad(&m, "example.com", MXP_DNS_A, MXP_DNS_BAD_PTR_RANGE);

    /* in the question, which can only point into the header */
    header(&m, F_OK, 1, 0, 0, 0);
    ptr(&m, 4);
    put16(&m, MXP_DNS_A);
    put16(&m, MXP_DNS_CLASS_IN);
    expect_bad(&m, "example.com", MXP_DNS_A, MXP_DNS_BAD_PTR_RANGE);

    /* in RDATA: an MX exchange pointing past the end */
    build_mx(&m);
    size_t x = Q_OFF + 13 + 4 + 2 + 10 + 2 + 4; /* mx1's pointer */
    assert_int_equal(m.b[x], 0xc0);
    m.b[x] = 0xff;
    expect_bad(&m, "example.com", MXP_DNS_MX, MXP_DNS_BAD_PTR_RANGE);
    /* a pointer cut in half at the very end */
    build_a(&m);
    m.n -= 14 + 1;
    expect_bad(&m, "mx1.example.com", MXP_DNS_A, MXP_DNS_BAD_SHORT);
}

static void test_label_types(void **state)
{
    (void)state;
    static struct msg m;
    static const uint8_t bad_len[] = {0x40, 0x41, 0x7f, 0x80, 0xbf};
    for (size_t i = 0; i < sizeof bad_len; i++) {
        header(&m, F_OK, 1, 1, 0, 0);
        question(&m, "example.com", MXP_DNS_A);
        put8(&m, bad_len[i]);
        for (unsigned k = 0; k < 70; k++)
            put8(&m, 'a');
        put8(&m, 0);
        size_t at = rr(&m, MXP_DNS_A, 60);
        a_rdata(&m, 192, 0, 2, 1);
        rr_end(&m, at);
        expect_bad(&m, "example.com", MXP_DNS_A, MXP_DNS_BAD_LABEL);
        /* the same octet in the question */
        m.b[Q_OFF] = bad_len[i];
        expect_bad(&m, "example.com", MXP_DNS_A, MXP_DNS_BAD_LABEL);
    }
    /* 63 is the longest label, and fine */
    char l63[64 + 12];
    memset(l63, 'a', 63);
    memcpy(l63 + 63, ".example.com", 13);
    header(&m, F_OK, 1, 1, 0, 0);
    question(&m, l63, MXP_DNS_A);
    ptr(&m, Q_OFF);
    size_t at = rr(&m, MXP_DNS_A, 60);
    a_rdata(&m, 192, 0, 2, 1);
    rr_end(&m, at);
    expect_ok(&m, l63, MXP_DNS_A);
}

/* "l63.l63.l63.x...": a dotted name of exactly `wire` octets on the wire. */
static void long_name(char *out, size_t wire)
{
    size_t text = wire - 2, n = 0;
    while (n < text) {
        size_t label = text - n > 63 ? 63 : text - n;
        if (n > 0) {
            out[n++] = '.';
            label = text - n > 63 ? 63 : text - n;
        }
        memset(out + n, 'a' + (char)(n % 26), label);
        n += label;
    }
    out[n] = '\0';
}

static void test_name_length(void **state)
{
    (void)state;
    static struct msg m;
    char n255[300], n256[300];
    long_name(n255, 255);
    assert_int_equal(strlen(n255), 253);
    long_name(n256, 256);

    /* 255 octets: fine, in the question and through a pointer */
    header(&m, F_OK, 1, 1, 0, 0);
    question(&m, n255, MXP_DNS_A);
    ptr(&m, Q_OFF);
    size_t at = rr(&m, MXP_DNS_A, 60);
    a_rdata(&m, 192, 0, 2, 1);
    rr_end(&m, at);
    expect_ok(&m, n255, MXP_DNS_A);
    assert_string_equal(ans.canonical, n255);

    /* 256 octets in the question (the caller cannot even ask for it) */
    header(&m, F_OK, 1, 0, 0, 0);
    question(&m, n256, MXP_DNS_A);
    expect_bad(&m, "example.com", MXP_DNS_A, MXP_DNS_BAD_NAME_LEN);

    /* uncompressed owner of 4 x 63-octet labels: 257 octets */
    header(&m, F_OK, 1, 1, 0, 0);
    question(&m, "example.com", MXP_DNS_A);
    for (int i = 0; i < 4; i++) {
        put8(&m, 63);
        for (int k = 0; k < 63; k++)
            put8(&m, 'z');
    }
    put8(&m, 0);
    at = rr(&m, MXP_DNS_A, 60);
    a_rdata(&m, 192, 0, 2, 1);
    rr_end(&m, at);
    expect_bad(&m, "example.com", MXP_DNS_A, MXP_DNS_BAD_NAME_LEN);

    /* short pieces, too long only once the pointers are followed: a label
     * on the 255-octet question name */
    header(&m, F_OK, 1, 1, 0, 0);
    question(&m, n255, MXP_DNS_A);
    labels(&m, "x");
    ptr(&m, Q_OFF);
    at = rr(&m, MXP_DNS_A, 60);
    a_rdata(&m, 192, 0, 2, 1);
    rr_end(&m, at);
    expect_bad(&m, n255, MXP_DNS_A, MXP_DNS_BAD_NAME_LEN);

    /* an MX exchange made too long by its pointer */
    header(&m, F_OK, 1, 1, 0, 0);
    question(&m, n255 + 130, MXP_DNS_MX); /* 123 characters: 125 octets */
    ptr(&m, Q_OFF);
    at = rr(&m, MXP_DNS_MX, 60);
    put16(&m, 10);
    labels(&m, n255 + 64); /* 189 characters: 190 octets without the root */
    ptr(&m, Q_OFF);
    rr_end(&m, at);
    expect_bad(&m, n255 + 130, MXP_DNS_MX, MXP_DNS_BAD_NAME_LEN);
}

static void test_name_chars(void **state)
{
    (void)state;
    static struct msg m;
    static const char *const bad_labels[] = {"ex\0mple", "a.b",  "a b",  "\x80x",
                                             "a\\b",     "\x7f", "tab\t"};
    static const size_t bad_len[] = {7, 3, 3, 2, 3, 1, 4};
    for (size_t i = 0; i < sizeof bad_len / sizeof bad_len[0]; i++) {
        header(&m, F_OK, 1, 1, 0, 0);
        question(&m, "example.com", MXP_DNS_MX);
        ptr(&m, Q_OFF);
        size_t at = rr(&m, MXP_DNS_MX, 60);
        put16(&m, 10);
        put8(&m, (unsigned)bad_len[i]);
        put_raw(&m, bad_labels[i], bad_len[i]);
        ptr(&m, Q_OFF);
        rr_end(&m, at);
        expect_bad(&m, "example.com", MXP_DNS_MX, MXP_DNS_BAD_NAME_CHAR);
    }
    /* the query side refuses them before anything is sent */
    uint8_t q[MXP_DNS_QUERY_MAX];
    size_t len;
    assert_int_equal(mxp_dns_build_query(q, sizeof q, &len, 1, "a b.com", 1, true).code,
                     MXP_E_USAGE);
}

static void test_rdlength_and_counts(void **state)
{
    (void)state;
    static struct msg m;
    /* RDLENGTH beyond the message */
    build_a(&m);
    set16(&m, m.n - 6, 40);
    expect_bad(&m, "mx1.example.com", MXP_DNS_A, MXP_DNS_BAD_RDLENGTH);
    set16(&m, m.n - 6, 0xffff);
    expect_bad(&m, "mx1.example.com", MXP_DNS_A, MXP_DNS_BAD_RDLENGTH);

    /* A with RDLENGTH 5 and 3, AAAA with 4: wrong for the type */
    header(&m, F_OK, 1, 1, 0, 0);
    question(&m, "example.com", MXP_DNS_A);
    ptr(&m, Q_OFF);
    size_t at = rr(&m, MXP_DNS_A, 60);
    a_rdata(&m, 192, 0, 2, 1);
    put8(&m, 7);
    rr_end(&m, at);
    expect_bad(&m, "example.com", MXP_DNS_A, MXP_DNS_BAD_RDLENGTH);
    m.n -= 2;
    rr_end(&m, at);
    expect_bad(&m, "example.com", MXP_DNS_A, MXP_DNS_BAD_RDLENGTH);
    header(&m, F_OK, 1, 1, 0, 0);
    question(&m, "example.com", MXP_DNS_AAAA);
    ptr(&m, Q_OFF);
    at = rr(&m, MXP_DNS_AAAA, 60);
    a_rdata(&m, 192, 0, 2, 1);
    rr_end(&m, at);
    expect_bad(&m, "example.com", MXP_DNS_AAAA, MXP_DNS_BAD_RDLENGTH);
    /* checked for unrelated records too: a bad A in an MX answer's glue */
    build_mx(&m);
    set16(&m, m.n - 28 - 4 - 2, 5); /* the glue A's RDLENGTH (an AAAA record follows) */
    expect_bad(&m, "example.com", MXP_DNS_MX, MXP_DNS_BAD_RDLENGTH);

    /* MX: RDLENGTH one short (name runs past it), one long, pref cut */
    build_mx(&m);
    size_t rdl = Q_OFF + 13 + 4 + 2 + 8;
    set16(&m, rdl, 7);
    expect_bad(&m, "example.com", MXP_DNS_MX, MXP_DNS_BAD_RDLENGTH);
    set16(&m, rdl, 9);
    expect_bad(&m, "example.com", MXP_DNS_MX, MXP_DNS_BAD_RDLENGTH);
    set16(&m, rdl, 1);
    expect_bad(&m, "example.com", MXP_DNS_MX, MXP_DNS_BAD_RDLENGTH);

    /* ANCOUNT larger than the records present */
    build_a(&m);
    set16(&m, 6, 3);
    expect_bad(&m, "mx1.example.com", MXP_DNS_A, MXP_DNS_BAD_COUNT);
    set16(&m, 6, 0xffff);
    expect_bad(&m, "mx1.example.com", MXP_DNS_A, MXP_DNS_BAD_COUNT);
    /* ANCOUNT 0 with the records still there */
    set16(&m, 6, 0);
    expect_bad(&m, "mx1.example.com", MXP_DNS_A, MXP_DNS_BAD_COUNT);
    /* ... or 1 of 2: the second is trailing garbage */
    set16(&m, 6, 1);
    expect_bad(&m, "mx1.example.com", MXP_DNS_A, MXP_DNS_BAD_COUNT);
    /* NSCOUNT / ARCOUNT lies */
    build_mx(&m);
    set16(&m, 8, 3);
    expect_bad(&m, "example.com", MXP_DNS_MX, MXP_DNS_BAD_COUNT);
    build_mx(&m);
    set16(&m, 10, 1);
    expect_bad(&m, "example.com", MXP_DNS_MX, MXP_DNS_BAD_COUNT);
    build_mx(&m);
    set16(&m, 10, 0xffff);
    expect_bad(&m, "example.com", MXP_DNS_MX, MXP_DNS_BAD_COUNT);
    /* a record cut inside its fixed fields */
    build_a(&m);
    m.n -= 4 + 2 + 3;
    expect_bad(&m, "mx1.example.com", MXP_DNS_A, MXP_DNS_BAD_SHORT);
}

/* ---- every prefix, and single-octet mutations -------------------------------------- */

static void test_truncation_sweep(void **state)
{
    (void)state;
    static struct msg m;
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        valid[i].build(&m);
        bool tc = (m.b[2] & 0x02) != 0;
        for (size_t k = 0; k < m.n; k++) {
            mxp_err e = parse(&m, k, valid[i].qname, valid[i].qtype, &ans);
            if (tc && mxp_ok(e) && ans.truncated)
                continue; /* a TC reply cut shorter is still a TC reply */
            if (!mxp_is(e, MXP_E_DNS_FAIL) || e.detail < MXP_DNS_BAD_SHORT)
                fail_msg("case %zu prefix %zu/%zu: got %04x/%d", i, k, m.n, e.code, e.detail);
        }
    }
}

static void check_answer_sane(const struct mxp_dns_answer *a)
{
    assert_true(a->n <= MXP_CFG_DNS_MAX_RR);
    assert_non_null(memchr(a->canonical, 0, sizeof a->canonical));
    for (unsigned i = 0; i < a->n; i++)
        assert_non_null(memchr(a->rr[i].name, 0, sizeof a->rr[i].name));
}

static void test_mutation_sweep(void **state)
{
    (void)state;
    static struct msg m, orig;
    unsigned ok = 0, failed = 0;
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        valid[i].build(&orig);
        for (size_t pos = 0; pos < orig.n; pos++) {
            for (unsigned v = 0; v < 256; v++) {
                m = orig;
                m.b[pos] = (uint8_t)v;
                mxp_err e = parse(&m, m.n, valid[i].qname, valid[i].qtype, &ans);
                check_answer_sane(&ans);
                if (mxp_ok(e))
                    ok++;
                else
                    failed++;
                assert_true(mxp_err_class(e) == MXP_CLASS_DNS || mxp_ok(e));
            }
        }
    }
    assert_true(ok > 0 && failed > 0);
}

/* ---- building -------------------------------------------------------------------- */

static void test_build_query(void **state)
{
    (void)state;
    static const uint8_t want_mx[] = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
                                      0x00, 0x00, 7,    'e',  'x',  'a',  'm',  'p',  'l',  'e',
                                      3,    'c',  'o',  'm',  0,    0x00, 0x0f, 0x00, 0x01};
    uint8_t q[MXP_DNS_QUERY_MAX + 8];
    size_t len = 99;
    assert_true(
        mxp_ok(mxp_dns_build_query(q, sizeof q, &len, 0x1234, "example.com", MXP_DNS_MX, true)));
    assert_int_equal(len, sizeof want_mx);
    assert_memory_equal(q, want_mx, sizeof want_mx);
    /* a trailing dot changes nothing */
    assert_true(
        mxp_ok(mxp_dns_build_query(q, sizeof q, &len, 0x1234, "example.com.", MXP_DNS_MX, true)));
    assert_memory_equal(q, want_mx, sizeof want_mx);
    /* exactly enough room, and one octet less */
    assert_true(mxp_ok(
        mxp_dns_build_query(q, sizeof want_mx, &len, 0x1234, "example.com", MXP_DNS_MX, true)));
    assert_int_equal(
        mxp_dns_build_query(q, sizeof want_mx - 1, &len, 0x1234, "example.com", MXP_DNS_MX, true)
            .code,
        MXP_E_CAPACITY);
    assert_int_equal(len, 0);

    /* no RD; the name's case is kept as given */
    static const uint8_t want_a[] = {0xab, 0xcd, 0x00, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0,
                                     3,    'M',  'X',  '1',  1,    'x',  0, 0, 1, 0, 1};
    assert_true(mxp_ok(mxp_dns_build_query(q, sizeof q, &len, 0xabcd, "MX1.x", MXP_DNS_A, false)));
    assert_int_equal(len, sizeof want_a);
    assert_memory_equal(q, want_a, sizeof want_a);

    static const uint8_t want_root[] = {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1};
    assert_true(mxp_ok(mxp_dns_build_query(q, sizeof q, &len, 1, ".", MXP_DNS_NS, true)));
    assert_int_equal(len, sizeof want_root);
    assert_memory_equal(q, want_root, sizeof want_root);
    assert_true(mxp_ok(mxp_dns_build_query(q, sizeof q, &len, 1, "", MXP_DNS_NS, true)));
    assert_memory_equal(q, want_root, sizeof want_root);

    assert_true(mxp_ok(
        mxp_dns_build_query(q, sizeof q, &len, 7, "_dmarc.example-1.com", MXP_DNS_TXT, true)));
    assert_memory_equal(q + 12,
                        "\x06_dmarc\x09"
                        "example-1\x03"
                        "com\x00\x00\x10\x00\x01",
                        26);

    /* and the parser accepts our own query turned into an empty answer */
    struct msg m;
    assert_true(mxp_ok(
        mxp_dns_build_query(m.b, sizeof m.b, &m.n, ID, "mx1.example.com", MXP_DNS_AAAA, true)));
    m.b[2] |= 0x80;
    assert_int_equal(parse(&m, m.n, "mx1.example.com", MXP_DNS_AAAA, &ans).code, MXP_E_DNS_NODATA);
}

static void test_build_query_names(void **state)
{
    (void)state;
    uint8_t q[MXP_DNS_QUERY_MAX];
    size_t len;
    char n255[300], n256[300], l64[80];
    long_name(n255, 255);
    long_name(n256, 256);
    memset(l64, 'a', 64);
    memcpy(l64 + 64, ".com", 5);

    assert_true(mxp_ok(mxp_dns_build_query(q, sizeof q, &len, 1, n255, MXP_DNS_A, true)));
    assert_int_equal(len, sizeof q); /* MXP_DNS_QUERY_MAX fits the longest name */
    strcat(n255, ".");
    assert_true(mxp_ok(mxp_dns_build_query(q, sizeof q, &len, 1, n255, MXP_DNS_A, true)));
    assert_true(mxp_ok(mxp_dns_build_query(q, sizeof q, &len, 1, l64 + 1, MXP_DNS_A, true)));

    static const char *const bad[] = {"a..b", ".a",   "a.b..", "..",  "a b",    "a*b", "a/b",
                                      "a@b",  "é.fr", "a\tb",  "a,b", "-.\x01", "x..", "\x80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (!mxp_is(mxp_dns_build_query(q, sizeof q, &len, 1, bad[i], MXP_DNS_A, true),
                    MXP_E_USAGE))
            fail_msg("accepted \"%s\"", bad[i]);
    assert_int_equal(mxp_dns_build_query(q, sizeof q, &len, 1, n256, 1, true).code, MXP_E_USAGE);
    assert_int_equal(mxp_dns_build_query(q, sizeof q, &len, 1, l64, 1, true).code, MXP_E_USAGE);
    assert_int_equal(mxp_dns_build_query(q, sizeof q, &len, 1, NULL, 1, true).code, MXP_E_USAGE);
    assert_int_equal(mxp_dns_build_query(q, sizeof q, &len, 1, "a.b", 0, true).code, MXP_E_USAGE);
    assert_int_equal(mxp_dns_build_query(NULL, 10, &len, 1, "a.b", 1, true).code, MXP_E_USAGE);
    assert_int_equal(mxp_dns_build_query(q, sizeof q, NULL, 1, "a.b", 1, true).code, MXP_E_USAGE);
    /* a very long string is rejected without reading all of it as a name */
    static char huge[4096];
    for (size_t i = 0; i + 1 < sizeof huge; i++)
        huge[i] = i % 2 ? '.' : 'a';
    assert_int_equal(mxp_dns_build_query(q, sizeof q, &len, 1, huge, 1, true).code, MXP_E_USAGE);
    /* label characters that real names use */
    assert_true(
        mxp_ok(mxp_dns_build_query(q, sizeof q, &len, 1, "_25._tcp.mx-1.Example0.COM", 52, true)));
}

static void test_tcp_framing(void **state)
{
    (void)state;
    uint8_t q[MXP_DNS_QUERY_MAX + 2];
    size_t len = 0, n = 0, used = 0;
    const uint8_t *msg = NULL;
    assert_true(mxp_ok(
        mxp_dns_build_query_tcp(q, sizeof q, &len, 0x1234, "example.com", MXP_DNS_MX, true)));
    assert_int_equal(len, 31);
    assert_int_equal(q[0], 0);
    assert_int_equal(q[1], 29);
    assert_int_equal(q[2], 0x12);
    assert_int_equal(mxp_dns_build_query_tcp(q, 30, &len, 1, "example.com", 1, true).code,
                     MXP_E_CAPACITY);
    assert_int_equal(mxp_dns_build_query_tcp(q, 1, &len, 1, "example.com", 1, true).code,
                     MXP_E_CAPACITY);

    /* take: nothing, half a prefix, a prefix, all but one octet, all */
    static struct msg r;
    build_mx(&r);
    uint8_t rx[600];
    rx[0] = (uint8_t)(r.n >> 8);
    rx[1] = (uint8_t)r.n;
    memcpy(rx + 2, r.b, r.n);
    memcpy(rx + 2 + r.n, "\x00\x0c", 2); /* the start of a next message */
    for (size_t k = 0; k < r.n + 2; k++) {
        assert_int_equal(mxp_dns_tcp_take(k ? rx : NULL, k, 512, &msg, &n, &used).code,
                         MXP_E_WOULD_BLOCK);
        assert_null(msg);
        assert_int_equal(used, 0);
    }
    assert_true(mxp_ok(mxp_dns_tcp_take(rx, r.n + 4, 512, &msg, &n, &used)));
    assert_ptr_equal(msg, rx + 2);
    assert_int_equal(n, r.n);
    assert_int_equal(used, r.n + 2);
    assert_true(mxp_ok(mxp_dns_parse_response(msg, n, ID, "example.com", MXP_DNS_MX, &ans)));
    assert_int_equal(ans.n, 3);
    /* exactly max_msg, one over */
    assert_true(mxp_ok(mxp_dns_tcp_take(rx, r.n + 2, r.n, &msg, &n, &used)));
    mxp_err e = mxp_dns_tcp_take(rx, r.n + 2, r.n - 1, &msg, &n, &used);
    assert_int_equal(e.code, MXP_E_DNS_FAIL);
    assert_int_equal(e.detail, MXP_DNS_BAD_FRAME);
    /* decided from the prefix alone */
    e = mxp_dns_tcp_take(rx, 2, r.n - 1, &msg, &n, &used);
    assert_int_equal(e.detail, MXP_DNS_BAD_FRAME);
    /* length 0 and below a header */
    e = mxp_dns_tcp_take((const uint8_t *)"\x00\x00", 2, 512, &msg, &n, &used);
    assert_int_equal(e.detail, MXP_DNS_BAD_FRAME);
    e = mxp_dns_tcp_take((const uint8_t *)"\x00\x0b"
                                          "0123456789a",
                         13, 512, &msg, &n, &used);
    assert_int_equal(e.detail, MXP_DNS_BAD_FRAME);
    e = mxp_dns_tcp_take((const uint8_t *)"\xff\xff", 2, 65535, &msg, &n, &used);
    assert_int_equal(e.code, MXP_E_WOULD_BLOCK);
    assert_int_equal(mxp_dns_tcp_take(rx, 10, 512, NULL, &n, &used).code, MXP_E_USAGE);
}

static void test_ptr_name(void **state)
{
    (void)state;
    char buf[MXP_DNS_PTR_NAME_MAX];
    struct mxp_addr a = {MXP_AF_INET, {192, 0, 2, 25}};
    assert_true(mxp_ok(mxp_dns_ptr_name(&a, buf, sizeof buf)));
    assert_string_equal(buf, "25.2.0.192.in-addr.arpa");
    struct mxp_addr z = {MXP_AF_INET, {0, 10, 100, 255}};
    assert_true(mxp_ok(mxp_dns_ptr_name(&z, buf, sizeof buf)));
    assert_string_equal(buf, "255.100.10.0.in-addr.arpa");
    assert_true(mxp_ok(mxp_dns_ptr_name(&z, buf, 26)));
    assert_int_equal(mxp_dns_ptr_name(&z, buf, 25).code, MXP_E_CAPACITY);

    struct mxp_addr six = {MXP_AF_INET6,
                           {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xab, 0x25}};
    assert_true(mxp_ok(mxp_dns_ptr_name(&six, buf, sizeof buf)));
    assert_string_equal(buf,
                        "5.2.b.a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
    assert_int_equal(strlen(buf), MXP_DNS_PTR_NAME_MAX - 1);
    assert_int_equal(mxp_dns_ptr_name(&six, buf, sizeof buf - 1).code, MXP_E_CAPACITY);

    /* the names it makes are names the query builder takes */
    uint8_t q[MXP_DNS_QUERY_MAX];
    size_t len;
    assert_true(mxp_ok(mxp_dns_build_query(q, sizeof q, &len, 1, buf, MXP_DNS_PTR, true)));

    struct mxp_addr bad = {0, {0}};
    assert_int_equal(mxp_dns_ptr_name(&bad, buf, sizeof buf).code, MXP_E_USAGE);
    assert_int_equal(mxp_dns_ptr_name(NULL, buf, sizeof buf).code, MXP_E_USAGE);
    assert_int_equal(mxp_dns_ptr_name(&a, NULL, 0).code, MXP_E_USAGE);
}

static void test_name_eq_and_details(void **state)
{
    (void)state;
    assert_true(mxp_dns_name_eq("Mx1.Example.COM", "mx1.example.com."));
    assert_true(mxp_dns_name_eq("", "."));
    assert_true(mxp_dns_name_eq("a.", "A"));
    assert_false(mxp_dns_name_eq("a..", "a"));
    assert_false(mxp_dns_name_eq("mx1.example.com", "mx1.example.co"));
    assert_false(mxp_dns_name_eq("a", NULL));
    assert_false(mxp_dns_name_eq(NULL, NULL));
    /* every detail has its own name */
    for (int d = MXP_DNS_BAD_SHORT; d <= MXP_DNS_BAD_FRAME; d++) {
        assert_string_not_equal(mxp_dns_detail_name(d), "unknown");
        for (int o = MXP_DNS_BAD_SHORT; o < d; o++)
            assert_string_not_equal(mxp_dns_detail_name(d), mxp_dns_detail_name(o));
    }
    assert_string_equal(mxp_dns_detail_name(MXP_DNS_REFUSED), "refused");
    assert_string_equal(mxp_dns_detail_name(9), "rcode");
    assert_string_equal(mxp_dns_detail_name(0), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_table),
        cmocka_unit_test(test_mx),
        cmocka_unit_test(test_a_aaaa),
        cmocka_unit_test(test_ptr),
        cmocka_unit_test(test_txt),
        cmocka_unit_test(test_cname_chain),
        cmocka_unit_test(test_cname_limit),
        cmocka_unit_test(test_rcodes),
        cmocka_unit_test(test_truncated_bit),
        cmocka_unit_test(test_capacity),
        cmocka_unit_test(test_header_checks),
        cmocka_unit_test(test_usage),
        cmocka_unit_test(test_pointer_loops),
        cmocka_unit_test(test_pointer_hops),
        cmocka_unit_test(test_pointer_range),
        cmocka_unit_test(test_label_types),
        cmocka_unit_test(test_name_length),
        cmocka_unit_test(test_name_chars),
        cmocka_unit_test(test_rdlength_and_counts),
        cmocka_unit_test(test_truncation_sweep),
        cmocka_unit_test(test_mutation_sweep),
        cmocka_unit_test(test_build_query),
        cmocka_unit_test(test_build_query_names),
        cmocka_unit_test(test_tcp_framing),
        cmocka_unit_test(test_ptr_name),
        cmocka_unit_test(test_name_eq_and_details),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
