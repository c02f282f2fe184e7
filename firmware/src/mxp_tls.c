/*
 * TLS layer over wolfSSL: contexts, sessions over HAL sockets, failure
 * classification and negotiated parameters. See mxp_tls.h.
 */
#include "mxp_tls.h"

#include <string.h>

#include <wolfssl/error-ssl.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/asn.h> /* SHA256h...: the hash ids PSS callbacks receive */
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/rsa.h>
#include <wolfssl/wolfcrypt/settings.h>

#include "mxp_dns.h"
#include "mxp_suites.h"
#include "mxp_x509.h"

/* ---- the record layer as it arrives ------------------------------------------ */
/* Below 16384, MXP_CFG_TLS_RECORD_MAX is what the board can buffer: the
 * received byte stream is followed record by record (5-byte headers, then
 * bodies, whatever sizes wolfSSL reads in), and a header announcing a longer
 * record ends the session before wolfSSL grows its input buffer for it. A
 * record may exceed its plaintext by MXP_TLS_RECORD_EXPANSION. With 16384
 * wolfSSL's own limits apply. */
#if MXP_CFG_TLS_RECORD_MAX < 16384
#ifndef HAVE_MAX_FRAGMENT
#error "MXP_CFG_TLS_RECORD_MAX below 16384 needs wolfSSL's HAVE_MAX_FRAGMENT (user_settings.h)"
#endif
#define TLS_RECORD_HEADER 5u
/* RFC 6066 MaxFragmentLength code: 2^(8 + code) bytes. */
#define TLS_MFL_CODE                                                                               \
    (MXP_CFG_TLS_RECORD_MAX == 512    ? WOLFSSL_MFL_2_9                                            \
     : MXP_CFG_TLS_RECORD_MAX == 1024 ? WOLFSSL_MFL_2_10                                           \
     : MXP_CFG_TLS_RECORD_MAX == 2048 ? WOLFSSL_MFL_2_11                                           \
                                      : WOLFSSL_MFL_2_12)

static bool record_watch(struct mxp_tls_io *io, const unsigned char *p, size_t n)
{
    while (n > 0) {
        if (io->rec_left > 0) {
            size_t k = n < io->rec_left ? n : io->rec_left;
            io->rec_left = (uint16_t)(io->rec_left - k);
            p += k;
            n -= k;
            continue;
        }
        io->rec_hdr[io->rec_hdr_len++] = *p++;
        n--;
        if (io->rec_hdr_len < TLS_RECORD_HEADER)
            continue;
        io->rec_hdr_len = 0;
        uint16_t len = (uint16_t)(io->rec_hdr[3] << 8 | io->rec_hdr[4]);
        if (len > MXP_CFG_TLS_RECORD_MAX + MXP_TLS_RECORD_EXPANSION) {
            io->last = MXP_ERR(MXP_E_TLS_RECORD_TOO_LARGE, len);
            return false;
        }
        io->rec_left = len;
    }
    return true;
}
#endif

/* ---- I/O callbacks: wolfSSL <-> HAL socket, never blocking ---------------- */

static int tls_io_recv(WOLFSSL *ssl, char *buf, int sz, void *arg)
{
    struct mxp_tls_io *io = arg;
    size_t got = 0;
    (void)ssl;
    if (sz <= 0)
        return 0;
    mxp_err e = io->hal->net->recv(io->hal->net_ctx, io->sock, buf, (size_t)sz, &got);
    if (mxp_ok(e)) {
        io->rx_bytes += (uint32_t)got;
#if MXP_CFG_TLS_RECORD_MAX < 16384
        if (!record_watch(io, (const unsigned char *)buf, got))
            return WOLFSSL_CBIO_ERR_GENERAL;
#endif
        return (int)got;
    }
    if (mxp_is(e, MXP_E_WOULD_BLOCK))
        return WOLFSSL_CBIO_ERR_WANT_READ;
    io->last = e;
    return mxp_is(e, MXP_E_TCP_RESET) ? WOLFSSL_CBIO_ERR_CONN_RST : WOLFSSL_CBIO_ERR_CONN_CLOSE;
}

