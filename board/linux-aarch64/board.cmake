# Board: linux-aarch64 - a 64-bit Arm Linux router or appliance (ARMv8-A),
# one static, stripped mxprobe (board/appliance-common/mxp_appliance.cmake).
set(MXP_APPLIANCE_TRIPLE aarch64-linux-gnu)
set(MXP_APPLIANCE_CPU armv8-a)
include("${CMAKE_CURRENT_LIST_DIR}/../appliance-common/mxp_appliance.cmake")
