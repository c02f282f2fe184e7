# Third-party sources (wolfSSL, lwIP) come from toolchain/fetch-deps.sh, which
# verifies Debian's upstream tarballs by sha256 and unpacks them into
# ${MXP_DEPS_DIR}/<name>, leaving a .verified-<sha256> marker next to each tree.
include_guard(GLOBAL)

set(MXP_DEPS_DIR "${CMAKE_SOURCE_DIR}/.deps" CACHE PATH
    "Cache of third-party sources fetched and verified by toolchain/fetch-deps.sh")

# mxp_require_source(<name> <file inside the tree> <out var>): make sure the
# verified tree ${MXP_DEPS_DIR}/<name> exists (running fetch-deps.sh once if
# not) and set <out var> to its directory; stop with instructions otherwise.
function(mxp_require_source name probe out_var)
    set(_dir "${MXP_DEPS_DIR}/${name}")
    file(GLOB _marker "${_dir}/.verified-*")
    if(NOT EXISTS "${_dir}/${probe}" OR NOT _marker)
        message(STATUS "${name} sources missing in ${_dir}: running toolchain/fetch-deps.sh")
        execute_process(COMMAND "${CMAKE_SOURCE_DIR}/toolchain/fetch-deps.sh" "${MXP_DEPS_DIR}"
                        RESULT_VARIABLE _rc)
        if(NOT _rc EQUAL 0 OR NOT EXISTS "${_dir}/${probe}")
            message(FATAL_ERROR
                "Could not fetch ${name} into ${_dir} (fetch-deps.sh exit: ${_rc}).\n"
                "Run `toolchain/fetch-deps.sh ${MXP_DEPS_DIR}` by hand (it needs apt-get source "
                "and a Debian deb-src entry, which it adds itself when run as root), or point "
                "-DMXP_DEPS_DIR=<dir> at a cache that already holds wolfssl/ and lwip/.")
        endif()
    endif()
    set(${out_var} "${_dir}" PARENT_SCOPE)
endfunction()
