/*
 * Command-line parsing. No libc beyond string functions: the firmware shell
 * uses the same parsers.
 */
#include "mxp_cli.h"

#include <stdio.h>
#include <string.h>

#include "mxp_addr.h"
#include "mxp_dns.h"
#include "mxp_suites.h"

#define MXP_STR_(x) #x
#define MXP_STR(x) MXP_STR_(x)

static void set_err(char *err, size_t cap, const char *what, const char *arg)
{
    if (cap == 0)
        return;
    snprintf(err, cap, "%s%s%s", what, arg ? ": " : "", arg ? arg : "");
}

/* Decimal in [lo, hi], whole string. */
static bool parse_uint(const char *s, size_t len, unsigned long lo, unsigned long hi,
                       unsigned long *out)
{
    unsigned long v = 0;
    if (len == 0 || len > 10)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned long)(s[i] - '0');
    }
    if (v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static bool is_sep(char c)
{
    return c == ',' || c == ':' || c == ' ';
}

mxp_err mxp_cli_parse_ports(const char *s, uint16_t *ports, uint8_t *n, size_t cap)
{
    *n = 0;
    while (*s) {
        size_t len = strcspn(s, ", ");
        unsigned long v;
        MXP_ENSURE(parse_uint(s, len, 1, 65535, &v), MXP_E_USAGE);
        for (size_t i = 0; i < *n; i++)
            MXP_ENSURE(ports[i] != v, MXP_E_USAGE);
        MXP_ENSURE(*n < cap, MXP_E_USAGE);
        ports[(*n)++] = (uint16_t)v;
        s += len;
        while (*s == ',' || *s == ' ')
            s++;
    }
    MXP_ENSURE(*n > 0, MXP_E_USAGE);
    return MXP_SUCCESS;
}

mxp_err mxp_cli_parse_versions(const char *s, uint8_t *mask)
{
    static const char *const names[MXP_TLS_VERSION_COUNT] = {"1.0", "1.1", "1.2", "1.3"};
    *mask = 0;
    while (*s) {
        size_t len = strcspn(s, ", ");
        const char *v = s;
        size_t vlen = len;
        /* Accept "1.2", "TLSv1.2", "tls1.2". */
        if (vlen > 4 && (strncmp(v, "TLSv", 4) == 0 || strncmp(v, "tlsv", 4) == 0)) {
            v += 4;
            vlen -= 4;
        } else if (vlen > 3 && (strncmp(v, "TLS", 3) == 0 || strncmp(v, "tls", 3) == 0)) {
            v += 3;
            vlen -= 3;
        }
        bool found = false;
        for (int i = 0; i < MXP_TLS_VERSION_COUNT; i++) {
            if (vlen == 3 && memcmp(v, names[i], 3) == 0) {
                *mask |= (uint8_t)(1u << i);
                found = true;
            }
        }
        MXP_ENSURE(found, MXP_E_USAGE);
        s += len;
        while (*s == ',' || *s == ' ')
            s++;
    }
    MXP_ENSURE(*mask != 0, MXP_E_USAGE);
    return MXP_SUCCESS;
}

mxp_err mxp_cli_parse_suites(const char *s, uint16_t *ids, uint8_t *n, size_t cap, const char **bad)
{
    char name[64];
    *n = 0;
    *bad = NULL;
    while (*s) {
        size_t len = 0;
        while (s[len] && !is_sep(s[len]))
            len++;
        if (len == 0) {
            s++;
            continue;
        }
        *bad = s;
        MXP_ENSURE(len < sizeof name, MXP_E_USAGE);
        memcpy(name, s, len);
        name[len] = '\0';
        const struct mxp_suite_info *info = mxp_suite_by_name(name);
        MXP_ENSURE(info != NULL, MXP_E_USAGE);
        bool dup = false;
        for (size_t i = 0; i < *n; i++)
            dup |= ids[i] == info->id;
        if (!dup) {
            MXP_ENSURE(*n < cap, MXP_E_USAGE);
            ids[(*n)++] = info->id;
        }
        s += len;
    }
    *bad = NULL;
    MXP_ENSURE(*n > 0, MXP_E_USAGE);
    return MXP_SUCCESS;
}

/* A host name or literal we are willing to put into EHLO/SNI and the resolver. */
static bool valid_name(const char *h, size_t len)
{
    if (len == 0 || len >= MXP_CFG_HOST_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = h[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '.' || c == '_' || c == ':' || c == '[' || c == ']';
        if (!ok)
            return false;
    }
    return true;
}

/* HOST, HOST:PORT, [v6]:PORT, bare v6. */
static mxp_err split_target(const char *arg, struct mxp_plan *plan, bool *have_port, char *err,
                            size_t err_cap)
{
    const char *host = arg;
    size_t hlen = strlen(arg);
    const char *port = NULL;
    *have_port = false;
    if (arg[0] == '[') {
        const char *close = strchr(arg, ']');
        if (close == NULL) {
            set_err(err, err_cap, "unterminated '[' in target", arg);
            return MXP_ERR(MXP_E_USAGE, 0);
        }
        host = arg + 1;
        hlen = (size_t)(close - host);
        if (close[1] == ':')
            port = close + 2;
        else if (close[1] != '\0') {
            set_err(err, err_cap, "unexpected text after ']'", arg);
            return MXP_ERR(MXP_E_USAGE, 0);
        }
    } else {
        const char *colon = strchr(arg, ':');
        if (colon != NULL && strchr(colon + 1, ':') == NULL) { /* one colon: HOST:PORT */
            hlen = (size_t)(colon - arg);
            port = colon + 1;
        }
    }
    if (!valid_name(host, hlen)) {
        set_err(err, err_cap, "not a valid host name or address", arg);
        return MXP_ERR(MXP_E_USAGE, 0);
    }
    memcpy(plan->host, host, hlen);
    plan->host[hlen] = '\0';
    if (port != NULL) {
        unsigned long v;
        if (!parse_uint(port, strlen(port), 1, 65535, &v)) {
            set_err(err, err_cap, "bad port in target", arg);
            return MXP_ERR(MXP_E_USAGE, 0);
        }
        plan->ports[0] = (uint16_t)v;
        plan->n_ports = 1;
        *have_port = true;
    }
    return MXP_SUCCESS;
}

mxp_err mxp_cli_parse_name(const char *s, char *name)
{
    size_t n = strlen(s);
    MXP_ENSURE(valid_name(s, n), MXP_E_USAGE);
    memcpy(name, s, n + 1);
    return MXP_SUCCESS;
}

mxp_err mxp_cli_parse_host(const char *s, char *host)
{
    struct mxp_plan scratch;
    bool have_port = false;
    MXP_GUARD(split_target(s, &scratch, &have_port, NULL, 0));
    MXP_ENSURE(!have_port, MXP_E_USAGE);
    memcpy(host, scratch.host, strlen(scratch.host) + 1);
    return MXP_SUCCESS;
}

static mxp_err parse_in(const char *s, unsigned long lo, unsigned long hi, unsigned long *v)
{
    MXP_ENSURE(parse_uint(s, strlen(s), lo, hi, v), MXP_E_USAGE);
    return MXP_SUCCESS;
}

mxp_err mxp_cli_parse_timeout(const char *s, uint32_t *ms)
{
    unsigned long v;
    MXP_GUARD(parse_in(s, MXP_CLI_TIMEOUT_MIN, MXP_CLI_TIMEOUT_MAX, &v));
    *ms = (uint32_t)v;
    return MXP_SUCCESS;
}

mxp_err mxp_cli_parse_max_conns(const char *s, uint8_t *n)
{
    unsigned long v;
    MXP_GUARD(parse_in(s, 1, MXP_CFG_CONCURRENT_SLOTS, &v));
    *n = (uint8_t)v;
    return MXP_SUCCESS;
}

mxp_err mxp_cli_parse_rtt_samples(const char *s, uint8_t *n)
{
    unsigned long v;
    MXP_GUARD(parse_in(s, 0, MXP_RTT_SAMPLES_MAX, &v));
    *n = (uint8_t)v;
    return MXP_SUCCESS;
}

mxp_err mxp_cli_parse_mx_limit(const char *s, uint8_t *n)
{
    unsigned long v;
    MXP_GUARD(parse_in(s, 1, MXP_CFG_MX_MAX, &v));
    *n = (uint8_t)v;
    return MXP_SUCCESS;
}

enum opt_id {
    OPT_HELP,
    OPT_VERSION,
    OPT_JSON,
    OPT_QUIET,
    OPT_IMPLICIT,
    OPT_EXHAUSTIVE,
    OPT_LIST,
    OPT_NO_SNI,
    OPT_PORTS,
    OPT_EHLO,
    OPT_SNI,
    OPT_VERSIONS,
    OPT_CIPHERS,
    OPT_TIMEOUT,
    OPT_MAX_CONNS,
    OPT_MX,
    OPT_HOST,
    OPT_MX_LIMIT,
    OPT_DNS,
    OPT_RTT_SAMPLES,
    OPT_NO_MTU,
    OPT_NO_RDNS,
    OPT_NO_PATH,
};

static const struct {
    const char *long_name;
    const char *short_name; /* NULL when none */
    bool takes_value;
    uint8_t id;
} options[] = {
    {"--help", "-h", false, OPT_HELP},
    {"--version", "-V", false, OPT_VERSION},
    {"--json", NULL, false, OPT_JSON},
    {"--quiet", "-q", false, OPT_QUIET},
    {"--implicit-tls", NULL, false, OPT_IMPLICIT},
    {"--exhaustive", NULL, false, OPT_EXHAUSTIVE},
    {"--list-ciphers", NULL, false, OPT_LIST},
    {"--no-sni", NULL, false, OPT_NO_SNI},
    {"--ports", "-p", true, OPT_PORTS},
    {"--ehlo", NULL, true, OPT_EHLO},
    {"--sni", NULL, true, OPT_SNI},
    {"--versions", NULL, true, OPT_VERSIONS},
    {"--ciphers", NULL, true, OPT_CIPHERS},
    {"--timeout", NULL, true, OPT_TIMEOUT},
    {"--max-conns", NULL, true, OPT_MAX_CONNS},
    {"--mx", NULL, false, OPT_MX},
    {"--host", NULL, false, OPT_HOST},
    {"--mx-limit", NULL, true, OPT_MX_LIMIT},
    {"--dns", NULL, true, OPT_DNS},
    {"--rtt-samples", NULL, true, OPT_RTT_SAMPLES},
    {"--no-mtu", NULL, false, OPT_NO_MTU},
    {"--no-rdns", NULL, false, OPT_NO_RDNS},
    {"--no-path", NULL, false, OPT_NO_PATH},
};

struct parse_state {
    const char *target;
    bool ports_given;
    bool sni_given;
    bool no_sni;
    bool mx_given;
    bool host_given;
};

static mxp_err usage_err(char *err, size_t cap, const char *what, const char *arg)
{
    set_err(err, cap, what, arg);
    return MXP_ERR(MXP_E_USAGE, 0);
}

static mxp_err apply_option(uint8_t id, const char *val, struct mxp_cli *out,
                            struct parse_state *st, char *err, size_t cap)
{
    struct mxp_plan *plan = &out->plan;
    const char *bad = NULL;
    switch (id) {
    case OPT_HELP:
        out->help = true;
        break;
    case OPT_VERSION:
        out->version = true;
        break;
    case OPT_JSON:
        out->json = true;
        break;
    case OPT_QUIET:
        out->quiet = true;
        break;
    case OPT_IMPLICIT:
        plan->implicit_tls = true;
        break;
    case OPT_EXHAUSTIVE:
        plan->exhaustive = true;
        break;
    case OPT_LIST:
        out->list_ciphers = true;
        break;
    case OPT_NO_SNI:
        st->no_sni = true;
        break;
    case OPT_PORTS:
        if (!mxp_ok(mxp_cli_parse_ports(val, plan->ports, &plan->n_ports, MXP_CFG_MAX_PORTS)))
            return usage_err(
                err, cap,
                "bad port list (1-65535, comma separated, no repeats, at most " MXP_STR(
                    MXP_CFG_MAX_PORTS) ")",
                val);
        st->ports_given = true;
        break;
    case OPT_EHLO:
        if (!mxp_ok(mxp_cli_parse_name(val, plan->ehlo_name)))
            return usage_err(err, cap, "bad EHLO name", val);
        break;
    case OPT_SNI:
        if (!mxp_ok(mxp_cli_parse_name(val, plan->sni)))
            return usage_err(err, cap, "bad SNI name", val);
        st->sni_given = true;
        break;
    case OPT_VERSIONS:
        if (!mxp_ok(mxp_cli_parse_versions(val, &plan->versions)))
            return usage_err(err, cap, "bad version list (use 1.0,1.1,1.2,1.3)", val);
        break;
    case OPT_CIPHERS:
        if (!mxp_ok(
                mxp_cli_parse_suites(val, plan->suites, &plan->n_suites, MXP_CFG_MAX_SUITES, &bad)))
            return usage_err(err, cap, "unknown cipher suite (see --list-ciphers)",
                             bad ? bad : val);
        break;
    case OPT_TIMEOUT:
        if (!mxp_ok(mxp_cli_parse_timeout(val, &plan->timeout_ms)))
            return usage_err(err, cap,
                             "bad --timeout (milliseconds, " MXP_STR(
                                 MXP_CLI_TIMEOUT_MIN) ".." MXP_STR(MXP_CLI_TIMEOUT_MAX) ")",
                             val);
        break;
    case OPT_MX:
        st->mx_given = true;
        break;
    case OPT_HOST:
        st->host_given = true;
        break;
    case OPT_MX_LIMIT:
        if (!mxp_ok(mxp_cli_parse_mx_limit(val, &out->mx_limit)))
            return usage_err(err, cap, "bad --mx-limit (1.." MXP_STR(MXP_CFG_MX_MAX) ")", val);
        break;
    case OPT_DNS:
        if (!mxp_ok(mxp_cli_parse_server(val, &plan->dns_server, &plan->dns_port)))
            return usage_err(err, cap,
                             "bad --dns (an address: 192.0.2.53, 192.0.2.53:5353, "
                             "[2001:db8::53]:53)",
                             val);
        plan->have_dns = true;
        break;
    case OPT_RTT_SAMPLES:
        if (!mxp_ok(mxp_cli_parse_rtt_samples(val, &plan->rtt_samples)))
            return usage_err(err, cap, "bad --rtt-samples (0.." MXP_STR(MXP_RTT_SAMPLES_MAX) ")",
                             val);
        break;
    case OPT_NO_MTU:
        plan->mtu = false;
        break;
    case OPT_NO_RDNS:
        plan->rdns = false;
        break;
    case OPT_NO_PATH:
        plan->rtt_samples = 0;
        plan->mtu = false;
        plan->rdns = false;
        break;
    case OPT_MAX_CONNS:
        if (!mxp_ok(mxp_cli_parse_max_conns(val, &plan->max_concurrent)))
            return usage_err(err, cap, "bad --max-conns (1.." MXP_STR(MXP_CFG_CONCURRENT_SLOTS) ")",
                             val);
        break;
    default:
        return MXP_ERR(MXP_E_INTERNAL, 0);
    }
    return MXP_SUCCESS;
}

static bool is_localhost(const char *h)
{
    static const char suffix[] = ".localhost";
    size_t n = strlen(h), k = sizeof suffix - 1;
    if (n > 0 && h[n - 1] == '.')
        n--;
    if (n == k - 1 && mxp_dns_name_eq(h, "localhost"))
        return true;
    if (n <= k)
        return false;
    char tail[sizeof suffix];
    memcpy(tail, h + n - k, k);
    tail[k] = '\0';
    return mxp_dns_name_eq(tail, suffix);
}

mxp_err mxp_cli_parse_server(const char *s, struct mxp_addr *addr, uint16_t *port)
{
    const char *host = s, *port_text = NULL;
    size_t hlen = strlen(s);
    unsigned long v = 0;
    memset(addr, 0, sizeof *addr);
    *port = 0;
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        MXP_ENSURE(close != NULL, MXP_E_USAGE);
        host = s + 1;
        hlen = (size_t)(close - host);
        MXP_ENSURE(close[1] == '\0' || close[1] == ':', MXP_E_USAGE);
        if (close[1] == ':')
            port_text = close + 2;
    } else if (strchr(s, ':') != NULL && strchr(s, ':') == strrchr(s, ':')) {
        hlen = (size_t)(strchr(s, ':') - s);
        port_text = strchr(s, ':') + 1;
    }
    if (port_text != NULL) {
        MXP_ENSURE(parse_uint(port_text, strlen(port_text), 1, 65535, &v), MXP_E_USAGE);
        *port = (uint16_t)v;
    }
    MXP_ENSURE(mxp_addr_parse(host, hlen, addr), MXP_E_USAGE);
    return MXP_SUCCESS;
}

mxp_err mxp_cli_parse(int argc, char *const argv[], struct mxp_cli *out, char *err, size_t err_cap)
{
    struct mxp_plan *plan = &out->plan;
    struct parse_state st = {0};

    memset(out, 0, sizeof *out);
    mxp_plan_defaults(plan);
    set_err(err, err_cap, "", NULL);

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] == '\0') {
            if (st.target != NULL)
                return usage_err(err, err_cap, "more than one target", a);
            st.target = a;
            continue;
        }
        /* --opt=value */
        const char *eq = (a[1] == '-') ? strchr(a, '=') : NULL;
        size_t name_len = eq != NULL ? (size_t)(eq - a) : strlen(a);
        size_t k = 0;
        for (; k < sizeof options / sizeof options[0]; k++) {
            const char *ln = options[k].long_name, *sn = options[k].short_name;
            if ((strlen(ln) == name_len && strncmp(a, ln, name_len) == 0) ||
                (sn != NULL && eq == NULL && strcmp(a, sn) == 0))
                break;
        }
        if (k == sizeof options / sizeof options[0])
            return usage_err(err, err_cap, "unknown option (--help lists them)", a);
        const char *val = eq != NULL ? eq + 1 : NULL;
        if (options[k].takes_value && val == NULL) {
            if (i + 1 >= argc)
                return usage_err(err, err_cap, "option needs a value", a);
            val = argv[++i];
        } else if (!options[k].takes_value && val != NULL) {
            return usage_err(err, err_cap, "option takes no value", a);
        }
        MXP_GUARD(apply_option(options[k].id, val, out, &st, err, err_cap));
    }
    if (out->help || out->version || out->list_ciphers)
        return MXP_SUCCESS;
    if (st.target == NULL)
        return usage_err(err, err_cap, "no target given (mxprobe [options] HOST[:PORT]; --help)",
                         NULL);
    uint16_t keep_ports[MXP_CFG_MAX_PORTS];
    uint8_t keep_n = plan->n_ports;
    memcpy(keep_ports, plan->ports, sizeof keep_ports);
    bool have_port = false;
    MXP_GUARD(split_target(st.target, plan, &have_port, err, err_cap));
    if (have_port && st.ports_given)
        return usage_err(err, err_cap, "give the port either as HOST:PORT or with -p, not both",
                         st.target);
    if (!have_port) {
        memcpy(plan->ports, keep_ports, sizeof keep_ports);
        plan->n_ports = keep_n;
    }
    if (st.mx_given && st.host_given)
        return usage_err(err, err_cap, "--mx and --host contradict each other", NULL);
    if (mxp_dns_is_literal(plan->host)) {
        if (st.mx_given)
            return usage_err(err, err_cap, "--mx needs a domain name, not an address", plan->host);
    } else {
        /* A name is a mail domain unless it names a server: --host, a port
         * in the target, or localhost (RFC 6761: never asked of DNS). */
        out->mx_mode = st.mx_given || (!st.host_given && !have_port && !is_localhost(plan->host));
    }
    if (out->mx_limit != 0 && !out->mx_mode)
        return usage_err(err, err_cap, "--mx-limit applies to a mail domain (MX lookup) only",
                         NULL);
    if (st.no_sni && st.sni_given)
        return usage_err(err, err_cap, "--sni and --no-sni contradict each other", NULL);
    if (!st.sni_given && !st.no_sni && !mxp_dns_is_literal(plan->host))
        memcpy(plan->sni, plan->host, strlen(plan->host) + 1);
    return MXP_SUCCESS;
}

