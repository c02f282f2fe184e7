/*
 * Path diagnostics against the fake HAL (tests/fakes/fake_net.c, full API):
 * the DNS stub resolver (spoofed and stray answers ignored, TCP after
 * truncation, server failures), the MX lookup (preference order, null MX,
 * implicit MX, NXDOMAIN), reachability and connect RTT with the port-25
 * block finding, the path-MTU search (frag-needed, black hole, silence),
 * reverse DNS with forward confirmation, and the MSS-clamp retry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mxp_dns.h"
#include "mxp_fakes.h"
#include "mxp_mx.h"
#include "mxp_probe.h"
#include "mxp_resolver.h"
#include "mxp_verdict.h"
#include "mxp_wolfssl_port.h"

static mxp_err sink_write(void *ctx, const char *buf, size_t len)
{
    (void)ctx;
    (void)buf;
    (void)len;
    return MXP_SUCCESS;
}
static const struct mxp_hal_sink_api sink_api = {.write = sink_write};

/* ---- a tiny authoritative server for the fake's port 53 ---------------------- */

enum zone_mode {
    ZONE_HONEST = 0,
    ZONE_SPOOF_FIRST,    /* the first answer comes from another address */
    ZONE_WRONG_ID_FIRST, /* the first answer carries another ID */
    ZONE_TRUNCATE_UDP,   /* UDP answers have TC set and no records */
    ZONE_SERVFAIL,
    ZONE_SILENT, /* never answers */
};

struct zone {
    enum zone_mode mode;
    unsigned udp_answers;
    unsigned tcp_answers;
};

static size_t put_name(uint8_t *p, const char *name)
{
    size_t n = 0;
    while (*name) {
        const char *dot = strchr(name, '.');
        size_t len = dot ? (size_t)(dot - name) : strlen(name);
        p[n++] = (uint8_t)len;
        memcpy(p + n, name, len);
        n += len;
        name += len + (dot ? 1 : 0);
    }
    p[n++] = 0;
    return n;
}

/* Append one record owned by the question name (pointer to offset 12). */
static size_t put_rr(uint8_t *p, uint16_t type, const uint8_t *rdata, size_t rdlen)
{
    size_t n = 0;
    p[n++] = 0xc0;
    p[n++] = 12;
    p[n++] = (uint8_t)(type >> 8);
    p[n++] = (uint8_t)type;
    p[n++] = 0;
    p[n++] = 1;
    memset(p + n, 0, 3);
    p[n + 3] = 60;
    n += 4;
    p[n++] = (uint8_t)(rdlen >> 8);
    p[n++] = (uint8_t)rdlen;
    memcpy(p + n, rdata, rdlen);
    return n + rdlen;
}

/* The zone: example.test MX 20 mx2, MX 10 mx (wire order reversed on
 * purpose); mx -> 192.0.2.25, mx2 -> nothing; null.test MX 0 .; bare.test
 * has an A record and no MX; PTR 25.2.0.192 -> mx.example.test, PTR of
 * 192.0.2.26 -> liar.example.test (which has no address). */
