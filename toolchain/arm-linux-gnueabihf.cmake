# Toolchain: Debian's cross compiler for 32-bit Arm Linux, hard-float ABI,
# with glibc (gcc-arm-linux-gnueabihf, libc6-dev-armhf-cross); programs run
# here under qemu-arm-static (qemu-user-static) or qemu-arm (qemu-user).
# Describes the compiler only (toolchain/linux-gnu-cross.cmake).
#
#   cmake --preset linux-armhf          (the preset sets this file)

set(MXP_CROSS_TRIPLE arm-linux-gnueabihf)
set(MXP_CROSS_PROCESSOR arm)
set(MXP_QEMU_USER_ARCH arm)
include("${CMAKE_CURRENT_LIST_DIR}/linux-gnu-cross.cmake")
