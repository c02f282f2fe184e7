/*
 * The serial-console shell on the host: typed bytes in, console text out,
 * the real engine behind it talking to a scripted peer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json_check.h"
#include "mxp_fakes.h"
#include "mxp_shell.h"
#include "mxp_wolfssl_port.h"

/* A console: what the person types, and everything the board prints. */
struct console {
    const char *typed;
    size_t pos;
    char out[131072];
    size_t len;
    bool interrupt;
};

static mxp_err con_write(void *ctx, const char *buf, size_t len)
{
    struct console *c = ctx;
    size_t room = sizeof c->out - 1 - c->len;
    size_t n = len < room ? len : room;
    memcpy(c->out + c->len, buf, n);
    c->len += n;
    c->out[c->len] = '\0';
    return MXP_SUCCESS;
}

static mxp_err con_read(void *ctx, char *ch)
{
    struct console *c = ctx;
    if (c->typed == NULL || c->typed[c->pos] == '\0')
        return MXP_ERR(MXP_E_WOULD_BLOCK, 0);
    *ch = c->typed[c->pos++];
    return MXP_SUCCESS;
}

static bool con_interrupted(void *ctx)
{
    return ((struct console *)ctx)->interrupt;
}

static const struct mxp_hal_sink_api con_api = {
    .write = con_write, .read = con_read, .interrupted = con_interrupted};

