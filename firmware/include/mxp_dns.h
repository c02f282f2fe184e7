/*
 * DNS message codec (RFC 1035): queries out, responses in, for the engine's
 * own stub resolver (lwIP resolves only A/AAAA; Linux must behave the same).
 *
 * Pure functions over caller-owned buffers: no allocation, no state, no I/O.
 * Responses are untrusted bytes and are read only through mxp_cursor; the
 * parser is hardened against the classic DNS parser mistakes listed in
 * RFC 9267, and every malformed message yields MXP_E_DNS_FAIL with one of the
 * MXP_DNS_BAD_* details below, never a read outside [msg, msg + len).
 *
 * Names are exchanged as text: labels joined by '.', no trailing dot, the root
 * is "". Names compare case-insensitively (ASCII only, RFC 4343).
 */
#ifndef MXP_DNS_H
#define MXP_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mxp_dns_name.h"
#include "mxp_err.h"
#include "mxp_hal.h"
#include "mxp_opts.h"

/* Wire limits (RFC 1035 section 2.3.4, 4.2.1). */
#define MXP_DNS_HEADER_LEN 12
#define MXP_DNS_LABEL_MAX 63
#define MXP_DNS_NAME_WIRE_MAX 255
/* Longest name as text: 255 wire octets = 253 characters, plus the NUL. */
#define MXP_DNS_NAME_TEXT_MAX 254
/* A query: header, the longest name, QTYPE and QCLASS. */
#define MXP_DNS_QUERY_MAX (MXP_DNS_HEADER_LEN + MXP_DNS_NAME_WIRE_MAX + 4)
/* Largest response over UDP without EDNS (we send no OPT record). */
#define MXP_DNS_UDP_MAX 512
/* "f.e.d. ... .0.ip6.arpa": 32 nibbles, each with its dot, plus "ip6.arpa". */
#define MXP_DNS_PTR_NAME_MAX (32 * 2 + 8 + 1)

/* Compression pointers followed while reading one name. Pointers must also
 * point strictly backwards, which alone guarantees termination; the cap bounds
 * the work a hostile message can cause. Real compressors stay far below it. */
#define MXP_DNS_PTR_HOPS_MAX 16
/* CNAMEs followed within one response (RFC 1034 section 3.6.2). */
#define MXP_DNS_CNAME_MAX 8

enum mxp_dns_type {
    MXP_DNS_A = 1,
    MXP_DNS_NS = 2,
    MXP_DNS_CNAME = 5,
    MXP_DNS_PTR = 12,
    MXP_DNS_MX = 15,
    MXP_DNS_TXT = 16,
    MXP_DNS_AAAA = 28,
};
#define MXP_DNS_CLASS_IN 1

enum mxp_dns_rcode {
    MXP_DNS_NOERROR = 0,
    MXP_DNS_FORMERR = 1,
    MXP_DNS_SERVFAIL = 2,
    MXP_DNS_NXDOMAIN = 3,
    MXP_DNS_NOTIMP = 4,
    MXP_DNS_REFUSED = 5,
};

/*
 * Detail of MXP_E_DNS_FAIL. 1..15: the server answered with that RCODE
 * (SERVFAIL 2, REFUSED 5, ...). 100 and up: the response was malformed, one
 * value per class of mistake, so reports and tests can tell them apart.
 */
enum mxp_dns_bad {
    MXP_DNS_BAD_SHORT = 100,     /* header, question or a record ends early */
    MXP_DNS_BAD_HEADER = 101,    /* QR clear, OPCODE not QUERY, QDCOUNT not 1 */
    MXP_DNS_BAD_ID = 102,        /* ID is not the query's */
    MXP_DNS_BAD_QUESTION = 103,  /* question name, type or class is not the query's */
    MXP_DNS_BAD_PTR_LOOP = 104,  /* pointer not strictly backwards: to itself, forward,
                                    a cycle, or a target running into the name using it */
    MXP_DNS_BAD_PTR_RANGE = 105, /* pointer past the end or into the header */
    MXP_DNS_BAD_PTR_HOPS = 106,  /* more than MXP_DNS_PTR_HOPS_MAX pointers in one name */
    MXP_DNS_BAD_LABEL = 107,     /* label length over 63: label types 0x40 / 0x80 */
    MXP_DNS_BAD_NAME_LEN = 108,  /* name over 255 wire octets (or over the caller's
                                    MXP_CFG_HOST_MAX where it is stored) */
    MXP_DNS_BAD_NAME_CHAR = 109, /* NUL, '.', '\\', space, control or 8-bit octet in a label */
    MXP_DNS_BAD_RDLENGTH = 110,  /* RDLENGTH past the message, wrong for the type
                                    (A 4, AAAA 16), or not matching the RDATA */
    MXP_DNS_BAD_COUNT = 111,     /* AN/NS/AR counts promise records that are not there,
                                    or bytes follow the last counted record */
    MXP_DNS_BAD_CNAME = 112,     /* CNAME chain longer than MXP_DNS_CNAME_MAX (or a loop) */
    MXP_DNS_BAD_FRAME = 113,     /* TCP length prefix below 12 or above the buffer */
};

