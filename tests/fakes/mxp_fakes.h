/*
 * Test doubles for the HAL (tests/fakes/). Each fake lives in its own
 * fake_<part>.c and owns one section of this header; add new fakes the same
 * way. All of them are deterministic and single-threaded.
 */
#ifndef MXP_FAKES_H
#define MXP_FAKES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mxp_hal.h"

/* ---- fake_entropy.c: deterministic byte stream ---------------------------- */
/* A SplitMix64 stream from a seed: the same seed gives the same bytes, so a
 * test that depends on "random" values is reproducible. Not entropy. */
struct mxp_fake_entropy {
    uint64_t state;
    bool strong;    /* what fill() reports as quality */
    bool fail;      /* make fill() return MXP_E_IO */
    uint32_t calls; /* fill() calls so far */
    uint64_t bytes; /* bytes handed out so far */
};
extern const struct mxp_hal_entropy_api mxp_fake_entropy_api;
void mxp_fake_entropy_init(struct mxp_fake_entropy *e, uint64_t seed);

/* ---- fake_clock.c: manually advanced clock ------------------------------- */
/* now_ms only moves when the test calls mxp_fake_clock_advance(). unix_time
 * returns MXP_E_UNSUPPORTED unless has_unix_time is set; then it is
 * unix_base + (ms advanced so far) / 1000. */
struct mxp_fake_clock {
    uint32_t now_ms;
    uint32_t advanced_ms;
    bool has_unix_time;
    int64_t unix_base;
};
extern const struct mxp_hal_clock_api mxp_fake_clock_api;
void mxp_fake_clock_init(struct mxp_fake_clock *c, uint32_t start_ms);
void mxp_fake_clock_set_unix(struct mxp_fake_clock *c, int64_t unix_seconds);
void mxp_fake_clock_advance(struct mxp_fake_clock *c, uint32_t ms);

/* ---- fake_net.c: a scripted SMTP peer ------------------------------------ */
/* Every connection plays the same script, one step at a time. The clock is
 * advanced by wait() when nothing is ready, straight to the timeout, so
 * deadlines are tested without sleeping. */
enum mxp_fake_op {
    MXP_FAKE_SEND,      /* the peer sends data[0..len) */
    MXP_FAKE_EXPECT,    /* the peer reads one client line starting with data;
                           data NULL: any client bytes at all (a ClientHello) */
    MXP_FAKE_CLOSE,     /* FIN after what was sent */
    MXP_FAKE_RESET,     /* RST */
    MXP_FAKE_STALL,     /* never another byte */
    MXP_FAKE_REFUSE,    /* first step only: connect is refused */
    MXP_FAKE_NO_ANSWER, /* first step only: connect never completes */
    MXP_FAKE_TLS,       /* from here on the peer speaks TLS: struct mxp_fake_tls_api */
};
struct mxp_fake_step {
    enum mxp_fake_op op;
    const char *data;
    size_t len; /* SEND: bytes of data; 0 means strlen(data) */
};
#define MXP_FAKE_CONNS 8
/* The TLS side of a peer, supplied by a test (e.g. a real TLS server over
 * memory buffers): the fake hands it the bytes of a connection that reached
 * its MXP_FAKE_TLS step. conn is the connection's socket handle. */
struct mxp_fake_tls_api {
    /* The connection reached MXP_FAKE_TLS: start a server session. */
    void (*start)(void *arg, int conn, uint16_t port);
    /* Client bytes; returns how many were taken. */
    size_t (*from_client)(void *arg, int conn, const uint8_t *buf, size_t len);
    /* At most cap bytes for the client, 0 when none is pending. *closed
     * becomes true once the server has closed and everything was taken. */
    size_t (*to_client)(void *arg, int conn, uint8_t *buf, size_t cap, bool *closed);
    /* Bytes (or the close) are pending for the client. */
    bool (*readable)(void *arg, int conn);
    /* The client closed the socket: end the session. */
    void (*stop)(void *arg, int conn);
};
struct mxp_fake_conn {
    bool open;
    bool udp;                           /* a UDP socket (DNS client) */
    bool dns_tcp;                       /* a TCP connection to port 53: DNS over TCP */
    uint16_t port;                      /* the port connected to */
    uint16_t mss;                       /* the MSS set for this connection (0 = default) */
    const struct mxp_fake_step *script; /* this connection's script */
    size_t n_steps;
    uint8_t dgram[1024]; /* UDP: the queued answer; TCP DNS: query, then answer */
    size_t dgram_len;
    size_t dgram_off;
    struct mxp_addr dgram_from;
    uint16_t dgram_from_port;
    size_t step;
    size_t sent;     /* bytes of the current SEND step delivered */
    char line[1024]; /* client bytes of the current EXPECT step */
    size_t line_len;
    bool tls; /* the TLS peer has a session for this connection */
};
/* A port with its own script (reachability tests: 25 silent, 587 open). */
struct mxp_fake_port_script {
    uint16_t port;
    const struct mxp_fake_step *script;
    size_t n_steps;
};
/* The DNS server behind the fake's UDP and TCP port 53: given a query, write
 * the answer (without the TCP length prefix) and return its length; 0 sends
 * nothing. *from / *from_port may be changed to forge the source. */
