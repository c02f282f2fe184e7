/*
 * The orchestrator (mxp_run.h) over the fakes: a host probed in turns of
 * ports, resolved once; a mail domain's exchangers through a scripted DNS
 * zone; the report forms; no state from one run in the next. And the
 * summary (mxp_report.h) over hand-built results (tests/fakes/sample_results.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json_check.h"
#include "mxp_dns.h"
#include "mxp_fakes.h"
#include "mxp_run.h"
#include "mxp_verdict.h"
#include "mxp_wolfssl_port.h"
#include "sample_results.h"

/* ---- a DNS zone behind the fake's UDP port 53 ------------------------------------ */

struct zone {
    unsigned mx_queries, a_queries, ptr_queries;
};

static size_t zone_put_name(uint8_t *out, const char *name)
{
    size_t o = 0;
    while (*name) {
        size_t l = strcspn(name, ".");
        out[o++] = (uint8_t)l;
        memcpy(out + o, name, l);
        o += l;
        name += l;
        if (*name == '.')
            name++;
    }
    out[o++] = 0;
    return o;
}

static size_t zone_put_rr(uint8_t *out, uint16_t type, const uint8_t *rdata, size_t rdlen)
{
    const uint8_t head[] = {0xc0, 0x0c, (uint8_t)(type >> 8),  (uint8_t)type, 0, 1, 0, 0,
                            0,    60,   (uint8_t)(rdlen >> 8), (uint8_t)rdlen};
    memcpy(out, head, sizeof head);
    memcpy(out + sizeof head, rdata, rdlen);
    return sizeof head + rdlen;
}

/* MX example.test: 10 mx.example.test (192.0.2.25), 20 mx2.example.test
 * (192.0.2.26); every other name NXDOMAIN, other types of those NODATA. */
