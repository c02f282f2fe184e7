# Toolchain: Debian's cross compiler for 32-bit little-endian MIPS Linux with
# glibc (gcc-mipsel-linux-gnu, libc6-dev-mipsel-cross); programs run here
# under qemu-mipsel-static (qemu-user-static) or qemu-mipsel (qemu-user).
# Describes the compiler only (toolchain/linux-gnu-cross.cmake).
#
#   cmake --preset linux-mipsel         (the preset sets this file)

set(MXP_CROSS_TRIPLE mipsel-linux-gnu)
set(MXP_CROSS_PROCESSOR mipsel)
set(MXP_QEMU_USER_ARCH mipsel)
include("${CMAKE_CURRENT_LIST_DIR}/linux-gnu-cross.cmake")
