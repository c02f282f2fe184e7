/*
 * Report encoders: the text report says the key things in the expected
 * words, the JSON is always valid (hostile bytes included) and carries the
 * documented fields, both encoders are byte-identical through a 16-byte
 * streaming writer, and a small fixed buffer is never overrun.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "../fakes/json_check.h"
#include "../fakes/sample_results.h"
#include "mxp_report.h"
#include "mxp_verdict.h"

#define OUT_MAX (1u << 18)

static struct mxp_result res;
static char out[OUT_MAX];
static size_t out_len;

typedef void (*encoder_fn)(const struct mxp_result *, struct mxp_writer *);

static void render(encoder_fn enc, const struct mxp_result *r)
{
    struct mxp_writer w;
    mxp_writer_init(&w, out, sizeof out, NULL, NULL);
    enc(r, &w);
    mxp_err e = mxp_writer_finish(&w);
    assert_true(mxp_ok(e));
    out_len = w.len;
}

static void render_text(enum mxp_sample s)
{
    mxp_sample_build(s, &res);
    render(mxp_report_text, &res);
}

static void render_json(enum mxp_sample s)
{
    mxp_sample_build(s, &res);
    render(mxp_report_json, &res);
}

#define assert_has(needle)                                                                         \
    do {                                                                                           \
        if (strstr(out, (needle)) == NULL)                                                         \
            fail_msg("missing \"%s\" in:\n%s", (needle), out);                                     \
    } while (0)
#define assert_lacks(needle)                                                                       \
    do {                                                                                           \
        if (strstr(out, (needle)) != NULL)                                                         \
            fail_msg("unexpected \"%s\" in:\n%s", (needle), out);                                  \
    } while (0)

static void assert_json_valid(void)
{
    size_t at = 0;
    if (!mxp_json_check(out, out_len, &at))
        fail_msg("invalid JSON at %u: ...%.40s", (unsigned)at, out + (at > 20 ? at - 20 : 0));
    assert_true(out_len > 0 && out[out_len - 1] == '\n');
}

/* Printable ASCII and newlines only, at most 80 columns. */
static void assert_plain_text(void)
{
    size_t col = 0;
    for (size_t i = 0; i < out_len; i++) {
        unsigned char c = (unsigned char)out[i];
        if (c == '\n') {
            col = 0;
            continue;
        }
        assert_true(c >= 0x20 && c < 0x7f);
        if (++col > 80)
            fail_msg("line longer than 80 columns near: %.60s", out + i - 60);
    }
}

/* ---- text report ------------------------------------------------------------ */

static void test_text_legacy(void **state)
{
    (void)state;
    render_text(MXP_SAMPLE_LEGACY);
    assert_plain_text();
    assert_has("mxprobe report for mx.legacy.example (192.0.2.20)\n");
    assert_has("\nPort 25 (STARTTLS) at 192.0.2.20\n");
    assert_has("  Timing    connect 21 ms, banner 104 ms, EHLO 22 ms, STARTTLS 21 ms\n");
    assert_has("  Banner    220 mx.legacy.example ESMTP Sendmail");
    assert_has("  EHLO      250 PIPELINING, SIZE 10240000, ETRN, STARTTLS,");
    assert_has("  STARTTLS  220 2.0.0\n");
    assert_has("  TLSv1.0   ok     TLS_RSA_WITH_AES_128_CBC_SHA  95 ms\n");
    assert_has("  TLSv1.1   fails  server answered with another TLS version during");
    assert_has("  Suites    TLSv1.0 accepted, in the order the server chose them:\n"
               "             1. TLS_RSA_WITH_AES_128_CBC_SHA  weak\n"
               "             2. TLS_RSA_WITH_3DES_EDE_CBC_SHA  weak\n"
               "            all 5 others rejected: alert handshake_failure received during");
    assert_has("not after    2019-06-30 12:00:00Z (expired)\n");
    assert_has("key          RSA 1024 bits, chain of 1 sent\n");
    assert_has("self-signed  yes, name match yes for mx.legacy.example\n");
    assert_has("\nVerdict\n  FAIL  port 25: only TLS 1.0 works");
    assert_has("  WARN  port 25 accepts weak cipher suites");
    assert_has("\nDone: 6 connections in 2.31 s, at most 2 at once.\n");
}

