/*
 * libFuzzer target for the DNS codec. The input is parsed as a response
 *  - against a fixed query (id 0xbeef, example.com MX), which mostly tests the
 *    header and question checks, and
 *  - against queries whose id is the input's own, for the names and types the
 *    seeds ask about, so mutations reach the records and name decompression;
 * then as a TCP stream, and as a name for the query builder. Besides "no
 * crash", it checks the contracts: only DNS-class errors, a well-formed answer
 * on success, the same result twice, and our own query parses as NODATA.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mxp_dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct expect {
    const char *name;
    uint16_t qtype;
};

/* The questions of the seeds in tests/fuzz/corpus/dns/. */
static const struct expect expects[] = {
    {"example.com", MXP_DNS_MX},
    {"example.com", MXP_DNS_AAAA},
    {"mx1.example.com", MXP_DNS_A},
    {"mx2.example.com", MXP_DNS_AAAA},
    {"25.2.0.192.in-addr.arpa", MXP_DNS_PTR},
    {"www.example.com", MXP_DNS_A},
    {"www.example.com", MXP_DNS_CNAME},
    {"nope.example.com", MXP_DNS_MX},
    {"_mta-sts.example.com", MXP_DNS_TXT},
};

/* What the parser may put in a name: labels of visible ASCII but '.' and '\\'. */
static void check_name(const char *s, size_t cap)
{
    const char *end = memchr(s, 0, cap);
    if (end == NULL || (size_t)(end - s) > MXP_DNS_NAME_TEXT_MAX - 1)
        abort();
    size_t n = (size_t)(end - s), label = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '.') {
            if (label == 0 || i + 1 == n)
                abort();
            label = 0;
        } else {
            if (ch <= 0x20 || ch >= 0x7f || ch == '\\' || ++label > MXP_DNS_LABEL_MAX)
                abort();
        }
    }
}

static void check_answer(mxp_err e, const struct mxp_dns_answer *a, uint16_t qtype)
{
    if (mxp_err_class(e) != MXP_CLASS_DNS && !mxp_ok(e))
        abort();
    if (mxp_is(e, MXP_E_DNS_FAIL) && e.detail <= 0)
        abort();
    if (a->n > MXP_CFG_DNS_MAX_RR)
        abort();
    if (!mxp_ok(e)) {
        if (a->n != 0)
            abort();
        if (mxp_is(e, MXP_E_DNS_NXDOMAIN) || mxp_is(e, MXP_E_DNS_NODATA))
            check_name(a->canonical, sizeof a->canonical);
        return;
    }
    if (a->rcode != MXP_DNS_NOERROR || (a->n == 0 && !a->truncated) || (a->more && a->n == 0))
        abort();
    if (a->cnames > MXP_DNS_CNAME_MAX || (qtype == MXP_DNS_CNAME && a->cnames != 0))
        abort();
    check_name(a->canonical, sizeof a->canonical);
    for (unsigned i = 0; i < a->n; i++) {
        const struct mxp_dns_rr *r = &a->rr[i];
        if (r->type != qtype || r->ttl > 0x7fffffffu)
            abort();
        if (memchr(r->name, 0, sizeof r->name) == NULL)
            abort();
        switch (r->type) {
        case MXP_DNS_A:
            if (r->addr.family != MXP_AF_INET)
                abort();
            break;
        case MXP_DNS_AAAA:
            if (r->addr.family != MXP_AF_INET6)
                abort();
            break;
        case MXP_DNS_MX:
        case MXP_DNS_PTR:
        case MXP_DNS_CNAME:
        case MXP_DNS_NS:
            check_name(r->name, sizeof r->name);
            break;
        default:
            break;
        }
    }
}

static struct mxp_dns_answer first, second;

static void parse_checked(const uint8_t *data, size_t size, uint16_t id, const char *name,
                          uint16_t qtype)
{
    mxp_err e = mxp_dns_parse_response(data, size, id, name, qtype, &first);
    check_answer(e, &first, qtype);
    mxp_err again = mxp_dns_parse_response(data, size, id, name, qtype, &second);
    if (again.code != e.code || again.detail != e.detail || memcmp(&first, &second, sizeof first))
        abort();
}

/* The input as a name, over an alphabet where valid names are likely: mostly
 * LDH and dots, a few octets the builder must refuse. */
static void fuzz_builder(const uint8_t *data, size_t size)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz"
                                   "................0123456789--__XYZ* /\\\x80\x01";
    char name[300];
    uint8_t q[MXP_DNS_QUERY_MAX];
    size_t n = size < sizeof name - 1 ? size : sizeof name - 1, len = 0;
    for (size_t i = 0; i < n; i++)
        name[i] = alphabet[data[i] % (sizeof alphabet - 1)];
    name[n] = '\0';
    mxp_err e = mxp_dns_build_query(q, sizeof q, &len, 0x4242, name, MXP_DNS_MX, true);
    if (!mxp_ok(e)) {
        if (!mxp_is(e, MXP_E_USAGE) || len != 0)
            abort();
        return;
    }
    if (len < MXP_DNS_HEADER_LEN + 5 || len > sizeof q || !mxp_dns_name_eq(name, name))
        abort();
    /* our query with QR set is a well-formed empty answer to itself */
    q[2] |= 0x80;
    e = mxp_dns_parse_response(q, len, 0x4242, name, MXP_DNS_MX, &first);
    if (!mxp_is(e, MXP_E_DNS_NODATA))
        abort();
    check_name(first.canonical, sizeof first.canonical);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    parse_checked(data, size, 0xbeef, "example.com", MXP_DNS_MX);
    if (size >= 2) {
        uint16_t id = (uint16_t)((data[0] << 8) | data[1]);
        for (size_t i = 0; i < sizeof expects / sizeof expects[0]; i++)
            parse_checked(data, size, id, expects[i].name, expects[i].qtype);
    }

    const uint8_t *msg = NULL;
    size_t msg_len = 0, used = 0;
    mxp_err e = mxp_dns_tcp_take(data, size, MXP_DNS_UDP_MAX * 4, &msg, &msg_len, &used);
    if (mxp_ok(e)) {
        if (msg != data + 2 || used != msg_len + 2 || used > size || msg_len < 12)
            abort();
        uint16_t id = (uint16_t)((msg[0] << 8) | msg[1]);
        parse_checked(msg, msg_len, id, "example.com", MXP_DNS_MX);
    } else if (!mxp_is(e, MXP_E_WOULD_BLOCK) &&
               !(mxp_is(e, MXP_E_DNS_FAIL) && e.detail == MXP_DNS_BAD_FRAME)) {
        abort();
    }

    fuzz_builder(data, size);

    if (size >= 16) {
        struct mxp_addr a;
        char ptr[MXP_DNS_PTR_NAME_MAX];
        uint8_t q[MXP_DNS_QUERY_MAX];
        size_t len;
        a.family = data[0] & 1 ? MXP_AF_INET6 : MXP_AF_INET;
        memcpy(a.bytes, data, 16);
        if (!mxp_ok(mxp_dns_ptr_name(&a, ptr, sizeof ptr)) ||
            !mxp_ok(mxp_dns_build_query(q, sizeof q, &len, 1, ptr, MXP_DNS_PTR, true)))
            abort();
    }
    return 0;
}
