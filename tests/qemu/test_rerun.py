#!/usr/bin/env python3
"""The firmware shell after Ctrl-C: the next command must work as the first did.

Boots one board's image and types at its shell, against servers on the host's
loopback (QEMU's user network shows it as 10.0.2.2):

  stale    a probe of the `stall` fixture interrupted with Ctrl-C, then
           `mx fw.test PORT` (a DNS server of this script answers the board's
           MX and A queries) must probe the exchanger and print its report,
           and `probe` after another interrupted probe must do the same;
  multi    `probe HOST P1 P2` on a board whose result holds fewer ports than
           asked gives one report: one header, one summary with a row per
           port and one overall verdict; a name that does not resolve is
           reported once, not once per batch of ports;
  tarpit   a server of this script that accepts and never sends or closes a
           byte (a tarpit): `probe` of it interrupted with Ctrl-C, then
           `probe` of the healthy modern fixture, ROUNDS times in a row. Each
           healthy probe must complete its TLS 1.3 handshake: an interrupted
           or timed-out attempt gives its TCP slot back at once (RST) instead
           of leaving it to linger half-closed.

usage: test_rerun.py --elf FW.elf --board mps2-an385 [--rounds 8] [--log FILE]
"""
import argparse
import os
import re
import socket
import struct
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
from qemu_console import QemuConsole, QemuError  # noqa: E402

MXFIX = os.path.join(TOP, "tests", "integration", "mxfix")
PROMPT = r"mxprobe> "
MODERN_PORT = 10025  # tests/integration/profiles.py
STALL_PORT = 10033
HOST_IP = "10.0.2.2"  # the host's loopback as QEMU's user network shows it

# name -> (type, rdata builder); every other name is NXDOMAIN.
ZONE = {
    ("fw.test", 15): lambda: struct.pack("!H", 10) + wire("mx.fw.test"),
    ("mx.fw.test", 1): lambda: socket.inet_aton(HOST_IP),
}


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def wire(name):
    return b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"


def dns_answer(query):
    labels, i = [], 12
    while query[i]:
        labels.append(query[i + 1:i + 1 + query[i]].decode().lower())
        i += 1 + query[i]
    qtype = struct.unpack("!H", query[i + 1:i + 3])[0]
    name, end = ".".join(labels), i + 5
    build = ZONE.get((name, qtype))
    known = any(n == name for n, _ in ZONE)
    flags = 0x8580 | (0 if known else 3)
    out = query[:2] + struct.pack("!HHHHH", flags, 1, 1 if build else 0, 0, 0) + query[12:end]
    if build:
        rdata = build()
        out += b"\xc0\x0c" + struct.pack("!HHIH", qtype, 1, 60, len(rdata)) + rdata
    return out, (name, qtype)


class Servers:
    """A DNS server and a tarpit on 127.0.0.1, each on a free port."""

    def __init__(self):
        self.dns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.dns.bind(("127.0.0.1", 0))
        self.dns_port = self.dns.getsockname()[1]
        self.asked = []
        self.tarpit = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tarpit.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tarpit.bind(("127.0.0.1", 0))
        self.tarpit.listen(64)
        self.tarpit_port = self.tarpit.getsockname()[1]
        self.held = []  # accepted and never read, written or closed
        self.accepted = 0
        self.lock = threading.Lock()
        threading.Thread(target=self._serve_dns, daemon=True).start()
        threading.Thread(target=self._serve_tarpit, daemon=True).start()

    def _serve_dns(self):
        while True:
            try:
                msg, peer = self.dns.recvfrom(512)
                reply, q = dns_answer(msg)
                self.asked.append(q)
                self.dns.sendto(reply, peer)
            except (OSError, IndexError, struct.error):
                return

    def _serve_tarpit(self):
        while True:
            try:
                conn, _ = self.tarpit.accept()
            except OSError:
                return
            with self.lock:
                self.held.append(conn)
                self.accepted += 1

    def accepts(self):
        with self.lock:
            return self.accepted

    def close(self):
        self.dns.close()
        self.tarpit.close()
        for c in self.held:
            c.close()


def interrupt_probe(con, line, ready, what):
    """Type a probe, wait until ready() says it is under way, press Ctrl-C;
    the probe must stop with its partial report and give the prompt back."""
    con.sendline(line)
    start = time.monotonic()
    deadline = start + 15
    while not ready(time.monotonic() - start):
        if time.monotonic() > deadline:
            fail(f"{what}: '{line}' never got under way")
        time.sleep(0.1)
    time.sleep(0.3)
    con.interrupt()
    try:
        text = con.expect(PROMPT, timeout=15).before
    except QemuError as e:
        fail(f"{what}: Ctrl-C did not stop '{line}': {e}")
    if "interrupted, the results above are partial" not in text:
        fail(f"{what}: '{line}' after Ctrl-C printed no partial report: {text[-600:]!r}")


