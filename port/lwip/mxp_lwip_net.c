/*
 * Network HAL over the lwIP raw API (NO_SYS=1). See mxp_lwip.h. No mtu_probe:
 * lwIP (IP_FRAG 0) sends no don't-fragment probes of a chosen size, so the
 * engine reports the path MTU as not measured.
 *
 * Re-entrancy rules this file keeps:
 *  - lwIP callbacks (recv, connected, err, DNS found) only run inside
 *    mxp_lwip_poll() or inside tcp_* calls we make; they only record state in
 *    the socket, never call back into the engine.
 *  - After the err callback the pcb is already freed: the callback clears
 *    sock->pcb and nothing touches it again.
 *  - Before we close or abort a pcb its callbacks are detached, so lwIP never
 *    reports into a socket slot that has been reused.
 */
#include <string.h>

#include "lwip/def.h"
#include "lwip/dhcp.h"
#include "lwip/dns.h"
#include "lwip/init.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/prot/tcp.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"
#include "lwip/udp.h"
#include "netif/ethernet.h"

#include "mxp_board.h"
#include "mxp_lwip.h"
#include "mxp_lwip_hooks.h"

enum mxp_lwip_sock_state {
    SOCK_FREE = 0,
    SOCK_CONNECTING, /* SYN sent, no answer yet */
    SOCK_CONNECTED,  /* handshake completed (may since have failed: see err) */
    SOCK_FAILED,     /* connect failed: err says why */
};

/* lwIP is a singleton; the SYN option hook needs to find the socket table. */
static struct mxp_lwip *mxp_lwip_instance;

/* ---- time ------------------------------------------------------------------- */

static bool elapsed(uint32_t start, uint32_t timeout_ms)
{
    return (uint32_t)(mxp_board_millis() - start) >= timeout_ms;
}

/* ---- interface and addressing -------------------------------------------------- */

void mxp_lwip_config_defaults(struct mxp_lwip_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    IP4_ADDR(&cfg->ip, 10, 0, 2, 15);
    IP4_ADDR(&cfg->netmask, 255, 255, 255, 0);
    IP4_ADDR(&cfg->gw, 10, 0, 2, 2);
    IP4_ADDR(&cfg->dns, 10, 0, 2, 3);
    cfg->dhcp_wait_ms = 5000;
    cfg->hostname = "mxprobe";
}

static void use_static(struct mxp_lwip *ctx)
{
    netif_set_addr(&ctx->netif, &ctx->cfg.ip, &ctx->cfg.netmask, &ctx->cfg.gw);
    ip_addr_t dns;
    ip_addr_copy_from_ip4(dns, ctx->cfg.dns);
    dns_setserver(0, &dns);
    ctx->mode = MXP_LWIP_ADDR_STATIC;
}

static void update_addressing(struct mxp_lwip *ctx)
{
    if (ctx->mode != MXP_LWIP_ADDR_DHCP_WAIT)
        return;
    if (dhcp_supplied_address(&ctx->netif)) {
        /* A lease without a DNS option still needs a resolver. */
        if (ip_addr_isany(dns_getserver(0))) {
            ip_addr_t dns;
            ip_addr_copy_from_ip4(dns, ctx->cfg.dns);
            dns_setserver(0, &dns);
        }
        ctx->mode = MXP_LWIP_ADDR_DHCP;
    } else if (elapsed(ctx->dhcp_start_ms, ctx->cfg.dhcp_wait_ms)) {
        /* Stop DHCP so a late lease cannot replace the address under open
         * connections. */
        dhcp_release_and_stop(&ctx->netif);
        use_static(ctx);
    }
}

void mxp_lwip_poll(struct mxp_lwip *ctx)
{
    mxp_board_netif_poll(&ctx->netif);
#if LWIP_NETIF_LOOPBACK
    netif_poll(&ctx->netif);
#endif
    sys_check_timeouts();
    update_addressing(ctx);
}

