/*
 * Names and human text for mxp_err values.
 *
 * The short names are part of the JSON schema ("kind" of a failure): never
 * rename one, only add. mxp_err_str() formats without stdio so the firmware
 * does not pull printf into the image.
 */
#include <stddef.h>

#include "mxp_err_text.h"

const char *mxp_err_name(mxp_err e)
{
    switch ((enum mxp_code)e.code) {
    case MXP_OK:
        return "ok";
    case MXP_E_USAGE:
        return "usage";
    case MXP_E_IO:
        return "io-error";
    case MXP_E_WOULD_BLOCK:
        return "would-block";
    case MXP_E_UNSUPPORTED:
        return "unsupported";
    case MXP_E_HAL_MISSING:
        return "hal-missing";
    case MXP_E_DNS_NXDOMAIN:
        return "dns-nxdomain";
    case MXP_E_DNS_NODATA:
        return "dns-nodata";
    case MXP_E_DNS_FAIL:
        return "dns-error";
    case MXP_E_TCP_REFUSED:
        return "refused";
    case MXP_E_TCP_RESET:
        return "reset";
    case MXP_E_TCP_CLOSED:
        return "closed";
    case MXP_E_TCP_UNREACHABLE:
        return "unreachable";
    case MXP_E_TCP:
        return "tcp-error";
    case MXP_E_SMTP_REPLY:
        return "smtp-reply";
    case MXP_E_SMTP_SYNTAX:
        return "smtp-syntax";
    case MXP_E_SMTP_TOO_LONG:
        return "smtp-too-long";
    case MXP_E_SMTP_NO_STARTTLS:
        return "no-starttls";
    case MXP_E_TLS:
        return "tls-error";
    case MXP_E_TLS_NO_SHARED_CIPHER:
        return "no-shared-cipher";
    case MXP_E_TLS_VERSION:
        return "version-mismatch";
    case MXP_E_TLS_PROTOCOL:
        return "protocol-error";
    case MXP_E_TLS_ALERT_SENT:
        return "tls-alert-sent";
    case MXP_E_TLS_ALERT:
        return "tls-alert-received";
    case MXP_E_CERT_PARSE:
        return "cert-parse";
    case MXP_E_TIMEOUT:
        return "timeout";
    case MXP_E_INTERNAL:
        return "internal";
    case MXP_E_CAPACITY:
        return "capacity";
    case MXP_E_NOMEM:
        return "no-memory";
    case MXP_E_TLS_RECORD_TOO_LARGE:
        return "record-too-large";
    }
    return "unknown";
}

const char *mxp_err_class_name(enum mxp_err_class cls)
{
    switch (cls) {
    case MXP_CLASS_NONE:
        return "none";
    case MXP_CLASS_USAGE:
        return "usage";
    case MXP_CLASS_IO:
        return "io";
    case MXP_CLASS_DNS:
        return "dns";
    case MXP_CLASS_TCP:
        return "tcp";
    case MXP_CLASS_SMTP:
        return "smtp";
    case MXP_CLASS_TLS:
        return "tls";
    case MXP_CLASS_TLS_ALERT:
        return "tls-alert";
    case MXP_CLASS_CERT:
        return "cert";
    case MXP_CLASS_TIMEOUT:
        return "timeout";
    case MXP_CLASS_INTERNAL:
        return "internal";
    }
    return "unknown";
}

const char *mxp_tls_alert_name(int alert)
{
    switch (alert) {
    case 0:
        return "close_notify";
    case 10:
        return "unexpected_message";
    case 20:
        return "bad_record_mac";
    case 21:
        return "decryption_failed";
    case 22:
        return "record_overflow";
    case 30:
        return "decompression_failure";
    case 40:
        return "handshake_failure";
    case 41:
        return "no_certificate";
    case 42:
        return "bad_certificate";
    case 43:
        return "unsupported_certificate";
    case 44:
        return "certificate_revoked";
    case 45:
        return "certificate_expired";
    case 46:
        return "certificate_unknown";
    case 47:
        return "illegal_parameter";
    case 48:
        return "unknown_ca";
    case 49:
        return "access_denied";
    case 50:
        return "decode_error";
    case 51:
        return "decrypt_error";
    case 60:
        return "export_restriction";
    case 70:
        return "protocol_version";
    case 71:
        return "insufficient_security";
    case 80:
        return "internal_error";
    case 86:
        return "inappropriate_fallback";
    case 90:
        return "user_canceled";
    case 100:
        return "no_renegotiation";
    case 109:
        return "missing_extension";
    case 110:
        return "unsupported_extension";
    case 111:
        return "certificate_unobtainable";
    case 112:
        return "unrecognized_name";
    case 113:
        return "bad_certificate_status_response";
    case 114:
        return "bad_certificate_hash_value";
    case 115:
        return "unknown_psk_identity";
    case 116:
        return "certificate_required";
    case 120:
        return "no_application_protocol";
    default:
        return "unknown";
    }
}

/* Bounded string builder: keeps what fits, always NUL-terminated. */
struct mxp_err_text {
    char *buf;
    unsigned cap;
    unsigned len;
};

static void text_put(struct mxp_err_text *t, const char *s)
{
    while (*s != '\0' && t->len + 1 < t->cap)
        t->buf[t->len++] = *s++;
    t->buf[t->len] = '\0';
}