struct rig {
    struct console con;
    struct mxp_fake_clock clock;
    struct mxp_fake_entropy entropy;
    struct mxp_fake_net net;
    struct mxp_hal hal;
    struct mxp_result result;
    struct mxp_shell sh;
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
static const struct mxp_fake_step busy[] = {SEND("421 4.7.0 mx.example.test Too busy\r\n"),
                                            EXPECT("QUIT"),
                                            SEND("221 Bye\r\n"),
                                            {MXP_FAKE_CLOSE, NULL, 0}};

/* The DNS behind the fake's UDP port 53: MX example.test -> 10 mx.example.test,
 * A mx.example.test -> 192.0.2.25; everything else NXDOMAIN. */
static size_t put_name(uint8_t *out, const char *name)
{
    size_t o = 0;
    while (*name) {
        size_t l = strcspn(name, ".");
        out[o++] = (uint8_t)l;
        memcpy(out + o, name, l);
        o += l;
        name += l + (name[l] == '.');
    }
    out[o++] = 0;
    return o;
}

static size_t zone_answer(void *arg, bool tcp, const uint8_t *q, size_t len, uint8_t *out,
                          size_t cap, struct mxp_addr *from, uint16_t *from_port)
{
    char name[256];
    size_t pos = 12, n = 0;
    (void)arg;
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
    uint16_t qtype = (uint16_t)(q[pos + 1] << 8 | q[pos + 2]);
    pos += 5;
    memcpy(out, q, pos);
    out[2] = 0x84 | (q[2] & 0x01);
    out[3] = 0x80;
    memset(out + 6, 0, 6);
    uint8_t rd[64] = {0, 10};
    size_t rdlen = 0;
    if (strcmp(name, "example.test") == 0 && qtype == 15)
        rdlen = 2 + put_name(rd + 2, "mx.example.test");
    else if (strcmp(name, "mx.example.test") == 0 && qtype == 1)
        rdlen = 4, memcpy(rd, (const uint8_t[]){192, 0, 2, 25}, 4);
    else if (strcmp(name, "example.test") != 0 && strcmp(name, "mx.example.test") != 0)
        out[3] = 0x83;
    if (rdlen == 0)
        return pos;
    const uint8_t head[] = {0xc0, 0x0c, 0, (uint8_t)qtype, 0, 1, 0, 0, 0, 60, 0, (uint8_t)rdlen};
    memcpy(out + pos, head, sizeof head);
    memcpy(out + pos + sizeof head, rd, rdlen);
    out[7] = 1;
    return pos + sizeof head + rdlen;
}

static struct rig *rig_new(const struct mxp_fake_step *script, size_t n)
{
    struct rig *r = calloc(1, sizeof *r);
    assert_non_null(r);
    mxp_fake_clock_init(&r->clock, 1000);
    mxp_fake_entropy_init(&r->entropy, 7);
    mxp_fake_net_init(&r->net, script, n, &r->clock);
    mxp_fake_hal_wire(&r->hal, &r->clock, &r->entropy, &r->net, &mxp_fake_net_api, &con_api,
                      &r->con);
    mxp_wolfssl_port_init(&r->hal);
    r->engine = malloc(mxp_engine_size());
    assert_non_null(r->engine);
    mxp_shell_init(&r->sh, &r->hal, NULL, r->engine, &r->result);
    return r;
}

/* With UDP and a DNS server: the `mx` command's lookup works. */
static struct rig *rig_new_dns(const struct mxp_fake_step *script, size_t n)
{
    struct rig *r = rig_new(script, n);
    r->net.dns = zone_answer;
    r->net.dns_server.family = MXP_AF_INET;
    memcpy(r->net.dns_server.bytes, (const uint8_t[]){192, 0, 2, 53}, 4);
    mxp_fake_hal_wire(&r->hal, &r->clock, &r->entropy, &r->net, &mxp_fake_net_api_full, &con_api,
                      &r->con);
    return r;
}

static void rig_free(struct rig *r)
{
    free(r->engine);
    free(r);
}

static void type(struct rig *r, const char *keys)
{
    r->con.typed = keys;
    r->con.pos = 0;
    r->con.len = 0;
    r->con.out[0] = '\0';
    mxp_shell_poll(&r->sh);
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
        if (strstr((r)->con.out, (s)) == NULL)                                                     \
            fail_msg("missing '%s' in console output:\n%s", (s), (r)->con.out);                    \
    } while (0)

static void test_help_and_line_editing(void **state)
{
    (void)state;
    struct rig *r = rig_new(busy, 4);
    type(r, "hexx\x7f\x7flp\r\n");
    assert_has(r, "commands:");
    assert_has(r, "probe HOST [PORT...]");
    assert_int_equal(count(r->con.out, "commands:"), 1); /* CRLF runs it once */
    assert_int_equal(count(r->con.out, "mxprobe> "), 1);
    type(r, "help\x15"
            "mem\r"); /* Ctrl-U cleared "help" */
    assert_has(r, "engine    ");
    assert_int_equal(count(r->con.out, "commands:"), 0);
    type(r, "hel\x03"); /* Ctrl-C drops the line */
    assert_has(r, "^C\r\n");
    assert_int_equal(count(r->con.out, "commands:"), 0);
    rig_free(r);
}

static void test_bad_input_gets_one_error_line(void **state)
{
    (void)state;
    static const struct {
        const char *typed;
        const char *error;
    } cases[] = {
        {"frobnicate\r", "error: unknown command (help lists them): frobnicate\n"},
        {"probe\r", "error: usage: probe HOST [PORT...]\n"},
        {"tls mx.example.test\r", "error: usage: tls HOST PORT\n"},
        {"probe mx.example.test 99999\r", "error: bad port list"},
        {"probe bad^host\r", "error: not a valid host name or address"},
        {"json maybe\r", "error: usage: json on|off\n"},
        {"config timeout 5\r", "error: bad timeout (milliseconds, 100..300000): 5\n"},
        {"config conns 0\r", "error: bad conns"},
        {"config samples 17\r", "error: bad samples"},
        {"config sni bad^name\r", "error: bad SNI name"},
        {"config dns example.org\r", "error: dns is dhcp or an address"},
        {"mx 192.0.2.1\r", "error: mx needs a domain name, not an address: 192.0.2.1\n"},
        {"probe mx.example.test:25\r", "error: not a valid host name or address"},
        {"probe mx.example.test 25 25\r", "error: bad port list"},
        {"probe mx.example.test 25,465 465\r", "error: bad port list"},
        {"probe mx.example.test 1 2 3 4 5 6 7 8 9\r", "error: bad port list"},
        {"config colour red\r", "error: unknown setting"},
        {"config ehlo\r", "error: usage: config [show]"},
        {"config versions 1.4\r", "error: bad version list"},
        {"net\r", "error: not available on this platform: net\n"},
        {"reboot\r", "error: not available on this platform: reboot\n"},
        {"a b c d e f g h i j k l m\r", "error: too many words\n"},
    };
    struct rig *r = rig_new(busy, 4);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        type(r, cases[i].typed);
        assert_has(r, cases[i].error);
        assert_int_equal(count(r->con.out, "error:"), 1);
        /* the prompt comes back, and nothing went to the network */
        assert_true(r->con.len >= 9 && memcmp(r->con.out + r->con.len - 9, "mxprobe> ", 9) == 0);
        assert_int_equal(r->net.connects, 0);
    }
    rig_free(r);
}

