/*
 * Cortex-M startup: vector table, reset handler, fault reporting, SysTick.
 *
 * Generic over ARMv7-M and ARMv8-M Mainline; the memory map comes from the
 * linker script's symbols (mxp_cortexm.h). No CMSIS: the handful of core
 * registers is spelled out in mxp_cortexm.h.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mxp_board.h"
#include "mxp_cortexm.h"

int main(void);
void mxp_reset_handler(void);
void mxp_fault_handler(void);
void mxp_fault_report(uint32_t *frame, uint32_t exc_return);
void mxp_default_handler(void);
void mxp_systick_handler(void);

/* External interrupt lines in the table: enough for every mps2 image
 * (AN385: 32, AN505: 96 in QEMU). None is enabled; an unexpected one lands in
 * the default handler and is reported. */
#ifndef MXP_CORTEXM_IRQS
#define MXP_CORTEXM_IRQS 96
#endif

typedef void (*mxp_vector)(void);

__attribute__((section(".vectors"), used)) const mxp_vector mxp_vectors[16 + MXP_CORTEXM_IRQS] = {
    [0] = (mxp_vector)(uintptr_t)__mxp_stack_top,
    [1] = mxp_reset_handler,
    [2] = mxp_default_handler,  /* NMI */
    [3] = mxp_fault_handler,    /* HardFault */
    [4] = mxp_fault_handler,    /* MemManage */
    [5] = mxp_fault_handler,    /* BusFault */
    [6] = mxp_fault_handler,    /* UsageFault */
    [7] = mxp_fault_handler,    /* SecureFault (ARMv8-M) */
    [11] = mxp_default_handler, /* SVCall */
    [12] = mxp_default_handler, /* DebugMonitor */
    [14] = mxp_default_handler, /* PendSV */
    [15] = mxp_systick_handler,
    [16 ... 16 + MXP_CORTEXM_IRQS - 1] = mxp_default_handler,
};

static uint32_t *current_sp(void)
{
    uint32_t *sp;
    __asm volatile("mov %0, sp" : "=r"(sp));
    return sp;
}

__attribute__((noreturn)) void mxp_reset_handler(void)
{
    /* Paint the unused part of the stack for the high-water mark; stop short
     * of the frame this function is running on. */
    for (uint32_t *p = __mxp_stack_limit; p < current_sp() - 16; p++)
        *p = MXP_STACK_PAINT;
#if defined(__ARM_ARCH_8M_MAIN__)
    /* Hardware stack-overflow check: a push below the region is a UsageFault
     * (STKOF) instead of silent corruption. */
    __asm volatile("msr msplim, %0" : : "r"(__mxp_stack_limit));
#endif
    const uint32_t *src = __mxp_data_load;
    for (uint32_t *dst = __mxp_data_start; dst < __mxp_data_end;)
        *dst++ = *src++;
    for (uint32_t *dst = __mxp_bss_start; dst < __mxp_bss_end;)
        *dst++ = 0;
    MXP_SCB_VTOR = (uint32_t)(uintptr_t)mxp_vectors;
#if defined(__ARM_FP)
    /* The ABI is hard-float: grant full access to CP10/CP11 before any FP
     * instruction runs. */
    MXP_SCB_CPACR |= 0xFu << 20;
    __asm volatile("dsb\n\tisb" ::: "memory");
#endif
    /* Report MemManage/BusFault/UsageFault as themselves, not as HardFault. */
    MXP_SCB_SHCSR |= MXP_SHCSR_FAULTS_ENA;

    int status = main();
    mxp_board_exit(status);
    for (;;)
        __asm volatile("wfi");
}

/* ---- faults ------------------------------------------------------------- */

static void fault_puts(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0')
        n++;
    mxp_board_console_write(s, n);
}

static void fault_hex(const char *label, uint32_t v)
{
    char buf[12];
    static const char digits[] = "0123456789abcdef";
    fault_puts(label);
    for (int i = 0; i < 8; i++)
        buf[i] = digits[(v >> (28 - 4 * i)) & 0xFu];
    mxp_board_console_write(buf, 8);
}

/* Set once a semihosting call faulted: later calls (from a fault handler,
 * where a BKPT would lock the core up) are skipped. */
static bool semihosting_absent;

/* Called with the exception frame the fault stacked (r0-r3, r12, lr, pc, xpsr)
 * and EXC_RETURN. Returns only to skip a semihosting BKPT that nobody serviced
 * (no debugger, no -semihosting-config): the call then yields -1. */
__attribute__((used)) void mxp_fault_report(uint32_t *frame, uint32_t exc_return)
{
    uint32_t hfsr = MXP_SCB_HFSR;
    if (frame < __mxp_stack_limit || frame + 8 > __mxp_stack_top) {
        /* No readable frame: the stack overflowed its region. */
        fault_puts("\r\n*** FAULT: main stack overflow");
        fault_hex(" cfsr=", MXP_SCB_CFSR);
        fault_hex(" hfsr=", hfsr);
        fault_puts("\r\n");
        mxp_board_exit(0x7F);
        for (;;)
            __asm volatile("wfi");
    }
    uint32_t pc = frame[6];
    /* An unserviced BKPT escalates to HardFault (DEBUGEVT on silicon, FORCED
     * in QEMU): recognise semihosting's `bkpt 0xab` by the instruction. */
    if ((hfsr & (MXP_HFSR_DEBUGEVT | MXP_HFSR_FORCED)) != 0 && (pc & 1u) == 0 &&
        *(const volatile uint16_t *)(uintptr_t)pc == 0xBEABu) {
        MXP_SCB_HFSR = MXP_HFSR_DEBUGEVT | MXP_HFSR_FORCED; /* write-one-to-clear */
        semihosting_absent = true;
        frame[0] = (uint32_t)-1;
        frame[6] = pc + 2;
        return;
    }
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    fault_puts("\r\n*** FAULT exception ");
    char num[3] = {(char)('0' + (ipsr & 0x1FFu) / 10 % 10), (char)('0' + (ipsr & 0x1FFu) % 10), 0};
    fault_puts(num);
    fault_hex(" pc=", pc);
    fault_hex(" lr=", frame[5]);
    fault_hex(" xpsr=", frame[7]);
    fault_hex(" sp=", (uint32_t)(uintptr_t)frame);
    fault_hex("\r\n*** cfsr=", MXP_SCB_CFSR);
    fault_hex(" hfsr=", hfsr);
    fault_hex(" mmfar=", MXP_SCB_MMFAR);
    fault_hex(" bfar=", MXP_SCB_BFAR);
    fault_hex(" exc_return=", exc_return);
    fault_puts("\r\n");
    /* Under QEMU: end the run with a distinctive status for the test
     * harness. On hardware the semihosting call is a no-op: stay here for a
     * debugger (the watchdog, if a board has one, resets). */
    mxp_board_exit(0x7F);
    for (;;)
        __asm volatile("wfi");
}

