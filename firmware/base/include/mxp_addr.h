/*
 * Address literals, shared by the engine (a target given as an address), the
 * command line and the shell (--dns ADDR, HOST:PORT). Part of mxp_base.
 */
#ifndef MXP_ADDR_H
#define MXP_ADDR_H

#include <stdbool.h>
#include <stddef.h>

#include "mxp_hal.h"

/* The first len bytes of s as an IPv4 ("192.0.2.1") or IPv6 ("2001:db8::1")
 * literal, no brackets, no port. False (and *out zeroed) when it is neither. */
bool mxp_addr_parse(const char *s, size_t len, struct mxp_addr *out);

#endif /* MXP_ADDR_H */