void mxp_cli_usage(struct mxp_writer *w)
{
    mxp_puts(w, "usage: mxprobe [options] DOMAIN | HOST[:PORT] | ADDRESS\n"
                "\n"
                "Probe a mail server: TCP reachability, SMTP banner/EHLO/STARTTLS, which TLS\n"
                "versions (1.0-1.3) and cipher suites complete a full handshake, and why the\n"
                "others fail; reachability, connect RTT, path MTU and reverse DNS of the path.\n"
                "A DOMAIN is looked up as a mail domain (its MX hosts are probed); a HOST with\n"
                "a port, an ADDRESS ([v6]:PORT for IPv6 with a port) or --host is probed as is.\n"
                "\n"
                "options:\n"
                "  -p, --ports LIST    ports to probe (default 25,465,587; 465 = implicit TLS)\n"
                "      --implicit-tls  implicit TLS (RFC 8314) on every port\n"
                "      --ehlo NAME     name sent with EHLO (default mxprobe.invalid)\n"
                "      --sni NAME      TLS server name (default HOST when it is a name)\n"
                "      --no-sni        send no server name\n"
                "      --versions LIST TLS versions to test (default 1.0,1.1,1.2,1.3)\n"
                "      --ciphers LIST  only these suites, IANA or OpenSSL names (--list-ciphers)\n"
                "      --exhaustive    try each suite alone (default: elimination, about one\n"
                "                      connection per accepted suite plus one per version)\n"
                "      --timeout MS    deadline for each step: connect, each reply, the TLS\n"
                "                      handshake (default 10000)\n"
                "      --max-conns N   connections open at once towards the MX (default 2)\n"
                "\n"
                "mail domain and path:\n"
                "      --mx            TARGET is a mail domain (the default for a name without\n"
                "                      a port): look up its MX records and probe each exchanger\n"
                "      --host          TARGET is a server: no MX lookup\n"
                "      --mx-limit N    probe only the first N exchangers (default all)\n"
                "      --dns ADDR[:PORT]  ask this DNS server (default: the system's)\n"
                "      --rtt-samples N connects per port for RTT and reachability (default 5,\n"
                "                      paced 100 ms apart; 0 = none)\n"
                "      --no-mtu        skip the path-MTU probes\n"
                "      --no-rdns       skip the reverse-DNS (PTR, FCrDNS) check\n"
                "      --no-path       skip all three: only the SMTP/TLS matrix\n"
                "\n"
                "output:\n"
                "      --json          JSON report (schema: docs/json-schema.md)\n"
                "  -q, --quiet         print only the verdict\n"
                "      --list-ciphers  list the suites this build can offer\n"
                "  -V, --version       print the version\n"
                "  -h, --help          this help\n"
                "\n"
                "exit status: 0 the probe ran and TLS works on every port, 1 the probe ran and\n"
                "found a failure, 2 usage or internal error.\n");
}
