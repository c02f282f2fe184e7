# Board: linux-mipsel-24kc - a little-endian MIPS router without an FPU
# (OpenWrt ramips: MT7621 1004Kc, MT7628 24KEc), one static, stripped,
# soft-float mxprobe on musl (board/appliance-common/mxp_appliance.cmake).
# Tested under qemu-mipsel-static -cpu 24Kc, a 24K without an FPU: one FPU
# instruction anywhere it runs and the test dies with SIGILL, as the router would.
set(MXP_APPLIANCE_TRIPLE mipsel-linux-gnu)
set(MXP_APPLIANCE_TOOLCHAIN mipsel-linux-musl)
set(MXP_APPLIANCE_CPU mips32r2-24kc-softfloat)
set(MXP_APPLIANCE_QEMU_CPU 24Kc)
set(MXP_APPLIANCE_FLOAT soft)
set(MXP_APPLIANCE_MAX_BYTES 524288)
include("${CMAKE_CURRENT_LIST_DIR}/../appliance-common/mxp_appliance.cmake")
# A static executable may call functions directly instead of through the GOT
# (-mplt; as board/linux-mipsel); -fno-pie already makes it non-PIC.
add_compile_options(-mplt)