typedef size_t (*mxp_fake_dns_fn)(void *arg, bool tcp, const uint8_t *query, size_t len,
                                  uint8_t *answer, size_t cap, struct mxp_addr *from,
                                  uint16_t *from_port);
struct mxp_fake_net {
    const struct mxp_fake_step *script;
    size_t n_steps;
    const struct mxp_fake_port_script *port_scripts; /* override script per port */
    size_t n_port_scripts;
    const struct mxp_fake_step *clamped_script; /* used when the MSS was clamped */
    size_t n_clamped_steps;
    uint16_t next_mss; /* from set_mss() */
    unsigned clamped_connects;
    const struct mxp_fake_tls_api *tls; /* MXP_FAKE_TLS steps; NULL: they close */
    void *tls_arg;
    mxp_fake_dns_fn dns; /* DNS server (mxp_fake_net_api_full only) */
    void *dns_arg;
    struct mxp_addr dns_server; /* what dns_servers() reports; family 0 = none */
    unsigned udp_sent;          /* datagrams sent */
    unsigned dns_tcp_connects;
    /* Path MTU as the fake's mtu_probe sees it (mxp_fake_net_api_full). */
    uint16_t mtu_iface; /* 0: mtu_probe says MXP_E_UNSUPPORTED */
    uint16_t mtu_path;
    bool mtu_frag_needed; /* too-big probes get frag-needed naming mtu_path */
    bool mtu_no_replies;  /* nothing ever answers */
    unsigned mtu_probes;
    struct mxp_fake_clock *clock;
    bool resolve_fails;
    struct mxp_fake_conn conns[MXP_FAKE_CONNS];
    unsigned connects;          /* connect() calls */
    unsigned open_now;          /* sockets open at the moment */
    unsigned open_peak;         /* most sockets open at once */
    unsigned expect_mismatches; /* client lines that did not match EXPECT */
    unsigned bad_closes;        /* close() of a handle that was not open */
    /* Called after a client line completed an EXPECT step (optional). */
    void (*on_expect)(void *arg, const char *line);
    void *on_expect_arg;
    char client_log[8192]; /* printable client lines, each ending in \n */
    size_t client_log_len;
};
/* TCP only (the engine's historical HAL): no set_mss, UDP, DNS servers or
 * MTU probes, so those features report "not measured". */
extern const struct mxp_hal_net_api mxp_fake_net_api;
/* Everything: set_mss, UDP with the `dns` server, dns_servers, mtu_probe. */
extern const struct mxp_hal_net_api mxp_fake_net_api_full;
void mxp_fake_net_init(struct mxp_fake_net *n, const struct mxp_fake_step *script, size_t n_steps,
                       struct mxp_fake_clock *clock);

/* ---- fake_sink.c: a capturing report sink --------------------------------- */
/* Keeps the report bytes (as many as fit), the progress line and whether it
 * is still on screen, and answers interrupted() with `interrupt`. */
struct mxp_fake_sink {
    char out[32768];
    size_t len;   /* bytes kept in out (NUL-terminated) */
    size_t total; /* bytes written in all */
    unsigned writes;
    unsigned progress_lines; /* progress() calls with a line */
    bool progress_shown;     /* a line is showing: not cleared since */
    char progress[128];      /* the last line */
    bool interrupt;          /* what interrupted() answers */
    unsigned interrupted_calls;
};
/* write, progress and interrupted */
extern const struct mxp_hal_sink_api mxp_fake_sink_api;
void mxp_fake_sink_init(struct mxp_fake_sink *s);

/* ---- fake_faults.c: a fault plan over any HAL ------------------------------- */
/* A HAL that forwards every operation to another one, counting the calls of
 * each, and fails the Nth call of one operation as the plan says; it also
 * shapes every TCP send and receive (short, byte by byte, WOULD_BLOCK now
 * and then). wolfSSL's allocations go through the plan too, so a test can
 * fail the Nth one and see every allocation freed again. Optional operations
 * stay NULL where the wrapped HAL has them NULL. */