static void test_text_modern(void **state)
{
    (void)state;
    render_text(MXP_SAMPLE_MODERN);
    assert_plain_text();
    assert_has("  TLSv1.0   fails  alert protocol_version received during handshake\n");
    assert_has("  TLSv1.3   ok     TLS_AES_256_GCM_SHA384  x25519  rsa_pss_rsae_sha256  12 ms\n");
    assert_has("             1. TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384\n"
               "             2. TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256\n"
               "             3. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n"
               "            all 11 others rejected: alert handshake_failure");
    assert_has("not after    2025-04-01 00:00:00Z (expiry not checked)\n");
    assert_has("\nPort 465 (implicit TLS) at 203.0.113.25\n");
    assert_has("  INFO  port 25: this MX refuses TLS 1.0 and 1.1 with alert protocol_version: a\n"
               "        sender limited to them gets '421 4.4.2 Connection dropped'; enable TLS\n"
               "        1.2 on the sender.\n");
    assert_has("  OK    port 465: TLS works");
    /* implicit TLS has no STARTTLS line */
    const char *p465 = strstr(out, "Port 465");
    assert_non_null(p465);
    assert_null(strstr(p465, "  STARTTLS  "));
}

static void test_text_busy(void **state)
{
    (void)state;
    render_text(MXP_SAMPLE_BUSY);
    assert_plain_text();
    assert_has("  Stopped   SMTP reply 421 4.7.0 at banner\n");
    assert_has("  Banner    421 4.7.0 mx.busy.example Too many connections");
    assert_has("  TLS       no version tried: the port stopped first\n");
    assert_has("This is not a TLS problem");
    assert_has("\nDone: 1 connection in 45 ms, at most 1 at once.\n");
    const char *verdict = strstr(out, "\nVerdict\n");
    assert_non_null(verdict);
    assert_null(strstr(verdict, "STARTTLS"));
}

static void test_text_dropped(void **state)
{
    (void)state;
    render_text(MXP_SAMPLE_DROPPED);
    assert_plain_text();
    assert_has("  TLSv1.0   fails  connection closed by peer during handshake after 0 bytes\n");
    assert_has("  TLSv1.3   fails  timed out after 10000 ms during handshake (0 bytes received)\n");
    assert_has("  FAIL  port 25: the TLS handshake was dropped on every version tried");
    assert_has("path-MTU");
}

static void test_text_filtered(void **state)
{
    (void)state;
    render_text(MXP_SAMPLE_FILTERED25);
    assert_plain_text();
    assert_has("\nPort 25 (STARTTLS) at 192.0.2.25\n  Stopped   timed out after 10000 ms during "
               "connect\n");
    assert_has("  TLSv1.0   not tested\n");
    assert_has("  FAIL  no answer on port 25 (timed out after 10000 ms during connect): an\n"
               "        outbound port-25 block by a firewall or ISP is likely; try 587/465 or\n"
               "        ask the ISP. Port 587 answers, so the host itself is up.\n");
}

static void test_text_hostile(void **state)
{
    (void)state;
    render_text(MXP_SAMPLE_HOSTILE);
    assert_plain_text();
    assert_has("\\x1b[31mevil\\x1b[0m \"quoted\" back\\x5cslash");
    assert_has("\\xff\\xfe\\x01\\x7f <tag>");
    assert_has("X-\\x07BELL \"cap\"");
    assert_has("CN=mx.hostile.example\\x0a, O=\"Evil\" \\x5c Co \\xc3\\xa9");
    assert_has("CN=\\x1b]0;pwned\\x07");
    assert_has("evil\\x0d\\x0a.example, \\xff\\xfe\"}] (more not kept)");
}

static void test_text_nxdomain(void **state)
{
    (void)state;
    render_text(MXP_SAMPLE_NXDOMAIN);
    assert_plain_text();
    assert_has("mxprobe report for mx.nonexistent.example: did not resolve (");
    assert_lacks("\nPort ");
    assert_has("  FAIL  mx.nonexistent.example did not resolve");
    assert_has("Done: no connections in 35 ms.\n");
}

static void test_text_ipv6_and_weak_entropy(void **state)
{
    (void)state;
    mxp_sample_build(MXP_SAMPLE_MODERN, &res);
    res.addr.family = MXP_AF_INET6;
    static const uint8_t a[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x25};
    memcpy(res.addr.bytes, a, sizeof a);
    res.entropy_strong = false;
    render(mxp_report_text, &res);
    assert_has("mxprobe report for mx.modern.example (2001:db8::25)\n");
    assert_has("\nPort 25 (STARTTLS) at 2001:db8::25\n");
    assert_has("entropy is best-effort");
}

