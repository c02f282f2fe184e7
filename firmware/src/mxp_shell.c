/*
 * Serial-console shell. See mxp_shell.h. The settings are a request for the
 * engine's orchestrator (mxp_run.h), filled directly through the command
 * line's own value checks (mxp_cli.h), so `probe` on a board accepts and
 * refuses what mxprobe on Linux does, in the shell's own words.
 */
#include "mxp_shell.h"

#include <stdio.h>
#include <string.h>

#include "mxp_cli.h"
#include "mxp_dns.h"
#include "mxp_err_text.h"
#include "mxp_fmt.h"

#define MAX_ARGS 12
#define PROMPT "mxprobe> "
#define SHELL_STR_(x) #x
#define SHELL_STR(x) SHELL_STR_(x)

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
    mxp_runner_init(&sh->runner, hal, engine, result);
    mxp_plan_defaults(&sh->req.plan);
    sh->req.sni_auto = true;
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
    const struct mxp_plan *p = &sh->req.plan;
    char vers[24];
    versions_text(p->versions, vers, sizeof vers);
    mxp_printf(&sh->w, "ehlo      %s\nsni       %s\n", p->ehlo_name,
               sh->req.sni_auto ? "(the host, when it is a name)"
               : p->sni[0]      ? p->sni
                                : "none");
    mxp_printf(&sh->w,
               "timeout   %lu ms per step\n"
               "conns     %u at once\n"
               "versions  %s\n"
               "samples   %u connects per port (RTT)\n"
               "rdns      %s\n"
               "dns       ",
               (unsigned long)p->timeout_ms, (unsigned)p->max_concurrent, vers,
               (unsigned)p->rtt_samples, p->rdns ? "on" : "off");
    if (!p->have_dns) {
        mxp_puts(&sh->w, "dhcp");
    } else {
        bool v6 = p->dns_server.family == MXP_AF_INET6 && p->dns_port != 0;
        mxp_puts(&sh->w, v6 ? "[" : "");
        mxp_fmt_addr(&sh->w, &p->dns_server);
        if (p->dns_port != 0)
            mxp_printf(&sh->w, "%s:%u", v6 ? "]" : "", (unsigned)p->dns_port);
    }
    mxp_printf(&sh->w, "\njson      %s\n", sh->json ? "on" : "off");
}

/* One setting through the command line's own check; false after an error line. */
static bool set_value(struct mxp_shell *sh, const char *key, const char *val)
{
    struct mxp_plan *p = &sh->req.plan;
    const char *why;
    if (strcmp(key, "ehlo") == 0) {
        if (mxp_ok(mxp_cli_parse_name(val, p->ehlo_name)))
            return true;
        why = "bad EHLO name (letters, digits, '-', '.')";
    } else if (strcmp(key, "sni") == 0) {
        bool auto_sni = strcmp(val, "auto") == 0;
        if (auto_sni || strcmp(val, "none") == 0 || mxp_ok(mxp_cli_parse_name(val, p->sni))) {
            sh->req.sni_auto = auto_sni;
            if (auto_sni || strcmp(val, "none") == 0)
                p->sni[0] = '\0';
            return true;
        }
        why = "bad SNI name (a host name, auto or none)";
    } else if (strcmp(key, "timeout") == 0) {
        if (mxp_ok(mxp_cli_parse_timeout(val, &p->timeout_ms)))
            return true;
        why = "bad timeout (milliseconds, " SHELL_STR(MXP_CLI_TIMEOUT_MIN) ".." SHELL_STR(
            MXP_CLI_TIMEOUT_MAX) ")";
    } else if (strcmp(key, "conns") == 0) {
        if (mxp_ok(mxp_cli_parse_max_conns(val, &p->max_concurrent)))
            return true;
        why = "bad conns (1.." SHELL_STR(MXP_CFG_CONCURRENT_SLOTS) " at once)";
    } else if (strcmp(key, "versions") == 0) {
        uint8_t mask;
        if (mxp_ok(mxp_cli_parse_versions(val, &mask))) {
            p->versions = mask;
            return true;
        }
        why = "bad version list (use 1.0,1.1,1.2,1.3)";
    } else if (strcmp(key, "samples") == 0) {
        if (mxp_ok(mxp_cli_parse_rtt_samples(val, &p->rtt_samples)))
            return true;
        why = "bad samples (0.." SHELL_STR(MXP_RTT_SAMPLES_MAX) " connects per port)";
    } else if (strcmp(key, "rdns") == 0) {
        if (strcmp(val, "on") == 0 || strcmp(val, "off") == 0) {
            p->rdns = strcmp(val, "on") == 0;
            return true;
        }
        why = "rdns is on or off";
    } else if (strcmp(key, "dns") == 0) {
        struct mxp_addr server;
        uint16_t port;
        if (strcmp(val, "dhcp") == 0) {
            p->have_dns = false;
            return true;
        }
        if (mxp_ok(mxp_cli_parse_server(val, &server, &port))) {
            p->have_dns = true;
            p->dns_server = server;
            p->dns_port = port;
            return true;
        }
        why = "dns is dhcp or an address (10.0.2.3, 10.0.2.2:5353)";
    } else {
        say_error(sh, "unknown setting (ehlo, sni, timeout, conns, versions, samples, rdns, dns)",
                  key);
        return false;
    }
    say_error(sh, why, val);
    return false;
}

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
    if (!set_value(sh, argv[1], argv[2]))
        return SHELL_BAD;
    show_config(sh);
    return 0;
}