static size_t zone_answer(void *arg, bool tcp, const uint8_t *q, size_t len, uint8_t *out,
                          size_t cap, struct mxp_addr *from, uint16_t *from_port)
{
    struct zone *z = arg;
    char name[256];
    size_t pos = 12, n = 0;
    (void)tcp;
    (void)from;
    (void)from_port;
    assert_true(len > 12 && cap >= 512);
    while (q[pos] != 0 && n + q[pos] + 1 < sizeof name) {
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
    memcpy(out, q, pos);
    out[2] = 0x84 | (q[2] & 0x01);
    out[3] = 0x80;
    memset(out + 6, 0, 6);
    size_t o = pos;
    uint8_t rd[300];
    bool mx = strcmp(name, "mx.example.test") == 0, mx2 = strcmp(name, "mx2.example.test") == 0;
    z->mx_queries += qtype == MXP_DNS_MX;
    z->a_queries += qtype == MXP_DNS_A;
    z->ptr_queries += qtype == MXP_DNS_PTR;
    if (strcmp(name, "example.test") == 0 && qtype == MXP_DNS_MX) {
        rd[0] = 0;
        rd[1] = 10;
        o += zone_put_rr(out + o, MXP_DNS_MX, rd, 2 + zone_put_name(rd + 2, "mx.example.test"));
        rd[1] = 20;
        o += zone_put_rr(out + o, MXP_DNS_MX, rd, 2 + zone_put_name(rd + 2, "mx2.example.test"));
        out[7] = 2;
    } else if ((mx || mx2) && qtype == MXP_DNS_A) {
        const uint8_t a[4] = {192, 0, 2, mx ? 25 : 26};
        o += zone_put_rr(out + o, MXP_DNS_A, a, 4);
        out[7] = 1;
    } else if (!mx && !mx2 && strcmp(name, "example.test") != 0) {
        out[3] = 0x83; /* NXDOMAIN */
    }
    return o;
}

/* ---- the rig -------------------------------------------------------------------------- */

struct sink {
    bool interrupt; /* reported once, as the baremetal port does */
    bool interrupt_on_ehlo;
};

static mxp_err sink_write(void *ctx, const char *buf, size_t len)
{
    (void)ctx;
    (void)buf;
    (void)len;
    return MXP_SUCCESS;
}

static bool sink_interrupted(void *ctx)
{
    struct sink *s = ctx;
    bool hit = s->interrupt;
    s->interrupt = false;
    return hit;
}

static const struct mxp_hal_sink_api sink_api = {.write = sink_write,
                                                 .interrupted = sink_interrupted};

struct rig {
    struct mxp_fake_clock clock;
    struct mxp_fake_entropy entropy;
    struct mxp_fake_net net;
    struct zone zone;
    struct sink sink;
    struct mxp_hal hal;
    struct mxp_result result;
    struct mxp_runner runner;
    struct mxp_run req;
    struct mxp_summary sum;
    struct mxp_engine *engine;
    char hold[8192];
    char out[65536];
    struct mxp_writer w;
};

#define SEND(s)                                                                                    \
    {                                                                                              \
        MXP_FAKE_SEND, (s), 0                                                                      \
    }
#define EXPECT(s)                                                                                  \
    {                                                                                              \
        MXP_FAKE_EXPECT, (s), 0                                                                    \
    }
static const struct mxp_fake_step busy[] = {SEND("421 4.7.0 mx.example.test Too busy\r\n"),
                                            EXPECT("QUIT"),
                                            SEND("221 Bye\r\n"),
                                            {MXP_FAKE_CLOSE, NULL, 0}};
static const struct mxp_fake_step plain[] = {SEND("220 mx.example.test ESMTP\r\n"),
                                             EXPECT("EHLO"),
                                             SEND("250-mx.example.test\r\n250 SIZE 100\r\n"),
                                             EXPECT("QUIT"),
                                             SEND("221 Bye\r\n"),
                                             {MXP_FAKE_CLOSE, NULL, 0}};

static void on_expect(void *arg, const char *line)
{
    struct sink *s = arg;
    if (s->interrupt_on_ehlo && strncmp(line, "EHLO", 4) == 0) {
        s->interrupt = true;
        s->interrupt_on_ehlo = false;
    }
}

static struct rig *rig_new(const struct mxp_fake_step *script, size_t n, bool full)
{
    struct rig *r = calloc(1, sizeof *r);
    assert_non_null(r);
    mxp_fake_clock_init(&r->clock, 1000);
    mxp_fake_entropy_init(&r->entropy, 7);
    mxp_fake_net_init(&r->net, script, n, &r->clock);
    r->net.dns = zone_answer;
    r->net.dns_arg = &r->zone;
    r->net.dns_server.family = MXP_AF_INET;
    memcpy(r->net.dns_server.bytes, (const uint8_t[]){192, 0, 2, 53}, 4);
    r->net.on_expect = on_expect;
    r->net.on_expect_arg = &r->sink;
    mxp_fake_hal_wire(&r->hal, &r->clock, &r->entropy, &r->net,
                      full ? &mxp_fake_net_api_full : &mxp_fake_net_api, &sink_api, &r->sink);
    mxp_wolfssl_port_init(&r->hal);
    r->engine = malloc(mxp_engine_size());
    assert_non_null(r->engine);
    mxp_runner_init(&r->runner, &r->hal, r->engine, &r->result);
    mxp_plan_defaults(&r->req.plan);
    r->req.plan.rtt_samples = 0;
    r->req.plan.mtu = false;
    r->req.plan.rdns = false;
    r->req.plan.show_progress = false;
    r->req.plan.timeout_ms = 2000;
    r->req.sni_auto = true;
    return r;
}

static void rig_free(struct rig *r)
{
    free(r->engine);
    free(r);
}

static void rig_ports(struct rig *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        r->req.ports[i] = (uint16_t)(2500 + i);
    r->req.n_ports = (uint8_t)n;
}

/* Run the request into r->out; the run itself must work. */
static void rig_run(struct rig *r, const char *target, uint8_t mode, uint8_t form)
{
    strcpy(r->req.plan.host, target);
    r->req.mode = mode;
    r->req.form = form;
    mxp_writer_init(&r->w, r->out, sizeof r->out, NULL, NULL);
    mxp_err e = mxp_run_exec(&r->runner, &r->req, &r->w, &r->sum);
    assert_int_equal(e.code, MXP_OK);
    assert_int_equal(mxp_writer_finish(&r->w).code, MXP_OK);
    assert_int_equal(r->net.open_now, 0);
}

static unsigned count(const char *hay, const char *needle)
{
    unsigned n = 0;
    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle))
        n++;
    return n;
}

