/*
 * Command-line parsing into a plan: `mxprobe [options] HOST[:PORT]`.
 * Portable: the Linux program and the firmware shell share the list parsers.
 */
#ifndef MXP_CLI_H
#define MXP_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "mxp_err.h"
#include "mxp_mx.h"
#include "mxp_probe.h"
#include "mxp_writer.h"

struct mxp_cli {
    struct mxp_plan plan;
    bool mx_mode;     /* plan.host is a mail domain: look up its MX records first */
    uint8_t mx_limit; /* probe at most this many exchangers (0 = all) */
    bool json;
    bool quiet;
    bool help;
    bool version;
    bool list_ciphers;
};

/* Parse argv[1..argc). On MXP_E_USAGE, err holds a one-line reason. */
MXP_MUST_CHECK mxp_err mxp_cli_parse(int argc, char *const argv[], struct mxp_cli *out, char *err,
                                     size_t err_cap);

/* The value checks, shared by the command line and the firmware shell (each
 * says in its own words what is wrong): MXP_OK, or MXP_E_USAGE with the
 * output untouched. */
#define MXP_CLI_TIMEOUT_MIN 100    /* ms per step */
#define MXP_CLI_TIMEOUT_MAX 300000 /* ms per step */
/* A server: a host name or an address literal ("2001:db8::1" or
 * "[2001:db8::1]"), no port; host gets MXP_CFG_HOST_MAX bytes. */
MXP_MUST_CHECK mxp_err mxp_cli_parse_host(const char *s, char *host);
/* A name for EHLO or SNI (letters, digits, "-._:[]"); name gets
 * MXP_CFG_HOST_MAX bytes. */
MXP_MUST_CHECK mxp_err mxp_cli_parse_name(const char *s, char *name);
/* Milliseconds per step, MXP_CLI_TIMEOUT_MIN..MXP_CLI_TIMEOUT_MAX. */
MXP_MUST_CHECK mxp_err mxp_cli_parse_timeout(const char *s, uint32_t *ms);
/* Connections at once, 1..MXP_CFG_CONCURRENT_SLOTS. */
MXP_MUST_CHECK mxp_err mxp_cli_parse_max_conns(const char *s, uint8_t *n);
/* Connect samples per port, 0..MXP_RTT_SAMPLES_MAX. */
MXP_MUST_CHECK mxp_err mxp_cli_parse_rtt_samples(const char *s, uint8_t *n);
/* Exchangers to probe, 1..MXP_CFG_MX_MAX. */
MXP_MUST_CHECK mxp_err mxp_cli_parse_mx_limit(const char *s, uint8_t *n);

/* "25,465,587" -> ports. */
MXP_MUST_CHECK mxp_err mxp_cli_parse_ports(const char *s, uint16_t *ports, uint8_t *n, size_t cap);
/* "1.0,1.2" or "TLSv1.3" -> version bitmask. */
MXP_MUST_CHECK mxp_err mxp_cli_parse_versions(const char *s, uint8_t *mask);
/* "A:B,C" suite names (IANA or OpenSSL style) -> ids; on an unknown name,
 * *bad points at it inside s. */
MXP_MUST_CHECK mxp_err mxp_cli_parse_suites(const char *s, uint16_t *ids, uint8_t *n, size_t cap,
                                            const char **bad);

/* "192.0.2.53", "192.0.2.53:5353", "2001:db8::53", "[2001:db8::53]:53" -> address
 * and port (0 when none was given). Literals only: a resolver is not looked up. */
MXP_MUST_CHECK mxp_err mxp_cli_parse_server(const char *s, struct mxp_addr *addr, uint16_t *port);

void mxp_cli_usage(struct mxp_writer *w);

#endif /* MXP_CLI_H */
