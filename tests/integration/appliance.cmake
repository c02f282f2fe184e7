# Cross builds (the linux-<arch> appliance boards): the binary itself -
# static, stripped, within the board's size limit, soft-float throughout
# where the board says so, and starting under the emulated CPU
# (check_appliance.py; label appliance; needs no fixtures). The board sets
# MXP_APPLIANCE_MAX_BYTES and MXP_APPLIANCE_FLOAT
# (board/appliance-common/mxp_appliance.cmake). Included by CMakeLists.txt
# here, which has found python3 (${_py}).
if(NOT CMAKE_CROSSCOMPILING OR NOT DEFINED MXP_APPLIANCE_MAX_BYTES OR NOT TARGET mxprobe)
    return()
endif()
if(NOT CMAKE_CROSSCOMPILING_EMULATOR)
    message(STATUS "appliance.binary: no emulator to run ${MXP_BOARD}'s mxprobe "
                   "(apt-get install qemu-user-static): not registered")
    return()
endif()
set(_readelf "${CMAKE_READELF}")
if(NOT _readelf)
    set(_readelf readelf)
endif()
list(JOIN CMAKE_CROSSCOMPILING_EMULATOR " " _appliance_emu)
add_test(NAME appliance.binary
         COMMAND ${_py} ${CMAKE_CURRENT_LIST_DIR}/check_appliance.py
                 --emulator "${_appliance_emu}" --max-bytes ${MXP_APPLIANCE_MAX_BYTES}
                 --float ${MXP_APPLIANCE_FLOAT} --readelf "${_readelf}"
                 $<TARGET_FILE:mxprobe>)
set_tests_properties(appliance.binary PROPERTIES LABELS appliance TIMEOUT 120)
unset(_readelf)
unset(_appliance_emu)