mxp_err mxp_lwip_init(struct mxp_lwip *ctx, const struct mxp_lwip_config *cfg)
{
    if (mxp_lwip_instance != NULL)
        return MXP_ERR(MXP_E_USAGE, 0); /* lwIP's globals allow one instance */
    memset(ctx, 0, sizeof *ctx);
    if (cfg != NULL)
        ctx->cfg = *cfg;
    else
        mxp_lwip_config_defaults(&ctx->cfg);
    for (size_t i = 0; i < MXP_LWIP_SOCKETS; i++)
        ctx->socks[i].owner = ctx;

    /* Not entropy: only makes DNS ids and first ports differ between boots. */
    uint8_t mac[6];
    uint32_t seed = mxp_board_millis();
    mxp_board_mac(mac);
    for (size_t i = 0; i < sizeof mac; i++)
        seed = seed * 31u + mac[i];
    uint8_t extra[4];
    (void)mxp_board_entropy(extra, sizeof extra);
    seed ^= (uint32_t)extra[0] | (uint32_t)extra[1] << 8 | (uint32_t)extra[2] << 16 |
            (uint32_t)extra[3] << 24;
    mxp_lwip_rand_seed(seed);

    lwip_init();
    mxp_lwip_instance = ctx;

    bool dhcp = ctx->cfg.dhcp_wait_ms > 0;
    if (netif_add(&ctx->netif, NULL, NULL, NULL, ctx, mxp_board_netif_init, ethernet_input) ==
        NULL) {
        return MXP_ERR(MXP_E_IO, ERR_IF);
    }
#if LWIP_NETIF_HOSTNAME
    netif_set_hostname(&ctx->netif, ctx->cfg.hostname);
#endif
    netif_set_default(&ctx->netif);
    netif_set_up(&ctx->netif);
    if (!dhcp) {
        use_static(ctx);
        return MXP_SUCCESS;
    }
    err_t e = dhcp_start(&ctx->netif);
    ctx->dhcp_start_ms = mxp_board_millis();
    ctx->mode = MXP_LWIP_ADDR_DHCP_WAIT;
    if (e != ERR_OK) {
        use_static(ctx);
        return MXP_SUCCESS;
    }
    while (ctx->mode == MXP_LWIP_ADDR_DHCP_WAIT)
        mxp_lwip_poll(ctx);
    return MXP_SUCCESS;
}

static void put_ip4(struct mxp_addr *out, const ip4_addr_t *a)
{
    memset(out, 0, sizeof *out);
    out->family = MXP_AF_INET;
    memcpy(out->bytes, &a->addr, 4); /* ip4_addr_t holds network order */
}

void mxp_lwip_get_status(const struct mxp_lwip *ctx, struct mxp_lwip_status *out)
{
    memset(out, 0, sizeof *out);
    const struct netif *n = &ctx->netif;
    put_ip4(&out->ip, netif_ip4_addr(n));
    put_ip4(&out->netmask, netif_ip4_netmask(n));
    put_ip4(&out->gateway, netif_ip4_gw(n));
    put_ip4(&out->dns, ip_2_ip4(dns_getserver(0)));
    out->link_up = ctx->mode != MXP_LWIP_ADDR_NONE && netif_is_link_up(n);
    out->dhcp = ctx->mode == MXP_LWIP_ADDR_DHCP;
    out->configured = !ip4_addr_isany_val(*netif_ip4_addr(n));
}

const char *mxp_lwip_mode_name(const struct mxp_lwip *ctx)
{
    switch (ctx->mode) {
    case MXP_LWIP_ADDR_DHCP_WAIT:
        return "dhcp-wait";
    case MXP_LWIP_ADDR_DHCP:
        return "dhcp";
    case MXP_LWIP_ADDR_STATIC:
        return "static";
    default:
        return "none";
    }
}

/* ---- name resolution ------------------------------------------------------------ */

/* Strict dotted quad as inet_pton accepts it: ip4addr_aton alone would also
 * take "1.2", hex and octal ("010.0.0.1" = 8.0.0.1), unlike the Linux port. */
