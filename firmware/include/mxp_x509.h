/*
 * Certificate summary from DER (RFC 5280), parsed with the bounds-checked
 * cursor: subject and issuer as one-line DNs, dNSName SANs, validity, public
 * key type and size. Nothing is verified cryptographically: mxprobe reports
 * what the server sent; whether a sender trusts it is the sender's policy.
 */
#ifndef MXP_X509_H
#define MXP_X509_H

#include <stddef.h>
#include <stdint.h>

#include "mxp_err.h"
#include "mxp_result.h"

/* Fill out from one DER certificate. MXP_E_CERT_PARSE on malformed input;
 * out->present is set only on success. Names and SANs are copied with
 * non-printable bytes kept raw (reports escape them). */
MXP_MUST_CHECK mxp_err mxp_x509_summarize(const uint8_t *der, size_t len,
                                          struct mxp_cert_summary *out);

/* RFC 6125 host-name match of host against the SANs (or the subject CN when
 * there are no SANs); a wildcard only as the whole left-most label. */
bool mxp_x509_name_matches(const struct mxp_cert_summary *cert, const char *host);

#endif /* MXP_X509_H */
