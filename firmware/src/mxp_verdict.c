/*
 * Diagnosis: what a mail admin would conclude from a result, as findings with
 * a stable id, a severity and one sentence of cause and fix.
 *
 * Root causes come first and hide their consequences: a 421 at the banner is
 * "busy", never "no STARTTLS"; a port nobody answers on gets no TLS findings.
 */
#include "mxp_verdict.h"

#include <string.h>

#include "mxp_dns.h"
#include "mxp_err_text.h"
#include "mxp_fmt.h"
#include "mxp_suites.h"

static const char *const verdict_names[MXP_FIND_COUNT] = {
    [MXP_FIND_DNS_FAILED] = "dns-failed",
    [MXP_FIND_PORT_REFUSED] = "port-refused",
    [MXP_FIND_PORT_TIMEOUT] = "port-timeout",
    [MXP_FIND_PORT_UNREACHABLE] = "port-unreachable",
    [MXP_FIND_BUSY] = "smtp-busy",
    [MXP_FIND_BANNER_REJECT] = "smtp-banner-reject",
    [MXP_FIND_NO_STARTTLS] = "smtp-no-starttls",
    [MXP_FIND_STARTTLS_REFUSED] = "smtp-starttls-refused",
    [MXP_FIND_DROPPED_IN_HANDSHAKE] = "tls-dropped",
    [MXP_FIND_LEGACY_REFUSED] = "tls-legacy-refused",
    [MXP_FIND_LEGACY_ONLY] = "tls-legacy-only",
    [MXP_FIND_NO_TLS13] = "tls-no-tls13",
    [MXP_FIND_NO_TLS] = "tls-none",
    [MXP_FIND_WEAK_SUITES] = "tls-weak-suites",
    [MXP_FIND_FEW_SUITES] = "tls-few-suites",
    [MXP_FIND_CERT_EXPIRED] = "cert-expired",
    [MXP_FIND_CERT_NAME_MISMATCH] = "cert-name-mismatch",
    [MXP_FIND_CERT_SELF_SIGNED] = "cert-self-signed",
    [MXP_FIND_TLS_OK] = "tls-ok",
    [MXP_FIND_SMTP_FAILED] = "smtp-failed",
    [MXP_FIND_PORT25_BLOCKED] = "port25-blocked",
    [MXP_FIND_PMTU_BLACKHOLE] = "pmtu-blackhole",
    [MXP_FIND_ICMP_SILENT] = "pmtu-icmp-silent",
    [MXP_FIND_PATH_MTU_LOW] = "path-mtu-low",
    [MXP_FIND_SLOW_BANNER] = "smtp-slow-banner",
    [MXP_FIND_CONNECT_FLAKY] = "tcp-connect-flaky",
    [MXP_FIND_PTR_MISSING] = "dns-ptr-missing",
    [MXP_FIND_FCRDNS_FAILED] = "dns-fcrdns-failed",
    [MXP_FIND_BANNER_NAME_MISMATCH] = "dns-banner-name-mismatch",
    [MXP_FIND_RECORD_TOO_LARGE] = "tls-record-too-large",
    [MXP_FIND_NOT_JUDGED] = "tls-not-judged",
};

const char *mxp_finding_name(enum mxp_finding_id id)
{
    return (unsigned)id < MXP_FIND_COUNT && verdict_names[id] != NULL ? verdict_names[id]
                                                                      : "unknown";
}

const char *mxp_severity_tag(enum mxp_severity s)
{
    static const char *const tags[] = {"OK", "INFO", "WARN", "FAIL"};
    return (unsigned)s < sizeof tags / sizeof tags[0] ? tags[s] : "?";
}

