/* Calendar arithmetic, see mxp_time.h. */
#include "mxp_time.h"

int mxp_time_is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

void mxp_time_civil_from_days(int64_t days, struct mxp_civil *out)
{
    int64_t z = days + 719468; /* days since 0000-03-01 */
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);                          /* [0, 146096] */
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365], from March */
    unsigned mp = (5 * doy + 2) / 153;                                    /* [0, 11], March = 0 */
    out->day = doy - (153 * mp + 2) / 5 + 1;
    out->month = mp < 10 ? mp + 3 : mp - 9;
    out->year = (int64_t)yoe + era * 400 + (out->month <= 2);
    out->yday = mp >= 10 ? doy - 306 : doy + 59 + (unsigned)mxp_time_is_leap(out->year);
    out->wday = (unsigned)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
}

int64_t mxp_time_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (int64_t)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (int64_t)d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void mxp_time_split(int64_t t, int64_t *days, uint32_t *second_of_day)
{
    int64_t d = t / 86400, s = t % 86400;
    if (s < 0) {
        s += 86400;
        d--;
    }
    *days = d;
    *second_of_day = (uint32_t)s;
}
