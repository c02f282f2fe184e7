/* SMTP reply parser: valid forms, every truncation prefix, hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mxp_smtp.h"

#define BIG (MXP_CFG_SMTP_REPLY_MAX * 2)

static mxp_err parse(const char *s, size_t len, struct mxp_smtp_reply *r, size_t *used)
{
    return mxp_smtp_parse_reply((const uint8_t *)s, len, r, used);
}

struct valid_case {
    const char *in;
    uint16_t code;
    const char *enh;
    uint8_t n_lines;
    const char *text;
};

static const struct valid_case valid[] = {
    {"220 mx.example.org ESMTP Postfix\r\n", 220, "", 1, "mx.example.org ESMTP Postfix"},
    {"250-mx.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n"
     "250 8BITMIME\r\n",
     250, "", 5, "mx.example.org"},
    {"250\r\n", 250, "", 1, ""},
    {"250\n", 250, "", 1, ""},
    {"220 \r\n", 220, "", 1, ""},
    {"421 4.7.0 Try again later, closing connection.\r\n", 421, "4.7.0", 1,
     "Try again later, closing connection."},
    {"250 2.0.0 Ready to start TLS\r\n", 250, "2.0.0", 1, "Ready to start TLS"},
    {"250 2.0.0\r\n", 250, "2.0.0", 1, ""},
    {"250 2.0.0 \r\n", 250, "2.0.0", 1, ""},
    {"554 5.123.456 Blocked\r\n", 554, "5.123.456", 1, "Blocked"},
    {"550 5.1.1\tx\r\n", 550, "", 1, "5.1.1\tx"},     /* tab: not an enhanced code */
    {"250 2.1234.5 x\r\n", 250, "", 1, "2.1234.5 x"}, /* subject over 3 digits */
    {"250 2.1.5678 x\r\n", 250, "", 1, "2.1.5678 x"}, /* detail over 3 digits */
    {"250 3.1.1 x\r\n", 250, "", 1, "3.1.1 x"},       /* class 3 does not exist */
    {"250 2.1 x\r\n", 250, "", 1, "2.1 x"},
    {"250 2..1 x\r\n", 250, "", 1, "2..1 x"},
    {"250 2.1.5x\r\n", 250, "", 1, "2.1.5x"},
    {"250 2.1.\r\n", 250, "", 1, "2.1."},
    {"250 .1.1 x\r\n", 250, "", 1, ".1.1 x"},
    {"220 hi\n", 220, "", 1, "hi"},
    {"250-a\n250 b\r\n", 250, "", 2, "a"},
    {"250-2.0.0 first\r\n250 2.1.0 second\r\n", 250, "2.0.0", 2, "first"},
    {"250-\r\n250 \r\n", 250, "", 2, ""},
    {"599 x\r\n", 599, "", 1, "x"},
    {"200 x\r\n", 200, "", 1, "x"},
    {"220 a\rb\r\n", 220, "", 1, "a\rb"}, /* stray CR inside text is text */
    {"220 caf\xc3\xa9 \x01\x7f\r\n", 220, "", 1, "caf\xc3\xa9 \x01\x7f"},
};

static void check_valid(const struct valid_case *v, const char *buf, size_t len, size_t want_used)
{
    struct mxp_smtp_reply r;
    size_t used = 12345;
    mxp_err e = parse(buf, len, &r, &used);
    if (!mxp_ok(e))
        fail_msg("\"%s\": got %04x", v->in, e.code);
    assert_int_equal(used, want_used);
    assert_int_equal(r.code, v->code);
    assert_string_equal(r.enh, v->enh);
    assert_int_equal(r.n_lines, v->n_lines);
    assert_string_equal(r.text, v->text);
}

static void test_valid_replies(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        size_t len = strlen(valid[i].in);
        check_valid(&valid[i], valid[i].in, len, len);
    }
}

