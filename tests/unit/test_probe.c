/*
 * Engine tests against a scripted peer (tests/fakes/fake_net.c) and a manual
 * clock: politeness (one connection to a busy MX, QUIT sent), classification
 * of failures at each stage, deadlines, concurrency limits, plan validation.
 * The TLS handshake is real wolfSSL: the fake peer swallows the ClientHello.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mxp_fakes.h"
#include "mxp_probe.h"
#include "mxp_verdict.h"
#include "mxp_wolfssl_port.h"

#include <wolfssl/wolfcrypt/memory.h>
#include <wolfssl/wolfcrypt/settings.h>

static mxp_err sink_write(void *ctx, const char *buf, size_t len)
{
    (void)ctx;
    (void)buf;
    (void)len;
    return MXP_SUCCESS;
}
static const struct mxp_hal_sink_api sink_api = {.write = sink_write};

struct bench {
    struct mxp_fake_clock clock;
    struct mxp_fake_entropy entropy;
    struct mxp_fake_net net;
    struct mxp_hal hal;
    struct mxp_plan plan;
    struct mxp_result result;
    struct mxp_engine *engine;
};

static struct bench *bench_new(const struct mxp_fake_step *script, size_t n)
{
    struct bench *b = calloc(1, sizeof *b);
    assert_non_null(b);
    mxp_fake_clock_init(&b->clock, 0xfffff000u); /* wraps during the run */
    mxp_fake_entropy_init(&b->entropy, 42);
    mxp_fake_net_init(&b->net, script, n, &b->clock);
    mxp_fake_hal_wire(&b->hal, &b->clock, &b->entropy, &b->net, &mxp_fake_net_api, &sink_api, NULL);
    mxp_wolfssl_port_init(&b->hal);
    mxp_plan_defaults(&b->plan);
    strcpy(b->plan.host, "mx.example.test");
    strcpy(b->plan.sni, "mx.example.test");
    b->plan.ports[0] = 25;
    b->plan.n_ports = 1;
    b->plan.timeout_ms = 2000;
    b->plan.rtt_samples = 0; /* path diagnostics: test_path.c */
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
    assert_int_equal(b->net.open_now, 0);   /* every socket closed */
    assert_int_equal(b->net.bad_closes, 0); /* nothing closed that was not open */
}

#define SEND(s)                                                                                    \
    {                                                                                              \
        MXP_FAKE_SEND, (s), 0                                                                      \
    }
#define EXPECT(s)                                                                                  \
    {                                                                                              \
        MXP_FAKE_EXPECT, (s), 0                                                                    \
    }
#define GREETING SEND("220 mx.example.test ESMTP\r\n")
#define EHLO_TLS                                                                                   \
    EXPECT("EHLO mxprobe.invalid\r\n"),                                                            \
        SEND("250-mx.example.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n")

static void test_busy_banner_costs_one_connection_and_quits(void **state)
{
    (void)state;
    static const struct mxp_fake_step script[] = {
        SEND("421 4.7.0 mx.example.test Too many connections\r\n"),
        EXPECT("QUIT"),
        SEND("221 2.0.0 Bye\r\n"),
        {MXP_FAKE_CLOSE, NULL, 0}};
    struct bench *b = bench_new(script, 4);
    run(b);
    const struct mxp_port_result *p = &b->result.ports[0];
    assert_true(p->busy);
    assert_int_equal(p->stop.stage, MXP_STAGE_BANNER);
    assert_int_equal(p->stop.err.code, MXP_E_SMTP_REPLY);
    assert_int_equal(p->stop.smtp_code, 421);
    assert_string_equal(p->stop.smtp_enh, "4.7.0");
    assert_int_equal(p->banner_code, 421);
    assert_int_equal(b->net.connects, 1);
    assert_int_equal(b->result.connections, 1);
    assert_non_null(strstr(b->net.client_log, "QUIT\n"));
    assert_int_equal(b->net.expect_mismatches, 0);
    for (int v = 0; v < MXP_TLS_VERSION_COUNT; v++)
        assert_int_equal(p->versions[v].status, MXP_VERSION_SKIPPED);
    bench_free(b);
}

