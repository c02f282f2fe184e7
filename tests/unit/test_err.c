/* Error names (stable JSON ids), human text, alert names, stage/version
 * names and the HAL completeness check. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mxp_err.h"
#include "mxp_err_text.h"
#include "mxp_hal.h"
#include "mxp_hal_check.h"
#include "mxp_result.h"

struct name_case {
    uint16_t code;
    const char *name;
    enum mxp_err_class cls;
};

static const struct name_case names[] = {
    {MXP_OK, "ok", MXP_CLASS_NONE},
    {MXP_E_USAGE, "usage", MXP_CLASS_USAGE},
    {MXP_E_IO, "io-error", MXP_CLASS_IO},
    {MXP_E_WOULD_BLOCK, "would-block", MXP_CLASS_IO},
    {MXP_E_UNSUPPORTED, "unsupported", MXP_CLASS_IO},
    {MXP_E_HAL_MISSING, "hal-missing", MXP_CLASS_IO},
    {MXP_E_DNS_NXDOMAIN, "dns-nxdomain", MXP_CLASS_DNS},
    {MXP_E_DNS_NODATA, "dns-nodata", MXP_CLASS_DNS},
    {MXP_E_DNS_FAIL, "dns-error", MXP_CLASS_DNS},
    {MXP_E_TCP_REFUSED, "refused", MXP_CLASS_TCP},
    {MXP_E_TCP_RESET, "reset", MXP_CLASS_TCP},
    {MXP_E_TCP_CLOSED, "closed", MXP_CLASS_TCP},
    {MXP_E_TCP_UNREACHABLE, "unreachable", MXP_CLASS_TCP},
    {MXP_E_TCP, "tcp-error", MXP_CLASS_TCP},
    {MXP_E_SMTP_REPLY, "smtp-reply", MXP_CLASS_SMTP},
    {MXP_E_SMTP_SYNTAX, "smtp-syntax", MXP_CLASS_SMTP},
    {MXP_E_SMTP_TOO_LONG, "smtp-too-long", MXP_CLASS_SMTP},
    {MXP_E_SMTP_NO_STARTTLS, "no-starttls", MXP_CLASS_SMTP},
    {MXP_E_TLS, "tls-error", MXP_CLASS_TLS},
    {MXP_E_TLS_NO_SHARED_CIPHER, "no-shared-cipher", MXP_CLASS_TLS},
    {MXP_E_TLS_VERSION, "version-mismatch", MXP_CLASS_TLS},
    {MXP_E_TLS_PROTOCOL, "protocol-error", MXP_CLASS_TLS},
    {MXP_E_TLS_ALERT_SENT, "tls-alert-sent", MXP_CLASS_TLS},
    {MXP_E_TLS_ALERT, "tls-alert-received", MXP_CLASS_TLS_ALERT},
    {MXP_E_CERT_PARSE, "cert-parse", MXP_CLASS_CERT},
    {MXP_E_TIMEOUT, "timeout", MXP_CLASS_TIMEOUT},
    {MXP_E_INTERNAL, "internal", MXP_CLASS_INTERNAL},
    {MXP_E_CAPACITY, "capacity", MXP_CLASS_INTERNAL},
    {MXP_E_NOMEM, "no-memory", MXP_CLASS_INTERNAL},
    {MXP_E_TLS_RECORD_TOO_LARGE, "record-too-large", MXP_CLASS_INTERNAL},
};

static void test_err_names(void **state)
{
    (void)state;
    char buf[96];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        mxp_err e = MXP_ERR(names[i].code, 0);
        assert_string_equal(mxp_err_name(e), names[i].name);
        assert_int_equal(mxp_err_class(e), names[i].cls);
        /* every code has its own text, never the fallback */
        mxp_err_str(e, buf, sizeof buf);
        assert_true(strlen(buf) > 0);
        assert_null(strstr(buf, "unknown error"));
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(names[j].name, names[i].name);
    }
    assert_string_equal(mxp_err_name(MXP_ERR(0x0977, 0)), "unknown");
    assert_string_equal(mxp_err_name(MXP_ERR(0xffff, 0)), "unknown");
}

static void test_class_names(void **state)
{
    (void)state;
    static const char *const expect[] = {"none", "usage",     "io",   "dns",     "tcp",     "smtp",
                                         "tls",  "tls-alert", "cert", "timeout", "internal"};
    for (int i = 0; i <= MXP_CLASS_INTERNAL; i++)
        assert_string_equal(mxp_err_class_name((enum mxp_err_class)i), expect[i]);
    assert_string_equal(mxp_err_class_name((enum mxp_err_class)42), "unknown");
}

