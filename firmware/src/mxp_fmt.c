/*
 * Formatting helpers shared by the verdict and the report encoders: address,
 * time and reason text, and two small filtering writers (word wrap, JSON
 * string) so one sentence-producing function serves both reports.
 */
#include "mxp_fmt.h"
#include "mxp_time.h"

#include <string.h>

#include "mxp_err_text.h"
#include "mxp_suites.h"

size_t mxp_fmt_strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n] != '\0')
        n++;
    return n;
}

void mxp_fmt_addr(struct mxp_writer *w, const struct mxp_addr *a)
{
    const uint8_t *b = a->bytes;
    if (a->family == MXP_AF_INET) {
        mxp_printf(w, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
        return;
    }
    if (a->family != MXP_AF_INET6) {
        mxp_puts(w, "unknown");
        return;
    }
    /* RFC 5952: the longest run of two or more zero groups (the first on a
     * tie) becomes "::"; hex digits lower case without leading zeros. */
    unsigned g[8];
    int best = -1, best_len = 0;
    for (int i = 0; i < 8; i++)
        g[i] = (unsigned)b[2 * i] << 8 | b[2 * i + 1];
    for (int i = 0; i < 8;) {
        if (g[i] != 0) {
            i++;
            continue;
        }
        int j = i;
        while (j < 8 && g[j] == 0)
            j++;
        if (j - i > best_len && j - i >= 2) {
            best = i;
            best_len = j - i;
        }
        i = j;
    }
    for (int i = 0; i < 8; i++) {
        if (i == best) {
            mxp_puts(w, "::");
            i += best_len - 1;
            continue;
        }
        if (i > 0 && i != best + best_len)
            mxp_putc(w, ':');
        mxp_printf(w, "%x", g[i]);
    }
}

void mxp_fmt_utc(struct mxp_writer *w, int64_t t, char sep)
{
    const int64_t lo = -62167219200LL; /* 0000-01-01T00:00:00Z */
    const int64_t hi = 253402300799LL; /* 9999-12-31T23:59:59Z */
    t = t < lo ? lo : t > hi ? hi : t;
    int64_t days;
    uint32_t s;
    struct mxp_civil c;
    mxp_time_split(t, &days, &s);
    mxp_time_civil_from_days(days, &c);
    mxp_printf(w, "%04u-%02u-%02u%c%02u:%02u:%02uZ", (unsigned)c.year, c.month, c.day, sep,
               (unsigned)(s / 3600), (unsigned)(s / 60 % 60), (unsigned)(s % 60));
}

void mxp_fmt_ms(struct mxp_writer *w, uint32_t ms)
{
    if (ms < 1000)
        mxp_printf(w, "%u ms", (unsigned)ms);
    else
        mxp_printf(w, "%lu.%02u s", (unsigned long)(ms / 1000), (unsigned)(ms % 1000 / 10));
}

bool mxp_fmt_failed(const struct mxp_failure *f)
{
    return f->stage > MXP_STAGE_NONE && f->stage < MXP_STAGE_COUNT;
}

const char *mxp_fmt_stage(uint8_t stage)
{
    const char *n = stage < MXP_STAGE_COUNT ? mxp_stage_name((enum mxp_stage)stage) : NULL;
    return n != NULL ? n : "unknown stage";
}

bool mxp_fmt_same_err(mxp_err a, mxp_err b)
{
    return a.code == b.code && a.detail == b.detail;
}

static const char *fmt_alert(int alert)
{
    const char *n = mxp_tls_alert_name(alert);
    return n != NULL ? n : "unknown";
}

void mxp_fmt_reason(struct mxp_writer *w, uint8_t stage, mxp_err e, const struct mxp_failure *f)
{
    const char *st = mxp_fmt_stage(stage);
    unsigned long rx = f != NULL ? (unsigned long)f->stage_rx_bytes : 0;
    switch (e.code) {
    case MXP_E_TLS_ALERT:
        mxp_printf(w, "alert %s received during %s", fmt_alert(e.detail), st);
        return;
    case MXP_E_TLS_ALERT_SENT:
        mxp_printf(w, "mxprobe sent alert %s during %s", fmt_alert(e.detail), st);
        return;
    case MXP_E_TCP_CLOSED:
    case MXP_E_TCP_RESET:
        mxp_printf(w, "connection %s by peer during %s",
                   e.code == MXP_E_TCP_CLOSED ? "closed" : "reset", st);
        if (f != NULL)
            mxp_printf(w, " after %lu bytes", rx);
        return;
    case MXP_E_TIMEOUT: {
        unsigned long ms = e.detail > 0 ? (unsigned long)e.detail
                           : f != NULL  ? (unsigned long)f->stage_ms
                                        : 0;
        mxp_printf(w, "timed out after %lu ms during %s", ms, st);
        if (f != NULL && stage != MXP_STAGE_CONNECT)
            mxp_printf(w, " (%lu bytes received)", rx);
        return;
    }
    case MXP_E_TCP_REFUSED:
        mxp_printf(w, "connection refused (RST) during %s", st);
        return;
    case MXP_E_TCP_UNREACHABLE:
        mxp_printf(w, "host or network unreachable during %s", st);
        return;
    case MXP_E_SMTP_REPLY: {
        unsigned code =
            f != NULL && f->smtp_code != 0 ? f->smtp_code : (unsigned)(uint16_t)e.detail;
        mxp_printf(w, "SMTP reply %u", code);
        if (f != NULL && f->smtp_enh[0] != '\0') {
            mxp_putc(w, ' ');
            mxp_put_escaped(w, MXP_FMT_FIELD(f->smtp_enh));
        }
        mxp_printf(w, " at %s", st);
        return;
    }
    case MXP_E_SMTP_NO_STARTTLS:
        mxp_puts(w, "STARTTLS not offered in the EHLO reply");
        return;
    case MXP_E_SMTP_SYNTAX:
        mxp_printf(w, "reply is not valid SMTP during %s", st);
        return;
    case MXP_E_SMTP_TOO_LONG:
        mxp_printf(w, "SMTP reply too long during %s", st);
        return;
    case MXP_E_TLS_VERSION:
        mxp_printf(w, "server answered with another TLS version during %s", st);
        return;
    case MXP_E_TLS_NO_SHARED_CIPHER:
        mxp_printf(w, "no shared cipher suite during %s", st);
        return;
    default: {
        char text[96];
        const char *s = mxp_err_str(e, text, sizeof text);
        mxp_printf(w, "%s during %s", s != NULL ? s : "error", st);
        return;
    }
    }
}

void mxp_fmt_failure(struct mxp_writer *w, const struct mxp_failure *f)
{
    mxp_fmt_reason(w, f->stage, f->err, f);
}

const char *mxp_fmt_suite_name(uint16_t id)
{
    const struct mxp_suite_info *s = mxp_suite_by_id(id);
    return s != NULL ? s->iana : NULL;
}

void mxp_fmt_suite(struct mxp_writer *w, uint16_t id)
{
    const char *n = mxp_fmt_suite_name(id);
    if (n != NULL)
        mxp_puts(w, n);
    else
        mxp_printf(w, "0x%04X", (unsigned)id);
}

bool mxp_fmt_suite_weak(uint16_t id)
{
    const struct mxp_suite_info *s = mxp_suite_by_id(id);
    return s != NULL && (s->weak || s->kx == MXP_KX_RSA);
}

void mxp_fmt_key(struct mxp_writer *w, const struct mxp_cert_summary *c)
{
    switch (c->key_type) {
    case MXP_KEY_RSA:
        mxp_printf(w, "RSA %u bits", (unsigned)c->key_bits);
        break;
    case MXP_KEY_EC: {
        const char *curve = mxp_group_name(c->key_curve);
        mxp_printf(w, "EC %u bits", (unsigned)c->key_bits);
        if (curve != NULL)
            mxp_printf(w, " (%s)", curve);
        break;
    }
    case MXP_KEY_ED25519:
        mxp_puts(w, "Ed25519");
        break;
    case MXP_KEY_ED448:
        mxp_puts(w, "Ed448");
        break;
    case MXP_KEY_DSA:
        mxp_printf(w, "DSA %u bits", (unsigned)c->key_bits);
        break;
    default:
        mxp_puts(w, "unknown key type");
        break;
    }
}

/* ---- word wrap ----------------------------------------------------------- */

static void wrap_spaces(struct mxp_writer *out, unsigned n)
{
    while (n-- > 0)
        mxp_putc(out, ' ');
}

static void wrap_word(struct mxp_fmt_wrap *f)
{
    if (f->wlen == 0)
        return;
    if (f->clipped) {
        f->wlen = 0;
        return;
    }
    if (f->col > f->indent && f->col + f->spaces + f->wlen > f->width) {
        if (f->max_lines != 0 && f->lines >= f->max_lines) {
            mxp_puts(f->out, " ...");
            f->clipped = true;
            f->wlen = 0;
            return;
        }
        mxp_putc(f->out, '\n');
        wrap_spaces(f->out, f->indent);
        f->col = f->indent;
        f->lines++;
        f->spaces = 0;
    }
    wrap_spaces(f->out, f->spaces);
    mxp_put(f->out, f->word, f->wlen);
    f->col += f->spaces + (unsigned)f->wlen;
    f->spaces = 0;
    f->wlen = 0;
}

static mxp_err wrap_flush(void *ctx, const char *s, size_t n)
{
    struct mxp_fmt_wrap *f = ctx;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ') {
            wrap_word(f);
            f->spaces++;
        } else {
            if (f->wlen == sizeof f->word)
                wrap_word(f); /* a long token is cut, not lost */
            f->word[f->wlen++] = s[i];
        }
    }
    return f->out->err;
}

