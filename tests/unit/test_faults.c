/*
 * Every exit path clean, proven by fault injection (issue 11).
 *
 * The whole engine runs against the fakes: an MX lookup through the engine's
 * resolver, then a probe of two ports (25 with STARTTLS, 465 with implicit
 * TLS) whose peer completes real TLS handshakes (an OpenSSL server over
 * memory buffers behind tests/fakes/fake_net.c), with connect samples, path
 * MTU and reverse DNS on, then the report written through the sink. All of
 * it runs over the fault plan of tests/fakes/fake_faults.c.
 *
 * A clean run first counts the calls of every HAL operation (and wolfSSL
 * allocation). Then the run is repeated once per injection point: the Nth
 * call of an operation fails (or says WOULD_BLOCK, or comes up short). Every
 * run must end with a result or a returned error, every wolfSSL allocation
 * freed again, every fake socket closed, the progress line cleared, and the
 * injected fault must have been reached (the runs are deterministic up to
 * it). Shaped runs (replies byte by byte, short writes, WOULD_BLOCK on every
 * other call) must come to the same verdicts as the clean run.
 *
 * `test_faults --stride N` tries every Nth injection point of each operation
 * (the first and last always). The default tries them all (about 16 s on the
 * optimized build here); under the sanitizers, unoptimized, a run costs
 * about 5x as much, so that build takes every 4th point by default (every
 * operation still covered), and `--stride 1` there tries them all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "mxp_dns.h"
#include "mxp_err_text.h"
#include "mxp_fakes.h"
#include "mxp_mx.h"
#include "mxp_probe.h"
#include "mxp_report.h"
#include "mxp_wolfssl_port.h"
#include "mxp_writer.h"

#if defined(__SANITIZE_ADDRESS__)
#define MXP_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MXP_SANITIZED 1
#endif
#endif
#ifdef MXP_SANITIZED
static unsigned stride = 4;
#else
static unsigned stride = 1;
#endif

/* ---- the MX's TLS side: OpenSSL over memory BIOs ---------------------------- */

struct peer_conn {
    SSL *ssl;
    bool implicit; /* port 465: the SMTP greeting comes after the handshake */
    bool closed;
    char line[512];
    size_t line_len;
};

struct tls_peer {
    SSL_CTX *ctx;
    struct peer_conn conn[MXP_FAKE_CONNS];
    unsigned live;       /* sessions open */
    unsigned handshakes; /* completed */
};

static struct tls_peer peer;

static void peer_say(struct peer_conn *c, const char *s)
{
    (void)SSL_write(c->ssl, s, (int)strlen(s));
}

static void peer_line(struct peer_conn *c)
{
    if (strncmp(c->line, "EHLO", 4) == 0) {
        peer_say(c, "250-mx.example.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n");
    } else if (strncmp(c->line, "QUIT", 4) == 0) {
        peer_say(c, "221 2.0.0 Bye\r\n");
        (void)SSL_shutdown(c->ssl);
        c->closed = true;
    } else {
        peer_say(c, "502 5.5.2 Error: command not recognized\r\n");
    }
}

/* Run the server as far as the client's bytes allow. */
static void peer_pump(struct peer_conn *c)
{
    if (c->closed)
        return;
    if (!SSL_is_init_finished(c->ssl)) {
        int r = SSL_do_handshake(c->ssl);
        if (r != 1) {
            int e = SSL_get_error(c->ssl, r);
            if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
                c->closed = true; /* its alert is queued for the client */
            ERR_clear_error();
            return;
        }
        peer.handshakes++;
        if (c->implicit)
            peer_say(c, "220 mx.example.test ESMTP\r\n");
    }
    char buf[256];
    while (!c->closed) {
        int r = SSL_read(c->ssl, buf, sizeof buf);
        if (r <= 0) {
            int e = SSL_get_error(c->ssl, r);
            if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
                c->closed = true; /* close_notify or a broken record */
            ERR_clear_error();
            return;
        }
        for (int i = 0; i < r && !c->closed; i++) {
            if (c->line_len < sizeof c->line - 1)
                c->line[c->line_len++] = buf[i];
            if (buf[i] == '\n') {
                c->line[c->line_len] = '\0';
                peer_line(c);
                c->line_len = 0;
            }
        }
    }
}

