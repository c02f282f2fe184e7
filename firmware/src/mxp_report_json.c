/*
 * The JSON report (docs/json-schema.md): one compact document on one line,
 * ASCII only, valid whatever bytes the MX sent. A pure function over the
 * result; finding texts come from the same function the text report uses.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mxp_err_text.h"
#include "mxp_fmt.h"
#include "mxp_report.h"
#include "mxp_suites.h"
#include "mxp_verdict.h"

static void json_null(struct mxp_writer *w)
{
    mxp_puts(w, "null");
}

static void json_bool(struct mxp_writer *w, bool b)
{
    mxp_puts(w, b ? "true" : "false");
}

static void json_u(struct mxp_writer *w, unsigned long v)
{
    mxp_printf(w, "%lu", v);
}

/* A count or time where 0 means "not measured". */
static void json_u_or_null(struct mxp_writer *w, unsigned long v)
{
    if (v == 0)
        json_null(w);
    else
        json_u(w, v);
}

static void json_cstr(struct mxp_writer *w, const char *s)
{
    if (s == NULL)
        json_null(w);
    else
        mxp_put_json_string(w, s, mxp_fmt_strnlen(s, 1024));
}

/* A fixed field of the result; "" becomes null when empty_is_null. */
static void json_field(struct mxp_writer *w, const char *s, size_t cap, bool empty_is_null)
{
    size_t n = mxp_fmt_strnlen(s, cap);
    if (n == 0 && empty_is_null)
        json_null(w);
    else
        mxp_put_json_string(w, s, n);
}
#define JSON_FIELD(w, a, empty_is_null) json_field((w), (a), sizeof(a), (empty_is_null))

static void json_tristate(struct mxp_writer *w, uint8_t t)
{
    if (t == MXP_YES)
        json_bool(w, true);
    else if (t == MXP_NO)
        json_bool(w, false);
    else
        json_null(w);
}

static void json_time(struct mxp_writer *w, int64_t t)
{
    mxp_putc(w, '"');
    mxp_fmt_utc(w, t, 'T');
    mxp_putc(w, '"');
}

static bool json_is_alert(mxp_err e)
{
    return e.code == MXP_E_TLS_ALERT || e.code == MXP_E_TLS_ALERT_SENT;
}

static void json_alert(struct mxp_writer *w, mxp_err e)
{
    if (json_is_alert(e))
        json_cstr(w, mxp_tls_alert_name(e.detail));
    else
        json_null(w);
}

static void json_kind(struct mxp_writer *w, mxp_err e)
{
    const char *k = mxp_err_name(e);
    json_cstr(w, k != NULL ? k : "unknown");
}

/* FAILURE in docs/json-schema.md. */
static void json_failure(struct mxp_writer *w, const struct mxp_failure *f)
{
    if (!mxp_fmt_failed(f)) {
        json_null(w);
        return;
    }
    struct mxp_fmt_json js;
    char text[96];
    const char *t = mxp_err_str(f->err, text, sizeof text);
    mxp_puts(w, "{\"stage\":");
    json_cstr(w, mxp_fmt_stage(f->stage));
    mxp_puts(w, ",\"kind\":");
    json_kind(w, f->err);
    mxp_printf(w, ",\"detail\":%d,\"alert\":", (int)f->err.detail);
    json_alert(w, f->err);
    mxp_puts(w, ",\"smtp_code\":");
    if (f->smtp_code != 0)
        json_u(w, f->smtp_code);
    else if (f->err.code == MXP_E_SMTP_REPLY && f->err.detail > 0)
        json_u(w, (unsigned long)f->err.detail);
    else
        json_null(w);
    mxp_puts(w, ",\"smtp_enhanced\":");
    JSON_FIELD(w, f->smtp_enh, true);
    mxp_printf(w, ",\"rx_bytes\":%lu,\"stage_ms\":%lu,\"text\":", (unsigned long)f->stage_rx_bytes,
               (unsigned long)f->stage_ms);
    json_cstr(w, t != NULL ? t : "");
    mxp_puts(w, ",\"reason\":");
    mxp_fmt_json_begin(&js, w);
    mxp_fmt_failure(&js.w, f);
    mxp_fmt_json_end(&js);
    mxp_putc(w, '}');
}