static int tls_io_send(WOLFSSL *ssl, char *buf, int sz, void *arg)
{
    struct mxp_tls_io *io = arg;
    size_t sent = 0;
    (void)ssl;
    if (sz <= 0)
        return 0;
    mxp_err e = io->hal->net->send(io->hal->net_ctx, io->sock, buf, (size_t)sz, &sent);
    io->tx_blocked = false;
    if (mxp_ok(e) && sent > 0) {
        io->tx_bytes += (uint32_t)sent;
        return (int)sent;
    }
    if (mxp_ok(e) || mxp_is(e, MXP_E_WOULD_BLOCK)) {
        io->tx_blocked = true;
        return WOLFSSL_CBIO_ERR_WANT_WRITE;
    }
    io->last = e;
    return mxp_is(e, MXP_E_TCP_RESET) ? WOLFSSL_CBIO_ERR_CONN_RST : WOLFSSL_CBIO_ERR_CONN_CLOSE;
}

/* ---- the server's signature -------------------------------------------------- */
/* wolfSSL hands the server's handshake signature (ServerKeyExchange, TLS 1.3
 * CertificateVerify) to these callbacks instead of verifying it itself; they
 * verify it with the same wolfCrypt calls and note the scheme (RFC 8446
 * SignatureScheme; in TLS 1.2 the same codes name hash and signature). TLS
 * 1.0/1.1 RSA signs MD5+SHA1, which has no code: it stays 0. Keys live on
 * wolfSSL's heap, not the stack: an RsaKey is kilobytes with 4096-bit math. */

/* hash id (TLS 1.2 HashAlgorithm) from the length of a decoded PKCS#1 block */
static uint16_t pkcs1_hash(int decoded_len)
{
    switch (decoded_len) {
    case 34:
        return 1; /* DigestInfo + MD5 */
    case 35:
        return 2; /* SHA-1 */
    case 51:
        return 4; /* SHA-256 */
    case 67:
        return 5; /* SHA-384 */
    case 83:
        return 6; /* SHA-512 */
    default:
        return 0; /* 36: bare MD5+SHA1 (TLS 1.0/1.1) */
    }
}

static int verify_rsa(WOLFSSL *ssl, unsigned char *sig, unsigned int sig_sz, unsigned char **out,
                      int hash, int mgf, bool pss, const unsigned char *key_der,
                      unsigned int key_sz, struct mxp_tls_io *io)
{
    word32 idx = 0;
    RsaKey *key = XMALLOC(sizeof *key, NULL, DYNAMIC_TYPE_RSA);
    int ret;
    (void)ssl;
    if (key == NULL)
        return MEMORY_E;
    /* The PSS hash arrives as wolfSSL's hash OID sum. */
    enum wc_HashType type = hash == SHA384h   ? WC_HASH_TYPE_SHA384
                            : hash == SHA512h ? WC_HASH_TYPE_SHA512
                                              : WC_HASH_TYPE_SHA256;
    ret = wc_InitRsaKey(key, NULL);
    if (ret == 0) {
        ret = wc_RsaPublicKeyDecode(key_der, &idx, key, key_sz);
        if (ret == 0)
            ret = pss ? wc_RsaPSS_VerifyInline(sig, sig_sz, out, type, mgf, key)
                      : wc_RsaSSL_VerifyInline(sig, sig_sz, out, key);
        wc_FreeRsaKey(key);
    }
    XFREE(key, NULL, DYNAMIC_TYPE_RSA);
    if (ret > 0 && pss) {
        /* rsa_pss_rsae_sha256/384/512 */
        io->sigalg = type == WC_HASH_TYPE_SHA384   ? 0x0805
                     : type == WC_HASH_TYPE_SHA512 ? 0x0806
                                                   : 0x0804;
    } else if (ret > 0) {
        uint16_t h = pkcs1_hash(ret);
        io->sigalg = h != 0 ? (uint16_t)(h << 8 | 1) : 0;
    }
    return ret;
}

