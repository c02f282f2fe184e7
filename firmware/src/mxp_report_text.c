/*
 * The human report: per port what the MX said and which TLS versions and
 * suites it accepts, then the verdict in plain words. 80 columns, no colour,
 * network bytes escaped. A pure function over the result.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mxp_err_text.h"
#include "mxp_fmt.h"
#include "mxp_report.h"
#include "mxp_suites.h"
#include "mxp_verdict.h"

#define TEXT_LABEL_COL 12u    /* values start here: "  Banner    220 ..." */
#define TEXT_DETAIL_COL 19u   /* "  TLSv1.2   ok     TLS_..." */
#define TEXT_SUITE_INDENT 14u /* continuation of a suite list */
#define TEXT_CERT_COL 25u     /* "subject      " after the label */

static void text_spaces(struct mxp_writer *w, unsigned n)
{
    while (n-- > 0)
        mxp_putc(w, ' ');
}

/* "  Label     " padded to the value column; an empty label continues a block. */
static void text_label(struct mxp_writer *w, const char *label)
{
    mxp_printf(w, "  %-*s", (int)(TEXT_LABEL_COL - 2), label);
}

/* "1 connection", "12 connections", "no connections" */
static void text_count(struct mxp_writer *w, unsigned n, const char *noun)
{
    if (n == 0)
        mxp_printf(w, "no %ss", noun);
    else
        mxp_printf(w, "%u %s%s", n, noun, n == 1 ? "" : "s");
}

static unsigned text_n_ports(const struct mxp_result *r)
{
    return r->n_ports < MXP_CFG_MAX_PORTS ? r->n_ports : MXP_CFG_MAX_PORTS;
}

static size_t text_n_suites(const struct mxp_version_result *vr)
{
    return vr->n_suites < MXP_CFG_MAX_SUITES ? vr->n_suites : MXP_CFG_MAX_SUITES;
}

static void text_header(const struct mxp_result *r, struct mxp_writer *w)
{
    struct mxp_fmt_wrap f;
    mxp_puts(w, "mxprobe report for ");
    mxp_put_escaped(w, MXP_FMT_FIELD(r->host));
    if (r->resolved) {
        mxp_puts(w, " (");
        mxp_fmt_addr(w, &r->addr);
        mxp_puts(w, ")\n");
    } else {
        char text[96];
        const char *e = mxp_err_str(r->resolve_err, text, sizeof text);
        mxp_printf(w, ": did not resolve (%s)\n", e != NULL ? e : "error");
    }
    mxp_puts(w, "  ");
    mxp_fmt_wrap_begin(&f, w, 2, 2, 0);
    if (r->sni[0] != '\0') {
        mxp_puts(&f.w, "SNI ");
        mxp_put_escaped(&f.w, MXP_FMT_FIELD(r->sni));
    } else {
        mxp_puts(&f.w, "no SNI");
    }
    mxp_puts(&f.w, ", EHLO ");
    mxp_put_escaped(&f.w, MXP_FMT_FIELD(r->ehlo_name));
    mxp_fmt_wrap_end(&f);
    mxp_printf(w, "\n  %s strategy, up to %u connection%s at once",
               r->exhaustive ? "exhaustive" : "elimination", (unsigned)r->max_concurrent,
               r->max_concurrent == 1 ? "" : "s");
    if (!r->entropy_strong)
        mxp_puts(w, "\n  entropy is best-effort: this board has no hardware RNG");
    mxp_putc(w, '\n');
}

static void text_reach(const struct mxp_reach_result *rr, struct mxp_writer *w)
{
    char text[96];
    mxp_printf(w, "port %u %s", (unsigned)rr->port, mxp_reach_name((enum mxp_reach)rr->reach));
    if (rr->ok > 0) {
        mxp_printf(w, ": %u of %u connected, RTT %lu/%lu/%lu ms min/median/max, jitter %lu ms",
                   (unsigned)rr->ok, (unsigned)rr->samples, (unsigned long)rr->min_ms,
                   (unsigned long)rr->median_ms, (unsigned long)rr->max_ms,
                   (unsigned long)rr->jitter_ms);
        if (rr->ok < rr->samples)
            mxp_printf(w, "; failed: %s", mxp_err_str(rr->err, text, sizeof text));
    } else if (!mxp_ok(rr->err)) {
        mxp_printf(w, " (%s)", mxp_err_str(rr->err, text, sizeof text));
    }
    if (rr->witness)
        mxp_puts(w, ", checked because 25 did not answer");
}

