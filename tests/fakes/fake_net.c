/*
 * A scripted SMTP peer behind the HAL network interface. See mxp_fakes.h.
 */
#include <string.h>

#include "mxp_fakes.h"

void mxp_fake_net_init(struct mxp_fake_net *n, const struct mxp_fake_step *script, size_t n_steps,
                       struct mxp_fake_clock *clock)
{
    memset(n, 0, sizeof *n);
    n->script = script;
    n->n_steps = n_steps;
    n->clock = clock;
}

static const struct mxp_fake_step *step_of(const struct mxp_fake_net *n,
                                           const struct mxp_fake_conn *c)
{
    static const struct mxp_fake_step end = {MXP_FAKE_CLOSE, NULL, 0};
    static const struct mxp_fake_step dns_wait = {MXP_FAKE_EXPECT, NULL, 0};
    if (c->dns_tcp) /* DNS over TCP: read the query, then answer and close */
        return c->dgram_len == 0 || c->dgram_off < 2 ? &dns_wait : &end;
    if (c->step >= c->n_steps || (c->script[c->step].op == MXP_FAKE_TLS && n->tls == NULL))
        return &end;
    return &c->script[c->step];
}

/* Is the connection at its MXP_FAKE_TLS step? Then the test's TLS peer has
 * (from now on) a session for it. */
static bool tls_step(struct mxp_fake_net *n, struct mxp_fake_conn *c, mxp_sock s)
{
    if (step_of(n, c)->op != MXP_FAKE_TLS)
        return false;
    if (!c->tls) {
        c->tls = true;
        n->tls->start(n->tls_arg, s, c->port);
    }
    return true;
}

static size_t step_len(const struct mxp_fake_step *s)
{
    return s->len != 0 ? s->len : strlen(s->data);
}

static struct mxp_fake_conn *conn_of(struct mxp_fake_net *n, mxp_sock s)
{
    return (s >= 0 && s < MXP_FAKE_CONNS && n->conns[s].open) ? &n->conns[s] : NULL;
}

static mxp_err fake_resolve(void *ctx, const char *host, struct mxp_addr *out, size_t cap,
                            size_t *n_out, uint32_t timeout_ms)
{
    struct mxp_fake_net *n = ctx;
    (void)host;
    (void)timeout_ms;
    *n_out = 0;
    if (n->resolve_fails)
        return MXP_ERR(MXP_E_DNS_NXDOMAIN, 0);
    if (cap == 0)
        return MXP_ERR(MXP_E_USAGE, 0);
    memset(out, 0, sizeof *out);
    out->family = MXP_AF_INET;
    out->bytes[0] = 192; /* TEST-NET-1: never touched, this is a fake */
    out->bytes[1] = 0;
    out->bytes[2] = 2;
    out->bytes[3] = 1;
    *n_out = 1;
    return MXP_SUCCESS;
}

static struct mxp_fake_conn *new_conn(struct mxp_fake_net *n, mxp_sock *out)
{
    for (int i = 0; i < MXP_FAKE_CONNS; i++) {
        if (!n->conns[i].open) {
            memset(&n->conns[i], 0, sizeof n->conns[i]);
            n->conns[i].open = true;
            if (++n->open_now > n->open_peak)
                n->open_peak = n->open_now;
            *out = i;
            return &n->conns[i];
        }
    }
    return NULL;
}

static mxp_err fake_connect(void *ctx, const struct mxp_addr *to, uint16_t port, mxp_sock *out)
{
    struct mxp_fake_net *n = ctx;
    (void)to;
    struct mxp_fake_conn *c = new_conn(n, out);
    if (c == NULL)
        return MXP_ERR(MXP_E_NOMEM, 0);
    c->port = port;
    c->mss = n->next_mss;
    c->script = n->script;
    c->n_steps = n->n_steps;
    if (port == 53 && n->dns != NULL) {
        c->dns_tcp = true;
        n->dns_tcp_connects++;
        return MXP_SUCCESS;
    }
    n->connects++;
    for (size_t i = 0; i < n->n_port_scripts; i++) {
        if (n->port_scripts[i].port == port) {
            c->script = n->port_scripts[i].script;
            c->n_steps = n->port_scripts[i].n_steps;
        }
    }
    if (c->mss != 0 && n->clamped_script != NULL) {
        c->script = n->clamped_script;
        c->n_steps = n->n_clamped_steps;
        n->clamped_connects++;
    }
    return MXP_SUCCESS;
}