static bool is_dotted_quad(const char *s)
{
    int parts = 0;
    while (parts < 4) {
        unsigned v = 0;
        int digits = 0;
        while (*s >= '0' && *s <= '9') {
            if (digits == 1 && v == 0)
                return false; /* leading zero */
            v = v * 10u + (unsigned)(*s - '0');
            if (v > 255)
                return false;
            digits++;
            s++;
        }
        if (digits == 0)
            return false;
        parts++;
        if (parts < 4) {
            if (*s != '.')
                return false;
            s++;
        }
    }
    return *s == '\0';
}

static void dns_found(const char *name, const ip_addr_t *ipaddr, void *arg)
{
    struct mxp_lwip *ctx = arg;
    /* A query abandoned at its deadline may still answer: ignore it unless it
     * is for the name being resolved now. */
    if (ctx->dns.host == NULL || ctx->dns.done || lwip_stricmp(name, ctx->dns.host) != 0)
        return;
    ctx->dns.done = true;
    ctx->dns.found = ipaddr != NULL && IP_IS_V4(ipaddr);
    if (ctx->dns.found)
        ip_addr_copy(ctx->dns.addr, *ipaddr);
}

static mxp_err lwip_resolve(void *vctx, const char *host, struct mxp_addr *out, size_t cap,
                            size_t *n_out, uint32_t timeout_ms)
{
    struct mxp_lwip *ctx = vctx;
    *n_out = 0;
    if (cap == 0 || host == NULL || host[0] == '\0')
        return MXP_ERR(MXP_E_USAGE, 0);
    if (is_dotted_quad(host)) {
        ip4_addr_t a;
        if (!ip4addr_aton(host, &a))
            return MXP_ERR(MXP_E_USAGE, 0);
        put_ip4(out, &a);
        *n_out = 1;
        return MXP_SUCCESS;
    }
    if (strchr(host, ':') != NULL)
        return MXP_ERR(MXP_E_UNSUPPORTED, 0); /* IPv6 literal: this stack is IPv4 only */

    ip_addr_t addr;
    ctx->dns.host = host;
    ctx->dns.done = false;
    ctx->dns.found = false;
    err_t e = dns_gethostbyname(host, &addr, dns_found, ctx);
    if (e == ERR_INPROGRESS) {
        uint32_t start = mxp_board_millis();
        while (!ctx->dns.done && !elapsed(start, timeout_ms))
            mxp_lwip_poll(ctx);
        if (ctx->dns.done) {
            e = ctx->dns.found ? ERR_OK : ERR_VAL;
            addr = ctx->dns.addr;
        } else {
            e = ERR_TIMEOUT;
        }
    }
    ctx->dns.host = NULL;
    switch (e) {
    case ERR_OK:
        put_ip4(out, ip_2_ip4(&addr));
        *n_out = 1;
        return MXP_SUCCESS;
    case ERR_TIMEOUT:
        return MXP_ERR(MXP_E_TIMEOUT, (int)timeout_ms);
    case ERR_VAL:
        /* lwIP reports NXDOMAIN, no A record and its own retry exhaustion
         * alike (a NULL address): no finer cause is available. */
        return MXP_ERR(MXP_E_DNS_FAIL, 0);
    case ERR_MEM:
        return MXP_ERR(MXP_E_NOMEM, e); /* all DNS_TABLE_SIZE entries busy */
    default:
        return MXP_ERR(MXP_E_DNS_FAIL, e); /* ERR_ARG: bad name or no server */
    }
}

/* ---- TCP callbacks ----------------------------------------------------------------- */

static mxp_err from_lwip_err(err_t e, bool connecting)
{
    switch (e) {
    case ERR_RST:
        /* A RST answering our SYN is a refusal, as ECONNREFUSED on Linux. */
        return connecting ? MXP_ERR(MXP_E_TCP_REFUSED, e) : MXP_ERR(MXP_E_TCP_RESET, e);
    case ERR_ABRT:
        /* lwIP aborts a connect after TCP_SYNMAXRTX unanswered SYNs (Linux:
         * ETIMEDOUT), an established connection after TCP_MAXRTX
         * retransmissions or to reclaim its pcb. */
        return connecting ? MXP_ERR(MXP_E_TIMEOUT, 0) : MXP_ERR(MXP_E_TCP_CLOSED, e);
    case ERR_CLSD:
        return MXP_ERR(MXP_E_TCP_CLOSED, e);
    case ERR_RTE:
        return MXP_ERR(MXP_E_TCP_UNREACHABLE, e);
    case ERR_MEM:
    case ERR_BUF:
        return MXP_ERR(MXP_E_NOMEM, e);
    default:
        return MXP_ERR(MXP_E_TCP, e);
    }
}