/* Every prefix of every valid reply is "need more", never a false complete. */
static void test_truncation_sweep(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        size_t len = strlen(valid[i].in);
        for (size_t k = 0; k < len; k++) {
            struct mxp_smtp_reply r;
            size_t used = 99;
            /* an exact-size heap copy, so ASan sees any read past the prefix */
            char *copy = malloc(k == 0 ? 1 : k);
            assert_non_null(copy);
            memcpy(copy, valid[i].in, k);
            mxp_err e = parse(k == 0 ? NULL : copy, k, &r, &used);
            free(copy);
            if (!mxp_is(e, MXP_E_WOULD_BLOCK))
                fail_msg("case %zu prefix %zu: got %04x", i, k, e.code);
            assert_int_equal(used, 0);
        }
    }
}

/* Bytes after the reply (pipelining, or the next reply already arrived). */
static void test_trailing_bytes(void **state)
{
    (void)state;
    static const char *const tails[] = {"250 next\r\n", "2", "garbage\0\xff", "\r\n", "354 go"};
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        for (size_t t = 0; t < sizeof tails / sizeof tails[0]; t++) {
            char buf[512];
            size_t len = strlen(valid[i].in);
            size_t tl = strlen(tails[t]) + 1; /* include the NUL: still not ours */
            memcpy(buf, valid[i].in, len);
            memcpy(buf + len, tails[t], tl);
            check_valid(&valid[i], buf, len + tl, len);
        }
    }
    /* two replies back to back: parse one, then the other */
    const char two[] = "250 2.1.0 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n";
    struct mxp_smtp_reply r;
    size_t used = 0;
    assert_true(mxp_ok(parse(two, sizeof two - 1, &r, &used)));
    assert_int_equal(used, 14);
    assert_int_equal(r.code, 250);
    assert_true(mxp_ok(parse(two + used, sizeof two - 1 - used, &r, &used)));
    assert_int_equal(r.code, 354);
    assert_int_equal(used, sizeof two - 1 - 14);
}

struct bad_case {
    const char *in;
    size_t len; /* 0: strlen */
    uint16_t code;
};

static const struct bad_case bad[] = {
    {"abc\r\n", 0, MXP_E_SMTP_SYNTAX},
    {"abc", 0, MXP_E_SMTP_SYNTAX}, /* detected before the line ends */
    {"2", 0, MXP_E_WOULD_BLOCK},
    {"2x", 0, MXP_E_SMTP_SYNTAX},
    {"25\r\n", 0, MXP_E_SMTP_SYNTAX},
    {"25\n", 0, MXP_E_SMTP_SYNTAX},
    {"\r\n", 0, MXP_E_SMTP_SYNTAX},
    {"\n", 0, MXP_E_SMTP_SYNTAX},
    {" 250 x\r\n", 0, MXP_E_SMTP_SYNTAX},
    {"2500 x\r\n", 0, MXP_E_SMTP_SYNTAX},
    {"250x\r\n", 0, MXP_E_SMTP_SYNTAX},
    {"250_x\r\n", 0, MXP_E_SMTP_SYNTAX},
    {"250\tx\r\n", 0, MXP_E_SMTP_SYNTAX},
    {"250\rx\r\n", 0, MXP_E_SMTP_SYNTAX}, /* stray CR as separator */
    {"250\r\r\n", 0, MXP_E_SMTP_SYNTAX},
    {"199 x\r\n", 0, MXP_E_SMTP_SYNTAX},
    {"600 x\r\n", 0, MXP_E_SMTP_SYNTAX},
    {"099 x\r\n", 0, MXP_E_SMTP_SYNTAX},
    {"150 x\r\n", 0, MXP_E_SMTP_SYNTAX},
    {"250-a\r\n251 b\r\n", 0, MXP_E_SMTP_SYNTAX}, /* mixed codes */
    {"250-a\r\n251", 0, MXP_E_SMTP_SYNTAX},       /* detected early */
    {"250-a\r\n25", 0, MXP_E_WOULD_BLOCK},
    {"250-a\r\n550 b\r\n", 0, MXP_E_SMTP_SYNTAX},
    {"250-a\r\n\r\n", 0, MXP_E_SMTP_SYNTAX},
    {"250-a\r\n250x b\r\n", 0, MXP_E_SMTP_SYNTAX},
    {"250-a\r\n 250 b\r\n", 0, MXP_E_SMTP_SYNTAX},
    {"\0", 1, MXP_E_SMTP_SYNTAX},
    {"2\0", 2, MXP_E_SMTP_SYNTAX},
    {"250\0", 4, MXP_E_SMTP_SYNTAX},
    {"250 a\0b\r\n", 9, MXP_E_SMTP_SYNTAX},
    {"250 ab\r\0", 8, MXP_E_SMTP_SYNTAX},
    {"250-a\r\n250 b\0", 13, MXP_E_SMTP_SYNTAX},
    {"250-a\0\r\n250 b\r\n", 15, MXP_E_SMTP_SYNTAX},
};

