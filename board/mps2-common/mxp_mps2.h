/*
 * mps2 boards (AN385 Cortex-M3, AN386 Cortex-M4, AN505 Cortex-M33 under
 * QEMU): what differs between them arrives as compile definitions from
 * board/<name>/board.cmake (see mxp_mps2.cmake):
 *   MXP_MPS2_BOARD_NAME, MXP_MPS2_CPU_NAME   strings for the banner
 *   MXP_MPS2_CPU_HZ                          core clock, SysTick source
 *   MXP_MPS2_UART0_BASE, MXP_MPS2_LAN9118_BASE  peripheral addresses
 *   MXP_MPS2_TIMER0_BASE, MXP_MPS2_TIMER_HZ     CMSDK timer 0: the time base
 */
#ifndef MXP_MPS2_H
#define MXP_MPS2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if !defined(MXP_MPS2_UART0_BASE) || !defined(MXP_MPS2_LAN9118_BASE) ||                            \
    !defined(MXP_MPS2_CPU_HZ) || !defined(MXP_MPS2_TIMER0_BASE) || !defined(MXP_MPS2_TIMER_HZ)
#error "mps2 board definitions missing: build through board/<name>/board.cmake"
#endif

/* CMSDK APB UART0: polled, 8N1; TX blocks while the buffer is full. */
void mxp_cmsdk_uart_init(uintptr_t base, uint32_t bauddiv);
void mxp_cmsdk_uart_putc(uintptr_t base, char c);
int mxp_cmsdk_uart_getc(uintptr_t base); /* -1 when nothing was received */

/* CMSDK APB timer as a free-running 32-bit down-counter (wraps after
 * 2^32 / hz seconds: 171 s at 25 MHz). */
void mxp_cmsdk_timer_start(uintptr_t base);
uint32_t mxp_cmsdk_timer_value(uintptr_t base);

#endif /* MXP_MPS2_H */
