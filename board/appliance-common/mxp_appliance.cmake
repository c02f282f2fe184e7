# Shared part of the Linux appliance boards (linux-aarch64, linux-armhf,
# linux-mipsel): a router or appliance that runs Linux and is reached over
# SSH. The program is board/linux's (its main.c and mxp_config.h over
# port/posix), built by a Debian cross compiler as one static, stripped
# `mxprobe` that needs nothing from the box's own libraries (musl, uClibc or
# another glibc): copy it over and run it.
#
# A board/<name>/board.cmake sets these, then includes this:
#   MXP_APPLIANCE_TRIPLE    GNU triple of its toolchain file, toolchain/<triple>.cmake
#   MXP_APPLIANCE_CPU       toolchain/cpu/<cpu>.cmake to use
include_guard(GLOBAL)

if(NOT CMAKE_C_COMPILER MATCHES "${MXP_APPLIANCE_TRIPLE}-gcc")
    message(FATAL_ERROR
        "Board ${MXP_BOARD} needs the ${MXP_APPLIANCE_TRIPLE} toolchain, but the compiler is "
        "${CMAKE_C_COMPILER}.\nUse the preset (cmake --preset ${MXP_BOARD}) or configure a fresh "
        "build directory with -DCMAKE_TOOLCHAIN_FILE=toolchain/${MXP_APPLIANCE_TRIPLE}.cmake "
        "(Debian: apt-get install gcc-${MXP_APPLIANCE_TRIPLE} and its libc6-dev-*-cross).")
endif()
include("${CMAKE_SOURCE_DIR}/toolchain/cpu/${MXP_APPLIANCE_CPU}.cmake")

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
message(STATUS "Board ${MXP_BOARD} (${MXP_CPU_NAME}): static, stripped mxprobe")

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