static int verify_rsa_pkcs1(WOLFSSL *ssl, unsigned char *sig, unsigned int sig_sz,
                            unsigned char **out, const unsigned char *key_der, unsigned int key_sz,
                            void *ctx)
{
    return verify_rsa(ssl, sig, sig_sz, out, 0, 0, false, key_der, key_sz, ctx);
}

static int verify_rsa_pss(WOLFSSL *ssl, unsigned char *sig, unsigned int sig_sz,
                          unsigned char **out, int hash, int mgf, const unsigned char *key_der,
                          unsigned int key_sz, void *ctx)
{
    return verify_rsa(ssl, sig, sig_sz, out, hash, mgf, true, key_der, key_sz, ctx);
}

static int verify_ecdsa(WOLFSSL *ssl, const unsigned char *sig, unsigned int sig_sz,
                        const unsigned char *hash, unsigned int hash_sz,
                        const unsigned char *key_der, unsigned int key_sz, int *result, void *ctx)
{
    struct mxp_tls_io *io = ctx;
    word32 idx = 0;
    ecc_key *key = XMALLOC(sizeof *key, NULL, DYNAMIC_TYPE_ECC);
    int ret;
    (void)ssl;
    if (key == NULL)
        return MEMORY_E;
    ret = wc_ecc_init(key);
    if (ret == 0) {
        ret = wc_EccPublicKeyDecode(key_der, &idx, key, key_sz);
        if (ret == 0)
            ret = wc_ecc_verify_hash(sig, sig_sz, hash, hash_sz, result, key);
        wc_ecc_free(key);
    }
    XFREE(key, NULL, DYNAMIC_TYPE_ECC);
    if (ret == 0 && *result == 1) {
        /* ecdsa_sha1, ecdsa_secp256r1_sha256, _secp384r1_sha384, _secp521r1_sha512 */
        io->sigalg = hash_sz == 20   ? 0x0203
                     : hash_sz == 48 ? 0x0503
                     : hash_sz == 64 ? 0x0603
                                     : 0x0403;
    }
    return ret;
}

/* ---- the server's certificates ------------------------------------------------ */
/* With WOLFSSL_ALWAYS_VERIFY_CB wolfSSL calls this for the leaf once the
 * whole Certificate message is parsed, under VERIFY_NONE too: it counts what
 * the server sent, of any size, without keeping copies of the chain.
 * Trust is the sender's policy, and VERIFY_NONE has already set chain
 * validation aside; what still fails here is our own processing of the
 * leaf (out of memory while decoding its key, say). Accepting that would
 * turn it into a later, misleading error (NO_PEER_KEY), so the callback
 * keeps wolfSSL's own judgement. */
static int tls_verify(int preverify, WOLFSSL_X509_STORE_CTX *store)
{
    struct mxp_tls_io *io = store->userCtx;
    if (io != NULL && store->error_depth == 0)
        io->chain_len = (uint8_t)(store->totalCerts > 255 ? 255 : store->totalCerts);
    return preverify;
}

/* ---- our own shortage ----------------------------------------------------------- */
/* wolfCrypt does not always pass an allocation failure on as MEMORY_E: an
 * RSA operation that cannot allocate fails as MP_EXPTMOD_E, and a signature
 * check of ours that fails that way makes wolfSSL send decrypt_error. Either
 * would read as the server refusing the version, so the heap says. */
__attribute__((weak)) uint32_t mxp_heap_failures(void)
{
    return 0;
}

/* ---- contexts -------------------------------------------------------------- */

static WOLFSSL_METHOD *method_for(enum mxp_tls_version v)
{
    switch (v) {
#ifdef WOLFSSL_ALLOW_TLSV10
    case MXP_TLS10:
        return wolfTLSv1_client_method();
#endif
#ifndef NO_OLD_TLS
    case MXP_TLS11:
        return wolfTLSv1_1_client_method();
#endif
    case MXP_TLS12:
        return wolfTLSv1_2_client_method();
#ifdef WOLFSSL_TLS13
    case MXP_TLS13:
        return wolfTLSv1_3_client_method();
#endif
    default:
        return NULL;
    }
}