static size_t zone_answer(void *arg, bool tcp, const uint8_t *q, size_t len, uint8_t *out,
                          size_t cap, struct mxp_addr *from, uint16_t *from_port)
{
    struct zone *z = arg;
    char name[256];
    size_t pos = 12, n = 0;
    (void)from_port;
    assert_true(len > 12 && cap >= 512);
    /* question name as text */
    while (q[pos] != 0) {
        size_t l = q[pos++];
        if (n > 0)
            name[n++] = '.';
        memcpy(name + n, q + pos, l);
        n += l;
        pos += l;
    }
    name[n] = '\0';
    pos++;
    uint16_t qtype = (uint16_t)(q[pos] << 8 | q[pos + 1]);
    pos += 4;
    if (z->mode == ZONE_SILENT)
        return 0;
    memcpy(out, q, pos);           /* header and question */
    out[2] = 0x84 | (q[2] & 0x01); /* QR, AA, RD copied */
    out[3] = 0x80;                 /* RA, NOERROR */
    memset(out + 6, 0, 6);
    size_t o = pos;
    uint16_t an = 0;
    uint8_t rd[300];
    unsigned *count = tcp ? &z->tcp_answers : &z->udp_answers;
    (*count)++;
    if (z->mode == ZONE_SPOOF_FIRST && !tcp && z->udp_answers == 1)
        from->bytes[3] ^= 1;
    if (z->mode == ZONE_WRONG_ID_FIRST && !tcp && z->udp_answers == 1)
        out[1] ^= 0x5a;
    if (z->mode == ZONE_SERVFAIL) {
        out[3] = 0x82;
        return o;
    }
    if (z->mode == ZONE_TRUNCATE_UDP && !tcp) {
        out[2] |= 0x02;
        return o;
    }
    if (strcmp(name, "example.test") == 0 && qtype == MXP_DNS_MX) {
        rd[0] = 0;
        rd[1] = 20;
        o += put_rr(out + o, MXP_DNS_MX, rd, 2 + put_name(rd + 2, "mx2.example.test"));
        rd[1] = 10;
        o += put_rr(out + o, MXP_DNS_MX, rd, 2 + put_name(rd + 2, "mx.example.test"));
        an = 2;
    } else if (strcmp(name, "null.test") == 0 && qtype == MXP_DNS_MX) {
        rd[0] = rd[1] = 0;
        rd[2] = 0;
        o += put_rr(out + o, MXP_DNS_MX, rd, 3);
        an = 1;
    } else if ((strcmp(name, "mx.example.test") == 0 || strcmp(name, "bare.test") == 0) &&
               qtype == MXP_DNS_A) {
        static const uint8_t a[4] = {192, 0, 2, 25};
        o += put_rr(out + o, MXP_DNS_A, a, 4);
        an = 1;
    } else if (strcmp(name, "25.2.0.192.in-addr.arpa") == 0 && qtype == MXP_DNS_PTR) {
        o += put_rr(out + o, MXP_DNS_PTR, rd, put_name(rd, "mx.example.test"));
        an = 1;
    } else if (strcmp(name, "26.2.0.192.in-addr.arpa") == 0 && qtype == MXP_DNS_PTR) {
        o += put_rr(out + o, MXP_DNS_PTR, rd, put_name(rd, "liar.example.test"));
        an = 1;
    } else if (strstr(name, "example.test") == NULL && strcmp(name, "bare.test") != 0 &&
               strcmp(name, "null.test") != 0 && strstr(name, "in-addr.arpa") == NULL) {
        out[3] = 0x83; /* NXDOMAIN */
    } else if (strstr(name, "in-addr.arpa") != NULL) {
        out[3] = 0x83;
    }
    out[7] = (uint8_t)an;
    return o;
}

/* ---- bench ---------------------------------------------------------------- */

struct bench {
    struct mxp_fake_clock clock;
    struct mxp_fake_entropy entropy;
    struct mxp_fake_net net;
    struct zone zone;
    struct mxp_hal hal;
    struct mxp_plan plan;
    struct mxp_result result;
    struct mxp_engine *engine;
};

#define SEND(s)                                                                                    \
    {                                                                                              \
        MXP_FAKE_SEND, (s), 0                                                                      \
    }
#define EXPECT(s)                                                                                  \
    {                                                                                              \
        MXP_FAKE_EXPECT, (s), 0                                                                    \
    }

static const struct mxp_fake_step smtp_ok[] = {
    SEND("220 mx.example.test ESMTP\r\n"),
    EXPECT("EHLO"),
    SEND("250-mx.example.test\r\n250 STARTTLS\r\n"),
    EXPECT("STARTTLS"),
    SEND("220 2.0.0 Ready\r\n"),
    EXPECT(NULL),
    {MXP_FAKE_STALL, NULL, 0},
};
#define N_SMTP_OK (sizeof smtp_ok / sizeof smtp_ok[0])