static void test_overlong_line_rings_and_survives(void **state)
{
    (void)state;
    static char keys[400];
    memset(keys, 'x', sizeof keys - 2);
    keys[sizeof keys - 2] = '\r';
    struct rig *r = rig_new(busy, 4);
    type(r, keys);
    assert_has(r, "\a");
    assert_has(r, "error: unknown command");
    type(r, "help\r");
    assert_has(r, "commands:");
    rig_free(r);
}

static void test_config_reaches_the_wire(void **state)
{
    (void)state;
    static const struct mxp_fake_step no_tls[] = {SEND("220 mx.example.test ESMTP\r\n"),
                                                  EXPECT("EHLO gw.example.net\r\n"),
                                                  SEND("250-mx.example.test\r\n250 SIZE 100\r\n"),
                                                  EXPECT("QUIT"),
                                                  SEND("221 Bye\r\n"),
                                                  {MXP_FAKE_CLOSE, NULL, 0}};
    struct rig *r = rig_new(no_tls, 6);
    type(r, "config ehlo gw.example.net\r");
    assert_has(r, "ehlo      gw.example.net\n");
    type(r, "config timeout 1500\r");
    assert_has(r, "timeout   1500 ms per step\n");
    type(r, "config samples 2\r");
    assert_has(r, "samples   2 connects per port (RTT)\n");
    type(r, "config rdns maybe\r");
    assert_has(r, "error: rdns is on or off: maybe");
    type(r, "config rdns off\r");
    assert_has(r, "rdns      off\n");
    type(r, "probe 192.0.2.1 25\r");
    assert_has(r, "does not offer STARTTLS");
    assert_has(r, "port 25 open: 2 of 2 connected");
    assert_int_equal(r->net.connects, 3); /* two RTT samples, then the SMTP session */
    assert_int_equal(r->net.expect_mismatches, 0);
    rig_free(r);
}

/* One valid JSON document on one line: what fleet tooling reads from the UART. */
static void assert_one_json_line(const struct rig *r)
{
    const char *nl = strchr(r->con.out, '\n');
    assert_non_null(nl);
    assert_int_equal((size_t)(nl - r->con.out) + 1, r->con.len);
    assert_true(mxp_json_check(r->con.out, r->con.len, NULL));
}

static void test_mx_without_resolver_probes_the_name(void **state)
{
    (void)state;
    struct rig *r = rig_new(busy, 4);
    assert_int_equal(mxp_shell_exec(&r->sh, "config samples 0"), 0);
    /* This HAL has no UDP: the lookup cannot run, the name is probed as a host. */
    assert_int_equal(mxp_shell_exec(&r->sh, "mx example.test 25"), 1);
    assert_has(r, "MX records of example.test: no-resolver");
    assert_has(r, "probing example.test as\n      a host.");
    assert_has(r, "421");
    assert_int_equal(r->net.connects, 1);
    type(r, "json on\r");
    r->con.len = 0;
    assert_int_equal(mxp_shell_exec(&r->sh, "mx example.test 25"), 1);
    assert_one_json_line(r);
    assert_has(r, "{\"schema\":\"mxprobe-mx-report\"");
    assert_has(r, "\"hosts\":[{\"schema\":\"mxprobe-report\"");
    assert_has(r, "}],\"summary\":{\"verdict\":\"fail\",\"results\":1,");
    assert_has(r, "\"rows\":[{\"host\":\"example.test\",\"port\":25,\"reach\":\"open\",");
    assert_has(r, "]},\"exit_status\":1}\n");
    assert_int_equal(mxp_shell_exec(&r->sh, "mx"), 2);
    assert_has(r, "error: usage: mx DOMAIN [PORT...]");
    rig_free(r);
}

