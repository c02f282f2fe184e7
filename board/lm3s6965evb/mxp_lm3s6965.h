/*
 * TI Stellaris LM3S6965 (Cortex-M3, 256 KiB flash, 64 KiB SRAM, 10/100
 * Ethernet MAC+PHY) on the LM3S6965 evaluation board, as documented in TI's
 * LM3S6965 data sheet (DS-LM3S6965) and as qemu-system-arm -M lm3s6965evb
 * models it. Register names and offsets follow the data sheet. Private to
 * board/lm3s6965evb/; ports and the engine use mxp_board.h only.
 */
#ifndef MXP_LM3S6965_H
#define MXP_LM3S6965_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- system control (data sheet section 6) --------------------------------- */
#define MXP_SYSCTL_BASE 0x400FE000u
#define MXP_SYSCTL_RIS 0x050u /* raw interrupt status: PLLLRIS */
#define MXP_SYSCTL_RCC 0x060u /* run-mode clock configuration */
#define MXP_SYSCTL_RCGC1 0x104u
#define MXP_SYSCTL_RCGC2 0x108u
#define MXP_SYSCTL_USER0 0x1E0u /* non-volatile user register 0: MAC bytes 0-2 */
#define MXP_SYSCTL_USER1 0x1E4u /* non-volatile user register 1: MAC bytes 3-5 */

#define MXP_RIS_PLLLRIS (1u << 6)

#define MXP_RCC_MOSCDIS (1u << 0)
#define MXP_RCC_OSCSRC_MASK (3u << 4) /* 0: main oscillator */
#define MXP_RCC_XTAL_MASK (0xFu << 6) /* crystal frequency */
#define MXP_RCC_XTAL_8MHZ (0xEu << 6) /* the evaluation board's 8 MHz crystal */
#define MXP_RCC_BYPASS (1u << 11)     /* system clock from the oscillator, not the PLL */
#define MXP_RCC_OEN (1u << 12)        /* PLL output enable (active low) */
#define MXP_RCC_PWRDN (1u << 13)      /* PLL power down */
#define MXP_RCC_USESYSDIV (1u << 22)  /* divide the clock by SYSDIV + 1 */
#define MXP_RCC_SYSDIV_MASK (0xFu << 23)
#define MXP_RCC_SYSDIV(n) ((uint32_t)(n) << 23)

#define MXP_RCGC1_UART0 (1u << 0)
#define MXP_RCGC2_GPIOA (1u << 0)
#define MXP_RCGC2_EMAC0 (1u << 28)
#define MXP_RCGC2_EPHY0 (1u << 30)

/* ---- GPIO port A (UART0 on PA0/PA1) ---------------------------------------- */
#define MXP_GPIOA_BASE 0x40004000u
#define MXP_GPIO_AFSEL 0x420u
#define MXP_GPIO_DEN 0x51Cu

/* ---- UART0 (data sheet section 12) ------------------------------------------- */
#define MXP_UART0_BASE 0x4000C000u

/* ---- Ethernet controller (data sheet section 15) ----------------------------- */
#define MXP_ENET_BASE 0x40048000u

/* The core clock the board runs at: the 400 MHz PLL, /2, /SYSDIV 4. */
#define MXP_LM3S_CPU_HZ 50000000u

static inline uint32_t mxp_lm3s_rd(uint32_t base, uint32_t off)
{
    return *(volatile uint32_t *)(uintptr_t)(base + off);
}

static inline void mxp_lm3s_wr(uint32_t base, uint32_t off, uint32_t v)
{
    *(volatile uint32_t *)(uintptr_t)(base + off) = v;
}

/* UART0, polled, 8N1 with the 16-byte FIFOs on; TX blocks while the FIFO is
 * full. The caller has enabled the UART0 and GPIO A clocks. */
void mxp_lm3s_uart_init(uint32_t base, uint32_t clock_hz, uint32_t baud);
void mxp_lm3s_uart_putc(uint32_t base, char c);
int mxp_lm3s_uart_getc(uint32_t base); /* -1 when nothing was received */

#endif /* MXP_LM3S6965_H */
