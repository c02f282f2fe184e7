# CPU: ARMv5TE tuned for the ARM926EJ-S, Arm state, EABI soft-float: no VFP
# or NEON instruction (Marvell Kirkwood/Orion, other ARM9 gateways and NAS
# boxes; Debian's armel baseline). Included by a board's board.cmake;
# applies to every target, third-party libraries included. The sysroot's
# musl and libgcc are Debian's armel ones (toolchain/build-sysroot.sh armv5);
# the appliance test checks that the linked program has no VFP attributes.
include_guard(GLOBAL)

set(MXP_CPU_NAME "ARMv5TE (ARM926EJ-S), soft-float, no VFP")
set(MXP_CPU_FLAGS -march=armv5te -mtune=arm926ej-s -marm -mfloat-abi=soft)
add_compile_options(${MXP_CPU_FLAGS})
add_link_options(${MXP_CPU_FLAGS})
