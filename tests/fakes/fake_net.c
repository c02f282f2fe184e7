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

static const struct mxp_fake_step *step_of(const struct mxp_fake_net *n, const struct mxp_fake_conn *c)
{
    static const struct mxp_fake_step end = {MXP_FAKE_CLOSE, NULL, 0};
    return c->step < n->n_steps ? &n->script[c->step] : &end;
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

static mxp_err fake_connect(void *ctx, const struct mxp_addr *to, uint16_t port, mxp_sock *out)
{
    struct mxp_fake_net *n = ctx;
    (void)to;
    (void)port;
    for (int i = 0; i < MXP_FAKE_CONNS; i++) {
        if (!n->conns[i].open) {
            memset(&n->conns[i], 0, sizeof n->conns[i]);
            n->conns[i].open = true;
            n->connects++;
            if (++n->open_now > n->open_peak)
                n->open_peak = n->open_now;
            *out = i;
            return MXP_SUCCESS;
        }
    }
    return MXP_ERR(MXP_E_NOMEM, 0);
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

static mxp_err fake_send(void *ctx, mxp_sock s, const void *buf, size_t len, size_t *sent)
{
    struct mxp_fake_net *n = ctx;
    struct mxp_fake_conn *c = conn_of(n, s);
    *sent = 0;
    if (c == NULL)
        return MXP_ERR(MXP_E_USAGE, 0);
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
    if (c != NULL) {
        c->open = false;
        n->open_now--;
    }
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