static void test_bad_replies(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct mxp_smtp_reply r;
        size_t used = 77;
        size_t len = bad[i].len ? bad[i].len : strlen(bad[i].in);
        mxp_err e = parse(bad[i].in, len, &r, &used);
        if (e.code != bad[i].code)
            fail_msg("bad case %zu: want %04x got %04x", i, bad[i].code, e.code);
        assert_int_equal(used, 0);
    }
}

/* A line of exactly `total` bytes including its terminator. */
static size_t make_line(char *dst, const char *head, size_t total, const char *eol)
{
    size_t h = strlen(head), t = strlen(eol);
    memcpy(dst, head, h);
    memset(dst + h, 'x', total - h - t);
    memcpy(dst + total - t, eol, t);
    return total;
}

static mxp_err parse_n(const char *buf, size_t len, size_t *used)
{
    struct mxp_smtp_reply r;
    return parse(buf, len, &r, used);
}

static void test_line_lengths(void **state)
{
    (void)state;
    static char buf[BIG];
    size_t used, n;
    const size_t max = MXP_CFG_SMTP_LINE_MAX;

    n = make_line(buf, "250 ", max - 1, "\r\n");
    assert_true(mxp_ok(parse_n(buf, n, &used)));
    assert_int_equal(used, max - 1);
    n = make_line(buf, "250 ", max, "\r\n");
    assert_true(mxp_ok(parse_n(buf, n, &used)));
    assert_int_equal(used, max);
    n = make_line(buf, "250 ", max + 1, "\r\n");
    assert_int_equal(parse_n(buf, n, &used).code, MXP_E_SMTP_TOO_LONG);
    /* bare LF: the terminator counts too */
    n = make_line(buf, "250 ", max, "\n");
    assert_true(mxp_ok(parse_n(buf, n, &used)));
    n = make_line(buf, "250 ", max + 1, "\n");
    assert_int_equal(parse_n(buf, n, &used).code, MXP_E_SMTP_TOO_LONG);

    /* incomplete: max-1 bytes may still end with LF; max bytes cannot */
    n = make_line(buf, "250 ", max + 1, "\r\n");
    assert_int_equal(parse_n(buf, max - 1, &used).code, MXP_E_WOULD_BLOCK);
    assert_int_equal(parse_n(buf, max, &used).code, MXP_E_SMTP_TOO_LONG);
    n = make_line(buf, "250 ", max, "\r\n");
    assert_int_equal(parse_n(buf, max - 1, &used).code, MXP_E_WOULD_BLOCK); /* ends in CR */
    memset(buf, '2', 3);
    memset(buf + 3, ' ', 1);
    memset(buf + 4, 'y', BIG - 4);
    assert_int_equal(parse_n(buf, BIG, &used).code, MXP_E_SMTP_TOO_LONG);

    /* the same on a continuation line */
    n = make_line(buf, "250-", 20, "\r\n");
    n += make_line(buf + n, "250 ", max, "\r\n");
    assert_true(mxp_ok(parse_n(buf, n, &used)));
    assert_int_equal(used, n);
    n = make_line(buf, "250-", 20, "\r\n");
    n += make_line(buf + n, "250-", max + 1, "\r\n");
    n += make_line(buf + n, "250 ", 8, "\r\n");
    assert_int_equal(parse_n(buf, n, &used).code, MXP_E_SMTP_TOO_LONG);

    /* stored text is truncated to fit, NUL-terminated */
    struct mxp_smtp_reply r;
    n = make_line(buf, "220 ", max, "\r\n");
    assert_true(mxp_ok(parse(buf, n, &r, &used)));
    assert_int_equal(strlen(r.text), MXP_CFG_SMTP_TEXT_MAX - 1);
    assert_int_equal(r.text[0], 'x');
}

