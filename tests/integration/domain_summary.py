#!/usr/bin/python3
"""A mail domain run end to end: the summary across exchangers and ports.

    domain_summary.py [--emulator CMD] MXPROBE_BINARY

A DNS server of this script on 127.53.0.2 (a free port; all of 127/8 is
loopback) serves the mail domain summary.test:

    MX 10 mx1.summary.test     A 127.0.0.1 (the modern and legacy fixtures)
    MX 20 mx2.summary.test     A 127.0.0.2 (nothing listens: refused)
    MX 30 gone.summary.test    NXDOMAIN

and `mxprobe --dns ... -p MODERN,LEGACY summary.test` runs three times:

  json   the mxprobe-mx-report document has a summary with one row per
         exchanger x port, in probe order, and every row says what the
         exchanger's own report in `hosts` says: reach, the best TLS version
         that completed a handshake, and the worst finding (port-specific
         before whole-run on a tie); plus what the fixtures are known to be
         (modern: TLSv1.3; legacy: TLSv1.0 only, tls-legacy-only; mx2:
         refused); the verdict is the worst row or MX finding, exit status 1;
  text   the report ends with "Summary", the same overall verdict and one
         table row per exchanger x port, then one Done line;
  quiet  -q prints the overall verdict first, the same line as the text's.

The modern and legacy fixtures must be running. Exit 0 pass, 1 fail,
2 cannot check.
"""

import argparse
import json
import os
import re
import shlex
import socket
import struct
import subprocess
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True    # no __pycache__ in the source tree
sys.path.insert(0, HERE)
from profiles import PROFILES, generation  # noqa: E402
import truth  # noqa: E402

DNS_ADDR = "127.53.0.2"
DOMAIN = "summary.test"
A = {"mx1.summary.test": "127.0.0.1", "mx2.summary.test": "127.0.0.2"}
MX = [(10, "mx1.summary.test"), (20, "mx2.summary.test"), (30, "gone.summary.test")]
MODERN = PROFILES["modern"]["port"]
LEGACY = PROFILES["legacy"]["port"]
SEVERITY = {"ok": 0, "info": 1, "warn": 2, "fail": 3}
VERSIONS = ["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"]


def wire(name):
    return b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"


class DnsServer(threading.Thread):
    """MX for DOMAIN, A for A's names, NODATA for their other types,
    NXDOMAIN for the rest. Over UDP."""

    def __init__(self):
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((DNS_ADDR, 0))
        self.port = self.sock.getsockname()[1]
        self.sock.settimeout(0.2)
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
        labels, i = [], 12
        while i < len(msg) and msg[i]:
            labels.append(msg[i + 1:i + 1 + msg[i]].decode("ascii", "replace"))
            i += 1 + msg[i]
        if i + 5 > len(msg):
            return None
        qtype = struct.unpack("!H", msg[i + 1:i + 3])[0]
        name = ".".join(labels).lower()
        question = msg[12:i + 5]
        rrs = []
        if name == DOMAIN and qtype == 15:
            rrs = [(15, struct.pack("!H", pref) + wire(host)) for pref, host in MX]
        elif name in A and qtype == 1:
            rrs = [(1, socket.inet_aton(A[name]))]
        elif name != DOMAIN and name not in A:
            return msg[:2] + struct.pack("!HHHHH", 0x8183, 1, 0, 0, 0) + question
        out = msg[:2] + struct.pack("!HHHHH", 0x8580, 1, len(rrs), 0, 0) + question
        for rtype, rdata in rrs:
            out += b"\xc0\x0c" + struct.pack("!HHIH", rtype, 1, 60, len(rdata)) + rdata
        return out


def run(emulator, binary, dns, extra):
    cmd = shlex.split(emulator) + [binary, "--dns", "%s:%d" % (DNS_ADDR, dns.port),
                                   "--timeout", "5000", "-p", "%d,%d" % (MODERN, LEGACY)]
    cmd += extra + [DOMAIN]
    print("$ " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=300)
    return r.returncode, r.stdout, r.stderr


