/*
 * The POSIX network HAL's UDP, dns_servers and mtu_probe operations
 * (port/posix) against the real kernel.
 *
 * The first group runs on the host's loopback and only asserts what any
 * Linux loopback does (65536-byte MTU, echo replies, port unreachable from
 * 127.0.0.1). The second group needs root: the process moves into a network
 * namespace of its own (unshare(CLONE_NEWNET): nothing outside sees it), sets
 * its loopback MTU to 1400, tells the kernel not to answer pings, and a
 * thread with raw sockets plays the network: echo replies, fragmentation
 * needed / packet too big from a "router" (127.0.0.9), unreachables, strays
 * and silence, so every ICMP case of mtu_probe meets the kernel's real
 * error-queue code. Without root that group is skipped.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "mxp_hal.h"
#include "mxp_hal_check.h"
#include "mxp_posix.h"
#include "mxp_posix_sock.h"

static const struct mxp_hal_net_api *api = &mxp_posix_net_api;
static struct mxp_posix_net net;

/* ---- helpers ------------------------------------------------------------------ */

static struct mxp_addr v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    struct mxp_addr x;
    memset(&x, 0, sizeof x);
    x.family = MXP_AF_INET;
    x.bytes[0] = a;
    x.bytes[1] = b;
    x.bytes[2] = c;
    x.bytes[3] = d;
    return x;
}

