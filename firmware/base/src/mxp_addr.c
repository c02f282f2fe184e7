/*
 * Address literals digit by digit, without libc's inet_pton (the firmware has
 * none): IPv4 dotted quad (no leading zeros, no shorthand) or RFC 4291 IPv6.
 */
#include "mxp_addr.h"

#include <string.h>

static bool parse_v4(const char *s, size_t len, uint8_t out[4])
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        size_t start = i;
        unsigned long v = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9' && i - start < 3)
            v = v * 10 + (unsigned long)(s[i++] - '0');
        if (i == start || v > 255 || (i - start > 1 && s[start] == '0'))
            return false;
        out[part] = (uint8_t)v;
        if (part < 3 && (i >= len || s[i++] != '.'))
            return false;
    }
    return i == len;
}

static int hex_val(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

static bool parse_v6(const char *s, size_t len, uint8_t out[16])
{
    uint16_t groups[8];
    int n = 0, gap = -1;
    size_t i = 0;
    if (len >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        i = 2;
    }
    while (i < len) {
        unsigned v = 0;
        size_t start = i;
        while (i < len && hex_val(s[i]) >= 0 && i - start < 4)
            v = v * 16 + (unsigned)hex_val(s[i++]);
        if (i == start || n >= 8)
            return false;
        groups[n++] = (uint16_t)v;
        if (i == len)
            break;
        if (s[i] != ':')
            return false;
        i++;
        if (i < len && s[i] == ':') {
            if (gap >= 0)
                return false;
            gap = n;
            i++;
        } else if (i == len) {
            return false;
        }
    }
    if ((gap < 0 && n != 8) || (gap >= 0 && n > 7))
        return false;
    memset(out, 0, 16);
    int tail = gap < 0 ? 0 : n - gap;
    for (int g = 0; g < n; g++) {
        int at = (gap >= 0 && g >= gap) ? 8 - tail + (g - gap) : g;
        out[2 * at] = (uint8_t)(groups[g] >> 8);
        out[2 * at + 1] = (uint8_t)groups[g];
    }
    return true;
}

bool mxp_addr_parse(const char *s, size_t len, struct mxp_addr *out)
{
    memset(out, 0, sizeof *out);
    if (parse_v4(s, len, out->bytes)) {
        out->family = MXP_AF_INET;
        return true;
    }
    if (parse_v6(s, len, out->bytes)) {
        out->family = MXP_AF_INET6;
        return true;
    }
    memset(out, 0, sizeof *out);
    return false;
}
