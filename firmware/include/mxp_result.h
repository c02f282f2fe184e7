/*
 * The probe result: a caller-owned, fixed-size record the engine fills stage by
 * stage. Reports are pure functions over a const result (see mxp_report.h).
 *
 * Observed network failures are stored here as data (struct mxp_failure);
 * they are never returned as errors.
 */
#ifndef MXP_RESULT_H
#define MXP_RESULT_H

#include <stdbool.h>
#include <stdint.h>

#include "mxp_err.h"
#include "mxp_hal.h"
#include "mxp_opts.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MXP_RESULT_SCHEMA_VERSION 1

/* Stages of one attempt, in the order they run (implicit TLS runs HANDSHAKE
 * before BANNER). */
enum mxp_stage {
    MXP_STAGE_NONE = 0,
    MXP_STAGE_CONNECT,
    MXP_STAGE_BANNER,
    MXP_STAGE_EHLO,
    MXP_STAGE_STARTTLS,
    MXP_STAGE_HANDSHAKE,
    MXP_STAGE_QUIT,
    MXP_STAGE_COUNT
};
const char *mxp_stage_name(enum mxp_stage s); /* "connect", "banner", ... */

enum mxp_tls_version {
    MXP_TLS10 = 0,
    MXP_TLS11,
    MXP_TLS12,
    MXP_TLS13,
    MXP_TLS_VERSION_COUNT
};
#define MXP_TLS_ALL_VERSIONS ((uint8_t)0x0f)
const char *mxp_tls_version_name(enum mxp_tls_version v); /* "TLSv1.0" ... "TLSv1.3" */

/* How TLS is reached on a port. */
enum mxp_tls_mode {
    MXP_MODE_STARTTLS = 0, /* RFC 3207: 25 and 587 */
    MXP_MODE_IMPLICIT,     /* RFC 8314: 465, or forced by --implicit-tls */
};

/* A failure observed on the network. stage == MXP_STAGE_NONE means none. */
struct mxp_failure {
    uint8_t stage;           /* enum mxp_stage where it happened */
    mxp_err err;             /* what was seen: class, code, detail */
    uint16_t smtp_code;      /* for MXP_E_SMTP_REPLY: the reply code */
    char smtp_enh[12];       /* its enhanced status code ("4.4.2"), or "" */
    uint32_t stage_rx_bytes; /* bytes received during the failing stage */
    uint32_t stage_ms;       /* time spent in the failing stage */
};

/* Parameters of one completed handshake. */
struct mxp_tls_params {
    uint16_t suite;        /* IANA cipher suite id */
    uint16_t group;        /* IANA named group (23 = secp256r1, 29 = x25519,
                              256.. = ffdhe*), 0 when unknown */
    uint16_t dh_bits;      /* finite-field DH size for DHE suites, else 0 */
    uint16_t sigalg;       /* TLS SignatureScheme used by the server, 0 unknown */
    uint32_t handshake_ms; /* ClientHello sent to Finished verified */
};

enum mxp_key_type {
    MXP_KEY_UNKNOWN = 0,
    MXP_KEY_RSA,
    MXP_KEY_EC,
    MXP_KEY_ED25519,
    MXP_KEY_ED448,
    MXP_KEY_DSA
};
enum mxp_tristate {
    MXP_NOT_CHECKED = 0,
    MXP_YES,
    MXP_NO
};

struct mxp_cert_summary {
    bool present;
    char subject[MXP_CFG_CERT_DN_MAX]; /* one-line DN, e.g. "CN=mx.example.org, O=Example" */
    char issuer[MXP_CFG_CERT_DN_MAX];
    char sans[MXP_CFG_CERT_SANS_MAX][MXP_CFG_CERT_SAN_LEN]; /* dNSName entries */
    uint8_t n_sans;
    bool sans_truncated; /* more SANs (or longer ones) than kept */
    int64_t not_before;  /* seconds since 1970 UTC */
    int64_t not_after;
    uint8_t key_type;   /* enum mxp_key_type */
    uint16_t key_bits;  /* RSA modulus bits, EC field bits */
    uint16_t key_curve; /* IANA named group of an EC key, 0 otherwise */
    bool self_signed;   /* issuer DN == subject DN */
    uint8_t name_match; /* enum mxp_tristate: matches the probed name */
    uint8_t expired;    /* enum mxp_tristate: MXP_NOT_CHECKED without wall time */
    uint8_t chain_len;  /* certificates the server sent */
};

