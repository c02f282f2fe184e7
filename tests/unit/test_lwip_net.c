/*
 * The lwIP network HAL (port/lwip/mxp_lwip_net.c) driven through its ops,
 * against lwIP 2.1.3 built for the host with loopback to the netif's own
 * address (MXP_LWIP_HOST_TEST): the "peer" is a raw-API TCP listener, a UDP
 * DNS server and a UDP echo service on the same stack, so every byte crosses
 * real lwIP TCP/UDP/IP code in-process. The board is faked here: a clock that advances 1 ms on
 * every read, and an Ethernet netif whose frames go nowhere (no DHCP server,
 * no ARP answers) and are only counted.
 *
 * lwIP's state is global, so the stack is initialised once for the group and
 * each test closes everything it opened.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lwip/dns.h"
#include "lwip/etharp.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"

#include "mxp_board.h"
#include "mxp_hal.h"
#include "mxp_lwip.h"

#define SERVER_PORT 2525
#define CLOSED_PORT 2626
#define ECHO_PORT 7

/* ---- fake board ------------------------------------------------------------ */

static uint32_t fake_now = 1000;
static unsigned frames_out;  /* frames handed to the "wire" */
static unsigned dhcp_frames; /* of which UDP to port 67 */

uint32_t mxp_board_millis(void)
{
    return fake_now++;
}

void mxp_board_mac(uint8_t mac[6])
{
    static const uint8_t m[6] = {0x02, 0x00, 0x00, 0x12, 0x34, 0x56};
    memcpy(mac, m, 6);
}

bool mxp_board_entropy(uint8_t *buf, size_t len)
{
    memset(buf, 0x5a, len);
    return false;
}

void mxp_board_console_write(const char *buf, size_t len)
{
    (void)fwrite(buf, 1, len, stderr);
}

static err_t wire_output(struct netif *netif, struct pbuf *p)
{
    (void)netif;
    uint8_t h[14 + 20 + 4];
    frames_out++;
    if (pbuf_copy_partial(p, h, sizeof h, 0) == sizeof h && h[12] == 0x08 && h[13] == 0x00 &&
        h[14 + 9] == 17 && h[14 + 20 + 2] == 0 && h[14 + 20 + 3] == 67)
        dhcp_frames++;
    return ERR_OK;
}

signed char mxp_board_netif_init(struct netif *netif)
{
    netif->name[0] = 't';
    netif->name[1] = '0';
    netif->mtu = 1500;
    netif->hwaddr_len = 6;
    mxp_board_mac(netif->hwaddr);
    netif->flags =
        NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_LINK_UP;
    netif->output = etharp_output;
    netif->linkoutput = wire_output;
    return ERR_OK;
}

void mxp_board_netif_poll(struct netif *netif)
{
    (void)netif; /* nothing ever arrives from the wire */
}

/* ---- the peer: a raw-API TCP server on the same stack ------------------------ */

#define SERVER_CONNS 8
static struct server {
    struct tcp_pcb *listener;
    struct tcp_pcb *conns[SERVER_CONNS]; /* accepted, still ours */
    struct tcp_pcb *conn;                /* the latest one */
    bool consume;                        /* tcp_recved what arrives */
    uint8_t rx[65536];
    size_t rx_len, rx_unacked;
    bool fin;
    bool errored;
    err_t err;
    const uint8_t *tx; /* pumped out as the send buffer allows */
    size_t tx_len, tx_off;
} srv;

static void srv_forget(struct tcp_pcb *pcb)
{
    for (int i = 0; i < SERVER_CONNS; i++) {
        if (srv.conns[i] == pcb)
            srv.conns[i] = NULL;
    }
    if (srv.conn == pcb)
        srv.conn = NULL;
}

static void srv_pump(void)
{
    if (srv.conn == NULL)
        return;
    while (srv.tx_off < srv.tx_len && tcp_sndbuf(srv.conn) > 0) {
        size_t n = srv.tx_len - srv.tx_off;
        if (n > tcp_sndbuf(srv.conn))
            n = tcp_sndbuf(srv.conn);
        if (tcp_write(srv.conn, srv.tx + srv.tx_off, (u16_t)n, TCP_WRITE_FLAG_COPY) != ERR_OK)
            break;
        srv.tx_off += n;
    }
    (void)tcp_output(srv.conn);
}

static err_t srv_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t e)
{
    (void)arg;
    (void)e;
    if (p == NULL) {
        srv.fin = true;
        return ERR_OK;
    }
    size_t room = sizeof srv.rx - srv.rx_len;
    srv.rx_len += pbuf_copy_partial(p, srv.rx + srv.rx_len,
                                    (u16_t)(p->tot_len < room ? p->tot_len : room), 0);
    if (srv.consume)
        tcp_recved(pcb, p->tot_len);
    else
        srv.rx_unacked += p->tot_len;
    pbuf_free(p);
    return ERR_OK;
}

static err_t srv_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
    (void)arg;
    (void)pcb;
    (void)len;
    srv_pump();
    return ERR_OK;
}

static void srv_err(void *arg, err_t e)
{
    struct tcp_pcb *pcb = arg; /* already freed: only used as a key */
    srv_forget(pcb);
    srv.errored = true;
    srv.err = e;
}

static err_t srv_accept(void *arg, struct tcp_pcb *pcb, err_t e)
{
    (void)arg;
    if (e != ERR_OK || pcb == NULL)
        return ERR_VAL;
    for (int i = 0; i < SERVER_CONNS; i++) {
        if (srv.conns[i] == NULL) {
            srv.conns[i] = pcb;
            break;
        }
    }
    srv.conn = pcb;
    tcp_arg(pcb, pcb);
    tcp_recv(pcb, srv_recv);
    tcp_sent(pcb, srv_sent);
    tcp_err(pcb, srv_err);
    return ERR_OK;
}