static struct bench *bench_new(void)
{
    struct bench *b = calloc(1, sizeof *b);
    assert_non_null(b);
    mxp_fake_clock_init(&b->clock, 1000);
    mxp_fake_entropy_init(&b->entropy, 7);
    mxp_fake_net_init(&b->net, smtp_ok, N_SMTP_OK, &b->clock);
    b->net.dns = zone_answer;
    b->net.dns_arg = &b->zone;
    b->net.dns_server.family = MXP_AF_INET;
    memcpy(b->net.dns_server.bytes, (const uint8_t[]){192, 0, 2, 53}, 4);
    mxp_fake_hal_wire(&b->hal, &b->clock, &b->entropy, &b->net, &mxp_fake_net_api_full, &sink_api,
                      NULL);
    mxp_wolfssl_port_init(&b->hal);
    mxp_plan_defaults(&b->plan);
    strcpy(b->plan.host, "mx.example.test");
    strcpy(b->plan.sni, "mx.example.test");
    b->plan.ports[0] = 25;
    b->plan.n_ports = 1;
    b->plan.versions = 1u << MXP_TLS12;
    b->plan.timeout_ms = 2000;
    b->plan.mtu = false;
    b->plan.rdns = false;
    b->engine = malloc(mxp_engine_size());
    assert_non_null(b->engine);
    return b;
}

static void bench_free(struct bench *b)
{
    free(b->engine);
    free(b);
}

static void run(struct bench *b)
{
    mxp_err e = mxp_probe_run(&b->hal, &b->plan, b->engine, &b->result);
    assert_int_equal(e.code, MXP_OK);
    assert_int_equal(b->net.open_now, 0);
    assert_int_equal(b->net.bad_closes, 0); /* nothing closed that was not open */
}

static bool has_finding(const struct mxp_result *r, enum mxp_finding_id id)
{
    struct mxp_finding f[MXP_FINDINGS_MAX];
    size_t n = mxp_verdict_derive(r, f, MXP_FINDINGS_MAX);
    for (size_t i = 0; i < n; i++)
        if (f[i].id == id)
            return true;
    return false;
}

/* ---- resolver ---------------------------------------------------------------- */

static mxp_err query(struct bench *b, const char *name, uint16_t type, struct mxp_dns_answer *a)
{
    struct mxp_resolver *r = calloc(1, sizeof *r);
    assert_non_null(r);
    assert_true(mxp_ok(mxp_resolver_init(r, &b->hal, NULL, 0, 3000)));
    mxp_err e = mxp_resolver_query(r, name, type, a);
    assert_int_equal(b->net.open_now, 0);
    free(r);
    return e;
}

static void test_resolver_answers_and_errors(void **state)
{
    (void)state;
    struct bench *b = bench_new();
    struct mxp_dns_answer *a = calloc(1, sizeof *a);
    assert_true(mxp_ok(query(b, "mx.example.test", MXP_DNS_A, a)));
    assert_int_equal(a->n, 1);
    assert_int_equal(a->rr[0].addr.bytes[3], 25);
    assert_int_equal(query(b, "nowhere.invalid", MXP_DNS_A, a).code, MXP_E_DNS_NXDOMAIN);
    assert_int_equal(query(b, "mx.example.test", MXP_DNS_AAAA, a).code, MXP_E_DNS_NODATA);
    b->zone.mode = ZONE_SERVFAIL;
    mxp_err e = query(b, "mx.example.test", MXP_DNS_A, a);
    assert_int_equal(e.code, MXP_E_DNS_FAIL);
    assert_int_equal(e.detail, MXP_DNS_SERVFAIL);
    /* Silence: every try waits, then the query gives up within its budget. */
    b->zone.mode = ZONE_SILENT;
    uint32_t t0 = b->clock.now_ms;
    e = query(b, "mx.example.test", MXP_DNS_A, a);
    assert_int_equal(e.code, MXP_E_TIMEOUT);
    assert_true(b->clock.now_ms - t0 <= 3000);
    assert_true(b->clock.now_ms - t0 >= MXP_CFG_DNS_TRY_MS);
    free(a);
    bench_free(b);
}

