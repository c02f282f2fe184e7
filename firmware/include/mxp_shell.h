/*
 * The serial-console shell: a vendor-style diagnostic prompt over the HAL
 * sink (typed bytes in through sink->read, output through sink->write).
 *
 *   help                      the commands
 *   probe HOST [PORT...]      full report (default ports 25 465 587)
 *   mx DOMAIN [PORT...]       the domain's MX hosts, each probed
 *   tls HOST PORT             the TLS version and cipher matrix only
 *   net                       IP, gateway, DNS, link            (board)
 *   config [KEY VALUE]        show or set ehlo, sni, timeout, conns, versions,
 *                             samples, rdns, dns
 *   json on|off               JSON report lines instead of text
 *   mem                       flash/RAM, heap and stack high-water marks (board)
 *   reboot                                                        (board)
 *
 * Every probe goes through the engine's one orchestrator (mxp_run.h), from
 * a plan the settings fill directly: more ports than the board's result
 * holds are probed in turns and reported as one, with one summary.
 *
 * Line editing: backspace/DEL erase, Ctrl-U clears, Ctrl-C drops the line
 * (and, while a probe runs, stops it through sink->interrupted). A bad
 * command or argument gets one line starting "error:" and the prompt back.
 * Portable: what only a board knows (net, mem, reboot) comes through ops.
 */
#ifndef MXP_SHELL_H
#define MXP_SHELL_H

#include <stdbool.h>
#include <stddef.h>

#include "mxp_hal.h"
#include "mxp_probe.h"
#include "mxp_run.h"
#include "mxp_writer.h"

struct mxp_shell_ops {
    void (*net)(void *ctx, struct mxp_writer *w); /* `net`; NULL: "not available" */
    void (*mem)(void *ctx, struct mxp_writer *w); /* `mem` board part */
    void (*reboot)(void *ctx);                    /* `reboot` */
    void *ctx;
};

struct mxp_shell {
    const struct mxp_hal *hal;
    const struct mxp_shell_ops *ops;
    struct mxp_runner runner; /* engine, result and the scratch of the command running */
    /* The settings (`config`) as a request: every probe's plan and the SNI
     * choice; each command fills in its target, ports, mode and form. */
    struct mxp_run req;
    struct mxp_summary summary; /* of the last probe, tls or mx command */
    bool json;
    char line[MXP_CFG_SHELL_LINE_MAX];
    size_t len;
    bool last_cr; /* swallow the LF of a CRLF */
    char out[MXP_CFG_SHELL_OUT_MAX];
    struct mxp_writer w;
};

void mxp_shell_init(struct mxp_shell *sh, const struct mxp_hal *hal,
                    const struct mxp_shell_ops *ops, struct mxp_engine *engine,
                    struct mxp_result *result);
/* Print the prompt. */
void mxp_shell_prompt(struct mxp_shell *sh);
/* Handle every byte typed so far; runs a command when a line is complete. */
void mxp_shell_poll(struct mxp_shell *sh);
/* Run one command line as if typed (autorun, tests). Returns the exit status
 * of a probe (0/1), 2 for a bad command, 0 for other commands. */
int mxp_shell_exec(struct mxp_shell *sh, const char *line);

#endif /* MXP_SHELL_H */
