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
 */
#include "mxp_probe.h"

#include <stdio.h>
#include <string.h>

#include "mxp_path.h"
#include "mxp_smtp.h"
#include "mxp_suites.h"
#include "mxp_tls.h"
#include "mxp_x509.h"

/* ---- engine state (struct definitions: mxp_engine.h) ---------------------------- */

/* The order stages run in, per TLS mode. */
static const uint8_t flow_starttls[] = {MXP_STAGE_CONNECT,  MXP_STAGE_BANNER,    MXP_STAGE_EHLO,
                                        MXP_STAGE_STARTTLS, MXP_STAGE_HANDSHAKE, MXP_STAGE_QUIT};
static const uint8_t flow_implicit[] = {MXP_STAGE_CONNECT, MXP_STAGE_HANDSHAKE, MXP_STAGE_BANNER,
                                        MXP_STAGE_EHLO, MXP_STAGE_QUIT};

size_t mxp_engine_size(void)
{
    return sizeof(struct mxp_engine);
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
        if (ch->state == CHAIN_IDLE) {
            ch->state = CHAIN_DONE;
            if (vr->status == MXP_VERSION_UNTESTED)
                vr->status = MXP_VERSION_SKIPPED;
        }
    }
}

/* Would this failure mean the port cannot be probed further? Everything
 * before the TLS handshake is about the MX, not the version or suite. */
static bool fails_port(const struct mxp_failure *f)
{
    return f->stage == MXP_STAGE_CONNECT || f->stage == MXP_STAGE_BANNER ||
           f->stage == MXP_STAGE_EHLO || f->stage == MXP_STAGE_STARTTLS;
}

static void chain_record(struct mxp_engine *eng, struct mxp_attempt *att)
{
    struct mxp_port_result *pr = &eng->res->ports[att->port];
    struct mxp_version_result *vr = &pr->versions[att->version];
    struct mxp_chain *ch = &eng->chains[att->port][att->version];
    const struct mxp_failure *f = &att->fail;
    bool exhaustive = eng->plan->exhaustive;

    ch->attempts++;
    vr->connections++;
    pr->connections++;
    eng->res->connections++;
    ch->state = CHAIN_IDLE;

    if (att->handshake_done) {
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
            ch->state = CHAIN_DONE;
            return;
        }
        s->status = MXP_SUITE_ACCEPTED;
        s->order = ++ch->accepted;
        s->tls = att->tls;
        if (exhaustive) {
            ch->next++;
        } else {
            /* Keep the offer order: a server that follows the client's
             * preference (postfix's default) then picks in our order. */
            for (size_t i = 0; i < ch->n_remaining; i++) {
                if (ch->remaining[i] == att->tls.suite) {
                    memmove(&ch->remaining[i], &ch->remaining[i + 1],
                            (ch->n_remaining - i - 1) * sizeof ch->remaining[0]);
                    ch->n_remaining--;
                    break;
                }
            }
        }
    } else if (f->stage == MXP_STAGE_HANDSHAKE && mxp_err_class(f->err) != MXP_CLASS_INTERNAL) {
        if (vr->status == MXP_VERSION_UNTESTED) {
            vr->status = MXP_VERSION_REJECTED;
            vr->fail = *f;
        }
        /* The offered set failed as a whole: every suite in it is rejected. */
        for (size_t i = 0; i < att->n_offered; i++)
            reject_suite(vr, att->offered[i], f);
        if (exhaustive)
            ch->next++;
        else
            ch->n_remaining = 0;
    } else {
        /* Failed before the handshake, or on our side (out of memory): no
         * verdict on the suites offered. */
        if (vr->status == MXP_VERSION_UNTESTED) {
            vr->status = MXP_VERSION_SKIPPED;
            vr->fail = *f;
        }
        ch->state = CHAIN_DONE;
        if (fails_port(f))
            stop_port(eng, att->port, f);
        return;
    }

    bool more = exhaustive ? ch->next < vr->n_suites : ch->n_remaining > 0;
    if (!more) {
        ch->state = CHAIN_DONE;
        vr->suites_complete = true;
    }
    if (eng->ports[att->port].stopped)
        ch->state = CHAIN_DONE;
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
    eng->chains[att->port][att->version].state = CHAIN_IDLE; /* the same offer again */
    if (att->scout)
        eng->ports[att->port].scouted = false;
    return true;
}

