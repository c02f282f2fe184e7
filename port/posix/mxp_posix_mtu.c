/*
 * Path-MTU probes for the POSIX HAL (mtu_probe, see mxp_hal.h): one
 * don't-fragment packet of an exact size per call, and what became of it.
 *
 * Methods, best first (struct mxp_posix_net.mtu_methods may narrow them):
 *  - "icmp-echo" over an unprivileged ping socket (SOCK_DGRAM +
 *    IPPROTO_ICMP/ICMPV6), when the process's group is in
 *    net.ipv4.ping_group_range;
 *  - "icmp-echo" over a raw socket (CAP_NET_RAW);
 *  - "udp" to a high port (33434 + 0..31, as traceroute): the destination's
 *    ICMP port unreachable says the packet arrived whole. Needs no privilege
 *    but relies on the destination answering for closed ports.
 * Every probe opens and closes its own socket, so the error queue holds
 * nothing but news about this probe's packet (raw sockets also hear about
 * other programs' ICMP, hence the id/sequence and address checks).
 *
 * IP_PMTUDISC_PROBE (IPV6_PMTUDISC_PROBE + IPV6_DONTFRAG) sets DF but makes
 * the kernel ignore the path MTU it learned before - which our own probes
 * teach it - so every size up to the interface MTU really goes out, and a
 * larger one fails locally with EMSGSIZE. IP_RECVERR (IPV6_RECVERR) brings
 * the ICMP errors about the probe to its socket's error queue:
 *   fragmentation needed (3/4) / packet too big (v6 2)  -> TOO_BIG, its MTU
 *   port unreachable from the destination, method udp -> FITS
 *   any other ICMP error (unreachable, prohibited, time exceeded, port
 *   unreachable for an echo or from elsewhere)         -> UNREACHABLE
 *   EMSGSIZE from the local stack                       -> TOO_BIG, from
 *                                                          family 0, the
 *                                                          interface MTU
 *   the echo reply (or any UDP answer) from `to`        -> FITS
 *   nothing before the deadline                         -> NO_ANSWER
 */
#define _GNU_SOURCE
/* First: <linux/errqueue.h> uses struct timespec without declaring it (glibc
 * happens to have declared it by then, musl has not). */
#include <time.h>

#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mxp_posix.h"
#include "mxp_posix_sock.h"

#define UDP_BASE_PORT 33434 /* traceroute's; the destination should not listen there */
/* <linux/icmp.h>'s raw-socket type filter; that header clashes with glibc's. */
#define MXP_ICMP_FILTER 1

struct probe {
    int fd;
    bool v6;
    uint8_t method; /* MXP_POSIX_MTU_* */
    uint16_t id;    /* echo identifier (raw; a ping socket's kernel puts its own) */
    uint16_t seq;   /* echo sequence number */
    uint16_t port;  /* udp: destination port */
    const struct mxp_addr *to;
};

static const char *method_name(uint8_t method)
{
    return method == MXP_POSIX_MTU_UDP ? "udp" : "icmp-echo";
}

static uint16_t clamp16(long v)
{
    return v <= 0 ? 0 : v > 0xffff ? 0xffff : (uint16_t)v;
}

/* MTU of the interface the kernel routes `to` through: RTM_GETROUTE, as
 * `ip route get` asks, names it (RTA_OIF). 0 when it cannot be told.
 * (getifaddrs() would only match the source address, and costs a static
 * binary 4-8 KB.) fd is any socket for the ioctl. */
