/*
 * The board interface for bare-metal (no OS) targets: what a board's drivers
 * give to the ports (port/lwip, port/baremetal) and to the shell. Every mps2
 * board implements it in board/mps2-common/; a new board implements the same
 * functions over its own peripherals.
 *
 * Single thread of control, no interrupts required by callers: the NIC is
 * polled, the console RX is polled, only SysTick runs in an interrupt.
 */
#ifndef MXP_BOARD_H
#define MXP_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct netif;

/* Bring up clock, console and NIC hardware. Called once from main(). */
void mxp_board_init(void);

/* lwIP netif init callback for the board's NIC (pass to netif_add).
 * Returns err_t (ERR_OK or ERR_IF). Sets hwaddr, mtu, flags, linkoutput. */
signed char mxp_board_netif_init(struct netif *netif);
/* Move received frames into lwIP (netif->input) and update the link state
 * (netif_set_link_up/down); call often. */
void mxp_board_netif_poll(struct netif *netif);
/* PHY link state as last seen by the driver. */
bool mxp_board_link_up(void);

/* Milliseconds since boot (mps2: CMSDK timer 0, exact under QEMU; SysTick
 * counting elsewhere). Wraps after 49 days. */
uint32_t mxp_board_millis(void);

/* Console: blocking write, non-blocking read (-1 when nothing). */
void mxp_board_console_write(const char *buf, size_t len);
int mxp_board_console_getc(void);

/* Best-effort seed material; returns false: not real entropy (mps2 has no TRNG). */
bool mxp_board_entropy(uint8_t *buf, size_t len);

/* MAC address of the NIC. */
void mxp_board_mac(uint8_t mac[6]);

/* Exit QEMU via semihosting SYS_EXIT with a status (no-op on hardware). */
void mxp_board_exit(int status);
/* The command line a debugger or QEMU (-append) passed through semihosting,
 * NUL-terminated; false when there is none (hardware without a debugger). */
bool mxp_board_cmdline(char *buf, size_t cap);
/* Reset the MCU (SCB AIRCR SYSRESETREQ). Does not return. */
void mxp_board_reset(void);

/* ---- identity and memory, for the banner and the `mem` command ---------- */
struct mxp_board_info {
    const char *name;               /* "mps2-an385" */
    const char *cpu;                /* "Cortex-M3" */
    uint32_t flash_size, ram_size;  /* bytes, from the linker script */
    uint32_t image_flash;           /* bytes of flash this image occupies */
    uint32_t static_ram;            /* bytes of RAM reserved: .stack + .data + .bss */
    uint32_t heap_size, stack_size; /* bytes reserved by the linker script */
};
const struct mxp_board_info *mxp_board_info(void);

/* Highest point the heap (malloc, board/common/mxp_board_mem.c) has reached,
 * in bytes from its start. */
size_t mxp_board_heap_peak(void);
/* Deepest main-stack use seen so far, in bytes (stack painting: scans the
 * stack region for the first overwritten word; cost grows with stack size). */
size_t mxp_board_stack_peak(void);

#ifdef __cplusplus
}
#endif

#endif /* MXP_BOARD_H */
