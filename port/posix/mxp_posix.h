/*
 * POSIX (Linux kernel sockets) implementation of the mxprobe HAL.
 */
#ifndef MXP_POSIX_H
#define MXP_POSIX_H

#include <stdbool.h>
#include <stdint.h>

#include "mxp_hal.h"
#include "mxp_status_line.h"

/* mtu_probe methods (struct mxp_posix_net.mtu_methods), tried in this order. */
enum mxp_posix_mtu_method {
    MXP_POSIX_MTU_PING = 1u << 0, /* ICMP echo, unprivileged ping socket (ping_group_range) */
    MXP_POSIX_MTU_RAW = 1u << 1,  /* ICMP echo, raw socket (CAP_NET_RAW) */
    MXP_POSIX_MTU_UDP = 1u << 2,  /* UDP to port 33434+, the destination's port unreachable */
};

struct mxp_posix_net {
    uint16_t next_mss; /* applied to the next connect(), 0 = kernel default */
    /* dns_servers() reads this file; NULL = MXP_POSIX_RESOLV_CONF. */
    const char *resolv_conf;
    /* MXP_POSIX_MTU_* bits mtu_probe() may use; 0 = all of them. */
    uint8_t mtu_methods;
};

struct mxp_posix_sink {
    int out_fd;         /* report output, normally stdout */
    int progress_fd;    /* progress line, normally stderr */
    bool show_progress; /* only when progress_fd is a terminal and the caller allows it */
    struct mxp_status_line progress;
};

struct mxp_posix_hal {
    struct mxp_posix_net net;
    struct mxp_posix_sink sink;
    struct mxp_hal hal;
};

/* Wire up the POSIX HAL. Progress appears on stderr only when allow_progress
 * is set and stderr is a terminal. */
void mxp_posix_hal_init(struct mxp_posix_hal *p, bool allow_progress);

#define MXP_POSIX_HOSTS "/etc/hosts"
/* Every address the hosts file at path lists for host (at most cap), IPv4
 * ones first; 0 when it lists none or there is no file (mxp_posix_hosts.c). */
size_t mxp_posix_hosts_lookup(const char *path, const char *host, struct mxp_addr *out, size_t cap);

#define MXP_POSIX_RESOLV_CONF "/etc/resolv.conf"
#define MXP_POSIX_MAXNS 3 /* nameservers taken from resolv.conf, as glibc's MAXNS */

/* The first MXP_POSIX_MAXNS (at most cap) "nameserver" lines of the
 * resolv.conf at path that hold an IPv4 or IPv6 literal, in file order;
 * when there is none (or no file), 127.0.0.1, as glibc does. Addresses with
 * a zone (fe80::1%eth0) are skipped: struct mxp_addr has no scope. Returns
 * the count: at least 1 when cap > 0. */
size_t mxp_posix_nameservers(const char *path, struct mxp_addr *out, size_t cap);

extern const struct mxp_hal_clock_api mxp_posix_clock;
extern const struct mxp_hal_entropy_api mxp_posix_entropy;
extern const struct mxp_hal_net_api mxp_posix_net_api;
extern const struct mxp_hal_sink_api mxp_posix_sink_api;

#endif /* MXP_POSIX_H */