/* NEGOTIATED in docs/json-schema.md. */
static void json_negotiated(struct mxp_writer *w, const struct mxp_tls_params *t)
{
    mxp_puts(w, "{\"suite\":");
    json_cstr(w, mxp_fmt_suite_name(t->suite));
    mxp_printf(w, ",\"id\":\"0x%04X\",\"group\":", (unsigned)t->suite);
    json_cstr(w, mxp_group_name(t->group));
    mxp_puts(w, ",\"dh_bits\":");
    json_u_or_null(w, t->dh_bits);
    mxp_puts(w, ",\"sigalg\":");
    json_cstr(w, mxp_sigalg_name(t->sigalg));
    mxp_printf(w, ",\"handshake_ms\":%lu}", (unsigned long)t->handshake_ms);
}

static const char *json_suite_status(uint8_t s)
{
    return s == MXP_SUITE_ACCEPTED ? "accepted" : s == MXP_SUITE_REJECTED ? "rejected" : "untested";
}

static void json_suite(struct mxp_writer *w, const struct mxp_suite_result *s)
{
    bool ok = s->status == MXP_SUITE_ACCEPTED;
    mxp_puts(w, "{\"suite\":");
    json_cstr(w, mxp_fmt_suite_name(s->suite));
    mxp_printf(w, ",\"id\":\"0x%04X\",\"status\":\"%s\",\"ok\":", (unsigned)s->suite,
               json_suite_status(s->status));
    json_bool(w, ok);
    mxp_puts(w, ",\"order\":");
    json_u_or_null(w, s->order);
    mxp_puts(w, ",\"negotiated\":");
    if (ok)
        json_negotiated(w, &s->tls);
    else
        json_null(w);
    mxp_puts(w, ",\"failure\":");
    if (s->status == MXP_SUITE_REJECTED) {
        mxp_puts(w, "{\"stage\":");
        json_cstr(w, mxp_fmt_stage(s->fail_stage));
        mxp_puts(w, ",\"kind\":");
        json_kind(w, s->fail);
        mxp_puts(w, ",\"alert\":");
        json_alert(w, s->fail);
        mxp_printf(w, ",\"detail\":%d}", (int)s->fail.detail);
    } else {
        json_null(w);
    }
    mxp_putc(w, '}');
}

static const char *json_version_status(uint8_t s)
{
    switch (s) {
    case MXP_VERSION_ACCEPTED:
        return "accepted";
    case MXP_VERSION_REJECTED:
        return "rejected";
    case MXP_VERSION_SKIPPED:
        return "skipped";
    case MXP_VERSION_UNAVAILABLE:
        return "unavailable";
    default:
        return "untested";
    }
}

static void json_version(struct mxp_writer *w, const struct mxp_version_result *vr, unsigned v)
{
    bool ok = vr->status == MXP_VERSION_ACCEPTED;
    mxp_printf(w, "{\"version\":\"%s\",\"status\":\"%s\",\"ok\":",
               mxp_tls_version_name((enum mxp_tls_version)v), json_version_status(vr->status));
    json_bool(w, ok);
    mxp_puts(w, ",\"failure\":");
    /* A version skipped because its handshake failed on our side says why. */
    if (vr->status == MXP_VERSION_REJECTED ||
        (vr->status == MXP_VERSION_SKIPPED && vr->fail.stage == MXP_STAGE_HANDSHAKE))
        json_failure(w, &vr->fail);
    else
        json_null(w);
    mxp_puts(w, ",\"negotiated\":");
    if (ok)
        json_negotiated(w, &vr->tls);
    else
        json_null(w);
    mxp_printf(w, ",\"connections\":%u,\"suites_complete\":", (unsigned)vr->connections);
    json_bool(w, vr->suites_complete);
    mxp_puts(w, ",\"suites\":[");
    size_t n = vr->n_suites < MXP_CFG_MAX_SUITES ? vr->n_suites : MXP_CFG_MAX_SUITES;
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            mxp_putc(w, ',');
        json_suite(w, &vr->suites[i]);
    }
    mxp_puts(w, "]}");
}

static const char *json_key_type(uint8_t t)
{
    switch (t) {
    case MXP_KEY_RSA:
        return "rsa";
    case MXP_KEY_EC:
        return "ec";
    case MXP_KEY_ED25519:
        return "ed25519";
    case MXP_KEY_ED448:
        return "ed448";
    case MXP_KEY_DSA:
        return "dsa";
    default:
        return "unknown";
    }
}

