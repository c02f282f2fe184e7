# Toolchain: Debian's cross compiler for 64-bit Arm Linux with glibc
# (gcc-aarch64-linux-gnu, libc6-dev-arm64-cross); programs run here under
# qemu-aarch64-static (qemu-user-static) or qemu-aarch64 (qemu-user).
# Describes the compiler only (toolchain/linux-gnu-cross.cmake).
#
#   cmake --preset linux-aarch64        (the preset sets this file)

set(MXP_CROSS_TRIPLE aarch64-linux-gnu)
set(MXP_CROSS_PROCESSOR aarch64)
set(MXP_QEMU_USER_ARCH aarch64)
include("${CMAKE_CURRENT_LIST_DIR}/linux-gnu-cross.cmake")