/* The attempt is over: release it and record what it proved. */
static void att_finish(struct mxp_engine *eng, struct mxp_attempt *att)
{
    att_release(eng, att, att->tls_up && att->fail.stage == MXP_STAGE_NONE,
                mxp_is(att->fail.err, MXP_E_TIMEOUT));
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

static bool interrupted(struct mxp_engine *eng)
{
    const struct mxp_hal_sink_api *sink = eng->hal->sink;
    if (!eng->stopped && sink->interrupted != NULL && sink->interrupted(eng->hal->sink_ctx))
        eng->stopped = true;
    return eng->stopped;
}

static void enter_stage(struct mxp_engine *eng, struct mxp_attempt *att);

/* Move to the next stage of the flow, or finish. */
static void advance(struct mxp_engine *eng, struct mxp_attempt *att)
{
    const struct mxp_port_result *pr = &eng->res->ports[att->port];
    for (;;) {
        att->flow_pos++;
        if (att->flow_pos >= att->flow_len) {
            att_finish(eng, att);
            return;
        }
        /* Implicit TLS: EHLO only while the port's capabilities are unknown. */
        if (att->flow[att->flow_pos] == MXP_STAGE_EHLO && att->flow == flow_implicit &&
            pr->ehlo_code != 0)
            continue;
        break;
    }
    enter_stage(eng, att);
}

/* Jump to QUIT where the session can still carry it, else finish. */
static void quit_or_finish(struct mxp_engine *eng, struct mxp_attempt *att)
{
    uint8_t stage = att->flow[att->flow_pos];
    bool transport_ok = att->io.last.code == MXP_OK;
    if (stage == MXP_STAGE_QUIT || stage == MXP_STAGE_HANDSHAKE || !transport_ok) {
        att_finish(eng, att);
        return;
    }
    att->flow_pos = (uint8_t)(att->flow_len - 1); /* QUIT is last in every flow */
    enter_stage(eng, att);
}

static void record_failure(struct mxp_engine *eng, struct mxp_attempt *att, mxp_err err)
{
    uint8_t stage = att->flow[att->flow_pos];
    if (stage == MXP_STAGE_QUIT || att->fail.stage != MXP_STAGE_NONE)
        return; /* a failed QUIT changes no verdict; the first failure wins */
    att->fail.stage = stage;
    att->fail.err = err;
    att->fail.stage_rx_bytes =
        stage == MXP_STAGE_HANDSHAKE ? att->io.rx_bytes - att->stage_tls_rx0 : att->stage_rx;
    att->fail.stage_ms = now_ms(eng) - att->t_stage;
}

static void fail_transport(struct mxp_engine *eng, struct mxp_attempt *att, mxp_err err)
{
    record_failure(eng, att, err);
    att_finish(eng, att);
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
    att->phase = PHASE_SEND;
}

static void enter_stage(struct mxp_engine *eng, struct mxp_attempt *att)
{
    uint8_t stage = att->flow[att->flow_pos];
    att->t_stage = now_ms(eng);
    att->deadline = att->t_stage + eng->plan->timeout_ms;
    att->stage_rx = 0;
    att->stage_tls_rx0 = att->io.rx_bytes;
    switch (stage) {
    case MXP_STAGE_BANNER:
        att->phase = PHASE_RECV;
        break;
    case MXP_STAGE_EHLO:
        set_command(att, "EHLO", eng->plan->ehlo_name);
        break;
    case MXP_STAGE_STARTTLS:
        set_command(att, "STARTTLS", NULL);
        break;
    case MXP_STAGE_QUIT:
        set_command(att, "QUIT", NULL);
        att->rx_len = 0;
        break;
    case MXP_STAGE_HANDSHAKE: {
        const char *sni = eng->plan->sni;
        mxp_err e = mxp_tls_session_new(&eng->tls, (enum mxp_tls_version)att->version, att->offered,
                                        att->n_offered, sni, eng->suite_list,
                                        sizeof eng->suite_list, &att->io, &att->ssl);
        if (!mxp_ok(e))
            fail_transport(eng, att, e); /* recorded as a handshake failure of ours */
        break;
    }
    default:
        break;
    }
}

/* ---- SMTP replies ------------------------------------------------------------ */

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

/* Capabilities were parsed into eng->caps_scratch before the reply was consumed. */
static void on_ehlo(struct mxp_engine *eng, struct mxp_attempt *att, const struct mxp_smtp_reply *r,
                    size_t n_caps, bool truncated)
{
    struct mxp_port_result *pr = &eng->res->ports[att->port];
    bool has_starttls = mxp_smtp_has_cap(eng->caps_scratch, n_caps, "STARTTLS");
    if (pr->ehlo_code == 0) {
        pr->ehlo_code = r->code;
        pr->ehlo_ms = now_ms(eng) - att->t_stage;
        memcpy(pr->caps, eng->caps_scratch, sizeof pr->caps);
        pr->n_caps = (uint8_t)n_caps;
        pr->caps_truncated = truncated;
        pr->starttls_offered = has_starttls;
    }
    if (r->code / 100 != 2) {
        fail_smtp(eng, att, MXP_ERR(MXP_E_SMTP_REPLY, r->code), r);
        return;
    }
    if (att->flow == flow_starttls && !has_starttls) {
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

static void on_reply(struct mxp_engine *eng, struct mxp_attempt *att,
                     const struct mxp_smtp_reply *r, size_t used)
{
    uint8_t stage = att->flow[att->flow_pos];
    bool truncated = false;
    size_t n_caps = 0;
    if (stage == MXP_STAGE_EHLO) {
        memset(eng->caps_scratch, 0, sizeof eng->caps_scratch);
        n_caps =
            mxp_smtp_ehlo_caps(att->rx, used, eng->caps_scratch, MXP_CFG_EHLO_CAPS_MAX, &truncated);
    }
    /* Consume the reply; bytes after it stay for the next one. */
    memmove(att->rx, att->rx + used, att->rx_len - used);
    att->rx_len -= used;
    switch (stage) {
    case MXP_STAGE_BANNER:
        on_banner(eng, att, r);
        break;
    case MXP_STAGE_EHLO:
        on_ehlo(eng, att, r, n_caps, truncated);
        break;
    case MXP_STAGE_STARTTLS:
        on_starttls(eng, att, r);
        break;
    default: /* QUIT: any reply ends the session */
        att_finish(eng, att);
        break;
    }
}

/* ---- driving an attempt -------------------------------------------------------- */

static void on_handshake_done(struct mxp_engine *eng, struct mxp_attempt *att)
{
    struct mxp_port_result *pr = &eng->res->ports[att->port];
    att->handshake_done = true;
    att->tls_up = true;
    mxp_tls_params(att->ssl, &att->tls);
    att->tls.handshake_ms = now_ms(eng) - att->t_stage;
    if (!pr->cert.present) {
        struct mxp_cert_summary *c = &pr->cert;
        if (mxp_ok(mxp_tls_peer_cert(att->ssl, c))) {
            const char *name = eng->plan->sni[0] ? eng->plan->sni : eng->plan->host;
            c->name_match = mxp_x509_name_matches(c, name) ? MXP_YES : MXP_NO;
            int64_t now_s = 0;
            const struct mxp_hal_clock_api *clk = eng->hal->clock;
            if (clk->unix_time != NULL && mxp_ok(clk->unix_time(eng->hal->clock_ctx, &now_s)))
                c->expired = (now_s > c->not_after || now_s < c->not_before) ? MXP_YES : MXP_NO;
            else
                c->expired = MXP_NOT_CHECKED;
        } else {
            memset(c, 0, sizeof *c);
        }
    }
}

/* Run the attempt until it must wait for the network. */
static void drive(struct mxp_engine *eng, struct mxp_attempt *att)
{
    const struct mxp_hal *hal = eng->hal;
    while (att->active) {
        uint8_t stage = att->flow[att->flow_pos];
        if (stage == MXP_STAGE_CONNECT) {
            mxp_err e = hal->net->connect_result(hal->net_ctx, att->sock);
            if (mxp_is(e, MXP_E_WOULD_BLOCK)) {
                att->want = MXP_IO_WRITE;
                return;
            }
            if (!mxp_ok(e)) {
                fail_transport(eng, att, e);
                return;
            }
            struct mxp_port_result *pr = &eng->res->ports[att->port];
            pr->reached = true;
            if (pr->connect_ms == 0)
                pr->connect_ms = now_ms(eng) - att->t_stage;
            advance(eng, att);
            continue;
        }
        if (stage == MXP_STAGE_HANDSHAKE) {
            switch (mxp_tls_handshake(att->ssl)) {
            case MXP_TLS_DONE:
                on_handshake_done(eng, att);
                advance(eng, att);
                continue;
            case MXP_TLS_WANT_READ:
                att->want = MXP_IO_READ;
                return;
            case MXP_TLS_WANT_WRITE:
                att->want = MXP_IO_WRITE;
                return;
            default:
                fail_transport(eng, att, mxp_tls_failure(att->ssl, &att->io));
                return;
            }
        }
        /* SMTP stages: send the command, then read the reply. */
        if (att->phase == PHASE_SEND) {
            size_t sent = 0;
            mxp_err e = att_send(eng, att, att->tx + att->tx_off, att->tx_len - att->tx_off, &sent);
            if (mxp_is(e, MXP_E_WOULD_BLOCK) || (mxp_ok(e) && sent == 0)) {
                att->want = MXP_IO_WRITE;
                return;
            }
            if (!mxp_ok(e)) {
                fail_transport(eng, att, e);
                return;
            }
            att->tx_off += sent;
            if (att->tx_off >= att->tx_len)
                att->phase = PHASE_RECV;
            continue;
        }
        struct mxp_smtp_reply reply;
        size_t used = 0;
        mxp_err pe = mxp_smtp_parse_reply(att->rx, att->rx_len, &reply, &used);
        if (mxp_ok(pe)) {
            on_reply(eng, att, &reply, used);
            continue;
        }
        if (!mxp_is(pe, MXP_E_WOULD_BLOCK)) {
            record_failure(eng, att, pe);
            att_finish(eng, att); /* the peer speaks no SMTP we trust: no QUIT */
            return;
        }
        if (att->rx_len >= sizeof att->rx) {
            record_failure(eng, att, MXP_ERR(MXP_E_SMTP_TOO_LONG, 0));
            att_finish(eng, att);
            return;
        }
        size_t got = 0;
        mxp_err e = att_recv(eng, att, att->rx + att->rx_len, sizeof att->rx - att->rx_len, &got);
        if (mxp_is(e, MXP_E_WOULD_BLOCK)) {
            att->want = MXP_IO_READ;
            return;
        }
        if (!mxp_ok(e)) {
            fail_transport(eng, att, e);
            return;
        }
        att->rx_len += got;
        att->stage_rx += (uint32_t)got;
    }
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
    bool implicit = plan->implicit_tls || plan->ports[p] == 465;
    att->flow = implicit ? flow_implicit : flow_starttls;
    att->flow_len = implicit ? sizeof flow_implicit : sizeof flow_starttls;
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
    ch->state = CHAIN_RUNNING;
    if (scout)
        eng->ports[p].scout_running = true;
    eng->active++;
    if (eng->active > eng->res->peak_concurrent)
        eng->res->peak_concurrent = eng->active;

    att->t_begin = now_ms(eng);
    att->t_stage = att->t_begin;
    att->deadline = att->t_begin + plan->timeout_ms;
    att->clamp_retry = eng->res->mss_clamp != 0 && eng->res->mss_clamp_helped == MXP_NOT_CHECKED &&
                       p == eng->res->mss_clamp_port && v == eng->clamp_version;
    if (eng->hal->net->set_mss != NULL)
        (void)eng->hal->net->set_mss(eng->hal->net_ctx, eng->mss);
    mxp_err e =
        eng->hal->net->connect(eng->hal->net_ctx, &eng->res->addr, plan->ports[p], &att->sock);
    att->io.sock = att->sock;
    if (!mxp_ok(e)) {
        fail_transport(eng, att, e);
        return;
    }
    att->want = MXP_IO_WRITE;
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
            if (eng->chains[p][v].state != CHAIN_IDLE)
                continue;
            start_attempt(eng, p, (uint8_t)v, !ps->scouted);
        }
    }
}

static void progress(struct mxp_engine *eng, bool force)
{
    const struct mxp_hal_sink_api *sink = eng->hal->sink;
    uint32_t now = now_ms(eng);
    if (sink->progress == NULL || !eng->plan->show_progress || now - eng->t0 < 1000)
        return;
    if (!force && now - eng->last_progress < 250)
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
            done += ch->state == CHAIN_DONE;
        }
    }
    uint32_t ms = now - eng->t0;
    snprintf(line, sizeof line, "mxprobe: %.32s  %u/%u version checks  %u connections  %lu.%lus",
             eng->plan->host, done, total, (unsigned)eng->res->connections,
             (unsigned long)(ms / 1000), (unsigned long)(ms / 100 % 10));
    sink->progress(eng->hal->sink_ctx, line);
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
        ch->state = CHAIN_DONE;
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
        ch->state = CHAIN_IDLE;
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

