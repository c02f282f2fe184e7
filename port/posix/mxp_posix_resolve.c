/*
 * Name resolution without libc's resolver: address literals, then /etc/hosts,
 * then DNS over UDP (TCP when the answer is truncated) to the nameservers of
 * /etc/resolv.conf, with the engine's hardened DNS codec (mxp_dns.h).
 *
 * Why not getaddrinfo(): a static binary for a router would carry glibc's
 * NSS machinery (207 KB on mipsel) and could still not load the NSS modules
 * a desktop's nsswitch.conf names; and getaddrinfo() has no deadline of its
 * own. Like glibc without nsswitch.conf: hosts first, then DNS. Search
 * domains are not applied: an MX is probed by its full name.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mxp_dns.h"
#include "mxp_posix.h"
#include "mxp_posix_sock.h"

#define MAX_SERVERS MXP_POSIX_MAXNS
#define TRIES 2 /* rounds over the servers */

static uint32_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
}

static size_t add_literal(const char *text, struct mxp_addr *out, size_t cap, size_t n,
                          int family)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (n >= cap)
        return n;
    memset(&out[n], 0, sizeof out[n]);
    if ((family == 0 || family == AF_INET) && inet_pton(AF_INET, text, &a4) == 1) {
        out[n].family = MXP_AF_INET;
        memcpy(out[n].bytes, &a4, 4);
        return n + 1;
    }
    if ((family == 0 || family == AF_INET6) && inet_pton(AF_INET6, text, &a6) == 1) {
        out[n].family = MXP_AF_INET6;
        memcpy(out[n].bytes, &a6, 16);
        return n + 1;
    }
    return n;
}

/* /etc/hosts: every address listed for host, IPv4 ones first. */
static size_t from_hosts(const char *host, struct mxp_addr *out, size_t cap)
{
    FILE *f = fopen("/etc/hosts", "re");
    size_t n = 0;
    char line[512];
    if (f == NULL)
        return 0;
    for (int family = AF_INET; family != 0; family = family == AF_INET ? AF_INET6 : 0) {
        rewind(f);
        while (fgets(line, sizeof line, f) != NULL) {
            line[strcspn(line, "#\r\n")] = '\0';
            char *save = NULL;
            char *addr = strtok_r(line, " \t", &save);
            for (char *name = addr ? strtok_r(NULL, " \t", &save) : NULL; name != NULL;
                 name = strtok_r(NULL, " \t", &save)) {
                if (mxp_dns_name_eq(name, host)) {
                    n = add_literal(addr, out, cap, n, family);
                    break;
                }
            }
        }
    }
    fclose(f);
    return n;
}

size_t mxp_posix_nameservers(const char *path, struct mxp_addr *out, size_t cap)
{
    size_t max = cap < MXP_POSIX_MAXNS ? cap : MXP_POSIX_MAXNS;
    FILE *f = fopen(path, "re");
    size_t n = 0;
    char line[256], addr[64];
    if (f != NULL) {
        while (n < max && fgets(line, sizeof line, f) != NULL) {
            if (sscanf(line, " nameserver %63s", addr) == 1)
                n = add_literal(addr, out, max, n, 0);
        }
        fclose(f);
    }
    if (n == 0 && cap > 0) { /* no nameserver line: the local host, as glibc does */
        memset(&out[0], 0, sizeof out[0]);
        out[0].family = MXP_AF_INET;
        out[0].bytes[0] = 127;
        out[0].bytes[3] = 1;
        n = 1;
    }
    return n;
}

static size_t nameservers(struct sockaddr_storage *ns)
{
    struct mxp_addr a[MAX_SERVERS];
    size_t n = mxp_posix_nameservers(MXP_POSIX_RESOLV_CONF, a, MAX_SERVERS);
    for (size_t i = 0; i < n; i++)
        (void)mxp_posix_sockaddr(&a[i], 53, &ns[i]);
    return n;
}

static socklen_t ss_len(const struct sockaddr_storage *ss)
{
    return ss->ss_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
}

/* Wait for fd to become ready for `events` until deadline; false on timeout. */
static bool wait_fd(int fd, short events, uint32_t deadline)
{
    for (;;) {
        int32_t left = (int32_t)(deadline - mono_ms());
        if (left <= 0)
            return false;
        struct pollfd p = {.fd = fd, .events = events};
        int rc = poll(&p, 1, left);
        if (rc > 0)
            return true;
        if (rc < 0 && errno != EINTR)
            return false;
    }
}