enum mxp_suite_status {
    MXP_SUITE_UNTESTED = 0,
    MXP_SUITE_ACCEPTED,
    MXP_SUITE_REJECTED
};

struct mxp_suite_result {
    uint16_t suite;            /* IANA id */
    uint8_t status;            /* enum mxp_suite_status */
    uint8_t order;             /* 1-based position in which the server chose it */
    uint8_t fail_stage;        /* rejected: stage of the failure that proved it */
    mxp_err fail;              /* rejected: what was seen */
    struct mxp_tls_params tls; /* accepted: the handshake that proved it */
};

enum mxp_version_status {
    MXP_VERSION_UNTESTED = 0, /* not asked for */
    MXP_VERSION_ACCEPTED,     /* a full handshake completed */
    MXP_VERSION_REJECTED,     /* the handshake failed: see fail */
    MXP_VERSION_SKIPPED,      /* the port stopped before this version ran */
    MXP_VERSION_UNAVAILABLE,  /* this build cannot offer the version */
};

struct mxp_version_result {
    uint8_t status;            /* enum mxp_version_status */
    struct mxp_failure fail;   /* rejected: why */
    struct mxp_tls_params tls; /* accepted: the first handshake */
    uint8_t n_suites;          /* entries used in suites[] */
    bool suites_complete;      /* every suite got a verdict (no early stop) */
    struct mxp_suite_result suites[MXP_CFG_MAX_SUITES];
    uint16_t connections;
};

/* TCP reachability of one port, from paced connect samples (RTT). */
enum mxp_reach {
    MXP_REACH_UNTESTED = 0,
    MXP_REACH_OPEN,        /* at least one connect completed */
    MXP_REACH_REFUSED,     /* RST to the SYN */
    MXP_REACH_FILTERED,    /* no answer within the deadline: dropped on the way */
    MXP_REACH_UNREACHABLE, /* ICMP unreachable / no route, where the platform tells */
    MXP_REACH_ERROR,       /* something else failed: see err */
};
const char *mxp_reach_name(enum mxp_reach r); /* "open", "refused", ... */

struct mxp_reach_result {
    uint16_t port;
    uint8_t reach;   /* enum mxp_reach */
    bool witness;    /* checked only to tell a port-25 block from a dead host */
    mxp_err err;     /* the first failed sample's error, MXP_OK when none */
    uint8_t samples; /* connects made */
    uint8_t ok;      /* of which completed */
    uint32_t min_ms, median_ms, max_ms;
    uint32_t jitter_ms; /* mean difference between consecutive completed samples */
};

/* Path MTU towards the MX from don't-fragment probes (see mxp_hal.h). */
enum mxp_mtu_status {
    MXP_MTU_NOT_MEASURED = 0, /* switched off, no HAL support, or no address */
    MXP_MTU_MEASURED,         /* path_mtu holds the result */
    MXP_MTU_NO_REPLY,         /* even small probes got no answer (ICMP filtered) */
    MXP_MTU_FAILED,           /* the probe itself failed: see err */
};
const char *mxp_mtu_status_name(enum mxp_mtu_status s);

struct mxp_mtu_result {
    uint8_t status;        /* enum mxp_mtu_status */
    mxp_err err;           /* NOT_MEASURED / FAILED: why */
    char method[12];       /* "icmp-echo", "udp", "" */
    uint16_t iface_mtu;    /* the local route's MTU */
    uint16_t path_mtu;     /* largest packet that got through */
    bool frag_needed;      /* an ICMP fragmentation-needed / packet-too-big came back */
    uint16_t reported_mtu; /* the MTU that ICMP named, 0 when none */
    uint16_t silent_above; /* smallest size that vanished without any ICMP while
                              path_mtu passed (0 = none): black-hole signature */
    uint8_t probes;        /* probes sent */
};

