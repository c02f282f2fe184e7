# Toolchain: big-endian MIPS32r2 Linux, soft-float, static musl: Debian's
# gcc-mips-linux-gnu with a musl 1.2.3 + compiler-rt sysroot built from
# Debian's source packages (toolchain/build-sysroot.sh mips-24kc). For the
# FPU-less big-endian MIPS routers (OpenWrt ath79: QCA 24Kc/74Kc). Programs
# run here under qemu-mips-static. Describes the compiler only
# (toolchain/linux-musl-cross.cmake).
#
#   cmake --preset linux-mips-24kc      (the preset sets this file)

set(MXP_CROSS_TRIPLE mips-linux-gnu)
set(MXP_CROSS_PROCESSOR mips)
set(MXP_SYSROOT_TARGET mips-24kc)
set(MXP_QEMU_USER_ARCH mips)
include("${CMAKE_CURRENT_LIST_DIR}/linux-musl-cross.cmake")