const char *mxp_severity_name(enum mxp_severity s)
{
    static const char *const names[] = {"ok", "info", "warn", "fail"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}

/* ---- reading a port ------------------------------------------------------ */

#define VERDICT_LEGACY ((1u << MXP_TLS10) | (1u << MXP_TLS11))
#define VERDICT_NO_PORT 0xffu

/* What one port showed, condensed. A version counts as refused only when its
 * attempt failed in TLS; failing at connect or banner proves nothing about it. */
struct verdict_view {
    uint8_t acc, rej; /* bit (1 << enum mxp_tls_version) */
    uint8_t stop;     /* stage of the port's stop, MXP_STAGE_NONE when none */
};

static bool verdict_tls_failure(const struct mxp_failure *f)
{
    return !(f->stage >= MXP_STAGE_CONNECT && f->stage <= MXP_STAGE_STARTTLS);
}

static void verdict_view(const struct mxp_port_result *p, struct verdict_view *v)
{
    v->acc = v->rej = 0;
    for (unsigned i = 0; i < MXP_TLS_VERSION_COUNT; i++) {
        const struct mxp_version_result *vr = &p->versions[i];
        if (vr->status == MXP_VERSION_ACCEPTED)
            v->acc |= (uint8_t)(1u << i);
        else if (vr->status == MXP_VERSION_REJECTED && verdict_tls_failure(&vr->fail))
            v->rej |= (uint8_t)(1u << i);
    }
    v->stop = mxp_fmt_failed(&p->stop) ? p->stop.stage : MXP_STAGE_NONE;
}

/* Versions tried but not judged: their handshake failed on our side (out of
 * memory, a record larger than this board can buffer), so the engine skipped
 * them (bit (1 << enum mxp_tls_version)). With code, only those failing so. */
static uint8_t verdict_not_judged(const struct mxp_port_result *p, uint16_t code)
{
    uint8_t mask = 0;
    for (unsigned i = 0; i < MXP_TLS_VERSION_COUNT; i++) {
        const struct mxp_version_result *vr = &p->versions[i];
        if (vr->status == MXP_VERSION_SKIPPED && vr->fail.stage == MXP_STAGE_HANDSHAKE &&
            (code == MXP_OK || vr->fail.err.code == code))
            mask |= (uint8_t)(1u << i);
    }
    return mask;
}

static uint8_t verdict_too_large(const struct mxp_port_result *p)
{
    return verdict_not_judged(p, MXP_E_TLS_RECORD_TOO_LARGE);
}

static bool verdict_modern(uint8_t mask)
{
    return (mask & ~VERDICT_LEGACY & 0x0f) != 0;
}

static unsigned verdict_smtp_code(const struct mxp_failure *f)
{
    if (f->err.code != MXP_E_SMTP_REPLY)
        return 0;
    return f->smtp_code != 0 ? f->smtp_code : (unsigned)(uint16_t)f->err.detail;
}

static bool verdict_is_drop(const struct mxp_failure *f)
{
    return f->stage == MXP_STAGE_HANDSHAKE &&
           (f->err.code == MXP_E_TCP_CLOSED || f->err.code == MXP_E_TCP_RESET ||
            f->err.code == MXP_E_TIMEOUT);
}

/* The failures that explain "no TLS": the refused versions', else the stop. */
static const struct mxp_failure *verdict_tls_fail(const struct mxp_port_result *p, uint8_t rej,
                                                  unsigned k)
{
    for (unsigned i = 0; i < MXP_TLS_VERSION_COUNT; i++)
        if ((rej & (1u << i)) != 0 && k-- == 0)
            return &p->versions[i].fail;
    return NULL;
}

static bool verdict_all_dropped(const struct mxp_port_result *p, const struct verdict_view *v)
{
    if (v->rej == 0)
        return verdict_is_drop(&p->stop);
    for (unsigned i = 0; i < MXP_TLS_VERSION_COUNT; i++)
        if ((v->rej & (1u << i)) != 0 && !verdict_is_drop(&p->versions[i].fail))
            return false;
    return true;
}

static size_t verdict_n_suites(const struct mxp_version_result *vr)
{
    return vr->n_suites < MXP_CFG_MAX_SUITES ? vr->n_suites : MXP_CFG_MAX_SUITES;
}

static unsigned verdict_count(const struct mxp_version_result *vr, uint8_t status)
{
    unsigned n = 0;
    for (size_t i = 0; i < verdict_n_suites(vr); i++)
        if (vr->suites[i].status == status)
            n++;
    return n;
}

/* A version accepting so few suites that a sender with another set shares
 * none. TLS 1.3 is spared when it accepts TLS_AES_128_GCM_SHA256, which every
 * TLS 1.3 implementation must offer (RFC 8446 section 9.1). */
static bool verdict_few(const struct mxp_version_result *vr, unsigned v)
{
    unsigned acc = verdict_count(vr, MXP_SUITE_ACCEPTED);
    if (vr->status != MXP_VERSION_ACCEPTED || !vr->suites_complete || acc == 0 || acc > 2 ||
        verdict_count(vr, MXP_SUITE_REJECTED) == 0)
        return false;
    if (v == MXP_TLS13)
        for (size_t i = 0; i < verdict_n_suites(vr); i++)
            if (vr->suites[i].status == MXP_SUITE_ACCEPTED && vr->suites[i].suite == 0x1301)
                return false;
    return true;
}

/* Distinct weak suites accepted on the port, in version then server order. */
static size_t verdict_weak(const struct mxp_port_result *p, uint16_t *ids, size_t cap)
{
    size_t n = 0;
    for (unsigned v = 0; v < MXP_TLS_VERSION_COUNT; v++) {
        const struct mxp_version_result *vr = &p->versions[v];
        if (vr->status != MXP_VERSION_ACCEPTED)
            continue;
        size_t ns = verdict_n_suites(vr);
        for (size_t i = 0; i <= ns; i++) {
            /* i == ns: the version's own handshake, when no suite list was kept */
            uint16_t id;
            if (i < ns && vr->suites[i].status == MXP_SUITE_ACCEPTED)
                id = vr->suites[i].suite;
            else if (i == ns && ns == 0)
                id = vr->tls.suite;
            else
                continue;
            if (!mxp_fmt_suite_weak(id))
                continue;
            bool seen = false;
            for (size_t k = 0; k < n && k < cap; k++)
                seen = seen || ids[k] == id;
            if (seen)
                continue;
            if (n < cap)
                ids[n] = id;
            n++;
        }
    }
    return n;
}

/* ---- collecting findings ------------------------------------------------- */

struct verdict_sink {
    struct mxp_finding *out;
    size_t cap, n;
};

/* Report order: severity (worst first), then port (whole run first), then id. */
static int verdict_cmp(const struct mxp_finding *a, const struct mxp_finding *b)
{
    if (a->severity != b->severity)
        return a->severity > b->severity ? -1 : 1;
    int pa = a->port == VERDICT_NO_PORT ? -1 : a->port;
    int pb = b->port == VERDICT_NO_PORT ? -1 : b->port;
    if (pa != pb)
        return pa < pb ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id ? 1 : 0;
}

static void verdict_add(struct verdict_sink *s, enum mxp_finding_id id, enum mxp_severity sev,
                        unsigned port)
{
    struct mxp_finding f = {(uint8_t)id, (uint8_t)sev, (uint8_t)port};
    if (s->n < s->cap) {
        s->out[s->n++] = f;
        return;
    }
    /* Full: keep the most important ones. */
    size_t last = 0;
    for (size_t i = 1; i < s->n; i++)
        if (verdict_cmp(&s->out[i], &s->out[last]) > 0)
            last = i;
    if (verdict_cmp(&f, &s->out[last]) < 0)
        s->out[last] = f;
}

static enum mxp_finding_id verdict_connect_id(mxp_err e)
{
    if (e.code == MXP_E_TIMEOUT)
        return MXP_FIND_PORT_TIMEOUT;
    if (e.code == MXP_E_TCP_REFUSED || e.code == MXP_E_TCP_RESET)
        return MXP_FIND_PORT_REFUSED;
    return MXP_FIND_PORT_UNREACHABLE;
}

/* Port 25 gets no answer at all while a submission port of the same host
 * does: the host is up, so something on the way drops port 25. */
static bool verdict_submission_open(const struct mxp_reach_result *rr)
{
    return (rr->port == 587 || rr->port == 465) && rr->reach == MXP_REACH_OPEN;
}

static bool verdict_port25_blocked(const struct mxp_result *r, const struct mxp_port_result *p)
{
    if (p->port != 25 || p->reached || p->stop.err.code == MXP_E_TCP_REFUSED ||
        p->stop.err.code == MXP_E_TCP_RESET)
        return false;
    for (size_t k = 0; k < r->n_reach && k < MXP_CFG_REACH_MAX; k++)
        if (verdict_submission_open(&r->reach[k]))
            return true;
    return false;
}

/* Some connect samples of an open port failed. */
static bool verdict_flaky(const struct mxp_reach_result *rr)
{
    return rr != NULL && rr->reach == MXP_REACH_OPEN && rr->ok < rr->samples;
}

/* The host name an SMTP greeting announces: "220 mx.example.org ESMTP". */
static size_t verdict_banner_name(const struct mxp_port_result *p, const char **name)
{
    const char *b = p->banner;
    size_t n = 0, cap = mxp_fmt_strnlen(b, sizeof p->banner);
    while (n < cap && b[n] != ' ')
        n++;
    *name = b;
    return n;
}

/* The first port that showed a greeting, or NULL. */
static const struct mxp_port_result *verdict_greeted(const struct mxp_result *r)
{
    unsigned n_ports = r->n_ports < MXP_CFG_MAX_PORTS ? r->n_ports : MXP_CFG_MAX_PORTS;
    for (unsigned i = 0; i < n_ports; i++)
        if (r->ports[i].banner_code == 220 && r->ports[i].banner[0] != '\0')
            return &r->ports[i];
    return NULL;
}

/* Findings about the path and the DNS, whole-run ones first. */
static void verdict_path(const struct mxp_result *r, struct verdict_sink *s)
{
    if (r->mss_clamp != 0 && r->mss_clamp_helped == MXP_YES)
        verdict_add(s, MXP_FIND_PMTU_BLACKHOLE, MXP_SEV_FAIL, r->mss_clamp_port);
    const struct mxp_mtu_result *m = &r->mtu;
    if (m->status == MXP_MTU_MEASURED && m->silent_above != 0 && !m->frag_needed)
        verdict_add(s, MXP_FIND_ICMP_SILENT, MXP_SEV_WARN, VERDICT_NO_PORT);
    else if (m->status == MXP_MTU_MEASURED && m->path_mtu < m->iface_mtu)
        verdict_add(s, MXP_FIND_PATH_MTU_LOW, MXP_SEV_INFO, VERDICT_NO_PORT);
    const struct mxp_rdns_result *d = &r->rdns;
    if (d->status == MXP_RDNS_NONE)
        verdict_add(s, MXP_FIND_PTR_MISSING, MXP_SEV_WARN, VERDICT_NO_PORT);
    if (d->status == MXP_RDNS_FOUND && d->fcrdns == MXP_NO)
        verdict_add(s, MXP_FIND_FCRDNS_FAILED, MXP_SEV_WARN, VERDICT_NO_PORT);
    const struct mxp_port_result *g = verdict_greeted(r);
    if (d->status == MXP_RDNS_FOUND && g != NULL) {
        const char *name;
        size_t len = verdict_banner_name(g, &name);
        if (!mxp_dns_name_eqn(name, len, MXP_FMT_FIELD(d->ptr)))
            verdict_add(s, MXP_FIND_BANNER_NAME_MISMATCH, MXP_SEV_INFO, VERDICT_NO_PORT);
    }
    unsigned n_ports = r->n_ports < MXP_CFG_MAX_PORTS ? r->n_ports : MXP_CFG_MAX_PORTS;
    for (unsigned i = 0; i < n_ports; i++) {
        const struct mxp_port_result *p = &r->ports[i];
        if (p->banner_code != 0 && p->banner_ms >= MXP_CFG_SLOW_BANNER_MS)
            verdict_add(s, MXP_FIND_SLOW_BANNER, MXP_SEV_WARN, i);
        if (verdict_flaky(mxp_result_reach_of(r, p->port)))
            verdict_add(s, MXP_FIND_CONNECT_FLAKY, MXP_SEV_WARN, i);
    }
}

static void verdict_port(const struct mxp_result *r, unsigned i, struct verdict_sink *s)
{
    const struct mxp_port_result *p = &r->ports[i];
    struct verdict_view v;
    verdict_view(p, &v);
    if (!p->reached && v.stop == MXP_STAGE_NONE && v.acc == 0 && v.rej == 0)
        return; /* never probed (e.g. the name did not resolve) */

    bool before_tls = v.stop >= MXP_STAGE_CONNECT && v.stop <= MXP_STAGE_STARTTLS;
    /* A port that stopped after TLS results came in (rate limit mid-run) is
     * a warning about the run, not a failure of the MX. */
    enum mxp_severity stop_sev = v.acc != 0 ? MXP_SEV_WARN : MXP_SEV_FAIL;
    unsigned code = verdict_smtp_code(&p->stop);
    bool busy = p->busy;
    switch (v.stop) {
    case MXP_STAGE_CONNECT:
        verdict_add(s,
                    verdict_port25_blocked(r, p) ? MXP_FIND_PORT25_BLOCKED
                                                 : verdict_connect_id(p->stop.err),
                    p->reached ? stop_sev : MXP_SEV_FAIL, i);
        break;
    case MXP_STAGE_BANNER:
    case MXP_STAGE_EHLO:
        if (code / 100 == 4)
            busy = true;
        else if (v.stop == MXP_STAGE_BANNER && code / 100 == 5)
            verdict_add(s, MXP_FIND_BANNER_REJECT, stop_sev, i);
        else if (p->stop.err.code == MXP_E_SMTP_NO_STARTTLS)
            verdict_add(s, MXP_FIND_NO_STARTTLS, MXP_SEV_FAIL, i);
        else
            verdict_add(s, MXP_FIND_SMTP_FAILED, stop_sev, i);
        break;
    case MXP_STAGE_STARTTLS:
        if (p->stop.err.code == MXP_E_SMTP_NO_STARTTLS)
            verdict_add(s, MXP_FIND_NO_STARTTLS, MXP_SEV_FAIL, i);
        else
            verdict_add(s, MXP_FIND_STARTTLS_REFUSED, stop_sev, i);
        break;
    default:
        break;
    }
    if (busy)
        verdict_add(s, MXP_FIND_BUSY, stop_sev, i);
    if (!before_tls && !busy && p->mode == MXP_MODE_STARTTLS && p->ehlo_code / 100 == 2 &&
        !p->starttls_offered && v.acc == 0 && v.rej == 0)
        verdict_add(s, MXP_FIND_NO_STARTTLS, MXP_SEV_FAIL, i);
    /* A version this probe could not judge proves nothing either way: no
     * "no TLS" or "dropped" verdict may rest on the others alone. */
    uint8_t not_judged = verdict_not_judged(p, MXP_OK), too_large = verdict_too_large(p);
    if (too_large != 0)
        verdict_add(s, MXP_FIND_RECORD_TOO_LARGE, MXP_SEV_WARN, i);
    if ((not_judged & ~too_large) != 0)
        verdict_add(s, MXP_FIND_NOT_JUDGED, MXP_SEV_WARN, i);
    if (v.acc == 0) {
        bool tls_tried = v.rej != 0 || v.stop == MXP_STAGE_HANDSHAKE;
        if (tls_tried && !before_tls && !busy && not_judged == 0)
            verdict_add(
                s, verdict_all_dropped(p, &v) ? MXP_FIND_DROPPED_IN_HANDSHAKE : MXP_FIND_NO_TLS,
                MXP_SEV_FAIL, i);
        return;
    }

    if (verdict_modern(v.acc)) {
        if ((v.rej & VERDICT_LEGACY) != 0)
            verdict_add(s, MXP_FIND_LEGACY_REFUSED, MXP_SEV_INFO, i);
        if ((v.acc & (1u << MXP_TLS12)) != 0 && (v.rej & (1u << MXP_TLS13)) != 0)
            verdict_add(s, MXP_FIND_NO_TLS13, MXP_SEV_INFO, i);
    } else if ((v.rej & (1u << MXP_TLS12)) != 0) {
        verdict_add(s, MXP_FIND_LEGACY_ONLY, MXP_SEV_FAIL, i);
    }
    uint16_t weak[1];
    if (verdict_weak(p, weak, 1) > 0)
        verdict_add(s, MXP_FIND_WEAK_SUITES, MXP_SEV_WARN, i);
    for (unsigned k = 0; k < MXP_TLS_VERSION_COUNT; k++)
        if (verdict_few(&p->versions[k], k)) {
            verdict_add(s, MXP_FIND_FEW_SUITES, MXP_SEV_WARN, i);
            break;
        }
    if (p->cert.present) {
        if (p->cert.expired == MXP_YES)
            verdict_add(s, MXP_FIND_CERT_EXPIRED, MXP_SEV_WARN, i);
        if (p->cert.name_match == MXP_NO)
            verdict_add(s, MXP_FIND_CERT_NAME_MISMATCH, MXP_SEV_WARN, i);
        if (p->cert.self_signed)
            verdict_add(s, MXP_FIND_CERT_SELF_SIGNED, MXP_SEV_WARN, i);
    }
    if (verdict_modern(v.acc))
        verdict_add(s, MXP_FIND_TLS_OK, MXP_SEV_OK, i);
}

size_t mxp_verdict_derive(const struct mxp_result *r, struct mxp_finding *out, size_t cap)
{
    if (r == NULL || out == NULL || cap == 0)
        return 0;
    struct verdict_sink s = {out, cap, 0};
    if (!r->resolved) {
        /* Nothing was probed: a port finding would only guess at why the
         * (unknown) address cannot be reached. */
        verdict_add(&s, MXP_FIND_DNS_FAILED, MXP_SEV_FAIL, VERDICT_NO_PORT);
        return s.n;
    }
    unsigned n_ports = r->n_ports < MXP_CFG_MAX_PORTS ? r->n_ports : MXP_CFG_MAX_PORTS;
    for (unsigned i = 0; i < n_ports; i++)
        verdict_port(r, i, &s);
    verdict_path(r, &s);
    for (size_t i = 1; i < s.n; i++) {
        struct mxp_finding f = out[i];
        size_t j = i;
        for (; j > 0 && verdict_cmp(&f, &out[j - 1]) < 0; j--)
            out[j] = out[j - 1];
        out[j] = f;
    }
    return s.n;
}

/* ---- sentences ----------------------------------------------------------- */

static const char verdict_deliver_anyway[] =
    "most MTAs use opportunistic TLS and still deliver, but MTA-STS senders will not, nor DANE "
    "senders unless a DANE-EE TLSA record pins this key";

/* "TLS 1.0", "TLS 1.0 and 1.1", "TLS 1.0, 1.1 and 1.2". */
static void verdict_versions(struct mxp_writer *w, uint8_t mask)
{
    static const char *const num[MXP_TLS_VERSION_COUNT] = {"1.0", "1.1", "1.2", "1.3"};
    unsigned total = 0, k = 0;
    for (unsigned i = 0; i < MXP_TLS_VERSION_COUNT; i++)
        total += (mask >> i) & 1u;
    mxp_puts(w, "TLS ");
    for (unsigned i = 0; i < MXP_TLS_VERSION_COUNT; i++) {
        if ((mask & (1u << i)) == 0)
            continue;
        if (k > 0)
            mxp_puts(w, k + 1 == total ? " and " : ", ");
        mxp_puts(w, num[i]);
        k++;
    }
}

/* The failures of the versions in mask, all alike? */
static bool verdict_alike(const struct mxp_port_result *p, uint8_t mask)
{
    const struct mxp_failure *first = verdict_tls_fail(p, mask, 0);
    for (unsigned k = 1; first != NULL; k++) {
        const struct mxp_failure *f = verdict_tls_fail(p, mask, k);
        if (f == NULL)
            return true;
        if (!mxp_fmt_same_err(f->err, first->err))
            return false;
    }
    return true;
}

/* Each version's reason, versions with the same reason together:
 * "TLSv1.0, TLSv1.1: <reason>; TLSv1.3: <reason>", or one reason for all. */
static void verdict_reasons(struct mxp_writer *w, const struct mxp_port_result *p, uint8_t mask)
{
    const struct mxp_failure *first = verdict_tls_fail(p, mask, 0);
    if (first == NULL) {
        mxp_fmt_failure(w, &p->stop);
        return;
    }
    if (verdict_alike(p, mask)) {
        mxp_fmt_failure(w, first);
        return;
    }
    uint8_t done = 0;
    for (unsigned i = 0; i < MXP_TLS_VERSION_COUNT; i++) {
        if ((mask & (1u << i)) == 0 || (done & (1u << i)) != 0)
            continue;
        const struct mxp_failure *f = &p->versions[i].fail;
        mxp_puts(w, done != 0 ? "; " : "");
        for (unsigned k = i, n = 0; k < MXP_TLS_VERSION_COUNT; k++) {
            if ((mask & (1u << k)) == 0 || !mxp_fmt_same_err(p->versions[k].fail.err, f->err))
                continue;
            mxp_printf(w, "%s%s", n++ > 0 ? ", " : "",
                       mxp_tls_version_name((enum mxp_tls_version)k));
            done |= (uint8_t)(1u << k);
        }
        mxp_puts(w, ": ");
        mxp_fmt_failure(w, f);
    }
}

/* How a version was turned away: "with alert protocol_version". */
static void verdict_refusal(struct mxp_writer *w, const struct mxp_failure *f)
{
    switch (f->err.code) {
    case MXP_E_TLS_ALERT: {
        const char *a = mxp_tls_alert_name(f->err.detail);
        mxp_printf(w, "with alert %s", a != NULL ? a : "unknown");
        break;
    }
    case MXP_E_TCP_CLOSED:
        mxp_puts(w, "by closing the connection");
        break;
    case MXP_E_TCP_RESET:
        mxp_puts(w, "by resetting the connection");
        break;
    case MXP_E_TIMEOUT:
        mxp_puts(w, "by not answering (timed out)");
        break;
    case MXP_E_TLS_VERSION:
        mxp_puts(w, "by answering with another TLS version");
        break;
    default:
        mxp_putc(w, '(');
        mxp_fmt_failure(w, f);
        mxp_putc(w, ')');
        break;
    }
}

static void verdict_smtp_reply(struct mxp_writer *w, const struct mxp_port_result *p)
{
    const struct mxp_failure *f = &p->stop;
    unsigned code = verdict_smtp_code(f);
    const char *enh = f->smtp_enh;
    size_t enh_len = mxp_fmt_strnlen(f->smtp_enh, sizeof f->smtp_enh);
    if (code == 0) {
        code = p->banner_code;
        enh = p->banner_enh;
        enh_len = mxp_fmt_strnlen(p->banner_enh, sizeof p->banner_enh);
    }
    mxp_printf(w, "%u", code);
    if (enh_len > 0) {
        mxp_putc(w, ' ');
        mxp_put_escaped(w, enh, enh_len);
    }
    if (f->stage == MXP_STAGE_BANNER && p->banner[0] != '\0') {
        mxp_puts(w, " \"");
        mxp_put_escaped(w, MXP_FMT_FIELD(p->banner));
        mxp_putc(w, '"');
    }
    mxp_printf(w, " at %s", f->stage == MXP_STAGE_EHLO ? "EHLO" : "the banner");
}

static bool verdict_contains(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(s + i, needle, k) == 0)
            return true;
    return false;
}

