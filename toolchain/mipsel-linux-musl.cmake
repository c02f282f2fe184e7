# Toolchain: little-endian MIPS32r2 Linux, soft-float, static musl: Debian's
# gcc-mipsel-linux-gnu with a musl 1.2.3 + compiler-rt sysroot built from
# Debian's source packages (toolchain/build-sysroot.sh mipsel-24kc). For the
# FPU-less MIPS routers (OpenWrt ramips: MT7621, MT7628). Programs run here
# under qemu-mipsel-static. Describes the compiler only
# (toolchain/linux-musl-cross.cmake).
#
#   cmake --preset linux-mipsel-24kc    (the preset sets this file)

set(MXP_CROSS_TRIPLE mipsel-linux-gnu)
set(MXP_CROSS_PROCESSOR mipsel)
set(MXP_SYSROOT_TARGET mipsel-24kc)
set(MXP_QEMU_USER_ARCH mipsel)
include("${CMAKE_CURRENT_LIST_DIR}/linux-musl-cross.cmake")