static void test_verdict_only(void **state)
{
    (void)state;
    mxp_sample_build(MXP_SAMPLE_FILTERED25, &res);
    render(mxp_report_verdict, &res);
    assert_has("FAIL  no answer on port 25 (timed out after 10000 ms during connect): an outbound "
               "port-25 block");
    assert_has("\nINFO  port 587: TLS 1.2 works but TLS 1.3 is refused");
    assert_has("\nOK    port 587: TLS works (TLS 1.2); best: TLSv1.2 with "
               "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, secp256r1.\n");
    size_t lines = 0;
    for (size_t i = 0; i < out_len; i++)
        lines += out[i] == '\n';
    assert_int_equal(lines, 3);
}

/* ---- JSON report --------------------------------------------------------------- */

static void test_json_valid_every_sample(void **state)
{
    (void)state;
    for (int s = 0; s < MXP_SAMPLE_COUNT; s++) {
        render_json((enum mxp_sample)s);
        assert_json_valid();
        assert_has("{\"schema\":\"mxprobe-report\",\"schema_version\":1,\"target\":{");
        for (size_t i = 0; i < out_len; i++)
            assert_true((unsigned char)out[i] < 0x7f && (out[i] >= 0x20 || out[i] == '\n'));
        assert_int_equal(memchr(out, '\n', out_len), out + out_len - 1);
    }
}

static void test_json_fields_legacy(void **state)
{
    (void)state;
    render_json(MXP_SAMPLE_LEGACY);
    assert_json_valid();
    assert_has("\"target\":{\"host\":\"mx.legacy.example\",\"address\":\"192.0.2.20\","
               "\"resolved\":true,\"resolve_error\":null,\"sni\":\"mx.legacy.example\","
               "\"ehlo_name\":\"mxprobe.invalid\"}");
    assert_has("\"settings\":{\"strategy\":\"elimination\",\"max_concurrent\":2,");
    assert_has("{\"port\":25,\"mode\":\"starttls\",\"reached\":true,\"busy\":false,\"stop\":null,"
               "\"timing_ms\":{\"connect\":21,\"banner\":104,\"ehlo\":22,\"starttls\":21},"
               "\"banner\":{\"code\":220,\"enhanced\":null,\"text\":\"mx.legacy.example ESMTP "
               "Sendmail");
    assert_has("\"ehlo\":{\"code\":250,\"capabilities\":[\"PIPELINING\",\"SIZE 10240000\",");
    assert_has("\"starttls\":{\"offered\":true,\"code\":220,");
    assert_has("\"not_before\":\"2009-06-30T12:00:00Z\",\"not_after\":\"2019-06-30T12:00:00Z\","
               "\"key\":{\"type\":\"rsa\",\"bits\":1024,\"curve\":null},\"self_signed\":true,"
               "\"name_match\":true,\"expired\":true,\"chain_length\":1}");
    assert_has("{\"version\":\"TLSv1.0\",\"status\":\"accepted\",\"ok\":true,\"failure\":null,"
               "\"negotiated\":{\"suite\":\"TLS_RSA_WITH_AES_128_CBC_SHA\",\"id\":\"0x002F\","
               "\"group\":null,\"dh_bits\":null,\"sigalg\":null,\"handshake_ms\":95}");
    assert_has("{\"suite\":\"TLS_RSA_WITH_3DES_EDE_CBC_SHA\",\"id\":\"0x000A\",\"status\":"
               "\"accepted\",\"ok\":true,\"order\":2,");
    assert_has("\"status\":\"rejected\",\"ok\":false,\"order\":null,\"negotiated\":null,"
               "\"failure\":{\"stage\":\"handshake\",\"kind\":\"tls-alert-received\",\"alert\":"
               "\"handshake_failure\",\"detail\":40}}");
    assert_has("{\"version\":\"TLSv1.1\",\"status\":\"rejected\",\"ok\":false,\"failure\":{"
               "\"stage\":\"handshake\",");
    assert_has("\"rx_bytes\":1250,\"stage_ms\":48,");
    assert_has("\"reason\":\"server answered with another TLS version during handshake\"}");
    assert_has("\"findings\":[{\"id\":\"tls-legacy-only\",\"severity\":\"fail\",\"port\":25,"
               "\"text\":\"port 25: only TLS 1.0 works");
    assert_has("{\"id\":\"tls-weak-suites\",\"severity\":\"warn\",\"port\":25,");
    assert_has("\"connections\":6,\"peak_concurrent\":2,\"elapsed_ms\":2310,"
               "\"interrupted\":false,\"exit_status\":1}\n");
}

