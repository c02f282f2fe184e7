/*
 * Hand-built probe results (see sample_results.h). Numbers are what the
 * engine records against such servers: elimination order, the alert that
 * refused a version, bytes seen before a drop.
 */
#include "sample_results.h"

#include <stdio.h>
#include <string.h>

#define SAMPLE_ALERT(n) MXP_ERR(MXP_E_TLS_ALERT, (n))

static void sample_copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src);
}
#define SAMPLE_SET(field, text) sample_copy((field), sizeof(field), (text))

static void sample_target(struct mxp_result *r, const char *host, uint8_t a, uint8_t b, uint8_t c,
                          uint8_t d)
{
    memset(r, 0, sizeof *r);
    r->schema = MXP_RESULT_SCHEMA_VERSION;
    SAMPLE_SET(r->host, host);
    SAMPLE_SET(r->sni, host);
    SAMPLE_SET(r->ehlo_name, "mxprobe.invalid");
    r->addr.family = MXP_AF_INET;
    r->addr.bytes[0] = a;
    r->addr.bytes[1] = b;
    r->addr.bytes[2] = c;
    r->addr.bytes[3] = d;
    r->resolved = true;
    r->max_concurrent = 2;
    r->peak_concurrent = 2;
    r->entropy_strong = true;
}

static struct mxp_port_result *sample_port(struct mxp_result *r, uint16_t port, uint8_t mode)
{
    struct mxp_port_result *p = &r->ports[r->n_ports++];
    p->port = port;
    p->mode = mode;
    return p;
}

static void sample_smtp(struct mxp_port_result *p, const char *banner, bool starttls)
{
    static const char *const caps[] = {
        "PIPELINING", "SIZE 10240000", "ETRN",     "STARTTLS", "ENHANCEDSTATUSCODES",
        "8BITMIME",   "DSN",           "SMTPUTF8", "CHUNKING"};
    p->reached = true;
    p->connect_ms = 21;
    p->banner_ms = 104;
    p->ehlo_ms = 22;
    p->banner_code = 220;
    SAMPLE_SET(p->banner, banner);
    p->ehlo_code = 250;
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        if (!starttls && strcmp(caps[i], "STARTTLS") == 0)
            continue;
        SAMPLE_SET(p->caps[p->n_caps], caps[i]);
        p->n_caps++;
    }
    if (starttls && p->mode == MXP_MODE_STARTTLS) {
        p->starttls_offered = true;
        p->starttls_ms = 21;
        p->starttls_code = 220;
        SAMPLE_SET(p->starttls_enh, "2.0.0");
    }
}

static void sample_fail(struct mxp_failure *f, uint8_t stage, mxp_err e, uint32_t rx, uint32_t ms)
{
    memset(f, 0, sizeof *f);
    f->stage = stage;
    f->err = e;
    f->stage_rx_bytes = rx;
    f->stage_ms = ms;
}

static void sample_reject(struct mxp_version_result *v, mxp_err e, uint32_t rx, uint32_t ms)
{
    v->status = MXP_VERSION_REJECTED;
    sample_fail(&v->fail, MXP_STAGE_HANDSHAKE, e, rx, ms);
    v->connections = 1;
}

static struct mxp_tls_params sample_params(uint16_t suite, uint16_t group, uint16_t sigalg,
                                           uint32_t ms)
{
    struct mxp_tls_params t;
    memset(&t, 0, sizeof t);
    t.suite = suite;
    t.group = group;
    t.sigalg = sigalg;
    t.handshake_ms = ms;
    return t;
}

/* Elimination as the engine runs it: each accepted suite in the server's
 * order, then one failed handshake that proves the rest rejected. */
