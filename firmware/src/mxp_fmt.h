/*
 * Formatting helpers shared by the verdict and the two report encoders.
 * Private to firmware/src: not part of the engine's contract.
 */
#ifndef MXP_FMT_H
#define MXP_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mxp_result.h"
#include "mxp_writer.h"

/* Length of s up to the first NUL, at most max (C11 has no strnlen). */
size_t mxp_fmt_strnlen(const char *s, size_t max);
/* A fixed char array of the result: pointer and length, never past its end
 * even when it lacks a NUL. */
#define MXP_FMT_FIELD(a) (a), mxp_fmt_strnlen((a), sizeof(a))

/* JSON string contents without the quotes (mxp_writer.c). */
void mxp_put_json_chars(struct mxp_writer *w, const char *s, size_t n);

/* "192.0.2.1", "2001:db8::1" (RFC 5952), or "unknown". */
void mxp_fmt_addr(struct mxp_writer *w, const struct mxp_addr *a);
/* UTC time without libc: "YYYY-MM-DD<sep>HH:MM:SSZ", years clamped to 0000-9999. */
void mxp_fmt_utc(struct mxp_writer *w, int64_t t, char sep);
/* Elapsed time for people: "310 ms", "4.21 s". */
void mxp_fmt_ms(struct mxp_writer *w, uint32_t ms);

/* A stored failure is present (stage set and in range). */
bool mxp_fmt_failed(const struct mxp_failure *f);
/* The port's SMTP phase timings: connect, banner, EHLO, STARTTLS. A phase
 * counts as measured when it was reached (0 ms is a real loopback figure). */
enum {
    MXP_FMT_PHASES = 4
};
extern const char
    *const mxp_fmt_phase_names[MXP_FMT_PHASES]; /* "connect", "banner", "ehlo", "starttls" */
bool mxp_fmt_phase(const struct mxp_port_result *p, unsigned i, uint32_t *ms);
/* Stage name that is safe for any stored byte. */
const char *mxp_fmt_stage(uint8_t stage);
/* The reason in words, e.g. "alert protocol_version received during
 * handshake", "connection closed by peer during handshake after 0 bytes".
 * f (may be NULL) adds byte counts, times and SMTP codes. */
void mxp_fmt_reason(struct mxp_writer *w, uint8_t stage, mxp_err e, const struct mxp_failure *f);
void mxp_fmt_failure(struct mxp_writer *w, const struct mxp_failure *f);
/* Same observation (code and detail). */
bool mxp_fmt_same_err(mxp_err a, mxp_err b);

/* IANA suite name, or NULL when this build does not know the id. */
const char *mxp_fmt_suite_name(uint16_t id);
/* IANA name or "0xC02F". */
void mxp_fmt_suite(struct mxp_writer *w, uint16_t id);
/* 3DES, static RSA key exchange or another legacy choice. */
bool mxp_fmt_suite_weak(uint16_t id);
/* "RSA 2048 bits", "EC 256 bits (secp256r1)", "Ed25519". */
void mxp_fmt_key(struct mxp_writer *w, const struct mxp_cert_summary *c);

/* Word wrapping: write text into f->w; it reaches `out` broken into lines of
 * at most `width` columns, continuation lines indented to `indent`. The first
 * line starts at column `col` (the caller wrote the start of the line). After
 * max_lines lines (0 = no limit) the rest is replaced by " ...". */
struct mxp_fmt_wrap {
    struct mxp_writer w;
    struct mxp_writer *out;
    char buf[32];
    char word[40];
    size_t wlen;
    unsigned col, indent, width, spaces, lines, max_lines;
    bool clipped;
};
void mxp_fmt_wrap_begin(struct mxp_fmt_wrap *f, struct mxp_writer *out, unsigned col,
                        unsigned indent, unsigned max_lines);
/* Writes what is pending; no newline. */
void mxp_fmt_wrap_end(struct mxp_fmt_wrap *f);

/* JSON string: text written into f->w reaches `out` escaped, between quotes. */
struct mxp_fmt_json {
    struct mxp_writer w;
    struct mxp_writer *out;
    char buf[32];
};
void mxp_fmt_json_begin(struct mxp_fmt_json *f, struct mxp_writer *out);
void mxp_fmt_json_end(struct mxp_fmt_json *f);

#define MXP_FMT_WIDTH 80u

#endif /* MXP_FMT_H */