static void srv_detach(struct tcp_pcb *pcb)
{
    tcp_arg(pcb, NULL);
    tcp_recv(pcb, NULL);
    tcp_sent(pcb, NULL);
    tcp_err(pcb, NULL);
    srv_forget(pcb);
}

static void srv_send(const void *data, size_t len)
{
    srv.tx = data;
    srv.tx_len = len;
    srv.tx_off = 0;
    srv_pump();
}

/* ---- the peer: a DNS server on the same stack ---------------------------------- */

static struct dns_server {
    struct udp_pcb *pcb;
    unsigned queries;
    uint8_t held[512]; /* the query for slow.example, answered on demand */
    size_t held_len;
    ip_addr_t held_addr;
    u16_t held_port;
} dnssrv;

/* Answer `q` (a query of qlen bytes) with rcode and, if addr, one A record. */
static void dns_answer(const uint8_t *q, size_t qlen, const ip_addr_t *to, u16_t port,
                       uint8_t rcode, const uint8_t *addr)
{
    uint8_t r[600];
    size_t n = qlen;
    memcpy(r, q, qlen);
    r[2] = 0x81; /* QR, RD */
    r[3] = (uint8_t)(0x80 | rcode);
    r[6] = 0;
    r[7] = addr != NULL ? 1 : 0; /* ANCOUNT */
    r[8] = r[9] = r[10] = r[11] = 0;
    if (addr != NULL) {
        static const uint8_t rr[] = {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4};
        memcpy(r + n, rr, sizeof rr);
        n += sizeof rr;
        memcpy(r + n, addr, 4);
        n += 4;
    }
    struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)n, PBUF_RAM);
    assert_non_null(p);
    assert_int_equal(pbuf_take(p, r, (u16_t)n), ERR_OK);
    assert_int_equal(udp_sendto(dnssrv.pcb, p, to, port), ERR_OK);
    pbuf_free(p);
}

static void dnssrv_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *from,
                        u16_t port)
{
    (void)arg;
    (void)pcb;
    uint8_t q[512];
    size_t n = pbuf_copy_partial(p, q, sizeof q, 0);
    pbuf_free(p);
    dnssrv.queries++;
    /* Question name in presentation form, only as far as this test needs. */
    char name[256];
    size_t at = 12, o = 0;
    while (at < n && q[at] != 0 && o + q[at] + 1 < sizeof name) {
        if (o > 0)
            name[o++] = '.';
        memcpy(name + o, q + at + 1, q[at]);
        o += q[at];
        at += (size_t)q[at] + 1;
    }
    name[o] = '\0';
    size_t qlen = at + 1 + 4; /* root label, QTYPE, QCLASS */
    assert_true(qlen <= n);
    static const uint8_t mx[4] = {192, 0, 2, 7};
    if (strcmp(name, "mx.example") == 0) {
        dns_answer(q, qlen, from, port, 0, mx);
    } else if (strcmp(name, "nx.example") == 0) {
        dns_answer(q, qlen, from, port, 3, NULL); /* NXDOMAIN */
    } else if (strcmp(name, "slow.example") == 0) {
        memcpy(dnssrv.held, q, qlen);
        dnssrv.held_len = qlen;
        ip_addr_copy(dnssrv.held_addr, *from);
        dnssrv.held_port = port;
    }
}

/* ---- the peer: a UDP echo service on the same stack ---------------------------- */

static struct udp_pcb *echo_pcb;
static unsigned echo_seen;

static void echo_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *from,
                      u16_t port)
{
    (void)arg;
    echo_seen++;
    assert_int_equal(udp_sendto(pcb, p, from, port), ERR_OK);
    pbuf_free(p);
}

/* The echo service sends len bytes of `fill` to 10.0.2.15:port, unasked. */
static void echo_send_to(u16_t port, size_t len, uint8_t fill)
{
    ip_addr_t self;
    IP_ADDR4(&self, 10, 0, 2, 15);
    struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)len, PBUF_RAM);
    assert_non_null(p);
    memset(p->payload, fill, len);
    assert_int_equal(udp_sendto(echo_pcb, p, &self, port), ERR_OK);
    pbuf_free(p);
}

/* ---- helpers ---------------------------------------------------------------------- */

static struct mxp_lwip net;
static const struct mxp_hal_net_api *api = &mxp_lwip_net_api;

static void drive(uint32_t ms)
{
    assert_true(mxp_ok(api->wait(&net, NULL, 0, ms)));
}

static struct mxp_addr self_addr(void)
{
    struct mxp_addr a;
    memset(&a, 0, sizeof a);
    a.family = MXP_AF_INET;
    a.bytes[0] = 10;
    a.bytes[1] = 0;
    a.bytes[2] = 2;
    a.bytes[3] = 15;
    return a;
}

static uint8_t wait_one(mxp_sock s, uint8_t want, uint32_t timeout_ms)
{
    struct mxp_wait_item it = {.sock = s, .want = want, .ready = 0};
    assert_true(mxp_ok(api->wait(&net, &it, 1, timeout_ms)));
    return it.ready;
}

