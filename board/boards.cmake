# The boards mxprobe builds for, one build tree each (-DMXP_BOARD=<name>, or
# the preset of the same name in CMakePresets.json). Included by the
# top-level CMakeLists.txt before project(), so a wrong name stops the
# configure before any compiler is looked at.
#
# A board is a directory board/<name>/ with a board.cmake (the contract is
# documented in board/linux/board.cmake); adding one means adding it here.
include_guard(GLOBAL)

set(MXP_BOARDS
    # Linux: the host build, and static builds for routers and appliances
    linux
    linux-aarch64
    linux-armhf
    linux-mipsel
    linux-mipsel-24kc
    linux-mips-24kc
    linux-armv5
    # Cortex-M firmware under qemu-system-arm: the MPS2 FPGA boards and a
    # real part, TI's Stellaris LM3S6965 (64 KiB of SRAM)
    mps2-an385
    mps2-an386
    mps2-an505
    lm3s6965evb)

set(MXP_BOARD "linux" CACHE STRING "Target board: one of board/boards.cmake's MXP_BOARDS")
set_property(CACHE MXP_BOARD PROPERTY STRINGS ${MXP_BOARDS})
if(NOT MXP_BOARD IN_LIST MXP_BOARDS)
    list(JOIN MXP_BOARDS ", " _mxp_valid)
    message(FATAL_ERROR
        "MXP_BOARD='${MXP_BOARD}' is not a known board.\n"
        "Valid boards: ${_mxp_valid}\n"
        "Pick one with -DMXP_BOARD=<name> or a preset (cmake --list-presets). A new board "
        "needs board/<name>/board.cmake and an entry in board/boards.cmake.")
endif()
foreach(_mxp_b IN LISTS MXP_BOARDS)
    if(NOT EXISTS "${CMAKE_CURRENT_LIST_DIR}/${_mxp_b}/board.cmake")
        message(FATAL_ERROR "board/boards.cmake lists '${_mxp_b}', but "
                            "board/${_mxp_b}/board.cmake does not exist")
    endif()
endforeach()
unset(_mxp_b)
