/*
 * Calendar arithmetic without libc time functions (H. Hinnant's civil-date
 * algorithms): proleptic Gregorian, days counted from 1970-01-01, eras of 400
 * years. Used by certificate dates (mxp_x509), report dates (mxp_fmt) and
 * wolfSSL's XGMTIME hook, so boards need no libc time code at all.
 */
#ifndef MXP_TIME_H
#define MXP_TIME_H

#include <stdint.h>

struct mxp_civil {
    int64_t year;
    unsigned month; /* 1..12 */
    unsigned day;   /* 1..31 */
    unsigned yday;  /* 0..365, from January 1 */
    unsigned wday;  /* 0..6, 0 = Sunday */
};

/* Gregorian leap year? */
int mxp_time_is_leap(int64_t year);
/* Date of the given day number (0 = 1970-01-01, negative before). */
void mxp_time_civil_from_days(int64_t days, struct mxp_civil *out);
/* Day number of a date (month 1..12, day 1..31; not range-checked). */
int64_t mxp_time_days_from_civil(int64_t year, unsigned month, unsigned day);
/* Seconds since the epoch as a day number and the second of that day, floored
 * (so 1969-12-31T23:59:59Z is day -1, second 86399). */
void mxp_time_split(int64_t t, int64_t *days, uint32_t *second_of_day);

#endif /* MXP_TIME_H */
