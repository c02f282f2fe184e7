# CPU: Cortex-M33 - ARMv8-M Mainline with the single-precision FPU; secure state only (no -mcmse), the stack limit is enforced by MSPLIM.
# Included by a board's board.cmake; applies to every target, third-party
# libraries included, so that all objects agree on the ABI (newlib's multilib
# is selected from the same flags at link time).
include_guard(GLOBAL)

set(MXP_CPU_NAME "Cortex-M33")
set(MXP_CPU_FLAGS -mcpu=cortex-m33 -mthumb -mfpu=fpv5-sp-d16 -mfloat-abi=hard)
add_compile_options(${MXP_CPU_FLAGS})
add_link_options(${MXP_CPU_FLAGS})
