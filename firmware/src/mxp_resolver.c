/*
 * DNS stub resolver over the HAL (see mxp_resolver.h).
 */
#include "mxp_resolver.h"

#include <string.h>

#define DNS_PORT 53

static uint32_t now_ms(const struct mxp_resolver *r)
{
    return r->hal->clock->now_ms(r->hal->clock_ctx);
}

mxp_err mxp_resolver_init(struct mxp_resolver *r, const struct mxp_hal *hal,
                          const struct mxp_addr *server, uint16_t port, uint32_t timeout_ms)
{
    MXP_ENSURE(r != NULL && hal != NULL && timeout_ms >= 100, MXP_E_USAGE);
    memset(r, 0, sizeof *r);
    r->hal = hal;
    r->timeout_ms = timeout_ms;
    const struct mxp_hal_net_api *net = hal->net;
    MXP_ENSURE(net->udp_open != NULL && net->udp_send != NULL && net->udp_recv != NULL,
               MXP_E_UNSUPPORTED);
    if (server != NULL) {
        MXP_ENSURE(server->family == MXP_AF_INET || server->family == MXP_AF_INET6, MXP_E_USAGE);
        r->servers[0] = *server;
        r->server_port[0] = port != 0 ? port : DNS_PORT;
        r->n_servers = 1;
        return MXP_SUCCESS;
    }
    MXP_ENSURE(net->dns_servers != NULL, MXP_E_UNSUPPORTED);
    size_t n = 0;
    MXP_GUARD(net->dns_servers(hal->net_ctx, r->servers, MXP_CFG_DNS_SERVERS, &n));
    MXP_ENSURE(n > 0, MXP_E_UNSUPPORTED);
    r->n_servers = (uint8_t)(n > MXP_CFG_DNS_SERVERS ? MXP_CFG_DNS_SERVERS : n);
    for (size_t i = 0; i < r->n_servers; i++)
        r->server_port[i] = DNS_PORT;
    return MXP_SUCCESS;
}

/* Wait until s is ready for `want`; *ready false when the deadline passed. */
static mxp_err wait_ready(struct mxp_resolver *r, mxp_sock s, uint8_t want, uint32_t deadline,
                          bool *ready)
{
    for (;;) {
        uint32_t t = now_ms(r);
        *ready = false;
        if (mxp_deadline_passed(t, deadline))
            return MXP_SUCCESS;
        struct mxp_wait_item item = {.sock = s, .want = want, .ready = 0};
        MXP_GUARD(r->hal->net->wait(r->hal->net_ctx, &item, 1, deadline - t));
        if (item.ready != 0) {
            *ready = true;
            return MXP_SUCCESS;
        }
    }
}

/* One question, as the reply to it must echo it. */
struct question {
    const char *name;
    uint16_t qtype;
    uint16_t id;
};

/* Is this parse result about some other message (a stray or spoofed one)? */
static bool not_ours(mxp_err e)
{
    return mxp_is(e, MXP_E_DNS_FAIL) &&
           (e.detail == MXP_DNS_BAD_ID || e.detail == MXP_DNS_BAD_QUESTION);
}

/* Ask server i over UDP; MXP_E_TIMEOUT when nothing of ours came by try_deadline. */
static mxp_err ask_udp(struct mxp_resolver *r, size_t i, const struct question *q,
                       const uint8_t *query, size_t qlen, uint32_t try_deadline,
                       struct mxp_dns_answer *out)
{
    const struct mxp_hal_net_api *net = r->hal->net;
    void *ctx = r->hal->net_ctx;
    mxp_sock s = MXP_SOCK_NONE;
    MXP_GUARD(net->udp_open(ctx, r->servers[i].family, &s));
    mxp_err e = net->udp_send(ctx, s, &r->servers[i], r->server_port[i], query, qlen);
    while (mxp_ok(e)) {
        bool ready = false;
        e = wait_ready(r, s, MXP_IO_READ, try_deadline, &ready);
        if (!mxp_ok(e))
            break;
        if (!ready) {
            e = MXP_ERR(MXP_E_TIMEOUT, MXP_CFG_DNS_TRY_MS);
            break;
        }
        size_t got = 0;
        struct mxp_addr from;
        uint16_t from_port = 0;
        memset(&from, 0, sizeof from);
        mxp_err re = net->udp_recv(ctx, s, r->msg, MXP_CFG_DNS_MSG_MAX, &got, &from, &from_port);
        if (mxp_is(re, MXP_E_WOULD_BLOCK))
            continue;
        if (!mxp_ok(re)) {
            e = re; /* ICMP unreachable from the server, or a port failure */
            break;
        }
        if (!mxp_addr_eq(&from, &r->servers[i]) || from_port != r->server_port[i])
            continue; /* not from the server we asked */
        mxp_err pe = mxp_dns_parse_response(r->msg, got, q->id, q->name, q->qtype, out);
        if (not_ours(pe))
            continue;
        e = pe; /* the server's answer */
        break;
    }
    net->close(ctx, s, false);
    return e;
}

