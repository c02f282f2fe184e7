#!/usr/bin/env python3
"""The firmware under QEMU, against the local MX fixtures, beside Linux.

Boots one board's image with the autorun line "json on; probe 10.0.2.2 PORT; ..."
(QEMU's user network shows the host's loopback as 10.0.2.2), collects one JSON
report line per profile from the serial console, and asserts the same TLS
verdicts as the Linux mxprobe on 127.0.0.1: per version accepted/rejected,
the failure's stage and kind, and the set of accepted suites.

Three more ports are an MX with a 5 KB certificate chain
(tests/qemu/mfl_peer.py): TLS 1.2 and TLS 1.3 servers that honour RFC 6066
max_fragment_length and a TLS 1.2 one that never sees the request. A board
that asks for small records (MXP_CFG_TLS_RECORD_MAX, lm3s6965evb) must judge
the first two like Linux, with the server's records within the size asked
for, and report the third's oversized record as its own outcome
("record-too-large", TLS 1.2 not judged, finding tls-record-too-large, no "no
TLS" verdict); other boards judge all three like Linux.

Then it types at the shell: help, bad commands and arguments (one "error:"
line each, prompt back), net, mem (heap and stack peaks must stay within 90 %
of their regions; the figures go to the log), a probe of an RSA-4096 server
(mfl_peer.py, after mem: a 64 KiB board may run out of heap there, and then
must say "not judged", never that the server refuses), and Ctrl-C during a
probe of a stalling server.

usage: test_firmware.py --elf FW.elf --board mps2-an385 --linux build/linux/mxprobe
"""
import argparse
import json
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
from mfl_peer import MflPeer  # noqa: E402

MXFIX = os.path.join(TOP, "tests", "integration", "mxfix")
PROMPT = r"mxprobe> "
# profile -> fixture port (tests/integration/profiles.py); the TLS profiles the
# firmware must judge like Linux (RSA-2048 and ECDSA P-256 servers: the RAM
# budget is measured over both), plus nostarttls for the SMTP side.
PROFILES = {"modern": 10025, "legacy": 10026, "tls13": 10027, "single": 10028,
            "ecdsa": 10030, "nostarttls": 10029}
STALL_PORT = 10033
# The max_fragment_length peer's two ports (mfl_peer.py), probed after PROFILES.
MFL_PORTS = {"mfl-honour": MflPeer.port_honour, "mfl-ignore": MflPeer.port_ignore,
             "mfl-honour13": MflPeer.port_honour13}
# Largest share of its region a heap or stack peak may reach.
MEM_LIMIT = 0.90


# A DNS server on the host's loopback that the board reaches as 10.0.2.2
# (QEMU's user network): the `mx` command's lookup never leaves this machine.
DNS_PORT = 10053
FW_ZONE_MX = ("fw.test", 10, "mx.fw.test")
FW_ZONE_A = ("mx.fw.test", "10.0.2.2")


def _qname(msg):
    labels, i = [], 12
    while msg[i]:
        labels.append(msg[i + 1:i + 1 + msg[i]].decode())
        i += 1 + msg[i]
    return ".".join(labels).lower(), struct.unpack("!H", msg[i + 1:i + 3])[0], i + 5


def _wire(name):
    return b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"


def dns_answer(query):
    """MX fw.test -> 10 mx.fw.test; A mx.fw.test -> 10.0.2.2; NODATA for
    other types of those names; NXDOMAIN for the rest."""
    name, qtype, end = _qname(query)
    rdata = None
    if name == FW_ZONE_MX[0] and qtype == 15:
        rdata = struct.pack("!H", FW_ZONE_MX[1]) + _wire(FW_ZONE_MX[2])
    elif name == FW_ZONE_A[0] and qtype == 1:
        rdata = socket.inet_aton(FW_ZONE_A[1])
    known = name in (FW_ZONE_MX[0], FW_ZONE_A[0])
    flags = 0x8580 | (0 if known else 3)
    head = query[:2] + struct.pack("!HHHHH", flags, 1, 1 if rdata else 0, 0, 0)
    out = head + query[12:end]
    if rdata:
        out += b"\xc0\x0c" + struct.pack("!HHIH", qtype, 1, 60, len(rdata)) + rdata
    return out


