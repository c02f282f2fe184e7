# CPU: Cortex-M4 - ARMv7E-M with the single-precision FPU (enabled by the startup code).
# Included by a board's board.cmake; applies to every target, third-party
# libraries included, so that all objects agree on the ABI (newlib's multilib
# is selected from the same flags at link time).
include_guard(GLOBAL)

set(MXP_CPU_NAME "Cortex-M4")
set(MXP_CPU_FLAGS -mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard)
add_compile_options(${MXP_CPU_FLAGS})
add_link_options(${MXP_CPU_FLAGS})