static mxp_err fake_connect_result(void *ctx, mxp_sock s)
{
    struct mxp_fake_net *n = ctx;
    struct mxp_fake_conn *c = conn_of(n, s);
    if (c == NULL)
        return MXP_ERR(MXP_E_USAGE, 0);
    const struct mxp_fake_step *st = step_of(n, c);
    if (st->op == MXP_FAKE_REFUSE)
        return MXP_ERR(MXP_E_TCP_REFUSED, 111);
    if (st->op == MXP_FAKE_NO_ANSWER)
        return MXP_ERR(MXP_E_WOULD_BLOCK, 0);
    return MXP_SUCCESS;
}

static void log_client(struct mxp_fake_net *n, const char *p, size_t len)
{
    for (size_t i = 0; i < len && n->client_log_len + 1 < sizeof n->client_log; i++) {
        char ch = p[i];
        if (ch == '\r')
            continue;
        n->client_log[n->client_log_len++] = (ch == '\n' || (ch >= 0x20 && ch < 0x7f)) ? ch : '.';
    }
    n->client_log[n->client_log_len] = '\0';
}

/* DNS over TCP: gather the framed query; once whole, the answer replaces it
 * (framed), dgram_off = 2 marks "answering". */
static mxp_err dns_tcp_send(struct mxp_fake_net *n, struct mxp_fake_conn *c, const void *buf,
                            size_t len, size_t *sent)
{
    size_t room = sizeof c->dgram - c->dgram_len;
    size_t k = len < room ? len : room;
    memcpy(c->dgram + c->dgram_len, buf, k);
    c->dgram_len += k;
    *sent = k;
    if (c->dgram_len >= 2 && c->dgram_off == 0) {
        size_t want = (size_t)c->dgram[0] << 8 | c->dgram[1];
        if (c->dgram_len >= 2 + want) {
            uint8_t answer[sizeof c->dgram - 2];
            struct mxp_addr from;
            uint16_t from_port = 53;
            memset(&from, 0, sizeof from);
            size_t alen = n->dns(n->dns_arg, true, c->dgram + 2, want, answer, sizeof answer, &from,
                                 &from_port);
            c->dgram[0] = (uint8_t)(alen >> 8);
            c->dgram[1] = (uint8_t)alen;
            memcpy(c->dgram + 2, answer, alen);
            c->dgram_len = alen + 2;
            c->dgram_off = 2;
            c->sent = 0;
        }
    }
    return MXP_SUCCESS;
}

static mxp_err fake_send(void *ctx, mxp_sock s, const void *buf, size_t len, size_t *sent)
{
    struct mxp_fake_net *n = ctx;
    struct mxp_fake_conn *c = conn_of(n, s);
    *sent = 0;
    if (c == NULL)
        return MXP_ERR(MXP_E_USAGE, 0);
    if (c->dns_tcp)
        return dns_tcp_send(n, c, buf, len, sent);
    if (tls_step(n, c, s)) {
        *sent = n->tls->from_client(n->tls_arg, s, buf, len);
        return MXP_SUCCESS;
    }
    const struct mxp_fake_step *st = step_of(n, c);
    if (st->op == MXP_FAKE_RESET)
        return MXP_ERR(MXP_E_TCP_RESET, 104);
    if (st->op != MXP_FAKE_EXPECT) {
        *sent = len; /* swallowed: the peer is not listening right now */
        return MXP_SUCCESS;
    }
    const char *p = buf;
    if (st->data == NULL) { /* any bytes: take them all */
        c->step++;
        *sent = len;
        return MXP_SUCCESS;
    }
    size_t take = 0;
    while (take < len) {
        char ch = p[take++];
        if (c->line_len < sizeof c->line)
            c->line[c->line_len++] = ch;
        if (ch == '\n')
            break;
    }
    *sent = take;
    if (c->line_len > 0 && c->line[c->line_len - 1] == '\n') {
        log_client(n, c->line, c->line_len);
        size_t want = strlen(st->data);
        if (c->line_len < want || memcmp(c->line, st->data, want) != 0)
            n->expect_mismatches++;
        c->line_len = 0;
        c->step++;
        if (n->on_expect != NULL)
            n->on_expect(n->on_expect_arg, st->data);
    }
    return MXP_SUCCESS;
}