#define assert_has(r, s)                                                                           \
    do {                                                                                           \
        if (strstr((r)->out, (s)) == NULL)                                                         \
            fail_msg("missing '%s' in:\n%s", (s), (r)->out);                                       \
    } while (0)

static void assert_one_json_line(const struct rig *r)
{
    size_t len = strlen(r->out);
    const char *nl = strchr(r->out, '\n');
    assert_non_null(nl);
    assert_int_equal((size_t)(nl - r->out) + 1, len);
    size_t at = 0;
    if (!mxp_json_check(r->out, len, &at))
        fail_msg("invalid JSON at %zu: %s", at, r->out);
}

/* ---- a host in turns of ports ------------------------------------------------------------- */

/* More ports than a result holds: one report header, one turn after the
 * other, one summary row per port, one summary and one Done line. */
static void test_host_in_turns_is_one_report(void **state)
{
    (void)state;
    struct rig *r = rig_new(busy, 4, false);
    size_t n = MXP_CFG_MAX_PORTS + 2;
    rig_ports(r, n);
    rig_run(r, "mx.example.test", MXP_RUN_HOST, MXP_RUN_TEXT);
    assert_int_equal(r->sum.results, 2);
    assert_int_equal(r->sum.n_rows, n);
    assert_int_equal(r->net.connects, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(r->sum.rows[i].port, 2500 + i);
        assert_int_equal(r->sum.rows[i].host, MXP_SUMMARY_TARGET);
        assert_int_equal(r->sum.rows[i].reach, MXP_REACH_OPEN);
        assert_int_equal(r->sum.rows[i].best_tls, MXP_SUMMARY_NONE);
        assert_int_equal(r->sum.rows[i].worst, MXP_FIND_BUSY);
        assert_int_equal(r->sum.rows[i].severity, MXP_SEV_FAIL);
    }
    assert_int_equal(r->sum.exit_status, 1);
    assert_int_equal(count(r->out, "mxprobe report for "), 1);
    assert_int_equal(count(r->out, "Path MTU"), 1); /* the address's, from the first turn */
    assert_int_equal(count(r->out, "\nSummary\n"), 1);
    assert_int_equal(count(r->out, "\nDone: "), 1);
    assert_has(r, "\nDone: 2 probes, 6 connections in ");
    assert_has(r, "  FAIL  mx.example.test: 6 of 6 ports fail; worst: port 2500 smtp-busy\n");
    assert_has(r, "  host                  port   reach        TLS      worst finding\n");
    assert_has(r, "  mx.example.test       2505   open         none     FAIL  smtp-busy\n");
    assert_has(r, "Port 2505 (STARTTLS)");
    rig_free(r);
}

/* A name that does not resolve is asked once and reported once. */
static void test_unresolved_host_is_reported_once(void **state)
{
    (void)state;
    struct rig *r = rig_new(busy, 4, false);
    size_t n = MXP_CFG_MAX_PORTS + 2;
    r->net.resolve_fails = true;
    rig_ports(r, n);
    rig_run(r, "nx.example.test", MXP_RUN_HOST, MXP_RUN_TEXT);
    assert_int_equal(r->sum.results, 1);
    assert_int_equal(r->sum.n_rows, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(r->sum.rows[i].port, 2500 + i);
        assert_int_equal(r->sum.rows[i].reach, MXP_REACH_UNTESTED);
        assert_int_equal(r->sum.rows[i].worst, MXP_FIND_DNS_FAILED);
    }
    /* One report: the header and its finding say it, as for one port. */
    assert_int_equal(count(r->out, "mxprobe report for nx.example.test: did not resolve"), 1);
    assert_int_equal(count(r->out, "FAIL  nx.example.test did not resolve"), 1);
    assert_int_equal(count(r->out, "did not resolve"), 2);
    assert_has(r, "  FAIL  nx.example.test: 6 of 6 ports fail; worst: port 2500 dns-failed\n");
    assert_has(r, "  nx.example.test       2505   untested     none     FAIL  dns-failed\n");
    assert_int_equal(r->net.connects, 0);
    assert_int_equal(r->sum.exit_status, 1);
    rig_free(r);
}

/* JSON: one line, one document holding each turn's report and the summary;
 * the PTR of the address is asked in the first turn only. */
