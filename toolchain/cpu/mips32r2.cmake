# CPU: MIPS32 release 2, little-endian, o32 ABI, hard-float with the FPXX
# floating-point ABI (24K/34K/74K/1004K routers: MT7621, MT7628, QCA95xx...).
# Included by a board's board.cmake; applies to every target, third-party
# libraries included. The baseline Debian's glibc for mipsel is built for.
# Hard-float: a core without an FPU needs the kernel's FPU emulator
# (CONFIG_MIPS_FP_SUPPORT), which OpenWrt's kernel config leaves off by
# default (Global build settings > Kernel build options > MIPS FPU Emulator).
include_guard(GLOBAL)

set(MXP_CPU_NAME "MIPS32r2, little-endian, o32, FPXX")
set(MXP_CPU_FLAGS -march=mips32r2 -mabi=32 -mfpxx)
add_compile_options(${MXP_CPU_FLAGS})
add_link_options(${MXP_CPU_FLAGS})
