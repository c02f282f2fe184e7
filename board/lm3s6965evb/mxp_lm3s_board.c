/*
 * The mxp_board.h interface for the LM3S6965 evaluation board: 50 MHz from
 * the PLL, console on UART0, milliseconds from SysTick, the on-chip Ethernet
 * controller, identity from the build and the linker script.
 */
#include <string.h>

#include "mxp_board.h"
#include "mxp_cortexm.h"
#include "mxp_lm3s6965.h"
#include "mxp_stellaris_enet.h"

#define CONSOLE_BAUD 115200u
#define PLL_LOCK_POLLS 100000u

static uint8_t station_mac[6];

/* ---- clock ---------------------------------------------------------------
 * The data sheet's PLL sequence (section 6.3): bypass the PLL while it is
 * configured, select the 8 MHz crystal and power the PLL up, divide its
 * 200 MHz output by 4, wait for lock, then switch over. */
static void clock_init(void)
{
    uint32_t rcc = mxp_lm3s_rd(MXP_SYSCTL_BASE, MXP_SYSCTL_RCC);
    rcc = (rcc | MXP_RCC_BYPASS) & ~MXP_RCC_USESYSDIV;
    mxp_lm3s_wr(MXP_SYSCTL_BASE, MXP_SYSCTL_RCC, rcc);
    rcc &=
        ~(MXP_RCC_XTAL_MASK | MXP_RCC_OSCSRC_MASK | MXP_RCC_PWRDN | MXP_RCC_OEN | MXP_RCC_MOSCDIS);
    rcc |= MXP_RCC_XTAL_8MHZ;
    mxp_lm3s_wr(MXP_SYSCTL_BASE, MXP_SYSCTL_RCC, rcc);
    rcc = (rcc & ~MXP_RCC_SYSDIV_MASK) | MXP_RCC_SYSDIV(3) | MXP_RCC_USESYSDIV;
    mxp_lm3s_wr(MXP_SYSCTL_BASE, MXP_SYSCTL_RCC, rcc);
    for (uint32_t i = 0; i < PLL_LOCK_POLLS; i++)
        if (mxp_lm3s_rd(MXP_SYSCTL_BASE, MXP_SYSCTL_RIS) & MXP_RIS_PLLLRIS)
            break;
    mxp_lm3s_wr(MXP_SYSCTL_BASE, MXP_SYSCTL_RCC, rcc & ~MXP_RCC_BYPASS);
}

/* ---- time base -------------------------------------------------------------
 * Milliseconds come from reading SysTick's counter, not from counting its
 * interrupts: QEMU drops timer interrupts when its host is busy, while a
 * counter read is computed from the emulator's clock and stays exact (the
 * part's timers cannot be read under QEMU 7.2: GPTM TAR reads 0). SysTick
 * runs over its full 24 bits (335 ms per wrap at 50 MHz); every read and
 * every wrap interrupt add the counts since the previous one, so time stays
 * exact unless nothing reads the counter for a whole wrap. */
#define SYSTICK_RELOAD 0x00FFFFFFu
#define SYSTICK_PER_MS (MXP_LM3S_CPU_HZ / 1000u)

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
        uint32_t now = MXP_SYST_CVR;
        /* A down-counter that reloads from SYSTICK_RELOAD after 0. */
        uint32_t delta =
            clock.last >= now ? clock.last - now : clock.last + SYSTICK_RELOAD + 1u - now;
        clock.last = now;
        clock.rem += delta;
        clock.ms += clock.rem / SYSTICK_PER_MS;
        clock.rem %= SYSTICK_PER_MS;
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

static void systick_start(void)
{
    MXP_SYST_CSR = 0;
    MXP_SYST_RVR = SYSTICK_RELOAD;
    MXP_SYST_CVR = 0; /* any write clears it: the count restarts at RELOAD */
    clock.last = SYSTICK_RELOAD;
    clock.running = true;
    MXP_SYST_CSR = MXP_SYST_CSR_ENABLE | MXP_SYST_CSR_TICKINT | MXP_SYST_CSR_CLKSOURCE;
}

/* ---- identity ------------------------------------------------------------- */

/* TI programs each board's MAC address into USER0/USER1, three bytes each,
 * low byte first; an erased pair reads all ones. */
