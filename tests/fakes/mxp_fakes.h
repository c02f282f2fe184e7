/*
 * Test doubles for the HAL (tests/fakes/). Each fake lives in its own
 * fake_<part>.c and owns one section of this header; add new fakes the same
 * way. All of them are deterministic and single-threaded.
 */
#ifndef MXP_FAKES_H
#define MXP_FAKES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mxp_hal.h"

/* ---- fake_entropy.c: deterministic byte stream ---------------------------- */
/* A SplitMix64 stream from a seed: the same seed gives the same bytes, so a
 * test that depends on "random" values is reproducible. Not entropy. */
struct mxp_fake_entropy {
    uint64_t state;
    bool strong;    /* what fill() reports as quality */
    bool fail;      /* make fill() return MXP_E_IO */
    uint32_t calls; /* fill() calls so far */
    uint64_t bytes; /* bytes handed out so far */
};
extern const struct mxp_hal_entropy_api mxp_fake_entropy_api;
void mxp_fake_entropy_init(struct mxp_fake_entropy *e, uint64_t seed);

/* ---- fake_clock.c: manually advanced clock ------------------------------- */
/* now_ms only moves when the test calls mxp_fake_clock_advance(). unix_time
 * returns MXP_E_UNSUPPORTED unless has_unix_time is set; then it is
 * unix_base + (ms advanced so far) / 1000. */
struct mxp_fake_clock {
    uint32_t now_ms;
    uint32_t advanced_ms;
    bool has_unix_time;
    int64_t unix_base;
};
extern const struct mxp_hal_clock_api mxp_fake_clock_api;
void mxp_fake_clock_init(struct mxp_fake_clock *c, uint32_t start_ms);
void mxp_fake_clock_set_unix(struct mxp_fake_clock *c, int64_t unix_seconds);
void mxp_fake_clock_advance(struct mxp_fake_clock *c, uint32_t ms);

#endif /* MXP_FAKES_H */
