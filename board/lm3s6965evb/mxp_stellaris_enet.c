/*
 * Stellaris Ethernet controller driver, polled. Register names follow the
 * LM3S6965 data sheet, section 15.
 *
 * Facts this code depends on (the data sheet's FIFO formats, which QEMU 7.2's
 * model follows): a received frame starts with a 16-bit frame length that
 * counts itself, the frame and its 4-byte FCS, and the frame's first two
 * bytes share that first FIFO word; a frame to send starts with a 16-bit
 * payload length (the frame without its 14-byte header), the destination
 * address filling the rest of the first word; MACTR.NEWTX starts the
 * transmission and reads 1 until the frame has left. The FIFOs are
 * little-endian: the first byte is the lowest of a word.
 */
#include <string.h>

#include "mxp_stellaris_enet.h"

#define MACRIS 0x000u /* read: raw interrupt status; write: MACIACK */
#define MACIM 0x004u
#define MACRCTL 0x008u
#define MACTCTL 0x00Cu
#define MACDATA 0x010u
#define MACIA0 0x014u
#define MACIA1 0x018u
#define MACTHR 0x01Cu
#define MACMCTL 0x020u
#define MACMDV 0x024u
#define MACMRXD 0x030u
#define MACNP 0x034u
#define MACTR 0x038u

#define INT_RXINT (1u << 0)
#define INT_TXER (1u << 1)
#define INT_FOV (1u << 3) /* receive FIFO overrun */
#define INT_RXER (1u << 4)
#define INT_ALL 0x7Fu
#define RCTL_RXEN (1u << 0)
#define RCTL_BADCRC (1u << 3) /* reject frames with a bad CRC */
#define RCTL_RSTFIFO (1u << 4)
#define TCTL_TXEN (1u << 0)
#define TCTL_PADEN (1u << 1)
#define TCTL_CRC (1u << 2)
#define TCTL_DUPLEX (1u << 4)
#define THR_OFF 0x3Fu /* no early transmission: a frame leaves on NEWTX */
#define MCTL_START (1u << 0)
#define MCTL_REGADR(r) ((uint32_t)(r) << 3)
#define TR_NEWTX (1u << 0)
#define NP_MASK 0x3Fu

/* PHY registers (data sheet 15.6), through MACMCTL/MACMRXD. */
#define PHY_MR1 1u /* status */
#define PHY_MR1_LINK (1u << 2)
#define PHY_MR18 18u /* diagnostic: negotiated rate and duplex */
#define PHY_MR18_DPLX (1u << 11)

#define FRAME_HDR 14u
#define FRAME_MIN FRAME_HDR
#define FRAME_MAX 1514u /* without FCS, no VLAN tag */
#define LEN_FIELD 2u
#define FCS_LEN 4u
#define FIFO_BYTES 2048u /* both FIFOs hold 2 KB */
#define POLL_LIMIT 10000u

static struct {
    uint32_t base;
    bool phy_managed; /* the PHY answers on its management interface */
    bool full_duplex;
    /* Byte streaming over the 32-bit data register. */
    uint32_t word;      /* RX: the word being consumed; TX: the word being filled */
    unsigned word_left; /* RX: bytes of `word` not yet consumed; TX: bytes filled */
    size_t words_left;  /* RX: FIFO words of the current frame not yet read */
    struct mxp_enet_stats stats;
} nic;

static uint32_t rd(uint32_t off)
{
    return *(volatile uint32_t *)(uintptr_t)(nic.base + off);
}

static void wr(uint32_t off, uint32_t v)
{
    *(volatile uint32_t *)(uintptr_t)(nic.base + off) = v;
}

/* A PHY register, or -1 when the management interface does not finish. */
static int32_t phy_read(uint32_t reg)
{
    wr(MACMCTL, MCTL_REGADR(reg) | MCTL_START);
    for (uint32_t i = 0; i < POLL_LIMIT; i++)
        if ((rd(MACMCTL) & MCTL_START) == 0)
            return (int32_t)(rd(MACMRXD) & 0xFFFFu);
    return -1;
}

static void rx_reset(void)
{
    uint32_t rctl = rd(MACRCTL);
    wr(MACRCTL, rctl & ~RCTL_RXEN);
    wr(MACRCTL, (rctl & ~RCTL_RXEN) | RCTL_RSTFIFO);
    wr(MACRCTL, rctl | RCTL_RXEN);
    nic.words_left = 0;
    nic.word_left = 0;
}

static void set_duplex(bool full)
{
    uint32_t tctl = rd(MACTCTL);
    wr(MACTCTL, full ? tctl | TCTL_DUPLEX : tctl & ~TCTL_DUPLEX);
    nic.full_duplex = full;
}