/* ---- probing ------------------------------------------------------------------ */

/* PORT... words after the target into req.ports (default 25 465 587); false
 * after an error line. */
static bool parse_port_words(struct mxp_shell *sh, int argc, char **argv)
{
    static const uint16_t defaults[] = {25, 465, 587};
    struct mxp_run *req = &sh->req;
    req->n_ports = 0;
    if (argc <= 2) {
        memcpy(req->ports, defaults, sizeof defaults);
        req->n_ports = sizeof defaults / sizeof defaults[0];
        return true;
    }
    for (int i = 2; i < argc; i++) {
        uint8_t got = 0;
        bool ok = mxp_ok(mxp_cli_parse_ports(argv[i], req->ports + req->n_ports, &got,
                                             MXP_CFG_RUN_PORTS_MAX - req->n_ports));
        for (uint8_t k = 0; ok && k < got; k++)
            for (uint8_t j = 0; j < req->n_ports; j++)
                ok = ok && req->ports[j] != req->ports[req->n_ports + k];
        if (!ok) {
            say_error(sh,
                      "bad port list (1-65535, no repeats, at most " SHELL_STR(
                          MXP_CFG_RUN_PORTS_MAX) " ports)",
                      argv[i]);
            return false;
        }
        req->n_ports = (uint8_t)(req->n_ports + got);
    }
    return true;
}

/* Run the request the command filled in; its exit status, or SHELL_BAD. */
static int run(struct mxp_shell *sh)
{
    sh->req.plan.show_progress = !sh->json; /* a JSON line stays one clean line */
    mxp_err e = mxp_run_exec(&sh->runner, &sh->req, &sh->w, &sh->summary);
    if (!mxp_ok(e)) {
        char text[120];
        say_error(sh, "probe could not run", mxp_err_str(e, text, sizeof text));
        return SHELL_BAD;
    }
    return sh->summary.exit_status;
}

/* probe HOST [PORT...] / tls HOST PORT: HOST as given, no MX lookup.
 * mx DOMAIN [PORT...]: the MX hosts of a mail domain, in preference order,
 * each probed at its first address. */
static int cmd_probe(struct mxp_shell *sh, int argc, char **argv, uint8_t mode, uint8_t form)
{
    static const char *const usage[] = {"probe HOST [PORT...]", "mx DOMAIN [PORT...]",
                                        "tls HOST PORT"};
    struct mxp_run *req = &sh->req;
    bool matrix = form == MXP_RUN_MATRIX;
    if (matrix ? argc != 3 : argc < 2) {
        say_error(sh, "usage", usage[matrix ? 2 : mode]);
        return SHELL_BAD;
    }
    if (!mxp_ok(mxp_cli_parse_host(argv[1], req->plan.host))) {
        say_error(sh, "not a valid host name or address", argv[1]);
        return SHELL_BAD;
    }
    if (mode == MXP_RUN_DOMAIN && mxp_dns_is_literal(req->plan.host)) {
        say_error(sh, "mx needs a domain name, not an address", argv[1]);
        return SHELL_BAD;
    }
    if (!parse_port_words(sh, argc, argv))
        return SHELL_BAD;
    req->mode = mode;
    req->form = sh->json ? MXP_RUN_JSON : form;
    req->mx_limit = 0;
    return run(sh);
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
             "  config [KEY VALUE]     show or set: ehlo NAME, sni NAME|auto|none, timeout MS,\n"
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
    mxp_printf(&sh->w, "engine    %lu bytes work area, %lu bytes result, %lu bytes shell\n",
               (unsigned long)mxp_engine_size(), (unsigned long)sizeof(struct mxp_result),
               (unsigned long)sizeof *sh);
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
        rc = cmd_probe(sh, argc, argv, MXP_RUN_HOST, MXP_RUN_TEXT);
    } else if (strcmp(argv[0], "mx") == 0) {
        rc = cmd_probe(sh, argc, argv, MXP_RUN_DOMAIN, MXP_RUN_TEXT);
    } else if (strcmp(argv[0], "tls") == 0) {
        rc = cmd_probe(sh, argc, argv, MXP_RUN_HOST, MXP_RUN_MATRIX);
    } else if (strcmp(argv[0], "config") == 0) {
        rc = cmd_config(sh, argc, argv);
    } else if (strcmp(argv[0], "json") == 0) {
        if (argc == 2 && (strcmp(argv[1], "on") == 0 || strcmp(argv[1], "off") == 0)) {
            sh->json = strcmp(argv[1], "on") == 0;
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