static void peer_start(void *arg, int conn, uint16_t port)
{
    struct tls_peer *p = arg;
    struct peer_conn *c = &p->conn[conn];
    assert_null(c->ssl);
    memset(c, 0, sizeof *c);
    c->ssl = SSL_new(p->ctx);
    assert_non_null(c->ssl);
    SSL_set_bio(c->ssl, BIO_new(BIO_s_mem()), BIO_new(BIO_s_mem()));
    SSL_set_accept_state(c->ssl);
    c->implicit = port == 465;
    p->live++;
}

static size_t peer_from_client(void *arg, int conn, const uint8_t *buf, size_t len)
{
    struct tls_peer *p = arg;
    struct peer_conn *c = &p->conn[conn];
    if (!c->closed && len > 0) {
        assert_int_equal(BIO_write(SSL_get_rbio(c->ssl), buf, (int)len), (int)len);
        peer_pump(c);
    }
    return len; /* after the close: swallowed, as a kernel would until the RST */
}

static size_t peer_to_client(void *arg, int conn, uint8_t *buf, size_t cap, bool *closed)
{
    struct tls_peer *p = arg;
    struct peer_conn *c = &p->conn[conn];
    BIO *out = SSL_get_wbio(c->ssl);
    if (cap > 0 && BIO_ctrl_pending(out) > 0) {
        int k = BIO_read(out, buf, (int)(cap > 65536 ? 65536 : cap));
        if (k > 0)
            return (size_t)k;
    }
    *closed = c->closed;
    return 0;
}

static bool peer_readable(void *arg, int conn)
{
    struct tls_peer *p = arg;
    struct peer_conn *c = &p->conn[conn];
    return c->closed || BIO_ctrl_pending(SSL_get_wbio(c->ssl)) > 0;
}

static void peer_stop(void *arg, int conn)
{
    struct tls_peer *p = arg;
    struct peer_conn *c = &p->conn[conn];
    SSL_free(c->ssl);
    memset(c, 0, sizeof *c);
    p->live--;
}

static const struct mxp_fake_tls_api peer_api = {
    .start = peer_start,
    .from_client = peer_from_client,
    .to_client = peer_to_client,
    .readable = peer_readable,
    .stop = peer_stop,
};

#define CERT_NOT_BEFORE 1704067200 /* 2024-01-01 */
#define CERT_NOT_AFTER 2019686400  /* 2034-01-01 */
#define WALL_CLOCK 1767225600      /* 2026-01-01 */

/* A P-256 key and a self-signed certificate naming mx.example.test. */
static void peer_setup(void)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *x = X509_new();
    assert_non_null(key);
    assert_non_null(x);
    assert_int_equal(X509_set_version(x, 2), 1);
    assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(x), 1), 1);
    /* Fixed dates (and a fixed fake wall clock between them): every run of
     * every build sees the same certificate summary. */
    assert_non_null(ASN1_TIME_set(X509_getm_notBefore(x), (time_t)CERT_NOT_BEFORE));
    assert_non_null(ASN1_TIME_set(X509_getm_notAfter(x), (time_t)CERT_NOT_AFTER));
    X509_NAME *name = X509_get_subject_name(x);
    assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                                (const unsigned char *)"mx.example.test", -1, -1,
                                                0),
                     1);
    assert_int_equal(X509_set_issuer_name(x, name), 1);
    X509_EXTENSION *san =
        X509V3_EXT_nconf_nid(NULL, NULL, NID_subject_alt_name, "DNS:mx.example.test");
    assert_non_null(san);
    assert_int_equal(X509_add_ext(x, san, -1), 1);
    X509_EXTENSION_free(san);
    assert_int_equal(X509_set_pubkey(x, key), 1);
    assert_true(X509_sign(x, key, EVP_sha256()) > 0);

    memset(&peer, 0, sizeof peer);
    peer.ctx = SSL_CTX_new(TLS_server_method());
    assert_non_null(peer.ctx);
    assert_int_equal(SSL_CTX_use_certificate(peer.ctx, x), 1);
    assert_int_equal(SSL_CTX_use_PrivateKey(peer.ctx, key), 1);
    assert_int_equal(SSL_CTX_set_min_proto_version(peer.ctx, TLS1_2_VERSION), 1);
    assert_int_equal(SSL_CTX_set_cipher_list(peer.ctx, "ECDHE-ECDSA-AES128-GCM-SHA256"), 1);
    /* P-256 only: the client's TLS 1.3 key share is X25519, so every TLS 1.3
     * handshake takes a HelloRetryRequest; and the test stays fast (the
     * byte-oriented X25519 of this wolfSSL build is the slow part). */
    assert_int_equal(SSL_CTX_set1_groups_list(peer.ctx, "P-256"), 1);
    X509_free(x);
    EVP_PKEY_free(key);
}

