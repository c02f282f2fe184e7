/*
 * A fault plan over any HAL (see mxp_fakes.h): every operation is counted
 * and forwarded, except the one call the plan picks, which fails (or blocks,
 * or comes up short) without reaching the wrapped HAL.
 */
#include "mxp_fakes.h"

#include <stdlib.h>
#include <string.h>

#include <wolfssl/wolfcrypt/settings.h>

#include <wolfssl/wolfcrypt/memory.h>

static const char *const op_names[MXP_FAULT_OP_COUNT] = {
    "resolve",   "connect",    "connect_result", "send",       "recv",        "wait",
    "set_mss",   "udp_open",   "udp_send",       "udp_recv",   "dns_servers", "mtu_probe",
    "clock_now", "clock_unix", "entropy",        "sink_write", "interrupt",   "alloc",
};

const char *mxp_fault_op_name(enum mxp_fault_op op)
{
    return op < MXP_FAULT_OP_COUNT ? op_names[op] : "?";
}

const char *mxp_fault_kind_name(enum mxp_fault_kind kind)
{
    switch (kind) {
    case MXP_FAULT_FAIL:
        return "fail";
    case MXP_FAULT_WOULD_BLOCK:
        return "would-block";
    case MXP_FAULT_SHORT:
        return "short";
    default:
        return "?";
    }
}

bool mxp_fault_kind_applies(enum mxp_fault_op op, enum mxp_fault_kind kind)
{
    switch (kind) {
    case MXP_FAULT_FAIL:
        return op < MXP_FAULT_OP_COUNT;
    case MXP_FAULT_WOULD_BLOCK:
        return op == MXP_FAULT_CONNECT_RESULT || op == MXP_FAULT_SEND || op == MXP_FAULT_RECV ||
               op == MXP_FAULT_UDP_RECV;
    case MXP_FAULT_SHORT:
        return op == MXP_FAULT_SEND || op == MXP_FAULT_RECV;
    default:
        return false;
    }
}

#define NO_FAULT (-1)

/* Count the call; the kind of fault to inject into it, or NO_FAULT. */
static int inject(struct mxp_fault_plan *p, enum mxp_fault_op op)
{
    uint32_t limit = p->call_limit != 0 ? p->call_limit : 1000000u;
    p->calls[op]++;
    if (++p->total_calls > limit) {
        p->runaway = true;
        return MXP_FAULT_FAIL;
    }
    if (p->nth != 0 && p->op == op && p->calls[op] == p->nth) {
        p->fired = true;
        return p->kind;
    }
    return NO_FAULT;
}

static size_t at_most(size_t n, size_t limit)
{
    return limit != 0 && n > limit ? limit : n;
}

/* ---- clock and entropy ------------------------------------------------------ */

static uint32_t fault_now_ms(void *ctx)
{
    struct mxp_fault_hal *f = ctx;
    if (inject(f->plan, MXP_FAULT_CLOCK_NOW) != NO_FAULT)
        f->leap += f->plan->leap_ms != 0 ? f->plan->leap_ms : 10000u;
    return f->inner->clock->now_ms(f->inner->clock_ctx) + f->leap;
}

static mxp_err fault_unix_time(void *ctx, int64_t *out_seconds)
{
    struct mxp_fault_hal *f = ctx;
    if (inject(f->plan, MXP_FAULT_CLOCK_UNIX) != NO_FAULT)
        return MXP_ERR(MXP_E_IO, 0);
    return f->inner->clock->unix_time(f->inner->clock_ctx, out_seconds);
}

static mxp_err fault_fill(void *ctx, uint8_t *buf, size_t len, bool *quality)
{
    struct mxp_fault_hal *f = ctx;
    if (inject(f->plan, MXP_FAULT_ENTROPY) != NO_FAULT)
        return MXP_ERR(MXP_E_IO, 0);
    return f->inner->entropy->fill(f->inner->entropy_ctx, buf, len, quality);
}