static void check_str(uint16_t code, int detail, const char *want)
{
    char buf[128];
    memset(buf, 'x', sizeof buf);
    const char *got = mxp_err_str(MXP_ERR(code, detail), buf, sizeof buf);
    assert_ptr_equal(got, buf);
    assert_string_equal(buf, want);
}

static void test_err_str_details(void **state)
{
    (void)state;
    check_str(MXP_OK, 0, "ok");
    check_str(MXP_E_TLS_ALERT, 70, "TLS alert received: protocol_version (70)");
    check_str(MXP_E_TLS_ALERT, 40, "TLS alert received: handshake_failure (40)");
    check_str(MXP_E_TLS_ALERT, 200, "TLS alert received: unknown (200)");
    check_str(MXP_E_TLS_ALERT_SENT, 42, "TLS alert sent: bad_certificate (42)");
    check_str(MXP_E_SMTP_REPLY, 421, "SMTP reply 421");
    check_str(MXP_E_SMTP_REPLY, 0, "SMTP reply");
    check_str(MXP_E_TIMEOUT, 10000, "timed out after 10000 ms");
    check_str(MXP_E_TIMEOUT, 0, "timed out");
    check_str(MXP_E_TLS, -326, "wolfSSL error -326");
    check_str(MXP_E_TLS, 0, "TLS error");
    check_str(MXP_E_TLS_NO_SHARED_CIPHER, -501, "TLS: no shared cipher: wolfSSL error -501");
    check_str(MXP_E_TLS_NO_SHARED_CIPHER, 0, "TLS: no shared cipher");
    check_str(MXP_E_TLS_VERSION, -326, "TLS: protocol version mismatch: wolfSSL error -326");
    check_str(MXP_E_DNS_FAIL, -3, "DNS lookup failed (-3)");
    check_str(MXP_E_TCP, 113, "TCP error (113)");
    check_str(MXP_E_TCP_REFUSED, 0, "connection refused");
    check_str(MXP_E_HAL_MISSING, 12, "required HAL operation missing (12)");
    check_str(MXP_E_CERT_PARSE, 0, "certificate parse error");
    check_str(MXP_E_TLS_RECORD_TOO_LARGE, 5214,
              "record larger than this board's buffer (5214 bytes)");
    check_str(0x0977, 5, "unknown error 2423 (5)");
    /* detail holds 32 bits: a deadline of a minute is a minute (it once
     * was an int16 and said 32767 ms) */
    check_str(MXP_E_TIMEOUT, 60000, "timed out after 60000 ms");
    check_str(MXP_E_TLS, -70000, "wolfSSL error -70000");
    check_str(MXP_E_TLS, INT32_MIN, "wolfSSL error -2147483648");
}

static void test_err_str_bounded(void **state)
{
    (void)state;
    char buf[16];
    memset(buf, 'x', sizeof buf);
    mxp_err e = MXP_ERR(MXP_E_TLS_ALERT, 70);
    mxp_err_str(e, buf, 1);
    assert_string_equal(buf, "");
    assert_int_equal(buf[1], 'x');
    mxp_err_str(e, buf, 5);
    assert_string_equal(buf, "TLS ");
    assert_int_equal(buf[5], 'x');
    mxp_err_str(MXP_ERR(MXP_E_TLS, -32768), buf, sizeof buf);
    assert_string_equal(buf, "wolfSSL error -");
    mxp_err_str(MXP_ERR(MXP_E_TIMEOUT, 10000), buf, sizeof buf);
    assert_string_equal(buf, "timed out after");
    memset(buf, 'x', sizeof buf);
    mxp_err_str(e, buf, 0);
    assert_int_equal(buf[0], 'x');
    assert_string_equal(mxp_err_str(e, NULL, 10), "");
}

static void test_alert_names(void **state)
{
    (void)state;
    static const struct {
        int n;
        const char *name;
    } alerts[] = {
        {0, "close_notify"},
        {10, "unexpected_message"},
        {20, "bad_record_mac"},
        {21, "decryption_failed"},
        {22, "record_overflow"},
        {30, "decompression_failure"},
        {40, "handshake_failure"},
        {41, "no_certificate"},
        {42, "bad_certificate"},
        {43, "unsupported_certificate"},
        {44, "certificate_revoked"},
        {45, "certificate_expired"},
        {46, "certificate_unknown"},
        {47, "illegal_parameter"},
        {48, "unknown_ca"},
        {49, "access_denied"},
        {50, "decode_error"},
        {51, "decrypt_error"},
        {60, "export_restriction"},
        {70, "protocol_version"},
        {71, "insufficient_security"},
        {80, "internal_error"},
        {86, "inappropriate_fallback"},
        {90, "user_canceled"},
        {100, "no_renegotiation"},
        {109, "missing_extension"},
        {110, "unsupported_extension"},
        {111, "certificate_unobtainable"},
        {112, "unrecognized_name"},
        {113, "bad_certificate_status_response"},
        {114, "bad_certificate_hash_value"},
        {115, "unknown_psk_identity"},
        {116, "certificate_required"},
        {120, "no_application_protocol"},
    };
    size_t n_known = 0;
    for (size_t i = 0; i < sizeof alerts / sizeof alerts[0]; i++)
        assert_string_equal(mxp_tls_alert_name(alerts[i].n), alerts[i].name);
    for (int a = -5; a < 300; a++)
        if (strcmp(mxp_tls_alert_name(a), "unknown") != 0)
            n_known++;
    assert_int_equal(n_known, sizeof alerts / sizeof alerts[0]);
}