static void verdict_suite_list(struct mxp_writer *w, const uint16_t *ids, size_t n, size_t shown)
{
    for (size_t k = 0; k < n && k < shown; k++) {
        if (k > 0)
            mxp_puts(w, ", ");
        mxp_fmt_suite(w, ids[k]);
    }
    if (n > shown)
        mxp_printf(w, " and %u more", (unsigned)(n - shown));
}

static void verdict_text_connect(struct mxp_writer *w, const struct mxp_result *r,
                                 const struct mxp_port_result *p, enum mxp_finding_id id)
{
    unsigned port = p->port;
    if (p->reached) {
        mxp_printf(w, "port %u answered at first, then ", port);
        mxp_fmt_failure(w, &p->stop);
        mxp_puts(w, ": a connection-rate limit (firewall or MX) is likely; the results are "
                    "incomplete: rerun later with --max-conns 1.");
        return;
    }
    if (id == MXP_FIND_PORT_TIMEOUT) {
        mxp_printf(w, "no answer on port %u (", port);
        mxp_fmt_failure(w, &p->stop);
        if (port == 25)
            mxp_puts(w, "): an outbound port-25 block by a firewall or ISP is likely; try "
                        "587/465 or ask the ISP.");
        else
            mxp_puts(w, "): a firewall drops the connection (port filtered) or the host is down; "
                        "check firewall rules on both ends.");
        unsigned n_ports = r->n_ports < MXP_CFG_MAX_PORTS ? r->n_ports : MXP_CFG_MAX_PORTS;
        for (unsigned i = 0; i < n_ports; i++)
            if (r->ports[i].reached) {
                mxp_printf(w, " Port %u answers, so the host itself is up.", r->ports[i].port);
                break;
            }
        return;
    }
    mxp_printf(w, "port %u: ", port);
    mxp_fmt_failure(w, &p->stop);
    if (id == MXP_FIND_PORT_REFUSED)
        mxp_puts(w, ": nothing listens on this address and port, or a firewall rejects the "
                    "connection; check that the MTA runs and listens on this address.");
    else
        mxp_puts(w, ": the address cannot be reached (routing, firewall or the host is down); "
                    "check the address and the path to it.");
}