static void on_err(void *arg, err_t e)
{
    struct mxp_lwip_sock *sock = arg;
    if (sock == NULL)
        return;
    sock->pcb = NULL; /* already freed by lwIP */
    if (mxp_ok(sock->err))
        sock->err = from_lwip_err(e, sock->state == SOCK_CONNECTING);
    if (sock->state == SOCK_CONNECTING)
        sock->state = SOCK_FAILED;
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t e)
{
    struct mxp_lwip_sock *sock = arg;
    (void)e; /* always ERR_OK in lwIP 2.1 */
    sock->state = SOCK_CONNECTED;
    /* Our own segments respect the clamp too (the peer's MSS option may be
     * larger than the path allows). */
    if (sock->mss_clamp != 0 && pcb->mss > sock->mss_clamp)
        pcb->mss = sock->mss_clamp;
    return ERR_OK;
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t e)
{
    struct mxp_lwip_sock *sock = arg;
    (void)pcb;
    if (p == NULL) {
        sock->fin = true;
        return ERR_OK;
    }
    if (e != ERR_OK || p->tot_len == 0) { /* not produced by lwIP 2.1; drop defensively */
        pbuf_free(p);
        return ERR_OK;
    }
    if (sock->rxq == NULL) {
        sock->rxq = p;
    } else {
        /* The window (TCP_WND < 64 KB) bounds what we hold, but pbuf chain
         * lengths are u16_t: refuse rather than wrap; lwIP redelivers later. */
        if ((uint32_t)sock->rxq->tot_len + p->tot_len > 0xffffu)
            return ERR_MEM;
        pbuf_cat(sock->rxq, p);
    }
    return ERR_OK;
}

u32_t *mxp_lwip_hook_tcp_opts(struct pbuf *p, struct tcp_hdr *hdr, const struct tcp_pcb *pcb,
                              u32_t *opts)
{
    (void)p;
    struct mxp_lwip *ctx = mxp_lwip_instance;
    if (ctx == NULL || pcb == NULL || (TCPH_FLAGS(hdr) & TCP_SYN) == 0)
        return opts;
    /* Only our own sockets: the arg of any other pcb is not a socket. */
    uintptr_t arg = (uintptr_t)pcb->callback_arg;
    if (arg < (uintptr_t)&ctx->socks[0] || arg >= (uintptr_t)&ctx->socks[MXP_LWIP_SOCKETS])
        return opts;
    const struct mxp_lwip_sock *sock = pcb->callback_arg;
    if (sock->mss_clamp == 0)
        return opts;
    /* lwIP writes the MSS option first on a SYN: kind 2, length 4, value. */
    u8_t *o = (u8_t *)(hdr + 1);
    if ((u8_t *)opts < o + 4 || o[0] != 2 || o[1] != 4)
        return opts;
    u16_t mss = (u16_t)((o[2] << 8) | o[3]);
    if (sock->mss_clamp < mss) {
        o[2] = (u8_t)(sock->mss_clamp >> 8);
        o[3] = (u8_t)sock->mss_clamp;
    }
    return opts;
}

/* ---- sockets ---------------------------------------------------------------------- */

static struct mxp_lwip_sock *get_sock(struct mxp_lwip *ctx, mxp_sock s)
{
    if (s < 0 || s >= MXP_LWIP_SOCKETS || ctx->socks[s].state == SOCK_FREE)
        return NULL;
    return &ctx->socks[s];
}

static void detach(struct tcp_pcb *pcb)
{
    tcp_arg(pcb, NULL);
    tcp_recv(pcb, NULL); /* lwIP's default then acknowledges and drops data */
    tcp_sent(pcb, NULL);
    tcp_err(pcb, NULL);
}

