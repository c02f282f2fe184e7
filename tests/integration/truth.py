#!/usr/bin/python3
"""Ground truth for a fixture profile, measured with `openssl s_client`.

    truth.py [--refresh] [--jobs N] [--timeout S] PROFILE...
    truth.py [--refresh] --all
    truth.py --self-check [PROFILE...]

For each TLS version: does a handshake complete when the client offers
every candidate suite?  For each version that does: which candidate
suites does the server accept when offered alone?  One connection per
(version) plus one per (accepted version, candidate suite).

Candidates are the suites this OpenSSL can offer that a wolfSSL client
could plausibly offer too: RSA or ECDSA authentication, RSA, DHE or
ECDHE key exchange, real encryption (no NULL, anonymous, PSK, SRP or
DSS suites), and the five TLS 1.3 suites.  OpenSSL 3 on Debian has no
3DES, RC4 or export suites at all, and needs @SECLEVEL=0 on the client
side for TLS 1.0/1.1 and for SHA-1 suites.

Output: JSON {"profile", "port", "mode", "generation", "openssl",
"connections", "versions": {"TLSv1.0": {"ok", "negotiated", "failure",
"suites": [IANA accepted], "tested": [IANA candidates]}, ...},
"openssl_known_suites": [every IANA name this OpenSSL knows]}.
One object for one profile, a list for several.  Results are cached in
$MXP_FIX_DIR/truth/PROFILE.json until the fixture restarts (mxfix
writes a new generation token at each start).
"""

import argparse
import concurrent.futures
import json
import os
import re
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True    # no __pycache__ in the source tree
sys.path.insert(0, HERE)
from profiles import (PROFILES, VERSIONS, VERSION_FLAGS, state_dir,  # noqa
                      generation)

TRUTH_FORMAT = 1          # bump when the candidate rule or the JSON changes
TLS13_SUITES = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_CCM_SHA256",
                "TLS_AES_128_CCM_8_SHA256"]
CANDIDATE_RULE = ("Au in {RSA,ECDSA}, Kx in {RSA,DH,ECDH}, Enc not None; "
                  "TLS 1.3: the five RFC 8446 suites")
EHLO_NAME = "truth.mxprobe.test"


class TruthError(Exception):
    pass


def openssl():
    return os.environ.get("MXP_OPENSSL", "openssl")


def run(cmd, timeout=10):
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=timeout, env=dict(os.environ, LC_ALL="C"))
    return r.returncode, r.stdout.decode(errors="replace"), \
        r.stderr.decode(errors="replace")


_SUITES = None


def suite_table():
    """OpenSSL's suites: {iana: {"openssl": name, "kx", "au", "enc",
    "versions": set(versions it is usable with)}}."""
    global _SUITES
    if _SUITES is not None:
        return _SUITES
    table = {}
    rx = re.compile(r"^(\S+)\s+-\s+(\S+)\s+(\S+)\s+Kx=(\S+)\s+Au=(\S+)\s+"
                    r"Enc=(\S+)\s+Mac=(\S+)")
    everything = "ALL:COMPLEMENTOFALL:@SECLEVEL=0"
    for version in VERSIONS:
        cmd = [openssl(), "ciphers", "-v", "-stdname", "-s",
               VERSION_FLAGS[version]]
        if version == "TLSv1.3":
            cmd += ["-ciphersuites", ":".join(TLS13_SUITES)]
        rc, out, err = run(cmd + [everything])
        if rc != 0:
            raise TruthError("openssl ciphers failed: " + err.strip())
        for line in out.splitlines():
            m = rx.match(line)
            if not m:
                continue
            iana, name, _, kx, au, enc, _ = m.groups()
            if (version == "TLSv1.3") != (kx == "any"):
                continue
            e = table.setdefault(iana, dict(openssl=name, kx=kx, au=au,
                                            enc=enc, versions=set()))
            e["versions"].add(version)
    # Names OpenSSL knows but cannot use at any version (-s filters those).
    rc, out, _ = run([openssl(), "ciphers", "-v", "-stdname", everything])
    for line in out.splitlines():
        m = rx.match(line)
        if m and m.group(1) not in table:
            iana, name, _, kx, au, enc, _ = m.groups()
            table[iana] = dict(openssl=name, kx=kx, au=au, enc=enc,
                               versions=set())
    _SUITES = table
    return table


def candidates(version):
    """IANA names of the candidate suites for one version, OpenSSL's order."""
    out = []
    for iana, e in suite_table().items():
        if version not in e["versions"]:
            continue
        if version == "TLSv1.3":
            out.append(iana)
        elif (e["au"] in ("RSA", "ECDSA") and e["kx"] in ("RSA", "DH", "ECDH")
              and e["enc"] != "None" and iana.startswith("TLS_")):
            out.append(iana)
    return out