static void text_mtu(const struct mxp_mtu_result *m, struct mxp_writer *w)
{
    char text[96];
    switch (m->status) {
    case MXP_MTU_MEASURED:
        mxp_printf(w, "%u bytes (interface %u; ", (unsigned)m->path_mtu, (unsigned)m->iface_mtu);
        mxp_put_escaped(w, MXP_FMT_FIELD(m->method));
        mxp_printf(w, ", %u probes", (unsigned)m->probes);
        if (m->frag_needed && m->reported_mtu != 0)
            mxp_printf(w, "; a router reported MTU %u", (unsigned)m->reported_mtu);
        if (m->silent_above != 0)
            mxp_printf(w, "; %u bytes and more vanished without ICMP", (unsigned)m->silent_above);
        mxp_putc(w, ')');
        break;
    case MXP_MTU_NO_REPLY:
        mxp_puts(w, "not measured: no answer even to ");
        mxp_put_escaped(w, MXP_FMT_FIELD(m->method));
        mxp_puts(w, " probes of the minimum size (ICMP filtered on the way or at the MX)");
        break;
    case MXP_MTU_FAILED:
        mxp_printf(w, "not measured: %s", mxp_err_str(m->err, text, sizeof text));
        break;
    default:
        mxp_puts(w, "not measured");
        if (mxp_is(m->err, MXP_E_UNSUPPORTED))
            mxp_puts(w, " (this platform cannot send don't-fragment probes)");
        else if (!mxp_ok(m->err))
            mxp_printf(w, " (%s)", mxp_err_str(m->err, text, sizeof text));
        else
            mxp_puts(w, " (switched off)");
        break;
    }
}

static void text_rdns(const struct mxp_result *r, struct mxp_writer *w)
{
    const struct mxp_rdns_result *d = &r->rdns;
    char text[96];
    switch (d->status) {
    case MXP_RDNS_FOUND:
        mxp_put_escaped(w, MXP_FMT_FIELD(d->ptr));
        if (d->fcrdns == MXP_YES)
            mxp_puts(w, " (resolves back: forward-confirmed)");
        else if (d->fcrdns == MXP_NO)
            mxp_puts(w, " (does NOT resolve back to the address)");
        else
            mxp_printf(w, " (forward lookup failed: %s)",
                       mxp_err_str(d->forward_err, text, sizeof text));
        break;
    case MXP_RDNS_NONE:
        mxp_printf(w, "none (%s)", mxp_err_str(d->err, text, sizeof text));
        break;
    case MXP_RDNS_FAILED:
        mxp_printf(w, "lookup failed (%s)", mxp_err_str(d->err, text, sizeof text));
        break;
    default:
        mxp_puts(w, "not checked");
        if (mxp_is(d->err, MXP_E_UNSUPPORTED))
            mxp_puts(w, " (no DNS resolver available)");
        else if (mxp_ok(d->err))
            mxp_puts(w, " (switched off, or a loopback, link-local or private address)");
        break;
    }
}

/* Reachability, RTT, the MSS-clamp retry and, with host_path, the path MTU
 * and reverse DNS of the address. */
