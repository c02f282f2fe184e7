/*
 * Bounded output writer: a fixed buffer (like snprintf) or a small buffer
 * that streams through a flush callback (the HAL sink on a board).
 *
 * mxp_printf formats one conversion at a time into a 64-byte piece, so its
 * stack use stays small and bounded however long the output is: literal text
 * and %s arguments are copied straight through, only numbers go through
 * snprintf.
 */
#include "mxp_writer.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mxp_fmt.h"

/* One formatted number (or pointer, or float) at most; longer ones are cut. */
#define MXP_WRITER_PIECE 64
/* Widths up to this are handed to snprintf; wider ones are padded here. */
#define MXP_WRITER_PIECE_WIDTH 48

static const char mxp_hex[] = "0123456789abcdef";

void mxp_writer_init(struct mxp_writer *w, char *buf, size_t cap,
                     mxp_err (*flush)(void *ctx, const char *buf, size_t len), void *ctx)
{
    w->buf = buf;
    w->cap = buf != NULL ? cap : 0;
    w->len = 0;
    w->total = 0;
    w->flush = flush;
    w->ctx = ctx;
    w->err = MXP_SUCCESS;
    if (w->flush == NULL && w->cap > 0)
        w->buf[0] = '\0';
}

static void writer_drain(struct mxp_writer *w)
{
    if (w->len == 0)
        return;
    if (mxp_ok(w->err)) {
        mxp_err e = w->flush(w->ctx, w->buf, w->len);
        if (!mxp_ok(e))
            w->err = e;
    }
    w->len = 0;
}

void mxp_put(struct mxp_writer *w, const char *s, size_t n)
{
    if (w == NULL || s == NULL || n == 0)
        return;
    w->total += n;
    if (w->flush == NULL) {
        /* Keep one byte for the NUL that mxp_writer_finish writes. */
        size_t room = w->cap > w->len + 1 ? w->cap - 1 - w->len : 0;
        size_t k = n < room ? n : room;
        if (k > 0)
            memcpy(w->buf + w->len, s, k);
        w->len += k;
        return;
    }
    if (!mxp_ok(w->err))
        return;
    if (w->cap == 0) {
        mxp_err e = w->flush(w->ctx, s, n);
        if (!mxp_ok(e))
            w->err = e;
        return;
    }
    while (n > 0) {
        size_t room = w->cap - w->len;
        size_t k = n < room ? n : room;
        memcpy(w->buf + w->len, s, k);
        w->len += k;
        s += k;
        n -= k;
        if (w->len == w->cap) {
            writer_drain(w);
            if (!mxp_ok(w->err))
                return;
        }
    }
}

void mxp_puts(struct mxp_writer *w, const char *s)
{
    if (s != NULL)
        mxp_put(w, s, strlen(s));
}

void mxp_putc(struct mxp_writer *w, char c)
{
    mxp_put(w, &c, 1);
}

static void writer_fill(struct mxp_writer *w, char c, size_t n)
{
    char run[16];
    memset(run, c, sizeof run);
    while (n > 0) {
        size_t k = n < sizeof run ? n : sizeof run;
        mxp_put(w, run, k);
        n -= k;
    }
}

/* A parsed conversion specification. */
struct writer_spec {
    bool left, zero, plus, space, alt;
    size_t width;
    int prec; /* -1: none */
    char len[3];
    char conv;
};

/* Emit piece[0..n) padded to spec->width, with zeros after any sign or 0x
 * prefix when the 0 flag asks for them (only reached for widths snprintf was
 * not given). */
static void writer_pad(struct mxp_writer *w, const struct writer_spec *sp, const char *piece,
                       size_t n, bool numeric)
{
    size_t pad = sp->width > n ? sp->width - n : 0;
    if (sp->left) {
        mxp_put(w, piece, n);
        writer_fill(w, ' ', pad);
        return;
    }
    if (sp->zero && numeric && pad > 0) {
        size_t pre = 0;
        if (n > 0 && (piece[0] == '-' || piece[0] == '+' || piece[0] == ' '))
            pre = 1;
        if (n >= pre + 2 && piece[pre] == '0' && (piece[pre + 1] == 'x' || piece[pre + 1] == 'X'))
            pre += 2;
        mxp_put(w, piece, pre);
        writer_fill(w, '0', pad);
        mxp_put(w, piece + pre, n - pre);
        return;
    }
    writer_fill(w, ' ', pad);
    mxp_put(w, piece, n);
}

/* Build "%<flags>[width][.prec]<len><conv>" for one snprintf call. */
static void writer_subformat(char *out, size_t cap, const struct writer_spec *sp, bool with_width,
                             const char *len)
{
    size_t o = 0;
    out[o++] = '%';
    if (with_width && sp->left)
        out[o++] = '-';
    if (with_width && sp->zero)
        out[o++] = '0';
    if (sp->plus)
        out[o++] = '+';
    if (sp->space)
        out[o++] = ' ';
    if (sp->alt)
        out[o++] = '#';
    out[o] = '\0';
    /* width <= MXP_WRITER_PIECE_WIDTH and prec are small enough for this buffer */
    if (with_width && sp->width > 0)
        o += (size_t)snprintf(out + o, cap - o, "%u", (unsigned)sp->width);
    if (sp->prec >= 0)
        o += (size_t)snprintf(out + o, cap - o, ".%d", sp->prec);
    (void)snprintf(out + o, cap - o, "%s%c", len, sp->conv);
}