static void test_resolver_ignores_spoofed_and_stray_answers(void **state)
{
    (void)state;
    struct bench *b = bench_new();
    struct mxp_dns_answer *a = calloc(1, sizeof *a);
    /* The forged datagram (another source address) is dropped; the real
     * server's answer to the retry is taken. */
    b->zone.mode = ZONE_SPOOF_FIRST;
    assert_true(mxp_ok(query(b, "mx.example.test", MXP_DNS_A, a)));
    assert_int_equal(b->net.udp_sent, 2);
    /* An answer with another ID is not ours either. */
    b->zone.mode = ZONE_WRONG_ID_FIRST;
    b->zone.udp_answers = 0;
    b->net.udp_sent = 0;
    assert_true(mxp_ok(query(b, "mx.example.test", MXP_DNS_A, a)));
    assert_int_equal(b->net.udp_sent, 2);
    free(a);
    bench_free(b);
}

static void test_resolver_retries_over_tcp_when_truncated(void **state)
{
    (void)state;
    struct bench *b = bench_new();
    struct mxp_dns_answer *a = calloc(1, sizeof *a);
    b->zone.mode = ZONE_TRUNCATE_UDP;
    assert_true(mxp_ok(query(b, "example.test", MXP_DNS_MX, a)));
    assert_int_equal(a->n, 2);
    assert_int_equal(b->zone.tcp_answers, 1);
    assert_int_equal(b->net.dns_tcp_connects, 1);
    free(a);
    bench_free(b);
}

static void test_resolver_needs_udp_and_servers(void **state)
{
    (void)state;
    struct bench *b = bench_new();
    struct mxp_resolver *r = calloc(1, sizeof *r);
    b->net.dns_server.family = 0;
    assert_int_equal(mxp_resolver_init(r, &b->hal, NULL, 0, 3000).code, MXP_E_UNSUPPORTED);
    b->hal.net = &mxp_fake_net_api; /* no UDP at all */
    struct mxp_addr server = {.family = MXP_AF_INET, .bytes = {192, 0, 2, 53}};
    assert_int_equal(mxp_resolver_init(r, &b->hal, &server, 0, 3000).code, MXP_E_UNSUPPORTED);
    free(r);
    bench_free(b);
}

/* ---- MX lookup ------------------------------------------------------------------ */

static void test_mx_lookup_orders_by_preference(void **state)
{
    (void)state;
    struct bench *b = bench_new();
    struct mxp_mx_set *mx = calloc(1, sizeof *mx);
    assert_true(mxp_ok(mxp_mx_lookup(&b->hal, &b->plan, b->engine, "example.test", mx)));
    assert_int_equal(mx->status, MXP_MX_FOUND);
    assert_int_equal(mx->n, 2);
    assert_string_equal(mx->mx[0].name, "mx.example.test");
    assert_int_equal(mx->mx[0].pref, 10);
    assert_int_equal(mx->mx[0].n_addr, 1);
    assert_string_equal(mx->mx[1].name, "mx2.example.test");
    assert_int_equal(mx->mx[1].n_addr, 0);
    assert_int_equal(mx->mx[1].err.code, MXP_E_DNS_NODATA);
    assert_int_equal(mxp_mx_exit_status(mx), 0); /* one good exchanger is enough */

    assert_true(mxp_ok(mxp_mx_lookup(&b->hal, &b->plan, b->engine, "null.test", mx)));
    assert_int_equal(mx->status, MXP_MX_NULL);
    assert_int_equal(mxp_mx_exit_status(mx), 1);
    assert_true(mxp_ok(mxp_mx_lookup(&b->hal, &b->plan, b->engine, "bare.test", mx)));
    assert_int_equal(mx->status, MXP_MX_IMPLICIT);
    assert_int_equal(mx->n, 1);
    assert_string_equal(mx->mx[0].name, "bare.test");
    assert_int_equal(mx->mx[0].n_addr, 1);
    assert_true(mxp_ok(mxp_mx_lookup(&b->hal, &b->plan, b->engine, "gone.invalid", mx)));
    assert_int_equal(mx->status, MXP_MX_NXDOMAIN);
    assert_int_equal(mxp_mx_exit_status(mx), 1);
    b->zone.mode = ZONE_SERVFAIL;
    assert_true(mxp_ok(mxp_mx_lookup(&b->hal, &b->plan, b->engine, "example.test", mx)));
    assert_int_equal(mx->status, MXP_MX_FAILED);
    free(mx);
    bench_free(b);
}

