/*
 * The HAL completeness check, shared by the engine (before a probe) and the
 * ports' own tests. Part of mxp_base: the HAL headers stay contracts only.
 */
#ifndef MXP_HAL_CHECK_H
#define MXP_HAL_CHECK_H

#include "mxp_hal.h"

/* MXP_OK when every required operation is present, else MXP_E_HAL_MISSING
 * with a detail naming the first one missing (see mxp_hal_check.c). */
MXP_MUST_CHECK mxp_err mxp_hal_check(const struct mxp_hal *hal);

#endif /* MXP_HAL_CHECK_H */
