# Shared part of the mps2 board files (AN385, AN386, AN505 as modelled by
# qemu-system-arm). A board/<name>/board.cmake sets these, then includes this:
#   MXP_MPS2_MACHINE        qemu-system-arm -M value
#   MXP_MPS2_CPU            toolchain/cpu/<cpu>.cmake to use
#   MXP_MPS2_CPU_HZ         core clock (SysTick source)
#   MXP_MPS2_UART0_BASE     CMSDK UART0 (the console)
#   MXP_MPS2_LAN9118_BASE   the Ethernet controller
#   MXP_MPS2_TIMER0_BASE    CMSDK APB timer 0, the millisecond time base
#   MXP_MPS2_TIMER_HZ       its clock
#   MXP_MPS2_FLASH_ORIGIN   where the image (vector table first) is loaded
#   MXP_MPS2_RAM_ORIGIN     start of the RAM the image uses
# Budgets (override with -D...=, e.g. -DMXP_BOARD_RAM_SIZE=1M for bring-up):
#   MXP_BOARD_FLASH_SIZE    flash the image may occupy (default 256K, issue 3's budget)
#   MXP_BOARD_RAM_SIZE      RAM for stack + static data + heap (default 96K)
#   MXP_BOARD_STACK_SIZE    the main stack region (default 8K)
#   MXP_BOARD_HEAP_MIN      link fails if less heap than this is left (default 32K)
include_guard(GLOBAL)

if(NOT CMAKE_C_COMPILER MATCHES "arm-none-eabi-gcc")
    message(FATAL_ERROR
        "Board ${MXP_BOARD} needs the arm-none-eabi toolchain, but the compiler is "
        "${CMAKE_C_COMPILER}.\nUse the preset (cmake --preset ${MXP_BOARD}) or configure a fresh "
        "build directory with -DCMAKE_TOOLCHAIN_FILE=toolchain/arm-none-eabi.cmake "
        "(Debian: apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi).")
endif()
include("${CMAKE_SOURCE_DIR}/toolchain/cpu/${MXP_MPS2_CPU}.cmake")

foreach(_v FLASH_SIZE:256K RAM_SIZE:96K STACK_SIZE:8K HEAP_MIN:32K)
    string(REPLACE ":" ";" _kv "${_v}")
    list(GET _kv 0 _k)
    list(GET _kv 1 _d)
    if(NOT DEFINED MXP_BOARD_${_k})
        set(MXP_BOARD_${_k} "${_d}")
    endif()
endforeach()

set(_mps2 "${CMAKE_CURRENT_LIST_DIR}")
set(_common "${CMAKE_SOURCE_DIR}/board/common")

# ---- board contract (board/linux/board.cmake documents it) -----------------
set(MXP_BOARD_CONFIG_DIR "${_mps2}")
set(MXP_BOARD_PORTS baremetal lwip)
set(MXP_BOARD_HOST FALSE)
# Each chain slot costs about 2 KB per connection (notes/platform-facts.md).
# MXP_WOLFSSL_SMALL: the size-over-speed choices in user_settings.h (same
# protocols and suites), needed to fit the 256 KiB flash budget.
set(MXP_WOLFSSL_DEFINITIONS MAX_CHAIN_DEPTH=4 MXP_WOLFSSL_SMALL=1)
set(MXP_BOARD_QEMU_MACHINE "${MXP_MPS2_MACHINE}")
set(MXP_BOARD_SOURCES
    "${_common}/mxp_cortexm_startup.c"
    "${_common}/mxp_board_mem.c"
    "${_mps2}/mxp_mps2_board.c"
    "${_mps2}/mxp_cmsdk_uart.c"
    "${_mps2}/mxp_cmsdk_timer.c"
    "${_mps2}/mxp_lan9118.c"
    "${_mps2}/main.c")
# Compiled only when lwIP is part of the build (it includes lwIP headers).
set(MXP_BOARD_LWIP_SOURCES "${_mps2}/mxp_mps2_netif.c")
set(MXP_BOARD_INCLUDE_DIRS "${_common}" "${_mps2}")
set(MXP_BOARD_DEFINITIONS
    MXP_MPS2_BOARD_NAME="${MXP_BOARD}"
    MXP_MPS2_CPU_NAME="${MXP_CPU_NAME}"
    MXP_MPS2_CPU_HZ=${MXP_MPS2_CPU_HZ}u
    MXP_MPS2_UART0_BASE=${MXP_MPS2_UART0_BASE}u
    MXP_MPS2_LAN9118_BASE=${MXP_MPS2_LAN9118_BASE}u
    MXP_MPS2_TIMER0_BASE=${MXP_MPS2_TIMER0_BASE}u
    MXP_MPS2_TIMER_HZ=${MXP_MPS2_TIMER_HZ}u
    # QEMU implements semihosting SYS_EXIT; without -semihosting-config the
    # fault handler turns the call into a no-op.
    MXP_BOARD_SEMIHOSTING=1)

set(MXP_LD_FLASH_ORIGIN "${MXP_MPS2_FLASH_ORIGIN}")
set(MXP_LD_RAM_ORIGIN "${MXP_MPS2_RAM_ORIGIN}")
set(MXP_LD_FLASH_SIZE "${MXP_BOARD_FLASH_SIZE}")
set(MXP_LD_RAM_SIZE "${MXP_BOARD_RAM_SIZE}")
set(MXP_LD_STACK_SIZE "${MXP_BOARD_STACK_SIZE}")
set(MXP_LD_HEAP_MIN "${MXP_BOARD_HEAP_MIN}")
set(MXP_BOARD_LINKER_SCRIPT "${CMAKE_BINARY_DIR}/${MXP_BOARD}.ld")
configure_file("${_mps2}/mxp_mps2.ld.in" "${MXP_BOARD_LINKER_SCRIPT}" @ONLY)
message(STATUS "Board ${MXP_BOARD} (${MXP_CPU_NAME}): flash ${MXP_BOARD_FLASH_SIZE} at "
               "${MXP_MPS2_FLASH_ORIGIN}, RAM ${MXP_BOARD_RAM_SIZE} at ${MXP_MPS2_RAM_ORIGIN} "
               "(stack ${MXP_BOARD_STACK_SIZE})")

# Everything (wolfSSL and lwIP included): sections the linker can drop,
# debug info for gdb (not in the image), newlib-nano without its crt0 (the
# reset handler in board/common starts the program).
add_compile_options(-ffunction-sections -fdata-sections -g)
add_link_options(--specs=nano.specs -nostartfiles -Wl,--gc-sections -Wl,--print-memory-usage)
unset(_mps2)
unset(_common)

# Link-time optimisation of every target (wolfSSL and lwIP included), as on
# the appliances: the path diagnostics of issue 4 (DNS client, MTU search,
# their reports) fit in the 256 KiB budget only with it. (CMake's
# check_ipo_supported() cannot link a test program without our startup code.)
set(CMAKE_INTERPROCEDURAL_OPTIMIZATION ON)
