# Board: linux - any Linux host or appliance, kernel sockets, glibc.
#
# Included by the top-level CMakeLists.txt after project(); listed in
# board/boards.cmake. A board file sets:
#   MXP_BOARD_CONFIG_DIR     directory holding the board's mxp_config.h
#   MXP_BOARD_PORTS          port/<name> libraries the board links (posix, baremetal, lwip)
#   MXP_BOARD_SOURCES        every source of the program or image, explicitly
#   MXP_BOARD_HOST           TRUE for a board with an OS: the `mxprobe` program from
#                            MXP_BOARD_SOURCES (with MXP_BOARD_INCLUDE_DIRS), its
#                            integration tests, and the unit tests and fuzzers unless
#                            cross-compiling (a cross build runs under
#                            CMAKE_CROSSCOMPILING_EMULATOR)
#   MXP_WOLFSSL_DEFINITIONS  sizing knobs for user_settings.h (never features)
# and may add compile/link options that apply to every target, wolfSSL included.
# A board whose MXP_BOARD_HOST is FALSE builds the firmware image `mxprobe-fw`
# (ELF, .bin, .map) from MXP_BOARD_SOURCES (startup, drivers, main.c from
# board/common and board/<family>-common) and:
#   MXP_BOARD_LWIP_SOURCES   sources that include lwIP headers (built only with lwIP)
#   MXP_BOARD_INCLUDE_DIRS   their include directories (board/common holds mxp_board.h)
#   MXP_BOARD_DEFINITIONS    compile definitions of the board sources
#   MXP_BOARD_LINKER_SCRIPT  the image's linker script
#   MXP_BOARD_QEMU_MACHINE   optional: qemu-system-arm -M value, enables tests/qemu

set(MXP_BOARD_CONFIG_DIR "${CMAKE_CURRENT_LIST_DIR}")
set(MXP_BOARD_PORTS posix)
set(MXP_BOARD_HOST TRUE)
set(MXP_BOARD_SOURCES "${CMAKE_CURRENT_LIST_DIR}/main.c")
set(MXP_BOARD_INCLUDE_DIRS "${CMAKE_CURRENT_LIST_DIR}")

# RAM is cheap here: keep up to 9 chain certificates (wolfSSL's own default,
# about 18 KB per connection) so a server sending a long chain is observed,
# not refused with MAX_CHAIN_ERROR.
set(MXP_WOLFSSL_DEFINITIONS MAX_CHAIN_DEPTH=9)

# Size-conscious builds on Linux too: let the linker drop unused functions
# (wolfSSL has many). -Os itself comes from the MinSizeRel build type.
add_compile_options(-ffunction-sections -fdata-sections)
add_link_options(-Wl,--gc-sections)