static void sample_accept(struct mxp_version_result *v, const uint16_t *acc, size_t n_acc,
                          const uint16_t *rej, size_t n_rej, mxp_err why, uint16_t group,
                          uint16_t sigalg)
{
    v->status = MXP_VERSION_ACCEPTED;
    v->tls = sample_params(acc[0], group, sigalg, 31);
    for (size_t i = 0; i < n_acc; i++) {
        struct mxp_suite_result *s = &v->suites[v->n_suites++];
        s->suite = acc[i];
        s->status = MXP_SUITE_ACCEPTED;
        s->order = (uint8_t)(i + 1);
        s->tls = sample_params(acc[i], group, sigalg, (uint32_t)(30 + i));
    }
    for (size_t i = 0; i < n_rej; i++) {
        struct mxp_suite_result *s = &v->suites[v->n_suites++];
        s->suite = rej[i];
        s->status = MXP_SUITE_REJECTED;
        s->fail_stage = MXP_STAGE_HANDSHAKE;
        s->fail = why;
    }
    v->suites_complete = true;
    v->connections = (uint16_t)(n_acc + (n_rej > 0 ? 1 : 0));
}

static void sample_good_cert(struct mxp_cert_summary *c, const char *host)
{
    c->present = true;
    snprintf(c->subject, sizeof c->subject, "CN=%s", host);
    SAMPLE_SET(c->issuer, "CN=R11, O=Let's Encrypt, C=US");
    SAMPLE_SET(c->sans[0], host);
    snprintf(c->sans[1], sizeof c->sans[1], "mail.%s", strchr(host, '.') + 1);
    c->n_sans = 2;
    c->not_before = 1735689600; /* 2025-01-01 00:00:00Z */
    c->not_after = 1743465600;  /* 2025-04-01 00:00:00Z */
    c->key_type = MXP_KEY_RSA;
    c->key_bits = 2048;
    c->name_match = MXP_YES;
    c->expired = MXP_NOT_CHECKED;
    c->chain_len = 2;
}

static const uint16_t sample_tls13[] = {0x1302, 0x1303, 0x1301};
static const uint16_t sample_tls12_acc[] = {0xC030, 0xCCA8, 0xC02F};
static const uint16_t sample_tls12_rej[] = {0xC028, 0xC027, 0xC014, 0xC013, 0x009F, 0x009E,
                                            0x009D, 0x009C, 0x0035, 0x002F, 0x000A};
#define SAMPLE_N(a) (sizeof(a) / sizeof((a)[0]))

/* TLS 1.2 + 1.3 with good suites, 1.0 and 1.1 refused with protocol_version. */
static void sample_modern_tls(struct mxp_port_result *p)
{
    sample_reject(&p->versions[MXP_TLS10], SAMPLE_ALERT(70), 7, 30);
    sample_reject(&p->versions[MXP_TLS11], SAMPLE_ALERT(70), 7, 29);
    sample_accept(&p->versions[MXP_TLS12], sample_tls12_acc, SAMPLE_N(sample_tls12_acc),
                  sample_tls12_rej, SAMPLE_N(sample_tls12_rej), SAMPLE_ALERT(40), 29, 0x0804);
    sample_accept(&p->versions[MXP_TLS13], sample_tls13, SAMPLE_N(sample_tls13), NULL, 0,
                  MXP_SUCCESS, 29, 0x0804);
    p->versions[MXP_TLS13].tls.handshake_ms = 12;
}

static void sample_modern(struct mxp_result *r)
{
    sample_target(r, "mx.modern.example", 203, 0, 113, 25);
    struct mxp_port_result *p = sample_port(r, 25, MXP_MODE_STARTTLS);
    sample_smtp(p, "mx.modern.example ESMTP Postfix (Debian/GNU)", true);
    sample_modern_tls(p);
    sample_good_cert(&p->cert, "mx.modern.example");
    p->connections = 12;
    p->elapsed_ms = 1840;

    struct mxp_port_result *q = sample_port(r, 465, MXP_MODE_IMPLICIT);
    sample_smtp(q, "mx.modern.example ESMTP Postfix (Debian/GNU)", false);
    sample_modern_tls(q);
    sample_good_cert(&q->cert, "mx.modern.example");
    q->connections = 12;
    q->elapsed_ms = 1720;
    r->connections = 24;
    r->elapsed_ms = 3560;
}