def expected_row(report, port):
    """What a row must say, from the exchanger's own report."""
    p = next(x for x in report["ports"] if x["port"] == port)
    reach = next((x["status"] for x in report["path"]["reach"] if x["port"] == port), None)
    best = None
    for v in p["versions"]:
        if v["status"] == "accepted":
            best = v["version"]
    worst = None
    for f in report["findings"]:
        if f["port"] not in (port, None):
            continue
        if worst is None or SEVERITY[f["severity"]] > SEVERITY[worst["severity"]] or \
                (f["severity"] == worst["severity"] and f["port"] == port and
                 worst["port"] is None):
            worst = f
    return {"host": report["target"]["host"], "port": port, "reach": reach, "best_tls": best,
            "worst": worst and {"id": worst["id"], "severity": worst["severity"]}}


def check_json(rc, out, fails):
    try:
        doc = json.loads(out)
    except ValueError:
        fails.append("json: not one JSON document: %r" % out[:300])
        return None
    summ = doc.get("summary")
    if doc.get("schema") != "mxprobe-mx-report" or not isinstance(summ, dict):
        fails.append("json: no mxprobe-mx-report with a summary: %r" % out[:300])
        return None
    hosts = [h["target"]["host"] for h in doc["hosts"]]
    if hosts != ["mx1.summary.test", "mx2.summary.test"]:
        fails.append("json: hosts probed %s, expected mx1 and mx2 (gone has no address)" % hosts)
        return None
    want = [expected_row(h, port) for h in doc["hosts"] for port in (MODERN, LEGACY)]
    if summ["rows"] != want:
        fails.append("json: summary rows %s\n    differ from the host reports: %s"
                     % (json.dumps(summ["rows"]), json.dumps(want)))
    by = {(r["host"], r["port"]): r for r in summ["rows"]}
    known = [(("mx1.summary.test", MODERN), "open", "TLSv1.3", None),
             (("mx1.summary.test", LEGACY), "open", "TLSv1.0", ("tls-legacy-only", "fail")),
             (("mx2.summary.test", MODERN), "refused", None, ("port-refused", "fail")),
             (("mx2.summary.test", LEGACY), "refused", None, ("port-refused", "fail"))]
    for key, reach, best, worst in known:
        row = by.get(key)
        if row is None:
            fails.append("json: no summary row for %s port %d" % key)
            continue
        got = (row["reach"], row["best_tls"])
        if got != (reach, best):
            fails.append("json: %s port %d: reach, best TLS %s, expected %s"
                         % (key + (got, (reach, best))))
        if worst and (row["worst"] or {}).get("id") != worst[0]:
            fails.append("json: %s port %d: worst %s, expected %s" % (key + (row["worst"], worst)))
    if by.get(("mx1.summary.test", MODERN), {}).get("worst", {}).get("severity") == "fail":
        fails.append("json: the modern fixture's row fails: %s" % by[("mx1.summary.test", MODERN)])
    mx_ids = [f["id"] for f in doc["findings"]]
    if "mx-host-unresolved" not in mx_ids:
        fails.append("json: no mx-host-unresolved for gone.summary.test: %s" % mx_ids)
    worst = max([SEVERITY[r["worst"]["severity"]] for r in summ["rows"] if r["worst"]] +
                [SEVERITY[f["severity"]] for f in doc["findings"]])
    if SEVERITY.get(summ["verdict"]) != worst or summ["verdict"] != "fail":
        fails.append("json: verdict %s, expected the worst of rows and MX findings (fail)"
                     % summ["verdict"])
    if summ["results"] != 2 or summ["interrupted"] or \
            summ["connections"] != sum(h["connections"] for h in doc["hosts"]):
        fails.append("json: results %s, interrupted %s, connections %s vs hosts %s"
                     % (summ["results"], summ["interrupted"], summ["connections"],
                        [h["connections"] for h in doc["hosts"]]))
    if doc["exit_status"] != 1 or rc != 1:
        fails.append("json: exit_status %s, process exit %s, expected 1 and 1"
                     % (doc["exit_status"], rc))
    return summ