static mxp_err lwip_connect(void *vctx, const struct mxp_addr *to, uint16_t port, mxp_sock *out)
{
    struct mxp_lwip *ctx = vctx;
    *out = MXP_SOCK_NONE;
    if (to->family == MXP_AF_INET6)
        return MXP_ERR(MXP_E_TCP_UNREACHABLE, 0); /* no IPv6 in this stack */
    if (to->family != MXP_AF_INET)
        return MXP_ERR(MXP_E_USAGE, 0);
    mxp_sock s = 0;
    while (s < MXP_LWIP_SOCKETS && ctx->socks[s].state != SOCK_FREE)
        s++;
    if (s == MXP_LWIP_SOCKETS)
        return MXP_ERR(MXP_E_CAPACITY, 0);
    struct mxp_lwip_sock *sock = &ctx->socks[s];

    struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
    if (pcb == NULL)
        return MXP_ERR(MXP_E_NOMEM, ERR_MEM);
    memset(sock, 0, sizeof *sock);
    sock->owner = ctx;
    sock->pcb = pcb;
    sock->state = SOCK_CONNECTING;
    sock->mss_clamp = ctx->next_mss;
    /* SMTP commands are single small writes; do not let Nagle delay them. */
    tcp_nagle_disable(pcb);
    tcp_arg(pcb, sock);
    tcp_recv(pcb, on_recv);
    tcp_err(pcb, on_err);

    ip_addr_t dst;
    ip_addr_set_zero_ip4(&dst);
    memcpy(&ip_2_ip4(&dst)->addr, to->bytes, 4);
    err_t e = tcp_connect(pcb, &dst, port, on_connected);
    if (e != ERR_OK) {
        detach(pcb);
        tcp_abort(pcb);
        memset(sock, 0, sizeof *sock);
        sock->owner = ctx;
        return from_lwip_err(e, true);
    }
    *out = s;
    return MXP_SUCCESS;
}

static mxp_err lwip_connect_result(void *vctx, mxp_sock s)
{
    struct mxp_lwip_sock *sock = get_sock(vctx, s);
    if (sock == NULL)
        return MXP_ERR(MXP_E_USAGE, 0);
    if (!mxp_ok(sock->err))
        return sock->err;
    return sock->state == SOCK_CONNECTED ? MXP_SUCCESS : MXP_ERR(MXP_E_WOULD_BLOCK, 0);
}

static bool can_send(const struct tcp_pcb *pcb)
{
    return tcp_sndbuf(pcb) > 0 && tcp_sndqueuelen(pcb) < TCP_SND_QUEUELEN;
}

static mxp_err lwip_send(void *vctx, mxp_sock s, const void *buf, size_t len, size_t *sent)
{
    struct mxp_lwip_sock *sock = get_sock(vctx, s);
    *sent = 0;
    if (sock == NULL)
        return MXP_ERR(MXP_E_USAGE, 0);
    if (!mxp_ok(sock->err))
        return sock->err;
    if (sock->state == SOCK_CONNECTING)
        return MXP_ERR(MXP_E_WOULD_BLOCK, 0);
    if (sock->pcb == NULL)
        return MXP_ERR(MXP_E_TCP_CLOSED, 0);
    if (len == 0)
        return MXP_SUCCESS;
    if (!can_send(sock->pcb))
        return MXP_ERR(MXP_E_WOULD_BLOCK, 0);
    u16_t n = tcp_sndbuf(sock->pcb);
    if (len < n)
        n = (u16_t)len;
    /* ERR_MEM: no heap or segment for this much right now; try less before
     * telling the caller to wait. */
    err_t e;
    while ((e = tcp_write(sock->pcb, buf, n, TCP_WRITE_FLAG_COPY)) == ERR_MEM && n > 64)
        n /= 2;
    if (e == ERR_MEM)
        return MXP_ERR(MXP_E_WOULD_BLOCK, 0);
    if (e == ERR_CONN)
        return MXP_ERR(MXP_E_TCP_CLOSED, e); /* we already closed our side */
    if (e != ERR_OK)
        return from_lwip_err(e, false);
    *sent = n;
    /* Push it now; if the NIC is busy, lwIP's timers retry. */
    (void)tcp_output(sock->pcb);
    return MXP_SUCCESS;
}

