/*
 * libFuzzer target for the report encoders and the verdict.
 *
 * Input: byte 0 picks a sample result (bits 0-2) and whether strings are
 * NUL-terminated and counts clamped first (bit 3; without it the encoders
 * must cope with unterminated strings and lying counts themselves). The rest
 * is either a whole struct (when long enough) or patches
 * [offset:2 BE][len:1][bytes] copied over the sample, so short inputs reach
 * realistic results. Bools are always made 0/1: C allows nothing else.
 *
 * Checks: both encoders run into a fixed buffer; the JSON is valid whenever
 * it fits; a 16-byte streaming writer gives the same bytes; a tiny buffer
 * reports the same total.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_check.h"
#include "mxp_report.h"
#include "sample_results.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct mxp_result fuzz_result;
static char fuzz_buf[1 << 18];
static char fuzz_stream[1 << 18];
static size_t fuzz_stream_len;

static mxp_err fuzz_flush(void *ctx, const char *buf, size_t len)
{
    (void)ctx;
    if (len > 16 || fuzz_stream_len + len > sizeof fuzz_stream)
        abort();
    memcpy(fuzz_stream + fuzz_stream_len, buf, len);
    fuzz_stream_len += len;
    return MXP_SUCCESS;
}

static void fuzz_build(const uint8_t *data, size_t size)
{
    uint8_t *raw = (uint8_t *)&fuzz_result;
    mxp_sample_build((enum mxp_sample)((data[0] & 7u) % MXP_SAMPLE_COUNT), &fuzz_result);
    data++;
    size--;
    if (size >= sizeof fuzz_result) {
        memcpy(raw, data, sizeof fuzz_result);
    } else {
        while (size >= 3) {
            size_t off = ((size_t)data[0] << 8 | data[1]) % sizeof fuzz_result;
            size_t len = data[2];
            data += 3;
            size -= 3;
            if (len > size)
                len = size;
            if (len > sizeof fuzz_result - off)
                len = sizeof fuzz_result - off;
            memcpy(raw + off, data, len);
            data += len;
            size -= len;
        }
    }
}

/* Run one encoder three ways; returns the pure-buffer finish result. */
static mxp_err fuzz_encode(void (*enc)(const struct mxp_result *, struct mxp_writer *))
{
    struct mxp_writer w;
    mxp_writer_init(&w, fuzz_buf, sizeof fuzz_buf, NULL, NULL);
    enc(&fuzz_result, &w);
    mxp_err e = mxp_writer_finish(&w);
    size_t total = w.total;

    char small[16];
    fuzz_stream_len = 0;
    mxp_writer_init(&w, small, sizeof small, fuzz_flush, NULL);
    enc(&fuzz_result, &w);
    mxp_err s = mxp_writer_finish(&w);
    if (!mxp_ok(s) || w.total != total)
        abort();
    if (mxp_ok(e) && (fuzz_stream_len != total || memcmp(fuzz_stream, fuzz_buf, total) != 0))
        abort();

    char tiny[7];
    mxp_writer_init(&w, tiny, sizeof tiny, NULL, NULL);
    enc(&fuzz_result, &w);
    mxp_err t = mxp_writer_finish(&w);
    if (w.total != total || w.len != (total < sizeof tiny ? total : sizeof tiny - 1) ||
        tiny[w.len] != '\0' || mxp_ok(t) != (total < sizeof tiny))
        abort();
    return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    bool tidy = (data[0] & 8u) != 0;
    fuzz_build(data, size);
    mxp_sample_sanitize(&fuzz_result, tidy);

    (void)fuzz_encode(mxp_report_text);
    (void)fuzz_encode(mxp_report_verdict);
    mxp_err e = fuzz_encode(mxp_report_json);
    if (mxp_ok(e)) {
        size_t n = strlen(fuzz_buf);
        if (!mxp_json_check(fuzz_buf, n, NULL))
            abort();
    }
    int status = mxp_report_exit_status(&fuzz_result);
    if (status != 0 && status != 1)
        abort();
    return 0;
}
