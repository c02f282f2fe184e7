# Shared part of the Linux cross toolchain files (aarch64-linux-gnu.cmake,
# arm-linux-gnueabihf.cmake, mipsel-linux-gnu.cmake): Debian's GNU cross
# compiler for one target triple, with glibc for that target
# (libc6-dev-<arch>-cross), and QEMU user-mode emulation to run its programs
# on the build machine. Describes the compiler only: CPU flags live in
# toolchain/cpu/<cpu>.cmake, static linking and stripping in the board.
#
# A toolchain file sets, then includes this:
#   MXP_CROSS_TRIPLE       the GNU triple: <triple>-gcc, /usr/<triple> (Debian's sysroot)
#   MXP_CROSS_PROCESSOR    CMAKE_SYSTEM_PROCESSOR
#   MXP_QEMU_USER_ARCH     qemu-<arch>-static (qemu-user-static) or qemu-<arch> (qemu-user)

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR "${MXP_CROSS_PROCESSOR}")

set(MXP_CROSS_PREFIX "${MXP_CROSS_TRIPLE}-" CACHE STRING "Prefix of the cross tools")
find_program(CMAKE_C_COMPILER "${MXP_CROSS_PREFIX}gcc" REQUIRED)

# Debian installs the target's headers and libraries under /usr/<triple>;
# never pick up the build machine's.
set(CMAKE_FIND_ROOT_PATH "/usr/${MXP_CROSS_TRIPLE}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Target programs run here under QEMU user-mode emulation: CTest prefixes
# every test command that is one of our executables with it, and tests that
# start the program themselves get it passed on (tests/integration).
# No -L sysroot: the programs are static, and the target's shared glibc
# (NSS modules included) stays out of reach, as on a router.
find_program(MXP_QEMU_USER NAMES "qemu-${MXP_QEMU_USER_ARCH}-static" "qemu-${MXP_QEMU_USER_ARCH}"
             DOC "QEMU user-mode emulator for the target (Debian: qemu-user-static or qemu-user)")
if(MXP_QEMU_USER)
    set(CMAKE_CROSSCOMPILING_EMULATOR "${MXP_QEMU_USER}")
endif()
