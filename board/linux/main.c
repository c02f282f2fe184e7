/*
 * mxprobe for Linux hosts and appliances: parse the command line, run the
 * portable engine over the POSIX HAL, print the report through the HAL sink.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <string.h>

#include "mxp_cli.h"
#include "mxp_err_text.h"
#include "mxp_mx.h"
#include "mxp_posix.h"
#include "mxp_probe.h"
#include "mxp_report.h"
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

static void report(const struct mxp_cli *cli, const struct mxp_result *res, struct mxp_writer *w)
{
    if (cli->json)
        mxp_report_json(res, w);
    else if (cli->quiet)
        mxp_report_verdict(res, w);
    else
        mxp_report_text(res, w);
}

static int could_not_run(mxp_err e)
{
    char text[160];
    fprintf(stderr, "mxprobe: probe could not run: %s\n", mxp_err_str(e, text, sizeof text));
    return EXIT_USAGE;
}

/* One server: a name, an address, or HOST:PORT. */
static int probe_host(const struct mxp_hal *hal, const struct mxp_cli *cli,
                      struct mxp_engine *engine, struct mxp_writer *w)
{
    static struct mxp_result result;
    mxp_err e = mxp_probe_run(hal, &cli->plan, engine, &result);
    if (!mxp_ok(e))
        return could_not_run(e);
    report(cli, &result, w);
    return mxp_report_exit_status(&result);
}

/*
 * A mail domain: its MX hosts in preference order, each probed at its first
 * address (IPv4 first), up to --mx-limit. No MX records: the domain itself
 * (RFC 5321 implicit MX); the lookup failing: the name itself, as a host.
 */
static int probe_domain(const struct mxp_hal *hal, const struct mxp_cli *cli,
                        struct mxp_engine *engine, struct mxp_writer *w)
{
    static struct mxp_mx_set mx;
    static struct mxp_result result;
    static struct mxp_plan plan;
    mxp_err e = mxp_mx_lookup(hal, &cli->plan, engine, cli->plan.host, &mx);
    if (!mxp_ok(e))
        return could_not_run(e);
    int status = mxp_mx_exit_status(&mx);
    bool fallback = mxp_mx_probe_name_instead(&mx);
    (void)mxp_mx_choose(&mx, cli->mx_limit);
    if (cli->json)
        mxp_mx_report_json_begin(&mx, w);
    else if (!cli->quiet)
        mxp_mx_report_text(&mx, w);
    if (!cli->json)
        (void)mxp_mx_report_verdict(&mx, w);
    size_t done = 0;
    for (size_t i = 0; i < mx.n || (fallback && done == 0); i++) {
        plan = cli->plan;
        if (!fallback) {
            if (!mx.mx[i].probed)
                continue;
            memcpy(plan.host, mx.mx[i].name, sizeof plan.host);
            if (cli->plan.sni[0] != '\0' && strcmp(cli->plan.sni, cli->plan.host) == 0)
                memcpy(plan.sni, mx.mx[i].name, sizeof plan.sni);
            plan.have_addr = true;
            plan.addr = mx.mx[i].addr[0];
        }
        if (!cli->json && !cli->quiet)
            mxp_puts(w, "\n");
        mxp_err pe = mxp_probe_run(hal, &plan, engine, &result);
        if (!mxp_ok(pe))
            return could_not_run(pe);
        if (cli->json && done > 0)
            mxp_putc(w, ',');
        if (cli->json)
            mxp_report_json_object(&result, w);
        else
            report(cli, &result, w);
        if (mxp_report_exit_status(&result) != 0)
            status = 1;
        done++;
        if (fallback || result.interrupted)
            break;
    }
    if (done == 0)
        status = 1; /* nothing could be probed: the MX verdict above says why */
    if (cli->json)
        mxp_mx_report_json_end(w, status);
    return status;
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
    cli.plan.show_progress = !cli.json && !cli.quiet;
    int status =
        cli.mx_mode ? probe_domain(hal, &cli, engine, &w) : probe_host(hal, &cli, engine, &w);
    free(engine);
    if (!mxp_ok(mxp_writer_finish(&w)))
        return EXIT_USAGE;
    return status;
}
