/*
 * Serial-console shell. See mxp_shell.h. Commands reuse the command-line
 * parser, so `probe` on a board accepts and refuses exactly what mxprobe on
 * Linux does.
 */
#include "mxp_shell.h"

#include <stdio.h>
#include <string.h>

#include "mxp_cli.h"
#include "mxp_err_text.h"
#include "mxp_mx.h"
#include "mxp_report.h"

#define MAX_ARGS 12
#define PROMPT "mxprobe> "

enum {
    SHELL_BAD = 2
};

static mxp_err shell_flush(void *ctx, const char *buf, size_t len)
{
    const struct mxp_hal *hal = ctx;
    return hal->sink->write(hal->sink_ctx, buf, len);
}

/* A console that cannot be written to has nowhere to report that: the
 * shell carries on and the next prompt tries again. */
static void flush_out(struct mxp_shell *sh)
{
    if (!mxp_ok(mxp_writer_finish(&sh->w)))
        mxp_writer_init(&sh->w, sh->out, sizeof sh->out, shell_flush, (void *)sh->hal);
}

static void echo(struct mxp_shell *sh, const char *s, size_t n)
{
    (void)sh->hal->sink->write(sh->hal->sink_ctx, s, n);
}

void mxp_shell_init(struct mxp_shell *sh, const struct mxp_hal *hal,
                    const struct mxp_shell_ops *ops, struct mxp_engine *engine,
                    struct mxp_result *result)
{
    memset(sh, 0, sizeof *sh);
    sh->hal = hal;
    sh->ops = ops;
    sh->engine = engine;
    sh->result = result;
    struct mxp_plan defaults;
    mxp_plan_defaults(&defaults);
    memcpy(sh->set.ehlo, defaults.ehlo_name, sizeof sh->set.ehlo);
    sh->set.timeout_ms = defaults.timeout_ms;
    sh->set.max_concurrent = defaults.max_concurrent;
    sh->set.versions = defaults.versions;
    sh->set.rtt_samples = defaults.rtt_samples;
    sh->set.rdns = defaults.rdns;
}

void mxp_shell_prompt(struct mxp_shell *sh)
{
    echo(sh, PROMPT, sizeof PROMPT - 1);
}

static void say_error(struct mxp_shell *sh, const char *what, const char *arg)
{
    mxp_printf(&sh->w, "error: %s%s%s\n", what, arg ? ": " : "", arg ? arg : "");
}

/* ---- settings ---------------------------------------------------------------- */

static void versions_text(uint8_t mask, char *buf, size_t cap)
{
    static const char *const names[MXP_TLS_VERSION_COUNT] = {"1.0", "1.1", "1.2", "1.3"};
    size_t len = 0;
    buf[0] = '\0';
    for (int v = 0; v < MXP_TLS_VERSION_COUNT; v++) {
        if ((mask & (1u << v)) && len + 5 < cap)
            len += (size_t)snprintf(buf + len, cap - len, "%s%s", len ? "," : "", names[v]);
    }
}

static void show_config(struct mxp_shell *sh)
{
    char vers[24];
    versions_text(sh->set.versions, vers, sizeof vers);
    mxp_printf(&sh->w,
               "ehlo      %s\n"
               "sni       %s\n"
               "timeout   %lu ms per step\n"
               "conns     %u at once\n"
               "versions  %s\n"
               "samples   %u connects per port (RTT)\n"
               "rdns      %s\n"
               "dns       %s\n"
               "json      %s\n",
               sh->set.ehlo, sh->set.sni[0] ? sh->set.sni : "(the host, when it is a name)",
               (unsigned long)sh->set.timeout_ms, (unsigned)sh->set.max_concurrent, vers,
               (unsigned)sh->set.rtt_samples, sh->set.rdns ? "on" : "off",
               sh->set.dns[0] ? sh->set.dns : "dhcp", sh->set.json ? "on" : "off");
}

