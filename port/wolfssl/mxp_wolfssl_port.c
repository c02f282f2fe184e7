/*
 * wolfSSL platform hooks over the HAL (see mxp_wolfssl_port.h for why the HAL
 * lives in a static pointer here).
 */
#include "mxp_wolfssl_port.h"

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
    /* Days since 1970-01-01 and the second of the day, floored: the one
     * 64-bit division; the rest fits 32 bits (cheap on the Cortex-M boards). */
    long long days64 = unix_time / 86400;
    long sod = (long)(unix_time % 86400);
    if (sod < 0) {
        sod += 86400;
        days64--;
    }
    /* +-2^29 days is +-1.47 million years: every calendar date wolfSSL meets. */
    if (out == NULL || days64 < -(1LL << 29) || days64 > (1LL << 29))
        return NULL;
    long days = (long)days64;
    /* Civil date from a day count (H. Hinnant's civil_from_days): eras of 400
     * years (146097 days) starting on 0000-03-01, so a leap day ends a year. */
    long z = days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;                                      /* [0, 146096] */
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    long mp = (5 * doy + 2) / 153;                                    /* [0, 11], March = 0 */
    long year = yoe + era * 400 + (mp >= 10);
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

    out->tm_year = (int)(year - 1900);
    out->tm_mon = (int)(mp < 10 ? mp + 2 : mp - 10);
    out->tm_mday = (int)(doy - (153 * mp + 2) / 5 + 1);
    out->tm_hour = (int)(sod / 3600);
    out->tm_min = (int)(sod / 60 % 60);
    out->tm_sec = (int)(sod % 60);
    out->tm_wday = (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday (4) */
    /* Day of the year from January 1: the March-based day shifted by Jan + Feb. */
    out->tm_yday = (int)(mp >= 10 ? doy - 306 : doy + 59 + leap);
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