static mxp_err lwip_recv(void *vctx, mxp_sock s, void *buf, size_t cap, size_t *got)
{
    struct mxp_lwip_sock *sock = get_sock(vctx, s);
    *got = 0;
    if (sock == NULL)
        return MXP_ERR(MXP_E_USAGE, 0);
    if (cap == 0)
        return MXP_SUCCESS;
    /* Data that arrived before a FIN or RST is delivered first. */
    if (sock->rxq != NULL) {
        u16_t n = sock->rxq->tot_len;
        if (cap < n)
            n = (u16_t)cap;
        n = pbuf_copy_partial(sock->rxq, buf, n, 0);
        sock->rxq = pbuf_free_header(sock->rxq, n);
        if (sock->rxq != NULL && sock->rxq->tot_len == 0) {
            /* A trailing empty pbuf would keep the socket "readable" forever. */
            pbuf_free(sock->rxq);
            sock->rxq = NULL;
        }
        /* Reopen the window by exactly what the application consumed. */
        if (sock->pcb != NULL)
            tcp_recved(sock->pcb, n);
        *got = n;
        return MXP_SUCCESS;
    }
    if (!mxp_ok(sock->err))
        return sock->err;
    if (sock->fin || sock->pcb == NULL)
        return MXP_ERR(MXP_E_TCP_CLOSED, 0);
    return MXP_ERR(MXP_E_WOULD_BLOCK, 0);
}

/* ---- UDP ------------------------------------------------------------------------- */

static struct mxp_lwip_udp *get_udp(struct mxp_lwip *ctx, mxp_sock s)
{
    if (s < MXP_LWIP_SOCKETS || s >= MXP_LWIP_SOCKETS + MXP_LWIP_UDP_SOCKETS ||
        ctx->udp[s - MXP_LWIP_SOCKETS].pcb == NULL)
        return NULL;
    return &ctx->udp[s - MXP_LWIP_SOCKETS];
}

static void on_udp_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
                        u16_t port)
{
    struct mxp_lwip_udp *u = arg;
    (void)pcb;
    /* Bounded, so a flood of datagrams cannot take the pool from TCP. */
    if (u->count == MXP_LWIP_UDP_QUEUE) {
        u->dropped++;
        pbuf_free(p);
        return;
    }
    unsigned i = (u->head + u->count) % MXP_LWIP_UDP_QUEUE;
    u->q[i].p = p;
    ip4_addr_copy(u->q[i].from, *ip_2_ip4(addr));
    u->q[i].port = port;
    u->count++;
}

static mxp_err lwip_udp_open(void *vctx, uint8_t family, mxp_sock *out)
{
    struct mxp_lwip *ctx = vctx;
    *out = MXP_SOCK_NONE;
    if (family == MXP_AF_INET6)
        return MXP_ERR(MXP_E_UNSUPPORTED, 0); /* no IPv6 in this stack */
    if (family != MXP_AF_INET)
        return MXP_ERR(MXP_E_USAGE, 0);
    size_t i = 0;
    while (i < MXP_LWIP_UDP_SOCKETS && ctx->udp[i].pcb != NULL)
        i++;
    if (i == MXP_LWIP_UDP_SOCKETS)
        return MXP_ERR(MXP_E_CAPACITY, 0);
    struct udp_pcb *pcb = udp_new_ip_type(IPADDR_TYPE_V4);
    if (pcb == NULL)
        return MXP_ERR(MXP_E_NOMEM, ERR_MEM);
    /* A random source port (RFC 5452), as lwIP's resolver takes: the
     * ephemeral ones are handed out in sequence. */
    err_t e;
    int tries = 0;
    do {
        e = udp_bind(pcb, IP4_ADDR_ANY, (u16_t)(0xc000u | (mxp_lwip_rand() & 0x3fffu)));
    } while (e == ERR_USE && ++tries < 8);
    if (e != ERR_OK)
        e = udp_bind(pcb, IP4_ADDR_ANY, 0);
    if (e != ERR_OK) {
        udp_remove(pcb);
        return from_lwip_err(e, false);
    }
    struct mxp_lwip_udp *u = &ctx->udp[i];
    memset(u, 0, sizeof *u);
    u->pcb = pcb;
    udp_recv(pcb, on_udp_recv, u);
    *out = (mxp_sock)(MXP_LWIP_SOCKETS + i);
    return MXP_SUCCESS;
}

