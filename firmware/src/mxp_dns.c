/*
 * DNS message codec (RFC 1035). The response parser is written against the
 * mistakes RFC 9267 catalogues in real DNS parsers:
 *  - compression pointers: only strictly backwards (before the start of the
 *    label run that holds the pointer), never into the header, never past the
 *    end, and the labels reached must lie wholly before that run; at most
 *    MXP_DNS_PTR_HOPS_MAX pointers per name;
 *  - label and name lengths: label types 0x40 / 0x80 (a "length" over 63)
 *    rejected, names capped at 255 wire octets while they are read;
 *  - NUL and other octets that would change how a name reads as text are
 *    rejected rather than copied into a C string;
 *  - RDLENGTH checked against the rest of the message and against the type,
 *    and section counts checked against the records actually present.
 * A first pass checks the framing of the whole message; later passes (CNAME
 * chain, collecting records) walk the checked answer section again, so they
 * need no buffer of their own.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mxp_cursor.h"
#include "mxp_dns.h"

_Static_assert(MXP_CFG_HOST_MAX >= 64, "MXP_CFG_HOST_MAX below minimum");
_Static_assert(MXP_DNS_NAME_TEXT_MAX == MXP_DNS_NAME_WIRE_MAX - 1,
               "255 wire octets: 253 characters and a NUL");
_Static_assert(MXP_DNS_PTR_HOPS_MAX >= 1 && MXP_DNS_CNAME_MAX <= 255, "limits fit their counters");

#define DNS_FLAG_QR 0x8000u
#define DNS_FLAG_AA 0x0400u
#define DNS_FLAG_TC 0x0200u
#define DNS_FLAG_RD 0x0100u
#define DNS_OPCODE(flags) (((unsigned)(flags) >> 11) & 0xfu)
#define DNS_RCODE(flags) (0xfu & (unsigned)(flags))
#define DNS_PTR_MASK 0xc0u

static mxp_err bad(int detail)
{
    return MXP_ERR(MXP_E_DNS_FAIL, detail);
}

/* ---- names as text ------------------------------------------------------- */

