/*
 * Path diagnostics (see mxp_path.h).
 *
 * Reachability: each port gets paced TCP connects (SYN, SYN/ACK, then a
 * plain close), never more than plan->max_concurrent at once. The first
 * failure of a port that has not answered yet ends its sampling: one timeout
 * is enough to call it filtered, and a second costs the MX nothing but us
 * another deadline.
 *
 * Path MTU: a binary search between the protocol minimum (576 for IPv4, 1280
 * for IPv6) and the local route's MTU, with don't-fragment probes through
 * the HAL. A size that comes back "fragmentation needed" lowers the ceiling
 * to the MTU the router named, which is tried next; a size that vanishes
 * twice without any ICMP lowers it too and is remembered: a packet that is
 * too big and dropped silently is the signature of a PMTU black hole.
 */
#include "mxp_path.h"

#include <string.h>

static uint32_t now_ms(const struct mxp_path_env *env)
{
    return env->hal->clock->now_ms(env->hal->clock_ctx);
}

bool mxp_path_interrupted(struct mxp_path_env *env)
{
    const struct mxp_hal_sink_api *sink = env->hal->sink;
    if (!env->stopped && sink->interrupted != NULL && sink->interrupted(env->hal->sink_ctx))
        env->stopped = true;
    return env->stopped;
}

/* ---- reachability and connect RTT ------------------------------------------------- */

struct sampler {
    struct mxp_reach_result *rr;
    uint8_t want; /* samples to take */
    bool done;
    mxp_sock sock;
    uint32_t t_start;
    uint32_t next_at;
    uint32_t ms[MXP_RTT_SAMPLES_MAX];
};

static void rtt_stats(struct sampler *s)
{
    struct mxp_reach_result *rr = s->rr;
    uint32_t sorted[MXP_RTT_SAMPLES_MAX];
    uint32_t jitter_sum = 0;
    uint8_t n = rr->ok;
    if (n == 0)
        return;
    memcpy(sorted, s->ms, n * sizeof sorted[0]);
    for (uint8_t i = 1; i < n; i++) {
        uint32_t v = sorted[i];
        uint8_t j = i;
        for (; j > 0 && sorted[j - 1] > v; j--)
            sorted[j] = sorted[j - 1];
        sorted[j] = v;
        jitter_sum += s->ms[i] > s->ms[i - 1] ? s->ms[i] - s->ms[i - 1] : s->ms[i - 1] - s->ms[i];
    }
    rr->min_ms = sorted[0];
    rr->max_ms = sorted[n - 1];
    rr->median_ms = (n % 2) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    rr->jitter_ms = n > 1 ? jitter_sum / (n - 1u) : 0;
}

static enum mxp_reach classify(mxp_err e)
{
    switch (e.code) {
    case MXP_E_TCP_REFUSED:
    case MXP_E_TCP_RESET:
        return MXP_REACH_REFUSED;
    case MXP_E_TIMEOUT:
        return MXP_REACH_FILTERED;
    case MXP_E_TCP_UNREACHABLE:
        return MXP_REACH_UNREACHABLE;
    default:
        return MXP_REACH_ERROR;
    }
}

/* One sample ended at `t` with e (MXP_OK: connected). */
static void sample_done(struct mxp_path_env *env, struct sampler *s, mxp_err e, uint32_t t)
{
    struct mxp_reach_result *rr = s->rr;
    if (s->sock != MXP_SOCK_NONE) {
        /* A connected sample ends with FIN; a half-open one with RST. */
        env->hal->net->close(env->hal->net_ctx, s->sock, !mxp_ok(e));
        s->sock = MXP_SOCK_NONE;
    }
    rr->samples++;
    if (mxp_ok(e))
        s->ms[rr->ok++] = t - s->t_start;
    else if (mxp_ok(rr->err))
        rr->err = e;
    s->next_at = s->t_start + env->plan->rtt_interval_ms;
    if (rr->samples >= s->want || (rr->ok == 0 && !mxp_ok(e)))
        s->done = true;
    if (s->done) {
        rr->reach = rr->ok > 0 ? MXP_REACH_OPEN : classify(rr->err);
        rtt_stats(s);
    }
}

/* Start the sampler's next connect when it is due and there is room.
 * Returns true when it has a connect in flight to wait on; lowers *wait_ms
 * to its next event. */
