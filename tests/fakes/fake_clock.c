/* Manually advanced clock for tests (see mxp_fakes.h). */
#include "mxp_fakes.h"

#include <string.h>

void mxp_fake_clock_init(struct mxp_fake_clock *c, uint32_t start_ms)
{
    memset(c, 0, sizeof *c);
    c->now_ms = start_ms;
}

void mxp_fake_clock_set_unix(struct mxp_fake_clock *c, int64_t unix_seconds)
{
    c->has_unix_time = true;
    c->unix_base = unix_seconds;
    c->advanced_ms = 0;
}

void mxp_fake_clock_advance(struct mxp_fake_clock *c, uint32_t ms)
{
    c->now_ms += ms; /* wraps like a real 32-bit millisecond counter */
    c->advanced_ms += ms;
}

static uint32_t mxp_fake_clock_now_ms(void *ctx)
{
    const struct mxp_fake_clock *c = ctx;
    return c->now_ms;
}

static mxp_err mxp_fake_clock_unix_time(void *ctx, int64_t *out_seconds)
{
    const struct mxp_fake_clock *c = ctx;

    if (!c->has_unix_time)
        return MXP_ERR(MXP_E_UNSUPPORTED, 0);
    *out_seconds = c->unix_base + (int64_t)(c->advanced_ms / 1000u);
    return MXP_SUCCESS;
}

const struct mxp_hal_clock_api mxp_fake_clock_api = {
    .now_ms = mxp_fake_clock_now_ms,
    .unix_time = mxp_fake_clock_unix_time,
};
