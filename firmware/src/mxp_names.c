/*
 * Stage, TLS-version and path-diagnostics names (stable: they appear in JSON).
 */
#include <stddef.h>

#include "mxp_hal.h"
#include "mxp_result.h"

const char *mxp_stage_name(enum mxp_stage s)
{
    static const char *const names[MXP_STAGE_COUNT] = {
        [MXP_STAGE_NONE] = "none",         [MXP_STAGE_CONNECT] = "connect",
        [MXP_STAGE_BANNER] = "banner",     [MXP_STAGE_EHLO] = "ehlo",
        [MXP_STAGE_STARTTLS] = "starttls", [MXP_STAGE_HANDSHAKE] = "handshake",
        [MXP_STAGE_QUIT] = "quit",
    };
    if ((unsigned)s >= MXP_STAGE_COUNT)
        return "unknown";
    return names[s];
}

const char *mxp_tls_version_name(enum mxp_tls_version v)
{
    static const char *const names[MXP_TLS_VERSION_COUNT] = {
        [MXP_TLS10] = "TLSv1.0",
        [MXP_TLS11] = "TLSv1.1",
        [MXP_TLS12] = "TLSv1.2",
        [MXP_TLS13] = "TLSv1.3",
    };
    if ((unsigned)v >= MXP_TLS_VERSION_COUNT)
        return "unknown";
    return names[v];
}

const char *mxp_reach_name(enum mxp_reach r)
{
    static const char *const names[] = {
        [MXP_REACH_UNTESTED] = "untested",       [MXP_REACH_OPEN] = "open",
        [MXP_REACH_REFUSED] = "refused",         [MXP_REACH_FILTERED] = "filtered",
        [MXP_REACH_UNREACHABLE] = "unreachable", [MXP_REACH_ERROR] = "error",
    };
    return (unsigned)r < sizeof names / sizeof names[0] ? names[r] : "unknown";
}

const struct mxp_reach_result *mxp_result_reach_of(const struct mxp_result *r, uint16_t port)
{
    for (size_t i = 0; i < r->n_reach && i < MXP_CFG_REACH_MAX; i++) {
        if (r->reach[i].port == port)
            return &r->reach[i];
    }
    return NULL;
}

const char *mxp_mtu_status_name(enum mxp_mtu_status s)
{
    static const char *const names[] = {
        [MXP_MTU_NOT_MEASURED] = "not-measured",
        [MXP_MTU_MEASURED] = "measured",
        [MXP_MTU_NO_REPLY] = "no-reply",
        [MXP_MTU_FAILED] = "failed",
    };
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}

const char *mxp_rdns_status_name(enum mxp_rdns_status s)
{
    static const char *const names[] = {
        [MXP_RDNS_NOT_CHECKED] = "not-checked",
        [MXP_RDNS_FOUND] = "found",
        [MXP_RDNS_NONE] = "none",
        [MXP_RDNS_FAILED] = "failed",
    };
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}