static mxp_err lwip_udp_send(void *vctx, mxp_sock s, const struct mxp_addr *to, uint16_t port,
                             const void *buf, size_t len)
{
    struct mxp_lwip_udp *u = get_udp(vctx, s);
    if (u == NULL || to->family != MXP_AF_INET || len > 0xffffu - 28u)
        return MXP_ERR(MXP_E_USAGE, 0);
    struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)len, PBUF_RAM);
    if (p == NULL)
        return MXP_ERR(MXP_E_WOULD_BLOCK, 0); /* the heap is full for now */
    (void)pbuf_take(p, buf, (u16_t)len);
    ip_addr_t dst;
    ip_addr_set_zero_ip4(&dst);
    memcpy(&ip_2_ip4(&dst)->addr, to->bytes, 4);
    err_t e = udp_sendto(u->pcb, p, &dst, port);
    pbuf_free(p);
    if (e == ERR_OK)
        return MXP_SUCCESS;
    if (e == ERR_MEM || e == ERR_BUF)
        return MXP_ERR(MXP_E_WOULD_BLOCK, 0);
    return from_lwip_err(e, false); /* ERR_RTE: no route, MXP_E_TCP_UNREACHABLE */
}

static mxp_err lwip_udp_recv(void *vctx, mxp_sock s, void *buf, size_t cap, size_t *got,
                             struct mxp_addr *from, uint16_t *from_port)
{
    struct mxp_lwip_udp *u = get_udp(vctx, s);
    *got = 0;
    if (u == NULL)
        return MXP_ERR(MXP_E_USAGE, 0);
    if (u->count == 0)
        return MXP_ERR(MXP_E_WOULD_BLOCK, 0);
    struct pbuf *p = u->q[u->head].p;
    u16_t n = p->tot_len;
    if (cap < n)
        n = (u16_t)cap; /* the rest of the datagram is dropped */
    *got = pbuf_copy_partial(p, buf, n, 0);
    if (from != NULL)
        put_ip4(from, &u->q[u->head].from);
    if (from_port != NULL)
        *from_port = u->q[u->head].port;
    pbuf_free(p);
    u->q[u->head].p = NULL;
    u->head = (uint8_t)((u->head + 1u) % MXP_LWIP_UDP_QUEUE);
    u->count--;
    return MXP_SUCCESS;
}

static void close_udp(struct mxp_lwip_udp *u)
{
    udp_remove(u->pcb);
    for (unsigned i = 0; i < u->count; i++)
        pbuf_free(u->q[(u->head + i) % MXP_LWIP_UDP_QUEUE].p);
    memset(u, 0, sizeof *u);
}

/* The resolvers DHCP gave (or the static/fallback one), in lwIP's order. */
static mxp_err lwip_dns_servers(void *vctx, struct mxp_addr *out, size_t cap, size_t *n_out)
{
    (void)vctx;
    *n_out = 0;
    if (cap == 0)
        return MXP_ERR(MXP_E_USAGE, 0);
    for (u8_t i = 0; i < DNS_MAX_SERVERS && *n_out < cap; i++) {
        const ip_addr_t *a = dns_getserver(i);
        if (!ip_addr_isany(a))
            put_ip4(&out[(*n_out)++], ip_2_ip4(a));
    }
    return MXP_SUCCESS;
}

/* ---- readiness, close ------------------------------------------------------------- */