/* ---- reachability and RTT -------------------------------------------------------- */

static const struct mxp_fake_step silent[] = {{MXP_FAKE_NO_ANSWER, NULL, 0}};
static const struct mxp_fake_port_script port25_dropped[] = {{25, silent, 1}};

static void test_connect_samples_give_rtt_and_reach(void **state)
{
    (void)state;
    struct bench *b = bench_new();
    b->plan.rtt_samples = 5;
    b->plan.mss_retry = false;
    run(b);
    const struct mxp_reach_result *rr = &b->result.reach[0];
    assert_int_equal(b->result.n_reach, 1);
    assert_int_equal(rr->port, 25);
    assert_int_equal(rr->reach, MXP_REACH_OPEN);
    assert_int_equal(rr->samples, 5);
    assert_int_equal(rr->ok, 5);
    assert_true(rr->min_ms <= rr->median_ms && rr->median_ms <= rr->max_ms);
    /* 5 samples plus the TLS 1.2 attempt. */
    assert_int_equal(b->net.connects, 6);
    assert_int_equal(b->result.connections, 6);
    bench_free(b);
}

static void test_port25_block_is_told_apart_from_a_dead_host(void **state)
{
    (void)state;
    struct bench *b = bench_new();
    b->net.port_scripts = port25_dropped;
    b->net.n_port_scripts = 1;
    b->plan.rtt_samples = 3;
    run(b);
    const struct mxp_result *r = &b->result;
    /* One timeout is enough to call 25 filtered; 587 and 465 are asked once. */
    assert_int_equal(r->n_reach, 3);
    assert_int_equal(r->reach[0].reach, MXP_REACH_FILTERED);
    assert_int_equal(r->reach[0].samples, 1);
    assert_int_equal(r->reach[1].port, 587);
    assert_true(r->reach[1].witness);
    assert_int_equal(r->reach[1].reach, MXP_REACH_OPEN);
    /* The TLS matrix does not knock on the filtered port again. */
    assert_int_equal(r->ports[0].connections, 0);
    assert_int_equal(r->ports[0].stop.err.code, MXP_E_TIMEOUT);
    assert_true(has_finding(r, MXP_FIND_PORT25_BLOCKED));
    assert_false(has_finding(r, MXP_FIND_PORT_TIMEOUT));

    /* Everything silent: a dead host or a full block, not a port-25 block. */
    static const struct mxp_fake_port_script all_dropped[] = {
        {25, silent, 1}, {465, silent, 1}, {587, silent, 1}};
    b->net.port_scripts = all_dropped;
    b->net.n_port_scripts = 3;
    run(b);
    assert_false(has_finding(&b->result, MXP_FIND_PORT25_BLOCKED));
    assert_true(has_finding(&b->result, MXP_FIND_PORT_TIMEOUT));
    bench_free(b);
}

/* ---- path MTU -------------------------------------------------------------------- */

