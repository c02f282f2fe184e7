/*
 * POSIX network HAL: non-blocking kernel TCP sockets multiplexed with poll();
 * name resolution in mxp_posix_resolve.c. The socket handle is the file
 * descriptor.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mxp_posix.h"

static mxp_err from_errno(int e)
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

static mxp_err posix_resolve(void *ctx, const char *host, struct mxp_addr *out, size_t cap,
                             size_t *n_out, uint32_t timeout_ms)
{
    (void)ctx;
    return mxp_posix_resolve(host, out, cap, n_out, timeout_ms);
}

static mxp_err posix_connect(void *ctx, const struct mxp_addr *to, uint16_t port, mxp_sock *out)
{
    struct mxp_posix_net *net = ctx;
    struct sockaddr_storage ss;
    socklen_t len;
    memset(&ss, 0, sizeof ss);
    if (to->family == MXP_AF_INET) {
        struct sockaddr_in *in = (void *)&ss;
        in->sin_family = AF_INET;
        in->sin_port = htons(port);
        memcpy(&in->sin_addr, to->bytes, 4);
        len = sizeof *in;
    } else if (to->family == MXP_AF_INET6) {
        struct sockaddr_in6 *in6 = (void *)&ss;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        memcpy(&in6->sin6_addr, to->bytes, 16);
        len = sizeof *in6;
    } else {
        return MXP_ERR(MXP_E_USAGE, 0);
    }
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return from_errno(errno);
    int one = 1;
    /* SMTP commands are single small writes; do not let Nagle delay them. */
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (net->next_mss != 0) {
        int mss = net->next_mss;
        (void)setsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, &mss, sizeof mss);
    }
    if (connect(fd, (struct sockaddr *)&ss, len) != 0 && errno != EINPROGRESS) {
        mxp_err e = from_errno(errno);
        close(fd);
        return e;
    }
    *out = fd;
    return MXP_SUCCESS;
}

static mxp_err posix_connect_result(void *ctx, mxp_sock s)
{
    (void)ctx;
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
        return from_errno(errno);
    if (err != 0)
        return from_errno(err);
    struct sockaddr_storage peer;
    socklen_t plen = sizeof peer;
    if (getpeername(s, (struct sockaddr *)&peer, &plen) != 0)
        return errno == ENOTCONN ? MXP_ERR(MXP_E_WOULD_BLOCK, 0) : from_errno(errno);
    return MXP_SUCCESS;
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
            return from_errno(errno);
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
            return from_errno(errno);
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

static void posix_close(void *ctx, mxp_sock s, bool abort_conn)
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

const struct mxp_hal_net_api mxp_posix_net_api = {
    .resolve = posix_resolve,
    .connect = posix_connect,
    .connect_result = posix_connect_result,
    .send = posix_send,
    .recv = posix_recv,
    .wait = posix_wait,
    .close = posix_close,
    .set_mss = posix_set_mss,
};
