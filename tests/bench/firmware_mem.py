#!/usr/bin/env python3
"""Firmware memory per board: flash, static RAM, and run-time peaks per TLS
version and server key type.

For each board's image: flash and the RAM split from the `mem` command
(what the linker script reserves: static data with the stack region, and
the heap), then one fresh boot per case, so that each high-water mark
belongs to that case alone: `config versions V; probe 10.0.2.2 PORT; mem`
gives the heap peak (wolfSSL's allocations, the board's arena) and the
stack peak (stack painting) of a full cipher matrix at version V against
  rsa      the modern postfix fixture (RSA-2048; TLS 1.2 and 1.3), the
           legacy one (TLS 1.0), and for TLS 1.1 a local OpenSSL server
           (Python ssl, TLS 1.1 only, RSA-2048, @SECLEVEL=0)
  ecdsa    the ecdsa postfix fixture (P-256; TLS 1.2 and 1.3)
  chain    tests/qemu/mfl_peer.py's servers with a 5 KB certificate chain
           (TLS 1.2, TLS 1.3), whose records honour max_fragment_length
  rsa4096  mfl_peer.py's server with a 4096-bit RSA leaf (TLS 1.2 and 1.3)
  all      every version in one run, RSA and ECDSA fixtures
Figures, not assertions (tests/qemu asserts the 90 % limits). Needs the
fixtures (run it under the fixtures lock) and root.

usage: tests/bench/firmware_mem.py [BOARD...]   (images from build/<board>/)
"""
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(TOP, "tests", "qemu"))
from qemu_console import QemuConsole  # noqa: E402
from mfl_peer import FrontEnd, MflPeer, make_chain  # noqa: E402

MXFIX = os.path.join(TOP, "tests", "integration", "mxfix")
BOARDS = ["mps2-an385", "mps2-an386", "mps2-an505", "lm3s6965evb"]
TLS11_PORT = 10040
# (label, versions, port): one boot each.
CASES = [
    ("rsa TLS 1.0", "1.0", 10026),
    ("rsa TLS 1.1", "1.1", TLS11_PORT),
    ("rsa TLS 1.2", "1.2", 10025),
    ("rsa TLS 1.3", "1.3", 10025),
    ("ecdsa TLS 1.2", "1.2", 10030),
    ("ecdsa TLS 1.3", "1.3", 10030),
    ("chain TLS 1.2", "1.2", MflPeer.port_honour),
    ("chain TLS 1.3", "1.3", MflPeer.port_honour13),
    ("rsa4096 all", None, MflPeer.port_rsa4096),
    ("rsa all", None, 10025),
    ("ecdsa all", None, 10030),
]


def boot(elf, board, commands):
    """The console's text after the commands and the `mem` output."""
    with QemuConsole(elf, board=board, extra_args=["-append", commands + "; mem"]) as con:
        report = con.expect(r"autorun> mem", timeout=300).before
        return report, con.expect(r"mxprobe> ", timeout=20).before


def accepted(report):
    """The versions whose handshake completed, as the text report says."""
    return ",".join(v for v in re.findall(r"TLSv(1\.[0-3])\s+ok\b", report)) or "none"


def figures(mem):
    def num(rx):
        m = re.search(rx, mem)
        return int(m.group(1)) if m else None
    return {"flash": num(r"flash\s+(\d+) of"), "flash_size": num(r"flash\s+\d+ of (\d+)"),
            "ram": num(r"ram\s+(\d+) bytes"), "static": num(r"(\d+) static"),
            "stack_size": num(r"incl\. (\d+) stack"), "heap_size": num(r"(\d+) heap\n"),
            "heap": num(r"heap\s+peak (\d+)"), "stack": num(r"stack\s+peak (\d+)")}


def tls11_server(directory):
    """An SMTP+STARTTLS server on loopback that completes TLS 1.1 only."""
    chain, key, _, _ = make_chain(directory, 0)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with warnings.catch_warnings():  # deprecated, and that is the point
        warnings.simplefilter("ignore", DeprecationWarning)
        ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_1
    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    ctx.load_cert_chain(chain, key)
    return FrontEnd(TLS11_PORT, False, ctx)


def main():
    boards = sys.argv[1:] or BOARDS
    subprocess.run([MXFIX, "start", "modern", "legacy", "ecdsa"], check=True,
                   stdout=subprocess.DEVNULL)
    tmp = tempfile.mkdtemp(prefix="mxp-bench-")
    rows = []
    try:
        with MflPeer():
            tls11 = tls11_server(tmp)
            for board in boards:
                elf = os.path.join(TOP, "build", board, "mxprobe-fw.elf")
                if not os.path.exists(elf):
                    sys.exit(f"firmware_mem: no image at {elf} (cmake --build --preset {board})")
                base = figures(boot(elf, board, "net")[1])
                cases = []
                for label, versions, port in CASES:
                    cmds = (f"config versions {versions}; " if versions else "") + \
                        f"probe 10.0.2.2 {port}"
                    report, mem = boot(elf, board, cmds)
                    cases.append((label, figures(mem), accepted(report)))
                rows.append((board, base, cases))
            tls11.close()
    finally:
        subprocess.run([MXFIX, "stop"], stdout=subprocess.DEVNULL)
        shutil.rmtree(tmp, ignore_errors=True)

    for board, base, cases in rows:
        print(f"{board}: flash {base['flash']} of {base['flash_size']} bytes; RAM {base['ram']} = "
              f"static {base['static']} (incl. stack {base['stack_size']}) + heap "
              f"{base['heap_size']}")
        print(f"  {'case':<15} {'heap peak':>10} {'of heap':>8} {'stack peak':>11} {'of stack':>9}"
              f"  accepted")
        for label, f, ok in cases:
            if f["heap"] is None or f["stack"] is None:
                print(f"  {label:<15} (no figures: the boot did not reach mem)")
                continue
            print(f"  {label:<15} {f['heap']:>10} {100 * f['heap'] / f['heap_size']:>7.0f}% "
                  f"{f['stack']:>11} {100 * f['stack'] / f['stack_size']:>8.0f}%  TLS {ok}")
    print("Each case is one boot: the peaks are that case's alone. Heap = wolfSSL's "
          "allocations in the board's arena, stack = the painted main-stack region.")


if __name__ == "__main__":
    main()
