#!/usr/bin/python3
"""Run mxprobe against one fixture profile and compare with the truth.

    check_profile.py [--check verdicts|connections] [--report FILE]
                     [--emulator CMD] PROFILE MXPROBE_BINARY

--check verdicts (default): version verdicts equal truth.py's, accepted
    suite sets equal the truth restricted to the suites mxprobe offered,
    plus the profile's own assertions (busy, drop, stall, ...).
--check connections: the run used the elimination strategy, i.e. at most
    (accepted suites + 1) connections per tested version + a small overhead.
--report FILE: check an existing `mxprobe --json` report instead of
    running the binary (MXPROBE_BINARY is then ignored).
--emulator CMD: run the binary under this command, split like a shell
    would (a cross build's QEMU user-mode emulator, e.g. qemu-arm-static).

The fixture must be running (`mxfix start PROFILE`).  Exit 0 pass, 1 fail,
2 cannot check (fixture down, binary missing).  Every run's report is
kept in $MXP_FIX_DIR/reports/PROFILE.json.
"""

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True    # no __pycache__ in the source tree
sys.path.insert(0, HERE)
from profiles import PROFILES, VERSIONS, state_dir, generation  # noqa: E402
import truth  # noqa: E402

DEFAULT_TIMEOUT_MS = 5000
STALL_TIMEOUT_MS = 1500
STALL_MARGIN_MS = 1000       # a timeout may fire this late and still pass
DROP_TIMEOUT_MS = 10000      # drop must finish far below this
CONN_OVERHEAD = 3            # connections beyond (accepted + 1) per version
RUN_LIMIT_S = 180            # hard wall-clock limit for one mxprobe run
NO_STARTTLS_ID = re.compile(
    r"no.?starttls|starttls.?(missing|absent|not.?off)", re.I)
TLS_PROFILES = ("modern", "legacy", "tls13", "single", "implicit", "ecdsa")
# Kinds accepted for "legacy refuses TLS 1.1-1.3": a client pinned to 1.2
# gets a TLS 1.0 ServerHello and aborts itself (OpenSSL: "unsupported
# protocol", alert 70 sent); a 1.3 hello gets alert 70 from the server.
LEGACY_REJECT_KINDS = {"tls-alert-received", "tls-alert-sent",
                       "version-mismatch", "protocol-error"}


class Checker:
    def __init__(self, profile):
        self.profile = profile
        self.fails = []
        self.notes = []

    def fail(self, what, expected, got):
        self.fails.append((what, expected, got))

    def expect(self, what, expected, got):
        if expected != got:
            self.fail(what, expected, got)

    def expect_in(self, what, allowed, got):
        if got not in allowed:
            self.fail(what, "one of %s" % sorted(allowed, key=str), got)

    def expect_true(self, what, cond, got):
        if not cond:
            self.fail(what, "true", got)

    def note(self, text):
        self.notes.append(text)

    def report(self):
        for n in self.notes:
            print("  note: " + n)
        if not self.fails:
            print("PASS %s" % self.profile)
            return 0
        print("FAIL %s: %d problem(s)" % (self.profile, len(self.fails)))
        for what, expected, got in self.fails:
            print("  - %s" % what)
            print("      expected: %s" % fmt(expected))
            print("      got:      %s" % fmt(got))
        return 1


def fmt(v):
    if isinstance(v, (set, frozenset)):
        v = sorted(v)
    if isinstance(v, (list, dict)):
        text = json.dumps(v)
        return text if len(text) < 400 else text[:400] + "..."
    return repr(v)


def get(d, *path, default=None):
    for key in path:
        if not isinstance(d, dict) or key not in d:
            return default
        d = d[key]
    return d


def failure_str(f):
    if not f:
        return "-"
    s = "%s/%s" % (f.get("stage"), f.get("kind"))
    if f.get("alert"):
        s += " alert=%s" % f["alert"]
    if f.get("smtp_code"):
        s += " smtp=%s" % f["smtp_code"]
    return s