static void peer_teardown(void)
{
    SSL_CTX_free(peer.ctx);
    peer.ctx = NULL;
}

/* ---- the zone behind the fake's port 53 ---------------------------------------- */

static size_t put_name(uint8_t *p, const char *name)
{
    size_t n = 0;
    while (*name) {
        const char *dot = strchr(name, '.');
        size_t len = dot ? (size_t)(dot - name) : strlen(name);
        p[n++] = (uint8_t)len;
        memcpy(p + n, name, len);
        n += len;
        name += len + (dot ? 1 : 0);
    }
    p[n++] = 0;
    return n;
}

/* One answer record owned by the question name (a pointer to offset 12). */
static size_t put_rr(uint8_t *p, uint16_t type, const uint8_t *rdata, size_t rdlen)
{
    static const uint8_t head[] = {0xc0, 12, 0, 0, 0, 1, 0, 0, 0, 60};
    memcpy(p, head, sizeof head);
    p[2] = (uint8_t)(type >> 8);
    p[3] = (uint8_t)type;
    p[10] = (uint8_t)(rdlen >> 8);
    p[11] = (uint8_t)rdlen;
    memcpy(p + 12, rdata, rdlen);
    return 12 + rdlen;
}

/* example.test MX 10 mx.example.test; mx.example.test A 192.0.2.1 (what
 * the fake's resolve() says too); 192.0.2.1 PTR mx.example.test. */
static size_t zone_answer(void *arg, bool tcp, const uint8_t *q, size_t len, uint8_t *out,
                          size_t cap, struct mxp_addr *from, uint16_t *from_port)
{
    char name[256];
    size_t pos = 12, n = 0;
    uint8_t rd[64];
    (void)arg;
    (void)tcp;
    (void)from;
    (void)from_port;
    if (len < 17 || cap < 512)
        return 0;
    while (pos < len && q[pos] != 0 && n + q[pos] + 1 < sizeof name) {
        size_t l = q[pos++];
        if (n > 0)
            name[n++] = '.';
        memcpy(name + n, q + pos, l);
        n += l;
        pos += l;
    }
    name[n] = '\0';
    pos++;
    if (pos + 4 > len)
        return 0;
    uint16_t qtype = (uint16_t)(q[pos] << 8 | q[pos + 1]);
    pos += 4;
    memcpy(out, q, pos);
    out[2] = 0x84 | (q[2] & 0x01); /* QR, AA, RD copied */
    out[3] = 0x80;                 /* RA, NOERROR */
    memset(out + 6, 0, 6);
    size_t o = pos;
    if (strcmp(name, "example.test") == 0 && qtype == MXP_DNS_MX) {
        rd[0] = 0;
        rd[1] = 10;
        o += put_rr(out + o, MXP_DNS_MX, rd, 2 + put_name(rd + 2, "mx.example.test"));
        out[7] = 1;
    } else if (strcmp(name, "mx.example.test") == 0 && qtype == MXP_DNS_A) {
        static const uint8_t a[4] = {192, 0, 2, 1};
        o += put_rr(out + o, MXP_DNS_A, a, 4);
        out[7] = 1;
    } else if (strcmp(name, "1.2.0.192.in-addr.arpa") == 0 && qtype == MXP_DNS_PTR) {
        o += put_rr(out + o, MXP_DNS_PTR, rd, put_name(rd, "mx.example.test"));
        out[7] = 1;
    } else if (strcmp(name, "mx.example.test") != 0 && strcmp(name, "example.test") != 0) {
        out[3] = 0x83; /* NXDOMAIN */
    }
    return o;
}

/* ---- one run of the whole engine ---------------------------------------------------- */

