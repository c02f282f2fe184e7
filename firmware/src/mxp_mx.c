/*
 * MX lookup and its reports (see mxp_mx.h).
 */
#include "mxp_mx.h"

#include <stdio.h>
#include <string.h>

#include "mxp_dns.h"
#include "mxp_err_text.h"
#include "mxp_fmt.h"
#include "mxp_resolver.h"
#include "mxp_verdict.h"

const char *mxp_mx_status_name(enum mxp_mx_status s)
{
    static const char *const names[] = {
        [MXP_MX_FOUND] = "found",   [MXP_MX_IMPLICIT] = "implicit",
        [MXP_MX_NULL] = "null-mx",  [MXP_MX_NXDOMAIN] = "nxdomain",
        [MXP_MX_FAILED] = "failed", [MXP_MX_NO_RESOLVER] = "no-resolver",
    };
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}

static void copy_name(char *dst, const char *src)
{
    size_t n = mxp_fmt_strnlen(src, MXP_CFG_HOST_MAX - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void add_host(struct mxp_mx_set *out, uint16_t pref, const char *name)
{
    if (out->n >= MXP_CFG_MX_MAX) {
        out->more++;
        return;
    }
    /* Insert by preference; equal preferences keep the order DNS gave. */
    size_t at = out->n;
    while (at > 0 && out->mx[at - 1].pref > pref)
        at--;
    memmove(&out->mx[at + 1], &out->mx[at], (out->n - at) * sizeof out->mx[0]);
    memset(&out->mx[at], 0, sizeof out->mx[at]);
    out->mx[at].pref = pref;
    copy_name(out->mx[at].name, name);
    out->n++;
}

/* The lookup proper: what DNS said goes into *out. */
static void mx_lookup(const struct mxp_hal *hal, struct mxp_resolver *r, struct mxp_dns_answer *a,
                      const struct mxp_plan *plan, const char *domain, struct mxp_mx_set *out)
{
    mxp_err e = mxp_resolver_init(r, hal, plan->have_dns ? &plan->dns_server : NULL, plan->dns_port,
                                  plan->timeout_ms);
    if (!mxp_ok(e)) {
        out->status = MXP_MX_NO_RESOLVER;
        out->err = e;
        return;
    }
    e = mxp_resolver_query(r, domain, MXP_DNS_MX, a);
    if (mxp_is(e, MXP_E_DNS_NODATA)) {
        out->status = MXP_MX_IMPLICIT;
        add_host(out, 0, domain);
    } else if (mxp_is(e, MXP_E_DNS_NXDOMAIN)) {
        out->status = MXP_MX_NXDOMAIN;
        out->err = e;
        return;
    } else if (!mxp_ok(e)) {
        out->status = MXP_MX_FAILED;
        out->err = e;
        return;
    } else {
        /* RFC 7505: a single "MX 0 ." says the domain takes no mail. */
        if (a->n == 1 && a->rr[0].name[0] == '\0') {
            out->status = MXP_MX_NULL;
            return;
        }
        out->status = MXP_MX_FOUND;
        for (size_t i = 0; i < a->n; i++)
            if (a->rr[i].name[0] != '\0')
                add_host(out, a->rr[i].pref, a->rr[i].name);
        out->more = (uint8_t)(out->more + (a->more ? 1 : 0));
    }
    for (size_t i = 0; i < out->n; i++) {
        struct mxp_mx_host *h = &out->mx[i];
        size_t n = 0;
        h->err = mxp_resolver_addrs(r, h->name, h->addr, MXP_CFG_MX_ADDRS, &n, a);
        h->n_addr = (uint8_t)n;
    }
}

mxp_err mxp_mx_lookup(const struct mxp_hal *hal, const struct mxp_plan *plan,
                      struct mxp_engine *eng, const char *domain, struct mxp_mx_set *out)
{
    MXP_ENSURE(hal != NULL && plan != NULL && eng != NULL && domain != NULL && out != NULL,
               MXP_E_USAGE);
    MXP_ENSURE(strlen(domain) < sizeof out->domain, MXP_E_USAGE);
    memset(out, 0, sizeof *out);
    copy_name(out->domain, domain);
    const struct mxp_hal_sink_api *sink = hal->sink;
    bool progress = plan->show_progress && sink != NULL && sink->progress != NULL;
    if (progress) {
        char line[96];
        snprintf(line, sizeof line, "mxprobe: %.40s  MX lookup", domain);
        sink->progress(hal->sink_ctx, line);
    }
    struct mxp_dns_scratch *dns = mxp_engine_dns_scratch(eng);
    mx_lookup(hal, &dns->resolver, &dns->answer, plan, domain, out);
    if (progress)
        sink->progress(hal->sink_ctx, NULL);
    return MXP_SUCCESS;
}

/* ---- reports ------------------------------------------------------------------- */

enum mx_finding {
    MX_FIND_NULL,
    MX_FIND_NXDOMAIN,
    MX_FIND_FAILED,
    MX_FIND_NO_ADDRESS,      /* no exchanger has an address */
    MX_FIND_HOST_UNRESOLVED, /* this one has none, others do */
    MX_FIND_IMPLICIT,
    MX_FIND_NOT_CHECKED,
};

static const struct {
    const char *id;
    uint8_t severity;
} mx_findings[] = {
    [MX_FIND_NULL] = {"mx-null", MXP_SEV_FAIL},
    [MX_FIND_NXDOMAIN] = {"mx-nxdomain", MXP_SEV_FAIL},
    [MX_FIND_FAILED] = {"mx-lookup-failed", MXP_SEV_FAIL},
    [MX_FIND_NO_ADDRESS] = {"mx-no-address", MXP_SEV_FAIL},
    [MX_FIND_HOST_UNRESOLVED] = {"mx-host-unresolved", MXP_SEV_WARN},
    [MX_FIND_IMPLICIT] = {"mx-implicit", MXP_SEV_INFO},
    [MX_FIND_NOT_CHECKED] = {"mx-not-checked", MXP_SEV_INFO},
};

static void mx_text(const struct mxp_mx_set *s, enum mx_finding id, const struct mxp_mx_host *h,
                    struct mxp_writer *w)
{
    char text[96];
    switch (id) {
    case MX_FIND_NULL:
        mxp_put_escaped(w, MXP_FMT_FIELD(s->domain));
        mxp_puts(w, " publishes a null MX (RFC 7505): it accepts no mail, and senders bounce "
                    "at once; remove the null MX if the domain should receive mail.");
        break;
    case MX_FIND_NXDOMAIN:
        mxp_put_escaped(w, MXP_FMT_FIELD(s->domain));
        mxp_puts(w, " does not exist in DNS (NXDOMAIN): senders bounce mail to it; check the "
                    "spelling and the domain's delegation.");
        break;
    case MX_FIND_FAILED:
        mxp_printf(w, "the MX lookup for ");
        mxp_put_escaped(w, MXP_FMT_FIELD(s->domain));
        mxp_printf(w,
                   " failed (%s): senders defer mail while it fails; check this machine's "
                   "resolver (or --dns) and the domain's name servers.",
                   mxp_err_str(s->err, text, sizeof text));
        break;
    case MX_FIND_NO_ADDRESS:
        mxp_puts(w, "no exchanger of ");
        mxp_put_escaped(w, MXP_FMT_FIELD(s->domain));
        mxp_puts(w, " has an address: senders cannot deliver; add A/AAAA records for the MX "
                    "hosts (an MX must name a host, not an alias or an address).");
        break;
    case MX_FIND_HOST_UNRESOLVED:
        mxp_puts(w, "exchanger ");
        mxp_put_escaped(w, MXP_FMT_FIELD(h->name));
        mxp_printf(w,
                   " has no address (%s): senders skip it and use the others; fix or remove "
                   "the MX record.",
                   mxp_err_str(h->err, text, sizeof text));
        break;
    case MX_FIND_IMPLICIT:
        mxp_put_escaped(w, MXP_FMT_FIELD(s->domain));
        mxp_puts(w, " has no MX records: senders deliver to its own address (implicit MX, "
                    "RFC 5321 section 5.1); publish an MX record if this host is not meant to "
                    "receive the domain's mail.");
        break;
    default:
        mxp_printf(w, "MX records not checked (%s): probing ",
                   mxp_err_str(s->err, text, sizeof text));
        mxp_put_escaped(w, MXP_FMT_FIELD(s->domain));
        mxp_puts(w, " as a host.");
        break;
    }
}

struct mx_found {
    uint8_t id; /* enum mx_finding */
    const struct mxp_mx_host *host;
};

/* The findings on the lookup, worst first. */
static size_t mx_findings_of(const struct mxp_mx_set *s, struct mx_found *out)
{
    size_t n = 0;
    switch (s->status) {
    case MXP_MX_NULL:
        out[n++] = (struct mx_found){MX_FIND_NULL, NULL};
        return n;
    case MXP_MX_NXDOMAIN:
        out[n++] = (struct mx_found){MX_FIND_NXDOMAIN, NULL};
        return n;
    case MXP_MX_FAILED:
        out[n++] = (struct mx_found){MX_FIND_FAILED, NULL};
        return n;
    case MXP_MX_NO_RESOLVER:
        out[n++] = (struct mx_found){MX_FIND_NOT_CHECKED, NULL};
        return n;
    default:
        break;
    }
    size_t with_addr = 0;
    for (size_t i = 0; i < s->n && i < MXP_CFG_MX_MAX; i++)
        with_addr += s->mx[i].n_addr > 0;
    if (with_addr == 0)
        out[n++] = (struct mx_found){MX_FIND_NO_ADDRESS, NULL};
    else
        for (size_t i = 0; i < s->n && i < MXP_CFG_MX_MAX; i++)
            if (s->mx[i].n_addr == 0)
                out[n++] = (struct mx_found){MX_FIND_HOST_UNRESOLVED, &s->mx[i]};
    if (s->status == MXP_MX_IMPLICIT)
        out[n++] = (struct mx_found){MX_FIND_IMPLICIT, NULL};
    return n;
}

#define MX_FINDINGS_MAX (MXP_CFG_MX_MAX + 2)

size_t mxp_mx_choose(struct mxp_mx_set *s, size_t limit)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n && i < MXP_CFG_MX_MAX; i++) {
        s->mx[i].probed = s->mx[i].n_addr > 0 && (limit == 0 || n < limit);
        n += s->mx[i].probed;
    }
    return n;
}