static void test_json_fields_busy_and_nxdomain(void **state)
{
    (void)state;
    render_json(MXP_SAMPLE_BUSY);
    assert_json_valid();
    assert_has("\"busy\":true,\"stop\":{\"stage\":\"banner\",\"kind\":\"smtp-reply\","
               "\"detail\":421,\"alert\":null,\"smtp_code\":421,\"smtp_enhanced\":\"4.7.0\","
               "\"rx_bytes\":62,\"stage_ms\":12,");
    assert_has("\"timing_ms\":{\"connect\":30,\"banner\":12,\"ehlo\":null,\"starttls\":null}");
    assert_has("\"ehlo\":null,\"starttls\":{\"offered\":false,\"code\":null,\"enhanced\":null},"
               "\"certificate\":null");
    assert_has("{\"version\":\"TLSv1.3\",\"status\":\"skipped\",\"ok\":false,\"failure\":null,"
               "\"negotiated\":null,\"connections\":0,\"suites_complete\":false,\"suites\":[]}");
    assert_has("{\"id\":\"smtp-busy\",\"severity\":\"fail\",\"port\":25,");
    assert_lacks("no-starttls");

    render_json(MXP_SAMPLE_NXDOMAIN);
    assert_json_valid();
    assert_has("\"address\":null,\"resolved\":false,\"resolve_error\":\"dns-nxdomain\"");
    assert_has("\"findings\":[{\"id\":\"dns-failed\",\"severity\":\"fail\",\"port\":null,");
    assert_has("\"exit_status\":1}\n");
}

/* Ctrl-C: a partial result is said to be partial and never exits 0. */
static void test_interrupted_run_is_marked_partial(void **state)
{
    (void)state;
    mxp_sample_build(MXP_SAMPLE_MODERN, &res);
    assert_int_equal(mxp_report_exit_status(&res), 0);
    res.interrupted = true;
    assert_int_equal(mxp_report_exit_status(&res), 1);
    render(mxp_report_json, &res);
    assert_json_valid();
    assert_has("\"interrupted\":true,\"exit_status\":1}\n");
    render(mxp_report_text, &res);
    assert_has("interrupted, the results above are partial.\n");
}

static void test_json_hostile_escaped(void **state)
{
    (void)state;
    render_json(MXP_SAMPLE_HOSTILE);
    assert_json_valid();
    assert_has("\"text\":\"\\u001b[31mevil\\u001b[0m \\\"quoted\\\" back\\\\slash "
               "\\u00ff\\u00fe\\u0001\\u007f <tag> 'single'\"");
    assert_has("\"enhanced\":\"2.0.\\u001b\"");
    assert_has("\"AUTH PLAIN\\u0009LOGIN\\u000d\\u000a\"");
    assert_has("\"sans\":[\"evil\\u000d\\u000a.example\",\"\\u00ff\\u00fe\\\"}]\"],"
               "\"sans_truncated\":true");
    assert_has("\"issuer\":\"CN=\\u001b]0;pwned\\u0007\"");
    /* The finding text carries the text report's escapes, JSON-escaped. */
    assert_has("SANs evil\\\\x0d\\\\x0a.example");
    assert_has("\"exit_status\":0}\n");
}

