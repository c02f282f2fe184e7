/*
 * One run: the MX lookup, the exchangers, the turns of ports, the reports
 * and the summary (see mxp_run.h).
 */
#include "mxp_run.h"

#include <string.h>

#include "mxp_dns.h"
#include "mxp_fmt.h"
#include "mxp_hal_check.h"
#include "mxp_verdict.h"

/* The host being probed: the target, or one exchanger of the domain. */
struct run_host {
    uint8_t index;               /* MXP_SUMMARY_TARGET or into the MX set */
    const char *name;            /* NUL-terminated, < MXP_CFG_HOST_MAX */
    const struct mxp_addr *addr; /* NULL: resolve name */
};

/* Everything one run writes to. */
struct run_out {
    struct mxp_writer *w;     /* the report */
    struct mxp_writer *quiet; /* MXP_RUN_QUIET's findings: held, or w */
    struct mxp_summary *sum;
    unsigned objects; /* JSON report objects written so far */
};

void mxp_runner_init(struct mxp_runner *rn, const struct mxp_hal *hal, struct mxp_engine *engine,
                     struct mxp_result *result)
{
    memset(rn, 0, sizeof *rn);
    rn->hal = hal;
    rn->engine = engine;
    rn->result = result;
}

/* More than one result: a domain's exchangers, or a host in turns of ports. */
static bool run_several(const struct mxp_run *req)
{
    return req->mode == MXP_RUN_DOMAIN || req->n_ports > MXP_CFG_MAX_PORTS;
}

/* Show what came so far while the next step runs. A write error sticks in
 * the writer, where the caller finds it at the end. */
static void run_flush(struct mxp_writer *w)
{
    mxp_err e = mxp_writer_finish(w);
    (void)e;
}

/* The plan of one turn: host, ports[first..first+n), its SNI and address.
 * The address's PTR and path MTU belong to the first turn only. */
static void run_plan(struct mxp_runner *rn, const struct mxp_run *req, const struct run_host *h,
                     const struct mxp_addr *addr, size_t first, size_t n)
{
    struct mxp_plan *p = &rn->plan;
    size_t len = mxp_fmt_strnlen(h->name, sizeof p->host - 1);
    *p = req->plan;
    memcpy(p->host, h->name, len);
    p->host[len] = '\0';
    memcpy(p->ports, req->ports + first, n * sizeof p->ports[0]);
    p->n_ports = (uint8_t)n;
    if (req->sni_auto) {
        size_t k = mxp_dns_is_literal(p->host) ? 0 : len;
        memcpy(p->sni, p->host, k);
        p->sni[k] = '\0';
    }
    if (addr != NULL) {
        p->have_addr = true;
        p->addr = *addr;
    }
    if (first > 0) {
        p->rdns = false;
        p->mtu = false;
    }
}

/* Hand one result to the report writer of the form asked for. */
static void run_report(const struct mxp_run *req, const struct mxp_result *r, bool first_turn,
                       struct run_out *o)
{
    struct mxp_writer *w = o->w;
    bool domain = req->mode == MXP_RUN_DOMAIN;
    if (!run_several(req)) {
        if (req->form == MXP_RUN_JSON)
            mxp_report_json(r, w);
        else if (req->form == MXP_RUN_QUIET)
            mxp_report_verdict(r, w);
        else if (req->form == MXP_RUN_MATRIX)
            mxp_report_matrix(r, w);
        else
            mxp_report_text(r, w);
        return;
    }
    switch (req->form) {
    case MXP_RUN_JSON:
        if (o->objects++ > 0)
            mxp_putc(w, ',');
        mxp_report_json_object(r, w);
        break;
    case MXP_RUN_QUIET:
        if (first_turn && domain) {
            mxp_put_escaped(o->quiet, MXP_FMT_FIELD(r->host));
            mxp_puts(o->quiet, ":\n");
        }
        mxp_report_verdict(r, o->quiet);
        break;
    case MXP_RUN_MATRIX:
        mxp_report_matrix(r, w);
        break;
    default:
        if (first_turn && domain)
            mxp_putc(w, '\n');
        mxp_report_text_parts(r,
                              (first_turn ? MXP_TEXT_HEADER | MXP_TEXT_HOST_PATH : 0u) |
                                  MXP_TEXT_PATH | MXP_TEXT_PORTS | MXP_TEXT_VERDICT,
                              w);
        break;
    }
}

/* A name that did not resolve: the ports of the later turns get the first
 * turn's row, without asking the same question again. */
static void run_unresolved_rest(const struct mxp_run *req, size_t next, struct mxp_summary *s)
{
    if (s->n_rows == 0)
        return;
    struct mxp_summary_row row = s->rows[s->n_rows - 1];
    for (size_t i = next; i < req->n_ports && s->n_rows < MXP_SUMMARY_ROWS_MAX; i++) {
        row.port = req->ports[i];
        s->rows[s->n_rows++] = row;
    }
}

/* Probe one host on every port asked for, MXP_CFG_MAX_PORTS at a time. */
static mxp_err run_host(struct mxp_runner *rn, const struct mxp_run *req, const struct run_host *h,
                        struct run_out *o)
{
    struct mxp_addr addr;
    const struct mxp_addr *known = h->addr;
    for (size_t first = 0; first < req->n_ports; first += MXP_CFG_MAX_PORTS) {
        size_t n = req->n_ports - first;
        if (n > MXP_CFG_MAX_PORTS)
            n = MXP_CFG_MAX_PORTS;
        run_plan(rn, req, h, known, first, n);
        run_flush(o->w);
        MXP_GUARD(mxp_probe_run(rn->hal, &rn->plan, rn->engine, rn->result));
        const struct mxp_result *r = rn->result;
        mxp_report_summary_add(o->sum, r, h->index);
        run_report(req, r, first == 0, o);
        if (r->interrupted)
            break;
        if (!r->resolved) {
            run_unresolved_rest(req, first + n, o->sum);
            break;
        }
        addr = r->addr;
        known = &addr;
    }
    return MXP_SUCCESS;
}