static void test_probe_busy_text_and_json(void **state)
{
    (void)state;
    struct rig *r = rig_new(busy, 4);
    assert_int_equal(mxp_shell_exec(&r->sh, "config samples 0"), 0);
    assert_int_equal(mxp_shell_exec(&r->sh, "probe mx.example.test 25"), 1);
    assert_has(r, "421");
    assert_has(r, "Verdict");
    assert_int_equal(r->net.connects, 1);

    type(r, "json on\r");
    r->con.len = 0;
    assert_int_equal(mxp_shell_exec(&r->sh, "probe mx.example.test 25"), 1);
    assert_one_json_line(r);
    assert_has(r, "\"busy\":true");
    rig_free(r);
}

static void test_tls_command_prints_matrix_only(void **state)
{
    (void)state;
    struct rig *r = rig_new(busy, 4);
    assert_int_equal(mxp_shell_exec(&r->sh, "tls mx.example.test 25"), 1);
    assert_has(r, "Port 25 (STARTTLS)\n");
    assert_has(r, "Verdict");
    assert_null(strstr(r->con.out, "Banner"));
    rig_free(r);
}

static void test_interrupt_stops_the_probe(void **state)
{
    (void)state;
    static const struct mxp_fake_step stall[] = {{MXP_FAKE_STALL, NULL, 0}};
    struct rig *r = rig_new(stall, 1);
    r->con.interrupt = true;
    assert_int_equal(mxp_shell_exec(&r->sh, "probe mx.example.test 25"), 1);
    assert_true(r->result.interrupted);
    assert_has(r, "interrupted, the results above are partial");
    assert_int_equal(r->net.open_now, 0);
    rig_free(r);
}

/* After a probe stopped with Ctrl-C, `mx` and `probe` run as the first did
 * (the result of the stopped probe once made `mx` probe nothing). */
static void test_interrupt_then_mx_and_probe_again(void **state)
{
    (void)state;
    static const struct mxp_fake_step stall[] = {{MXP_FAKE_STALL, NULL, 0}};
    static const struct mxp_fake_port_script ports[] = {{2525, stall, 1}};
    struct rig *r = rig_new_dns(busy, 4);
    r->net.port_scripts = ports;
    r->net.n_port_scripts = 1;
    assert_int_equal(mxp_shell_exec(&r->sh, "config samples 0"), 0);
    r->con.interrupt = true;
    assert_int_equal(mxp_shell_exec(&r->sh, "probe mx.example.test 2525"), 1);
    assert_true(r->result.interrupted);
    r->con.interrupt = false;
    unsigned before = r->net.connects;
    r->con.len = 0;
    assert_int_equal(mxp_shell_exec(&r->sh, "mx example.test 25"), 1);
    assert_has(r, "10  mx.example.test  192.0.2.25  [probed]");
    assert_has(r, "mxprobe report for mx.example.test (192.0.2.25)");
    assert_has(r, "Banner    421 4.7.0");
    assert_has(r, "  mx.example.test       25     open         none     FAIL  smtp-busy\n");
    assert_int_equal(r->net.connects, before + 1);

    r->con.interrupt = true;
    assert_int_equal(mxp_shell_exec(&r->sh, "probe mx.example.test 2525"), 1);
    r->con.interrupt = false;
    r->con.len = 0;
    assert_int_equal(mxp_shell_exec(&r->sh, "probe mx.example.test 25"), 1);
    assert_has(r, "Banner    421 4.7.0");
    assert_null(strstr(r->con.out, "interrupted"));
    assert_int_equal(r->net.open_now, 0);
    rig_free(r);
}