void mxp_enet_init(uint32_t base, uint32_t sysclk_hz, const uint8_t mac[6])
{
    memset(&nic, 0, sizeof nic);
    nic.base = base;

    wr(MACIM, 0);        /* polled */
    wr(MACRIS, INT_ALL); /* MACIACK: write-one-to-clear at the same offset */
    wr(MACRCTL, 0);
    wr(MACTCTL, 0);
    wr(MACRCTL, RCTL_RSTFIFO);
    wr(MACTHR, THR_OFF);
    /* MDC = sysclk / (2 * (MACMDV + 1)), at most 2.5 MHz. */
    uint32_t div = (sysclk_hz + 2u * 2500000u - 1u) / (2u * 2500000u);
    wr(MACMDV, div > 0 ? div - 1u : 0);
    wr(MACIA0,
       (uint32_t)mac[0] | (uint32_t)mac[1] << 8 | (uint32_t)mac[2] << 16 | (uint32_t)mac[3] << 24);
    wr(MACIA1, (uint32_t)mac[4] | (uint32_t)mac[5] << 8);

    /* A real PHY's status register always has capability bits set; all
     * zeros or all ones means nothing answers (QEMU models no MII). */
    int32_t mr1 = phy_read(PHY_MR1);
    nic.phy_managed = mr1 > 0 && mr1 != 0xFFFF;
    wr(MACTCTL, TCTL_PADEN | TCTL_CRC | TCTL_TXEN);
    set_duplex(!nic.phy_managed); /* a managed PHY: set from MR18 once linked */
    wr(MACRCTL, RCTL_BADCRC | RCTL_RXEN);
}

bool mxp_enet_link_up(void)
{
    if (!nic.phy_managed)
        return true;
    /* The link bit latches low: read twice for the current state. */
    (void)phy_read(PHY_MR1);
    int32_t mr1 = phy_read(PHY_MR1);
    bool up = mr1 >= 0 && (mr1 & PHY_MR1_LINK) != 0;
    if (up) {
        int32_t mr18 = phy_read(PHY_MR18);
        bool full = mr18 >= 0 && (mr18 & PHY_MR18_DPLX) != 0;
        if (full != nic.full_duplex)
            set_duplex(full);
    }
    return up;
}

const struct mxp_enet_stats *mxp_enet_stats(void)
{
    return &nic.stats;
}

/* ---- receive ------------------------------------------------------------ */

size_t mxp_enet_rx_begin(void)
{
    uint32_t ris = rd(MACRIS);
    if (ris & (INT_FOV | INT_RXER)) {
        wr(MACRIS, ris & (INT_FOV | INT_RXER));
        if (ris & INT_FOV) {
            /* Frames were lost and the FIFO may hold a partial one. */
            nic.stats.rx_overruns++;
            rx_reset();
            return 0;
        }
        nic.stats.rx_errors++;
    }
    while ((rd(MACNP) & NP_MASK) != 0) {
        uint32_t first = rd(MACDATA);
        size_t fifo_len = first & 0xFFFFu; /* length field + frame + FCS */
        if (fifo_len > FIFO_BYTES || fifo_len < LEN_FIELD + FCS_LEN) {
            /* Not a frame boundary: the FIFO is out of step. */
            nic.stats.rx_errors++;
            rx_reset();
            return 0;
        }
        size_t len = fifo_len - LEN_FIELD - FCS_LEN;
        nic.words_left = (fifo_len + 3u) / 4u - 1u;
        nic.word = first >> 16;
        nic.word_left = 2;
        if (len < FRAME_MIN || len > FRAME_MAX) {
            nic.stats.rx_errors++;
            mxp_enet_rx_end();
            continue;
        }
        nic.stats.rx_frames++;
        wr(MACRIS, INT_RXINT);
        return len;
    }
    return 0;
}

void mxp_enet_rx_read(void *buf, size_t len)
{
    uint8_t *out = buf;
    while (len > 0) {
        if (nic.word_left == 0) {
            if (nic.words_left == 0)
                return; /* the caller asked for more than rx_begin() gave */
            nic.word = rd(MACDATA);
            nic.words_left--;
            nic.word_left = 4;
        }
        *out++ = (uint8_t)nic.word;
        nic.word >>= 8;
        nic.word_left--;
        len--;
    }
}

void mxp_enet_rx_end(void)
{
    while (nic.words_left > 0) {
        (void)rd(MACDATA);
        nic.words_left--;
    }
    nic.word_left = 0;
}

/* ---- transmit ------------------------------------------------------------ */

bool mxp_enet_tx_begin(size_t len)
{
    if (len < FRAME_MIN || len > FRAME_MAX)
        return false;
    if (rd(MACTR) & TR_NEWTX) {
        nic.stats.tx_busy++;
        return false;
    }
    if (rd(MACRIS) & INT_TXER)
        wr(MACRIS, INT_TXER); /* acknowledging TXER also empties the TX FIFO */
    nic.word = (uint32_t)(len - FRAME_HDR);
    nic.word_left = LEN_FIELD;
    return true;
}

void mxp_enet_tx_write(const void *buf, size_t len)
{
    const uint8_t *in = buf;
    while (len-- > 0) {
        nic.word |= (uint32_t)*in++ << (8u * nic.word_left);
        if (++nic.word_left == 4) {
            wr(MACDATA, nic.word);
            nic.word = 0;
            nic.word_left = 0;
        }
    }
}

void mxp_enet_tx_end(void)
{
    if (nic.word_left != 0)
        wr(MACDATA, nic.word);
    nic.word = 0;
    nic.word_left = 0;
    wr(MACTR, TR_NEWTX);
    nic.stats.tx_frames++;
}