static void test_json_addresses_and_times(void **state)
{
    (void)state;
    static const struct {
        uint8_t b[16];
        const char *want;
    } v6[] = {
        {{0}, "\"address\":\"::\""},
        {{[15] = 1}, "\"address\":\"::1\""},
        {{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1},
         "\"address\":\"2001:db8:0:1:1:1:1:1\""},
        {{0x20, 0x01, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}, "\"address\":\"2001:0:0:1::1\""},
        {{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1},
         "\"address\":\"2001:db8::1:0:0:1\""},
        {{0xfe, 0x80, [14] = 0xab, [15] = 0xcd}, "\"address\":\"fe80::abcd\""},
    };
    for (size_t i = 0; i < sizeof v6 / sizeof v6[0]; i++) {
        mxp_sample_build(MXP_SAMPLE_BUSY, &res);
        res.addr.family = MXP_AF_INET6;
        memcpy(res.addr.bytes, v6[i].b, 16);
        render(mxp_report_json, &res);
        assert_has(v6[i].want);
    }
    static const struct {
        int64_t t;
        const char *want;
    } times[] = {
        {0, "\"not_after\":\"1970-01-01T00:00:00Z\""},
        {-1, "\"not_after\":\"1969-12-31T23:59:59Z\""},
        {951782400, "\"not_after\":\"2000-02-29T00:00:00Z\""},
        {4107542399LL, "\"not_after\":\"2100-02-28T23:59:59Z\""},
        {253402300799LL, "\"not_after\":\"9999-12-31T23:59:59Z\""},
        {INT64_MAX, "\"not_after\":\"9999-12-31T23:59:59Z\""},
        {INT64_MIN, "\"not_after\":\"0000-01-01T00:00:00Z\""},
    };
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        mxp_sample_build(MXP_SAMPLE_LEGACY, &res);
        res.ports[0].cert.not_after = times[i].t;
        render(mxp_report_json, &res);
        assert_has(times[i].want);
    }
    /* Against the C library over a spread of instants. */
    for (int64_t t = -2208988800LL; t < 4102444800LL; t += 86399LL * 97 + 12345) {
        time_t tt = (time_t)t;
        char want[64];
        const struct tm *tm = gmtime(&tt);
        assert_non_null(tm);
        strftime(want, sizeof want, "\"not_after\":\"%Y-%m-%dT%H:%M:%SZ\"", tm);
        mxp_sample_build(MXP_SAMPLE_LEGACY, &res);
        res.ports[0].cert.not_after = t;
        render(mxp_report_json, &res);
        assert_has(want);
    }
}

/* The finding sentence is the same in both reports. */
static void test_finding_text_shared(void **state)
{
    (void)state;
    static char text[OUT_MAX];
    static char json[OUT_MAX];
    for (int s = 0; s < MXP_SAMPLE_COUNT; s++) {
        mxp_sample_build((enum mxp_sample)s, &res);
        render(mxp_report_verdict, &res);
        memcpy(text, out, out_len + 1);
        render(mxp_report_json, &res);
        memcpy(json, out, out_len + 1);
        struct mxp_finding f[MXP_FINDINGS_MAX];
        size_t n = mxp_verdict_derive(&res, f, MXP_FINDINGS_MAX);
        for (size_t i = 0; i < n; i++) {
            char plain[2048], quoted[4096];
            struct mxp_writer w;
            mxp_writer_init(&w, plain, sizeof plain, NULL, NULL);
            mxp_finding_text(&res, &f[i], &w);
            mxp_err e = mxp_writer_finish(&w);
            assert_true(mxp_ok(e));
            assert_non_null(strstr(text, plain));
            mxp_writer_init(&w, quoted, sizeof quoted, NULL, NULL);
            mxp_puts(&w, "\"text\":");
            mxp_put_json_string(&w, plain, strlen(plain));
            e = mxp_writer_finish(&w);
            assert_true(mxp_ok(e));
            assert_non_null(strstr(json, quoted));
        }
    }
}

static void test_exit_status(void **state)
{
    (void)state;
    static const int want[MXP_SAMPLE_COUNT] = {
        [MXP_SAMPLE_MODERN] = 0,      [MXP_SAMPLE_LEGACY] = 1,     [MXP_SAMPLE_BUSY] = 1,
        [MXP_SAMPLE_DROPPED] = 1,     [MXP_SAMPLE_FILTERED25] = 1, [MXP_SAMPLE_HOSTILE] = 0,
        [MXP_SAMPLE_NO_STARTTLS] = 1, [MXP_SAMPLE_NXDOMAIN] = 1,
    };
    for (int s = 0; s < MXP_SAMPLE_COUNT; s++) {
        mxp_sample_build((enum mxp_sample)s, &res);
        int got = mxp_report_exit_status(&res);
        if (got != want[s])
            fail_msg("%s: exit status %d, want %d", mxp_sample_name((enum mxp_sample)s), got,
                     want[s]);
        render(mxp_report_json, &res);
        assert_has(want[s] == 0 ? "\"exit_status\":0}" : "\"exit_status\":1}");
    }
    /* No port probed: nothing shows that TLS works. */
    mxp_sample_build(MXP_SAMPLE_MODERN, &res);
    res.n_ports = 0;
    assert_int_equal(mxp_report_exit_status(&res), 1);
}

/* ---- streaming and truncation --------------------------------------------------- */

