/*
 * The one wolfSSL 5.5.4 configuration for every mxprobe target: Linux hosts now,
 * Cortex-M boards (lwIP, newlib, no OS) later. It is read by wolfSSL's
 * settings.h when WOLFSSL_USER_SETTINGS is defined, for the library *and* for
 * every file of ours that includes a wolfSSL header, so the struct layouts
 * agree. Nothing here may depend on the board except the sizing knobs marked
 * "board may override" (set them as compile definitions of mxp_wolfssl in
 * board/<name>/board.cmake, never by editing this file per board).
 *
 * What mxprobe needs from wolfSSL: a TLS *client* that can offer every
 * protocol version from TLS 1.0 to 1.3 and every cipher suite the library has
 * for them, one at a time, and hand back the server's certificate chain as
 * DER. It never authenticates the server (VERIFY_NONE; our own X.509 parser
 * reads the DER) and never presents a client certificate.
 */
#ifndef MXP_WOLFSSL_USER_SETTINGS_H
#define MXP_WOLFSSL_USER_SETTINGS_H

/* ---- platform: no OS services ------------------------------------------- */
/* Boards have no file system; certificates and keys never come from files. */
#define NO_FILESYSTEM
/* wolfSSL must not open sockets or call recv/send itself: the project installs
 * I/O callbacks (port/wolfssl/mxp_wolfssl_io.c) over the HAL's non-blocking
 * sockets, on Linux and on lwIP alike. */
#define WOLFSSL_USER_IO
#define WOLFSSL_NO_SOCK
#define NO_WRITEV
/* The engine has one thread of control (see mxp_hal.h): no mutexes, no
 * pthread dependency on the board. */
#define SINGLE_THREADED
/* Bounded stacks: big temporaries go to the heap instead (stack peak under
 * 3 KB on Cortex-M). Note: wolfSSL's own WOLFSSL_STATIC_MEMORY pool refuses
 * SMALL_STACK; the bounded arena (below) therefore uses the allocator hooks. */
#define WOLFSSL_SMALL_STACK
/* Silence wolfSSL's "this file does not need compiling" warnings if a build
 * ever lists an include-only source. */
#define WOLFSSL_IGNORE_FILE_WARN
/* Calendar conversion for wolfSSL's certificate date code (XGMTIME): our own
 * arithmetic in mxp_wolfssl_port.c, not libc's gmtime_r. In a static glibc
 * program gmtime_r drags in the time-zone code and with it sscanf and strtod
 * (about 70 KB of the 1 MiB budget of the Linux appliance boards); newlib's
 * is plain arithmetic like ours. wolfSSL passes a struct tm to fill
 * (NEED_TMP_TIME). */
#define XGMTIME(c, t) mxp_wolfssl_gmtime((long long)*(c), (t))
#define NEED_TMP_TIME
#ifndef __ASSEMBLER__
struct tm;
struct tm *mxp_wolfssl_gmtime(long long unix_time, struct tm *out);
#endif

/* ---- byte order and alignment: from the compiler, for every target ------- */
/* A user_settings.h build of wolfSSL assumes little-endian unless told
 * otherwise (configure would test it): on a big-endian CPU (MIPS routers of
 * OpenWrt ath79) every hash and MAC then comes out wrong, TLS 1.2 fails with
 * -193 and TLS 1.3 with bad_record_mac. GCC and Clang state the byte order,
 * so no board has to. */
#if !defined(__BYTE_ORDER__) || !defined(__ORDER_BIG_ENDIAN__) || !defined(__ORDER_LITTLE_ENDIAN__)
#error "user_settings.h: the compiler does not define __BYTE_ORDER__; say WORDS_BIGENDIAN or not"
#elif __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define WORDS_BIGENDIAN
#elif __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "user_settings.h: neither big- nor little-endian"
#endif
/* On big-endian, sp_int.c reads multi-precision numbers from the wire by
 * casting byte pointers to digit pointers: an unaligned load, which MIPS
 * traps (SIGBUS under QEMU; a slow kernel fix-up, if any, on a router). Build
 * digits from bytes instead, as little-endian targets always do. Costs
 * nothing anywhere else: the option only touches that big-endian shortcut. */
#define WOLFSSL_SP_INT_DIGIT_ALIGN

/* ---- entropy: the HAL, not /dev/random ---------------------------------- */
/* Every random byte wolfSSL wants comes from hal->entropy->fill through
 * mxp_wolfssl_rand_block() (port/wolfssl/mxp_wolfssl_port.c). This bypasses
 * the Hash-DRBG: on Linux the source is the kernel CSPRNG already, and on a
 * board without a TRNG a DRBG would only stretch a weak seed, which the report
 * states honestly instead. Prototype: int (unsigned char *, unsigned int), as
 * random.c expects int f(byte *, word32). */
