/*
 * SMTP reply parser (RFC 5321 section 4.2). A pure function over the bytes
 * received so far: it never stores state between calls, so the engine can
 * call it after every read, and every prefix of a valid reply yields
 * MXP_E_WOULD_BLOCK. Limits are checked while the reply is still incomplete,
 * so a hostile peer cannot make the engine buffer more than it allows.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mxp_cursor.h"
#include "mxp_smtp.h"

_Static_assert(MXP_CFG_SMTP_TEXT_MAX >= 64, "MXP_CFG_SMTP_TEXT_MAX below minimum");
_Static_assert(MXP_CFG_EHLO_CAP_LEN >= 32, "MXP_CFG_EHLO_CAP_LEN below minimum");
_Static_assert(MXP_CFG_SMTP_LINES_MAX <= 255, "n_lines is a uint8_t");

static bool is_digit(uint8_t b)
{
    return b >= '0' && b <= '9';
}

static char ascii_upper(char ch)
{
    return ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
}

/*
 * Check byte `b` at position `i` of a line against "ddd" + separator, as far
 * as the line has arrived. `code` is the code of the first line (0 while the
 * first line is being read); `digits` accumulates this line's code.
 */
static mxp_err check_head(size_t i, uint8_t b, uint16_t code, uint16_t *digits)
{
    if (i < 3) {
        MXP_ENSURE(is_digit(b), MXP_E_SMTP_SYNTAX);
        MXP_ENSURE(i != 0 || (b >= '2' && b <= '5'), MXP_E_SMTP_SYNTAX);
        *digits = (uint16_t)(*digits * 10u + (unsigned)(b - '0'));
        MXP_ENSURE(i != 2 || code == 0 || *digits == code, MXP_E_SMTP_SYNTAX);
    } else if (i == 3) {
        /* '\r' here is only valid as the start of the CRLF ending "ddd";
         * the complete-line check rejects a stray CR. */
        MXP_ENSURE(b == ' ' || b == '-' || b == '\r' || b == '\n', MXP_E_SMTP_SYNTAX);
    }
    return MXP_SUCCESS;
}

/* Read an unsigned run of min..max digits. */
static bool read_digits(struct mxp_cursor *c, size_t min, size_t max)
{
    size_t n = 0;
    uint8_t b;
    while (n < max && mxp_ok(mxp_cur_peek(c, &b)) && is_digit(b)) {
        if (!mxp_ok(mxp_cur_skip(c, 1)))
            return false;
        n++;
    }
    return n >= min;
}

/* RFC 3463 enhanced status code at the start of t: class "." subject "." detail,
 * then a space or the end. Returns its length, 0 when there is none. */
static size_t enhanced_code_len(const uint8_t *t, size_t tl)
{
    struct mxp_cursor c;
    uint8_t b;
    mxp_cur_init(&c, t, tl, MXP_E_SMTP_SYNTAX);
    if (!mxp_ok(mxp_cur_u8(&c, &b)) || (b != '2' && b != '4' && b != '5'))
        return 0;
    if (!mxp_ok(mxp_cur_u8(&c, &b)) || b != '.')
        return 0;
    if (!read_digits(&c, 1, 3))
        return 0;
    if (!mxp_ok(mxp_cur_u8(&c, &b)) || b != '.')
        return 0;
    if (!read_digits(&c, 1, 3))
        return 0;
    if (mxp_ok(mxp_cur_peek(&c, &b)) && b != ' ')
        return 0;
    return c.off;
}

static void fill_first_line(struct mxp_smtp_reply *out, const uint8_t *text, size_t tl)
{
    size_t enh = enhanced_code_len(text, tl);
    if (enh > 0) {
        _Static_assert(sizeof out->enh > 9, "enh holds 5.999.999");
        memcpy(out->enh, text, enh);
        out->enh[enh] = '\0';
        text += enh;
        tl -= enh;
        if (tl > 0) { /* the single space after the code */
            text++;
            tl--;
        }
    }
    if (tl > sizeof out->text - 1)
        tl = sizeof out->text - 1;
    if (tl > 0)
        memcpy(out->text, text, tl);
    out->text[tl] = '\0';
}

