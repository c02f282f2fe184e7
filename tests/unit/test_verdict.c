/*
 * mxp_verdict: each sample server gives exactly the findings a mail admin
 * would expect, in severity-then-port order; root causes hide their
 * consequences (a 421 banner is never "no STARTTLS"); the sentences are
 * plain printable text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../fakes/sample_results.h"
#include "mxp_verdict.h"
#include "mxp_writer.h"

static struct mxp_result res;

static bool has_text(const struct mxp_result *r, enum mxp_finding_id id, const char *needle);

struct want {
    enum mxp_finding_id id;
    enum mxp_severity sev;
    uint8_t port; /* index, 0xff whole run */
};

#define END_OF_WANT                                                                                \
    {                                                                                              \
        MXP_FIND_COUNT, MXP_SEV_OK, 0                                                              \
    }

static void check_findings(const struct mxp_result *r, const struct want *want, const char *what)
{
    struct mxp_finding f[MXP_FINDINGS_MAX];
    size_t n = mxp_verdict_derive(r, f, MXP_FINDINGS_MAX);
    size_t k = 0;
    while (want[k].id != MXP_FIND_COUNT)
        k++;
    for (size_t i = 0; i < n || i < k; i++) {
        if (i >= n || i >= k || f[i].id != want[i].id || f[i].severity != want[i].sev ||
            f[i].port != want[i].port) {
            for (size_t j = 0; j < n; j++)
                print_message("  got %s/%s/%u\n", mxp_finding_name((enum mxp_finding_id)f[j].id),
                              mxp_severity_name((enum mxp_severity)f[j].severity), f[j].port);
            fail_msg("%s: finding %u differs (want %u findings, got %u)", what, (unsigned)i,
                     (unsigned)k, (unsigned)n);
        }
    }
}

static void check_sample(enum mxp_sample s, const struct want *want)
{
    mxp_sample_build(s, &res);
    check_findings(&res, want, mxp_sample_name(s));
}

/* ---- the sample table ------------------------------------------------------ */

static void test_modern(void **state)
{
    (void)state;
    static const struct want want[] = {
        {MXP_FIND_LEGACY_REFUSED, MXP_SEV_INFO, 0},
        {MXP_FIND_LEGACY_REFUSED, MXP_SEV_INFO, 1},
        {MXP_FIND_TLS_OK, MXP_SEV_OK, 0},
        {MXP_FIND_TLS_OK, MXP_SEV_OK, 1},
        END_OF_WANT,
    };
    check_sample(MXP_SAMPLE_MODERN, want);
}

static void test_legacy(void **state)
{
    (void)state;
    static const struct want want[] = {
        {MXP_FIND_LEGACY_ONLY, MXP_SEV_FAIL, 0},      {MXP_FIND_WEAK_SUITES, MXP_SEV_WARN, 0},
        {MXP_FIND_FEW_SUITES, MXP_SEV_WARN, 0},       {MXP_FIND_CERT_EXPIRED, MXP_SEV_WARN, 0},
        {MXP_FIND_CERT_SELF_SIGNED, MXP_SEV_WARN, 0}, END_OF_WANT,
    };
    check_sample(MXP_SAMPLE_LEGACY, want);
}

static void test_busy(void **state)
{
    (void)state;
    static const struct want want[] = {
        {MXP_FIND_BUSY, MXP_SEV_FAIL, 0},
        END_OF_WANT,
    };
    check_sample(MXP_SAMPLE_BUSY, want);
}

static void test_dropped(void **state)
{
    (void)state;
    static const struct want want[] = {
        {MXP_FIND_DROPPED_IN_HANDSHAKE, MXP_SEV_FAIL, 0},
        END_OF_WANT,
    };
    check_sample(MXP_SAMPLE_DROPPED, want);
}

static void test_filtered25(void **state)
{
    (void)state;
    static const struct want want[] = {
        {MXP_FIND_PORT_TIMEOUT, MXP_SEV_FAIL, 0},
        {MXP_FIND_NO_TLS13, MXP_SEV_INFO, 1},
        {MXP_FIND_TLS_OK, MXP_SEV_OK, 1},
        END_OF_WANT,
    };
    check_sample(MXP_SAMPLE_FILTERED25, want);
}

