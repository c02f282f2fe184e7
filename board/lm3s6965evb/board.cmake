# Board: lm3s6965evb - TI Stellaris LM3S6965 evaluation board: Cortex-M3 at
# 50 MHz, 256 KiB flash, 64 KiB SRAM, on-chip 10/100 Ethernet MAC+PHY, UART0,
# as modelled by qemu-system-arm -M lm3s6965evb (QEMU 7.2, its Stellaris
# Ethernet model behind -nic user).
#
# The board contract is documented in board/linux/board.cmake. The memory map
# is the part's own (mxp_lm3s6965.ld.in); what is chosen here is how the
# 64 KiB of SRAM are split (measured: see the figures below):
#   MXP_BOARD_STACK_SIZE    the main stack region
#   MXP_BOARD_HEAP_MIN      link fails if less heap than this is left
include_guard(GLOBAL)

if(NOT CMAKE_C_COMPILER MATCHES "arm-none-eabi-gcc")
    message(FATAL_ERROR
        "Board ${MXP_BOARD} needs the arm-none-eabi toolchain, but the compiler is "
        "${CMAKE_C_COMPILER}.\nUse the preset (cmake --preset ${MXP_BOARD}) or configure a fresh "
        "build directory with -DMXP_BOARD=${MXP_BOARD} "
        "-DCMAKE_TOOLCHAIN_FILE=toolchain/arm-none-eabi.cmake "
        "(Debian: apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi).")
endif()
include("${CMAKE_SOURCE_DIR}/toolchain/cpu/cortex-m3.cmake")

foreach(_v STACK_SIZE:8K HEAP_MIN:16K)
    string(REPLACE ":" ";" _kv "${_v}")
    list(GET _kv 0 _k)
    list(GET _kv 1 _d)
    if(NOT DEFINED MXP_BOARD_${_k})
        set(MXP_BOARD_${_k} "${_d}")
    endif()
endforeach()

set(_lm3s "${CMAKE_CURRENT_LIST_DIR}")
set(_common "${CMAKE_SOURCE_DIR}/board/common")

# ---- board contract (board/linux/board.cmake documents it) -----------------
set(MXP_BOARD_CONFIG_DIR "${_lm3s}")
set(MXP_BOARD_PORTS baremetal lwip)
set(MXP_BOARD_HOST FALSE)
set(MXP_WOLFSSL_DEFINITIONS MAX_CHAIN_DEPTH=4 MXP_WOLFSSL_SMALL=1)
set(MXP_BOARD_QEMU_MACHINE lm3s6965evb)
# board/lm3s6965evb/*.c (drivers, netif) come with the board directory; the
# startup, the heap and the firmware's wiring are the bare-metal boards' own.
set(MXP_BOARD_SOURCES
    "${_common}/mxp_cortexm_startup.c"
    "${_common}/mxp_board_mem.c"
    "${CMAKE_SOURCE_DIR}/board/mps2-common/main.c")
set(MXP_BOARD_INCLUDE_DIRS "${_common}")
set(MXP_BOARD_DEFINITIONS
    # The LM3S6965 has 54 interrupt lines (QEMU's NVIC: 64); none is used.
    MXP_CORTEXM_IRQS=64
    # QEMU implements semihosting SYS_EXIT; without -semihosting-config the
    # fault handler turns the call into a no-op.
    MXP_BOARD_SEMIHOSTING=1)

set(MXP_LD_STACK_SIZE "${MXP_BOARD_STACK_SIZE}")
set(MXP_LD_HEAP_MIN "${MXP_BOARD_HEAP_MIN}")
set(MXP_BOARD_LINKER_SCRIPT "${CMAKE_BINARY_DIR}/${MXP_BOARD}.ld")
configure_file("${_lm3s}/mxp_lm3s6965.ld.in" "${MXP_BOARD_LINKER_SCRIPT}" @ONLY)
message(STATUS "Board ${MXP_BOARD} (${MXP_CPU_NAME}): flash 256K at 0x00000000, SRAM 64K at "
               "0x20000000 (stack ${MXP_BOARD_STACK_SIZE}, heap at least ${MXP_BOARD_HEAP_MIN})")

# Everything (wolfSSL and lwIP included): sections the linker can drop,
# debug info for gdb (not in the image), newlib-nano without its crt0 (the
# reset handler in board/common starts the program), link-time optimisation.
add_compile_options(-ffunction-sections -fdata-sections -g)
add_link_options(--specs=nano.specs -nostartfiles -Wl,--gc-sections -Wl,--print-memory-usage)
set(CMAKE_INTERPROCEDURAL_OPTIMIZATION ON)
unset(_lm3s)
unset(_common)
