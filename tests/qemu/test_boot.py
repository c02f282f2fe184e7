#!/usr/bin/env python3
"""QEMU boot test for one board's firmware image.

Boots the image, waits for the banner, checks the console echoes typed input,
and (unless --no-net) checks the LAN9118 driver under lwIP end to end: a DHCP
lease from QEMU's user network, then a TCP connection to a listener on the
host's loopback (10.0.2.2 from the guest) whose greeting must come back.
Finally the firmware must end QEMU with status 0 (semihosting SYS_EXIT).

The console dialogue is the bring-up program's (board/mps2-common/main.c):
when the shell replaces it, adapt PROMPT and the commands below.
"""

import argparse
import os
import socket
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qemu_console import QemuConsole, QemuError  # noqa: E402

PROMPT = r"echo> "
BOOT_TIMEOUT = 10.0
GREETING = "220 mxprobe-qemu-test ready"


def greeter():
    """A one-shot TCP listener on the host's loopback; returns its port."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    srv.settimeout(60)

    def serve():
        try:
            conn, _ = srv.accept()
            with conn:
                conn.sendall((GREETING + "\r\n").encode())
                conn.settimeout(5)
                try:
                    conn.recv(1)  # until the guest closes
                except OSError:
                    pass
        except OSError:
            pass
        finally:
            srv.close()

    threading.Thread(target=serve, daemon=True).start()
    return srv.getsockname()[1]


def run(args):
    q = QemuConsole(args.elf, board=args.board, nic=True, log=args.log)
    try:
        q.start()
        m = q.expect(r"mxprobe (\S+) on %s \((Cortex-M\d+)\)" % args.board, BOOT_TIMEOUT)
        print("banner: %s" % m.group(0))
        m = q.expect(r"eth: mac ([0-9a-f:]{17}) link (up|down)", 5)
        if m.group(2) != "up":
            raise QemuError("link is down at boot")
        q.expect(PROMPT, 5)

        q.sendline("hello qemu")
        q.expect(r"echo: hello qemu\n", 5)
        q.expect(PROMPT, 5)

        if not args.no_net:
            q.sendline("net")
            m = q.expect(r"net: (\S+) ip (\S+) gw (\S+) link (\S+)", 15)
            if m.group(1) != "dhcp" or m.group(2) != "10.0.2.15":
                raise QemuError("expected a DHCP lease 10.0.2.15, got: %s" % m.group(0))
            q.expect(PROMPT, 5)
            port = greeter()
            q.sendline("tcp 10.0.2.2 %d" % port)
            q.expect(r"tcp: %s\n" % GREETING, 15)
            q.expect(PROMPT, 5)

        q.sendline("exit")
        status = q.wait_exit(10)
        if status != 0:
            raise QemuError("firmware exited QEMU with status %s, expected 0" % status)
        print("ok: %s boots, echoes%s and exits" % (args.board, "" if args.no_net else ", gets DHCP, talks TCP"))
        return 0
    except QemuError as e:
        print("FAIL: %s" % e, file=sys.stderr)
        return 1
    finally:
        q.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--elf", required=True)
    ap.add_argument("--board", required=True)
    ap.add_argument("--no-net", action="store_true", help="image built without lwIP")
    ap.add_argument("--log", help="raw console transcript file")
    return run(ap.parse_args())


if __name__ == "__main__":
    sys.exit(main())