def start_dns():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", DNS_PORT))
    asked = []

    def serve():
        while True:
            try:
                msg, peer = sock.recvfrom(512)
                asked.append(_qname(msg)[:2])
                sock.sendto(dns_answer(msg), peer)
            except (OSError, IndexError, struct.error):
                return
    threading.Thread(target=serve, daemon=True).start()
    return sock, asked


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def verdicts(report):
    """What must agree between Linux and the firmware for one port."""
    port = report["ports"][0]
    out = {"starttls_offered": port["starttls"]["offered"],
           "stop": port["stop"] and (port["stop"]["stage"], port["stop"]["kind"])}
    for v in port["versions"]:
        f = v["failure"]
        out[v["version"]] = (
            v["status"],
            f and (f["stage"], f["kind"], f["alert"]),
            sorted(s["suite"] for s in v["suites"] if s["status"] == "accepted"))
    return out


def linux_reports(linux, ports):
    out = {}
    for name, port in ports.items():
        proc = subprocess.run([linux, "--json", "--timeout", "5000", f"127.0.0.1:{port}"],
                              capture_output=True, text=True, timeout=120)
        if proc.returncode not in (0, 1):
            fail(f"linux mxprobe on {name}: exit {proc.returncode}: {proc.stderr.strip()}")
        out[name] = json.loads(proc.stdout)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--elf", required=True)
    ap.add_argument("--board", required=True)
    ap.add_argument("--linux", required=True, help="the Linux mxprobe to compare with")
    ap.add_argument("--log", help="console transcript")
    args = ap.parse_args()
    if not os.access(args.linux, os.X_OK):
        fail(f"no Linux mxprobe at {args.linux}: build the linux preset first (make build)")

    subprocess.run([MXFIX, "start", *PROFILES, "stall"], check=True, stdout=subprocess.DEVNULL)
    try:
        with MflPeer() as peer:
            run(args, peer)
    finally:
        subprocess.run([MXFIX, "stop"], stdout=subprocess.DEVNULL)


def check_mfl(board, peer, linux, fw, problems):
    """The max_fragment_length ports: judged like Linux, except that a board
    asking for small records must name the ignoring server's oversized record
    as its own outcome and not blame the server's TLS versions for it."""
    fronts = {"mfl-honour": peer.honour, "mfl-ignore": peer.ignore,
              "mfl-honour13": peer.honour13}
    codes = {c for fe in fronts.values() for c in fe.asked() if c is not None}
    if len(codes) > 1:
        problems.append(f"mfl: the board asked for several fragment lengths {sorted(codes)}")
    code = codes.pop() if codes else None
    limit = (1 << (8 + code)) if code is not None else None
    honour_largest = max(peer.honour.largest_record(code), peer.honour13.largest_record(code))
    ignore_largest = peer.ignore.largest_record(code)
    for name, port in MFL_PORTS.items():
        want, got = verdicts(linux[name]), verdicts(fw[name])
        if limit is not None and name == "mfl-ignore":
            tls12 = got.get("TLSv1.2")
            if not tls12 or tls12[0] != "skipped" or not tls12[1] or \
                    tls12[1][:2] != ("handshake", "record-too-large"):
                problems.append(f"{name} TLSv1.2: firmware {tls12}, expected skipped with a "
                                f"handshake record-too-large failure")
            v12 = [v for v in fw[name]["ports"][0]["versions"] if v["version"] == "TLSv1.2"][0]
            if v12["failure"] and v12["failure"]["detail"] != ignore_largest:
                problems.append(f"{name}: record-too-large names {v12['failure']['detail']} "
                                f"bytes, the server's largest record was {ignore_largest}")
            ids = [f["id"] for f in fw[name].get("findings", [])]
            if "tls-record-too-large" not in ids or "tls-none" in ids or "tls-dropped" in ids:
                problems.append(f"{name}: findings {ids}, expected tls-record-too-large and no "
                                f"verdict on the server's TLS")
            want = {k: v for k, v in want.items() if k != "TLSv1.2"}
        for key in want:
            if want[key] != got.get(key):
                problems.append(f"{name} {key}: linux {want[key]} / firmware {got.get(key)}")
        lc = linux[name]["ports"][0].get("certificate") or {}
        fc = fw[name]["ports"][0].get("certificate") or {}
        if name != "mfl-ignore" and (fc.get("chain_length") != peer.chain_length or
                                     lc.get("chain_length") != peer.chain_length):
            problems.append(f"{name}: chain_length linux {lc.get('chain_length')} / firmware "
                            f"{fc.get('chain_length')}, the server sent {peer.chain_length}")
    if limit is not None:
        expansion = 320  # MXP_TLS_RECORD_EXPANSION
        if honour_largest > limit + expansion:
            problems.append(f"mfl-honour(13): the server sent a {honour_largest}-byte record "
                            f"although asked for {limit}")
        if ignore_largest <= limit + expansion:
            problems.append(f"mfl-ignore: the largest record was only {ignore_largest} bytes: "
                            f"the test proves nothing")
    return limit, honour_largest, ignore_largest


