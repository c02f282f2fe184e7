/*
 * mxprobe network HAL over lwIP 2.1.3 (NO_SYS=1, raw API) for bare-metal
 * boards: one Ethernet netif from the board (board/common/mxp_board.h), DHCP
 * with a static fallback, DNS, and fixed tables of TCP and UDP sockets.
 *
 * lwIP keeps its state in globals, so there is exactly one struct mxp_lwip per
 * program: caller-allocated (static), initialised once, then passed as the
 * net_ctx of struct mxp_hal together with mxp_lwip_net_api.
 *
 * Single thread of control: lwIP callbacks run only inside mxp_lwip_poll(),
 * which every blocking HAL call (wait, resolve) and mxp_lwip_init() drive.
 * The shell should call mxp_lwip_poll() while idle so ARP/DHCP/ICMP keep
 * being answered.
 */
#ifndef MXP_LWIP_H
#define MXP_LWIP_H

#include <stdbool.h>
#include <stdint.h>

#include "lwip/ip_addr.h"
#include "lwip/netif.h"
#include "lwip/opt.h"
#include "mxp_hal.h"

#ifdef __cplusplus
extern "C" {
#endif

struct pbuf;
struct tcp_pcb;
struct mxp_lwip;

/* One TCP socket; the HAL handle is its index in mxp_lwip.socks. */
struct mxp_lwip_sock {
    struct mxp_lwip *owner;
    struct tcp_pcb *pcb; /* NULL once lwIP freed it (err callback) */
    struct pbuf *rxq;    /* received, not yet consumed; tcp_recved follows consumption */
    mxp_err err;         /* sticky failure: refused, reset, aborted */
    uint16_t mss_clamp;  /* set_mss() value applied at connect, 0 = none */
    uint8_t state;       /* enum mxp_lwip_sock_state (mxp_lwip_net.c) */
    bool fin;            /* peer closed its side: CLOSED once rxq drains */
};

struct udp_pcb;

/* One UDP socket; the HAL handle is MXP_LWIP_SOCKETS + its index in
 * mxp_lwip.udp. Received datagrams wait in a small ring, oldest first. */
struct mxp_lwip_udp {
    struct udp_pcb *pcb; /* NULL: the slot is free */
    struct {
        struct pbuf *p;
        ip4_addr_t from;
        uint16_t port;
    } q[MXP_LWIP_UDP_QUEUE];
    uint8_t head, count;
    uint16_t dropped; /* datagrams that found the ring full */
};

enum mxp_lwip_addr_mode {
    MXP_LWIP_ADDR_NONE = 0,  /* not initialised */
    MXP_LWIP_ADDR_DHCP_WAIT, /* DHCP running, no lease yet */
    MXP_LWIP_ADDR_DHCP,      /* address from a DHCP lease */
    MXP_LWIP_ADDR_STATIC,    /* static address (configured, or DHCP fallback) */
};

struct mxp_lwip_config {
    /* Static address, used when DHCP gives nothing within dhcp_wait_ms.
     * Defaults: QEMU user networking, 10.0.2.15/24 gw 10.0.2.2 dns 10.0.2.3. */
    ip4_addr_t ip, netmask, gw, dns;
    /* How long mxp_lwip_init() waits for a DHCP lease, in ms; 0 = no DHCP,
     * static address at once. Default 5000 (QEMU answers in about 1 s). */
    uint32_t dhcp_wait_ms;
    /* Host name sent in DHCP requests (must outlive the context); default
     * "mxprobe". */
    const char *hostname;
};

struct mxp_lwip {
    struct mxp_lwip_config cfg;
    struct netif netif;
    uint8_t mode; /* enum mxp_lwip_addr_mode */
    uint32_t dhcp_start_ms;
    uint16_t next_mss; /* set_mss(): applied to every later connect */
    struct {
        const char *host; /* the name being resolved, NULL when idle */
        bool done, found;
        ip_addr_t addr;
    } dns;
    struct mxp_lwip_sock socks[MXP_LWIP_SOCKETS];
    struct mxp_lwip_udp udp[MXP_LWIP_UDP_SOCKETS];
};

/* Status for the shell's `net` command; addresses are MXP_AF_INET. */
struct mxp_lwip_status {
    struct mxp_addr ip, netmask, gateway, dns;
    bool link_up;
    bool dhcp;       /* address from DHCP (else static or none) */
    bool configured; /* an address is set */
};

/* Fill cfg with the defaults described above. */
void mxp_lwip_config_defaults(struct mxp_lwip_config *cfg);

/* lwip_init, netif_add with the board NIC (mxp_board_netif_init), then DHCP;
 * blocks (polling the NIC) until a lease arrives or cfg->dhcp_wait_ms passes,
 * then falls back to the static address. cfg NULL = defaults. Call once.
 * Errors: MXP_E_USAGE (called twice), MXP_E_IO (the board NIC failed to init,
 * detail: lwIP err_t). */
MXP_MUST_CHECK mxp_err mxp_lwip_init(struct mxp_lwip *ctx, const struct mxp_lwip_config *cfg);

/* Feed received frames to lwIP and run its timers; never blocks. */
void mxp_lwip_poll(struct mxp_lwip *ctx);

void mxp_lwip_get_status(const struct mxp_lwip *ctx, struct mxp_lwip_status *out);

/* "dhcp", "static", "dhcp-wait" or "none". */
const char *mxp_lwip_mode_name(const struct mxp_lwip *ctx);

/* The HAL network operations; ctx is the struct mxp_lwip. */
extern const struct mxp_hal_net_api mxp_lwip_net_api;

#ifdef __cplusplus
}
#endif

#endif /* MXP_LWIP_H */
