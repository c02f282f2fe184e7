/*
 * POSIX network HAL: non-blocking kernel TCP and UDP sockets multiplexed with
 * poll(); /etc/hosts and /etc/resolv.conf in mxp_posix_hosts.c, path-MTU probes in
 * mxp_posix_mtu.c. The socket handle is the file descriptor.
 */
#define _GNU_SOURCE
/* First: <linux/errqueue.h> uses struct timespec without declaring it (glibc
 * happens to have declared it by then, musl has not). */
#include <time.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mxp_posix.h"
#include "mxp_posix_sock.h"

mxp_err mxp_posix_from_errno(int e)
{
    switch (e) {
    case EAGAIN:
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK:
#endif
    case EINPROGRESS:
    case EALREADY:
        return MXP_ERR(MXP_E_WOULD_BLOCK, 0);
    case ECONNREFUSED:
        return MXP_ERR(MXP_E_TCP_REFUSED, e);
    case ECONNRESET:
        return MXP_ERR(MXP_E_TCP_RESET, e);
    case EPIPE:
    case ENOTCONN:
        return MXP_ERR(MXP_E_TCP_CLOSED, e);
    case EHOSTUNREACH:
    case ENETUNREACH:
    case EHOSTDOWN:
    case ENETDOWN:
    case EADDRNOTAVAIL:
        return MXP_ERR(MXP_E_TCP_UNREACHABLE, e);
    case ETIMEDOUT:
        return MXP_ERR(MXP_E_TIMEOUT, 0);
    case ENOMEM:
    case ENOBUFS:
    case EMFILE:
    case ENFILE:
        return MXP_ERR(MXP_E_NOMEM, e);
    default:
        return MXP_ERR(MXP_E_TCP, e);
    }
}

socklen_t mxp_posix_sockaddr(const struct mxp_addr *a, uint16_t port, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    if (a->family == MXP_AF_INET) {
        struct sockaddr_in *in = (void *)ss;
        in->sin_family = AF_INET;
        in->sin_port = htons(port);
        memcpy(&in->sin_addr, a->bytes, 4);
        return sizeof *in;
    }
    if (a->family == MXP_AF_INET6) {
        struct sockaddr_in6 *in6 = (void *)ss;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        memcpy(&in6->sin6_addr, a->bytes, 16);
        return sizeof *in6;
    }
    return 0;
}

bool mxp_posix_addr_of(const struct sockaddr_storage *ss, struct mxp_addr *out, uint16_t *port)
{
    uint16_t p = 0;
    memset(out, 0, sizeof *out);
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *in = (const void *)ss;
        out->family = MXP_AF_INET;
        memcpy(out->bytes, &in->sin_addr, 4);
        p = ntohs(in->sin_port);
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const void *)ss;
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
            out->family = MXP_AF_INET;
            memcpy(out->bytes, &in6->sin6_addr.s6_addr[12], 4);
        } else {
            out->family = MXP_AF_INET6;
            memcpy(out->bytes, &in6->sin6_addr, 16);
        }
        p = ntohs(in6->sin6_port);
    }
    if (port != NULL)
        *port = p;
    return out->family != 0;
}

uint64_t mxp_posix_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

bool mxp_posix_take_error(int fd, struct mxp_posix_sock_error *out, uint8_t *quote, size_t cap)
{
    struct sockaddr_storage dest;
    union {
        char buf[512];
        struct cmsghdr align;
    } control;
    struct iovec iov = {.iov_base = quote, .iov_len = cap};
    struct msghdr msg = {
        .msg_name = &dest,
        .msg_namelen = sizeof dest,
        .msg_iov = &iov,
        .msg_iovlen = 1,
        .msg_control = control.buf,
        .msg_controllen = sizeof control.buf,
    };
    memset(out, 0, sizeof *out);
    memset(&dest, 0, sizeof dest);
    ssize_t n;
    do {
        n = recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return false;
    out->quoted = (size_t)n < cap ? (size_t)n : cap;
    (void)mxp_posix_addr_of(&dest, &out->dest, &out->dest_port);
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
        bool v4 = c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR;
        bool v6 = c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR;
        struct sock_extended_err ee;
        if ((!v4 && !v6) || c->cmsg_len < CMSG_LEN(sizeof ee))
            continue;
        /* memcpy: control data need not be aligned for the struct (Arm, MIPS). */
        memcpy(&ee, CMSG_DATA(c), sizeof ee);
        out->err = ee.ee_errno;
        out->origin = ee.ee_origin;
        out->type = ee.ee_type;
        out->code = ee.ee_code;
        out->info = ee.ee_info;
        /* The ICMP sender's address follows the struct (SO_EE_OFFENDER). */
        struct sockaddr_storage off;
        size_t off_len = c->cmsg_len - CMSG_LEN(sizeof ee);
        memset(&off, 0, sizeof off);
        memcpy(&off, CMSG_DATA(c) + sizeof ee, off_len < sizeof off ? off_len : sizeof off);
        (void)mxp_posix_addr_of(&off, &out->offender, NULL);
        break;
    }
    return true;
}