bool mxp_mx_probe_name_instead(const struct mxp_mx_set *s)
{
    return s->status == MXP_MX_FAILED || s->status == MXP_MX_NO_RESOLVER;
}

int mxp_mx_worst(const struct mxp_mx_set *s, const char **id)
{
    struct mx_found f[MX_FINDINGS_MAX];
    size_t n = mx_findings_of(s, f);
    int worst = MXP_SEV_OK;
    *id = NULL;
    for (size_t i = 0; i < n; i++) {
        if (mx_findings[f[i].id].severity > worst) {
            worst = mx_findings[f[i].id].severity;
            *id = mx_findings[f[i].id].id;
        }
    }
    return worst;
}

int mxp_mx_exit_status(const struct mxp_mx_set *s)
{
    const char *id;
    return mxp_mx_worst(s, &id) == MXP_SEV_FAIL;
}

int mxp_mx_report_verdict(const struct mxp_mx_set *s, struct mxp_writer *w)
{
    struct mx_found f[MX_FINDINGS_MAX];
    size_t n = mx_findings_of(s, f);
    int worst = MXP_SEV_OK;
    for (size_t i = 0; i < n; i++) {
        uint8_t sev = mx_findings[f[i].id].severity;
        worst = sev > worst ? sev : worst;
        struct mxp_fmt_wrap wrap;
        mxp_printf(w, "%-4s  ", mxp_severity_tag((enum mxp_severity)sev));
        mxp_fmt_wrap_begin(&wrap, w, 6, 6, 0);
        mx_text(s, (enum mx_finding)f[i].id, f[i].host, &wrap.w);
        mxp_fmt_wrap_end(&wrap);
        mxp_putc(w, '\n');
    }
    return worst;
}