/* One query over TCP (the UDP answer was truncated). */
static mxp_err ask_tcp(const struct sockaddr_storage *ns, const uint8_t *query, size_t qlen,
                       uint8_t *resp, size_t cap, size_t *rlen, uint32_t deadline)
{
    int fd = socket(ns->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    mxp_err e = MXP_ERR(MXP_E_TIMEOUT, 0);
    size_t have = 0;
    uint8_t frame[2];
    if (fd < 0)
        return MXP_ERR(MXP_E_DNS_FAIL, errno);
    if ((connect(fd, (const struct sockaddr *)ns, ss_len(ns)) != 0 && errno != EINPROGRESS) ||
        !wait_fd(fd, POLLOUT, deadline))
        goto out;
    frame[0] = (uint8_t)(qlen >> 8);
    frame[1] = (uint8_t)qlen;
    if (send(fd, frame, 2, MSG_NOSIGNAL) != 2 || send(fd, query, qlen, MSG_NOSIGNAL) != (ssize_t)qlen)
        goto out;
    for (;;) {
        const uint8_t *msg;
        size_t msg_len, used;
        mxp_err t = mxp_dns_tcp_take(resp, have, cap - 2, &msg, &msg_len, &used);
        if (mxp_ok(t)) {
            memmove(resp, msg, msg_len);
            *rlen = msg_len;
            e = MXP_SUCCESS;
            break;
        }
        if (!mxp_is(t, MXP_E_WOULD_BLOCK) || have == cap || !wait_fd(fd, POLLIN, deadline)) {
            e = mxp_is(t, MXP_E_WOULD_BLOCK) ? e : t;
            break;
        }
        ssize_t got = recv(fd, resp + have, cap - have, 0);
        if (got <= 0) {
            e = MXP_ERR(MXP_E_DNS_FAIL, 0);
            break;
        }
        have += (size_t)got;
    }
out:
    close(fd);
    return e;
}

/* Ask every server in turn for host/qtype until one answers. */
static mxp_err ask(const char *host, uint16_t qtype, const struct sockaddr_storage *ns, size_t n_ns,
                   uint32_t deadline, struct mxp_dns_answer *ans)
{
    uint8_t query[MXP_DNS_QUERY_MAX];
    uint8_t resp[4096];
    size_t qlen = 0;
    uint16_t id;
    if (getrandom(&id, sizeof id, 0) != (ssize_t)sizeof id)
        id = (uint16_t)mono_ms();
    MXP_GUARD(mxp_dns_build_query(query, sizeof query, &qlen, id, host, qtype, true));
    uint32_t start = mono_ms();
    uint32_t slice = (deadline - start) / (uint32_t)(TRIES * n_ns);
    mxp_err last = MXP_ERR(MXP_E_TIMEOUT, 0);
    for (unsigned t = 0; t < TRIES * n_ns; t++) {
        const struct sockaddr_storage *server = &ns[t % n_ns];
        uint32_t try_deadline = t + 1 == TRIES * n_ns ? deadline : mono_ms() + slice;
        int fd = socket(server->ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return MXP_ERR(MXP_E_DNS_FAIL, errno);
        if (sendto(fd, query, qlen, 0, (const struct sockaddr *)server, ss_len(server)) ==
            (ssize_t)qlen) {
            /* Replies that are not ours (wrong ID, wrong question) are
             * dropped and the wait goes on, as RFC 5452 asks. */
            while (wait_fd(fd, POLLIN, try_deadline)) {
                ssize_t got = recv(fd, resp, sizeof resp, 0);
                if (got <= 0)
                    break;
                mxp_err e = mxp_dns_parse_response(resp, (size_t)got, id, host, qtype, ans);
                if (mxp_is(e, MXP_E_DNS_FAIL) && e.detail >= 100)
                    continue; /* malformed or someone else's: not an answer */
                if (mxp_ok(e) && ans->truncated) {
                    size_t rlen = 0;
                    e = ask_tcp(server, query, qlen, resp, sizeof resp, &rlen, deadline);
                    if (mxp_ok(e))
                        e = mxp_dns_parse_response(resp, rlen, id, host, qtype, ans);
                }
                if (mxp_ok(e) || mxp_is(e, MXP_E_DNS_NXDOMAIN) || mxp_is(e, MXP_E_DNS_NODATA)) {
                    close(fd);
                    return e;
                }
                last = e; /* SERVFAIL, REFUSED: try the next server */
                break;
            }
        }
        close(fd);
        if ((int32_t)(deadline - mono_ms()) <= 0)
            break;
    }
    return last;
}

mxp_err mxp_posix_resolve(const char *host, struct mxp_addr *out, size_t cap, size_t *n_out,
                          uint32_t timeout_ms)
{
    static struct mxp_dns_answer ans; /* 4.7 KB: off the stack; one resolution at a time */
    struct sockaddr_storage ns[MAX_SERVERS];
    *n_out = 0;
    if (cap == 0)
        return MXP_ERR(MXP_E_USAGE, 0);
    if ((*n_out = add_literal(host, out, cap, 0, 0)) > 0)
        return MXP_SUCCESS;
    if ((*n_out = from_hosts(host, out, cap)) > 0)
        return MXP_SUCCESS;

    size_t n_ns = nameservers(ns);
    uint32_t deadline = mono_ms() + timeout_ms;
    static const uint16_t qtypes[] = {MXP_DNS_A, MXP_DNS_AAAA}; /* IPv4 first */
    mxp_err first = MXP_SUCCESS;
    for (size_t q = 0; q < 2 && *n_out < cap; q++) {
        mxp_err e = ask(host, qtypes[q], ns, n_ns, deadline, &ans);
        if (mxp_is(e, MXP_E_DNS_NXDOMAIN))
            return e; /* the name does not exist: no other type will help */
        if (q == 0)
            first = e;
        for (size_t i = 0; mxp_ok(e) && i < ans.n && *n_out < cap; i++) {
            if (ans.rr[i].type == qtypes[q])
                out[(*n_out)++] = ans.rr[i].addr;
        }
    }
    if (*n_out > 0)
        return MXP_SUCCESS;
    return mxp_ok(first) ? MXP_ERR(MXP_E_DNS_NODATA, 0) : first;
}
