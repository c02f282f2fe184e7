# CPU: ARMv8-A, AArch64 (any 64-bit Arm router or appliance: Cortex-A53/A55/A72...).
# Included by a board's board.cmake; applies to every target, third-party
# libraries included. The baseline Debian's glibc for arm64 is built for.
include_guard(GLOBAL)

set(MXP_CPU_NAME "ARMv8-A (AArch64)")
set(MXP_CPU_FLAGS -march=armv8-a)
add_compile_options(${MXP_CPU_FLAGS})
add_link_options(${MXP_CPU_FLAGS})