/* Every value goes through the command-line parser's own checks. */
static int cmd_config(struct mxp_shell *sh, int argc, char **argv)
{
    if (argc == 1 || (argc == 2 && strcmp(argv[1], "show") == 0)) {
        show_config(sh);
        return 0;
    }
    if (argc != 3) {
        say_error(sh, "usage",
                  "config [show] | config ehlo|sni|timeout|conns|versions|samples|rdns|dns VALUE");
        return SHELL_BAD;
    }
    const char *key = argv[1], *val = argv[2];
    char opt[16];
    char err[120];
    struct mxp_cli cli;
    if (strcmp(key, "sni") == 0 && strcmp(val, "none") == 0) {
        memcpy(sh->set.sni, "none", 5);
        show_config(sh);
        return 0;
    }
    if (strcmp(key, "dns") == 0) {
        struct mxp_addr a;
        uint16_t port;
        if (strcmp(val, "dhcp") == 0) {
            sh->set.dns[0] = '\0';
        } else if (strlen(val) < sizeof sh->set.dns &&
                   mxp_ok(mxp_cli_parse_server(val, &a, &port))) {
            memcpy(sh->set.dns, val, strlen(val) + 1);
        } else {
            say_error(sh, "dns is dhcp or an address (10.0.2.3, 10.0.2.2:5353)", val);
            return SHELL_BAD;
        }
        show_config(sh);
        return 0;
    }
    if (strcmp(key, "rdns") == 0) {
        if (strcmp(val, "on") != 0 && strcmp(val, "off") != 0) {
            say_error(sh, "rdns is on or off", val);
            return SHELL_BAD;
        }
        sh->set.rdns = strcmp(val, "on") == 0;
        show_config(sh);
        return 0;
    }
    if (strcmp(key, "conns") == 0)
        memcpy(opt, "--max-conns", 12);
    else if (strcmp(key, "samples") == 0)
        memcpy(opt, "--rtt-samples", 14);
    else if (strlen(key) < sizeof opt - 2 &&
             (strcmp(key, "ehlo") == 0 || strcmp(key, "sni") == 0 || strcmp(key, "timeout") == 0 ||
              strcmp(key, "versions") == 0))
        snprintf(opt, sizeof opt, "--%s", key);
    else {
        say_error(sh, "unknown setting (ehlo, sni, timeout, conns, versions, samples, rdns, dns)",
                  key);
        return SHELL_BAD;
    }
    char *const args[] = {"config", opt, (char *)val, "config.invalid"};
    if (!mxp_ok(mxp_cli_parse(4, args, &cli, err, sizeof err))) {
        say_error(sh, err, NULL);
        return SHELL_BAD;
    }
    if (strcmp(key, "ehlo") == 0)
        memcpy(sh->set.ehlo, cli.plan.ehlo_name, sizeof sh->set.ehlo);
    else if (strcmp(key, "sni") == 0)
        memcpy(sh->set.sni, cli.plan.sni, sizeof sh->set.sni);
    else if (strcmp(key, "timeout") == 0)
        sh->set.timeout_ms = cli.plan.timeout_ms;
    else if (strcmp(key, "conns") == 0)
        sh->set.max_concurrent = cli.plan.max_concurrent;
    else if (strcmp(key, "samples") == 0)
        sh->set.rtt_samples = cli.plan.rtt_samples;
    else
        sh->set.versions = cli.plan.versions;
    show_config(sh);
    return 0;
}

/* ---- probing ------------------------------------------------------------------ */