static void json_cert(struct mxp_writer *w, const struct mxp_cert_summary *c)
{
    if (!c->present) {
        json_null(w);
        return;
    }
    mxp_puts(w, "{\"subject\":");
    JSON_FIELD(w, c->subject, false);
    mxp_puts(w, ",\"issuer\":");
    JSON_FIELD(w, c->issuer, false);
    mxp_puts(w, ",\"sans\":[");
    unsigned n = c->n_sans < MXP_CFG_CERT_SANS_MAX ? c->n_sans : MXP_CFG_CERT_SANS_MAX;
    for (unsigned i = 0; i < n; i++) {
        if (i > 0)
            mxp_putc(w, ',');
        JSON_FIELD(w, c->sans[i], false);
    }
    mxp_puts(w, "],\"sans_truncated\":");
    json_bool(w, c->sans_truncated);
    mxp_puts(w, ",\"not_before\":");
    json_time(w, c->not_before);
    mxp_puts(w, ",\"not_after\":");
    json_time(w, c->not_after);
    mxp_printf(w, ",\"key\":{\"type\":\"%s\",\"bits\":", json_key_type(c->key_type));
    json_u_or_null(w, c->key_bits);
    mxp_puts(w, ",\"curve\":");
    json_cstr(w, c->key_type == MXP_KEY_EC ? mxp_group_name(c->key_curve) : NULL);
    mxp_puts(w, "},\"self_signed\":");
    json_bool(w, c->self_signed);
    mxp_puts(w, ",\"name_match\":");
    json_tristate(w, c->name_match);
    mxp_puts(w, ",\"expired\":");
    json_tristate(w, c->expired);
    mxp_printf(w, ",\"chain_length\":%u}", (unsigned)c->chain_len);
}

static void json_port(struct mxp_writer *w, const struct mxp_port_result *p)
{
    mxp_printf(w, "{\"port\":%u,\"mode\":\"%s\",\"reached\":", (unsigned)p->port,
               p->mode == MXP_MODE_IMPLICIT ? "implicit" : "starttls");
    json_bool(w, p->reached);
    mxp_puts(w, ",\"busy\":");
    json_bool(w, p->busy);
    mxp_puts(w, ",\"stop\":");
    json_failure(w, &p->stop);
    mxp_puts(w, ",\"timing_ms\":{");
    for (unsigned i = 0; i < MXP_FMT_PHASES; i++) {
        uint32_t ms;
        mxp_printf(w, "%s\"%s\":", i ? "," : "", mxp_fmt_phase_names[i]);
        if (mxp_fmt_phase(p, i, &ms))
            json_u(w, ms);
        else
            json_null(w);
    }
    mxp_puts(w, "},\"banner\":");
    if (p->banner_code != 0) {
        mxp_printf(w, "{\"code\":%u,\"enhanced\":", (unsigned)p->banner_code);
        JSON_FIELD(w, p->banner_enh, true);
        mxp_puts(w, ",\"text\":");
        JSON_FIELD(w, p->banner, false);
        mxp_putc(w, '}');
    } else {
        json_null(w);
    }
    mxp_puts(w, ",\"ehlo\":");
    if (p->ehlo_code != 0) {
        mxp_printf(w, "{\"code\":%u,\"capabilities\":[", (unsigned)p->ehlo_code);
        unsigned n = p->n_caps < MXP_CFG_EHLO_CAPS_MAX ? p->n_caps : MXP_CFG_EHLO_CAPS_MAX;
        for (unsigned i = 0; i < n; i++) {
            if (i > 0)
                mxp_putc(w, ',');
            JSON_FIELD(w, p->caps[i], false);
        }
        mxp_puts(w, "],\"truncated\":");
        json_bool(w, p->caps_truncated);
        mxp_putc(w, '}');
    } else {
        json_null(w);
    }
    mxp_puts(w, ",\"starttls\":{\"offered\":");
    json_bool(w, p->starttls_offered);
    mxp_puts(w, ",\"code\":");
    json_u_or_null(w, p->starttls_code);
    mxp_puts(w, ",\"enhanced\":");
    JSON_FIELD(w, p->starttls_enh, true);
    mxp_puts(w, "},\"certificate\":");
    json_cert(w, &p->cert);
    mxp_puts(w, ",\"versions\":[");
    for (unsigned v = 0; v < MXP_TLS_VERSION_COUNT; v++) {
        if (v > 0)
            mxp_putc(w, ',');
        json_version(w, &p->versions[v], v);
    }
    mxp_printf(w, "],\"connections\":%u,\"elapsed_ms\":%lu}", (unsigned)p->connections,
               (unsigned long)p->elapsed_ms);
}

