/*
 * The two files through which Linux names hosts without DNS and tells where
 * DNS is: /etc/hosts (the HAL's resolve op) and /etc/resolv.conf (its
 * dns_servers op). DNS itself is the engine's own client over this port's
 * sockets (mxp_resolver.h).
 *
 * Why not getaddrinfo(): a static binary for a router would carry glibc's
 * NSS machinery (207 KB on mipsel) and could still not load the NSS modules
 * a desktop's nsswitch.conf names; and getaddrinfo() has no deadline of its
 * own. Like glibc without nsswitch.conf: hosts first, then DNS. Search
 * domains are not applied: an MX is probed by its full name.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mxp_dns_name.h"
#include "mxp_posix.h"

static size_t add_literal(const char *text, struct mxp_addr *out, size_t cap, size_t n, int family)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (n >= cap)
        return n;
    memset(&out[n], 0, sizeof out[n]);
    if ((family == 0 || family == AF_INET) && inet_pton(AF_INET, text, &a4) == 1) {
        out[n].family = MXP_AF_INET;
        memcpy(out[n].bytes, &a4, 4);
        return n + 1;
    }
    if ((family == 0 || family == AF_INET6) && inet_pton(AF_INET6, text, &a6) == 1) {
        out[n].family = MXP_AF_INET6;
        memcpy(out[n].bytes, &a6, 16);
        return n + 1;
    }
    return n;
}

size_t mxp_posix_hosts_lookup(const char *path, const char *host, struct mxp_addr *out, size_t cap)
{
    FILE *f = fopen(path, "re");
    size_t n = 0;
    char line[512];
    if (f == NULL)
        return 0;
    for (int family = AF_INET; family != 0; family = family == AF_INET ? AF_INET6 : 0) {
        rewind(f);
        while (fgets(line, sizeof line, f) != NULL) {
            line[strcspn(line, "#\r\n")] = '\0';
            char *save = NULL;
            char *addr = strtok_r(line, " \t", &save);
            for (char *name = addr ? strtok_r(NULL, " \t", &save) : NULL; name != NULL;
                 name = strtok_r(NULL, " \t", &save)) {
                if (mxp_dns_name_eq(name, host)) {
                    n = add_literal(addr, out, cap, n, family);
                    break;
                }
            }
        }
    }
    fclose(f);
    return n;
}

size_t mxp_posix_nameservers(const char *path, struct mxp_addr *out, size_t cap)
{
    size_t max = cap < MXP_POSIX_MAXNS ? cap : MXP_POSIX_MAXNS;
    FILE *f = fopen(path, "re");
    size_t n = 0;
    char line[256], addr[64];
    if (f != NULL) {
        while (n < max && fgets(line, sizeof line, f) != NULL) {
            if (sscanf(line, " nameserver %63s", addr) == 1)
                n = add_literal(addr, out, max, n, 0);
        }
        fclose(f);
    }
    if (n == 0 && cap > 0) { /* no nameserver line: the local host, as glibc does */
        memset(&out[0], 0, sizeof out[0]);
        out[0].family = MXP_AF_INET;
        out[0].bytes[0] = 127;
        out[0].bytes[3] = 1;
        n = 1;
    }
    return n;
}
