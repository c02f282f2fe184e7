/*
 * mps2 boards: the mxprobe firmware. Boots, brings the network up (DHCP with
 * a static fallback), runs the autorun commands if any, then serves the
 * serial-console shell (firmware/include/mxp_shell.h) for good.
 *
 * Autorun: shell commands separated by ';', from the semihosting command line
 * (qemu-system-arm ... -append "json on; probe 10.0.2.2 25") or, for boards
 * flashed without a debugger, from MXP_CFG_AUTORUN at build time
 * (-DMXP_AUTORUN="..."). With `json on` first, a fleet or CI reads one JSON
 * report line per probe from the UART.
 *
 * Keep this file to wiring: drivers live beside it, logic in firmware/.
 */
#include <stdio.h>
#include <string.h>

#include "mxp_baremetal.h"
#include "mxp_board.h"
#include "mxp_engine.h"
#include "mxp_err_text.h"
#include "mxp_lwip.h"
#include "mxp_probe.h"
#include "mxp_shell.h"

#define AUTORUN_MAX 512 /* semihosting command line, image path included (bytes) */

/* Everything the probe needs lives here, in static RAM, sized at link time. */
static struct mxp_lwip net;
static struct mxp_baremetal_hal bm;
static struct mxp_engine engine;
static struct mxp_result result;
static struct mxp_shell shell;

static void say(const char *s)
{
    mxp_board_console_write(s, strlen(s));
}

static void print_addr(struct mxp_writer *w, const char *label, const struct mxp_addr *a)
{
    mxp_printf(w, "%-9s %u.%u.%u.%u\n", label, a->bytes[0], a->bytes[1], a->bytes[2], a->bytes[3]);
}

static void net_info(void *ctx, struct mxp_writer *w)
{
    struct mxp_lwip_status st;
    uint8_t mac[6];
    mxp_lwip_get_status(ctx, &st);
    mxp_board_mac(mac);
    mxp_printf(w, "link      %s, mac %02x:%02x:%02x:%02x:%02x:%02x\n", st.link_up ? "up" : "down",
               mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
    mxp_printf(w, "address   %s\n", mxp_lwip_mode_name(ctx));
    print_addr(w, "ip", &st.ip);
    print_addr(w, "netmask", &st.netmask);
    print_addr(w, "gateway", &st.gateway);
    print_addr(w, "dns", &st.dns);
}

static void mem_info(void *ctx, struct mxp_writer *w)
{
    const struct mxp_board_info *bi = mxp_board_info();
    (void)ctx;
    mxp_printf(w, "board     %s (%s)\n", bi->name, bi->cpu);
    mxp_printf(w, "flash     %lu of %lu bytes used by the image\n", (unsigned long)bi->image_flash,
               (unsigned long)bi->flash_size);
    mxp_printf(w, "ram       %lu bytes: %lu static (incl. %lu stack), %lu heap\n",
               (unsigned long)bi->ram_size, (unsigned long)bi->static_ram,
               (unsigned long)bi->stack_size, (unsigned long)bi->heap_size);
    mxp_printf(w, "heap      peak %lu of %lu bytes (wolfSSL's arena)\n",
               (unsigned long)mxp_board_heap_peak(), (unsigned long)bi->heap_size);
    mxp_printf(w, "stack     peak %lu of %lu bytes\n", (unsigned long)mxp_board_stack_peak(),
               (unsigned long)bi->stack_size);
}

static void reboot(void *ctx)
{
    (void)ctx;
    say("rebooting\r\n");
    mxp_board_reset();
}

static const struct mxp_shell_ops shell_ops = {
    .net = net_info, .mem = mem_info, .reboot = reboot, .ctx = &net};

static void banner(void)
{
    const struct mxp_board_info *bi = mxp_board_info();
    char line[160];
    snprintf(line, sizeof line, "\r\nmxprobe %s on %s (%s)\r\n", MXP_VERSION_STRING, bi->name,
             bi->cpu);
    say(line);
    snprintf(line, sizeof line,
             "flash: image %lu of %lu KiB; ram: %lu KiB (static %lu incl. stack %lu, heap %lu)\r\n",
             (unsigned long)bi->image_flash / 1024u, (unsigned long)bi->flash_size / 1024u,
             (unsigned long)bi->ram_size / 1024u, (unsigned long)bi->static_ram / 1024u,
             (unsigned long)bi->stack_size / 1024u, (unsigned long)bi->heap_size / 1024u);
    say(line);
}

/* Run "cmd; cmd; ..." through the shell, echoing each as if typed. */
static void autorun(char *cmds)
{
    char *save = cmds;
    while (save != NULL && *save != '\0') {
        char *cmd = save;
        char *semi = strchr(save, ';');
        save = semi != NULL ? semi + 1 : NULL;
        if (semi != NULL)
            *semi = '\0';
        while (*cmd == ' ')
            cmd++;
        if (*cmd == '\0')
            continue;
        say("autorun> ");
        say(cmd);
        say("\r\n");
        (void)mxp_shell_exec(&shell, cmd);
    }
}

int main(void)
{
    static char cmdline[AUTORUN_MAX];

    mxp_board_init();
    banner();
    say("net: waiting for DHCP\r\n");
    mxp_err e = mxp_lwip_init(&net, NULL);
    mxp_baremetal_hal_init(&bm, &mxp_lwip_net_api, &net, true);
    mxp_shell_init(&shell, &bm.hal, &shell_ops, &engine, &result);
    if (!mxp_ok(e)) {
        char text[80];
        say("net: init failed: ");
        say(mxp_err_str(e, text, sizeof text));
        say("\r\n");
    } else {
        (void)mxp_shell_exec(&shell, "net");
    }

    bool have = mxp_board_cmdline(cmdline, sizeof cmdline);
#ifdef MXP_CFG_AUTORUN
    if (!have || cmdline[0] == '\0') {
        snprintf(cmdline, sizeof cmdline, "%s", MXP_CFG_AUTORUN);
        have = true;
    }
#endif
    if (have)
        autorun(cmdline);

    mxp_shell_prompt(&shell);
    for (;;) {
        mxp_lwip_poll(&net);
        mxp_shell_poll(&shell);
    }
}
