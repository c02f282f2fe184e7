/*
 * lwIP 2.1.3 configuration for mxprobe on bare metal: NO_SYS=1, raw API only,
 * IPv4, one Ethernet netif polled from a single thread of control.
 *
 * Sizing target: one probe connection at a time (two at most, e.g. a
 * connection still draining while the next one opens) whose server may send a
 * TLS flight of ~16 KB (certificate chain) in one go. The client itself only
 * sends small records (SMTP commands, ClientHello, key exchange, Finished).
 * Everything is a static pool: lwIP never calls malloc (MEM_LIBC_MALLOC=0).
 *
 * MXP_LWIP_HOST_TEST (tests/unit/test_lwip_net.c only) builds the same stack
 * for the host with loopback to the netif's own address, so two lwIP pcbs can
 * talk to each other in-process; see the block at the end.
 */
#ifndef MXP_LWIPOPTS_H
#define MXP_LWIPOPTS_H

/* ---- system ---------------------------------------------------------------- */
#define NO_SYS 1
/* Only the main loop touches lwIP; the NIC driver is polled, never fills
 * pbufs from an interrupt. A board that does must turn this on. */
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_NETCONN 0
#define LWIP_SOCKET 0
#define LWIP_ALTCP 0
#define LWIP_CALLBACK_API 1
#define LWIP_TIMERS 1

/* ---- memory ------------------------------------------------------------------ */
#define MEM_LIBC_MALLOC 0
#define MEMP_MEM_MALLOC 0
#define MEM_ALIGNMENT 4
/* Sized for one TCP connection at a time, as the mps2 boards probe
 * (MXP_CFG_CONCURRENT_SLOTS 1): every KB left here goes to wolfSSL's heap,
 * whose handshake peak (44 KB for the DHE matrix) is the tight part of the
 * 96 KiB budget. A board probing with 2 connections defines both larger.
 *
 * Heap for PBUF_RAM: every byte we tcp_write (TCP_WRITE_FLAG_COPY) lives here
 * until ACKed, plus DHCP/DNS/ARP/ICMP replies: TCP_SND_BUF 2920 + ~4 segments
 * x ~80 B headers/pbuf = ~3.3 KB, +1.5 KB for one DHCP message (~600 B), a
 * DNS query and an echo reply. */
#ifndef MEM_SIZE
#define MEM_SIZE (6 * 1024)
#endif
/* Receive buffers: the driver copies each frame into one pool pbuf. A full
 * receive window (TCP_WND = 4 MSS) plus 2 for ARP/DHCP/DNS arriving
 * meanwhile. A 16 KB flight then arrives in ~3 windows; more pbufs only help
 * when the engine reads slowly. */
#ifndef PBUF_POOL_SIZE
#define PBUF_POOL_SIZE 6
#endif
/* One max-size Ethernet frame (1514) per pbuf, rounded up so a driver that
 * also reads the 4-byte FCS or pads to 32-bit words still fits in one. A
 * board with a smaller TCP_MSS sizes it to one full segment; the drivers
 * chain pool pbufs for a larger frame. */
#ifndef PBUF_POOL_BUFSIZE
#define PBUF_POOL_BUFSIZE 1536
#endif
/* PBUF_REF/ROM: used by lwIP internally (we always copy on tcp_write). */
#define MEMP_NUM_PBUF 4
/* Our socket table plus two pcbs lingering in TIME_WAIT / LAST_ACK after
 * close (lwIP recycles the oldest TIME_WAIT pcb when it runs out). */
#ifndef MXP_LWIP_SOCKETS
#define MXP_LWIP_SOCKETS 4
#endif
#define MEMP_NUM_TCP_PCB (MXP_LWIP_SOCKETS + 2)
#define MEMP_NUM_TCP_PCB_LISTEN 1 /* a client: the pool only has to exist */
/* Queued TCP segments: the send queue of 2 connections (TCP_SND_QUEUELEN
 * each) plus out-of-order segments held on receive. */
#define MEMP_NUM_TCP_SEG 16
/* UDP sockets of the HAL (udp_open: the engine's DNS client, one query at a
 * time, next to at most one TCP connection on these boards); their handles
 * follow the TCP ones. Each holds at most MXP_LWIP_UDP_QUEUE datagrams until
 * read, more are dropped: a reply and one stray. They keep the pool pbufs
 * they arrived in (no heap copy), which a full TCP window would miss only
 * while the engine has not read them - it reads its DNS answers at once. */
