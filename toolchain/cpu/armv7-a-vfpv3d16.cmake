# CPU: ARMv7-A with VFPv3-D16, hard-float ABI, Thumb-2 (Cortex-A7/A8/A9/A15
# routers and appliances). Included by a board's board.cmake; applies to every
# target, third-party libraries included. The baseline Debian's glibc for
# armhf is built for: a core without VFP (armel, ARMv5/v6) cannot run it.
include_guard(GLOBAL)

set(MXP_CPU_NAME "ARMv7-A, VFPv3-D16, hard-float")
set(MXP_CPU_FLAGS -march=armv7-a+fp -mfpu=vfpv3-d16 -mfloat-abi=hard -mthumb)
add_compile_options(${MXP_CPU_FLAGS})
add_link_options(${MXP_CPU_FLAGS})