#define SEND(s)                                                                                    \
    {                                                                                              \
        MXP_FAKE_SEND, (s), 0                                                                      \
    }
#define EXPECT(s)                                                                                  \
    {                                                                                              \
        MXP_FAKE_EXPECT, (s), 0                                                                    \
    }

static const struct mxp_fake_step starttls_script[] = {
    SEND("220 mx.example.test ESMTP\r\n"),
    EXPECT("EHLO"),
    SEND("250-mx.example.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n"),
    EXPECT("STARTTLS"),
    SEND("220 2.0.0 Ready to start TLS\r\n"),
    {MXP_FAKE_TLS, NULL, 0},
};
static const struct mxp_fake_step implicit_script[] = {{MXP_FAKE_TLS, NULL, 0}};
static const struct mxp_fake_port_script port_scripts[] = {
    {25, starttls_script, sizeof starttls_script / sizeof starttls_script[0]},
    {465, implicit_script, 1},
};

/* TLS 1.3 with one suite, TLS 1.2 with one the server takes and one it
 * refuses (it has no RSA key): accepted and rejected handshakes on both
 * ports, six connections. */
static const uint16_t plan_suites[] = {0x1301, 0xC02B, 0xC02F};

struct bench {
    struct mxp_fake_clock clock;
    struct mxp_fake_entropy entropy;
    struct mxp_fake_net net;
    struct mxp_fake_sink sink;
    struct mxp_hal inner;
    struct mxp_fault_hal faults;
    struct mxp_plan plan;
    struct mxp_mx_set mx;
    struct mxp_result result;
    struct mxp_engine *engine;
    char out[256];
    /* what the run returned */
    mxp_err mx_err;
    mxp_err run_err;
    mxp_err report_err;
};

static mxp_err sink_flush(void *ctx, const char *buf, size_t len)
{
    const struct mxp_hal *hal = ctx;
    return hal->sink->write(hal->sink_ctx, buf, len);
}

static void run_engine(struct bench *b, struct mxp_fault_plan *fp)
{
    mxp_fake_clock_init(&b->clock, 0xffffe000u); /* wraps during the run */
    mxp_fake_clock_set_unix(&b->clock, WALL_CLOCK);
    mxp_fake_entropy_init(&b->entropy, 42);
    b->entropy.strong = true;
    mxp_fake_net_init(&b->net, starttls_script, 0, &b->clock);
    b->net.port_scripts = port_scripts;
    b->net.n_port_scripts = sizeof port_scripts / sizeof port_scripts[0];
    b->net.tls = &peer_api;
    b->net.tls_arg = &peer;
    b->net.dns = zone_answer;
    b->net.dns_server.family = MXP_AF_INET;
    memcpy(b->net.dns_server.bytes, (const uint8_t[]){192, 0, 2, 53}, 4);
    b->net.mtu_iface = 1500;
    b->net.mtu_path = 1400;
    b->net.mtu_frag_needed = true;
    mxp_fake_sink_init(&b->sink);
    mxp_fake_hal_wire(&b->inner, &b->clock, &b->entropy, &b->net, &mxp_fake_net_api_full,
                      &mxp_fake_sink_api, &b->sink);
    mxp_fault_hal_wrap(&b->faults, &b->inner, fp);
    const struct mxp_hal *hal = &b->faults.hal;

    mxp_plan_defaults(&b->plan);
    strcpy(b->plan.host, "mx.example.test");
    strcpy(b->plan.sni, "mx.example.test");
    b->plan.ports[0] = 25;
    b->plan.ports[1] = 465;
    b->plan.n_ports = 2;
    memcpy(b->plan.suites, plan_suites, sizeof plan_suites);
    b->plan.n_suites = sizeof plan_suites / sizeof plan_suites[0];
    b->plan.timeout_ms = 2000;
    b->plan.rtt_samples = 2;

    mxp_wolfssl_port_init(hal);
    mxp_fault_alloc_install(fp);
    b->mx_err = mxp_mx_lookup(hal, &b->plan, b->engine, "example.test", &b->mx);
    b->run_err = mxp_probe_run(hal, &b->plan, b->engine, &b->result);
    b->report_err = MXP_SUCCESS;
    if (mxp_ok(b->run_err)) {
        struct mxp_writer w;
        mxp_writer_init(&w, b->out, sizeof b->out, sink_flush, (void *)hal);
        mxp_report_text(&b->result, &w);
        b->report_err = mxp_writer_finish(&w);
    }
    mxp_fault_alloc_install(NULL);
    mxp_wolfssl_port_init(NULL);
}

