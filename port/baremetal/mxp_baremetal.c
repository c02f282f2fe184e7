/*
 * Bare-metal clock, entropy and console sink, and the HAL wiring.
 */
#include <string.h>

#include "mxp_baremetal.h"
#include "mxp_board.h"

/* ---- clock ---------------------------------------------------------------- */

static uint32_t baremetal_now_ms(void *ctx)
{
    (void)ctx;
    return mxp_board_millis();
}

/* Wall time is kept as whole seconds plus the millisecond stamp they refer
 * to; every read moves both forward, so the 32-bit clock's wrap (49 days) is
 * harmless as long as reads are less than that apart. */
static struct {
    bool set;
    int64_t seconds;
    uint32_t stamp_ms;
} wall;

void mxp_baremetal_set_unix_time(int64_t seconds)
{
    wall.seconds = seconds;
    wall.stamp_ms = mxp_board_millis();
    wall.set = true;
}

static mxp_err baremetal_unix_time(void *ctx, int64_t *out)
{
    (void)ctx;
    if (!wall.set)
        return MXP_ERR(MXP_E_UNSUPPORTED, 0);
    uint32_t whole = (uint32_t)(mxp_board_millis() - wall.stamp_ms) / 1000u;
    wall.seconds += whole;
    wall.stamp_ms += whole * 1000u;
    *out = wall.seconds;
    return MXP_SUCCESS;
}

const struct mxp_hal_clock_api mxp_baremetal_clock = {
    .now_ms = baremetal_now_ms,
    .unix_time = baremetal_unix_time,
};

/* ---- entropy ---------------------------------------------------------------
 * The board's seed material (mxp_board_entropy) is mixed into a ChaCha20 key
 * on every call and output is drawn from the keystream, with the key replaced
 * by fresh keystream afterwards (fast key erasure), so outputs never repeat
 * and never expose the state. This stretches the seed; it does not create
 * entropy, and `quality` says whatever the board says (false on mps2). */

#define ROTL(v, n) (((v) << (n)) | ((v) >> (32 - (n))))
#define QR(a, b, c, d)                                                                             \
    do {                                                                                           \
        a += b;                                                                                    \
        d ^= a;                                                                                    \
        d = ROTL(d, 16);                                                                           \
        c += d;                                                                                    \
        b ^= c;                                                                                    \
        b = ROTL(b, 12);                                                                           \
        a += b;                                                                                    \
        d ^= a;                                                                                    \
        d = ROTL(d, 8);                                                                            \
        c += d;                                                                                    \
        b ^= c;                                                                                    \
        b = ROTL(b, 7);                                                                            \
    } while (0)

static void chacha20_block(const uint32_t key[8], uint32_t counter, uint8_t out[64])
{
    uint32_t in[16] = {
        0x61707865u, 0x3320646eu, 0x79622d32u, 0x6b206574u, key[0],  key[1], key[2], key[3],
        key[4],      key[5],      key[6],      key[7],      counter, 0,      0,      0};
    uint32_t x[16];
    memcpy(x, in, sizeof x);
    for (int i = 0; i < 10; i++) {
        QR(x[0], x[4], x[8], x[12]);
        QR(x[1], x[5], x[9], x[13]);
        QR(x[2], x[6], x[10], x[14]);
        QR(x[3], x[7], x[11], x[15]);
        QR(x[0], x[5], x[10], x[15]);
        QR(x[1], x[6], x[11], x[12]);
        QR(x[2], x[7], x[8], x[13]);
        QR(x[3], x[4], x[9], x[14]);
    }
    for (int i = 0; i < 16; i++) {
        uint32_t v = x[i] + in[i];
        out[4 * i + 0] = (uint8_t)v;
        out[4 * i + 1] = (uint8_t)(v >> 8);
        out[4 * i + 2] = (uint8_t)(v >> 16);
        out[4 * i + 3] = (uint8_t)(v >> 24);
    }
}