static void verdict_text_smtp(struct mxp_writer *w, const struct mxp_port_result *p)
{
    const struct mxp_failure *f = &p->stop;
    unsigned code = verdict_smtp_code(f);
    mxp_printf(w, "port %u: ", p->port);
    if (f->stage == MXP_STAGE_EHLO && code / 100 == 5) {
        mxp_printf(w, "the MX rejected EHLO with %u", code);
        mxp_puts(w, ": it may refuse this EHLO name (set a real one with --ehlo) or not speak "
                    "ESMTP; without EHLO there is no STARTTLS.");
        return;
    }
    mxp_puts(w, "the SMTP session failed (");
    mxp_fmt_failure(w, f);
    if (f->stage == MXP_STAGE_BANNER && f->err.code == MXP_E_TIMEOUT)
        mxp_puts(w, "): no SMTP greeting came; the port may expect TLS at once (implicit TLS, "
                    "usually 465: probe it with --implicit-tls), or the MX delays its greeting "
                    "or an SMTP proxy holds the connection.");
    else if (f->err.code == MXP_E_TCP_CLOSED || f->err.code == MXP_E_TCP_RESET)
        mxp_puts(w, "): the MX accepted the connection and dropped it: it refuses this client "
                    "(access rules, connection limits, pre-greeting checks) or a firewall "
                    "interferes; check the MX's log for this client's address.");
    else if (f->err.code == MXP_E_SMTP_SYNTAX || f->err.code == MXP_E_SMTP_TOO_LONG)
        mxp_puts(w, "): what answers is not an SMTP server as expected; another service listens "
                    "here, or the port expects TLS at once.");
    else
        mxp_puts(w, "): this is not a TLS problem; check the MX's log for this client's "
                    "address.");
}