/* What a run must leave behind, whatever failed in it; NULL when it did. */
static const char *unclean(const struct bench *b, const struct mxp_fault_plan *fp)
{
    if (fp->runaway)
        return "runaway: the engine did not stop";
    if (fp->nth != 0 && !fp->fired)
        return "the injection point was never reached";
    if (!mxp_ok(b->mx_err))
        return "mxp_mx_lookup returned an error";
    if (fp->live_allocs != 0)
        return "wolfSSL allocations left (a context or session not freed)";
    if (b->net.open_now != 0)
        return "a socket left open";
    if (b->net.bad_closes != 0)
        return "a socket closed that was not open";
    if (peer.live != 0)
        return "a TLS session of the peer left open";
    if (b->sink.progress_shown)
        return "the progress line was not cleared";
    if (!mxp_ok(b->run_err) && fp->nth == 0)
        return "a clean run returned an error";
    if (mxp_ok(b->run_err) && b->result.schema != MXP_RESULT_SCHEMA_VERSION)
        return "no result";
    return NULL;
}

/* The verdict-bearing part of a result, as text to compare runs by. */
static void summarize(const struct mxp_result *r, char *buf, size_t cap)
{
    size_t n = 0;
    n += (size_t)snprintf(buf + n, cap - n, "resolved=%d conns=%u rdns=%u fcrdns=%u mtu=%u/%u",
                          r->resolved, r->connections, r->rdns.status, r->rdns.fcrdns,
                          r->mtu.status, r->mtu.path_mtu);
    for (size_t i = 0; i < r->n_reach && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, " reach%u=%u/%u/%u", r->reach[i].port,
                              r->reach[i].reach, r->reach[i].samples, r->reach[i].ok);
    for (size_t p = 0; p < r->n_ports && n < cap; p++) {
        const struct mxp_port_result *pr = &r->ports[p];
        n += (size_t)snprintf(
            buf + n, cap - n, " | %u: stop=%u/%04x banner=%u ehlo=%u/%u starttls=%u cert=%d/%u/%u",
            pr->port, pr->stop.stage, pr->stop.err.code, pr->banner_code, pr->ehlo_code, pr->n_caps,
            pr->starttls_code, pr->cert.present, pr->cert.name_match, pr->cert.key_curve);
        for (int v = 0; v < MXP_TLS_VERSION_COUNT && n < cap; v++) {
            const struct mxp_version_result *vr = &pr->versions[v];
            n += (size_t)snprintf(buf + n, cap - n, " v%d=%u/%u/%04x/%u:%d", v, vr->status,
                                  vr->connections, vr->fail.err.code, vr->fail.stage,
                                  vr->fail.err.detail);
            for (size_t s = 0; s < vr->n_suites && n < cap; s++)
                n += (size_t)snprintf(buf + n, cap - n, " %04x:%u", vr->suites[s].suite,
                                      vr->suites[s].status);
        }
    }
}

static struct bench *bench_new(void)
{
    struct bench *b = calloc(1, sizeof *b);
    assert_non_null(b);
    b->engine = malloc(mxp_engine_size());
    assert_non_null(b->engine);
    return b;
}

static void bench_free(struct bench *b)
{
    free(b->engine);
    free(b);
}

/* ---- tests ------------------------------------------------------------------------ */

