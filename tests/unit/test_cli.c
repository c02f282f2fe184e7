/*
 * Command-line parsing: targets, lists, defaults, and every way to get it wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "mxp_cli.h"
#include "mxp_suites.h"

static struct mxp_cli cli;
static char err[200];

#define ARGV(...) ((char *const[]){"mxprobe", __VA_ARGS__})
#define ARGC(...) ((int)(sizeof((char *const[]){"mxprobe", __VA_ARGS__}) / sizeof(char *)))
#define PARSE(...) mxp_cli_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), &cli, err, sizeof err)

static void test_defaults(void **state)
{
    (void)state;
    assert_int_equal(PARSE("mx.example.org").code, MXP_OK);
    assert_string_equal(cli.plan.host, "mx.example.org");
    assert_string_equal(cli.plan.sni, "mx.example.org");
    assert_string_equal(cli.plan.ehlo_name, "mxprobe.invalid");
    assert_int_equal(cli.plan.n_ports, 3);
    assert_int_equal(cli.plan.ports[0], 25);
    assert_int_equal(cli.plan.ports[1], 465);
    assert_int_equal(cli.plan.ports[2], 587);
    assert_int_equal(cli.plan.versions, MXP_TLS_ALL_VERSIONS);
    assert_int_equal(cli.plan.timeout_ms, MXP_CFG_DEFAULT_TIMEOUT_MS);
    assert_int_equal(cli.plan.max_concurrent, MXP_CFG_MAX_CONCURRENT);
    assert_false(cli.plan.exhaustive);
    assert_false(cli.json);
}

static void test_targets(void **state)
{
    (void)state;
    assert_int_equal(PARSE("127.0.0.1:2525").code, MXP_OK);
    assert_string_equal(cli.plan.host, "127.0.0.1");
    assert_int_equal(cli.plan.n_ports, 1);
    assert_int_equal(cli.plan.ports[0], 2525);
    assert_string_equal(cli.plan.sni, ""); /* no SNI for an address */

    assert_int_equal(PARSE("[::1]:587").code, MXP_OK);
    assert_string_equal(cli.plan.host, "::1");
    assert_int_equal(cli.plan.ports[0], 587);

    assert_int_equal(PARSE("::1").code, MXP_OK); /* bare v6: default ports */
    assert_string_equal(cli.plan.host, "::1");
    assert_int_equal(cli.plan.n_ports, 3);

    assert_int_equal(PARSE("--sni=mx.example.org", "192.0.2.7").code, MXP_OK);
    assert_string_equal(cli.plan.sni, "mx.example.org");
    assert_int_equal(PARSE("--no-sni", "mx.example.org").code, MXP_OK);
    assert_string_equal(cli.plan.sni, "");
}

static void test_options(void **state)
{
    (void)state;
    assert_int_equal(PARSE("-p", "25,587", "--versions", "1.2,TLSv1.3", "--timeout=1500",
                           "--max-conns", "1", "--exhaustive", "--json", "--implicit-tls", "--ehlo",
                           "gw.example.net", "mx.example.org")
                         .code,
                     MXP_OK);
    assert_int_equal(cli.plan.n_ports, 2);
    assert_int_equal(cli.plan.ports[1], 587);
    assert_int_equal(cli.plan.versions, (1u << MXP_TLS12) | (1u << MXP_TLS13));
    assert_int_equal(cli.plan.timeout_ms, 1500);
    assert_int_equal(cli.plan.max_concurrent, 1);
    assert_true(cli.plan.exhaustive && cli.json && cli.plan.implicit_tls);
    assert_string_equal(cli.plan.ehlo_name, "gw.example.net");

    assert_int_equal(
        PARSE("--ciphers", "TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256", "mx.example.org")
            .code,
        MXP_OK);
    assert_int_equal(cli.plan.n_suites, 2);
    assert_int_equal(cli.plan.suites[0], 0x1301);
    assert_int_equal(cli.plan.suites[1], 0xC02F);

    assert_int_equal(PARSE("--help").code, MXP_OK);
    assert_true(cli.help);
    assert_int_equal(PARSE("-V").code, MXP_OK);
    assert_true(cli.version);
}

