#!/usr/bin/python3
"""Run mxprobe's test suites, several at once, against one set of fixtures.

    tests/run_suites.py [-j N] [--list] [SUITE...]

`make test` builds every preset, then runs this. Each suite is one command
(mostly `ctest --preset P`); its output goes to build/test-logs/SUITE.log and
one line per suite reports pass/fail and its wall time. Suites run N at a
time (default 3: most of their time is spent waiting for deadlines, stalls
and QEMU, not computing), except that suites sharing a resource (the netns
testbed, the QEMU tests' host-side DNS port) never overlap.

The loopback MX fixtures (tests/integration/mxfix) are started once, their
openssl ground truth is measured once, and every suite runs with
MXP_FIX_SHARED=1 so that no suite's cleanup stops them under another; they
are stopped at the end. Exit status: 0 every suite passed, 1 a suite
failed (its log tail is printed), 2 usage or setup error.
"""
import argparse
import json
import os
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
MXFIX = os.path.join(HERE, "integration", "mxfix")
TRUTH = os.path.join(HERE, "integration", "truth.py")
LOGS = os.path.join(TOP, "build", "test-logs")

PRESETS = os.path.join(TOP, "CMakePresets.json")


def presets(kind):
    """The configure presets of one kind, in CMakePresets.json's order (the
    one list of boards; the Makefile asks for it too): "boards" are the
    firmware presets (inheriting firmware-base), "appliances" the cross
    builds for Linux routers (inheriting appliance-base)."""
    base = {"boards": "firmware-base", "appliances": "appliance-base"}[kind]
    with open(PRESETS) as f:
        table = {p["name"]: p for p in json.load(f)["configurePresets"]}

    def inherits(p):
        parents = p.get("inherits", [])
        parents = [parents] if isinstance(parents, str) else parents
        return any(q == base or inherits(table[q]) for q in parents)
    return [n for n, p in table.items() if not p.get("hidden") and inherits(p)]


def ctest(preset, *extra):
    return ["ctest", "--preset", preset, *extra]


def suites():
    """(name, command, resources). Listed longest first: the scheduler starts
    them in this order as workers and resources free up."""
    s = []
    for p in presets("appliances"):
        s.append(("appliance-" + p, ctest(p), {"cpu-emulation"}))
    s += [
        ("netns", ctest("netns"), {"netns"}),
        ("fuzz", ctest("fuzz", "-j", "2"), set()),
        ("integration", ctest("integration"), set()),
        ("asan-integration", ctest("asan-integration"), set()),
    ]
    for b in presets("boards"):
        s.append(("qemu-" + b, ctest(b), {"qemu-host-ports"}))
    s += [
        ("unit", ctest("linux"), set()),
        ("asan-unit", ctest("asan"), set()),
        ("format", [os.path.join(HERE, "lint", "check_format.sh")], set()),
    ]
    return s


class Runner:
    def __init__(self, todo, jobs, env):
        self.todo = list(todo)
        self.jobs = jobs
        self.env = env
        self.held = set()
        self.running = 0
        self.results = []
        self.cv = threading.Condition()
        self.t0 = time.monotonic()

    def stamp(self):
        return "%6.1fs" % (time.monotonic() - self.t0)

    def take(self):
        """The next suite whose resources are free, or None when all are done."""
        with self.cv:
            while True:
                if not self.todo:
                    return None
                for i, (name, cmd, res) in enumerate(self.todo):
                    if not (res & self.held):
                        del self.todo[i]
                        self.held |= res
                        print("%s  start %s" % (self.stamp(), name), flush=True)
                        return name, cmd, res
                self.cv.wait()

    def done(self, name, res, rc, secs):
        with self.cv:
            self.held -= res
            self.results.append((name, rc, secs))
            print("%s  %s %s (%.0f s)" % (self.stamp(), "pass" if rc == 0 else "FAIL",
                                         name, secs), flush=True)
            self.cv.notify_all()

    def worker(self):
        while True:
            job = self.take()
            if job is None:
                return
            name, cmd, res = job
            t = time.monotonic()
            with open(os.path.join(LOGS, name + ".log"), "w") as log:
                log.write("$ %s\n" % " ".join(cmd))
                log.flush()
                try:
                    rc = subprocess.call(cmd, cwd=TOP, env=self.env, stdout=log,
                                         stderr=subprocess.STDOUT)
                except OSError as e:
                    log.write("cannot run: %s\n" % e)
                    rc = 127
            self.done(name, res, rc, time.monotonic() - t)

    def run(self):
        threads = [threading.Thread(target=self.worker) for _ in range(self.jobs)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return self.results


def tail(path, n=60):
    with open(path, errors="replace") as f:
        lines = f.readlines()
    return "".join(lines[-n:])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-j", "--jobs", type=int, default=int(os.environ.get("MXP_TEST_JOBS", "3")),
                    help="suites at once (default 3, or $MXP_TEST_JOBS)")
    ap.add_argument("--list", action="store_true", help="list the suites and exit")
    ap.add_argument("--presets", choices=["boards", "appliances"],
                    help="print the presets of that kind and exit")
    ap.add_argument("suite", nargs="*", help="run only these suites")
    args = ap.parse_args()
    if args.presets:
        print(" ".join(presets(args.presets)))
        return 0
    table = suites()
    names = [n for n, _, _ in table]
    if args.list:
        print("\n".join(names))
        return 0
    unknown = [n for n in args.suite if n not in names]
    if unknown or args.jobs < 1:
        print("run_suites: unknown suite %s (--list shows them)" % ", ".join(unknown)
              if unknown else "run_suites: -j must be at least 1", file=sys.stderr)
        return 2
    if args.suite:
        table = [t for t in table if t[0] in args.suite]

    os.makedirs(LOGS, exist_ok=True)
    env = dict(os.environ, MXP_FIX_SHARED="1")
    t0 = time.monotonic()
    print("run_suites: %d suites, %d at once; logs in %s" % (len(table), args.jobs,
                                                              os.path.relpath(LOGS, TOP)),
          flush=True)
    setup = [[MXFIX, "start"], [sys.executable, TRUTH, "--self-check"]]
    for cmd in setup:
        r = subprocess.run(cmd, cwd=TOP, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            print(r.stdout, end="")
            print("run_suites: setup failed: %s" % " ".join(cmd), file=sys.stderr)
            subprocess.call([MXFIX, "stop", "--force"], cwd=TOP, stdout=subprocess.DEVNULL)
            return 2
    try:
        results = Runner(table, args.jobs, env).run()
    finally:
        subprocess.call([MXFIX, "stop", "--force"], cwd=TOP, env=env,
                        stdout=subprocess.DEVNULL)

    failed = [(n, rc) for n, rc, _ in results if rc != 0]
    for n, rc in failed:
        path = os.path.join(LOGS, n + ".log")
        print("\n==== %s failed (exit %d); the end of %s:" % (n, rc, os.path.relpath(path, TOP)))
        print(tail(path), end="")
    print("\n%-22s %-6s %s" % ("suite", "result", "wall"))
    for n, rc, secs in sorted(results, key=lambda r: names.index(r[0])):
        print("%-22s %-6s %4.0f s" % (n, "pass" if rc == 0 else "FAIL", secs))
    print("%d suites, %d failed, %.0f s in all" % (len(results), len(failed),
                                                   time.monotonic() - t0))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