static bool sampler_due(struct mxp_path_env *env, const struct mxp_addr *addr, struct sampler *s,
                        uint32_t t, uint8_t *open, uint32_t *wait_ms)
{
    const struct mxp_hal *hal = env->hal;
    if (s->sock == MXP_SOCK_NONE) {
        if (!mxp_deadline_passed(t, s->next_at)) {
            if (s->next_at - t < *wait_ms)
                *wait_ms = s->next_at - t;
            return false;
        }
        if (*open >= env->plan->max_concurrent)
            return false;
        if (hal->net->set_mss != NULL)
            (void)hal->net->set_mss(hal->net_ctx, 0);
        s->t_start = t;
        mxp_err e = hal->net->connect(hal->net_ctx, addr, s->rr->port, &s->sock);
        if (!mxp_ok(e)) {
            s->sock = MXP_SOCK_NONE;
            sample_done(env, s, e, t);
            return false;
        }
        (*open)++;
    }
    uint32_t deadline = s->t_start + env->plan->timeout_ms;
    uint32_t left = mxp_deadline_passed(t, deadline) ? 0 : deadline - t;
    if (left < *wait_ms)
        *wait_ms = left;
    return true;
}

/* After wait(): the connect completed, failed, or ran out of time. */
static void sampler_ready(struct mxp_path_env *env, struct sampler *s, uint8_t ready, uint32_t t,
                          uint8_t *open)
{
    mxp_err e = MXP_ERR(MXP_E_WOULD_BLOCK, 0);
    if (ready != 0)
        e = env->hal->net->connect_result(env->hal->net_ctx, s->sock);
    if (mxp_is(e, MXP_E_WOULD_BLOCK)) {
        if (!mxp_deadline_passed(t, s->t_start + env->plan->timeout_ms))
            return;
        e = MXP_ERR(MXP_E_TIMEOUT, (int)env->plan->timeout_ms);
    }
    (*open)--;
    sample_done(env, s, e, t);
}

/* Take samples for n reach records, `want` each. */
static mxp_err sample(struct mxp_path_env *env, const struct mxp_addr *addr,
                      struct mxp_reach_result *rr, size_t n, uint8_t want)
{
    const struct mxp_hal *hal = env->hal;
    struct sampler st[MXP_CFG_REACH_MAX];
    uint8_t open = 0;
    uint32_t t = now_ms(env);
    for (size_t i = 0; i < n; i++) {
        memset(&st[i], 0, sizeof st[i]);
        st[i].rr = &rr[i];
        st[i].want = want;
        st[i].sock = MXP_SOCK_NONE;
        st[i].next_at = t;
    }
    mxp_err run_err = MXP_SUCCESS;
    while (!mxp_path_interrupted(env)) {
        bool all_done = true;
        t = now_ms(env);
        uint32_t wait_ms = 100; /* answer Ctrl-C promptly */
        struct mxp_wait_item items[MXP_CFG_REACH_MAX];
        struct sampler *owner[MXP_CFG_REACH_MAX];
        size_t n_items = 0;
        for (size_t i = 0; i < n; i++) {
            all_done = all_done && st[i].done;
            if (st[i].done || !sampler_due(env, addr, &st[i], t, &open, &wait_ms))
                continue;
            items[n_items] = (struct mxp_wait_item){.sock = st[i].sock, .want = MXP_IO_WRITE};
            owner[n_items++] = &st[i];
        }
        if (all_done)
            break;
        run_err = hal->net->wait(hal->net_ctx, items, n_items, wait_ms);
        if (!mxp_ok(run_err))
            break;
        t = now_ms(env);
        for (size_t k = 0; k < n_items; k++)
            sampler_ready(env, owner[k], items[k].ready, t, &open);
    }
    /* Stopped or the HAL failed: close what is open; those samples do not count. */
    for (size_t i = 0; i < n; i++) {
        if (st[i].sock != MXP_SOCK_NONE)
            hal->net->close(hal->net_ctx, st[i].sock, true);
        if (!st[i].done && st[i].rr->ok > 0) {
            st[i].rr->reach = MXP_REACH_OPEN;
            rtt_stats(&st[i]);
        }
    }
    return run_err;
}

static bool silent(const struct mxp_reach_result *rr)
{
    return rr != NULL && (rr->reach == MXP_REACH_FILTERED || rr->reach == MXP_REACH_UNREACHABLE);
}

