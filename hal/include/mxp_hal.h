/*
 * mxprobe hardware-abstraction layer: the only way the engine reaches the world.
 *
 * Each part is a const table of operations plus a context pointer the port owns
 * (like Zephyr's device api/data split). The engine receives a `struct mxp_hal`
 * explicitly; there are no globals. Required operations must be non-NULL (ports
 * are checked by mxp_hal_check(), in mxp_base); optional ones may be NULL and the engine then
 * reports "not measured" / MXP_E_UNSUPPORTED instead of guessing.
 *
 * Threading: none. Every call is made from the engine's single thread of control.
 * Blocking: only `net.wait`, `net.resolve` and `net.mtu_probe` may block,
 * each bounded by the timeout it is given. Everything else returns at once.
 */
#ifndef MXP_HAL_H
#define MXP_HAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mxp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- clock --------------------------------------------------------------- */
struct mxp_hal_clock_api {
    /* Monotonic milliseconds since an arbitrary origin; wraps after 49 days,
     * so the engine only ever compares differences. Required. */
    uint32_t (*now_ms)(void *ctx);
    /* Wall-clock seconds since 1970-01-01 UTC, or MXP_E_UNSUPPORTED when the
     * board has no trustworthy time (certificate expiry is then "not checked").
     * Optional. */
    mxp_err (*unix_time)(void *ctx, int64_t *out_seconds);
};

/* Has `deadline` (a now_ms() value) passed at `now`? Wrap-safe for spans
 * under 24 days. */
static inline bool mxp_deadline_passed(uint32_t now, uint32_t deadline)
{
    return (int32_t)(now - deadline) >= 0;
}

/* ---- entropy ------------------------------------------------------------- */
struct mxp_hal_entropy_api {
    /* Fill buf with len bytes from the best source the platform has. Required.
     * `quality` (optional, may be NULL) reports whether the source is a real
     * hardware/kernel RNG (true) or a best-effort seed (false); the report
     * says so honestly. */
    mxp_err (*fill)(void *ctx, uint8_t *buf, size_t len, bool *quality);
};

/* ---- network ------------------------------------------------------------- */
enum mxp_af {
    MXP_AF_INET = 4,
    MXP_AF_INET6 = 6
};

struct mxp_addr {
    uint8_t family;    /* enum mxp_af */
    uint8_t bytes[16]; /* network order; IPv4 uses the first 4 */
};

/* Same family and address (the unused 12 bytes of an IPv4 one do not count). */
static inline bool mxp_addr_eq(const struct mxp_addr *a, const struct mxp_addr *b)
{
    size_t len = a->family == MXP_AF_INET ? 4 : 16;
    return a->family == b->family && memcmp(a->bytes, b->bytes, len) == 0;
}

/* A socket handle is a small non-negative integer chosen by the port. */
typedef int32_t mxp_sock;
#define MXP_SOCK_NONE ((mxp_sock)-1)

enum mxp_io_event {
    MXP_IO_READ = 1u << 0,  /* recv() will not return MXP_E_WOULD_BLOCK */
    MXP_IO_WRITE = 1u << 1, /* send() can make progress / connect finished */
};

struct mxp_wait_item {
    mxp_sock sock;
    uint8_t want;  /* MXP_IO_* bits the engine is interested in */
    uint8_t ready; /* filled by wait(): bits that are ready (errors count as ready) */
};

/* What became of one path-MTU probe. */
enum mxp_mtu_outcome {
    MXP_MTU_NO_ANSWER = 0, /* nothing came back before the deadline: lost, filtered,
                              or dropped for size without an ICMP (black hole) */
    MXP_MTU_FITS,          /* the destination answered (echo reply, or port
                              unreachable from the destination itself) */
    MXP_MTU_TOO_BIG,       /* ICMP fragmentation-needed / packet-too-big, or the
                              local interface refused the size */
    MXP_MTU_UNREACHABLE,   /* another ICMP error: host/net unreachable, prohibited */
};

struct mxp_mtu_reply {
    uint8_t outcome;       /* enum mxp_mtu_outcome */
    uint16_t next_hop_mtu; /* TOO_BIG: the MTU the router (or interface) named, 0 if none */
    uint16_t iface_mtu;    /* MTU of the local route towards the destination */
    struct mxp_addr from;  /* who answered (FITS, TOO_BIG, UNREACHABLE) */
    uint32_t rtt_ms;       /* probe sent to answer */
    const char *method;    /* static text: "icmp-echo", "udp", ... */
};

