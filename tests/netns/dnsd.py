#!/usr/bin/python3
"""dnsd: the netns testbed's DNS server (UDP and TCP), honest and hostile.

    dnsd.py --addr 198.18.0.53 [--port 53] [--state DIR]

Serves the zone example.test. and its reverse zones from the table ZONE
below.  A name's first label selects a hostile behaviour (HOSTILE), the
same for every query type: a DNS client under test asks for
`loop.example.test` (A, MX, ...) and gets a compression-pointer loop.
The honest answers are built with dnslib; the hostile ones byte by byte,
so the defect sits exactly where the self-test (testbed.py dns-check)
expects it.  Started and stopped by testbed.py in the router namespace;
logs one line per query on stdout.  Needs python3-dnslib.
"""

import argparse
import os
import signal
import socket
import struct
import sys
import threading
import time

from dnslib import (A, CLASS, DNSRecord, MX, NS, PTR, QTYPE,
                    RCODE, RR, SOA)

TTL = 300
ZONE_APEX = "example.test."
MX1_ADDR = "198.18.3.25"       # mx.example.test: postfix in mxpt-mx
MX2_ADDR = "198.18.3.26"       # mx2.example.test: same postfix, bad PTR
DNS_ADDR = "198.18.0.53"       # ns.example.test: this server

# (owner, type) -> list of rdata.  Wire order is the list order: MX 20 comes
# before MX 10 on purpose, so a client must sort by preference itself.
ZONE = {
    ("example.test.", "MX"): [MX("mx2.example.test.", 20),
                              MX("mx.example.test.", 10)],
    ("example.test.", "NS"): [NS("ns.example.test.")],
    ("mx.example.test.", "A"): [A(MX1_ADDR)],
    ("mx2.example.test.", "A"): [A(MX2_ADDR)],
    ("ns.example.test.", "A"): [A(DNS_ADDR)],
    # An MX whose exchanger's A lookup is hostile: the MX answer itself is
    # clean, the failure comes one step later.
    ("loopmx.example.test.", "MX"): [MX("loop.example.test.", 10)],
    # One good exchanger between two whose A answers are hostile (wire order
    # unsorted again): the good one is probed, the others reported.
    ("mixmx.example.test.", "MX"): [MX("mx.example.test.", 10),
                                    MX("fwdptr.example.test.", 20),
                                    MX("loop.example.test.", 5)],
    # RFC 7505 null MX: "this domain accepts no mail".
    ("nullmx.example.test.", "MX"): [MX(".", 0)],
    # FCrDNS: .25 round-trips; .26 names a host that has no address.
    ("25.3.18.198.in-addr.arpa.", "PTR"): [PTR("mx.example.test.")],
    ("26.3.18.198.in-addr.arpa.", "PTR"): [PTR("other.example.test.")],
    ("53.0.18.198.in-addr.arpa.", "PTR"): [PTR("ns.example.test.")],
}
# Zones this server is authoritative for; other names get REFUSED.
AUTH_ZONES = {
    "example.test.": SOA("ns.example.test.", "hostmaster.example.test.",
                         (1, 3600, 600, 86400, TTL)),
    "3.18.198.in-addr.arpa.": SOA("ns.example.test.",
                                  "hostmaster.example.test.",
                                  (1, 3600, 600, 86400, TTL)),
    "0.18.198.in-addr.arpa.": SOA("ns.example.test.",
                                  "hostmaster.example.test.",
                                  (1, 3600, 600, 86400, TTL)),
}

# First label -> behaviour.  RFC 9267 lists the parser mistakes these
# provoke; testbed.py dns-check proves each reply has its defect.
HOSTILE = {
    "loop": "answer NAME is a compression pointer to itself",
    "fwdptr": "answer NAME is a compression pointer beyond the message end",
    "longname": "answer NAME is 5 labels of 63 octets (320 > 255)",
    "rdlen": "answer RDLENGTH is 256 while 4 octets follow",
    "count": "ANCOUNT is 3, one answer follows",
    "tc": "UDP: TC set, no answer; TCP: the full answer (MX/A of mx)",
    "timeout": "no reply at all (UDP dropped, TCP held open silently)",
    "nxdomain": "NXDOMAIN with the SOA (as every unknown name in the zone)",
}

FLAG_QR, FLAG_AA, FLAG_TC, FLAG_RD, FLAG_RA = 0x8000, 0x0400, 0x0200, \
    0x0100, 0x0080
T_A, T_MX, C_IN = 1, 15, 1


