/* Bounds-checked cursor: every read succeeds completely or fails in place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mxp_cursor.h"

static const uint8_t bytes[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};

static void test_reads_in_order(void **state)
{
    (void)state;
    struct mxp_cursor c;
    uint8_t u8 = 0;
    uint16_t u16 = 0;
    uint32_t u32 = 0;
    mxp_cur_init(&c, bytes, sizeof bytes, MXP_E_CERT_PARSE);
    assert_int_equal(mxp_cur_left(&c), 7);
    assert_true(mxp_ok(mxp_cur_u8(&c, &u8)));
    assert_int_equal(u8, 0x01);
    assert_true(mxp_ok(mxp_cur_u16be(&c, &u16)));
    assert_int_equal(u16, 0x0203);
    assert_true(mxp_ok(mxp_cur_u32be(&c, &u32)));
    assert_int_equal(u32, 0x04050607u);
    assert_int_equal(mxp_cur_left(&c), 0);
}

static void test_failed_reads_leave_cursor(void **state)
{
    (void)state;
    struct mxp_cursor c;
    uint8_t u8 = 0xaa;
    uint16_t u16 = 0xaaaa;
    uint32_t u32 = 0xaaaaaaaau;
    const uint8_t *p = NULL;
    mxp_cur_init(&c, bytes, 3, MXP_E_SMTP_SYNTAX);
    assert_true(mxp_ok(mxp_cur_skip(&c, 2)));

    mxp_err e = mxp_cur_u16be(&c, &u16);
    assert_int_equal(e.code, MXP_E_SMTP_SYNTAX);
    assert_int_equal(u16, 0xaaaa);
    e = mxp_cur_u32be(&c, &u32);
    assert_int_equal(e.code, MXP_E_SMTP_SYNTAX);
    assert_int_equal(u32, 0xaaaaaaaau);
    e = mxp_cur_bytes(&c, 2, &p);
    assert_int_equal(e.code, MXP_E_SMTP_SYNTAX);
    assert_null(p);
    e = mxp_cur_skip(&c, 2);
    assert_int_equal(e.code, MXP_E_SMTP_SYNTAX);
    assert_int_equal(mxp_cur_left(&c), 1);

    assert_true(mxp_ok(mxp_cur_u8(&c, &u8)));
    assert_int_equal(u8, 0x03);
    e = mxp_cur_u8(&c, &u8);
    assert_int_equal(e.code, MXP_E_SMTP_SYNTAX);
    e = mxp_cur_peek(&c, &u8);
    assert_int_equal(e.code, MXP_E_SMTP_SYNTAX);
    assert_int_equal(u8, 0x03);
}

static void test_huge_counts_do_not_wrap(void **state)
{
    (void)state;
    struct mxp_cursor c, sub;
    const uint8_t *p = NULL;
    mxp_cur_init(&c, bytes, sizeof bytes, MXP_E_CERT_PARSE);
    assert_true(mxp_ok(mxp_cur_skip(&c, 3)));
    assert_false(mxp_ok(mxp_cur_skip(&c, SIZE_MAX)));
    assert_false(mxp_ok(mxp_cur_skip(&c, SIZE_MAX - 2)));
    assert_false(mxp_ok(mxp_cur_bytes(&c, SIZE_MAX, &p)));
    assert_false(mxp_ok(mxp_cur_sub(&c, SIZE_MAX, &sub)));
    assert_false(mxp_ok(mxp_cur_sub(&c, 5, &sub)));
    assert_int_equal(mxp_cur_left(&c), 4);
}

static void test_bytes_and_peek(void **state)
{
    (void)state;
    struct mxp_cursor c;
    const uint8_t *p = NULL;
    uint8_t b = 0;
    mxp_cur_init(&c, bytes, sizeof bytes, MXP_E_CERT_PARSE);
    assert_true(mxp_ok(mxp_cur_peek(&c, &b)));
    assert_int_equal(b, 0x01);
    assert_int_equal(mxp_cur_left(&c), 7);
    assert_true(mxp_ok(mxp_cur_bytes(&c, 3, &p)));
    assert_ptr_equal(p, bytes);
    assert_true(mxp_ok(mxp_cur_bytes(&c, 0, &p)));
    assert_ptr_equal(p, bytes + 3);
    assert_true(mxp_ok(mxp_cur_bytes(&c, 4, &p)));
    assert_ptr_equal(p, bytes + 3);
    assert_int_equal(mxp_cur_left(&c), 0);
    assert_true(mxp_ok(mxp_cur_bytes(&c, 0, &p)));
    assert_true(mxp_ok(mxp_cur_skip(&c, 0)));
}

static void test_sub_cursor(void **state)
{
    (void)state;
    struct mxp_cursor c, sub;
    uint8_t b = 0;
    uint32_t u32 = 0;
    mxp_cur_init(&c, bytes, sizeof bytes, MXP_E_CERT_PARSE);
    assert_true(mxp_ok(mxp_cur_skip(&c, 1)));
    assert_true(mxp_ok(mxp_cur_sub(&c, 3, &sub)));
    assert_int_equal(mxp_cur_left(&c), 3);
    assert_int_equal(mxp_cur_left(&sub), 3);
    assert_int_equal(sub.fail_code, MXP_E_CERT_PARSE);
    /* the sub-cursor cannot read into its parent's remaining bytes */
    mxp_err e = mxp_cur_u32be(&sub, &u32);
    assert_int_equal(e.code, MXP_E_CERT_PARSE);
    assert_true(mxp_ok(mxp_cur_u8(&sub, &b)));
    assert_int_equal(b, 0x02);
    assert_true(mxp_ok(mxp_cur_u8(&c, &b)));
    assert_int_equal(b, 0x05);
}

static void test_empty_and_null(void **state)
{
    (void)state;
    struct mxp_cursor c, sub;
    uint8_t b;
    const uint8_t *p = bytes;
    mxp_cur_init(&c, NULL, 5, MXP_E_CERT_PARSE); /* NULL data never claims bytes */
    assert_int_equal(mxp_cur_left(&c), 0);
    assert_false(mxp_ok(mxp_cur_u8(&c, &b)));
    assert_false(mxp_ok(mxp_cur_peek(&c, &b)));
    assert_true(mxp_ok(mxp_cur_bytes(&c, 0, &p)));
    assert_null(p);
    assert_true(mxp_ok(mxp_cur_sub(&c, 0, &sub)));
    assert_int_equal(mxp_cur_left(&sub), 0);
    mxp_cur_init(&c, bytes, 0, MXP_E_CERT_PARSE);
    assert_false(mxp_ok(mxp_cur_u8(&c, &b)));
}

static void test_ok_fail_code_is_replaced(void **state)
{
    (void)state;
    struct mxp_cursor c;
    uint8_t b;
    mxp_cur_init(&c, bytes, 0, MXP_OK);
    mxp_err e = mxp_cur_u8(&c, &b);
    assert_false(mxp_ok(e));
    assert_int_equal(e.code, MXP_E_INTERNAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_in_order),
        cmocka_unit_test(test_failed_reads_leave_cursor),
        cmocka_unit_test(test_huge_counts_do_not_wrap),
        cmocka_unit_test(test_bytes_and_peek),
        cmocka_unit_test(test_sub_cursor),
        cmocka_unit_test(test_empty_and_null),
        cmocka_unit_test(test_ok_fail_code_is_replaced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