/* Ask server i over TCP (RFC 7766) after a truncated UDP answer. */
static mxp_err ask_tcp(struct mxp_resolver *r, size_t i, const struct question *q,
                       uint32_t deadline, struct mxp_dns_answer *out)
{
    const struct mxp_hal_net_api *net = r->hal->net;
    void *ctx = r->hal->net_ctx;
    uint8_t query[MXP_DNS_QUERY_MAX + 2];
    size_t qlen = 0, off = 0, have = 0;
    MXP_GUARD(mxp_dns_build_query_tcp(query, sizeof query, &qlen, q->id, q->name, q->qtype, true));
    if (net->set_mss != NULL)
        (void)net->set_mss(ctx, 0);
    mxp_sock s = MXP_SOCK_NONE;
    MXP_GUARD(net->connect(ctx, &r->servers[i], r->server_port[i], &s));
    mxp_err e = MXP_SUCCESS;
    bool connected = false;
    for (;;) {
        bool ready = false;
        uint8_t want = (!connected || off < qlen) ? MXP_IO_WRITE : MXP_IO_READ;
        e = wait_ready(r, s, want, deadline, &ready);
        if (!mxp_ok(e))
            break;
        if (!ready) {
            e = MXP_ERR(MXP_E_TIMEOUT, r->timeout_ms);
            break;
        }
        if (!connected) {
            e = net->connect_result(ctx, s);
            if (mxp_is(e, MXP_E_WOULD_BLOCK))
                continue;
            if (!mxp_ok(e))
                break;
            connected = true;
        }
        if (off < qlen) {
            size_t sent = 0;
            e = net->send(ctx, s, query + off, qlen - off, &sent);
            if (mxp_is(e, MXP_E_WOULD_BLOCK))
                continue;
            if (!mxp_ok(e))
                break;
            off += sent;
            continue;
        }
        size_t got = 0;
        e = net->recv(ctx, s, r->msg + have, sizeof r->msg - have, &got);
        if (mxp_is(e, MXP_E_WOULD_BLOCK))
            continue;
        if (!mxp_ok(e))
            break;
        have += got;
        const uint8_t *msg = NULL;
        size_t msg_len = 0, used = 0;
        e = mxp_dns_tcp_take(r->msg, have, MXP_CFG_DNS_MSG_MAX, &msg, &msg_len, &used);
        if (mxp_is(e, MXP_E_WOULD_BLOCK)) {
            if (have >= sizeof r->msg) {
                e = MXP_ERR(MXP_E_DNS_FAIL, MXP_DNS_BAD_FRAME);
                break;
            }
            continue;
        }
        if (mxp_ok(e))
            e = mxp_dns_parse_response(msg, msg_len, q->id, q->name, q->qtype, out);
        break;
    }
    net->close(ctx, s, false);
    return e;
}

/* An answer that ends the query: the server said what there is. */
static bool final_answer(mxp_err e)
{
    return mxp_ok(e) || mxp_is(e, MXP_E_DNS_NXDOMAIN) || mxp_is(e, MXP_E_DNS_NODATA);
}

mxp_err mxp_resolver_query(struct mxp_resolver *r, const char *name, uint16_t qtype,
                           struct mxp_dns_answer *out)
{
    MXP_ENSURE(r != NULL && r->hal != NULL && name != NULL && out != NULL, MXP_E_USAGE);
    uint8_t query[MXP_DNS_QUERY_MAX];
    size_t qlen = 0;
    uint32_t deadline = now_ms(r) + r->timeout_ms;
    mxp_err last = MXP_ERR(MXP_E_TIMEOUT, r->timeout_ms);
    for (unsigned round = 0; round < MXP_CFG_DNS_TRIES; round++) {
        for (size_t i = 0; i < r->n_servers; i++) {
            uint32_t t = now_ms(r);
            if (mxp_deadline_passed(t, deadline))
                return last;
            struct question q = {.name = name, .qtype = qtype};
            /* A fresh random ID per datagram: an off-path forger must guess it. */
            MXP_GUARD(
                r->hal->entropy->fill(r->hal->entropy_ctx, (uint8_t *)&q.id, sizeof q.id, NULL));
            MXP_GUARD(mxp_dns_build_query(query, sizeof query, &qlen, q.id, name, qtype, true));
            uint32_t try_deadline = t + MXP_CFG_DNS_TRY_MS;
            if (!mxp_deadline_passed(deadline, try_deadline))
                try_deadline = deadline;
            memset(out, 0, sizeof *out);
            mxp_err e = ask_udp(r, i, &q, query, qlen, try_deadline, out);
            if (mxp_ok(e) && out->truncated) {
                memset(out, 0, sizeof *out);
                e = ask_tcp(r, i, &q, deadline, out);
            }
            if (mxp_err_class(e) == MXP_CLASS_INTERNAL || mxp_is(e, MXP_E_USAGE))
                return e; /* ours, not the server's */
            last = e;
            if (final_answer(e))
                return e;
        }
    }
    return last;
}

mxp_err mxp_resolver_addrs(struct mxp_resolver *r, const char *name, struct mxp_addr *out,
                           size_t cap, size_t *n_out, struct mxp_dns_answer *scratch)
{
    static const uint16_t types[] = {MXP_DNS_A, MXP_DNS_AAAA};
    mxp_err first = MXP_SUCCESS;
    *n_out = 0;
    for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
        mxp_err e = mxp_resolver_query(r, name, types[t], scratch);
        if (t == 0)
            first = e;
        if (mxp_ok(e)) {
            for (size_t k = 0; k < scratch->n && *n_out < cap; k++)
                out[(*n_out)++] = scratch->rr[k].addr;
        } else if (t == 0 && !mxp_is(e, MXP_E_DNS_NODATA)) {
            return e; /* NXDOMAIN, or no server answered: AAAA would fare no better */
        }
    }
    if (*n_out > 0)
        return MXP_SUCCESS;
    return mxp_ok(first) ? MXP_ERR(MXP_E_DNS_NODATA, 0) : first;
}