def run_mxprobe(binary, profile, timeout_ms, emulator=""):
    p = PROFILES[profile]
    cmd = shlex.split(emulator) + [binary, "--json", "--timeout", str(timeout_ms)]
    if p["mode"] == "implicit":
        cmd.append("--implicit-tls")
    cmd.append("127.0.0.1:%d" % p["port"])
    print("$ " + " ".join(cmd), flush=True)
    t0 = time.monotonic()
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=RUN_LIMIT_S)
    except subprocess.TimeoutExpired:
        why = "mxprobe still running after %d s" % RUN_LIMIT_S
        return None, None, "", why, RUN_LIMIT_S * 1000
    wall_ms = int((time.monotonic() - t0) * 1000)
    out = r.stdout.decode(errors="replace")
    err = r.stderr.decode(errors="replace")
    rdir = os.path.join(state_dir(), "reports")
    os.makedirs(rdir, exist_ok=True)
    with open(os.path.join(rdir, profile + ".json"), "w") as f:
        f.write(out)
    with open(os.path.join(rdir, profile + ".stderr"), "w") as f:
        f.write(err)
    return r.returncode, out, err, None, wall_ms


def version_table(port, t):
    by = {v.get("version"): v for v in port.get("versions") or []}
    print("  %-8s %-9s %-10s %-40s %s" % ("version", "truth", "mxprobe",
                                          "failure", "suites acc/tested"))
    for v in VERSIONS:
        g = by.get(v, {})
        tv = t["versions"][v] if t else None
        suites = g.get("suites") or []
        acc = sum(1 for s in suites if s.get("status") == "accepted")
        tested = sum(1 for s in suites
                     if s.get("status") in ("accepted", "rejected"))
        print("  %-8s %-9s %-10s %-40s %d/%d" % (
            v, "-" if tv is None else ("accepted" if tv["ok"] else "rejected"),
            g.get("status", "MISSING"), failure_str(g.get("failure")),
            acc, tested))
    return by


def check_suites(c, v, g, tv):
    known = set(truth.suite_table())
    tested_truth = set(tv["tested"])
    truth_acc = set(tv["suites"])
    suites = g.get("suites") or []
    status = {}
    for s in suites:
        name, st = s.get("suite"), s.get("status")
        if st in ("accepted", "rejected") and bool(s.get("ok")) != \
                (st == "accepted"):
            c.fail("%s %s: ok flag disagrees with status" % (v, name),
                   st == "accepted", s.get("ok"))
        status[name] = st
    offered = {s for s, st in status.items() if st in ("accepted", "rejected")}
    got_acc = {s for s, st in status.items() if st == "accepted"}
    untested = [s for s, st in status.items()
                if st not in ("accepted", "rejected")]
    if not offered:
        c.fail("%s: per-suite results (accepted version)" % v,
               "suites with status accepted/rejected", suites)
        return
    if untested:
        c.note("%s: %d suite(s) not tested: %s" % (v, len(untested),
                                                   " ".join(sorted(untested))))
    comparable = offered & tested_truth
    expected = truth_acc & comparable
    got = got_acc & comparable
    if expected != got:
        c.fail("%s: accepted suites (within the %d offered suites the truth "
               "tested)" % (v, len(comparable)),
               "%d suites; missing from mxprobe: %s" % (
                   len(expected), sorted(expected - got) or "none"),
               "%d suites; not accepted by the server: %s" % (
                   len(got), sorted(got - expected) or "none"))
    for s in sorted(offered - tested_truth):
        if s not in known:
            # Suites OpenSSL lacks (3DES, ...) cannot work against postfix.
            if s in got_acc:
                c.fail("%s %s: suite OpenSSL does not have" % (v, s),
                       "rejected", "accepted")
        else:
            c.note("%s %s: outside the truth's candidates, not compared "
                   "(mxprobe: %s)" % (v, s, status[s]))
    not_offered = truth_acc - offered
    if not_offered:
        c.note("%s: %d suite(s) the server accepts were not offered by "
               "mxprobe: %s" % (v, len(not_offered),
                                " ".join(sorted(not_offered))))
    check_sigalgs(c, v, suites)
    neg = get(g, "negotiated", "suite")
    if neg is None:
        c.fail("%s: negotiated suite" % v, "one of the accepted suites", None)
    elif neg in tested_truth and neg not in truth_acc:
        c.fail("%s: negotiated suite" % v, sorted(truth_acc), neg)


