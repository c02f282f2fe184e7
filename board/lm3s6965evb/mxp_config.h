/*
 * mxprobe configuration for the LM3S6965 evaluation board (Cortex-M3, lwIP,
 * 64 KiB of SRAM for static data, stack and heap together): one connection
 * at a time, the mps2 boards' smallest limits that still hold real MX
 * replies, and TLS records of at most 4 KB. Defaults and minimums:
 * firmware/include/mxp_opts.h. The RAM figures are in board.cmake.
 */
#ifndef MXP_CONFIG_H
#define MXP_CONFIG_H

/* One TLS connection at a time: each costs a wolfSSL session (tens of KB of
 * heap during the handshake) and lwIP PCBs/pbufs. */
#define MXP_CFG_CONCURRENT_SLOTS 1
#define MXP_CFG_MAX_CONCURRENT 1

/* One port's result in RAM (about 7 KB each): the shell probes 25, 465 and
 * 587 in turns and prints one report per port, leaving the RAM to wolfSSL. */
#define MXP_CFG_MAX_PORTS 1

/* An EHLO reply of 2 KB holds ~30 capability lines; big providers send < 600 B. */
#define MXP_CFG_SMTP_REPLY_MAX 2048

/* The DNS client (MX, PTR) borrows the attempt slot's storage while no
 * attempt runs: keep it within that (1 KB messages, 4 records per answer). */
#define MXP_CFG_DNS_MSG_MAX 1024
#define MXP_CFG_DNS_MAX_RR 4
#define MXP_CFG_MX_MAX 2
#define MXP_CFG_MX_ADDRS 2

/* Records of at most 4 KB (RFC 6066 max_fragment_length): a server that
 * honours it (OpenSSL does: postfix) never makes wolfSSL buffer 16 KB; one
 * that ignores it is reported as "record larger than this board's buffer". */
#define MXP_CFG_TLS_RECORD_MAX 4096

/* Everything that shapes the report's text (banner, DNs, SANs, capabilities)
 * keeps the Linux defaults, so both print the same report for the same MX. */

#endif /* MXP_CONFIG_H */