/* A mail domain: the lookup and its report, then each exchanger chosen in
 * preference order; the lookup failing, the name itself as a host. */
static mxp_err run_domain(struct mxp_runner *rn, const struct mxp_run *req, struct run_out *o)
{
    struct mxp_mx_set *mx = &rn->mx;
    const char *id;
    run_flush(o->w);
    MXP_GUARD(mxp_mx_lookup(rn->hal, &req->plan, rn->engine, req->plan.host, mx));
    (void)mxp_mx_choose(mx, req->mx_limit);
    if (req->form == MXP_RUN_JSON) {
        mxp_mx_report_json_begin(mx, o->w);
    } else if (req->form == MXP_RUN_QUIET) {
        (void)mxp_mx_report_verdict(mx, o->quiet);
    } else {
        mxp_mx_report_text(mx, o->w);
        (void)mxp_mx_report_verdict(mx, o->w);
    }
    if (mxp_mx_probe_name_instead(mx)) {
        struct run_host h = {MXP_SUMMARY_TARGET, req->plan.host, NULL};
        MXP_GUARD(run_host(rn, req, &h, o));
    }
    for (size_t i = 0; i < mx->n && i < MXP_CFG_MX_MAX && !o->sum->interrupted; i++) {
        if (!mx->mx[i].probed)
            continue;
        struct run_host h = {(uint8_t)i, mx->mx[i].name, &mx->mx[i].addr[0]};
        MXP_GUARD(run_host(rn, req, &h, o));
    }
    int sev = mxp_mx_worst(mx, &id);
    if (sev > o->sum->severity)
        o->sum->severity = (uint8_t)sev;
    if (mxp_mx_exit_status(mx) != 0)
        o->sum->exit_status = 1;
    return MXP_SUCCESS;
}

/* The end of a run of several results: the summary in the form asked for. */
static void run_finish(struct mxp_runner *rn, const struct mxp_run *req, struct run_out *o)
{
    const struct mxp_mx_set *mx = req->mode == MXP_RUN_DOMAIN ? &rn->mx : NULL;
    struct mxp_writer *w = o->w;
    switch (req->form) {
    case MXP_RUN_JSON:
        mxp_puts(w, "],\"summary\":");
        mxp_report_summary_json(o->sum, mx, w);
        mxp_printf(w, ",\"exit_status\":%d}\n", o->sum->exit_status);
        break;
    case MXP_RUN_QUIET:
        mxp_report_overall(o->sum, mx, w);
        if (o->quiet != w) {
            mxp_put(w, rn->hold, o->quiet->len);
            if (o->quiet->total > o->quiet->len)
                mxp_puts(w, "(more findings than this program holds: see the full report)\n");
        }
        break;
    default:
        mxp_report_summary_text(o->sum, mx, w);
        break;
    }
}

mxp_err mxp_run_exec(struct mxp_runner *rn, const struct mxp_run *req, struct mxp_writer *w,
                     struct mxp_summary *summary)
{
    MXP_ENSURE(rn != NULL && req != NULL && w != NULL && summary != NULL, MXP_E_USAGE);
    MXP_ENSURE(rn->hal != NULL && rn->engine != NULL && rn->result != NULL, MXP_E_USAGE);
    MXP_GUARD(mxp_hal_check(rn->hal));
    MXP_ENSURE(req->n_ports >= 1 && req->n_ports <= MXP_CFG_RUN_PORTS_MAX, MXP_E_USAGE);
    MXP_ENSURE(req->mode <= MXP_RUN_DOMAIN && req->form <= MXP_RUN_JSON, MXP_E_USAGE);
    MXP_ENSURE(mxp_fmt_strnlen(req->plan.host, sizeof req->plan.host) < sizeof req->plan.host,
               MXP_E_USAGE);

    memset(&rn->plan, 0, sizeof rn->plan);
    memset(&rn->mx, 0, sizeof rn->mx);
    mxp_writer_init(&rn->out, rn->hold, rn->hold != NULL ? rn->hold_cap : 0, NULL, NULL);
    mxp_report_summary_begin(summary, req->plan.host, req->mode == MXP_RUN_DOMAIN);
    struct run_out o = {.w = w, .quiet = w, .sum = summary};
    uint32_t t0 = rn->hal->clock->now_ms(rn->hal->clock_ctx);
    if (req->form == MXP_RUN_QUIET && run_several(req) && rn->hold != NULL && rn->hold_cap > 0)
        o.quiet = &rn->out;

    if (req->mode == MXP_RUN_DOMAIN) {
        MXP_GUARD(run_domain(rn, req, &o));
    } else {
        struct run_host h = {MXP_SUMMARY_TARGET, req->plan.host,
                             req->plan.have_addr ? &req->plan.addr : NULL};
        if (run_several(req) && req->form == MXP_RUN_JSON) {
            mxp_puts(w, "{\"schema\":\"mxprobe-host-report\",\"schema_version\":1,\"host\":");
            mxp_put_json_string(w, MXP_FMT_FIELD(req->plan.host));
            mxp_puts(w, ",\"reports\":[");
        }
        MXP_GUARD(run_host(rn, req, &h, &o));
    }
    summary->elapsed_ms = rn->hal->clock->now_ms(rn->hal->clock_ctx) - t0;
    if (summary->results == 0 || summary->interrupted)
        summary->exit_status = 1;
    if (run_several(req))
        run_finish(rn, req, &o);
    return MXP_SUCCESS;
}
