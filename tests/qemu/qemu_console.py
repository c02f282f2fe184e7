#!/usr/bin/env python3
"""Boot a firmware image under qemu-system-arm and talk to its serial console.

A reusable module (stdlib only) for the QEMU tests and for driving the
firmware shell from scripts:

    from qemu_console import QemuConsole

    with QemuConsole("build/mps2-an385/mxprobe-fw.elf", board="mps2-an385") as q:
        q.expect(r"mxprobe> ", timeout=10)
        q.sendline("probe 10.0.2.2 10025")
        report = q.expect(r"mxprobe> ", timeout=300).before
    # QEMU is always killed when the block ends.

The console is QEMU's stdio (-nographic): bytes typed go to UART0, what the
firmware writes comes back. Output is decoded leniently, CR LF becomes LF and
terminal escape sequences (progress lines) are removed before matching.

Networking is QEMU user mode with the board's Ethernet model (LAN9118 on the
mps2 boards, the Stellaris MAC on lm3s6965evb): the guest gets 10.0.2.15 by
DHCP and reaches the host's loopback as 10.0.2.2.

Command line (runs the steps in order, prints the console, exit status 0 on
success, 1 on a timeout, 2 on bad usage):

    qemu_console.py --board mps2-an385 --elf fw.elf \\
        --expect 'echo> ' --send 'net' --expect 'echo> ' [--timeout 30] [--log FILE]
"""

import argparse
import codecs
import os
import re
import shutil
import subprocess
import sys
import threading
import time

# Board name (board/<name>/) -> qemu-system-arm machine.
BOARD_MACHINES = {
    "mps2-an385": "mps2-an385",
    "mps2-an386": "mps2-an386",
    "mps2-an505": "mps2-an505",
    "lm3s6965evb": "lm3s6965evb",
}
# Machine -> the model of its on-board Ethernet controller (-nic user,model=).
MACHINE_NICS = {
    "mps2-an385": "lan9118",
    "mps2-an386": "lan9118",
    "mps2-an505": "lan9118",
    "lm3s6965evb": "stellaris",
}

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_ANSI_PARTIAL = re.compile(r"\x1b(\[[0-9;?]*)?")


class QemuError(Exception):
    """QEMU could not start, or exited while output was awaited."""


class QemuTimeout(QemuError):
    """The awaited output did not appear in time."""


class ExpectResult:
    """What expect() found: the match, the text before it, and both together."""

    def __init__(self, before, match):
        self.before = before
        self.match = match
        self.text = before + match.group(0)

    def group(self, *args):
        return self.match.group(*args)


def machine_for(board):
    try:
        return BOARD_MACHINES[board]
    except KeyError:
        raise QemuError("unknown board %r (known: %s)" % (board, ", ".join(sorted(BOARD_MACHINES))))


