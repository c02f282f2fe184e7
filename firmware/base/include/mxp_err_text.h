/*
 * Names and human text for mxp_err values (hal/include/mxp_err.h defines the
 * type). Part of mxp_base, the small library below the engine and the ports:
 * both print errors, so neither reaches into the other for the words.
 */
#ifndef MXP_ERR_TEXT_H
#define MXP_ERR_TEXT_H

#include "mxp_err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Short stable identifier for the code, e.g. "tcp-refused" (used in JSON). */
const char *mxp_err_name(mxp_err e);
/* Class name: "usage", "io", "dns", "tcp", "smtp", "tls", "tls-alert", ... */
const char *mxp_err_class_name(enum mxp_err_class cls);
/* Human text including the detail, e.g. "TLS alert received: protocol_version (70)".
 * Writes at most cap bytes (always NUL-terminated when cap > 0); returns buf. */
const char *mxp_err_str(mxp_err e, char *buf, unsigned cap);
/* RFC 8446 / RFC 5246 alert description name, or "unknown". */
const char *mxp_tls_alert_name(int alert);

#ifdef __cplusplus
}
#endif

#endif /* MXP_ERR_TEXT_H */
