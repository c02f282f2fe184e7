#!/usr/bin/env python3
"""An MX whose TLS server sends records as large as it likes, for the
firmware's max_fragment_length (RFC 6066) tests.

A small SMTP server on loopback (banner, EHLO offering STARTTLS, 220, then
SMTP over TLS until QUIT) whose TLS is OpenSSL's, through Python's ssl module:
TLS 1.2 with a certificate message of about 5 KB (a leaf and three
certificates above it with RSA-4096 keys, like a public CA's chain). Three
ports:

  honour (MflPeer.port_honour)  the ClientHello reaches OpenSSL unchanged: it
                                honours max_fragment_length and fragments its
                                certificate message
  ignore (MflPeer.port_ignore)  the max_fragment_length extension is removed
                                from the ClientHello before OpenSSL reads it,
                                so the server sends the certificate message in
                                one large record, as a server without RFC 6066
                                support does
  honour13 (.port_honour13)     as honour, TLS 1.3 only
  rsa4096 (.port_rsa4096)       TLS 1.2 and 1.3 with a 4096-bit RSA leaf (and one
                                certificate above it), which a 64 KiB board
                                barely has the heap for

The rewritten ClientHello changes the handshake transcript, so a handshake
through the ignore port cannot finish; in TLS 1.2 the large record arrives
before anything depends on the transcript (TLS 1.3 would fail earlier, at
the encrypted extensions), which is why the server speaks TLS 1.2 only.

Each port records, per session, whether the ClientHello asked for a fragment
length (and which) and the largest record its server sent.

usage (standalone, prints what it saw every 5 s):  mfl_peer.py
"""
import os
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time

HOST = "127.0.0.1"
PORT_HONOUR = 10036
PORT_IGNORE = 10037
PORT_HONOUR13 = 10038
PORT_RSA4096 = 10039
STEP_TIMEOUT = 10.0     # seconds for each SMTP line and each relay read
SESSION_TIMEOUT = 30.0  # seconds for a whole relayed TLS session
HOSTNAME = "mx.mfl.test"
CHAIN_EXTRA = 3         # certificates sent above the leaf (the board keeps 4 in all)
LEAF_BITS, CA_BITS = 2048, 4096  # RSA: a certificate message of about 5 KB

EXT_MAX_FRAGMENT_LENGTH = 1


def _read_exact(sock, n, deadline):
    buf = b""
    while len(buf) < n:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("relay: peer too slow")
        sock.settimeout(left)
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("relay: peer closed")
        buf += chunk
    return buf


def strip_extension(record, ext_type):
    """The TLS record holding a ClientHello without extension ext_type, and
    that extension's data (None when the ClientHello had none)."""
    if len(record) < 9 or record[0] != 22 or record[5] != 1:
        return record, None
    body = record[9:]
    i = 2 + 32                          # client_version, random
    i += 1 + body[i]                    # session_id
    i += 2 + struct.unpack("!H", body[i:i + 2])[0]   # cipher_suites
    i += 1 + body[i]                    # compression_methods
    if i + 2 > len(body):
        return record, None
    ext_len = struct.unpack("!H", body[i:i + 2])[0]
    exts, kept, found = body[i + 2:i + 2 + ext_len], b"", None
    j = 0
    while j + 4 <= len(exts):
        t, n = struct.unpack("!HH", exts[j:j + 4])
        if t == ext_type:
            found = exts[j + 4:j + 4 + n]
        else:
            kept += exts[j:j + 4 + n]
        j += 4 + n
    if found is None:
        return record, None
    hello = body[:i] + struct.pack("!H", len(kept)) + kept + body[i + 2 + ext_len:]
    hs = bytes([1]) + struct.pack("!I", len(hello))[1:] + hello
    return record[:3] + struct.pack("!H", len(hs)) + hs, found


class RecordSizes:
    """Follows a TLS byte stream and remembers its largest record."""

    def __init__(self):
        self.hdr, self.left, self.largest = b"", 0, 0

    def feed(self, data):
        i = 0
        while i < len(data):
            if self.left:
                k = min(self.left, len(data) - i)
                self.left -= k
                i += k
                continue
            need = 5 - len(self.hdr)
            self.hdr += data[i:i + need]
            i += need
            if len(self.hdr) == 5:
                self.left = struct.unpack("!H", self.hdr[3:5])[0]
                self.largest = max(self.largest, self.left)
                self.hdr = b""


