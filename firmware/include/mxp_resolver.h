/*
 * The engine's own DNS stub resolver: MX, PTR and A/AAAA questions over the
 * HAL's UDP operations, again over TCP when the answer is truncated, with the
 * hardened codec of mxp_dns.h. The same code runs on Linux and on lwIP, which
 * resolves only A/AAAA by itself.
 *
 * A query blocks (through the HAL's wait()) until it is answered or its
 * deadline passes: it asks each server in turn, for MXP_CFG_DNS_TRIES
 * rounds, each try bounded by MXP_CFG_DNS_TRY_MS and all of it by the
 * resolver's timeout. Only a datagram from the server asked, carrying the
 * query's random ID and question, is taken as the answer; anything else is
 * dropped and the wait goes on (RFC 5452).
 */
#ifndef MXP_RESOLVER_H
#define MXP_RESOLVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mxp_dns.h"
#include "mxp_err.h"
#include "mxp_hal.h"

struct mxp_resolver {
    const struct mxp_hal *hal;
    struct mxp_addr servers[MXP_CFG_DNS_SERVERS];
    uint16_t server_port[MXP_CFG_DNS_SERVERS];
    uint8_t n_servers;
    uint32_t timeout_ms; /* budget of one query, all tries included */
    uint8_t msg[MXP_CFG_DNS_MSG_MAX + 2];
};

/*
 * Set up a resolver. With server non-NULL (`--dns`), ask only that server on
 * `port` (0 = 53); else ask the platform's resolvers (hal->net->dns_servers).
 * MXP_E_UNSUPPORTED when the HAL has no UDP, or no servers are configured.
 */
MXP_MUST_CHECK mxp_err mxp_resolver_init(struct mxp_resolver *r, const struct mxp_hal *hal,
                                         const struct mxp_addr *server, uint16_t port,
                                         uint32_t timeout_ms);

/*
 * Ask name/qtype. Returns what mxp_dns_parse_response() returns for the
 * answer that was taken (MXP_OK, MXP_E_DNS_NXDOMAIN, MXP_E_DNS_NODATA,
 * MXP_E_DNS_FAIL with its detail), or MXP_E_TIMEOUT when no server answered
 * in time. When servers fail differently, the last failure is returned.
 */
MXP_MUST_CHECK mxp_err mxp_resolver_query(struct mxp_resolver *r, const char *name, uint16_t qtype,
                                          struct mxp_dns_answer *out);

/*
 * A then AAAA records of name, at most cap addresses, IPv4 first. MXP_OK when
 * at least one was found; else the A query's error (NXDOMAIN, NODATA, ...).
 * `scratch` holds each answer while it is read.
 */
MXP_MUST_CHECK mxp_err mxp_resolver_addrs(struct mxp_resolver *r, const char *name,
                                          struct mxp_addr *out, size_t cap, size_t *n_out,
                                          struct mxp_dns_answer *scratch);

#endif /* MXP_RESOLVER_H */
