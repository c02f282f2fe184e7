# CPU: Cortex-M3 - ARMv7-M, no FPU.
# Included by a board's board.cmake; applies to every target, third-party
# libraries included, so that all objects agree on the ABI (newlib's multilib
# is selected from the same flags at link time).
include_guard(GLOBAL)

set(MXP_CPU_NAME "Cortex-M3")
set(MXP_CPU_FLAGS -mcpu=cortex-m3 -mthumb -mfloat-abi=soft)
add_compile_options(${MXP_CPU_FLAGS})
add_link_options(${MXP_CPU_FLAGS})