mxp_err mxp_path_reach(struct mxp_path_env *env, const struct mxp_addr *addr,
                       struct mxp_result *res)
{
    const struct mxp_plan *plan = env->plan;
    static const uint16_t witnesses[] = {587, 465};
    res->n_reach = 0;
    for (size_t i = 0; i < plan->n_ports; i++) {
        struct mxp_reach_result *rr = &res->reach[res->n_reach++];
        memset(rr, 0, sizeof *rr);
        rr->port = plan->ports[i];
    }
    MXP_GUARD(sample(env, addr, res->reach, res->n_reach, plan->rtt_samples));
    if (!silent(mxp_result_reach_of(res, 25)) || env->stopped)
        return MXP_SUCCESS;
    /* 25 gave no answer: do the submission ports answer? Then the host is up
     * and something on the way blocks 25 (an ISP or a firewall). */
    size_t first = res->n_reach;
    for (size_t i = 0; i < sizeof witnesses / sizeof witnesses[0]; i++) {
        if (mxp_result_reach_of(res, witnesses[i]) != NULL || res->n_reach >= MXP_CFG_REACH_MAX)
            continue;
        struct mxp_reach_result *rr = &res->reach[res->n_reach++];
        memset(rr, 0, sizeof *rr);
        rr->port = witnesses[i];
        rr->witness = true;
    }
    return sample(env, addr, &res->reach[first], res->n_reach - first, 1);
}

/* ---- path MTU ------------------------------------------------------------------ */

/* One size, asked twice when nothing comes back (a lost probe is not a verdict). */
static mxp_err probe_size(struct mxp_path_env *env, const struct mxp_addr *addr, uint16_t size,
                          uint32_t timeout_ms, struct mxp_mtu_result *out,
                          struct mxp_mtu_reply *rep)
{
    const struct mxp_hal *hal = env->hal;
    for (int attempt = 0; attempt < 2; attempt++) {
        memset(rep, 0, sizeof *rep);
        if (mxp_path_interrupted(env))
            return MXP_ERR(MXP_E_IO, 0);
        MXP_GUARD(hal->net->mtu_probe(hal->net_ctx, addr, size, timeout_ms, rep));
        if (out->probes < UINT8_MAX)
            out->probes++;
        if (rep->outcome != MXP_MTU_NO_ANSWER)
            break;
    }
    return MXP_SUCCESS;
}

/* Binary search between floor (known to pass) and the local route's MTU:
 * *path_mtu gets the largest size that passed; an error stops the search. */
static mxp_err mtu_search(struct mxp_path_env *env, const struct mxp_addr *addr, uint16_t floor,
                          uint16_t iface_mtu, uint32_t timeout, struct mxp_mtu_result *out,
                          uint16_t *path_mtu)
{
    struct mxp_mtu_reply rep;
    uint16_t lo = floor;          /* largest size known to pass */
    uint32_t hi = iface_mtu + 1u; /* smallest size known not to pass */
    uint16_t size = iface_mtu;    /* most paths carry the full MTU: try it first */
    while (hi - lo > 1) {
        MXP_GUARD(probe_size(env, addr, size, timeout, out, &rep));
        switch (rep.outcome) {
        case MXP_MTU_FITS:
            lo = size;
            break;
        case MXP_MTU_TOO_BIG:
            out->frag_needed = true;
            hi = size;
            if (rep.next_hop_mtu > lo && rep.next_hop_mtu < size) {
                /* The router said what fits: nothing above it will; try it. */
                out->reported_mtu = rep.next_hop_mtu;
                size = rep.next_hop_mtu;
                hi = size + 1u;
                continue;
            }
            break;
        case MXP_MTU_UNREACHABLE:
            return MXP_ERR(MXP_E_TCP_UNREACHABLE, 0);
        default: /* nothing came back, twice: too big and dropped without a word? */
            hi = size;
            if (out->silent_above == 0 || size < out->silent_above)
                out->silent_above = size;
            break;
        }
        size = (uint16_t)(lo + (hi - lo) / 2);
    }
    *path_mtu = lo;
    return MXP_SUCCESS;
}

