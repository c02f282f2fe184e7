# wolfSSL 5.5.4 as the static library `mxp_wolfssl`, built from the verified
# sources that toolchain/fetch-deps.sh unpacks into ${MXP_DEPS_DIR}/wolfssl.
#
# Only the sources a TLS 1.0-1.3 client needs are compiled, with the project's
# one configuration (port/wolfssl/user_settings.h). It is third-party code:
# its warnings are silenced and never fail the build; our targets see its
# headers as SYSTEM includes for the same reason.
#
# Inputs:  MXP_DEPS_DIR                 cache dir of fetched sources
#          MXP_WOLFSSL_DEFINITIONS      board sizing knobs (e.g. MAX_CHAIN_DEPTH=8),
#                                       PUBLIC so every includer sees the same layout
# Output:  target mxp_wolfssl

include_guard(GLOBAL)

include("${CMAKE_CURRENT_LIST_DIR}/deps.cmake")
mxp_require_source(wolfssl wolfssl/ssl.h MXP_WOLFSSL_DIR)

# The engine must see user_settings.h (it includes wolfSSL headers) but not the
# rest of port/wolfssl/, so the one file is copied into a directory of its own.
set(_mxp_wolfssl_cfg_dir "${CMAKE_BINARY_DIR}/mxp_wolfssl_config")
configure_file("${CMAKE_SOURCE_DIR}/port/wolfssl/user_settings.h"
               "${_mxp_wolfssl_cfg_dir}/user_settings.h" COPYONLY)

set(_w "${MXP_WOLFSSL_DIR}")
set(MXP_WOLFSSL_SOURCES
    # TLS
    ${_w}/src/internal.c
    ${_w}/src/keys.c
    ${_w}/src/ssl.c        # #includes ssl_misc.c, pk.c, bio.c, x509.c, x509_str.c, conf.c
    ${_w}/src/tls.c
    ${_w}/src/tls13.c
    ${_w}/src/wolfio.c
    # wolfCrypt: symmetric
    ${_w}/wolfcrypt/src/aes.c
    ${_w}/wolfcrypt/src/chacha.c
    ${_w}/wolfcrypt/src/chacha20_poly1305.c
    ${_w}/wolfcrypt/src/des3.c
    ${_w}/wolfcrypt/src/poly1305.c
    # wolfCrypt: hashes, MACs, KDFs
    ${_w}/wolfcrypt/src/hash.c
    ${_w}/wolfcrypt/src/hmac.c
    ${_w}/wolfcrypt/src/kdf.c
    ${_w}/wolfcrypt/src/md5.c
    ${_w}/wolfcrypt/src/sha.c
    ${_w}/wolfcrypt/src/sha256.c
    ${_w}/wolfcrypt/src/sha512.c
    # wolfCrypt: public key and math
    ${_w}/wolfcrypt/src/curve25519.c
    ${_w}/wolfcrypt/src/fe_low_mem.c     # X25519 with CURVE25519_SMALL
    ${_w}/wolfcrypt/src/dh.c
    ${_w}/wolfcrypt/src/ecc.c
    ${_w}/wolfcrypt/src/rsa.c
    ${_w}/wolfcrypt/src/sp_int.c
    ${_w}/wolfcrypt/src/sp_c32.c         # SP code for 32-bit words (empty on 64-bit)
    ${_w}/wolfcrypt/src/sp_c64.c         # SP code for 64-bit words (empty on 32-bit)
    ${_w}/wolfcrypt/src/wolfmath.c
    # wolfCrypt: certificates, RNG glue, support
    ${_w}/wolfcrypt/src/asn.c
    ${_w}/wolfcrypt/src/coding.c
    ${_w}/wolfcrypt/src/error.c
    ${_w}/wolfcrypt/src/logging.c
    ${_w}/wolfcrypt/src/memory.c
    ${_w}/wolfcrypt/src/random.c
    ${_w}/wolfcrypt/src/wc_encrypt.c
    ${_w}/wolfcrypt/src/wc_port.c
)
# misc.c and evp.c are #included by the files that need them (inline build).

add_library(mxp_wolfssl STATIC ${MXP_WOLFSSL_SOURCES})
target_compile_definitions(mxp_wolfssl PUBLIC WOLFSSL_USER_SETTINGS ${MXP_WOLFSSL_DEFINITIONS})
# ${_w} itself is on the path because ssl.c includes "src/x509.c" and friends.
target_include_directories(mxp_wolfssl SYSTEM PUBLIC "${_mxp_wolfssl_cfg_dir}" "${_w}")
# Their code, their warnings: never -Werror, and no noise in our build logs.
# -fwrapv: the SP math relies on signed arithmetic wrapping (Montgomery setup
# in sp_c32.c computes an inverse mod 2^32 in `int`); make that defined
# behaviour in every build instead of trusting the optimiser.
target_compile_options(mxp_wolfssl PRIVATE -w -fwrapv)
# Sanitized builds instrument wolfSSL too, minus two checks for idioms of its
# own that GCC and Clang define in practice:
# - SetCipherList() ends its loop with `while (next++)` on a NULL pointer
#   (internal.c): clang's pointer-overflow check aborts on every
#   wolfSSL_set_cipher_list();
# - the SP math loads bytes into words with signed left shifts
#   (`a[i] << 24` on an int, sp_c32.c): UBSan's shift check aborts every
#   RSA/DH operation of a real handshake (seen in the ASan integration run).
if(MXP_SANITIZE OR MXP_FUZZ)
    target_compile_options(mxp_wolfssl PRIVATE -fno-sanitize=pointer-overflow,shift)
endif()
# gnu11: wolfSSL relies on POSIX declarations (strncasecmp, gmtime_r) that
# strict -std=c11 hides.
set_target_properties(mxp_wolfssl PROPERTIES C_STANDARD 11 C_EXTENSIONS ON)
unset(_w)