static long device_mtu(int fd, const struct mxp_addr *to)
{
    size_t alen = to->family == MXP_AF_INET6 ? 16 : 4;
    struct {
        struct nlmsghdr nh;
        struct rtmsg rt;
        struct rtattr dst;
        uint8_t addr[16];
    } req;
    union {
        uint8_t b[2048];
        struct nlmsghdr align;
    } rsp;
    memset(&req, 0, sizeof req);
    req.nh.nlmsg_len = (uint32_t)(NLMSG_LENGTH(sizeof req.rt) + RTA_LENGTH(alen));
    req.nh.nlmsg_type = RTM_GETROUTE;
    req.nh.nlmsg_flags = NLM_F_REQUEST;
    req.nh.nlmsg_seq = 1;
    req.rt.rtm_family = alen == 16 ? AF_INET6 : AF_INET;
    req.rt.rtm_dst_len = (uint8_t)(alen * 8);
    req.dst.rta_len = (unsigned short)RTA_LENGTH(alen);
    req.dst.rta_type = RTA_DST;
    memcpy(req.addr, to->bytes, alen);
    int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (nl < 0)
        return 0;
    struct pollfd pf = {.fd = nl, .events = POLLIN};
    ssize_t n = -1;
    if (send(nl, &req, req.nh.nlmsg_len, 0) == (ssize_t)req.nh.nlmsg_len && poll(&pf, 1, 500) > 0)
        n = recv(nl, rsp.b, sizeof rsp.b, MSG_DONTWAIT);
    close(nl);
    /* One RTM_NEWROUTE (or NLMSG_ERROR); attributes read with memcpy, as the
     * RTA_* macros' casts upset -Wcast-align on Arm and MIPS. */
    struct nlmsghdr nh;
    if (n < (ssize_t)NLMSG_LENGTH(sizeof(struct rtmsg)))
        return 0;
    memcpy(&nh, rsp.b, sizeof nh);
    if (nh.nlmsg_type != RTM_NEWROUTE || nh.nlmsg_len > (size_t)n)
        return 0;
    int oif = 0;
    size_t at = NLMSG_LENGTH(sizeof(struct rtmsg));
    while (at + sizeof(struct rtattr) <= nh.nlmsg_len) {
        struct rtattr a;
        memcpy(&a, rsp.b + at, sizeof a);
        if (a.rta_len < sizeof a || at + a.rta_len > nh.nlmsg_len)
            break;
        if (a.rta_type == RTA_OIF && a.rta_len >= RTA_LENGTH(sizeof oif))
            memcpy(&oif, rsp.b + at + RTA_LENGTH(0), sizeof oif);
        at += RTA_ALIGN(a.rta_len);
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_ifindex = oif;
    if (oif <= 0 || ioctl(fd, SIOCGIFNAME, &ifr) != 0 || ioctl(fd, SIOCGIFMTU, &ifr) != 0)
        return 0;
    return ifr.ifr_mtu;
}

/* The local MTU towards `to`. The route's (IP_MTU on a connected UDP socket)
 * is what the kernel would send with, but it includes any path MTU it has
 * learned - from our own earlier probes too, for ten minutes - so the next
 * run would take that as the ceiling and never see the ICMP that taught it.
 * The outgoing interface's MTU is the ceiling IP_PMTUDISC_PROBE obeys: it is
 * used when that interface can be found, else the route's. */
static mxp_err local_mtu(const struct mxp_addr *to, uint16_t *out)
{
    struct sockaddr_storage ss;
    socklen_t len = mxp_posix_sockaddr(to, UDP_BASE_PORT, &ss);
    int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int mtu = 0;
    socklen_t mlen = sizeof mtu;
    *out = 0;
    if (fd < 0)
        return mxp_posix_from_errno(errno);
    mxp_err e = MXP_SUCCESS;
    bool v6 = ss.ss_family == AF_INET6;
    /* connect() on UDP sends nothing: it only looks up the route. */
    if (connect(fd, (struct sockaddr *)&ss, len) != 0 ||
        getsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_MTU : IP_MTU, &mtu, &mlen) != 0) {
        e = mxp_posix_from_errno(errno);
    } else {
        long dev = device_mtu(fd, to);
        *out = clamp16(dev > 0 ? dev : mtu);
    }
    close(fd);
    return e;
}

static bool opt_on(int fd, int level, int name, int value)
{
    return setsockopt(fd, level, name, &value, sizeof value) == 0;
}

/* DF without the learned path MTU, errors to the error queue; raw sockets
 * only wake up for echo replies. */