static void test_hostile(void **state)
{
    (void)state;
    static const struct want want[] = {
        {MXP_FIND_CERT_NAME_MISMATCH, MXP_SEV_WARN, 0},
        {MXP_FIND_LEGACY_REFUSED, MXP_SEV_INFO, 0},
        {MXP_FIND_TLS_OK, MXP_SEV_OK, 0},
        END_OF_WANT,
    };
    check_sample(MXP_SAMPLE_HOSTILE, want);
}

static void test_no_starttls(void **state)
{
    (void)state;
    static const struct want want[] = {
        {MXP_FIND_NO_STARTTLS, MXP_SEV_FAIL, 0},
        END_OF_WANT,
    };
    check_sample(MXP_SAMPLE_NO_STARTTLS, want);
}

static void test_nxdomain(void **state)
{
    (void)state;
    static const struct want want[] = {
        {MXP_FIND_DNS_FAILED, MXP_SEV_FAIL, 0xff},
        END_OF_WANT,
    };
    check_sample(MXP_SAMPLE_NXDOMAIN, want);
}

/* ---- variants ---------------------------------------------------------------- */

/* 421 at EHLO, no STARTTLS seen (the EHLO reply never came): still only busy. */
static void test_busy_at_ehlo_is_not_no_starttls(void **state)
{
    (void)state;
    mxp_sample_build(MXP_SAMPLE_BUSY, &res);
    struct mxp_port_result *p = &res.ports[0];
    p->banner_code = 220;
    p->stop.stage = MXP_STAGE_EHLO;
    p->ehlo_code = 421;
    p->busy = false; /* the code alone must be enough */
    static const struct want want[] = {
        {MXP_FIND_BUSY, MXP_SEV_FAIL, 0},
        END_OF_WANT,
    };
    check_findings(&res, want, "busy at EHLO");
}

/* The MX started answering 421 half-way: TLS results stand, busy is a warning. */
static void test_busy_mid_probe(void **state)
{
    (void)state;
    mxp_sample_build(MXP_SAMPLE_MODERN, &res);
    struct mxp_port_result *p = &res.ports[1];
    p->busy = true;
    p->stop.stage = MXP_STAGE_BANNER;
    p->stop.err = MXP_ERR(MXP_E_SMTP_REPLY, 421);
    p->stop.smtp_code = 421;
    p->versions[MXP_TLS13].status = MXP_VERSION_SKIPPED;
    static const struct want want[] = {
        {MXP_FIND_BUSY, MXP_SEV_WARN, 1},           {MXP_FIND_LEGACY_REFUSED, MXP_SEV_INFO, 0},
        {MXP_FIND_LEGACY_REFUSED, MXP_SEV_INFO, 1}, {MXP_FIND_TLS_OK, MXP_SEV_OK, 0},
        {MXP_FIND_TLS_OK, MXP_SEV_OK, 1},           END_OF_WANT,
    };
    check_findings(&res, want, "busy mid-probe");
}

static void test_banner_reject(void **state)
{
    (void)state;
    mxp_sample_build(MXP_SAMPLE_BUSY, &res);
    struct mxp_port_result *p = &res.ports[0];
    p->busy = false;
    p->banner_code = 554;
    p->stop.err = MXP_ERR(MXP_E_SMTP_REPLY, 554);
    p->stop.smtp_code = 554;
    static const struct want want[] = {
        {MXP_FIND_BANNER_REJECT, MXP_SEV_FAIL, 0},
        END_OF_WANT,
    };
    check_findings(&res, want, "554 banner");
}

