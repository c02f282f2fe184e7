/* Deterministic entropy for tests (see mxp_fakes.h). */
#include "mxp_fakes.h"

#include <string.h>

static uint64_t mxp_fake_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

void mxp_fake_entropy_init(struct mxp_fake_entropy *e, uint64_t seed)
{
    memset(e, 0, sizeof *e);
    e->state = seed;
}

static mxp_err mxp_fake_entropy_fill(void *ctx, uint8_t *buf, size_t len, bool *quality)
{
    struct mxp_fake_entropy *e = ctx;

    e->calls++;
    if (e->fail)
        return MXP_ERR(MXP_E_IO, 0);
    for (size_t i = 0; i < len; i += 8) {
        uint64_t v = mxp_fake_splitmix64(&e->state);
        size_t n = len - i < 8 ? len - i : 8;
        for (size_t j = 0; j < n; j++)
            buf[i + j] = (uint8_t)(v >> (8 * j));
    }
    e->bytes += len;
    if (quality != NULL)
        *quality = e->strong;
    return MXP_SUCCESS;
}

const struct mxp_hal_entropy_api mxp_fake_entropy_api = {
    .fill = mxp_fake_entropy_fill,
};