#define CUSTOM_RAND_GENERATE_BLOCK mxp_wolfssl_rand_block
#ifndef __ASSEMBLER__
int mxp_wolfssl_rand_block(unsigned char *out, unsigned int sz);
#endif

/* ---- time: the HAL clock, not libc time() ------------------------------- */
/* USER_TICKS: wolfSSL calls LowResTimer() (seconds) and, only if session
 * tickets or PSK are ever enabled, TimeNowInMilliseconds(); both are defined
 * in mxp_wolfssl_port.c over hal->clock->now_ms (monotonic is all they need).
 * WOLFSSL_32BIT_MILLI_TIME makes the latter a word32, matching now_ms. */
#define USER_TICKS
#define WOLFSSL_32BIT_MILLI_TIME
/* Wall-clock seconds for wolfSSL's certificate date checks (wc_Time). The hook
 * returns hal->clock->unix_time, or 0 when the board has none; wolfSSL's date
 * verdict is ignored anyway under VERIFY_NONE. The argument is never written
 * through (wolfSSL only ever passes NULL). */
#define XTIME(t) ((void)(t), (time_t)mxp_wolfssl_unix_time())
#ifndef __ASSEMBLER__
long long mxp_wolfssl_unix_time(void);
#endif

/* ---- the HAL behind these hooks ------------------------------------------ */
/* The hooks above take no context argument, so the HAL whose entropy and
 * clock they use is installed once per probe by the engine's mxp_tls_init()
 * and removed by mxp_tls_deinit() (NULL). Declared here, with the hooks, so
 * the engine sees it as part of wolfSSL as this project configures it and
 * includes no port header (mxp_wolfssl_port.h documents it). */
#ifndef __ASSEMBLER__
struct mxp_hal;
void mxp_wolfssl_port_init(const struct mxp_hal *hal);
#endif

/* ---- role and protocol versions ----------------------------------------- */
/* Client only: the probe never accepts a TLS connection. */
#define NO_WOLFSSL_SERVER
/* TLS 1.3 plus the old versions: TLS 1.0 must be opted into, TLS 1.1 and 1.2
 * are on unless NO_OLD_TLS / WOLFSSL_NO_TLS12 (never define those here). */
#define WOLFSSL_TLS13
#define WOLFSSL_ALLOW_TLSV10
/* SSLv3 stays off (wolfSSL's default without WOLFSSL_ALLOW_SSLV3). */

/* ---- extensions --------------------------------------------------------- */
#define HAVE_TLS_EXTENSIONS
/* SNI: MX hosts serving several names pick the certificate by it. */
#define HAVE_SNI
/* supported_groups / key_share for ECDHE and TLS 1.3 (the engine sets groups
 * explicitly with wolfSSL_UseSupportedCurve / wolfSSL_UseKeyShare). */
#define HAVE_SUPPORTED_CURVES
/* RFC 7627 and RFC 7366: offered like any modern client; servers differ in
 * what they accept, and that is what we observe. */
#define HAVE_EXTENDED_MASTER
#define HAVE_ENCRYPT_THEN_MAC
/* TLS 1.3 key schedule. */
#define HAVE_HKDF
/* No resumption: every probe connection is a full handshake. No session
 * cache (a large static table) and no session tickets. */
#define NO_SESSION_CACHE
/* No PSK suites, no legacy or anonymous ciphers. */
#define NO_PSK
#define NO_RC4
#define NO_MD4
#define NO_DSA
/* No password-based key derivation: keys never come from encrypted files. */
#define NO_PWDBASED

/* ---- peer certificates -------------------------------------------------- */
/* We never verify the chain (VERIFY_NONE) but report the leaf and how many
 * certificates came: KEEP_PEER_CERT keeps the leaf
 * (wolfSSL_get_peer_certificate, full size); the verify callback, called for
 * the leaf under VERIFY_NONE too with WOLFSSL_ALWAYS_VERIFY_CB, counts the
 * chain as sent. (SESSION_CERTS would keep a copy of every chain certificate
 * under 2048 bytes in the session, MAX_X509_SIZE each: 8 KB of heap per
 * connection at depth 4 for a count, and it skips larger certificates.) */
#define KEEP_PEER_CERT
#define WOLFSSL_ALWAYS_VERIFY_CB
/* Board may override. A server that sends more certificates than this fails
 * the handshake with MAX_CHAIN_ERROR (-368, "max chain depth exceeded"); a
 * slot costs a pointer and a length while the Certificate message is parsed,
 * but the depth also caps the message (MAX_CERTIFICATE_SZ below), which a
 * board must be able to buffer. */