struct sink16 {
    char data[OUT_MAX];
    size_t len;
};
static struct sink16 sink;

static mxp_err sink_flush(void *ctx, const char *buf, size_t len)
{
    struct sink16 *s = ctx;
    assert_true(len <= 16);
    assert_true(s->len + len <= sizeof s->data);
    memcpy(s->data + s->len, buf, len);
    s->len += len;
    return MXP_SUCCESS;
}

static void test_streaming_equals_buffer(void **state)
{
    (void)state;
    static const encoder_fn encs[] = {mxp_report_text, mxp_report_json, mxp_report_verdict};
    for (int s = 0; s < MXP_SAMPLE_COUNT; s++)
        for (size_t k = 0; k < sizeof encs / sizeof encs[0]; k++) {
            mxp_sample_build((enum mxp_sample)s, &res);
            render(encs[k], &res);
            char small[16];
            struct mxp_writer w;
            sink.len = 0;
            mxp_writer_init(&w, small, sizeof small, sink_flush, &sink);
            encs[k](&res, &w);
            mxp_err e = mxp_writer_finish(&w);
            assert_true(mxp_ok(e));
            assert_int_equal(sink.len, out_len);
            assert_int_equal(w.total, out_len);
            assert_memory_equal(sink.data, out, out_len);
        }
}

/* A small fixed buffer: never written past cap, the kept bytes are a prefix
 * of the full report, and total tells the size that was needed. */
static void test_truncation(void **state)
{
    (void)state;
    static const encoder_fn encs[] = {mxp_report_text, mxp_report_json};
    for (int s = 0; s < MXP_SAMPLE_COUNT; s++)
        for (size_t k = 0; k < sizeof encs / sizeof encs[0]; k++) {
            mxp_sample_build((enum mxp_sample)s, &res);
            render(encs[k], &res);
            size_t full = out_len;
            for (size_t cap = 0; cap <= full + 1; cap += cap < 300 ? 1 : 211) {
                char *buf = malloc(cap + 8);
                assert_non_null(buf);
                memset(buf, 0x33, cap + 8);
                struct mxp_writer w;
                mxp_writer_init(&w, buf, cap, NULL, NULL);
                encs[k](&res, &w);
                mxp_err e = mxp_writer_finish(&w);
                assert_int_equal(w.total, full);
                assert_int_equal(e.code, cap > full ? MXP_OK : MXP_E_CAPACITY);
                if (cap > 0) {
                    size_t kept = cap > full ? full : cap - 1;
                    assert_int_equal(w.len, kept);
                    assert_memory_equal(buf, out, kept);
                    assert_int_equal(buf[kept], '\0');
                }
                for (size_t i = cap; i < cap + 8; i++)
                    assert_int_equal((unsigned char)buf[i], 0x33);
                free(buf);
            }
        }
}

/* Garbage in every enum, count and string: still valid JSON, bounded text. */
static void test_garbage_result(void **state)
{
    (void)state;
    uint32_t x = 12345;
    for (int round = 0; round < 50; round++) {
        uint8_t *b = (uint8_t *)&res;
        for (size_t i = 0; i < sizeof res; i++) {
            x = x * 1103515245u + 12345u;
            b[i] = (uint8_t)(x >> 16);
        }
        mxp_sample_sanitize(&res, round % 2 == 0);
        render(mxp_report_json, &res);
        assert_json_valid();
        render(mxp_report_text, &res);
        (void)mxp_report_exit_status(&res);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_legacy),
        cmocka_unit_test(test_text_modern),
        cmocka_unit_test(test_text_busy),
        cmocka_unit_test(test_text_dropped),
        cmocka_unit_test(test_text_filtered),
        cmocka_unit_test(test_text_hostile),
        cmocka_unit_test(test_text_nxdomain),
        cmocka_unit_test(test_text_ipv6_and_weak_entropy),
        cmocka_unit_test(test_verdict_only),
        cmocka_unit_test(test_json_valid_every_sample),
        cmocka_unit_test(test_json_fields_legacy),
        cmocka_unit_test(test_json_fields_busy_and_nxdomain),
        cmocka_unit_test(test_interrupted_run_is_marked_partial),
        cmocka_unit_test(test_json_hostile_escaped),
        cmocka_unit_test(test_json_addresses_and_times),
        cmocka_unit_test(test_finding_text_shared),
        cmocka_unit_test(test_exit_status),
        cmocka_unit_test(test_streaming_equals_buffer),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_garbage_result),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
