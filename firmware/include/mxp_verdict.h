/*
 * Diagnosis: findings derived from a result, each with a stable identifier
 * (JSON) and plain-words cause and fix (text report). Pure function.
 */
#ifndef MXP_VERDICT_H
#define MXP_VERDICT_H

#include <stddef.h>
#include <stdint.h>

#include "mxp_result.h"
#include "mxp_writer.h"

enum mxp_severity {
    MXP_SEV_OK = 0,
    MXP_SEV_INFO,
    MXP_SEV_WARN,
    MXP_SEV_FAIL
};

enum mxp_finding_id {
    MXP_FIND_DNS_FAILED = 0, /* the host did not resolve */
    MXP_FIND_PORT_REFUSED,   /* RST on connect */
    MXP_FIND_PORT_TIMEOUT,   /* no answer to SYN: filtered / blocked */
    MXP_FIND_PORT_UNREACHABLE,
    MXP_FIND_BUSY,                 /* 4xx at banner/EHLO: rate-limited or overloaded */
    MXP_FIND_BANNER_REJECT,        /* 5xx at banner */
    MXP_FIND_NO_STARTTLS,          /* EHLO lacks STARTTLS */
    MXP_FIND_STARTTLS_REFUSED,     /* STARTTLS answered with non-220 */
    MXP_FIND_DROPPED_IN_HANDSHAKE, /* closed/reset/timeout during the handshake on every version */
    MXP_FIND_LEGACY_REFUSED,       /* TLS 1.0/1.1 refused while 1.2+ works */
    MXP_FIND_LEGACY_ONLY,          /* only TLS 1.0/1.1 work */
    MXP_FIND_NO_TLS13,             /* 1.2 works but 1.3 does not */
    MXP_FIND_NO_TLS,               /* no version completes a handshake */
    MXP_FIND_WEAK_SUITES,          /* 3DES / static RSA / CBC-SHA1 accepted */
    MXP_FIND_FEW_SUITES,           /* a version accepts very few suites: senders may share none */
    MXP_FIND_CERT_EXPIRED,
    MXP_FIND_CERT_NAME_MISMATCH,
    MXP_FIND_CERT_SELF_SIGNED,
    MXP_FIND_TLS_OK,      /* TLS 1.2 or 1.3 works with a sane suite */
    MXP_FIND_SMTP_FAILED, /* SMTP failed before TLS: no banner, closed, not SMTP, EHLO 5xx */
    /* path diagnostics */
    MXP_FIND_PORT25_BLOCKED,       /* 25 filtered while 587/465 answer: outbound block */
    MXP_FIND_PMTU_BLACKHOLE,       /* handshake stalled, completed with a clamped MSS */
    MXP_FIND_ICMP_SILENT,          /* large DF probes vanish without ICMP frag-needed */
    MXP_FIND_PATH_MTU_LOW,         /* path MTU below the interface MTU, PMTUD works */
    MXP_FIND_SLOW_BANNER,          /* greeting took MXP_CFG_SLOW_BANNER_MS or more */
    MXP_FIND_CONNECT_FLAKY,        /* some connect samples failed on an open port */
    MXP_FIND_PTR_MISSING,          /* no PTR for the MX address */
    MXP_FIND_FCRDNS_FAILED,        /* the PTR name does not resolve back to the address */
    MXP_FIND_BANNER_NAME_MISMATCH, /* the banner's host name is not the PTR name */
    /* limits of this build */
    MXP_FIND_RECORD_TOO_LARGE, /* a TLS record too large for this board: versions not judged */
    MXP_FIND_NOT_JUDGED,       /* other handshakes lost on our side (out of memory) */
    MXP_FIND_COUNT
};

struct mxp_finding {
    uint8_t id;       /* enum mxp_finding_id */
    uint8_t severity; /* enum mxp_severity */
    uint8_t port;     /* index into result->ports, 0xff = whole run */
};

/* Stable identifier, e.g. "tls-legacy-refused". */
const char *mxp_finding_name(enum mxp_finding_id id);
/* "ok", "info", "warn", "fail". */
const char *mxp_severity_name(enum mxp_severity s);
/* The text reports' tag: "OK", "INFO", "WARN", "FAIL". */
const char *mxp_severity_tag(enum mxp_severity s);
/* The finding in plain words, cause and fix, without a newline. Both reports
 * print it, so the text and JSON say the same thing. */
void mxp_finding_text(const struct mxp_result *r, const struct mxp_finding *f,
                      struct mxp_writer *w);
/* Findings in report order; returns how many were written (at most cap). */
size_t mxp_verdict_derive(const struct mxp_result *r, struct mxp_finding *out, size_t cap);

#define MXP_FINDINGS_MAX (MXP_FIND_COUNT * MXP_CFG_MAX_PORTS + 1)

#endif /* MXP_VERDICT_H */
