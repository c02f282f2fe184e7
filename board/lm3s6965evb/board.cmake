# Board: lm3s6965evb - TI Stellaris LM3S6965 evaluation board: Cortex-M3 at
# 50 MHz, 256 KiB flash, 64 KiB SRAM, on-chip 10/100 Ethernet MAC+PHY, UART0,
# as modelled by qemu-system-arm -M lm3s6965evb (QEMU 7.2, its Stellaris
# Ethernet model behind -nic user).
#
# The board contract is documented in board/linux/board.cmake. The memory map
# is the part's own (mxp_lm3s6965.ld.in); what is chosen here is how the
# 64 KiB of SRAM are split:
#   MXP_BOARD_STACK_SIZE    the main stack region (default 6K)
#   MXP_BOARD_HEAP_MIN      link fails if less heap than this is left (default 28K)
#
# Measured under QEMU (tests/bench/firmware_mem.py; tests/qemu asserts the
# 90 % limits), full cipher matrix, one connection at a time:
#   SRAM 65536 = stack 6144 + .data 144 + .bss 27404 + heap 31840 (+ 4 of alignment)
#   .bss: result 8256, engine 6388, pbuf pool 3651, lwIP heap 3091,
#         shell 2808, TCP PCBs 939, autorun line 512, the rest below 300 each
#   heap peak (wolfSSL), of 31840:
#     RSA-2048 server   TLS 1.0 22232, 1.1 21120, 1.2 22232, 1.3 22080
#     ECDSA P-256       TLS 1.2 19592, 1.3 20648
#     5 KB chain in 4 KB records (max_fragment_length honoured):
#                       TLS 1.2 21304, 1.3 25664 (the largest the test sees)
#     RSA-4096 leaf     31520: completes, but with no margin; when the heap
#                       runs out the version is "not judged", never refused
#   The 28K minimum keeps 25664 under 90 % of the heap.
#   stack peak: 5204-5308 (at most 86 %), in the TLS handshake below the
#   shell's own frames (mxp_shell_exec and probe_batch: 1.4 KB each)
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

foreach(_v STACK_SIZE:6K HEAP_MIN:28K)
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
set(MXP_WOLFSSL_DEFINITIONS MAX_CHAIN_DEPTH=4 MXP_WOLFSSL_SMALL=1 MXP_WOLFSSL_SMALL_RAM=1)
set(MXP_BOARD_QEMU_MACHINE lm3s6965evb)
# Every source, explicitly: the board's drivers, the bare-metal boards'
# startup and heap, and the firmware's wiring (mps2-common/main.c is board
# neutral: it only uses mxp_board.h).
set(MXP_BOARD_SOURCES
    "${_common}/mxp_cortexm_startup.c"
    "${_common}/mxp_board_mem.c"
    "${_lm3s}/mxp_lm3s_board.c"
    "${_lm3s}/mxp_lm3s_uart.c"
    "${_lm3s}/mxp_stellaris_enet.c"
    "${CMAKE_SOURCE_DIR}/board/mps2-common/main.c")
# Compiled only when lwIP is part of the build (it includes lwIP headers).
set(MXP_BOARD_LWIP_SOURCES "${_lm3s}/mxp_lm3s_netif.c")
set(MXP_BOARD_INCLUDE_DIRS "${_common}" "${_lm3s}")
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

# lwIP sized for one connection at a time in 64 KiB (port/lwip/lwipopts.h
# documents each option; set for every target so that lwIP, the port and the
# netif agree): 536-byte segments, so a pool pbuf is 592 bytes, not 1536; a
# receive window of 4 segments in a pool of 6; 3 segments of send buffer and
# lwIP heap for them plus a DHCP message; one DNS table entry (the shell
# resolves one host at a time).
add_compile_definitions(
    TCP_MSS=536
    PBUF_POOL_BUFSIZE=592
    PBUF_POOL_SIZE=6
    TCP_WND=2144
    TCP_SND_BUF=1608
    MEM_SIZE=3072
    DNS_TABLE_SIZE=1)

# Everything (wolfSSL and lwIP included): sections the linker can drop,
# debug info for gdb (not in the image), newlib-nano without its crt0 (the
# reset handler in board/common starts the program), link-time optimisation.
add_compile_options(-ffunction-sections -fdata-sections -g)
add_link_options(--specs=nano.specs -nostartfiles -Wl,--gc-sections -Wl,--print-memory-usage)
set(CMAKE_INTERPROCEDURAL_OPTIMIZATION ON)
unset(_lm3s)
unset(_common)