static void test_host_in_turns_json(void **state)
{
    (void)state;
    struct rig *r = rig_new(busy, 4, true);
    size_t n = MXP_CFG_MAX_PORTS + 1;
    rig_ports(r, n);
    r->req.plan.rdns = true;
    r->req.plan.have_dns = true; /* names through the zone, which counts the questions */
    r->req.plan.dns_server = r->net.dns_server;
    rig_run(r, "mx.example.test", MXP_RUN_HOST, MXP_RUN_JSON);
    assert_one_json_line(r);
    assert_true(strncmp(r->out,
                        "{\"schema\":\"mxprobe-host-report\",\"schema_version\":1,\"host\":"
                        "\"mx.example.test\",\"reports\":[{\"schema\":\"mxprobe-report\"",
                        110) == 0);
    assert_int_equal(count(r->out, "{\"schema\":\"mxprobe-report\""), 2);
    assert_has(r, "}],\"summary\":{\"verdict\":\"fail\",\"results\":2,");
    assert_has(r, "\"rows\":[{\"host\":\"mx.example.test\",\"port\":2500,\"reach\":\"open\","
                  "\"best_tls\":null,\"worst\":{\"id\":\"smtp-busy\",\"severity\":\"fail\"}},");
    assert_has(r, "]},\"exit_status\":1}\n");
    assert_int_equal(r->zone.ptr_queries, 1);
    assert_int_equal(r->zone.a_queries, 1); /* mx.example.test, once for both turns */
    rig_free(r);
}

/* One result: the classic report, no summary. */
static void test_one_result_is_the_plain_report(void **state)
{
    (void)state;
    struct rig *r = rig_new(busy, 4, false);
    rig_ports(r, 1);
    rig_run(r, "mx.example.test", MXP_RUN_HOST, MXP_RUN_TEXT);
    assert_int_equal(count(r->out, "Summary"), 0);
    assert_int_equal(count(r->out, "\nDone: 1 connection in "), 1);
    assert_int_equal(r->sum.n_rows, 1);
    rig_run(r, "mx.example.test", MXP_RUN_HOST, MXP_RUN_JSON);
    assert_one_json_line(r);
    assert_true(strncmp(r->out, "{\"schema\":\"mxprobe-report\"", 26) == 0);
    rig_run(r, "mx.example.test", MXP_RUN_HOST, MXP_RUN_QUIET);
    assert_true(strncmp(r->out, "FAIL  port 2500:", 16) == 0);
    rig_free(r);
}

/* ---- a mail domain -------------------------------------------------------------------------- */

static void test_domain_rows_per_exchanger_and_port(void **state)
{
    (void)state;
    struct rig *r = rig_new(busy, 4, true);
    rig_ports(r, 2);
    rig_run(r, "example.test", MXP_RUN_DOMAIN, MXP_RUN_TEXT);
    assert_int_equal(r->zone.mx_queries, 1);
    assert_int_equal(r->sum.results, 2);
    assert_int_equal(r->sum.n_rows, 4);
    static const uint8_t hosts[] = {0, 0, 1, 1};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(r->sum.rows[i].host, hosts[i]);
        assert_int_equal(r->sum.rows[i].port, 2500 + i % 2);
    }
    assert_true(r->sum.domain);
    assert_has(r, "MX records of example.test: found\n");
    assert_has(r, "mxprobe report for mx.example.test (192.0.2.25)\n  SNI mx.example.test,");
    assert_has(r, "mxprobe report for mx2.example.test (192.0.2.26)\n  SNI mx2.example.test,");
    assert_has(r, "  FAIL  example.test: 4 of 4 exchanger ports fail; worst: mx.example.test "
                  "port\n        2500 smtp-busy\n");
    assert_has(r, "  exchanger             port   reach        TLS      worst finding\n");
    assert_has(r, "  mx2.example.test      2501   open         none     FAIL  smtp-busy\n");
    assert_int_equal(count(r->out, "\nDone: "), 1);

    rig_run(r, "example.test", MXP_RUN_DOMAIN, MXP_RUN_JSON);
    assert_one_json_line(r);
    assert_int_equal(count(r->out, "{\"schema\":\"mxprobe-report\""), 2);
    assert_has(r, "\"rows\":[{\"host\":\"mx.example.test\",\"port\":2500,");
    assert_has(r, "{\"host\":\"mx2.example.test\",\"port\":2501,");
    assert_has(r, "]},\"exit_status\":1}\n");

    r->req.mx_limit = 1;
    rig_run(r, "example.test", MXP_RUN_DOMAIN, MXP_RUN_TEXT);
    assert_int_equal(r->sum.results, 1);
    assert_int_equal(r->sum.n_rows, 2);
    assert_int_equal(count(r->out, "mxprobe report for "), 1);
    rig_free(r);
}

