/*
 * mxprobe for Linux hosts and appliances: parse the command line, run it
 * through the engine's orchestrator (mxp_run.h) over the POSIX HAL, print the
 * report through the HAL sink.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <string.h>

#include "mxp_cli.h"
#include "mxp_err_text.h"
#include "mxp_posix.h"
#include "mxp_probe.h"
#include "mxp_run.h"
#include "mxp_suites.h"
#include "mxp_writer.h"

enum {
    EXIT_USAGE = 2
};

static mxp_err sink_flush(void *ctx, const char *buf, size_t len)
{
    const struct mxp_hal *hal = ctx;
    return hal->sink->write(hal->sink_ctx, buf, len);
}

static void list_ciphers(struct mxp_writer *w)
{
    static const char *const vnames[MXP_TLS_VERSION_COUNT] = {"1.0", "1.1", "1.2", "1.3"};
    for (size_t i = 0; i < mxp_suites_count(); i++) {
        const struct mxp_suite_info *s = mxp_suite_at(i);
        mxp_printf(w, "0x%04X  %-45s %-32s", s->id, s->iana, s->wolf);
        const char *sep = "";
        for (int v = 0; v < MXP_TLS_VERSION_COUNT; v++) {
            if (s->versions & (1u << v)) {
                mxp_printf(w, "%s%s", sep, vnames[v]);
                sep = ",";
            }
        }
        mxp_puts(w, s->weak ? "  (weak)\n" : "\n");
    }
}

static int could_not_run(mxp_err e)
{
    char text[160];
    fprintf(stderr, "mxprobe: probe could not run: %s\n", mxp_err_str(e, text, sizeof text));
    return EXIT_USAGE;
}

/* The command line as a request for the engine's orchestrator (mxp_run.h). */
static void cli_request(const struct mxp_cli *cli, struct mxp_run *req)
{
    memset(req, 0, sizeof *req);
    req->plan = cli->plan;
    req->plan.show_progress = !cli->json && !cli->quiet;
    memcpy(req->ports, cli->plan.ports, cli->plan.n_ports * sizeof req->ports[0]);
    req->n_ports = cli->plan.n_ports;
    req->mode = cli->mx_mode ? MXP_RUN_DOMAIN : MXP_RUN_HOST;
    req->mx_limit = cli->mx_limit;
    req->form = cli->json ? MXP_RUN_JSON : cli->quiet ? MXP_RUN_QUIET : MXP_RUN_TEXT;
    /* The SNI defaults to the target's name: for a mail domain, that is each
     * exchanger's name. */
    req->sni_auto = cli->plan.sni[0] != '\0' && strcmp(cli->plan.sni, cli->plan.host) == 0;
}

int main(int argc, char **argv)
{
    static struct mxp_cli cli;
    static struct mxp_posix_hal posix;
    static char outbuf[2048];
    char err[200];

    signal(SIGPIPE, SIG_IGN);
    if (!mxp_ok(mxp_cli_parse(argc, argv, &cli, err, sizeof err))) {
        fprintf(stderr, "mxprobe: %s\n", err);
        return EXIT_USAGE;
    }
    mxp_posix_hal_init(&posix, !cli.json && !cli.quiet);
    const struct mxp_hal *hal = &posix.hal;
    struct mxp_writer w;
    mxp_writer_init(&w, outbuf, sizeof outbuf, sink_flush, (void *)hal);

    if (cli.help || cli.version || cli.list_ciphers) {
        if (cli.help)
            mxp_cli_usage(&w);
        else if (cli.version)
            mxp_puts(&w, "mxprobe " MXP_VERSION_STRING " (wolfSSL 5.5.4)\n");
        else
            list_ciphers(&w);
        return mxp_ok(mxp_writer_finish(&w)) ? 0 : EXIT_USAGE;
    }

    struct mxp_engine *engine = malloc(mxp_engine_size());
    if (engine == NULL) {
        fprintf(stderr, "mxprobe: out of memory\n");
        return EXIT_USAGE;
    }
    static struct mxp_result result;
    static struct mxp_runner runner;
    static struct mxp_run req;
    static struct mxp_summary summary;
    static char hold[64 * 1024]; /* -q: the findings, held until the overall verdict */
    mxp_runner_init(&runner, hal, engine, &result);
    runner.hold = hold;
    runner.hold_cap = sizeof hold;
    cli_request(&cli, &req);
    mxp_err e = mxp_run_exec(&runner, &req, &w, &summary);
    free(engine);
    if (!mxp_ok(e)) {
        mxp_err flushed = mxp_writer_finish(&w); /* what came before the failure */
        (void)flushed;
        return could_not_run(e);
    }
    int status = summary.exit_status;
    if (!mxp_ok(mxp_writer_finish(&w)))
        return EXIT_USAGE;
    return status;
}
