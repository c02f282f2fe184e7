/*
 * Bounds-checked reader. Invariant: off <= len. Every check is written as
 * `n > len - off` so that no addition can wrap.
 */
#include <stddef.h>
#include <stdint.h>

#include "mxp_cursor.h"

void mxp_cur_init(struct mxp_cursor *c, const uint8_t *data, size_t len, uint16_t fail_code)
{
    c->data = data;
    c->len = data == NULL ? 0 : len;
    c->off = 0;
    /* A fail code of MXP_OK would turn every failed read into a success. */
    c->fail_code = fail_code == MXP_OK ? (uint16_t)MXP_E_INTERNAL : fail_code;
}

size_t mxp_cur_left(const struct mxp_cursor *c)
{
    return c->len - c->off;
}

static mxp_err cur_fail(const struct mxp_cursor *c)
{
    return MXP_ERR(c->fail_code, 0);
}

/* data may be NULL for an empty cursor; NULL + 0 is still undefined in C. */
static const uint8_t *cur_here(const struct mxp_cursor *c)
{
    return c->data == NULL ? NULL : c->data + c->off;
}

mxp_err mxp_cur_peek(const struct mxp_cursor *c, uint8_t *out)
{
    if (mxp_cur_left(c) < 1)
        return cur_fail(c);
    *out = c->data[c->off];
    return MXP_SUCCESS;
}

mxp_err mxp_cur_u8(struct mxp_cursor *c, uint8_t *out)
{
    MXP_GUARD(mxp_cur_peek(c, out));
    c->off += 1;
    return MXP_SUCCESS;
}

mxp_err mxp_cur_u16be(struct mxp_cursor *c, uint16_t *out)
{
    if (mxp_cur_left(c) < 2)
        return cur_fail(c);
    const uint8_t *p = c->data + c->off;
    *out = (uint16_t)(((unsigned)p[0] << 8) | p[1]);
    c->off += 2;
    return MXP_SUCCESS;
}

mxp_err mxp_cur_u32be(struct mxp_cursor *c, uint32_t *out)
{
    if (mxp_cur_left(c) < 4)
        return cur_fail(c);
    const uint8_t *p = c->data + c->off;
    *out = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
    c->off += 4;
    return MXP_SUCCESS;
}

mxp_err mxp_cur_bytes(struct mxp_cursor *c, size_t n, const uint8_t **out)
{
    if (n > mxp_cur_left(c))
        return cur_fail(c);
    *out = cur_here(c);
    c->off += n;
    return MXP_SUCCESS;
}

mxp_err mxp_cur_skip(struct mxp_cursor *c, size_t n)
{
    if (n > mxp_cur_left(c))
        return cur_fail(c);
    c->off += n;
    return MXP_SUCCESS;
}

mxp_err mxp_cur_sub(struct mxp_cursor *c, size_t n, struct mxp_cursor *sub)
{
    if (n > mxp_cur_left(c))
        return cur_fail(c);
    sub->data = cur_here(c);
    sub->len = n;
    sub->off = 0;
    sub->fail_code = c->fail_code;
    c->off += n;
    return MXP_SUCCESS;
}
