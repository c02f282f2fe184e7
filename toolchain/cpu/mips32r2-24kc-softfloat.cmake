# CPU: MIPS32 release 2 tuned for the 24Kc, o32, soft-float: no FPU
# instruction at all (MT7621 1004Kc and MT7628 24KEc in OpenWrt ramips, QCA
# 24Kc/74Kc in ath79; none has an FPU, and OpenWrt kernels leave the FPU
# emulator out). Either endianness: the toolchain's compiler decides
# (mipsel-linux-musl.cmake, mips-linux-musl.cmake). Included by a board's
# board.cmake; applies to every target, third-party libraries included.
# The same flags build the sysroot's musl and runtime (toolchain/build-sysroot.sh);
# the appliance test checks that the linked program is soft-float throughout.
include_guard(GLOBAL)

set(MXP_CPU_NAME "MIPS32r2 24Kc, o32, soft-float")
set(MXP_CPU_FLAGS -march=mips32r2 -mtune=24kc -mabi=32 -msoft-float)
add_compile_options(${MXP_CPU_FLAGS})
add_link_options(${MXP_CPU_FLAGS})
