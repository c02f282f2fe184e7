/*
 * The summary of a run (see mxp_report.h): one row per host x port condensed
 * from each result, and its encoders. Pure functions over const data.
 */
#include <string.h>

#include "mxp_fmt.h"
#include "mxp_report.h"
#include "mxp_verdict.h"

#define SUMMARY_WHOLE_RUN 0xffu /* struct mxp_finding.port of a whole-run finding */
#define SUMMARY_NAME_COL 20u    /* the host column is at least this wide */
#define SUMMARY_NAME_MAX 32u    /* and at most this: longer names push the row */

void mxp_report_summary_begin(struct mxp_summary *s, const char *target, bool domain)
{
    memset(s, 0, sizeof *s);
    size_t n = mxp_fmt_strnlen(target, sizeof s->target - 1);
    memcpy(s->target, target, n);
    s->domain = domain;
}

static uint8_t summary_reach(const struct mxp_result *r, const struct mxp_port_result *p)
{
    if (!r->resolved)
        return MXP_REACH_UNTESTED;
    const struct mxp_reach_result *rr = mxp_result_reach_of(r, p->port);
    if (rr != NULL && rr->reach != MXP_REACH_UNTESTED)
        return rr->reach;
    if (p->reached)
        return MXP_REACH_OPEN;
    if (p->stop.stage != MXP_STAGE_CONNECT)
        return MXP_REACH_UNTESTED;
    switch (p->stop.err.code) {
    case MXP_E_TCP_REFUSED:
    case MXP_E_TCP_RESET:
        return MXP_REACH_REFUSED;
    case MXP_E_TIMEOUT:
        return MXP_REACH_FILTERED;
    case MXP_E_TCP_UNREACHABLE:
        return MXP_REACH_UNREACHABLE;
    default:
        return MXP_REACH_ERROR;
    }
}

/* The port's worst finding; on a tie one about the port itself wins over
 * one about the whole run (a missing PTR is no news on every row). */
static const struct mxp_finding *summary_worst(const struct mxp_finding *f, size_t n, unsigned port)
{
    const struct mxp_finding *best = NULL;
    for (size_t k = 0; k < n; k++) {
        bool mine = f[k].port == port;
        if (!mine && f[k].port != SUMMARY_WHOLE_RUN)
            continue;
        if (best == NULL || f[k].severity > best->severity ||
            (f[k].severity == best->severity && mine && best->port != port))
            best = &f[k];
    }
    return best;
}

void mxp_report_summary_add(struct mxp_summary *s, const struct mxp_result *r, uint8_t host)
{
    struct mxp_finding f[MXP_FINDINGS_MAX];
    size_t n = mxp_verdict_derive(r, f, MXP_FINDINGS_MAX);
    unsigned n_ports = r->n_ports < MXP_CFG_MAX_PORTS ? r->n_ports : MXP_CFG_MAX_PORTS;
    s->results++;
    s->connections = (uint16_t)(s->connections + r->connections);
    s->interrupted = s->interrupted || r->interrupted;
    if (mxp_report_exit_status(r) != 0)
        s->exit_status = 1;
    for (unsigned i = 0; i < n_ports && s->n_rows < MXP_SUMMARY_ROWS_MAX; i++) {
        const struct mxp_port_result *p = &r->ports[i];
        struct mxp_summary_row *row = &s->rows[s->n_rows++];
        const struct mxp_finding *worst = summary_worst(f, n, i);
        row->host = host;
        row->port = p->port;
        row->reach = summary_reach(r, p);
        row->best_tls = MXP_SUMMARY_NONE;
        for (unsigned v = 0; v < MXP_TLS_VERSION_COUNT; v++)
            if (p->versions[v].status == MXP_VERSION_ACCEPTED)
                row->best_tls = (uint8_t)v;
        row->worst = worst != NULL ? worst->id : MXP_SUMMARY_NONE;
        row->severity = worst != NULL ? worst->severity : MXP_SEV_OK;
        if (row->severity > s->severity)
            s->severity = row->severity;
    }
}

/* The name of a row's host, escaped for a person or as JSON. */
static size_t summary_name(const struct mxp_summary *s, const struct mxp_mx_set *mx,
                           const struct mxp_summary_row *row, const char **name)
{
    if (row->host == MXP_SUMMARY_TARGET || mx == NULL || row->host >= MXP_CFG_MX_MAX) {
        *name = s->target;
        return mxp_fmt_strnlen(s->target, sizeof s->target);
    }
    *name = mx->mx[row->host].name;
    return mxp_fmt_strnlen(*name, sizeof mx->mx[row->host].name);
}

static const char *summary_finding(uint8_t id)
{
    return id == MXP_SUMMARY_NONE ? "-" : mxp_finding_name((enum mxp_finding_id)id);
}