static void text_path(const struct mxp_result *r, bool host_path, struct mxp_writer *w)
{
    struct mxp_fmt_wrap f;
    if (!host_path && r->n_reach == 0 && r->mss_clamp == 0)
        return; /* a later turn of ports without connect samples: nothing to add */
    mxp_puts(w, "\nPath to ");
    mxp_fmt_addr(w, &r->addr);
    mxp_putc(w, '\n');
    for (size_t i = 0; i < r->n_reach && i < MXP_CFG_REACH_MAX; i++) {
        text_label(w, i == 0 ? "Connect" : "");
        mxp_fmt_wrap_begin(&f, w, TEXT_LABEL_COL, TEXT_LABEL_COL + 2, 0);
        text_reach(&r->reach[i], &f.w);
        mxp_fmt_wrap_end(&f);
        mxp_putc(w, '\n');
    }
    if (host_path) {
        text_label(w, "Path MTU");
        mxp_fmt_wrap_begin(&f, w, TEXT_LABEL_COL, TEXT_LABEL_COL, 0);
        text_mtu(&r->mtu, &f.w);
        mxp_fmt_wrap_end(&f);
        mxp_putc(w, '\n');
        text_label(w, "PTR");
        mxp_fmt_wrap_begin(&f, w, TEXT_LABEL_COL, TEXT_LABEL_COL, 0);
        text_rdns(r, &f.w);
        mxp_fmt_wrap_end(&f);
        mxp_putc(w, '\n');
    }
    if (r->mss_clamp != 0) {
        unsigned port = r->mss_clamp_port < text_n_ports(r) ? r->ports[r->mss_clamp_port].port : 0;
        text_label(w, "MSS clamp");
        mxp_fmt_wrap_begin(&f, w, TEXT_LABEL_COL, TEXT_LABEL_COL, 0);
        mxp_printf(&f.w,
                   "a handshake on port %u stalled after ClientHello; retried with MSS %u: %s",
                   port, (unsigned)r->mss_clamp,
                   r->mss_clamp_helped == MXP_YES  ? "completed"
                   : r->mss_clamp_helped == MXP_NO ? "failed as well"
                                                   : "not finished");
        mxp_fmt_wrap_end(&f);
        mxp_putc(w, '\n');
    }
}

static void text_timing(const struct mxp_port_result *p, struct mxp_writer *w)
{
    static const char *const names[MXP_FMT_PHASES] = {"connect", "banner", "EHLO", "STARTTLS"};
    bool any = false;
    for (unsigned i = 0; i < MXP_FMT_PHASES; i++) {
        uint32_t ms;
        if (!mxp_fmt_phase(p, i, &ms))
            continue;
        if (!any)
            text_label(w, "Timing");
        mxp_printf(w, "%s%s %lu ms", any ? ", " : "", names[i], (unsigned long)ms);
        any = true;
    }
    if (any)
        mxp_putc(w, '\n');
}

static void text_smtp(const struct mxp_port_result *p, struct mxp_writer *w)
{
    struct mxp_fmt_wrap f;
    if (p->banner_code != 0) {
        text_label(w, "Banner");
        mxp_fmt_wrap_begin(&f, w, TEXT_LABEL_COL, TEXT_LABEL_COL, 3);
        mxp_printf(&f.w, "%u ", (unsigned)p->banner_code);
        if (p->banner_enh[0] != '\0') {
            mxp_put_escaped(&f.w, MXP_FMT_FIELD(p->banner_enh));
            mxp_putc(&f.w, ' ');
        }
        mxp_put_escaped(&f.w, MXP_FMT_FIELD(p->banner));
        mxp_fmt_wrap_end(&f);
        mxp_putc(w, '\n');
    }
    if (p->ehlo_code != 0) {
        unsigned n = p->n_caps < MXP_CFG_EHLO_CAPS_MAX ? p->n_caps : MXP_CFG_EHLO_CAPS_MAX;
        text_label(w, "EHLO");
        mxp_fmt_wrap_begin(&f, w, TEXT_LABEL_COL, TEXT_LABEL_COL, 2);
        mxp_printf(&f.w, "%u", (unsigned)p->ehlo_code);
        for (unsigned i = 0; i < n; i++) {
            mxp_puts(&f.w, i == 0 ? " " : ", ");
            mxp_put_escaped(&f.w, MXP_FMT_FIELD(p->caps[i]));
        }
        if (p->caps_truncated)
            mxp_puts(&f.w, " ...");
        mxp_fmt_wrap_end(&f);
        mxp_putc(w, '\n');
    }
    if (p->mode == MXP_MODE_STARTTLS && p->ehlo_code != 0) {
        text_label(w, "STARTTLS");
        if (!p->starttls_offered) {
            mxp_puts(w, "not offered");
        } else if (p->starttls_code == 0) {
            mxp_puts(w, "offered");
        } else {
            mxp_printf(w, "%u", (unsigned)p->starttls_code);
            if (p->starttls_enh[0] != '\0') {
                mxp_putc(w, ' ');
                mxp_put_escaped(w, MXP_FMT_FIELD(p->starttls_enh));
            }
        }
        mxp_putc(w, '\n');
    }
}