static void test_stage_and_version_names(void **state)
{
    (void)state;
    static const char *const stages[] = {"none",     "connect",   "banner", "ehlo",
                                         "starttls", "handshake", "quit"};
    assert_int_equal(MXP_STAGE_COUNT, sizeof stages / sizeof stages[0]);
    for (int s = 0; s < MXP_STAGE_COUNT; s++)
        assert_string_equal(mxp_stage_name((enum mxp_stage)s), stages[s]);
    assert_string_equal(mxp_stage_name(MXP_STAGE_COUNT), "unknown");
    assert_string_equal(mxp_stage_name((enum mxp_stage) - 1), "unknown");

    assert_string_equal(mxp_tls_version_name(MXP_TLS10), "TLSv1.0");
    assert_string_equal(mxp_tls_version_name(MXP_TLS11), "TLSv1.1");
    assert_string_equal(mxp_tls_version_name(MXP_TLS12), "TLSv1.2");
    assert_string_equal(mxp_tls_version_name(MXP_TLS13), "TLSv1.3");
    assert_string_equal(mxp_tls_version_name(MXP_TLS_VERSION_COUNT), "unknown");
}

/* ---- mxp_hal_check ------------------------------------------------------- */

static uint32_t f_now(void *ctx)
{
    (void)ctx;
    return 0;
}
static mxp_err f_fill(void *ctx, uint8_t *buf, size_t len, bool *q)
{
    (void)ctx;
    (void)buf;
    (void)len;
    (void)q;
    return MXP_SUCCESS;
}
static mxp_err f_resolve(void *ctx, const char *host, struct mxp_addr *out, size_t cap, size_t *n,
                         uint32_t t)
{
    (void)ctx;
    (void)host;
    (void)out;
    (void)cap;
    (void)n;
    (void)t;
    return MXP_SUCCESS;
}
static mxp_err f_connect(void *ctx, const struct mxp_addr *to, uint16_t port, mxp_sock *out)
{
    (void)ctx;
    (void)to;
    (void)port;
    (void)out;
    return MXP_SUCCESS;
}
static mxp_err f_connect_result(void *ctx, mxp_sock s)
{
    (void)ctx;
    (void)s;
    return MXP_SUCCESS;
}
static mxp_err f_send(void *ctx, mxp_sock s, const void *buf, size_t len, size_t *sent)
{
    (void)ctx;
    (void)s;
    (void)buf;
    (void)len;
    (void)sent;
    return MXP_SUCCESS;
}
static mxp_err f_recv(void *ctx, mxp_sock s, void *buf, size_t cap, size_t *got)
{
    (void)ctx;
    (void)s;
    (void)buf;
    (void)cap;
    (void)got;
    return MXP_SUCCESS;
}
static mxp_err f_wait(void *ctx, struct mxp_wait_item *items, size_t n, uint32_t t)
{
    (void)ctx;
    (void)items;
    (void)n;
    (void)t;
    return MXP_SUCCESS;
}
static void f_close(void *ctx, mxp_sock s, bool abort)
{
    (void)ctx;
    (void)s;
    (void)abort;
}
static mxp_err f_udp_open(void *ctx, uint8_t family, mxp_sock *out)
{
    (void)ctx;
    (void)family;
    *out = 1;
    return MXP_SUCCESS;
}
static mxp_err f_udp_send(void *ctx, mxp_sock s, const struct mxp_addr *to, uint16_t port,
                          const void *buf, size_t len)
{
    (void)ctx;
    (void)s;
    (void)to;
    (void)port;
    (void)buf;
    (void)len;
    return MXP_SUCCESS;
}
static mxp_err f_udp_recv(void *ctx, mxp_sock s, void *buf, size_t cap, size_t *got,
                          struct mxp_addr *from, uint16_t *from_port)
{
    (void)ctx;
    (void)s;
    (void)buf;
    (void)cap;
    (void)from;
    (void)from_port;
    *got = 0;
    return MXP_ERR(MXP_E_WOULD_BLOCK, 0);
}
static mxp_err f_write(void *ctx, const char *buf, size_t len)
{
    (void)ctx;
    (void)buf;
    (void)len;
    return MXP_SUCCESS;
}

