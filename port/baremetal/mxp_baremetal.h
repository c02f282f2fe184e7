/*
 * The non-network parts of the mxprobe HAL for bare-metal boards, over the
 * board interface (board/common/mxp_board.h): clock, entropy and the console
 * as report sink. The network comes from another port (port/lwip).
 */
#ifndef MXP_BAREMETAL_H
#define MXP_BAREMETAL_H

#include <stdbool.h>
#include <stdint.h>

#include "mxp_hal.h"
#include "mxp_status_line.h"

#define MXP_BAREMETAL_RX_QUEUE 64 /* type-ahead kept while a command runs (bytes) */

struct mxp_baremetal_sink {
    /* Bytes read from the console while looking for Ctrl-C, not yet given to
     * read(). A ring: head == tail is empty; extra bytes are dropped. */
    char rx[MXP_BAREMETAL_RX_QUEUE];
    uint8_t head, tail;
    bool interrupted;   /* Ctrl-C (0x03) seen since the last clear */
    bool show_progress; /* draw progress lines (a person at a terminal) */
    struct mxp_status_line progress;
};

/* The ChaCha20 generator behind entropy.fill, reseeded from the board on
 * every call. */
struct mxp_baremetal_entropy {
    uint32_t key[8];
    uint32_t counter;
    bool seeded;
};

struct mxp_baremetal_hal {
    struct mxp_baremetal_sink sink;
    struct mxp_baremetal_entropy entropy;
    struct mxp_hal hal;
};

/* Wire up clock, entropy and sink; net/net_ctx come from the network port
 * (may be NULL until it exists: mxp_hal_check() then says so). */
void mxp_baremetal_hal_init(struct mxp_baremetal_hal *b, const struct mxp_hal_net_api *net,
                            void *net_ctx, bool show_progress);

/* Wall-clock time: unknown (unix_time says MXP_E_UNSUPPORTED) until set, for
 * example by the shell from SNTP or a typed date. Counted on from the board's
 * millisecond clock; must be read (or set) at least every 49 days. */
void mxp_baremetal_set_unix_time(int64_t seconds);

extern const struct mxp_hal_clock_api mxp_baremetal_clock;
extern const struct mxp_hal_entropy_api mxp_baremetal_entropy_api;
extern const struct mxp_hal_sink_api mxp_baremetal_sink_api;

#endif /* MXP_BAREMETAL_H */
