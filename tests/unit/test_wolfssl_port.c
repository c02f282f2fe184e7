/*
 * wolfSSL platform hooks: entropy and time reach wolfSSL from the HAL, and
 * fail closed without one.
 */
#define _POSIX_C_SOURCE 200809L /* gmtime_r, the reference for XGMTIME */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <wolfssl/internal.h> /* LowResTimer() */
#include <wolfssl/wolfcrypt/random.h>
#include <wolfssl/wolfcrypt/settings.h>

#include "mxp_fakes.h"
#include "mxp_wolfssl_port.h"

struct fixture {
    struct mxp_fake_entropy entropy;
    struct mxp_fake_clock clock;
    struct mxp_hal hal;
};

static int setup(void **state)
{
    static struct fixture f;
    memset(&f, 0, sizeof f);
    mxp_fake_entropy_init(&f.entropy, 42);
    mxp_fake_clock_init(&f.clock, 5000);
    f.hal.entropy = &mxp_fake_entropy_api;
    f.hal.entropy_ctx = &f.entropy;
    f.hal.clock = &mxp_fake_clock_api;
    f.hal.clock_ctx = &f.clock;
    mxp_wolfssl_port_init(&f.hal);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    mxp_wolfssl_port_init(NULL);
    return 0;
}

static void test_rand_block_uses_hal(void **state)
{
    struct fixture *f = *state;
    unsigned char a[37], b[37];
    struct mxp_fake_entropy ref;

    assert_int_equal(mxp_wolfssl_rand_block(a, sizeof a), 0);
    assert_int_equal(f->entropy.calls, 1);
    assert_int_equal(f->entropy.bytes, sizeof a);

    /* The same seed through the fake directly gives the same bytes. */
    mxp_fake_entropy_init(&ref, 42);
    assert_true(mxp_ok(mxp_fake_entropy_api.fill(&ref, b, sizeof b, NULL)));
    assert_memory_equal(a, b, sizeof a);

    assert_int_equal(mxp_wolfssl_rand_block(a, 0), 0);
    assert_int_equal(mxp_wolfssl_rand_block(NULL, 4), -1);
}

static void test_rand_block_fails_closed(void **state)
{
    struct fixture *f = *state;
    unsigned char buf[16];

    f->entropy.fail = true;
    assert_int_equal(mxp_wolfssl_rand_block(buf, sizeof buf), -1);

    mxp_wolfssl_port_init(NULL);
    assert_int_equal(mxp_wolfssl_rand_block(buf, sizeof buf), -1);
}

static void test_wolfcrypt_rng_goes_through_hook(void **state)
{
    struct fixture *f = *state;
    WC_RNG rng;
    unsigned char out[64];

    assert_int_equal(wc_InitRng(&rng), 0);
    uint64_t before = f->entropy.bytes;
    assert_int_equal(wc_RNG_GenerateBlock(&rng, out, sizeof out), 0);
    assert_true(f->entropy.bytes >= before + sizeof out);

    f->entropy.fail = true;
    assert_int_not_equal(wc_RNG_GenerateBlock(&rng, out, sizeof out), 0);
    wc_FreeRng(&rng);
}

static void test_unix_time(void **state)
{
    struct fixture *f = *state;

    /* No wall clock on the board: 0, documented. */
    assert_int_equal(mxp_wolfssl_unix_time(), 0);

    mxp_fake_clock_set_unix(&f->clock, 1700000000);
    assert_int_equal(mxp_wolfssl_unix_time(), 1700000000);
    mxp_fake_clock_advance(&f->clock, 2500);
    assert_int_equal(mxp_wolfssl_unix_time(), 1700000002);

    mxp_fake_clock_set_unix(&f->clock, -5); /* nonsense from a port */
    assert_int_equal(mxp_wolfssl_unix_time(), 0);

    mxp_wolfssl_port_init(NULL);
    assert_int_equal(mxp_wolfssl_unix_time(), 0);
}

static void test_low_res_timer_is_monotonic_seconds(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(LowResTimer(), 5);
    mxp_fake_clock_advance(&f->clock, 999);
    assert_int_equal(LowResTimer(), 5);
    mxp_fake_clock_advance(&f->clock, 1);
    assert_int_equal(LowResTimer(), 6);

    mxp_wolfssl_port_init(NULL);
    assert_int_equal(LowResTimer(), 0);
}