/* The overall verdict without its newline. */
static void summary_overall(const struct mxp_summary *s, const struct mxp_mx_set *mx,
                            struct mxp_writer *w)
{
    const char *mx_id = NULL;
    int mx_sev = mx != NULL ? mxp_mx_worst(mx, &mx_id) : MXP_SEV_OK;
    unsigned fails = 0, warns = 0;
    const struct mxp_summary_row *worst = NULL;
    for (size_t i = 0; i < s->n_rows; i++) {
        const struct mxp_summary_row *row = &s->rows[i];
        fails += row->severity == MXP_SEV_FAIL;
        warns += row->severity == MXP_SEV_WARN;
        if (worst == NULL || row->severity > worst->severity)
            worst = row;
    }
    mxp_printf(w, "%-4s  ", mxp_severity_tag((enum mxp_severity)s->severity));
    mxp_put_escaped(w, MXP_FMT_FIELD(s->target));
    mxp_puts(w, ": ");
    if (mx_id != NULL && mx_sev >= MXP_SEV_WARN)
        mxp_printf(w, "%s; ", mx_id);
    const char *noun = s->domain ? "exchanger port" : "port";
    if (s->n_rows == 0) {
        mxp_puts(w, "nothing probed");
    } else if (fails + warns == 0) {
        mxp_printf(w, "%u %s%s, none fails or warns", (unsigned)s->n_rows, noun,
                   s->n_rows == 1 ? "" : "s");
    } else {
        const char *name;
        size_t len = summary_name(s, mx, worst, &name);
        if (fails > 0)
            mxp_printf(w, "%u of %u %ss fail%s", fails, (unsigned)s->n_rows, noun,
                       warns > 0 ? ", " : "");
        if (warns > 0)
            mxp_printf(w, fails > 0 ? "%u warn" : "%u of %u %ss warn", warns, (unsigned)s->n_rows,
                       noun);
        mxp_puts(w, "; worst: ");
        if (s->domain) {
            mxp_put_escaped(w, name, len);
            mxp_putc(w, ' ');
        }
        mxp_printf(w, "port %u %s", (unsigned)worst->port, summary_finding(worst->worst));
    }
    if (s->interrupted)
        mxp_puts(w, "; interrupted, partial");
}

void mxp_report_overall(const struct mxp_summary *s, const struct mxp_mx_set *mx,
                        struct mxp_writer *w)
{
    summary_overall(s, mx, w);
    mxp_putc(w, '\n');
}

static void summary_pad(struct mxp_writer *w, size_t used, size_t col)
{
    for (; used < col; used++)
        mxp_putc(w, ' ');
}

void mxp_report_summary_text(const struct mxp_summary *s, const struct mxp_mx_set *mx,
                             struct mxp_writer *w)
{
    size_t col = SUMMARY_NAME_COL;
    for (size_t i = 0; i < s->n_rows; i++) {
        const char *name;
        size_t len = summary_name(s, mx, &s->rows[i], &name);
        if (len > col)
            col = len < SUMMARY_NAME_MAX ? len : SUMMARY_NAME_MAX;
    }
    struct mxp_fmt_wrap f;
    mxp_puts(w, "\nSummary\n  ");
    mxp_fmt_wrap_begin(&f, w, 2, 8, 0);
    summary_overall(s, mx, &f.w);
    mxp_fmt_wrap_end(&f);
    mxp_putc(w, '\n');
    if (s->n_rows > 0) {
        mxp_puts(w, s->domain ? "  exchanger" : "  host");
        summary_pad(w, s->domain ? 9 : 4, col);
        mxp_puts(w, "  port   reach        TLS      worst finding\n");
    }
    for (size_t i = 0; i < s->n_rows; i++) {
        const struct mxp_summary_row *row = &s->rows[i];
        const char *name;
        size_t len = summary_name(s, mx, row, &name);
        mxp_puts(w, "  ");
        mxp_put_escaped(w, name, len);
        summary_pad(w, len, col);
        mxp_printf(w, "  %-5u  %-11s  %-7s  %-4s  %s\n", (unsigned)row->port,
                   mxp_reach_name((enum mxp_reach)row->reach),
                   row->best_tls == MXP_SUMMARY_NONE
                       ? "none"
                       : mxp_tls_version_name((enum mxp_tls_version)row->best_tls),
                   mxp_severity_tag((enum mxp_severity)row->severity), summary_finding(row->worst));
    }
    mxp_printf(w, "\nDone: %u probe%s, %u connection%s in ", (unsigned)s->results,
               s->results == 1 ? "" : "s", (unsigned)s->connections,
               s->connections == 1 ? "" : "s");
    mxp_fmt_ms(w, s->elapsed_ms);
    mxp_puts(w, s->interrupted ? "; interrupted, the results above are partial.\n" : ".\n");
}

void mxp_report_summary_json(const struct mxp_summary *s, const struct mxp_mx_set *mx,
                             struct mxp_writer *w)
{
    mxp_printf(w,
               "{\"verdict\":\"%s\",\"results\":%u,\"connections\":%u,\"elapsed_ms\":%lu,"
               "\"interrupted\":%s,\"rows\":[",
               mxp_severity_name((enum mxp_severity)s->severity), (unsigned)s->results,
               (unsigned)s->connections, (unsigned long)s->elapsed_ms,
               s->interrupted ? "true" : "false");
    for (size_t i = 0; i < s->n_rows; i++) {
        const struct mxp_summary_row *row = &s->rows[i];
        const char *name;
        size_t len = summary_name(s, mx, row, &name);
        mxp_puts(w, i > 0 ? ",{\"host\":" : "{\"host\":");
        mxp_put_json_string(w, name, len);
        mxp_printf(w, ",\"port\":%u,\"reach\":\"%s\",\"best_tls\":", (unsigned)row->port,
                   mxp_reach_name((enum mxp_reach)row->reach));
        if (row->best_tls == MXP_SUMMARY_NONE)
            mxp_puts(w, "null");
        else
            mxp_printf(w, "\"%s\"", mxp_tls_version_name((enum mxp_tls_version)row->best_tls));
        mxp_puts(w, ",\"worst\":");
        if (row->worst == MXP_SUMMARY_NONE)
            mxp_puts(w, "null}");
        else
            mxp_printf(w, "{\"id\":\"%s\",\"severity\":\"%s\"}}", summary_finding(row->worst),
                       mxp_severity_name((enum mxp_severity)row->severity));
    }
    mxp_puts(w, "]}");
}