static uint8_t readiness(struct mxp_lwip *ctx, mxp_sock s, uint8_t want)
{
    const struct mxp_lwip_udp *u = get_udp(ctx, s);
    if (u != NULL) /* a datagram is sent at once or refused: always "writable" */
        return (uint8_t)(((u->count > 0 ? MXP_IO_READ : 0) | MXP_IO_WRITE) & want);
    const struct mxp_lwip_sock *sock = get_sock(ctx, s);
    if (sock == NULL)
        return want; /* the error surfaces on the next call */
    if (!mxp_ok(sock->err) || sock->pcb == NULL)
        return want;
    uint8_t r = 0;
    if (sock->rxq != NULL || sock->fin)
        r |= MXP_IO_READ;
    if (sock->state == SOCK_CONNECTED && can_send(sock->pcb))
        r |= MXP_IO_WRITE;
    return r & want;
}

static mxp_err lwip_wait(void *vctx, struct mxp_wait_item *items, size_t n, uint32_t timeout_ms)
{
    struct mxp_lwip *ctx = vctx;
    uint32_t start = mxp_board_millis();
    for (;;) {
        /* Poll first: a caller looping on wait(0) must still move frames. */
        mxp_lwip_poll(ctx);
        bool any = false;
        for (size_t i = 0; i < n; i++) {
            items[i].ready = readiness(ctx, items[i].sock, items[i].want);
            any = any || items[i].ready != 0;
        }
        if (any || elapsed(start, timeout_ms))
            return MXP_SUCCESS;
    }
}

static void lwip_close(void *vctx, mxp_sock s, bool abort_conn)
{
    struct mxp_lwip *ctx = vctx;
    struct mxp_lwip_udp *u = get_udp(ctx, s);
    if (u != NULL) {
        close_udp(u);
        return;
    }
    struct mxp_lwip_sock *sock = get_sock(ctx, s);
    if (sock == NULL)
        return;
    struct tcp_pcb *pcb = sock->pcb;
    if (pcb != NULL) {
        detach(pcb);
        if (abort_conn) {
            tcp_abort(pcb);
        } else {
            /* Unread data makes lwIP (like Linux) answer close with RST;
             * count it as consumed so the peer sees an orderly FIN. */
            if (sock->rxq != NULL && sock->state == SOCK_CONNECTED)
                tcp_recved(pcb, sock->rxq->tot_len);
            /* A peer that never sends its FIN (a tarpit) leaves the pcb in
             * FIN_WAIT_2 for TCP_FIN_WAIT_TIMEOUT (20 s), and the pool only
             * has room for our sockets plus two. At the lowest priority it
             * is the first pcb lwIP's tcp_alloc() resets when a connect
             * finds the pool empty (tcp_kill_prio), instead of that connect
             * failing for want of memory. */
            tcp_setprio(pcb, TCP_PRIO_MIN);
            if (tcp_close(pcb) != ERR_OK)
                tcp_abort(pcb); /* no memory for the FIN segment */
        }
    }
    if (sock->rxq != NULL)
        pbuf_free(sock->rxq);
    memset(sock, 0, sizeof *sock);
    sock->owner = ctx;
}

static mxp_err lwip_set_mss(void *vctx, uint16_t mss)
{
    struct mxp_lwip *ctx = vctx;
    /* RFC 879/1122 minimum is 536 on IPv4; smaller values still work with
     * lwIP but a peer may ignore them. 0 restores the default. */
    if (mss != 0 && mss < 64)
        return MXP_ERR(MXP_E_USAGE, 0);
    ctx->next_mss = mss;
    return MXP_SUCCESS;
}

const struct mxp_hal_net_api mxp_lwip_net_api = {
    .resolve = lwip_resolve,
    .connect = lwip_connect,
    .connect_result = lwip_connect_result,
    .send = lwip_send,
    .recv = lwip_recv,
    .wait = lwip_wait,
    .close = lwip_close,
    .set_mss = lwip_set_mss,
    .udp_open = lwip_udp_open,
    .udp_send = lwip_udp_send,
    .udp_recv = lwip_udp_recv,
    .dns_servers = lwip_dns_servers,
};