void mxp_mx_report_text(const struct mxp_mx_set *s, struct mxp_writer *w)
{
    mxp_puts(w, "MX records of ");
    mxp_put_escaped(w, MXP_FMT_FIELD(s->domain));
    mxp_printf(w, ": %s\n", mxp_mx_status_name((enum mxp_mx_status)s->status));
    for (size_t i = 0; i < s->n && i < MXP_CFG_MX_MAX; i++) {
        const struct mxp_mx_host *h = &s->mx[i];
        char text[96];
        mxp_printf(w, "  %5u  ", (unsigned)h->pref);
        mxp_put_escaped(w, MXP_FMT_FIELD(h->name));
        mxp_puts(w, "  ");
        for (size_t k = 0; k < h->n_addr && k < MXP_CFG_MX_ADDRS; k++) {
            if (k > 0)
                mxp_puts(w, ", ");
            mxp_fmt_addr(w, &h->addr[k]);
        }
        if (h->n_addr == 0)
            mxp_printf(w, "no address (%s)", mxp_err_str(h->err, text, sizeof text));
        mxp_puts(w, h->probed ? "  [probed]\n" : "\n");
    }
    if (s->more > 0)
        mxp_printf(w, "  (%u more not kept)\n", (unsigned)s->more);
}

void mxp_mx_report_json_begin(const struct mxp_mx_set *s, struct mxp_writer *w)
{
    mxp_puts(w, "{\"schema\":\"mxprobe-mx-report\",\"schema_version\":1,\"domain\":");
    mxp_put_json_string(w, MXP_FMT_FIELD(s->domain));
    mxp_printf(w, ",\"mx\":{\"status\":\"%s\",\"error\":",
               mxp_mx_status_name((enum mxp_mx_status)s->status));
    if (mxp_ok(s->err))
        mxp_puts(w, "null");
    else
        mxp_printf(w, "\"%s\"", mxp_err_name(s->err));
    mxp_puts(w, ",\"records\":[");
    for (size_t i = 0; i < s->n && i < MXP_CFG_MX_MAX; i++) {
        const struct mxp_mx_host *h = &s->mx[i];
        mxp_printf(w, "%s{\"preference\":%u,\"name\":", i > 0 ? "," : "", (unsigned)h->pref);
        mxp_put_json_string(w, MXP_FMT_FIELD(h->name));
        mxp_puts(w, ",\"addresses\":[");
        for (size_t k = 0; k < h->n_addr && k < MXP_CFG_MX_ADDRS; k++) {
            mxp_puts(w, k > 0 ? ",\"" : "\"");
            mxp_fmt_addr(w, &h->addr[k]);
            mxp_putc(w, '"');
        }
        mxp_puts(w, "],\"error\":");
        if (h->n_addr > 0 || mxp_ok(h->err))
            mxp_puts(w, "null");
        else
            mxp_printf(w, "\"%s\"", mxp_err_name(h->err));
        mxp_printf(w, ",\"probed\":%s}", h->probed ? "true" : "false");
    }
    mxp_printf(w, "],\"more\":%u},\"findings\":[", (unsigned)s->more);
    struct mx_found f[MX_FINDINGS_MAX];
    size_t n = mx_findings_of(s, f);
    for (size_t i = 0; i < n; i++) {
        struct mxp_fmt_json js;
        mxp_printf(w, "%s{\"id\":\"%s\",\"severity\":\"%s\",\"text\":", i > 0 ? "," : "",
                   mx_findings[f[i].id].id,
                   mxp_severity_name((enum mxp_severity)mx_findings[f[i].id].severity));
        mxp_fmt_json_begin(&js, w);
        mx_text(s, (enum mx_finding)f[i].id, f[i].host, &js.w);
        mxp_fmt_json_end(&js);
        mxp_putc(w, '}');
    }
    mxp_puts(w, "],\"hosts\":[");
}
