/*
 * Comparing domain names, shared by the engine (DNS answers, certificate
 * names, banners) and the ports (a hosts file). Part of mxp_base.
 */
#ifndef MXP_DNS_NAME_H
#define MXP_DNS_NAME_H

#include <stdbool.h>
#include <stddef.h>

/* True when a and b name the same domain: ASCII case-insensitive, ignoring
 * one trailing dot on either. False when either is NULL. */
bool mxp_dns_name_eq(const char *a, const char *b);
/* The same for names given by length, not NUL-terminated (a word of a banner). */
bool mxp_dns_name_eqn(const char *a, size_t alen, const char *b, size_t blen);

#endif /* MXP_DNS_NAME_H */
