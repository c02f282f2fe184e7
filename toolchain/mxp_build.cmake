# Build settings every part of mxprobe shares: the warning set of our own code
# (STYLE.md, like lwIP's CMakeCommon.cmake), and the sanitizer / fuzzer
# instrumentation, which applies to wolfSSL and lwIP too and so is set up
# before any library target exists.
include_guard(GLOBAL)

set(CMAKE_C_STANDARD 11)
set(CMAKE_C_STANDARD_REQUIRED ON)
set(CMAKE_C_EXTENSIONS OFF)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)

option(MXP_SANITIZE "Build everything (wolfSSL included) with ASan + UBSan" OFF)
option(MXP_FUZZ "Build the libFuzzer targets in tests/fuzz (clang only)" OFF)
option(MXP_TESTS "Register the test suites (their tools must be installed: make deps)" ON)

if(MXP_SANITIZE OR MXP_FUZZ)
    set(_mxp_san -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
    add_compile_options(${_mxp_san})
    add_link_options(${_mxp_san})
    unset(_mxp_san)
endif()
if(MXP_FUZZ)
    if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
        message(FATAL_ERROR "MXP_FUZZ needs clang (libFuzzer); use the `fuzz` preset (clang-14).")
    endif()
    # Coverage instrumentation for every library; only fuzz_* link the driver.
    add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# Our warning set; third-party code never gets it.
set(MXP_WARNINGS
    -Wall -Wextra -Werror -Wshadow -Wundef -Wcast-align
    -Wmissing-prototypes -Wstrict-prototypes)
function(mxp_own_code target)
    target_compile_options(${target} PRIVATE ${MXP_WARNINGS})
endfunction()

# mxp_sources(<out var> <dir> <file>...): <dir>/<file> for each file, and a
# configure error naming the first one that does not exist (explicit source
# lists: a file that was moved or deleted fails here, not as a link error).
function(mxp_sources out dir)
    set(_list "")
    foreach(_f IN LISTS ARGN)
        if(NOT EXISTS "${dir}/${_f}")
            file(RELATIVE_PATH _rel "${CMAKE_SOURCE_DIR}" "${dir}/${_f}")
            message(FATAL_ERROR "${CMAKE_CURRENT_LIST_FILE}: source ${_rel} does not exist")
        endif()
        list(APPEND _list "${dir}/${_f}")
    endforeach()
    set(${out} "${_list}" PARENT_SCOPE)
endfunction()

# mxp_require_program(<var> <name> <debian package> [why]): find a tool a test
# suite needs, or stop with the package to install (MXP_TESTS=OFF skips the
# suites altogether).
function(mxp_require_program var name package)
    find_program(${var} ${name} HINTS /usr/bin /usr/sbin /sbin)
    if(NOT ${var})
        message(FATAL_ERROR
            "${name} not found: the ${ARGN} tests need it (Debian: apt-get install ${package}; "
            "`make deps` installs everything). Configure with -DMXP_TESTS=OFF to build "
            "without registering the tests.")
    endif()
endfunction()