mxp_err mxp_smtp_parse_reply(const uint8_t *buf, size_t len, struct mxp_smtp_reply *out,
                             size_t *used)
{
    if (out == NULL || used == NULL)
        return MXP_ERR(MXP_E_USAGE, 0);
    memset(out, 0, sizeof *out);
    *used = 0;
    if (buf == NULL)
        len = 0;

    /* Bytes past the reply limit can never belong to an acceptable reply. */
    size_t window = len < MXP_CFG_SMTP_REPLY_MAX ? len : MXP_CFG_SMTP_REPLY_MAX;
    struct mxp_cursor cur;
    mxp_cur_init(&cur, buf, window, MXP_E_SMTP_SYNTAX);

    uint16_t code = 0;
    unsigned n_lines = 0;
    const uint8_t *first = NULL;
    size_t first_len = 0;

    for (;;) {
        size_t start = cur.off;
        size_t line_len = 0;
        uint16_t digits = 0;
        bool complete = false;
        uint8_t b = 0, prev = 0;

        while (mxp_cur_left(&cur) > 0) {
            prev = b;
            MXP_GUARD(mxp_cur_u8(&cur, &b));
            MXP_ENSURE(b != '\0', MXP_E_SMTP_SYNTAX);
            MXP_GUARD(check_head(line_len, b, code, &digits));
            line_len++;
            if (b == '\n') {
                complete = true;
                break;
            }
            /* LINE_MAX bytes and still no LF: the line can only get longer. */
            MXP_ENSURE(line_len < MXP_CFG_SMTP_LINE_MAX, MXP_E_SMTP_TOO_LONG);
        }
        if (!complete) {
            MXP_ENSURE(len < MXP_CFG_SMTP_REPLY_MAX, MXP_E_SMTP_TOO_LONG);
            return MXP_ERR(MXP_E_WOULD_BLOCK, 0);
        }

        size_t content = line_len - 1 - (line_len >= 2 && prev == '\r' ? 1 : 0);
        const uint8_t *line = buf + start;
        MXP_ENSURE(content >= 3, MXP_E_SMTP_SYNTAX);
        bool last = content == 3 || line[3] == ' ';
        MXP_ENSURE(last || line[3] == '-', MXP_E_SMTP_SYNTAX);

        if (n_lines == 0) {
            code = digits;
            first = line;
            first_len = content;
        }
        n_lines++;
        if (last)
            break;
        /* A continuation as the last allowed line means one line too many. */
        MXP_ENSURE(n_lines < MXP_CFG_SMTP_LINES_MAX, MXP_E_SMTP_TOO_LONG);
    }

    out->code = code;
    out->n_lines = (uint8_t)n_lines;
    if (first_len > 4)
        fill_first_line(out, first + 4, first_len - 4);
    *used = cur.off;
    return MXP_SUCCESS;
}

void mxp_smtp_each_line(const uint8_t *buf, size_t used, mxp_smtp_line_fn fn, void *arg)
{
    struct mxp_cursor cur;
    unsigned index = 0;
    if (fn == NULL)
        return;
    mxp_cur_init(&cur, buf, used, MXP_E_SMTP_SYNTAX);
    while (mxp_cur_left(&cur) > 0) {
        const uint8_t *line = buf + cur.off;
        size_t n = 0;
        uint8_t b = 0;
        bool complete = false;
        while (mxp_ok(mxp_cur_u8(&cur, &b))) {
            n++;
            if (b == '\n') {
                complete = true;
                break;
            }
        }
        if (!complete)
            return;
        size_t content = n - 1;
        if (content > 0 && line[content - 1] == '\r')
            content--;
        if (content < 3)
            return;
        if (content == 3)
            fn(arg, index, (const char *)line + 3, 0);
        else
            fn(arg, index, (const char *)line + 4, content - 4);
        index++;
    }
}

struct ehlo_ctx {
    char (*caps)[MXP_CFG_EHLO_CAP_LEN];
    size_t cap;
    size_t n;
    bool truncated;
};

static bool is_blank(char ch)
{
    return ch == ' ' || ch == '\t';
}

static void ehlo_line(void *arg, unsigned index, const char *text, size_t len)
{
    struct ehlo_ctx *ctx = arg;
    if (index == 0) /* the greeting line */
        return;
    while (len > 0 && is_blank(text[0])) {
        text++;
        len--;
    }
    while (len > 0 && is_blank(text[len - 1]))
        len--;
    if (len == 0)
        return;
    if (ctx->caps == NULL || ctx->n >= ctx->cap) {
        ctx->truncated = true;
        return;
    }
    if (len > MXP_CFG_EHLO_CAP_LEN - 1) {
        len = MXP_CFG_EHLO_CAP_LEN - 1;
        ctx->truncated = true;
    }
    char *dst = ctx->caps[ctx->n++];
    bool in_keyword = true;
    for (size_t i = 0; i < len; i++) {
        if (is_blank(text[i]))
            in_keyword = false;
        dst[i] = in_keyword ? ascii_upper(text[i]) : text[i];
    }
    dst[len] = '\0';
}

size_t mxp_smtp_ehlo_caps(const uint8_t *buf, size_t used, char (*caps)[MXP_CFG_EHLO_CAP_LEN],
                          size_t cap, bool *truncated)
{
    struct ehlo_ctx ctx = {caps, cap, 0, false};
    mxp_smtp_each_line(buf, used, ehlo_line, &ctx);
    if (truncated != NULL)
        *truncated = ctx.truncated;
    return ctx.n;
}

bool mxp_smtp_has_cap(char (*caps)[MXP_CFG_EHLO_CAP_LEN], size_t n, const char *keyword)
{
    if (caps == NULL || keyword == NULL || keyword[0] == '\0')
        return false;
    for (size_t i = 0; i < n; i++) {
        const char *c = caps[i];
        size_t j = 0;
        while (j < MXP_CFG_EHLO_CAP_LEN && keyword[j] != '\0' &&
               ascii_upper(c[j]) == ascii_upper(keyword[j]))
            j++;
        if (j < MXP_CFG_EHLO_CAP_LEN && keyword[j] == '\0' && (c[j] == '\0' || is_blank(c[j])))
            return true;
    }
    return false;
}