static struct mxp_addr v6_loopback(void)
{
    struct mxp_addr x;
    memset(&x, 0, sizeof x);
    x.family = MXP_AF_INET6;
    x.bytes[15] = 1;
    return x;
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static uint8_t wait_one(mxp_sock s, uint8_t want, uint32_t timeout_ms)
{
    struct mxp_wait_item it = {.sock = s, .want = want, .ready = 0};
    assert_true(mxp_ok(api->wait(&net, &it, 1, timeout_ms)));
    return it.ready;
}

/* A plain kernel UDP socket bound to an ephemeral port of addr: the peer. */
static int peer_socket(int af, uint16_t *port)
{
    int fd = socket(af, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t len;
    if (af == AF_INET) {
        struct sockaddr_in *in = (void *)&ss;
        in->sin_family = AF_INET;
        in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof *in;
    } else {
        struct sockaddr_in6 *in6 = (void *)&ss;
        in6->sin6_family = AF_INET6;
        in6->sin6_addr = in6addr_loopback;
        len = sizeof *in6;
    }
    assert_int_equal(bind(fd, (struct sockaddr *)&ss, len), 0);
    len = sizeof ss;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
    *port = ntohs(af == AF_INET ? ((struct sockaddr_in *)(void *)&ss)->sin_port
                                : ((struct sockaddr_in6 *)(void *)&ss)->sin6_port);
    return fd;
}

/* A UDP port of 127.0.0.1 nobody listens on (it was free a moment ago). */
static uint16_t closed_port(void)
{
    uint16_t port;
    int fd = peer_socket(AF_INET, &port);
    close(fd);
    return port;
}

/* ---- UDP ---------------------------------------------------------------------- */

static void test_udp_roundtrip_v4(void **state)
{
    (void)state;
    uint16_t pport;
    int peer = peer_socket(AF_INET, &pport);
    struct mxp_addr lo = v4(127, 0, 0, 1);
    mxp_sock s = MXP_SOCK_NONE;
    assert_true(mxp_ok(api->udp_open(&net, MXP_AF_INET, &s)));
    assert_true(s >= 0);

    /* Nothing queued yet: recv would block, wait() times out, writable at once. */
    char buf[256];
    size_t got = 7;
    assert_int_equal(api->udp_recv(&net, s, buf, sizeof buf, &got, NULL, NULL).code,
                     MXP_E_WOULD_BLOCK);
    assert_int_equal(got, 0);
    uint64_t t0 = now_ms();
    assert_int_equal(wait_one(s, MXP_IO_READ, 50), 0);
    assert_true(now_ms() - t0 >= 45);
    assert_int_equal(wait_one(s, MXP_IO_READ | MXP_IO_WRITE, 1000), MXP_IO_WRITE);

    assert_true(mxp_ok(api->udp_send(&net, s, &lo, pport, "query", 5)));
    struct sockaddr_in from;
    socklen_t flen = sizeof from;
    ssize_t n = recvfrom(peer, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
    assert_int_equal(n, 5);
    assert_memory_equal(buf, "query", 5);
    assert_int_equal(sendto(peer, "answer", 6, 0, (struct sockaddr *)&from, flen), 6);

    assert_int_equal(wait_one(s, MXP_IO_READ, 1000), MXP_IO_READ);
    struct mxp_addr src;
    uint16_t sport = 0;
    assert_true(mxp_ok(api->udp_recv(&net, s, buf, sizeof buf, &got, &src, &sport)));
    assert_int_equal(got, 6);
    assert_memory_equal(buf, "answer", 6);
    assert_int_equal(src.family, MXP_AF_INET);
    assert_memory_equal(src.bytes, lo.bytes, 4);
    assert_int_equal(sport, pport);
    assert_int_equal(api->udp_recv(&net, s, buf, sizeof buf, &got, &src, &sport).code,
                     MXP_E_WOULD_BLOCK);

    /* A datagram longer than cap is cut, the rest of it dropped; one datagram
     * per call; an empty one is a datagram too. */
    static const char big[100] = "0123456789abcdefghij";
    assert_int_equal(sendto(peer, big, sizeof big, 0, (struct sockaddr *)&from, flen), 100);
    assert_int_equal(sendto(peer, "", 0, 0, (struct sockaddr *)&from, flen), 0);
    assert_int_equal(sendto(peer, "x", 1, 0, (struct sockaddr *)&from, flen), 1);
    assert_int_equal(wait_one(s, MXP_IO_READ, 1000), MXP_IO_READ);
    assert_true(mxp_ok(api->udp_recv(&net, s, buf, 10, &got, NULL, NULL)));
    assert_int_equal(got, 10);
    assert_memory_equal(buf, "0123456789", 10);
    assert_true(mxp_ok(api->udp_recv(&net, s, buf, sizeof buf, &got, NULL, &sport)));
    assert_int_equal(got, 0);
    assert_int_equal(sport, pport);
    assert_true(mxp_ok(api->udp_recv(&net, s, buf, sizeof buf, &got, &src, NULL)));
    assert_int_equal(got, 1);
    assert_int_equal(api->udp_recv(&net, s, buf, sizeof buf, &got, NULL, NULL).code,
                     MXP_E_WOULD_BLOCK);

    api->close(&net, s, false);
    close(peer);
}

/* IPv6, and an IPv6 socket talking to an IPv4 peer (dual stack): the peer's
 * address comes back as IPv4, not as ::ffff:127.0.0.1. */
static void test_udp_v6_and_mapped(void **state)
{
    (void)state;
    uint16_t p6, p4;
    int peer6 = peer_socket(AF_INET6, &p6);
    int peer4 = peer_socket(AF_INET, &p4);
    struct mxp_addr lo6 = v6_loopback(), lo4 = v4(127, 0, 0, 1);
    mxp_sock s = MXP_SOCK_NONE;
    assert_true(mxp_ok(api->udp_open(&net, MXP_AF_INET6, &s)));
    char buf[64];
    struct sockaddr_storage from;
    socklen_t flen;
    size_t got = 0;
    struct mxp_addr src;
    uint16_t sport = 0;

    assert_true(mxp_ok(api->udp_send(&net, s, &lo6, p6, "six", 3)));
    flen = sizeof from;
    assert_int_equal(recvfrom(peer6, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen), 3);
    assert_int_equal(sendto(peer6, "6", 1, 0, (struct sockaddr *)&from, flen), 1);
    assert_int_equal(wait_one(s, MXP_IO_READ, 1000), MXP_IO_READ);
    assert_true(mxp_ok(api->udp_recv(&net, s, buf, sizeof buf, &got, &src, &sport)));
    assert_int_equal(got, 1);
    assert_int_equal(src.family, MXP_AF_INET6);
    assert_memory_equal(src.bytes, lo6.bytes, 16);
    assert_int_equal(sport, p6);

    assert_true(mxp_ok(api->udp_send(&net, s, &lo4, p4, "four", 4)));
    flen = sizeof from;
    assert_int_equal(recvfrom(peer4, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen), 4);
    assert_int_equal(sendto(peer4, "4", 1, 0, (struct sockaddr *)&from, flen), 1);
    assert_int_equal(wait_one(s, MXP_IO_READ, 1000), MXP_IO_READ);
    assert_true(mxp_ok(api->udp_recv(&net, s, buf, sizeof buf, &got, &src, &sport)));
    assert_int_equal(src.family, MXP_AF_INET);
    assert_memory_equal(src.bytes, lo4.bytes, 4);
    assert_int_equal(sport, p4);

    api->close(&net, s, false);
    close(peer6);
    close(peer4);
}

/* A server that is not there: the kernel's ICMP port unreachable reaches the
 * unconnected socket (IP_RECVERR) instead of the try timing out. */
static void test_udp_port_unreachable(void **state)
{
    (void)state;
    struct mxp_addr lo = v4(127, 0, 0, 1);
    uint16_t port = closed_port();
    mxp_sock s = MXP_SOCK_NONE;
    assert_true(mxp_ok(api->udp_open(&net, MXP_AF_INET, &s)));
    assert_true(mxp_ok(api->udp_send(&net, s, &lo, port, "q", 1)));
    assert_int_equal(wait_one(s, MXP_IO_READ, 1000), MXP_IO_READ);
    char buf[16];
    size_t got = 9;
    struct mxp_addr about;
    uint16_t about_port = 0;
    mxp_err e = api->udp_recv(&net, s, buf, sizeof buf, &got, &about, &about_port);
    assert_int_equal(e.code, MXP_E_TCP_UNREACHABLE);
    assert_int_equal(e.detail, ECONNREFUSED);
    assert_int_equal(got, 0);
    /* from/from_port: the destination the ICMP was about. */
    assert_memory_equal(about.bytes, lo.bytes, 4);
    assert_int_equal(about_port, port);
    /* Reported once: afterwards the socket is quiet, not forever "ready". */
    assert_int_equal(api->udp_recv(&net, s, buf, sizeof buf, &got, NULL, NULL).code,
                     MXP_E_WOULD_BLOCK);
    assert_int_equal(wait_one(s, MXP_IO_READ, 50), 0);

    /* Not read before the next send: that send reports it (and the datagram
     * does not go), then it is not reported a second time. */
    assert_true(mxp_ok(api->udp_send(&net, s, &lo, port, "q", 1)));
    assert_int_equal(wait_one(s, MXP_IO_READ, 1000), MXP_IO_READ);
    e = api->udp_send(&net, s, &lo, port, "q", 1);
    assert_int_equal(e.code, MXP_E_TCP_UNREACHABLE);
    assert_int_equal(e.detail, ECONNREFUSED);
    assert_int_equal(api->udp_recv(&net, s, buf, sizeof buf, &got, NULL, NULL).code,
                     MXP_E_WOULD_BLOCK);
    assert_int_equal(wait_one(s, MXP_IO_READ, 50), 0);
    api->close(&net, s, false);
}

static void test_udp_usage(void **state)
{
    (void)state;
    mxp_sock s = 5;
    assert_int_equal(api->udp_open(&net, 0, &s).code, MXP_E_USAGE);
    assert_int_equal(s, MXP_SOCK_NONE);
    assert_int_equal(api->udp_open(&net, 5, &s).code, MXP_E_USAGE);
    assert_true(mxp_ok(api->udp_open(&net, MXP_AF_INET, &s)));
    struct mxp_addr bad = v4(127, 0, 0, 1);
    bad.family = 9;
    assert_int_equal(api->udp_send(&net, s, &bad, 53, "x", 1).code, MXP_E_USAGE);
    struct mxp_addr six = v6_loopback();
    assert_int_equal(api->udp_send(&net, s, &six, 53, "x", 1).code, MXP_E_USAGE);
    api->close(&net, s, false);
}

/* ---- dns_servers ------------------------------------------------------------ */

static char conf_path[64];

static void write_conf(const char *text)
{
    strcpy(conf_path, "/tmp/mxp-resolv-XXXXXX");
    int fd = mkstemp(conf_path);
    assert_true(fd >= 0);
    size_t len = strlen(text);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
    net.resolv_conf = conf_path;
}

static void drop_conf(void)
{
    unlink(conf_path);
    net.resolv_conf = NULL;
}

static void test_dns_servers_parse(void **state)
{
    (void)state;
    write_conf("# generated\n"
               "search example.com\n"
               "nameserver 192.0.2.1\n"
               "  nameserver   2001:db8::53  # trailing\n"
               "nameserver fe80::1%eth0\n" /* a zone: no room for it in mxp_addr */
               "nameserver not-an-address\n"
               ";nameserver 192.0.2.99\n"
               "nameserver 192.0.2.2\n"
               "nameserver 192.0.2.3\n" /* a fourth: glibc takes three */
               "options edns0\n");
    struct mxp_addr out[5];
    size_t n = 0;
    assert_true(mxp_ok(api->dns_servers(&net, out, 5, &n)));
    assert_int_equal(n, 3);
    struct mxp_addr a = v4(192, 0, 2, 1), c = v4(192, 0, 2, 2);
    assert_int_equal(out[0].family, MXP_AF_INET);
    assert_memory_equal(out[0].bytes, a.bytes, 16);
    static const uint8_t b6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x53};
    assert_int_equal(out[1].family, MXP_AF_INET6);
    assert_memory_equal(out[1].bytes, b6, 16);
    assert_memory_equal(out[2].bytes, c.bytes, 16);

    /* Fewer slots than servers: the first ones. */
    assert_true(mxp_ok(api->dns_servers(&net, out, 2, &n)));
    assert_int_equal(n, 2);
    assert_int_equal(out[1].family, MXP_AF_INET6);
    assert_int_equal(api->dns_servers(&net, out, 0, &n).code, MXP_E_USAGE);
    assert_int_equal(n, 0);
    drop_conf();
}

/* No nameserver at all (no line, no file): 127.0.0.1, as glibc. */
static void test_dns_servers_default(void **state)
{
    (void)state;
    struct mxp_addr out[3];
    struct mxp_addr lo = v4(127, 0, 0, 1);
    size_t n = 0;
    write_conf("search example.com\nnameserver\n");
    assert_true(mxp_ok(api->dns_servers(&net, out, 3, &n)));
    assert_int_equal(n, 1);
    assert_int_equal(out[0].family, MXP_AF_INET);
    assert_memory_equal(out[0].bytes, lo.bytes, 16);
    drop_conf();

    net.resolv_conf = "/nonexistent/resolv.conf";
    assert_true(mxp_ok(api->dns_servers(&net, out, 3, &n)));
    assert_int_equal(n, 1);
    assert_memory_equal(out[0].bytes, lo.bytes, 16);

    /* The system's file by default, the same parse the resolver uses. */
    net.resolv_conf = NULL;
    struct mxp_addr ref[3];
    size_t n_ref = mxp_posix_nameservers("/etc/resolv.conf", ref, 3);
    assert_true(mxp_ok(api->dns_servers(&net, out, 3, &n)));
    assert_int_equal(n, n_ref);
    assert_true(n >= 1 && n <= 3);
    assert_memory_equal(out, ref, n * sizeof out[0]);
}

static void test_hal_wiring(void **state)
{
    (void)state;
    static struct mxp_posix_hal p;
    mxp_posix_hal_init(&p, false);
    assert_true(mxp_ok(mxp_hal_check(&p.hal)));
    assert_ptr_equal(p.hal.net_ctx, &p.net);
    assert_non_null(p.hal.net->udp_open);
    assert_non_null(p.hal.net->udp_send);
    assert_non_null(p.hal.net->udp_recv);
    assert_non_null(p.hal.net->dns_servers);
    assert_non_null(p.hal.net->mtu_probe);
    assert_null(p.net.resolv_conf);
    assert_int_equal(p.net.mtu_methods, 0);
}

/* ---- mtu_probe on the host's loopback -------------------------------------------- */

static void assert_method(const char *m)
{
    assert_non_null(m);
    assert_true(strcmp(m, "icmp-echo") == 0 || strcmp(m, "udp") == 0);
}

static void test_mtu_loopback(void **state)
{
    (void)state;
    struct mxp_mtu_reply r;
    struct mxp_addr lo = v4(127, 0, 0, 1);
    /* size 0: no packet, only the local MTU (lo's 65536 does not fit the
     * field: an IPv4 packet cannot be larger than 65535 anyway) and the method. */
    memset(&r, 0xa5, sizeof r);
    assert_true(mxp_ok(api->mtu_probe(&net, &lo, 0, 0, &r)));
    assert_int_equal(r.iface_mtu, 65535);
    assert_method(r.method);
    assert_int_equal(r.outcome, MXP_MTU_NO_ANSWER);
    assert_int_equal(r.next_hop_mtu, 0);
    assert_int_equal(r.from.family, 0);
    if (geteuid() == 0)
        assert_string_equal(r.method, "icmp-echo"); /* raw, if not a ping socket */

    static const uint16_t sizes[] = {28, 1500, 9000, 65535};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        memset(&r, 0xa5, sizeof r);
        assert_true(mxp_ok(api->mtu_probe(&net, &lo, sizes[i], 2000, &r)));
        assert_int_equal(r.outcome, MXP_MTU_FITS);
        assert_int_equal(r.iface_mtu, 65535);
        assert_int_equal(r.next_hop_mtu, 0);
        assert_int_equal(r.from.family, MXP_AF_INET);
        assert_memory_equal(r.from.bytes, lo.bytes, 4);
        assert_true(r.rtt_ms < 1000);
        assert_method(r.method);
    }

    /* Another loopback address answers for itself. */
    struct mxp_addr lo2 = v4(127, 0, 0, 2);
    assert_true(mxp_ok(api->mtu_probe(&net, &lo2, 1500, 2000, &r)));
    assert_int_equal(r.outcome, MXP_MTU_FITS);
    assert_memory_equal(r.from.bytes, lo2.bytes, 4);
}

static void test_mtu_loopback_v6(void **state)
{
    (void)state;
    struct mxp_mtu_reply r;
    struct mxp_addr lo = v6_loopback();
    assert_true(mxp_ok(api->mtu_probe(&net, &lo, 0, 0, &r)));
    assert_int_equal(r.iface_mtu, 65535);
    assert_method(r.method);
    static const uint16_t sizes[] = {48, 1280, 1500, 65535};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        memset(&r, 0xa5, sizeof r);
        assert_true(mxp_ok(api->mtu_probe(&net, &lo, sizes[i], 2000, &r)));
        assert_int_equal(r.outcome, MXP_MTU_FITS);
        assert_int_equal(r.from.family, MXP_AF_INET6);
        assert_memory_equal(r.from.bytes, lo.bytes, 16);
    }
}