/* Groups offered, in preference order. A probe should complete whatever
 * handshake the server is willing to do, so every group the build has. */
static const uint16_t offered_groups[] = {
    WOLFSSL_ECC_X25519, WOLFSSL_ECC_SECP256R1, WOLFSSL_ECC_SECP384R1, WOLFSSL_ECC_SECP521R1,
    WOLFSSL_FFDHE_2048, WOLFSSL_FFDHE_3072,    WOLFSSL_FFDHE_4096,
};

static mxp_err ctx_setup(WOLFSSL_CTX *ctx, enum mxp_tls_version v)
{
    /* mxprobe reports what the server presents; trust is the sender's policy. */
    wolfSSL_CTX_set_verify(ctx, WOLFSSL_VERIFY_NONE, tls_verify);
    wolfSSL_CTX_SetIORecv(ctx, tls_io_recv);
    wolfSSL_CTX_SetIOSend(ctx, tls_io_send);
    wolfSSL_CTX_SetRsaVerifyCb(ctx, verify_rsa_pkcs1);
    wolfSSL_CTX_SetRsaPssVerifyCb(ctx, verify_rsa_pss);
    wolfSSL_CTX_SetEccVerifyCb(ctx, verify_ecdsa);
    /* Accept weak server parameters so the handshake completes and the report
     * can name them, rather than failing on our side. */
    (void)wolfSSL_CTX_SetMinDhKey_Sz(ctx, 512);
    (void)wolfSSL_CTX_SetMinRsaKey_Sz(ctx, 512);
    (void)wolfSSL_CTX_SetMinEccKey_Sz(ctx, 160);
    unsigned usable = 0;
    for (size_t i = 0; i < sizeof offered_groups / sizeof offered_groups[0]; i++) {
        if (wolfSSL_CTX_UseSupportedCurve(ctx, offered_groups[i]) == WOLFSSL_SUCCESS)
            usable++;
    }
    MXP_ENSURE(usable > 0, MXP_E_INTERNAL);
#ifdef WOLFSSL_TLS13
    if (v == MXP_TLS13) {
        int groups[sizeof offered_groups / sizeof offered_groups[0]];
        int n = 0;
        for (size_t i = 0; i < sizeof offered_groups / sizeof offered_groups[0]; i++)
            groups[n++] = offered_groups[i];
        if (wolfSSL_CTX_set_groups(ctx, groups, n) != WOLFSSL_SUCCESS)
            return MXP_ERR(MXP_E_INTERNAL, 0);
    }
#else
    (void)v;
#endif
    return MXP_SUCCESS;
}

/* Whether this build has the version, without allocating its method. */
static bool version_built(enum mxp_tls_version v)
{
    switch (v) {
#ifdef WOLFSSL_ALLOW_TLSV10
    case MXP_TLS10:
        return true;
#endif
#ifndef NO_OLD_TLS
    case MXP_TLS11:
        return true;
#endif
    case MXP_TLS12:
        return true;
#ifdef WOLFSSL_TLS13
    case MXP_TLS13:
        return true;
#endif
    default:
        return false;
    }
}

/* A context lives only as long as its session (mxp_tls_session_new): each
 * costs about 400 bytes of heap, and keeping one per version for the whole
 * probe put 1.6 KB more at every handshake's peak on a 64 KiB board. */
mxp_err mxp_tls_init(struct mxp_tls *tls, const struct mxp_hal *hal, uint8_t versions)
{
    memset(tls, 0, sizeof *tls);
    /* wolfSSL draws random bytes from the first CTX on: its hooks must
     * know the HAL before that (user_settings.h). */
    mxp_wolfssl_port_init(hal);
    MXP_ENSURE(wolfSSL_Init() == WOLFSSL_SUCCESS, MXP_E_INTERNAL);
    tls->initialized = true;
    for (int v = 0; v < MXP_TLS_VERSION_COUNT; v++) {
        /* A version not in this build: the report says "unavailable". */
        if ((versions & (1u << v)) != 0 && version_built((enum mxp_tls_version)v))
            tls->available |= (uint8_t)(1u << v);
    }
    return MXP_SUCCESS;
}

