/*
 * Report encoders: pure functions over a const result, writing through a
 * struct mxp_writer (a fixed buffer in tests and fuzzers, the HAL sink in the
 * programs). The report never calls back into the engine.
 */
#ifndef MXP_REPORT_H
#define MXP_REPORT_H

#include "mxp_result.h"
#include "mxp_writer.h"

/* Human-readable report: per-port summary, version table, accepted and
 * rejected suites per version, certificate, verdict. */
void mxp_report_text(const struct mxp_result *r, struct mxp_writer *w);

/* The TLS matrix only: per port the version table, accepted and rejected
 * suites, then the verdict (the shell's `tls` command). */
void mxp_report_matrix(const struct mxp_result *r, struct mxp_writer *w);

/* Only the verdict: one line per finding (--quiet, the shell's short form). */
void mxp_report_verdict(const struct mxp_result *r, struct mxp_writer *w);

/* One JSON document following docs/json-schema.md (schema version
 * MXP_RESULT_SCHEMA_VERSION), ending in a newline. */
void mxp_report_json(const struct mxp_result *r, struct mxp_writer *w);
/* The same object without the newline, to embed in a larger document. */
void mxp_report_json_object(const struct mxp_result *r, struct mxp_writer *w);

/* Exit status for the programs: 0 the probe ran and TLS works on every port,
 * 1 the probe ran and found a failure. (2, usage/internal, is the caller's.) */
int mxp_report_exit_status(const struct mxp_result *r);

#endif /* MXP_REPORT_H */