#ifndef MAX_CHAIN_DEPTH
#define MAX_CHAIN_DEPTH 4
#endif
/* wolfSSL caps one Certificate message (and so any handshake message) at
 * MAX_CHAIN_DEPTH x 2 KB by default; real chains with 4096-bit RSA keys and
 * long SAN lists exceed that. Allow 4 KB per certificate. The buffer is
 * allocated per message, so the cap costs nothing until a server uses it. */
#ifndef MAX_CERTIFICATE_SZ
#define MAX_CERTIFICATE_SZ (3 + (4096 + 3) * MAX_CHAIN_DEPTH)
#endif
/* The current (template-based) ASN.1 parser, as configure uses by default. */
#define WOLFSSL_ASN_TEMPLATE

/* ---- public-key algorithms ---------------------------------------------- */
/* Math: generic sp_int sized for 4096-bit RSA and DH (SP_INT_BITS is the
 * largest operand; products are handled internally), plus wolfSSL's
 * single-precision (SP) code for the sizes real MXs use: RSA and FFDHE
 * 2048/3072/4096, P-256/384/521. Measured on x86-64 against postfix: a
 * DHE-2048 handshake took 275 ms on generic sp_int alone, which made a
 * cipher matrix slower than a scanner that never finishes a handshake; with
 * SP it is a few ms. Other sizes fall back to sp_int. */
#define WOLFSSL_SP_MATH_ALL
#define SP_INT_BITS 4096
#define WOLFSSL_HAVE_SP_RSA
#define WOLFSSL_HAVE_SP_DH
#define WOLFSSL_HAVE_SP_ECC
#define WOLFSSL_SP_384
#if !(defined(MXP_WOLFSSL_SMALL) && MXP_WOLFSSL_SMALL)
#define WOLFSSL_SP_4096
#define WOLFSSL_SP_521
#else
/* Flash-bound boards keep SP code for the sizes nearly every MX uses (RSA and
 * FFDHE 2048, P-256, P-384); 3072/4096-bit and P-521 peers go through sp_int:
 * slower and a bigger heap for those rare handshakes, 20 KB less flash. */
#define WOLFSSL_SP_NO_3072
#endif
/* Unrolled SP code is fast but large: 64-bit hosts can afford it; MCUs,
 * 32-bit targets and size-bound boards (MXP_WOLFSSL_SMALL: the 1 MiB
 * appliance binary on aarch64 too) take the compact loops. */
#if !(defined(__x86_64__) || defined(__aarch64__)) ||                                              \
    (defined(MXP_WOLFSSL_SMALL) && MXP_WOLFSSL_SMALL)
#define WOLFSSL_SP_SMALL
#endif
/* C everywhere by default; a Cortex-M board may add
 * WOLFSSL_SP_ARM_CORTEX_M_ASM (notes/platform-facts.md: about 3x faster
 * handshakes and a smaller heap peak for about +50 KB flash). */
#define WOLFSSL_NO_ASM
#define TFM_TIMING_RESISTANT
#define ECC_TIMING_RESISTANT
#define WC_RSA_BLINDING

/* RSA: server signatures (PKCS#1 v1.5 and PSS) and the static-RSA key
 * exchange. PSS is mandatory for TLS 1.3. Up to 4096-bit keys; down to 1024
 * so that legacy servers are observed rather than refused by us. */
#define WC_RSA_PSS
/* Public-key callbacks: the engine verifies the server's handshake signature
 * itself (with the same wolfCrypt calls) so it can report which signature
 * scheme the server used; wolfSSL 5.5.4 keeps that nowhere else. */
#define HAVE_PK_CALLBACKS
#define WOLFSSL_MAX_RSA_BITS 4096
#define WOLFSSL_MIN_RSA_BITS 1024
/* Static RSA key exchange (TLS_RSA_WITH_*): legacy, offered so that we can
 * report servers that still accept it. */
#define WOLFSSL_STATIC_RSA

/* ECC: ECDHE and ECDSA on P-256, P-384, P-521 (the curves servers use). */
#define HAVE_ECC
#define ECC_USER_CURVES
#define HAVE_ECC384
#define HAVE_ECC521
#define ECC_SHAMIR
/* X25519 key exchange (the most common TLS 1.3 group). Ed25519/X448 are not
 * offered: certificates with those keys are rare on MX hosts. */
#define HAVE_CURVE25519
/* The byte-oriented X25519 (fe_low_mem.c): a few KB smaller than the ref10
 * field code, fast enough for one key exchange per handshake, and free of the
 * ref10 left shifts of negative values that UBSan (MXP_SANITIZE) aborts on. */
#define CURVE25519_SMALL