void mxp_path_mtu(struct mxp_path_env *env, const struct mxp_addr *addr, uint32_t rtt_hint_ms,
                  struct mxp_mtu_result *out)
{
    const struct mxp_hal *hal = env->hal;
    struct mxp_mtu_reply rep;
    memset(out, 0, sizeof *out);
    if (hal->net->mtu_probe == NULL) {
        out->err = MXP_ERR(MXP_E_UNSUPPORTED, 0);
        return;
    }
    memset(&rep, 0, sizeof rep);
    mxp_err e = hal->net->mtu_probe(hal->net_ctx, addr, 0, 0, &rep);
    if (!mxp_ok(e)) {
        out->err = e;
        return;
    }
    if (rep.method != NULL) {
        size_t n = strlen(rep.method);
        n = n < sizeof out->method ? n : sizeof out->method - 1;
        memcpy(out->method, rep.method, n);
        out->method[n] = '\0';
    }
    out->iface_mtu = rep.iface_mtu;
    uint32_t timeout = 4 * rtt_hint_ms + 250;
    timeout = timeout > 2000 ? 2000 : timeout;
    uint16_t floor = addr->family == MXP_AF_INET6 ? 1280 : 576;
    if (rep.iface_mtu < floor) {
        out->status = MXP_MTU_FAILED;
        out->err = MXP_ERR(MXP_E_TCP, rep.iface_mtu);
        return;
    }

    /* The protocol minimum must pass, or nobody answers our probes at all. */
    e = probe_size(env, addr, floor, timeout, out, &rep);
    if (mxp_ok(e) && rep.outcome != MXP_MTU_FITS) {
        out->status = rep.outcome == MXP_MTU_NO_ANSWER ? MXP_MTU_NO_REPLY : MXP_MTU_FAILED;
        out->err = rep.outcome == MXP_MTU_UNREACHABLE ? MXP_ERR(MXP_E_TCP_UNREACHABLE, 0)
                                                      : MXP_ERR(MXP_E_TCP, rep.next_hop_mtu);
        return;
    }
    uint16_t path_mtu = 0;
    if (mxp_ok(e))
        e = mtu_search(env, addr, floor, rep.iface_mtu, timeout, out, &path_mtu);
    if (!mxp_ok(e)) {
        out->status = env->stopped ? MXP_MTU_NOT_MEASURED : MXP_MTU_FAILED;
        out->err = e;
        return;
    }
    out->path_mtu = path_mtu;
    out->status = MXP_MTU_MEASURED;
}

/* ---- reverse DNS --------------------------------------------------------------- */

bool mxp_path_addr_is_local(const struct mxp_addr *a)
{
    static const uint8_t v6_loopback[16] = {[15] = 1};
    const uint8_t *b = a->bytes;
    if (a->family == MXP_AF_INET)
        return b[0] == 127 || b[0] == 10 || (b[0] == 169 && b[1] == 254) ||
               (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168) ||
               (b[0] == 100 && (b[1] & 0xc0) == 64);
    return memcmp(b, v6_loopback, 16) == 0 || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) ||
           (b[0] & 0xfe) == 0xfc;
}

void mxp_path_rdns(struct mxp_resolver *r, const struct mxp_addr *addr,
                   struct mxp_dns_answer *scratch, struct mxp_rdns_result *out)
{
    char name[MXP_DNS_PTR_NAME_MAX];
    memset(out, 0, sizeof *out);
    mxp_err e = mxp_dns_ptr_name(addr, name, sizeof name);
    if (mxp_ok(e))
        e = mxp_resolver_query(r, name, MXP_DNS_PTR, scratch);
    if (!mxp_ok(e) || scratch->n == 0) {
        bool none = mxp_is(e, MXP_E_DNS_NXDOMAIN) || mxp_is(e, MXP_E_DNS_NODATA) || mxp_ok(e);
        out->status = none ? MXP_RDNS_NONE : MXP_RDNS_FAILED;
        out->err = mxp_ok(e) ? MXP_ERR(MXP_E_DNS_NODATA, 0) : e;
        return;
    }
    out->status = MXP_RDNS_FOUND;
    out->n_ptr = scratch->n;
    memcpy(out->ptr, scratch->rr[0].name, sizeof out->ptr);
    out->ptr[sizeof out->ptr - 1] = '\0';

    struct mxp_addr fwd[8];
    size_t n = 0;
    e = mxp_resolver_addrs(r, out->ptr, fwd, sizeof fwd / sizeof fwd[0], &n, scratch);
    if (!mxp_ok(e) && !mxp_is(e, MXP_E_DNS_NXDOMAIN) && !mxp_is(e, MXP_E_DNS_NODATA)) {
        out->fcrdns = MXP_NOT_CHECKED; /* the forward lookup failed: no verdict */
        out->forward_err = e;
        return;
    }
    out->fcrdns = MXP_NO;
    out->forward_err = e;
    for (size_t i = 0; i < n; i++) {
        if (mxp_addr_eq(&fwd[i], addr))
            out->fcrdns = MXP_YES;
    }
}