struct mxp_dns_rr {
    uint32_t ttl;                /* seconds; values with the top bit set read as 0
                                    (RFC 2181 section 8) */
    uint16_t type;               /* enum mxp_dns_type */
    uint16_t pref;               /* MX preference (lower is preferred); 0 otherwise */
    struct mxp_addr addr;        /* A / AAAA */
    bool partial;                /* TXT only: text shortened to fit `name` */
    char name[MXP_CFG_HOST_MAX]; /* MX exchange, PTR / CNAME / NS target; TXT: its
                                    strings joined, octets outside 0x20..0x7e as '?' */
};

struct mxp_dns_answer {
    uint8_t rcode;                            /* enum mxp_dns_rcode */
    bool authoritative;                       /* AA */
    bool truncated;                           /* TC: the answer is incomplete, ask again over TCP */
    bool more;                                /* more matching records than MXP_CFG_DNS_MAX_RR */
    uint8_t cnames;                           /* CNAMEs followed from the question name */
    uint8_t n;                                /* records in rr[] */
    char canonical[MXP_CFG_HOST_MAX];         /* owner of rr[]: the question name or the end
                                                 of its CNAME chain */
    struct mxp_dns_rr rr[MXP_CFG_DNS_MAX_RR]; /* in message order; ordering MX by
                                                 preference is the caller's job */
};

/*
 * Build a query for name/qtype, class IN, without EDNS. The name is text with
 * an optional trailing dot ("" or "." is the root); labels are 1..63 octets of
 * letters, digits, '-' and '_', at most 255 octets on the wire. Anything else
 * is MXP_E_USAGE, as is qtype 0. MXP_E_CAPACITY when cap is too small
 * (MXP_DNS_QUERY_MAX always suffices). *len gets the message length.
 */
MXP_MUST_CHECK mxp_err mxp_dns_build_query(uint8_t *buf, size_t cap, size_t *len, uint16_t id,
                                           const char *name, uint16_t qtype, bool rd);

/* The same with the 2-octet length prefix for DNS over TCP (RFC 1035 4.2.2);
 * *len includes the prefix. */
MXP_MUST_CHECK mxp_err mxp_dns_build_query_tcp(uint8_t *buf, size_t cap, size_t *len, uint16_t id,
                                               const char *name, uint16_t qtype, bool rd);

/*
 * Take one length-prefixed message from the front of a TCP receive buffer.
 * MXP_E_WOULD_BLOCK until the prefix and all its octets are there; a prefix
 * below MXP_DNS_HEADER_LEN (0 included) or above max_msg is MXP_E_DNS_FAIL /
 * MXP_DNS_BAD_FRAME, decided as soon as the prefix arrives. On success *msg
 * points into buf, and *used (prefix included) is what the caller consumes.
 */
MXP_MUST_CHECK mxp_err mxp_dns_tcp_take(const uint8_t *buf, size_t len, size_t max_msg,
                                        const uint8_t **msg, size_t *msg_len, size_t *used);

/*
 * Reverse-lookup name of an address: "25.2.0.192.in-addr.arpa" or the 32
 * nibbles of ip6.arpa (RFC 3596), lower-case. MXP_E_USAGE for an unknown
 * family, MXP_E_CAPACITY when cap is too small (MXP_DNS_PTR_NAME_MAX suffices).
 */
MXP_MUST_CHECK mxp_err mxp_dns_ptr_name(const struct mxp_addr *addr, char *buf, size_t cap);

/*
 * Parse the response to a query for expect_name/expect_qtype sent with id
 * expect_id. Checks, in order: header (ID, QR, OPCODE), the single question,
 * the framing of every record in all three sections, then RCODE:
 *   MXP_OK              out->rr[0..n) hold the records of expect_qtype owned by
 *                       the question name or, after CNAMEs in the answer, by
 *                       out->canonical (qtype CNAME: the CNAME itself)
 *   MXP_E_DNS_NXDOMAIN  RCODE 3 (out->canonical: where the CNAME chain ended)
 *   MXP_E_DNS_NODATA    NOERROR without such records (out->canonical as above)
 *   MXP_E_DNS_FAIL      detail = RCODE 1..15 for other server errors (a REFUSED
 *                       or SERVFAIL without a question is accepted as such), or
 *                       an MXP_DNS_BAD_* detail when the message is malformed
 *   MXP_E_USAGE         out NULL, expect_name invalid, expect_qtype 0
 * With TC set (out->truncated), records cut off at the end of the message are
 * not an error: the result is MXP_OK with whatever whole records arrived
 * (possibly none) unless RCODE says otherwise; the caller asks again over TCP.
 * Every record that is present must still be well formed.
 * Only class IN records count; records for other owners are checked and ignored.
 */
MXP_MUST_CHECK mxp_err mxp_dns_parse_response(const uint8_t *msg, size_t len, uint16_t expect_id,
                                              const char *expect_name, uint16_t expect_qtype,
                                              struct mxp_dns_answer *out);

/* True when host is written as an address (IPv4 dotted digits, or anything
 * with a ':' as IPv6 is), not a name: such a host gets no SNI (RFC 6066) and
 * no DNS lookup. */
bool mxp_dns_is_literal(const char *host);

/* Stable short identifier of an MXP_E_DNS_FAIL detail, e.g. "servfail",
 * "pointer-loop"; "unknown" for anything else. */
const char *mxp_dns_detail_name(int detail);

#endif /* MXP_DNS_H */