struct mxp_hal_net_api {
    /* Names the platform knows without the engine's DNS client: a hosts
     * file, or a resolver of the platform's own. At most `cap` addresses,
     * IPv4 first; blocks for at most timeout_ms. MXP_OK with *n_out 0: not
     * known here, and the engine asks DNS itself (over udp_* below, at the
     * servers of dns_servers). Address literals never reach it. Optional:
     * with it NULL the engine resolves every name itself, and then the UDP
     * operations are required (mxp_hal_check).
     * Errors: MXP_E_DNS_* (with the resolver's detail), MXP_E_TIMEOUT. */
    mxp_err (*resolve)(void *ctx, const char *host, struct mxp_addr *out, size_t cap, size_t *n_out,
                       uint32_t timeout_ms);
    /* Start a non-blocking TCP connect; completion (or failure) is signalled
     * as MXP_IO_WRITE by wait() and collected with connect_result(). Required. */
    mxp_err (*connect)(void *ctx, const struct mxp_addr *to, uint16_t port, mxp_sock *out);
    /* Result of a connect after wait() flagged it: MXP_OK, MXP_E_TCP_REFUSED,
     * MXP_E_TCP_UNREACHABLE, MXP_E_TCP_RESET, MXP_E_WOULD_BLOCK (still pending). */
    mxp_err (*connect_result)(void *ctx, mxp_sock s);
    /* Send up to len bytes; *sent gets what was taken (possibly 0). Never blocks.
     * Errors: MXP_E_WOULD_BLOCK, MXP_E_TCP_RESET, MXP_E_TCP_CLOSED. Required. */
    mxp_err (*send)(void *ctx, mxp_sock s, const void *buf, size_t len, size_t *sent);
    /* Receive up to cap bytes. Never blocks. MXP_E_WOULD_BLOCK when nothing is
     * buffered, MXP_E_TCP_CLOSED on an orderly close by the peer (FIN),
     * MXP_E_TCP_RESET on RST. Required. */
    mxp_err (*recv)(void *ctx, mxp_sock s, void *buf, size_t cap, size_t *got);
    /* Wait until at least one item is ready or timeout_ms passes (then MXP_OK
     * with no ready bits). Ports without an OS (lwIP NO_SYS) poll their NIC and
     * timers in here. Required. */
    mxp_err (*wait)(void *ctx, struct mxp_wait_item *items, size_t n, uint32_t timeout_ms);
    /* Release the socket. `abort` sends RST instead of FIN where the stack can.
     * Required. */
    void (*close)(void *ctx, mxp_sock s, bool abort);
    /* Clamp the TCP MSS for the next connect() (0 = stack default), used by
     * path-MTU black-hole detection. Optional. */
    mxp_err (*set_mss)(void *ctx, uint16_t mss);

    /* -- UDP, for the engine's own DNS client. Optional as a group: with
     *    udp_open NULL the engine resolves only through resolve() (which is
     *    then required), and has no MX or PTR lookups. UDP
     *    sockets share handles, wait() (MXP_IO_READ: a datagram is queued)
     *    and close() with TCP ones. */
    /* Open an unconnected UDP socket of that family (enum mxp_af). */
    mxp_err (*udp_open)(void *ctx, uint8_t family, mxp_sock *out);
    /* Send one datagram. Never blocks: MXP_E_WOULD_BLOCK when the stack has
     * no room; MXP_E_TCP_UNREACHABLE when the route or an earlier ICMP says
     * the destination cannot be reached. */
    mxp_err (*udp_send)(void *ctx, mxp_sock s, const struct mxp_addr *to, uint16_t port,
                        const void *buf, size_t len);
    /* Take one queued datagram; one longer than cap is cut to cap. Never
     * blocks: MXP_E_WOULD_BLOCK when none is queued; MXP_E_TCP_UNREACHABLE
     * when an ICMP error came back for an earlier datagram (from/from_port
     * then name its destination; reported once). from/from_port may be
     * NULL. */
    mxp_err (*udp_recv)(void *ctx, mxp_sock s, void *buf, size_t cap, size_t *got,
                        struct mxp_addr *from, uint16_t *from_port);
    /* The DNS resolvers the platform was configured with (resolv.conf on
     * Linux, DHCP on a board), at most cap, in preference order. MXP_OK with
     * *n_out 0 when there are none. Optional. */
    mxp_err (*dns_servers)(void *ctx, struct mxp_addr *out, size_t cap, size_t *n_out);

    /* -- Path MTU. Optional: ports without raw or ICMP sockets leave it NULL
     *    and the report says "not measured". */
    /* Send one don't-fragment probe of `size` bytes (whole IP packet) towards
     * `to` and wait at most timeout_ms for its fate (see struct
     * mxp_mtu_reply). size 0 sends nothing and only fills iface_mtu and
     * method. May block up to timeout_ms (like resolve). MXP_E_UNSUPPORTED
     * when the platform cannot probe (no permission for raw/ICMP sockets). */
    mxp_err (*mtu_probe)(void *ctx, const struct mxp_addr *to, uint16_t size, uint32_t timeout_ms,
                         struct mxp_mtu_reply *out);
};

/* ---- report sink ---------------------------------------------------------- */
struct mxp_hal_sink_api {
    /* Write report bytes (stdout on Linux, the UART on a board). Required. */
    mxp_err (*write)(void *ctx, const char *buf, size_t len);
    /* Show a one-line transient progress status, or clear it with NULL.
     * Ports call it only where a person watches (a terminal); optional. */
    void (*progress)(void *ctx, const char *line);
    /* Read one byte typed on the console: MXP_OK with *c, MXP_E_WOULD_BLOCK
     * when none is waiting. Never blocks. Optional (the shell needs it). */
    mxp_err (*read)(void *ctx, char *c);
    /* True when the person asked to stop the running command (Ctrl-C on a
     * serial console, SIGINT on Linux) since the last call that said so: each
     * request is reported at least once, and a port may report it only once.
     * The engine checks it between steps, closes its connections and returns
     * a partial result. Optional. */
    bool (*interrupted)(void *ctx);
};

struct mxp_hal {
    const struct mxp_hal_clock_api *clock;
    void *clock_ctx;
    const struct mxp_hal_entropy_api *entropy;
    void *entropy_ctx;
    const struct mxp_hal_net_api *net;
    void *net_ctx;
    const struct mxp_hal_sink_api *sink;
    void *sink_ctx;
};

#ifdef __cplusplus
}
#endif

#endif /* MXP_HAL_H */