/* Parse flags, width, precision, length and conversion after a '%'. Returns
 * the position after the conversion, or NULL when it is not one we support. */
static const char *writer_parse(const char *q, struct writer_spec *sp, va_list *ap)
{
    memset(sp, 0, sizeof *sp);
    sp->prec = -1;
    for (;; q++) {
        if (*q == '-')
            sp->left = true;
        else if (*q == '0')
            sp->zero = true;
        else if (*q == '+')
            sp->plus = true;
        else if (*q == ' ')
            sp->space = true;
        else if (*q == '#')
            sp->alt = true;
        else
            break;
    }
    if (*q == '*') {
        int wd = va_arg(*ap, int);
        if (wd < 0) {
            sp->left = true;
            wd = wd == INT_MIN ? INT_MAX : -wd;
        }
        sp->width = (size_t)wd;
        q++;
    } else {
        while (*q >= '0' && *q <= '9') {
            if (sp->width < 100000)
                sp->width = sp->width * 10 + (size_t)(*q - '0');
            q++;
        }
    }
    if (*q == '.') {
        q++;
        sp->prec = 0;
        if (*q == '*') {
            int pr = va_arg(*ap, int);
            sp->prec = pr < 0 ? -1 : pr;
            q++;
        } else {
            while (*q >= '0' && *q <= '9') {
                if (sp->prec < 100000)
                    sp->prec = sp->prec * 10 + (*q - '0');
                q++;
            }
        }
    }
    if (*q == 'h' || *q == 'l') {
        sp->len[0] = *q;
        if (q[1] == *q)
            sp->len[1] = *q++;
        q++;
    } else if (*q == 'z' || *q == 'j' || *q == 't' || *q == 'L') {
        sp->len[0] = *q++;
    }
    if (*q == '\0' || strchr("diouxXcspfFeEgGaAn%", *q) == NULL)
        return NULL;
    sp->conv = *q++;
    if (sp->left)
        sp->zero = false;
    return q;
}

static void writer_string(struct mxp_writer *w, const struct writer_spec *sp, const char *s)
{
    if (s == NULL)
        s = "(null)";
    size_t n = sp->prec >= 0 ? mxp_fmt_strnlen(s, (size_t)sp->prec) : strlen(s);
    struct writer_spec plain = *sp;
    plain.zero = false;
    writer_pad(w, &plain, s, n, false);
}

/* Digits of a value wider than long, for the rare case it does not fit:
 * no flags, width or precision (callers print 32-bit values on a board). */
static int writer_wide(char *piece, uintmax_t u, bool negative, char conv)
{
    char tmp[24];
    unsigned base = (conv == 'x' || conv == 'X') ? 16 : conv == 'o' ? 8 : 10;
    const char *digits = conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    size_t n = 0;
    do {
        tmp[n++] = digits[u % base];
        u /= base;
    } while (u != 0 && n < sizeof tmp);
    size_t len = 0;
    if (negative)
        piece[len++] = '-';
    while (n > 0)
        piece[len++] = tmp[--n];
    piece[len] = '\0';
    return (int)len;
}

/* Fetch one integer argument per the length modifier and format it. The
 * sub-format uses the "l" modifier: newlib-nano's printf (boards) knows only
 * h and l, so %j/%z/%ll would print literally there. */
static int writer_integer(char *piece, const char *sub, const struct writer_spec *sp, va_list *ap)
{
    bool is_signed = sp->conv == 'd' || sp->conv == 'i';
    const char *len = sp->len;
    if (is_signed) {
        intmax_t v;
        if (strcmp(len, "hh") == 0)
            v = (signed char)va_arg(*ap, int);
        else if (strcmp(len, "h") == 0)
            v = (short)va_arg(*ap, int);
        else if (strcmp(len, "l") == 0)
            v = va_arg(*ap, long);
        else if (strcmp(len, "ll") == 0)
            v = va_arg(*ap, long long);
        else if (strcmp(len, "z") == 0)
            v = (intmax_t)(ptrdiff_t)va_arg(*ap, size_t);
        else if (strcmp(len, "j") == 0)
            v = va_arg(*ap, intmax_t);
        else if (strcmp(len, "t") == 0)
            v = va_arg(*ap, ptrdiff_t);
        else
            v = va_arg(*ap, int);
        if (v < LONG_MIN || v > LONG_MAX)
            return writer_wide(piece, v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v, v < 0,
                               'd');
        return snprintf(piece, MXP_WRITER_PIECE, sub, (long)v);
    }
    uintmax_t u;
    if (strcmp(len, "hh") == 0)
        u = (unsigned char)va_arg(*ap, unsigned);
    else if (strcmp(len, "h") == 0)
        u = (unsigned short)va_arg(*ap, unsigned);
    else if (strcmp(len, "l") == 0)
        u = va_arg(*ap, unsigned long);
    else if (strcmp(len, "ll") == 0)
        u = va_arg(*ap, unsigned long long);
    else if (strcmp(len, "z") == 0)
        u = va_arg(*ap, size_t);
    else if (strcmp(len, "j") == 0)
        u = va_arg(*ap, uintmax_t);
    else if (strcmp(len, "t") == 0)
        u = (uintmax_t)va_arg(*ap, ptrdiff_t);
    else
        u = va_arg(*ap, unsigned);
    if (u > ULONG_MAX)
        return writer_wide(piece, u, false, sp->conv);
    return snprintf(piece, MXP_WRITER_PIECE, sub, (unsigned long)u);
}