/* Only the MTU search: a 1500-byte interface, a 1280-byte hop. */
static struct bench *mtu_bench(bool frag_needed)
{
    struct bench *b = bench_new();
    b->plan.rtt_samples = 0;
    b->plan.mtu = true;
    b->net.mtu_iface = 1500;
    b->net.mtu_path = 1280;
    b->net.mtu_frag_needed = frag_needed;
    return b;
}

static void test_path_mtu_follows_frag_needed(void **state)
{
    (void)state;
    struct bench *b = mtu_bench(true);
    run(b);
    const struct mxp_mtu_result *m = &b->result.mtu;
    assert_int_equal(m->status, MXP_MTU_MEASURED);
    assert_int_equal(m->path_mtu, 1280);
    assert_int_equal(m->iface_mtu, 1500);
    assert_true(m->frag_needed);
    assert_int_equal(m->reported_mtu, 1280);
    assert_int_equal(m->silent_above, 0);
    assert_int_equal(m->probes, 3); /* 576, 1500 (too big: 1280), 1280 */
    assert_string_equal(m->method, "fake");
    assert_true(has_finding(&b->result, MXP_FIND_PATH_MTU_LOW));
    assert_false(has_finding(&b->result, MXP_FIND_ICMP_SILENT));
    bench_free(b);
}

static void test_path_mtu_black_hole_is_found_by_silence(void **state)
{
    (void)state;
    struct bench *b = mtu_bench(false);
    run(b);
    const struct mxp_mtu_result *m = &b->result.mtu;
    assert_int_equal(m->status, MXP_MTU_MEASURED);
    assert_int_equal(m->path_mtu, 1280);
    assert_false(m->frag_needed);
    assert_int_equal(m->silent_above, 1281);
    assert_true(has_finding(&b->result, MXP_FIND_ICMP_SILENT));
    bench_free(b);
}

static void test_path_mtu_not_measured_is_said(void **state)
{
    (void)state;
    struct bench *b = mtu_bench(false);
    b->net.mtu_iface = 0; /* the platform cannot probe */
    run(b);
    assert_int_equal(b->result.mtu.status, MXP_MTU_NOT_MEASURED);
    assert_int_equal(b->result.mtu.err.code, MXP_E_UNSUPPORTED);
    b->net.mtu_iface = 1500;
    b->net.mtu_no_replies = true;
    run(b);
    assert_int_equal(b->result.mtu.status, MXP_MTU_NO_REPLY);
    assert_int_equal(b->result.mtu.probes, 2); /* the floor, asked twice */
    b->hal.net = &mxp_fake_net_api;
    run(b);
    assert_int_equal(b->result.mtu.status, MXP_MTU_NOT_MEASURED);
    bench_free(b);
}

/* ---- reverse DNS ------------------------------------------------------------------ */

static void test_reverse_dns_and_forward_confirmation(void **state)
{
    (void)state;
    struct bench *b = bench_new();
    b->plan.rtt_samples = 0;
    b->plan.rdns = true;
    b->plan.have_addr = true;
    b->plan.addr = (struct mxp_addr){.family = MXP_AF_INET, .bytes = {192, 0, 2, 25}};
    run(b);
    assert_int_equal(b->result.rdns.status, MXP_RDNS_FOUND);
    assert_string_equal(b->result.rdns.ptr, "mx.example.test");
    assert_int_equal(b->result.rdns.fcrdns, MXP_YES);
    assert_false(has_finding(&b->result, MXP_FIND_FCRDNS_FAILED));
    assert_false(has_finding(&b->result, MXP_FIND_BANNER_NAME_MISMATCH));

    b->plan.addr.bytes[3] = 26; /* PTR names a host without addresses */
    run(b);
    assert_int_equal(b->result.rdns.status, MXP_RDNS_FOUND);
    assert_int_equal(b->result.rdns.fcrdns, MXP_NO);
    assert_true(has_finding(&b->result, MXP_FIND_FCRDNS_FAILED));
    assert_true(has_finding(&b->result, MXP_FIND_BANNER_NAME_MISMATCH));

    b->plan.addr.bytes[3] = 27; /* no PTR at all */
    run(b);
    assert_int_equal(b->result.rdns.status, MXP_RDNS_NONE);
    assert_int_equal(b->result.rdns.err.code, MXP_E_DNS_NXDOMAIN);
    assert_true(has_finding(&b->result, MXP_FIND_PTR_MISSING));

    /* Loopback is never asked about (RFC 6761). */
    b->plan.addr.bytes[0] = 127;
    unsigned sent = b->net.udp_sent;
    run(b);
    assert_int_equal(b->result.rdns.status, MXP_RDNS_NOT_CHECKED);
    assert_int_equal(b->net.udp_sent, sent);
    bench_free(b);
}