#ifndef MXP_LWIP_UDP_SOCKETS
#define MXP_LWIP_UDP_SOCKETS 1
#endif
#ifndef MXP_LWIP_UDP_QUEUE
#define MXP_LWIP_UDP_QUEUE 2
#endif
/* DHCP's pcb, lwIP's own DNS client's (DNS_MAX_SOURCE_PORTS below) and ours. */
#define MEMP_NUM_UDP_PCB (2 + MXP_LWIP_UDP_SOCKETS)
#define MEMP_NUM_RAW_PCB 1
#define MEMP_NUM_ARP_QUEUE 4
/* lwIP computes MEMP_NUM_SYS_TIMEOUT from the enabled protocols. */

/* ---- IP ------------------------------------------------------------------------ */
#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define ARP_TABLE_SIZE 4 /* gateway, DNS server, a local peer */
#define ARP_QUEUEING 0   /* keep the latest packet per unresolved entry */
#define ETH_PAD_SIZE 0   /* the driver hands frames at the pbuf payload start */
/* TCP never sends fragments (DF), DNS answers are <= 512 B without EDNS: no
 * reassembly buffers or fragmentation code needed. */
#define IP_REASSEMBLY 0
#define IP_FRAG 0
#define IP_DEFAULT_TTL 64
#define LWIP_RAW 1
#define LWIP_ICMP 1 /* answer ping: the first thing to try when a board is silent */
#define LWIP_IGMP 0
#define LWIP_AUTOIP 0
#define LWIP_BROADCAST_PING 0
#define LWIP_MULTICAST_PING 0

/* ---- UDP / DHCP / DNS -------------------------------------------------------------- */
#define LWIP_UDP 1
#define LWIP_DHCP 1
/* The ARP probe after an ACK costs ~1 s at every boot and a few hundred bytes
 * of flash; the fallback address is static anyway. */
#define DHCP_DOES_ARP_CHECK 0
#define LWIP_DHCP_GET_NTP_SRV 0
#define LWIP_DNS 1
#ifndef DNS_TABLE_SIZE
#define DNS_TABLE_SIZE 4 /* 272 B each; a board short of RAM keeps 1 (one lookup at a time) */
#endif
#define DNS_MAX_NAME_LENGTH 256 /* RFC 1035: 255 octets + NUL */
#define DNS_MAX_SERVERS 2
/* lwIP's resolver takes a fresh random source port per query (LWIP_DNS_SECURE)
 * but, with this, never more than one pcb at a time: queries abandoned at
 * their deadline would otherwise hold up to DNS_TABLE_SIZE pcbs and starve
 * udp_open of the one MEMP_NUM_UDP_PCB keeps for it. */
#define DNS_MAX_SOURCE_PORTS 1
#define LWIP_DNS_SUPPORT_MDNS_QUERIES 0
#define DNS_LOCAL_HOSTLIST 0
/* LWIP_RAND is mxp_lwip_rand() (arch/cc.h): DNS transaction ids and source
 * ports are randomised (LWIP_DNS_SECURE default) and so are the first local
 * TCP/UDP ports. */

/* ---- TCP ----------------------------------------------------------------------------- */
#define LWIP_TCP 1
/* Boards short of RAM may lower TCP_MSS (to 536, RFC 879's default): every
 * pool pbuf then holds one 590-byte segment instead of a 1514-byte frame. */
#ifndef TCP_MSS
#define TCP_MSS 1460 /* Ethernet MTU 1500 - 40 */
#endif
/* Receive window 4 MSS (5840 B): bounded by PBUF_POOL_SIZE (see above). The
 * window only reopens when the application consumes data (tcp_recved in
 * mxp_lwip_net.c recv), so unread data never exhausts the pool. */
#ifndef TCP_WND
#define TCP_WND (4 * TCP_MSS)
#endif
/* Send buffer 2 MSS (2920 B): our largest single write is a ClientHello
 * (~0.5-1.5 KB) or a TLS 1.2 key exchange + Finished flight; the engine
 * retries on MXP_E_WOULD_BLOCK, so larger writes still go through. */
#ifndef TCP_SND_BUF
#define TCP_SND_BUF (2 * TCP_MSS)
#endif
#define TCP_SND_QUEUELEN ((4 * (TCP_SND_BUF) + (TCP_MSS - 1)) / (TCP_MSS))
/* Out-of-order segments are kept, but at most 2 pbufs per connection so a
 * lossy path cannot starve the pool. */