/* Parse and run one probe of host on ports[0..n), print its report. */
static int probe_batch(struct mxp_shell *sh, const char *verb, const char *host,
                       const struct mxp_addr *addr, const uint16_t *ports, size_t n,
                       bool matrix_only)
{
    char plist[8 * MXP_CFG_MAX_PORTS];
    char timeout[12], conns[4], vers[24], samples[4], err[120];
    char *args[24];
    int argc = 0;
    size_t len = 0;

    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(plist + len, sizeof plist - len, "%s%u", i ? "," : "",
                                (unsigned)ports[i]);
    snprintf(timeout, sizeof timeout, "%lu", (unsigned long)sh->set.timeout_ms);
    snprintf(conns, sizeof conns, "%u", (unsigned)sh->set.max_concurrent);
    versions_text(sh->set.versions, vers, sizeof vers);
    args[argc++] = (char *)verb;
    args[argc++] = "--ehlo";
    args[argc++] = sh->set.ehlo;
    args[argc++] = "--timeout";
    args[argc++] = timeout;
    args[argc++] = "--max-conns";
    args[argc++] = conns;
    args[argc++] = "--versions";
    args[argc++] = vers;
    snprintf(samples, sizeof samples, "%u", (unsigned)sh->set.rtt_samples);
    args[argc++] = "--rtt-samples";
    args[argc++] = samples;
    if (!sh->set.rdns)
        args[argc++] = "--no-rdns";
    if (sh->set.dns[0] != '\0') {
        args[argc++] = "--dns";
        args[argc++] = sh->set.dns;
    }
    if (strcmp(sh->set.sni, "none") == 0) {
        args[argc++] = "--no-sni";
    } else if (sh->set.sni[0] != '\0') {
        args[argc++] = "--sni";
        args[argc++] = sh->set.sni;
    }
    args[argc++] = "-p";
    args[argc++] = plist;
    args[argc++] = "--host";
    args[argc++] = (char *)host;

    struct mxp_cli cli;
    if (!mxp_ok(mxp_cli_parse(argc, args, &cli, err, sizeof err))) {
        say_error(sh, err, NULL);
        return SHELL_BAD;
    }
    sh->plan = cli.plan;
    sh->plan.show_progress = !sh->set.json; /* a JSON line stays one clean line */
    if (addr != NULL) {
        sh->plan.have_addr = true;
        sh->plan.addr = *addr;
    }
    flush_out(sh); /* show what came before while the probe runs */
    mxp_err run = mxp_probe_run(sh->hal, &sh->plan, sh->engine, sh->result);
    if (!mxp_ok(run)) {
        char text[120];
        say_error(sh, "probe could not run", mxp_err_str(run, text, sizeof text));
        return SHELL_BAD;
    }
    if (sh->set.json && sh->in_mx)
        mxp_report_json_object(sh->result, &sh->w); /* inside the MX document */
    else if (sh->set.json)
        mxp_report_json(sh->result, &sh->w);
    else if (matrix_only)
        mxp_report_matrix(sh->result, &sh->w);
    else
        mxp_report_text(sh->result, &sh->w);
    return mxp_report_exit_status(sh->result);
}

/* PORT... words after the target: ports[] (default 25 465 587); false after an error line. */
static bool parse_port_words(struct mxp_shell *sh, int argc, char **argv, uint16_t *ports,
                             size_t cap, size_t *n)
{
    static const uint16_t defaults[] = {25, 465, 587};
    *n = 0;
    if (argc <= 2) {
        memcpy(ports, defaults, sizeof defaults);
        *n = sizeof defaults / sizeof defaults[0];
        return true;
    }
    for (int i = 2; i < argc; i++) {
        uint8_t got = 0;
        if (!mxp_ok(mxp_cli_parse_ports(argv[i], ports + *n, &got, cap - *n))) {
            say_error(sh, "bad port list (1-65535, at most 8 ports)", argv[i]);
            return false;
        }
        *n += got;
    }
    return true;
}

/* Probe host (at addr when the MX lookup gave one) on ports, in turns when
 * the board's result holds fewer ports than were asked for
 * (MXP_CFG_MAX_PORTS): one report (or JSON object) per turn. */
static int probe_ports(struct mxp_shell *sh, const char *verb, const char *host,
                       const struct mxp_addr *addr, const uint16_t *ports, size_t n,
                       bool matrix_only)
{
    int worst = 0;
    for (size_t i = 0; i < n; i += MXP_CFG_MAX_PORTS) {
        size_t batch = n - i < MXP_CFG_MAX_PORTS ? n - i : MXP_CFG_MAX_PORTS;
        if (sh->set.json && sh->in_mx && sh->mx_hosts > 0)
            mxp_putc(&sh->w, ',');
        int rc = probe_batch(sh, verb, host, addr, ports + i, batch, matrix_only);
        sh->mx_hosts++;
        worst = rc > worst ? rc : worst;
        if (rc == SHELL_BAD || sh->result->interrupted)
            break;
    }
    return worst;
}

/* probe HOST [PORT...] / tls HOST PORT: HOST as given, no MX lookup. */
static int cmd_probe(struct mxp_shell *sh, int argc, char **argv, bool matrix_only)
{
    uint16_t ports[8];
    size_t n = 0;
    if (matrix_only ? argc != 3 : argc < 2) {
        say_error(sh, "usage", matrix_only ? "tls HOST PORT" : "probe HOST [PORT...]");
        return SHELL_BAD;
    }
    if (!parse_port_words(sh, argc, argv, ports, sizeof ports / sizeof ports[0], &n))
        return SHELL_BAD;
    return probe_ports(sh, argv[0], argv[1], NULL, ports, n, matrix_only);
}