enum mxp_fault_op {
    MXP_FAULT_RESOLVE = 0,
    MXP_FAULT_CONNECT,
    MXP_FAULT_CONNECT_RESULT,
    MXP_FAULT_SEND,
    MXP_FAULT_RECV,
    MXP_FAULT_WAIT,
    MXP_FAULT_SET_MSS,
    MXP_FAULT_UDP_OPEN,
    MXP_FAULT_UDP_SEND,
    MXP_FAULT_UDP_RECV,
    MXP_FAULT_DNS_SERVERS,
    MXP_FAULT_MTU_PROBE,
    MXP_FAULT_CLOCK_NOW,  /* cannot fail: the clock leaps forward by leap_ms */
    MXP_FAULT_CLOCK_UNIX, /* wall time unavailable this once */
    MXP_FAULT_ENTROPY,
    MXP_FAULT_SINK_WRITE,
    MXP_FAULT_INTERRUPT, /* interrupted() says yes: the person pressed Ctrl-C */
    MXP_FAULT_ALLOC,     /* wolfSSL's allocator returns NULL */
    MXP_FAULT_OP_COUNT
};
enum mxp_fault_kind {
    MXP_FAULT_FAIL = 0,    /* an error that suits the operation (MXP_E_TCP_RESET for send) */
    MXP_FAULT_WOULD_BLOCK, /* connect_result, send, recv, udp_recv: not now */
    MXP_FAULT_SHORT,       /* send, recv: half of what was asked (at least 1 byte) */
    MXP_FAULT_KIND_COUNT
};
const char *mxp_fault_op_name(enum mxp_fault_op op);
const char *mxp_fault_kind_name(enum mxp_fault_kind kind);
/* Does the kind make sense for the operation? (FAIL always does.) */
bool mxp_fault_kind_applies(enum mxp_fault_op op, enum mxp_fault_kind kind);

struct mxp_fault_plan {
    /* the injection: the nth call (1-based) of op, 0 = none */
    uint8_t op;   /* enum mxp_fault_op */
    uint8_t kind; /* enum mxp_fault_kind */
    uint32_t nth;
    uint32_t leap_ms; /* MXP_FAULT_CLOCK_NOW: the jump */
    /* shaping of every TCP send/recv */
    size_t max_send;      /* bytes one send() may take, 0 = no limit (1: byte by byte) */
    size_t max_recv;      /* bytes one recv() may return, 0 = no limit */
    uint32_t block_every; /* every block_every-th send/recv says WOULD_BLOCK (0 = never) */
    /* runaway guard: after this many calls in all, every call fails (0 = 1000000) */
    uint32_t call_limit;
    /* what happened */
    uint32_t calls[MXP_FAULT_OP_COUNT];
    uint32_t total_calls;
    bool fired;   /* the injection was made */
    bool runaway; /* call_limit was reached */
    long live_allocs;
    uint32_t allocs; /* successful allocations */
};
struct mxp_fault_hal {
    struct mxp_hal hal; /* give this one to the code under test */
    const struct mxp_hal *inner;
    struct mxp_fault_plan *plan;
    struct mxp_hal_clock_api clock;
    struct mxp_hal_net_api net;
    struct mxp_hal_sink_api sink;
    uint32_t leap; /* clock jumps so far */
};
void mxp_fault_hal_wrap(struct mxp_fault_hal *f, const struct mxp_hal *inner,
                        struct mxp_fault_plan *plan);
/* Route wolfSSL's allocations through plan (counted in live_allocs, the
 * MXP_FAULT_ALLOC injection); NULL gives wolfSSL malloc/free/realloc back. */
void mxp_fault_alloc_install(struct mxp_fault_plan *plan);

/* ---- fake_net.c: the fakes wired into one HAL ---------------------------- */
/* Points hal at the clock, entropy and net fakes (already initialized), with
 * net_api (mxp_fake_net_api or mxp_fake_net_api_full) and the test's sink. */
void mxp_fake_hal_wire(struct mxp_hal *hal, struct mxp_fake_clock *clock,
                       struct mxp_fake_entropy *entropy, struct mxp_fake_net *net,
                       const struct mxp_hal_net_api *net_api, const struct mxp_hal_sink_api *sink,
                       void *sink_ctx);

#endif /* MXP_FAKES_H */