/* The address to probe: given by the plan (an MX lookup found it), through
 * the --dns server, or the platform's own resolver. */
static mxp_err resolve_target(struct mxp_engine *eng)
{
    const struct mxp_plan *plan = eng->plan;
    const struct mxp_hal *hal = eng->hal;
    struct mxp_result *res = eng->res;
    size_t n = 0;
    mxp_err e;
    if (plan->have_addr) {
        res->addr = plan->addr;
        n = 1;
        e = MXP_SUCCESS;
    } else if (plan->have_dns && !mxp_dns_is_literal(plan->host)) {
        e = mxp_resolver_init(&eng->dns.resolver, hal, &plan->dns_server, plan->dns_port,
                              plan->timeout_ms);
        if (mxp_ok(e))
            e = mxp_resolver_addrs(&eng->dns.resolver, plan->host, &res->addr, 1, &n,
                                   &eng->dns.answer);
    } else {
        e = hal->net->resolve(hal->net_ctx, plan->host, &res->addr, 1, &n, plan->timeout_ms);
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
    memset(eng->slots, 0, sizeof eng->slots); /* the DNS scratch is done with */
    return MXP_SUCCESS;
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
    uint8_t probe_byte;
    bool strong = false;
    MXP_GUARD(hal->entropy->fill(hal->entropy_ctx, &probe_byte, 1, &strong));
    res->entropy_strong = strong;

    MXP_GUARD(mxp_tls_init(&eng->tls, hal, plan->versions));
    for (uint8_t p = 0; p < plan->n_ports; p++)
        setup_port(eng, p);

    mxp_err re = resolve_target(eng);
    if (!mxp_ok(re))
        fail_unresolved(eng, re);
    else
        MXP_GUARD(path_phase(eng));

    mxp_err run_err = MXP_SUCCESS;
    for (;;) {
        if (interrupted(eng)) {
            res->interrupted = true;
            break;
        }
        schedule(eng);
        if (eng->active == 0)
            break;
        struct mxp_wait_item items[MXP_CFG_CONCURRENT_SLOTS];
        struct mxp_attempt *owners[MXP_CFG_CONCURRENT_SLOTS] = {0};
        size_t n = 0;
        uint32_t now = now_ms(eng);
        uint32_t wait_ms = plan->timeout_ms;
        for (size_t i = 0; i < MXP_CFG_CONCURRENT_SLOTS; i++) {
            struct mxp_attempt *att = &eng->slots[i];
            if (!att->active)
                continue;
            uint32_t left = mxp_deadline_passed(now, att->deadline) ? 0 : att->deadline - now;
            if (left < wait_ms)
                wait_ms = left;
            items[n].sock = att->sock;
            items[n].want = att->want;
            items[n].ready = 0;
            owners[n++] = att;
        }
        if (hal->sink->progress != NULL && plan->show_progress && wait_ms > 250)
            wait_ms = 250; /* keep the progress line moving */
        if (hal->sink->interrupted != NULL && wait_ms > 100)
            wait_ms = 100; /* answer Ctrl-C promptly */
        mxp_err we = hal->net->wait(hal->net_ctx, items, n, wait_ms);
        if (!mxp_ok(we)) {
            run_err = we;
            break;
        }
        now = now_ms(eng);
        for (size_t i = 0; i < n; i++) {
            struct mxp_attempt *att = owners[i];
            if (!att->active)
                continue;
            if (items[i].ready != 0)
                drive(eng, att);
            if (att->active && mxp_deadline_passed(now_ms(eng), att->deadline))
                fail_transport(eng, att, MXP_ERR(MXP_E_TIMEOUT, (int)plan->timeout_ms));
        }
        progress(eng, false);
    }

    /* Interrupted, or the HAL failed under us: close what is open without a
     * verdict; the result stays partial. */
    for (size_t i = 0; i < MXP_CFG_CONCURRENT_SLOTS; i++) {
        if (eng->slots[i].active)
            att_release(eng, &eng->slots[i], false, true);
    }
    for (uint8_t p = 0; p < plan->n_ports; p++)
        res->ports[p].elapsed_ms = now_ms(eng) - eng->t0;
    if (mxp_ok(run_err))
        mtu_phase(eng);
    res->interrupted = res->interrupted || eng->stopped;
    mxp_tls_deinit(&eng->tls);
    res->elapsed_ms = now_ms(eng) - eng->t0;
    if (hal->sink->progress != NULL && plan->show_progress)
        hal->sink->progress(hal->sink_ctx, NULL);
    return run_err;
}
