/*
 * Platform hooks for wolfSSL: entropy and time come from the HAL.
 *
 * wolfSSL calls these through compile-time hooks (port/wolfssl/user_settings.h:
 * CUSTOM_RAND_GENERATE_BLOCK, XTIME, XGMTIME, USER_TICKS) that take no context argument,
 * so the HAL they use is kept in one static pointer set by
 * mxp_wolfssl_port_init(), which the engine's mxp_tls_init() calls with the
 * HAL of the probe it runs. This is the one sanctioned global of the project: a
 * process (or a board image) has exactly one HAL and one thread of control
 * (mxp_hal.h), and the pointer is only read while wolfSSL runs inside the
 * engine.
 */
#ifndef MXP_WOLFSSL_PORT_H
#define MXP_WOLFSSL_PORT_H

#include "mxp_hal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Install the HAL whose entropy and clock wolfSSL uses (NULL uninstalls).
 * Call before the first wolfSSL_CTX_new()/wolfSSL_new(): creating those draws
 * random bytes. The HAL must outlive every wolfSSL object. */
void mxp_wolfssl_port_init(const struct mxp_hal *hal);

/* CUSTOM_RAND_GENERATE_BLOCK: fill out with sz bytes from hal->entropy->fill.
 * 0 on success; -1 when no HAL is installed or the HAL fails, which wolfSSL
 * turns into RNG_FAILURE_E (the handshake fails closed). */
int mxp_wolfssl_rand_block(unsigned char *out, unsigned int sz);

/* XTIME: seconds since 1970 UTC from hal->clock->unix_time. Returns 0 when no
 * HAL is installed or the board has no wall clock (MXP_E_UNSUPPORTED): wolfSSL
 * only uses it for certificate date checks, whose verdict VERIFY_NONE ignores;
 * mxprobe judges expiry itself from the HAL. */
long long mxp_wolfssl_unix_time(void);

/* XGMTIME: unix_time (seconds since 1970 UTC, any sign) as a UTC calendar
 * time in *out, like gmtime_r() (tm_isdst 0). Returns out, or NULL when out
 * is NULL or the date is more than 1.4 million years from 1970. Plain
 * arithmetic: no time zone, no libc calendar code. */
struct tm;
struct tm *mxp_wolfssl_gmtime(long long unix_time, struct tm *out);

#ifdef __cplusplus
}
#endif

#endif /* MXP_WOLFSSL_PORT_H */