/* The resolver works in the storage the attempts use later: a name the
 * --dns server does not know must leave none of its bytes behind as
 * "attempts" for the end of the run to close. */
static void test_unknown_name_through_the_dns_server_ends_clean(void **state)
{
    (void)state;
    struct bench *b = bench_new();
    b->plan.have_dns = true;
    b->plan.dns_server = b->net.dns_server;
    strcpy(b->plan.host, "gone.invalid");
    run(b);
    assert_false(b->result.resolved);
    assert_int_equal(b->result.resolve_err.code, MXP_E_DNS_NXDOMAIN);
    assert_int_equal(b->result.ports[0].stop.err.code, MXP_E_DNS_NXDOMAIN);
    assert_int_equal(b->net.connects, 0);
    assert_int_equal(b->result.connections, 0);
    bench_free(b);
}

/* ---- MSS clamp retry --------------------------------------------------------------- */

static void test_stalled_handshake_is_retried_with_clamped_mss(void **state)
{
    (void)state;
    struct bench *b = bench_new();
    b->plan.rtt_samples = 0;
    b->net.clamped_script = smtp_ok; /* stalls as well: the clamp does not help */
    b->net.n_clamped_steps = N_SMTP_OK;
    run(b);
    const struct mxp_result *r = &b->result;
    assert_int_equal(r->mss_clamp, MXP_CFG_CLAMP_MSS);
    assert_int_equal(r->mss_clamp_helped, MXP_NO);
    assert_int_equal(b->net.clamped_connects, 1);
    assert_int_equal(b->net.connects, 2);
    assert_int_equal(r->ports[0].versions[MXP_TLS12].status, MXP_VERSION_REJECTED);
    assert_int_equal(r->ports[0].versions[MXP_TLS12].fail.err.code, MXP_E_TIMEOUT);
    assert_false(has_finding(r, MXP_FIND_PMTU_BLACKHOLE));
    assert_true(has_finding(r, MXP_FIND_DROPPED_IN_HANDSHAKE));

    /* Switched off: one attempt, no clamp. */
    b->plan.mss_retry = false;
    b->net.connects = 0;
    run(b);
    assert_int_equal(b->result.mss_clamp, 0);
    assert_int_equal(b->net.connects, 1);
    bench_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolver_answers_and_errors),
        cmocka_unit_test(test_resolver_ignores_spoofed_and_stray_answers),
        cmocka_unit_test(test_resolver_retries_over_tcp_when_truncated),
        cmocka_unit_test(test_resolver_needs_udp_and_servers),
        cmocka_unit_test(test_mx_lookup_orders_by_preference),
        cmocka_unit_test(test_connect_samples_give_rtt_and_reach),
        cmocka_unit_test(test_port25_block_is_told_apart_from_a_dead_host),
        cmocka_unit_test(test_path_mtu_follows_frag_needed),
        cmocka_unit_test(test_path_mtu_black_hole_is_found_by_silence),
        cmocka_unit_test(test_path_mtu_not_measured_is_said),
        cmocka_unit_test(test_reverse_dns_and_forward_confirmation),
        cmocka_unit_test(test_unknown_name_through_the_dns_server_ends_clean),
        cmocka_unit_test(test_stalled_handshake_is_retried_with_clamped_mss),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