def check_sigalgs(c, v, suites):
    """The server's handshake signature: ECDHE/DHE and every TLS 1.3 suite
    have one, and its scheme must fit the certificate's key; static RSA
    has none, nor does TLS 1.0/1.1 RSA (MD5+SHA1 has no code point)."""
    key = PROFILES[c.profile]["key"]
    for s in suites:
        if s.get("status") != "accepted":
            continue
        name, alg = s.get("suite", ""), get(s, "negotiated", "sigalg")
        signed = v == "TLSv1.3" or "_ECDHE_" in name or "_DHE_" in name
        if not signed or (v in ("TLSv1.0", "TLSv1.1") and key != "ec"):
            c.expect("%s %s: sigalg (no handshake signature with a code point)"
                     % (v, name), None, alg)
        elif key == "ec":
            c.expect_in("%s %s: sigalg" % (v, name),
                        {"ecdsa_sha1", "ecdsa_secp256r1_sha256",
                         "ecdsa_secp384r1_sha384", "ecdsa_secp521r1_sha512"}, alg)
        else:
            c.expect_in("%s %s: sigalg" % (v, name),
                        {"rsa_pkcs1_sha1", "rsa_pkcs1_sha256", "rsa_pkcs1_sha384",
                         "rsa_pkcs1_sha512", "rsa_pss_rsae_sha256",
                         "rsa_pss_rsae_sha384", "rsa_pss_rsae_sha512"}
                        if v != "TLSv1.3" else
                        {"rsa_pss_rsae_sha256", "rsa_pss_rsae_sha384",
                         "rsa_pss_rsae_sha512"}, alg)


def check_tls_profile(c, port, t, rc):
    p = PROFILES[c.profile]
    by = version_table(port, t)
    c.expect("ports[0].mode", p["mode"], port.get("mode"))
    c.expect("ports[0].reached", True, port.get("reached"))
    c.expect("ports[0].busy", False, port.get("busy"))
    if p["mode"] == "starttls":
        c.expect("ports[0].starttls.offered", True,
                 get(port, "starttls", "offered"))
    for v in VERSIONS:
        g, tv = by.get(v), t["versions"][v]
        if g is None:
            c.fail("%s: version entry" % v, "present", "missing")
            continue
        st = g.get("status")
        if tv["ok"]:
            c.expect("%s: status (truth: handshake completes with %s)"
                     % (v, tv["negotiated"]), "accepted", st)
            c.expect("%s: ok" % v, True, g.get("ok"))
            if st == "accepted":
                check_suites(c, v, g, tv)
            continue
        # The server refuses this version.
        if st == "unavailable":
            c.note("%s: unavailable in this mxprobe build (truth: rejected, "
                   "%s)" % (v, tv["failure"]))
            continue
        c.expect("%s: status (truth: %s)" % (v, tv["failure"]), "rejected", st)
        c.expect("%s: ok" % v, False, g.get("ok"))
        f = g.get("failure")
        if st == "rejected":
            c.expect("%s: failure.stage" % v, "handshake", get(f, "stage"))
            if c.profile == "legacy":
                c.expect_in("%s: failure.kind" % v, LEGACY_REJECT_KINDS,
                            get(f, "kind"))
            c.note("%s refused: mxprobe %s; openssl: %s"
                   % (v, failure_str(f), tv["failure"]))
    cert = port.get("certificate")
    if not isinstance(cert, dict):
        c.fail("ports[0].certificate", "an object", cert)
    else:
        c.expect("certificate.key.type", "ec" if p["key"] == "ec" else "rsa",
                 get(cert, "key", "type"))
        c.expect("certificate.self_signed", True, cert.get("self_signed"))
        sans = cert.get("sans")
        if p["hostname"] not in (sans or []):
            c.fail("certificate.sans", "contains " + p["hostname"], sans)
    if c.profile == "legacy":
        c.note("legacy exit status %s" % rc)
    else:
        c.expect("exit status (TLS works)", 0, rc)


def versions_of(port):
    return [v for v in port.get("versions") or [] if isinstance(v, dict)]


def no_version_accepted(c, port):
    acc = [v.get("version") for v in versions_of(port)
           if v.get("status") == "accepted" or v.get("ok")]
    c.expect("versions accepted", [], acc)