static void test_starttls_refused(void **state)
{
    (void)state;
    mxp_sample_build(MXP_SAMPLE_DROPPED, &res);
    struct mxp_port_result *p = &res.ports[0];
    p->stop.stage = MXP_STAGE_STARTTLS;
    p->stop.err = MXP_ERR(MXP_E_SMTP_REPLY, 454);
    p->stop.smtp_code = 454;
    p->starttls_code = 454;
    for (unsigned v = 0; v < MXP_TLS_VERSION_COUNT; v++)
        memset(&p->versions[v], 0, sizeof p->versions[v]);
    p->versions[0].status = MXP_VERSION_SKIPPED;
    static const struct want want[] = {
        {MXP_FIND_STARTTLS_REFUSED, MXP_SEV_FAIL, 0},
        END_OF_WANT,
    };
    check_findings(&res, want, "454 to STARTTLS");
}

static void test_connect_refused_and_unreachable(void **state)
{
    (void)state;
    mxp_sample_build(MXP_SAMPLE_FILTERED25, &res);
    res.ports[0].stop.err = MXP_ERR(MXP_E_TCP_REFUSED, 0);
    res.ports[1] = res.ports[0];
    res.ports[1].port = 587;
    res.ports[1].stop.err = MXP_ERR(MXP_E_TCP_UNREACHABLE, 113);
    static const struct want want[] = {
        {MXP_FIND_PORT_REFUSED, MXP_SEV_FAIL, 0},
        {MXP_FIND_PORT_UNREACHABLE, MXP_SEV_FAIL, 1},
        END_OF_WANT,
    };
    check_findings(&res, want, "refused + unreachable");
}

static void test_no_banner(void **state)
{
    (void)state;
    mxp_sample_build(MXP_SAMPLE_BUSY, &res);
    struct mxp_port_result *p = &res.ports[0];
    p->busy = false;
    p->banner_code = 0;
    p->banner[0] = '\0';
    p->stop.err = MXP_ERR(MXP_E_TIMEOUT, 10000);
    p->stop.smtp_code = 0;
    static const struct want want[] = {
        {MXP_FIND_SMTP_FAILED, MXP_SEV_FAIL, 0},
        END_OF_WANT,
    };
    check_findings(&res, want, "no banner");
}

/* Every version refused with the same alert: no TLS at all (not "dropped"). */
static void test_no_tls(void **state)
{
    (void)state;
    mxp_sample_build(MXP_SAMPLE_DROPPED, &res);
    for (unsigned v = 0; v < MXP_TLS_VERSION_COUNT; v++)
        res.ports[0].versions[v].fail.err = MXP_ERR(MXP_E_TLS_ALERT, 40);
    static const struct want want[] = {
        {MXP_FIND_NO_TLS, MXP_SEV_FAIL, 0},
        END_OF_WANT,
    };
    check_findings(&res, want, "no TLS");
}

/* A record too large for this board is its own outcome: that version is not
 * judged, and no "no TLS" verdict rests on the versions that were. */
static void test_record_too_large_blames_nobody(void **state)
{
    (void)state;
    mxp_sample_build(MXP_SAMPLE_DROPPED, &res);
    for (unsigned v = 0; v < MXP_TLS_VERSION_COUNT; v++)
        res.ports[0].versions[v].fail.err = MXP_ERR(MXP_E_TLS_ALERT, 70);
    struct mxp_version_result *v12 = &res.ports[0].versions[MXP_TLS12];
    v12->status = MXP_VERSION_SKIPPED;
    v12->fail.stage = MXP_STAGE_HANDSHAKE;
    v12->fail.err = MXP_ERR(MXP_E_TLS_RECORD_TOO_LARGE, 5214);
    static const struct want want[] = {
        {MXP_FIND_RECORD_TOO_LARGE, MXP_SEV_WARN, 0},
        END_OF_WANT,
    };
    check_findings(&res, want, "record too large");
    assert_true(has_text(&res, MXP_FIND_RECORD_TOO_LARGE,
                         "TLS 1.2 not judged: the server sent a TLS record of 5214 bytes"));
    assert_true(has_text(&res, MXP_FIND_RECORD_TOO_LARGE, "not a fault of the MX"));
    /* Alone it hides nothing: TLS 1.3 still counts as working. */
    mxp_sample_build(MXP_SAMPLE_MODERN, &res);
    res.n_ports = 1;
    v12 = &res.ports[0].versions[MXP_TLS12];
    v12->status = MXP_VERSION_SKIPPED;
    v12->fail.stage = MXP_STAGE_HANDSHAKE;
    v12->fail.err = MXP_ERR(MXP_E_TLS_RECORD_TOO_LARGE, 5214);
    struct mxp_finding f[MXP_FINDINGS_MAX];
    size_t n = mxp_verdict_derive(&res, f, MXP_FINDINGS_MAX);
    bool too_large = false, ok = false;
    for (size_t i = 0; i < n; i++) {
        too_large = too_large || f[i].id == MXP_FIND_RECORD_TOO_LARGE;
        ok = ok || f[i].id == MXP_FIND_TLS_OK;
        assert_int_not_equal(f[i].id, MXP_FIND_NO_TLS13);
    }
    assert_true(too_large && ok);
}

