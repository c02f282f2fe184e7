/*
 * POSIX (Linux kernel sockets) implementation of the mxprobe HAL.
 */
#ifndef MXP_POSIX_H
#define MXP_POSIX_H

#include <stdbool.h>
#include <stdint.h>

#include "mxp_hal.h"
#include "mxp_status_line.h"

struct mxp_posix_net {
    uint16_t next_mss; /* applied to the next connect(), 0 = kernel default */
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

/* Literals, /etc/hosts, then DNS to /etc/resolv.conf's nameservers (UDP, TCP
 * on truncation), IPv4 first, all within timeout_ms (mxp_posix_resolve.c). */
MXP_MUST_CHECK mxp_err mxp_posix_resolve(const char *host, struct mxp_addr *out, size_t cap,
                                         size_t *n_out, uint32_t timeout_ms);

extern const struct mxp_hal_clock_api mxp_posix_clock;
extern const struct mxp_hal_entropy_api mxp_posix_entropy;
extern const struct mxp_hal_net_api mxp_posix_net_api;
extern const struct mxp_hal_sink_api mxp_posix_sink_api;

#endif /* MXP_POSIX_H */
