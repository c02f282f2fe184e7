/*
 * lwIP hook prototypes (LWIP_HOOK_FILENAME in lwipopts.h). Included by lwIP's
 * own sources at a point where only the basic types are guaranteed, so the
 * structs are forward-declared.
 */
#ifndef MXP_LWIP_HOOKS_H
#define MXP_LWIP_HOOKS_H

#include "lwip/arch.h"

struct pbuf;
struct tcp_hdr;
struct tcp_pcb;

/* LWIP_HOOK_TCP_OUT_ADD_TCPOPTS: called for every outgoing TCP segment after
 * lwIP wrote its options and before the checksum. Rewrites the MSS option of
 * a SYN sent by a socket that had set_mss() applied; adds no options, so it
 * returns opts unchanged. pcb may be NULL (RST/empty ACK). */
u32_t *mxp_lwip_hook_tcp_opts(struct pbuf *p, struct tcp_hdr *hdr, const struct tcp_pcb *pcb,
                              u32_t *opts);

#endif /* MXP_LWIP_HOOKS_H */