/* Out of memory on our side: the same, under its own name. */
static void test_out_of_memory_blames_nobody(void **state)
{
    (void)state;
    mxp_sample_build(MXP_SAMPLE_DROPPED, &res);
    for (unsigned v = 0; v < MXP_TLS_VERSION_COUNT; v++)
        res.ports[0].versions[v].fail.err = MXP_ERR(MXP_E_TLS_ALERT, 70);
    for (unsigned v = MXP_TLS12; v < MXP_TLS_VERSION_COUNT; v++) {
        struct mxp_version_result *vr = &res.ports[0].versions[v];
        vr->status = MXP_VERSION_SKIPPED;
        vr->fail.stage = MXP_STAGE_HANDSHAKE;
        vr->fail.err = MXP_ERR(MXP_E_NOMEM, -112);
    }
    static const struct want want[] = {
        {MXP_FIND_NOT_JUDGED, MXP_SEV_WARN, 0},
        END_OF_WANT,
    };
    check_findings(&res, want, "out of memory");
    assert_true(has_text(&res, MXP_FIND_NOT_JUDGED,
                         "TLS 1.2 and 1.3 not judged (out of memory during handshake)"));
    assert_true(has_text(&res, MXP_FIND_NOT_JUDGED, "says nothing about the MX"));
}

/* A version that failed before TLS (connect) proves nothing about TLS. */
static void test_non_tls_failure_is_not_refusal(void **state)
{
    (void)state;
    mxp_sample_build(MXP_SAMPLE_MODERN, &res);
    res.n_ports = 1;
    res.ports[0].versions[MXP_TLS10].fail.stage = MXP_STAGE_CONNECT;
    res.ports[0].versions[MXP_TLS10].fail.err = MXP_ERR(MXP_E_TIMEOUT, 10000);
    res.ports[0].versions[MXP_TLS11].fail.stage = MXP_STAGE_BANNER;
    res.ports[0].versions[MXP_TLS11].fail.err = MXP_ERR(MXP_E_SMTP_REPLY, 421);
    static const struct want want[] = {
        {MXP_FIND_TLS_OK, MXP_SEV_OK, 0},
        END_OF_WANT,
    };
    check_findings(&res, want, "non-TLS failures");
}

/* TLS 1.3 with only TLS_AES_256_GCM_SHA384 lacks the mandatory suite. */
static void test_few_suites_tls13(void **state)
{
    (void)state;
    mxp_sample_build(MXP_SAMPLE_MODERN, &res);
    res.n_ports = 1;
    struct mxp_version_result *v = &res.ports[0].versions[MXP_TLS13];
    v->suites[1].status = MXP_SUITE_REJECTED;
    v->suites[2].status = MXP_SUITE_REJECTED;
    static const struct want want[] = {
        {MXP_FIND_FEW_SUITES, MXP_SEV_WARN, 0},
        {MXP_FIND_LEGACY_REFUSED, MXP_SEV_INFO, 0},
        {MXP_FIND_TLS_OK, MXP_SEV_OK, 0},
        END_OF_WANT,
    };
    check_findings(&res, want, "TLS 1.3 without TLS_AES_128_GCM_SHA256");
    /* ... but TLS_AES_128_GCM_SHA256 alone is fine. */
    v->suites[0].status = MXP_SUITE_REJECTED;
    v->suites[2].status = MXP_SUITE_ACCEPTED;
    static const struct want fine[] = {
        {MXP_FIND_LEGACY_REFUSED, MXP_SEV_INFO, 0},
        {MXP_FIND_TLS_OK, MXP_SEV_OK, 0},
        END_OF_WANT,
    };
    check_findings(&res, fine, "TLS 1.3 with TLS_AES_128_GCM_SHA256 only");
}