static void verdict_text_dropped(struct mxp_writer *w, const struct mxp_port_result *p,
                                 const struct verdict_view *v)
{
    bool timeout = false, closed = false;
    if (v->rej == 0) {
        timeout = p->stop.err.code == MXP_E_TIMEOUT;
        closed = !timeout;
    }
    for (unsigned k = 0; k < MXP_TLS_VERSION_COUNT; k++) {
        const struct mxp_failure *f = verdict_tls_fail(p, v->rej, k);
        if (f == NULL)
            break;
        timeout = timeout || f->err.code == MXP_E_TIMEOUT;
        closed = closed || f->err.code != MXP_E_TIMEOUT;
    }
    mxp_printf(w, "port %u: the TLS handshake was dropped on every version tried (", p->port);
    verdict_reasons(w, p, v->rej);
    mxp_puts(w, "):");
    if (closed)
        mxp_puts(w, " the MX, or a middlebox in front of it, cuts TLS: check the MX's TLS log (a "
                    "certificate or key it cannot load) and any firewall or IPS inspecting SMTP;");
    if (timeout)
        mxp_puts(w, " a handshake that stalls points to a path-MTU black hole (large packets "
                    "lost because ICMP 'fragmentation needed' is filtered): check MTU and MSS "
                    "clamping on the path;");
    mxp_puts(w, " senders see '421 4.4.2 Connection dropped'.");
}

static void verdict_text_no_tls(struct mxp_writer *w, const struct mxp_port_result *p,
                                const struct verdict_view *v)
{
    mxp_printf(w, "port %u: no TLS version completed a handshake (", p->port);
    verdict_reasons(w, p, v->rej);
    mxp_puts(w, "): senders that require TLS cannot deliver, others fall back to plain text; ");
    bool alike = verdict_alike(p, v->rej);
    const struct mxp_failure *f = verdict_tls_fail(p, v->rej, 0);
    if (f == NULL)
        f = &p->stop;
    if (alike && f->err.code == MXP_E_TLS_ALERT && (f->err.detail == 40 || f->err.detail == 71))
        mxp_puts(w, "the MX shares no cipher suite with a common client, or has no usable "
                    "certificate and key: check its cipher list and certificate.");
    else if (p->mode == MXP_MODE_IMPLICIT && f->err.code == MXP_E_TLS_PROTOCOL)
        mxp_puts(w, "the port does not speak TLS at once: if it greets with SMTP, it expects "
                    "STARTTLS (probe it without --implicit-tls).");
    else
        mxp_puts(w, "check the MX's TLS log for the reason.");
}