def iana_of(openssl_name):
    for iana, e in suite_table().items():
        if e["openssl"] == openssl_name:
            return iana
    return openssl_name


def handshake(profile, version, suites, timeout):
    """One s_client connection offering `suites` (IANA) at exactly
    `version`.  Returns {"ok", "version", "suite", "failure"}."""
    p = PROFILES[profile]
    table = suite_table()
    cmd = [openssl(), "s_client", "-brief",
           "-connect", "127.0.0.1:%d" % p["port"],
           "-servername", p["hostname"], VERSION_FLAGS[version]]
    if p["mode"] == "starttls":
        cmd += ["-starttls", "smtp", "-name", EHLO_NAME]
    if version == "TLSv1.3":
        cmd += ["-ciphersuites", ":".join(suites)]
    else:
        cmd += ["-cipher", ":".join(table[s]["openssl"] for s in suites)
                + ":@SECLEVEL=0"]
    try:
        rc, out, err = run(cmd, timeout)
    except subprocess.TimeoutExpired:
        return dict(ok=False, version=None, suite=None,
                    failure="timeout after %g s" % timeout)
    # -brief prints these two lines once the handshake has completed.
    both = out + err
    pv = re.search(r"^Protocol version: (\S+)", both, re.M)
    cs = re.search(r"^Ciphersuite: (\S+)", both, re.M)
    if pv and cs:
        got_version = "TLSv1.0" if pv.group(1) == "TLSv1" else pv.group(1)
        suite = iana_of(cs.group(1))
        ok = got_version == version and suite in suites
        return dict(ok=ok, version=got_version, suite=suite,
                    failure=None if ok else "negotiated %s %s"
                    % (got_version, suite))
    return dict(ok=False, version=None, suite=None, failure=why(err, rc))


def why(err, rc):
    """A short reason from s_client's stderr."""
    for line in err.splitlines():
        m = re.search(r":error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):.*?"
                      r"(SSL alert number \d+)?$", line)
        if m:
            return m.group(1) + (" (%s)" % m.group(2) if m.group(2) else "")
    for line in err.splitlines():
        if "errno" in line or "STARTTLS" in line or "connect" in line:
            return line.strip()
    return "s_client exit %d" % rc


def listening(port):
    try:
        socket.create_connection(("127.0.0.1", port), 2).close()
        return True
    except OSError:
        return False


def measure(profile, jobs=8, timeout=8.0):
    p = PROFILES[profile]
    gen = generation(profile)
    if not gen or not listening(p["port"]):
        raise TruthError("fixture %s is not running (run: mxfix start %s)"
                         % (profile, profile))
    if p["kind"] == "hostile":
        timeout = min(timeout, 3.0)     # stall would hold every attempt
    t0 = time.monotonic()
    result = dict(profile=profile, port=p["port"], mode=p["mode"],
                  generation=gen, format=TRUTH_FORMAT,
                  openssl=run([openssl(), "version"])[1].strip(),
                  candidate_rule=CANDIDATE_RULE, connections=0, versions={})
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        cand = {v: candidates(v) for v in VERSIONS}
        first = {v: pool.submit(handshake, profile, v, cand[v], timeout)
                 for v in VERSIONS}
        per_suite = {}
        for v in VERSIONS:
            r = first[v].result()
            result["connections"] += 1
            result["versions"][v] = dict(ok=r["ok"], negotiated=r["suite"]
                                         if r["ok"] else None,
                                         failure=r["failure"], suites=[],
                                         tested=cand[v])
            if r["ok"]:
                per_suite[v] = [(s, pool.submit(handshake, profile, v, [s],
                                                timeout)) for s in cand[v]]
        for v, futures in per_suite.items():
            rejected = {}
            for s, f in futures:
                r = f.result()
                result["connections"] += 1
                if r["ok"]:
                    result["versions"][v]["suites"].append(s)
                else:
                    rejected.setdefault(r["failure"], []).append(s)
            result["versions"][v]["rejections"] = {
                k: len(x) for k, x in rejected.items()}
    result["elapsed_ms"] = int((time.monotonic() - t0) * 1000)
    result["openssl_known_suites"] = sorted(suite_table())
    return result


def cache_path(profile):
    return os.path.join(state_dir(), "truth", profile + ".json")


