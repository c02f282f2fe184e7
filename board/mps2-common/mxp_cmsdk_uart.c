/*
 * Arm CMSDK APB UART (the mps2 console), polled.
 */
#include "mxp_cortexm.h"
#include "mxp_mps2.h"

#define UART_DATA(b) MXP_REG32((b) + 0x00u)
#define UART_STATE(b) MXP_REG32((b) + 0x04u)
#define UART_CTRL(b) MXP_REG32((b) + 0x08u)
#define UART_BAUDDIV(b) MXP_REG32((b) + 0x10u)

#define STATE_TX_FULL (1u << 0)
#define STATE_RX_FULL (1u << 1)
#define STATE_TX_OVERRUN (1u << 2)
#define STATE_RX_OVERRUN (1u << 3)
#define CTRL_TX_EN (1u << 0)
#define CTRL_RX_EN (1u << 1)

void mxp_cmsdk_uart_init(uintptr_t base, uint32_t bauddiv)
{
    UART_CTRL(base) = 0;
    UART_BAUDDIV(base) = bauddiv < 16u ? 16u : bauddiv;     /* 16 is the hardware minimum */
    UART_STATE(base) = STATE_TX_OVERRUN | STATE_RX_OVERRUN; /* write-one-to-clear */
    UART_CTRL(base) = CTRL_TX_EN | CTRL_RX_EN;
}

void mxp_cmsdk_uart_putc(uintptr_t base, char c)
{
    while (UART_STATE(base) & STATE_TX_FULL) {
    }
    UART_DATA(base) = (uint8_t)c;
}

int mxp_cmsdk_uart_getc(uintptr_t base)
{
    uint32_t state = UART_STATE(base);
    if (state & STATE_RX_OVERRUN)
        UART_STATE(base) = STATE_RX_OVERRUN; /* a byte was lost; the next one is still good */
    if ((state & STATE_RX_FULL) == 0)
        return -1;
    return (int)(UART_DATA(base) & 0xFFu);
}