static void sample_legacy(struct mxp_result *r)
{
    static const uint16_t acc[] = {0x002F, 0x000A};
    static const uint16_t rej[] = {0xC014, 0xC013, 0x0039, 0x0033, 0x0035};
    sample_target(r, "mx.legacy.example", 192, 0, 2, 20);
    struct mxp_port_result *p = sample_port(r, 25, MXP_MODE_STARTTLS);
    sample_smtp(p, "mx.legacy.example ESMTP Sendmail 8.13.8/8.13.8; Mon, 1 Jan 2024", true);
    sample_accept(&p->versions[MXP_TLS10], acc, SAMPLE_N(acc), rej, SAMPLE_N(rej), SAMPLE_ALERT(40),
                  0, 0);
    p->versions[MXP_TLS10].tls.handshake_ms = 95;
    for (unsigned v = MXP_TLS11; v <= MXP_TLS13; v++)
        sample_reject(&p->versions[v], MXP_ERR(MXP_E_TLS_VERSION, -326), 1250, 48);
    struct mxp_cert_summary *c = &p->cert;
    c->present = true;
    SAMPLE_SET(c->subject, "CN=mx.legacy.example, O=Legacy Ltd");
    SAMPLE_SET(c->issuer, "CN=mx.legacy.example, O=Legacy Ltd");
    c->not_before = 1246363200; /* 2009-06-30 12:00:00Z */
    c->not_after = 1561896000;  /* 2019-06-30 12:00:00Z */
    c->key_type = MXP_KEY_RSA;
    c->key_bits = 1024;
    c->self_signed = true;
    c->name_match = MXP_YES;
    c->expired = MXP_YES;
    c->chain_len = 1;
    p->connections = 6;
    p->elapsed_ms = 2310;
    r->connections = 6;
    r->elapsed_ms = 2310;
}

static void sample_busy(struct mxp_result *r)
{
    sample_target(r, "mx.busy.example", 198, 51, 100, 7);
    struct mxp_port_result *p = sample_port(r, 25, MXP_MODE_STARTTLS);
    p->reached = true;
    p->busy = true;
    p->connect_ms = 30;
    p->banner_ms = 12;
    p->banner_code = 421;
    SAMPLE_SET(p->banner_enh, "4.7.0");
    SAMPLE_SET(p->banner, "mx.busy.example Too many connections, try again later");
    sample_fail(&p->stop, MXP_STAGE_BANNER, MXP_ERR(MXP_E_SMTP_REPLY, 421), 62, 12);
    p->stop.smtp_code = 421;
    SAMPLE_SET(p->stop.smtp_enh, "4.7.0");
    for (unsigned v = 0; v < MXP_TLS_VERSION_COUNT; v++)
        p->versions[v].status = MXP_VERSION_SKIPPED;
    p->connections = 1;
    p->elapsed_ms = 45;
    r->connections = 1;
    r->elapsed_ms = 45;
    r->peak_concurrent = 1;
}

static void sample_dropped(struct mxp_result *r)
{
    sample_target(r, "mx.dropped.example", 203, 0, 113, 99);
    struct mxp_port_result *p = sample_port(r, 25, MXP_MODE_STARTTLS);
    sample_smtp(p, "mx.dropped.example Microsoft ESMTP MAIL Service ready", true);
    for (unsigned v = MXP_TLS10; v <= MXP_TLS12; v++)
        sample_reject(&p->versions[v], MXP_ERR(MXP_E_TCP_CLOSED, 0), 0, 3);
    sample_reject(&p->versions[MXP_TLS13], MXP_ERR(MXP_E_TIMEOUT, 10000), 0, 10002);
    p->connections = 4;
    p->elapsed_ms = 10250;
    r->connections = 4;
    r->elapsed_ms = 10250;
}

static void sample_filtered25(struct mxp_result *r)
{
    static const uint16_t acc[] = {0xC02F, 0xC030, 0xCCA8};
    static const uint16_t rej[] = {0xC028, 0xC027, 0xC014, 0xC013, 0x009F, 0x009E};
    sample_target(r, "mx.filtered.example", 192, 0, 2, 25);
    struct mxp_port_result *p = sample_port(r, 25, MXP_MODE_STARTTLS);
    sample_fail(&p->stop, MXP_STAGE_CONNECT, MXP_ERR(MXP_E_TIMEOUT, 10000), 0, 10000);
    for (unsigned v = 0; v < MXP_TLS_VERSION_COUNT; v++)
        p->versions[v].status = MXP_VERSION_SKIPPED;
    p->connections = 1;
    p->elapsed_ms = 10000;

    struct mxp_port_result *q = sample_port(r, 587, MXP_MODE_STARTTLS);
    sample_smtp(q, "mx.filtered.example ESMTP Exim 4.96", true);
    sample_accept(&q->versions[MXP_TLS12], acc, SAMPLE_N(acc), rej, SAMPLE_N(rej), SAMPLE_ALERT(40),
                  23, 0x0401);
    sample_reject(&q->versions[MXP_TLS13], SAMPLE_ALERT(70), 7, 25);
    sample_good_cert(&q->cert, "mx.filtered.example");
    q->connections = 4;
    q->elapsed_ms = 640;
    r->connections = 5;
    r->elapsed_ms = 10010;
}

