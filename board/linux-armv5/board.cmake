# Board: linux-armv5 - an ARMv5TE gateway or NAS without VFP (Marvell
# Kirkwood/Orion, other ARM926EJ-S), one static, stripped, soft-float
# mxprobe on musl (board/appliance-common/mxp_appliance.cmake). Tested
# under qemu-arm-static -cpu arm926 (no VFP): a VFP instruction anywhere it
# runs is a SIGILL.
set(MXP_APPLIANCE_TRIPLE arm-linux-gnueabi)
set(MXP_APPLIANCE_TOOLCHAIN arm-linux-musleabi)
set(MXP_APPLIANCE_CPU armv5te-softfloat)
set(MXP_APPLIANCE_QEMU_CPU arm926)
set(MXP_APPLIANCE_FLOAT soft)
set(MXP_APPLIANCE_MAX_BYTES 524288)
include("${CMAKE_CURRENT_LIST_DIR}/../appliance-common/mxp_appliance.cmake")