/* -q: the overall verdict first when there is room to hold the findings,
 * last when there is not; each exchanger's findings under its name. */
static void test_quiet_puts_the_overall_verdict_first(void **state)
{
    (void)state;
    struct rig *r = rig_new(busy, 4, true);
    rig_ports(r, 1);
    r->runner.hold = r->hold;
    r->runner.hold_cap = sizeof r->hold;
    rig_run(r, "example.test", MXP_RUN_DOMAIN, MXP_RUN_QUIET);
    const char *first = "FAIL  example.test: 2 of 2 exchanger ports fail; worst: mx.example.test "
                        "port 2500 smtp-busy\n";
    assert_true(strncmp(r->out, first, strlen(first)) == 0);
    assert_has(r, "\nmx.example.test:\nFAIL  port 2500: ");
    assert_has(r, "\nmx2.example.test:\nFAIL  port 2500: ");
    assert_int_equal(count(r->out, first), 1);

    r->runner.hold = NULL;
    rig_run(r, "example.test", MXP_RUN_DOMAIN, MXP_RUN_QUIET);
    assert_true(strncmp(r->out, "mx.example.test:\n", 17) == 0);
    size_t len = strlen(r->out);
    assert_true(len > strlen(first) && strcmp(r->out + len - strlen(first), first) == 0);

    /* Held output that does not fit is cut, and says so. */
    r->runner.hold = r->hold;
    r->runner.hold_cap = 100;
    rig_run(r, "example.test", MXP_RUN_DOMAIN, MXP_RUN_QUIET);
    assert_true(strncmp(r->out, first, strlen(first)) == 0);
    assert_has(r, "(more findings than this program holds: see the full report)\n");
    rig_free(r);
}

/* Ctrl-C in one run stops that run only: the next one probes everything,
 * and a run repeated gives the same summary (nothing kept between runs). */
static void test_no_state_from_one_run_in_the_next(void **state)
{
    (void)state;
    struct rig *r = rig_new(plain, 6, true);
    rig_ports(r, 1);
    r->sink.interrupt_on_ehlo = true;
    rig_run(r, "example.test", MXP_RUN_DOMAIN, MXP_RUN_TEXT);
    assert_true(r->sum.interrupted);
    assert_int_equal(r->sum.results, 1);
    assert_int_equal(r->sum.exit_status, 1);
    assert_has(r, "; interrupted, the results above are partial.\n");

    rig_run(r, "example.test", MXP_RUN_DOMAIN, MXP_RUN_TEXT);
    assert_false(r->sum.interrupted);
    assert_int_equal(r->sum.results, 2);
    assert_int_equal(r->sum.n_rows, 2);
    assert_int_equal(count(r->out, "mxprobe report for "), 2);
    struct mxp_summary before = r->sum;
    rig_run(r, "example.test", MXP_RUN_DOMAIN, MXP_RUN_TEXT);
    before.elapsed_ms = r->sum.elapsed_ms;
    assert_memory_equal(&before, &r->sum, sizeof before);
    rig_free(r);
}

static void test_bad_requests_are_refused(void **state)
{
    (void)state;
    struct rig *r = rig_new(busy, 4, false);
    mxp_writer_init(&r->w, r->out, sizeof r->out, NULL, NULL);
    r->req.n_ports = 0;
    assert_int_equal(mxp_run_exec(&r->runner, &r->req, &r->w, &r->sum).code, MXP_E_USAGE);
    r->req.n_ports = MXP_CFG_RUN_PORTS_MAX + 1;
    assert_int_equal(mxp_run_exec(&r->runner, &r->req, &r->w, &r->sum).code, MXP_E_USAGE);
    rig_ports(r, 1);
    r->req.form = MXP_RUN_JSON + 1;
    assert_int_equal(mxp_run_exec(&r->runner, &r->req, &r->w, &r->sum).code, MXP_E_USAGE);
    assert_int_equal(r->net.connects, 0);
    rig_free(r);
}

