/*
 * Path diagnostics run by the engine before the TLS matrix: reachability and
 * connect RTT per port, path MTU, reverse DNS. Internal to firmware/src.
 */
#ifndef MXP_PATH_H
#define MXP_PATH_H

#include <stdbool.h>

#include "mxp_dns.h"
#include "mxp_hal.h"
#include "mxp_probe.h"
#include "mxp_resolver.h"
#include "mxp_result.h"

struct mxp_path_env {
    const struct mxp_hal *hal;
    const struct mxp_plan *plan;
    bool stopped; /* the person asked to stop (sticky: the sink reports it once) */
};

/* Has the person asked to stop? Sticky once seen. */
bool mxp_path_interrupted(struct mxp_path_env *env);

/* Paced connect samples to every plan port (plan->rtt_samples each), then one
 * to 465 and 587 as witnesses when 25 did not answer. Fills res->reach[].
 * Returns an error only when the HAL failed. */
MXP_MUST_CHECK mxp_err mxp_path_reach(struct mxp_path_env *env, const struct mxp_addr *addr,
                                      struct mxp_result *res);

/* Binary search for the path MTU with don't-fragment probes (hal mtu_probe).
 * rtt_hint_ms (largest connect RTT seen, 0 unknown) sizes the probe timeout. */
void mxp_path_mtu(struct mxp_path_env *env, const struct mxp_addr *addr, uint32_t rtt_hint_ms,
                  struct mxp_mtu_result *out);

/* PTR of addr and whether its name resolves back to addr (FCrDNS). */
void mxp_path_rdns(struct mxp_resolver *r, const struct mxp_addr *addr,
                   struct mxp_dns_answer *scratch, struct mxp_rdns_result *out);

/* Loopback, link-local, private (RFC 1918, RFC 6598, ULA) addresses: no
 * reverse DNS is asked for these. Their reverse zones are served locally or
 * not at all (RFC 6761, RFC 6303), and a query would leak to the Internet's
 * servers for nothing. */
bool mxp_path_addr_is_local(const struct mxp_addr *addr);

#endif /* MXP_PATH_H */
