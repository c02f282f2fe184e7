/*
 * SMSC LAN9118 driver, polled. Register names follow the LAN9118 datasheet.
 *
 * Facts this code depends on (checked against QEMU 7.2's model, and true of
 * the chip): RX status lengths include the 4-byte FCS; TX needs TX_CFG.TX_ON
 * and MAC_CR.TXEN; the MAC address registers hold the address at reset.
 */
#include <string.h>

#include "mxp_cortexm.h"
#include "mxp_lan9118.h"

/* Directly addressed registers (offsets from the base). */
#define RX_DATA_FIFO 0x00u
#define TX_DATA_FIFO 0x20u
#define RX_STATUS_FIFO 0x40u
#define TX_STATUS_FIFO 0x48u
#define ID_REV 0x50u
#define INT_STS 0x58u
#define INT_EN 0x5Cu
#define BYTE_TEST 0x64u
#define RX_CFG 0x6Cu
#define TX_CFG 0x70u
#define HW_CFG 0x74u
#define RX_FIFO_INF 0x7Cu
#define TX_FIFO_INF 0x80u
#define PMT_CTRL 0x84u
#define FREE_RUN 0x9Cu
#define MAC_CSR_CMD 0xA4u
#define MAC_CSR_DATA 0xA8u

#define BYTE_TEST_MAGIC 0x87654321u
#define HW_CFG_SRST (1u << 0)
#define PMT_CTRL_READY (1u << 0)
#define TX_CFG_TX_ON (1u << 1)
#define CSR_BUSY (1u << 31)
#define CSR_READ (1u << 30)

/* MAC control and status registers, reached through MAC_CSR_CMD/DATA. */
#define MAC_CR 1u
#define ADDRH 2u
#define ADDRL 3u
#define MII_ACC 6u
#define MII_DATA 7u
#define MAC_CR_RXEN (1u << 2)
#define MAC_CR_TXEN (1u << 3)
#define MAC_CR_FDPX (1u << 20)
#define MII_BUSY (1u << 0)
#define MII_WRITE (1u << 1)

/* The internal PHY and its registers. */
#define PHY_ADDR 1u
#define PHY_BSR 1u
#define PHY_BSR_LINK (1u << 2)

/* TX command words. */
#define TXA_FIRST (1u << 13)
#define TXA_LAST (1u << 12)
#define TX_STATUS_ERROR (1u << 15)
#define RX_STATUS_ERROR (1u << 15)

#define FRAME_MIN 14u   /* an Ethernet header */
#define FRAME_MAX 1514u /* without FCS, no VLAN tag */
#define FCS_LEN 4u
#define POLL_LIMIT 100000u

static struct {
    uintptr_t base;
    bool present;
    uint8_t mac[6];
    /* Byte streaming over 32-bit FIFOs. */
    uint32_t word;      /* RX: the word being consumed; TX: the word being filled */
    unsigned word_left; /* RX: bytes of `word` not yet consumed; TX: bytes filled */
    size_t words_left;  /* RX: FIFO words of the current frame not yet read */
    uint16_t tag;
    struct mxp_lan9118_stats stats;
} nic;

static uint32_t rd(uint32_t off)
{
    return MXP_REG32(nic.base + off);
}

static void wr(uint32_t off, uint32_t v)
{
    MXP_REG32(nic.base + off) = v;
}

static bool wait_clear(uint32_t off, uint32_t mask)
{
    for (uint32_t i = 0; i < POLL_LIMIT; i++)
        if ((rd(off) & mask) == 0)
            return true;
    return false;
}

static uint32_t mac_read(uint32_t reg)
{
    (void)wait_clear(MAC_CSR_CMD, CSR_BUSY);
    wr(MAC_CSR_CMD, CSR_BUSY | CSR_READ | reg);
    (void)wait_clear(MAC_CSR_CMD, CSR_BUSY);
    return rd(MAC_CSR_DATA);
}

static void mac_write(uint32_t reg, uint32_t v)
{
    (void)wait_clear(MAC_CSR_CMD, CSR_BUSY);
    wr(MAC_CSR_DATA, v);
    wr(MAC_CSR_CMD, CSR_BUSY | reg);
    (void)wait_clear(MAC_CSR_CMD, CSR_BUSY);
}

static uint16_t phy_read(uint32_t reg)
{
    for (uint32_t i = 0; i < POLL_LIMIT && (mac_read(MII_ACC) & MII_BUSY); i++) {
    }
    mac_write(MII_ACC, (PHY_ADDR << 11) | (reg << 6) | MII_BUSY);
    for (uint32_t i = 0; i < POLL_LIMIT && (mac_read(MII_ACC) & MII_BUSY); i++) {
    }
    return (uint16_t)mac_read(MII_DATA);
}

