/*
 * Hand-built probe results for report and verdict tests: what the engine
 * would record against typical mail servers, without running it.
 */
#ifndef MXP_SAMPLE_RESULTS_H
#define MXP_SAMPLE_RESULTS_H

#include <stdbool.h>

#include "mxp_result.h"

enum mxp_sample {
    MXP_SAMPLE_MODERN = 0,  /* 25 STARTTLS + 465 implicit: TLS 1.2/1.3, refuses 1.0/1.1 */
    MXP_SAMPLE_LEGACY,      /* TLS 1.0 only, two weak suites, expired self-signed cert */
    MXP_SAMPLE_BUSY,        /* 421 4.7.0 at the banner */
    MXP_SAMPLE_DROPPED,     /* STARTTLS fine, every handshake closed or timed out */
    MXP_SAMPLE_FILTERED25,  /* 25 times out at connect, 587 works (TLS 1.2, not 1.3) */
    MXP_SAMPLE_HOSTILE,     /* control and high bytes in banner, EHLO, DN and SANs */
    MXP_SAMPLE_NO_STARTTLS, /* EHLO without STARTTLS */
    MXP_SAMPLE_NXDOMAIN,    /* the name did not resolve */
    MXP_SAMPLE_COUNT
};

const char *mxp_sample_name(enum mxp_sample s);
/* Fill r (all of it) with the sample. */
void mxp_sample_build(enum mxp_sample s, struct mxp_result *r);

/* Make arbitrary bytes (a fuzzer's, a random test's) a result the engine
 * could have produced as far as C is concerned: every bool 0 or 1. With
 * strings_and_counts, also NUL-terminate every string and clamp every count
 * to its array. */
void mxp_sample_sanitize(struct mxp_result *r, bool strings_and_counts);

#endif /* MXP_SAMPLE_RESULTS_H */
