/*
 * A strict RFC 8259 JSON checker for tests and fuzzers: one value, nothing
 * after it but white space, no raw control bytes in strings, and (mxprobe's
 * own rule) ASCII only.
 */
#ifndef MXP_JSON_CHECK_H
#define MXP_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>

/* true when s[0..n) is one valid JSON document; else *err_at (may be NULL)
 * gets the offset of the first offending byte. */
bool mxp_json_check(const char *s, size_t n, size_t *err_at);

#endif /* MXP_JSON_CHECK_H */