bool mxp_lan9118_init(uintptr_t base)
{
    memset(&nic, 0, sizeof nic);
    nic.base = base;
    if (rd(BYTE_TEST) != BYTE_TEST_MAGIC)
        return false;
    wr(HW_CFG, rd(HW_CFG) | HW_CFG_SRST);
    if (!wait_clear(HW_CFG, HW_CFG_SRST))
        return false;
    for (uint32_t i = 0; i < POLL_LIMIT && (rd(PMT_CTRL) & PMT_CTRL_READY) == 0; i++) {
    }
    if ((rd(PMT_CTRL) & PMT_CTRL_READY) == 0)
        return false;

    uint32_t lo = mac_read(ADDRL), hi = mac_read(ADDRH);
    uint8_t mac[6] = {(uint8_t)lo,         (uint8_t)(lo >> 8), (uint8_t)(lo >> 16),
                      (uint8_t)(lo >> 24), (uint8_t)hi,        (uint8_t)(hi >> 8)};
    bool all_zero = (lo | (hi & 0xFFFFu)) == 0;
    if (all_zero || (mac[0] & 1u) != 0) {
        /* No address programmed (or a multicast one): a fixed locally
         * administered address, so that DHCP leases stay stable. */
        static const uint8_t fallback[6] = {0x02, 0x00, 0x4d, 0x58, 0x50, 0x01};
        memcpy(mac, fallback, sizeof mac);
        mac_write(ADDRL, (uint32_t)mac[0] | (uint32_t)mac[1] << 8 | (uint32_t)mac[2] << 16 |
                             (uint32_t)mac[3] << 24);
        mac_write(ADDRH, (uint32_t)mac[4] | (uint32_t)mac[5] << 8);
    }
    memcpy(nic.mac, mac, sizeof mac);

    wr(INT_EN, 0);
    wr(INT_STS, 0xFFFFFFFFu);
    wr(RX_CFG, 0); /* no offset, no end padding: the frame starts at the first byte */
    wr(TX_CFG, TX_CFG_TX_ON);
    mac_write(MAC_CR, MAC_CR_TXEN | MAC_CR_RXEN | MAC_CR_FDPX);
    nic.present = true;
    return true;
}

bool mxp_lan9118_present(void)
{
    return nic.present;
}

void mxp_lan9118_mac(uint8_t mac[6])
{
    memcpy(mac, nic.mac, 6);
}

bool mxp_lan9118_link_up(void)
{
    return nic.present && (phy_read(PHY_BSR) & PHY_BSR_LINK) != 0;
}

uint32_t mxp_lan9118_free_run(void)
{
    return nic.present ? rd(FREE_RUN) : 0;
}

const struct mxp_lan9118_stats *mxp_lan9118_stats(void)
{
    return &nic.stats;
}

/* ---- receive ------------------------------------------------------------ */

static void rx_discard_words(size_t words)
{
    while (words-- > 0)
        (void)rd(RX_DATA_FIFO);
}

size_t mxp_lan9118_rx_begin(void)
{
    if (!nic.present)
        return 0;
    while (((rd(RX_FIFO_INF) >> 16) & 0xFFu) != 0) {
        uint32_t status = rd(RX_STATUS_FIFO);
        size_t len = (status >> 16) & 0x3FFFu; /* includes the FCS */
        size_t words = (len + 3u) / 4u;
        if ((status & RX_STATUS_ERROR) != 0 || len < FRAME_MIN + FCS_LEN ||
            len > FRAME_MAX + FCS_LEN) {
            nic.stats.rx_errors++;
            rx_discard_words(words);
            continue;
        }
        nic.stats.rx_frames++;
        nic.words_left = words;
        nic.word_left = 0;
        return len - FCS_LEN;
    }
    return 0;
}

void mxp_lan9118_rx_read(void *buf, size_t len)
{
    uint8_t *out = buf;
    while (len > 0) {
        if (nic.word_left == 0) {
            if (nic.words_left == 0)
                return; /* the caller asked for more than rx_begin() gave */
            nic.word = rd(RX_DATA_FIFO);
            nic.words_left--;
            nic.word_left = 4;
        }
        *out++ = (uint8_t)nic.word; /* the FIFO is little-endian, first byte lowest */
        nic.word >>= 8;
        nic.word_left--;
        len--;
    }
}

void mxp_lan9118_rx_end(void)
{
    rx_discard_words(nic.words_left);
    nic.words_left = 0;
    nic.word_left = 0;
}

/* ---- transmit ------------------------------------------------------------ */

static void tx_drain_status(void)
{
    while (((rd(TX_FIFO_INF) >> 16) & 0xFFu) != 0) {
        if (rd(TX_STATUS_FIFO) & TX_STATUS_ERROR)
            nic.stats.tx_errors++;
    }
}

bool mxp_lan9118_tx_begin(size_t len)
{
    if (!nic.present || len < FRAME_MIN || len > FRAME_MAX)
        return false;
    tx_drain_status();
    size_t need = ((len + 3u) & ~(size_t)3u) + 8u; /* data plus the two command words */
    if ((rd(TX_FIFO_INF) & 0xFFFFu) < need) {
        nic.stats.tx_busy++;
        return false;
    }
    nic.tag++;
    wr(TX_DATA_FIFO, TXA_FIRST | TXA_LAST | (uint32_t)len);
    wr(TX_DATA_FIFO, (uint32_t)nic.tag << 16 | (uint32_t)len);
    nic.word = 0;
    nic.word_left = 0;
    return true;
}

void mxp_lan9118_tx_write(const void *buf, size_t len)
{
    const uint8_t *in = buf;
    while (len-- > 0) {
        nic.word |= (uint32_t)*in++ << (8u * nic.word_left);
        if (++nic.word_left == 4) {
            wr(TX_DATA_FIFO, nic.word);
            nic.word = 0;
            nic.word_left = 0;
        }
    }
}

void mxp_lan9118_tx_end(void)
{
    if (nic.word_left != 0)
        wr(TX_DATA_FIFO, nic.word);
    nic.word = 0;
    nic.word_left = 0;
    nic.stats.tx_frames++;
    tx_drain_status();
}