def check_mem(board, mem):
    """Heap and stack peaks within MEM_LIMIT of their regions."""
    out = []
    for what in ("heap", "stack"):
        m = re.search(what + r"\s+peak (\d+) of (\d+)", mem)
        if not m:
            fail(f"{board}: mem prints no {what} peak: {mem!r}")
        peak, size = int(m.group(1)), int(m.group(2))
        if peak > MEM_LIMIT * size:
            fail(f"{board}: {what} peak {peak} of {size} bytes is above "
                 f"{MEM_LIMIT:.0%} of its region")
        out.append(f"{what} {peak}/{size} ({100 * peak / size:.0f}%)")
    return ", ".join(out)


def check_rsa4096(board, linux, fw):
    """Each version judged like Linux, or not judged for want of memory."""
    problems, lost = [], []
    want, got = verdicts(linux), verdicts(fw)
    for key in want:
        if want[key] == got.get(key):
            continue
        g = got.get(key)
        if isinstance(want[key], tuple) and want[key][0] == "accepted" and g and \
                g[0] == "skipped" and g[1] and g[1][:2] == ("handshake", "no-memory"):
            lost.append(key)
            continue
        problems.append(f"rsa4096 {key}: linux {want[key]} / firmware {g}")
    ids = [f["id"] for f in fw.get("findings", [])]
    linux_ids = [f["id"] for f in linux.get("findings", [])]
    for bad in ("tls-none", "tls-dropped"):
        if bad in ids and bad not in linux_ids:
            problems.append(f"rsa4096: finding {bad} that Linux does not have")
    if lost and "tls-not-judged" not in ids:
        problems.append(f"rsa4096: {lost} not judged but no tls-not-judged finding: {ids}")
    if problems:
        fail(f"{board} misjudges the RSA-4096 server:\n  " + "\n  ".join(problems))
    return lost


