# Shared part of the soft-float router toolchain files (mipsel-linux-musl.cmake,
# mips-linux-musl.cmake, arm-linux-musleabi.cmake): Debian's GNU cross compiler
# for the CPU family, with a static musl libc and a soft-float compiler runtime
# in place of Debian's glibc and libgcc, which are hard-float on MIPS. The
# sysroot comes from toolchain/build-sysroot.sh, run here at configure time
# into <build dir>/sysroot (about half a minute for MIPS, once; then it only
# compares its recipe). Describes the compiler and libc only: CPU flags live
# in toolchain/cpu/<cpu>.cmake, static linking and stripping in the board.
#
# A toolchain file sets, then includes this:
#   MXP_CROSS_TRIPLE       Debian's gcc triple: <triple>-gcc and its binutils
#   MXP_CROSS_PROCESSOR    CMAKE_SYSTEM_PROCESSOR
#   MXP_SYSROOT_TARGET     build-sysroot.sh's target (mipsel-24kc, mips-24kc, armv5)
#   MXP_QEMU_USER_ARCH     qemu-<arch>-static (qemu-user-static) or qemu-<arch> (qemu-user);
#                          the board adds the CPU to emulate (-cpu, MXP_APPLIANCE_QEMU_CPU)
#
# Cache: MXP_SYSROOT (default <build dir>/sysroot) to use a sysroot built
# elsewhere; MXP_DEPS_DIR (toolchain/deps.cmake) for the musl and compiler-rt
# sources.

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR "${MXP_CROSS_PROCESSOR}")

set(MXP_CROSS_PREFIX "${MXP_CROSS_TRIPLE}-" CACHE STRING "Prefix of the cross tools")
find_program(CMAKE_C_COMPILER "${MXP_CROSS_PREFIX}gcc" REQUIRED)

# try_compile projects (compiler checks, the LTO check) read this file again
# in the same CMake process: they take the caller's sysroot from the
# environment and never build one of their own.
get_property(_mxp_in_try_compile GLOBAL PROPERTY IN_TRY_COMPILE)
if(_mxp_in_try_compile)
    set(MXP_SYSROOT "$ENV{MXP_SYSROOT}")
else()
    set(MXP_SYSROOT "${CMAKE_BINARY_DIR}/sysroot" CACHE PATH
        "Soft-float musl sysroot of toolchain/build-sysroot.sh ${MXP_SYSROOT_TARGET}")
    set(ENV{MXP_SYSROOT} "${MXP_SYSROOT}")
    if(DEFINED MXP_DEPS_DIR)
        set(_mxp_deps "${MXP_DEPS_DIR}")
    elseif(DEFINED ENV{MXP_DEPS_DIR})
        set(_mxp_deps "$ENV{MXP_DEPS_DIR}")
    else()
        get_filename_component(_mxp_deps "${CMAKE_CURRENT_LIST_DIR}/../.deps" ABSOLUTE)
    endif()
    # Once per CMake run (CMake reads a toolchain file more than once).
    get_property(_mxp_done GLOBAL PROPERTY MXP_SYSROOT_CHECKED)
    if(NOT _mxp_done)
        execute_process(
            COMMAND "${CMAKE_CURRENT_LIST_DIR}/build-sysroot.sh" "${MXP_SYSROOT_TARGET}"
                    "${MXP_SYSROOT}" "${_mxp_deps}"
            RESULT_VARIABLE _mxp_rc)
        if(NOT _mxp_rc EQUAL 0)
            message(FATAL_ERROR
                "toolchain/build-sysroot.sh ${MXP_SYSROOT_TARGET} ${MXP_SYSROOT} failed (exit "
                "${_mxp_rc}): see its message above. It needs the Debian packages that "
                "toolchain/install-deps.sh installs and the musl / llvm-toolchain-14 source "
                "packages (toolchain/fetch-deps.sh).")
        endif()
        set_property(GLOBAL PROPERTY MXP_SYSROOT_CHECKED TRUE)
    endif()
    unset(_mxp_done)
    unset(_mxp_deps)
    unset(_mxp_rc)
endif()
if(NOT EXISTS "${MXP_SYSROOT}/mxp-musl.specs")
    message(FATAL_ERROR "No soft-float sysroot at '${MXP_SYSROOT}' (toolchain/build-sysroot.sh)")
endif()
unset(_mxp_in_try_compile)

# Every compile and link goes through the sysroot's specs: musl's headers and
# the kernel's, musl's start files and libc.a, the soft-float runtime, and
# nothing from the cross glibc in /usr/<triple>. CMake passes CMAKE_C_FLAGS
# to the link too (a spec file read twice is an error, so only here).
set(CMAKE_C_FLAGS_INIT "-specs=${MXP_SYSROOT}/mxp-musl.specs")

set(CMAKE_FIND_ROOT_PATH "${MXP_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Target programs run here under QEMU user-mode emulation (as in
# linux-gnu-cross.cmake); the board names the CPU, so that a build for a
# router without an FPU is tested on an emulated CPU without one.
find_program(MXP_QEMU_USER NAMES "qemu-${MXP_QEMU_USER_ARCH}-static" "qemu-${MXP_QEMU_USER_ARCH}"
             DOC "QEMU user-mode emulator for the target (Debian: qemu-user-static or qemu-user)")
if(MXP_QEMU_USER)
    set(CMAKE_CROSSCOMPILING_EMULATOR "${MXP_QEMU_USER}")
endif()