static const struct mxp_hal_entropy_api fault_entropy_api = {.fill = fault_fill};

/* ---- network ---------------------------------------------------------------- */

#define INNER_NET(f) ((f)->inner->net)
#define INNER_CTX(f) ((f)->inner->net_ctx)

static mxp_err fault_resolve(void *ctx, const char *host, struct mxp_addr *out, size_t cap,
                             size_t *n_out, uint32_t timeout_ms)
{
    struct mxp_fault_hal *f = ctx;
    *n_out = 0;
    if (inject(f->plan, MXP_FAULT_RESOLVE) != NO_FAULT)
        return MXP_ERR(MXP_E_TIMEOUT, (int)timeout_ms);
    return INNER_NET(f)->resolve(INNER_CTX(f), host, out, cap, n_out, timeout_ms);
}

static mxp_err fault_connect(void *ctx, const struct mxp_addr *to, uint16_t port, mxp_sock *out)
{
    struct mxp_fault_hal *f = ctx;
    if (inject(f->plan, MXP_FAULT_CONNECT) != NO_FAULT) {
        *out = MXP_SOCK_NONE;
        return MXP_ERR(MXP_E_IO, 0);
    }
    return INNER_NET(f)->connect(INNER_CTX(f), to, port, out);
}

static mxp_err fault_connect_result(void *ctx, mxp_sock s)
{
    struct mxp_fault_hal *f = ctx;
    switch (inject(f->plan, MXP_FAULT_CONNECT_RESULT)) {
    case NO_FAULT:
        return INNER_NET(f)->connect_result(INNER_CTX(f), s);
    case MXP_FAULT_WOULD_BLOCK:
        return MXP_ERR(MXP_E_WOULD_BLOCK, 0);
    default:
        return MXP_ERR(MXP_E_TCP_REFUSED, 111);
    }
}

/* Every block_every-th send or recv (counted together) is told to wait. */
static bool shaped_block(const struct mxp_fault_plan *p)
{
    uint32_t n = p->calls[MXP_FAULT_SEND] + p->calls[MXP_FAULT_RECV];
    return p->block_every != 0 && n % p->block_every == 0;
}

static mxp_err fault_send(void *ctx, mxp_sock s, const void *buf, size_t len, size_t *sent)
{
    struct mxp_fault_hal *f = ctx;
    int k = inject(f->plan, MXP_FAULT_SEND);
    *sent = 0;
    if (k == MXP_FAULT_FAIL)
        return MXP_ERR(MXP_E_TCP_RESET, 104);
    if (k == MXP_FAULT_WOULD_BLOCK || (k == NO_FAULT && shaped_block(f->plan)))
        return MXP_ERR(MXP_E_WOULD_BLOCK, 0);
    if (k == MXP_FAULT_SHORT && len > 1)
        len /= 2;
    return INNER_NET(f)->send(INNER_CTX(f), s, buf, at_most(len, f->plan->max_send), sent);
}

static mxp_err fault_recv(void *ctx, mxp_sock s, void *buf, size_t cap, size_t *got)
{
    struct mxp_fault_hal *f = ctx;
    int k = inject(f->plan, MXP_FAULT_RECV);
    *got = 0;
    if (k == MXP_FAULT_FAIL)
        return MXP_ERR(MXP_E_TCP_RESET, 104);
    if (k == MXP_FAULT_WOULD_BLOCK || (k == NO_FAULT && shaped_block(f->plan)))
        return MXP_ERR(MXP_E_WOULD_BLOCK, 0);
    if (k == MXP_FAULT_SHORT && cap > 1)
        cap /= 2;
    return INNER_NET(f)->recv(INNER_CTX(f), s, buf, at_most(cap, f->plan->max_recv), got);
}

static mxp_err fault_wait(void *ctx, struct mxp_wait_item *items, size_t n, uint32_t timeout_ms)
{
    struct mxp_fault_hal *f = ctx;
    if (inject(f->plan, MXP_FAULT_WAIT) != NO_FAULT)
        return MXP_ERR(MXP_E_IO, 0);
    return INNER_NET(f)->wait(INNER_CTX(f), items, n, timeout_ms);
}

