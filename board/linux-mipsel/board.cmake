# Board: linux-mipsel - a little-endian MIPS Linux router (MIPS32r2,
# hard-float o32), one static, stripped mxprobe
# (board/appliance-common/mxp_appliance.cmake). Hard-float because Debian's
# mipsel glibc is: the router needs an FPU or the kernel's FPU emulator
# (README, "On a Linux router").
set(MXP_APPLIANCE_TRIPLE mipsel-linux-gnu)
set(MXP_APPLIANCE_CPU mips32r2)
include("${CMAKE_CURRENT_LIST_DIR}/../appliance-common/mxp_appliance.cmake")
# A static executable may call functions directly instead of through the GOT
# (-mplt: -27 KB, 2.5% of the binary); -fno-pie already makes it non-PIC.
add_compile_options(-mplt)