#define TCP_QUEUE_OOSEQ 1
#define TCP_OOSEQ_MAX_PBUFS 2
#define LWIP_TCP_KEEPALIVE 0 /* probe connections live seconds, not hours */
#define LWIP_TCP_TIMESTAMPS 0
#define LWIP_WND_SCALE 0
#define LWIP_TCP_SACK_OUT 0
#define TCP_LISTEN_BACKLOG 0
#define TCP_CALCULATE_EFF_SEND_MSS 1
/* set_mss (path-MTU black-hole detection) rewrites the MSS option of our SYN
 * through this hook; see mxp_lwip_hooks.h. */
#define LWIP_HOOK_FILENAME "mxp_lwip_hooks.h"
#define LWIP_HOOK_TCP_OUT_ADD_TCPOPTS(p, hdr, pcb, opts) mxp_lwip_hook_tcp_opts(p, hdr, pcb, opts)

/* ---- netif ------------------------------------------------------------------------------ */
#define LWIP_NETIF_HOSTNAME 1 /* sent in DHCP requests */
#define LWIP_NETIF_STATUS_CALLBACK 0
#define LWIP_NETIF_LINK_CALLBACK 0
#define LWIP_SINGLE_NETIF 0
#define LWIP_HAVE_LOOPIF 0
#define LWIP_NETIF_LOOPBACK 0

/* ---- checksums: all in software, the LAN9118 offloads nothing we use ---------------------- */
#define CHECKSUM_GEN_IP 1
#define CHECKSUM_GEN_UDP 1
#define CHECKSUM_GEN_TCP 1
#define CHECKSUM_GEN_ICMP 1
#define CHECKSUM_CHECK_IP 1
#define CHECKSUM_CHECK_UDP 1
#define CHECKSUM_CHECK_TCP 1
#define CHECKSUM_CHECK_ICMP 1

/* ---- statistics and debugging ----------------------------------------------------------- */
#ifndef LWIP_STATS
#define LWIP_STATS 0 /* ~1 KB RAM and a few KB flash; turn on to chase pool exhaustion */
#endif
#define LWIP_STATS_DISPLAY 0
#define MIB2_STATS 0
/* Assertions: on Cortex-M their message and file strings cost ~13 KB of
 * flash (lwIP 41 KB -> 28 KB at -Os), so firmware builds drop them; the host
 * unit test keeps them. Define MXP_LWIP_ASSERT=1 to keep them on a board. */
#if !defined(MXP_LWIP_HOST_TEST) && !(defined(MXP_LWIP_ASSERT) && MXP_LWIP_ASSERT)
#define LWIP_NOASSERT 1
#endif

/* ---- host unit test: loop traffic to our own address back in-process -------------------- */
#ifdef MXP_LWIP_HOST_TEST
#undef MEM_ALIGNMENT
#define MEM_ALIGNMENT 8 /* 64-bit host: pbufs hold pointers */
#undef LWIP_NETIF_LOOPBACK
#define LWIP_NETIF_LOOPBACK 1
#define LWIP_LOOPBACK_MAX_PBUFS 0
#undef MEMP_NUM_TCP_PCB
#define MEMP_NUM_TCP_PCB 16 /* client and server sides of every test connection */
#undef MEMP_NUM_TCP_PCB_LISTEN
#define MEMP_NUM_TCP_PCB_LISTEN 2
/* Looped-back segments are PBUF_RAM copies (both directions live in the heap). */
#undef MEM_SIZE
#define MEM_SIZE (64 * 1024)
#undef MEMP_NUM_TCP_SEG
#define MEMP_NUM_TCP_SEG 64
#undef MEMP_NUM_UDP_PCB
#define MEMP_NUM_UDP_PCB (2 + MXP_LWIP_UDP_SOCKETS + 2) /* + the test's DNS server and UDP peer */
#endif

/* A full receive window must fit in the pool with room for ARP/DHCP/DNS,
 * or a slow reader starves the NIC of buffers: shrink TCP_WND with the pool. */
#if PBUF_POOL_SIZE < (TCP_WND / TCP_MSS) + 2
#error "PBUF_POOL_SIZE too small for TCP_WND: need TCP_WND/TCP_MSS + 2 pool pbufs"
#endif

#endif /* MXP_LWIPOPTS_H */
