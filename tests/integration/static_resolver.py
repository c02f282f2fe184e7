#!/usr/bin/python3
"""Name resolution of a static (appliance) mxprobe, as on a router.

    static_resolver.py --emulator CMD BINARY

mxprobe resolves names itself (port/posix/mxp_posix_resolve.c): /etc/hosts,
then the nameservers of /etc/resolv.conf; whatever /etc/nsswitch.conf says
(a router has none; a desktop may name sources a static binary could never
load) must not matter. This runs BINARY under QEMU user mode
with `-L ROOT`, so that its /etc/hosts, /etc/resolv.conf and
/etc/nsswitch.conf come from a scratch ROOT (no target libraries in it, none
on this machine's library path either), with a small DNS server of our own on
127.53.0.1:53, and checks:

  files     a name in ROOT/etc/hosts resolves without a DNS query;
  dns       a name only the DNS server knows resolves through it;
  nxdomain  a name the DNS server denies is reported as dns-nxdomain;
  missing   nsswitch.conf naming a source the binary cannot load
            (mdns4_minimal, as on desktops) is skipped: files and dns work;
  default   no nsswitch.conf at all (OpenWrt has none; `-L` cannot hide a
            file, so a private mount namespace puts a bare /etc in place):
            glibc's default, /etc/hosts first, then DNS.

The modern fixture must be running (its port is the target). Exit 0 pass,
1 fail, 2 cannot check.
"""

import argparse
import json
import os
import shlex
import socket
import struct
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True    # no __pycache__ in the source tree
sys.path.insert(0, HERE)
from profiles import PROFILES, generation  # noqa: E402
import truth  # noqa: E402

DNS_ADDR = "127.53.0.1"        # all of 127/8 is loopback; unlikely to be taken
ZONE = {"mx-dns.appliance.test": "127.0.0.1"}
NXDOMAIN = "nx.appliance.test"
HOSTS_NAME = "mx-hosts.appliance.test"


class DnsServer(threading.Thread):
    """A/AAAA over UDP for ZONE: A records from ZONE, AAAA none (NODATA),
    every other name NXDOMAIN. Logs the names it was asked about."""

    def __init__(self):
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((DNS_ADDR, 53))
        self.sock.settimeout(0.2)
        self.asked = []
        self.stop = False

    def run(self):
        while not self.stop:
            try:
                msg, peer = self.sock.recvfrom(512)
            except socket.timeout:
                continue
            reply = self.answer(msg)
            if reply:
                self.sock.sendto(reply, peer)

    def answer(self, msg):
        if len(msg) < 12:
            return None
        qid, _flags, qd = struct.unpack("!HHH", msg[:6])
        if qd != 1:
            return None
        labels, i = [], 12
        while i < len(msg) and msg[i]:
            n = msg[i]
            labels.append(msg[i + 1:i + 1 + n].decode("ascii", "replace"))
            i += 1 + n
        qend = i + 5
        if qend > len(msg):
            return None
        qtype = struct.unpack("!H", msg[i + 1:i + 3])[0]
        name = ".".join(labels).lower()
        self.asked.append((name, qtype))
        question = msg[12:qend]
        if name not in ZONE:
            return struct.pack("!HHHHHH", qid, 0x8183, 1, 0, 0, 0) + question
        answers = b""
        if qtype == 1:
            answers = struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + \
                socket.inet_aton(ZONE[name])
        return struct.pack("!HHHHHH", qid, 0x8180, 1, 1 if answers else 0,
                           0, 0) + question + answers


