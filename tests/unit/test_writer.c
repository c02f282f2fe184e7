/*
 * mxp_writer: the fixed buffer never overruns and counts what it dropped,
 * the streaming writer delivers the same bytes through any buffer size,
 * mxp_printf matches snprintf, and both escapers keep hostile bytes inert.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../fakes/json_check.h"
#include "mxp_writer.h"

/* ---- a capturing flush target -------------------------------------------- */
struct capture {
    char data[1 << 16];
    size_t len;
    unsigned calls;
    unsigned fail_after; /* 0: never fail */
};

static mxp_err capture_flush(void *ctx, const char *buf, size_t len)
{
    struct capture *c = ctx;
    c->calls++;
    if (c->fail_after != 0 && c->calls > c->fail_after)
        return MXP_ERR(MXP_E_IO, 5);
    assert_true(len > 0);
    assert_true(c->len + len <= sizeof c->data);
    memcpy(c->data + c->len, buf, len);
    c->len += len;
    return MXP_SUCCESS;
}

static struct capture cap_a;

/* ---- basics ---------------------------------------------------------------- */

static void test_pure_buffer_basic(void **state)
{
    (void)state;
    char buf[64];
    struct mxp_writer w;
    mxp_writer_init(&w, buf, sizeof buf, NULL, NULL);
    mxp_puts(&w, "abc");
    mxp_putc(&w, '-');
    mxp_put(&w, "xyz", 2);
    mxp_printf(&w, "[%d|%s]", 42, "ok");
    mxp_err e = mxp_writer_finish(&w);
    assert_true(mxp_ok(e));
    assert_string_equal(buf, "abc-xy[42|ok]");
    assert_int_equal(w.total, strlen("abc-xy[42|ok]"));
}

static void test_null_and_empty_inputs(void **state)
{
    (void)state;
    char buf[8];
    struct mxp_writer w;
    mxp_writer_init(&w, buf, sizeof buf, NULL, NULL);
    mxp_puts(&w, NULL);
    mxp_put(&w, NULL, 5);
    mxp_put(&w, "abc", 0);
    mxp_printf(&w, "%s", "");
    mxp_err e = mxp_writer_finish(&w);
    assert_true(mxp_ok(e));
    assert_int_equal(w.total, 0);
    assert_string_equal(buf, "");
}

/* Every capacity from 0 to past the output: no byte beyond cap is touched,
 * total is the full size, the kept bytes are a prefix, and finish reports
 * MXP_E_CAPACITY exactly when something was dropped. */
static void test_truncation_sweep(void **state)
{
    (void)state;
    char full[256];
    int n = snprintf(full, sizeof full, "head %s %d %x tail %s", "middle-part", -12345, 0xbeefu,
                     "the end of it");
    assert_true(n > 0 && (size_t)n < sizeof full);
    for (size_t cap = 0; cap <= (size_t)n + 2; cap++) {
        char *buf = malloc(cap + 16);
        assert_non_null(buf);
        memset(buf, 0x5a, cap + 16);
        struct mxp_writer w;
        mxp_writer_init(&w, cap > 0 ? buf : NULL, cap, NULL, NULL);
        mxp_puts(&w, "head ");
        mxp_printf(&w, "%s %d %x", "middle-part", -12345, 0xbeefu);
        mxp_put(&w, " tail ", 6);
        mxp_puts(&w, "the end of it");
        mxp_err e = mxp_writer_finish(&w);
        assert_int_equal(w.total, (size_t)n);
        if (cap > (size_t)n) {
            assert_true(mxp_ok(e));
            assert_string_equal(buf, full);
        } else {
            assert_int_equal(e.code, MXP_E_CAPACITY);
            if (cap > 0) {
                assert_int_equal(strlen(buf), cap - 1);
                assert_memory_equal(buf, full, cap - 1);
            }
        }
        for (size_t i = cap; i < cap + 16; i++)
            assert_int_equal((unsigned char)buf[i], 0x5a);
        free(buf);
    }
}