/* Connect to our own listener and wait until both ends are established. */
static mxp_sock connect_ok(uint16_t port)
{
    struct mxp_addr a = self_addr();
    mxp_sock s = MXP_SOCK_NONE;
    assert_true(mxp_ok(api->connect(&net, &a, port, &s)));
    assert_true(s >= 0 && s < MXP_LWIP_SOCKETS);
    assert_int_equal(wait_one(s, MXP_IO_WRITE, 2000), MXP_IO_WRITE);
    assert_int_equal(api->connect_result(&net, s).code, MXP_OK);
    drive(20); /* let the server side see the final ACK */
    assert_non_null(srv.conn);
    return s;
}

/* Read until `want` bytes arrived or the deadline passes. */
static size_t recv_all(mxp_sock s, uint8_t *buf, size_t want, uint32_t timeout_ms)
{
    size_t got = 0;
    uint32_t start = fake_now;
    while (got < want && fake_now - start < timeout_ms) {
        if (!(wait_one(s, MXP_IO_READ, 100) & MXP_IO_READ))
            continue;
        size_t n = 0;
        mxp_err e = api->recv(&net, s, buf + got, want - got, &n);
        if (!mxp_ok(e))
            break;
        got += n;
    }
    return got;
}

static int group_setup(void **state)
{
    (void)state;
    struct mxp_lwip_config cfg;
    mxp_lwip_config_defaults(&cfg);
    cfg.dhcp_wait_ms = 3000;
    if (!mxp_ok(mxp_lwip_init(&net, &cfg)))
        return -1;
    srv.listener = tcp_new_ip_type(IPADDR_TYPE_V4);
    if (srv.listener == NULL || tcp_bind(srv.listener, IP_ANY_TYPE, SERVER_PORT) != ERR_OK)
        return -1;
    srv.listener = tcp_listen(srv.listener);
    if (srv.listener == NULL)
        return -1;
    tcp_accept(srv.listener, srv_accept);
    dnssrv.pcb = udp_new_ip_type(IPADDR_TYPE_V4);
    if (dnssrv.pcb == NULL || udp_bind(dnssrv.pcb, IP_ANY_TYPE, 53) != ERR_OK)
        return -1;
    udp_recv(dnssrv.pcb, dnssrv_recv, NULL);
    echo_pcb = udp_new_ip_type(IPADDR_TYPE_V4);
    if (echo_pcb == NULL || udp_bind(echo_pcb, IP_ANY_TYPE, ECHO_PORT) != ERR_OK)
        return -1;
    udp_recv(echo_pcb, echo_recv, NULL);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    struct tcp_pcb *listener = srv.listener;
    memset(&srv, 0, sizeof srv);
    srv.listener = listener;
    srv.consume = true;
    return 0;
}

/* Close whatever a test left open on both sides and let the stack settle. */
static int teardown(void **state)
{
    (void)state;
    for (mxp_sock s = 0; s < MXP_LWIP_SOCKETS + MXP_LWIP_UDP_SOCKETS; s++)
        api->close(&net, s, true);
    for (int i = 0; i < SERVER_CONNS; i++) {
        struct tcp_pcb *pcb = srv.conns[i];
        if (pcb != NULL) {
            srv_detach(pcb);
            tcp_abort(pcb);
        }
    }
    drive(50);
    return 0;
}

/* ---- tests -------------------------------------------------------------------------- */

static void test_init_falls_back_to_static(void **state)
{
    (void)state;
    struct mxp_lwip_status st;
    mxp_lwip_get_status(&net, &st);
    assert_true(st.configured);
    assert_false(st.dhcp);
    assert_true(st.link_up);
    assert_string_equal(mxp_lwip_mode_name(&net), "static");
    static const uint8_t ip[4] = {10, 0, 2, 15}, mask[4] = {255, 255, 255, 0},
                         gw[4] = {10, 0, 2, 2}, dns[4] = {10, 0, 2, 3};
    assert_int_equal(st.ip.family, MXP_AF_INET);
    assert_memory_equal(st.ip.bytes, ip, 4);
    assert_memory_equal(st.netmask.bytes, mask, 4);
    assert_memory_equal(st.gateway.bytes, gw, 4);
    assert_memory_equal(st.dns.bytes, dns, 4);
    /* It did ask: DHCP DISCOVERs went out before the fallback. */
    assert_true(dhcp_frames >= 1);
    assert_true(frames_out >= dhcp_frames);
    /* lwIP's globals allow only one instance. */
    struct mxp_lwip other;
    assert_int_equal(mxp_lwip_init(&other, NULL).code, MXP_E_USAGE);
}

static void test_resolve_literals(void **state)
{
    (void)state;
    struct mxp_addr out[2];
    size_t n = 9;
    unsigned q = dnssrv.queries;
    assert_true(mxp_ok(api->resolve(&net, "192.0.2.1", out, 2, &n, 1000)));
    assert_int_equal(n, 1);
    assert_int_equal(out[0].family, MXP_AF_INET);
    static const uint8_t want[4] = {192, 0, 2, 1};
    assert_memory_equal(out[0].bytes, want, 4);
    assert_int_equal(api->resolve(&net, "::1", out, 2, &n, 1000).code, MXP_E_UNSUPPORTED);
    assert_int_equal(n, 0);
    assert_int_equal(api->resolve(&net, "192.0.2.1", out, 0, &n, 1000).code, MXP_E_USAGE);
    assert_int_equal(api->resolve(&net, "", out, 2, &n, 1000).code, MXP_E_USAGE);
    assert_int_equal(dnssrv.queries, q); /* literals never reach the resolver */
}