def assert_healthy(out, what, host=HOST_IP):
    for want in (r"mxprobe report for " + re.escape(host), r"TLSv1\.3\s+ok"):
        if not re.search(want, out):
            fail(f"{what}: no match for {want!r} in {out[-1500:]!r}")
    for bad in ("out of memory", "could not run", "interrupted"):
        if bad in out:
            fail(f"{what}: '{bad}' in {out[-1500:]!r}")


def run(args, srv):
    with QemuConsole(args.elf, board=args.board, log=args.log) as con:
        try:
            con.expect(PROMPT, timeout=60)
        except QemuError as e:
            fail(f"{args.board}: no prompt after boot: {e}")
        for line in (f"config dns {HOST_IP}:{srv.dns_port}", "config versions 1.3",
                     "config timeout 8000"):
            out = con.command_output(line, PROMPT, timeout=10)
            if "error:" in out:
                fail(f"{args.board}: '{line}': {out!r}")

        # stale: Ctrl-C, then mx and probe must run as if nothing happened.
        t0 = time.monotonic()
        for rnd in range(2):
            # By then the stall fixture holds the handshake (it answers SMTP at once).
            interrupt_probe(con, f"probe {HOST_IP} {STALL_PORT}", lambda s: s > 2.0,
                            f"stale round {rnd}")
            if rnd == 0:
                out = con.command_output(f"mx fw.test {MODERN_PORT}", PROMPT, timeout=120)
                for want in (r"MX records of fw\.test: found",
                             r"10  mx\.fw\.test  10\.0\.2\.2  \[probed\]"):
                    if not re.search(want, out):
                        fail(f"{args.board}: mx after Ctrl-C: no {want!r} in {out[-1500:]!r}")
                assert_healthy(out, f"{args.board}: mx after Ctrl-C", "mx.fw.test")
                if ("fw.test", 15) not in srv.asked:
                    fail(f"{args.board}: mx after Ctrl-C never asked DNS: {srv.asked}")
            else:
                out = con.command_output(f"probe {HOST_IP} {MODERN_PORT}", PROMPT, timeout=120)
                assert_healthy(out, f"{args.board}: probe after Ctrl-C")
        stale_s = time.monotonic() - t0

        # multi: two ports, one report; an unresolvable name reported once.
        out = con.command_output(f"probe {HOST_IP} {MODERN_PORT} {STALL_PORT}", PROMPT,
                                 timeout=180)
        if out.count("mxprobe report for") != 1:
            fail(f"{args.board}: probe of two ports: {out.count('mxprobe report for')} "
                 f"report headers, expected 1: {out[-2500:]!r}")
        for want in (rf"Port {MODERN_PORT} \(STARTTLS\)", rf"Port {STALL_PORT} \(STARTTLS\)",
                     r"\nSummary\n", rf"\s{MODERN_PORT}\s+open\s+TLSv1\.3\s",
                     rf"\s{STALL_PORT}\s+open\s+none\s+FAIL\s+tls-dropped"):
            if not re.search(want, out):
                fail(f"{args.board}: probe of two ports: no {want!r} in {out[-2500:]!r}")
        if out.count("Done:") != 1:
            fail(f"{args.board}: probe of two ports: {out.count('Done:')} Done lines")
        out = con.command_output(f"probe nx.fw.test {MODERN_PORT} {STALL_PORT}", PROMPT,
                                 timeout=60)
        # One report: its header and its one finding say so, as for one port.
        if out.count("mxprobe report for nx.fw.test: did not resolve") != 1 \
                or out.count("did not resolve") != 2 or out.count("mxprobe report for") != 1 \
                or not re.search(rf"\s{STALL_PORT}\s+untested\s+none\s+FAIL\s+dns-failed", out):
            fail(f"{args.board}: unresolvable name on two ports: {out!r}")

        # tarpit: interrupt, then a healthy probe, many times in a row.
        t1 = time.monotonic()
        for rnd in range(args.rounds):
            before = srv.accepts()
            # The 5 connect samples (each closed at once), then the attempt
            # that waits for a banner: that one is interrupted.
            interrupt_probe(con, f"probe {HOST_IP} {srv.tarpit_port}",
                            lambda s: srv.accepts() >= before + 6, f"tarpit round {rnd}")
            out = con.command_output(f"probe {HOST_IP} {MODERN_PORT}", PROMPT, timeout=120)
            assert_healthy(out, f"{args.board}: tarpit round {rnd}, then the modern fixture")
        tarpit_s = time.monotonic() - t1
        print(f"ok: {args.board}: after Ctrl-C, mx and probe run again ({stale_s:.1f} s); "
              f"two ports give one report and one summary; {args.rounds} rounds of "
              f"interrupted tarpit + healthy probe ({tarpit_s:.1f} s, the tarpit accepted "
              f"{srv.accepts()} connections)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--elf", required=True)
    ap.add_argument("--board", required=True)
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--log", help="console transcript")
    args = ap.parse_args()
    subprocess.run([MXFIX, "start", "modern", "stall"], check=True, stdout=subprocess.DEVNULL)
    srv = Servers()
    try:
        run(args, srv)
    finally:
        srv.close()
        subprocess.run([MXFIX, "stop", "modern", "stall"], stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
