# Board: linux-mips-24kc - a big-endian MIPS router without an FPU (OpenWrt
# ath79: QCA 24Kc/74Kc, e.g. AR71xx/AR9xxx/QCA95xx), one static, stripped,
# soft-float mxprobe on musl (board/appliance-common/mxp_appliance.cmake).
# Tested under qemu-mips-static -cpu 24Kc (no FPU). The one big-endian
# target: wolfSSL learns the byte order from the compiler (port/wolfssl/user_settings.h).
set(MXP_APPLIANCE_TRIPLE mips-linux-gnu)
set(MXP_APPLIANCE_TOOLCHAIN mips-linux-musl)
set(MXP_APPLIANCE_CPU mips32r2-24kc-softfloat)
set(MXP_APPLIANCE_QEMU_CPU 24Kc)
set(MXP_APPLIANCE_FLOAT soft)
set(MXP_APPLIANCE_MAX_BYTES 524288)
include("${CMAKE_CURRENT_LIST_DIR}/../appliance-common/mxp_appliance.cmake")
# Direct calls instead of GOT loads in the static executable (-mplt).
add_compile_options(-mplt)
