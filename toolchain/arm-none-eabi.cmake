# Toolchain: GNU Arm Embedded (arm-none-eabi-gcc, Debian's gcc-arm-none-eabi
# with libnewlib-arm-none-eabi). Describes the compiler only; CPU flags live
# in toolchain/cpu/<cpu>.cmake and are chosen by the board's board.cmake.
#
#   cmake --preset mps2-an385        (the presets set this file)
#   cmake -DCMAKE_TOOLCHAIN_FILE=toolchain/arm-none-eabi.cmake -DMXP_BOARD=mps2-an385 ...

set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(MXP_CROSS_PREFIX "arm-none-eabi-" CACHE STRING "Prefix of the cross tools")
find_program(CMAKE_C_COMPILER "${MXP_CROSS_PREFIX}gcc" REQUIRED)
find_program(CMAKE_OBJCOPY "${MXP_CROSS_PREFIX}objcopy" REQUIRED)
find_program(CMAKE_SIZE "${MXP_CROSS_PREFIX}size")
set(CMAKE_ASM_COMPILER "${CMAKE_C_COMPILER}")

# No OS to run a test executable on: compiler checks link a static library.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# Never pick up host libraries or headers.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
