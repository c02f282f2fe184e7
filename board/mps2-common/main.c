/*
 * mps2 boards: bring-up program. Boots, prints the banner and the NIC state,
 * then echoes what is typed on the console; with lwIP in the build, `net`
 * brings the interface up (DHCP) and `tcp A.B.C.D PORT` prints the first line
 * a server sends. The firmware shell replaces the echo loop; keep this file to
 * wiring, drivers live beside it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mxp_board.h"
#include "mxp_probe.h"
#if MXP_BOARD_HAVE_LWIP
#include "mxp_lwip.h"
#endif

static void say(const char *s)
{
    mxp_board_console_write(s, strlen(s));
}

static void banner(void)
{
    const struct mxp_board_info *bi = mxp_board_info();
    char line[160];
    snprintf(line, sizeof line, "\nmxprobe %s on %s (%s)\n", MXP_VERSION_STRING, bi->name, bi->cpu);
    say(line);
    snprintf(line, sizeof line,
             "flash: image %lu of %lu KiB; ram: %lu KiB (static %lu incl. stack %lu, heap %lu)\n",
             (unsigned long)bi->image_flash / 1024u, (unsigned long)bi->flash_size / 1024u,
             (unsigned long)bi->ram_size / 1024u, (unsigned long)bi->static_ram / 1024u,
             (unsigned long)bi->stack_size / 1024u, (unsigned long)bi->heap_size / 1024u);
    say(line);
    uint8_t mac[6];
    mxp_board_mac(mac);
    snprintf(line, sizeof line, "eth: mac %02x:%02x:%02x:%02x:%02x:%02x link %s\n", mac[0], mac[1],
             mac[2], mac[3], mac[4], mac[5], mxp_board_link_up() ? "up" : "down");
    say(line);
}

#if MXP_BOARD_HAVE_LWIP
static struct mxp_lwip net;
static bool net_up;

static void net_cmd(void)
{
    char out[120];
    if (!net_up) {
        mxp_err e = mxp_lwip_init(&net, NULL);
        if (!mxp_ok(e)) {
            snprintf(out, sizeof out, "net: init failed (%s)\n", mxp_err_name(e));
            say(out);
            return;
        }
        net_up = true;
    }
    struct mxp_lwip_status st;
    mxp_lwip_get_status(&net, &st);
    snprintf(out, sizeof out, "net: %s ip %u.%u.%u.%u gw %u.%u.%u.%u link %s\n",
             mxp_lwip_mode_name(&net), st.ip.bytes[0], st.ip.bytes[1], st.ip.bytes[2],
             st.ip.bytes[3], st.gateway.bytes[0], st.gateway.bytes[1], st.gateway.bytes[2],
             st.gateway.bytes[3], st.link_up ? "up" : "down");
    say(out);
}

/* `tcp A.B.C.D PORT`: connect, print the first line received, close. */
static void tcp_cmd(const char *args)
{
    const struct mxp_hal_net_api *api = &mxp_lwip_net_api;
    unsigned a, b, c, d, port;
    char out[120];
    if (!net_up || sscanf(args, "%u.%u.%u.%u %u", &a, &b, &c, &d, &port) != 5) {
        say("tcp: usage: net first, then tcp A.B.C.D PORT\n");
        return;
    }
    struct mxp_addr to = {.family = MXP_AF_INET,
                          .bytes = {(uint8_t)a, (uint8_t)b, (uint8_t)c, (uint8_t)d}};
    mxp_sock s = MXP_SOCK_NONE;
    mxp_err e = api->connect(&net, &to, (uint16_t)port, &s);
    char buf[100];
    size_t got = 0;
    uint32_t t0 = mxp_board_millis();
    while (mxp_ok(e) && got == 0 && mxp_board_millis() - t0 < 5000u) {
        struct mxp_wait_item item = {.sock = s, .want = MXP_IO_READ};
        e = api->wait(&net, &item, 1, 500);
        if (mxp_ok(e) && mxp_ok(e = api->connect_result(&net, s)))
            e = api->recv(&net, s, buf, sizeof buf - 1, &got);
        if (mxp_is(e, MXP_E_WOULD_BLOCK))
            e = MXP_SUCCESS;
    }
    if (s != MXP_SOCK_NONE)
        api->close(&net, s, false);
    buf[got] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
    char why[60];
    snprintf(out, sizeof out, "tcp: %s\n",
             got > 0     ? buf
             : mxp_ok(e) ? "(nothing)"
                         : mxp_err_str(e, why, sizeof why));
    say(out);
}
#endif

int main(void)
{
    mxp_board_init();
    banner();
    say("echo> ");
    char line[80];
    size_t n = 0;
    for (;;) {
        int c = mxp_board_console_getc();
#if MXP_BOARD_HAVE_LWIP
        if (net_up)
            mxp_lwip_poll(&net);
#endif
        if (c < 0)
            continue;
        if (c == '\r' || c == '\n') {
            line[n] = '\0';
            say("\n");
            if (strcmp(line, "exit") == 0)
                return 0; /* QEMU exits with this status (semihosting) */
            if (strcmp(line, "mem") == 0) {
                char out[80];
                snprintf(out, sizeof out, "heap peak %u, stack peak %u, uptime %lu ms\n",
                         (unsigned)mxp_board_heap_peak(), (unsigned)mxp_board_stack_peak(),
                         (unsigned long)mxp_board_millis());
                say(out);
#if MXP_BOARD_HAVE_LWIP
            } else if (strcmp(line, "net") == 0) {
                net_cmd();
            } else if (strncmp(line, "tcp ", 4) == 0) {
                tcp_cmd(line + 4);
#endif
            } else if (n > 0) {
                say("echo: ");
                say(line);
                say("\n");
            }
            n = 0;
            say("echo> ");
        } else if ((c == 0x7F || c == 0x08) && n > 0) {
            n--;
            say("\b \b");
        } else if (c >= 0x20 && c < 0x7F && n + 1 < sizeof line) {
            line[n++] = (char)c;
            char ch = (char)c;
            mxp_board_console_write(&ch, 1);
        }
    }
}