void mxp_fmt_wrap_begin(struct mxp_fmt_wrap *f, struct mxp_writer *out, unsigned col,
                        unsigned indent, unsigned max_lines)
{
    f->out = out;
    f->wlen = 0;
    f->col = col;
    f->indent = indent;
    f->width = MXP_FMT_WIDTH;
    f->spaces = 0;
    f->lines = 1;
    f->max_lines = max_lines;
    f->clipped = false;
    mxp_writer_init(&f->w, f->buf, sizeof f->buf, wrap_flush, f);
}

void mxp_fmt_wrap_end(struct mxp_fmt_wrap *f)
{
    mxp_err e = mxp_writer_finish(&f->w);
    (void)e; /* the outer writer keeps its own error */
    wrap_word(f);
}

/* ---- JSON string --------------------------------------------------------- */

static mxp_err json_flush(void *ctx, const char *s, size_t n)
{
    struct mxp_fmt_json *f = ctx;
    mxp_put_json_chars(f->out, s, n);
    return f->out->err;
}

void mxp_fmt_json_begin(struct mxp_fmt_json *f, struct mxp_writer *out)
{
    f->out = out;
    mxp_putc(out, '"');
    mxp_writer_init(&f->w, f->buf, sizeof f->buf, json_flush, f);
}

void mxp_fmt_json_end(struct mxp_fmt_json *f)
{
    mxp_err e = mxp_writer_finish(&f->w);
    (void)e; /* the outer writer keeps its own error */
    mxp_putc(f->out, '"');
}

const char *const mxp_fmt_phase_names[MXP_FMT_PHASES] = {"connect", "banner", "ehlo", "starttls"};

bool mxp_fmt_phase(const struct mxp_port_result *p, unsigned i, uint32_t *ms)
{
    const bool reached[MXP_FMT_PHASES] = {p->reached, p->banner_code != 0, p->ehlo_code != 0,
                                          p->starttls_code != 0};
    const uint32_t t[MXP_FMT_PHASES] = {p->connect_ms, p->banner_ms, p->ehlo_ms, p->starttls_ms};
    if (i >= MXP_FMT_PHASES || !reached[i])
        return false;
    *ms = t[i];
    return true;
}