static void expect_usage(int argc, char *const argv[], const char *phrase)
{
    mxp_err e = mxp_cli_parse(argc, argv, &cli, err, sizeof err);
    assert_int_equal(e.code, MXP_E_USAGE);
    if (strstr(err, phrase) == NULL)
        fail_msg("error '%s' lacks '%s'", err, phrase);
}

#define BAD(phrase, ...) expect_usage(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), phrase)

static void test_usage_errors(void **state)
{
    (void)state;
    expect_usage(1, (char *const[]){"mxprobe"}, "no target");
    BAD("more than one target", "a.example", "b.example");
    BAD("unknown option", "--frobnicate", "mx.example.org");
    BAD("needs a value", "mx.example.org", "--timeout");
    BAD("takes no value", "--json=yes", "mx.example.org");
    BAD("bad port list", "-p", "0", "mx.example.org");
    BAD("bad port list", "-p", "65536", "mx.example.org");
    BAD("bad port list", "-p", "25,25", "mx.example.org");
    BAD("bad port list", "-p", "25,x", "mx.example.org");
    BAD("bad port list", "-p", "1,2,3,4,5", "mx.example.org");
    BAD("bad port list", "-p", "", "mx.example.org");
    BAD("bad port in target", "mx.example.org:99999");
    BAD("bad port in target", "mx.example.org:");
    BAD("not both", "-p", "25", "mx.example.org:25");
    BAD("unterminated", "[::1:25");
    BAD("after ']'", "[::1]x");
    BAD("not a valid host", "mx example");
    BAD("not a valid host", "mx.example.org\r\nQUIT");
    BAD("bad version list", "--versions", "1.4", "mx.example.org");
    BAD("bad version list", "--versions", "SSLv3", "mx.example.org");
    BAD("unknown cipher suite", "--ciphers", "TLS_AES_128_GCM_SHA256:NOPE", "mx.example.org");
    BAD("bad --timeout", "--timeout", "99", "mx.example.org");
    BAD("bad --timeout", "--timeout", "300001", "mx.example.org");
    BAD("bad --timeout", "--timeout", "12abc", "mx.example.org");
    BAD("bad --max-conns", "--max-conns", "0", "mx.example.org");
    BAD("bad --max-conns", "--max-conns", "99", "mx.example.org");
    BAD("bad EHLO name", "--ehlo", "a b", "mx.example.org");
    BAD("contradict", "--sni", "a.example", "--no-sni", "mx.example.org");
    /* an SMTP command smuggled into EHLO must never reach the wire */
    BAD("bad EHLO name", "--ehlo", "x\r\nRCPT TO:<a@b>", "mx.example.org");
}

