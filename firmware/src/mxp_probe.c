/*
 * The probe engine. See mxp_probe.h for the model:
 *   plan -> chains of attempts (one chain per port and TLS version)
 *        -> attempts driven through a stage flow -> result.
 *
 * Every attempt is one TCP connection. Stages write only their own part of the
 * result; the first failure records stage and kind and ends the attempt (after
 * a polite QUIT where the SMTP session is still usable). Chains of one port
 * wait until that port's first attempt (the scout) has shown the MX will talk,
 * so a busy or filtered MX costs one connection, not one per version.
 *
 * Behaviour lives in three const tables:
 *   stage_rows[]  one row per enum mxp_stage: its enter / on-I/O / on-reply
 *                 handlers and how a failure there counts (drive() only
 *                 looks rows up);
 *   matrix_flows[] the order of the stages for each TLS mode, and the
 *                 handler that records what a finished attempt proved;
 *   activities[]  what the main loop multiplexes over one hal->net->wait():
 *                 today the matrix's attempts.
 */
#include "mxp_probe.h"

#include <stdio.h>
#include <string.h>

#include "mxp_addr.h"
#include "mxp_hal_check.h"
#include "mxp_path.h"
#include "mxp_smtp.h"
#include "mxp_suites.h"
#include "mxp_tls.h"
#include "mxp_x509.h"

/* ---- engine state (struct definitions: mxp_engine.h) ---------------------------- */

size_t mxp_engine_size(void)
{
    return sizeof(struct mxp_engine);
}

struct mxp_dns_scratch *mxp_engine_dns_scratch(struct mxp_engine *eng)
{
    eng->slots_live = false; /* the resolver writes over the attempts' storage */
    return &eng->dns;
}

static uint32_t now_ms(const struct mxp_engine *eng)
{
    return eng->hal->clock->now_ms(eng->hal->clock_ctx);
}