/* The stacked frame is passed on; if the main stack has run off its region
 * (ARMv7-M has no stack limit register) the handler restarts it at the top,
 * so that reporting the overflow does not fault again and lock the core. */
__attribute__((naked)) void mxp_fault_handler(void)
{
    __asm volatile("tst lr, #4\n\t"
                   "ite eq\n\t"
                   "mrseq r0, msp\n\t"
                   "mrsne r0, psp\n\t"
                   "mov r1, lr\n\t"
                   "ldr r2, =__mxp_stack_limit\n\t"
                   "cmp sp, r2\n\t"
                   "bhs 1f\n\t"
                   "ldr r2, =__mxp_stack_top\n\t"
                   "mov sp, r2\n"
                   "1:\n\t"
                   "b mxp_fault_report\n\t"
                   ".ltorg\n\t");
}

void mxp_default_handler(void)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    fault_hex("\r\n*** unexpected exception ", ipsr & 0x1FFu);
    fault_puts("\r\n");
    mxp_board_exit(0x7E);
    for (;;)
        __asm volatile("wfi");
}

/* ---- SysTick: the 1 ms clock -------------------------------------------- */

static volatile uint32_t systick_ms;

/* Optional board hook run on every tick, e.g. to keep a hardware time base
 * extended (weak: boards without one need nothing). */
__attribute__((weak)) void mxp_board_tick(void) {}

void mxp_systick_handler(void)
{
    systick_ms++;
    mxp_board_tick();
}

void mxp_cortexm_systick_start(uint32_t core_hz)
{
    MXP_SYST_CSR = 0;
    MXP_SYST_RVR = core_hz / 1000u - 1u;
    MXP_SYST_CVR = 0;
    MXP_SYST_CSR = MXP_SYST_CSR_ENABLE | MXP_SYST_CSR_TICKINT | MXP_SYST_CSR_CLKSOURCE;
}

uint32_t mxp_cortexm_systick_raw(void)
{
    return MXP_SYST_CVR;
}

/* Counting SysTick interrupts is exact on hardware; under an emulator ticks
 * go missing when the host is busy (QEMU lost 12% on a loaded machine), so a
 * board with a free-running hardware counter overrides this. */
__attribute__((weak)) uint32_t mxp_board_millis(void)
{
    return systick_ms; /* one aligned 32-bit load: atomic on Cortex-M */
}

/* ---- reset and semihosting ---------------------------------------------- */

void mxp_board_reset(void)
{
    __asm volatile("dsb" ::: "memory");
    MXP_SCB_AIRCR = MXP_AIRCR_VECTKEY | MXP_AIRCR_SYSRESETREQ;
    __asm volatile("dsb" ::: "memory");
    for (;;)
        __asm volatile("nop");
}

int mxp_semihost_call(int op, void *arg)
{
    if (semihosting_absent)
        return -1;
    register int r0 __asm("r0") = op;
    register void *r1 __asm("r1") = arg;
    __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

bool mxp_board_cmdline(char *buf, size_t cap)
{
#if defined(MXP_BOARD_SEMIHOSTING) && MXP_BOARD_SEMIHOSTING
    /* SYS_GET_CMDLINE (0x15): QEMU passes -append here, after the image name. */
    struct {
        char *buf;
        int len;
    } block = {buf, (int)cap};
    if (cap < 2 || mxp_semihost_call(0x15, &block) != 0 || block.len < 0 ||
        (size_t)block.len >= cap) {
        static const char msg[] = "autorun: no command line, or longer than the buffer\r\n";
        if (block.len >= 0 && (size_t)block.len >= cap)
            mxp_board_console_write(msg, sizeof msg - 1);
        return false;
    }
    buf[block.len] = '\0';
    /* The first word is the image (QEMU: the -kernel path): drop it. */
    size_t skip = 0;
    while (buf[skip] != '\0' && buf[skip] != ' ')
        skip++;
    while (buf[skip] == ' ')
        skip++;
    memmove(buf, buf + skip, strlen(buf + skip) + 1);
    return true;
#else
    (void)buf;
    (void)cap;
    return false;
#endif
}

void mxp_board_exit(int status)
{
#if defined(MXP_BOARD_SEMIHOSTING) && MXP_BOARD_SEMIHOSTING
    /* SYS_EXIT_EXTENDED (0x20) with ADP_Stopped_ApplicationExit: the only
     * AArch32 form that carries an exit status (QEMU exits with it). */
    uint32_t block[2] = {0x20026u, (uint32_t)status};
    (void)mxp_semihost_call(0x20, block);
#else
    (void)status;
#endif
}
