/*
 * Arm CMSDK APB timer, used as a free-running counter (no interrupt).
 */
#include "mxp_cortexm.h"
#include "mxp_mps2.h"

#define TIMER_CTRL(b) MXP_REG32((b) + 0x00u)
#define TIMER_VALUE(b) MXP_REG32((b) + 0x04u)
#define TIMER_RELOAD(b) MXP_REG32((b) + 0x08u)
#define TIMER_INTCLEAR(b) MXP_REG32((b) + 0x0Cu)
#define CTRL_ENABLE (1u << 0)

void mxp_cmsdk_timer_start(uintptr_t base)
{
    TIMER_CTRL(base) = 0;
    TIMER_RELOAD(base) = 0xFFFFFFFFu;
    TIMER_VALUE(base) = 0xFFFFFFFFu;
    TIMER_INTCLEAR(base) = 1u;
    TIMER_CTRL(base) = CTRL_ENABLE;
}

uint32_t mxp_cmsdk_timer_value(uintptr_t base)
{
    return TIMER_VALUE(base);
}
