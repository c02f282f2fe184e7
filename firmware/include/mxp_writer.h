/*
 * A bounded output buffer for report encoders.
 *
 * With flush == NULL the writer is a pure fixed buffer: output past cap is
 * dropped, `total` still counts every byte, so a caller learns the size it
 * needed (like snprintf). With flush set, a full buffer is handed to flush and
 * reused: reports stream through the HAL sink in small pieces on a board.
 */
#ifndef MXP_WRITER_H
#define MXP_WRITER_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "mxp_err.h"

struct mxp_writer {
    char *buf;
    size_t cap;
    size_t len;   /* bytes in buf not yet flushed */
    size_t total; /* bytes written in all (including dropped or flushed ones) */
    mxp_err (*flush)(void *ctx, const char *buf, size_t len);
    void *ctx;
    mxp_err err; /* first flush failure; later writes are dropped */
};

void mxp_writer_init(struct mxp_writer *w, char *buf, size_t cap,
                     mxp_err (*flush)(void *ctx, const char *buf, size_t len), void *ctx);
void mxp_put(struct mxp_writer *w, const char *s, size_t n);
void mxp_puts(struct mxp_writer *w, const char *s);
void mxp_putc(struct mxp_writer *w, char c);
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
void mxp_printf(struct mxp_writer *w, const char *fmt, ...);
/* Bytes from the network, shown to a person: printable ASCII as is, the rest as \xHH. */
void mxp_put_escaped(struct mxp_writer *w, const char *s, size_t n);
/* A JSON string literal with quotes; bytes >= 0x80 and controls as \u00HH. */
void mxp_put_json_string(struct mxp_writer *w, const char *s, size_t n);
/* Flush what is buffered (streaming writers); returns the first error seen.
 * For a pure buffer it NUL-terminates within cap and returns MXP_E_CAPACITY
 * when output was dropped. */
MXP_MUST_CHECK mxp_err mxp_writer_finish(struct mxp_writer *w);

#endif /* MXP_WRITER_H */