static unsigned json_n_ports(const struct mxp_result *r)
{
    return r->n_ports < MXP_CFG_MAX_PORTS ? r->n_ports : MXP_CFG_MAX_PORTS;
}

/* 0: every port completed a handshake on some version and nothing failed. */
static int json_exit_status(const struct mxp_result *r, const struct mxp_finding *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (f[i].severity == MXP_SEV_FAIL)
            return 1;
    if (!r->resolved || r->interrupted || json_n_ports(r) == 0)
        return 1;
    for (unsigned i = 0; i < json_n_ports(r); i++) {
        bool ok = false;
        for (unsigned v = 0; v < MXP_TLS_VERSION_COUNT; v++)
            ok = ok || r->ports[i].versions[v].status == MXP_VERSION_ACCEPTED;
        if (!ok)
            return 1;
    }
    return 0;
}

int mxp_report_exit_status(const struct mxp_result *r)
{
    struct mxp_finding f[MXP_FINDINGS_MAX];
    size_t n = mxp_verdict_derive(r, f, MXP_FINDINGS_MAX);
    return json_exit_status(r, f, n);
}

/* An error kind, or null when e is MXP_OK. */
static void json_kind_or_null(struct mxp_writer *w, mxp_err e)
{
    if (mxp_ok(e))
        json_null(w);
    else
        json_kind(w, e);
}

static void json_reach(struct mxp_writer *w, const struct mxp_reach_result *rr)
{
    mxp_printf(w,
               "{\"port\":%u,\"status\":\"%s\",\"witness\":%s,\"samples\":%u,\"ok\":%u,\"rtt_ms\":",
               (unsigned)rr->port, mxp_reach_name((enum mxp_reach)rr->reach),
               rr->witness ? "true" : "false", (unsigned)rr->samples, (unsigned)rr->ok);
    if (rr->ok == 0)
        json_null(w);
    else
        mxp_printf(w, "{\"min\":%lu,\"median\":%lu,\"max\":%lu,\"jitter\":%lu}",
                   (unsigned long)rr->min_ms, (unsigned long)rr->median_ms,
                   (unsigned long)rr->max_ms, (unsigned long)rr->jitter_ms);
    mxp_puts(w, ",\"error\":");
    json_kind_or_null(w, rr->err);
    mxp_putc(w, '}');
}

static void json_path(struct mxp_writer *w, const struct mxp_result *r)
{
    const struct mxp_mtu_result *m = &r->mtu;
    const struct mxp_rdns_result *d = &r->rdns;
    mxp_puts(w, "\"path\":{\"reach\":[");
    for (size_t i = 0; i < r->n_reach && i < MXP_CFG_REACH_MAX; i++) {
        if (i > 0)
            mxp_putc(w, ',');
        json_reach(w, &r->reach[i]);
    }
    mxp_printf(w, "],\"mtu\":{\"status\":\"%s\",\"method\":",
               mxp_mtu_status_name((enum mxp_mtu_status)m->status));
    JSON_FIELD(w, m->method, true);
    mxp_puts(w, ",\"path_mtu\":");
    json_u_or_null(w, m->status == MXP_MTU_MEASURED ? m->path_mtu : 0);
    mxp_puts(w, ",\"interface_mtu\":");
    json_u_or_null(w, m->iface_mtu);
    mxp_puts(w, ",\"frag_needed\":");
    json_bool(w, m->frag_needed);
    mxp_puts(w, ",\"reported_mtu\":");
    json_u_or_null(w, m->reported_mtu);
    mxp_puts(w, ",\"silent_above\":");
    json_u_or_null(w, m->silent_above);
    mxp_printf(w, ",\"probes\":%u,\"error\":", (unsigned)m->probes);
    json_kind_or_null(w, m->status == MXP_MTU_MEASURED ? MXP_SUCCESS : m->err);
    mxp_printf(w, "},\"rdns\":{\"status\":\"%s\",\"ptr\":",
               mxp_rdns_status_name((enum mxp_rdns_status)d->status));
    JSON_FIELD(w, d->ptr, true);
    mxp_puts(w, ",\"fcrdns\":");
    json_tristate(w, d->fcrdns);
    mxp_puts(w, ",\"error\":");
    json_kind_or_null(w, d->status == MXP_RDNS_FOUND ? d->forward_err : d->err);
    mxp_puts(w, "},\"mss_clamp\":");
    if (r->mss_clamp == 0) {
        json_null(w);
    } else {
        unsigned port = r->mss_clamp_port < json_n_ports(r) ? r->ports[r->mss_clamp_port].port : 0;
        mxp_printf(w, "{\"mss\":%u,\"port\":%u,\"stalled_rx_bytes\":%lu,\"helped\":",
                   (unsigned)r->mss_clamp, port, (unsigned long)r->mss_clamp_rx_bytes);
        json_tristate(w, r->mss_clamp_helped);
        mxp_putc(w, '}');
    }
    mxp_puts(w, "},");
}