static bool is_alnum(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

/* What we ask for: host names (LDH) plus '_' for service labels (_dmarc,
 * _mta-sts). */
static bool query_char(char ch)
{
    return is_alnum(ch) || ch == '-' || ch == '_';
}

/*
 * What we accept in a label we receive, copied as is into a C string: visible
 * ASCII except '.' and '\\', which would change where labels end when the text
 * is read back. Mail hosts are plain LDH names and never need anything else;
 * visible punctuation is let through because reverse zones use it (RFC 2317
 * "0/25.2.0.192.in-addr.arpa"). NUL, space, controls and 8-bit octets are
 * refused rather than escaped, so a name is either exact or an error.
 */
static bool wire_char(uint8_t b)
{
    return b > 0x20 && b < 0x7f && b != '.' && b != '\\';
}

/* Check a caller's name; *text_len gets its length without a trailing dot. */
static mxp_err text_name_check(const char *name, size_t *text_len)
{
    size_t n = 0, label = 0;
    MXP_ENSURE(name != NULL, MXP_E_USAGE);
    while (name[n] != '\0') {
        /* 253 characters and a trailing dot at most; stop reading beyond */
        MXP_ENSURE(n < MXP_DNS_NAME_TEXT_MAX, MXP_E_USAGE);
        if (name[n] == '.') {
            /* an empty label is only allowed as the root, spelt "." */
            MXP_ENSURE(label > 0 || (n == 0 && name[1] == '\0'), MXP_E_USAGE);
            label = 0;
        } else {
            MXP_ENSURE(query_char(name[n]), MXP_E_USAGE);
            label++;
            MXP_ENSURE(label <= MXP_DNS_LABEL_MAX, MXP_E_USAGE);
        }
        n++;
    }
    if (n > 0 && name[n - 1] == '.')
        n--;
    /* labels plus a length octet each plus the root: n + 2 wire octets */
    MXP_ENSURE(n <= MXP_DNS_NAME_WIRE_MAX - 2, MXP_E_USAGE);
    *text_len = n;
    return MXP_SUCCESS;
}

static size_t wire_len_of(size_t text_len)
{
    return text_len == 0 ? 1 : text_len + 2;
}

/* Labels of a checked name (text_name_check) into dst, wire_len_of() octets. */
static void text_name_to_wire(uint8_t *dst, const char *name, size_t text_len)
{
    size_t out = 0, start = 0;
    for (size_t i = 0; text_len > 0 && i <= text_len; i++) {
        if (i == text_len || name[i] == '.') {
            size_t n = i - start;
            dst[out++] = (uint8_t)n;
            memcpy(dst + out, name + start, n);
            out += n;
            start = i + 1;
        }
    }
    dst[out] = 0;
}

/* ---- building ------------------------------------------------------------- */

static void put_u16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

mxp_err mxp_dns_build_query(uint8_t *buf, size_t cap, size_t *len, uint16_t id, const char *name,
                            uint16_t qtype, bool rd)
{
    size_t text_len = 0;
    MXP_ENSURE(len != NULL, MXP_E_USAGE);
    *len = 0;
    MXP_ENSURE(buf != NULL && qtype != 0, MXP_E_USAGE);
    MXP_GUARD(text_name_check(name, &text_len));
    size_t wire = wire_len_of(text_len);
    size_t need = MXP_DNS_HEADER_LEN + wire + 4;
    MXP_ENSURE(cap >= need, MXP_E_CAPACITY);

    put_u16(buf, id);
    put_u16(buf + 2, rd ? DNS_FLAG_RD : 0); /* QR 0, OPCODE QUERY */
    put_u16(buf + 4, 1);                    /* QDCOUNT */
    put_u16(buf + 6, 0);
    put_u16(buf + 8, 0);
    put_u16(buf + 10, 0);
    text_name_to_wire(buf + MXP_DNS_HEADER_LEN, name, text_len);
    put_u16(buf + MXP_DNS_HEADER_LEN + wire, qtype);
    put_u16(buf + MXP_DNS_HEADER_LEN + wire + 2, MXP_DNS_CLASS_IN);
    *len = need;
    return MXP_SUCCESS;
}

mxp_err mxp_dns_build_query_tcp(uint8_t *buf, size_t cap, size_t *len, uint16_t id,
                                const char *name, uint16_t qtype, bool rd)
{
    size_t n = 0;
    MXP_ENSURE(len != NULL, MXP_E_USAGE);
    *len = 0;
    MXP_ENSURE(buf != NULL, MXP_E_USAGE);
    MXP_ENSURE(cap >= 2, MXP_E_CAPACITY);
    MXP_GUARD(mxp_dns_build_query(buf + 2, cap - 2, &n, id, name, qtype, rd));
    put_u16(buf, (unsigned)n); /* n <= MXP_DNS_QUERY_MAX */
    *len = n + 2;
    return MXP_SUCCESS;
}

mxp_err mxp_dns_tcp_take(const uint8_t *buf, size_t len, size_t max_msg, const uint8_t **msg,
                         size_t *msg_len, size_t *used)
{
    struct mxp_cursor c;
    uint16_t n = 0;
    const uint8_t *p = NULL;
    MXP_ENSURE(msg != NULL && msg_len != NULL && used != NULL, MXP_E_USAGE);
    *msg = NULL;
    *msg_len = 0;
    *used = 0;
    /* running out of bytes here only means "not all arrived yet" */
    mxp_cur_init(&c, buf, len, MXP_E_WOULD_BLOCK);
    MXP_GUARD(mxp_cur_u16be(&c, &n));
    if (n < MXP_DNS_HEADER_LEN || n > max_msg)
        return bad(MXP_DNS_BAD_FRAME);
    MXP_GUARD(mxp_cur_bytes(&c, n, &p));
    *msg = p;
    *msg_len = n;
    *used = c.off;
    return MXP_SUCCESS;
}

/* ---- reverse names ---------------------------------------------------------- */

static size_t put_dec(char *dst, unsigned v)
{
    size_t n = 0;
    if (v >= 100)
        dst[n++] = (char)('0' + v / 100);
    if (v >= 10)
        dst[n++] = (char)('0' + v / 10 % 10);
    dst[n++] = (char)('0' + v % 10);
    return n;
}

mxp_err mxp_dns_ptr_name(const struct mxp_addr *addr, char *buf, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    char tmp[MXP_DNS_PTR_NAME_MAX];
    size_t n = 0;
    const char *suffix;
    MXP_ENSURE(addr != NULL && buf != NULL, MXP_E_USAGE);
    if (addr->family == MXP_AF_INET) {
        for (int i = 3; i >= 0; i--) {
            n += put_dec(tmp + n, addr->bytes[i]);
            tmp[n++] = '.';
        }
        suffix = "in-addr.arpa";
    } else if (addr->family == MXP_AF_INET6) {
        for (int i = 15; i >= 0; i--) {
            tmp[n++] = hex[addr->bytes[i] & 0xf];
            tmp[n++] = '.';
            tmp[n++] = hex[addr->bytes[i] >> 4];
            tmp[n++] = '.';
        }
        suffix = "ip6.arpa";
    } else {
        return MXP_ERR(MXP_E_USAGE, 0);
    }
    size_t sl = strlen(suffix);
    memcpy(tmp + n, suffix, sl + 1);
    n += sl;
    MXP_ENSURE(cap > n, MXP_E_CAPACITY);
    memcpy(buf, tmp, n + 1);
    return MXP_SUCCESS;
}

/* ---- parsing: names ------------------------------------------------------------ */

/*
 * Read the name starting at in->off and move in past the octets it occupies
 * in place (up to its first pointer, or its root label). `in` spans the
 * message from offset 0 to where the name must end in place: the message end
 * (msg_len), or the end of the RDATA holding it. Running out in place is short_detail
 * (and *cut is set, when given, so a TC message can stop there).
 *
 * Text goes to out[cap] when out is not NULL; a name longer than cap is
 * MXP_DNS_BAD_NAME_LEN. With out NULL the name is only checked.
 */
static mxp_err name_read(struct mxp_cursor *in, size_t msg_len, int short_detail, char *out,
                         size_t cap, bool *cut)
{
    struct mxp_cursor w = *in; /* follows the labels, re-bounded at each pointer */
    size_t run = w.off;        /* start of the label run being read */
    size_t wire = 0, text = 0;
    unsigned hops = 0;
    bool jumped = false;

    if (out != NULL && cap > 0)
        out[0] = '\0';
    for (;;) {
        uint8_t b = 0, lo = 0;
        const uint8_t *label = NULL;
        if (!mxp_ok(mxp_cur_u8(&w, &b)))
            goto ran_out;
        if ((b & DNS_PTR_MASK) == DNS_PTR_MASK) {
            if (!mxp_ok(mxp_cur_u8(&w, &lo)))
                goto ran_out;
            if (!jumped)
                in->off = w.off;
            size_t target = ((size_t)(b & ~DNS_PTR_MASK) << 8) | lo;
            if (target < MXP_DNS_HEADER_LEN || target >= msg_len)
                return bad(MXP_DNS_BAD_PTR_RANGE);
            if (target >= run) /* itself, forward, or back into this name */
                return bad(MXP_DNS_BAD_PTR_LOOP);
            if (++hops > MXP_DNS_PTR_HOPS_MAX)
                return bad(MXP_DNS_BAD_PTR_HOPS);
            /* the labels at target must end before this run starts */
            mxp_cur_init(&w, in->data, run, MXP_E_DNS_FAIL);
            if (!mxp_ok(mxp_cur_skip(&w, target)))
                return bad(MXP_DNS_BAD_PTR_LOOP); /* not reached: target < run */
            run = target;
            jumped = true;
            continue;
        }
        if ((b & DNS_PTR_MASK) != 0)
            return bad(MXP_DNS_BAD_LABEL);
        wire += 1u + b;
        if (wire > MXP_DNS_NAME_WIRE_MAX)
            return bad(MXP_DNS_BAD_NAME_LEN);
        if (b == 0)
            break;
        if (!mxp_ok(mxp_cur_bytes(&w, b, &label)))
            goto ran_out;
        for (size_t i = 0; i < b; i++)
            if (!wire_char(label[i]))
                return bad(MXP_DNS_BAD_NAME_CHAR);
        if (out != NULL) {
            size_t sep = text > 0 ? 1 : 0;
            if (text + sep + b >= cap) /* keep room for the NUL */
                return bad(MXP_DNS_BAD_NAME_LEN);
            if (sep)
                out[text++] = '.';
            memcpy(out + text, label, b);
            text += b;
            out[text] = '\0';
        }
    }
    if (!jumped)
        in->off = w.off;
    return MXP_SUCCESS;

ran_out:
    if (jumped) /* the target's labels run into the name that points to them */
        return bad(MXP_DNS_BAD_PTR_LOOP);
    if (cut != NULL)
        *cut = true;
    return bad(short_detail);
}

/* ---- parsing: records ------------------------------------------------------------ */

struct rr_head {
    uint16_t type;
    uint16_t cls;
    uint32_t ttl;
    uint16_t rd_len;
    size_t rd_off; /* RDATA is msg[rd_off, rd_off + rd_len), inside the message */
};

/* One record at c->off: owner (into owner[cap] when given), fixed fields, and
 * RDATA bounds; c moves past the record. *cut: it ran off the message end. */
static mxp_err rr_read(struct mxp_cursor *c, char *owner, size_t cap, struct rr_head *h, bool *cut)
{
    MXP_GUARD(name_read(c, c->len, MXP_DNS_BAD_SHORT, owner, cap, cut));
    if (!mxp_ok(mxp_cur_u16be(c, &h->type)) || !mxp_ok(mxp_cur_u16be(c, &h->cls)) ||
        !mxp_ok(mxp_cur_u32be(c, &h->ttl)) || !mxp_ok(mxp_cur_u16be(c, &h->rd_len))) {
        *cut = true;
        return bad(MXP_DNS_BAD_SHORT);
    }
    h->rd_off = c->off;
    if (!mxp_ok(mxp_cur_skip(c, h->rd_len))) {
        *cut = true;
        return bad(MXP_DNS_BAD_RDLENGTH);
    }
    return MXP_SUCCESS;
}

/* A cursor over the RDATA that still sees the message before it: names in
 * RDATA may point anywhere back there. */
static mxp_err rdata_cursor(const uint8_t *msg, const struct rr_head *h, struct mxp_cursor *c)
{
    mxp_cur_init(c, msg, h->rd_off + h->rd_len, MXP_E_DNS_FAIL);
    if (!mxp_ok(mxp_cur_skip(c, h->rd_off)))
        return bad(MXP_DNS_BAD_RDLENGTH); /* not reached: rr_read checked it */
    return MXP_SUCCESS;
}

/* A name that ends exactly where the RDATA cursor rd ends. */
static mxp_err rdata_name(const struct mxp_cursor *rd, size_t msg_len, char *out, size_t cap)
{
    struct mxp_cursor c = *rd;
    MXP_GUARD(name_read(&c, msg_len, MXP_DNS_BAD_RDLENGTH, out, cap, NULL));
    if (mxp_cur_left(&c) != 0)
        return bad(MXP_DNS_BAD_RDLENGTH);
    return MXP_SUCCESS;
}

/* TXT: one or more <character-string>s filling the RDATA. */
static mxp_err rdata_txt(struct mxp_cursor *c, struct mxp_dns_rr *rr)
{
    size_t text = 0;
    if (mxp_cur_left(c) == 0)
        return bad(MXP_DNS_BAD_RDLENGTH);
    while (mxp_cur_left(c) > 0) {
        uint8_t n = 0;
        const uint8_t *s = NULL;
        if (!mxp_ok(mxp_cur_u8(c, &n)) || !mxp_ok(mxp_cur_bytes(c, n, &s)))
            return bad(MXP_DNS_BAD_RDLENGTH);
        for (size_t i = 0; rr != NULL && i < n; i++) {
            if (text + 1 >= sizeof rr->name) {
                rr->partial = true;
                break;
            }
            rr->name[text++] = s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '?';
        }
    }
    if (rr != NULL)
        rr->name[text] = '\0';
    return MXP_SUCCESS;
}

/*
 * Check the RDATA of the types we know and, when rr is given, decode it. The
 * RDATA lies inside the message (rr_read checked that), so any shortfall here
 * is RDLENGTH disagreeing with the content.
 */
static mxp_err rdata_read(const uint8_t *msg, size_t msg_len, const struct rr_head *h,
                          struct mxp_dns_rr *rr)
{
    struct mxp_cursor c;
    const uint8_t *p = NULL;
    MXP_GUARD(rdata_cursor(msg, h, &c));
    if (rr != NULL) {
        memset(rr, 0, sizeof *rr);
        rr->type = h->type;
        rr->ttl = h->ttl > 0x7fffffffu ? 0 : h->ttl;
    }

    switch (h->type) {
    case MXP_DNS_A:
    case MXP_DNS_AAAA: {
        size_t n = h->type == MXP_DNS_A ? 4 : 16;
        if (h->rd_len != n || !mxp_ok(mxp_cur_bytes(&c, n, &p)))
            return bad(MXP_DNS_BAD_RDLENGTH);
        if (rr != NULL) {
            rr->addr.family = h->type == MXP_DNS_A ? MXP_AF_INET : MXP_AF_INET6;
            memcpy(rr->addr.bytes, p, n);
        }
        break;
    }
    case MXP_DNS_MX: {
        uint16_t pref = 0;
        if (!mxp_ok(mxp_cur_u16be(&c, &pref)))
            return bad(MXP_DNS_BAD_RDLENGTH);
        if (rr != NULL)
            rr->pref = pref;
        return rdata_name(&c, msg_len, rr != NULL ? rr->name : NULL, sizeof rr->name);
    }
    case MXP_DNS_NS:
    case MXP_DNS_CNAME:
    case MXP_DNS_PTR:
        return rdata_name(&c, msg_len, rr != NULL ? rr->name : NULL, sizeof rr->name);
    case MXP_DNS_TXT:
        return rdata_txt(&c, rr);
    default: /* opaque to us: only its bounds matter */
        break;
    }
    return MXP_SUCCESS;
}

/* ---- parsing: the message -------------------------------------------------------- */

struct dns_walk {
    const uint8_t *msg;
    size_t len;
    size_t an_off;       /* first answer record */
    unsigned an_present; /* answer records present (fewer than ANCOUNT only with TC) */
};

static mxp_err walk_answers(const struct dns_walk *m, struct mxp_cursor *c)
{
    mxp_cur_init(c, m->msg, m->len, MXP_E_DNS_FAIL);
    if (!mxp_ok(mxp_cur_skip(c, m->an_off)))
        return bad(MXP_DNS_BAD_SHORT); /* not reached: the question ended there */
    return MXP_SUCCESS;
}

/* Replace canon by its CNAME target while the answer has one, at most
 * MXP_DNS_CNAME_MAX times. */
static mxp_err follow_cnames(const struct dns_walk *m, char *canon, size_t cap, uint8_t *hops)
{
    char name[MXP_DNS_NAME_TEXT_MAX]; /* an owner, then the target of the matching one */
    for (;;) {
        struct mxp_cursor c;
        struct rr_head h;
        bool cut = false, found = false;
        MXP_GUARD(walk_answers(m, &c));
        for (unsigned i = 0; i < m->an_present && !found; i++) {
            MXP_GUARD(rr_read(&c, name, sizeof name, &h, &cut));
            if (h.type != MXP_DNS_CNAME || h.cls != MXP_DNS_CLASS_IN ||
                !mxp_dns_name_eq(name, canon))
                continue;
            struct mxp_cursor rd;
            MXP_GUARD(rdata_cursor(m->msg, &h, &rd));
            MXP_GUARD(rdata_name(&rd, m->len, name, sizeof name));
            found = true;
        }
        if (!found)
            return MXP_SUCCESS;
        if (*hops >= MXP_DNS_CNAME_MAX)
            return bad(MXP_DNS_BAD_CNAME);
        (*hops)++;
        size_t n = strlen(name);
        if (n >= cap)
            return bad(MXP_DNS_BAD_NAME_LEN);
        memcpy(canon, name, n + 1);
    }
}

/* Records of qtype owned by canon into out->rr. */
static mxp_err collect(const struct dns_walk *m, const char *canon, uint16_t qtype,
                       struct mxp_dns_answer *out)
{
    char owner[MXP_DNS_NAME_TEXT_MAX];
    struct mxp_cursor c;
    MXP_GUARD(walk_answers(m, &c));
    for (unsigned i = 0; i < m->an_present; i++) {
        struct rr_head h;
        bool cut = false;
        MXP_GUARD(rr_read(&c, owner, sizeof owner, &h, &cut));
        if (h.type != qtype || h.cls != MXP_DNS_CLASS_IN || !mxp_dns_name_eq(owner, canon))
            continue;
        if (out->n >= MXP_CFG_DNS_MAX_RR) {
            out->more = true;
            continue;
        }
        MXP_GUARD(rdata_read(m->msg, m->len, &h, &out->rr[out->n]));
        out->n++;
    }
    return MXP_SUCCESS;
}

/* Check the framing of every record; count the answers present. */
static mxp_err check_records(struct mxp_cursor *c, unsigned an, unsigned ns, unsigned ar, bool tc,
                             unsigned *an_present)
{
    unsigned total = an + ns + ar;
    *an_present = 0;
    for (unsigned i = 0; i < total; i++) {
        struct rr_head h;
        bool cut = false;
        if (mxp_cur_left(c) == 0) /* the counts promise more than was sent */
            return tc ? MXP_SUCCESS : bad(MXP_DNS_BAD_COUNT);
        mxp_err e = rr_read(c, NULL, 0, &h, &cut);
        if (!mxp_ok(e))
            return tc && cut ? MXP_SUCCESS : e; /* TC: the server cut here */
        MXP_GUARD(rdata_read(c->data, c->len, &h, NULL));
        if (i < an)
            (*an_present)++;
    }
    /* bytes after the last counted record: some count is too small */
    if (mxp_cur_left(c) != 0)
        return bad(MXP_DNS_BAD_COUNT);
    return MXP_SUCCESS;
}

mxp_err mxp_dns_parse_response(const uint8_t *msg, size_t len, uint16_t expect_id,
                               const char *expect_name, uint16_t expect_qtype,
                               struct mxp_dns_answer *out)
{
    struct mxp_cursor c;
    uint16_t id = 0, flags = 0, qd = 0, an = 0, ns = 0, ar = 0, qtype = 0, qclass = 0;
    char name[MXP_DNS_NAME_TEXT_MAX]; /* the question's name, then the canonical name */
    size_t want_len = 0;
    bool cut = false;

    MXP_ENSURE(out != NULL, MXP_E_USAGE);
    memset(out, 0, sizeof *out);
    MXP_ENSURE(expect_qtype != 0, MXP_E_USAGE);
    MXP_GUARD(text_name_check(expect_name, &want_len));
    if (msg == NULL)
        len = 0;

    mxp_cur_init(&c, msg, len, MXP_E_DNS_FAIL);
    if (!mxp_ok(mxp_cur_u16be(&c, &id)) || !mxp_ok(mxp_cur_u16be(&c, &flags)) ||
        !mxp_ok(mxp_cur_u16be(&c, &qd)) || !mxp_ok(mxp_cur_u16be(&c, &an)) ||
        !mxp_ok(mxp_cur_u16be(&c, &ns)) || !mxp_ok(mxp_cur_u16be(&c, &ar)))
        return bad(MXP_DNS_BAD_SHORT);
    if (id != expect_id)
        return bad(MXP_DNS_BAD_ID);
    if ((flags & DNS_FLAG_QR) == 0 || DNS_OPCODE(flags) != 0)
        return bad(MXP_DNS_BAD_HEADER);
    unsigned rcode = DNS_RCODE(flags);
    bool tc = (flags & DNS_FLAG_TC) != 0;
    out->rcode = (uint8_t)rcode;
    out->truncated = tc;
    out->authoritative = (flags & DNS_FLAG_AA) != 0;

    /* Servers often drop the question from FORMERR / REFUSED / SERVFAIL; with
     * the ID matching, the refusal is worth reporting as such. NOERROR and
     * NXDOMAIN need the question: they are what a spoofer would forge. */
    if (qd == 0 && rcode != MXP_DNS_NOERROR && rcode != MXP_DNS_NXDOMAIN && an == 0 && ns == 0 &&
        ar == 0 && mxp_cur_left(&c) == 0)
        return MXP_ERR(MXP_E_DNS_FAIL, (int)rcode);
    if (qd != 1)
        return bad(MXP_DNS_BAD_HEADER);

    MXP_GUARD(name_read(&c, len, MXP_DNS_BAD_SHORT, name, sizeof name, &cut));
    if (!mxp_ok(mxp_cur_u16be(&c, &qtype)) || !mxp_ok(mxp_cur_u16be(&c, &qclass)))
        return bad(MXP_DNS_BAD_SHORT);
    if (qtype != expect_qtype || qclass != MXP_DNS_CLASS_IN || !mxp_dns_name_eq(name, expect_name))
        return bad(MXP_DNS_BAD_QUESTION);

    struct dns_walk m = {msg, len, c.off, 0};
    MXP_GUARD(check_records(&c, an, ns, ar, tc, &m.an_present));

    if (rcode != MXP_DNS_NOERROR && rcode != MXP_DNS_NXDOMAIN)
        return MXP_ERR(MXP_E_DNS_FAIL, (int)rcode);

    /* From here `name` is the canonical name, starting as the caller's
     * spelling of the question, which matched it case-insensitively. */
    memcpy(name, expect_name, want_len);
    name[want_len] = '\0';
    if (expect_qtype != MXP_DNS_CNAME)
        MXP_GUARD(follow_cnames(&m, name, sizeof name, &out->cnames));
    size_t canon_len = strlen(name);
    if (canon_len >= sizeof out->canonical)
        return bad(MXP_DNS_BAD_NAME_LEN);
    memcpy(out->canonical, name, canon_len + 1);

    if (rcode == MXP_DNS_NXDOMAIN)
        return MXP_ERR(MXP_E_DNS_NXDOMAIN, 0);
    MXP_GUARD(collect(&m, name, expect_qtype, out));
    if (out->n == 0 && !tc)
        return MXP_ERR(MXP_E_DNS_NODATA, 0);
    return MXP_SUCCESS;
}

const char *mxp_dns_detail_name(int detail)
{
    /* clang-format off */
    switch (detail) {
    case MXP_DNS_FORMERR: return "formerr";
    case MXP_DNS_SERVFAIL: return "servfail";
    case MXP_DNS_NXDOMAIN: return "nxdomain";
    case MXP_DNS_NOTIMP: return "notimp";
    case MXP_DNS_REFUSED: return "refused";
    case MXP_DNS_BAD_SHORT: return "short";
    case MXP_DNS_BAD_HEADER: return "bad-header";
    case MXP_DNS_BAD_ID: return "id-mismatch";
    case MXP_DNS_BAD_QUESTION: return "question-mismatch";
    case MXP_DNS_BAD_PTR_LOOP: return "pointer-loop";
    case MXP_DNS_BAD_PTR_RANGE: return "pointer-range";
    case MXP_DNS_BAD_PTR_HOPS: return "pointer-hops";
    case MXP_DNS_BAD_LABEL: return "label-type";
    case MXP_DNS_BAD_NAME_LEN: return "name-length";
    case MXP_DNS_BAD_NAME_CHAR: return "name-char";
    case MXP_DNS_BAD_RDLENGTH: return "rdlength";
    case MXP_DNS_BAD_COUNT: return "count";
    case MXP_DNS_BAD_CNAME: return "cname-chain";
    case MXP_DNS_BAD_FRAME: return "tcp-frame";
    default:
        if (detail > 0 && detail < 16)
            return "rcode";
        return "unknown";
    }
    /* clang-format on */
}

bool mxp_dns_is_literal(const char *host)
{
    bool digits_dots = true;
    for (const char *p = host; *p; p++) {
        if (*p == ':')
            return true;
        if (!((*p >= '0' && *p <= '9') || *p == '.'))
            digits_dots = false;
    }
    return digits_dots;
}