static void text_int(struct mxp_err_text *t, int v)
{
    char digits[12];
    unsigned n = 0;
    /* widen first: -INT_MIN overflows int */
    long long w = v;
    if (w < 0) {
        text_put(t, "-");
        w = -w;
    }
    do {
        digits[n++] = (char)('0' + (int)(w % 10));
        w /= 10;
    } while (w != 0 && n < sizeof digits);
    while (n > 0) {
        char one[2] = {digits[--n], '\0'};
        text_put(t, one);
    }
}

static void text_alert(struct mxp_err_text *t, const char *prefix, int alert)
{
    text_put(t, prefix);
    text_put(t, mxp_tls_alert_name(alert));
    text_put(t, " (");
    text_int(t, alert);
    text_put(t, ")");
}

/* " (detail)" for codes whose detail is an opaque port or library value. */
static void text_detail(struct mxp_err_text *t, int detail)
{
    if (detail == 0)
        return;
    text_put(t, " (");
    text_int(t, detail);
    text_put(t, ")");
}

static void text_wolfssl(struct mxp_err_text *t, const char *what, int detail)
{
    text_put(t, what);
    if (detail != 0) {
        text_put(t, ": wolfSSL error ");
        text_int(t, detail);
    }
}

const char *mxp_err_str(mxp_err e, char *buf, unsigned cap)
{
    struct mxp_err_text t = {buf, cap, 0};
    if (buf == NULL || cap == 0)
        return buf == NULL ? "" : buf;
    buf[0] = '\0';

    switch ((enum mxp_code)e.code) {
    case MXP_OK:
        text_put(&t, "ok");
        break;
    case MXP_E_USAGE:
        text_put(&t, "invalid usage");
        text_detail(&t, e.detail);
        break;
    case MXP_E_IO:
        text_put(&t, "I/O error");
        text_detail(&t, e.detail);
        break;
    case MXP_E_WOULD_BLOCK:
        text_put(&t, "operation would block");
        break;
    case MXP_E_UNSUPPORTED:
        text_put(&t, "operation not supported");
        break;
    case MXP_E_HAL_MISSING:
        text_put(&t, "required HAL operation missing");
        text_detail(&t, e.detail);
        break;
    case MXP_E_DNS_NXDOMAIN:
        text_put(&t, "DNS: no such domain");
        break;
    case MXP_E_DNS_NODATA:
        text_put(&t, "DNS: no address records");
        break;
    case MXP_E_DNS_FAIL:
        text_put(&t, "DNS lookup failed");
        text_detail(&t, e.detail);
        break;
    case MXP_E_TCP_REFUSED:
        text_put(&t, "connection refused");
        break;
    case MXP_E_TCP_RESET:
        text_put(&t, "connection reset by peer");
        break;
    case MXP_E_TCP_CLOSED:
        text_put(&t, "connection closed by peer");
        break;
    case MXP_E_TCP_UNREACHABLE:
        text_put(&t, "host unreachable");
        break;
    case MXP_E_TCP:
        text_put(&t, "TCP error");
        text_detail(&t, e.detail);
        break;
    case MXP_E_SMTP_REPLY:
        text_put(&t, "SMTP reply");
        if (e.detail != 0) {
            text_put(&t, " ");
            text_int(&t, e.detail);
        }
        break;
    case MXP_E_SMTP_SYNTAX:
        text_put(&t, "malformed SMTP reply");
        break;
    case MXP_E_SMTP_TOO_LONG:
        text_put(&t, "SMTP reply too long");
        break;
    case MXP_E_SMTP_NO_STARTTLS:
        text_put(&t, "STARTTLS not offered");
        break;
    case MXP_E_TLS:
        if (e.detail != 0) {
            text_put(&t, "wolfSSL error ");
            text_int(&t, e.detail);
        } else {
            text_put(&t, "TLS error");
        }
        break;
    case MXP_E_TLS_NO_SHARED_CIPHER:
        text_wolfssl(&t, "TLS: no shared cipher", e.detail);
        break;
    case MXP_E_TLS_VERSION:
        text_wolfssl(&t, "TLS: protocol version mismatch", e.detail);
        break;
    case MXP_E_TLS_PROTOCOL:
        text_wolfssl(&t, "TLS protocol error", e.detail);
        break;
    case MXP_E_TLS_ALERT_SENT:
        text_alert(&t, "TLS alert sent: ", e.detail);
        break;
    case MXP_E_TLS_ALERT:
        text_alert(&t, "TLS alert received: ", e.detail);
        break;
    case MXP_E_CERT_PARSE:
        text_put(&t, "certificate parse error");
        break;
    case MXP_E_TIMEOUT:
        text_put(&t, "timed out");
        if (e.detail > 0) {
            text_put(&t, " after ");
            text_int(&t, e.detail);
            text_put(&t, " ms");
        }
        break;
    case MXP_E_INTERNAL:
        text_put(&t, "internal error");
        text_detail(&t, e.detail);
        break;
    case MXP_E_CAPACITY:
        text_put(&t, "capacity exceeded");
        break;
    case MXP_E_NOMEM:
        text_put(&t, "out of memory");
        break;
    case MXP_E_TLS_RECORD_TOO_LARGE:
        text_put(&t, "record larger than this board's buffer");
        if (e.detail > 0) {
            text_put(&t, " (");
            text_int(&t, e.detail);
            text_put(&t, " bytes)");
        }
        break;
    default:
        text_put(&t, "unknown error ");
        text_int(&t, e.code);
        text_detail(&t, e.detail);
        break;
    }
    return buf;
}