/* Names the host knows without DNS: /etc/hosts. Nothing there: the engine
 * asks DNS itself (the HAL contract of resolve). */
static mxp_err posix_resolve(void *ctx, const char *host, struct mxp_addr *out, size_t cap,
                             size_t *n_out, uint32_t timeout_ms)
{
    (void)ctx;
    (void)timeout_ms;
    *n_out = mxp_posix_hosts_lookup(MXP_POSIX_HOSTS, host, out, cap);
    return MXP_SUCCESS;
}

static mxp_err posix_connect(void *ctx, const struct mxp_addr *to, uint16_t port, mxp_sock *out)
{
    struct mxp_posix_net *net = ctx;
    struct sockaddr_storage ss;
    socklen_t len = mxp_posix_sockaddr(to, port, &ss);
    if (len == 0)
        return MXP_ERR(MXP_E_USAGE, 0);
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return mxp_posix_from_errno(errno);
    int one = 1;
    /* SMTP commands are single small writes; do not let Nagle delay them. */
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (net->next_mss != 0) {
        int mss = net->next_mss;
        (void)setsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, &mss, sizeof mss);
    }
    if (connect(fd, (struct sockaddr *)&ss, len) != 0 && errno != EINPROGRESS) {
        mxp_err e = mxp_posix_from_errno(errno);
        close(fd);
        return e;
    }
    *out = fd;
    return MXP_SUCCESS;
}

/* A connect in progress is done when the socket has a peer. When it has
 * none, a failed connect leaves its error pending on the socket and recv()
 * reports it in errno. SO_ERROR would give the same error as a value, but
 * qemu-user passes that value through untranslated (the host's errno, not the
 * target's: on MIPS, ECONNREFUSED is 146, not 111), and the routers' builds
 * are tested there; an errno from a failed call is translated everywhere. */
static mxp_err posix_connect_result(void *ctx, mxp_sock s)
{
    (void)ctx;
    struct sockaddr_storage peer;
    socklen_t plen = sizeof peer;
    if (getpeername(s, (struct sockaddr *)&peer, &plen) == 0)
        return MXP_SUCCESS;
    if (errno != ENOTCONN)
        return mxp_posix_from_errno(errno);
    char byte;
    if (recv(s, &byte, 1, MSG_PEEK | MSG_DONTWAIT) < 0 && errno != ENOTCONN)
        return mxp_posix_from_errno(errno); /* EAGAIN: still connecting */
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
        return mxp_posix_from_errno(errno);
    return err != 0 ? mxp_posix_from_errno(err) : MXP_ERR(MXP_E_WOULD_BLOCK, 0);
}

static mxp_err posix_send(void *ctx, mxp_sock s, const void *buf, size_t len, size_t *sent)
{
    (void)ctx;
    *sent = 0;
    for (;;) {
        ssize_t n = send(s, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n >= 0) {
            *sent = (size_t)n;
            return MXP_SUCCESS;
        }
        if (errno != EINTR)
            return mxp_posix_from_errno(errno);
    }
}