static void read_mac(uint8_t mac[6])
{
    uint32_t u0 = mxp_lm3s_rd(MXP_SYSCTL_BASE, MXP_SYSCTL_USER0);
    uint32_t u1 = mxp_lm3s_rd(MXP_SYSCTL_BASE, MXP_SYSCTL_USER1);
    if (u0 == 0xFFFFFFFFu || u1 == 0xFFFFFFFFu || ((u0 | u1) & 0xFFFFFFu) == 0 || (u0 & 1u)) {
        /* Not programmed (or multicast): a fixed locally administered
         * address, so that DHCP leases stay stable. */
        static const uint8_t fallback[6] = {0x02, 0x00, 0x4d, 0x58, 0x50, 0x02};
        memcpy(mac, fallback, 6);
        return;
    }
    for (int i = 0; i < 3; i++) {
        mac[i] = (uint8_t)(u0 >> (8 * i));
        mac[3 + i] = (uint8_t)(u1 >> (8 * i));
    }
}

void mxp_board_init(void)
{
    clock_init();
    mxp_lm3s_wr(MXP_SYSCTL_BASE, MXP_SYSCTL_RCGC1,
                mxp_lm3s_rd(MXP_SYSCTL_BASE, MXP_SYSCTL_RCGC1) | MXP_RCGC1_UART0);
    mxp_lm3s_wr(MXP_SYSCTL_BASE, MXP_SYSCTL_RCGC2,
                mxp_lm3s_rd(MXP_SYSCTL_BASE, MXP_SYSCTL_RCGC2) | MXP_RCGC2_GPIOA | MXP_RCGC2_EMAC0 |
                    MXP_RCGC2_EPHY0);
    /* The data sheet asks for a few cycles between a clock gate and the
     * first access to the peripheral: this read is one. */
    (void)mxp_lm3s_rd(MXP_SYSCTL_BASE, MXP_SYSCTL_RCGC2);
    mxp_lm3s_uart_init(MXP_UART0_BASE, MXP_LM3S_CPU_HZ, CONSOLE_BAUD);
    systick_start();
    read_mac(station_mac);
    mxp_enet_init(MXP_ENET_BASE, MXP_LM3S_CPU_HZ, station_mac);
}

void mxp_board_console_write(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        /* Terminals want CRLF; reports and the shell write plain LF. */
        if (buf[i] == '\n' && (i == 0 || buf[i - 1] != '\r'))
            mxp_lm3s_uart_putc(MXP_UART0_BASE, '\r');
        mxp_lm3s_uart_putc(MXP_UART0_BASE, buf[i]);
    }
}

int mxp_board_console_getc(void)
{
    return mxp_lm3s_uart_getc(MXP_UART0_BASE);
}

void mxp_board_mac(uint8_t mac[6])
{
    memcpy(mac, station_mac, 6);
}

bool mxp_board_link_up(void)
{
    return mxp_enet_link_up();
}

/* The LM3S6965 has no TRNG. What is mixed here (SysTick phase, the
 * millisecond clock, the MAC) differs between boots and calls, but an
 * observer can guess most of it: seed material, never entropy. Hence
 * `false`. */
bool mxp_board_entropy(uint8_t *buf, size_t len)
{
    static uint32_t counter;
    uint32_t h = 0x811C9DC5u ^ counter++;
    for (size_t i = 0; i < len; i++) {
        uint32_t sample =
            mxp_cortexm_systick_raw() ^ mxp_board_millis() ^ ((uint32_t)station_mac[i % 6] << 24);
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
    info.name = "lm3s6965evb";
    info.cpu = "Cortex-M3";
    info.flash_size = (uint32_t)(uintptr_t)__mxp_flash_size;
    info.ram_size = (uint32_t)(uintptr_t)__mxp_ram_size;
    info.image_flash = (uint32_t)(__mxp_flash_end - __mxp_flash_start);
    info.static_ram = (uint32_t)(__mxp_heap_start - __mxp_ram_start);
    info.heap_size = (uint32_t)(__mxp_heap_end - __mxp_heap_start);
    info.stack_size = (uint32_t)((char *)__mxp_stack_top - (char *)__mxp_stack_limit);
    return &info;
}
