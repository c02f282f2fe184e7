/*
 * SMTP reply parsing (RFC 5321 section 4.2, enhanced codes RFC 3463 / RFC 2034).
 *
 * Replies arrive in pieces; the engine appends bytes to a buffer and calls
 * mxp_smtp_parse_reply() after each read. It is a pure function over the
 * buffer: MXP_E_WOULD_BLOCK until a complete reply is present, then MXP_OK and
 * the number of bytes the reply used. Hostile input gets a clean error:
 *   MXP_E_SMTP_SYNTAX   not "ddd", a separator other than ' ', '-' or end of
 *                       line, codes differing between lines, code out of 200..599
 *   MXP_E_SMTP_TOO_LONG a line over MXP_CFG_SMTP_LINE_MAX (CRLF included), more
 *                       than MXP_CFG_SMTP_LINES_MAX lines, or a reply over
 *                       MXP_CFG_SMTP_REPLY_MAX bytes (also when still incomplete)
 * Lines end in CRLF; a bare LF is accepted (seen in the wild), a NUL byte is not.
 */
#ifndef MXP_SMTP_H
#define MXP_SMTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mxp_err.h"
#include "mxp_opts.h"

struct mxp_smtp_reply {
    uint16_t code; /* 220, 250, 421, ... */
    char enh[12];  /* "4.4.2" from the first line, or "" */
    uint8_t n_lines;
    char text[MXP_CFG_SMTP_TEXT_MAX]; /* first line after code and enhanced code,
                                        raw bytes (callers escape for display),
                                        truncated to fit, NUL-terminated */
};

MXP_MUST_CHECK mxp_err mxp_smtp_parse_reply(const uint8_t *buf, size_t len,
                                            struct mxp_smtp_reply *out, size_t *used);

/* Calls fn for each line's text (after "ddd-"/"ddd ") of a complete reply in
 * buf[0..used); used by EHLO capability extraction. */
typedef void (*mxp_smtp_line_fn)(void *arg, unsigned index, const char *text, size_t len);
void mxp_smtp_each_line(const uint8_t *buf, size_t used, mxp_smtp_line_fn fn, void *arg);

/* EHLO capabilities: every line after the first (the greeting), as keyword plus
 * parameters, upper-cased keyword, capped at cap entries of MXP_CFG_EHLO_CAP_LEN.
 * Returns the number stored; *truncated when some were dropped or shortened. */
size_t mxp_smtp_ehlo_caps(const uint8_t *buf, size_t used, char (*caps)[MXP_CFG_EHLO_CAP_LEN],
                          size_t cap, bool *truncated);

/* True when the stored capabilities include keyword (case-insensitive, exact keyword). */
bool mxp_smtp_has_cap(char (*caps)[MXP_CFG_EHLO_CAP_LEN], size_t n, const char *keyword);

#endif /* MXP_SMTP_H */
