/*
 * Engine-private TLS layer over wolfSSL: one client CTX per protocol version
 * (downgrade protection reads the CTX method, so a version is pinned by its
 * method, never by wolfSSL_SetVersion), sessions bound to a HAL socket through
 * non-blocking I/O callbacks, and classification of failed handshakes.
 */
#ifndef MXP_TLS_H
#define MXP_TLS_H

#include <stdbool.h>
#include <stdint.h>

#include "mxp_engine.h"
#include "mxp_err.h"
#include "mxp_hal.h"
#include "mxp_result.h"

enum mxp_tls_step {
    MXP_TLS_DONE = 0,
    MXP_TLS_WANT_READ,
    MXP_TLS_WANT_WRITE,
    MXP_TLS_FAILED
};

/* Create the per-version contexts for the versions in `versions` (bitmask),
 * and install hal for wolfSSL's entropy and clock hooks until
 * mxp_tls_deinit(). */
MXP_MUST_CHECK mxp_err mxp_tls_init(struct mxp_tls *tls, const struct mxp_hal *hal,
                                    uint8_t versions);
void mxp_tls_deinit(struct mxp_tls *tls);
bool mxp_tls_version_available(const struct mxp_tls *tls, enum mxp_tls_version v);

/* A client session offering exactly `suites` (IANA ids) at version v, with SNI
 * when sni is non-empty (and not an address literal). `list` is scratch space
 * for the cipher-list string (MXP_TLS_SUITE_LIST_MAX bytes). io must outlive
 * the session. */
MXP_MUST_CHECK mxp_err mxp_tls_session_new(struct mxp_tls *tls, enum mxp_tls_version v,
                                           const uint16_t *suites, size_t n_suites, const char *sni,
                                           char *list, size_t list_cap, struct mxp_tls_io *io,
                                           struct WOLFSSL **out);
void mxp_tls_session_free(struct WOLFSSL *ssl);

/* Advance the handshake as far as the socket allows. */
enum mxp_tls_step mxp_tls_handshake(struct WOLFSSL *ssl);
/* Why a handshake failed: alert received > transport close/reset > version
 * mismatch / no shared cipher > alert we sent > other wolfSSL error. */
mxp_err mxp_tls_failure(struct WOLFSSL *ssl, const struct mxp_tls_io *io);
/* Negotiated suite, group, DH size. */
void mxp_tls_params(struct WOLFSSL *ssl, struct mxp_tls_params *out);
/* Summary of the server's leaf certificate (and chain length). */
MXP_MUST_CHECK mxp_err mxp_tls_peer_cert(struct WOLFSSL *ssl, struct mxp_cert_summary *out);

/* Application data over an established session. MXP_E_WOULD_BLOCK when the
 * socket has nothing / no room; transport failures as in mxp_hal.h. */
MXP_MUST_CHECK mxp_err mxp_tls_send(struct WOLFSSL *ssl, const struct mxp_tls_io *io,
                                    const void *buf, size_t len, size_t *sent);
MXP_MUST_CHECK mxp_err mxp_tls_recv(struct WOLFSSL *ssl, const struct mxp_tls_io *io, void *buf,
                                    size_t cap, size_t *got);
/* Send close_notify once, without waiting for the peer's. */
void mxp_tls_close_notify(struct WOLFSSL *ssl);

/* Optional platform hook (weak default: 0): heap allocations that have failed
 * since boot. A platform whose heap can run out defines it (bare-metal boards:
 * board/common/mxp_board_mem.c); a handshake during which one failed is then
 * reported as MXP_E_NOMEM, whatever error wolfSSL or wolfCrypt made of it. */
uint32_t mxp_heap_failures(void);

#endif /* MXP_TLS_H */