/* "TLS_AES_128_GCM_SHA256  x25519  rsa_pss_rsae_sha256  12 ms" */
static void text_params(struct mxp_writer *w, const struct mxp_tls_params *t)
{
    mxp_fmt_suite(w, t->suite);
    const char *g = mxp_group_name(t->group);
    if (g != NULL)
        mxp_printf(w, "  %s", g);
    else if (t->group != 0)
        mxp_printf(w, "  group 0x%04X", (unsigned)t->group);
    if (t->dh_bits != 0)
        mxp_printf(w, "  DH %u bits", (unsigned)t->dh_bits);
    const char *s = mxp_sigalg_name(t->sigalg);
    if (s != NULL)
        mxp_printf(w, "  %s", s);
    mxp_printf(w, "  %lu ms", (unsigned long)t->handshake_ms);
}

static bool text_any_version(const struct mxp_port_result *p)
{
    for (unsigned i = 0; i < MXP_TLS_VERSION_COUNT; i++)
        if (p->versions[i].status != MXP_VERSION_UNTESTED)
            return true;
    return false;
}

/* Skipped after its handshake failed on our side (out of memory, a record
 * too large for this board): tried, but not judged. */
static bool text_not_judged(const struct mxp_version_result *vr)
{
    return vr->status == MXP_VERSION_SKIPPED && vr->fail.stage == MXP_STAGE_HANDSHAKE;
}

static bool text_all_skipped(const struct mxp_port_result *p)
{
    for (unsigned i = 0; i < MXP_TLS_VERSION_COUNT; i++)
        if ((p->versions[i].status != MXP_VERSION_UNTESTED &&
             p->versions[i].status != MXP_VERSION_SKIPPED) ||
            text_not_judged(&p->versions[i]))
            return false;
    return true;
}

static void text_versions(const struct mxp_port_result *p, struct mxp_writer *w)
{
    if (!text_any_version(p))
        return;
    if (text_all_skipped(p)) {
        text_label(w, "TLS");
        mxp_puts(w, "no version tried: the port stopped first\n");
        return;
    }
    for (unsigned i = 0; i < MXP_TLS_VERSION_COUNT; i++) {
        const struct mxp_version_result *vr = &p->versions[i];
        struct mxp_fmt_wrap f;
        text_label(w, mxp_tls_version_name((enum mxp_tls_version)i));
        switch (vr->status) {
        case MXP_VERSION_ACCEPTED:
            mxp_puts(w, "ok     ");
            mxp_fmt_wrap_begin(&f, w, TEXT_DETAIL_COL, TEXT_DETAIL_COL, 0);
            text_params(&f.w, &vr->tls);
            mxp_fmt_wrap_end(&f);
            break;
        case MXP_VERSION_REJECTED:
            mxp_puts(w, "fails  ");
            mxp_fmt_wrap_begin(&f, w, TEXT_DETAIL_COL, TEXT_DETAIL_COL, 0);
            mxp_fmt_failure(&f.w, &vr->fail);
            mxp_fmt_wrap_end(&f);
            break;
        case MXP_VERSION_SKIPPED:
            if (text_not_judged(vr)) {
                mxp_puts(w, "not judged: ");
                mxp_fmt_wrap_begin(&f, w, TEXT_DETAIL_COL, TEXT_DETAIL_COL, 0);
                mxp_fmt_failure(&f.w, &vr->fail);
                mxp_fmt_wrap_end(&f);
            } else {
                mxp_puts(w, "skipped (the port stopped first)");
            }
            break;
        case MXP_VERSION_UNAVAILABLE:
            mxp_puts(w, "not available in this build");
            break;
        default:
            mxp_puts(w, "not tested");
            break;
        }
        mxp_putc(w, '\n');
    }
}

