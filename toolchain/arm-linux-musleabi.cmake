# Toolchain: 32-bit Arm Linux, EABI soft-float, static musl: Debian's
# gcc-arm-linux-gnueabi (armel: ARMv5TE baseline, no VFP) with Debian's
# musl-dev:armel and the armel libgcc, both soft-float, plus the kernel
# headers (toolchain/build-sysroot.sh armv5). For ARMv5 gateways and NAS
# boxes without VFP (Kirkwood, other ARM926EJ-S). Programs run here under
# qemu-arm-static. Describes the compiler only (toolchain/linux-musl-cross.cmake).
# Debian's musl-dev:armel also ships an arm-linux-musleabi-gcc wrapper; the
# sysroot's specs do the same, so that all three router toolchains read alike.
#
#   cmake --preset linux-armv5          (the preset sets this file)

set(MXP_CROSS_TRIPLE arm-linux-gnueabi)
set(MXP_CROSS_PROCESSOR arm)
set(MXP_SYSROOT_TARGET armv5)
set(MXP_QEMU_USER_ARCH arm)
include("${CMAKE_CURRENT_LIST_DIR}/linux-musl-cross.cmake")
