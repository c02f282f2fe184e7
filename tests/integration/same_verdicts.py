#!/usr/bin/python3
"""Does a cross-built mxprobe judge a fixture exactly as the native build?

    same_verdicts.py [--emulator CMD] PROFILE REFERENCE_BINARY BINARY

Runs REFERENCE_BINARY (the native build) and BINARY (an appliance build,
under --emulator, e.g. QEMU user mode) against the running fixture PROFILE
with check_profile.py's options, and compares what a user is told: exit
status; per port whether it was reached, busy, where it stopped, STARTTLS,
the certificate summary; per TLS version its status, failure stage and kind,
alert, negotiated suite, group and signature scheme, and each suite's
status; the findings (id and severity). Timings, byte counts and texts that
carry them are not compared.

check_profile.py holds both builds to the truth (openssl s_client); this
holds them to each other. Exit 0 same, 1 different, 2 cannot check.
"""

import argparse
import json
import os
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True    # no __pycache__ in the source tree
sys.path.insert(0, HERE)
from profiles import PROFILES, generation  # noqa: E402
import check_profile  # noqa: E402
import truth  # noqa: E402


def run(cmd):
    print("$ " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=check_profile.RUN_LIMIT_S)
    except subprocess.TimeoutExpired:
        return None, "still running after %d s" % check_profile.RUN_LIMIT_S
    try:
        return (r.returncode, json.loads(r.stdout)), None
    except ValueError as e:
        return None, "exit %d, stdout is not JSON (%s): %r" % (
            r.returncode, e, r.stdout[:200])


def pick(d, *keys):
    d = d if isinstance(d, dict) else {}
    return {k: d.get(k) for k in keys}


def digest(rc, rep):
    """What the report tells its reader, without timings."""
    ports = []
    for p in rep.get("ports") or []:
        cert = p.get("certificate")
        versions = []
        for v in p.get("versions") or []:
            versions.append({
                **pick(v, "version", "status", "ok", "suites_complete"),
                "failure": pick(v.get("failure"), "stage", "kind", "alert",
                                "smtp_code"),
                "negotiated": pick(v.get("negotiated"), "suite", "group",
                                   "dh_bits", "sigalg"),
                "suites": {s.get("suite"): s.get("status")
                           for s in v.get("suites") or []},
            })
        ports.append({
            **pick(p, "port", "mode", "reached", "busy"),
            "stop": pick(p.get("stop"), "stage", "kind", "alert", "smtp_code"),
            "starttls": pick(p.get("starttls"), "offered", "code"),
            "certificate": None if not isinstance(cert, dict) else {
                **pick(cert, "subject", "issuer", "sans", "self_signed",
                       "name_match", "expired", "chain_length"),
                "key": pick(cert.get("key"), "type", "bits", "curve")},
            "versions": versions,
        })
    return {
        "exit_status": rc,
        "ports": ports,
        "findings": sorted((f.get("id"), f.get("severity"), f.get("port"))
                           for f in rep.get("findings") or []),
    }


def differences(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b), key=str):
            out += differences(a.get(k), b.get(k), "%s.%s" % (path, k))
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b) \
            and not (a and isinstance(a[0], tuple)):
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += differences(x, y, "%s[%d]" % (path, i))
        return out
    return [] if a == b else [(path or ".", a, b)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("profile", choices=list(PROFILES))
    ap.add_argument("reference", help="the native mxprobe")
    ap.add_argument("binary", help="the mxprobe under test")
    ap.add_argument("--emulator", default="",
                    help="run BINARY under this command (QEMU user mode)")
    args = ap.parse_args()
    name, p = args.profile, PROFILES[args.profile]
    if not generation(name) or not truth.listening(p["port"]):
        print("ERROR: fixture %s is not running" % name)
        return 2
    for b in (args.reference, args.binary):
        if not os.access(b, os.X_OK):
            print("ERROR: %s is not an executable mxprobe (the native one "
                  "comes from the linux preset: cmake --build --preset linux)" % b)
            return 2
    timeout_ms = {"stall": check_profile.STALL_TIMEOUT_MS,
                  "drop": check_profile.DROP_TIMEOUT_MS}.get(
                      name, check_profile.DEFAULT_TIMEOUT_MS)
    opts = ["--json", "--timeout", str(timeout_ms)]
    if p["mode"] == "implicit":
        opts.append("--implicit-tls")
    opts.append("127.0.0.1:%d" % p["port"])

    digests = []
    for cmd in ([args.reference] + opts,
                shlex.split(args.emulator) + [args.binary] + opts):
        got, why = run(cmd)
        if got is None:
            print("FAIL %s: %s" % (name, why))
            return 1
        digests.append(digest(*got))
    diffs = differences(*digests)
    if not diffs:
        ports = digests[1]["ports"]
        print("  exit %s; %s; findings: %s" % (
            digests[1]["exit_status"],
            ", ".join("%s %s" % (v["version"], v["status"])
                      for v in (ports[0]["versions"] if ports else [])),
            " ".join("%s/%s" % f[:2] for f in digests[1]["findings"]) or "none"))
        print("PASS %s: same verdicts as the native build" % name)
        return 0
    print("FAIL %s: %d difference(s), native vs this build" % (name, len(diffs)))
    for path, a, b in diffs[:20]:
        print("  %s\n      native: %s\n      this:   %s" % (
            path, json.dumps(a), json.dumps(b)))
    if len(diffs) > 20:
        print("  ... and %d more" % (len(diffs) - 20))
    return 1


if __name__ == "__main__":
    sys.exit(main())