/* The unprivileged method: the kernel's port unreachable from 127.0.0.1. */
static void test_mtu_loopback_udp(void **state)
{
    (void)state;
    struct mxp_mtu_reply r;
    struct mxp_addr lo = v4(127, 0, 0, 1), lo6 = v6_loopback();
    net.mtu_methods = MXP_POSIX_MTU_UDP;
    assert_true(mxp_ok(api->mtu_probe(&net, &lo, 0, 0, &r)));
    assert_string_equal(r.method, "udp");
    assert_true(mxp_ok(api->mtu_probe(&net, &lo, 1500, 2000, &r)));
    assert_int_equal(r.outcome, MXP_MTU_FITS);
    assert_string_equal(r.method, "udp");
    assert_memory_equal(r.from.bytes, lo.bytes, 4);
    assert_true(mxp_ok(api->mtu_probe(&net, &lo6, 1500, 2000, &r)));
    assert_int_equal(r.outcome, MXP_MTU_FITS);
    assert_memory_equal(r.from.bytes, lo6.bytes, 16);
    net.mtu_methods = 0;
}

static void test_mtu_usage(void **state)
{
    (void)state;
    struct mxp_mtu_reply r;
    struct mxp_addr lo = v4(127, 0, 0, 1), lo6 = v6_loopback();
    assert_int_equal(api->mtu_probe(&net, &lo, 27, 100, &r).code, MXP_E_USAGE);
    assert_int_equal(api->mtu_probe(&net, &lo6, 47, 100, &r).code, MXP_E_USAGE);
    struct mxp_addr bad = lo;
    bad.family = 0;
    assert_int_equal(api->mtu_probe(&net, &bad, 1500, 100, &r).code, MXP_E_USAGE);
    /* The smallest sizes are fine. */
    assert_true(mxp_ok(api->mtu_probe(&net, &lo, 28, 2000, &r)));
    assert_true(mxp_ok(api->mtu_probe(&net, &lo6, 48, 2000, &r)));
}