static void fault_close(void *ctx, mxp_sock s, bool abort_conn)
{
    struct mxp_fault_hal *f = ctx;
    INNER_NET(f)->close(INNER_CTX(f), s, abort_conn);
}

static mxp_err fault_set_mss(void *ctx, uint16_t mss)
{
    struct mxp_fault_hal *f = ctx;
    if (inject(f->plan, MXP_FAULT_SET_MSS) != NO_FAULT)
        return MXP_ERR(MXP_E_IO, 0);
    return INNER_NET(f)->set_mss(INNER_CTX(f), mss);
}

static mxp_err fault_udp_open(void *ctx, uint8_t family, mxp_sock *out)
{
    struct mxp_fault_hal *f = ctx;
    if (inject(f->plan, MXP_FAULT_UDP_OPEN) != NO_FAULT) {
        *out = MXP_SOCK_NONE;
        return MXP_ERR(MXP_E_IO, 0);
    }
    return INNER_NET(f)->udp_open(INNER_CTX(f), family, out);
}

static mxp_err fault_udp_send(void *ctx, mxp_sock s, const struct mxp_addr *to, uint16_t port,
                              const void *buf, size_t len)
{
    struct mxp_fault_hal *f = ctx;
    if (inject(f->plan, MXP_FAULT_UDP_SEND) != NO_FAULT)
        return MXP_ERR(MXP_E_TCP_UNREACHABLE, 0);
    return INNER_NET(f)->udp_send(INNER_CTX(f), s, to, port, buf, len);
}

static mxp_err fault_udp_recv(void *ctx, mxp_sock s, void *buf, size_t cap, size_t *got,
                              struct mxp_addr *from, uint16_t *from_port)
{
    struct mxp_fault_hal *f = ctx;
    *got = 0;
    switch (inject(f->plan, MXP_FAULT_UDP_RECV)) {
    case NO_FAULT:
        return INNER_NET(f)->udp_recv(INNER_CTX(f), s, buf, cap, got, from, from_port);
    case MXP_FAULT_WOULD_BLOCK:
        return MXP_ERR(MXP_E_WOULD_BLOCK, 0);
    default:
        return MXP_ERR(MXP_E_TCP_UNREACHABLE, 0);
    }
}

static mxp_err fault_dns_servers(void *ctx, struct mxp_addr *out, size_t cap, size_t *n_out)
{
    struct mxp_fault_hal *f = ctx;
    *n_out = 0;
    if (inject(f->plan, MXP_FAULT_DNS_SERVERS) != NO_FAULT)
        return MXP_ERR(MXP_E_IO, 0);
    return INNER_NET(f)->dns_servers(INNER_CTX(f), out, cap, n_out);
}

static mxp_err fault_mtu_probe(void *ctx, const struct mxp_addr *to, uint16_t size,
                               uint32_t timeout_ms, struct mxp_mtu_reply *out)
{
    struct mxp_fault_hal *f = ctx;
    if (inject(f->plan, MXP_FAULT_MTU_PROBE) != NO_FAULT) {
        memset(out, 0, sizeof *out);
        return MXP_ERR(MXP_E_IO, 0);
    }
    return INNER_NET(f)->mtu_probe(INNER_CTX(f), to, size, timeout_ms, out);
}

/* ---- sink ------------------------------------------------------------------- */

static mxp_err fault_write(void *ctx, const char *buf, size_t len)
{
    struct mxp_fault_hal *f = ctx;
    if (inject(f->plan, MXP_FAULT_SINK_WRITE) != NO_FAULT)
        return MXP_ERR(MXP_E_IO, 0);
    return f->inner->sink->write(f->inner->sink_ctx, buf, len);
}

