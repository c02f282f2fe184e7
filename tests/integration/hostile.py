#!/usr/bin/python3
"""Scripted hostile SMTP servers for mxprobe's integration tests.

    hostile.py PROFILE PORT [--host 127.0.0.1] [--state DIR]

Runs in the foreground until SIGTERM/SIGINT; mxfix starts and stops it.
--state is only a marker on the command line, so that mxfix can tell its
own processes from anyone else's before it signals a pid.

Profiles:
  drop     220 banner, EHLO offers STARTTLS, STARTTLS -> 220, reads the
           ClientHello record, then closes with a FIN.
  busy     "421 4.7.0 mx.busy.test Too many connections, try again later"
           at the banner, then FIN.
  stall    like drop, but never answers the ClientHello; holds the
           connection until the client gives up.
  reset    like drop, but closes with an RST (SO_LINGER 0) as soon as the
           first ClientHello bytes arrive.  Waiting for them keeps the
           outcome deterministic: an RST racing the 220 reply could destroy
           the 220 in the client's receive queue.
  garbage  hostile replies: a banner of 100 continuation lines, an EHLO
           reply holding a 5000-byte line and a line of binary bytes, and
           binary bytes in reply to STARTTLS.
"""

import argparse
import signal
import socket
import socketserver
import struct
import sys
import time

LINE_MAX = 4096           # longest client command line we accept
READ_TIMEOUT = 30.0       # idle SMTP client
HELLO_TIMEOUT = 10.0      # waiting for the ClientHello
STALL_MAX = 600.0         # stall never holds a connection longer than this


def log(msg):
    sys.stdout.write("%s %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stdout.flush()


class Conn:
    """Line-oriented reader over a socket with a bounded line length."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(data)

    def readline(self, timeout=READ_TIMEOUT):
        self.sock.settimeout(timeout)
        while b"\n" not in self.buf:
            if len(self.buf) > LINE_MAX:
                return None
            chunk = self.sock.recv(4096)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.rstrip(b"\r").decode("latin-1")

    def read_exact(self, n, timeout):
        deadline = time.monotonic() + timeout
        while len(self.buf) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            chunk = self.sock.recv(4096)
            if not chunk:
                return None
            self.buf += chunk
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def read_client_hello(self):
        """Read one TLS record (the ClientHello); its length or None."""
        hdr = self.read_exact(5, HELLO_TIMEOUT)
        if hdr is None:
            return None
        (length,) = struct.unpack("!H", hdr[3:5])
        body = self.read_exact(min(length, 16384 + 2048), HELLO_TIMEOUT)
        return None if body is None else 5 + len(body)

    def close_fin(self, drain=5.0):
        """Send FIN, then drain until the peer closes, so no RST is sent."""
        try:
            self.sock.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + drain
            while time.monotonic() < deadline:
                self.sock.settimeout(max(0.01, deadline - time.monotonic()))
                if not self.sock.recv(4096):
                    break
        except OSError:
            pass

    def close_rst(self):
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                             struct.pack("ii", 1, 0))
        self.sock.close()


def smtp_dialogue(c, host, ehlo_reply=None):
    """Banner already sent.  Returns True when the client asked STARTTLS
    and was told 220, False when the session ended otherwise."""
    while True:
        line = c.readline()
        if line is None:
            return False
        verb = line.split(" ", 1)[0].upper()
        if verb == "EHLO":
            c.send(ehlo_reply or ("250-%s\r\n250-PIPELINING\r\n"
                                  "250-8BITMIME\r\n250 STARTTLS\r\n" % host))
        elif verb == "HELO":
            c.send("250 %s\r\n" % host)
        elif verb in ("NOOP", "RSET"):
            c.send("250 2.0.0 Ok\r\n")
        elif verb == "QUIT":
            c.send("221 2.0.0 Bye\r\n")
            c.close_fin()
            return False
        elif verb == "STARTTLS":
            c.send("220 2.0.0 Ready to start TLS\r\n")
            return True
        else:
            c.send("502 5.5.2 Error: command not recognized\r\n")


def serve_drop(c, host):
    c.send("220 %s ESMTP hostile fixture\r\n" % host)
    if smtp_dialogue(c, host):
        n = c.read_client_hello()
        log("drop: ClientHello %s bytes, closing" % n)
        c.close_fin()


def serve_busy(c, host):
    c.send("421 4.7.0 %s Too many connections, try again later\r\n" % host)
    c.close_fin()


def serve_stall(c, host):
    c.send("220 %s ESMTP hostile fixture\r\n" % host)
    if smtp_dialogue(c, host):
        n = c.read_client_hello()
        log("stall: ClientHello %s bytes, stalling" % n)
        c.sock.settimeout(STALL_MAX)
        try:
            while c.sock.recv(4096):
                pass
        except OSError:
            pass


def serve_reset(c, host):
    c.send("220 %s ESMTP hostile fixture\r\n" % host)
    if smtp_dialogue(c, host):
        c.read_exact(1, HELLO_TIMEOUT)
        log("reset: first ClientHello byte seen, sending RST")
        c.close_rst()


def serve_garbage(c, host):
    banner = "".join("220-garbage banner continuation line %03d\r\n" % i
                     for i in range(100))
    c.send(banner + "220 %s ESMTP hostile fixture\r\n" % host)
    binary = bytes(b for b in range(256) if b not in (10, 13))
    ehlo = (b"250-" + host.encode() + b"\r\n"
            + b"250-" + b"X" * 5000 + b"\r\n"
            + b"250-" + binary + b"\r\n"
            + b"250 STARTTLS\r\n")
    while True:
        line = c.readline()
        if line is None:
            return
        verb = line.split(" ", 1)[0].upper()
        if verb == "EHLO":
            c.send(ehlo)
        elif verb == "STARTTLS":
            # Neither a reply code nor TLS: binary junk, then FIN.
            c.send(b"2\x00\xff\xfe garbage \x1b[31m\x07\r\n")
            c.close_fin()
            return
        elif verb == "QUIT":
            c.send("221 2.0.0 Bye\r\n")
            c.close_fin()
            return
        else:
            c.send("250 2.0.0 Ok\r\n")


SERVE = {"drop": serve_drop, "busy": serve_busy, "stall": serve_stall,
         "reset": serve_reset, "garbage": serve_garbage}


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = 64


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("profile", choices=sorted(SERVE))
    ap.add_argument("port", type=int)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--state", default="", help="marker for mxfix")
    args = ap.parse_args()
    serve = SERVE[args.profile]
    host = "mx.%s.test" % args.profile

    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            peer = "%s:%d" % self.client_address[:2]
            log("%s: connect from %s" % (args.profile, peer))
            try:
                serve(Conn(self.request), host)
            except OSError as e:
                log("%s: %s: %s" % (args.profile, peer, e))
            log("%s: disconnect %s" % (args.profile, peer))

    srv = Server((args.host, args.port), Handler)

    def stop(signum, frame):
        raise SystemExit(0)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log("%s: listening on %s:%d" % (args.profile, args.host, args.port))
    try:
        srv.serve_forever(poll_interval=0.2)
    finally:
        srv.server_close()
        log("%s: stopped" % args.profile)


if __name__ == "__main__":
    main()