/* ---- the summary over sample results --------------------------------------------------------- */

struct want_row {
    enum mxp_sample sample;
    unsigned port_index;
    uint16_t port;
    uint8_t reach;
    uint8_t best;
    uint8_t worst;
    uint8_t severity;
};

static void test_summary_of_samples(void **state)
{
    (void)state;
    static const struct want_row want[] = {
        {MXP_SAMPLE_MODERN, 0, 25, MXP_REACH_OPEN, MXP_TLS13, MXP_FIND_LEGACY_REFUSED,
         MXP_SEV_INFO},
        {MXP_SAMPLE_MODERN, 1, 465, MXP_REACH_OPEN, MXP_TLS13, MXP_FIND_LEGACY_REFUSED,
         MXP_SEV_INFO},
        {MXP_SAMPLE_LEGACY, 0, 25, MXP_REACH_OPEN, MXP_TLS10, MXP_FIND_LEGACY_ONLY, MXP_SEV_FAIL},
        {MXP_SAMPLE_BUSY, 0, 25, MXP_REACH_OPEN, MXP_SUMMARY_NONE, MXP_FIND_BUSY, MXP_SEV_FAIL},
        {MXP_SAMPLE_DROPPED, 0, 25, MXP_REACH_OPEN, MXP_SUMMARY_NONE, MXP_FIND_DROPPED_IN_HANDSHAKE,
         MXP_SEV_FAIL},
        {MXP_SAMPLE_FILTERED25, 0, 25, MXP_REACH_FILTERED, MXP_SUMMARY_NONE, MXP_FIND_PORT_TIMEOUT,
         MXP_SEV_FAIL},
        {MXP_SAMPLE_FILTERED25, 1, 587, MXP_REACH_OPEN, MXP_TLS12, MXP_FIND_NO_TLS13, MXP_SEV_INFO},
        {MXP_SAMPLE_HOSTILE, 0, 25, MXP_REACH_OPEN, MXP_TLS13, MXP_FIND_CERT_NAME_MISMATCH,
         MXP_SEV_WARN},
        {MXP_SAMPLE_NO_STARTTLS, 0, 25, MXP_REACH_OPEN, MXP_SUMMARY_NONE, MXP_FIND_NO_STARTTLS,
         MXP_SEV_FAIL},
        {MXP_SAMPLE_NXDOMAIN, 0, 25, MXP_REACH_UNTESTED, MXP_SUMMARY_NONE, MXP_FIND_DNS_FAILED,
         MXP_SEV_FAIL},
    };
    static struct mxp_result res;
    static struct mxp_summary s;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct want_row *w = &want[i];
        mxp_sample_build(w->sample, &res);
        mxp_report_summary_begin(&s, res.host, false);
        mxp_report_summary_add(&s, &res, MXP_SUMMARY_TARGET);
        assert_int_equal(s.n_rows, res.n_ports);
        assert_int_equal(s.results, 1);
        assert_int_equal(s.connections, res.connections);
        assert_int_equal(s.exit_status, mxp_report_exit_status(&res));
        const struct mxp_summary_row *row = &s.rows[w->port_index];
        if (row->port != w->port || row->reach != w->reach || row->best_tls != w->best ||
            row->worst != w->worst || row->severity != w->severity)
            fail_msg("%s port %u: reach %u best %u worst %s/%u, expected %u %u %s/%u",
                     mxp_sample_name(w->sample), (unsigned)row->port, row->reach, row->best_tls,
                     mxp_finding_name((enum mxp_finding_id)row->worst), row->severity, w->reach,
                     w->best, mxp_finding_name((enum mxp_finding_id)w->worst), w->severity);
        /* The run's severity is the worst row's. */
        uint8_t worst = 0;
        for (size_t k = 0; k < s.n_rows; k++)
            worst = s.rows[k].severity > worst ? s.rows[k].severity : worst;
        assert_int_equal(s.severity, worst);
    }
}

