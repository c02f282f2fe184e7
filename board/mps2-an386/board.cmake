# Board: mps2-an386 - Arm MPS2 FPGA image AN386, Cortex-M4 with FPU,
# as modelled by qemu-system-arm -M mps2-an386 (QEMU 7.2).
# Memory map and peripherals below; everything else is shared by the mps2
# boards in board/mps2-common/mxp_mps2.cmake (which documents these names).
set(MXP_MPS2_MACHINE mps2-an386)
set(MXP_MPS2_CPU cortex-m4)
set(MXP_MPS2_CPU_HZ 25000000)
set(MXP_MPS2_UART0_BASE 0x40004000)
set(MXP_MPS2_LAN9118_BASE 0x40200000)
set(MXP_MPS2_TIMER0_BASE 0x40000000)
set(MXP_MPS2_TIMER_HZ 25000000)
set(MXP_MPS2_FLASH_ORIGIN 0x00000000)
set(MXP_MPS2_RAM_ORIGIN 0x20000000)
include("${CMAKE_CURRENT_LIST_DIR}/../mps2-common/mxp_mps2.cmake")