static void test_list_parsers(void **state)
{
    (void)state;
    uint16_t ports[4];
    uint8_t n = 0;
    assert_int_equal(mxp_cli_parse_ports("25, 465 ,587", ports, &n, 4).code, MXP_OK);
    assert_int_equal(n, 3);
    assert_int_equal(mxp_cli_parse_ports("25,465", ports, &n, 1).code, MXP_E_USAGE);
    uint8_t mask = 0;
    assert_int_equal(mxp_cli_parse_versions("tls1.0,1.1", &mask).code, MXP_OK);
    assert_int_equal(mask, 3);
    assert_int_equal(mxp_cli_parse_versions("", &mask).code, MXP_E_USAGE);
    uint16_t ids[2];
    const char *bad = NULL;
    assert_int_equal(
        mxp_cli_parse_suites("TLS_AES_128_GCM_SHA256,TLS_AES_128_GCM_SHA256", ids, &n, 2, &bad)
            .code,
        MXP_OK);
    assert_int_equal(n, 1); /* duplicates collapse */
    char longname[100];
    memset(longname, 'A', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_int_equal(mxp_cli_parse_suites(longname, ids, &n, 2, &bad).code, MXP_E_USAGE);
    assert_ptr_equal(bad, longname);
}

/* The value checks the shell shares: bounds, and nothing written on error. */
static void test_value_checks(void **state)
{
    (void)state;
    char host[MXP_CFG_HOST_MAX];
    strcpy(host, "kept");
    assert_int_equal(mxp_cli_parse_host("mx.example.org", host).code, MXP_OK);
    assert_string_equal(host, "mx.example.org");
    assert_int_equal(mxp_cli_parse_host("[2001:db8::25]", host).code, MXP_OK);
    assert_string_equal(host, "2001:db8::25");
    assert_int_equal(mxp_cli_parse_host("2001:db8::25", host).code, MXP_OK);
    static const char *const bad_hosts[] = {
        "", "mx.example.org:25", "[::1]:25", "bad^host", "[::1", "[::1]x"};
    for (size_t i = 0; i < sizeof bad_hosts / sizeof bad_hosts[0]; i++) {
        strcpy(host, "kept");
        assert_int_equal(mxp_cli_parse_host(bad_hosts[i], host).code, MXP_E_USAGE);
        assert_string_equal(host, "kept");
    }
    char toolong[MXP_CFG_HOST_MAX + 1];
    memset(toolong, 'a', sizeof toolong - 1);
    toolong[sizeof toolong - 1] = '\0';
    assert_int_equal(mxp_cli_parse_host(toolong, host).code, MXP_E_USAGE);
    assert_int_equal(mxp_cli_parse_name(toolong, host).code, MXP_E_USAGE);
    assert_int_equal(mxp_cli_parse_name("gw.example.net", host).code, MXP_OK);
    assert_string_equal(host, "gw.example.net");
    assert_int_equal(mxp_cli_parse_name("gw example", host).code, MXP_E_USAGE);
    assert_string_equal(host, "gw.example.net");

    uint32_t ms = 7;
    assert_int_equal(mxp_cli_parse_timeout("99", &ms).code, MXP_E_USAGE);
    assert_int_equal(mxp_cli_parse_timeout("300001", &ms).code, MXP_E_USAGE);
    assert_int_equal(mxp_cli_parse_timeout("1e3", &ms).code, MXP_E_USAGE);
    assert_int_equal(mxp_cli_parse_timeout("", &ms).code, MXP_E_USAGE);
    assert_int_equal(ms, 7);
    assert_int_equal(mxp_cli_parse_timeout("100", &ms).code, MXP_OK);
    assert_int_equal(ms, 100);
    assert_int_equal(mxp_cli_parse_timeout("300000", &ms).code, MXP_OK);
    assert_int_equal(ms, 300000);

    uint8_t n = 7;
    char text[8];
    assert_int_equal(mxp_cli_parse_max_conns("0", &n).code, MXP_E_USAGE);
    snprintf(text, sizeof text, "%d", MXP_CFG_CONCURRENT_SLOTS + 1);
    assert_int_equal(mxp_cli_parse_max_conns(text, &n).code, MXP_E_USAGE);
    assert_int_equal(n, 7);
    snprintf(text, sizeof text, "%d", MXP_CFG_CONCURRENT_SLOTS);
    assert_int_equal(mxp_cli_parse_max_conns(text, &n).code, MXP_OK);
    assert_int_equal(n, MXP_CFG_CONCURRENT_SLOTS);
    assert_int_equal(mxp_cli_parse_rtt_samples("0", &n).code, MXP_OK);
    assert_int_equal(n, 0);
    snprintf(text, sizeof text, "%d", MXP_RTT_SAMPLES_MAX + 1);
    assert_int_equal(mxp_cli_parse_rtt_samples(text, &n).code, MXP_E_USAGE);
    assert_int_equal(mxp_cli_parse_rtt_samples("-1", &n).code, MXP_E_USAGE);
    assert_int_equal(n, 0);
    assert_int_equal(mxp_cli_parse_mx_limit("0", &n).code, MXP_E_USAGE);
    snprintf(text, sizeof text, "%d", MXP_CFG_MX_MAX + 1);
    assert_int_equal(mxp_cli_parse_mx_limit(text, &n).code, MXP_E_USAGE);
    assert_int_equal(mxp_cli_parse_mx_limit("1", &n).code, MXP_OK);
    assert_int_equal(n, 1);

    /* The command line words its own message over the same check. */
    assert_int_equal(PARSE("--timeout", "99", "mx.example.org").code, MXP_E_USAGE);
    assert_string_equal(err, "bad --timeout (milliseconds, 100..300000): 99");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),     cmocka_unit_test(test_targets),
        cmocka_unit_test(test_options),      cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_list_parsers), cmocka_unit_test(test_value_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