def log(msg):
    print("%s dnsd: %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


def auth_zone(name):
    name = name.lower()
    for zone in AUTH_ZONES:
        if name == zone or name.endswith("." + zone):
            return zone
    return None


def raw_question(query):
    """The question section exactly as the query sent it (queries carry no
    compression), and its end offset."""
    off = 12
    while query[off] != 0:
        off += 1 + query[off]
    return query[12:off + 5], off + 5


def raw_header(qid, rd, flags, qd, an, ns=0, ar=0):
    return struct.pack("!6H", qid, FLAG_QR | FLAG_AA | FLAG_RA | rd | flags,
                       qd, an, ns, ar)


def raw_rr(name, rtype, rdata, rdlength=None):
    return name + struct.pack("!HHIH", rtype, C_IN, TTL,
                              len(rdata) if rdlength is None else rdlength) \
        + rdata


def hostile_rdata(qtype):
    """(type, rdata) of the answer a hostile name carries: the MX of
    mx.example.test for MX queries, else the A record of mx.example.test."""
    if qtype == T_MX:
        name = b"".join(bytes([len(x)]) + x for x in
                        (b"mx", b"example", b"test")) + b"\0"
        return T_MX, struct.pack("!H", 10) + name
    return T_A, socket.inet_aton(MX1_ADDR)


def hostile_reply(kind, query, qtype):
    qid, qflags = struct.unpack("!HH", query[:4])
    rd = qflags & FLAG_RD
    question, qend = raw_question(query)
    rtype, rdata = hostile_rdata(qtype)
    ptr_q = b"\xc0\x0c"                            # the question's name
    if kind == "loop":
        here = qend                                # the answer starts here
        name = bytes([0xC0 | (here >> 8), here & 0xFF])
        return raw_header(qid, rd, 0, 1, 1) + question + \
            raw_rr(name, rtype, rdata)
    if kind == "fwdptr":
        total = qend + 2 + 10 + len(rdata)
        target = total + 100                       # past the end
        name = bytes([0xC0 | (target >> 8), target & 0xFF])
        return raw_header(qid, rd, 0, 1, 1) + question + \
            raw_rr(name, rtype, rdata)
    if kind == "longname":
        name = (b"\x3f" + b"a" * 63) * 5 + b"\0"
        return raw_header(qid, rd, 0, 1, 1) + question + \
            raw_rr(name, rtype, rdata)
    if kind == "rdlen":
        return raw_header(qid, rd, 0, 1, 1) + question + \
            raw_rr(ptr_q, T_A, socket.inet_aton(MX1_ADDR), rdlength=256)
    if kind == "count":
        return raw_header(qid, rd, 0, 1, 3) + question + \
            raw_rr(ptr_q, rtype, rdata)
    if kind == "tc":
        return raw_header(qid, rd, FLAG_TC, 1, 0) + question
    raise ValueError(kind)


def honest_reply(req, qname, qtype):
    reply = req.reply()
    zone = auth_zone(qname)
    if zone is None:
        reply.header.aa = 0
        reply.header.rcode = RCODE.REFUSED
        return reply
    tname = QTYPE.get(qtype, str(qtype))
    key = qname.lower()
    rdatas = ZONE.get((key, tname))
    if rdatas:
        for rd in rdatas:
            reply.add_answer(RR(qname, qtype, CLASS.IN, TTL, rd))
            if tname == "MX":        # glue for in-zone exchangers
                for g in ZONE.get((str(rd.label).lower(), "A"), []):
                    reply.add_ar(RR(str(rd.label), QTYPE.A, CLASS.IN, TTL, g))
        return reply
    exists = key in AUTH_ZONES or any(k[0] == key for k in ZONE)
    if not exists:
        reply.header.rcode = RCODE.NXDOMAIN
    reply.add_auth(RR(zone, QTYPE.SOA, CLASS.IN, TTL, AUTH_ZONES[zone]))
    return reply


def answer(query, transport):
    """Bytes to send back, or None for silence."""
    try:
        req = DNSRecord.parse(query)
        qname = str(req.q.qname)
        qtype = req.q.qtype
    except Exception as e:            # not DNS: stay silent
        log("%s: unparsable query (%s)" % (transport, e))
        return None
    first = qname.lower().split(".")[0]
    kind = first if first in HOSTILE and qname.lower().endswith(
        "." + ZONE_APEX) else None
    log("%s %s %s%s" % (transport, qname, QTYPE.get(qtype, qtype),
                        " [%s]" % kind if kind else ""))
    if kind == "timeout":
        return None
    if kind == "tc" and transport == "tcp":
        # The full answer, owned by the asked name: the MX set of
        # example.test for MX queries, else mx.example.test's address.
        reply = req.reply()
        if qtype == T_MX:
            for rd in ZONE[("example.test.", "MX")]:
                reply.add_answer(RR(qname, QTYPE.MX, CLASS.IN, TTL, rd))
        else:
            reply.add_answer(RR(qname, QTYPE.A, CLASS.IN, TTL, A(MX1_ADDR)))
        return reply.pack()
    if kind in ("nxdomain", None):
        return honest_reply(req, qname, qtype).pack()
    return hostile_reply(kind, query, qtype)


def serve_udp(sock):
    while True:
        data, peer = sock.recvfrom(4096)
        out = answer(data, "udp")
        if out is not None:
            sock.sendto(out, peer)


def recv_exact(conn, n):
    buf = b""
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def serve_tcp_conn(conn):
    with conn:
        conn.settimeout(30)
        try:
            while True:
                head = recv_exact(conn, 2)
                if head is None:
                    return
                query = recv_exact(conn, struct.unpack("!H", head)[0])
                if query is None:
                    return
                out = answer(query, "tcp")
                if out is None:        # timeout: hold the line, say nothing
                    conn.recv(1)
                    return
                conn.sendall(struct.pack("!H", len(out)) + out)
        except OSError:
            return


def serve_tcp(sock):
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=serve_tcp_conn, args=(conn,),
                         daemon=True).start()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--addr", required=True)
    ap.add_argument("--port", type=int, default=53)
    ap.add_argument("--state", help="testbed state directory (marks the "
                    "process as the testbed's for its cleanup)")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind((args.addr, args.port))
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind((args.addr, args.port))
    tcp.listen(16)
    log("serving %s on %s:%d udp+tcp; hostile: %s"
        % (ZONE_APEX, args.addr, args.port, " ".join(HOSTILE)))
    threading.Thread(target=serve_tcp, args=(tcp,), daemon=True).start()
    serve_udp(udp)


if __name__ == "__main__":
    sys.exit(main())
