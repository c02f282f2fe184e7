/*
 * One run of the probe as a person asks for it, for every front end (the
 * Linux program, the firmware shell): a host on some ports, or a mail domain
 * whose exchangers are looked up first.
 *
 * mxp_run_exec() does the MX lookup, chooses the exchangers, runs
 * mxp_probe_run() for each and, when the board's result holds fewer ports
 * than were asked for (MXP_CFG_MAX_PORTS), in turns of that many ports;
 * hands each const result to the report writers in the form asked for; and
 * fills a summary, one row per host x port (mxp_report.h). A host probed in
 * turns is resolved once: a name that does not resolve is reported once,
 * and its address is reused for the next turns.
 *
 * A run keeps nothing for the next one: the runner's scratch is reset at
 * the start of every run, the engine and the result by every probe. A
 * caller that repeats runs (a watch mode) calls mxp_run_exec() again and
 * compares or counts the summaries it gets back.
 */
#ifndef MXP_RUN_H
#define MXP_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mxp_engine.h"
#include "mxp_err.h"
#include "mxp_hal.h"
#include "mxp_mx.h"
#include "mxp_probe.h"
#include "mxp_report.h"
#include "mxp_writer.h"

enum mxp_run_mode {
    MXP_RUN_HOST = 0, /* plan.host is the server */
    MXP_RUN_DOMAIN,   /* plan.host is a mail domain: its MX hosts are probed */
};

enum mxp_run_form {
    MXP_RUN_TEXT = 0, /* the text report of each result; a summary after several */
    MXP_RUN_MATRIX,   /* the TLS matrix only (the shell's `tls`) */
    MXP_RUN_QUIET,    /* the verdict: the overall line first, then the findings */
    MXP_RUN_JSON,     /* one JSON document on one line (docs/json-schema.md) */
};

/* The request. */
struct mxp_run {
    struct mxp_plan plan; /* the settings of every probe; plan.host is the target.
                             plan.ports is not used: ports[] below is. */
    uint16_t ports[MXP_CFG_RUN_PORTS_MAX];
    uint8_t n_ports;  /* 1..MXP_CFG_RUN_PORTS_MAX */
    uint8_t mode;     /* enum mxp_run_mode */
    uint8_t mx_limit; /* exchangers to probe at most, 0 = all */
    uint8_t form;     /* enum mxp_run_form */
    bool sni_auto;    /* SNI is the name of the host probed (each exchanger's), none
                         for an address; else plan.sni as given ("" = none) */
};

/* What a front end runs with: set up once, reused run after run. */
struct mxp_runner {
    const struct mxp_hal *hal;
    struct mxp_engine *engine; /* mxp_engine_size() bytes */
    struct mxp_result *result; /* each probe's result, in turn */
    /* MXP_RUN_QUIET only: room to hold the findings while the run goes on,
     * so that the overall verdict can come first. NULL: they are written as
     * they come, and the overall verdict last. */
    char *hold;
    size_t hold_cap;
    /* Scratch of the run, reset by mxp_run_exec(). */
    struct mxp_plan plan;  /* the probe running now */
    struct mxp_mx_set mx;  /* the MX lookup (MXP_RUN_DOMAIN) */
    struct mxp_writer out; /* where the findings go in MXP_RUN_QUIET */
};

void mxp_runner_init(struct mxp_runner *rn, const struct mxp_hal *hal, struct mxp_engine *engine,
                     struct mxp_result *result);

/*
 * Run req, writing the report to w and the summary to *summary (the exit
 * status is summary->exit_status). Returns an error only when the run could
 * not go on (bad request, HAL or TLS library failure: the report may then be
 * cut short); what the network showed is in the report and the summary. The
 * writer is flushed before each lookup and probe, so a person sees what came
 * before while the next one runs.
 */
MXP_MUST_CHECK mxp_err mxp_run_exec(struct mxp_runner *rn, const struct mxp_run *req,
                                    struct mxp_writer *w, struct mxp_summary *summary);

#endif /* MXP_RUN_H */