void mxp_tls_deinit(struct mxp_tls *tls)
{
    if (tls->initialized)
        (void)wolfSSL_Cleanup();
    tls->initialized = false;
    tls->available = 0;
    mxp_wolfssl_port_init(NULL);
}

bool mxp_tls_version_available(const struct mxp_tls *tls, enum mxp_tls_version v)
{
    return v < MXP_TLS_VERSION_COUNT && (tls->available & (1u << v)) != 0;
}

/* ---- sessions ---------------------------------------------------------------- */

mxp_err mxp_tls_session_new(struct mxp_tls *tls, enum mxp_tls_version v, const uint16_t *suites,
                            size_t n_suites, const char *sni, char *list, size_t list_cap,
                            struct mxp_tls_io *io, struct WOLFSSL **out)
{
    size_t len = 0;

    *out = NULL;
    MXP_ENSURE(mxp_tls_version_available(tls, v), MXP_E_UNSUPPORTED);
    MXP_ENSURE(n_suites > 0, MXP_E_USAGE);
    for (size_t i = 0; i < n_suites; i++) {
        const struct mxp_suite_info *info = mxp_suite_by_id(suites[i]);
        MXP_ENSURE(info != NULL, MXP_E_USAGE);
        size_t n = strlen(info->wolf);
        MXP_ENSURE(len + n + 2 <= list_cap, MXP_E_CAPACITY);
        if (len > 0)
            list[len++] = ':';
        memcpy(list + len, info->wolf, n);
        len += n;
    }
    list[len] = '\0';

    WOLFSSL_METHOD *method = method_for(v);
    MXP_ENSURE(method != NULL, MXP_E_NOMEM);
    WOLFSSL_CTX *ctx = wolfSSL_CTX_new(method); /* frees the method when it fails */
    MXP_ENSURE(ctx != NULL, MXP_E_NOMEM);
    mxp_err e = ctx_setup(ctx, v);
    if (!mxp_ok(e)) {
        wolfSSL_CTX_free(ctx);
        return e;
    }
    WOLFSSL *ssl = wolfSSL_new(ctx);
    /* The session holds its own reference: the context goes with it. */
    wolfSSL_CTX_free(ctx);
    MXP_ENSURE(ssl != NULL, MXP_E_NOMEM);
    /* On failure wolfSSL keeps its previous list (everything): never ignore it. */
    if (wolfSSL_set_cipher_list(ssl, list) != WOLFSSL_SUCCESS) {
        wolfSSL_free(ssl);
        return MXP_ERR(MXP_E_INTERNAL, 0);
    }
    if (sni != NULL && sni[0] != '\0' && !mxp_dns_is_literal(sni)) {
        if (wolfSSL_UseSNI(ssl, WOLFSSL_SNI_HOST_NAME, sni, (unsigned short)strlen(sni)) !=
            WOLFSSL_SUCCESS) {
            wolfSSL_free(ssl);
            return MXP_ERR(MXP_E_INTERNAL, 0);
        }
    }
#ifndef NO_DH
    /* wolfSSL proves a non-RFC 7919 DH prime prime on every handshake (about
     * 230 ms for 2048 bits on x86-64, seconds on a Cortex-M). A probe sends
     * nothing secret over the session, so that test buys nothing here. */
    (void)wolfSSL_SetEnableDhKeyTest(ssl, 0);
#endif
#if MXP_CFG_TLS_RECORD_MAX < 16384
    /* Ask for records the board can hold; servers that ignore it are caught
     * by record_watch(). */
    if (wolfSSL_UseMaxFragment(ssl, TLS_MFL_CODE) != WOLFSSL_SUCCESS) {
        wolfSSL_free(ssl);
        return MXP_ERR(MXP_E_INTERNAL, 0);
    }
#endif
    io->last = MXP_SUCCESS;
    io->rx_bytes = io->tx_bytes = 0;
    io->sigalg = 0;
    io->tx_blocked = false;
    io->chain_len = 0;
    io->heap_failures = mxp_heap_failures();
    io->rec_hdr_len = 0;
    io->rec_left = 0;
    wolfSSL_SetCertCbCtx(ssl, io);
    wolfSSL_SetIOReadCtx(ssl, io);
    wolfSSL_SetIOWriteCtx(ssl, io);
    wolfSSL_SetRsaVerifyCtx(ssl, io);
    wolfSSL_SetRsaPssVerifyCtx(ssl, io);
    wolfSSL_SetEccVerifyCtx(ssl, io);
    *out = ssl;
    return MXP_SUCCESS;
}