/* mx DOMAIN [PORT...]: the MX hosts of a mail domain through the DHCP
 * resolver, in preference order, each probed at its first address. */
static int cmd_mx(struct mxp_shell *sh, int argc, char **argv)
{
    uint16_t ports[8];
    size_t n = 0;
    char err[120];
    struct mxp_cli cli;
    if (argc < 2) {
        say_error(sh, "usage", "mx DOMAIN [PORT...]");
        return SHELL_BAD;
    }
    if (!parse_port_words(sh, argc, argv, ports, sizeof ports / sizeof ports[0], &n))
        return SHELL_BAD;
    char *args[] = {"mx", "--mx", argv[1], "--dns", sh->set.dns};
    if (!mxp_ok(mxp_cli_parse(sh->set.dns[0] ? 5 : 3, args, &cli, err, sizeof err))) {
        say_error(sh, err, NULL);
        return SHELL_BAD;
    }
    cli.plan.timeout_ms = sh->set.timeout_ms;
    cli.plan.show_progress = !sh->set.json; /* a JSON line stays one clean line */
    flush_out(sh);
    mxp_err e = mxp_mx_lookup(sh->hal, &cli.plan, sh->engine, cli.plan.host, &sh->mx);
    if (!mxp_ok(e)) {
        char text[120];
        say_error(sh, "MX lookup could not run", mxp_err_str(e, text, sizeof text));
        return SHELL_BAD;
    }
    (void)mxp_mx_choose(&sh->mx, 0);
    int worst = mxp_mx_exit_status(&sh->mx);
    if (sh->set.json) {
        mxp_mx_report_json_begin(&sh->mx, &sh->w);
    } else {
        mxp_mx_report_text(&sh->mx, &sh->w);
        (void)mxp_mx_report_verdict(&sh->mx, &sh->w);
    }
    sh->mx_hosts = 0;
    sh->in_mx = true;
    if (mxp_mx_probe_name_instead(&sh->mx)) {
        /* As on Linux: the lookup failing, the name is probed as a host. */
        int rc = probe_ports(sh, "mx", cli.plan.host, NULL, ports, n, false);
        worst = rc > worst ? rc : worst;
    }
    for (size_t i = 0; i < sh->mx.n && !sh->result->interrupted; i++) {
        if (!sh->mx.mx[i].probed)
            continue;
        int rc = probe_ports(sh, "mx", sh->mx.mx[i].name, &sh->mx.mx[i].addr[0], ports, n, false);
        worst = rc > worst ? rc : worst;
        if (rc == SHELL_BAD)
            break;
    }
    sh->in_mx = false;
    if (sh->mx_hosts == 0 && worst != SHELL_BAD)
        worst = 1;
    if (sh->set.json)
        mxp_mx_report_json_end(&sh->w, worst == SHELL_BAD ? 1 : worst);
    return worst;
}

/* ---- the rest ------------------------------------------------------------------- */

static int cmd_help(struct mxp_shell *sh)
{
    mxp_puts(&sh->w,
             "commands:\n"
             "  probe HOST [PORT...]   full report (default ports 25 465 587; 465 = implicit TLS)\n"
             "  mx DOMAIN [PORT...]    look up the domain's MX hosts, probe each\n"
             "  tls HOST PORT          TLS version and cipher matrix only\n"
             "  net                    IP address, gateway, DNS, link\n"
             "  config [KEY VALUE]     show or set: ehlo NAME, sni NAME|none, timeout MS,\n"
             "                         conns N, versions 1.0,1.1,1.2,1.3, samples N,\n"
             "                         rdns on|off, dns ADDR[:PORT]|dhcp\n"
             "  json on|off            JSON report lines instead of text\n"
             "  mem                    flash and RAM use, heap and stack high-water marks\n"
             "  reboot                 restart the board\n"
             "Ctrl-C stops a running probe; backspace edits the line.\n");
    return 0;
}

static int cmd_mem(struct mxp_shell *sh)
{
    if (sh->ops != NULL && sh->ops->mem != NULL)
        sh->ops->mem(sh->ops->ctx, &sh->w);
    mxp_printf(&sh->w, "engine    %lu bytes work area, %lu bytes result\n",
               (unsigned long)mxp_engine_size(), (unsigned long)sizeof(struct mxp_result));
    return 0;
}