def all_failure_kinds(rep, port):
    kinds = {get(port, "stop", "kind")}
    kinds |= {get(v, "failure", "kind") for v in versions_of(port)}
    return kinds - {None}


def check_hostile(c, rep, port, rc, wall_ms, timeout_ms):
    name = c.profile
    for v in versions_of(port):
        print("  %-8s %-10s %s stage_ms=%s" % (
            v.get("version"), v.get("status"), failure_str(v.get("failure")),
            get(v, "failure", "stage_ms")))
    print("  stop: %s   wall %d ms" % (failure_str(port.get("stop")), wall_ms))
    no_version_accepted(c, port)
    if name != "garbage":
        c.expect("exit status (TLS does not work)", 1, rc)
    if name == "nostarttls":
        c.expect("ports[0].reached", True, port.get("reached"))
        c.expect("ports[0].starttls.offered", False,
                 get(port, "starttls", "offered"))
        if "no-starttls" not in all_failure_kinds(rep, port):
            c.fail("a no-starttls failure (ports[0].stop or a version)",
                   "kind no-starttls", sorted(all_failure_kinds(rep, port)))
    elif name == "busy":
        c.expect("ports[0].busy", True, port.get("busy"))
        c.expect("ports[0].stop.stage", "banner", get(port, "stop", "stage"))
        c.expect("ports[0].stop.smtp_code", 421,
                 get(port, "stop", "smtp_code"))
        if "no-starttls" in all_failure_kinds(rep, port):
            c.fail("failure kinds", "no no-starttls (the server never got "
                   "to EHLO)", sorted(all_failure_kinds(rep, port)))
        ids = [str(f.get("id", "")) for f in rep.get("findings") or []]
        bad = [i for i in ids if NO_STARTTLS_ID.search(i)]
        c.expect("findings claiming STARTTLS is missing", [], bad)
    elif name in ("drop", "reset", "stall"):
        kinds = {"drop": {"closed", "reset"}, "reset": {"reset"},
                 "stall": {"timeout"}}[name]
        tested = [v for v in versions_of(port)
                  if v.get("status") not in ("unavailable",)]
        if name == "stall":
            # After a timeout, a probe may give up on the remaining versions.
            tested = [v for v in tested if v.get("status") != "skipped"]
        if not tested:
            c.fail("versions tested", "at least one", versions_of(port))
        for v in tested:
            f = v.get("failure")
            c.expect("%s: status" % v.get("version"), "rejected",
                     v.get("status"))
            c.expect("%s: failure.stage" % v.get("version"), "handshake",
                     get(f, "stage"))
            c.expect_in("%s: failure.kind" % v.get("version"), kinds,
                        get(f, "kind"))
            if name == "stall":
                ms = get(f, "stage_ms")
                if not isinstance(ms, int) or not \
                        timeout_ms - 100 <= ms <= timeout_ms + STALL_MARGIN_MS:
                    c.fail("%s: failure.stage_ms" % v.get("version"),
                           "%d..%d" % (timeout_ms - 100,
                                       timeout_ms + STALL_MARGIN_MS), ms)
        if name == "drop" and wall_ms > DROP_TIMEOUT_MS // 2:
            c.fail("wall time with --timeout %d" % DROP_TIMEOUT_MS,
                   "< %d ms (a FIN must not wait for the timeout)"
                   % (DROP_TIMEOUT_MS // 2), wall_ms)
        if name == "stall":
            limit = len(tested) * (timeout_ms + STALL_MARGIN_MS) + 2000
            if wall_ms > limit:
                c.fail("wall time", "<= %d ms" % limit, wall_ms)
    elif name == "garbage":
        c.expect_in("exit status", {0, 1}, rc)
        c.expect("ports[0].reached", True, port.get("reached"))
        if not all_failure_kinds(rep, port):
            c.fail("a recorded failure", "stop or version failure", None)


def check_connections(c, port, rep):
    by = version_table(port, None)
    budget, parts = CONN_OVERHEAD, []
    for v in VERSIONS:
        g = by.get(v) or {}
        if g.get("status") not in ("accepted", "rejected"):
            continue
        acc = sum(1 for s in g.get("suites") or []
                  if s.get("status") == "accepted")
        budget += acc + 1
        parts.append("%s %d+1" % (v, acc))
    offered = sum(len(g.get("suites") or []) for g in by.values())
    got = port.get("connections", rep.get("connections"))
    print("  connections: %s (budget %s + %d overhead = %d; one per offered "
          "suite would be %d)" % (got, ", ".join(parts), CONN_OVERHEAD,
                                  budget, offered))
    if not isinstance(got, int):
        c.fail("ports[0].connections", "an integer", got)
    elif got > budget:
        c.fail("connections (elimination strategy)", "<= %d" % budget, got)
    elif got < len(parts):
        c.fail("connections", ">= %d (one per tested version)" % len(parts),
               got)
    top = rep.get("connections")
    if isinstance(top, int) and isinstance(got, int) and top < got:
        c.fail("report.connections >= ports[0].connections", got, top)


def main():
    ap = argparse.ArgumentParser(description="compare mxprobe with the truth")
    ap.add_argument("profile", choices=list(PROFILES))
    ap.add_argument("binary")
    ap.add_argument("--check", choices=("verdicts", "connections"),
                    default="verdicts")
    ap.add_argument("--report", help="check this JSON report, do not run")
    ap.add_argument("--emulator", default="",
                    help="run the binary under this command (QEMU user mode)")
    args = ap.parse_args()
    name, p = args.profile, PROFILES[args.profile]
    c = Checker(name + ("" if args.check == "verdicts" else " connections"))

    if not generation(name) or not truth.listening(p["port"]):
        print("ERROR: fixture %s is not running; start it with: %s start %s"
              % (name, os.path.join(HERE, "mxfix"), name))
        return 2
    t = None
    if name in TLS_PROFILES:
        try:
            t = truth.get_truth(name)
        except truth.TruthError as e:
            print("ERROR: truth: %s" % e)
            return 2
        print("truth: " + truth.summary(t))

    timeout_ms = {"stall": STALL_TIMEOUT_MS,
                  "drop": DROP_TIMEOUT_MS}.get(name, DEFAULT_TIMEOUT_MS)
    if args.report:
        with open(args.report) as f:
            out, rc, wall_ms = f.read(), None, 0
        err = ""
    else:
        if not os.access(args.binary, os.X_OK):
            print("ERROR: mxprobe binary %s is not executable" % args.binary)
            return 2
        rc, out, err, why, wall_ms = run_mxprobe(args.binary, name,
                                                 timeout_ms, args.emulator)
        if why:
            c.fail("mxprobe run", "finishes", why)
            return c.report()
        print("mxprobe exit %d in %d ms; report in %s" % (
            rc, wall_ms, os.path.join(state_dir(), "reports", name + ".json")))
        if err.strip():
            print("  stderr: " + err.strip().replace("\n", "\n          "))
    try:
        rep = json.loads(out)
    except ValueError as e:
        c.fail("stdout is JSON", "a JSON report", "%s: %r" % (e, out[:300]))
        return c.report()
    if rc is None:
        rc = rep.get("exit_status")
    c.expect_in("exit status", {0, 1}, rc)
    c.expect("schema", "mxprobe-report", rep.get("schema"))
    c.expect("schema_version", 1, rep.get("schema_version"))
    c.expect("exit_status field equals the exit status", rc,
             rep.get("exit_status"))
    ports = [x for x in rep.get("ports") or [] if isinstance(x, dict)]
    port = next((x for x in ports if x.get("port") == p["port"]), None)
    if port is None:
        c.fail("ports[] entry for %d" % p["port"], "present",
               [x.get("port") for x in ports])
        return c.report()
    if len(ports) != 1:
        c.fail("number of ports probed", 1, [x.get("port") for x in ports])
    for f in rep.get("findings") or []:
        c.expect_in("finding %s severity" % f.get("id"),
                    {"ok", "info", "warn", "fail"}, f.get("severity"))

    if args.check == "connections":
        check_connections(c, port, rep)
    elif t is not None:
        check_tls_profile(c, port, t, rc)
    else:
        check_hostile(c, rep, port, rc, wall_ms, timeout_ms)
    return c.report()


if __name__ == "__main__":
    sys.exit(main())