/* ---- a network of our own ------------------------------------------------------- */

#define NS_MTU 1400
#define ROUTER_V4 127, 0, 0, 9

enum mode {
    M_ECHO,         /* answer as the destination would */
    M_FRAG,         /* a router: fragmentation needed, MTU 1280 (v6: too big, 1300) */
    M_FRAG_NO_MTU,  /* a pre-RFC 1191 router: fragmentation needed, MTU 0 */
    M_HOST_UNREACH, /* a router: host unreachable (v6: address unreachable) */
    M_ADMIN,        /* a router: communication administratively prohibited */
    M_TTL,          /* a router: time exceeded */
    M_PORT_ROUTER,  /* a firewall on the way: port unreachable (UDP) */
    M_STRAYS,       /* replies that are not ours: wrong sequence, wrong source */
    M_STRAYS_ECHO,  /* the strays, then the real reply */
    M_SILENT,       /* nothing: lost, filtered, or a black hole */
};

static struct responder {
    pthread_t thread;
    atomic_bool stop;
    atomic_int mode;
    atomic_int seen;      /* probes seen */
    atomic_int last_size; /* IP packet size of the last one */
    int r4, u4, out4, r6;
} rsp;

/* Send an IPv4 packet src -> dst carrying an ICMP message (its checksum is
 * filled in here). */
static void send_icmp4(const uint8_t src[4], const uint8_t dst[4], uint8_t *icmp, size_t len)
{
    static uint8_t pkt[65536];
    icmp[2] = icmp[3] = 0;
    uint16_t c = mxp_posix_inet_checksum(icmp, len);
    icmp[2] = (uint8_t)(c >> 8);
    icmp[3] = (uint8_t)c;
    memset(pkt, 0, 20);
    pkt[0] = 0x45;
    pkt[8] = 64; /* TTL */
    pkt[9] = IPPROTO_ICMP;
    memcpy(pkt + 12, src, 4);
    memcpy(pkt + 16, dst, 4);
    memcpy(pkt + 20, icmp, len); /* length, id, checksum: the kernel's (IP_HDRINCL) */
    struct sockaddr_in to = {.sin_family = AF_INET};
    memcpy(&to.sin_addr, dst, 4);
    (void)sendto(rsp.out4, pkt, 20 + len, 0, (struct sockaddr *)&to, sizeof to);
}