/* The clean run: what the sweep below perturbs must be a full, real probe. */
static void test_clean_run_completes_real_handshakes(void **state)
{
    (void)state;
    struct bench *b = bench_new();
    struct mxp_fault_plan fp = {0};
    peer.handshakes = 0;
    run_engine(b, &fp);
    assert_null(unclean(b, &fp));
    const struct mxp_result *r = &b->result;
    assert_int_equal(b->mx.status, MXP_MX_FOUND);
    assert_int_equal(b->mx.n, 1);
    assert_true(r->resolved);
    assert_int_equal(r->rdns.status, MXP_RDNS_FOUND);
    assert_int_equal(r->rdns.fcrdns, MXP_YES);
    assert_int_equal(r->mtu.status, MXP_MTU_MEASURED);
    assert_int_equal(r->mtu.path_mtu, 1400);
    for (int p = 0; p < 2; p++) {
        const struct mxp_port_result *pr = &r->ports[p];
        assert_int_equal(pr->stop.stage, MXP_STAGE_NONE);
        assert_int_equal(pr->banner_code, 220);
        assert_int_equal(pr->ehlo_code, 250);
        assert_true(pr->cert.present);
        assert_int_equal(pr->cert.name_match, MXP_YES);
        assert_int_equal(pr->versions[MXP_TLS13].status, MXP_VERSION_ACCEPTED);
        assert_int_equal(pr->versions[MXP_TLS13].tls.suite, 0x1301);
        assert_int_equal(pr->versions[MXP_TLS13].tls.group, 23); /* after a HelloRetryRequest */
        const struct mxp_version_result *v12 = &pr->versions[MXP_TLS12];
        assert_int_equal(v12->status, MXP_VERSION_ACCEPTED);
        assert_int_equal(v12->tls.suite, 0xC02B);
        assert_int_equal(v12->tls.group, 23);
        assert_int_equal(v12->tls.sigalg & 0xff, 0x03); /* ECDSA (the hash is OpenSSL's pick) */
        assert_int_equal(v12->n_suites, 2);
        assert_int_equal(v12->suites[0].status, MXP_SUITE_ACCEPTED);
        assert_int_equal(v12->suites[1].status, MXP_SUITE_REJECTED);
        assert_true(v12->suites_complete);
        assert_int_equal(v12->connections, 2);
    }
    assert_int_equal(r->ports[0].starttls_code, 220);
    assert_int_equal(peer.handshakes, 4);
    assert_true(b->sink.progress_lines > 0);
    assert_non_null(strstr(b->sink.out, "mx.example.test"));
    bench_free(b);
}

struct sweep {
    unsigned runs;
    unsigned failures;
    unsigned errors_returned; /* runs that ended with an error instead of a result */
    unsigned points[MXP_FAULT_OP_COUNT];
    FILE *log; /* MXP_FAULT_LOG: every run's outcome, to compare two engines by */
};

static void sweep_one(struct bench *b, struct sweep *sw, enum mxp_fault_op op,
                      enum mxp_fault_kind kind, uint32_t nth)
{
    struct mxp_fault_plan fp = {0};
    fp.op = (uint8_t)op;
    fp.kind = (uint8_t)kind;
    fp.nth = nth;
    fp.leap_ms = 3000; /* past the 2000 ms deadline of any step */
    run_engine(b, &fp);
    sw->runs++;
    sw->points[op]++;
    if (!mxp_ok(b->run_err))
        sw->errors_returned++;
    if (sw->log != NULL) {
        char text[4096];
        summarize(&b->result, text, sizeof text);
        /* The whole result too (FNV-1a), timings and padding included, but
         * not the handshake byte counts: the peer's ECDSA signatures vary in
         * length from one process to the next. */
        static struct mxp_result r;
        r = b->result;
        r.mss_clamp_rx_bytes = 0;
        for (size_t p = 0; p < MXP_CFG_MAX_PORTS; p++) {
            r.ports[p].stop.stage_rx_bytes = 0;
            for (size_t v = 0; v < MXP_TLS_VERSION_COUNT; v++)
                r.ports[p].versions[v].fail.stage_rx_bytes = 0;
        }
        uint64_t h = 0xcbf29ce484222325u;
        for (size_t i = 0; i < sizeof r; i++)
            h = (h ^ ((const unsigned char *)&r)[i]) * 0x100000001b3u;
        fprintf(sw->log, "%s #%u %s: run %04x report %04x result %016llx: %s\n",
                mxp_fault_op_name(op), (unsigned)nth, mxp_fault_kind_name(kind), b->run_err.code,
                b->report_err.code, (unsigned long long)h, text);
    }
    const char *why = unclean(b, &fp);
    if (why == NULL)
        return;
    if (++sw->failures <= 20) {
        char text[96];
        print_error("  %s #%u (%s): %s [run: %s, live allocations %ld, open sockets %u]\n",
                    mxp_fault_op_name(op), (unsigned)nth, mxp_fault_kind_name(kind), why,
                    mxp_err_str(b->run_err, text, sizeof text), fp.live_allocs, b->net.open_now);
    }
}