static void verdict_text_tls(struct mxp_writer *w, const struct mxp_port_result *p,
                             const struct verdict_view *v, enum mxp_finding_id id)
{
    unsigned port = p->port;
    switch (id) {
    case MXP_FIND_LEGACY_REFUSED: {
        uint8_t mask = v->rej & VERDICT_LEGACY;
        mxp_printf(w, "port %u: this MX refuses ", port);
        verdict_versions(w, mask);
        mxp_putc(w, ' ');
        const struct mxp_failure *f = verdict_tls_fail(p, mask, 0);
        if (f != NULL)
            verdict_refusal(w, f);
        mxp_puts(w, ": a sender limited to ");
        mxp_puts(w, (mask & (mask - 1)) != 0 ? "them" : "it");
        mxp_puts(w, " gets '421 4.4.2 Connection dropped'; enable TLS 1.2 on the sender.");
        break;
    }
    case MXP_FIND_LEGACY_ONLY:
        mxp_printf(w, "port %u: only ", port);
        verdict_versions(w, v->acc);
        mxp_puts(w, " works (");
        verdict_reasons(w, p, v->rej & ~VERDICT_LEGACY);
        mxp_puts(w, "): senders that require TLS 1.2 or newer (Microsoft 365, OpenSSL 3 based "
                    "MTAs, most current senders) cannot deliver and report '421 4.4.2 Connection "
                    "dropped' or fall back to plain text; upgrade the MX's TLS library or "
                    "configuration to enable TLS 1.2 and 1.3.");
        break;
    case MXP_FIND_NO_TLS13:
        mxp_printf(w, "port %u: TLS 1.2 works but TLS 1.3 is refused (", port);
        verdict_reasons(w, p, 1u << MXP_TLS13);
        mxp_puts(w, "): mail is delivered; enable TLS 1.3 on the MX when its software allows "
                    "(OpenSSL 1.1.1 or newer).");
        break;
    case MXP_FIND_WEAK_SUITES: {
        uint16_t ids[6];
        size_t n = verdict_weak(p, ids, sizeof ids / sizeof ids[0]);
        size_t shown = n < 6 ? n : 6;
        bool des = false, rsa = false, other = false;
        for (size_t k = 0; k < shown; k++) {
            const struct mxp_suite_info *s = mxp_suite_by_id(ids[k]);
            bool is_des = s != NULL && strstr(s->iana, "3DES") != NULL;
            bool is_rsa = s != NULL && s->kx == MXP_KX_RSA;
            des = des || is_des;
            rsa = rsa || is_rsa;
            other = other || (!is_des && !is_rsa);
        }
        mxp_printf(w, "port %u accepts weak cipher suites: ", port);
        verdict_suite_list(w, ids, n, shown);
        mxp_puts(w, " (");
        const char *sep = "";
        if (des) {
            mxp_puts(w, "3DES");
            sep = "; ";
        }
        if (rsa) {
            mxp_printf(w, "%sstatic RSA key exchange without forward secrecy", sep);
            sep = "; ";
        }
        if (other)
            mxp_printf(w, "%slegacy choices", sep);
        mxp_puts(w, "): mail still flows, but disable them on the MX.");
        break;
    }
    case MXP_FIND_FEW_SUITES: {
        mxp_printf(w, "port %u accepts very few cipher suites (", port);
        const char *sep = "";
        for (unsigned k = 0; k < MXP_TLS_VERSION_COUNT; k++) {
            const struct mxp_version_result *vr = &p->versions[k];
            if (!verdict_few(vr, k))
                continue;
            mxp_printf(w, "%s%s only ", sep, mxp_tls_version_name((enum mxp_tls_version)k));
            const char *sep2 = "";
            for (size_t i = 0; i < verdict_n_suites(vr); i++) {
                if (vr->suites[i].status != MXP_SUITE_ACCEPTED)
                    continue;
                mxp_puts(w, sep2);
                mxp_fmt_suite(w, vr->suites[i].suite);
                sep2 = " and ";
            }
            sep = "; ";
        }
        mxp_puts(w, "): a sender that offers none of them shares no suite with the MX and its "
                    "handshake fails, seen as '421 4.4.2 Connection dropped'; enable one of them "
                    "on the sender, or widen the MX's cipher list.");
        break;
    }
    case MXP_FIND_TLS_OK: {
        unsigned best = MXP_TLS12;
        for (unsigned k = MXP_TLS12; k < MXP_TLS_VERSION_COUNT; k++)
            if ((v->acc & (1u << k)) != 0)
                best = k;
        const struct mxp_tls_params *t = &p->versions[best].tls;
        mxp_printf(w, "port %u: TLS works (", port);
        verdict_versions(w, v->acc);
        mxp_printf(w, "); best: %s with ", mxp_tls_version_name((enum mxp_tls_version)best));
        mxp_fmt_suite(w, t->suite);
        const char *g = mxp_group_name(t->group);
        if (g != NULL)
            mxp_printf(w, ", %s", g);
        else if (t->dh_bits != 0)
            mxp_printf(w, ", DH %u bits", (unsigned)t->dh_bits);
        mxp_putc(w, '.');
        break;
    }
    default:
        break;
    }
}

static void verdict_text_too_large(struct mxp_writer *w, const struct mxp_port_result *p)
{
    uint8_t mask = verdict_too_large(p);
    unsigned largest = 0;
    for (unsigned k = 0; k < MXP_TLS_VERSION_COUNT; k++)
        if ((mask & (1u << k)) != 0 && p->versions[k].fail.err.detail > 0 &&
            (unsigned)p->versions[k].fail.err.detail > largest)
            largest = (unsigned)p->versions[k].fail.err.detail;
    mxp_printf(w, "port %u: ", p->port);
    verdict_versions(w, mask);
    mxp_puts(w, " not judged: the server sent a TLS record");
    if (largest != 0)
        mxp_printf(w, " of %u bytes", largest);
    mxp_printf(w,
               ", larger than this board's %u-byte buffer, although the ClientHello asked "
               "for records of at most %u bytes (RFC 6066 max_fragment_length): a limit of this "
               "probe, not a fault of the MX; probe it from a build with more RAM to judge ",
               (unsigned)MXP_CFG_TLS_RECORD_MAX, (unsigned)MXP_CFG_TLS_RECORD_MAX);
    mxp_puts(w, (mask & (mask - 1)) != 0 ? "them." : "it.");
}