static void test_missing_starttls_is_reported_after_ehlo(void **state)
{
    (void)state;
    static const struct mxp_fake_step script[] = {
        GREETING,
        EXPECT("EHLO mxprobe.invalid\r\n"),
        SEND("250-mx.example.test\r\n250-SIZE 1000\r\n250 8BITMIME\r\n"),
        EXPECT("QUIT"),
        SEND("221 Bye\r\n"),
        {MXP_FAKE_CLOSE, NULL, 0}};
    struct bench *b = bench_new(script, 6);
    run(b);
    const struct mxp_port_result *p = &b->result.ports[0];
    assert_false(p->busy);
    assert_false(p->starttls_offered);
    assert_int_equal(p->stop.stage, MXP_STAGE_EHLO);
    assert_int_equal(p->stop.err.code, MXP_E_SMTP_NO_STARTTLS);
    assert_int_equal(p->n_caps, 2);
    assert_string_equal(p->caps[0], "SIZE 1000");
    assert_int_equal(b->net.connects, 1);
    assert_int_equal(b->net.expect_mismatches, 0);
    bench_free(b);
}

static void test_drop_during_handshake_each_version(void **state)
{
    (void)state;
    static const struct mxp_fake_step script[] = {GREETING,
                                                  EHLO_TLS,
                                                  EXPECT("STARTTLS\r\n"),
                                                  SEND("220 2.0.0 Ready\r\n"),
                                                  EXPECT(NULL),
                                                  {MXP_FAKE_CLOSE, NULL, 0}};
    struct bench *b = bench_new(script, 7);
    run(b);
    const struct mxp_port_result *p = &b->result.ports[0];
    assert_int_equal(p->stop.stage, MXP_STAGE_NONE); /* not a port failure */
    assert_true(p->starttls_offered);
    assert_int_equal(p->starttls_code, 220);
    for (int v = 0; v < MXP_TLS_VERSION_COUNT; v++) {
        const struct mxp_version_result *vr = &p->versions[v];
        assert_int_equal(vr->status, MXP_VERSION_REJECTED);
        assert_int_equal(vr->fail.stage, MXP_STAGE_HANDSHAKE);
        assert_int_equal(vr->fail.err.code, MXP_E_TCP_CLOSED);
        assert_int_equal(vr->fail.stage_rx_bytes, 0);
        assert_int_equal(vr->connections, 1);
        assert_true(vr->suites_complete);
        for (size_t i = 0; i < vr->n_suites; i++)
            assert_int_equal(vr->suites[i].status, MXP_SUITE_REJECTED);
    }
    assert_int_equal(b->result.connections, 4);
    assert_true(b->result.peak_concurrent <= 2);
    assert_true(b->net.open_peak <= 2);
    bench_free(b);
}

static void test_stalled_handshake_times_out(void **state)
{
    (void)state;
    static const struct mxp_fake_step script[] = {GREETING,
                                                  EHLO_TLS,
                                                  EXPECT("STARTTLS\r\n"),
                                                  SEND("220 Ready\r\n"),
                                                  EXPECT(NULL),
                                                  {MXP_FAKE_STALL, NULL, 0}};
    struct bench *b = bench_new(script, 7);
    b->plan.versions = 1u << MXP_TLS12;
    run(b);
    const struct mxp_version_result *vr = &b->result.ports[0].versions[MXP_TLS12];
    assert_int_equal(vr->status, MXP_VERSION_REJECTED);
    assert_int_equal(vr->fail.stage, MXP_STAGE_HANDSHAKE);
    assert_int_equal(vr->fail.err.code, MXP_E_TIMEOUT);
    assert_true(vr->fail.stage_ms >= 2000 && vr->fail.stage_ms < 2100);
    assert_int_equal(b->result.ports[0].versions[MXP_TLS13].status, MXP_VERSION_UNTESTED);
    bench_free(b);
}

static void test_silent_banner_times_out_once(void **state)
{
    (void)state;
    static const struct mxp_fake_step script[] = {{MXP_FAKE_STALL, NULL, 0}};
    struct bench *b = bench_new(script, 1);
    run(b);
    const struct mxp_port_result *p = &b->result.ports[0];
    assert_int_equal(p->stop.stage, MXP_STAGE_BANNER);
    assert_int_equal(p->stop.err.code, MXP_E_TIMEOUT);
    assert_int_equal(b->net.connects, 1);
    assert_true(b->clock.advanced_ms >= 2000 && b->clock.advanced_ms < 2100);
    bench_free(b);
}

static void test_filtered_connect_times_out(void **state)
{
    (void)state;
    static const struct mxp_fake_step script[] = {{MXP_FAKE_NO_ANSWER, NULL, 0}};
    struct bench *b = bench_new(script, 1);
    run(b);
    const struct mxp_port_result *p = &b->result.ports[0];
    assert_false(p->reached);
    assert_int_equal(p->stop.stage, MXP_STAGE_CONNECT);
    assert_int_equal(p->stop.err.code, MXP_E_TIMEOUT);
    assert_int_equal(b->net.connects, 1);
    bench_free(b);
}