/* Every rejected suite failed the same way? */
static bool text_rejected_alike(const struct mxp_version_result *vr)
{
    const struct mxp_suite_result *first = NULL;
    for (size_t i = 0; i < text_n_suites(vr); i++) {
        const struct mxp_suite_result *s = &vr->suites[i];
        if (s->status != MXP_SUITE_REJECTED)
            continue;
        if (first == NULL)
            first = s;
        else if (!mxp_fmt_same_err(s->fail, first->fail) || s->fail_stage != first->fail_stage)
            return false;
    }
    return true;
}

static void text_accepted_suite(struct mxp_writer *w, const struct mxp_suite_result *s)
{
    text_spaces(w, TEXT_LABEL_COL);
    if (s->order != 0)
        mxp_printf(w, "%2u. ", (unsigned)s->order);
    else
        mxp_puts(w, " -  ");
    mxp_fmt_suite(w, s->suite);
    if (mxp_fmt_suite_weak(s->suite))
        mxp_puts(w, "  weak");
    mxp_putc(w, '\n');
}

static void text_accepted_with_order(const struct mxp_version_result *vr, uint8_t order,
                                     struct mxp_writer *w)
{
    for (size_t i = 0; i < text_n_suites(vr); i++) {
        const struct mxp_suite_result *s = &vr->suites[i];
        if (s->status == MXP_SUITE_ACCEPTED && s->order == order)
            text_accepted_suite(w, s);
    }
}

static void text_suites_of(const struct mxp_version_result *vr, unsigned v, bool *labelled,
                           struct mxp_writer *w)
{
    size_t n = text_n_suites(vr);
    unsigned acc = 0, rej = 0, untested = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t st = vr->suites[i].status;
        acc += st == MXP_SUITE_ACCEPTED;
        rej += st == MXP_SUITE_REJECTED;
        untested += st != MXP_SUITE_ACCEPTED && st != MXP_SUITE_REJECTED;
    }
    if (n == 0)
        return;
    text_label(w, *labelled ? "" : "Suites");
    *labelled = true;
    mxp_printf(w, "%s", mxp_tls_version_name((enum mxp_tls_version)v));
    mxp_puts(w, acc == 0 ? " none accepted\n" : " accepted, in the order the server chose them:\n");
    /* Server order first, then any the server did not rank. */
    for (unsigned o = 1; o <= UINT8_MAX; o++)
        text_accepted_with_order(vr, (uint8_t)o, w);
    text_accepted_with_order(vr, 0, w);
    if (rej > 0) {
        struct mxp_fmt_wrap f;
        const struct mxp_suite_result *first = NULL;
        for (size_t i = 0; i < n && first == NULL; i++)
            if (vr->suites[i].status == MXP_SUITE_REJECTED)
                first = &vr->suites[i];
        text_spaces(w, TEXT_LABEL_COL);
        mxp_fmt_wrap_begin(&f, w, TEXT_LABEL_COL, TEXT_SUITE_INDENT, 0);
        if (text_rejected_alike(vr)) {
            if (untested == 0)
                mxp_printf(&f.w, "all %u %s rejected: ", rej, acc > 0 ? "others" : "offered");
            else
                mxp_printf(&f.w, "%u rejected: ", rej);
            mxp_fmt_reason(&f.w, first->fail_stage, first->fail, NULL);
        } else {
            mxp_printf(&f.w, "%u rejected:", rej);
            const char *sep = " ";
            for (size_t i = 0; i < n; i++) {
                if (vr->suites[i].status != MXP_SUITE_REJECTED)
                    continue;
                mxp_puts(&f.w, sep);
                mxp_fmt_suite(&f.w, vr->suites[i].suite);
                sep = ", ";
            }
        }
        mxp_fmt_wrap_end(&f);
        mxp_putc(w, '\n');
    }
    if (untested > 0) {
        text_spaces(w, TEXT_LABEL_COL);
        mxp_printf(w, "%u not tested\n", untested);
    }
    if (!vr->suites_complete) {
        text_spaces(w, TEXT_LABEL_COL);
        mxp_puts(w, "incomplete: the probe stopped before every suite got a verdict\n");
    }
}