static mxp_err fake_recv(void *ctx, mxp_sock s, void *buf, size_t cap, size_t *got)
{
    struct mxp_fake_net *n = ctx;
    struct mxp_fake_conn *c = conn_of(n, s);
    *got = 0;
    if (c == NULL)
        return MXP_ERR(MXP_E_USAGE, 0);
    if (c->dns_tcp) {
        if (c->dgram_off < 2)
            return MXP_ERR(MXP_E_WOULD_BLOCK, 0);
        if (c->sent >= c->dgram_len)
            return MXP_ERR(MXP_E_TCP_CLOSED, 0);
        size_t k = c->dgram_len - c->sent < cap ? c->dgram_len - c->sent : cap;
        memcpy(buf, c->dgram + c->sent, k);
        c->sent += k;
        *got = k;
        return MXP_SUCCESS;
    }
    if (tls_step(n, c, s)) {
        bool closed = false;
        *got = n->tls->to_client(n->tls_arg, s, buf, cap, &closed);
        if (*got > 0)
            return MXP_SUCCESS;
        return closed ? MXP_ERR(MXP_E_TCP_CLOSED, 0) : MXP_ERR(MXP_E_WOULD_BLOCK, 0);
    }
    const struct mxp_fake_step *st = step_of(n, c);
    switch (st->op) {
    case MXP_FAKE_SEND: {
        size_t left = step_len(st) - c->sent;
        size_t k = left < cap ? left : cap;
        memcpy(buf, st->data + c->sent, k);
        c->sent += k;
        if (c->sent == step_len(st)) {
            c->step++;
            c->sent = 0;
        }
        *got = k;
        return MXP_SUCCESS;
    }
    case MXP_FAKE_CLOSE:
        return MXP_ERR(MXP_E_TCP_CLOSED, 0);
    case MXP_FAKE_RESET:
        return MXP_ERR(MXP_E_TCP_RESET, 104);
    default:
        return MXP_ERR(MXP_E_WOULD_BLOCK, 0);
    }
}

static uint8_t readiness(struct mxp_fake_net *n, const struct mxp_wait_item *it)
{
    struct mxp_fake_conn *c = conn_of(n, it->sock);
    if (c == NULL)
        return it->want;
    if (c->udp)
        return (uint8_t)((c->dgram_len > 0 ? MXP_IO_READ : 0) | MXP_IO_WRITE) & it->want;
    if (c->dns_tcp)
        return (uint8_t)((c->dgram_off >= 2 ? MXP_IO_READ : 0) | MXP_IO_WRITE) & it->want;
    if (tls_step(n, c, it->sock))
        return (uint8_t)((n->tls->readable(n->tls_arg, it->sock) ? MXP_IO_READ : 0) |
                         MXP_IO_WRITE) &
               it->want;
    const struct mxp_fake_step *st = step_of(n, c);
    uint8_t r = 0;
    if (st->op == MXP_FAKE_NO_ANSWER)
        return 0;
    if (st->op == MXP_FAKE_REFUSE)
        return it->want;
    if (st->op == MXP_FAKE_SEND || st->op == MXP_FAKE_CLOSE || st->op == MXP_FAKE_RESET)
        r |= MXP_IO_READ;
    r |= MXP_IO_WRITE;
    return r & it->want;
}

static mxp_err fake_wait(void *ctx, struct mxp_wait_item *items, size_t count, uint32_t timeout_ms)
{
    struct mxp_fake_net *n = ctx;
    bool any = false;
    for (size_t i = 0; i < count; i++) {
        items[i].ready = readiness(n, &items[i]);
        any |= items[i].ready != 0;
    }
    if (!any)
        mxp_fake_clock_advance(n->clock, timeout_ms);
    return MXP_SUCCESS;
}

static void fake_close(void *ctx, mxp_sock s, bool abort_conn)
{
    struct mxp_fake_net *n = ctx;
    struct mxp_fake_conn *c = conn_of(n, s);
    (void)abort_conn;
    if (c == NULL) {
        n->bad_closes++;
        return;
    }
    if (c->tls)
        n->tls->stop(n->tls_arg, s);
    c->open = false;
    n->open_now--;
}

static mxp_err fake_set_mss(void *ctx, uint16_t mss)
{
    struct mxp_fake_net *n = ctx;
    n->next_mss = mss;
    return MXP_SUCCESS;
}

static mxp_err fake_udp_open(void *ctx, uint8_t family, mxp_sock *out)
{
    struct mxp_fake_net *n = ctx;
    if (family != MXP_AF_INET && family != MXP_AF_INET6)
        return MXP_ERR(MXP_E_USAGE, 0);
    struct mxp_fake_conn *c = new_conn(n, out);
    if (c == NULL)
        return MXP_ERR(MXP_E_NOMEM, 0);
    c->udp = true;
    return MXP_SUCCESS;
}

