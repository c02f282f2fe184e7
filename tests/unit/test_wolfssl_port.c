/*
 * wolfSSL platform hooks: entropy and time reach wolfSSL from the HAL, and
 * fail closed without one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rand_block_uses_hal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rand_block_fails_closed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wolfcrypt_rng_goes_through_hook, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unix_time, setup, teardown),
        cmocka_unit_test_setup_teardown(test_low_res_timer_is_monotonic_seconds, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