static void json_findings(struct mxp_writer *w, const struct mxp_result *r,
                          const struct mxp_finding *f, size_t n)
{
    mxp_puts(w, "\"findings\":[");
    for (size_t i = 0; i < n; i++) {
        struct mxp_fmt_json js;
        if (i > 0)
            mxp_putc(w, ',');
        mxp_printf(w, "{\"id\":\"%s\",\"severity\":\"%s\",\"port\":",
                   mxp_finding_name((enum mxp_finding_id)f[i].id),
                   mxp_severity_name((enum mxp_severity)f[i].severity));
        if (f[i].port < json_n_ports(r))
            json_u(w, r->ports[f[i].port].port);
        else
            json_null(w);
        mxp_puts(w, ",\"text\":");
        mxp_fmt_json_begin(&js, w);
        mxp_finding_text(r, &f[i], &js.w);
        mxp_fmt_json_end(&js);
        mxp_putc(w, '}');
    }
    mxp_puts(w, "],");
}

void mxp_report_json_object(const struct mxp_result *r, struct mxp_writer *w)
{
    struct mxp_finding f[MXP_FINDINGS_MAX];
    size_t n = mxp_verdict_derive(r, f, MXP_FINDINGS_MAX);

    mxp_printf(w, "{\"schema\":\"mxprobe-report\",\"schema_version\":%d,\"target\":{\"host\":",
               MXP_RESULT_SCHEMA_VERSION);
    JSON_FIELD(w, r->host, false);
    mxp_puts(w, ",\"address\":");
    if (r->resolved && (r->addr.family == MXP_AF_INET || r->addr.family == MXP_AF_INET6)) {
        mxp_putc(w, '"');
        mxp_fmt_addr(w, &r->addr);
        mxp_putc(w, '"');
    } else {
        json_null(w);
    }
    mxp_puts(w, ",\"resolved\":");
    json_bool(w, r->resolved);
    mxp_puts(w, ",\"resolve_error\":");
    if (r->resolved)
        json_null(w);
    else
        json_kind(w, r->resolve_err);
    mxp_puts(w, ",\"sni\":");
    JSON_FIELD(w, r->sni, true);
    mxp_puts(w, ",\"ehlo_name\":");
    JSON_FIELD(w, r->ehlo_name, false);
    mxp_printf(w, "},\"settings\":{\"strategy\":\"%s\",\"max_concurrent\":%u,\"entropy_strong\":",
               r->exhaustive ? "exhaustive" : "elimination", (unsigned)r->max_concurrent);
    json_bool(w, r->entropy_strong);
    mxp_puts(w, "},\"ports\":[");
    for (unsigned i = 0; i < json_n_ports(r); i++) {
        if (i > 0)
            mxp_putc(w, ',');
        json_port(w, &r->ports[i]);
    }
    mxp_puts(w, "],");
    json_path(w, r);
    json_findings(w, r, f, n);
    mxp_printf(w,
               "\"connections\":%u,\"peak_concurrent\":%u,\"elapsed_ms\":%lu,\"interrupted\":%s,"
               "\"exit_status\":%d}",
               (unsigned)r->connections, (unsigned)r->peak_concurrent, (unsigned long)r->elapsed_ms,
               r->interrupted ? "true" : "false", json_exit_status(r, f, n));
}

void mxp_report_json(const struct mxp_result *r, struct mxp_writer *w)
{
    mxp_report_json_object(r, w);
    mxp_putc(w, '\n');
}