static void sample_hostile(struct mxp_result *r)
{
    sample_target(r, "mx.hostile.example", 192, 0, 2, 66);
    struct mxp_port_result *p = sample_port(r, 25, MXP_MODE_STARTTLS);
    sample_smtp(p, "\x1b[31mevil\x1b[0m \"quoted\" back\\slash \xff\xfe\x01\x7f <tag> 'single'",
                true);
    SAMPLE_SET(p->banner_enh, "2.0.\x1b");
    SAMPLE_SET(p->caps[p->n_caps], "X-\x07"
                                   "BELL \"cap\"");
    p->n_caps++;
    SAMPLE_SET(p->caps[p->n_caps], "AUTH PLAIN\tLOGIN\r\n");
    p->n_caps++;
    sample_modern_tls(p);
    struct mxp_cert_summary *c = &p->cert;
    sample_good_cert(c, "mx.hostile.example");
    SAMPLE_SET(c->subject, "CN=mx.hostile.example\n, O=\"Evil\" \\ Co \xc3\xa9");
    SAMPLE_SET(c->issuer, "CN=\x1b]0;pwned\x07");
    SAMPLE_SET(c->sans[0], "evil\r\n.example");
    SAMPLE_SET(c->sans[1], "\xff\xfe\"}]");
    c->sans_truncated = true;
    c->name_match = MXP_NO;
    p->connections = 12;
    p->elapsed_ms = 1900;
    r->connections = 12;
    r->elapsed_ms = 1900;
}

static void sample_no_starttls(struct mxp_result *r)
{
    sample_target(r, "mx.plain.example", 192, 0, 2, 30);
    struct mxp_port_result *p = sample_port(r, 25, MXP_MODE_STARTTLS);
    sample_smtp(p, "mx.plain.example ESMTP", false);
    sample_fail(&p->stop, MXP_STAGE_EHLO, MXP_ERR(MXP_E_SMTP_NO_STARTTLS, 0), 180, 22);
    for (unsigned v = 0; v < MXP_TLS_VERSION_COUNT; v++)
        p->versions[v].status = MXP_VERSION_SKIPPED;
    p->connections = 1;
    p->elapsed_ms = 150;
    r->connections = 1;
    r->elapsed_ms = 150;
    r->peak_concurrent = 1;
}

static void sample_nxdomain(struct mxp_result *r)
{
    sample_target(r, "mx.nonexistent.example", 0, 0, 0, 0);
    r->resolved = false;
    r->addr.family = 0;
    r->resolve_err = MXP_ERR(MXP_E_DNS_NXDOMAIN, 3);
    sample_port(r, 25, MXP_MODE_STARTTLS);
    r->elapsed_ms = 35;
    r->peak_concurrent = 0;
}

const char *mxp_sample_name(enum mxp_sample s)
{
    static const char *const names[MXP_SAMPLE_COUNT] = {
        [MXP_SAMPLE_MODERN] = "modern",
        [MXP_SAMPLE_LEGACY] = "legacy",
        [MXP_SAMPLE_BUSY] = "busy",
        [MXP_SAMPLE_DROPPED] = "dropped",
        [MXP_SAMPLE_FILTERED25] = "filtered25",
        [MXP_SAMPLE_HOSTILE] = "hostile",
        [MXP_SAMPLE_NO_STARTTLS] = "no-starttls",
        [MXP_SAMPLE_NXDOMAIN] = "nxdomain",
    };
    return (unsigned)s < MXP_SAMPLE_COUNT ? names[s] : "unknown";
}