static void verdict_text_not_judged(struct mxp_writer *w, const struct mxp_port_result *p)
{
    uint8_t mask = verdict_not_judged(p, MXP_OK) & ~verdict_too_large(p);
    mxp_printf(w, "port %u: ", p->port);
    verdict_versions(w, mask);
    mxp_puts(w, " not judged (");
    verdict_reasons(w, p, mask);
    mxp_puts(w, "): the handshake failed on this probe's side, which says nothing about the "
                "MX; probe it from a build with more RAM to judge ");
    mxp_puts(w, (mask & (mask - 1)) != 0 ? "them." : "it.");
}

static void verdict_text_cert(struct mxp_writer *w, const struct mxp_result *r,
                              const struct mxp_port_result *p, enum mxp_finding_id id)
{
    const struct mxp_cert_summary *c = &p->cert;
    mxp_printf(w, "port %u: the certificate ", p->port);
    if (id == MXP_FIND_CERT_EXPIRED) {
        mxp_puts(w, "expired on ");
        mxp_fmt_utc(w, c->not_after, ' ');
    } else if (id == MXP_FIND_CERT_NAME_MISMATCH) {
        mxp_puts(w, "does not name ");
        if (r->sni[0] != '\0')
            mxp_put_escaped(w, MXP_FMT_FIELD(r->sni));
        else
            mxp_put_escaped(w, MXP_FMT_FIELD(r->host));
        mxp_puts(w, " (subject ");
        mxp_put_escaped(w, MXP_FMT_FIELD(c->subject));
        unsigned n = c->n_sans < MXP_CFG_CERT_SANS_MAX ? c->n_sans : MXP_CFG_CERT_SANS_MAX;
        for (unsigned k = 0; k < n; k++) {
            mxp_puts(w, k == 0 ? ", SANs " : ", ");
            mxp_put_escaped(w, MXP_FMT_FIELD(c->sans[k]));
        }
        mxp_putc(w, ')');
    } else {
        mxp_puts(w, "is self-signed");
    }
    mxp_printf(w, ": %s; %s.", verdict_deliver_anyway,
               id == MXP_FIND_CERT_EXPIRED         ? "renew it"
               : id == MXP_FIND_CERT_NAME_MISMATCH ? "use a certificate that names the MX host"
                                                   : "install a CA-issued certificate");
}

static void verdict_text_mtu_fix(struct mxp_writer *w, const struct mxp_mtu_result *m)
{
    if (m->status == MXP_MTU_MEASURED && m->path_mtu >= 576)
        mxp_printf(w,
                   "clamp the TCP MSS on this gateway to %u (path MTU %u minus 40; iptables: "
                   "-j TCPMSS --clamp-mss-to-pmtu) ",
                   (unsigned)(m->path_mtu - 40), (unsigned)m->path_mtu);
    else
        mxp_puts(w, "clamp the TCP MSS on this gateway (iptables: -j TCPMSS "
                    "--clamp-mss-to-pmtu) ");
    mxp_puts(w, "or let ICMP 'fragmentation needed' (type 3 code 4; ICMPv6 packet too big) "
                "through the firewalls on the path");
}

static void verdict_text_path(struct mxp_writer *w, const struct mxp_result *r,
                              enum mxp_finding_id id)
{
    const struct mxp_mtu_result *m = &r->mtu;
    const struct mxp_rdns_result *d = &r->rdns;
    switch (id) {
    case MXP_FIND_ICMP_SILENT:
        mxp_printf(w,
                   "don't-fragment probes of %u bytes and more vanished without an ICMP "
                   "'fragmentation needed' while %u bytes pass (",
                   (unsigned)m->silent_above, (unsigned)m->path_mtu);
        mxp_put_escaped(w, MXP_FMT_FIELD(m->method));
        mxp_puts(w, " probes): a router drops large packets silently, so path-MTU discovery "
                    "cannot work and large TCP segments stall; ");
        verdict_text_mtu_fix(w, m);
        mxp_puts(w, ".");
        break;
    case MXP_FIND_PATH_MTU_LOW:
        mxp_printf(w,
                   "the path MTU towards the MX is %u bytes (this interface: %u); ICMP "
                   "'fragmentation needed' %s, so path-MTU discovery works: nothing to fix.",
                   (unsigned)m->path_mtu, (unsigned)m->iface_mtu,
                   m->frag_needed ? "arrives" : "was not needed");
        break;
    case MXP_FIND_PTR_MISSING: {
        char text[96];
        mxp_puts(w, "the MX address ");
        mxp_fmt_addr(w, &r->addr);
        mxp_printf(w,
                   " has no reverse DNS (%s): harmless for receiving mail, but receivers "
                   "reject or throttle mail from hosts without a PTR; if this host also sends "
                   "mail, ask the owner of the address to set a PTR record naming it.",
                   mxp_err_str(d->err, text, sizeof text));
        break;
    }
    case MXP_FIND_FCRDNS_FAILED:
        mxp_puts(w, "reverse DNS of ");
        mxp_fmt_addr(w, &r->addr);
        mxp_puts(w, " names ");
        mxp_put_escaped(w, MXP_FMT_FIELD(d->ptr));
        mxp_puts(w, ", but that name does not resolve back to the address (forward-confirmed "
                    "reverse DNS fails): receivers that check it distrust mail this host sends; "
                    "add the address to the name's A/AAAA records or fix the PTR.");
        break;
    case MXP_FIND_BANNER_NAME_MISMATCH: {
        const struct mxp_port_result *g = verdict_greeted(r);
        const char *name = "";
        size_t len = g != NULL ? verdict_banner_name(g, &name) : 0;
        mxp_puts(w, "the greeting announces '");
        mxp_put_escaped(w, name, len);
        mxp_puts(w, "' while reverse DNS of ");
        mxp_fmt_addr(w, &r->addr);
        mxp_puts(w, " says '");
        mxp_put_escaped(w, MXP_FMT_FIELD(d->ptr));
        mxp_puts(w, "': harmless for receiving, but a host that also sends mail should greet "
                    "and EHLO with its PTR name, which many receivers check.");
        break;
    }
    default:
        mxp_puts(w, mxp_finding_name(id));
        break;
    }
}

