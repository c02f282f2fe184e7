/*
 * mxprobe error values.
 *
 * One type serves two purposes that are kept apart by *where* it is stored:
 *  - returned from a function, it says the probe could not do its job
 *    (bad arguments, HAL failure, capacity);
 *  - stored in a result (struct mxp_failure), it is an observation about the
 *    network (RST, alert 70, 421 banner) and is data, not an error path.
 *
 * A value carries its class (high byte of `code`), the specific code and a
 * detail: a wolfSSL error, a TLS alert number, an SMTP reply code, an errno-like
 * port value. Like s2n's s2n_result, functions returning it are marked
 * MXP_MUST_CHECK and composed with MXP_GUARD / MXP_ENSURE.
 */
#ifndef MXP_ERR_H
#define MXP_ERR_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define MXP_MUST_CHECK __attribute__((warn_unused_result))
#else
#define MXP_MUST_CHECK
#endif

enum mxp_err_class {
    MXP_CLASS_NONE = 0,
    MXP_CLASS_USAGE = 1,
    MXP_CLASS_IO = 2,
    MXP_CLASS_DNS = 3,
    MXP_CLASS_TCP = 4,
    MXP_CLASS_SMTP = 5,
    MXP_CLASS_TLS = 6,
    MXP_CLASS_TLS_ALERT = 7,
    MXP_CLASS_CERT = 8,
    MXP_CLASS_TIMEOUT = 9,
    MXP_CLASS_INTERNAL = 10,
};

#define MXP_CODE(cls, n) ((uint16_t)(((unsigned)(cls) << 8) | (unsigned)(n)))

enum mxp_code {
    MXP_OK = 0,
    /* usage: the caller asked for something impossible */
    MXP_E_USAGE = MXP_CODE(MXP_CLASS_USAGE, 1),
    /* io: HAL and sink plumbing */
    MXP_E_IO = MXP_CODE(MXP_CLASS_IO, 1),
    MXP_E_WOULD_BLOCK = MXP_CODE(MXP_CLASS_IO, 2),
    MXP_E_UNSUPPORTED = MXP_CODE(MXP_CLASS_IO, 3),
    MXP_E_HAL_MISSING = MXP_CODE(MXP_CLASS_IO, 4),
    /* dns */
    MXP_E_DNS_NXDOMAIN = MXP_CODE(MXP_CLASS_DNS, 1),
    MXP_E_DNS_NODATA = MXP_CODE(MXP_CLASS_DNS, 2),
    MXP_E_DNS_FAIL = MXP_CODE(MXP_CLASS_DNS, 3),
    /* tcp */
    MXP_E_TCP_REFUSED = MXP_CODE(MXP_CLASS_TCP, 1),
    MXP_E_TCP_RESET = MXP_CODE(MXP_CLASS_TCP, 2),
    MXP_E_TCP_CLOSED = MXP_CODE(MXP_CLASS_TCP, 3),
    MXP_E_TCP_UNREACHABLE = MXP_CODE(MXP_CLASS_TCP, 4),
    MXP_E_TCP = MXP_CODE(MXP_CLASS_TCP, 5),
    /* smtp: detail holds the reply code where there is one */
    MXP_E_SMTP_REPLY = MXP_CODE(MXP_CLASS_SMTP, 1),
    MXP_E_SMTP_SYNTAX = MXP_CODE(MXP_CLASS_SMTP, 2),
    MXP_E_SMTP_TOO_LONG = MXP_CODE(MXP_CLASS_SMTP, 3),
    MXP_E_SMTP_NO_STARTTLS = MXP_CODE(MXP_CLASS_SMTP, 4),
    /* tls: detail holds the wolfSSL error code */
    MXP_E_TLS = MXP_CODE(MXP_CLASS_TLS, 1),
    MXP_E_TLS_NO_SHARED_CIPHER = MXP_CODE(MXP_CLASS_TLS, 2),
    MXP_E_TLS_VERSION = MXP_CODE(MXP_CLASS_TLS, 3),
    MXP_E_TLS_PROTOCOL = MXP_CODE(MXP_CLASS_TLS, 4),
    MXP_E_TLS_ALERT_SENT = MXP_CODE(MXP_CLASS_TLS, 5), /* detail: alert we sent */
    /* tls-alert: detail holds the alert description received */
    MXP_E_TLS_ALERT = MXP_CODE(MXP_CLASS_TLS_ALERT, 1),
    /* cert */
    MXP_E_CERT_PARSE = MXP_CODE(MXP_CLASS_CERT, 1),
    /* timeout: detail holds the deadline in ms */
    MXP_E_TIMEOUT = MXP_CODE(MXP_CLASS_TIMEOUT, 1),
    /* internal */
    MXP_E_INTERNAL = MXP_CODE(MXP_CLASS_INTERNAL, 1),
    MXP_E_CAPACITY = MXP_CODE(MXP_CLASS_INTERNAL, 2),
    MXP_E_NOMEM = MXP_CODE(MXP_CLASS_INTERNAL, 3),
    /* The server sent a TLS record longer than this build can buffer
     * (MXP_CFG_TLS_RECORD_MAX); detail: the record's length. A limit of ours,
     * so internal: no verdict on the server. */
    MXP_E_TLS_RECORD_TOO_LARGE = MXP_CODE(MXP_CLASS_INTERNAL, 4),
};

typedef struct mxp_err {
    uint16_t code;  /* enum mxp_code */
    int32_t detail; /* class-specific, 0 when none: a deadline in ms needs 32 bits */
} mxp_err;

static inline mxp_err mxp_err_make(uint16_t code, long detail)
{
    mxp_err e;
    e.code = code;
    e.detail = (int32_t)(detail < INT32_MIN ? INT32_MIN : detail > INT32_MAX ? INT32_MAX : detail);
    return e;
}

#define MXP_ERR(code, detail) mxp_err_make((uint16_t)(code), (long)(detail))
#define MXP_SUCCESS MXP_ERR(MXP_OK, 0)

static inline bool mxp_ok(mxp_err e)
{
    return e.code == MXP_OK;
}
static inline bool mxp_is(mxp_err e, uint16_t code)
{
    return e.code == code;
}
static inline enum mxp_err_class mxp_err_class(mxp_err e)
{
    return (enum mxp_err_class)(e.code >> 8);
}

/* Return the error from the enclosing function if x failed. */
#define MXP_GUARD(x)                                                                               \
    do {                                                                                           \
        mxp_err mxp_guard_e_ = (x);                                                                \
        if (!mxp_ok(mxp_guard_e_))                                                                 \
            return mxp_guard_e_;                                                                   \
    } while (0)

/* Return MXP_ERR(code, 0) from the enclosing function unless cond holds.
 * For untrusted input and caller mistakes; bugs in our own code use assert. */
#define MXP_ENSURE(cond, code)                                                                     \
    do {                                                                                           \
        if (!(cond))                                                                               \
            return MXP_ERR((code), 0);                                                             \
    } while (0)

#ifdef __cplusplus
}
#endif

#endif /* MXP_ERR_H */
