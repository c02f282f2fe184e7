/*
 * lwIP NO_SYS system glue: the millisecond clock, a small PRNG for LWIP_RAND
 * and assertion output, all from the board (board/common/mxp_board.h).
 */
#include <stddef.h>
#include <stdint.h>

#include "lwip/arch.h"
#include "lwip/sys.h"

#include "mxp_board.h"

u32_t sys_now(void)
{
    return mxp_board_millis();
}

/* xorshift32: lwIP only needs DNS ids and ports that differ between boots
 * and queries (anti-spoofing, not secrecy). lwip_init() draws from it before
 * mxp_lwip_init() seeds it, so a fixed non-zero start value is kept. */
static uint32_t mxp_lwip_rand_state = 0x6d787072u; /* "mxpr" */

void mxp_lwip_rand_seed(uint32_t seed)
{
    mxp_lwip_rand_state ^= seed;
    if (mxp_lwip_rand_state == 0)
        mxp_lwip_rand_state = 0x6d787072u;
}

uint32_t mxp_lwip_rand(void)
{
    uint32_t x = mxp_lwip_rand_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    mxp_lwip_rand_state = x;
    return x;
}

static void put_str(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0')
        n++;
    mxp_board_console_write(s, n);
}

void mxp_lwip_assert_fail(const char *msg, const char *file, int line)
{
    char num[12];
    size_t i = sizeof num;
    unsigned v = line < 0 ? 0u : (unsigned)line;
    num[--i] = '\0';
    do {
        num[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0 && i > 0);
    put_str("\r\nlwip assert: ");
    put_str(msg != NULL ? msg : "?");
    put_str(" (");
    put_str(file != NULL ? file : "?");
    put_str(":");
    put_str(&num[i]);
    put_str(")\r\n");
    /* A broken stack invariant: stop here (HardFault on Cortex-M, SIGILL on
     * the host) rather than corrupt the probe's results. */
    __builtin_trap();
}
