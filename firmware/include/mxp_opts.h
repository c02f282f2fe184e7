/*
 * Compile-time options with documented defaults (like lwIP's opt.h).
 *
 * The board's mxp_config.h is included first and may override any option;
 * every default below names its type, unit and minimum. This is the one
 * place where firmware/ defines an MXP_CFG_ default: a module that needs an
 * option includes this header, never a #ifndef of its own.
 */
#ifndef MXP_OPTS_H
#define MXP_OPTS_H

#include "mxp_config.h"

/* Ports probed in one run (count, min 1). */
#ifndef MXP_CFG_MAX_PORTS
#define MXP_CFG_MAX_PORTS 4
#endif

/* Ports one run may ask for (count, min MXP_CFG_MAX_PORTS): a run of more
 * ports than a result holds probes them in turns (mxp_run.h). */
#ifndef MXP_CFG_RUN_PORTS_MAX
#define MXP_CFG_RUN_PORTS_MAX 8
#endif
#if MXP_CFG_RUN_PORTS_MAX < MXP_CFG_MAX_PORTS || MXP_CFG_RUN_PORTS_MAX > 32
#error "mxp_config.h: MXP_CFG_RUN_PORTS_MAX must be MXP_CFG_MAX_PORTS..32"
#endif

/* Cipher suites tracked per TLS version (count, min 8). wolfSSL 5.5.4 offers
 * at most 37 client suites across TLS 1.0-1.3. */
#ifndef MXP_CFG_MAX_SUITES
#define MXP_CFG_MAX_SUITES 40
#endif

/* Connections open at once towards the MX (count, min 1). Politeness default. */
#ifndef MXP_CFG_MAX_CONCURRENT
#define MXP_CFG_MAX_CONCURRENT 2
#endif

/* Hard ceiling for --max-conns / the `config` shell command (count, min 1);
 * sizes the engine's attempt slots, so it costs RAM per slot. */
#ifndef MXP_CFG_CONCURRENT_SLOTS
#define MXP_CFG_CONCURRENT_SLOTS 4
#endif

/* Default per-step deadline (ms, min 100): connect, each SMTP reply, the TLS
 * handshake and QUIT each get this much. */
#ifndef MXP_CFG_DEFAULT_TIMEOUT_MS
#define MXP_CFG_DEFAULT_TIMEOUT_MS 10000u
#endif

/* Longest SMTP reply line accepted, including CRLF (bytes, min 512:
 * RFC 5321 section 4.5.3.1.5). */
#ifndef MXP_CFG_SMTP_LINE_MAX
#define MXP_CFG_SMTP_LINE_MAX 512
#endif

/* Lines in one multi-line SMTP reply (count, min 8). */
#ifndef MXP_CFG_SMTP_LINES_MAX
#define MXP_CFG_SMTP_LINES_MAX 32
#endif

/* Bytes of one multi-line SMTP reply, all lines with CRLFs (bytes, min 1024). */
#ifndef MXP_CFG_SMTP_REPLY_MAX
#define MXP_CFG_SMTP_REPLY_MAX 4096
#endif

/* Stored first-line text of a reply, e.g. the banner (bytes incl NUL, min 64). */
#ifndef MXP_CFG_SMTP_TEXT_MAX
#define MXP_CFG_SMTP_TEXT_MAX 256
#endif

/* EHLO capabilities kept, and the length of each (count min 8; bytes min 32). */
#ifndef MXP_CFG_EHLO_CAPS_MAX
#define MXP_CFG_EHLO_CAPS_MAX 24
#endif
#ifndef MXP_CFG_EHLO_CAP_LEN
#define MXP_CFG_EHLO_CAP_LEN 64
#endif

/* Host names (bytes incl NUL; 254 holds any DNS name, min 64). */
#ifndef MXP_CFG_HOST_MAX
#define MXP_CFG_HOST_MAX 254
#endif

