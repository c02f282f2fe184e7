# Board: linux-armhf - a 32-bit Arm Linux router or appliance (ARMv7-A with
# VFP, hard-float ABI), one static, stripped mxprobe
# (board/appliance-common/mxp_appliance.cmake).
set(MXP_APPLIANCE_TRIPLE arm-linux-gnueabihf)
set(MXP_APPLIANCE_CPU armv7-a-vfpv3d16)
include("${CMAKE_CURRENT_LIST_DIR}/../appliance-common/mxp_appliance.cmake")