static void test_cap_keeps_worst(void **state)
{
    (void)state;
    mxp_sample_build(MXP_SAMPLE_LEGACY, &res);
    struct mxp_finding f[2];
    size_t n = mxp_verdict_derive(&res, f, 2);
    assert_int_equal(n, 2);
    assert_int_equal(f[0].id, MXP_FIND_LEGACY_ONLY);
    assert_int_equal(f[1].id, MXP_FIND_WEAK_SUITES);
    assert_int_equal(mxp_verdict_derive(&res, f, 0), 0);
    assert_int_equal(mxp_verdict_derive(NULL, f, 2), 0);
}

/* ---- names and sentences ------------------------------------------------------ */

static void test_names_unique(void **state)
{
    (void)state;
    for (int i = 0; i < MXP_FIND_COUNT; i++) {
        const char *a = mxp_finding_name((enum mxp_finding_id)i);
        assert_non_null(a);
        assert_string_not_equal(a, "unknown");
        for (int j = 0; j < i; j++)
            assert_string_not_equal(a, mxp_finding_name((enum mxp_finding_id)j));
    }
    assert_string_equal(mxp_finding_name(MXP_FIND_LEGACY_REFUSED), "tls-legacy-refused");
    assert_string_equal(mxp_finding_name(MXP_FIND_COUNT), "unknown");
    assert_string_equal(mxp_severity_name(MXP_SEV_FAIL), "fail");
    assert_string_equal(mxp_severity_name(MXP_SEV_OK), "ok");
}

static void text_of(const struct mxp_result *r, const struct mxp_finding *f, char *buf, size_t cap)
{
    struct mxp_writer w;
    mxp_writer_init(&w, buf, cap, NULL, NULL);
    mxp_finding_text(r, f, &w);
    mxp_err e = mxp_writer_finish(&w);
    assert_true(mxp_ok(e));
}

static void test_sentences_plain(void **state)
{
    (void)state;
    for (int s = 0; s < MXP_SAMPLE_COUNT; s++) {
        mxp_sample_build((enum mxp_sample)s, &res);
        struct mxp_finding f[MXP_FINDINGS_MAX];
        size_t n = mxp_verdict_derive(&res, f, MXP_FINDINGS_MAX);
        assert_true(n > 0);
        for (size_t i = 0; i < n; i++) {
            char buf[2048];
            text_of(&res, &f[i], buf, sizeof buf);
            assert_true(strlen(buf) > 20);
            for (const char *c = buf; *c != '\0'; c++)
                assert_true(*c >= 0x20 && *c < 0x7f);
            char last = buf[strlen(buf) - 1];
            assert_true(last == '.');
        }
    }
}

static bool has_text(const struct mxp_result *r, enum mxp_finding_id id, const char *needle)
{
    struct mxp_finding f[MXP_FINDINGS_MAX];
    size_t n = mxp_verdict_derive(r, f, MXP_FINDINGS_MAX);
    for (size_t i = 0; i < n; i++) {
        char buf[2048];
        if (f[i].id != id)
            continue;
        text_of(r, &f[i], buf, sizeof buf);
        if (strstr(buf, needle) != NULL)
            return true;
    }
    return false;
}