static void test_every_injection_point_ends_clean(void **state)
{
    (void)state;
    struct bench *b = bench_new();
    struct mxp_fault_plan counted = {0};
    run_engine(b, &counted);
    assert_null(unclean(b, &counted));

    struct sweep sw = {0};
    const char *log = getenv("MXP_FAULT_LOG");
    if (log != NULL)
        assert_non_null(sw.log = fopen(log, "w"));
    clock_t t0 = clock();
    for (int op = 0; op < MXP_FAULT_OP_COUNT; op++) {
        uint32_t calls = counted.calls[op];
        /* every operation is exercised by the clean run, or the sweep proves nothing */
        if (calls == 0)
            print_error("operation %s was never called\n", mxp_fault_op_name(op));
        assert_true(calls > 0);
        for (int kind = 0; kind < MXP_FAULT_KIND_COUNT; kind++) {
            if (!mxp_fault_kind_applies((enum mxp_fault_op)op, (enum mxp_fault_kind)kind))
                continue;
            for (uint32_t n = 1; n <= calls; n++) {
                if (n != calls && (n - 1) % stride != 0)
                    continue;
                sweep_one(b, &sw, (enum mxp_fault_op)op, (enum mxp_fault_kind)kind, n);
            }
        }
    }
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    printf("fault sweep: %u injection points (stride %u) in %.1f s, %u ended with an error, "
           "%u unclean\n",
           sw.runs, stride, secs, sw.errors_returned, sw.failures);
    for (int op = 0; op < MXP_FAULT_OP_COUNT; op++)
        printf("  %-15s %6u calls in a clean run, %6u points\n",
               mxp_fault_op_name((enum mxp_fault_op)op), (unsigned)counted.calls[op],
               sw.points[op]);
    if (sw.log != NULL)
        fclose(sw.log);
    assert_int_equal(sw.failures, 0);
    bench_free(b);
}

/* Replies byte by byte, writes one byte at a time or cut short, WOULD_BLOCK
 * on every other call: the network's manners change, the verdicts do not. */
static void test_shaped_transport_gives_the_same_verdicts(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        size_t max_send, max_recv;
        uint32_t block_every;
    } shapes[] = {
        {"replies byte by byte", 0, 1, 0},
        {"writes byte by byte", 1, 0, 0},
        {"short reads and writes", 7, 5, 0},
        {"WOULD_BLOCK every other call", 0, 0, 2},
        {"byte-by-byte writes into a full buffer", 1, 0, 2},
        {"all of it", 1, 1, 3},
    };
    struct bench *b = bench_new();
    struct mxp_fault_plan clean = {0};
    char want[4096], got[4096];
    run_engine(b, &clean);
    assert_null(unclean(b, &clean));
    summarize(&b->result, want, sizeof want);
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        struct mxp_fault_plan fp = {0};
        fp.max_send = shapes[i].max_send;
        fp.max_recv = shapes[i].max_recv;
        fp.block_every = shapes[i].block_every;
        run_engine(b, &fp);
        const char *why = unclean(b, &fp);
        if (why != NULL)
            print_error("%s: %s\n", shapes[i].name, why);
        assert_null(why);
        summarize(&b->result, got, sizeof got);
        if (strcmp(want, got) != 0)
            print_error("%s:\n want %s\n got  %s\n", shapes[i].name, want, got);
        assert_string_equal(want, got);
        printf("%s: %u recv, %u send calls\n", shapes[i].name, fp.calls[MXP_FAULT_RECV],
               fp.calls[MXP_FAULT_SEND]);
    }
    bench_free(b);
}

static int group_setup(void **state)
{
    (void)state;
    peer_setup();
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    peer_teardown();
    return 0;
}

int main(int argc, char **argv)
{
    for (int i = 1; i + 1 < argc; i++) {
        if (strcmp(argv[i], "--stride") == 0)
            stride = (unsigned)strtoul(argv[i + 1], NULL, 10);
    }
    if (stride == 0)
        stride = 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_run_completes_real_handshakes),
        cmocka_unit_test(test_shaped_transport_gives_the_same_verdicts),
        cmocka_unit_test(test_every_injection_point_ends_clean),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