static void text_suites(const struct mxp_port_result *p, struct mxp_writer *w)
{
    bool labelled = false;
    for (unsigned i = 0; i < MXP_TLS_VERSION_COUNT; i++)
        if (p->versions[i].status == MXP_VERSION_ACCEPTED)
            text_suites_of(&p->versions[i], i, &labelled, w);
}

static void text_cert_row(struct mxp_writer *w, bool first, const char *sub)
{
    text_label(w, first ? "Cert" : "");
    mxp_printf(w, "%-*s", (int)(TEXT_CERT_COL - TEXT_LABEL_COL), sub);
}

static const char *text_tristate(uint8_t t)
{
    return t == MXP_YES ? "yes" : t == MXP_NO ? "no" : "not checked";
}

static void text_cert(const struct mxp_result *r, const struct mxp_port_result *p,
                      struct mxp_writer *w)
{
    const struct mxp_cert_summary *c = &p->cert;
    struct mxp_fmt_wrap f;
    if (!c->present)
        return;
    text_cert_row(w, true, "subject");
    mxp_fmt_wrap_begin(&f, w, TEXT_CERT_COL, TEXT_CERT_COL, 3);
    mxp_put_escaped(&f.w, MXP_FMT_FIELD(c->subject));
    mxp_fmt_wrap_end(&f);
    mxp_putc(w, '\n');
    text_cert_row(w, false, "issuer");
    mxp_fmt_wrap_begin(&f, w, TEXT_CERT_COL, TEXT_CERT_COL, 3);
    mxp_put_escaped(&f.w, MXP_FMT_FIELD(c->issuer));
    mxp_fmt_wrap_end(&f);
    mxp_putc(w, '\n');
    unsigned n = c->n_sans < MXP_CFG_CERT_SANS_MAX ? c->n_sans : MXP_CFG_CERT_SANS_MAX;
    text_cert_row(w, false, "SANs");
    mxp_fmt_wrap_begin(&f, w, TEXT_CERT_COL, TEXT_CERT_COL, 4);
    if (n == 0)
        mxp_puts(&f.w, "none");
    for (unsigned i = 0; i < n; i++) {
        if (i > 0)
            mxp_puts(&f.w, ", ");
        mxp_put_escaped(&f.w, MXP_FMT_FIELD(c->sans[i]));
    }
    if (c->sans_truncated)
        mxp_puts(&f.w, " (more not kept)");
    mxp_fmt_wrap_end(&f);
    mxp_putc(w, '\n');
    text_cert_row(w, false, "not after");
    mxp_fmt_utc(w, c->not_after, ' ');
    mxp_puts(w, c->expired == MXP_YES  ? " (expired)\n"
                : c->expired == MXP_NO ? " (valid now)\n"
                                       : " (expiry not checked)\n");
    text_cert_row(w, false, "key");
    mxp_fmt_key(w, c);
    mxp_printf(w, ", chain of %u sent\n", (unsigned)c->chain_len);
    text_cert_row(w, false, "self-signed");
    mxp_printf(w, "%s, name match %s", c->self_signed ? "yes" : "no", text_tristate(c->name_match));
    if (c->name_match != MXP_NOT_CHECKED) {
        mxp_puts(w, " for ");
        if (r->sni[0] != '\0')
            mxp_put_escaped(w, MXP_FMT_FIELD(r->sni));
        else
            mxp_put_escaped(w, MXP_FMT_FIELD(r->host));
    }
    mxp_putc(w, '\n');
}

static void text_stopped(const struct mxp_port_result *p, struct mxp_writer *w)
{
    if (mxp_fmt_failed(&p->stop)) {
        struct mxp_fmt_wrap f;
        text_label(w, "Stopped");
        mxp_fmt_wrap_begin(&f, w, TEXT_LABEL_COL, TEXT_LABEL_COL, 0);
        mxp_fmt_failure(&f.w, &p->stop);
        mxp_fmt_wrap_end(&f);
        mxp_putc(w, '\n');
    }
}

