/*
 * Helpers shared by the POSIX port's socket files (mxp_posix_net.c,
 * mxp_posix_mtu.c). Internal to port/posix.
 */
#ifndef MXP_POSIX_SOCK_H
#define MXP_POSIX_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "mxp_hal.h"

/* errno of a socket call as an mxprobe error (EAGAIN = MXP_E_WOULD_BLOCK,
 * ECONNREFUSED = MXP_E_TCP_REFUSED, EHOSTUNREACH = MXP_E_TCP_UNREACHABLE, ...). */
mxp_err mxp_posix_from_errno(int e);

/* a:port as a sockaddr_in / sockaddr_in6; its length, 0 for an unknown family. */
socklen_t mxp_posix_sockaddr(const struct mxp_addr *a, uint16_t port, struct sockaddr_storage *ss);

/* The reverse; an IPv4-mapped IPv6 address (a dual-stack socket talking to an
 * IPv4 peer) comes out as MXP_AF_INET. False for any other family (out is
 * zeroed). port may be NULL. */
bool mxp_posix_addr_of(const struct sockaddr_storage *ss, struct mxp_addr *out, uint16_t *port);

/* One entry of a socket's error queue (IP_RECVERR / IPV6_RECVERR). */
struct mxp_posix_sock_error {
    uint32_t err;             /* errno the kernel gives it (ECONNREFUSED, EMSGSIZE, ...) */
    uint8_t origin;           /* SO_EE_ORIGIN_LOCAL / _ICMP / _ICMP6, 0 when unknown */
    uint8_t type, code;       /* ICMP type and code (origin ICMP or ICMP6) */
    uint32_t info;            /* the MTU named by fragmentation-needed / packet-too-big */
    struct mxp_addr offender; /* who sent the ICMP; family 0 for a local error */
    struct mxp_addr dest;     /* where the datagram it is about was going */
    uint16_t dest_port;       /* and its destination port (UDP; 0 for ICMP) */
    size_t quoted;            /* bytes of that datagram's payload copied to the caller */
};

/* Take one entry of fd's error queue without blocking; false when it is
 * empty. The start of the offending datagram as the kernel quotes it (for
 * ICMP sockets its ICMP header, for UDP its payload) goes to quote[cap]. */
bool mxp_posix_take_error(int fd, struct mxp_posix_sock_error *out, uint8_t *quote, size_t cap);

/* Monotonic microseconds since an arbitrary origin. */
uint64_t mxp_posix_mono_us(void);

/* The HAL's mtu_probe (mxp_posix_mtu.c); ctx is the struct mxp_posix_net. */
mxp_err mxp_posix_mtu_probe(void *ctx, const struct mxp_addr *to, uint16_t size,
                            uint32_t timeout_ms, struct mxp_mtu_reply *out);

/* The Internet checksum (RFC 1071) of len bytes, as ICMP and ICMPv6 carry it. */
uint16_t mxp_posix_inet_checksum(const uint8_t *b, size_t len);

#endif /* MXP_POSIX_SOCK_H */
