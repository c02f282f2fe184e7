/*
 * The probe engine: a plan in, a filled result out.
 *
 * Each port runs one chain of attempts per TLS version. An attempt is one TCP
 * connection driven through a const table of stages (connect, banner, ehlo,
 * starttls, handshake, quit); the first failure records stage and kind in the
 * result and ends that attempt. Chains use elimination by default: offer every
 * remaining suite, record the server's pick, drop it, repeat until a handshake
 * fails; that failure proves the rest are rejected (about accepted + 1
 * connections per version). Attempts of different chains run concurrently up
 * to plan->max_concurrent connections, multiplexed with the HAL's wait().
 *
 * mxp_probe_run() returns an error only when the probe could not run (bad
 * plan, HAL failure, TLS library failure); what it saw on the network is in
 * the result.
 */
#ifndef MXP_PROBE_H
#define MXP_PROBE_H

#include <stdbool.h>
#include <stdint.h>

#include "mxp_engine.h"
#include "mxp_err.h"
#include "mxp_hal.h"
#include "mxp_result.h"

#define MXP_VERSION_STRING "0.1.0"

struct mxp_plan {
    char host[MXP_CFG_HOST_MAX]; /* name or address literal */
    uint16_t ports[MXP_CFG_MAX_PORTS];
    uint8_t n_ports;
    bool implicit_tls;                   /* implicit TLS on every port (465 always is) */
    char ehlo_name[MXP_CFG_HOST_MAX];    /* default "mxprobe.invalid" */
    char sni[MXP_CFG_HOST_MAX];          /* default: host when it is a name; "" = none */
    uint8_t versions;                    /* bit (1 << enum mxp_tls_version) each */
    uint16_t suites[MXP_CFG_MAX_SUITES]; /* restrict to these IANA ids; n_suites 0 = all */
    uint8_t n_suites;
    bool exhaustive;        /* each suite alone instead of elimination */
    uint32_t timeout_ms;    /* per step */
    uint8_t max_concurrent; /* connections at once, 1..MXP_CFG_CONCURRENT_SLOTS */
    bool show_progress;     /* progress through the sink (never with JSON output) */
    /* path diagnostics */
    bool have_addr; /* probe `addr` (already resolved, e.g. from MX) */
    struct mxp_addr addr;
    uint8_t rtt_samples;      /* connect samples per port, 0..MXP_RTT_SAMPLES_MAX */
    uint16_t rtt_interval_ms; /* pacing between samples of one port */
    bool mtu;                 /* path-MTU probes (when the HAL can) */
    bool rdns;                /* PTR and forward confirmation (when the HAL can) */
    bool mss_retry;           /* retry a stalled handshake with a clamped MSS */
    bool have_dns;            /* ask dns_server instead of the platform's resolvers */
    struct mxp_addr dns_server;
    uint16_t dns_port; /* 0 = 53 */
};

/* Ports 25, 465, 587; TLS 1.0-1.3; elimination; MXP_CFG_DEFAULT_TIMEOUT_MS;
 * MXP_CFG_MAX_CONCURRENT; progress shown; MXP_CFG_RTT_SAMPLES paced connects,
 * path MTU, reverse DNS and the MSS-clamp retry on. host is left empty. */
void mxp_plan_defaults(struct mxp_plan *plan);

/* Engine working storage, caller-allocated: a static struct mxp_engine on a
 * board (mxp_engine.h), or mxp_engine_size() bytes from the heap on Linux. */
size_t mxp_engine_size(void);

/* Run the plan. Progress goes to hal->sink->progress when present, never to the report. */
MXP_MUST_CHECK mxp_err mxp_probe_run(const struct mxp_hal *hal, const struct mxp_plan *plan,
                                     struct mxp_engine *engine, struct mxp_result *out);

#endif /* MXP_PROBE_H */