class QemuConsole:
    """One QEMU run. Start it with start() or a `with` block."""

    def __init__(self, elf, board="mps2-an385", machine=None, qemu=None, nic=True,
                 semihosting=True, extra_args=(), log=None, echo=False):
        self.elf = elf
        self.machine = machine or machine_for(board)
        self.qemu = qemu or os.environ.get("MXP_QEMU", "qemu-system-arm")
        self.nic = nic
        self.semihosting = semihosting
        self.extra_args = list(extra_args)
        self.log_path = log
        self.echo = echo  # copy console output to stdout as it arrives
        self.proc = None
        self._text = []          # normalised console output, in pieces
        self._hold = ""          # trailing text that may still change (CR, escape)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pos = 0            # start of unmatched text in self.output
        self._cond = threading.Condition()
        self._reader = None
        self._stderr = b""
        self._log = None

    # ---- lifetime ---------------------------------------------------------------
    def command(self):
        cmd = [self.qemu, "-M", self.machine, "-nographic"]
        if self.nic:
            cmd += ["-nic", "user,model=" + MACHINE_NICS.get(self.machine, "lan9118")]
        else:
            cmd += ["-nic", "none"]
        if self.semihosting:
            cmd += ["-semihosting-config", "enable=on,target=native"]
        cmd += self.extra_args
        cmd += ["-kernel", self.elf]
        return cmd

    def start(self):
        if not os.path.exists(self.elf):
            raise QemuError("no firmware image at %s" % self.elf)
        if shutil.which(self.qemu) is None:
            raise QemuError("%s not found (Debian: apt-get install qemu-system-arm)" % self.qemu)
        if self.log_path:
            self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.command(), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     bufsize=0, start_new_session=True)
        self._reader = threading.Thread(target=self._read_stdout, daemon=True)
        self._reader.start()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        return self

    def _read_stdout(self):
        fd = self.proc.stdout.fileno()
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                chunk = b""
            with self._cond:
                self._append(chunk)  # at EOF this flushes what was held back
                self._cond.notify_all()
            if self._log and chunk:
                self._log.write(chunk)
                self._log.flush()
            if self.echo and chunk:
                sys.stdout.write(chunk.decode("utf-8", "replace"))
                sys.stdout.flush()
            if not chunk:
                return

    def _append(self, chunk):
        text = self._hold + self._decoder.decode(chunk, final=not chunk)
        self._hold = ""
        if chunk:
            # Hold back what the next chunk may complete: a CR (of a CR LF)
            # and an unfinished escape sequence.
            esc = text.rfind("\x1b")
            if esc >= 0 and _ANSI_PARTIAL.fullmatch(text, esc):
                text, self._hold = text[:esc], text[esc:]
            elif text.endswith("\r"):
                text, self._hold = text[:-1], "\r"
        text = _ANSI.sub("", text.replace("\r\n", "\n")).replace("\r", "")
        if text:
            self._text.append(text)

    def _read_stderr(self):
        data = self.proc.stderr.read()
        self._stderr = data or b""

    def close(self, timeout=2.0):
        """Stop QEMU (always; it is killed if it does not exit) and return its
        exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            self.proc.terminate()
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._reader:
            self._reader.join(timeout=1.0)
        if self._log:
            self._log.close()
            self._log = None
        return self.proc.returncode

    def wait_exit(self, timeout):
        """Wait for the firmware to end QEMU (semihosting SYS_EXIT); returns
        the exit status. QemuTimeout if it is still running."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise QemuTimeout("QEMU still running after %.1f s\n%s" % (timeout, self._tail()))

    @property
    def returncode(self):
        return None if self.proc is None else self.proc.poll()

    @property
    def stderr(self):
        return self._stderr.decode("utf-8", "replace")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()
        return False

    # ---- console ----------------------------------------------------------------
    @property
    def output(self):
        """Everything printed so far, normalised (LF line ends, no escapes)."""
        with self._cond:
            if len(self._text) > 1:
                self._text[:] = ["".join(self._text)]
            return self._text[0] if self._text else ""

    def send(self, data):
        """Type raw text (str or bytes) on the console."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise QemuError("QEMU is gone (status %s)\n%s" % (self.proc.poll(), self._tail()))

    def sendline(self, line, eol="\r"):
        """Type a line and press Enter (a terminal sends CR)."""
        self.send(line + eol)

    def interrupt(self):
        """Press Ctrl-C."""
        self.send(b"\x03")

    def expect(self, pattern, timeout=10.0):
        """Wait until `pattern` (a regex, str or compiled) appears after the
        previous match; returns an ExpectResult. Raises QemuTimeout, or
        QemuError if QEMU exits first."""
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout
        while True:
            text = self.output
            m = rx.search(text, self._pos)
            if m:
                before = text[self._pos:m.start()]
                self._pos = m.end()
                return ExpectResult(before, m)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise QemuTimeout("no %r within %.1f s\n%s" % (rx.pattern, timeout, self._tail()))
            if self.proc.poll() is not None and not self._reader.is_alive():
                raise QemuError("QEMU exited (status %s) before %r\n%s"
                                % (self.proc.returncode, rx.pattern, self._tail()))
            with self._cond:
                self._cond.wait(timeout=min(remaining, 0.2))

    def command_output(self, line, prompt, timeout=30.0):
        """Type a command, wait for the next prompt, return what it printed
        (without the echoed command line and the prompt)."""
        self.sendline(line)
        text = self.expect(prompt, timeout).before
        first, _, rest = text.partition("\n")
        return rest if line in first else text

    def _tail(self, n=2000):
        out = self.output
        tail = out[-n:]
        err = self.stderr.strip()
        msg = "---- console (last %d of %d chars) ----\n%s\n----" % (len(tail), len(out), tail)
        if err:
            msg += "\n---- qemu stderr ----\n%s\n----" % err[-n:]
        return msg


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--elf", required=True, help="firmware image (ELF)")
    ap.add_argument("--board", default="mps2-an385", choices=sorted(BOARD_MACHINES))
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per --expect")
    ap.add_argument("--log", help="write the raw console transcript here")
    ap.add_argument("--no-nic", action="store_true", help="boot without a network card")
    ap.add_argument("--append", help="semihosting command line: the firmware's autorun commands")
    ap.add_argument("--expect", dest="steps", action="append", type=lambda s: ("expect", s),
                    help="wait for this regex")
    ap.add_argument("--send", dest="steps", action="append", type=lambda s: ("send", s),
                    help="type this line")
    ap.add_argument("--exit-status", type=int,
                    help="finally wait for the firmware to exit QEMU with this status")
    args = ap.parse_args(argv)
    extra = ["-append", args.append] if args.append else []
    q = QemuConsole(args.elf, board=args.board, nic=not args.no_nic, log=args.log, echo=True,
                    extra_args=extra)
    try:
        q.start()
        for kind, value in args.steps or []:
            if kind == "expect":
                q.expect(value, args.timeout)
            else:
                q.sendline(value)
        if args.exit_status is not None:
            status = q.wait_exit(args.timeout)
            if status != args.exit_status:
                print("\nqemu_console: exit status %s, expected %s" % (status, args.exit_status),
                      file=sys.stderr)
                return 1
    except QemuTimeout as e:
        print("\nqemu_console: timeout: %s" % str(e).split("\n")[0], file=sys.stderr)
        return 1
    except QemuError as e:
        print("\nqemu_console: %s" % e, file=sys.stderr)
        return 1
    finally:
        q.close()
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