static void test_resolve_dns(void **state)
{
    (void)state;
    ip_addr_t server;
    IP_ADDR4(&server, 10, 0, 2, 15); /* our own DNS server over loopback */
    dns_setserver(0, &server);

    struct mxp_addr out[1];
    size_t n = 0;
    static const uint8_t mx[4] = {192, 0, 2, 7};
    unsigned q = dnssrv.queries;
    assert_true(mxp_ok(api->resolve(&net, "mx.example", out, 1, &n, 2000)));
    assert_int_equal(n, 1);
    assert_memory_equal(out[0].bytes, mx, 4);
    assert_int_equal(dnssrv.queries, q + 1);
    /* Cached: answered without a query. */
    assert_true(mxp_ok(api->resolve(&net, "MX.example", out, 1, &n, 2000)));
    assert_memory_equal(out[0].bytes, mx, 4);
    assert_int_equal(dnssrv.queries, q + 1);

    /* A negative answer. lwIP does not tell NXDOMAIN from other failures. */
    mxp_err e = api->resolve(&net, "nx.example", out, 1, &n, 2000);
    assert_int_equal(e.code, MXP_E_DNS_FAIL);
    assert_int_equal(n, 0);

    /* No answer within the deadline: MXP_E_TIMEOUT, and the clock moved. */
    uint32_t t0 = fake_now;
    e = api->resolve(&net, "slow.example", out, 1, &n, 300);
    assert_int_equal(e.code, MXP_E_TIMEOUT);
    assert_int_equal(e.detail, 300);
    assert_true(fake_now - t0 >= 300 && fake_now - t0 < 400);
    assert_true(dnssrv.held_len > 0);

    /* The abandoned query answers late, while another name is resolved: it
     * must not be taken as that name's answer. */
    dns_answer(dnssrv.held, dnssrv.held_len, &dnssrv.held_addr, dnssrv.held_port, 0,
               (const uint8_t[4]){198, 51, 100, 1});
    assert_true(mxp_ok(api->resolve(&net, "mx.example", out, 1, &n, 2000)));
    assert_memory_equal(out[0].bytes, mx, 4);

    ip_addr_t def;
    IP_ADDR4(&def, 10, 0, 2, 3);
    dns_setserver(0, &def);
}

static void test_connect_send_recv_close(void **state)
{
    (void)state;
    struct mxp_addr a = self_addr();
    mxp_sock s = MXP_SOCK_NONE;
    assert_true(mxp_ok(api->connect(&net, &a, SERVER_PORT, &s)));
    /* Non-blocking: nothing has happened yet. */
    assert_int_equal(api->connect_result(&net, s).code, MXP_E_WOULD_BLOCK);
    size_t n = 1;
    assert_int_equal(api->send(&net, s, "x", 1, &n).code, MXP_E_WOULD_BLOCK);
    assert_int_equal(n, 0);
    assert_int_equal(api->recv(&net, s, (char[4]){0}, 4, &n).code, MXP_E_WOULD_BLOCK);
    assert_int_equal(wait_one(s, MXP_IO_WRITE, 2000), MXP_IO_WRITE);
    assert_true(mxp_ok(api->connect_result(&net, s)));
    drive(10);
    assert_non_null(srv.conn);

    assert_true(mxp_ok(api->send(&net, s, "EHLO t\r\n", 8, &n)));
    assert_int_equal(n, 8);
    drive(10);
    assert_int_equal(srv.rx_len, 8);
    assert_memory_equal(srv.rx, "EHLO t\r\n", 8);

    /* Nothing to read yet: wait() times out with no ready bits. */
    uint32_t t0 = fake_now;
    assert_int_equal(wait_one(s, MXP_IO_READ, 100), 0);
    assert_true(fake_now - t0 >= 100);

    srv_send("250 ok\r\n", 8);
    assert_int_equal(wait_one(s, MXP_IO_READ, 1000), MXP_IO_READ);
    char buf[32];
    /* Partial reads leave the rest queued. */
    assert_true(mxp_ok(api->recv(&net, s, buf, 3, &n)));
    assert_int_equal(n, 3);
    assert_memory_equal(buf, "250", 3);
    assert_true(mxp_ok(api->recv(&net, s, buf, sizeof buf, &n)));
    assert_int_equal(n, 5);
    assert_memory_equal(buf, " ok\r\n", 5);
    assert_int_equal(api->recv(&net, s, buf, sizeof buf, &n).code, MXP_E_WOULD_BLOCK);

    /* Orderly close: the server sees a FIN, not a reset. */
    api->close(&net, s, false);
    drive(20);
    assert_true(srv.fin);
    assert_false(srv.errored);
    /* The handle is free now. */
    assert_int_equal(api->recv(&net, s, buf, sizeof buf, &n).code, MXP_E_USAGE);
}

static void test_refused(void **state)
{
    (void)state;
    struct mxp_addr a = self_addr();
    mxp_sock s = MXP_SOCK_NONE;
    assert_true(mxp_ok(api->connect(&net, &a, CLOSED_PORT, &s)));
    assert_int_equal(wait_one(s, MXP_IO_WRITE | MXP_IO_READ, 2000), MXP_IO_WRITE | MXP_IO_READ);
    mxp_err e = api->connect_result(&net, s);
    assert_int_equal(e.code, MXP_E_TCP_REFUSED);
    assert_int_equal(e.detail, ERR_RST);
    size_t n;
    assert_int_equal(api->send(&net, s, "x", 1, &n).code, MXP_E_TCP_REFUSED);
    assert_int_equal(api->recv(&net, s, (char[4]){0}, 4, &n).code, MXP_E_TCP_REFUSED);
    api->close(&net, s, false); /* pcb already gone: must not be touched */
}

