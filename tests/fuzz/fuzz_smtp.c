/*
 * libFuzzer target for the SMTP reply parser and EHLO capability extraction.
 * Besides "no crash", it checks the parser's contract: a complete reply is
 * complete with exactly its own bytes, and one byte less is never complete.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mxp_smtp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_line(void *arg, unsigned index, const char *text, size_t len)
{
    size_t *total = arg;
    (void)index;
    (void)text;
    *total += len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mxp_smtp_reply r;
    size_t used = 0;
    mxp_err e = mxp_smtp_parse_reply(data, size, &r, &used);
    if (!mxp_ok(e)) {
        if (used != 0)
            abort();
        if (!mxp_is(e, MXP_E_WOULD_BLOCK) && !mxp_is(e, MXP_E_SMTP_SYNTAX) &&
            !mxp_is(e, MXP_E_SMTP_TOO_LONG))
            abort();
        return 0;
    }
    if (used == 0 || used > size || used > MXP_CFG_SMTP_REPLY_MAX)
        abort();
    if (r.code < 200 || r.code > 599 || r.n_lines == 0 || r.n_lines > MXP_CFG_SMTP_LINES_MAX)
        abort();
    if (memchr(r.text, 0, sizeof r.text) == NULL || memchr(r.enh, 0, sizeof r.enh) == NULL)
        abort();
    if (data[used - 1] != '\n')
        abort();

    /* the same reply alone, and one byte short */
    struct mxp_smtp_reply again;
    size_t used2 = 0;
    e = mxp_smtp_parse_reply(data, used, &again, &used2);
    if (!mxp_ok(e) || used2 != used || memcmp(&again, &r, sizeof r) != 0)
        abort();
    e = mxp_smtp_parse_reply(data, used - 1, &again, &used2);
    if (!mxp_is(e, MXP_E_WOULD_BLOCK))
        abort();

    size_t total = 0;
    mxp_smtp_each_line(data, used, on_line, &total);
    if (total > used)
        abort();

    char caps[MXP_CFG_EHLO_CAPS_MAX][MXP_CFG_EHLO_CAP_LEN];
    bool truncated = false;
    size_t n = mxp_smtp_ehlo_caps(data, used, caps, MXP_CFG_EHLO_CAPS_MAX, &truncated);
    if (n > MXP_CFG_EHLO_CAPS_MAX || (n > 0 && n >= r.n_lines))
        abort();
    for (size_t i = 0; i < n; i++) {
        if (memchr(caps[i], 0, sizeof caps[i]) == NULL)
            abort();
        /* a stored capability always matches its own keyword */
        char key[MXP_CFG_EHLO_CAP_LEN];
        size_t k = 0;
        while (caps[i][k] != '\0' && caps[i][k] != ' ' && caps[i][k] != '\t') {
            key[k] = caps[i][k];
            k++;
        }
        key[k] = '\0';
        if (k > 0 && !mxp_smtp_has_cap(caps, n, key))
            abort();
    }
    (void)mxp_smtp_has_cap(caps, n, "STARTTLS");
    return 0;
}
