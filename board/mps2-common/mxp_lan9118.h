/*
 * SMSC LAN9118 Ethernet controller (on the mps2 FPGA boards and in QEMU's
 * model), polled, no interrupts. One controller per image.
 *
 * Frames move as byte streams over the controller's 32-bit FIFOs: the caller
 * (the lwIP netif glue) copies from or into its own buffers, segment by
 * segment, without knowing about FIFO words.
 */
#ifndef MXP_LAN9118_H
#define MXP_LAN9118_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Reset and start the controller at base: checks the chip is there, keeps the
 * MAC address it was given (EEPROM or QEMU's -nic mac=) or sets a locally
 * administered one, enables TX and RX. False when no LAN9118 answers. */
bool mxp_lan9118_init(uintptr_t base);
bool mxp_lan9118_present(void);
void mxp_lan9118_mac(uint8_t mac[6]);
/* PHY basic status: link up. */
bool mxp_lan9118_link_up(void);
/* Free-running 25 MHz counter (FREE_RUN), for seed jitter. */
uint32_t mxp_lan9118_free_run(void);

/* Receive: rx_begin() returns the length of the next good frame without its
 * FCS (0 when none is waiting; bad frames are dropped and counted). Then read
 * it with rx_read() in pieces summing to at most that length, and always
 * finish with rx_end(), which discards whatever is left. */
size_t mxp_lan9118_rx_begin(void);
void mxp_lan9118_rx_read(void *buf, size_t len);
void mxp_lan9118_rx_end(void);

/* Transmit one frame of len bytes (14..1514, no FCS): tx_begin() is false
 * when the TX FIFO has no room now (try again later); else tx_write() the
 * frame in pieces summing to exactly len, then tx_end(). */
bool mxp_lan9118_tx_begin(size_t len);
void mxp_lan9118_tx_write(const void *buf, size_t len);
void mxp_lan9118_tx_end(void);

struct mxp_lan9118_stats {
    uint32_t rx_frames, rx_errors, tx_frames, tx_errors, tx_busy;
};
const struct mxp_lan9118_stats *mxp_lan9118_stats(void);

#endif /* MXP_LAN9118_H */
