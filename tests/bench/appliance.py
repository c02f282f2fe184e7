#!/usr/bin/env python3
"""The Linux appliance builds: binary size and peak RSS, per architecture.

For each appliance preset (linux-aarch64, linux-armhf, linux-mipsel with
glibc; linux-mipsel-24kc, linux-mips-24kc, linux-armv5 soft-float on musl):
the size of the static, stripped mxprobe against its target (1 MiB; 512 KiB
for the soft-float routers), and the peak RSS of a full matrix run (all four
TLS versions, every suite) against the local modern fixture, run under QEMU
user-mode emulation with the board's CPU (no FPU for the routers: 24Kc,
arm926), against the 8 MiB target.

The RSS is that of the emulator process (/usr/bin/time -f %M on
qemu-<arch>-static): it includes QEMU's own memory (its translated-code
buffer, its heap and its binary), which a real router does not have. So the
table also shows the same emulator running `mxprobe --version` (QEMU plus
the loaded binary, no probing) and the difference between the two, an
estimate of what the probe itself adds. The native x86-64 build's RSS for
the same run is printed for comparison. Figures are printed, never asserted.

usage: tests/bench/appliance.py [--runs 3] [--build-dir build] [ARCH...]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "..", ".."))
MXFIX = os.path.join(TOP, "tests", "integration", "mxfix")
# preset -> (QEMU user-mode architecture, -cpu or None, size target in bytes);
# the CPUs and limits are the boards' (MXP_APPLIANCE_QEMU_CPU, _MAX_BYTES)
ARCHES = {
    "linux-aarch64": ("aarch64", None, 1 << 20),
    "linux-armhf": ("arm", None, 1 << 20),
    "linux-mipsel": ("mipsel", None, 1 << 20),
    "linux-mipsel-24kc": ("mipsel", "24Kc", 512 << 10),
    "linux-mips-24kc": ("mips", "24Kc", 512 << 10),
    "linux-armv5": ("arm", "arm926", 512 << 10),
}
RSS_TARGET_KIB = 8 << 10       # KiB


def measured(cmd, timeout=600):
    """(wall seconds, peak RSS KiB, exit code, stdout) of cmd, RSS from
    /usr/bin/time, which forks it from a small process of its own."""
    with tempfile.NamedTemporaryFile("r") as rss_file:
        t0 = time.monotonic()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file.name, *cmd],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              timeout=timeout)
        wall = time.monotonic() - t0
        rss = int(rss_file.read().strip().splitlines()[-1])
    return wall, rss, proc.returncode, proc.stdout.decode("utf-8", "replace")


def emulator(arch):
    for name in ("qemu-%s-static" % arch, "qemu-%s" % arch):
        path = shutil.which(name)
        if path:
            return path
    return None


def summary(out):
    try:
        port = json.loads(out)["ports"][0]
    except (ValueError, KeyError, IndexError):
        return "no JSON report"
    ok = [v["version"][4:] for v in port["versions"] if v["status"] == "accepted"]
    acc = sum(1 for v in port["versions"] for s in v["suites"] if s["status"] == "accepted")
    return "TLS %s, %d suites" % (",".join(ok) or "none", acc)


def fixture_running(profile):
    out = subprocess.run([MXFIX, "status", profile], capture_output=True, text=True)
    return out.returncode == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="runs per build (max RSS, median wall)")
    ap.add_argument("--build-dir", default=os.path.join(TOP, "build"))
    ap.add_argument("presets", nargs="*", default=list(ARCHES), metavar="PRESET")
    args = ap.parse_args()
    if not shutil.which("/usr/bin/time"):
        sys.exit("appliance bench: /usr/bin/time is not installed (make deps installs it)")

    started = not fixture_running("modern")
    if started:
        subprocess.run([MXFIX, "start", "modern"], check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run([MXFIX, "ports"], capture_output=True, text=True, check=True).stdout
    port = next(int(l.split()[1]) for l in out.splitlines() if l.split()[:1] == ["modern"])
    probe_args = ["--json", "127.0.0.1:%d" % port]

    rows = []
    try:
        native = os.path.join(args.build_dir, "linux", "mxprobe")
        if os.access(native, os.X_OK):
            runs = [measured([native] + probe_args) for _ in range(args.runs)]
            rows.append(("x86-64 (native, dynamic)", os.path.getsize(native), None, None,
                         max(r[1] for r in runs), None,
                         statistics.median(r[0] for r in runs), summary(runs[-1][3])))
        for preset in args.presets:
            arch, cpu, size_target = ARCHES.get(preset, (None, None, None))
            binary = os.path.join(args.build_dir, preset, "mxprobe")
            qemu = emulator(arch) if arch else None
            if arch is None or not os.access(binary, os.X_OK) or qemu is None:
                why = ("unknown preset" if arch is None else
                       "not built (cmake --preset %s && cmake --build --preset %s)"
                       % (preset, preset) if not os.access(binary, os.X_OK) else
                       "no qemu-%s-static or qemu-%s (apt-get install qemu-user-static)"
                       % (arch, arch))
                rows.append((preset, None, None, None, None, None, None, why))
                continue
            emu = [qemu] + (["-cpu", cpu] if cpu else [])
            idle = max(measured(emu + [binary, "--version"])[1] for _ in range(args.runs))
            runs = [measured(emu + [binary] + probe_args) for _ in range(args.runs)]
            rows.append((preset, os.path.getsize(binary), size_target,
                         " ".join([os.path.basename(qemu)] + emu[1:]),
                         max(r[1] for r in runs), idle,
                         statistics.median(r[0] for r in runs), summary(runs[-1][3])))
    finally:
        if started:
            subprocess.run([MXFIX, "stop", "modern"], stdout=subprocess.DEVNULL)

    print("Linux appliance builds: static, stripped mxprobe; full matrix against the modern "
          "fixture (127.0.0.1:%d), %d run(s) each\n" % (port, args.runs))
    hdr = ("%-24s %10s %-14s %-28s %10s %10s %10s %-22s %6s  %s"
           % ("build", "binary B", "<= target", "run under", "peak RSS", "QEMU idle",
              "run adds", "<= 8 MiB", "wall s", "result"))
    print(hdr)
    print("-" * len(hdr))
    mib = lambda kib: "%.1f MiB" % (kib / 1024.0)  # noqa: E731
    for name, size, size_target, qemu, rss, idle, wall, result in rows:
        if size is None:
            print("%-24s %s" % (name, result))
            continue
        if qemu is None:
            fits, verdict = "-", "yes" if rss <= RSS_TARGET_KIB else "no"
        else:
            fits = ("yes, %d KiB" % (size_target >> 10) if size <= size_target else
                    "NO, +%.1f%%" % (100.0 * (size - size_target) / size_target))
            verdict = "emulator %s, adds %s" % (
                "yes" if rss <= RSS_TARGET_KIB else "no",
                "yes" if rss - idle <= RSS_TARGET_KIB else "no")
        print("%-24s %10d %-14s %-28s %10s %10s %10s %-22s %6.2f  %s" % (
            name, size, fits, qemu or "itself", mib(rss), "-" if idle is None else mib(idle),
            "-" if idle is None else mib(rss - idle), verdict, wall, result))
    print("""
binary: bytes on disk, against 1 MiB (512 KiB for the soft-float routers). peak RSS: of the process /usr/bin/time ran, i.e.
of the emulator, QEMU's own memory included (a router runs the binary without it).
QEMU idle: the same emulator running `mxprobe --version`. run adds: the difference, a
rough estimate of the probe's own peak on a device (QEMU's translations of the code
that ran are in it, the few pages `--version` touches are not). wall: under
emulation on this machine, not a router's speed.""")


if __name__ == "__main__":
    main()