/* A router's ICMP error about the IPv4 packet `orig` (IP header first). */
static void icmp4_error(const uint8_t *orig, size_t n, uint8_t type, uint8_t code, uint16_t mtu,
                        const uint8_t src[4])
{
    uint8_t msg[8 + 60 + 8];
    size_t quote = (size_t)(orig[0] & 0x0f) * 4 + 8;
    if (quote > n)
        quote = n;
    memset(msg, 0, 8);
    msg[0] = type;
    msg[1] = code;
    msg[6] = (uint8_t)(mtu >> 8);
    msg[7] = (uint8_t)mtu;
    memcpy(msg + 8, orig, quote);
    send_icmp4(src, orig + 12, msg, 8 + quote);
}

static void on_probe4(uint8_t *p, size_t n, bool udp)
{
    static const uint8_t router[4] = {ROUTER_V4};
    static const uint8_t stray_src[4] = {127, 0, 0, 8};
    size_t ihl = (size_t)(p[0] & 0x0f) * 4;
    const uint8_t *src = p + 12, *dst = p + 16;
    if (n < ihl + 8)
        return;
    /* Echo requests, and datagrams to the probe ports (not our own answers). */
    uint16_t dport = (uint16_t)(p[ihl + 2] << 8 | p[ihl + 3]);
    if (udp ? dport < 33434 || dport >= 33434 + 32 : p[ihl] != 8)
        return;
    atomic_fetch_add(&rsp.seen, 1);
    atomic_store(&rsp.last_size, (int)n);
    switch (atomic_load(&rsp.mode)) {
    case M_ECHO:
    case M_STRAYS:
    case M_STRAYS_ECHO:
        if (udp) {
            /* Something listens there and answers: from dst:dport to src:sport. */
            struct sockaddr_in to = {.sin_family = AF_INET};
            memcpy(&to.sin_addr, src, 4);
            memcpy(&to.sin_port, p + ihl, 2);
            int fd = socket(AF_INET, SOCK_DGRAM, 0);
            struct sockaddr_in me = {.sin_family = AF_INET};
            memcpy(&me.sin_addr, dst, 4);
            memcpy(&me.sin_port, p + ihl + 2, 2);
            int one = 1;
            (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
            (void)setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
            if (bind(fd, (struct sockaddr *)&me, sizeof me) == 0)
                (void)sendto(fd, "hi", 2, 0, (struct sockaddr *)&to, sizeof to);
            close(fd);
            return;
        }
        if (atomic_load(&rsp.mode) != M_ECHO) {
            uint8_t bad[8];
            memcpy(bad, p + ihl, 8);
            bad[0] = 0;
            bad[7] ^= 1; /* someone else's sequence number */
            send_icmp4(dst, src, bad, 8);
            bad[7] ^= 1;
            send_icmp4(stray_src, src, bad, 8); /* ours, but not from the destination */
            if (atomic_load(&rsp.mode) == M_STRAYS)
                return;
        }
        p[ihl] = 0; /* echo reply, same id, sequence and data */
        send_icmp4(dst, src, p + ihl, n - ihl);
        return;
    case M_FRAG:
        icmp4_error(p, n, 3, 4, 1280, router);
        return;
    case M_FRAG_NO_MTU:
        icmp4_error(p, n, 3, 4, 0, router);
        return;
    case M_HOST_UNREACH:
        icmp4_error(p, n, 3, 1, 0, router);
        return;
    case M_ADMIN:
        icmp4_error(p, n, 3, 13, 0, router);
        return;
    case M_TTL:
        icmp4_error(p, n, 11, 0, 0, router);
        return;
    case M_PORT_ROUTER:
        icmp4_error(p, n, 3, 3, 0, router);
        return;
    default:
        return;
    }
}

/* IPv6: the raw ICMPv6 socket sees the message without the IPv6 header;
 * everything here is ::1 to ::1. The kernel sums ICMPv6. */
static void on_probe6(uint8_t *m, size_t n)
{
    static uint8_t msg[8 + 40 + 1232];
    struct sockaddr_in6 lo = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    if (n < 8 || m[0] != 128)
        return;
    atomic_fetch_add(&rsp.seen, 1);
    atomic_store(&rsp.last_size, (int)n + 40);
    int mode = atomic_load(&rsp.mode);
    if (mode == M_ECHO) {
        m[0] = 129;
        (void)sendto(rsp.r6, m, n, 0, (struct sockaddr *)&lo, sizeof lo);
        return;
    }
    if (mode != M_FRAG && mode != M_HOST_UNREACH)
        return;
    /* The error quotes the offending packet: its IPv6 header, rebuilt. */
    size_t quote = n < 1232 - 40 ? n : 1232 - 40;
    memset(msg, 0, 8 + 40);
    msg[0] = mode == M_FRAG ? 2 : 1;
    msg[1] = mode == M_FRAG ? 0 : 3;
    if (mode == M_FRAG) {
        msg[6] = 1300 >> 8;
        msg[7] = 1300 & 0xff;
    }
    uint8_t *ip6 = msg + 8;
    ip6[0] = 0x60;
    ip6[4] = (uint8_t)(n >> 8);
    ip6[5] = (uint8_t)n;
    ip6[6] = IPPROTO_ICMPV6;
    ip6[7] = 64;
    ip6[23] = 1; /* src ::1 */
    ip6[39] = 1; /* dst ::1 */
    memcpy(msg + 48, m, quote);
    (void)sendto(rsp.r6, msg, 48 + quote, 0, (struct sockaddr *)&lo, sizeof lo);
}

static void *responder_main(void *arg)
{
    (void)arg;
    static uint8_t buf[65536];
    while (!atomic_load(&rsp.stop)) {
        struct pollfd pf[3] = {{.fd = rsp.r4, .events = POLLIN},
                               {.fd = rsp.u4, .events = POLLIN},
                               {.fd = rsp.r6, .events = POLLIN}};
        if (poll(pf, 3, 20) <= 0)
            continue;
        for (int i = 0; i < 3; i++) {
            if (!(pf[i].revents & POLLIN))
                continue;
            ssize_t n = recv(pf[i].fd, buf, sizeof buf, MSG_DONTWAIT);
            if (n <= 0)
                continue;
            if (i == 2)
                on_probe6(buf, (size_t)n);
            else
                on_probe4(buf, (size_t)n, i == 1);
        }
    }
    return NULL;
}

static bool write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return false;
    bool ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok;
}

