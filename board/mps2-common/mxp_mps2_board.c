/*
 * The mxp_board.h interface for the mps2 boards: console on CMSDK UART0,
 * clock from SysTick, NIC from the LAN9118, identity from the build.
 */
#include <string.h>

#include "mxp_board.h"
#include "mxp_cortexm.h"
#include "mxp_lan9118.h"
#include "mxp_mps2.h"

/* 115200 baud from the core clock on the FPGA; QEMU ignores the rate. */
#define UART_BAUDDIV (MXP_MPS2_CPU_HZ / 115200u)

/* ---- time base ----------------------------------------------------------
 * Milliseconds come from CMSDK timer 0 counting down freely, not from counted
 * SysTick interrupts: QEMU drops ticks when its host is busy, while a counter
 * read is computed from the emulator's clock and stays exact. Every read (and
 * every SysTick, so that no 171 s wrap is missed) adds the counts since the
 * previous read. */
#define TIMER_PER_MS (MXP_MPS2_TIMER_HZ / 1000u)

static struct {
    uint32_t last; /* counter at the previous read */
    uint32_t rem;  /* counts not yet worth a millisecond */
    uint32_t ms;
    bool running;
} clock;

static uint32_t clock_update(void)
{
    uint32_t primask = mxp_cortexm_irq_save();
    uint32_t ms = 0;
    if (clock.running) {
        uint32_t now = mxp_cmsdk_timer_value(MXP_MPS2_TIMER0_BASE);
        uint32_t delta = clock.last - now; /* a down-counter */
        clock.last = now;
        clock.ms += delta / TIMER_PER_MS;
        clock.rem += delta % TIMER_PER_MS;
        if (clock.rem >= TIMER_PER_MS) {
            clock.ms++;
            clock.rem -= TIMER_PER_MS;
        }
        ms = clock.ms;
    }
    mxp_cortexm_irq_restore(primask);
    return ms;
}

void mxp_board_tick(void)
{
    (void)clock_update();
}

uint32_t mxp_board_millis(void)
{
    return clock_update();
}

void mxp_board_init(void)
{
    mxp_cmsdk_uart_init(MXP_MPS2_UART0_BASE, UART_BAUDDIV);
    mxp_cmsdk_timer_start(MXP_MPS2_TIMER0_BASE);
    clock.last = mxp_cmsdk_timer_value(MXP_MPS2_TIMER0_BASE);
    clock.running = true;
    mxp_cortexm_systick_start(MXP_MPS2_CPU_HZ);
    (void)mxp_lan9118_init(MXP_MPS2_LAN9118_BASE);
}

void mxp_board_console_write(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        /* Terminals want CRLF; reports and the shell write plain LF. */
        if (buf[i] == '\n' && (i == 0 || buf[i - 1] != '\r'))
            mxp_cmsdk_uart_putc(MXP_MPS2_UART0_BASE, '\r');
        mxp_cmsdk_uart_putc(MXP_MPS2_UART0_BASE, buf[i]);
    }
}

int mxp_board_console_getc(void)
{
    return mxp_cmsdk_uart_getc(MXP_MPS2_UART0_BASE);
}

void mxp_board_mac(uint8_t mac[6])
{
    mxp_lan9118_mac(mac);
}

bool mxp_board_link_up(void)
{
    return mxp_lan9118_link_up();
}

/* mps2 has no TRNG. What is mixed here (SysTick phase, the NIC's free-running
 * counter, the millisecond clock, the MAC) differs between boots and calls
 * under QEMU and on the FPGA, but an observer can guess most of it: seed
 * material, never entropy. Hence `false`. */
bool mxp_board_entropy(uint8_t *buf, size_t len)
{
    static uint32_t counter;
    uint8_t mac[6];
    mxp_lan9118_mac(mac);
    uint32_t h = 0x811C9DC5u ^ counter++;
    for (size_t i = 0; i < len; i++) {
        uint32_t sample = mxp_cortexm_systick_raw() ^ mxp_lan9118_free_run() ^ mxp_board_millis() ^
                          ((uint32_t)mac[i % 6] << 24);
        /* FNV-1a over the sample, then a murmur3 finaliser to spread it. */
        for (int b = 0; b < 4; b++) {
            h ^= (sample >> (8 * b)) & 0xFFu;
            h *= 0x01000193u;
        }
        uint32_t x = h;
        x ^= x >> 16;
        x *= 0x85EBCA6Bu;
        x ^= x >> 13;
        x *= 0xC2B2AE35u;
        x ^= x >> 16;
        buf[i] = (uint8_t)x;
    }
    return false;
}

const struct mxp_board_info *mxp_board_info(void)
{
    static struct mxp_board_info info;
    info.name = MXP_MPS2_BOARD_NAME;
    info.cpu = MXP_MPS2_CPU_NAME;
    info.flash_size = (uint32_t)(uintptr_t)__mxp_flash_size;
    info.ram_size = (uint32_t)(uintptr_t)__mxp_ram_size;
    info.image_flash = (uint32_t)(__mxp_flash_end - __mxp_flash_start);
    info.static_ram = (uint32_t)(__mxp_heap_start - __mxp_ram_start);
    info.heap_size = (uint32_t)(__mxp_heap_end - __mxp_heap_start);
    info.stack_size = (uint32_t)((char *)__mxp_stack_top - (char *)__mxp_stack_limit);
    return &info;
}