/* Certificate summary: DN text, SAN count and SAN length (bytes, count, bytes). */
#ifndef MXP_CFG_CERT_DN_MAX
#define MXP_CFG_CERT_DN_MAX 160
#endif
#ifndef MXP_CFG_CERT_SANS_MAX
#define MXP_CFG_CERT_SANS_MAX 8
#endif
#ifndef MXP_CFG_CERT_SAN_LEN
#define MXP_CFG_CERT_SAN_LEN 96
#endif

/* Ports whose reachability is recorded (count, min MXP_CFG_MAX_PORTS + 2): the
 * probed ports plus 465 and 587 as witnesses when 25 does not answer. */
#ifndef MXP_CFG_REACH_MAX
#define MXP_CFG_REACH_MAX (MXP_CFG_MAX_PORTS + 2)
#endif

/* Connect samples per port for the RTT figures (count, 0 = none, max 16), and
 * the pause from the start of one to the start of the next (ms). */
#ifndef MXP_CFG_RTT_SAMPLES
#define MXP_CFG_RTT_SAMPLES 5
#endif
#define MXP_RTT_SAMPLES_MAX 16
#ifndef MXP_CFG_RTT_INTERVAL_MS
#define MXP_CFG_RTT_INTERVAL_MS 100u
#endif

/* Largest TLS record plaintext the board can buffer (bytes: 16384, or a power
 * of two 512..4096). Below 16384 every ClientHello asks the server for records
 * that small (RFC 6066 max_fragment_length; needs wolfSSL's HAVE_MAX_FRAGMENT),
 * and a record longer than this plus MXP_TLS_RECORD_EXPANSION ends the
 * handshake as MXP_E_TLS_RECORD_TOO_LARGE: an outcome of its own, never a
 * verdict on the server's TLS versions. */
#ifndef MXP_CFG_TLS_RECORD_MAX
#define MXP_CFG_TLS_RECORD_MAX 16384
#endif
/* What a record may add to its plaintext (bytes): a CBC IV, a SHA-384 MAC and
 * 255 bytes of padding in TLS 1.2 (319); TLS 1.3 allows 256. */
#define MXP_TLS_RECORD_EXPANSION 320

/* MSS for the retry of a handshake that stalled after ClientHello (bytes,
 * min 536: RFC 879's default; 1220 for IPv6 is also safe). */
#ifndef MXP_CFG_CLAMP_MSS
#define MXP_CFG_CLAMP_MSS 536
#endif

/* A banner slower than this is reported as a finding (ms). */
#ifndef MXP_CFG_SLOW_BANNER_MS
#define MXP_CFG_SLOW_BANNER_MS 2000u
#endif

#if MXP_CFG_REACH_MAX < MXP_CFG_MAX_PORTS + 2 || MXP_CFG_RTT_SAMPLES > MXP_RTT_SAMPLES_MAX ||      \
    MXP_CFG_CLAMP_MSS < 536
#error "mxp_config.h: MXP_CFG_REACH_MAX, MXP_CFG_RTT_SAMPLES or MXP_CFG_CLAMP_MSS out of range"
#endif

/* ---- DNS client, MX lookup ------------------------------------------------ */

/* Records kept from one response (count, min 1, max 255): MX exchangers, or
 * the A/AAAA addresses of one host. Each costs about MXP_CFG_HOST_MAX + 32
 * bytes of the caller's struct mxp_dns_answer. More matching records than
 * this: the first ones are kept and `more` is set. */
#ifndef MXP_CFG_DNS_MAX_RR
#define MXP_CFG_DNS_MAX_RR 16
#endif
#if MXP_CFG_DNS_MAX_RR < 1 || MXP_CFG_DNS_MAX_RR > 255
#error "mxp_config.h: MXP_CFG_DNS_MAX_RR must be 1..255"
#endif