/* ---- streaming ------------------------------------------------------------- */

static void write_sample(struct mxp_writer *w)
{
    mxp_puts(w, "Port 25 (STARTTLS)\n");
    for (int i = 0; i < 40; i++)
        mxp_printf(w, "  line %02d: %-20s|%8x|%s\n", i, "padded", (unsigned)i * 977u,
                   i % 3 == 0 ? "a somewhat longer piece of text to cross buffers" : "s");
    mxp_put_escaped(w, "\x1b[0m\xff ok", 8);
    mxp_put_json_string(w, "q\"\\\n\x01\x80", 6);
}

static void test_stream_equals_buffer(void **state)
{
    (void)state;
    static char pure[1 << 16];
    struct mxp_writer w;
    mxp_writer_init(&w, pure, sizeof pure, NULL, NULL);
    write_sample(&w);
    mxp_err e = mxp_writer_finish(&w);
    assert_true(mxp_ok(e));
    size_t want = w.total;

    static const size_t caps[] = {0, 1, 2, 3, 7, 16, 31, 64, 4096};
    for (size_t k = 0; k < sizeof caps / sizeof caps[0]; k++) {
        char small[4096];
        memset(&cap_a, 0, sizeof cap_a);
        mxp_writer_init(&w, caps[k] > 0 ? small : NULL, caps[k], capture_flush, &cap_a);
        write_sample(&w);
        e = mxp_writer_finish(&w);
        assert_true(mxp_ok(e));
        assert_int_equal(w.total, want);
        assert_int_equal(cap_a.len, want);
        assert_memory_equal(cap_a.data, pure, want);
        if (caps[k] == 16)
            assert_true(cap_a.calls >= want / 16);
    }
}

static void test_stream_error_sticks(void **state)
{
    (void)state;
    char small[16];
    struct mxp_writer w;
    memset(&cap_a, 0, sizeof cap_a);
    cap_a.fail_after = 2;
    mxp_writer_init(&w, small, sizeof small, capture_flush, &cap_a);
    for (int i = 0; i < 20; i++)
        mxp_puts(&w, "0123456789");
    mxp_err e = mxp_writer_finish(&w);
    assert_int_equal(e.code, MXP_E_IO);
    assert_int_equal(e.detail, 5);
    assert_int_equal(cap_a.calls, 3); /* the failing call, then nothing more */
    assert_int_equal(cap_a.len, 32);
    assert_int_equal(w.total, 200);
}

/* ---- mxp_printf against snprintf ------------------------------------------ */

#if defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
#endif

/* mxp_printf has no va_list twin in the API, so the test formats start with a
 * tag naming the argument type ("i" int, "l" long, "L" long long, "z" size_t,
 * "j" intmax_t, "s" string, "d" double, "p" pointer, "S" int then string) and
 * pass up to four arguments of that type; unused ones are ignored. */
static void writer_call(struct mxp_writer *w, const char *fmt, va_list ap)
{
#define WRITER_CALL4(type)                                                                         \
    do {                                                                                           \
        type a0 = va_arg(ap, type);                                                                \
        type a1 = va_arg(ap, type);                                                                \
        type a2 = va_arg(ap, type);                                                                \
        type a3 = va_arg(ap, type);                                                                \
        mxp_printf(w, fmt, a0, a1, a2, a3);                                                        \
    } while (0)
    switch (fmt[0]) {
    case 'i':
        WRITER_CALL4(int);
        break;
    case 'l':
        WRITER_CALL4(long);
        break;
    case 'L':
        WRITER_CALL4(long long);
        break;
    case 'z':
        WRITER_CALL4(size_t);
        break;
    case 'j':
        WRITER_CALL4(intmax_t);
        break;
    case 's':
        WRITER_CALL4(const char *);
        break;
    case 'd':
        WRITER_CALL4(double);
        break;
    case 'p':
        WRITER_CALL4(void *);
        break;
    case 'S': {
        int a = va_arg(ap, int);
        const char *b = va_arg(ap, const char *);
        mxp_printf(w, fmt, a, b);
        break;
    }
    default:
        fail_msg("bad test format tag in \"%s\"", fmt);
    }
#undef WRITER_CALL4
}

