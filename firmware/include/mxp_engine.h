/*
 * The engine's working storage, defined here only so that a board can hold
 * it in static RAM with its size known at link time (STYLE.md: no malloc in
 * firmware/, sizes checked at compile time). Every field is private to
 * mxp_probe.c and mxp_tls.c; callers only allocate it, pass it to
 * mxp_probe_run() and borrow its DNS scratch with mxp_engine_dns_scratch().
 */
#ifndef MXP_ENGINE_H
#define MXP_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mxp_dns.h"
#include "mxp_err.h"
#include "mxp_hal.h"
#include "mxp_opts.h"
#include "mxp_resolver.h"
#include "mxp_result.h"

struct WOLFSSL_CTX;
struct WOLFSSL;

/* Longest wolfSSL suite name is under 48 bytes. */
#define MXP_TLS_SUITE_LIST_MAX (MXP_CFG_MAX_SUITES * 48)

/* The state wolfSSL's I/O callbacks work on: one per connection. */
struct mxp_tls_io {
    const struct mxp_hal *hal;
    mxp_sock sock;
    mxp_err last;      /* last transport failure seen (closed, reset), or OK */
    uint32_t rx_bytes; /* bytes received through the callbacks */
    uint32_t tx_bytes;
    uint16_t sigalg;        /* SignatureScheme of the server's handshake signature, 0 unknown */
    bool tx_blocked;        /* the last send found no room (WANT_WRITE) */
    uint8_t chain_len;      /* certificates in the server's Certificate message, 0 none yet */
    uint32_t heap_failures; /* mxp_heap_failures() when the session began */
    /* The record layer as received, to refuse a record the board cannot
     * buffer (MXP_CFG_TLS_RECORD_MAX) before wolfSSL allocates for it. */
    uint8_t rec_hdr[5];
    uint8_t rec_hdr_len; /* header bytes of the next record seen so far */
    uint16_t rec_left;   /* body bytes of the current record still to come */
};

struct mxp_tls {
    uint8_t available; /* bit (1 << enum mxp_tls_version): in the plan and in this build */
    bool initialized;
};

/* Where an SMTP stage is: sending its command, or reading the reply. */
enum mxp_attempt_phase {
    MXP_ATTEMPT_SEND = 0,
    MXP_ATTEMPT_RECV
};

struct mxp_flow; /* the stages an attempt goes through (mxp_probe.c) */

struct mxp_attempt {
    bool active;
    bool scout;
    uint8_t port;    /* index into plan->ports / result->ports */
    uint8_t version; /* enum mxp_tls_version */
    uint8_t mode;    /* enum mxp_tls_mode */
    const struct mxp_flow *flow;
    uint8_t flow_pos; /* index of the current stage in the flow */
    uint8_t phase;    /* enum mxp_attempt_phase, for SMTP stages */
    uint8_t want;     /* MXP_IO_* the attempt waits for */
    mxp_sock sock;
    uint32_t t_begin;
    uint32_t t_stage;
    uint32_t deadline;
    uint32_t stage_rx;      /* plaintext bytes received in this stage */
    uint32_t stage_tls_rx0; /* io.rx_bytes when the stage began */
    char tx[MXP_CFG_HOST_MAX + 16];
    size_t tx_len;
    size_t tx_off;
    uint8_t rx[MXP_CFG_SMTP_REPLY_MAX];
    size_t rx_len;
    struct mxp_tls_io io;
    struct WOLFSSL *ssl;
    bool tls_up;
    uint16_t offered[MXP_CFG_MAX_SUITES];
    uint8_t n_offered;
    bool clamp_retry; /* the retry of a stalled handshake with a clamped MSS */
    /* outcome */
    struct mxp_failure fail;
    bool handshake_done;
    struct mxp_tls_params tls;
};

enum mxp_chain_state {
    MXP_CHAIN_DONE = 0,
    MXP_CHAIN_IDLE,   /* waiting for its next attempt */
    MXP_CHAIN_RUNNING /* an attempt is running */
};

struct mxp_chain {
    uint8_t state;       /* enum mxp_chain_state */
    uint8_t attempts;    /* attempts finished */
    uint8_t next;        /* exhaustive: index of the next suite in the version result */
    uint8_t accepted;    /* suites accepted so far */
    uint8_t n_remaining; /* elimination: suites not yet chosen by the server */
    uint16_t remaining[MXP_CFG_MAX_SUITES];
};

struct mxp_port_state {
    bool stopped;
    bool scouted;
    bool scout_running;
};

/* The resolver's working storage (MX, PTR, --dns lookups). */
struct mxp_dns_scratch {
    struct mxp_resolver resolver;
    struct mxp_dns_answer answer;
};

/* The capabilities of the EHLO reply being read. */
struct mxp_ehlo_scratch {
    char caps[MXP_CFG_EHLO_CAPS_MAX][MXP_CFG_EHLO_CAP_LEN];
    uint8_t n;
    bool truncated;
};

struct mxp_engine {
    const struct mxp_hal *hal;
    const struct mxp_plan *plan;
    struct mxp_result *res;
    struct mxp_tls tls;
    struct mxp_chain chains[MXP_CFG_MAX_PORTS][MXP_TLS_VERSION_COUNT];
    struct mxp_port_state ports[MXP_CFG_MAX_PORTS];
    /* The DNS work (MX, PTR, --dns) is done before any attempt starts, so it
     * shares the attempts' storage. */
    union {
        struct mxp_attempt slots[MXP_CFG_CONCURRENT_SLOTS];
        struct mxp_dns_scratch dns;
    };
    bool slots_live; /* slots[] holds attempts (the DNS work is over) */
    uint8_t active;
    bool stopped;          /* the person asked to stop (sticky) */
    uint16_t mss;          /* MSS set before each connect, 0 = the stack's */
    uint8_t clamp_version; /* the chain whose stalled attempt is retried clamped */
    uint32_t rtt_hint;     /* largest connect RTT sampled: sizes the MTU probes' wait */
    uint32_t t0;
    uint32_t last_progress;
    char suite_list[MXP_TLS_SUITE_LIST_MAX];
    struct mxp_ehlo_scratch ehlo;
};

/* The engine's DNS scratch, lent to a lookup made while no probe runs
 * (mxp_mx_lookup). It shares storage with the probe's attempts. */
struct mxp_dns_scratch *mxp_engine_dns_scratch(struct mxp_engine *eng);

/* The DNS scratch must not make the engine bigger than the attempts do on a
 * board: there every byte of static RAM is counted. */
#if MXP_CFG_CONCURRENT_SLOTS == 1
_Static_assert(sizeof(struct mxp_resolver) + sizeof(struct mxp_dns_answer) <=
                   sizeof(struct mxp_attempt) + 512,
               "mxp_config.h: shrink MXP_CFG_DNS_MSG_MAX or MXP_CFG_DNS_MAX_RR");
#endif

#endif /* MXP_ENGINE_H */