static void test_refused_connect_stops_port(void **state)
{
    (void)state;
    static const struct mxp_fake_step script[] = {{MXP_FAKE_REFUSE, NULL, 0}};
    struct bench *b = bench_new(script, 1);
    b->plan.ports[1] = 587;
    b->plan.n_ports = 2;
    run(b);
    for (int i = 0; i < 2; i++) {
        const struct mxp_port_result *p = &b->result.ports[i];
        assert_int_equal(p->stop.stage, MXP_STAGE_CONNECT);
        assert_int_equal(p->stop.err.code, MXP_E_TCP_REFUSED);
        assert_int_equal(p->connections, 1);
    }
    assert_int_equal(b->net.connects, 2);
    bench_free(b);
}

static void test_bytes_after_starttls_reply_are_refused(void **state)
{
    (void)state;
    static const struct mxp_fake_step script[] = {GREETING,
                                                  EHLO_TLS,
                                                  EXPECT("STARTTLS\r\n"),
                                                  SEND("220 Ready\r\n250 injected\r\n"),
                                                  {MXP_FAKE_STALL, NULL, 0}};
    struct bench *b = bench_new(script, 6);
    run(b);
    const struct mxp_port_result *p = &b->result.ports[0];
    assert_int_equal(p->stop.stage, MXP_STAGE_STARTTLS);
    assert_int_equal(p->stop.err.code, MXP_E_TLS_PROTOCOL);
    assert_int_equal(b->net.connects, 1);
    bench_free(b);
}

static void test_overlong_banner_line_is_refused(void **state)
{
    (void)state;
    static char line[700];
    memset(line, 'A', sizeof line);
    memcpy(line, "220 ", 4);
    memcpy(line + sizeof line - 2, "\r\n", 2);
    static const struct mxp_fake_step script[] = {{MXP_FAKE_SEND, line, sizeof line},
                                                  {MXP_FAKE_STALL, NULL, 0}};
    struct bench *b = bench_new(script, 2);
    run(b);
    const struct mxp_port_result *p = &b->result.ports[0];
    assert_int_equal(p->stop.stage, MXP_STAGE_BANNER);
    assert_int_equal(p->stop.err.code, MXP_E_SMTP_TOO_LONG);
    assert_null(strstr(b->net.client_log, "QUIT")); /* no SMTP with a peer we cannot parse */
    bench_free(b);
}

static void test_reset_after_starttls(void **state)
{
    (void)state;
    static const struct mxp_fake_step script[] = {GREETING,
                                                  EHLO_TLS,
                                                  EXPECT("STARTTLS\r\n"),
                                                  SEND("220 Ready\r\n"),
                                                  {MXP_FAKE_RESET, NULL, 0}};
    struct bench *b = bench_new(script, 6);
    b->plan.versions = 1u << MXP_TLS13;
    run(b);
    const struct mxp_version_result *vr = &b->result.ports[0].versions[MXP_TLS13];
    assert_int_equal(vr->fail.stage, MXP_STAGE_HANDSHAKE);
    assert_int_equal(vr->fail.err.code, MXP_E_TCP_RESET);
    bench_free(b);
}

static void test_concurrency_limit_of_one(void **state)
{
    (void)state;
    static const struct mxp_fake_step script[] = {GREETING,
                                                  EHLO_TLS,
                                                  EXPECT("STARTTLS\r\n"),
                                                  SEND("220 Ready\r\n"),
                                                  EXPECT(NULL),
                                                  {MXP_FAKE_CLOSE, NULL, 0}};
    struct bench *b = bench_new(script, 7);
    b->plan.max_concurrent = 1;
    b->plan.ports[1] = 587;
    b->plan.n_ports = 2;
    run(b);
    assert_int_equal(b->net.open_peak, 1);
    assert_int_equal(b->result.peak_concurrent, 1);
    assert_int_equal(b->result.connections, 8);
    bench_free(b);
}

static void test_dns_failure_is_data(void **state)
{
    (void)state;
    static const struct mxp_fake_step script[] = {GREETING};
    struct bench *b = bench_new(script, 1);
    b->net.resolve_fails = true;
    run(b);
    assert_false(b->result.resolved);
    assert_int_equal(b->result.resolve_err.code, MXP_E_DNS_NXDOMAIN);
    assert_int_equal(b->net.connects, 0);
    assert_int_equal(b->result.ports[0].stop.err.code, MXP_E_DNS_NXDOMAIN);
    /* one finding, the DNS one: no guesses about an address nobody knows */
    struct mxp_finding f[MXP_FINDINGS_MAX];
    assert_int_equal(mxp_verdict_derive(&b->result, f, MXP_FINDINGS_MAX), 1);
    assert_int_equal(f[0].id, MXP_FIND_DNS_FAILED);
    bench_free(b);
}