class TlsStream:
    """Server-side TLS over a connected socket through memory BIOs, so the
    first record (the ClientHello) can be rewritten before OpenSSL reads it."""

    def __init__(self, ctx, conn, first_record, sizes, deadline):
        self.conn, self.sizes, self.deadline = conn, sizes, deadline
        self.inc, self.out = ssl.MemoryBIO(), ssl.MemoryBIO()
        self.obj = ctx.wrap_bio(self.inc, self.out, server_side=True)
        self.inc.write(first_record)

    def _flush(self):
        data = self.out.read()
        if data:
            self.sizes.feed(data)
            self.conn.sendall(data)

    def _fill(self):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("mfl_peer: session deadline")
        self.conn.settimeout(min(left, STEP_TIMEOUT))
        data = self.conn.recv(16384)
        if not data:
            raise ConnectionError("mfl_peer: client closed")
        self.inc.write(data)

    def _run(self, op, *args):
        while True:
            try:
                r = op(*args)
                self._flush()
                return r
            except ssl.SSLWantReadError:
                self._flush()
                self._fill()
            except ssl.SSLError:
                self._flush()   # the alert OpenSSL wrote, as a server on a socket sends it
                raise

    def handshake(self):
        self._run(self.obj.do_handshake)

    def readline(self, limit=1024):
        line = b""
        while not line.endswith(b"\n") and len(line) < limit:
            line += self._run(self.obj.read, 1)
        return line

    def send(self, data):
        self._run(self.obj.write, data)


class FrontEnd:
    def __init__(self, port, strip, ctx):
        self.port, self.strip, self.ctx = port, strip, ctx
        self.lock = threading.Lock()
        # One entry per TLS session: (the ClientHello's max_fragment_length
        # code or None, the largest record the server sent in it).
        self.sessions = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((HOST, port))
        self.sock.listen(8)
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self):
        self.sock.close()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            with conn:
                self._smtp(conn)
        except (OSError, ValueError, IndexError, struct.error, ssl.SSLError):
            pass

    def _smtp(self, conn):
        conn.settimeout(STEP_TIMEOUT)
        conn.sendall(b"220 %s ESMTP\r\n" % HOSTNAME.encode())
        f = conn.makefile("rb", buffering=0)
        while True:
            line = f.readline(1024)
            if not line:
                return
            verb = line.strip().split(b" ")[0].upper()
            if verb in (b"EHLO", b"HELO"):
                conn.sendall(b"250-%s\r\n250-PIPELINING\r\n250 STARTTLS\r\n" % HOSTNAME.encode())
            elif verb == b"STARTTLS":
                conn.sendall(b"220 2.0.0 Ready to start TLS\r\n")
                self._tls(conn)
                return
            elif verb == b"QUIT":
                conn.sendall(b"221 2.0.0 Bye\r\n")
                return
            else:
                conn.sendall(b"502 5.5.2 Error: command not recognized\r\n")

    def _tls(self, conn):
        deadline = time.monotonic() + SESSION_TIMEOUT
        head = _read_exact(conn, 5, deadline)
        record = head + _read_exact(conn, struct.unpack("!H", head[3:5])[0], deadline)
        stripped, asked = strip_extension(record, EXT_MAX_FRAGMENT_LENGTH)
        asked = asked[0] if asked else None
        sizes = RecordSizes()
        tls = TlsStream(self.ctx, conn, stripped if self.strip else record, sizes, deadline)
        try:
            tls.handshake()
            while True:     # SMTP over TLS: the probe says EHLO or QUIT
                verb = tls.readline().strip().split(b" ")[0].upper()
                if verb == b"QUIT" or not verb:
                    tls.send(b"221 2.0.0 Bye\r\n")
                    return
                if verb in (b"EHLO", b"HELO"):
                    tls.send(b"250-%s\r\n250 PIPELINING\r\n" % HOSTNAME.encode())
                else:
                    tls.send(b"502 5.5.2 Error: command not recognized\r\n")
        finally:
            with self.lock:
                self.sessions.append((asked, sizes.largest))

    def asked(self):
        """The fragment-length codes the ClientHellos asked for (None: none)."""
        with self.lock:
            return [a for a, _ in self.sessions]

    def largest_record(self, asked):
        """The largest record sent in the sessions whose ClientHello asked for
        this code (None: asked for none)."""
        with self.lock:
            return max((n for a, n in self.sessions if a == asked), default=0)