static size_t make_lines(char *buf, unsigned lines, unsigned last_is_final, size_t line_len)
{
    size_t n = 0;
    for (unsigned i = 0; i < lines; i++)
        n += make_line(buf + n, (i + 1 == lines && last_is_final) ? "250 " : "250-", line_len,
                       "\r\n");
    return n;
}

static void test_line_count(void **state)
{
    (void)state;
    static char buf[BIG];
    size_t used, n;
    struct mxp_smtp_reply r;

    n = make_lines(buf, MXP_CFG_SMTP_LINES_MAX, 1, 10);
    assert_true(mxp_ok(parse(buf, n, &r, &used)));
    assert_int_equal(r.n_lines, MXP_CFG_SMTP_LINES_MAX);
    assert_int_equal(used, n);
    n = make_lines(buf, MXP_CFG_SMTP_LINES_MAX + 1, 1, 10);
    assert_int_equal(parse_n(buf, n, &used).code, MXP_E_SMTP_TOO_LONG);
    /* known too many before the final line arrives */
    n = make_lines(buf, MXP_CFG_SMTP_LINES_MAX, 0, 10);
    assert_int_equal(parse_n(buf, n, &used).code, MXP_E_SMTP_TOO_LONG);
    assert_int_equal(parse_n(buf, n - 1, &used).code, MXP_E_WOULD_BLOCK);
}

static void test_reply_size(void **state)
{
    (void)state;
    static char buf[BIG];
    size_t used, n;
    const size_t lines = MXP_CFG_SMTP_REPLY_MAX / MXP_CFG_SMTP_LINE_MAX;
    _Static_assert(MXP_CFG_SMTP_REPLY_MAX % MXP_CFG_SMTP_LINE_MAX == 0, "exact fit below");
    _Static_assert(MXP_CFG_SMTP_REPLY_MAX / MXP_CFG_SMTP_LINE_MAX < MXP_CFG_SMTP_LINES_MAX,
                   "size limit, not line limit");

    /* exactly MXP_CFG_SMTP_REPLY_MAX bytes */
    n = make_lines(buf, (unsigned)lines, 1, MXP_CFG_SMTP_LINE_MAX);
    assert_int_equal(n, MXP_CFG_SMTP_REPLY_MAX);
    assert_true(mxp_ok(parse_n(buf, n, &used)));
    assert_int_equal(used, n);
    /* plus pipelined bytes beyond the limit: still fine */
    memcpy(buf + n, "250 ok\r\n", 8);
    assert_true(mxp_ok(parse_n(buf, n + 8, &used)));
    assert_int_equal(used, n);
    /* one byte more in the reply */
    n = make_lines(buf, (unsigned)lines - 1, 0, MXP_CFG_SMTP_LINE_MAX);
    n += make_line(buf + n, "250-", 9, "\r\n");
    n += make_line(buf + n, "250 ", MXP_CFG_SMTP_LINE_MAX - 8, "\r\n");
    assert_int_equal(n, MXP_CFG_SMTP_REPLY_MAX + 1);
    assert_int_equal(parse_n(buf, n, &used).code, MXP_E_SMTP_TOO_LONG);
    /* incomplete and already at the limit */
    assert_int_equal(parse_n(buf, MXP_CFG_SMTP_REPLY_MAX, &used).code, MXP_E_SMTP_TOO_LONG);
    assert_int_equal(parse_n(buf, MXP_CFG_SMTP_REPLY_MAX - 1, &used).code, MXP_E_WOULD_BLOCK);
}