static void test_hal_check(void **state)
{
    (void)state;
    /* optional operations (unix_time, set_mss, UDP, dns_servers, mtu_probe,
     * progress) are left NULL */
    struct mxp_hal_clock_api clock = {f_now, NULL};
    struct mxp_hal_entropy_api entropy = {f_fill};
    struct mxp_hal_net_api net = {f_resolve, f_connect, f_connect_result,
                                  f_send,    f_recv,    f_wait,
                                  f_close,   NULL,      NULL,
                                  NULL,      NULL,      NULL,
                                  NULL};
    struct mxp_hal_sink_api sink = {.write = f_write};
    struct mxp_hal hal = {&clock, NULL, &entropy, NULL, &net, NULL, &sink, NULL};
    mxp_err e = mxp_hal_check(&hal);
    assert_true(mxp_ok(e));

    e = mxp_hal_check(NULL);
    assert_int_equal(e.code, MXP_E_HAL_MISSING);
    assert_int_equal(e.detail, 1);

    /* each required part and operation in turn */
    struct mxp_hal broken = hal;
    broken.clock = NULL;
    e = mxp_hal_check(&broken);
    assert_int_equal(e.code, MXP_E_HAL_MISSING);
    assert_int_equal(e.detail, 2);
    broken = hal;
    broken.entropy = NULL;
    assert_int_equal(mxp_hal_check(&broken).detail, 4);
    broken = hal;
    broken.net = NULL;
    assert_int_equal(mxp_hal_check(&broken).detail, 6);
    broken = hal;
    broken.sink = NULL;
    assert_int_equal(mxp_hal_check(&broken).detail, 14);

    struct mxp_hal_clock_api c2 = clock;
    c2.now_ms = NULL;
    broken = hal;
    broken.clock = &c2;
    assert_int_equal(mxp_hal_check(&broken).detail, 3);
    struct mxp_hal_entropy_api e2 = {NULL};
    broken = hal;
    broken.entropy = &e2;
    assert_int_equal(mxp_hal_check(&broken).detail, 5);
    struct mxp_hal_sink_api s2 = {.write = NULL};
    broken = hal;
    broken.sink = &s2;
    assert_int_equal(mxp_hal_check(&broken).detail, 15);

    /* No resolve op: names go to the engine's DNS client, which needs UDP. */
    struct mxp_hal_net_api n_udp = net;
    n_udp.resolve = NULL;
    n_udp.udp_open = f_udp_open;
    n_udp.udp_send = f_udp_send;
    n_udp.udp_recv = f_udp_recv;
    broken = hal;
    broken.net = &n_udp;
    assert_true(mxp_ok(mxp_hal_check(&broken)));
    n_udp.udp_recv = NULL;
    assert_int_equal(mxp_hal_check(&broken).detail, 7);

    for (int op = 0; op < 7; op++) {
        struct mxp_hal_net_api n2 = net;
        switch (op) {
        case 0:
            n2.resolve = NULL;
            break;
        case 1:
            n2.connect = NULL;
            break;
        case 2:
            n2.connect_result = NULL;
            break;
        case 3:
            n2.send = NULL;
            break;
        case 4:
            n2.recv = NULL;
            break;
        case 5:
            n2.wait = NULL;
            break;
        default:
            n2.close = NULL;
            break;
        }
        broken = hal;
        broken.net = &n2;
        e = mxp_hal_check(&broken);
        assert_int_equal(e.code, MXP_E_HAL_MISSING);
        assert_int_equal(e.detail, 7 + op);
    }
}

static void test_err_make_clamps(void **state)
{
    (void)state;
    assert_int_equal(MXP_ERR(MXP_E_TIMEOUT, 60000).detail, 60000);
    assert_int_equal(MXP_ERR(MXP_E_TLS, -100000).detail, -100000);
#if LONG_MAX > INT32_MAX
    /* wider than the field: clamped, never wrapped */
    assert_int_equal(MXP_ERR(MXP_E_TLS, (long)INT32_MAX + 5).detail, INT32_MAX);
    assert_int_equal(MXP_ERR(MXP_E_TLS, (long)INT32_MIN - 5).detail, INT32_MIN);
#endif
    assert_true(mxp_ok(MXP_SUCCESS));
    assert_true(mxp_is(MXP_ERR(MXP_E_TIMEOUT, 5), MXP_E_TIMEOUT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_err_names),       cmocka_unit_test(test_class_names),
        cmocka_unit_test(test_err_str_details), cmocka_unit_test(test_err_str_bounded),
        cmocka_unit_test(test_alert_names),     cmocka_unit_test(test_stage_and_version_names),
        cmocka_unit_test(test_hal_check),       cmocka_unit_test(test_err_make_clamps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
