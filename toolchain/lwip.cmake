# lwIP 2.1.3 (NO_SYS=1, raw API, IPv4) and mxprobe's lwIP port, built from the
# verified sources that toolchain/fetch-deps.sh unpacks into ${MXP_DEPS_DIR}/lwip.
#
# Included by the top-level CMakeLists.txt, after wolfSSL.
#
#  - Boards that list `lwip` in MXP_BOARD_PORTS get mxp_lwip: lwIP core plus
#    port/lwip/mxp_lwip_sys.c (sys_now, LWIP_RAND, assert output), configured
#    by port/lwip/lwipopts.h. port/lwip/CMakeLists.txt adds mxp_port_lwip, the
#    HAL network implementation. Both call the board interface
#    (board/common/mxp_board.h) that the board's sources in the image implement.
#  - Host boards get mxp_lwip_host_test(<target>): the same stack and port
#    built for the host with loopback to the netif's own address
#    (MXP_LWIP_HOST_TEST, see lwipopts.h) as mxp_lwip_host/mxp_port_lwip_host,
#    linked into the test, which supplies the board functions itself.
#
# lwIP is third-party code: its warnings are silenced (per source, so the
# sys_arch file next to it keeps ours) and our targets see its headers as
# SYSTEM includes.

include_guard(GLOBAL)

include("${CMAKE_CURRENT_LIST_DIR}/deps.cmake")
mxp_require_source(lwip src/include/lwip/init.h MXP_LWIP_DIR)

set(MXP_LWIP_SRC "${MXP_LWIP_DIR}/src")
# Core for NO_SYS=1: no api/ (netconn, sockets), no apps, no IPv6, no PPP.
set(MXP_LWIP_SOURCES
    ${MXP_LWIP_SRC}/core/init.c
    ${MXP_LWIP_SRC}/core/def.c
    ${MXP_LWIP_SRC}/core/dns.c
    ${MXP_LWIP_SRC}/core/inet_chksum.c
    ${MXP_LWIP_SRC}/core/ip.c
    ${MXP_LWIP_SRC}/core/mem.c
    ${MXP_LWIP_SRC}/core/memp.c
    ${MXP_LWIP_SRC}/core/netif.c
    ${MXP_LWIP_SRC}/core/pbuf.c
    ${MXP_LWIP_SRC}/core/raw.c
    ${MXP_LWIP_SRC}/core/stats.c
    ${MXP_LWIP_SRC}/core/sys.c
    ${MXP_LWIP_SRC}/core/tcp.c
    ${MXP_LWIP_SRC}/core/tcp_in.c
    ${MXP_LWIP_SRC}/core/tcp_out.c
    ${MXP_LWIP_SRC}/core/timeouts.c
    ${MXP_LWIP_SRC}/core/udp.c
    ${MXP_LWIP_SRC}/core/ipv4/dhcp.c
    ${MXP_LWIP_SRC}/core/ipv4/etharp.c
    ${MXP_LWIP_SRC}/core/ipv4/icmp.c
    ${MXP_LWIP_SRC}/core/ipv4/ip4.c
    ${MXP_LWIP_SRC}/core/ipv4/ip4_addr.c
    ${MXP_LWIP_SRC}/core/ipv4/ip4_frag.c
    ${MXP_LWIP_SRC}/netif/ethernet.c
)
# Their code, their warnings; shorter __FILE__ in assertion strings (flash).
set_source_files_properties(${MXP_LWIP_SOURCES} PROPERTIES
    COMPILE_OPTIONS "-w;-fmacro-prefix-map=${MXP_LWIP_SRC}/=lwip/")

set(MXP_LWIP_PORT_DIR "${CMAKE_SOURCE_DIR}/port/lwip")
set(_mxp_lwip_sys "${MXP_LWIP_PORT_DIR}/mxp_lwip_sys.c")
set_source_files_properties("${_mxp_lwip_sys}" PROPERTIES COMPILE_OPTIONS "${MXP_WARNINGS}")

# mxp_lwip_add(<target> [definitions...]): lwIP core + our sys_arch file.
function(mxp_lwip_add lib)
    add_library(${lib} STATIC ${MXP_LWIP_SOURCES} "${_mxp_lwip_sys}")
    target_include_directories(${lib} SYSTEM PUBLIC "${MXP_LWIP_PORT_DIR}" "${MXP_LWIP_SRC}/include")
    target_include_directories(${lib} PRIVATE "${CMAKE_SOURCE_DIR}/board/common")
    target_compile_definitions(${lib} PUBLIC ${ARGN})
endfunction()

# The HAL network implementation over it: mxp_port_lwip, defined in
# port/lwip/CMakeLists.txt (the top level adds that directory for lwip boards).
if("lwip" IN_LIST MXP_BOARD_PORTS)
    mxp_lwip_add(mxp_lwip)
endif()

# Link a host unit test against lwIP and the port built for the host
# (MXP_BOARD_HOST only); the test implements the board functions itself.
function(mxp_lwip_host_test test)
    if(NOT TARGET mxp_port_lwip_host)
        mxp_lwip_add(mxp_lwip_host MXP_LWIP_HOST_TEST=1)
        add_library(mxp_port_lwip_host STATIC "${MXP_LWIP_PORT_DIR}/mxp_lwip_net.c")
        target_include_directories(mxp_port_lwip_host PUBLIC "${MXP_LWIP_PORT_DIR}")
        target_include_directories(mxp_port_lwip_host PRIVATE "${CMAKE_SOURCE_DIR}/board/common")
        target_link_libraries(mxp_port_lwip_host PUBLIC mxp_lwip_host mxp_hal)
        mxp_own_code(mxp_port_lwip_host)
    endif()
    target_include_directories(${test} PRIVATE "${CMAKE_SOURCE_DIR}/board/common")
    target_link_libraries(${test} PRIVATE mxp_port_lwip_host)
endfunction()
