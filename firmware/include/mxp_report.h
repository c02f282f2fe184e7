/*
 * Report encoders: pure functions over a const result, writing through a
 * struct mxp_writer (a fixed buffer in tests and fuzzers, the HAL sink in the
 * programs). The report never calls back into the engine.
 */
#ifndef MXP_REPORT_H
#define MXP_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "mxp_mx.h"
#include "mxp_result.h"
#include "mxp_writer.h"

/* Human-readable report: per-port summary, version table, accepted and
 * rejected suites per version, certificate, verdict. */
void mxp_report_text(const struct mxp_result *r, struct mxp_writer *w);

/* Parts of the text report, for a run printed as several results (a host
 * probed in turns of ports, a mail domain's exchangers: mxp_run.h). */
enum mxp_text_part {
    MXP_TEXT_HEADER = 1u << 0,    /* "mxprobe report for HOST (ADDR)", SNI, EHLO, strategy */
    MXP_TEXT_PATH = 1u << 1,      /* "Path to ADDR": connect samples, the MSS-clamp retry */
    MXP_TEXT_HOST_PATH = 1u << 2, /* with MXP_TEXT_PATH: path MTU and PTR of the address */
    MXP_TEXT_PORTS = 1u << 3,     /* one section per port */
    MXP_TEXT_VERDICT = 1u << 4,   /* "Verdict" and the findings */
    MXP_TEXT_DONE = 1u << 5,      /* "Done: N connections in T" */
    MXP_TEXT_ALL = 0x3fu,
};
void mxp_report_text_parts(const struct mxp_result *r, unsigned parts, struct mxp_writer *w);

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

/* ---- the summary of a run ------------------------------------------------------
 * One row per host x port probed in a run (a mail domain's exchangers, or one
 * host probed in turns), condensed from each result: whether the port
 * answered, the best TLS version that completed a handshake, the worst
 * finding. Data only: the run fills it, the encoders below print it, and a
 * caller that repeats runs can compare one run's rows with the last's. */

#define MXP_SUMMARY_TARGET 0xffu /* row.host: the run's target itself, not an exchanger */
#define MXP_SUMMARY_NONE 0xffu   /* row.best_tls: no version; row.worst: no finding */
#define MXP_SUMMARY_ROWS_MAX (MXP_CFG_MX_MAX * MXP_CFG_RUN_PORTS_MAX)

struct mxp_summary_row {
    uint8_t host; /* index into the MX set's mx[], or MXP_SUMMARY_TARGET */
    uint16_t port;
    uint8_t reach;    /* enum mxp_reach; UNTESTED when the host did not resolve */
    uint8_t best_tls; /* enum mxp_tls_version, or MXP_SUMMARY_NONE */
    uint8_t worst;    /* enum mxp_finding_id of the port's worst finding, or MXP_SUMMARY_NONE */
    uint8_t severity; /* its enum mxp_severity (MXP_SEV_OK when none) */
};

struct mxp_summary {
    char target[MXP_CFG_HOST_MAX]; /* the host or mail domain as given */
    bool domain;                   /* rows are exchangers of target (MX lookup) */
    uint8_t n_rows;
    struct mxp_summary_row rows[MXP_SUMMARY_ROWS_MAX];
    uint8_t results;      /* probe results the rows come from */
    uint16_t connections; /* over every result */
    uint32_t elapsed_ms;  /* the whole run, MX lookup included */
    bool interrupted;     /* the person stopped the run: rows are missing */
    uint8_t severity;     /* the worst: rows and the MX lookup's own findings */
    int exit_status;      /* 0/1 as the programs exit (mxp_report_exit_status) */
};

/* Start an empty summary for target. */
void mxp_report_summary_begin(struct mxp_summary *s, const char *target, bool domain);
/* Add the rows of one result, for its host (MXP_SUMMARY_TARGET or an index
 * into the MX set); a full table drops the rest. */
void mxp_report_summary_add(struct mxp_summary *s, const struct mxp_result *r, uint8_t host);
/* The overall verdict, one line: "FAIL  example.org: 1 of 4 exchanger ports
 * fail; worst: mx2.example.org port 25 port-refused". mx (NULL for a host
 * run) names the exchangers and lends the lookup's own findings. */
void mxp_report_overall(const struct mxp_summary *s, const struct mxp_mx_set *mx,
                        struct mxp_writer *w);
/* "Summary": the overall verdict, then a table, one row per host x port. */
void mxp_report_summary_text(const struct mxp_summary *s, const struct mxp_mx_set *mx,
                             struct mxp_writer *w);
/* The SUMMARY object of docs/json-schema.md. */
void mxp_report_summary_json(const struct mxp_summary *s, const struct mxp_mx_set *mx,
                             struct mxp_writer *w);

#endif /* MXP_REPORT_H */
