/*
 * Bounds-checked reader over untrusted bytes (like s2n's stuffer, read side).
 * Every read either succeeds completely or fails with the code the caller chose
 * at init, leaving the cursor where it was. No read touches memory past `len`.
 */
#ifndef MXP_CURSOR_H
#define MXP_CURSOR_H

#include <stddef.h>
#include <stdint.h>

#include "mxp_err.h"

struct mxp_cursor {
    const uint8_t *data;
    size_t len;
    size_t off;
    uint16_t fail_code; /* returned by every failing read (e.g. MXP_E_CERT_PARSE) */
};

void mxp_cur_init(struct mxp_cursor *c, const uint8_t *data, size_t len, uint16_t fail_code);
size_t mxp_cur_left(const struct mxp_cursor *c);
MXP_MUST_CHECK mxp_err mxp_cur_u8(struct mxp_cursor *c, uint8_t *out);
MXP_MUST_CHECK mxp_err mxp_cur_u16be(struct mxp_cursor *c, uint16_t *out);
MXP_MUST_CHECK mxp_err mxp_cur_u32be(struct mxp_cursor *c, uint32_t *out);
/* Point *out at the next n bytes and advance past them. */
MXP_MUST_CHECK mxp_err mxp_cur_bytes(struct mxp_cursor *c, size_t n, const uint8_t **out);
MXP_MUST_CHECK mxp_err mxp_cur_skip(struct mxp_cursor *c, size_t n);
/* Split off the next n bytes as a sub-cursor (same fail code) and advance. */
MXP_MUST_CHECK mxp_err mxp_cur_sub(struct mxp_cursor *c, size_t n, struct mxp_cursor *sub);
/* Look at the next byte without consuming it. */
MXP_MUST_CHECK mxp_err mxp_cur_peek(const struct mxp_cursor *c, uint8_t *out);

#endif /* MXP_CURSOR_H */
