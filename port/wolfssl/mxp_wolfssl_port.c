/*
 * wolfSSL platform hooks over the HAL (see mxp_wolfssl_port.h for why the HAL
 * lives in a static pointer here).
 */
#include "mxp_wolfssl_port.h"
#include "mxp_time.h"

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <wolfssl/wolfcrypt/settings.h>
/* Declares LowResTimer() and TimeNowInMilliseconds() exactly as wolfSSL calls
 * them, so the definitions below are checked against wolfSSL's prototypes. */
#include <wolfssl/internal.h>

static const struct mxp_hal *mxp_wolfssl_hal;

void mxp_wolfssl_port_init(const struct mxp_hal *hal)
{
    mxp_wolfssl_hal = hal;
}

int mxp_wolfssl_rand_block(unsigned char *out, unsigned int sz)
{
    const struct mxp_hal *hal = mxp_wolfssl_hal;

    if (hal == NULL || hal->entropy == NULL || hal->entropy->fill == NULL)
        return -1;
    if (sz == 0)
        return 0;
    if (out == NULL)
        return -1;
    return mxp_ok(hal->entropy->fill(hal->entropy_ctx, out, sz, NULL)) ? 0 : -1;
}

long long mxp_wolfssl_unix_time(void)
{
    const struct mxp_hal *hal = mxp_wolfssl_hal;
    int64_t seconds = 0;

    if (hal == NULL || hal->clock == NULL || hal->clock->unix_time == NULL)
        return 0;
    if (!mxp_ok(hal->clock->unix_time(hal->clock_ctx, &seconds)) || seconds < 0)
        return 0;
    return (long long)seconds;
}

struct tm *mxp_wolfssl_gmtime(long long unix_time, struct tm *out)
{
    int64_t days;
    uint32_t sod;
    struct mxp_civil c;
    mxp_time_split((int64_t)unix_time, &days, &sod);
    /* +-2^29 days is +-1.47 million years: every calendar date wolfSSL meets. */
    if (out == NULL || days < -(1LL << 29) || days > (1LL << 29))
        return NULL;
    mxp_time_civil_from_days(days, &c);
    out->tm_year = (int)(c.year - 1900);
    out->tm_mon = (int)c.month - 1;
    out->tm_mday = (int)c.day;
    out->tm_hour = (int)(sod / 3600);
    out->tm_min = (int)(sod / 60 % 60);
    out->tm_sec = (int)(sod % 60);
    out->tm_wday = (int)c.wday;
    out->tm_yday = (int)c.yday;
    out->tm_isdst = 0;
    return out;
}

static uint32_t mxp_wolfssl_now_ms(void)
{
    const struct mxp_hal *hal = mxp_wolfssl_hal;

    if (hal == NULL || hal->clock == NULL || hal->clock->now_ms == NULL)
        return 0;
    return hal->clock->now_ms(hal->clock_ctx);
}

/* USER_TICKS: "second accuracy, need not correlate to the epoch". wolfSSL only
 * compares differences (session lifetimes), so the monotonic clock is right;
 * it wraps after 49 days like now_ms itself. */
word32 LowResTimer(void)
{
    return (word32)(mxp_wolfssl_now_ms() / 1000u);
}

#if defined(WOLFSSL_TLS13) && (defined(HAVE_SESSION_TICKET) || !defined(NO_PSK))
/* Only compiled in when tickets or PSK are enabled (not in our settings):
 * ticket age in ms, differences only. */
#ifndef WOLFSSL_32BIT_MILLI_TIME
#error "user_settings.h: TimeNowInMilliseconds() here assumes WOLFSSL_32BIT_MILLI_TIME"
#endif
word32 TimeNowInMilliseconds(void)
{
    return (word32)mxp_wolfssl_now_ms();
}
#endif
