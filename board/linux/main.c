/*
 * mxprobe for Linux hosts and appliances: parse the command line, run the
 * portable engine over the POSIX HAL, print the report through the HAL sink.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "mxp_cli.h"
#include "mxp_posix.h"
#include "mxp_probe.h"
#include "mxp_report.h"
#include "mxp_suites.h"
#include "mxp_wolfssl_port.h"
#include "mxp_writer.h"

enum { EXIT_USAGE = 2 };

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

int main(int argc, char **argv)
{
    static struct mxp_cli cli;
    static struct mxp_posix_hal posix;
    static struct mxp_result result;
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

    mxp_wolfssl_port_init(hal);
    struct mxp_engine *engine = malloc(mxp_engine_size());
    if (engine == NULL) {
        fprintf(stderr, "mxprobe: out of memory\n");
        return EXIT_USAGE;
    }
    cli.plan.show_progress = !cli.json && !cli.quiet;
    mxp_err e = mxp_probe_run(hal, &cli.plan, engine, &result);
    free(engine);
    if (!mxp_ok(e)) {
        char text[160];
        fprintf(stderr, "mxprobe: probe could not run: %s\n", mxp_err_str(e, text, sizeof text));
        return EXIT_USAGE;
    }
    if (cli.json)
        mxp_report_json(&result, &w);
    else if (cli.quiet)
        mxp_report_verdict(&result, &w);
    else
        mxp_report_text(&result, &w);
    if (!mxp_ok(mxp_writer_finish(&w)))
        return EXIT_USAGE;
    return mxp_report_exit_status(&result);
}
