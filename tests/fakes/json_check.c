/*
 * Strict JSON checker (see json_check.h): recursive descent with a depth cap,
 * so hostile input cannot exhaust the stack.
 */
#include "json_check.h"

#include <string.h>

#define JSON_CHECK_DEPTH 64

struct json_check {
    const char *s;
    size_t n, i;
    unsigned depth;
};

static bool jc_value(struct json_check *c);

static void jc_ws(struct json_check *c)
{
    while (c->i < c->n &&
           (c->s[c->i] == ' ' || c->s[c->i] == '\t' || c->s[c->i] == '\n' || c->s[c->i] == '\r'))
        c->i++;
}

static bool jc_lit(struct json_check *c, const char *lit)
{
    size_t k = strlen(lit);
    if (c->n - c->i < k || memcmp(c->s + c->i, lit, k) != 0)
        return false;
    c->i += k;
    return true;
}

static bool jc_hex(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

static bool jc_string(struct json_check *c)
{
    if (c->i >= c->n || c->s[c->i] != '"')
        return false;
    c->i++;
    while (c->i < c->n) {
        unsigned char ch = (unsigned char)c->s[c->i];
        if (ch == '"') {
            c->i++;
            return true;
        }
        if (ch < 0x20 || ch >= 0x7f)
            return false;
        if (ch == '\\') {
            c->i++;
            if (c->i >= c->n)
                return false;
            char e = c->s[c->i];
            if (e == 'u') {
                for (int k = 1; k <= 4; k++)
                    if (c->i + (size_t)k >= c->n || !jc_hex(c->s[c->i + (size_t)k]))
                        return false;
                c->i += 4;
            } else if (strchr("\"\\/bfnrt", e) == NULL || e == '\0') {
                return false;
            }
        }
        c->i++;
    }
    return false;
}

static bool jc_digits(struct json_check *c)
{
    size_t start = c->i;
    while (c->i < c->n && c->s[c->i] >= '0' && c->s[c->i] <= '9')
        c->i++;
    return c->i > start;
}

static bool jc_number(struct json_check *c)
{
    if (c->i < c->n && c->s[c->i] == '-')
        c->i++;
    if (c->i < c->n && c->s[c->i] == '0') {
        c->i++;
    } else if (!jc_digits(c)) {
        return false;
    }
    if (c->i < c->n && c->s[c->i] == '.') {
        c->i++;
        if (!jc_digits(c))
            return false;
    }
    if (c->i < c->n && (c->s[c->i] == 'e' || c->s[c->i] == 'E')) {
        c->i++;
        if (c->i < c->n && (c->s[c->i] == '+' || c->s[c->i] == '-'))
            c->i++;
        if (!jc_digits(c))
            return false;
    }
    return true;
}

static bool jc_container(struct json_check *c, char close, bool object)
{
    if (++c->depth > JSON_CHECK_DEPTH)
        return false;
    c->i++;
    jc_ws(c);
    if (c->i < c->n && c->s[c->i] == close) {
        c->i++;
        c->depth--;
        return true;
    }
    for (;;) {
        jc_ws(c);
        if (object) {
            if (!jc_string(c))
                return false;
            jc_ws(c);
            if (c->i >= c->n || c->s[c->i] != ':')
                return false;
            c->i++;
        }
        if (!jc_value(c))
            return false;
        jc_ws(c);
        if (c->i >= c->n)
            return false;
        if (c->s[c->i] == ',') {
            c->i++;
            continue;
        }
        if (c->s[c->i] != close)
            return false;
        c->i++;
        c->depth--;
        return true;
    }
}

static bool jc_value(struct json_check *c)
{
    jc_ws(c);
    if (c->i >= c->n)
        return false;
    switch (c->s[c->i]) {
    case '{':
        return jc_container(c, '}', true);
    case '[':
        return jc_container(c, ']', false);
    case '"':
        return jc_string(c);
    case 't':
        return jc_lit(c, "true");
    case 'f':
        return jc_lit(c, "false");
    case 'n':
        return jc_lit(c, "null");
    default:
        return jc_number(c);
    }
}

bool mxp_json_check(const char *s, size_t n, size_t *err_at)
{
    struct json_check c = {s, n, 0, 0};
    bool ok = jc_value(&c);
    if (ok) {
        jc_ws(&c);
        ok = c.i == n;
    }
    if (!ok && err_at != NULL)
        *err_at = c.i;
    return ok;
}
