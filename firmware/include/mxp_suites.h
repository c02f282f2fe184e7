/*
 * The cipher suites this build can offer, by IANA id and name, with the
 * protocol versions each is valid in and the wolfSSL name used to select it.
 */
#ifndef MXP_SUITES_H
#define MXP_SUITES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mxp_result.h"

enum mxp_kx {
    MXP_KX_TLS13 = 0,
    MXP_KX_ECDHE,
    MXP_KX_DHE,
    MXP_KX_RSA
};
enum mxp_auth {
    MXP_AUTH_ANY = 0,
    MXP_AUTH_RSA,
    MXP_AUTH_ECDSA
};

struct mxp_suite_info {
    uint16_t id;      /* IANA value, e.g. 0xC02F */
    const char *iana; /* "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" */
    const char *wolf; /* wolfSSL cipher-list name, "ECDHE-RSA-AES128-GCM-SHA256" */
    uint8_t versions; /* bit (1 << enum mxp_tls_version) per version it is valid in */
    uint8_t kx;       /* enum mxp_kx */
    uint8_t auth;     /* enum mxp_auth */
    bool weak;        /* 3DES, static RSA key exchange or other legacy choice */
};

/* The table, in our offer order (strongest first). */
size_t mxp_suites_count(void);
const struct mxp_suite_info *mxp_suite_at(size_t i);
const struct mxp_suite_info *mxp_suite_by_id(uint16_t id);
/* Accepts an IANA name or a wolfSSL/OpenSSL-style name, case-insensitive. */
const struct mxp_suite_info *mxp_suite_by_name(const char *name);

/* IANA named-group name ("x25519", "secp256r1", "ffdhe2048") or NULL. */
const char *mxp_group_name(uint16_t group);
/* IANA SignatureScheme name ("rsa_pss_rsae_sha256") or NULL. */
const char *mxp_sigalg_name(uint16_t scheme);

#endif /* MXP_SUITES_H */