def check_text(rc, out, summ, fails):
    tail = out[out.rfind("\nSummary\n"):] if "\nSummary\n" in out else ""
    if not tail:
        fails.append("text: no Summary block: %r" % out[-800:])
        return None
    lines = tail.strip("\n").split("\n")
    # The overall verdict, wrapped at 80 columns with an 8-column indent.
    k = 2
    while k < len(lines) and lines[k].startswith("        "):
        k += 1
    overall = " ".join(l.strip() for l in lines[1:k])
    if not re.match(r"FAIL  summary\.test: mx-host-unresolved; 3 of 4 exchanger ports fail, "
                    r"1 warn; worst: mx1\.summary\.test port %d tls-legacy-only$" % LEGACY,
                    overall):
        fails.append("text: overall verdict %r" % overall)
    for row in summ["rows"] if summ else []:
        rx = r"^  %s\s+%d\s+%s\s+%s\s+%s\s+%s$" % (
            re.escape(row["host"]), row["port"], row["reach"], re.escape(row["best_tls"] or "none"),
            (row["worst"] or {}).get("severity", "ok").upper(),
            re.escape((row["worst"] or {}).get("id", "-")))
        if not any(re.match(rx, l) for l in lines):
            fails.append("text: no summary row matching %r in %r" % (rx, tail))
    if out.count("\nDone: ") != 1 or not re.search(r"\nDone: 2 probes, \d+ connections in ", tail):
        fails.append("text: expected one Done line, after the summary: %r" % tail[-300:])
    if out.count("mxprobe report for ") != 2:
        fails.append("text: %d exchanger reports, expected 2" % out.count("mxprobe report for "))
    if rc != 1:
        fails.append("text: exit %s, expected 1" % rc)
    return overall


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--emulator", default="")
    ap.add_argument("binary")
    args = ap.parse_args()
    for name in ("modern", "legacy"):
        if not generation(name) or not truth.listening(PROFILES[name]["port"]):
            print("ERROR: fixture %s is not running" % name)
            return 2
    try:
        dns = DnsServer()
    except OSError as e:
        print("ERROR: cannot bind %s for the test DNS server: %s" % (DNS_ADDR, e))
        return 2
    dns.start()
    fails = []
    try:
        rc, out, err = run(args.emulator, args.binary, dns, ["--json"])
        summ = check_json(rc, out, fails)
        if summ:
            print("  json: verdict %s, %d rows: %s" % (
                summ["verdict"], len(summ["rows"]),
                "; ".join("%s:%d %s %s %s" % (r["host"], r["port"], r["reach"], r["best_tls"],
                                              (r["worst"] or {}).get("id"))
                          for r in summ["rows"])))
        rc, out, err = run(args.emulator, args.binary, dns, [])
        overall = check_text(rc, out, summ, fails)
        rc, out, err = run(args.emulator, args.binary, dns, ["-q"])
        first = out.split("\n", 1)[0]
        if overall and first != overall:
            fails.append("quiet: first line %r, expected the overall verdict %r" % (first, overall))
        if rc != 1 or "mx1.summary.test:" not in out:
            fails.append("quiet: exit %s, output %r" % (rc, out[:600]))
        print("  quiet: %s" % first)
    finally:
        dns.stop = True
        dns.join()
    if fails:
        print("FAIL domain summary: %d problem(s)" % len(fails))
        for f in fails:
            print("  - " + f)
        return 1
    print("PASS domain summary: one row per exchanger x port, like each exchanger's report")
    return 0


if __name__ == "__main__":
    sys.exit(main())