static void writer_vprintf(struct mxp_writer *w, const char *fmt, va_list ap0)
{
    va_list ap;
    va_copy(ap, ap0);
    const char *p = fmt;
    while (*p != '\0') {
        const char *q = p;
        while (*q != '\0' && *q != '%')
            q++;
        mxp_put(w, p, (size_t)(q - p));
        if (*q == '\0')
            break;
        struct writer_spec sp;
        const char *next = writer_parse(q + 1, &sp, &ap);
        if (next == NULL) {
            /* Not a conversion we know: show the rest as it is. */
            mxp_puts(w, q);
            break;
        }
        p = next;
        char piece[MXP_WRITER_PIECE];
        int n = 0;
        bool numeric = true;
        switch (sp.conv) {
        case '%':
            mxp_putc(w, '%');
            continue;
        case 's':
            writer_string(w, &sp, va_arg(ap, const char *));
            continue;
        case 'n':
            (void)va_arg(ap, void *); /* never written through: output is a stream */
            continue;
        case 'c':
            piece[0] = (char)va_arg(ap, int);
            n = 1;
            numeric = false;
            break;
        default: {
            bool narrow = sp.width <= MXP_WRITER_PIECE_WIDTH;
            char sub[24];
            if (sp.conv == 'p') {
                writer_subformat(sub, sizeof sub, &sp, narrow, "");
                n = snprintf(piece, sizeof piece, sub, va_arg(ap, void *));
                numeric = false;
            } else if (strchr("fFeEgGaA", sp.conv) != NULL) {
                writer_subformat(sub, sizeof sub, &sp, narrow, sp.len[0] == 'L' ? "L" : "");
                if (sp.len[0] == 'L')
                    n = snprintf(piece, sizeof piece, sub, va_arg(ap, long double));
                else
                    n = snprintf(piece, sizeof piece, sub, va_arg(ap, double));
            } else {
                /* the 0 flag is ignored for integers when a precision is given */
                if (sp.prec >= 0)
                    sp.zero = false;
                writer_subformat(sub, sizeof sub, &sp, narrow, "l");
                n = writer_integer(piece, sub, &sp, &ap);
            }
            if (narrow)
                sp.width = 0;
            break;
        }
        }
        if (n < 0)
            continue;
        if ((size_t)n >= sizeof piece)
            n = (int)sizeof piece - 1;
        writer_pad(w, &sp, piece, (size_t)n, numeric);
    }
    va_end(ap);
}

void mxp_printf(struct mxp_writer *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    writer_vprintf(w, fmt, ap);
    va_end(ap);
}

void mxp_put_escaped(struct mxp_writer *w, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        /* A backslash is escaped too, so "\x1b" in the output always means ESC
         * and never a literal backslash sent by the peer. */
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            run++;
            continue;
        }
        mxp_put(w, s + i - run, run);
        run = 0;
        char e[4] = {'\\', 'x', mxp_hex[c >> 4], mxp_hex[c & 15]};
        mxp_put(w, e, sizeof e);
    }
    mxp_put(w, s + n - run, run);
}

void mxp_put_json_chars(struct mxp_writer *w, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            run++;
            continue;
        }
        mxp_put(w, s + i - run, run);
        run = 0;
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            mxp_put(w, e, sizeof e);
        } else {
            /* Network bytes are not known to be UTF-8: each byte becomes the
             * code point of the same value, so the document is always ASCII. */
            char e[6] = {'\\', 'u', '0', '0', mxp_hex[c >> 4], mxp_hex[c & 15]};
            mxp_put(w, e, sizeof e);
        }
    }
    mxp_put(w, s + n - run, run);
}

void mxp_put_json_string(struct mxp_writer *w, const char *s, size_t n)
{
    mxp_putc(w, '"');
    if (s != NULL)
        mxp_put_json_chars(w, s, n);
    mxp_putc(w, '"');
}

mxp_err mxp_writer_finish(struct mxp_writer *w)
{
    if (w->flush != NULL) {
        writer_drain(w);
        return w->err;
    }
    if (w->cap > 0)
        w->buf[w->len] = '\0';
    return w->total > w->len ? MXP_ERR(MXP_E_CAPACITY, 0) : MXP_SUCCESS;
}