static void test_fin_after_data(void **state)
{
    (void)state;
    mxp_sock s = connect_ok(SERVER_PORT);
    srv_send("221 bye\r\n", 9);
    (void)tcp_output(srv.conn);
    struct tcp_pcb *c = srv.conn;
    srv_detach(c);
    assert_int_equal(tcp_close(c), ERR_OK);

    char buf[32];
    size_t n = 0;
    assert_int_equal(recv_all(s, (uint8_t *)buf, 9, 1000), 9);
    assert_memory_equal(buf, "221 bye\r\n", 9);
    assert_int_equal(wait_one(s, MXP_IO_READ, 1000), MXP_IO_READ);
    assert_int_equal(api->recv(&net, s, buf, sizeof buf, &n).code, MXP_E_TCP_CLOSED);
    assert_int_equal(api->recv(&net, s, buf, sizeof buf, &n).code, MXP_E_TCP_CLOSED);
    /* Half-closed: our side may still send (lwIP CLOSE_WAIT). */
    assert_true(mxp_ok(api->send(&net, s, "QUIT\r\n", 6, &n)));
    assert_int_equal(n, 6);
    api->close(&net, s, false);
}

static void test_rst_after_data(void **state)
{
    (void)state;
    mxp_sock s = connect_ok(SERVER_PORT);
    srv_send("421 go away\r\n", 13);
    struct tcp_pcb *c = srv.conn;
    srv_detach(c);
    tcp_abort(c);

    char buf[32];
    size_t n = 0;
    /* Data that arrived before the RST is delivered first. */
    assert_int_equal(recv_all(s, (uint8_t *)buf, 13, 1000), 13);
    assert_memory_equal(buf, "421 go away\r\n", 13);
    assert_int_equal(wait_one(s, MXP_IO_READ | MXP_IO_WRITE, 1000), MXP_IO_READ | MXP_IO_WRITE);
    mxp_err e = api->recv(&net, s, buf, sizeof buf, &n);
    assert_int_equal(e.code, MXP_E_TCP_RESET);
    assert_int_equal(e.detail, ERR_RST);
    assert_int_equal(api->recv(&net, s, buf, sizeof buf, &n).code, MXP_E_TCP_RESET);
    assert_int_equal(api->send(&net, s, "x", 1, &n).code, MXP_E_TCP_RESET);
    assert_int_equal(api->connect_result(&net, s).code, MXP_E_TCP_RESET);
    api->close(&net, s, false);
}

/* A 20 KB flight (a long certificate chain) against a 4-MSS window: the
 * transfer stalls while the application does not read and completes only
 * because recv() reopens the window with tcp_recved(). */
static void test_window_reopens_on_consumption(void **state)
{
    (void)state;
    static uint8_t flight[20000], got[20000];
    for (size_t i = 0; i < sizeof flight; i++)
        flight[i] = (uint8_t)(i * 7u + i / 251u);
    mxp_sock s = connect_ok(SERVER_PORT);
    srv_send(flight, sizeof flight);
    drive(3000);

    const struct mxp_lwip_sock *sk = &net.socks[s];
    assert_non_null(sk->rxq);
    assert_true(sk->rxq->tot_len <= TCP_WND);
    assert_true(sk->rxq->tot_len >= TCP_WND - TCP_MSS); /* it did fill */
    assert_true(srv.tx_off < sizeof flight);            /* the server is stalled */

    size_t total = 0;
    uint32_t start = fake_now;
    while (total < sizeof flight && fake_now - start < 60000) {
        if (!(wait_one(s, MXP_IO_READ, 500) & MXP_IO_READ))
            continue;
        size_t n = 0;
        assert_true(mxp_ok(api->recv(&net, s, got + total, 700, &n))); /* odd chunks */
        total += n;
    }
    assert_int_equal(total, sizeof flight);
    assert_memory_equal(got, flight, sizeof flight);
    /* Everything consumed: the full window is offered again. */
    assert_null(sk->rxq);
    assert_int_equal(sk->pcb->rcv_wnd, TCP_WND);
    api->close(&net, s, false);
    drive(20);
    assert_true(srv.fin);
}

/* The peer stops reading: send() fills the window and our send buffer, then
 * reports MXP_E_WOULD_BLOCK and wait() says not writable; when the peer
 * reads, the socket becomes writable again. */
static void test_send_would_block(void **state)
{
    (void)state;
    srv.consume = false;
    mxp_sock s = connect_ok(SERVER_PORT);
    static uint8_t chunk[4096];
    memset(chunk, 'A', sizeof chunk);
    size_t total = 0;
    mxp_err e = MXP_SUCCESS;
    for (int i = 0; i < 200; i++) {
        size_t n = 0;
        e = api->send(&net, s, chunk, sizeof chunk, &n);
        if (!mxp_ok(e))
            break;
        assert_true(n <= TCP_SND_BUF);
        total += n;
        drive(5);
    }
    assert_int_equal(e.code, MXP_E_WOULD_BLOCK);
    assert_true(total >= TCP_WND && total <= TCP_WND + TCP_SND_BUF);
    uint32_t t0 = fake_now;
    assert_int_equal(wait_one(s, MXP_IO_WRITE, 200), 0);
    assert_true(fake_now - t0 >= 200);

    tcp_recved(srv.conn, (u16_t)srv.rx_unacked);
    srv.rx_unacked = 0;
    srv.consume = true;
    assert_int_equal(wait_one(s, MXP_IO_WRITE, 5000), MXP_IO_WRITE);
    drive(2000);
    assert_int_equal(srv.rx_len, total);
}