static void verdict_text_port_path(struct mxp_writer *w, const struct mxp_result *r,
                                   const struct mxp_port_result *p, enum mxp_finding_id id)
{
    switch (id) {
    case MXP_FIND_PORT25_BLOCKED:
        mxp_puts(w, "no answer on port 25 (");
        mxp_fmt_failure(w, &p->stop);
        mxp_puts(w, ") while port");
        for (size_t k = 0; k < r->n_reach && k < MXP_CFG_REACH_MAX; k++)
            if (verdict_submission_open(&r->reach[k]))
                mxp_printf(w, " %u", (unsigned)r->reach[k].port);
        mxp_puts(w, " of the same host answers: the MX is up and something on the way drops "
                    "port 25, most likely an outbound port-25 block by this network's firewall "
                    "or ISP. Ask for outbound TCP 25 to be allowed, or relay through a "
                    "smarthost on 587 with authentication.");
        break;
    case MXP_FIND_PMTU_BLACKHOLE:
        mxp_printf(w,
                   "path-MTU black hole: large server flights are dropped. On port %u the TLS "
                   "handshake stalled after ClientHello (%lu bytes received before the "
                   "deadline), and the same handshake completed with the TCP MSS clamped to %u",
                   (unsigned)p->port, (unsigned long)r->mss_clamp_rx_bytes, (unsigned)r->mss_clamp);
        if (r->mtu.status == MXP_MTU_MEASURED)
            mxp_printf(w, " (path MTU measured: %u bytes)", (unsigned)r->mtu.path_mtu);
        mxp_puts(w, ". Senders on this path see '421 4.4.2 Connection dropped'. Fix: ");
        verdict_text_mtu_fix(w, &r->mtu);
        mxp_puts(w, ". The TLS results here were measured with the clamp.");
        break;
    case MXP_FIND_SLOW_BANNER:
        mxp_printf(w, "port %u: the greeting took ", (unsigned)p->port);
        mxp_fmt_ms(w, p->banner_ms);
        mxp_puts(w, ": the MX delays it (a greet pause such as postscreen's, load, or slow "
                    "reverse-DNS lookups of this client). Not a failure, but senders with "
                    "short timeouts give up.");
        break;
    case MXP_FIND_CONNECT_FLAKY: {
        const struct mxp_reach_result *rr = mxp_result_reach_of(r, p->port);
        char text[96];
        if (rr == NULL)
            break;
        mxp_printf(w,
                   "port %u: %u of %u connection attempts failed (%s): packet loss or a "
                   "connection-rate limit on the path; senders see intermittent timeouts.",
                   (unsigned)p->port, (unsigned)(rr->samples - rr->ok), (unsigned)rr->samples,
                   mxp_err_str(rr->err, text, sizeof text));
        break;
    }
    default:
        mxp_puts(w, mxp_finding_name(id));
        break;
    }
}

void mxp_finding_text(const struct mxp_result *r, const struct mxp_finding *f, struct mxp_writer *w)
{
    if (f->id == MXP_FIND_DNS_FAILED) {
        char text[96];
        const char *e = mxp_err_str(r->resolve_err, text, sizeof text);
        mxp_put_escaped(w, MXP_FMT_FIELD(r->host));
        mxp_printf(w,
                   " did not resolve (%s): check the name and this machine's DNS resolver; "
                   "for a mail domain, probe one of its MX hosts (dig MX domain).",
                   e != NULL ? e : "error");
        return;
    }
    unsigned n_ports = r->n_ports < MXP_CFG_MAX_PORTS ? r->n_ports : MXP_CFG_MAX_PORTS;
    if (f->port >= n_ports) {
        verdict_text_path(w, r, (enum mxp_finding_id)f->id);
        return;
    }
    const struct mxp_port_result *p = &r->ports[f->port];
    struct verdict_view v;
    verdict_view(p, &v);
    enum mxp_finding_id id = (enum mxp_finding_id)f->id;
    switch (id) {
    case MXP_FIND_PORT_REFUSED:
    case MXP_FIND_PORT_TIMEOUT:
    case MXP_FIND_PORT_UNREACHABLE:
        verdict_text_connect(w, r, p, id);
        break;
    case MXP_FIND_BUSY:
        mxp_printf(w, "port %u: the MX answered ", p->port);
        verdict_smtp_reply(w, p);
        if (v.acc != 0)
            mxp_puts(w, " during the probe: it rate-limits this client, and the results are "
                        "incomplete: rerun later with --max-conns 1.");
        else
            mxp_puts(w, ": it is busy or rate-limiting this client.");
        mxp_puts(w, " This is not a TLS problem: retry later, lower the sending rate and check "
                    "the sending IP's reputation (blocklists, reverse DNS).");
        break;
    case MXP_FIND_BANNER_REJECT:
        mxp_printf(w, "port %u: the MX rejected the session with ", p->port);
        verdict_smtp_reply(w, p);
        mxp_puts(w, ": it refuses this client's address (blocklist or policy). This is not a "
                    "TLS problem: check the address against blocklists or ask the MX's admin.");
        break;
    case MXP_FIND_NO_STARTTLS:
        mxp_printf(w,
                   "port %u: the EHLO reply does not offer STARTTLS: mail to this MX travels "
                   "unencrypted, and senders that require TLS (MTA-STS, DANE, an 'encrypt' "
                   "policy) cannot deliver; ",
                   p->port);
        if (verdict_contains(MXP_FMT_FIELD(p->banner), "***"))
            mxp_puts(w, "the banner is masked with asterisks, the mark of a firewall's SMTP "
                        "inspection (e.g. Cisco ASA), which strips STARTTLS: disable that "
                        "inspection.");
        else
            mxp_puts(w, "enable STARTTLS on the MX, and if it is enabled, look for a firewall "
                        "with SMTP inspection that strips it.");
        break;
    case MXP_FIND_STARTTLS_REFUSED:
        mxp_printf(w, "port %u: the MX offers STARTTLS but the command failed (", p->port);
        mxp_fmt_failure(w, &p->stop);
        mxp_puts(w, "): its TLS is not usable (often a certificate or key file it cannot read); "
                    "check the MX's log. Senders that require TLS cannot deliver.");
        break;
    case MXP_FIND_DROPPED_IN_HANDSHAKE:
        verdict_text_dropped(w, p, &v);
        break;
    case MXP_FIND_NO_TLS:
        verdict_text_no_tls(w, p, &v);
        break;
    case MXP_FIND_CERT_EXPIRED:
    case MXP_FIND_CERT_NAME_MISMATCH:
    case MXP_FIND_CERT_SELF_SIGNED:
        verdict_text_cert(w, r, p, id);
        break;
    case MXP_FIND_SMTP_FAILED:
        verdict_text_smtp(w, p);
        break;
    case MXP_FIND_PORT25_BLOCKED:
    case MXP_FIND_PMTU_BLACKHOLE:
    case MXP_FIND_SLOW_BANNER:
    case MXP_FIND_CONNECT_FLAKY:
        verdict_text_port_path(w, r, p, id);
        break;
    case MXP_FIND_RECORD_TOO_LARGE:
        verdict_text_too_large(w, p);
        break;
    case MXP_FIND_NOT_JUDGED:
        verdict_text_not_judged(w, p);
        break;
    default:
        verdict_text_tls(w, p, &v, id);
        break;
    }
}
