/*
 * Cortex-M core registers (ARMv7-M and ARMv8-M Mainline) used by the board
 * code in board/common/, and the linker-script symbols it relies on. Private
 * to board code: ports and the engine use mxp_board.h only.
 */
#ifndef MXP_CORTEXM_H
#define MXP_CORTEXM_H

#include <stdint.h>

#define MXP_REG32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

/* System control block */
#define MXP_SCB_CPUID MXP_REG32(0xE000ED00u)
#define MXP_SCB_VTOR MXP_REG32(0xE000ED08u)
#define MXP_SCB_AIRCR MXP_REG32(0xE000ED0Cu)
#define MXP_SCB_SHCSR MXP_REG32(0xE000ED24u)
#define MXP_SCB_CFSR MXP_REG32(0xE000ED28u)
#define MXP_SCB_HFSR MXP_REG32(0xE000ED2Cu)
#define MXP_SCB_MMFAR MXP_REG32(0xE000ED34u)
#define MXP_SCB_BFAR MXP_REG32(0xE000ED38u)
#define MXP_SCB_CPACR MXP_REG32(0xE000ED88u)
#define MXP_AIRCR_VECTKEY (0x05FAu << 16)
#define MXP_AIRCR_SYSRESETREQ (1u << 2)
#define MXP_HFSR_DEBUGEVT (1u << 31)
#define MXP_HFSR_FORCED (1u << 30)
#define MXP_SHCSR_FAULTS_ENA ((1u << 16) | (1u << 17) | (1u << 18)) /* mem, bus, usage */

/* SysTick */
#define MXP_SYST_CSR MXP_REG32(0xE000E010u)
#define MXP_SYST_RVR MXP_REG32(0xE000E014u)
#define MXP_SYST_CVR MXP_REG32(0xE000E018u)
#define MXP_SYST_CSR_ENABLE (1u << 0)
#define MXP_SYST_CSR_TICKINT (1u << 1)
#define MXP_SYST_CSR_CLKSOURCE (1u << 2) /* processor clock */

/* Linker-script symbols (board/mps2-common/mxp_mps2.ld.in documents them). */
extern uint32_t __mxp_stack_limit[], __mxp_stack_top[];
extern uint32_t __mxp_data_start[], __mxp_data_end[], __mxp_data_load[];
extern uint32_t __mxp_bss_start[], __mxp_bss_end[];
extern char __mxp_heap_start[], __mxp_heap_end[];
extern char __mxp_flash_start[], __mxp_flash_end[], __mxp_flash_size[];
extern char __mxp_ram_start[], __mxp_ram_size[];

/* The value the stack region is painted with at reset (stack high-water mark). */
#define MXP_STACK_PAINT 0x5AA5F00Du

/* Interrupt masking around short critical sections (PRIMASK). */
static inline uint32_t mxp_cortexm_irq_save(void)
{
    uint32_t primask;
    __asm volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
    return primask;
}
static inline void mxp_cortexm_irq_restore(uint32_t primask)
{
    __asm volatile("msr primask, %0" ::"r"(primask) : "memory");
}

/* Start the 1 ms SysTick from the core clock (Hz). Each tick calls the
 * board's optional mxp_board_tick() hook. */
void mxp_cortexm_systick_start(uint32_t core_hz);
/* Optional board hook run from the SysTick interrupt (weak default: nothing). */
void mxp_board_tick(void);
/* Raw SysTick counter (counts down at the core clock), for jitter sampling. */
uint32_t mxp_cortexm_systick_raw(void);

/* Semihosting (ARM semihosting v2 over BKPT 0xAB). Without a debugger or
 * QEMU's -semihosting-config the fault handler turns the call into a no-op
 * returning -1. */
int mxp_semihost_call(int op, void *arg);

#endif /* MXP_CORTEXM_H */