static void fault_progress(void *ctx, const char *line)
{
    struct mxp_fault_hal *f = ctx;
    f->inner->sink->progress(f->inner->sink_ctx, line);
}

static mxp_err fault_read(void *ctx, char *c)
{
    struct mxp_fault_hal *f = ctx;
    return f->inner->sink->read(f->inner->sink_ctx, c);
}

static bool fault_interrupted(void *ctx)
{
    struct mxp_fault_hal *f = ctx;
    bool inner = f->inner->sink->interrupted(f->inner->sink_ctx);
    return inject(f->plan, MXP_FAULT_INTERRUPT) != NO_FAULT || inner;
}

/* ---- wiring ------------------------------------------------------------------- */

#define WRAP(dst, src, op, fn) ((dst)->op = (src)->op != NULL ? (fn) : NULL)

void mxp_fault_hal_wrap(struct mxp_fault_hal *f, const struct mxp_hal *inner,
                        struct mxp_fault_plan *plan)
{
    memset(f, 0, sizeof *f);
    f->inner = inner;
    f->plan = plan;

    WRAP(&f->clock, inner->clock, now_ms, fault_now_ms);
    WRAP(&f->clock, inner->clock, unix_time, fault_unix_time);

    const struct mxp_hal_net_api *n = inner->net;
    WRAP(&f->net, n, resolve, fault_resolve);
    WRAP(&f->net, n, connect, fault_connect);
    WRAP(&f->net, n, connect_result, fault_connect_result);
    WRAP(&f->net, n, send, fault_send);
    WRAP(&f->net, n, recv, fault_recv);
    WRAP(&f->net, n, wait, fault_wait);
    WRAP(&f->net, n, close, fault_close);
    WRAP(&f->net, n, set_mss, fault_set_mss);
    WRAP(&f->net, n, udp_open, fault_udp_open);
    WRAP(&f->net, n, udp_send, fault_udp_send);
    WRAP(&f->net, n, udp_recv, fault_udp_recv);
    WRAP(&f->net, n, dns_servers, fault_dns_servers);
    WRAP(&f->net, n, mtu_probe, fault_mtu_probe);

    WRAP(&f->sink, inner->sink, write, fault_write);
    WRAP(&f->sink, inner->sink, progress, fault_progress);
    WRAP(&f->sink, inner->sink, read, fault_read);
    WRAP(&f->sink, inner->sink, interrupted, fault_interrupted);

    f->hal.clock = &f->clock;
    f->hal.clock_ctx = f;
    f->hal.entropy = &fault_entropy_api;
    f->hal.entropy_ctx = f;
    f->hal.net = &f->net;
    f->hal.net_ctx = f;
    f->hal.sink = &f->sink;
    f->hal.sink_ctx = f;
}

/* ---- wolfSSL's allocator -------------------------------------------------------- */

static struct mxp_fault_plan *alloc_plan;

static void *fault_malloc(size_t n)
{
    if (inject(alloc_plan, MXP_FAULT_ALLOC) != NO_FAULT)
        return NULL;
    void *p = malloc(n);
    if (p != NULL) {
        alloc_plan->live_allocs++;
        alloc_plan->allocs++;
    }
    return p;
}

static void fault_free(void *p)
{
    if (p == NULL)
        return;
    alloc_plan->live_allocs--;
    free(p);
}

static void *fault_realloc(void *p, size_t n)
{
    if (p == NULL)
        return fault_malloc(n);
    if (n == 0) {
        fault_free(p);
        return NULL;
    }
    if (inject(alloc_plan, MXP_FAULT_ALLOC) != NO_FAULT)
        return NULL; /* p stays allocated, as with realloc() */
    return realloc(p, n);
}

void mxp_fault_alloc_install(struct mxp_fault_plan *plan)
{
    alloc_plan = plan;
    if (plan != NULL)
        (void)wolfSSL_SetAllocators(fault_malloc, fault_free, fault_realloc);
    else
        (void)wolfSSL_SetAllocators(malloc, free, realloc);
}