void mxp_sample_build(enum mxp_sample s, struct mxp_result *r)
{
    switch (s) {
    case MXP_SAMPLE_MODERN:
        sample_modern(r);
        break;
    case MXP_SAMPLE_LEGACY:
        sample_legacy(r);
        break;
    case MXP_SAMPLE_BUSY:
        sample_busy(r);
        break;
    case MXP_SAMPLE_DROPPED:
        sample_dropped(r);
        break;
    case MXP_SAMPLE_FILTERED25:
        sample_filtered25(r);
        break;
    case MXP_SAMPLE_HOSTILE:
        sample_hostile(r);
        break;
    case MXP_SAMPLE_NO_STARTTLS:
        sample_no_starttls(r);
        break;
    case MXP_SAMPLE_NXDOMAIN:
    default:
        sample_nxdomain(r);
        break;
    }
}

/* ---- sanitizing arbitrary bytes ------------------------------------------- */

_Static_assert(sizeof(bool) == 1, "bools are one byte");

static void sample_fix_bool(bool *b)
{
    unsigned char v;
    memcpy(&v, b, 1);
    v = v != 0;
    memcpy(b, &v, 1);
}

#define SAMPLE_TERM(a) ((a)[sizeof(a) - 1] = '\0')
#define SAMPLE_CLAMP(n, max)                                                                       \
    do {                                                                                           \
        if ((n) > (max))                                                                           \
            (n) = (max);                                                                           \
    } while (0)

void mxp_sample_sanitize(struct mxp_result *r, bool strings_and_counts)
{
    sample_fix_bool(&r->resolved);
    sample_fix_bool(&r->exhaustive);
    sample_fix_bool(&r->entropy_strong);
    sample_fix_bool(&r->interrupted);
    for (size_t i = 0; i < MXP_CFG_MAX_PORTS; i++) {
        struct mxp_port_result *p = &r->ports[i];
        sample_fix_bool(&p->reached);
        sample_fix_bool(&p->busy);
        sample_fix_bool(&p->caps_truncated);
        sample_fix_bool(&p->starttls_offered);
        sample_fix_bool(&p->cert.present);
        sample_fix_bool(&p->cert.sans_truncated);
        sample_fix_bool(&p->cert.self_signed);
        for (size_t v = 0; v < MXP_TLS_VERSION_COUNT; v++)
            sample_fix_bool(&p->versions[v].suites_complete);
        if (!strings_and_counts)
            continue;
        SAMPLE_TERM(p->stop.smtp_enh);
        SAMPLE_TERM(p->banner_enh);
        SAMPLE_TERM(p->banner);
        SAMPLE_TERM(p->starttls_enh);
        SAMPLE_CLAMP(p->n_caps, MXP_CFG_EHLO_CAPS_MAX);
        for (size_t k = 0; k < MXP_CFG_EHLO_CAPS_MAX; k++)
            SAMPLE_TERM(p->caps[k]);
        SAMPLE_TERM(p->cert.subject);
        SAMPLE_TERM(p->cert.issuer);
        SAMPLE_CLAMP(p->cert.n_sans, MXP_CFG_CERT_SANS_MAX);
        for (size_t k = 0; k < MXP_CFG_CERT_SANS_MAX; k++)
            SAMPLE_TERM(p->cert.sans[k]);
        for (size_t v = 0; v < MXP_TLS_VERSION_COUNT; v++) {
            SAMPLE_TERM(p->versions[v].fail.smtp_enh);
            SAMPLE_CLAMP(p->versions[v].n_suites, MXP_CFG_MAX_SUITES);
        }
    }
    for (size_t i = 0; i < MXP_CFG_REACH_MAX; i++)
        sample_fix_bool(&r->reach[i].witness);
    sample_fix_bool(&r->mtu.frag_needed);
    if (!strings_and_counts)
        return;
    SAMPLE_TERM(r->mtu.method);
    SAMPLE_TERM(r->rdns.ptr);
    SAMPLE_CLAMP(r->n_reach, MXP_CFG_REACH_MAX);
    SAMPLE_TERM(r->host);
    SAMPLE_TERM(r->sni);
    SAMPLE_TERM(r->ehlo_name);
    SAMPLE_CLAMP(r->n_ports, MXP_CFG_MAX_PORTS);
}