static mxp_err baremetal_entropy_fill(void *ctx, uint8_t *buf, size_t len, bool *quality)
{
    struct mxp_baremetal_entropy *e = ctx;
    uint8_t seed[32];
    bool good = mxp_board_entropy(seed, sizeof seed);
    for (size_t i = 0; i < 8; i++) {
        uint32_t w = (uint32_t)seed[4 * i] | (uint32_t)seed[4 * i + 1] << 8 |
                     (uint32_t)seed[4 * i + 2] << 16 | (uint32_t)seed[4 * i + 3] << 24;
        e->key[i] ^= w;
    }
    e->seeded = true;
    uint8_t block[64];
    while (len > 0) {
        chacha20_block(e->key, e->counter++, block);
        size_t n = len < sizeof block ? len : sizeof block;
        memcpy(buf, block, n);
        buf += n;
        len -= n;
    }
    chacha20_block(e->key, e->counter++, block);
    memcpy(e->key, block, sizeof e->key); /* rekey: earlier outputs cannot be recomputed */
    memset(block, 0, sizeof block);
    memset(seed, 0, sizeof seed);
    if (quality != NULL)
        *quality = good;
    return MXP_SUCCESS;
}

const struct mxp_hal_entropy_api mxp_baremetal_entropy_api = {.fill = baremetal_entropy_fill};

/* ---- console sink ---------------------------------------------------------- */

#define CTRL_C 0x03

static bool rx_empty(const struct mxp_baremetal_sink *s)
{
    return s->head == s->tail;
}

/* Move waiting console bytes into the ring, noting Ctrl-C on the way. */
static void rx_drain(struct mxp_baremetal_sink *s)
{
    int c;
    while ((c = mxp_board_console_getc()) >= 0) {
        if (c == CTRL_C) {
            s->interrupted = true;
            continue;
        }
        uint8_t next = (uint8_t)((s->tail + 1u) % MXP_BAREMETAL_RX_QUEUE);
        if (next == s->head)
            continue; /* full: type-ahead beyond the ring is dropped */
        s->rx[s->tail] = (char)c;
        s->tail = next;
    }
}

static void console_write(void *ctx, const char *buf, size_t len)
{
    (void)ctx;
    mxp_board_console_write(buf, len);
}

static mxp_err baremetal_sink_write(void *ctx, const char *buf, size_t len)
{
    struct mxp_baremetal_sink *s = ctx;
    mxp_status_line_clear(&s->progress, console_write, NULL);
    mxp_board_console_write(buf, len);
    return MXP_SUCCESS;
}

static void baremetal_sink_progress(void *ctx, const char *line)
{
    struct mxp_baremetal_sink *s = ctx;
    if (s->show_progress)
        mxp_status_line_show(&s->progress, console_write, NULL, line);
}

/* Ctrl-C comes back as a byte too when nothing is running (the shell may
 * use it to drop the line being typed); interrupted() consumes it instead. */
static mxp_err baremetal_sink_read(void *ctx, char *c)
{
    struct mxp_baremetal_sink *s = ctx;
    if (rx_empty(s)) {
        int b = mxp_board_console_getc();
        if (b < 0)
            return MXP_ERR(MXP_E_WOULD_BLOCK, 0);
        *c = (char)b;
        return MXP_SUCCESS;
    }
    *c = s->rx[s->head];
    s->head = (uint8_t)((s->head + 1u) % MXP_BAREMETAL_RX_QUEUE);
    return MXP_SUCCESS;
}

/* Reports each Ctrl-C once (the HAL contract), so one typed during a probe
 * cannot also stop the next command. */
static bool baremetal_sink_interrupted(void *ctx)
{
    struct mxp_baremetal_sink *s = ctx;
    rx_drain(s);
    bool hit = s->interrupted;
    s->interrupted = false;
    return hit;
}

const struct mxp_hal_sink_api mxp_baremetal_sink_api = {
    .write = baremetal_sink_write,
    .progress = baremetal_sink_progress,
    .read = baremetal_sink_read,
    .interrupted = baremetal_sink_interrupted,
};

/* ---- wiring ---------------------------------------------------------------- */

void mxp_baremetal_hal_init(struct mxp_baremetal_hal *b, const struct mxp_hal_net_api *net,
                            void *net_ctx, bool show_progress)
{
    memset(b, 0, sizeof *b);
    b->sink.show_progress = show_progress;
    b->hal.clock = &mxp_baremetal_clock;
    b->hal.entropy = &mxp_baremetal_entropy_api;
    b->hal.entropy_ctx = &b->entropy;
    b->hal.net = net;
    b->hal.net_ctx = net_ctx;
    b->hal.sink = &mxp_baremetal_sink_api;
    b->hal.sink_ctx = &b->sink;
}
