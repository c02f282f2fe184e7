#!/usr/bin/python3
"""Is an appliance build's mxprobe what its router needs?

    check_appliance.py [--emulator CMD] [--max-bytes N] [--float soft|any]
                       [--readelf READELF] BINARY

Checks BINARY, one static mxprobe for a Linux router (the linux-<arch>
boards), without running a probe:
  - an ELF executable with no program interpreter and no dynamic section
    (static: it needs nothing from the router's own libraries);
  - stripped (no .symtab);
  - at most --max-bytes bytes on disk;
  - --float soft: soft-float throughout, from `readelf -A`:
      MIPS: "FP ABI: Soft float" in the ABI flags and the GNU attribute
            Tag_GNU_MIPS_ABI_FP soft float, nothing hard-float, ISA MIPS32r2;
      Arm:  no Tag_FP_arch, Tag_ABI_VFP_args or Tag_Advanced_SIMD_arch (no
            VFP or NEON was allowed in any object) and an ARMv4T/ARMv5
            Tag_CPU_arch;
  - `BINARY --version` runs under --emulator (QEMU user mode with the
    board's CPU: for the routers one without an FPU, where a single FPU
    instruction on the start-up path is a SIGILL) and prints its version.
A static, size or float regression of any router build fails `make test`.
Exit 0 all good, 1 a check failed, 2 cannot check.
"""

import argparse
import os
import shlex
import shutil
import struct
import subprocess
import sys

PT_DYNAMIC, PT_INTERP = 2, 3
SHT_SYMTAB = 2
EM_ARM, EM_MIPS = 40, 8


def elf_facts(path):
    """(machine, big-endian, program header types, section types) or None."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF":
        return None
    wide, big = data[4] == 2, data[5] == 2
    e = ">" if big else "<"
    if wide:
        etype, machine = struct.unpack_from(e + "HH", data, 16)
        phoff, shoff = struct.unpack_from(e + "QQ", data, 32)
        phentsize, phnum, shentsize, shnum = struct.unpack_from(e + "HHHH", data, 54)
    else:
        etype, machine = struct.unpack_from(e + "HH", data, 16)
        phoff, shoff = struct.unpack_from(e + "II", data, 28)
        phentsize, phnum, shentsize, shnum = struct.unpack_from(e + "HHHH", data, 42)
    phdrs = [struct.unpack_from(e + "I", data, phoff + i * phentsize)[0] for i in range(phnum)]
    shdrs = [struct.unpack_from(e + "I", data, shoff + i * shentsize + 4)[0]
             for i in range(shnum)]
    return {"type": etype, "machine": machine, "big": big, "phdrs": phdrs, "shdrs": shdrs}


def float_problems(readelf, machine, path):
    """Reasons BINARY is not soft-float throughout (empty when it is)."""
    out = subprocess.run([readelf, "-A", path], capture_output=True, text=True,
                         timeout=60).stdout
    lines = [l.strip() for l in out.splitlines()]
    bad = []
    if machine == EM_MIPS:
        fp_abi = [l for l in lines if l.startswith("FP ABI:")]
        gnu_fp = [l for l in lines if l.startswith("Tag_GNU_MIPS_ABI_FP:")]
        if fp_abi != ["FP ABI: Soft float"]:
            bad.append("MIPS ABI flags say %s, not 'FP ABI: Soft float'" % (fp_abi or "nothing"))
        if gnu_fp != ["Tag_GNU_MIPS_ABI_FP: Soft float"]:
            bad.append("GNU attributes say %s, not soft float" % (gnu_fp or "nothing"))
        if "ISA: MIPS32r2" not in lines:
            bad.append("ISA is not MIPS32r2: %s" % [l for l in lines if l.startswith("ISA")])
    elif machine == EM_ARM:
        for tag in ("Tag_FP_arch", "Tag_ABI_VFP_args", "Tag_Advanced_SIMD_arch"):
            found = [l for l in lines if l.startswith(tag + ":")]
            if found:
                bad.append("%s present (%s): some object may use VFP/NEON" % (tag, found[0]))
        arch = [l for l in lines if l.startswith("Tag_CPU_arch:")]
        if len(arch) != 1 or arch[0].split(":", 1)[1].strip() not in ("v4T", "v5T", "v5TE",
                                                                       "v5TEJ"):
            bad.append("Tag_CPU_arch is %s, not ARMv4T/ARMv5" % (arch or "missing"))
    else:
        bad.append("--float soft is only known for MIPS and Arm (e_machine %d)" % machine)
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("binary")
    ap.add_argument("--emulator", default="", help="run BINARY under this command")
    ap.add_argument("--max-bytes", type=int, default=1 << 20)
    ap.add_argument("--float", choices=("soft", "any"), default="any")
    ap.add_argument("--readelf", default="readelf")
    args = ap.parse_args()

    if not os.access(args.binary, os.X_OK):
        print("ERROR: %s is not an executable (build the preset first)" % args.binary)
        return 2
    if args.float == "soft" and not shutil.which(args.readelf):
        print("ERROR: no %s (binutils)" % args.readelf)
        return 2
    facts = elf_facts(args.binary)
    if facts is None:
        print("FAIL %s: not an ELF file" % args.binary)
        return 1

    failures = []
    size = os.path.getsize(args.binary)
    print("%s: %d bytes, e_machine %d, %s-endian" % (
        args.binary, size, facts["machine"], "big" if facts["big"] else "little"))
    if facts["type"] != 2:  # ET_EXEC: static and position-dependent
        failures.append("ELF type %d, not a position-dependent executable (ET_EXEC)"
                        % facts["type"])
    if PT_INTERP in facts["phdrs"] or PT_DYNAMIC in facts["phdrs"]:
        failures.append("dynamically linked (PT_INTERP/PT_DYNAMIC): not static")
    if SHT_SYMTAB in facts["shdrs"]:
        failures.append("not stripped (.symtab present)")
    if size > args.max_bytes:
        failures.append("%d bytes, over the %d-byte limit by %d" % (
            size, args.max_bytes, size - args.max_bytes))
    if args.float == "soft":
        failures += float_problems(args.readelf, facts["machine"], args.binary)

    cmd = shlex.split(args.emulator) + [args.binary, "--version"]
    print("$ " + " ".join(shlex.quote(c) for c in cmd))
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           timeout=60)
        print("  " + (r.stdout.strip() or r.stderr.strip()))
        if r.returncode != 0 or not r.stdout.startswith("mxprobe "):
            failures.append("--version exited %d%s" % (
                r.returncode, " (SIGILL: an instruction this CPU lacks)"
                if r.returncode in (-4, 132) else ""))
    except subprocess.TimeoutExpired:
        failures.append("--version still running after 60 s")

    for f in failures:
        print("FAIL: " + f)
    if failures:
        return 1
    print("PASS: static, stripped, %d <= %d bytes%s, runs" % (
        size, args.max_bytes, ", soft-float throughout" if args.float == "soft" else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