static void expect_tm(long long t, int year, int mon, int mday, int hour, int min, int sec,
                      int wday, int yday)
{
    struct tm tm;
    memset(&tm, 0x5a, sizeof tm);
    assert_ptr_equal(mxp_wolfssl_gmtime(t, &tm), &tm);
    assert_int_equal(tm.tm_year + 1900, year);
    assert_int_equal(tm.tm_mon + 1, mon);
    assert_int_equal(tm.tm_mday, mday);
    assert_int_equal(tm.tm_hour, hour);
    assert_int_equal(tm.tm_min, min);
    assert_int_equal(tm.tm_sec, sec);
    assert_int_equal(tm.tm_wday, wday);
    assert_int_equal(tm.tm_yday, yday);
    assert_int_equal(tm.tm_isdst, 0);
}

static void test_gmtime_known_dates(void **state)
{
    (void)state;
    expect_tm(0, 1970, 1, 1, 0, 0, 0, 4, 0);
    expect_tm(-1, 1969, 12, 31, 23, 59, 59, 3, 364);
    expect_tm(951782400, 2000, 2, 29, 0, 0, 0, 2, 59);       /* leap day of a 400-year */
    expect_tm(4107542399LL, 2100, 2, 28, 23, 59, 59, 0, 58); /* 2100 is no leap year */
    expect_tm(4107542400LL, 2100, 3, 1, 0, 0, 0, 1, 59);
    expect_tm(2147483648LL, 2038, 1, 19, 3, 14, 8, 2, 18); /* past 32-bit time_t */
    expect_tm(1700000000, 2023, 11, 14, 22, 13, 20, 2, 317);
    expect_tm(253402300799LL, 9999, 12, 31, 23, 59, 59, 5, 364);
    expect_tm(-2208988800LL, 1900, 1, 1, 0, 0, 0, 1, 0);
    struct tm tm;
    assert_null(mxp_wolfssl_gmtime(0, NULL));
    assert_null(mxp_wolfssl_gmtime(LLONG_MAX, &tm)); /* beyond the documented range */
    assert_null(mxp_wolfssl_gmtime(LLONG_MIN, &tm));
    assert_null(mxp_wolfssl_gmtime((1LL << 29) * 86400 + 86400, &tm));
    assert_non_null(mxp_wolfssl_gmtime((1LL << 29) * 86400, &tm)); /* 1471872-08-19 */
    assert_int_equal(tm.tm_year + 1900, 1471872);
    assert_int_equal(tm.tm_mon, 7);
    assert_int_equal(tm.tm_mday, 19);
    /* wolfSSL's date code reaches it through XGMTIME. */
    time_t t = 86400;
    assert_ptr_equal(XGMTIME(&t, &tm), &tm);
    assert_int_equal(tm.tm_mday, 2);
}

static void test_gmtime_matches_libc(void **state)
{
    (void)state;
    /* Days from year 1 to year 4000, a different second of the day each. */
    for (long long day = -719162; day < 741000; day += 13) {
        time_t t = (time_t)(day * 86400 + (day * 7919) % 86400);
        struct tm want, got;
        assert_non_null(gmtime_r(&t, &want));
        assert_ptr_equal(mxp_wolfssl_gmtime((long long)t, &got), &got);
        if (got.tm_year != want.tm_year || got.tm_mon != want.tm_mon ||
            got.tm_mday != want.tm_mday || got.tm_hour != want.tm_hour ||
            got.tm_min != want.tm_min || got.tm_sec != want.tm_sec || got.tm_wday != want.tm_wday ||
            got.tm_yday != want.tm_yday)
            fail_msg("t=%lld: got %d-%d-%d %d:%d:%d w%d y%d, libc %d-%d-%d %d:%d:%d w%d y%d",
                     (long long)t, got.tm_year, got.tm_mon, got.tm_mday, got.tm_hour, got.tm_min,
                     got.tm_sec, got.tm_wday, got.tm_yday, want.tm_year, want.tm_mon, want.tm_mday,
                     want.tm_hour, want.tm_min, want.tm_sec, want.tm_wday, want.tm_yday);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rand_block_uses_hal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rand_block_fails_closed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wolfcrypt_rng_goes_through_hook, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unix_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_low_res_timer_is_monotonic_seconds, setup, teardown),
        cmocka_unit_test(test_gmtime_known_dates),
        cmocka_unit_test(test_gmtime_matches_libc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
