/*
 * libFuzzer target for the certificate summary and the RFC 6125 matcher.
 * The input is summarized as DER; then the same bytes, split at NULs into
 * subject, host and SANs, drive mxp_x509_name_matches() directly, so the
 * matcher sees hostile strings the DER path would rarely produce.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mxp_x509.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_summary(const struct mxp_cert_summary *s)
{
    if (memchr(s->subject, 0, sizeof s->subject) == NULL ||
        memchr(s->issuer, 0, sizeof s->issuer) == NULL || s->n_sans > MXP_CFG_CERT_SANS_MAX)
        abort();
    for (size_t i = 0; i < s->n_sans; i++)
        if (memchr(s->sans[i], 0, sizeof s->sans[i]) == NULL)
            abort();
    if (s->key_type > MXP_KEY_DSA)
        abort();
}

static size_t take(const uint8_t **p, size_t *left, char *dst, size_t cap)
{
    size_t n = 0;
    while (*left > 0 && **p != 0) {
        if (n + 1 < cap)
            dst[n++] = (char)**p;
        (*p)++;
        (*left)--;
    }
    if (*left > 0) {
        (*p)++;
        (*left)--;
    }
    dst[n] = '\0';
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mxp_cert_summary s;
    mxp_err e = mxp_x509_summarize(data, size, &s);
    if (mxp_ok(e)) {
        if (!s.present)
            abort();
        check_summary(&s);
        for (size_t i = 0; i < s.n_sans; i++)
            (void)mxp_x509_name_matches(&s, s.sans[i]);
        (void)mxp_x509_name_matches(&s, "mx.example.org");
        /* one byte less is never a certificate */
        struct mxp_cert_summary t;
        if (mxp_ok(mxp_x509_summarize(data, size - 1, &t)) || t.present)
            abort();
    } else if (!mxp_is(e, MXP_E_CERT_PARSE) || s.present) {
        abort();
    }

    struct mxp_cert_summary m;
    char host[300];
    const uint8_t *p = data;
    size_t left = size;
    memset(&m, 0, sizeof m);
    m.present = true;
    take(&p, &left, m.subject, sizeof m.subject);
    take(&p, &left, host, sizeof host);
    while (left > 0 && m.n_sans < MXP_CFG_CERT_SANS_MAX)
        take(&p, &left, m.sans[m.n_sans++], sizeof m.sans[0]);
    bool with_sans = mxp_x509_name_matches(&m, host);
    m.n_sans = 0;
    bool with_cn = mxp_x509_name_matches(&m, host);
    (void)with_sans;
    (void)with_cn;
    return 0;
}