static void copy_str(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* ---- plan ------------------------------------------------------------------- */

void mxp_plan_defaults(struct mxp_plan *plan)
{
    static const uint16_t default_ports[] = {25, 465, 587};
    memset(plan, 0, sizeof *plan);
    for (size_t i = 0; i < sizeof default_ports / sizeof default_ports[0] && i < MXP_CFG_MAX_PORTS;
         i++)
        plan->ports[plan->n_ports++] = default_ports[i];
    copy_str(plan->ehlo_name, sizeof plan->ehlo_name, "mxprobe.invalid");
    plan->versions = MXP_TLS_ALL_VERSIONS;
    plan->timeout_ms = MXP_CFG_DEFAULT_TIMEOUT_MS;
    plan->max_concurrent = MXP_CFG_MAX_CONCURRENT;
    plan->show_progress = true;
    plan->rtt_samples = MXP_CFG_RTT_SAMPLES;
    plan->rtt_interval_ms = MXP_CFG_RTT_INTERVAL_MS;
    plan->mtu = true;
    plan->rdns = true;
    plan->mss_retry = true;
}

static mxp_err plan_check(const struct mxp_plan *plan)
{
    MXP_ENSURE(plan->host[0] != '\0', MXP_E_USAGE);
    MXP_ENSURE(memchr(plan->host, '\0', sizeof plan->host) != NULL, MXP_E_USAGE);
    MXP_ENSURE(memchr(plan->ehlo_name, '\0', sizeof plan->ehlo_name) != NULL, MXP_E_USAGE);
    MXP_ENSURE(memchr(plan->sni, '\0', sizeof plan->sni) != NULL, MXP_E_USAGE);
    MXP_ENSURE(plan->ehlo_name[0] != '\0', MXP_E_USAGE);
    MXP_ENSURE(plan->n_ports >= 1 && plan->n_ports <= MXP_CFG_MAX_PORTS, MXP_E_USAGE);
    for (size_t i = 0; i < plan->n_ports; i++)
        MXP_ENSURE(plan->ports[i] != 0, MXP_E_USAGE);
    MXP_ENSURE((plan->versions & MXP_TLS_ALL_VERSIONS) != 0, MXP_E_USAGE);
    MXP_ENSURE(plan->n_suites <= MXP_CFG_MAX_SUITES, MXP_E_USAGE);
    MXP_ENSURE(plan->timeout_ms >= 100, MXP_E_USAGE);
    MXP_ENSURE(plan->max_concurrent >= 1 && plan->max_concurrent <= MXP_CFG_CONCURRENT_SLOTS,
               MXP_E_USAGE);
    MXP_ENSURE(plan->rtt_samples <= MXP_RTT_SAMPLES_MAX, MXP_E_USAGE);
    return MXP_SUCCESS;
}

static bool plan_wants_suite(const struct mxp_plan *plan, uint16_t id)
{
    if (plan->n_suites == 0)
        return true;
    for (size_t i = 0; i < plan->n_suites; i++) {
        if (plan->suites[i] == id)
            return true;
    }
    return false;
}

/* ---- the stage table: its shape -------------------------------------------------- */

/* What an I/O handler tells the driver. */
enum io_step {
    IO_AGAIN = 0, /* something happened (maybe the stage changed or the attempt ended) */
    IO_WAIT,      /* blocked: wait for att->want */
};

/*
 * One const row per stage, as s2n-tls drives its handshake from a table of
 * states (tls/s2n_handshake_io.c): what entering the stage does, what to do
 * when its socket is ready, what a reply means, and how a failure there
 * counts. A flow gives only the order of the stages. A new kind of step is a
 * new row (and enum mxp_stage value), a new kind of attempt a new flow.
 */
struct mxp_stage_row {
    /* Entering the stage (its deadline and counters are already reset). */
    void (*enter)(struct mxp_engine *eng, struct mxp_attempt *att);
    /* The socket may be ready: make one step. */
    enum io_step (*on_io)(struct mxp_engine *eng, struct mxp_attempt *att);
    /* A whole SMTP reply arrived (stages driven by io_smtp). */
    void (*on_reply)(struct mxp_engine *eng, struct mxp_attempt *att,
                     const struct mxp_smtp_reply *r);
    /* Leave the stage out of this attempt? NULL: never. */
    bool (*skip)(const struct mxp_engine *eng, const struct mxp_attempt *att);
    bool parses_caps; /* the reply is an EHLO reply: capabilities into eng->ehlo */
    bool judged;      /* a failure here is the attempt's failure (not so for QUIT) */
    bool polite_quit; /* after a failed reply the session still carries QUIT */
    bool stops_port;  /* a failure here is about the MX, not the version or suite */
    bool rx_in_tls;   /* its bytes are counted as TLS records (io.rx_bytes), not plaintext */
};

static const struct mxp_stage_row *stage_row(uint8_t stage);

/* ---- result bookkeeping ------------------------------------------------------- */

static struct mxp_suite_result *suite_entry(struct mxp_version_result *vr, uint16_t id)
{
    for (size_t i = 0; i < vr->n_suites; i++) {
        if (vr->suites[i].suite == id)
            return &vr->suites[i];
    }
    return NULL;
}

static void reject_suite(struct mxp_version_result *vr, uint16_t id, const struct mxp_failure *f)
{
    struct mxp_suite_result *s = suite_entry(vr, id);
    if (s == NULL || s->status != MXP_SUITE_UNTESTED)
        return;
    s->status = MXP_SUITE_REJECTED;
    s->fail_stage = f->stage;
    s->fail = f->err;
}

/* A port stops: chains not yet running end, their versions are skipped. */
static void stop_port(struct mxp_engine *eng, uint8_t p, const struct mxp_failure *why)
{
    struct mxp_port_result *pr = &eng->res->ports[p];
    eng->ports[p].stopped = true;
    if (pr->stop.stage == MXP_STAGE_NONE) {
        pr->stop = *why;
        if (why->err.code == MXP_E_SMTP_REPLY && why->smtp_code >= 400 && why->smtp_code < 500)
            pr->busy = true;
    }
    for (int v = 0; v < MXP_TLS_VERSION_COUNT; v++) {
        struct mxp_chain *ch = &eng->chains[p][v];
        struct mxp_version_result *vr = &pr->versions[v];
        if (ch->state == MXP_CHAIN_IDLE) {
            ch->state = MXP_CHAIN_DONE;
            if (vr->status == MXP_VERSION_UNTESTED)
                vr->status = MXP_VERSION_SKIPPED;
        }
    }
}

/* A handshake completed: the suite the server chose is accepted. Returns
 * false when the chain cannot go on. */
static bool chain_accepted(struct mxp_engine *eng, const struct mxp_attempt *att)
{
    struct mxp_version_result *vr = &eng->res->ports[att->port].versions[att->version];
    struct mxp_chain *ch = &eng->chains[att->port][att->version];
    struct mxp_suite_result *s = suite_entry(vr, att->tls.suite);
    bool offered = false;
    for (size_t i = 0; i < att->n_offered; i++)
        offered |= att->offered[i] == att->tls.suite;
    if (vr->status != MXP_VERSION_ACCEPTED) {
        vr->status = MXP_VERSION_ACCEPTED;
        vr->fail = (struct mxp_failure){0};
        vr->tls = att->tls;
    }
    if (s == NULL || !offered || s->status != MXP_SUITE_UNTESTED) {
        /* The server chose a suite we did not offer (wolfSSL would have
         * refused it) or one already proven: elimination cannot go on. */
        return false;
    }
    s->status = MXP_SUITE_ACCEPTED;
    s->order = ++ch->accepted;
    s->tls = att->tls;
    if (eng->plan->exhaustive) {
        ch->next++;
        return true;
    }
    /* Keep the offer order: a server that follows the client's preference
     * (postfix's default) then picks in our order. */
    for (size_t i = 0; i < ch->n_remaining; i++) {
        if (ch->remaining[i] == att->tls.suite) {
            memmove(&ch->remaining[i], &ch->remaining[i + 1],
                    (ch->n_remaining - i - 1) * sizeof ch->remaining[0]);
            ch->n_remaining--;
            break;
        }
    }
    return true;
}

/* The handshake failed on the server's account: the offered set failed as a
 * whole, every suite in it is rejected. */
static void chain_rejected(struct mxp_engine *eng, const struct mxp_attempt *att)
{
    struct mxp_version_result *vr = &eng->res->ports[att->port].versions[att->version];
    struct mxp_chain *ch = &eng->chains[att->port][att->version];
    if (vr->status == MXP_VERSION_UNTESTED) {
        vr->status = MXP_VERSION_REJECTED;
        vr->fail = att->fail;
    }
    for (size_t i = 0; i < att->n_offered; i++)
        reject_suite(vr, att->offered[i], &att->fail);
    if (eng->plan->exhaustive)
        ch->next++;
    else
        ch->n_remaining = 0;
}

/* What one attempt of the chain proved. */
static void chain_record(struct mxp_engine *eng, const struct mxp_attempt *att)
{
    struct mxp_port_result *pr = &eng->res->ports[att->port];
    struct mxp_version_result *vr = &pr->versions[att->version];
    struct mxp_chain *ch = &eng->chains[att->port][att->version];
    const struct mxp_failure *f = &att->fail;

    ch->attempts++;
    vr->connections++;
    pr->connections++;
    eng->res->connections++;
    ch->state = MXP_CHAIN_IDLE;

    if (att->handshake_done) {
        if (!chain_accepted(eng, att)) {
            ch->state = MXP_CHAIN_DONE;
            return;
        }
    } else if (f->stage == MXP_STAGE_HANDSHAKE && mxp_err_class(f->err) != MXP_CLASS_INTERNAL) {
        chain_rejected(eng, att);
    } else {
        /* Failed before the handshake, or on our side (out of memory): no
         * verdict on the suites offered. */
        if (vr->status == MXP_VERSION_UNTESTED) {
            vr->status = MXP_VERSION_SKIPPED;
            vr->fail = *f;
        }
        ch->state = MXP_CHAIN_DONE;
        if (stage_row(f->stage)->stops_port)
            stop_port(eng, att->port, f);
        return;
    }

    bool more = eng->plan->exhaustive ? ch->next < vr->n_suites : ch->n_remaining > 0;
    if (!more) {
        ch->state = MXP_CHAIN_DONE;
        vr->suites_complete = true;
    }
    if (eng->ports[att->port].stopped)
        ch->state = MXP_CHAIN_DONE;
}

/* ---- attempt I/O ------------------------------------------------------------- */

static mxp_err att_send(struct mxp_engine *eng, struct mxp_attempt *att, const void *buf,
                        size_t len, size_t *sent)
{
    if (att->tls_up)
        return mxp_tls_send(att->ssl, &att->io, buf, len, sent);
    return eng->hal->net->send(eng->hal->net_ctx, att->sock, buf, len, sent);
}

static mxp_err att_recv(struct mxp_engine *eng, struct mxp_attempt *att, void *buf, size_t cap,
                        size_t *got)
{
    if (att->tls_up)
        return mxp_tls_recv(att->ssl, &att->io, buf, cap, got);
    return eng->hal->net->recv(eng->hal->net_ctx, att->sock, buf, cap, got);
}

/* Free the attempt's TLS session and socket and its slot. `abort` resets the
 * connection (RST) where an orderly close could not finish: the peer stopped
 * answering, or the person stopped the probe. */
static void att_release(struct mxp_engine *eng, struct mxp_attempt *att, bool close_notify,
                        bool abort)
{
    if (att->ssl != NULL) {
        if (close_notify)
            mxp_tls_close_notify(att->ssl);
        mxp_tls_session_free(att->ssl);
        att->ssl = NULL;
    }
    if (att->sock != MXP_SOCK_NONE)
        eng->hal->net->close(eng->hal->net_ctx, att->sock, abort);
    att->sock = MXP_SOCK_NONE;
    att->active = false;
    eng->active--;
}

/*
 * A handshake that got no answer to its ClientHello in time, on a connection
 * that carried the small SMTP packets fine, is what a path-MTU black hole
 * looks like: the server's big certificate flight is dropped on the way and
 * the ICMP that would shrink it never arrives. Retry it once with a clamped
 * MSS, so every segment the server sends is small: success proves the case.
 */
static bool try_clamp_retry(struct mxp_engine *eng, const struct mxp_attempt *att)
{
    struct mxp_result *res = eng->res;
    if (!eng->plan->mss_retry || eng->hal->net->set_mss == NULL || res->mss_clamp != 0 ||
        att->handshake_done || att->fail.stage != MXP_STAGE_HANDSHAKE ||
        !mxp_is(att->fail.err, MXP_E_TIMEOUT))
        return false;
    struct mxp_port_result *pr = &res->ports[att->port];
    res->mss_clamp = MXP_CFG_CLAMP_MSS;
    res->mss_clamp_port = att->port;
    res->mss_clamp_rx_bytes = att->fail.stage_rx_bytes;
    eng->mss = MXP_CFG_CLAMP_MSS;
    eng->clamp_version = att->version;
    pr->versions[att->version].connections++;
    pr->connections++;
    res->connections++;
    eng->chains[att->port][att->version].state = MXP_CHAIN_IDLE; /* the same offer again */
    if (att->scout)
        eng->ports[att->port].scouted = false;
    return true;
}

/* A matrix attempt is over (its slot is released): record what it proved. */
static void matrix_finish(struct mxp_engine *eng, struct mxp_attempt *att)
{
    if (att->scout) {
        eng->ports[att->port].scout_running = false;
        eng->ports[att->port].scouted = true;
    }
    if (try_clamp_retry(eng, att))
        return;
    if (att->clamp_retry) {
        eng->res->mss_clamp_helped = att->handshake_done ? MXP_YES : MXP_NO;
        if (!att->handshake_done)
            eng->mss = 0; /* the clamp did not help: the rest runs as before */
    }
    chain_record(eng, att);
}

/* ---- flows: the order of the stages, and who hears the outcome --------------------- */

struct mxp_flow {
    const uint8_t *stages; /* enum mxp_stage, in order; QUIT, when there is one, last */
    uint8_t len;
    /* The attempt ended (released): record what it proved. */
    void (*finish)(struct mxp_engine *eng, struct mxp_attempt *att);
};

static const uint8_t stages_starttls[] = {MXP_STAGE_CONNECT,  MXP_STAGE_BANNER,    MXP_STAGE_EHLO,
                                          MXP_STAGE_STARTTLS, MXP_STAGE_HANDSHAKE, MXP_STAGE_QUIT};
static const uint8_t stages_implicit[] = {MXP_STAGE_CONNECT, MXP_STAGE_HANDSHAKE, MXP_STAGE_BANNER,
                                          MXP_STAGE_EHLO, MXP_STAGE_QUIT};

/* One per enum mxp_tls_mode. */
static const struct mxp_flow matrix_flows[] = {
    [MXP_MODE_STARTTLS] = {stages_starttls, sizeof stages_starttls, matrix_finish},
    [MXP_MODE_IMPLICIT] = {stages_implicit, sizeof stages_implicit, matrix_finish},
};

static uint8_t att_stage(const struct mxp_attempt *att)
{
    return att->flow->stages[att->flow_pos];
}

/* The attempt is over: release it and let its flow record what it proved. */
static void att_finish(struct mxp_engine *eng, struct mxp_attempt *att)
{
    att_release(eng, att, att->tls_up && att->fail.stage == MXP_STAGE_NONE,
                mxp_is(att->fail.err, MXP_E_TIMEOUT));
    att->flow->finish(eng, att);
}

static void record_failure(struct mxp_engine *eng, struct mxp_attempt *att, mxp_err err)
{
    uint8_t stage = att_stage(att);
    const struct mxp_stage_row *row = stage_row(stage);
    if (!row->judged || att->fail.stage != MXP_STAGE_NONE)
        return; /* a failed QUIT changes no verdict; the first failure wins */
    att->fail.stage = stage;
    att->fail.err = err;
    att->fail.stage_rx_bytes =
        row->rx_in_tls ? att->io.rx_bytes - att->stage_tls_rx0 : att->stage_rx;
    att->fail.stage_ms = now_ms(eng) - att->t_stage;
}

static void fail_transport(struct mxp_engine *eng, struct mxp_attempt *att, mxp_err err)
{
    record_failure(eng, att, err);
    att_finish(eng, att);
}

static void enter_stage(struct mxp_engine *eng, struct mxp_attempt *att, uint32_t now)
{
    att->t_stage = now;
    att->deadline = now + eng->plan->timeout_ms;
    att->stage_rx = 0;
    att->stage_tls_rx0 = att->io.rx_bytes;
    stage_row(att_stage(att))->enter(eng, att);
}

/* Move to the next stage of the flow that applies, or finish. */
static void advance(struct mxp_engine *eng, struct mxp_attempt *att)
{
    const struct mxp_stage_row *row;
    do {
        if (++att->flow_pos >= att->flow->len) {
            att_finish(eng, att);
            return;
        }
        row = stage_row(att_stage(att));
    } while (row->skip != NULL && row->skip(eng, att));
    enter_stage(eng, att, now_ms(eng));
}

/* After a failed reply: QUIT where the session can still carry it, else finish. */
static void quit_or_finish(struct mxp_engine *eng, struct mxp_attempt *att)
{
    uint8_t last = (uint8_t)(att->flow->len - 1);
    if (!stage_row(att_stage(att))->polite_quit || !mxp_ok(att->io.last) ||
        att->flow->stages[last] != MXP_STAGE_QUIT) {
        att_finish(eng, att);
        return;
    }
    att->flow_pos = last;
    enter_stage(eng, att, now_ms(eng));
}

static void fail_smtp(struct mxp_engine *eng, struct mxp_attempt *att, mxp_err err,
                      const struct mxp_smtp_reply *reply)
{
    record_failure(eng, att, err);
    if (reply != NULL) {
        att->fail.smtp_code = reply->code;
        copy_str(att->fail.smtp_enh, sizeof att->fail.smtp_enh, reply->enh);
    }
    quit_or_finish(eng, att);
}

static void set_command(struct mxp_attempt *att, const char *verb, const char *arg)
{
    int n = arg != NULL ? snprintf(att->tx, sizeof att->tx, "%s %s\r\n", verb, arg)
                        : snprintf(att->tx, sizeof att->tx, "%s\r\n", verb);
    att->tx_len = n > 0 && (size_t)n < sizeof att->tx ? (size_t)n : 0;
    att->tx_off = 0;
    att->phase = MXP_ATTEMPT_SEND;
}

/* ---- stage handlers -------------------------------------------------------------- */

static void enter_connect(struct mxp_engine *eng, struct mxp_attempt *att)
{
    const struct mxp_hal *hal = eng->hal;
    if (hal->net->set_mss != NULL)
        (void)hal->net->set_mss(hal->net_ctx, eng->mss);
    mxp_err e =
        hal->net->connect(hal->net_ctx, &eng->res->addr, eng->plan->ports[att->port], &att->sock);
    att->io.sock = att->sock;
    if (!mxp_ok(e)) {
        fail_transport(eng, att, e);
        return;
    }
    att->want = MXP_IO_WRITE;
}

static enum io_step io_connect(struct mxp_engine *eng, struct mxp_attempt *att)
{
    mxp_err e = eng->hal->net->connect_result(eng->hal->net_ctx, att->sock);
    if (mxp_is(e, MXP_E_WOULD_BLOCK)) {
        att->want = MXP_IO_WRITE;
        return IO_WAIT;
    }
    if (!mxp_ok(e)) {
        fail_transport(eng, att, e);
        return IO_AGAIN;
    }
    struct mxp_port_result *pr = &eng->res->ports[att->port];
    pr->reached = true;
    if (pr->connect_ms == 0)
        pr->connect_ms = now_ms(eng) - att->t_stage;
    advance(eng, att);
    return IO_AGAIN;
}

static void enter_banner(struct mxp_engine *eng, struct mxp_attempt *att)
{
    (void)eng;
    att->phase = MXP_ATTEMPT_RECV;
}

static void enter_ehlo(struct mxp_engine *eng, struct mxp_attempt *att)
{
    set_command(att, "EHLO", eng->plan->ehlo_name);
}

/* Implicit TLS: EHLO only while the port's capabilities are unknown. */
static bool ehlo_known(const struct mxp_engine *eng, const struct mxp_attempt *att)
{
    return att->mode == MXP_MODE_IMPLICIT && eng->res->ports[att->port].ehlo_code != 0;
}

static void enter_starttls(struct mxp_engine *eng, struct mxp_attempt *att)
{
    (void)eng;
    set_command(att, "STARTTLS", NULL);
}

static void enter_quit(struct mxp_engine *eng, struct mxp_attempt *att)
{
    (void)eng;
    set_command(att, "QUIT", NULL);
    att->rx_len = 0;
}

static void enter_handshake(struct mxp_engine *eng, struct mxp_attempt *att)
{
    mxp_err e = mxp_tls_session_new(&eng->tls, (enum mxp_tls_version)att->version, att->offered,
                                    att->n_offered, eng->plan->sni, eng->suite_list,
                                    sizeof eng->suite_list, &att->io, &att->ssl);
    if (!mxp_ok(e))
        fail_transport(eng, att, e); /* recorded as a handshake failure of ours */
}

static void on_handshake_done(struct mxp_engine *eng, struct mxp_attempt *att)
{
    struct mxp_port_result *pr = &eng->res->ports[att->port];
    att->handshake_done = true;
    att->tls_up = true;
    mxp_tls_params(att->ssl, &att->tls);
    att->tls.handshake_ms = now_ms(eng) - att->t_stage;
    if (pr->cert.present)
        return;
    struct mxp_cert_summary *c = &pr->cert;
    if (!mxp_ok(mxp_tls_peer_cert(att->ssl, c))) {
        memset(c, 0, sizeof *c);
        return;
    }
    const char *name = eng->plan->sni[0] ? eng->plan->sni : eng->plan->host;
    c->name_match = mxp_x509_name_matches(c, name) ? MXP_YES : MXP_NO;
    int64_t now_s = 0;
    const struct mxp_hal_clock_api *clk = eng->hal->clock;
    if (clk->unix_time != NULL && mxp_ok(clk->unix_time(eng->hal->clock_ctx, &now_s)))
        c->expired = (now_s > c->not_after || now_s < c->not_before) ? MXP_YES : MXP_NO;
    else
        c->expired = MXP_NOT_CHECKED;
}

static enum io_step io_handshake(struct mxp_engine *eng, struct mxp_attempt *att)
{
    switch (mxp_tls_handshake(att->ssl)) {
    case MXP_TLS_DONE:
        on_handshake_done(eng, att);
        advance(eng, att);
        return IO_AGAIN;
    case MXP_TLS_WANT_READ:
        att->want = MXP_IO_READ;
        return IO_WAIT;
    case MXP_TLS_WANT_WRITE:
        att->want = MXP_IO_WRITE;
        return IO_WAIT;
    default:
        fail_transport(eng, att, mxp_tls_failure(att->ssl, &att->io));
        return IO_AGAIN;
    }
}

/* SMTP replies: called with the reply consumed from att->rx (bytes after it
 * stay there for the next one). */

static void on_banner(struct mxp_engine *eng, struct mxp_attempt *att,
                      const struct mxp_smtp_reply *r)
{
    struct mxp_port_result *pr = &eng->res->ports[att->port];
    if (pr->banner_code == 0) {
        pr->banner_code = r->code;
        pr->banner_ms = now_ms(eng) - att->t_stage;
        copy_str(pr->banner_enh, sizeof pr->banner_enh, r->enh);
        copy_str(pr->banner, sizeof pr->banner, r->text);
    }
    if (r->code != 220) {
        fail_smtp(eng, att, MXP_ERR(MXP_E_SMTP_REPLY, r->code), r);
        return;
    }
    advance(eng, att);
}

/* The capabilities are in eng->ehlo (the row's parses_caps). */
static void on_ehlo(struct mxp_engine *eng, struct mxp_attempt *att, const struct mxp_smtp_reply *r)
{
    struct mxp_port_result *pr = &eng->res->ports[att->port];
    struct mxp_ehlo_scratch *caps = &eng->ehlo;
    bool has_starttls = mxp_smtp_has_cap(caps->caps, caps->n, "STARTTLS");
    if (pr->ehlo_code == 0) {
        pr->ehlo_code = r->code;
        pr->ehlo_ms = now_ms(eng) - att->t_stage;
        memcpy(pr->caps, caps->caps, sizeof pr->caps);
        pr->n_caps = caps->n;
        pr->caps_truncated = caps->truncated;
        pr->starttls_offered = has_starttls;
    }
    if (r->code / 100 != 2) {
        fail_smtp(eng, att, MXP_ERR(MXP_E_SMTP_REPLY, r->code), r);
        return;
    }
    if (att->mode == MXP_MODE_STARTTLS && !has_starttls) {
        fail_smtp(eng, att, MXP_ERR(MXP_E_SMTP_NO_STARTTLS, 0), NULL);
        return;
    }
    advance(eng, att);
}

static void on_starttls(struct mxp_engine *eng, struct mxp_attempt *att,
                        const struct mxp_smtp_reply *r)
{
    struct mxp_port_result *pr = &eng->res->ports[att->port];
    if (pr->starttls_code == 0) {
        pr->starttls_code = r->code;
        pr->starttls_ms = now_ms(eng) - att->t_stage;
        copy_str(pr->starttls_enh, sizeof pr->starttls_enh, r->enh);
    }
    if (r->code != 220) {
        fail_smtp(eng, att, MXP_ERR(MXP_E_SMTP_REPLY, r->code), r);
        return;
    }
    if (att->rx_len != 0) {
        /* Bytes after the 220 would be taken as TLS: a plaintext injection
         * (CVE-2011-0411 class) or a broken server. Never feed them to TLS. */
        record_failure(eng, att, MXP_ERR(MXP_E_TLS_PROTOCOL, 0));
        att_finish(eng, att);
        return;
    }
    advance(eng, att);
}

/* QUIT: any reply ends the session. */
static void on_quit(struct mxp_engine *eng, struct mxp_attempt *att, const struct mxp_smtp_reply *r)
{
    (void)r;
    att_finish(eng, att);
}

static void take_reply(struct mxp_engine *eng, struct mxp_attempt *att,
                       const struct mxp_smtp_reply *r, size_t used)
{
    const struct mxp_stage_row *row = stage_row(att_stage(att));
    if (row->parses_caps) {
        memset(&eng->ehlo, 0, sizeof eng->ehlo);
        eng->ehlo.n = (uint8_t)mxp_smtp_ehlo_caps(att->rx, used, eng->ehlo.caps,
                                                  MXP_CFG_EHLO_CAPS_MAX, &eng->ehlo.truncated);
    }
    memmove(att->rx, att->rx + used, att->rx_len - used);
    att->rx_len -= used;
    row->on_reply(eng, att, r);
}

static enum io_step smtp_send(struct mxp_engine *eng, struct mxp_attempt *att)
{
    size_t sent = 0;
    mxp_err e = att_send(eng, att, att->tx + att->tx_off, att->tx_len - att->tx_off, &sent);
    if (mxp_is(e, MXP_E_WOULD_BLOCK) || (mxp_ok(e) && sent == 0)) {
        att->want = MXP_IO_WRITE;
        return IO_WAIT;
    }
    if (!mxp_ok(e)) {
        fail_transport(eng, att, e);
        return IO_AGAIN;
    }
    att->tx_off += sent;
    if (att->tx_off >= att->tx_len)
        att->phase = MXP_ATTEMPT_RECV;
    return IO_AGAIN;
}

static enum io_step smtp_receive(struct mxp_engine *eng, struct mxp_attempt *att)
{
    struct mxp_smtp_reply reply;
    size_t used = 0;
    mxp_err pe = mxp_smtp_parse_reply(att->rx, att->rx_len, &reply, &used);
    if (mxp_ok(pe)) {
        take_reply(eng, att, &reply, used);
        return IO_AGAIN;
    }
    if (!mxp_is(pe, MXP_E_WOULD_BLOCK) || att->rx_len >= sizeof att->rx) {
        /* The peer speaks no SMTP we trust: no QUIT. */
        record_failure(eng, att,
                       mxp_is(pe, MXP_E_WOULD_BLOCK) ? MXP_ERR(MXP_E_SMTP_TOO_LONG, 0) : pe);
        att_finish(eng, att);
        return IO_AGAIN;
    }
    size_t got = 0;
    mxp_err e = att_recv(eng, att, att->rx + att->rx_len, sizeof att->rx - att->rx_len, &got);
    if (mxp_is(e, MXP_E_WOULD_BLOCK)) {
        att->want = MXP_IO_READ;
        return IO_WAIT;
    }
    if (!mxp_ok(e)) {
        fail_transport(eng, att, e);
        return IO_AGAIN;
    }
    att->rx_len += got;
    att->stage_rx += (uint32_t)got;
    return IO_AGAIN;
}

/* SMTP stages: send the command (if any), then read the reply. */
static enum io_step io_smtp(struct mxp_engine *eng, struct mxp_attempt *att)
{
    return att->phase == MXP_ATTEMPT_SEND ? smtp_send(eng, att) : smtp_receive(eng, att);
}

/* ---- the stage table: its rows ------------------------------------------------------ */

static const struct mxp_stage_row stage_rows[MXP_STAGE_COUNT] = {
    [MXP_STAGE_CONNECT] = {.enter = enter_connect,
                           .on_io = io_connect,
                           .judged = true,
                           .stops_port = true},
    [MXP_STAGE_BANNER] = {.enter = enter_banner,
                          .on_io = io_smtp,
                          .on_reply = on_banner,
                          .judged = true,
                          .polite_quit = true,
                          .stops_port = true},
    [MXP_STAGE_EHLO] = {.enter = enter_ehlo,
                        .on_io = io_smtp,
                        .on_reply = on_ehlo,
                        .skip = ehlo_known,
                        .parses_caps = true,
                        .judged = true,
                        .polite_quit = true,
                        .stops_port = true},
    [MXP_STAGE_STARTTLS] = {.enter = enter_starttls,
                            .on_io = io_smtp,
                            .on_reply = on_starttls,
                            .judged = true,
                            .polite_quit = true,
                            .stops_port = true},
    [MXP_STAGE_HANDSHAKE] = {.enter = enter_handshake,
                             .on_io = io_handshake,
                             .judged = true,
                             .rx_in_tls = true},
    [MXP_STAGE_QUIT] = {.enter = enter_quit, .on_io = io_smtp, .on_reply = on_quit},
};

/* Every stage that appears in a flow has a row; MXP_STAGE_NONE gets the
 * empty one (a failure "at no stage" is never recorded). */
static const struct mxp_stage_row *stage_row(uint8_t stage)
{
    return &stage_rows[stage < MXP_STAGE_COUNT ? stage : MXP_STAGE_NONE];
}

/* Run the attempt until it must wait for the network or is over. */
static void drive(struct mxp_engine *eng, struct mxp_attempt *att)
{
    while (att->active && stage_row(att_stage(att))->on_io(eng, att) == IO_AGAIN)
        continue;
}

/* ---- scheduling ------------------------------------------------------------------- */

static void start_attempt(struct mxp_engine *eng, uint8_t p, uint8_t v, bool scout)
{
    const struct mxp_plan *plan = eng->plan;
    struct mxp_chain *ch = &eng->chains[p][v];
    struct mxp_version_result *vr = &eng->res->ports[p].versions[v];
    struct mxp_attempt *att = NULL;
    for (size_t i = 0; i < MXP_CFG_CONCURRENT_SLOTS; i++) {
        if (!eng->slots[i].active) {
            att = &eng->slots[i];
            break;
        }
    }
    if (att == NULL)
        return;
    memset(att, 0, sizeof *att);
    att->active = true;
    att->scout = scout;
    att->port = p;
    att->version = v;
    att->mode = eng->res->ports[p].mode;
    att->flow = &matrix_flows[att->mode];
    att->sock = MXP_SOCK_NONE;
    att->io.hal = eng->hal;
    att->io.sock = MXP_SOCK_NONE;
    if (plan->exhaustive) {
        att->offered[0] = vr->suites[ch->next].suite;
        att->n_offered = 1;
    } else {
        memcpy(att->offered, ch->remaining, ch->n_remaining * sizeof ch->remaining[0]);
        att->n_offered = ch->n_remaining;
    }
    ch->state = MXP_CHAIN_RUNNING;
    if (scout)
        eng->ports[p].scout_running = true;
    eng->active++;
    if (eng->active > eng->res->peak_concurrent)
        eng->res->peak_concurrent = eng->active;

    att->t_begin = now_ms(eng);
    att->clamp_retry = eng->res->mss_clamp != 0 && eng->res->mss_clamp_helped == MXP_NOT_CHECKED &&
                       p == eng->res->mss_clamp_port && v == eng->clamp_version;
    enter_stage(eng, att, att->t_begin); /* the flow's first stage: connect */
}

/* Start attempts while there is room: one scout per port first, then the
 * port's other chains, highest version first. */
static void schedule(struct mxp_engine *eng)
{
    const struct mxp_plan *plan = eng->plan;
    for (uint8_t p = 0; p < plan->n_ports; p++) {
        struct mxp_port_state *ps = &eng->ports[p];
        for (int v = MXP_TLS_VERSION_COUNT - 1; v >= 0; v--) {
            if (eng->active >= plan->max_concurrent || ps->stopped || ps->scout_running)
                break;
            if (eng->chains[p][v].state != MXP_CHAIN_IDLE)
                continue;
            start_attempt(eng, p, (uint8_t)v, !ps->scouted);
        }
    }
}

static void progress(struct mxp_engine *eng)
{
    const struct mxp_hal_sink_api *sink = eng->hal->sink;
    uint32_t now = now_ms(eng);
    if (sink->progress == NULL || !eng->plan->show_progress || now - eng->t0 < 1000)
        return;
    if (now - eng->last_progress < 250)
        return;
    eng->last_progress = now;
    char line[96];
    unsigned done = 0, total = 0;
    for (uint8_t p = 0; p < eng->plan->n_ports; p++) {
        for (int v = 0; v < MXP_TLS_VERSION_COUNT; v++) {
            const struct mxp_chain *ch = &eng->chains[p][v];
            const struct mxp_version_result *vr = &eng->res->ports[p].versions[v];
            if (vr->n_suites == 0)
                continue;
            total++;
            done += ch->state == MXP_CHAIN_DONE;
        }
    }
    uint32_t ms = now - eng->t0;
    snprintf(line, sizeof line, "mxprobe: %.32s  %u/%u version checks  %u connections  %lu.%lus",
             eng->plan->host, done, total, (unsigned)eng->res->connections,
             (unsigned long)(ms / 1000), (unsigned long)(ms / 100 % 10));
    sink->progress(eng->hal->sink_ctx, line);
}

static bool interrupted(struct mxp_engine *eng)
{
    const struct mxp_hal_sink_api *sink = eng->hal->sink;
    if (!eng->stopped && sink->interrupted != NULL && sink->interrupted(eng->hal->sink_ctx))
        eng->stopped = true;
    return eng->stopped;
}

/* ---- what the main loop multiplexes ---------------------------------------------------- */

/*
 * Everything that runs concurrently shares one wait() per round: each
 * activity starts what may start, hands in a wait item per socket it waits
 * on (and its nearest deadline), and gets each item's readiness back. Today
 * the one activity is the matrix's attempts; work to run alongside them
 * (PTR lookups, path-MTU probes) is one more row here.
 */
struct mxp_activity {
    /* Start what may start now; true while the activity has work. */
    bool (*schedule)(struct mxp_engine *eng);
    /* At most cap wait items, owners[i] naming what each belongs to; lower
     * *wait_ms to the nearest deadline. Returns how many. */
    size_t (*collect)(struct mxp_engine *eng, uint32_t now, struct mxp_wait_item *items,
                      void **owners, size_t cap, uint32_t *wait_ms);
    /* After wait(): one collected item and what became ready. */
    void (*service)(struct mxp_engine *eng, void *owner, uint8_t ready);
};

static bool attempts_schedule(struct mxp_engine *eng)
{
    schedule(eng);
    return eng->active > 0;
}

static size_t attempts_collect(struct mxp_engine *eng, uint32_t now, struct mxp_wait_item *items,
                               void **owners, size_t cap, uint32_t *wait_ms)
{
    size_t n = 0;
    for (size_t i = 0; i < MXP_CFG_CONCURRENT_SLOTS && n < cap; i++) {
        struct mxp_attempt *att = &eng->slots[i];
        if (!att->active)
            continue;
        uint32_t left = mxp_deadline_passed(now, att->deadline) ? 0 : att->deadline - now;
        if (left < *wait_ms)
            *wait_ms = left;
        items[n].sock = att->sock;
        items[n].want = att->want;
        items[n].ready = 0;
        owners[n++] = att;
    }
    return n;
}

static void attempts_service(struct mxp_engine *eng, void *owner, uint8_t ready)
{
    struct mxp_attempt *att = owner;
    if (!att->active)
        return;
    if (ready != 0)
        drive(eng, att);
    if (att->active && mxp_deadline_passed(now_ms(eng), att->deadline))
        fail_transport(eng, att, MXP_ERR(MXP_E_TIMEOUT, (int)eng->plan->timeout_ms));
}

static const struct mxp_activity activities[] = {
    {attempts_schedule, attempts_collect, attempts_service},
};
#define N_ACTIVITIES (sizeof activities / sizeof activities[0])
#define WAIT_ITEMS_MAX MXP_CFG_CONCURRENT_SLOTS /* the sum of what the activities collect */

/* One wait() over every activity's sockets, then each item to its owner. */
static mxp_err wait_round(struct mxp_engine *eng)
{
    const struct mxp_hal *hal = eng->hal;
    struct mxp_wait_item items[WAIT_ITEMS_MAX];
    void *owners[WAIT_ITEMS_MAX];
    uint8_t whose[WAIT_ITEMS_MAX];
    size_t n = 0;
    uint32_t now = now_ms(eng);
    uint32_t wait_ms = eng->plan->timeout_ms;
    for (size_t a = 0; a < N_ACTIVITIES; a++) {
        size_t k =
            activities[a].collect(eng, now, items + n, owners + n, WAIT_ITEMS_MAX - n, &wait_ms);
        memset(whose + n, (int)a, k);
        n += k;
    }
    if (hal->sink->progress != NULL && eng->plan->show_progress && wait_ms > 250)
        wait_ms = 250; /* keep the progress line moving */
    if (hal->sink->interrupted != NULL && wait_ms > 100)
        wait_ms = 100; /* answer Ctrl-C promptly */
    MXP_GUARD(hal->net->wait(hal->net_ctx, items, n, wait_ms));
    for (size_t i = 0; i < n; i++)
        activities[whose[i]].service(eng, owners[i], items[i].ready);
    return MXP_SUCCESS;
}

/* Until no activity has work left, the person stops, or the HAL fails. */
static mxp_err activity_loop(struct mxp_engine *eng)
{
    for (;;) {
        if (interrupted(eng)) {
            eng->res->interrupted = true;
            return MXP_SUCCESS;
        }
        bool busy = false;
        for (size_t a = 0; a < N_ACTIVITIES; a++)
            busy |= activities[a].schedule(eng);
        if (!busy)
            return MXP_SUCCESS;
        MXP_GUARD(wait_round(eng));
        progress(eng);
    }
}

/* ---- setup and main loop ---------------------------------------------------------- */

static void setup_port(struct mxp_engine *eng, uint8_t p)
{
    const struct mxp_plan *plan = eng->plan;
    struct mxp_port_result *pr = &eng->res->ports[p];
    pr->port = plan->ports[p];
    pr->mode =
        (plan->implicit_tls || plan->ports[p] == 465) ? MXP_MODE_IMPLICIT : MXP_MODE_STARTTLS;
    for (int v = 0; v < MXP_TLS_VERSION_COUNT; v++) {
        struct mxp_version_result *vr = &pr->versions[v];
        struct mxp_chain *ch = &eng->chains[p][v];
        ch->state = MXP_CHAIN_DONE;
        if (!(plan->versions & (1u << v)))
            continue;
        if (!mxp_tls_version_available(&eng->tls, (enum mxp_tls_version)v)) {
            vr->status = MXP_VERSION_UNAVAILABLE;
            continue;
        }
        for (size_t i = 0; i < mxp_suites_count() && vr->n_suites < MXP_CFG_MAX_SUITES; i++) {
            const struct mxp_suite_info *s = mxp_suite_at(i);
            if (!(s->versions & (1u << v)) || !plan_wants_suite(plan, s->id))
                continue;
            vr->suites[vr->n_suites].suite = s->id;
            ch->remaining[vr->n_suites] = s->id;
            vr->n_suites++;
        }
        ch->n_remaining = vr->n_suites;
        if (vr->n_suites == 0) {
            vr->status = MXP_VERSION_UNAVAILABLE; /* --ciphers left nothing for it */
            continue;
        }
        ch->state = MXP_CHAIN_IDLE;
    }
}

static void fail_unresolved(struct mxp_engine *eng, mxp_err why)
{
    struct mxp_failure f = {0};
    f.stage = MXP_STAGE_CONNECT;
    f.err = why;
    eng->res->resolved = false;
    eng->res->resolve_err = why;
    for (uint8_t p = 0; p < eng->plan->n_ports; p++)
        stop_port(eng, p, &f);
}

/* The address to probe: given by the plan (an MX lookup found it), an
 * address literal, a name the platform knows itself (the HAL's optional
 * resolve: a hosts file, lwIP's resolver), or DNS through the engine's own
 * client: the --dns server, else the platform's resolvers. */
static mxp_err resolve_target(struct mxp_engine *eng)
{
    const struct mxp_plan *plan = eng->plan;
    const struct mxp_hal *hal = eng->hal;
    struct mxp_result *res = eng->res;
    size_t n = 0;
    mxp_err e = MXP_SUCCESS;
    if (plan->have_addr) {
        res->addr = plan->addr;
        n = 1;
    } else if (mxp_addr_parse(plan->host, strlen(plan->host), &res->addr)) {
        n = 1;
    } else {
        if (!plan->have_dns && hal->net->resolve != NULL)
            e = hal->net->resolve(hal->net_ctx, plan->host, &res->addr, 1, &n, plan->timeout_ms);
        if (mxp_ok(e) && n == 0) {
            /* The platform's resolvers: A and AAAA share the budget, each
             * query gets half of it. */
            uint32_t budget = plan->timeout_ms / 2 < 100 ? 100 : plan->timeout_ms / 2;
            e = mxp_resolver_init(&eng->dns.resolver, hal,
                                  plan->have_dns ? &plan->dns_server : NULL, plan->dns_port,
                                  plan->have_dns ? plan->timeout_ms : budget);
            if (mxp_ok(e))
                e = mxp_resolver_addrs(&eng->dns.resolver, plan->host, &res->addr, 1, &n,
                                       &eng->dns.answer);
        }
    }
    if (mxp_ok(e) && n == 0)
        e = MXP_ERR(MXP_E_DNS_NODATA, 0);
    res->resolved = mxp_ok(e);
    return e;
}

static void progress_phase(struct mxp_engine *eng, const char *what)
{
    const struct mxp_hal_sink_api *sink = eng->hal->sink;
    char line[96];
    if (sink->progress == NULL || !eng->plan->show_progress)
        return;
    snprintf(line, sizeof line, "mxprobe: %.32s  %s", eng->plan->host, what);
    sink->progress(eng->hal->sink_ctx, line);
}

/*
 * The path MTU, after the TLS matrix: the probes' ICMP fragmentation-needed
 * teaches this host's kernel the path MTU, and a kernel that knows it
 * announces a smaller MSS, so the MX never sends the large segments a black
 * hole swallows. Measured first, it would hide the very black hole that the
 * handshakes are there to see.
 */
static void mtu_phase(struct mxp_engine *eng)
{
    struct mxp_path_env env = {.hal = eng->hal, .plan = eng->plan, .stopped = eng->stopped};
    if (!eng->plan->mtu || !eng->res->resolved || mxp_path_interrupted(&env))
        return;
    progress_phase(eng, "path MTU");
    mxp_path_mtu(&env, &eng->res->addr, eng->rtt_hint, &eng->res->mtu);
    eng->stopped = env.stopped;
}

/*
 * Reachability, connect RTT and reverse DNS, before the TLS matrix.
 * A port that does not answer the samples is not tried again by the matrix:
 * its verdict is already in (and a filtered port would cost another deadline).
 */
static mxp_err path_phase(struct mxp_engine *eng)
{
    const struct mxp_plan *plan = eng->plan;
    const struct mxp_hal *hal = eng->hal;
    struct mxp_result *res = eng->res;
    struct mxp_path_env env = {.hal = hal, .plan = plan, .stopped = eng->stopped};
    uint32_t rtt_hint = 0;

    if (plan->rtt_samples > 0) {
        progress_phase(eng, "connect samples");
        mxp_err e = mxp_path_reach(&env, &res->addr, res);
        for (size_t i = 0; i < res->n_reach; i++) {
            const struct mxp_reach_result *rr = &res->reach[i];
            res->connections = (uint16_t)(res->connections + rr->samples);
            rtt_hint = rr->max_ms > rtt_hint ? rr->max_ms : rtt_hint;
            for (uint8_t p = 0; p < plan->n_ports && !rr->witness; p++) {
                if (res->ports[p].port != rr->port)
                    continue;
                if (rr->reach == MXP_REACH_OPEN) {
                    res->ports[p].reached = true;
                } else if (rr->reach != MXP_REACH_UNTESTED) {
                    struct mxp_failure f = {0};
                    f.stage = MXP_STAGE_CONNECT;
                    f.err = rr->err;
                    f.stage_ms = rr->reach == MXP_REACH_FILTERED ? plan->timeout_ms : 0;
                    stop_port(eng, p, &f);
                }
            }
        }
        if (!mxp_ok(e))
            return e;
    }
    if (plan->rdns && !env.stopped && !mxp_path_addr_is_local(&res->addr)) {
        progress_phase(eng, "reverse DNS");
        mxp_err e =
            mxp_resolver_init(&eng->dns.resolver, hal, plan->have_dns ? &plan->dns_server : NULL,
                              plan->dns_port, plan->timeout_ms);
        if (mxp_ok(e))
            mxp_path_rdns(&eng->dns.resolver, &res->addr, &eng->dns.answer, &res->rdns);
        else
            res->rdns.err = e;
    }
    eng->rtt_hint = rtt_hint;
    eng->stopped = env.stopped;
    return MXP_SUCCESS;
}

/* The DNS work is done: the storage it shared with the attempts holds
 * attempts from now on (and only then may the end of the run close them). */
static void slots_for_attempts(struct mxp_engine *eng)
{
    if (eng->slots_live)
        return;
    memset(eng->slots, 0, sizeof eng->slots);
    eng->slots_live = true;
}

/* Entropy and the TLS contexts, then the ports' chains. */
static mxp_err setup(struct mxp_engine *eng)
{
    const struct mxp_hal *hal = eng->hal;
    uint8_t probe_byte;
    bool strong = false;
    MXP_GUARD(hal->entropy->fill(hal->entropy_ctx, &probe_byte, 1, &strong));
    eng->res->entropy_strong = strong;
    MXP_GUARD(mxp_tls_init(&eng->tls, hal, eng->plan->versions));
    for (uint8_t p = 0; p < eng->plan->n_ports; p++)
        setup_port(eng, p);
    return MXP_SUCCESS;
}

/* What the phases need, in order; the first HAL failure ends the run. */
static mxp_err run_phases(struct mxp_engine *eng)
{
    MXP_GUARD(setup(eng));
    mxp_err re = resolve_target(eng);
    if (!mxp_ok(re))
        fail_unresolved(eng, re);
    else
        MXP_GUARD(path_phase(eng));
    slots_for_attempts(eng);
    return activity_loop(eng);
}

/*
 * The one way out of a run that got past its checks, however it ended:
 * connections still open are closed without a verdict (interrupted, or the
 * HAL failed under us: the result stays partial), the TLS contexts freed,
 * the progress line cleared.
 */
static void run_end(struct mxp_engine *eng, mxp_err run_err)
{
    const struct mxp_hal *hal = eng->hal;
    struct mxp_result *res = eng->res;
    for (size_t i = 0; eng->slots_live && i < MXP_CFG_CONCURRENT_SLOTS; i++) {
        if (eng->slots[i].active)
            att_release(eng, &eng->slots[i], false, true);
    }
    for (uint8_t p = 0; p < eng->plan->n_ports; p++)
        res->ports[p].elapsed_ms = now_ms(eng) - eng->t0;
    if (mxp_ok(run_err))
        mtu_phase(eng);
    res->interrupted = res->interrupted || eng->stopped;
    mxp_tls_deinit(&eng->tls);
    res->elapsed_ms = now_ms(eng) - eng->t0;
    if (hal->sink->progress != NULL && eng->plan->show_progress)
        hal->sink->progress(hal->sink_ctx, NULL);
}

mxp_err mxp_probe_run(const struct mxp_hal *hal, const struct mxp_plan *plan,
                      struct mxp_engine *eng, struct mxp_result *res)
{
    MXP_ENSURE(hal != NULL && plan != NULL && eng != NULL && res != NULL, MXP_E_USAGE);
    MXP_GUARD(mxp_hal_check(hal));
    MXP_GUARD(plan_check(plan));

    memset(eng, 0, sizeof *eng);
    memset(res, 0, sizeof *res);
    eng->hal = hal;
    eng->plan = plan;
    eng->res = res;
    eng->t0 = now_ms(eng);
    res->schema = MXP_RESULT_SCHEMA_VERSION;
    copy_str(res->host, sizeof res->host, plan->host);
    copy_str(res->sni, sizeof res->sni, plan->sni);
    copy_str(res->ehlo_name, sizeof res->ehlo_name, plan->ehlo_name);
    res->exhaustive = plan->exhaustive;
    res->max_concurrent = plan->max_concurrent;
    res->n_ports = plan->n_ports;

    mxp_err e = run_phases(eng);
    run_end(eng, e);
    return e;
}