/* A whole-run finding counts on every row of its host, but on a tie the
 * port's own finding is the one shown. */
static void test_summary_whole_run_findings(void **state)
{
    (void)state;
    static struct mxp_result res;
    static struct mxp_summary s;
    mxp_sample_build(MXP_SAMPLE_MODERN, &res);
    res.rdns.status = MXP_RDNS_NONE; /* dns-ptr-missing: warn, whole run */
    mxp_report_summary_begin(&s, res.host, false);
    mxp_report_summary_add(&s, &res, MXP_SUMMARY_TARGET);
    assert_int_equal(s.rows[0].worst, MXP_FIND_PTR_MISSING);
    assert_int_equal(s.rows[0].severity, MXP_SEV_WARN);
    mxp_sample_build(MXP_SAMPLE_HOSTILE, &res);
    res.rdns.status = MXP_RDNS_NONE;
    mxp_report_summary_begin(&s, res.host, false);
    mxp_report_summary_add(&s, &res, MXP_SUMMARY_TARGET);
    assert_int_equal(s.rows[0].worst, MXP_FIND_CERT_NAME_MISMATCH);
}

/* Rows beyond the table are dropped, never written past it. */
static void test_summary_table_is_bounded(void **state)
{
    (void)state;
    static struct mxp_result res;
    static struct mxp_summary s;
    mxp_sample_build(MXP_SAMPLE_MODERN, &res);
    mxp_report_summary_begin(&s, "example.org", true);
    for (size_t i = 0; i < MXP_SUMMARY_ROWS_MAX; i++)
        mxp_report_summary_add(&s, &res, 0);
    assert_int_equal(s.n_rows, MXP_SUMMARY_ROWS_MAX);
    assert_int_equal(s.results, MXP_SUMMARY_ROWS_MAX);
}

static void test_summary_reports(void **state)
{
    (void)state;
    static struct mxp_result res;
    static struct mxp_summary s;
    static struct mxp_mx_set mx;
    static char buf[4096];
    struct mxp_writer w;
    memset(&mx, 0, sizeof mx);
    strcpy(mx.domain, "example.org");
    mx.n = 2;
    strcpy(mx.mx[0].name, "mx.modern.example");
    strcpy(mx.mx[1].name, "a-long-exchanger-name.legacy.example");
    mx.mx[0].n_addr = mx.mx[1].n_addr = 1;
    mxp_report_summary_begin(&s, "example.org", true);
    mxp_sample_build(MXP_SAMPLE_MODERN, &res);
    mxp_report_summary_add(&s, &res, 0);
    mxp_sample_build(MXP_SAMPLE_LEGACY, &res);
    mxp_report_summary_add(&s, &res, 1);

    mxp_writer_init(&w, buf, sizeof buf, NULL, NULL);
    mxp_report_summary_text(&s, &mx, &w);
    assert_int_equal(mxp_writer_finish(&w).code, MXP_OK);
    assert_string_equal(
        buf, "\nSummary\n"
             "  FAIL  example.org: 1 of 3 exchanger ports fail; worst:\n"
             "        a-long-exchanger-name.legacy.example port 25 tls-legacy-only\n"
             "  exchanger                         port   reach        TLS      worst "
             "finding\n"
             "  mx.modern.example                 25     open         TLSv1.3  INFO  "
             "tls-legacy-refused\n"
             "  mx.modern.example                 465    open         TLSv1.3  INFO  "
             "tls-legacy-refused\n"
             "  a-long-exchanger-name.legacy.example  25     open         TLSv1.0  FAIL  "
             "tls-legacy-only\n"
             "\nDone: 2 probes, 30 connections in 0 ms.\n");

    mxp_writer_init(&w, buf, sizeof buf, NULL, NULL);
    mxp_report_summary_json(&s, &mx, &w);
    assert_int_equal(mxp_writer_finish(&w).code, MXP_OK);
    assert_true(mxp_json_check(buf, strlen(buf), NULL));
    assert_string_equal(
        buf, "{\"verdict\":\"fail\",\"results\":2,\"connections\":30,\"elapsed_ms\":0,"
             "\"interrupted\":false,\"rows\":["
             "{\"host\":\"mx.modern.example\",\"port\":25,\"reach\":\"open\",\"best_tls\":"
             "\"TLSv1.3\",\"worst\":{\"id\":\"tls-legacy-refused\",\"severity\":\"info\"}},"
             "{\"host\":\"mx.modern.example\",\"port\":465,\"reach\":\"open\",\"best_tls\":"
             "\"TLSv1.3\",\"worst\":{\"id\":\"tls-legacy-refused\",\"severity\":\"info\"}},"
             "{\"host\":\"a-long-exchanger-name.legacy.example\",\"port\":25,\"reach\":"
             "\"open\",\"best_tls\":\"TLSv1.0\",\"worst\":{\"id\":\"tls-legacy-only\","
             "\"severity\":\"fail\"}}]}");

    /* Nothing probed: the lookup's own finding says why. */
    mx.n = 0;
    mx.status = MXP_MX_NULL;
    mxp_report_summary_begin(&s, "example.org", true);
    s.severity = MXP_SEV_FAIL;
    mxp_writer_init(&w, buf, sizeof buf, NULL, NULL);
    mxp_report_overall(&s, &mx, &w);
    assert_int_equal(mxp_writer_finish(&w).code, MXP_OK);
    assert_string_equal(buf, "FAIL  example.org: mx-null; nothing probed\n");

    /* All fine, interrupted. */
    mxp_report_summary_begin(&s, "mx.modern.example", false);
    mxp_sample_build(MXP_SAMPLE_MODERN, &res);
    mxp_report_summary_add(&s, &res, MXP_SUMMARY_TARGET);
    s.interrupted = true;
    mxp_writer_init(&w, buf, sizeof buf, NULL, NULL);
    mxp_report_overall(&s, NULL, &w);
    assert_int_equal(mxp_writer_finish(&w).code, MXP_OK);
    assert_string_equal(
        buf, "INFO  mx.modern.example: 2 ports, none fails or warns; interrupted, partial\n");
}