static bool ns_ready;

static int ns_setup(void **state)
{
    (void)state;
    if (geteuid() != 0 || unshare(CLONE_NEWNET) != 0)
        return 0; /* the tests skip themselves */
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) != 0)
        return -1;
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(fd, SIOCSIFFLAGS, &ifr) != 0)
        return -1;
    ifr.ifr_mtu = NS_MTU;
    if (ioctl(fd, SIOCSIFMTU, &ifr) != 0)
        return -1;
    close(fd);
    /* The responder answers pings, not the kernel. */
    if (!write_file("/proc/sys/net/ipv4/icmp_echo_ignore_all", "1") ||
        !write_file("/proc/sys/net/ipv6/icmp/echo_ignore_all", "1"))
        return -1;
    rsp.r4 = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
    rsp.u4 = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_UDP);
    rsp.out4 = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
    rsp.r6 = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
    if (rsp.r4 < 0 || rsp.u4 < 0 || rsp.out4 < 0 || rsp.r6 < 0)
        return -1;
    /* Replies are as big as the probes, whatever path MTU the probes taught. */
    int pmtud = IP_PMTUDISC_PROBE, pmtud6 = IPV6_PMTUDISC_PROBE;
    (void)setsockopt(rsp.out4, IPPROTO_IP, IP_MTU_DISCOVER, &pmtud, sizeof pmtud);
    (void)setsockopt(rsp.r6, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &pmtud6, sizeof pmtud6);
    atomic_store(&rsp.stop, false);
    atomic_store(&rsp.mode, M_ECHO);
    if (pthread_create(&rsp.thread, NULL, responder_main, NULL) != 0)
        return -1;
    ns_ready = true;
    return 0;
}

static int ns_teardown(void **state)
{
    (void)state;
    if (ns_ready) {
        atomic_store(&rsp.stop, true);
        pthread_join(rsp.thread, NULL);
        close(rsp.r4);
        close(rsp.u4);
        close(rsp.out4);
        close(rsp.r6);
    }
    return 0;
}

static int ns_each(void **state)
{
    (void)state;
    atomic_store(&rsp.mode, M_ECHO);
    atomic_store(&rsp.seen, 0);
    atomic_store(&rsp.last_size, 0);
    net.mtu_methods = 0;
    return 0;
}

#define NEED_NS()                                                                                  \
    do {                                                                                           \
        if (!ns_ready)                                                                             \
            skip(); /* not root, or no network namespaces */                                       \
    } while (0)

static struct mxp_mtu_reply probe(const struct mxp_addr *to, uint16_t size, int mode,
                                  uint32_t timeout_ms)
{
    struct mxp_mtu_reply r;
    atomic_store(&rsp.mode, mode);
    memset(&r, 0xa5, sizeof r);
    mxp_err e = api->mtu_probe(&net, to, size, timeout_ms, &r);
    assert_int_equal(e.code, MXP_OK);
    return r;
}

static void assert_from(const struct mxp_mtu_reply *r, struct mxp_addr want)
{
    assert_int_equal(r->from.family, want.family);
    assert_memory_equal(r->from.bytes, want.bytes, 16);
}

/* The probe is exactly `size` bytes of IP packet; beyond the interface MTU
 * the local stack refuses it (nothing is sent). */
static void test_ns_sizes_and_local_limit(void **state)
{
    (void)state;
    NEED_NS();
    struct mxp_addr lo = v4(127, 0, 0, 1), lo6 = v6_loopback();
    struct mxp_mtu_reply r = probe(&lo, 0, M_ECHO, 0);
    assert_int_equal(r.iface_mtu, NS_MTU);
    assert_string_equal(r.method, "icmp-echo"); /* raw: pings are for gid 1..0 here */

    static const uint16_t sizes[] = {28, 576, 1399, NS_MTU};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        r = probe(&lo, sizes[i], M_ECHO, 2000);
        assert_int_equal(r.outcome, MXP_MTU_FITS);
        assert_int_equal(atomic_load(&rsp.last_size), sizes[i]);
        assert_from(&r, lo);
    }
    int seen = atomic_load(&rsp.seen);
    r = probe(&lo, NS_MTU + 1, M_ECHO, 2000);
    assert_int_equal(r.outcome, MXP_MTU_TOO_BIG);
    assert_int_equal(r.next_hop_mtu, NS_MTU);
    assert_int_equal(r.iface_mtu, NS_MTU);
    assert_int_equal(r.from.family, 0); /* the local stack */
    assert_int_equal(r.rtt_ms, 0);
    assert_int_equal(atomic_load(&rsp.seen), seen);

    r = probe(&lo6, 0, M_ECHO, 0);
    assert_int_equal(r.iface_mtu, NS_MTU);
    r = probe(&lo6, NS_MTU, M_ECHO, 2000);
    assert_int_equal(r.outcome, MXP_MTU_FITS);
    assert_int_equal(atomic_load(&rsp.last_size), NS_MTU);
    assert_from(&r, lo6);
    r = probe(&lo6, NS_MTU + 1, M_ECHO, 2000);
    assert_int_equal(r.outcome, MXP_MTU_TOO_BIG);
    assert_int_equal(r.next_hop_mtu, NS_MTU);
    assert_int_equal(r.from.family, 0);
}

/* A router's "fragmentation needed": TOO_BIG with its MTU. The kernel learns
 * that MTU for the destination (IP_MTU shows it), yet the next run still
 * sees the interface's MTU as the ceiling and a full-size probe still goes out. */