void mxp_tls_session_free(struct WOLFSSL *ssl)
{
    if (ssl != NULL)
        wolfSSL_free(ssl);
}

enum mxp_tls_step mxp_tls_handshake(struct WOLFSSL *ssl)
{
    int ret = wolfSSL_connect(ssl);
    if (ret == WOLFSSL_SUCCESS)
        return MXP_TLS_DONE;
    int err = wolfSSL_get_error(ssl, ret);
    if (err == WOLFSSL_ERROR_WANT_READ)
        return MXP_TLS_WANT_READ;
    if (err == WOLFSSL_ERROR_WANT_WRITE)
        return MXP_TLS_WANT_WRITE;
    /* wolfSSL 5.5.4's TLS 1.3 client loses the WANT_WRITE of a flight it
     * resends from its buffer and finds still blocked (wolfSSL_connect_TLSv13
     * stores `ret`, 0, over SendBuffered's WANT_WRITE): a failure without an
     * error, right after our send callback said "no room". The flight is
     * intact in wolfSSL's buffer; wait for room as for any WANT_WRITE. Seen
     * with short writes followed by a full send buffer (test_faults.c). */
    const struct mxp_tls_io *io = wolfSSL_GetIOWriteCtx(ssl);
    if (err == 0 && io != NULL && io->tx_blocked)
        return MXP_TLS_WANT_WRITE;
    return MXP_TLS_FAILED;
}

mxp_err mxp_tls_failure(struct WOLFSSL *ssl, const struct mxp_tls_io *io)
{
    WOLFSSL_ALERT_HISTORY h;
    int err = wolfSSL_get_error(ssl, 0);
    bool have_hist = wolfSSL_get_alert_history(ssl, &h) == WOLFSSL_SUCCESS;

    /* Our own shortage is no observation about the server, whatever wolfSSL
     * then sent to it: the engine must not count it against a suite. */
    if (err == MEMORY_E || mxp_heap_failures() != io->heap_failures)
        return MXP_ERR(MXP_E_NOMEM, err);
    if (mxp_is(io->last, MXP_E_TLS_RECORD_TOO_LARGE))
        return io->last;

    if (have_hist && h.last_rx.code >= 0 && h.last_rx.code != close_notify)
        return MXP_ERR(MXP_E_TLS_ALERT, h.last_rx.code);
    if (!mxp_ok(io->last))
        return io->last;
    if (have_hist && h.last_rx.code == close_notify)
        return MXP_ERR(MXP_E_TCP_CLOSED, 0);
    switch (err) {
    case VERSION_ERROR:
        return MXP_ERR(MXP_E_TLS_VERSION, err);
    case MATCH_SUITE_ERROR:
    case UNSUPPORTED_SUITE:
        return MXP_ERR(MXP_E_TLS_NO_SHARED_CIPHER, err);
    case SOCKET_PEER_CLOSED_E:
    case ZERO_RETURN:
        return MXP_ERR(MXP_E_TCP_CLOSED, 0);
    default:
        break;
    }
    if (have_hist && h.last_tx.code >= 0)
        return MXP_ERR(MXP_E_TLS_ALERT_SENT, h.last_tx.code);
    return MXP_ERR(MXP_E_TLS, err);
}