/* Every byte of a summary and the names it shows: the encoders stay within
 * their arrays and the JSON stays valid. */
static void test_summary_hostile_bytes(void **state)
{
    (void)state;
    static struct mxp_summary s;
    static struct mxp_mx_set mx;
    static char buf[128 * 1024];
    struct mxp_writer w;
    uint32_t x = 12345;
    for (int round = 0; round < 200; round++) {
        uint8_t *p = (uint8_t *)&s;
        for (size_t i = 0; i < sizeof s; i++) {
            x = x * 1103515245u + 12345u;
            p[i] = (uint8_t)(x >> 16);
        }
        p = (uint8_t *)&mx;
        for (size_t i = 0; i < sizeof mx; i++) {
            x = x * 1103515245u + 12345u;
            p[i] = (uint8_t)(x >> 16);
        }
        s.n_rows %= MXP_SUMMARY_ROWS_MAX + 1;
        s.domain = (x & 1) != 0;
        s.interrupted = (x & 2) != 0;
        mxp_writer_init(&w, buf, sizeof buf, NULL, NULL);
        mxp_report_summary_json(&s, &mx, &w);
        assert_int_equal(mxp_writer_finish(&w).code, MXP_OK);
        assert_true(mxp_json_check(buf, strlen(buf), NULL));
        mxp_writer_init(&w, buf, sizeof buf, NULL, NULL);
        mxp_report_summary_text(&s, (x & 4) ? &mx : NULL, &w);
        assert_int_equal(mxp_writer_finish(&w).code, MXP_OK);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_host_in_turns_is_one_report),
        cmocka_unit_test(test_unresolved_host_is_reported_once),
        cmocka_unit_test(test_host_in_turns_json),
        cmocka_unit_test(test_one_result_is_the_plain_report),
        cmocka_unit_test(test_domain_rows_per_exchanger_and_port),
        cmocka_unit_test(test_quiet_puts_the_overall_verdict_first),
        cmocka_unit_test(test_no_state_from_one_run_in_the_next),
        cmocka_unit_test(test_bad_requests_are_refused),
        cmocka_unit_test(test_summary_of_samples),
        cmocka_unit_test(test_summary_whole_run_findings),
        cmocka_unit_test(test_summary_table_is_bounded),
        cmocka_unit_test(test_summary_reports),
        cmocka_unit_test(test_summary_hostile_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