/* Callers pass exactly four arguments of the tagged type (or int + string). */
static void check_printf(const char *fmt, ...)
{
    static char want[8192];
    static char got[8192];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(want, sizeof want, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof want);

    struct mxp_writer w;
    mxp_writer_init(&w, got, sizeof got, NULL, NULL);
    va_start(ap, fmt);
    writer_call(&w, fmt, ap);
    va_end(ap);
    mxp_err e = mxp_writer_finish(&w);
    assert_true(mxp_ok(e));
    if (strcmp(want, got) != 0)
        fail_msg("format \"%s\": want \"%s\" got \"%s\"", fmt, want, got);
    assert_int_equal(w.total, (size_t)n);
}

static void test_printf_matches_snprintf(void **state)
{
    (void)state;
    check_printf("i:%d", 0, 0, 0, 0);
    check_printf("i:%d %d", INT_MIN, INT_MAX, 0, 0);
    check_printf("i:%u", 4000000000u, 0, 0, 0);
    check_printf("i:%5d|%-5d|", 42, 7, 0, 0);
    check_printf("i:%05d", -42, 0, 0, 0);
    check_printf("i:%+d % d", 5, 6, 0, 0);
    check_printf("i:%#x %#o %X", 255, 8, 0xabc, 0);
    check_printf("i:%08.3d", 7, 0, 0, 0);
    check_printf("i:%.3d %.0d", 7, 0, 0, 0);
    check_printf("i:%hhu %hhd", 300, 200, 0, 0);
    check_printf("i:%hu %hd", 70000, 40000, 0, 0);
    check_printf("i:%c%c", 'o', 'k', 0, 0);
    check_printf("i:%5c|%-3c|", 'x', 'y', 0, 0);
    check_printf("i:100%% %d", 1, 0, 0, 0);
    check_printf("i:%*d|%-*d|", 6, 12, 6, 34);
    check_printf("i:%*d|", -6, 12, 0, 0);
    check_printf("S:%.*s|", 3, "abcdef");
    check_printf("S:%*s|", 12, "right");
    check_printf("s:%s", "plain", "", "", "");
    check_printf("s:%10s|%-10s|", "a", "b", "", "");
    check_printf("s:%.3s|", "truncate me", "", "", "");
    check_printf("s:%s", "", "", "", "");
    check_printf("l:%ld %lx", -1234567890L, 0xdeadbeefL, 0L, 0L);
    check_printf("L:%lld %llu", LLONG_MIN, (long long)-1, 0LL, 0LL);
    check_printf("z:%zu %zx", (size_t)SIZE_MAX, (size_t)4096, (size_t)0, (size_t)0);
    check_printf("j:%jd %jx", (intmax_t)INTMAX_MIN, (intmax_t)255, (intmax_t)0, (intmax_t)0);
    check_printf("d:%f %.2e %g", 3.25, 12345.678, 0.0001, 0.0);
    check_printf("d:%08.2f|%-9.1f|", -3.14159, 2.5, 0.0, 0.0);
    check_printf("p:%p", (void *)&cap_a, NULL, NULL, NULL);
    /* Widths beyond what is handed to snprintf: padded by the writer. */
    check_printf("i:%200d|", -77, 0, 0, 0);
    check_printf("i:%-200d|", 77, 0, 0, 0);
    check_printf("i:%0100d|", -77, 0, 0, 0);
    check_printf("i:%#0100x|", 0x1f, 0, 0, 0);
    check_printf("i:%+0120d|", 5, 0, 0, 0);
    check_printf("i:%0100.5d|", 5, 0, 0, 0);
    check_printf("i:%100c|", 'z', 0, 0, 0);
    check_printf("s:%300s|", "wide", "", "", "");
    check_printf("s:%-300s|", "wide", "", "", "");
    check_printf("d:%100.3f|", 1.5, 0.0, 0.0, 0.0);
    check_printf("d:%0100.3f|", -1.5, 0.0, 0.0, 0.0);
}