/* An allocator that fails once armed: our own shortage in the handshake. */
static bool alloc_fail;
static void *failing_malloc(size_t n)
{
    return alloc_fail ? NULL : malloc(n);
}
static void failing_free(void *p)
{
    free(p);
}
static void *failing_realloc(void *p, size_t n)
{
    return alloc_fail ? NULL : realloc(p, n);
}
static void arm_on_starttls(void *arg, const char *line)
{
    (void)arg;
    if (line != NULL && strncmp(line, "STARTTLS", 8) == 0)
        alloc_fail = true;
}

static void test_own_memory_shortage_is_no_verdict(void **state)
{
    (void)state;
    static const struct mxp_fake_step script[] = {GREETING,
                                                  EHLO_TLS,
                                                  EXPECT("STARTTLS\r\n"),
                                                  SEND("220 Ready\r\n"),
                                                  {MXP_FAKE_STALL, NULL, 0}};
    struct bench *b = bench_new(script, 6);
    b->plan.versions = 1u << MXP_TLS12;
    b->net.on_expect = arm_on_starttls;
    assert_int_equal(wolfSSL_SetAllocators(failing_malloc, failing_free, failing_realloc), 0);
    alloc_fail = false;
    run(b);
    alloc_fail = false;
    assert_int_equal(wolfSSL_SetAllocators(malloc, free, realloc), 0);
    const struct mxp_version_result *vr = &b->result.ports[0].versions[MXP_TLS12];
    assert_int_equal(vr->fail.stage, MXP_STAGE_HANDSHAKE);
    assert_int_equal(vr->fail.err.code, MXP_E_NOMEM);
    assert_int_not_equal(vr->status, MXP_VERSION_REJECTED);
    assert_false(vr->suites_complete);
    for (size_t i = 0; i < vr->n_suites; i++)
        assert_int_equal(vr->suites[i].status, MXP_SUITE_UNTESTED);
    bench_free(b);
}

static void test_bad_plans_and_hals_are_errors(void **state)
{
    (void)state;
    static const struct mxp_fake_step script[] = {GREETING};
    struct bench *b = bench_new(script, 1);
    b->plan.host[0] = '\0';
    assert_int_equal(mxp_probe_run(&b->hal, &b->plan, b->engine, &b->result).code, MXP_E_USAGE);
    strcpy(b->plan.host, "mx.example.test");
    b->plan.max_concurrent = 0;
    assert_int_equal(mxp_probe_run(&b->hal, &b->plan, b->engine, &b->result).code, MXP_E_USAGE);
    b->plan.max_concurrent = 2;
    b->plan.versions = 0;
    assert_int_equal(mxp_probe_run(&b->hal, &b->plan, b->engine, &b->result).code, MXP_E_USAGE);
    b->plan.versions = MXP_TLS_ALL_VERSIONS;
    b->plan.timeout_ms = 10;
    assert_int_equal(mxp_probe_run(&b->hal, &b->plan, b->engine, &b->result).code, MXP_E_USAGE);
    b->plan.timeout_ms = 1000;
    struct mxp_hal_net_api broken = mxp_fake_net_api;
    broken.wait = NULL;
    b->hal.net = &broken;
    assert_int_equal(mxp_probe_run(&b->hal, &b->plan, b->engine, &b->result).code,
                     MXP_E_HAL_MISSING);
    assert_int_equal(b->net.connects, 0);
    bench_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_busy_banner_costs_one_connection_and_quits),
        cmocka_unit_test(test_missing_starttls_is_reported_after_ehlo),
        cmocka_unit_test(test_drop_during_handshake_each_version),
        cmocka_unit_test(test_stalled_handshake_times_out),
        cmocka_unit_test(test_silent_banner_times_out_once),
        cmocka_unit_test(test_filtered_connect_times_out),
        cmocka_unit_test(test_refused_connect_stops_port),
        cmocka_unit_test(test_bytes_after_starttls_reply_are_refused),
        cmocka_unit_test(test_overlong_banner_line_is_refused),
        cmocka_unit_test(test_reset_after_starttls),
        cmocka_unit_test(test_concurrency_limit_of_one),
        cmocka_unit_test(test_dns_failure_is_data),
        cmocka_unit_test(test_own_memory_shortage_is_no_verdict),
        cmocka_unit_test(test_bad_plans_and_hals_are_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
