#!/usr/bin/env python3
"""mxprobe against sslscan on the local MX fixtures, in one run.

For each TLS profile: wall time, TCP connections the MX saw (counted in the
profile's own postfix log, so both tools are measured the same way), peak RSS
of the probe process, and whether the two tools agree on which versions and
which suites work, over the suites both can offer.

mxprobe completes every handshake through Finished; sslscan stops at the
ServerHello. The figures are printed, never asserted: this is a benchmark.

usage: tests/bench/bench.py [--mxprobe build/linux/mxprobe] [--runs 3] [PROFILE...]
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "..", ".."))
MXFIX = os.path.join(TOP, "tests", "integration", "mxfix")
STATE = os.environ.get("MXP_FIX_DIR", "/tmp/mxprobe-fixtures")
DEFAULT_PROFILES = ["modern", "legacy", "tls13", "single", "ecdsa", "implicit"]
VERSIONS = ["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"]


def run_measured(cmd, timeout=600):
    """Run cmd; return (wall seconds, peak RSS in KiB, exit code, stdout).

    Peak RSS comes from /usr/bin/time, which forks from a small process: a
    child forked from this Python would report Python's pages as its own."""
    with tempfile.NamedTemporaryFile("r") as rss_file:
        t0 = time.monotonic()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file.name, *cmd],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=timeout)
        wall = time.monotonic() - t0
        rss_kib = int(rss_file.read().strip().splitlines()[-1])
    return wall, rss_kib, proc.returncode, proc.stdout.decode("utf-8", "replace")


def connections_seen(profile):
    """Connections the profile's postfix has logged so far."""
    path = os.path.join(STATE, profile, "log", "maillog")
    try:
        with open(path, errors="replace") as f:
            return sum(1 for line in f if re.search(r"\]: connect from ", line))
    except FileNotFoundError:
        return 0


def openssl_offerable():
    """Suite ids the system OpenSSL (sslscan's library) can offer at all."""
    out = subprocess.run(["openssl", "ciphers", "-V", "ALL:@SECLEVEL=0"], capture_output=True,
                         text=True, check=True).stdout
    ids = set()
    for line in out.splitlines():
        m = re.match(r"\s*0x([0-9A-F]{2}),0x([0-9A-F]{2})", line)
        if m:
            ids.add(int(m.group(1) + m.group(2), 16))
    return ids


def mxprobe_view(report):
    """{version: (ok, accepted ids, tested ids)} from mxprobe's JSON."""
    port = report["ports"][0]
    view = {}
    for v in port["versions"]:
        tested = {int(s["id"], 16) for s in v["suites"] if s["status"] != "untested"}
        accepted = {int(s["id"], 16) for s in v["suites"] if s["status"] == "accepted"}
        view[v["version"]] = (v["status"] == "accepted", accepted, tested)
    return view


def sslscan_view(xml_text):
    """{version: (ok, accepted ids)} from sslscan's XML."""
    root = ET.fromstring(xml_text)
    view = {v: [False, set()] for v in VERSIONS}
    for p in root.iter("protocol"):
        if p.get("type") == "tls":
            name = "TLSv" + p.get("version")
            if name in view:
                view[name][0] = p.get("enabled") == "1"
    for c in root.iter("cipher"):
        if c.get("status") in ("accepted", "preferred") and c.get("sslversion") in view:
            view[c.get("sslversion")][1].add(int(c.get("id"), 16))
    return {k: (v[0], v[1]) for k, v in view.items()}