static void test_usage(void **state)
{
    (void)state;
    struct mxp_smtp_reply r;
    size_t used;
    assert_int_equal(parse("250 ok\r\n", 8, NULL, &used).code, MXP_E_USAGE);
    assert_int_equal(parse("250 ok\r\n", 8, &r, NULL).code, MXP_E_USAGE);
    assert_int_equal(parse(NULL, 100, &r, &used).code, MXP_E_WOULD_BLOCK);
}

struct lines_seen {
    unsigned n;
    char text[8][64];
};

static void collect(void *arg, unsigned index, const char *text, size_t len)
{
    struct lines_seen *s = arg;
    assert_int_equal(index, s->n);
    assert_true(len < sizeof s->text[0]);
    memcpy(s->text[s->n], text, len);
    s->text[s->n][len] = '\0';
    s->n++;
}

static void test_each_line(void **state)
{
    (void)state;
    const char r[] = "250-first 2.0.0\r\n250-\r\n250-x y\n250\r\n";
    struct lines_seen s;
    memset(&s, 0, sizeof s);
    mxp_smtp_each_line((const uint8_t *)r, sizeof r - 1, collect, &s);
    assert_int_equal(s.n, 4);
    assert_string_equal(s.text[0], "first 2.0.0");
    assert_string_equal(s.text[1], "");
    assert_string_equal(s.text[2], "x y");
    assert_string_equal(s.text[3], "");
    /* used stops the walk; junk or partial lines end it */
    memset(&s, 0, sizeof s);
    mxp_smtp_each_line((const uint8_t *)r, 17, collect, &s);
    assert_int_equal(s.n, 1);
    memset(&s, 0, sizeof s);
    mxp_smtp_each_line((const uint8_t *)r, 20, collect, &s);
    assert_int_equal(s.n, 1);
    memset(&s, 0, sizeof s);
    mxp_smtp_each_line((const uint8_t *)"2\r\n250 x\r\n", 10, collect, &s);
    assert_int_equal(s.n, 0);
    mxp_smtp_each_line((const uint8_t *)r, sizeof r - 1, NULL, NULL);
    mxp_smtp_each_line(NULL, 0, collect, &s);
}

static const char ehlo[] = "250-mx.example.org Hello [192.0.2.1]\r\n"
                           "250-PIPELINING\r\n"
                           "250-size 10240000\r\n"
                           "250-VRFY\r\n"
                           "250-ETRN\r\n"
                           "250-\r\n"
                           "250-  starttls  \r\n"
                           "250-AUTH PLAIN LOGIN\r\n"
                           "250-ENHANCEDSTATUSCODES\r\n"
                           "250-8bitmime\r\n"
                           "250 DSN\r\n";

static void test_ehlo_caps(void **state)
{
    (void)state;
    char caps[MXP_CFG_EHLO_CAPS_MAX][MXP_CFG_EHLO_CAP_LEN];
    bool truncated = true;
    size_t used;
    assert_true(mxp_ok(parse_n(ehlo, sizeof ehlo - 1, &used)));
    size_t n =
        mxp_smtp_ehlo_caps((const uint8_t *)ehlo, used, caps, MXP_CFG_EHLO_CAPS_MAX, &truncated);
    assert_false(truncated);
    assert_int_equal(n, 9);
    assert_string_equal(caps[0], "PIPELINING");
    assert_string_equal(caps[1], "SIZE 10240000");
    assert_string_equal(caps[4], "STARTTLS");
    assert_string_equal(caps[5], "AUTH PLAIN LOGIN");
    assert_string_equal(caps[7], "8BITMIME");
    assert_string_equal(caps[8], "DSN");

    assert_true(mxp_smtp_has_cap(caps, n, "STARTTLS"));
    assert_true(mxp_smtp_has_cap(caps, n, "starttls"));
    assert_true(mxp_smtp_has_cap(caps, n, "SIZE"));
    assert_true(mxp_smtp_has_cap(caps, n, "auth"));
    assert_false(mxp_smtp_has_cap(caps, n, "START"));
    assert_false(mxp_smtp_has_cap(caps, n, "STARTTLSX"));
    assert_false(mxp_smtp_has_cap(caps, n, "SIZE 10240000 X"));
    assert_false(mxp_smtp_has_cap(caps, n, "CHUNKING"));
    assert_false(mxp_smtp_has_cap(caps, n, ""));
    assert_false(mxp_smtp_has_cap(caps, n, NULL));
    assert_false(mxp_smtp_has_cap(NULL, n, "DSN"));
    assert_false(mxp_smtp_has_cap(caps, 4, "STARTTLS")); /* only the first n count */

    /* fewer slots than capabilities */
    n = mxp_smtp_ehlo_caps((const uint8_t *)ehlo, used, caps, 3, &truncated);
    assert_int_equal(n, 3);
    assert_true(truncated);
    assert_false(mxp_smtp_has_cap(caps, n, "STARTTLS"));
    n = mxp_smtp_ehlo_caps((const uint8_t *)ehlo, used, NULL, 0, &truncated);
    assert_int_equal(n, 0);
    assert_true(truncated);
    n = mxp_smtp_ehlo_caps((const uint8_t *)ehlo, used, caps, 9, NULL);
    assert_int_equal(n, 9);

    /* greeting only */
    n = mxp_smtp_ehlo_caps((const uint8_t *)"250 mx\r\n", 8, caps, 4, &truncated);
    assert_int_equal(n, 0);
    assert_false(truncated);
}