static mxp_err posix_recv(void *ctx, mxp_sock s, void *buf, size_t cap, size_t *got)
{
    (void)ctx;
    *got = 0;
    for (;;) {
        ssize_t n = recv(s, buf, cap, MSG_DONTWAIT);
        if (n > 0) {
#ifdef TCP_QUICKACK
            /* Acknowledge at once: a server whose Nagle holds its next record
             * until our ACK (postfix's banner after a TLS 1.3 session ticket)
             * would otherwise wait out our delayed ACK, 40 ms a connection.
             * Linux clears the flag by itself, hence after every read. */
            int one = 1;
            (void)setsockopt(s, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
#endif
            *got = (size_t)n;
            return MXP_SUCCESS;
        }
        if (n == 0)
            return cap == 0 ? MXP_SUCCESS : MXP_ERR(MXP_E_TCP_CLOSED, 0);
        if (errno != EINTR)
            return mxp_posix_from_errno(errno);
    }
}

static mxp_err posix_wait(void *ctx, struct mxp_wait_item *items, size_t n, uint32_t timeout_ms)
{
    (void)ctx;
    struct pollfd pfd[16];
    if (n > sizeof pfd / sizeof pfd[0])
        return MXP_ERR(MXP_E_CAPACITY, 0);
    for (size_t i = 0; i < n; i++) {
        pfd[i].fd = items[i].sock;
        pfd[i].events = (short)(((items[i].want & MXP_IO_READ) ? POLLIN : 0) |
                                ((items[i].want & MXP_IO_WRITE) ? POLLOUT : 0));
        pfd[i].revents = 0;
        items[i].ready = 0;
    }
    int rc;
    do {
        rc = poll(pfd, (nfds_t)n, timeout_ms > 0x7fffffffu ? -1 : (int)timeout_ms);
    } while (rc < 0 && errno == EINTR);
    if (rc < 0)
        return MXP_ERR(MXP_E_IO, errno);
    for (size_t i = 0; i < n; i++) {
        short r = pfd[i].revents;
        uint8_t ready = 0;
        if (r & POLLIN)
            ready |= MXP_IO_READ;
        if (r & POLLOUT)
            ready |= MXP_IO_WRITE;
        if (r & (POLLERR | POLLHUP | POLLNVAL))
            ready |= items[i].want; /* errors surface on the next call */
        items[i].ready = ready;
    }
    return MXP_SUCCESS;
}

/* Not posix_close: POSIX reserves that name (musl's <unistd.h> declares it). */
static void sock_close(void *ctx, mxp_sock s, bool abort_conn)
{
    (void)ctx;
    if (s < 0)
        return;
    if (abort_conn) {
        struct linger lg = {.l_onoff = 1, .l_linger = 0};
        (void)setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
    (void)close(s);
}

static mxp_err posix_set_mss(void *ctx, uint16_t mss)
{
    struct mxp_posix_net *net = ctx;
    net->next_mss = mss;
    return MXP_SUCCESS;
}

/* ---- UDP ------------------------------------------------------------------
 * Unconnected sockets with IP_RECVERR (IPV6_RECVERR): without it Linux tells
 * only connected UDP sockets of ICMP errors, and a DNS server that is down
 * (port unreachable) would cost the whole try timeout. With it, an ICMP
 * error about an earlier datagram is both the socket's pending error (the
 * next sendto fails with it) and an error-queue entry that names the
 * datagram's destination. udp_recv() reports it from the queue with that
 * destination as from/from_port; udp_send() reports a pending one and clears
 * the queue so it is not reported twice. Either way it is
 * MXP_E_TCP_UNREACHABLE with the errno as detail (ECONNREFUSED: port
 * unreachable; EHOSTUNREACH, ENETUNREACH: host or net unreachable). */

static mxp_err udp_from_errno(int e)
{
    if (e == ECONNREFUSED) /* ICMP port unreachable: nobody listens there */
        return MXP_ERR(MXP_E_TCP_UNREACHABLE, e);
    if (e == EAFNOSUPPORT)
        return MXP_ERR(MXP_E_USAGE, e); /* an IPv6 destination for an IPv4 socket */
    return mxp_posix_from_errno(e);
}

static mxp_err posix_udp_open(void *ctx, uint8_t family, mxp_sock *out)
{
    (void)ctx;
    *out = MXP_SOCK_NONE;
    if (family != MXP_AF_INET && family != MXP_AF_INET6)
        return MXP_ERR(MXP_E_USAGE, 0);
    int af = family == MXP_AF_INET ? AF_INET : AF_INET6;
    int fd = socket(af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return mxp_posix_from_errno(errno);
    int one = 1;
    /* An IPv6 socket may send to IPv4-mapped addresses: ask for both kinds. */
    (void)setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof one);
    if (af == AF_INET6)
        (void)setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof one);
    *out = fd;
    return MXP_SUCCESS;
}

static mxp_err posix_udp_send(void *ctx, mxp_sock s, const struct mxp_addr *to, uint16_t port,
                              const void *buf, size_t len)
{
    (void)ctx;
    struct sockaddr_storage ss;
    socklen_t sl = mxp_posix_sockaddr(to, port, &ss);
    if (sl == 0)
        return MXP_ERR(MXP_E_USAGE, 0);
    for (;;) {
        if (sendto(s, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL, (struct sockaddr *)&ss, sl) >= 0)
            return MXP_SUCCESS; /* a datagram goes whole or not at all */
        int e = errno;
        if (e == EINTR)
            continue;
        if (e == ECONNREFUSED || e == EHOSTUNREACH || e == ENETUNREACH || e == EHOSTDOWN) {
            /* Maybe a pending ICMP error: reported now, not again by recv. */
            struct mxp_posix_sock_error err;
            while (mxp_posix_take_error(s, &err, NULL, 0))
                ;
        }
        return udp_from_errno(e);
    }
}

static mxp_err posix_udp_recv(void *ctx, mxp_sock s, void *buf, size_t cap, size_t *got,
                              struct mxp_addr *from, uint16_t *from_port)
{
    (void)ctx;
    struct mxp_addr addr;
    uint16_t port = 0;
    *got = 0;
    for (;;) {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        memset(&ss, 0, sizeof ss);
        ssize_t n = recvfrom(s, buf, cap, MSG_DONTWAIT, (struct sockaddr *)&ss, &sl);
        int e = errno;
        if (n < 0 && e == EINTR)
            continue;
        mxp_err r = MXP_SUCCESS;
        if (n >= 0) {
            *got = (size_t)n; /* the kernel cut a longer datagram to cap */
            (void)mxp_posix_addr_of(&ss, &addr, &port);
        } else {
            /* The pending error (if that is what failed) has its entry in
             * the error queue, which also keeps poll() reporting POLLERR
             * until it is taken: take it here, whatever recvfrom said. */
            struct mxp_posix_sock_error err;
            if (mxp_posix_take_error(s, &err, NULL, 0)) {
                r = MXP_ERR(MXP_E_TCP_UNREACHABLE, err.err != 0 ? (int)err.err : e);
                addr = err.dest;
                port = err.dest_port;
            } else {
                return udp_from_errno(e); /* EAGAIN: MXP_E_WOULD_BLOCK */
            }
        }
        if (from != NULL)
            *from = addr;
        if (from_port != NULL)
            *from_port = port;
        return r;
    }
}

static mxp_err posix_dns_servers(void *ctx, struct mxp_addr *out, size_t cap, size_t *n_out)
{
    const struct mxp_posix_net *net = ctx;
    *n_out = 0;
    if (cap == 0)
        return MXP_ERR(MXP_E_USAGE, 0);
    const char *path =
        net != NULL && net->resolv_conf != NULL ? net->resolv_conf : MXP_POSIX_RESOLV_CONF;
    *n_out = mxp_posix_nameservers(path, out, cap);
    return MXP_SUCCESS;
}

const struct mxp_hal_net_api mxp_posix_net_api = {
    .resolve = posix_resolve,
    .connect = posix_connect,
    .connect_result = posix_connect_result,
    .send = posix_send,
    .recv = posix_recv,
    .wait = posix_wait,
    .close = sock_close,
    .set_mss = posix_set_mss,
    .udp_open = posix_udp_open,
    .udp_send = posix_udp_send,
    .udp_recv = posix_udp_recv,
    .dns_servers = posix_dns_servers,
    .mtu_probe = mxp_posix_mtu_probe,
};