def run_probe(emulator, root, binary, host, port, bare_etc=False):
    probe = [binary, "--json", "--timeout", "3000", "--versions", "1.3",
             "%s:%d" % (host, port)]
    if not bare_etc:
        cmd = shlex.split(emulator) + ["-L", root] + probe
    else:
        # /etc of a private mount namespace: ROOT's hosts and resolv.conf only.
        cmd = ["unshare", "--mount", "sh", "-c",
               'mount -t tmpfs mxp-etc /etc && cp "$0/etc/hosts" "$0/etc/resolv.conf" /etc/ '
               '&& exec "$@"', root] + shlex.split(emulator) + probe
    print("$ " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=120)
    try:
        return r.returncode, json.loads(r.stdout)
    except ValueError:
        return r.returncode, {"stdout": r.stdout.decode(errors="replace")[:300],
                              "stderr": r.stderr.decode(errors="replace")[:300]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--emulator", required=True,
                    help="QEMU user-mode emulator (takes -L ROOT)")
    ap.add_argument("binary")
    args = ap.parse_args()
    port = PROFILES["modern"]["port"]
    if not generation("modern") or not truth.listening(port):
        print("ERROR: fixture modern is not running")
        return 2
    try:
        dns = DnsServer()
    except OSError as e:
        print("ERROR: cannot bind %s:53 for the test DNS server: %s" % (DNS_ADDR, e))
        return 2
    dns.start()
    fails = []
    with tempfile.TemporaryDirectory(prefix="mxp-static-root-") as root:
        etc = os.path.join(root, "etc")
        os.mkdir(etc)
        with open(os.path.join(etc, "hosts"), "w") as f:
            f.write("127.0.0.1 localhost\n127.0.0.1 %s\n" % HOSTS_NAME)
        with open(os.path.join(etc, "resolv.conf"), "w") as f:
            f.write("nameserver %s\noptions timeout:2 attempts:1\n" % DNS_ADDR)
        cases = [
            ("files", "hosts: files dns\n", HOSTS_NAME, True),
            ("dns", "hosts: files dns\n", "mx-dns.appliance.test", True),
            ("nxdomain", "hosts: files dns\n", NXDOMAIN, False),
            ("missing", "hosts: mdns4_minimal [NOTFOUND=return] files dns\n",
             "mx-dns.appliance.test", True),
            ("default", None, HOSTS_NAME, True),
            ("default", None, "mx-dns.appliance.test", True),
        ]
        for case, nss, host, ok in cases:
            with open(os.path.join(etc, "nsswitch.conf"), "w") as f:
                f.write(nss or "")
            before = len(dns.asked)
            rc, rep = run_probe(args.emulator, root, args.binary, host, port,
                                bare_etc=nss is None)
            target = rep.get("target") or {}
            asked = sorted({n for n, _ in dns.asked[before:]})
            reached = [p.get("reached") for p in rep.get("ports") or []]
            print("  %-8s exit %s, resolved %s, address %s, error %s, reached %s, "
                  "DNS asked about %s" % (case, rc, target.get("resolved"),
                                          target.get("address"),
                                          target.get("resolve_error"), reached,
                                          asked or "nothing"))
            if ok:
                if not (target.get("resolved") and target.get("address") == "127.0.0.1"
                        and reached == [True]):
                    fails.append("%s: %s should resolve to 127.0.0.1 and reach port "
                                 "%d: %s" % (case, host, port, json.dumps(rep)[:300]))
            elif target.get("resolved") or target.get("resolve_error") != "dns-nxdomain" \
                    or rc != 1:
                fails.append("%s: %s should fail with dns-nxdomain (exit 1): exit %s, %s"
                             % (case, host, rc, json.dumps(target)))
            if host == HOSTS_NAME and asked:
                fails.append("%s: /etc/hosts should answer before DNS, "
                             "but DNS was asked about %s" % (case, asked))
            if host != HOSTS_NAME and host not in asked:
                fails.append("%s: the DNS server was never asked about %s"
                             % (case, host))
    dns.stop = True
    dns.join()
    if fails:
        print("FAIL static resolver: %d problem(s)" % len(fails))
        for f in fails:
            print("  - " + f)
        return 1
    print("PASS static resolver: /etc/hosts and DNS, whatever nsswitch.conf says")
    return 0


if __name__ == "__main__":
    sys.exit(main())