/* Reverse DNS of the probed address and its forward confirmation (FCrDNS). */
enum mxp_rdns_status {
    MXP_RDNS_NOT_CHECKED = 0, /* switched off, no resolver, loopback, or no address */
    MXP_RDNS_FOUND,           /* a PTR name is in ptr */
    MXP_RDNS_NONE,            /* NXDOMAIN or no PTR record */
    MXP_RDNS_FAILED,          /* the lookup failed (timeout, SERVFAIL, malformed): see err */
};
const char *mxp_rdns_status_name(enum mxp_rdns_status s);

struct mxp_rdns_result {
    uint8_t status;             /* enum mxp_rdns_status */
    mxp_err err;                /* NONE / FAILED: what the resolver said */
    char ptr[MXP_CFG_HOST_MAX]; /* the first PTR name */
    uint8_t n_ptr;              /* PTR records seen */
    uint8_t fcrdns;             /* enum mxp_tristate: ptr resolves back to the address */
    mxp_err forward_err;        /* fcrdns == NO because the forward lookup failed */
};

struct mxp_port_result {
    uint16_t port;
    uint8_t mode;            /* enum mxp_tls_mode */
    bool reached;            /* TCP connect succeeded at least once */
    struct mxp_failure stop; /* the failure that stopped this port's probing */
    bool busy;               /* 4xx at banner/EHLO: rate-limited or overloaded */
    /* Timing of the first attempt that got that far (ms, 0 = not reached). */
    uint32_t connect_ms, banner_ms, ehlo_ms, starttls_ms;
    uint16_t banner_code;
    char banner_enh[12];
    char banner[MXP_CFG_SMTP_TEXT_MAX]; /* first banner line's text, raw bytes */
    uint16_t ehlo_code;
    uint8_t n_caps;
    bool caps_truncated;
    char caps[MXP_CFG_EHLO_CAPS_MAX][MXP_CFG_EHLO_CAP_LEN]; /* "PIPELINING", "SIZE 10240000" */
    bool starttls_offered;
    uint16_t starttls_code;
    char starttls_enh[12];
    struct mxp_cert_summary cert; /* from the first handshake that completed */
    struct mxp_version_result versions[MXP_TLS_VERSION_COUNT];
    uint16_t connections;
    uint32_t elapsed_ms;
};

struct mxp_result {
    uint16_t schema;             /* MXP_RESULT_SCHEMA_VERSION */
    char host[MXP_CFG_HOST_MAX]; /* as given */
    char sni[MXP_CFG_HOST_MAX];  /* "" when no SNI was sent */
    char ehlo_name[MXP_CFG_HOST_MAX];
    struct mxp_addr addr; /* the address probed */
    bool resolved;
    mxp_err resolve_err;     /* when !resolved */
    bool exhaustive;         /* cipher strategy */
    uint8_t max_concurrent;  /* politeness limit used */
    uint8_t peak_concurrent; /* most connections open at once */
    bool entropy_strong;     /* entropy source is a real RNG */
    uint8_t n_ports;
    struct mxp_port_result ports[MXP_CFG_MAX_PORTS];
    uint16_t connections;
    uint32_t elapsed_ms;
    bool interrupted; /* stopped by the person (Ctrl-C): partial */
    /* path diagnostics */
    uint8_t n_reach;
    struct mxp_reach_result reach[MXP_CFG_REACH_MAX];
    struct mxp_mtu_result mtu;
    struct mxp_rdns_result rdns;
    uint16_t mss_clamp;          /* MSS of the black-hole retry, 0 = none was made */
    uint8_t mss_clamp_port;      /* index into ports[] where the stall was seen */
    uint8_t mss_clamp_helped;    /* enum mxp_tristate: the clamped handshake completed */
    uint32_t mss_clamp_rx_bytes; /* bytes the stalled handshake had received */
};

/* The reachability record of a port, NULL when it was not sampled. */
const struct mxp_reach_result *mxp_result_reach_of(const struct mxp_result *r, uint16_t port);

#ifdef __cplusplus
}
#endif

#endif /* MXP_RESULT_H */
