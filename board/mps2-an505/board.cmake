# Board: mps2-an505 - Arm MPS2 FPGA image AN505, Cortex-M33 (SSE-200 IoT kit,
# TrustZone) run in the secure state, as modelled by qemu-system-arm -M mps2-an505 (QEMU 7.2).
# Memory map and peripherals below; everything else is shared by the mps2
# boards in board/mps2-common/mxp_mps2.cmake (which documents these names).
set(MXP_MPS2_MACHINE mps2-an505)
set(MXP_MPS2_CPU cortex-m33)
set(MXP_MPS2_CPU_HZ 20000000)
# The core starts in the secure state with the SAU off, so everything is
# reached through the secure aliases (address bit 28 set): code SSRAM1
# 0x00000000 -> 0x10000000 (the IoT kit's initial SVTOR), SSRAM2
# 0x28000000 -> 0x38000000, UART0 0x40200000 -> 0x50200000, timer 0
# 0x40000000 -> 0x50000000, LAN9118 0x42000000 -> 0x52000000. The MPCs and PPCs reset to secure-only, which is
# what a secure access needs.
set(MXP_MPS2_UART0_BASE 0x50200000)
set(MXP_MPS2_LAN9118_BASE 0x52000000)
set(MXP_MPS2_TIMER0_BASE 0x50000000)
set(MXP_MPS2_TIMER_HZ 20000000)
set(MXP_MPS2_FLASH_ORIGIN 0x10000000)
set(MXP_MPS2_RAM_ORIGIN 0x38000000)
include("${CMAKE_CURRENT_LIST_DIR}/../mps2-common/mxp_mps2.cmake")
