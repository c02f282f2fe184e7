/*
 * MX lookup for a mail domain (RFC 5321 section 5.1): the exchangers in
 * preference order, each with its addresses, through the engine's own
 * resolver (mxp_resolver.h). A domain without MX records is its own
 * exchanger (implicit MX); a null MX (RFC 7505) means it takes no mail.
 *
 * The reports of the lookup are pure functions over a const struct
 * mxp_mx_set, like the probe reports; the programs print one of them, then
 * the probe report of each exchanger probed.
 */
#ifndef MXP_MX_H
#define MXP_MX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mxp_engine.h"
#include "mxp_err.h"
#include "mxp_hal.h"
#include "mxp_probe.h"
#include "mxp_writer.h"

enum mxp_mx_status {
    MXP_MX_FOUND = 0,   /* MX records: mx[] */
    MXP_MX_IMPLICIT,    /* no MX records (NODATA): the domain itself is mx[0] */
    MXP_MX_NULL,        /* "MX 0 ." (RFC 7505): the domain accepts no mail */
    MXP_MX_NXDOMAIN,    /* the domain does not exist */
    MXP_MX_FAILED,      /* the lookup failed: timeout, SERVFAIL, malformed reply (err) */
    MXP_MX_NO_RESOLVER, /* this platform cannot ask DNS for MX records */
};
const char *mxp_mx_status_name(enum mxp_mx_status s); /* "found", "implicit", ... */

struct mxp_mx_host {
    uint16_t pref;
    char name[MXP_CFG_HOST_MAX];
    uint8_t n_addr;
    struct mxp_addr addr[MXP_CFG_MX_ADDRS];
    mxp_err err; /* why n_addr is 0 */
    bool probed; /* set by the caller when it probed this exchanger */
};

struct mxp_mx_set {
    char domain[MXP_CFG_HOST_MAX];
    uint8_t status; /* enum mxp_mx_status */
    mxp_err err;    /* MXP_MX_FAILED / NXDOMAIN / NO_RESOLVER: what the resolver said */
    uint8_t n;      /* entries in mx[] */
    uint8_t more;   /* exchangers that did not fit */
    struct mxp_mx_host mx[MXP_CFG_MX_MAX];
};

/*
 * Look up the MX records of domain and the addresses of each exchanger, using
 * plan->dns_server when plan->have_dns, else the platform's resolvers, with
 * plan->timeout_ms per query. `engine` lends its DNS scratch storage. What
 * DNS said is data in *out; an error is returned only for bad arguments.
 */
MXP_MUST_CHECK mxp_err mxp_mx_lookup(const struct mxp_hal *hal, const struct mxp_plan *plan,
                                     struct mxp_engine *engine, const char *domain,
                                     struct mxp_mx_set *out);

/* Mark the exchangers to probe: those with an address, in preference order,
 * at most limit of them (0 = all). Returns how many. */
size_t mxp_mx_choose(struct mxp_mx_set *s, size_t limit);
/* The lookup failed (or could not run): probe the name itself as a host,
 * and say so, rather than nothing. */
bool mxp_mx_probe_name_instead(const struct mxp_mx_set *s);

/* The exchangers in plain text: preference, name, addresses or why none. */
void mxp_mx_report_text(const struct mxp_mx_set *s, struct mxp_writer *w);
/* The verdict on the lookup itself, one "FAIL  ..." line per finding; 0 lines
 * when the MX set is fine. Returns the worst severity (enum mxp_severity). */
int mxp_mx_report_verdict(const struct mxp_mx_set *s, struct mxp_writer *w);

/* JSON (docs/json-schema.md, "mxprobe-mx-report"): writes the document up to
 * the opening of "hosts"; the run (mxp_run.c) adds each probe report object
 * (mxp_report_json_object) separated by commas, the summary and the exit
 * status, and closes it. */
void mxp_mx_report_json_begin(const struct mxp_mx_set *s, struct mxp_writer *w);

/* 1 when the lookup itself shows a failure (null MX, NXDOMAIN, lookup
 * failed, or no exchanger has an address), else 0. */
int mxp_mx_exit_status(const struct mxp_mx_set *s);
/* The worst severity (enum mxp_severity) among the lookup's own findings,
 * MXP_SEV_OK when there are none; *id gets its identifier ("mx-null"), or
 * NULL. */
int mxp_mx_worst(const struct mxp_mx_set *s, const char **id);

#endif /* MXP_MX_H */