static void test_printf_long_string(void **state)
{
    (void)state;
    static char big[6000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    memset(&cap_a, 0, sizeof cap_a);
    char small[16];
    struct mxp_writer w;
    mxp_writer_init(&w, small, sizeof small, capture_flush, &cap_a);
    mxp_printf(&w, "<%s>", big);
    mxp_err e = mxp_writer_finish(&w);
    assert_true(mxp_ok(e));
    assert_int_equal(cap_a.len, sizeof big + 1);
    assert_int_equal(cap_a.data[0], '<');
    assert_int_equal(cap_a.data[sizeof big], '>');
    assert_memory_equal(cap_a.data + 1, big, sizeof big - 1);
}

static void test_printf_unknown_conversion(void **state)
{
    (void)state;
    char buf[64];
    struct mxp_writer w;
    mxp_writer_init(&w, buf, sizeof buf, NULL, NULL);
    const char *fmt = "%d then %";
    mxp_printf(&w, fmt, 5);
    mxp_err e = mxp_writer_finish(&w);
    assert_true(mxp_ok(e));
    assert_string_equal(buf, "5 then %");
}

/* ---- escaping -------------------------------------------------------------- */

static void test_put_escaped(void **state)
{
    (void)state;
    char buf[128];
    struct mxp_writer w;
    mxp_writer_init(&w, buf, sizeof buf, NULL, NULL);
    const char in[] = "ok \x1b[31m\\ \"q\"\r\n\x7f\xff\x00z";
    mxp_put_escaped(&w, in, sizeof in - 1);
    mxp_err e = mxp_writer_finish(&w);
    assert_true(mxp_ok(e));
    assert_string_equal(buf, "ok \\x1b[31m\\x5c \"q\"\\x0d\\x0a\\x7f\\xff\\x00z");
}

static void test_json_string_all_bytes(void **state)
{
    (void)state;
    char in[256];
    for (int i = 0; i < 256; i++)
        in[i] = (char)i;
    static char buf[4096];
    struct mxp_writer w;
    mxp_writer_init(&w, buf, sizeof buf, NULL, NULL);
    mxp_put_json_string(&w, in, sizeof in);
    mxp_err e = mxp_writer_finish(&w);
    assert_true(mxp_ok(e));
    size_t at = 0;
    assert_true(mxp_json_check(buf, w.len, &at));
    assert_non_null(strstr(buf, "\"\\u0000\\u0001"));
    assert_non_null(strstr(buf, "\\u001f !\\\"#"));
    assert_non_null(strstr(buf, "[\\\\]"));
    assert_non_null(strstr(buf, "~\\u007f\\u0080"));
    assert_non_null(strstr(buf, "\\u00ff\""));
    for (size_t i = 0; i < w.len; i++)
        assert_true(buf[i] >= 0x20 && buf[i] < 0x7f);
}

static void test_json_string_null(void **state)
{
    (void)state;
    char buf[8];
    struct mxp_writer w;
    mxp_writer_init(&w, buf, sizeof buf, NULL, NULL);
    mxp_put_json_string(&w, NULL, 3);
    mxp_err e = mxp_writer_finish(&w);
    assert_true(mxp_ok(e));
    assert_string_equal(buf, "\"\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pure_buffer_basic),
        cmocka_unit_test(test_null_and_empty_inputs),
        cmocka_unit_test(test_truncation_sweep),
        cmocka_unit_test(test_stream_equals_buffer),
        cmocka_unit_test(test_stream_error_sticks),
        cmocka_unit_test(test_printf_matches_snprintf),
        cmocka_unit_test(test_printf_long_string),
        cmocka_unit_test(test_printf_unknown_conversion),
        cmocka_unit_test(test_put_escaped),
        cmocka_unit_test(test_json_string_all_bytes),
        cmocka_unit_test(test_json_string_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