static void test_sentences_say_the_cause(void **state)
{
    (void)state;
    mxp_sample_build(MXP_SAMPLE_MODERN, &res);
    assert_true(has_text(&res, MXP_FIND_LEGACY_REFUSED,
                         "port 25: this MX refuses TLS 1.0 and 1.1 with alert protocol_version: a "
                         "sender limited to them gets '421 4.4.2 Connection dropped'; enable TLS "
                         "1.2 on the sender."));
    mxp_sample_build(MXP_SAMPLE_FILTERED25, &res);
    assert_true(has_text(&res, MXP_FIND_PORT_TIMEOUT, "no answer on port 25"));
    assert_true(has_text(&res, MXP_FIND_PORT_TIMEOUT,
                         "an outbound port-25 block by a firewall or ISP is likely; try 587/465 "
                         "or ask the ISP"));
    assert_true(has_text(&res, MXP_FIND_PORT_TIMEOUT, "Port 587 answers"));
    mxp_sample_build(MXP_SAMPLE_BUSY, &res);
    assert_true(has_text(&res, MXP_FIND_BUSY, "421 4.7.0"));
    assert_true(has_text(&res, MXP_FIND_BUSY, "This is not a TLS problem"));
    assert_true(has_text(&res, MXP_FIND_BUSY, "retry later"));
    mxp_sample_build(MXP_SAMPLE_DROPPED, &res);
    assert_true(has_text(&res, MXP_FIND_DROPPED_IN_HANDSHAKE, "middlebox"));
    assert_true(has_text(&res, MXP_FIND_DROPPED_IN_HANDSHAKE, "path-MTU black hole"));
    mxp_sample_build(MXP_SAMPLE_LEGACY, &res);
    assert_true(has_text(&res, MXP_FIND_LEGACY_ONLY, "only TLS 1.0 works"));
    assert_true(has_text(&res, MXP_FIND_WEAK_SUITES, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"));
    assert_true(has_text(&res, MXP_FIND_FEW_SUITES,
                         "TLSv1.0 only TLS_RSA_WITH_AES_128_CBC_SHA and "
                         "TLS_RSA_WITH_3DES_EDE_CBC_SHA"));
    assert_true(has_text(&res, MXP_FIND_CERT_EXPIRED, "expired on 2019-06-30 12:00:00Z"));
    assert_true(has_text(&res, MXP_FIND_CERT_EXPIRED, "opportunistic TLS and still deliver"));
    assert_true(has_text(&res, MXP_FIND_CERT_SELF_SIGNED, "MTA-STS"));
    mxp_sample_build(MXP_SAMPLE_HOSTILE, &res);
    assert_true(has_text(&res, MXP_FIND_CERT_NAME_MISMATCH, "evil\\x0d\\x0a.example"));
}

/* A firewall's SMTP inspection masks the banner and strips STARTTLS. */
static void test_no_starttls_masked_banner(void **state)
{
    (void)state;
    mxp_sample_build(MXP_SAMPLE_NO_STARTTLS, &res);
    assert_false(has_text(&res, MXP_FIND_NO_STARTTLS, "asterisks"));
    strcpy(res.ports[0].banner, "******************************");
    assert_true(has_text(&res, MXP_FIND_NO_STARTTLS, "Cisco ASA"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_modern),
        cmocka_unit_test(test_legacy),
        cmocka_unit_test(test_busy),
        cmocka_unit_test(test_dropped),
        cmocka_unit_test(test_filtered25),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_no_starttls),
        cmocka_unit_test(test_nxdomain),
        cmocka_unit_test(test_busy_at_ehlo_is_not_no_starttls),
        cmocka_unit_test(test_busy_mid_probe),
        cmocka_unit_test(test_banner_reject),
        cmocka_unit_test(test_starttls_refused),
        cmocka_unit_test(test_connect_refused_and_unreachable),
        cmocka_unit_test(test_no_banner),
        cmocka_unit_test(test_no_tls),
        cmocka_unit_test(test_non_tls_failure_is_not_refusal),
        cmocka_unit_test(test_few_suites_tls13),
        cmocka_unit_test(test_record_too_large_blames_nobody),
        cmocka_unit_test(test_out_of_memory_blames_nobody),
        cmocka_unit_test(test_cap_keeps_worst),
        cmocka_unit_test(test_names_unique),
        cmocka_unit_test(test_sentences_plain),
        cmocka_unit_test(test_sentences_say_the_cause),
        cmocka_unit_test(test_no_starttls_masked_banner),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
