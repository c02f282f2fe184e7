# Shared part of the Linux appliance boards (linux-aarch64, linux-armhf,
# linux-mipsel with Debian's glibc; linux-mipsel-24kc, linux-mips-24kc,
# linux-armv5 soft-float on musl): a router or appliance that runs Linux and
# is reached over SSH. The program is board/linux's (its main.c and
# mxp_config.h over port/posix), built by a Debian cross compiler as one
# static, stripped `mxprobe` that needs nothing from the box's own libraries
# (musl, uClibc or another glibc): copy it over and run it.
#
# A board/<name>/board.cmake sets these, then includes this:
#   MXP_APPLIANCE_TRIPLE     GNU triple of its compiler, <triple>-gcc
#   MXP_APPLIANCE_TOOLCHAIN  its toolchain file, toolchain/<name>.cmake
#                            (default: the triple, the glibc toolchains)
#   MXP_APPLIANCE_CPU        toolchain/cpu/<cpu>.cmake to use
#   MXP_APPLIANCE_QEMU_CPU   optional: the CPU QEMU user mode emulates for the
#                            tests (qemu -cpu; default: QEMU's, which has an FPU)
#   MXP_APPLIANCE_FLOAT      optional: `soft`: the binary must be soft-float
#                            throughout (appliance.binary test)
#   MXP_APPLIANCE_MAX_BYTES  optional: size limit of the binary (default 1 MiB)
include_guard(GLOBAL)

if(NOT DEFINED MXP_APPLIANCE_TOOLCHAIN)
    set(MXP_APPLIANCE_TOOLCHAIN "${MXP_APPLIANCE_TRIPLE}")
endif()
get_filename_component(_mxp_tc "${CMAKE_TOOLCHAIN_FILE}" NAME)
if(NOT CMAKE_C_COMPILER MATCHES "${MXP_APPLIANCE_TRIPLE}-gcc"
   OR NOT _mxp_tc STREQUAL "${MXP_APPLIANCE_TOOLCHAIN}.cmake")
    message(FATAL_ERROR
        "Board ${MXP_BOARD} needs toolchain/${MXP_APPLIANCE_TOOLCHAIN}.cmake "
        "(${MXP_APPLIANCE_TRIPLE}-gcc), but the toolchain file is '${CMAKE_TOOLCHAIN_FILE}' "
        "and the compiler ${CMAKE_C_COMPILER}.\nUse the preset (cmake --preset ${MXP_BOARD}) or "
        "configure a fresh build directory with "
        "-DCMAKE_TOOLCHAIN_FILE=toolchain/${MXP_APPLIANCE_TOOLCHAIN}.cmake "
        "(the Debian packages: toolchain/install-deps.sh).")
endif()
unset(_mxp_tc)
include("${CMAKE_SOURCE_DIR}/toolchain/cpu/${MXP_APPLIANCE_CPU}.cmake")
# The emulated CPU: the board's, so that a router without an FPU is tested
# on a CPU without one (the integration tests and appliance.binary run the
# program under CMAKE_CROSSCOMPILING_EMULATOR).
if(DEFINED MXP_APPLIANCE_QEMU_CPU AND CMAKE_CROSSCOMPILING_EMULATOR)
    list(APPEND CMAKE_CROSSCOMPILING_EMULATOR -cpu "${MXP_APPLIANCE_QEMU_CPU}")
endif()
if(NOT DEFINED MXP_APPLIANCE_MAX_BYTES)
    set(MXP_APPLIANCE_MAX_BYTES 1048576)
endif()
if(NOT DEFINED MXP_APPLIANCE_FLOAT)
    set(MXP_APPLIANCE_FLOAT any)
endif()

# ---- board contract (board/linux/board.cmake documents it) -----------------
set(_linux "${CMAKE_SOURCE_DIR}/board/linux")
set(MXP_BOARD_CONFIG_DIR "${_linux}")
set(MXP_BOARD_PORTS posix)
# An OS board: the `mxprobe` program and its integration tests, run here
# under QEMU user-mode emulation (the toolchain's CMAKE_CROSSCOMPILING_EMULATOR);
# the unit tests and fuzzers stay with the native build.
set(MXP_BOARD_HOST TRUE)
set(MXP_BOARD_SOURCES "${_linux}/main.c")
set(MXP_BOARD_INCLUDE_DIRS "${_linux}")
# Same chain depth as board/linux (about 18 KB per connection, two at once):
# a router has megabytes, and a long chain must be observed, not refused.
# MXP_WOLFSSL_SMALL: the size-over-speed choices of user_settings.h (compact
# SP math, small AES tables, rolled SHA loops, no error strings), the same
# versions, suites and groups; the 1 MiB per binary target needs them.
set(MXP_WOLFSSL_DEFINITIONS MAX_CHAIN_DEPTH=9 MXP_WOLFSSL_SMALL=1)
message(STATUS "Board ${MXP_BOARD} (${MXP_CPU_NAME}): static, stripped mxprobe, "
               "at most ${MXP_APPLIANCE_MAX_BYTES} bytes")

# Static: the router's libc (often musl or uClibc) is never used, and names
# are resolved by port/posix itself (/etc/hosts, /etc/resolv.conf), so no
# glibc NSS code is linked in (README, "On a Linux router").
# Stripped at link time (-s). Size, as board/linux plus: no unwind tables
# (C code that never unwinds; .eh_frame was a tenth of the aarch64 binary)
# and position-dependent code, which a static executable is anyway (-fPIE,
# Debian's default, costs GOT loads: 2% of the MIPS binary).
add_compile_options(-ffunction-sections -fdata-sections
                    -fno-asynchronous-unwind-tables -fno-unwind-tables -fno-pie)
add_link_options(-static -no-pie -s -Wl,--gc-sections)
# Link-time optimisation of every target (wolfSSL included): another 2-3% of
# the code, which is what brings aarch64 under 1 MiB.
include(CheckIPOSupported)
check_ipo_supported(RESULT _mxp_ipo OUTPUT _mxp_ipo_why LANGUAGES C)
if(NOT _mxp_ipo)
    message(FATAL_ERROR "Board ${MXP_BOARD}: the compiler cannot do LTO: ${_mxp_ipo_why}")
endif()
set(CMAKE_INTERPROCEDURAL_OPTIMIZATION ON)
unset(_linux)
unset(_mxp_ipo)
unset(_mxp_ipo_why)