static void text_port(const struct mxp_result *r, unsigned i, struct mxp_writer *w)
{
    const struct mxp_port_result *p = &r->ports[i];
    mxp_printf(w, "\nPort %u (%s) at ", (unsigned)p->port,
               p->mode == MXP_MODE_IMPLICIT ? "implicit TLS" : "STARTTLS");
    mxp_fmt_addr(w, &r->addr);
    mxp_putc(w, '\n');
    text_timing(p, w);
    text_stopped(p, w);
    text_smtp(p, w);
    text_versions(p, w);
    text_suites(p, w);
    text_cert(r, p, w);
    text_label(w, "Probe");
    text_count(w, p->connections, "connection");
    mxp_puts(w, ", ");
    mxp_fmt_ms(w, p->elapsed_ms);
    mxp_putc(w, '\n');
}

static void text_verdict(const struct mxp_result *r, struct mxp_writer *w)
{
    struct mxp_finding found[MXP_FINDINGS_MAX];
    size_t n = mxp_verdict_derive(r, found, MXP_FINDINGS_MAX);
    mxp_puts(w, "\nVerdict\n");
    if (n == 0)
        mxp_puts(w, "  nothing to report\n");
    for (size_t i = 0; i < n; i++) {
        struct mxp_fmt_wrap f;
        mxp_printf(w, "  %-4s  ", mxp_severity_tag((enum mxp_severity)found[i].severity));
        mxp_fmt_wrap_begin(&f, w, 8, 8, 0);
        mxp_finding_text(r, &found[i], &f.w);
        mxp_fmt_wrap_end(&f);
        mxp_putc(w, '\n');
    }
}

void mxp_report_verdict(const struct mxp_result *r, struct mxp_writer *w)
{
    struct mxp_finding found[MXP_FINDINGS_MAX];
    size_t n = mxp_verdict_derive(r, found, MXP_FINDINGS_MAX);
    for (size_t i = 0; i < n; i++) {
        mxp_printf(w, "%-4s  ", mxp_severity_tag((enum mxp_severity)found[i].severity));
        mxp_finding_text(r, &found[i], w);
        mxp_putc(w, '\n');
    }
}

void mxp_report_matrix(const struct mxp_result *r, struct mxp_writer *w)
{
    for (unsigned i = 0; r->resolved && i < text_n_ports(r); i++) {
        const struct mxp_port_result *p = &r->ports[i];
        mxp_printf(w, "Port %u (%s)\n", (unsigned)p->port,
                   p->mode == MXP_MODE_IMPLICIT ? "implicit TLS" : "STARTTLS");
        text_stopped(p, w);
        text_versions(p, w);
        text_suites(p, w);
    }
    text_verdict(r, w);
}

void mxp_report_text_parts(const struct mxp_result *r, unsigned parts, struct mxp_writer *w)
{
    if (parts & MXP_TEXT_HEADER)
        text_header(r, w);
    if (r->resolved && (parts & MXP_TEXT_PATH))
        text_path(r, (parts & MXP_TEXT_HOST_PATH) != 0, w);
    if (r->resolved && (parts & MXP_TEXT_PORTS))
        for (unsigned i = 0; i < text_n_ports(r); i++)
            text_port(r, i, w);
    if (parts & MXP_TEXT_VERDICT)
        text_verdict(r, w);
    if ((parts & MXP_TEXT_DONE) == 0)
        return;
    mxp_puts(w, "\nDone: ");
    text_count(w, r->connections, "connection");
    mxp_puts(w, " in ");
    mxp_fmt_ms(w, r->elapsed_ms);
    if (r->connections > 0)
        mxp_printf(w, ", at most %u at once", (unsigned)r->peak_concurrent);
    mxp_puts(w, r->interrupted ? "; interrupted, the results above are partial.\n" : ".\n");
}

void mxp_report_text(const struct mxp_result *r, struct mxp_writer *w)
{
    mxp_report_text_parts(r, MXP_TEXT_ALL, w);
}