def get_truth(profile, refresh=False, jobs=8, timeout=8.0):
    """Cached truth for a running profile (recomputed after a restart)."""
    path = cache_path(profile)
    gen = generation(profile)
    if not refresh and gen:
        try:
            with open(path) as f:
                cached = json.load(f)
            if cached.get("generation") == gen and \
                    cached.get("format") == TRUTH_FORMAT:
                cached["cached"] = True
                return cached
        except (OSError, ValueError):
            pass
    result = measure(profile, jobs, timeout)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)
    result["cached"] = False
    return result


def summary(t):
    parts = []
    for v in VERSIONS:
        e = t["versions"][v]
        if e["ok"]:
            parts.append("%s ok %d/%d suites" % (v, len(e["suites"]),
                                                len(e["tested"])))
        else:
            parts.append("%s no (%s)" % (v, e["failure"]))
    return "%s:%d  %s  [%d conns, %d ms%s]" % (
        t["profile"], t["port"], "; ".join(parts), t["connections"],
        t["elapsed_ms"], ", cached" if t.get("cached") else "")


# What each profile must look like; a fixture that drifts from this (a
# postfix or OpenSSL update, a config typo) fails the self-check loudly.
EXPECT = {
    "modern": {"TLSv1.2", "TLSv1.3"},
    "legacy": {"TLSv1.0"},
    "tls13": {"TLSv1.3"},
    "single": {"TLSv1.2"},
    "nostarttls": set(),
    "implicit": {"TLSv1.2", "TLSv1.3"},
    "ecdsa": {"TLSv1.2", "TLSv1.3"},
    "drop": set(), "busy": set(), "stall": set(), "reset": set(),
    "garbage": set(),
}


def self_check(t):
    """List of problems with a truth result (empty when it looks right)."""
    errs = []
    name = t["profile"]
    ok = {v for v in VERSIONS if t["versions"][v]["ok"]}
    if ok != EXPECT[name]:
        errs.append("versions ok %s, expected %s" % (sorted(ok),
                                                      sorted(EXPECT[name])))
    table = suite_table()
    for v in ok:
        e = t["versions"][v]
        if not e["suites"]:
            errs.append("%s ok but no single suite accepted" % v)
        if e["negotiated"] not in e["suites"]:
            errs.append("%s negotiated %s, not among the accepted suites"
                        % (v, e["negotiated"]))
        if v != "TLSv1.3":
            want_au = "ECDSA" if PROFILES[name]["key"] == "ec" else "RSA"
            bad = [s for s in e["suites"] if table[s]["au"] != want_au]
            if bad:
                errs.append("%s accepted suites with the wrong "
                            "authentication: %s" % (v, bad))
    if name == "single" and t["versions"]["TLSv1.2"]["suites"] != \
            ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"]:
        errs.append("single: TLSv1.2 suites %s, expected exactly "
                    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
                    % t["versions"]["TLSv1.2"]["suites"])
    return errs


def main():
    ap = argparse.ArgumentParser(
        description="ground truth for mxprobe fixtures (see module doc)")
    ap.add_argument("profiles", nargs="*")
    ap.add_argument("--all", action="store_true", help="every profile")
    ap.add_argument("--refresh", action="store_true", help="ignore the cache")
    ap.add_argument("--jobs", type=int, default=8)
    ap.add_argument("--timeout", type=float, default=8.0,
                    help="seconds per s_client connection")
    ap.add_argument("--self-check", action="store_true",
                    help="check every profile's truth looks as designed; "
                         "print a summary, exit 1 on any surprise")
    ap.add_argument("--summary", action="store_true",
                    help="one human-readable line per profile")
    args = ap.parse_args()
    names = args.profiles or (list(PROFILES)
                              if args.all or args.self_check else [])
    if not names:
        ap.error("name a profile or use --all")
    bad = [n for n in names if n not in PROFILES]
    if bad:
        ap.error("unknown profile(s) %s; known: %s"
                 % (" ".join(bad), " ".join(PROFILES)))
    results, failed = [], False
    # Profiles run one after another, their connections in parallel: this
    # keeps the load on each postfix modest and the timing predictable.
    try:
        for n in names:
            t = get_truth(n, args.refresh, args.jobs, args.timeout)
            results.append(t)
            if args.self_check or args.summary:
                print(summary(t), flush=True)
            if args.self_check:
                for e in self_check(t):
                    print("  SURPRISE %s: %s" % (n, e), flush=True)
                    failed = True
    except TruthError as e:
        print("truth.py: error: %s" % e, file=sys.stderr)
        return 2
    if not (args.self_check or args.summary):
        json.dump(results[0] if len(results) == 1 else results, sys.stdout,
                  indent=1)
        print()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