/* Nameservers asked (count, min 1): glibc's MAXNS. */
#ifndef MXP_CFG_DNS_SERVERS
#define MXP_CFG_DNS_SERVERS 3
#endif
/* Rounds over the servers (count, min 1). */
#ifndef MXP_CFG_DNS_TRIES
#define MXP_CFG_DNS_TRIES 2
#endif
/* Wait for one answer over UDP before the next server is asked (ms, min 100). */
#ifndef MXP_CFG_DNS_TRY_MS
#define MXP_CFG_DNS_TRY_MS 1500u
#endif
/* Largest message taken over TCP (bytes, min 512); longer ones are refused as
 * MXP_DNS_BAD_FRAME. An MX answer of 16 records fits in well under 2 KiB. */
#ifndef MXP_CFG_DNS_MSG_MAX
#define MXP_CFG_DNS_MSG_MAX 4096
#endif
#if MXP_CFG_DNS_SERVERS < 1 || MXP_CFG_DNS_TRIES < 1 || MXP_CFG_DNS_TRY_MS < 100 ||                \
    MXP_CFG_DNS_MSG_MAX < 512
#error "mxp_config.h: MXP_CFG_DNS_* below minimum"
#endif

/* Exchangers kept (count, min 1); more are counted in `more`. */
#ifndef MXP_CFG_MX_MAX
#define MXP_CFG_MX_MAX 8
#endif
/* Addresses kept per exchanger (count, min 1). */
#ifndef MXP_CFG_MX_ADDRS
#define MXP_CFG_MX_ADDRS 4
#endif
#if MXP_CFG_MX_MAX < 1 || MXP_CFG_MX_ADDRS < 1
#error "mxp_config.h: MXP_CFG_MX_MAX and MXP_CFG_MX_ADDRS must be at least 1"
#endif

/* ---- serial-console shell -------------------------------------------------- */

/* Shell: bytes of one typed line (min 64), and the output buffer flushed to
 * the sink (bytes, min 64). */
#ifndef MXP_CFG_SHELL_LINE_MAX
#define MXP_CFG_SHELL_LINE_MAX 160
#endif
#ifndef MXP_CFG_SHELL_OUT_MAX
#define MXP_CFG_SHELL_OUT_MAX 256
#endif
#if MXP_CFG_SHELL_LINE_MAX < 64 || MXP_CFG_SHELL_OUT_MAX < 64
#error "mxp_config.h: MXP_CFG_SHELL_LINE_MAX and MXP_CFG_SHELL_OUT_MAX must be at least 64"
#endif

/* ---- checks of the probe's limits ----------------------------------------- */

#if MXP_CFG_MAX_PORTS < 1 || MXP_CFG_MAX_SUITES < 8 || MXP_CFG_MAX_CONCURRENT < 1
#error "mxp_config.h: MXP_CFG_MAX_PORTS, MXP_CFG_MAX_SUITES, MXP_CFG_MAX_CONCURRENT below minimum"
#endif
#if MXP_CFG_CONCURRENT_SLOTS < MXP_CFG_MAX_CONCURRENT
#error "mxp_config.h: MXP_CFG_CONCURRENT_SLOTS must be >= MXP_CFG_MAX_CONCURRENT"
#endif
#if MXP_CFG_TLS_RECORD_MAX != 16384 && MXP_CFG_TLS_RECORD_MAX != 4096 &&                           \
    MXP_CFG_TLS_RECORD_MAX != 2048 && MXP_CFG_TLS_RECORD_MAX != 1024 &&                            \
    MXP_CFG_TLS_RECORD_MAX != 512
#error "mxp_config.h: MXP_CFG_TLS_RECORD_MAX is 16384 or a max_fragment_length (512..4096)"
#endif
#if MXP_CFG_SMTP_LINE_MAX < 512 || MXP_CFG_SMTP_REPLY_MAX < 1024 || MXP_CFG_SMTP_LINES_MAX < 8
#error "mxp_config.h: SMTP limits below the RFC 5321 minimums"
#endif

#endif /* MXP_OPTS_H */