static void test_close_variants(void **state)
{
    (void)state;
    /* abort = RST */
    mxp_sock s = connect_ok(SERVER_PORT);
    api->close(&net, s, true);
    drive(20);
    assert_true(srv.errored);
    assert_int_equal(srv.err, ERR_RST);

    /* Unread data at close: still an orderly FIN (lwIP would send RST). */
    srv.errored = false;
    srv.fin = false;
    s = connect_ok(SERVER_PORT);
    srv_send("250 unread\r\n", 12);
    assert_int_equal(wait_one(s, MXP_IO_READ, 1000), MXP_IO_READ);
    assert_non_null(net.socks[s].rxq);
    api->close(&net, s, false);
    drive(20);
    assert_true(srv.fin);
    assert_false(srv.errored);

    /* Closing a connect in progress and a free handle is harmless. */
    struct mxp_addr a = self_addr();
    assert_true(mxp_ok(api->connect(&net, &a, SERVER_PORT, &s)));
    api->close(&net, s, false);
    api->close(&net, s, false);
    api->close(&net, -1, true);
    api->close(&net, 1000, false);
}

static void test_socket_table_and_handles(void **state)
{
    (void)state;
    mxp_sock s[MXP_LWIP_SOCKETS];
    for (int i = 0; i < MXP_LWIP_SOCKETS; i++)
        s[i] = connect_ok(SERVER_PORT);
    struct mxp_addr a = self_addr();
    mxp_sock extra = 0;
    assert_int_equal(api->connect(&net, &a, SERVER_PORT, &extra).code, MXP_E_CAPACITY);
    assert_int_equal(extra, MXP_SOCK_NONE);
    api->close(&net, s[1], false);
    assert_true(mxp_ok(api->connect(&net, &a, SERVER_PORT, &extra)));
    assert_int_equal(extra, s[1]); /* the freed slot is reused */

    size_t n;
    char buf[4];
    assert_int_equal(api->recv(&net, -1, buf, 4, &n).code, MXP_E_USAGE);
    assert_int_equal(api->send(&net, MXP_LWIP_SOCKETS, buf, 4, &n).code, MXP_E_USAGE);
    assert_int_equal(api->connect_result(&net, 77).code, MXP_E_USAGE);
    /* wait(): a bad handle counts as ready so its error surfaces. */
    struct mxp_wait_item items[2] = {{.sock = 99, .want = MXP_IO_READ},
                                     {.sock = s[0], .want = MXP_IO_READ}};
    assert_true(mxp_ok(api->wait(&net, items, 2, 100)));
    assert_int_equal(items[0].ready, MXP_IO_READ);
    assert_int_equal(items[1].ready, 0);

    struct mxp_addr v6 = {.family = MXP_AF_INET6};
    assert_int_equal(api->connect(&net, &v6, 25, &extra).code, MXP_E_TCP_UNREACHABLE);
}

static void test_set_mss_clamps_syn(void **state)
{
    (void)state;
    assert_int_equal(api->set_mss(&net, 10).code, MXP_E_USAGE);
    assert_true(mxp_ok(api->set_mss(&net, 536)));
    mxp_sock s = connect_ok(SERVER_PORT);
    /* The server's send MSS comes from the option in our SYN. */
    assert_int_equal(srv.conn->mss, 536);
    assert_int_equal(net.socks[s].pcb->mss, 536);
    api->close(&net, s, false);

    assert_true(mxp_ok(api->set_mss(&net, 0)));
    s = connect_ok(SERVER_PORT);
    assert_int_equal(srv.conn->mss, TCP_MSS);
    assert_int_equal(net.socks[s].pcb->mss, TCP_MSS);
    api->close(&net, s, false);
}

/* Nobody answers ARP for 10.0.2.99: lwIP retransmits the SYN and finally
 * aborts the pcb (err callback ERR_ABRT) - a connect timeout, like Linux's
 * ETIMEDOUT. Takes a few minutes of fake time. */
static void test_connect_timeout(void **state)
{
    (void)state;
    struct mxp_addr a = self_addr();
    a.bytes[3] = 99;
    mxp_sock s = MXP_SOCK_NONE;
    assert_true(mxp_ok(api->connect(&net, &a, 25, &s)));
    assert_int_equal(wait_one(s, MXP_IO_WRITE, 30000), 0);
    assert_int_equal(api->connect_result(&net, s).code, MXP_E_WOULD_BLOCK);
    assert_int_equal(wait_one(s, MXP_IO_WRITE, 600000), MXP_IO_WRITE);
    mxp_err e = api->connect_result(&net, s);
    assert_int_equal(e.code, MXP_E_TIMEOUT);
    api->close(&net, s, true);
}

/* ---- UDP ------------------------------------------------------------------------------ */