/* More ports than the board's result holds: one report and one summary,
 * or one JSON line. */
static void test_probe_more_ports_than_a_result_holds(void **state)
{
    (void)state;
    struct rig *r = rig_new(busy, 4);
    assert_int_equal(mxp_shell_exec(&r->sh, "config samples 0"), 0);
    r->con.len = 0;
    assert_int_equal(mxp_shell_exec(&r->sh, "probe mx.example.test 25 587,2524 2525 2526 2527"), 1);
    assert_int_equal(r->net.connects, 6);
    assert_int_equal(count(r->con.out, "mxprobe report for "), 1);
    assert_int_equal(count(r->con.out, "\nSummary\n"), 1);
    assert_int_equal(count(r->con.out, "\nDone: "), 1);
    assert_int_equal(r->sh.summary.n_rows, 6);
    assert_has(r, "  FAIL  mx.example.test: 6 of 6 ports fail; worst: port 25 smtp-busy\n");
    assert_has(r, "  mx.example.test       2527   open         none     FAIL  smtp-busy\n");
    type(r, "json on\r");
    r->con.len = 0;
    assert_int_equal(mxp_shell_exec(&r->sh, "probe mx.example.test 25 587 2524 2525 2526"), 1);
    assert_one_json_line(r);
    assert_has(r, "{\"schema\":\"mxprobe-host-report\"");
    assert_int_equal(count(r->con.out, "{\"schema\":\"mxprobe-report\""),
                     (5 + MXP_CFG_MAX_PORTS - 1) / MXP_CFG_MAX_PORTS);
    rig_free(r);
}

/* Settings show what was set, and a bad value leaves the old one. */
static void test_config_values(void **state)
{
    (void)state;
    struct rig *r = rig_new(busy, 4);
    type(r, "config dns 10.0.2.2:5353\r");
    assert_has(r, "dns       10.0.2.2:5353\n");
    type(r, "config dns [2001:db8::53]:53\r");
    assert_has(r, "dns       [2001:db8::53]:53\n");
    type(r, "config dns nonsense\r");
    assert_has(r, "error: dns is dhcp or an address");
    type(r, "config\r");
    assert_has(r, "dns       [2001:db8::53]:53\n");
    type(r, "config dns dhcp\r");
    assert_has(r, "dns       dhcp\n");
    type(r, "config versions 1.4\r");
    type(r, "config\r");
    assert_has(r, "versions  1.0,1.1,1.2,1.3\n");
    type(r, "config versions tls1.2,1.3\r");
    assert_has(r, "versions  1.2,1.3\n");
    type(r, "config sni mx.example.net\r");
    assert_has(r, "sni       mx.example.net\n");
    type(r, "config sni bad^name\r");
    type(r, "config\r");
    assert_has(r, "sni       mx.example.net\n");
    type(r, "config sni none\r");
    assert_has(r, "sni       none\n");
    type(r, "config sni auto\r");
    assert_has(r, "sni       (the host, when it is a name)\n");
    type(r, "config conns 1\r");
    assert_has(r, "conns     1 at once\n");
    rig_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_and_line_editing),
        cmocka_unit_test(test_bad_input_gets_one_error_line),
        cmocka_unit_test(test_overlong_line_rings_and_survives),
        cmocka_unit_test(test_config_reaches_the_wire),
        cmocka_unit_test(test_probe_busy_text_and_json),
        cmocka_unit_test(test_mx_without_resolver_probes_the_name),
        cmocka_unit_test(test_tls_command_prints_matrix_only),
        cmocka_unit_test(test_interrupt_stops_the_probe),
        cmocka_unit_test(test_interrupt_then_mx_and_probe_again),
        cmocka_unit_test(test_probe_more_ports_than_a_result_holds),
        cmocka_unit_test(test_config_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