static bool configure(const struct probe *p)
{
    if (p->v6) {
        struct icmp6_filter filter;
        if (p->method == MXP_POSIX_MTU_RAW) {
            ICMP6_FILTER_SETBLOCKALL(&filter);
            ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &filter);
            (void)setsockopt(p->fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof filter);
        }
        return opt_on(p->fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, IPV6_PMTUDISC_PROBE) &&
               opt_on(p->fd, IPPROTO_IPV6, IPV6_DONTFRAG, 1) &&
               opt_on(p->fd, IPPROTO_IPV6, IPV6_RECVERR, 1);
    }
    if (p->method == MXP_POSIX_MTU_RAW) {
        uint32_t blocked = ~(1u << ICMP_ECHOREPLY);
        (void)setsockopt(p->fd, SOL_RAW, MXP_ICMP_FILTER, &blocked, sizeof blocked);
    }
    return opt_on(p->fd, IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_PROBE) &&
           opt_on(p->fd, IPPROTO_IP, IP_RECVERR, 1);
}

/* Open the first method allowed and permitted. MXP_E_UNSUPPORTED (detail:
 * the last errno) when none is. */
static mxp_err open_probe(struct probe *p, uint8_t allowed)
{
    static const uint8_t order[] = {MXP_POSIX_MTU_PING, MXP_POSIX_MTU_RAW, MXP_POSIX_MTU_UDP};
    int last = EPERM;
    if (allowed == 0)
        allowed = MXP_POSIX_MTU_PING | MXP_POSIX_MTU_RAW | MXP_POSIX_MTU_UDP;
    for (size_t i = 0; i < sizeof order; i++) {
        if ((allowed & order[i]) == 0)
            continue;
        int type = order[i] == MXP_POSIX_MTU_RAW ? SOCK_RAW : SOCK_DGRAM;
        int proto = order[i] == MXP_POSIX_MTU_UDP ? IPPROTO_UDP
                    : p->v6                       ? IPPROTO_ICMPV6
                                                  : IPPROTO_ICMP;
        p->fd = socket(p->v6 ? AF_INET6 : AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
        if (p->fd < 0) {
            last = errno;
            /* No permission (ping_group_range, CAP_NET_RAW) or no such
             * socket (no IPv6): the next method may do. */
            if (last == EACCES || last == EPERM || last == EPROTONOSUPPORT ||
                last == ESOCKTNOSUPPORT || last == EAFNOSUPPORT || last == EINVAL)
                continue;
            return mxp_posix_from_errno(last);
        }
        p->method = order[i];
        if (!configure(p)) {
            mxp_err e = mxp_posix_from_errno(errno);
            close(p->fd);
            p->fd = -1;
            return e;
        }
        return MXP_SUCCESS;
    }
    return MXP_ERR(MXP_E_UNSUPPORTED, last);
}

uint16_t mxp_posix_inet_checksum(const uint8_t *b, size_t len)
{
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)b[i] << 8 | b[i + 1];
    if (len & 1)
        sum += (uint32_t)b[len - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static uint16_t get16(const uint8_t *b)
{
    return (uint16_t)(b[0] << 8 | b[1]);
}

/* Send the probe: `size` bytes of IP packet, zeros after the headers. */
static mxp_err send_probe(struct probe *p, uint16_t size, uint64_t deadline_us, bool *too_big)
{
    size_t ip_len = p->v6 ? 40 : 20;
    size_t len = size - ip_len - (p->method == MXP_POSIX_MTU_UDP ? 8 : 0);
    uint8_t *pkt = calloc(len > 0 ? len : 1, 1);
    struct sockaddr_storage ss;
    socklen_t sl = mxp_posix_sockaddr(p->to, p->method == MXP_POSIX_MTU_UDP ? p->port : 0, &ss);
    mxp_err e = MXP_SUCCESS;
    *too_big = false;
    if (pkt == NULL)
        return MXP_ERR(MXP_E_NOMEM, 0);
    if (p->method != MXP_POSIX_MTU_UDP) {
        pkt[0] = p->v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
        pkt[4] = (uint8_t)(p->id >> 8);
        pkt[5] = (uint8_t)p->id;
        pkt[6] = (uint8_t)(p->seq >> 8);
        pkt[7] = (uint8_t)p->seq;
        /* The kernel sums ICMPv6 and ping sockets' ICMP; raw IPv4 is ours. */
        if (!p->v6 && p->method == MXP_POSIX_MTU_RAW) {
            uint16_t sum = mxp_posix_inet_checksum(pkt, len);
            pkt[2] = (uint8_t)(sum >> 8);
            pkt[3] = (uint8_t)sum;
        }
    }
    for (;;) {
        if (sendto(p->fd, pkt, len, MSG_NOSIGNAL, (struct sockaddr *)&ss, sl) >= 0)
            break;
        int err = errno;
        if (err == EMSGSIZE) {
            *too_big = true;
            break;
        }
        if (err == EINTR)
            continue;
        if (err != EAGAIN && err != EWOULDBLOCK) {
            e = mxp_posix_from_errno(err);
            break;
        }
        /* The send buffer is full (other datagrams of ours in flight). */
        int64_t left = (int64_t)(deadline_us - mxp_posix_mono_us());
        struct pollfd pf = {.fd = p->fd, .events = POLLOUT};
        if (left <= 0) {
            e = MXP_ERR(MXP_E_TIMEOUT, 0);
            break;
        }
        (void)poll(&pf, 1, (int)((left + 999) / 1000));
    }
    free(pkt);
    return e;
}

/* An echo reply or UDP answer of ours from `to`? */
static bool is_answer(const struct probe *p, const uint8_t *b, size_t n, const struct mxp_addr *src)
{
    if (!mxp_addr_eq(src, p->to))
        return false;
    if (p->method == MXP_POSIX_MTU_UDP)
        return true; /* something listens on that port and answered */
    if (!p->v6 && p->method == MXP_POSIX_MTU_RAW) {
        /* An IPv4 raw socket sees the IP header too. */
        size_t ihl = n > 0 ? (size_t)(b[0] & 0x0f) * 4 : 0;
        if (ihl < 20 || n < ihl + 8)
            return false;
        b += ihl;
        n -= ihl;
    }
    if (n < 8 || b[0] != (p->v6 ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY) || get16(b + 6) != p->seq)
        return false;
    /* A ping socket only gets replies to its own identifier (and the kernel
     * rewrote the one we sent); a raw socket gets everyone's. */
    return p->method == MXP_POSIX_MTU_PING || get16(b + 4) == p->id;
}

/* Is this error-queue entry about our probe? */
static bool is_ours(const struct probe *p, const struct mxp_posix_sock_error *err,
                    const uint8_t *quote)
{
    if (err->origin == SO_EE_ORIGIN_LOCAL)
        return true; /* the local stack about our own send: a fresh socket has no other */
    if (!mxp_addr_eq(&err->dest, p->to))
        return false;
    if (p->method == MXP_POSIX_MTU_UDP)
        return err->dest_port == p->port;
    /* The quoted packet starts with our echo request's ICMP header. */
    if (err->quoted < 8)
        return p->method == MXP_POSIX_MTU_PING; /* the kernel matched it by identifier */
    return get16(quote + 6) == p->seq &&
           (p->method == MXP_POSIX_MTU_PING || get16(quote + 4) == p->id);
}

/* What an error-queue entry says of the probe. */
static enum mxp_mtu_outcome classify(const struct probe *p, const struct mxp_posix_sock_error *err)
{
    bool icmp4 = err->origin == SO_EE_ORIGIN_ICMP, icmp6 = err->origin == SO_EE_ORIGIN_ICMP6;
    if (err->origin == SO_EE_ORIGIN_LOCAL)
        return err->err == EMSGSIZE ? MXP_MTU_TOO_BIG : MXP_MTU_UNREACHABLE;
    if ((icmp4 && err->type == ICMP_DEST_UNREACH && err->code == ICMP_FRAG_NEEDED) ||
        (icmp6 && err->type == ICMP6_PACKET_TOO_BIG))
        return MXP_MTU_TOO_BIG;
    if (p->method == MXP_POSIX_MTU_UDP && mxp_addr_eq(&err->offender, p->to) &&
        ((icmp4 && err->type == ICMP_DEST_UNREACH && err->code == ICMP_PORT_UNREACH) ||
         (icmp6 && err->type == ICMP6_DST_UNREACH && err->code == ICMP6_DST_UNREACH_NOPORT)))
        return MXP_MTU_FITS;
    return MXP_MTU_UNREACHABLE;
}

/* Wait for the probe's fate until deadline_us; out->outcome stays NO_ANSWER
 * when nothing of ours came. */
static void await(const struct probe *p, uint64_t sent_us, uint64_t deadline_us,
                  struct mxp_mtu_reply *out)
{
    uint8_t buf[128];
    for (;;) {
        int64_t left = (int64_t)(deadline_us - mxp_posix_mono_us());
        if (left <= 0)
            return;
        struct pollfd pf = {.fd = p->fd, .events = POLLIN};
        int rc = poll(&pf, 1, (int)((left + 999) / 1000));
        if (rc < 0 && errno != EINTR)
            return;
        if (rc <= 0)
            continue;
        uint64_t now = mxp_posix_mono_us();
        struct mxp_posix_sock_error err;
        while (mxp_posix_take_error(p->fd, &err, buf, sizeof buf)) {
            if (!is_ours(p, &err, buf))
                continue;
            out->outcome = (uint8_t)classify(p, &err);
            out->from = err.offender; /* family 0 for the local stack */
            if (out->outcome == MXP_MTU_TOO_BIG)
                out->next_hop_mtu = clamp16((long)err.info);
            out->rtt_ms = (uint32_t)((now - sent_us) / 1000u);
            return;
        }
        for (;;) {
            struct sockaddr_storage ss;
            socklen_t sl = sizeof ss;
            struct mxp_addr src;
            memset(&ss, 0, sizeof ss);
            ssize_t n = recvfrom(p->fd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&ss, &sl);
            if (n < 0)
                break; /* EAGAIN, or the pending error whose queue entry was taken */
            (void)mxp_posix_addr_of(&ss, &src, NULL);
            if (is_answer(p, buf, (size_t)n, &src)) {
                out->outcome = MXP_MTU_FITS;
                out->from = src;
                out->rtt_ms = (uint32_t)((now - sent_us) / 1000u);
                return;
            }
        }
    }
}

mxp_err mxp_posix_mtu_probe(void *ctx, const struct mxp_addr *to, uint16_t size,
                            uint32_t timeout_ms, struct mxp_mtu_reply *out)
{
    const struct mxp_posix_net *net = ctx;
    struct probe p = {.fd = -1, .to = to};
    uint8_t rnd[4] = {0};
    memset(out, 0, sizeof *out);
    if (to == NULL || (to->family != MXP_AF_INET && to->family != MXP_AF_INET6))
        return MXP_ERR(MXP_E_USAGE, 0);
    p.v6 = to->family == MXP_AF_INET6;
    /* The smallest probe carries a whole ICMP or UDP header. */
    if (size != 0 && size < (p.v6 ? 48 : 28))
        return MXP_ERR(MXP_E_USAGE, 0);
    MXP_GUARD(local_mtu(to, &out->iface_mtu));
    MXP_GUARD(open_probe(&p, net != NULL ? net->mtu_methods : 0));
    out->method = method_name(p.method);
    if (size == 0) {
        close(p.fd);
        return MXP_SUCCESS;
    }
    if (getrandom(rnd, sizeof rnd, GRND_NONBLOCK) != (ssize_t)sizeof rnd)
        memcpy(rnd, &(uint32_t){(uint32_t)mxp_posix_mono_us() ^ (uint32_t)getpid()}, 4);
    p.id = get16(rnd);
    p.seq = get16(rnd + 2);
    p.port = (uint16_t)(UDP_BASE_PORT + (rnd[3] & 31));

    uint64_t sent_us = mxp_posix_mono_us();
    uint64_t deadline_us = sent_us + (uint64_t)timeout_ms * 1000u;
    bool too_big = false;
    mxp_err e = send_probe(&p, size, deadline_us, &too_big);
    if (mxp_ok(e) && too_big) {
        /* Refused by the local stack: the interface MTU it checked against is
         * in the error queue (IPv4); IPv6 only says EMSGSIZE. */
        struct mxp_posix_sock_error err;
        uint8_t quote[8];
        out->outcome = MXP_MTU_TOO_BIG;
        out->next_hop_mtu = out->iface_mtu;
        while (mxp_posix_take_error(p.fd, &err, quote, sizeof quote)) {
            if (err.origin == SO_EE_ORIGIN_LOCAL && err.err == EMSGSIZE && err.info != 0)
                out->next_hop_mtu = clamp16((long)err.info);
        }
    } else if (mxp_ok(e)) {
        await(&p, sent_us, deadline_us, out);
    }
    close(p.fd);
    return e;
}
