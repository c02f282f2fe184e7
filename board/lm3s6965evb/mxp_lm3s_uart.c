/*
 * LM3S6965 UART0 (data sheet section 12: a PL011-style UART), polled.
 */
#include "mxp_lm3s6965.h"

#define UART_DR 0x000u   /* data; bits 11:8 are the receive error flags */
#define UART_ECR 0x004u  /* write: clear the error flags */
#define UART_FR 0x018u   /* flags */
#define UART_IBRD 0x024u /* integer baud-rate divisor */
#define UART_FBRD 0x028u /* fractional baud-rate divisor (64ths) */
#define UART_LCRH 0x02Cu /* line control */
#define UART_CTL 0x030u
#define UART_IM 0x038u

#define FR_RXFE (1u << 4) /* receive FIFO empty */
#define FR_TXFF (1u << 5) /* transmit FIFO full */
#define LCRH_FEN (1u << 4)
#define LCRH_WLEN_8 (3u << 5)
#define CTL_UARTEN (1u << 0)
#define CTL_TXE (1u << 8)
#define CTL_RXE (1u << 9)

void mxp_lm3s_uart_init(uint32_t base, uint32_t clock_hz, uint32_t baud)
{
    /* UART0's pins are PA0 (RX) and PA1 (TX): hand them to the UART. */
    mxp_lm3s_wr(MXP_GPIOA_BASE, MXP_GPIO_AFSEL, mxp_lm3s_rd(MXP_GPIOA_BASE, MXP_GPIO_AFSEL) | 3u);
    mxp_lm3s_wr(MXP_GPIOA_BASE, MXP_GPIO_DEN, mxp_lm3s_rd(MXP_GPIOA_BASE, MXP_GPIO_DEN) | 3u);

    /* Divisor = clock / (16 * baud), the fraction in 64ths, rounded. */
    uint32_t div64 = (uint32_t)(((uint64_t)clock_hz * 4u + baud / 2u) / baud);
    mxp_lm3s_wr(base, UART_CTL, 0);
    mxp_lm3s_wr(base, UART_IBRD, div64 / 64u);
    mxp_lm3s_wr(base, UART_FBRD, div64 % 64u);
    mxp_lm3s_wr(base, UART_LCRH, LCRH_WLEN_8 | LCRH_FEN); /* LCRH last: it latches the divisors */
    mxp_lm3s_wr(base, UART_IM, 0);
    mxp_lm3s_wr(base, UART_ECR, 0);
    mxp_lm3s_wr(base, UART_CTL, CTL_UARTEN | CTL_TXE | CTL_RXE);
}

void mxp_lm3s_uart_putc(uint32_t base, char c)
{
    while (mxp_lm3s_rd(base, UART_FR) & FR_TXFF) {
    }
    mxp_lm3s_wr(base, UART_DR, (uint8_t)c);
}

int mxp_lm3s_uart_getc(uint32_t base)
{
    if (mxp_lm3s_rd(base, UART_FR) & FR_RXFE)
        return -1;
    uint32_t dr = mxp_lm3s_rd(base, UART_DR);
    if (dr & 0xF00u)
        mxp_lm3s_wr(base, UART_ECR, 0); /* framing, parity, break, overrun: keep the byte */
    return (int)(dr & 0xFFu);
}