/* Finite-field DH: TLS 1.2 DHE (server-chosen parameters up to 4096 bits) and
 * the RFC 7919 groups for supported_groups / TLS 1.3. ffdhe6144/8192 would
 * need SP_INT_BITS 8192 (double every sp_int) and no server is known to
 * prefer them. */
#define HAVE_FFDHE_2048
#define HAVE_FFDHE_3072
#define HAVE_FFDHE_4096
#define WOLFSSL_MAX_DHKEY_BITS 4096
#define WOLFSSL_MIN_DHKEY_BITS 1024
/* Size the DH private key from a table instead of pow()/log(): no libm. */
#define WOLFSSL_DH_CONST

/* ---- symmetric ciphers and hashes --------------------------------------- */
/* AES-CBC and AES-GCM, 128 and 256 (wolfSSL defaults, listed for clarity). */
#define HAVE_AES_CBC
#define HAVE_AESGCM
#define WOLFSSL_AES_128
#define WOLFSSL_AES_256
/* Smallest GCM multiply: throughput is irrelevant for a handshake probe. */
#define GCM_SMALL
/* ChaCha20-Poly1305 (RFC 7905 suites, TLS 1.3; also the pre-RFC "OLD"
 * code points 0xCC13-0xCC15 that wolfSSL still offers). */
#define HAVE_CHACHA
#define HAVE_POLY1305
#define HAVE_ONE_TIME_AUTH
/* 3DES stays (no NO_DES3): TLS_*_WITH_3DES_EDE_CBC_SHA are legacy suites we
 * report. MD5 and SHA-1 stay: the TLS 1.0/1.1 PRF and *_SHA suites need them. */
/* SHA-384/512: *_SHA384 suites, TLS 1.3 AES-256 and the sha384/sha512
 * signature algorithms. */
#define WOLFSSL_SHA384
#define WOLFSSL_SHA512

/* ---- diagnostics -------------------------------------------------------- */
/* wolfSSL_get_alert_history() needs no option. Error strings stay (about
 * 10 KB flash): a board short of flash may define NO_ERROR_STRINGS. */

/* ---- heap --------------------------------------------------------------- */
/* issue 3: the bounded heap. wolfSSL allocates through XMALLOC/XFREE/XREALLOC;
 * the arena will be installed with wolfSSL_SetAllocators() (available because
 * NO_WOLFSSL_MEMORY is not defined) or XMALLOC_USER here, so that the peak can
 * be measured and reported. WOLFSSL_STATIC_MEMORY is not an option: it
 * refuses WOLFSSL_SMALL_STACK. */
#ifdef MXP_WOLFSSL_ARENA
#error "MXP_WOLFSSL_ARENA: the bounded wolfSSL heap is not implemented yet (issue 3)"
#endif

/* ---- flash-bound boards ------------------------------------------------------
 * MXP_WOLFSSL_SMALL (a board sizing knob, MXP_WOLFSSL_DEFINITIONS) trades speed
 * for code size without changing any protocol version, suite or group:
 * measured on Cortex-M3 these bring the full probe under 256 KiB of flash
 * (with WOLFSSL_SP_SMALL, above, which 32-bit targets always have). */
/* ---- RAM-bound boards ----------------------------------------------------------
 * MXP_WOLFSSL_SMALL_RAM (a board sizing knob) for boards whose whole RAM is
 * tens of KB (lm3s6965evb: 64 KiB for everything), again without changing any
 * version, suite or group:
 *   RSA_LOW_MEM        an RsaKey without the CRT values dP, dQ, u (3 of its
 *                      8 SP_INT_BITS-sized integers): a client only ever uses
 *                      the server's public key, so nothing is slower; with
 *                      the key wolfSSL keeps and the one our signature
 *                      callback decodes, 6 KB less at the handshake's peak
 *   HAVE_MAX_FRAGMENT  the RFC 6066 max_fragment_length extension, offered
 *                      when the board's MXP_CFG_TLS_RECORD_MAX is below 16384
 *                      (mxp_tls.c) so that servers send records it can hold */
#if defined(MXP_WOLFSSL_SMALL_RAM) && MXP_WOLFSSL_SMALL_RAM
#define RSA_LOW_MEM
#define HAVE_MAX_FRAGMENT
#endif

#if defined(MXP_WOLFSSL_SMALL) && MXP_WOLFSSL_SMALL
#define WOLFSSL_AES_SMALL_TABLES /* 2 KB of tables instead of 8 per direction */
#define USE_SLOW_SHA             /* rolled loops */
#define USE_SLOW_SHA256
#define USE_SLOW_SHA512
#define NO_ERROR_STRINGS /* mxprobe reports wolfSSL errors by number */
#endif

#endif /* MXP_WOLFSSL_USER_SETTINGS_H */