static void test_udp_send_recv(void **state)
{
    (void)state;
    mxp_sock s = MXP_SOCK_NONE;
    assert_true(mxp_ok(api->udp_open(&net, MXP_AF_INET, &s)));
    assert_int_equal(s, MXP_LWIP_SOCKETS); /* UDP handles follow the TCP ones */
    /* A random source port from lwIP's ephemeral range, not the next in line. */
    assert_true(net.udp[0].pcb->local_port >= 0xc000);

    char buf[128];
    size_t n = 9;
    assert_int_equal(api->udp_recv(&net, s, buf, sizeof buf, &n, NULL, NULL).code,
                     MXP_E_WOULD_BLOCK);
    assert_int_equal(n, 0);
    uint32_t t0 = fake_now;
    assert_int_equal(wait_one(s, MXP_IO_READ, 100), 0);
    assert_true(fake_now - t0 >= 100);
    assert_int_equal(wait_one(s, MXP_IO_READ | MXP_IO_WRITE, 100), MXP_IO_WRITE);

    struct mxp_addr a = self_addr();
    unsigned seen = echo_seen;
    assert_true(mxp_ok(api->udp_send(&net, s, &a, ECHO_PORT, "hello", 5)));
    assert_int_equal(wait_one(s, MXP_IO_READ, 1000), MXP_IO_READ);
    assert_int_equal(echo_seen, seen + 1);
    struct mxp_addr from;
    uint16_t port = 0;
    assert_true(mxp_ok(api->udp_recv(&net, s, buf, sizeof buf, &n, &from, &port)));
    assert_int_equal(n, 5);
    assert_memory_equal(buf, "hello", 5);
    assert_int_equal(from.family, MXP_AF_INET);
    assert_memory_equal(from.bytes, a.bytes, 16);
    assert_int_equal(port, ECHO_PORT);
    assert_int_equal(api->udp_recv(&net, s, buf, sizeof buf, &n, &from, &port).code,
                     MXP_E_WOULD_BLOCK);

    /* Longer than cap: cut, the rest dropped with it. An empty datagram. */
    static uint8_t big[100];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)i;
    assert_true(mxp_ok(api->udp_send(&net, s, &a, ECHO_PORT, big, sizeof big)));
    assert_int_equal(wait_one(s, MXP_IO_READ, 1000), MXP_IO_READ);
    assert_true(mxp_ok(api->udp_recv(&net, s, buf, 10, &n, NULL, NULL)));
    assert_int_equal(n, 10);
    assert_memory_equal(buf, big, 10);
    assert_true(mxp_ok(api->udp_send(&net, s, &a, ECHO_PORT, "", 0)));
    assert_int_equal(wait_one(s, MXP_IO_READ, 1000), MXP_IO_READ);
    assert_true(mxp_ok(api->udp_recv(&net, s, buf, sizeof buf, &n, NULL, &port)));
    assert_int_equal(n, 0);
    assert_int_equal(port, ECHO_PORT);
    assert_int_equal(api->udp_recv(&net, s, buf, sizeof buf, &n, NULL, NULL).code,
                     MXP_E_WOULD_BLOCK);

    api->close(&net, s, false);
    assert_null(net.udp[0].pcb);
    assert_int_equal(api->udp_recv(&net, s, buf, sizeof buf, &n, NULL, NULL).code, MXP_E_USAGE);
    assert_int_equal(api->udp_send(&net, s, &a, ECHO_PORT, "x", 1).code, MXP_E_USAGE);
}

/* At most MXP_LWIP_UDP_QUEUE datagrams wait; later ones are dropped (and
 * counted) until the engine reads. Oldest first. */
static void test_udp_queue_bound(void **state)
{
    (void)state;
    mxp_sock s = MXP_SOCK_NONE;
    assert_true(mxp_ok(api->udp_open(&net, MXP_AF_INET, &s)));
    u16_t port = net.udp[0].pcb->local_port;
    for (uint8_t i = 0; i < MXP_LWIP_UDP_QUEUE + 3; i++)
        echo_send_to(port, 20u + i, (uint8_t)('a' + i));
    drive(20);
    assert_int_equal(net.udp[0].count, MXP_LWIP_UDP_QUEUE);
    assert_int_equal(net.udp[0].dropped, 3);
    char buf[64];
    size_t n = 0;
    for (uint8_t i = 0; i < MXP_LWIP_UDP_QUEUE; i++) {
        assert_int_equal(wait_one(s, MXP_IO_READ, 0), MXP_IO_READ);
        assert_true(mxp_ok(api->udp_recv(&net, s, buf, sizeof buf, &n, NULL, NULL)));
        assert_int_equal(n, 20u + i);
        assert_int_equal(buf[0], 'a' + i);
    }
    assert_int_equal(wait_one(s, MXP_IO_READ, 10), 0);
    /* Room again. */
    echo_send_to(port, 5, 'z');
    assert_int_equal(wait_one(s, MXP_IO_READ, 1000), MXP_IO_READ);
    assert_true(mxp_ok(api->udp_recv(&net, s, buf, sizeof buf, &n, NULL, NULL)));
    assert_int_equal(buf[0], 'z');
    api->close(&net, s, false);
}

/* Closing with datagrams queued frees them: 300 rounds of a full queue of
 * 1000-byte datagrams would exhaust the heap many times over otherwise. */
static void test_udp_close_frees_queue(void **state)
{
    (void)state;
    for (int round = 0; round < 300; round++) {
        mxp_sock s = MXP_SOCK_NONE;
        assert_true(mxp_ok(api->udp_open(&net, MXP_AF_INET, &s)));
        u16_t port = net.udp[0].pcb->local_port;
        for (int i = 0; i < MXP_LWIP_UDP_QUEUE + 1; i++)
            echo_send_to(port, 1000, 'q');
        drive(2);
        assert_int_equal(net.udp[0].count, MXP_LWIP_UDP_QUEUE);
        api->close(&net, s, false);
        api->close(&net, s, false); /* twice: harmless */
    }
    /* The stack still works: TCP and UDP. */
    mxp_sock t = connect_ok(SERVER_PORT);
    api->close(&net, t, false);
    mxp_sock s = MXP_SOCK_NONE;
    struct mxp_addr a = self_addr();
    assert_true(mxp_ok(api->udp_open(&net, MXP_AF_INET, &s)));
    assert_true(mxp_ok(api->udp_send(&net, s, &a, ECHO_PORT, "ok", 2)));
    assert_int_equal(wait_one(s, MXP_IO_READ, 1000), MXP_IO_READ);
    api->close(&net, s, false);
}

/* UDP and TCP share the handle space, wait() and close(); each family's
 * operations refuse the other's handles. */