static int tokenize(char *s, char **argv, int max)
{
    int n = 0;
    while (*s) {
        while (*s == ' ' || *s == '\t')
            *s++ = '\0';
        if (*s == '\0')
            break;
        if (n == max)
            return -1;
        argv[n++] = s;
        while (*s && *s != ' ' && *s != '\t')
            s++;
    }
    return n;
}

int mxp_shell_exec(struct mxp_shell *sh, const char *line)
{
    char buf[MXP_CFG_SHELL_LINE_MAX];
    char *argv[MAX_ARGS];
    int rc = 0;

    mxp_writer_init(&sh->w, sh->out, sizeof sh->out, shell_flush, (void *)sh->hal);
    size_t len = strlen(line);
    if (len >= sizeof buf) {
        say_error(sh, "line too long", NULL);
        flush_out(sh);
        return SHELL_BAD;
    }
    memcpy(buf, line, len + 1);
    int argc = tokenize(buf, argv, MAX_ARGS);
    if (argc < 0) {
        say_error(sh, "too many words", NULL);
        rc = SHELL_BAD;
    } else if (argc == 0) {
        rc = 0;
    } else if (strcmp(argv[0], "help") == 0 || strcmp(argv[0], "?") == 0) {
        rc = cmd_help(sh);
    } else if (strcmp(argv[0], "probe") == 0) {
        rc = cmd_probe(sh, argc, argv, false);
    } else if (strcmp(argv[0], "mx") == 0) {
        rc = cmd_mx(sh, argc, argv);
    } else if (strcmp(argv[0], "tls") == 0) {
        rc = cmd_probe(sh, argc, argv, true);
    } else if (strcmp(argv[0], "config") == 0) {
        rc = cmd_config(sh, argc, argv);
    } else if (strcmp(argv[0], "json") == 0) {
        if (argc == 2 && (strcmp(argv[1], "on") == 0 || strcmp(argv[1], "off") == 0)) {
            sh->set.json = strcmp(argv[1], "on") == 0;
        } else {
            say_error(sh, "usage", "json on|off");
            rc = SHELL_BAD;
        }
    } else if (strcmp(argv[0], "net") == 0 && sh->ops != NULL && sh->ops->net != NULL) {
        sh->ops->net(sh->ops->ctx, &sh->w);
    } else if (strcmp(argv[0], "mem") == 0) {
        rc = cmd_mem(sh);
    } else if (strcmp(argv[0], "reboot") == 0 && sh->ops != NULL && sh->ops->reboot != NULL) {
        flush_out(sh);
        sh->ops->reboot(sh->ops->ctx);
    } else if (strcmp(argv[0], "net") == 0 || strcmp(argv[0], "reboot") == 0) {
        say_error(sh, "not available on this platform", argv[0]);
        rc = SHELL_BAD;
    } else {
        say_error(sh, "unknown command (help lists them)", argv[0]);
        rc = SHELL_BAD;
    }
    flush_out(sh);
    return rc;
}

void mxp_shell_poll(struct mxp_shell *sh)
{
    const struct mxp_hal_sink_api *sink = sh->hal->sink;
    char c;
    if (sink->read == NULL)
        return;
    while (mxp_ok(sink->read(sh->hal->sink_ctx, &c))) {
        bool was_cr = sh->last_cr;
        sh->last_cr = false;
        switch (c) {
        case '\n':
            if (was_cr)
                break;
            /* fall through */
        case '\r':
            sh->last_cr = c == '\r';
            echo(sh, "\r\n", 2);
            sh->line[sh->len] = '\0';
            sh->len = 0;
            (void)mxp_shell_exec(sh, sh->line);
            mxp_shell_prompt(sh);
            break;
        case 0x08:
        case 0x7f:
            if (sh->len > 0) {
                sh->len--;
                echo(sh, "\b \b", 3);
            }
            break;
        case 0x15: /* Ctrl-U */
            while (sh->len > 0) {
                sh->len--;
                echo(sh, "\b \b", 3);
            }
            break;
        case 0x03: /* Ctrl-C at the prompt: drop the line */
            sh->len = 0;
            echo(sh, "^C\r\n", 4);
            mxp_shell_prompt(sh);
            break;
        default:
            if (c < 0x20 || c > 0x7e)
                break; /* other control bytes and non-ASCII: ignored */
            if (sh->len + 1 < sizeof sh->line) {
                sh->line[sh->len++] = c;
                echo(sh, &c, 1);
            } else {
                echo(sh, "\a", 1);
            }
            break;
        }
    }
}