static void test_ehlo_long_cap(void **state)
{
    (void)state;
    static char buf[1024];
    char caps[4][MXP_CFG_EHLO_CAP_LEN];
    bool truncated = false;
    size_t n = 0, used;
    n += make_line(buf + n, "250-mx", 10, "\r\n");
    n += make_line(buf + n, "250-xclient ", 4 + MXP_CFG_EHLO_CAP_LEN - 1 + 2, "\r\n");
    n += make_line(buf + n, "250 auth ", 4 + MXP_CFG_EHLO_CAP_LEN + 2, "\r\n");
    assert_true(mxp_ok(parse_n(buf, n, &used)));
    size_t got = mxp_smtp_ehlo_caps((const uint8_t *)buf, used, caps, 4, &truncated);
    assert_int_equal(got, 2);
    assert_true(truncated);
    assert_int_equal(strlen(caps[0]), MXP_CFG_EHLO_CAP_LEN - 1); /* fits exactly */
    assert_int_equal(strlen(caps[1]), MXP_CFG_EHLO_CAP_LEN - 1); /* shortened */
    assert_memory_equal(caps[0], "XCLIENT x", 9);
    assert_memory_equal(caps[1], "AUTH x", 6);
    assert_true(mxp_smtp_has_cap(caps, got, "XCLIENT"));
    assert_true(mxp_smtp_has_cap(caps, got, "AUTH"));

    /* a keyword filling the whole slot */
    char full[1][MXP_CFG_EHLO_CAP_LEN];
    memset(full[0], 'K', sizeof full[0]);
    full[0][MXP_CFG_EHLO_CAP_LEN - 1] = '\0';
    char key[MXP_CFG_EHLO_CAP_LEN + 1];
    memset(key, 'k', sizeof key);
    key[MXP_CFG_EHLO_CAP_LEN - 1] = '\0';
    assert_true(mxp_smtp_has_cap(full, 1, key));
    key[MXP_CFG_EHLO_CAP_LEN - 1] = 'k';
    key[MXP_CFG_EHLO_CAP_LEN] = '\0';
    assert_false(mxp_smtp_has_cap(full, 1, key));
    /* an unterminated slot is never read past its end */
    full[0][MXP_CFG_EHLO_CAP_LEN - 1] = 'K';
    assert_false(mxp_smtp_has_cap(full, 1, key));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_replies),  cmocka_unit_test(test_truncation_sweep),
        cmocka_unit_test(test_trailing_bytes), cmocka_unit_test(test_bad_replies),
        cmocka_unit_test(test_line_lengths),   cmocka_unit_test(test_line_count),
        cmocka_unit_test(test_reply_size),     cmocka_unit_test(test_usage),
        cmocka_unit_test(test_each_line),      cmocka_unit_test(test_ehlo_caps),
        cmocka_unit_test(test_ehlo_long_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