static void test_ns_frag_needed(void **state)
{
    (void)state;
    NEED_NS();
    struct mxp_addr lo = v4(127, 0, 0, 1), router = v4(ROUTER_V4);
    struct mxp_mtu_reply r = probe(&lo, NS_MTU, M_FRAG, 2000);
    assert_int_equal(r.outcome, MXP_MTU_TOO_BIG);
    assert_int_equal(r.next_hop_mtu, 1280);
    assert_from(&r, router);
    assert_true(r.rtt_ms < 1000);

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to = {
        .sin_family = AF_INET, .sin_port = htons(9), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int mtu = 0;
    socklen_t len = sizeof mtu;
    assert_int_equal(connect(fd, (struct sockaddr *)&to, sizeof to), 0);
    assert_int_equal(getsockopt(fd, IPPROTO_IP, IP_MTU, &mtu, &len), 0);
    assert_int_equal(mtu, 1280); /* the kernel's route now says 1280 */
    close(fd);

    r = probe(&lo, 0, M_ECHO, 0);
    assert_int_equal(r.iface_mtu, NS_MTU);
    r = probe(&lo, NS_MTU, M_ECHO, 2000);
    assert_int_equal(r.outcome, MXP_MTU_FITS);
    assert_int_equal(atomic_load(&rsp.last_size), NS_MTU);

    /* A router that names no MTU. */
    r = probe(&lo, NS_MTU, M_FRAG_NO_MTU, 2000);
    assert_int_equal(r.outcome, MXP_MTU_TOO_BIG);
    assert_int_equal(r.next_hop_mtu, 0);
    assert_from(&r, router);

    /* IPv6: packet too big. */
    struct mxp_addr lo6 = v6_loopback();
    r = probe(&lo6, NS_MTU, M_FRAG, 2000);
    assert_int_equal(r.outcome, MXP_MTU_TOO_BIG);
    assert_int_equal(r.next_hop_mtu, 1300);
    assert_from(&r, lo6);
    r = probe(&lo6, 0, M_ECHO, 0);
    assert_int_equal(r.iface_mtu, NS_MTU);
}

static void test_ns_unreachable(void **state)
{
    (void)state;
    NEED_NS();
    struct mxp_addr lo = v4(127, 0, 0, 1), router = v4(ROUTER_V4);
    static const int modes[] = {M_HOST_UNREACH, M_ADMIN, M_TTL, M_PORT_ROUTER};
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        struct mxp_mtu_reply r = probe(&lo, 1000, modes[i], 2000);
        assert_int_equal(r.outcome, MXP_MTU_UNREACHABLE);
        assert_int_equal(r.next_hop_mtu, 0);
        assert_from(&r, router);
    }
    struct mxp_addr lo6 = v6_loopback();
    struct mxp_mtu_reply r = probe(&lo6, 1000, M_HOST_UNREACH, 2000);
    assert_int_equal(r.outcome, MXP_MTU_UNREACHABLE);
    assert_from(&r, lo6);
}

/* Silence is NO_ANSWER at the deadline; replies that are not ours (wrong
 * sequence, wrong source) are not taken for an answer. */
static void test_ns_no_answer_and_strays(void **state)
{
    (void)state;
    NEED_NS();
    struct mxp_addr lo = v4(127, 0, 0, 1);
    uint64_t t0 = now_ms();
    struct mxp_mtu_reply r = probe(&lo, 1000, M_SILENT, 200);
    uint64_t took = now_ms() - t0;
    assert_int_equal(r.outcome, MXP_MTU_NO_ANSWER);
    assert_int_equal(r.from.family, 0);
    assert_int_equal(r.iface_mtu, NS_MTU);
    assert_string_equal(r.method, "icmp-echo");
    assert_true(took >= 195 && took < 1000);
    assert_int_equal(atomic_load(&rsp.seen), 1);

    r = probe(&lo, 1000, M_STRAYS, 300);
    assert_int_equal(r.outcome, MXP_MTU_NO_ANSWER);
    r = probe(&lo, 1000, M_STRAYS_ECHO, 2000);
    assert_int_equal(r.outcome, MXP_MTU_FITS);
    assert_from(&r, lo);

    /* timeout 0 with a size: sent, no time to hear anything. */
    r = probe(&lo, 1000, M_ECHO, 0);
    assert_int_equal(r.outcome, MXP_MTU_NO_ANSWER);
}

/* The unprivileged ping socket: refused while the group is outside
 * ping_group_range (then MXP_E_UNSUPPORTED when it is the only method
 * allowed), used first once it is inside. */