def make_chain(directory, extra, leaf_bits=None):
    """A leaf for HOSTNAME and `extra` certificates above it, like a public
    CA's chain (their signatures are never checked: the probe uses
    VERIFY_NONE), in directory. Returns (chain PEM, leaf key, certificates,
    bytes of the TLS certificate message)."""
    certs = []
    for n in range(1 + extra):
        k, c = (os.path.join(directory, "c%d-%d-%s.%s" % (extra, n, leaf_bits, e))
                for e in ("key", "pem"))
        subj = "/CN=" + HOSTNAME if n == 0 else \
            "/C=XX/O=mxprobe test CA number %d/OU=max_fragment_length/CN=MFL Test CA %d" % (n, n)
        ext = ["-addext", "subjectAltName=DNS:%s,DNS:mail.mfl.test" % HOSTNAME] if n == 0 else []
        subprocess.run(["openssl", "req", "-x509", "-newkey",
                        "rsa:%d" % ((leaf_bits or LEAF_BITS) if n == 0 else CA_BITS), "-nodes",
                        "-sha256",
                        "-days", "2", "-keyout", k, "-out", c, "-subj", subj] + ext,
                       check=True, capture_output=True, timeout=60)
        certs.append((k, c))
    chain = os.path.join(directory, "chain%d-%s.pem" % (extra, leaf_bits))
    with open(chain, "w") as out:
        out.write("".join(open(c).read() for _, c in certs))
    message = sum(len(ssl.PEM_cert_to_DER_cert(open(c).read())) + 3 for _, c in certs) + 3
    return chain, certs[0][0], len(certs), message


class MflPeer:
    """Start with `with MflPeer() as peer:`; everything stops at the end."""

    port_honour, port_ignore, port_honour13 = PORT_HONOUR, PORT_IGNORE, PORT_HONOUR13
    port_rsa4096 = PORT_RSA4096

    def __enter__(self):
        if shutil.which("openssl") is None:
            raise RuntimeError("openssl not found (Debian: apt-get install openssl)")
        self.dir = tempfile.mkdtemp(prefix="mxp-mfl-")
        chain, key, self.chain_length, self.cert_message = make_chain(self.dir, CHAIN_EXTRA)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(chain, key)
        self.honour = FrontEnd(PORT_HONOUR, False, ctx)
        self.ignore = FrontEnd(PORT_IGNORE, True, ctx)
        ctx13 = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx13.minimum_version = ssl.TLSVersion.TLSv1_3
        ctx13.load_cert_chain(chain, key)
        self.honour13 = FrontEnd(PORT_HONOUR13, False, ctx13)
        chain4k, key4k, _, _ = make_chain(self.dir, 1, leaf_bits=4096)
        ctx4k = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx4k.load_cert_chain(chain4k, key4k)
        self.rsa4096 = FrontEnd(PORT_RSA4096, False, ctx4k)
        return self

    def __exit__(self, *exc):
        for fe in (getattr(self, n, None) for n in ("honour", "ignore", "honour13", "rsa4096")):
            if fe is not None:
                fe.close()
        shutil.rmtree(self.dir, ignore_errors=True)
        return False


if __name__ == "__main__":
    with MflPeer() as peer:
        print("honour %d, ignore %d, honour13 %d; certificate message %d bytes; Ctrl-C ends"
              % (PORT_HONOUR, PORT_IGNORE, PORT_HONOUR13, peer.cert_message), flush=True)
        try:
            while True:
                time.sleep(5)
                for name, fe in (("honour", peer.honour), ("ignore", peer.ignore),
                                 ("honour13", peer.honour13)):
                    print("%s: sessions (max_fragment_length asked, largest record): %s"
                          % (name, fe.sessions), flush=True)
        except KeyboardInterrupt:
            sys.exit(0)
