#!/usr/bin/env python3
"""Firmware memory per board: flash, static RAM, and run-time peaks.

For each board's image: flash and static RAM from the ELF sections (what
--print-memory-usage prints at build time), then a boot under QEMU that runs
the full matrix against the RSA-2048 (modern) and ECDSA fixtures through
10.0.2.2 and reads the `mem` command: wolfSSL heap peak (the _sbrk arena's
high-water mark) and stack peak (stack painting). Prints a table and the
total against the 96 KiB budget. Figures, not assertions.

usage: tests/bench/firmware_mem.py [BOARD...]   (images from build/<board>/)
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(TOP, "tests", "qemu"))
from qemu_console import QemuConsole  # noqa: E402

MXFIX = os.path.join(TOP, "tests", "integration", "mxfix")
BOARDS = ["mps2-an385", "mps2-an386", "mps2-an505"]
FLASH_BUDGET, RAM_BUDGET = 256 * 1024, 96 * 1024


def sections(elf):
    out = subprocess.run(["arm-none-eabi-size", "-A", elf], capture_output=True, text=True,
                         check=True).stdout
    sizes = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].startswith(".") and parts[1].isdigit():
            sizes[parts[0]] = int(parts[1])
    return sizes


def main():
    boards = sys.argv[1:] or BOARDS
    subprocess.run([MXFIX, "start", "modern", "ecdsa"], check=True, stdout=subprocess.DEVNULL)
    rows = []
    try:
        for board in boards:
            elf = os.path.join(TOP, "build", board, "mxprobe-fw.elf")
            if not os.path.exists(elf):
                sys.exit(f"firmware_mem: no image at {elf} (cmake --build --preset {board})")
            sz = sections(elf)
            flash = sum(v for k, v in sz.items() if k in (".vectors", ".isr_vector", ".text",
                                                          ".rodata", ".ARM.exidx", ".data"))
            static = sum(v for k, v in sz.items() if k in (".data", ".bss", ".stack", ".noinit"))
            with QemuConsole(elf, board=board,
                             extra_args=["-append", "probe 10.0.2.2 10025; probe 10.0.2.2 10030; mem"]) as con:
                con.expect(r"autorun> mem", timeout=240)
                mem = con.expect(r"mxprobe> ", timeout=20).before
            heap = int(re.search(r"heap\s+peak (\d+)", mem).group(1))
            stack = int(re.search(r"stack\s+peak (\d+)", mem).group(1))
            ram_static = int(re.search(r"ram\s+\d+ bytes: (\d+) static", mem).group(1))
            rows.append((board, flash, ram_static or static, heap, stack))
    finally:
        subprocess.run([MXFIX, "stop"], stdout=subprocess.DEVNULL)
    print(f"{'board':<12} {'flash':>9} {'static RAM':>11} {'heap peak':>10} {'stack peak':>11} "
          f"{'RAM total':>10}")
    for board, flash, static, heap, stack in rows:
        total = static + heap
        print(f"{board:<12} {flash:>8}B {static:>10}B {heap:>9}B {stack:>10}B {total:>9}B"
              f"   flash {100 * flash / FLASH_BUDGET:.0f}% of 256 KiB, "
              f"RAM {100 * total / RAM_BUDGET:.0f}% of 96 KiB")
    print("static RAM includes the 8 KiB stack region, so the stack peak lies inside it;"
          " RAM total = static + wolfSSL heap peak,\nmeasured over the full matrix of an "
          "RSA-2048 (modern) and an ECDSA P-256 server.")


if __name__ == "__main__":
    main()