static void test_ns_ping_socket(void **state)
{
    (void)state;
    NEED_NS();
    struct mxp_addr lo = v4(127, 0, 0, 1), router = v4(ROUTER_V4), lo6 = v6_loopback();
    struct mxp_mtu_reply r;
    net.mtu_methods = MXP_POSIX_MTU_PING;
    assert_true(write_file("/proc/sys/net/ipv4/ping_group_range", "1 0"));
    mxp_err e = api->mtu_probe(&net, &lo, 0, 0, &r);
    assert_int_equal(e.code, MXP_E_UNSUPPORTED);
    assert_int_equal(e.detail, EACCES);
    e = api->mtu_probe(&net, &lo, 1000, 100, &r);
    assert_int_equal(e.code, MXP_E_UNSUPPORTED);
    assert_int_equal(atomic_load(&rsp.seen), 0);

    assert_true(write_file("/proc/sys/net/ipv4/ping_group_range", "0 0"));
    r = probe(&lo, 0, M_ECHO, 0);
    assert_string_equal(r.method, "icmp-echo");
    assert_int_equal(r.iface_mtu, NS_MTU);
    r = probe(&lo, NS_MTU, M_ECHO, 2000);
    assert_int_equal(r.outcome, MXP_MTU_FITS);
    assert_int_equal(atomic_load(&rsp.last_size), NS_MTU);
    assert_from(&r, lo);
    r = probe(&lo, NS_MTU, M_FRAG, 2000);
    assert_int_equal(r.outcome, MXP_MTU_TOO_BIG);
    assert_int_equal(r.next_hop_mtu, 1280);
    assert_from(&r, router);
    r = probe(&lo, 1000, M_ADMIN, 2000);
    assert_int_equal(r.outcome, MXP_MTU_UNREACHABLE);
    r = probe(&lo, NS_MTU + 1, M_ECHO, 2000);
    assert_int_equal(r.outcome, MXP_MTU_TOO_BIG);
    assert_int_equal(r.next_hop_mtu, NS_MTU);
    r = probe(&lo, 1000, M_STRAYS_ECHO, 2000);
    assert_int_equal(r.outcome, MXP_MTU_FITS);
    r = probe(&lo6, NS_MTU, M_ECHO, 2000);
    assert_int_equal(r.outcome, MXP_MTU_FITS);
    r = probe(&lo6, NS_MTU, M_FRAG, 2000);
    assert_int_equal(r.outcome, MXP_MTU_TOO_BIG);
    assert_int_equal(r.next_hop_mtu, 1300);

    /* With every method allowed the ping socket comes first: the kernel
     * rewrites the identifier of what it sends, a raw socket would not. */
    net.mtu_methods = 0;
    r = probe(&lo, 1000, M_ECHO, 2000);
    assert_int_equal(r.outcome, MXP_MTU_FITS);
    assert_true(write_file("/proc/sys/net/ipv4/ping_group_range", "1 0"));
}

/* UDP to a closed port: the destination's port unreachable is FITS, the
 * same from anyone else is not; a router's fragmentation needed quoting the
 * datagram is TOO_BIG; an answer on the port is FITS too. */
static void test_ns_udp_method(void **state)
{
    (void)state;
    NEED_NS();
    struct mxp_addr lo = v4(127, 0, 0, 1), router = v4(ROUTER_V4);
    net.mtu_methods = MXP_POSIX_MTU_UDP;
    struct mxp_mtu_reply r = probe(&lo, 0, M_ECHO, 0);
    assert_string_equal(r.method, "udp");
    /* Nothing listens: the kernel's own port unreachable, which may come
     * back before the responder thread has even looked at the probe. */
    r = probe(&lo, NS_MTU, M_SILENT, 2000);
    assert_int_equal(r.outcome, MXP_MTU_FITS);
    assert_from(&r, lo);
    for (int i = 0; i < 100 && atomic_load(&rsp.seen) == 0; i++)
        usleep(10000);
    assert_int_equal(atomic_load(&rsp.last_size), NS_MTU);
    r = probe(&lo, NS_MTU + 1, M_SILENT, 2000);
    assert_int_equal(r.outcome, MXP_MTU_TOO_BIG);
    assert_int_equal(r.next_hop_mtu, NS_MTU);

    /* Now every probe port has a listener, so the kernel stays quiet and
     * the responder speaks. */
    int sinks[32];
    for (int i = 0; i < 32; i++) {
        sinks[i] = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        int one = 1;
        (void)setsockopt(sinks[i], SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        (void)setsockopt(sinks[i], SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
        struct sockaddr_in a = {.sin_family = AF_INET,
                                .sin_port = htons((uint16_t)(33434 + i)),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        assert_int_equal(bind(sinks[i], (struct sockaddr *)&a, sizeof a), 0);
    }
    r = probe(&lo, 1000, M_SILENT, 200);
    assert_int_equal(r.outcome, MXP_MTU_NO_ANSWER);
    r = probe(&lo, NS_MTU, M_FRAG, 2000);
    assert_int_equal(r.outcome, MXP_MTU_TOO_BIG);
    assert_int_equal(r.next_hop_mtu, 1280);
    assert_from(&r, router);
    r = probe(&lo, 1000, M_PORT_ROUTER, 2000);
    assert_int_equal(r.outcome, MXP_MTU_UNREACHABLE);
    assert_from(&r, router);
    r = probe(&lo, 1000, M_HOST_UNREACH, 2000);
    assert_int_equal(r.outcome, MXP_MTU_UNREACHABLE);
    r = probe(&lo, 1000, M_ECHO, 2000);
    assert_int_equal(r.outcome, MXP_MTU_FITS);
    assert_from(&r, lo);
    for (int i = 0; i < 32; i++)
        close(sinks[i]);
}

int main(void)
{
    const struct CMUnitTest host[] = {
        cmocka_unit_test(test_udp_roundtrip_v4),
        cmocka_unit_test(test_udp_v6_and_mapped),
        cmocka_unit_test(test_udp_port_unreachable),
        cmocka_unit_test(test_udp_usage),
        cmocka_unit_test(test_dns_servers_parse),
        cmocka_unit_test(test_dns_servers_default),
        cmocka_unit_test(test_hal_wiring),
        cmocka_unit_test(test_mtu_loopback),
        cmocka_unit_test(test_mtu_loopback_v6),
        cmocka_unit_test(test_mtu_loopback_udp),
        cmocka_unit_test(test_mtu_usage),
    };
    const struct CMUnitTest own_netns[] = {
        cmocka_unit_test_setup(test_ns_sizes_and_local_limit, ns_each),
        cmocka_unit_test_setup(test_ns_frag_needed, ns_each),
        cmocka_unit_test_setup(test_ns_unreachable, ns_each),
        cmocka_unit_test_setup(test_ns_no_answer_and_strays, ns_each),
        cmocka_unit_test_setup(test_ns_ping_socket, ns_each),
        cmocka_unit_test_setup(test_ns_udp_method, ns_each),
    };
    int failed = cmocka_run_group_tests_name("posix_net_host", host, NULL, NULL);
    failed += cmocka_run_group_tests_name("posix_net_own_netns", own_netns, ns_setup, ns_teardown);
    return failed;
}