static mxp_err fake_udp_send(void *ctx, mxp_sock s, const struct mxp_addr *to, uint16_t port,
                             const void *buf, size_t len)
{
    struct mxp_fake_net *n = ctx;
    struct mxp_fake_conn *c = conn_of(n, s);
    if (c == NULL || !c->udp)
        return MXP_ERR(MXP_E_USAGE, 0);
    n->udp_sent++;
    if (n->dns == NULL || port != 53)
        return MXP_SUCCESS; /* nobody listens: the datagram is lost */
    c->dgram_from = *to;
    c->dgram_from_port = port;
    c->dgram_len = n->dns(n->dns_arg, false, buf, len, c->dgram, sizeof c->dgram, &c->dgram_from,
                          &c->dgram_from_port);
    return MXP_SUCCESS;
}

static mxp_err fake_udp_recv(void *ctx, mxp_sock s, void *buf, size_t cap, size_t *got,
                             struct mxp_addr *from, uint16_t *from_port)
{
    struct mxp_fake_net *n = ctx;
    struct mxp_fake_conn *c = conn_of(n, s);
    *got = 0;
    if (c == NULL || !c->udp)
        return MXP_ERR(MXP_E_USAGE, 0);
    if (c->dgram_len == 0)
        return MXP_ERR(MXP_E_WOULD_BLOCK, 0);
    size_t k = c->dgram_len < cap ? c->dgram_len : cap;
    memcpy(buf, c->dgram, k);
    *got = k;
    if (from != NULL)
        *from = c->dgram_from;
    if (from_port != NULL)
        *from_port = c->dgram_from_port;
    c->dgram_len = 0;
    return MXP_SUCCESS;
}

static mxp_err fake_dns_servers(void *ctx, struct mxp_addr *out, size_t cap, size_t *n_out)
{
    struct mxp_fake_net *n = ctx;
    *n_out = 0;
    if (n->dns_server.family != 0 && cap > 0) {
        out[0] = n->dns_server;
        *n_out = 1;
    }
    return MXP_SUCCESS;
}

static mxp_err fake_mtu_probe(void *ctx, const struct mxp_addr *to, uint16_t size,
                              uint32_t timeout_ms, struct mxp_mtu_reply *out)
{
    struct mxp_fake_net *n = ctx;
    memset(out, 0, sizeof *out);
    if (n->mtu_iface == 0)
        return MXP_ERR(MXP_E_UNSUPPORTED, 0);
    out->iface_mtu = n->mtu_iface;
    out->method = "fake";
    if (size == 0)
        return MXP_SUCCESS;
    n->mtu_probes++;
    out->from = *to;
    if (size > n->mtu_iface) {
        out->outcome = MXP_MTU_TOO_BIG;
        out->next_hop_mtu = n->mtu_iface;
    } else if (n->mtu_no_replies || (size > n->mtu_path && !n->mtu_frag_needed)) {
        out->outcome = MXP_MTU_NO_ANSWER;
        mxp_fake_clock_advance(n->clock, timeout_ms);
    } else if (size > n->mtu_path) {
        out->outcome = MXP_MTU_TOO_BIG;
        out->next_hop_mtu = n->mtu_path;
    } else {
        out->outcome = MXP_MTU_FITS;
        out->rtt_ms = 1;
        mxp_fake_clock_advance(n->clock, 1);
    }
    return MXP_SUCCESS;
}

const struct mxp_hal_net_api mxp_fake_net_api = {
    .resolve = fake_resolve,
    .connect = fake_connect,
    .connect_result = fake_connect_result,
    .send = fake_send,
    .recv = fake_recv,
    .wait = fake_wait,
    .close = fake_close,
};

const struct mxp_hal_net_api mxp_fake_net_api_full = {
    .resolve = fake_resolve,
    .connect = fake_connect,
    .connect_result = fake_connect_result,
    .send = fake_send,
    .recv = fake_recv,
    .wait = fake_wait,
    .close = fake_close,
    .set_mss = fake_set_mss,
    .udp_open = fake_udp_open,
    .udp_send = fake_udp_send,
    .udp_recv = fake_udp_recv,
    .dns_servers = fake_dns_servers,
    .mtu_probe = fake_mtu_probe,
};

void mxp_fake_hal_wire(struct mxp_hal *hal, struct mxp_fake_clock *clock,
                       struct mxp_fake_entropy *entropy, struct mxp_fake_net *net,
                       const struct mxp_hal_net_api *net_api, const struct mxp_hal_sink_api *sink,
                       void *sink_ctx)
{
    memset(hal, 0, sizeof *hal);
    hal->clock = &mxp_fake_clock_api;
    hal->clock_ctx = clock;
    hal->entropy = &mxp_fake_entropy_api;
    hal->entropy_ctx = entropy;
    hal->net = net_api;
    hal->net_ctx = net;
    hal->sink = sink;
    hal->sink_ctx = sink_ctx;
}