def compare(mx, ss, offerable):
    """Differences over what both tools can offer; [] when they agree."""
    diffs = []
    for v in VERSIONS:
        mx_ok, mx_acc, mx_tested = mx.get(v, (False, set(), set()))
        ss_ok, ss_acc = ss.get(v, (False, set()))
        if mx_ok != ss_ok:
            diffs.append(f"{v}: mxprobe {'ok' if mx_ok else 'fails'}, sslscan {'ok' if ss_ok else 'fails'}")
        both = mx_tested & offerable
        a, b = mx_acc & both, ss_acc & both
        if a != b:
            diffs.append(f"{v}: only mxprobe {sorted(hex(x) for x in a - b)}, "
                         f"only sslscan {sorted(hex(x) for x in b - a)}")
    return diffs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mxprobe", default=os.path.join(TOP, "build", "linux", "mxprobe"))
    ap.add_argument("--runs", type=int, default=3, help="runs per tool and profile (median shown)")
    ap.add_argument("profiles", nargs="*", default=DEFAULT_PROFILES)
    args = ap.parse_args()
    for tool in ("sslscan", "/usr/bin/time"):
        if not shutil.which(tool):
            sys.exit(f"bench: {tool} is not installed (make deps installs it)")
    if not os.access(args.mxprobe, os.X_OK):
        sys.exit(f"bench: no mxprobe at {args.mxprobe} (make build)")

    subprocess.run([MXFIX, "start", *args.profiles], check=True, stdout=subprocess.DEVNULL)
    offerable = openssl_offerable()
    size = os.path.getsize(args.mxprobe)
    stripped = subprocess.run(["size", "-A", args.mxprobe], capture_output=True, text=True).stdout
    text_sz = sum(int(l.split()[1]) for l in stripped.splitlines()
                  if l.startswith((".text", ".rodata", ".data")) and len(l.split()) > 1)
    print(f"mxprobe binary: {size / 1024:.0f} KiB on disk, {text_sz / 1024:.0f} KiB code+data "
          f"(.text+.rodata+.data)")
    print(f"runs per tool and profile: {args.runs} (median wall time shown)")
    print("mxprobe runs with --no-path: like sslscan, only the TLS matrix (a default run adds\n"
          "5 paced connect samples per port, a path-MTU search and a PTR lookup)\n")
    hdr = f"{'profile':<9} {'tool':<8} {'wall s':>7} {'conns':>6} {'peak RSS':>9}  result"
    print(hdr)
    print("-" * len(hdr))
    disagreements = 0
    try:
        for prof in args.profiles:
            port, mode = profiles_port(prof)
            target = f"127.0.0.1:{port}"
            mx_cmd = [args.mxprobe, "--json", "--no-path", target] + \
                (["--implicit-tls"] if mode == "implicit" else [])
            ss_cmd = ["sslscan", "--no-colour", "--show-cipher-ids", "--xml=-", target]
            if mode != "implicit":
                ss_cmd.insert(1, "--starttls-smtp")
            rows = {}
            for tool, cmd in (("mxprobe", mx_cmd), ("sslscan", ss_cmd)):
                walls, rss, conns, out = [], 0, 0, ""
                for _ in range(args.runs):
                    before = connections_seen(prof)
                    wall, peak, _rc, out = run_measured(cmd)
                    conns = connections_seen(prof) - before
                    walls.append(wall)
                    rss = max(rss, peak)
                rows[tool] = (statistics.median(walls), conns, rss, out)
            mx = mxprobe_view(json.loads(rows["mxprobe"][3]))
            ss = sslscan_view(rows["sslscan"][3][rows["sslscan"][3].find("<?xml"):])
            diffs = compare(mx, ss, offerable)
            disagreements += bool(diffs)
            ok_versions = ",".join(v[4:] for v in VERSIONS if mx[v][0]) or "none"
            n_acc = sum(len(mx[v][1]) for v in VERSIONS)
            for tool in ("mxprobe", "sslscan"):
                wall, conns, rss, _ = rows[tool]
                res = (f"TLS {ok_versions}, {n_acc} suites" if tool == "mxprobe"
                       else ("same verdicts" if not diffs else "DIFFERS: " + "; ".join(diffs)))
                print(f"{prof:<9} {tool:<8} {wall:7.3f} {conns:6d} {rss / 1024:7.1f}MB  {res}")
    finally:
        subprocess.run([MXFIX, "stop"], stdout=subprocess.DEVNULL)
    print("\nconns: TCP connections the MX logged for one run; peak RSS: the probe process.")
    print("verdicts compared over the suites both tools can offer "
          "(sslscan: the system OpenSSL's list; mxprobe: wolfSSL's).")
    print(f"profiles where the tools disagree: {disagreements}")


def profiles_port(name):
    """(port, mode) of a fixture profile, from `mxfix ports`."""
    out = subprocess.run([MXFIX, "ports"], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] == name:
            return int(parts[1]), parts[2]
    raise SystemExit(f"bench: unknown profile {name}")


if __name__ == "__main__":
    main()