static void test_udp_handles(void **state)
{
    (void)state;
    mxp_sock u[MXP_LWIP_UDP_SOCKETS];
    for (int i = 0; i < MXP_LWIP_UDP_SOCKETS; i++)
        assert_true(mxp_ok(api->udp_open(&net, MXP_AF_INET, &u[i])));
    mxp_sock extra = 0;
    assert_int_equal(api->udp_open(&net, MXP_AF_INET, &extra).code, MXP_E_CAPACITY);
    assert_int_equal(extra, MXP_SOCK_NONE);
    assert_int_equal(api->udp_open(&net, MXP_AF_INET6, &extra).code, MXP_E_UNSUPPORTED);
    assert_int_equal(api->udp_open(&net, 0, &extra).code, MXP_E_USAGE);

    mxp_sock t = connect_ok(SERVER_PORT);
    struct mxp_addr a = self_addr(), v6 = {.family = MXP_AF_INET6};
    char buf[8];
    size_t n;
    assert_int_equal(api->send(&net, u[0], "x", 1, &n).code, MXP_E_USAGE);
    assert_int_equal(api->recv(&net, u[0], buf, sizeof buf, &n).code, MXP_E_USAGE);
    assert_int_equal(api->connect_result(&net, u[0]).code, MXP_E_USAGE);
    assert_int_equal(api->udp_send(&net, t, &a, ECHO_PORT, "x", 1).code, MXP_E_USAGE);
    assert_int_equal(api->udp_recv(&net, t, buf, sizeof buf, &n, NULL, NULL).code, MXP_E_USAGE);
    assert_int_equal(api->udp_send(&net, u[0], &v6, ECHO_PORT, "x", 1).code, MXP_E_USAGE);

    srv_send("220 hi\r\n", 8);
    assert_true(mxp_ok(api->udp_send(&net, u[0], &a, ECHO_PORT, "x", 1)));
    struct mxp_wait_item items[2] = {{.sock = u[0], .want = MXP_IO_READ},
                                     {.sock = t, .want = MXP_IO_READ}};
    uint32_t t0 = fake_now;
    while ((items[0].ready == 0 || items[1].ready == 0) && fake_now - t0 < 1000)
        assert_true(mxp_ok(api->wait(&net, items, 2, 100)));
    assert_int_equal(items[0].ready, MXP_IO_READ);
    assert_int_equal(items[1].ready, MXP_IO_READ);

    /* Closing the UDP socket leaves the TCP one alone. */
    api->close(&net, u[0], false);
    assert_true(mxp_ok(api->recv(&net, t, buf, sizeof buf, &n)));
    assert_int_equal(n, 8);
    api->close(&net, t, false);
    for (int i = 1; i < MXP_LWIP_UDP_SOCKETS; i++)
        api->close(&net, u[i], false);
}

/* The resolvers lwIP holds (DHCP's, or the static fallback), in order. */
static void test_dns_servers(void **state)
{
    (void)state;
    ip_addr_t saved[DNS_MAX_SERVERS], b;
    for (u8_t i = 0; i < DNS_MAX_SERVERS; i++)
        ip_addr_copy(saved[i], *dns_getserver(i));
    struct mxp_addr out[4];
    size_t n = 9;
    /* As initialised: the static fallback's resolver only. */
    assert_true(mxp_ok(api->dns_servers(&net, out, 4, &n)));
    assert_int_equal(n, 1);
    static const uint8_t qemu_dns[4] = {10, 0, 2, 3}, second[4] = {192, 0, 2, 53};
    assert_int_equal(out[0].family, MXP_AF_INET);
    assert_memory_equal(out[0].bytes, qemu_dns, 4);

    IP_ADDR4(&b, 192, 0, 2, 53);
    dns_setserver(1, &b);
    assert_true(mxp_ok(api->dns_servers(&net, out, 4, &n)));
    assert_int_equal(n, 2);
    assert_memory_equal(out[0].bytes, qemu_dns, 4);
    assert_memory_equal(out[1].bytes, second, 4);
    assert_true(mxp_ok(api->dns_servers(&net, out, 1, &n)));
    assert_int_equal(n, 1);
    assert_int_equal(api->dns_servers(&net, out, 0, &n).code, MXP_E_USAGE);
    assert_int_equal(n, 0);

    /* A gap is skipped; none at all is MXP_OK with 0. */
    dns_setserver(0, NULL);
    assert_true(mxp_ok(api->dns_servers(&net, out, 4, &n)));
    assert_int_equal(n, 1);
    assert_memory_equal(out[0].bytes, second, 4);
    dns_setserver(1, NULL);
    assert_true(mxp_ok(api->dns_servers(&net, out, 4, &n)));
    assert_int_equal(n, 0);

    for (u8_t i = 0; i < DNS_MAX_SERVERS; i++)
        dns_setserver(i, &saved[i]);
    assert_null(api->mtu_probe); /* lwIP sends no don't-fragment probes */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_falls_back_to_static),
        cmocka_unit_test_setup_teardown(test_resolve_literals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resolve_dns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_connect_send_recv_close, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fin_after_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rst_after_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_window_reopens_on_consumption, setup, teardown),
        cmocka_unit_test_setup_teardown(test_send_would_block, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_variants, setup, teardown),
        cmocka_unit_test_setup_teardown(test_socket_table_and_handles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_mss_clamps_syn, setup, teardown),
        cmocka_unit_test_setup_teardown(test_connect_timeout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_udp_send_recv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_udp_queue_bound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_udp_close_frees_queue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_udp_handles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dns_servers, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