def run(args, peer):
    linux = linux_reports(args.linux, PROFILES)
    linux.update(linux_reports(args.linux, MFL_PORTS))
    linux_rsa4096 = linux_reports(args.linux, {"rsa4096": MflPeer.port_rsa4096})["rsa4096"]
    ports = {**PROFILES, **MFL_PORTS}
    autorun = "json on; " + "; ".join(f"probe 10.0.2.2 {p}" for p in ports.values()) \
        + "; json off"
    t0 = time.monotonic()
    with QemuConsole(args.elf, board=args.board, extra_args=["-append", autorun],
                     log=args.log) as con:
        try:
            con.expect(r"autorun> json on", timeout=30)
            con.expect(r"autorun> json off", timeout=240)
            con.expect(PROMPT, timeout=10)
        except QemuError as e:
            fail(f"{args.board}: the autorun probes did not finish: {e}")
        probe_s = time.monotonic() - t0
        lines = [l for l in con.output.splitlines() if l.startswith('{"schema":"mxprobe-report"')]
        if len(lines) != len(ports):
            fail(f"{args.board}: {len(lines)} JSON report lines, expected {len(ports)}")
        problems = []
        fw_mfl = {}
        for (name, port), line in zip(ports.items(), lines):
            fw = json.loads(line)
            if name in MFL_PORTS:
                if fw["ports"][0]["port"] != port:
                    problems.append(f"{name}: report for port {fw['ports'][0]['port']}")
                fw_mfl[name] = fw
                continue
            if fw["ports"][0]["port"] != port:
                problems.append(f"{name}: report for port {fw['ports'][0]['port']}")
                continue
            want, got = verdicts(linux[name]), verdicts(fw)
            for key in want:
                if want[key] != got.get(key):
                    problems.append(f"{name} {key}: linux {want[key]} / firmware {got.get(key)}")
            # Path diagnostics over lwIP: paced connect samples like Linux; no
            # don't-fragment probes on lwIP ("not measured", never a guess);
            # no PTR query for QEMU's private 10.0.2.2 (RFC 6303).
            path = fw.get("path", {})
            reach = path.get("reach", [])
            if len(reach) != 1 or reach[0].get("port") != port or reach[0].get("status") != "open" \
                    or reach[0].get("samples") != 5 or reach[0].get("ok") != 5 \
                    or reach[0].get("rtt_ms") is None:
                problems.append(f"{name}: path.reach {reach}, expected port {port} open, 5 of 5")
            mtu = path.get("mtu", {})
            if mtu.get("status") != "not-measured" or mtu.get("error") != "unsupported":
                problems.append(f"{name}: path.mtu {mtu}, expected not-measured/unsupported")
            if path.get("rdns", {}).get("status") != "not-checked":
                problems.append(f"{name}: path.rdns {path.get('rdns')}, expected not-checked")
            print(f"ok-so-far: {name}: {fw['connections']} connections, {fw['elapsed_ms']} ms "
                  f"on {args.board} (linux: {linux[name]['connections']} connections)")
        limit, honour_largest, ignore_largest = check_mfl(args.board, peer, linux, fw_mfl,
                                                          problems) \
            if len(fw_mfl) == len(MFL_PORTS) else (None, 0, 0)
        if problems:
            fail(f"{args.board} disagrees with Linux:\n  " + "\n  ".join(problems))
        if limit is not None:
            print(f"ok-so-far: {args.board} asked for max_fragment_length {limit}: the honouring "
                  f"server's largest record {honour_largest} bytes (chain of "
                  f"{peer.chain_length}, {peer.cert_message}-byte certificate message), the "
                  f"ignoring server's {ignore_largest} bytes: not judged, named")
        else:
            print(f"ok-so-far: {args.board} asks for no max_fragment_length: the MFL ports "
                  f"judged like Linux (largest record {ignore_largest} bytes)")

        # The shell: one "error:" line and the prompt back for bad input.
        for typed, want in [("frobnicate", r"error: unknown command"),
                            ("probe", r"error: usage: probe HOST \[PORT\.\.\.\]"),
                            ("probe 10.0.2.2 0", r"error: bad port list"),
                            ("probe bad^host", r"error: not a valid host"),
                            ("config timeout 5", r"error: bad timeout"),
                            ("json maybe", r"error: usage: json on\|off")]:
            out = con.command_output(typed, PROMPT, timeout=10)
            if not re.search(want, out) or out.count("error:") != 1:
                fail(f"{args.board}: '{typed}' gave {out!r}, expected one line matching {want}")
        out = con.command_output("help", PROMPT, timeout=10)
        if "probe HOST [PORT...]" not in out:
            fail(f"{args.board}: help: {out!r}")
        out = con.command_output("net", PROMPT, timeout=10)
        if not re.search(r"ip\s+10\.0\.2\.15", out):
            fail(f"{args.board}: net: {out!r}")
        mem = con.command_output("mem", PROMPT, timeout=10)
        mem_peaks = check_mem(args.board, mem)
        print(f"{args.board} mem after the probes:\n" + mem.strip())

        con.command_output("json on", PROMPT, timeout=10)
        out = con.command_output(f"probe 10.0.2.2 {MflPeer.port_rsa4096}", PROMPT, timeout=120)
        con.command_output("json off", PROMPT, timeout=10)
        line = [l for l in out.splitlines() if l.startswith('{"schema":"mxprobe-report"')]
        if len(line) != 1:
            fail(f"{args.board}: no JSON report for the RSA-4096 server: {out!r}")
        lost = check_rsa4096(args.board, linux_rsa4096, json.loads(line[0]))
        print(f"ok-so-far: {args.board}: RSA-4096 server judged like Linux" +
              (f", except {', '.join(lost)} not judged (out of memory)" if lost else ""))

        # mx: the MX lookup over lwIP UDP with the engine's resolver, then the
        # exchanger probed at the address DNS gave.
        dns_sock, asked = start_dns()
        try:
            con.command_output(f"config dns 10.0.2.2:{DNS_PORT}", PROMPT, timeout=10)
            con.command_output("config samples 1", PROMPT, timeout=10)
            out = con.command_output(f"mx fw.test {PROFILES['modern']}", PROMPT, timeout=120)
        finally:
            dns_sock.close()
        for want in (r"MX records of fw\.test: found", r"10  mx\.fw\.test  10\.0\.2\.2  \[probed\]",
                     r"mxprobe report for mx\.fw\.test \(10\.0\.2\.2\)", r"SNI mx\.fw\.test",
                     r"TLSv1\.3\s+ok"):
            if not re.search(want, out):
                fail(f"{args.board}: mx fw.test: no match for {want} in {out!r}")
        if ("fw.test", 15) not in asked or ("mx.fw.test", 1) not in asked:
            fail(f"{args.board}: mx fw.test: the DNS server was asked {asked}")
        con.command_output("config dns dhcp", PROMPT, timeout=10)
        con.command_output("config samples 5", PROMPT, timeout=10)

        # Ctrl-C stops a probe that would otherwise wait out its deadlines.
        con.command_output("config timeout 20000", PROMPT, timeout=10)
        con.sendline(f"probe 10.0.2.2 {STALL_PORT}")
        time.sleep(2.0)
        t1 = time.monotonic()
        con.interrupt()
        try:
            con.expect(r"interrupted, the results above are partial", timeout=10)
            con.expect(PROMPT, timeout=10)
        except QemuError as e:
            fail(f"{args.board}: Ctrl-C did not stop the probe: {e}")
        ctrl_c_s = time.monotonic() - t1

        # reboot: the board resets and comes back to the banner and a prompt.
        con.sendline("reboot")
        try:
            con.expect(r"mxprobe \S+ on " + re.escape(args.board), timeout=20)
            con.expect(PROMPT, timeout=30)
        except QemuError as e:
            fail(f"{args.board}: reboot did not bring the board back: {e}")
        print(f"ok: {args.board}: {len(PROFILES)} profiles and {len(MFL_PORTS)} "
              f"max_fragment_length ports "
              f"judged as expected in {probe_s:.1f} s (boot included); {mem_peaks}; shell "
              f"errors, net, mem, mx lookup, reboot; Ctrl-C answered in {ctrl_c_s:.1f} s")


if __name__ == "__main__":
    main()