/* wolfSSL names groups in its own spelling; map to IANA ids. */
static uint16_t group_from_name(const char *name)
{
    static const struct {
        const char *name;
        uint16_t id;
    } map[] = {
        {"SECP256R1", 23},   {"SECP384R1", 24},   {"SECP521R1", 25},   {"X25519", 29},
        {"X448", 30},        {"FFDHE_2048", 256}, {"FFDHE_3072", 257}, {"FFDHE_4096", 258},
        {"FFDHE_6144", 259}, {"FFDHE_8192", 260},
    };
    if (name == NULL)
        return 0;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (strcmp(map[i].name, name) == 0)
            return map[i].id;
    }
    return 0;
}

void mxp_tls_params(struct WOLFSSL *ssl, struct mxp_tls_params *out)
{
    out->suite = (uint16_t)wolfSSL_get_current_cipher_suite(ssl);
    out->group = group_from_name(wolfSSL_get_curve_name(ssl));
    const struct mxp_suite_info *info = mxp_suite_by_id(out->suite);
    out->dh_bits = 0;
    if (info != NULL && info->kx == MXP_KX_DHE) {
        int bits = wolfSSL_GetDhKey_Sz(ssl); /* bits, despite the name */
        if (bits > 0)
            out->dh_bits = (uint16_t)bits;
    }
    struct mxp_tls_io *io = wolfSSL_GetIOReadCtx(ssl);
    out->sigalg = io != NULL ? io->sigalg : 0;
}

/* The leaf comes from the peer certificate wolfSSL keeps (KEEP_PEER_CERT),
 * the number of certificates from tls_verify(). */
mxp_err mxp_tls_peer_cert(struct WOLFSSL *ssl, struct mxp_cert_summary *out)
{
    WOLFSSL_X509 *leaf = wolfSSL_get_peer_certificate(ssl); /* a copy: freed below */
    MXP_ENSURE(leaf != NULL, MXP_E_CERT_PARSE);
    int len = 0;
    const unsigned char *der = wolfSSL_X509_get_der(leaf, &len);
    mxp_err e = der != NULL && len > 0 ? mxp_x509_summarize(der, (size_t)len, out)
                                       : MXP_ERR(MXP_E_CERT_PARSE, 0);
    wolfSSL_X509_free(leaf);
    MXP_GUARD(e);
    const struct mxp_tls_io *io = wolfSSL_GetIOReadCtx(ssl);
    out->chain_len = io != NULL && io->chain_len > 1 ? io->chain_len : 1;
    return MXP_SUCCESS;
}

mxp_err mxp_tls_send(struct WOLFSSL *ssl, const struct mxp_tls_io *io, const void *buf, size_t len,
                     size_t *sent)
{
    *sent = 0;
    int ret = wolfSSL_write(ssl, buf, (int)len);
    if (ret > 0) {
        *sent = (size_t)ret;
        return MXP_SUCCESS;
    }
    int err = wolfSSL_get_error(ssl, ret);
    if (err == WOLFSSL_ERROR_WANT_WRITE || err == WOLFSSL_ERROR_WANT_READ)
        return MXP_ERR(MXP_E_WOULD_BLOCK, 0);
    return mxp_ok(io->last) ? MXP_ERR(MXP_E_TLS, err) : io->last;
}

mxp_err mxp_tls_recv(struct WOLFSSL *ssl, const struct mxp_tls_io *io, void *buf, size_t cap,
                     size_t *got)
{
    *got = 0;
    int ret = wolfSSL_read(ssl, buf, (int)cap);
    if (ret > 0) {
        *got = (size_t)ret;
        return MXP_SUCCESS;
    }
    int err = wolfSSL_get_error(ssl, ret);
    if (err == WOLFSSL_ERROR_WANT_READ || err == WOLFSSL_ERROR_WANT_WRITE)
        return MXP_ERR(MXP_E_WOULD_BLOCK, 0);
    if (err == WOLFSSL_ERROR_ZERO_RETURN)
        return MXP_ERR(MXP_E_TCP_CLOSED, 0);
    return mxp_ok(io->last) ? MXP_ERR(MXP_E_TLS, err) : io->last;
}

void mxp_tls_close_notify(struct WOLFSSL *ssl)
{
    (void)wolfSSL_shutdown(ssl);
}
