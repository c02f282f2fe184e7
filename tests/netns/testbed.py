#!/usr/bin/python3
"""testbed: a network-namespace path for mxprobe's path-diagnostics tests.

    testbed.py up                      create the namespaces, start the MX and DNS
    testbed.py down                    remove what `up` made (this run's testbed)
    testbed.py --cleanup               remove every mxpt-* leftover, whoever made it
    testbed.py status                  what exists now
    testbed.py dns-check               query the DNS server: each hostile reply as designed
    testbed.py variant NAME MXPROBE    apply a variant, run mxprobe, check its verdict
    testbed.py variants [--names]      list the variants

A variant is a path (nftables rules on the router and the gw: filtered or
refused port 25, PMTU black holes, loss) probed at 198.18.3.25, or a DNS
case (MX sorting, FCrDNS, hostile answers, NXDOMAIN, null MX) where
mxprobe runs in MX mode on a name: always inside mxpt-client, whose
resolv.conf names the testbed's DNS server.

Topology (every address inside namespaces this script creates):

  mxpt-client          mxpt-gw                 mxpt-router              mxpt-mx
  eth0 198.18.1.2 -- lan0 198.18.1.1
      MTU 1500        wan0 198.18.2.2 ======= tun0 198.18.2.1
                           MTU 1280 (the "tunnel")   mx0 198.18.3.1 -- eth0 198.18.3.25
                                                     lo  198.18.0.53      198.18.3.26
                                                     (DNS, dnsd.py)    MTU 1500, postfix
                                                                        on 25 and 587

The 1280 hop sits in the middle of the path: the client's and the MX's own
interfaces are 1500, so each side advertises MSS 1460 and the MX sends
full-size segments that only the router's ICMP frag-needed can shrink
(a 1280 link touching the MX would make the MX itself pick MSS 1240 and
no path-MTU discovery would ever happen).  The router (and, for the
two-way black hole, the gw) apply the variants with nftables (table inet
mxpt_variant).

State: $MXP_NETNS_DIR (default /tmp/mxprobe-netns): certs/ (the MX's
RSA-4096 certificate, cached), run/ (postfix config/queue/data/log, DNS
log, owner; removed by down), reports/ (the last report of each variant).
Needs root, iproute2, nftables, postfix, openssl, python3-dnslib.
Exit status: 0 ok, 1 a check failed, 2 usage or environment error,
77 skipped (not root: CTest's SKIP_RETURN_CODE).
"""

import fcntl
import importlib.machinery
import importlib.util
import json
import os
import pwd
import re
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True    # no __pycache__ in the source tree
DNSD = os.path.join(HERE, "dnsd.py")
MXFIX = os.path.join(HERE, "..", "integration", "mxfix")


def _load_mxfix():
    """mxfix's generic helpers (postfix's master.cf service list, process
    and SMTP helpers): the same way of running a private postfix, with
    state kept apart from the loopback fixtures."""
    loader = importlib.machinery.SourceFileLoader("mxfix", MXFIX)
    spec = importlib.util.spec_from_loader("mxfix", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


mxfix = _load_mxfix()

PREFIX = "mxpt-"
NS_CLIENT, NS_GW, NS_ROUTER, NS_MX = (PREFIX + n for n in
                                      ("client", "gw", "router", "mx"))
NAMESPACES = [NS_CLIENT, NS_GW, NS_ROUTER, NS_MX]
CLIENT_ADDR = "198.18.1.2"
MX_ADDR = "198.18.3.25"
MX2_ADDR = "198.18.3.26"
DNS_ADDR = "198.18.0.53"
TUNNEL_MTU = 1280
# (ns_a, if_a, addr_a, ns_b, if_b, addr_b, mtu)
LINKS = [
    (NS_CLIENT, "eth0", "198.18.1.2/24", NS_GW, "lan0", "198.18.1.1/24", 1500),
    (NS_GW, "wan0", "198.18.2.2/24", NS_ROUTER, "tun0", "198.18.2.1/24",
     TUNNEL_MTU),
    (NS_ROUTER, "mx0", "198.18.3.1/24", NS_MX, "eth0", "198.18.3.25/24", 1500),
]
ROUTES = [
    (NS_CLIENT, "default via 198.18.1.1"),
    (NS_GW, "default via 198.18.2.1"),
    (NS_ROUTER, "198.18.1.0/24 via 198.18.2.2"),
    (NS_MX, "default via 198.18.3.1"),
]
FORWARDERS = [NS_GW, NS_ROUTER]
MX_PORTS = (25, 587)
MX_HOSTNAME = "mx.example.test"
# Enough SANs that the certificate alone is ~3.5 KB: the server's flight
# spans three full-size (1448-byte) segments.
MX_SANS = ([MX_HOSTNAME, "mx2.example.test"] +
           ["relay-%02d.outbound-mail-cluster.example.test" % i
            for i in range(1, 41)])
CERT_DAYS = 365
READY_TIMEOUT = 20.0
PROBE_LIMIT_S = 150          # hard wall-clock limit for one mxprobe run
STOP_TIMEOUT = 5.0
EXIT_SKIP = 77


class TestbedError(Exception):
    pass


def say(msg):
    print("testbed: " + msg, flush=True)


def state_dir():
    return os.path.abspath(os.environ.get("MXP_NETNS_DIR")
                           or "/tmp/mxprobe-netns")


def run_dir():
    return os.path.join(state_dir(), "run")


def pf_dir():
    return os.path.join(run_dir(), "postfix")


def report_dir():
    return os.path.join(state_dir(), "reports")


# ---------------------------------------------------------------- commands

def sh(cmd, check=True, input=None):
    """Run a command; return its stdout.  Raise TestbedError with its
    output when check and it fails."""
    r = subprocess.run(cmd, input=input, capture_output=True, text=True,
                       env=mxfix.tool_env())
    if check and r.returncode != 0:
        raise TestbedError("%s failed (exit %d): %s" % (
            " ".join(cmd), r.returncode, (r.stderr or r.stdout).strip()))
    return r.stdout


def tool(name):
    try:
        return mxfix.find_tool(name)
    except mxfix.FixError as e:
        raise TestbedError(str(e))


def ip(*args, check=True):
    return sh([tool("ip")] + list(args), check=check)


def in_ns(ns, *cmd, check=True):
    return sh([tool("ip"), "netns", "exec", ns] + list(cmd), check=check)


def nft(ns, text):
    sh([tool("ip"), "netns", "exec", ns, tool("nft"), "-f", "-"], input=text)


def ns_list():
    out = ip("netns", "list", check=False)
    return [line.split()[0] for line in out.splitlines()
            if line.split() and line.split()[0].startswith(PREFIX)]


def ns_pids(ns):
    out = ip("netns", "pids", ns, check=False)
    return [int(p) for p in out.split() if p.isdigit() and int(p) != os.getpid()]


def require_root():
    if os.geteuid() != 0:
        print("testbed: skipped: needs root (ip netns, postfix's master)",
              flush=True)
        sys.exit(EXIT_SKIP)


def require_tools():
    for name in ("ip", "nft", "postfix", "openssl"):
        tool(name)
    r = subprocess.run([sys.executable, "-c", "import dnslib"],
                       capture_output=True)
    if r.returncode != 0:
        raise TestbedError("python3-dnslib missing for %s (apt-get install "
                           "python3-dnslib)" % sys.executable)


def lock_state():
    os.makedirs(state_dir(), mode=0o755, exist_ok=True)
    fd = os.open(os.path.join(state_dir(), ".lock"), os.O_CREAT | os.O_RDWR,
                 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def on_signal_raise():
    """SIGTERM/SIGHUP (a killed CTest run) unwind through `finally`, so a
    variant's rules and a half-built testbed are removed."""
    def handler(signum, _):
        raise KeyboardInterrupt("signal %d" % signum)
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, handler)


# ---------------------------------------------------------------- owner

def proc_start_time(pid):
    stat = mxfix.proc_read(pid, "stat").decode(errors="replace")
    try:
        return stat[stat.rindex(")") + 2:].split()[19]
    except (ValueError, IndexError):
        return None


def owner_token(pid):
    return "%d %s" % (pid, proc_start_time(pid))


def owner_file():
    return os.path.join(run_dir(), "owner")


def current_owner():
    """(pid, alive) of the process that ran `up` (CTest, or a shell)."""
    try:
        with open(owner_file()) as f:
            token = f.read().strip()
        pid = int(token.split()[0])
    except (OSError, ValueError, IndexError):
        return None, False
    return pid, mxfix.proc_alive(pid) and owner_token(pid) == token


def my_owner():
    return os.getppid()


# ---------------------------------------------------------------- teardown

def kill_pids(pids, why):
    pids = [p for p in pids if mxfix.proc_alive(p)]
    if not pids:
        return []
    mxfix.signal_pids(pids, signal.SIGTERM)
    left = mxfix.wait_dead(pids, STOP_TIMEOUT)
    if left:
        mxfix.signal_pids(left, signal.SIGKILL)
        left = mxfix.wait_dead(left, STOP_TIMEOUT)
    if left:
        raise TestbedError("%s: processes %s survive SIGKILL" % (why, left))
    return pids


def orphan_pids():
    """Our processes outside any mxpt-* namespace file (a namespace deleted
    by hand while they ran): found by their config or command line."""
    marker_env = b"MAIL_CONFIG=" + os.path.join(pf_dir(), "conf").encode()
    in_ours = {p for ns in ns_list() for p in ns_pids(ns)}
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        pid = int(entry)
        if pid in in_ours:
            continue
        env = mxfix.proc_read(pid, "environ").split(b"\0")
        argv = mxfix.proc_read(pid, "cmdline").split(b"\0")
        if marker_env in env or (DNSD.encode() in argv and
                                 state_dir().encode() in argv):
            if mxfix.proc_alive(pid):
                pids.append(pid)
    return pids


def stop_postfix():
    pidfile = os.path.join(pf_dir(), "queue", "pid", "master.pid")
    try:
        with open(pidfile) as f:
            pid = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return
    if mxfix.proc_alive(pid):
        kill_pids([pid], "postfix master")


def teardown(verbose=True):
    """Remove every mxpt-* namespace (its processes first: a namespace
    lives on while a process holds it), orphans, /etc/netns entries and
    run/.  Idempotent; used by down, --cleanup and a failed up."""
    removed = []
    stop_postfix()
    for ns in ns_list():
        killed = kill_pids(ns_pids(ns), ns)
        ip("netns", "del", ns, check=False)
        removed.append(ns + (" (%d processes)" % len(killed) if killed else ""))
    orphans = kill_pids(orphan_pids(), "orphans")
    if orphans:
        removed.append("orphan processes " + " ".join(map(str, orphans)))
    for ns in NAMESPACES:
        d = os.path.join("/etc/netns", ns)
        if os.path.isdir(d):
            shutil.rmtree(d)
            removed.append(d)
    try:
        os.rmdir("/etc/netns")      # only when nobody else uses it
    except OSError:
        pass
    if os.path.isdir(run_dir()):
        shutil.rmtree(run_dir())
    left = ns_list()
    if left:
        raise TestbedError("namespaces survive deletion: " + " ".join(left))
    if verbose:
        say("removed: " + (", ".join(removed) if removed else "nothing"))
    return removed


# ---------------------------------------------------------------- setup

def make_topology():
    for ns in NAMESPACES:
        ip("netns", "add", ns)
        ip("-n", ns, "link", "set", "lo", "up")
    for ns_a, if_a, addr_a, ns_b, if_b, addr_b, mtu in LINKS:
        ip("link", "add", if_a, "netns", ns_a, "type", "veth",
           "peer", "name", if_b, "netns", ns_b)
        for ns, ifname, addr in ((ns_a, if_a, addr_a), (ns_b, if_b, addr_b)):
            ip("-n", ns, "link", "set", ifname, "mtu", str(mtu))
            ip("-n", ns, "addr", "add", addr, "dev", ifname)
            ip("-n", ns, "link", "set", ifname, "up")
    ip("-n", NS_MX, "addr", "add", MX2_ADDR + "/24", "dev", "eth0")
    ip("-n", NS_ROUTER, "addr", "add", DNS_ADDR + "/32", "dev", "lo")
    for ns, route in ROUTES:
        ip("-n", ns, "route", "add", *route.split())
    for ns in FORWARDERS:
        in_ns(ns, "sysctl", "-qw", "net.ipv4.ip_forward=1")
    # Deterministic TCP on the MX: no blackhole probing of its own (the
    # probe must see the stall), no metrics remembered between variants.
    in_ns(NS_MX, "sysctl", "-qw", "net.ipv4.tcp_mtu_probing=0")
    in_ns(NS_MX, "sysctl", "-qw", "net.ipv4.tcp_no_metrics_save=1")
    in_ns(NS_CLIENT, "sysctl", "-qw", "net.ipv4.tcp_no_metrics_save=1")
    # The client's system resolver is the testbed's DNS server: ip netns
    # exec bind-mounts /etc/netns/NAME/resolv.conf over /etc/resolv.conf.
    d = os.path.join("/etc/netns", NS_CLIENT)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "resolv.conf"), "w") as f:
        f.write("# mxprobe netns testbed (tests/netns/testbed.py)\n"
                "nameserver %s\noptions timeout:2 attempts:1\n" % DNS_ADDR)


def cert_paths():
    d = os.path.join(state_dir(), "certs")
    return os.path.join(d, "mx.key"), os.path.join(d, "mx.crt")


def ensure_cert():
    key, crt = cert_paths()
    openssl = tool("openssl")
    os.makedirs(os.path.dirname(key), mode=0o700, exist_ok=True)
    sans = ",".join("DNS:" + s for s in MX_SANS)
    if os.path.exists(key) and os.path.exists(crt):
        r = subprocess.run([openssl, "x509", "-checkend", "86400", "-noout",
                            "-ext", "subjectAltName", "-in", crt],
                           capture_output=True, text=True)
        if r.returncode == 0 and all(s in r.stdout for s in MX_SANS):
            return
    t0 = time.monotonic()
    sh([openssl, "req", "-x509", "-nodes", "-sha256", "-newkey", "rsa:4096",
        "-keyout", key + ".tmp", "-out", crt + ".tmp", "-days",
        str(CERT_DAYS), "-subj", "/CN=" + MX_HOSTNAME, "-addext",
        "subjectAltName=" + sans])
    os.chmod(key + ".tmp", 0o600)
    os.replace(key + ".tmp", key)
    os.replace(crt + ".tmp", crt)
    say("generated RSA-4096 certificate for %s with %d SANs (%.1f s)"
        % (MX_HOSTNAME, len(MX_SANS), time.monotonic() - t0))


def render_postfix():
    d = pf_dir()
    key, crt = cert_paths()
    main = "\n".join([
        "# generated by tests/netns/testbed.py -- rewritten at every up",
        "compatibility_level = 3.6",
        "config_directory = %s/conf" % d,
        "queue_directory = %s/queue" % d,
        "data_directory = %s/data" % d,
        "myhostname = " + MX_HOSTNAME,
        "mydomain = example.test",
        "myorigin = $myhostname",
        "mydestination =",
        "relay_domains =",
        "local_recipient_maps =",
        "alias_maps =",
        "alias_database =",
        "inet_interfaces = all",          # inside mxpt-mx: lo and eth0 only
        "inet_protocols = ipv4",
        "mynetworks = 127.0.0.0/8",
        "maillog_file = %s/log/maillog" % d,
        "maillog_file_prefixes = %s" % d,
        "smtpd_banner = $myhostname ESMTP mxprobe netns testbed",
        "smtpd_peername_lookup = no",
        "smtpd_client_connection_count_limit = 0",
        "smtpd_client_connection_rate_limit = 0",
        "smtpd_error_sleep_time = 0",
        "notify_classes =",
        "default_process_limit = 100",
        "biff = no",
        "smtpd_tls_security_level = may",
        "smtpd_tls_chain_files = %s, %s" % (key, crt),
        "smtpd_tls_loglevel = 1",
        "smtpd_tls_protocols = >=TLSv1.2",
        "smtpd_tls_mandatory_protocols = >=TLSv1.2",
        "smtpd_tls_ciphers = medium",
        "smtpd_tls_mandatory_ciphers = medium",
    ]) + "\n"
    # mxfix's service list with two listeners: 25 and 587 (STARTTLS both).
    master = mxfix.MASTER_CF.format(
        listen="25       ", smtpd_opts="\n587        inet  n       -       "
        "n       -       -       smtpd")
    return main, master


def start_postfix():
    d = pf_dir()
    for sub in ("conf", "queue", "data", "log"):
        os.makedirs(os.path.join(d, sub), mode=0o755, exist_ok=True)
    owner = pwd.getpwnam("postfix")
    os.chown(os.path.join(d, "data"), owner.pw_uid, owner.pw_gid)
    main, master = render_postfix()
    for name, text in (("main.cf", main), ("master.cf", master)):
        with open(os.path.join(d, "conf", name), "w") as f:
            f.write(text)
    r = subprocess.run([tool("ip"), "netns", "exec", NS_MX, tool("postfix"),
                        "-c", os.path.join(d, "conf"), "start"],
                       stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, env=mxfix.tool_env(), timeout=60)
    if r.returncode != 0:
        raise TestbedError("postfix start failed (exit %d):\n%s\n%s" % (
            r.returncode, (r.stdout + r.stderr).strip(), log_tail(
                os.path.join(d, "log", "maillog"))))


def start_dnsd():
    os.makedirs(run_dir(), exist_ok=True)
    log = open(os.path.join(run_dir(), "dnsd.log"), "ab")
    proc = subprocess.Popen(
        [tool("ip"), "netns", "exec", NS_ROUTER, sys.executable, DNSD,
         "--addr", DNS_ADDR, "--port", "53", "--state", state_dir()],
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True, close_fds=True)
    log.close()
    return proc


def log_tail(path, n=15):
    try:
        with open(path, errors="replace") as f:
            lines = f.readlines()[-n:]
    except OSError as e:
        return "  (no log: %s)" % e
    return "".join("  | " + line for line in lines).rstrip("\n")


def self_py(ns, *args, timeout=60):
    """Run this script inside a namespace (the hidden _commands)."""
    return subprocess.run([tool("ip"), "netns", "exec", ns, sys.executable,
                           os.path.abspath(__file__)] + list(args),
                          stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=timeout)


def wait_ready(dnsd):
    """Postfix answers banner/EHLO/STARTTLS/TLS on both ports and both
    addresses inside mxpt-mx, the client reaches port 25 through the 1280
    hop, and the DNS server answers the client."""
    deadline = time.monotonic() + READY_TIMEOUT
    checks = [(NS_MX, a, p) for a in (MX_ADDR, MX2_ADDR) for p in MX_PORTS]
    checks.append((NS_CLIENT, MX_ADDR, 25))
    last = "no attempt"
    while checks and time.monotonic() < deadline:
        if dnsd.poll() is not None:
            raise TestbedError("dnsd.py exited with %d:\n%s" % (
                dnsd.returncode,
                log_tail(os.path.join(run_dir(), "dnsd.log"))))
        ns, addr, port = checks[0]
        r = self_py(ns, "_smtp-check", addr, str(port))
        if r.returncode == 0:
            checks.pop(0)
            continue
        last = "%s -> %s:%d: %s" % (ns, addr, port, (r.stdout + r.stderr)
                                    .strip()[-300:])
        time.sleep(0.1)
    if checks:
        raise TestbedError("MX not ready within %.0f s (%s); maillog:\n%s" % (
            READY_TIMEOUT, last,
            log_tail(os.path.join(pf_dir(), "log", "maillog"))))
    while time.monotonic() < deadline:
        r = self_py(NS_CLIENT, "_dns-ping")
        if r.returncode == 0:
            return
        time.sleep(0.1)
    raise TestbedError("DNS server not answering on %s:53:\n%s" % (
        DNS_ADDR, log_tail(os.path.join(run_dir(), "dnsd.log"))))


def cmd_up():
    require_root()
    require_tools()
    t0 = time.monotonic()
    lock = lock_state()
    try:
        existing = ns_list()
        pid, alive = current_owner()
        if existing and alive and pid != my_owner():
            raise TestbedError(
                "a testbed owned by live pid %d (%s) exists: another test run "
                "uses it; wait for it, or remove it with testbed.py --cleanup"
                % (pid, mxfix.proc_read(pid, "cmdline").replace(b"\0", b" ")
                   .decode(errors="replace").strip()[:80]))
        if existing or os.path.isdir(run_dir()):
            say("removing leftovers of an earlier run")
            teardown()
        ensure_cert()
        try:
            make_topology()
            os.makedirs(run_dir(), exist_ok=True)
            with open(owner_file(), "w") as f:
                f.write(owner_token(my_owner()) + "\n")
            dnsd = start_dnsd()
            start_postfix()
            wait_ready(dnsd)
        except BaseException:
            say("up failed: removing the partial testbed")
            teardown()
            raise
        say("up in %.1f s: %s; MX %s (%s) ports %s; DNS %s:53; tunnel MTU %d"
            % (time.monotonic() - t0, " ".join(NAMESPACES), MX_ADDR,
               MX_HOSTNAME, ",".join(map(str, MX_PORTS)), DNS_ADDR,
               TUNNEL_MTU))
    finally:
        os.close(lock)


def cmd_down():
    require_root()
    lock = lock_state()
    try:
        pid, alive = current_owner()
        if ns_list() and alive and pid != my_owner():
            raise TestbedError(
                "the testbed belongs to live pid %d, not to this run; not "
                "removing it (testbed.py --cleanup forces)" % pid)
        teardown()
    finally:
        os.close(lock)


def cmd_cleanup():
    require_root()
    lock = lock_state()
    try:
        teardown()
    finally:
        os.close(lock)


def cmd_status():
    names = ns_list()
    pid, alive = current_owner()
    print("namespaces: %s" % (" ".join(names) or "none"))
    print("owner: %s" % ("pid %d (%s)" % (pid, "alive" if alive else "dead")
                         if pid else "none"))
    for ns in names:
        print("  %-12s pids %s" % (ns, " ".join(map(str, ns_pids(ns))) or "-"))
    orphans = orphan_pids()
    if orphans:
        print("orphans: " + " ".join(map(str, orphans)))
    return 0 if set(names) == set(NAMESPACES) else 3


def require_up():
    missing = [ns for ns in NAMESPACES if ns not in ns_list()]
    if missing:
        raise TestbedError("testbed is not up (missing %s): run testbed.py up"
                           % " ".join(missing))


# ---------------------------------------------------------------- in-namespace helpers

def _smtp_check(addr, port):
    """Banner, EHLO with STARTTLS, STARTTLS 220, a TLS handshake, QUIT."""
    with socket.create_connection((addr, int(port)), 2.0) as s:
        s.settimeout(3.0)
        f = s.makefile("rb")
        banner = mxfix.read_reply(f)[-1]
        if not banner.startswith("220 "):
            raise OSError("banner %r" % banner)
        s.sendall(b"EHLO testbed.test\r\n")
        caps = [x[4:].split(" ")[0].upper() for x in mxfix.read_reply(f)]
        if "STARTTLS" not in caps:
            raise OSError("no STARTTLS in EHLO")
        s.sendall(b"STARTTLS\r\n")
        if not mxfix.read_reply(f)[-1].startswith("220"):
            raise OSError("STARTTLS refused")
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        with ctx.wrap_socket(s, server_hostname=MX_HOSTNAME) as t:
            t.sendall(b"QUIT\r\n")
            t.recv(512)
    return 0


# ---------------------------------------------------------------- DNS check

def dns_query(name, qtype, tcp=False, timeout=1.0):
    """Raw reply bytes, or None when nothing came before the timeout."""
    from dnslib import DNSRecord
    q = DNSRecord.question(name, qtype).pack()
    if tcp:
        with socket.create_connection((DNS_ADDR, 53), timeout) as s:
            s.settimeout(timeout)
            s.sendall(struct.pack("!H", len(q)) + q)
            buf = b""
            try:
                while len(buf) < 2 or len(buf) < 2 + struct.unpack(
                        "!H", buf[:2])[0]:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    buf += chunk
            except socket.timeout:
                return None
            return buf[2:] if len(buf) >= 2 else None
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.sendto(q, (DNS_ADDR, 53))
        try:
            return s.recvfrom(4096)[0]
        except socket.timeout:
            return None


def raw_fields(msg):
    """Header fields and the offset where the answer section starts."""
    qid, flags, qd, an, ns, ar = struct.unpack("!6H", msg[:12])
    off = 12
    for _ in range(qd):
        while msg[off] != 0:
            off += 1 + msg[off]
        off += 5
    return dict(flags=flags, rcode=flags & 0xF, tc=bool(flags & 0x0200),
                qd=qd, an=an, ns=ns, ar=ar, answer_at=off)


def _dns_check():
    from dnslib import DNSRecord, QTYPE
    results = []

    def check(what, ok, detail):
        results.append((what, bool(ok), detail))
        print("%s %-34s %s" % ("ok  " if ok else "FAIL", what, detail),
              flush=True)

    def parsed(name, qtype, tcp=False):
        raw = dns_query(name, qtype, tcp)
        if raw is None:
            return None, None
        return raw, DNSRecord.parse(raw)

    def rrs(rec, section="rr"):
        return [(QTYPE.get(r.rtype), str(r.rname), str(r.rdata))
                for r in getattr(rec, section)]

    for tcp in (False, True):
        t = "tcp" if tcp else "udp"
        raw, rec = parsed("example.test", "MX", tcp)
        got = rrs(rec) if rec else None
        check("MX example.test (%s)" % t,
              got == [("MX", "example.test.", "20 mx2.example.test."),
                      ("MX", "example.test.", "10 mx.example.test.")]
              and rec.header.aa and rec.header.rcode == 0,
              "%s, glue %s" % (got, [x[2] for x in rrs(rec, "ar")] if rec
                               else None))
    for name, want in (("mx.example.test", "198.18.3.25"),
                       ("mx2.example.test", "198.18.3.26"),
                       ("ns.example.test", DNS_ADDR)):
        raw, rec = parsed(name, "A")
        got = rrs(rec) if rec else None
        check("A " + name, got == [("A", name + ".", want)], got)
    for rev, want in (("25.3.18.198.in-addr.arpa", "mx.example.test."),
                      ("26.3.18.198.in-addr.arpa", "other.example.test."),
                      ("53.0.18.198.in-addr.arpa", "ns.example.test.")):
        raw, rec = parsed(rev, "PTR")
        got = [x[2] for x in rrs(rec)] if rec else None
        check("PTR " + rev, got == [want], got)
    raw, rec = parsed("other.example.test", "A")
    check("A other.example.test (FCrDNS)", rec and rec.header.rcode == 3,
          "rcode %s: .26's PTR names a host without address"
          % (rec.header.rcode if rec else "no reply"))
    raw, rec = parsed("mx.example.test", "AAAA")
    check("AAAA mx.example.test (NODATA)",
          rec and rec.header.rcode == 0 and not rec.rr and
          [x[0] for x in rrs(rec, "auth")] == ["SOA"],
          "rcode %s, %d answers, auth %s" % (
              rec.header.rcode, len(rec.rr), [x[0] for x in rrs(rec, "auth")])
          if rec else "no reply")
    raw, rec = parsed("loopmx.example.test", "MX")
    check("MX loopmx.example.test", rec and rrs(rec) == [
        ("MX", "loopmx.example.test.", "10 loop.example.test.")],
        rrs(rec) if rec else None)
    raw, rec = parsed("mixmx.example.test", "MX")
    check("MX mixmx.example.test", rec and [x[2] for x in rrs(rec)] == [
        "10 mx.example.test.", "20 fwdptr.example.test.",
        "5 loop.example.test."], rrs(rec) if rec else None)
    raw, rec = parsed("nullmx.example.test", "MX")
    check("MX nullmx.example.test (null MX)", rec and rrs(rec) == [
        ("MX", "nullmx.example.test.", "0 .")] and raw.endswith(
            b"\x00\x03\x00\x00\x00"), rrs(rec) if rec else None)
    raw, rec = parsed("example.org", "A")
    check("A example.org (not ours)", rec and rec.header.rcode == 5,
          "rcode %s" % (rec.header.rcode if rec else "no reply"))

    # Hostile names: the defect must be on the wire exactly as designed.
    for name in ("nxdomain.example.test", "no-such-name.example.test"):
        raw, rec = parsed(name, "A")
        check("NXDOMAIN " + name, rec and rec.header.rcode == 3 and
              not rec.rr and [x[0] for x in rrs(rec, "auth")] == ["SOA"],
              "rcode %s, auth %s" % (rec.header.rcode, rrs(rec, "auth"))
              if rec else "no reply")
    for qtype in ("A", "MX"):
        raw = dns_query("loop.example.test", qtype)
        if raw is None:
            check("loop (%s)" % qtype, False, "no reply")
        else:
            h = raw_fields(raw)
            at = h["answer_at"]
            ptr = struct.unpack("!H", raw[at:at + 2])[0]
            check("loop (%s)" % qtype, h["an"] == 1 and ptr & 0xC000 ==
                  0xC000 and ptr & 0x3FFF == at,
                  "answer NAME at %d is pointer 0x%04x -> %d"
                  % (at, ptr, ptr & 0x3FFF))
    raw = dns_query("fwdptr.example.test", "A")
    if raw:
        at = raw_fields(raw)["answer_at"]
        ptr = struct.unpack("!H", raw[at:at + 2])[0]
    check("fwdptr", raw and ptr & 0xC000 == 0xC000 and
          (ptr & 0x3FFF) >= len(raw),
          "pointer -> %d, message is %d bytes" % (ptr & 0x3FFF, len(raw))
          if raw else "no reply")
    raw = dns_query("longname.example.test", "A")
    if raw:
        off = raw_fields(raw)["answer_at"]
        labels, total = [], 0
        while raw[off] != 0 and raw[off] < 64:
            labels.append(raw[off])
            total += 1 + raw[off]
            off += 1 + raw[off]
        total += 1
    check("longname", raw and labels == [63] * 5 and total > 255,
          "answer NAME: labels %s, %d octets" % (labels, total)
          if raw else "no reply")
    raw = dns_query("rdlen.example.test", "A")
    if raw:
        at = raw_fields(raw)["answer_at"]
        rdlength = struct.unpack("!H", raw[at + 10:at + 12])[0]
        after = len(raw) - (at + 12)
    check("rdlen", raw and rdlength == 256 and after == 4,
          "RDLENGTH %d, %d octets follow" % (rdlength, after)
          if raw else "no reply")
    raw = dns_query("count.example.test", "A")
    if raw:
        h = raw_fields(raw)
        one_rr = len(raw) - h["answer_at"] == 2 + 10 + 4
    check("count", raw and h["an"] == 3 and one_rr,
          "ANCOUNT %d, one %d-octet RR then the end" % (
              h["an"], len(raw) - h["answer_at"]) if raw else "no reply")
    raw = dns_query("tc.example.test", "MX")
    h = raw_fields(raw) if raw else None
    check("tc over UDP", h and h["tc"] and h["an"] == 0,
          "TC=%s ANCOUNT=%s" % (h["tc"], h["an"]) if h else "no reply")
    raw, rec = parsed("tc.example.test", "MX", tcp=True)
    check("tc over TCP", rec and not rec.header.tc and
          [x[2] for x in rrs(rec)] == ["20 mx2.example.test.",
                                       "10 mx.example.test."],
          "TC=%s %s" % (rec.header.tc, rrs(rec)) if rec else "no reply")
    raw, rec = parsed("tc.example.test", "A", tcp=True)
    check("tc over TCP (A)", rec and rrs(rec) == [
        ("A", "tc.example.test.", "198.18.3.25")], rrs(rec) if rec else None)
    t0 = time.monotonic()
    raw = dns_query("timeout.example.test", "A", timeout=1.0)
    check("timeout over UDP", raw is None,
          "no reply in %.1f s" % (time.monotonic() - t0) if raw is None
          else "replied (%d bytes)" % len(raw))
    t0 = time.monotonic()
    raw = dns_query("timeout.example.test", "MX", tcp=True, timeout=1.0)
    check("timeout over TCP", raw is None,
          "connected, no reply in %.1f s" % (time.monotonic() - t0)
          if raw is None else "replied (%d bytes)" % len(raw))
    # The client namespace's system resolver is this server.
    try:
        addrs = sorted({a[4][0] for a in socket.getaddrinfo(
            "mx.example.test", 25, socket.AF_INET, socket.SOCK_STREAM)})
    except OSError as e:
        addrs = str(e)
    check("system resolver (resolv.conf)", addrs == ["198.18.3.25"], addrs)
    failed = [r for r in results if not r[1]]
    print("%d/%d DNS checks passed" % (len(results) - len(failed),
                                       len(results)), flush=True)
    return 1 if failed else 0


def _dns_ping():
    return 0 if dns_query("ns.example.test", "A", timeout=0.5) else 1


def cmd_dns_check():
    require_root()
    require_up()
    r = self_py(NS_CLIENT, "_dns-check", timeout=120)
    sys.stdout.write(r.stdout)
    sys.stderr.write(r.stderr)
    return r.returncode


# ---------------------------------------------------------------- variants

# The integration suite's checker (expect / expect_in / expect_true / note /
# report) and its JSON path helper: one way to judge a report everywhere.
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
from check_profile import Checker, get  # noqa: E402


def port_of(rep, port):
    for p in rep.get("ports") or []:
        if p.get("port") == port:
            return p
    return None


def version_of(port, v):
    for x in (port or {}).get("versions") or []:
        if x.get("version") == v:
            return x
    return None


def failure_str(f):
    if not f:
        return "-"
    return "%s/%s rx=%s %sms" % (f.get("stage"), f.get("kind"),
                                f.get("rx_bytes"), f.get("stage_ms"))


def finding_ids(rep, port=None):
    return {f.get("id") for f in rep.get("findings") or []
            if port is None or f.get("port") == port}


def findings_of(rep, fid):
    return [f for f in rep.get("findings") or [] if f.get("id") == fid]


def reach_of(rep, port, witness=False):
    for r in get(rep, "path", "reach", default=None) or []:
        if r.get("port") == port and bool(r.get("witness")) == witness:
            return r
    return None


def print_path(rep, indent="  "):
    path = rep.get("path")
    if not isinstance(path, dict):
        print(indent + "path: %s" % json.dumps(path))
        return
    for r in path.get("reach") or []:
        print(indent + "reach %s%s %-10s %s/%s ok, rtt %s%s" % (
            r.get("port"), " (witness)" if r.get("witness") else "",
            r.get("status"), r.get("ok"), r.get("samples"),
            json.dumps(r.get("rtt_ms")),
            ", error %s" % r["error"] if r.get("error") else ""))
    m = path.get("mtu") or {}
    print(indent + "mtu %s method %s path %s iface %s frag_needed %s "
          "reported %s silent_above %s probes %s error %s" % (
              m.get("status"), m.get("method"), m.get("path_mtu"),
              m.get("interface_mtu"), m.get("frag_needed"),
              m.get("reported_mtu"), m.get("silent_above"), m.get("probes"),
              m.get("error")))
    d = path.get("rdns") or {}
    print(indent + "rdns %s ptr %s fcrdns %s error %s" % (
        d.get("status"), d.get("ptr"), d.get("fcrdns"), d.get("error")))
    print(indent + "mss_clamp %s" % json.dumps(path.get("mss_clamp")))


def print_report(rep, indent="  "):
    t = rep.get("target") or {}
    if t.get("host") != t.get("address"):
        print(indent + "target %s (%s)%s" % (
            t.get("host"), t.get("address"), ", resolve error %s"
            % t["resolve_error"] if t.get("resolve_error") else ""))
    for p in rep.get("ports") or []:
        print(indent + "port %s reached=%s stop=%s timing=%s" % (
            p.get("port"), p.get("reached"), failure_str(p.get("stop")),
            json.dumps(p.get("timing_ms"))))
        for v in p.get("versions") or []:
            acc = sum(1 for s in v.get("suites") or []
                      if s.get("status") == "accepted")
            print(indent + "  %-8s %-9s %-34s suites %d, conns %s" % (
                v.get("version"), v.get("status"),
                failure_str(v.get("failure")), acc, v.get("connections")))
    print_path(rep, indent)
    for f in rep.get("findings") or []:
        print(indent + "finding %-24s %-5s port %s" % (
            f.get("id"), f.get("severity"), f.get("port")))
    print(indent + "connections %s, elapsed %s ms, exit_status %s" % (
        rep.get("connections"), rep.get("elapsed_ms"), rep.get("exit_status")))


def print_mx_report(rep):
    mx = rep.get("mx") or {}
    print("  MX of %s: %s%s" % (rep.get("domain"), mx.get("status"),
                                ", error %s" % mx["error"] if mx.get("error")
                                else ""))
    for r in mx.get("records") or []:
        print("    %5s %-22s %-16s%s%s" % (
            r.get("preference"), r.get("name"),
            ",".join(r.get("addresses") or []) or "-",
            " error %s" % r["error"] if r.get("error") else "",
            " [probed]" if r.get("probed") else ""))
    for f in rep.get("findings") or []:
        print("  mx finding %-20s %s" % (f.get("id"), f.get("severity")))
    for h in rep.get("hosts") or []:
        print("  host %s:" % get(h, "target", "host"))
        print_report(h, "    ")
    print("  exit_status %s" % rep.get("exit_status"))


def expect_tls_ok(c, rep, port):
    """The port completed: STARTTLS offered, TLS 1.2 and 1.3 accepted,
    1.0 and 1.1 refused by the server's own answer (not a timeout)."""
    p = port_of(rep, port)
    c.expect("port %d present" % port, True, p is not None)
    if p is None:
        return
    c.expect("port %d reached" % port, True, p.get("reached"))
    c.expect("port %d stop" % port, None, p.get("stop"))
    c.expect("port %d starttls.offered" % port, True,
             get(p, "starttls", "offered"))
    for v in ("TLSv1.2", "TLSv1.3"):
        c.expect("port %d %s status" % (port, v), "accepted",
                 get(version_of(p, v), "status"))
    for v in ("TLSv1.0", "TLSv1.1"):
        x = version_of(p, v)
        if get(x, "status") == "unavailable":
            continue
        c.expect("port %d %s status" % (port, v), "rejected", get(x, "status"))
        c.expect_true("port %d %s refused by an answer, not a timeout"
                      % (port, v), get(x, "failure", "kind") not in
                      ("timeout", None), get(x, "failure"))
    c.expect_true("port %d finding tls-ok" % port,
                  "tls-ok" in finding_ids(rep, port), sorted(
                      finding_ids(rep, port), key=str))


def expect_finding(c, rep, fid, severity, port):
    """Finding fid is present, with this severity, on this port (None: a
    host-wide finding)."""
    got = [(f.get("severity"), f.get("port")) for f in findings_of(rep, fid)]
    c.expect("finding %s (severity, port)" % fid, [(severity, port)], got)


def expect_no_finding(c, rep, fid):
    c.expect("no %s finding" % fid, [], [
        (f.get("severity"), f.get("port")) for f in findings_of(rep, fid)])


def expect_reach_open(c, rep, port, samples=5):
    r = reach_of(rep, port)
    c.expect("path.reach %d (status, samples, ok)" % port,
             ("open", samples, samples),
             (get(r, "status"), get(r, "samples"), get(r, "ok")))
    c.expect_true("path.reach %d rtt_ms (min <= median <= max)" % port,
                  isinstance(get(r, "rtt_ms"), dict) and
                  0 <= get(r, "rtt_ms", "min") <= get(r, "rtt_ms", "median")
                  <= get(r, "rtt_ms", "max"), get(r, "rtt_ms"))


def expect_rdns(c, rep, ptr, fcrdns):
    c.expect("path.rdns (status, ptr, fcrdns)", ("found", ptr, fcrdns),
             (get(rep, "path", "rdns", "status"),
              get(rep, "path", "rdns", "ptr"),
              get(rep, "path", "rdns", "fcrdns")))


def mtu_fields(rep, *names):
    return tuple(get(rep, "path", "mtu", n) for n in names)


def expect_mtu_method(c, rep):
    c.expect_in("path.mtu.method", ("icmp-echo", "udp"),
                get(rep, "path", "mtu", "method"))


def route_mtu(ns, dest):
    """The path MTU ns has cached towards dest (None: none)."""
    out = in_ns(ns, tool("ip"), "route", "get", dest)
    m = re.search(r"\bmtu (\d+)", out)
    return int(m.group(1)) if m else None


def mx_learned_mtu():
    return route_mtu(NS_MX, CLIENT_ADDR)


FRAG_NEEDED = "icmp type destination-unreachable icmp code frag-needed"

# Why the MX may have learned nothing in baseline and blackhole-mx: the
# probe's MTU stage taught the client kernel the 1280 path MTU first, so
# later SYNs advertise MSS 1240 and the MX never sends a packet that
# needs PMTU discovery (a black hole on the MX's side is then invisible).
MASKED_HINT = ("the client had learned path MTU %s to the MX: if that came "
               "from the MTU probes before the TLS connections, the probe's "
               "own SYNs advertise a small MSS and hide the MX's PMTU "
               "discovery (and any black hole on the MX's side)")


def check_baseline(c, rep, ctx):
    for port in MX_PORTS:
        expect_tls_ok(c, rep, port)
        expect_reach_open(c, rep, port)
        # The leaf is ~3.2 KB: more than wolfSSL's session chain keeps
        # (MAX_X509_SIZE 2048), so this asserts mxp_tls_peer_cert()'s own path.
        cert = get(port_of(rep, port), "certificate")
        c.expect_true("port %d certificate present" % port, cert is not None, cert)
        if cert is None:
            continue
        c.expect("port %d certificate key" % port, ("rsa", 4096),
                 (get(cert, "key", "type"), get(cert, "key", "bits")))
        c.expect_true("port %d certificate names %s" % (port, MX_HOSTNAME),
                      MX_HOSTNAME in (get(cert, "sans") or []),
                      get(cert, "sans"))
    c.expect("no port-* findings", [], sorted(
        f for f in finding_ids(rep) if f and f.startswith("port-")))
    # Path MTU: the 1280 hop, announced by the gw's frag-needed.
    expect_mtu_method(c, rep)
    c.expect("path.mtu (status, path_mtu, interface_mtu, frag_needed, "
             "silent_above)", ("measured", TUNNEL_MTU, 1500, True, None),
             mtu_fields(rep, "status", "path_mtu", "interface_mtu",
                        "frag_needed", "silent_above"))
    expect_finding(c, rep, "path-mtu-low", "info", None)
    for fid in ("pmtu-blackhole", "pmtu-icmp-silent", "tcp-connect-flaky",
                "port25-blocked"):
        expect_no_finding(c, rep, fid)
    c.expect("path.mss_clamp (no stall, no retry)", None,
             get(rep, "path", "mss_clamp"))
    # Reverse DNS of 198.18.3.25 round-trips, and the banner agrees.
    expect_rdns(c, rep, MX_HOSTNAME, True)
    c.expect("no dns-* findings", [], sorted(
        f for f in finding_ids(rep) if f and f.startswith("dns-")))
    # The path really needed PMTU discovery: the router told the MX
    # (frag-needed) and the MX now sends at most 1280-byte packets.
    learned = ctx["counters"].get("frag_needed_to_mx", 0) >= 1 and \
        ctx["mtu_after"] == TUNNEL_MTU
    c.expect_true("router sent ICMP frag-needed to the MX",
                  ctx["counters"].get("frag_needed_to_mx", 0) >= 1,
                  ctx["counters"])
    c.expect("MX learned path MTU", TUNNEL_MTU, ctx["mtu_after"])
    if not learned and ctx["client_mtu_after"]:
        c.note(MASKED_HINT % ctx["client_mtu_after"])


def check_filtered25(c, rep, ctx):
    p = port_of(rep, 25)
    c.expect("port 25 reached", False, get(p, "reached"))
    c.expect("port 25 stop stage/kind", ("connect", "timeout"),
             (get(p, "stop", "stage"), get(p, "stop", "kind")))
    c.expect_true("port 25 gave up after about --timeout",
                  ctx["timeout"] <= (get(p, "stop", "stage_ms") or 0)
                  <= ctx["timeout"] + 1500, get(p, "stop", "stage_ms"))
    r25 = reach_of(rep, 25)
    c.expect("path.reach 25 (status, ok, error)", ("filtered", 0, "timeout"),
             (get(r25, "status"), get(r25, "ok"), get(r25, "error")))
    expect_reach_open(c, rep, 587)
    # 465 was not asked for: one witness connect says what it does (postfix
    # has no 465 listener: the MX itself resets).  587 was probed: no
    # witness for it.
    w465 = reach_of(rep, 465, witness=True)
    c.expect("path.reach 465 witness (status, samples)", ("refused", 1),
             (get(w465, "status"), get(w465, "samples")))
    c.expect("no witness for a probed port", None,
             reach_of(rep, 587, witness=True))
    # 25 silent while 587 answers: an outbound port-25 block.  It replaces
    # the generic port-timeout: one fail for port 25.
    f25 = [f for f in rep.get("findings") or [] if f.get("port") == 25]
    c.expect("port 25 findings (id, severity)", [("port25-blocked", "fail")],
             [(f.get("id"), f.get("severity")) for f in f25
              if f.get("severity") in ("fail", "warn")])
    expect_tls_ok(c, rep, 587)
    c.expect_true("router dropped SYNs to port 25",
                  ctx["counters"].get("port25", 0) >= 1, ctx["counters"])


def check_refused25(c, rep, ctx):
    p = port_of(rep, 25)
    c.expect("port 25 reached", False, get(p, "reached"))
    c.expect("port 25 stop stage/kind", ("connect", "refused"),
             (get(p, "stop", "stage"), get(p, "stop", "kind")))
    c.expect_true("port 25 refused at once (RST, not the deadline)",
                  (get(p, "stop", "stage_ms") or 0) < 1000,
                  get(p, "stop", "stage_ms"))
    r25 = reach_of(rep, 25)
    c.expect("path.reach 25 (status, ok, error)", ("refused", 0, "refused"),
             (get(r25, "status"), get(r25, "ok"), get(r25, "error")))
    expect_reach_open(c, rep, 587)
    c.expect_true("port 25 finding port-refused",
                  "port-refused" in finding_ids(rep, 25),
                  sorted(finding_ids(rep, 25), key=str))
    expect_tls_ok(c, rep, 587)
    c.expect_true("router answered SYNs to port 25 with RST",
                  ctx["counters"].get("port25", 0) >= 1, ctx["counters"])


def expect_blackhole_found(c, rep, ctx):
    """Small packets pass, the server's first full-size flight does not;
    the probe retries with MSS 536, completes, and says why."""
    p = port_of(rep, 25)
    c.expect("port 25 banner code", 220, get(p, "banner", "code"))
    c.expect("port 25 STARTTLS code", 220, get(p, "starttls", "code"))
    expect_finding(c, rep, "pmtu-blackhole", "fail", 25)
    clamp = get(rep, "path", "mss_clamp")
    c.expect("path.mss_clamp (mss, port, helped)", (536, 25, True),
             (get(clamp, "mss"), get(clamp, "port"), get(clamp, "helped")))
    # The stalled flight starts with a full-size segment, dropped: nothing
    # (or a few bytes) reached the client before the deadline.
    c.expect_true("path.mss_clamp.stalled_rx_bytes < %d" % TUNNEL_MTU,
                  isinstance(get(clamp, "stalled_rx_bytes"), int) and
                  get(clamp, "stalled_rx_bytes") < TUNNEL_MTU,
                  get(clamp, "stalled_rx_bytes"))
    # Measured through the clamp, the TLS results are complete.
    expect_tls_ok(c, rep, 25)
    expect_reach_open(c, rep, 25)
    c.expect_true("router dropped its ICMP frag-needed to the MX",
                  ctx["counters"].get("frag_needed_to_mx", 0) >= 1,
                  ctx["counters"])
    c.expect("MX learned no path MTU", None, ctx["mtu_after"])


def check_blackhole(c, rep, ctx):
    expect_blackhole_found(c, rep, ctx)
    # Both directions are blind: the client's DF probes above 1280 vanish.
    expect_mtu_method(c, rep)
    c.expect("path.mtu (status, path_mtu, frag_needed, reported_mtu)",
             ("measured", TUNNEL_MTU, False, None),
             mtu_fields(rep, "status", "path_mtu", "frag_needed",
                        "reported_mtu"))
    silent = get(rep, "path", "mtu", "silent_above")
    c.expect_true("path.mtu.silent_above in (%d, 1500]" % TUNNEL_MTU,
                  isinstance(silent, int) and TUNNEL_MTU < silent <= 1500,
                  silent)
    expect_finding(c, rep, "pmtu-icmp-silent", "warn", None)
    expect_no_finding(c, rep, "path-mtu-low")
    c.expect_true("gw dropped its ICMP frag-needed to the client",
                  ctx["counters"].get("frag_needed_to_client", 0) >= 1,
                  ctx["counters"])
    c.expect("client learned no path MTU", None, ctx["client_mtu_after"])


def check_blackhole_mx(c, rep, ctx):
    expect_blackhole_found(c, rep, ctx)
    # The client's side hears the gw: its probes measure 1280 honestly.
    expect_mtu_method(c, rep)
    c.expect("path.mtu (status, path_mtu, frag_needed, silent_above)",
             ("measured", TUNNEL_MTU, True, None),
             mtu_fields(rep, "status", "path_mtu", "frag_needed",
                        "silent_above"))
    expect_no_finding(c, rep, "pmtu-icmp-silent")
    if "pmtu-blackhole" not in finding_ids(rep) and ctx["client_mtu_after"]:
        c.note(MASKED_HINT % ctx["client_mtu_after"])


def check_loss5(c, rep, ctx):
    expect_tls_ok(c, rep, 25)
    r25 = reach_of(rep, 25)
    c.expect("path.reach 25 (status, samples)", ("open", 5),
             (get(r25, "status"), get(r25, "samples")))
    if get(r25, "ok") != 5:
        c.note("path.reach 25: %s of 5 connects succeeded" % get(r25, "ok"))
    # Loss slows the handshakes down; it must not read as a black hole
    # (tcp-connect-flaky is allowed: a lost SYN can cost a sample).
    expect_no_finding(c, rep, "pmtu-blackhole")
    c.note("path.mtu %s (path_mtu %s, silent_above %s); findings %s" % (
        get(rep, "path", "mtu", "status"),
        get(rep, "path", "mtu", "path_mtu"),
        get(rep, "path", "mtu", "silent_above"),
        sorted(f for f in finding_ids(rep) if f and
               f.startswith(("pmtu-", "path-", "tcp-")))))
    lost, fwd = (ctx["counters"].get("lost", 0),
                 ctx["counters"].get("forwarded", 0))
    c.expect_true("router forwarded packets", fwd > 0, ctx["counters"])
    if lost == 0:
        c.note("no packet happened to be dropped (%d forwarded)" % fwd)
    else:
        c.note("router dropped %d of %d packets (%.1f%%); retransmissions "
               "absorbed them" % (lost, fwd, 100.0 * lost / fwd))
    # Loss must not change what the server accepts: compare with the
    # baseline run of this same testbed when there is one.
    base = load_report("baseline")
    if base and base.get("_testbed") == ctx["testbed_id"]:
        for v in ("TLSv1.2", "TLSv1.3"):
            def accepted(r):
                return sorted(s.get("suite") or s.get("id") for s in get(
                    version_of(port_of(r, 25), v), "suites", default=[])
                    if s.get("status") == "accepted")
            c.expect("port 25 %s accepted suites equal the baseline's" % v,
                     accepted(base), accepted(rep))
    else:
        c.note("no baseline report from this testbed: suites not compared")


# ---------------------------------------------------------------- MX mode

MX_RECORDS = [(10, MX_HOSTNAME, [MX_ADDR], None, True),
              (20, "mx2.example.test", [MX2_ADDR], None, False)]
DNS_ERRORS = ("dns-error", "timeout")    # what a hostile reply may be called


def mx_records(rep):
    return [(r.get("preference"), r.get("name"), r.get("addresses"),
             r.get("error"), r.get("probed"))
            for r in get(rep, "mx", "records", default=None) or []]


def mx_findings(rep):
    return [(f.get("id"), f.get("severity"))
            for f in rep.get("findings") or []]


def hosts_of(rep):
    return [h for h in rep.get("hosts") or [] if isinstance(h, dict)]


def expect_one_host(c, rep, name, addr):
    hosts = hosts_of(rep)
    c.expect("hosts probed (host, address)", [(name, addr)],
             [(get(h, "target", "host"), get(h, "target", "address"))
              for h in hosts])
    return hosts[0] if len(hosts) == 1 else {}


def check_mx(c, rep, ctx):
    c.expect("domain", "example.test", rep.get("domain"))
    c.expect("mx (status, error, more)", ("found", None, 0),
             (get(rep, "mx", "status"), get(rep, "mx", "error"),
              get(rep, "mx", "more")))
    # The wire says MX 20 mx2 first: the report sorts by preference, and
    # --mx-limit 1 probes only the best one.
    c.expect("mx.records (preference, name, addresses, error, probed)",
             MX_RECORDS, mx_records(rep))
    c.expect("mx findings", [], mx_findings(rep))
    h = expect_one_host(c, rep, MX_HOSTNAME, MX_ADDR)
    c.expect("host SNI is the exchanger's name", MX_HOSTNAME,
             get(h, "target", "sni"))
    for port in MX_PORTS:
        expect_tls_ok(c, h, port)
    # The certificate names mx.example.test: probed by name, no mismatch.
    expect_no_finding(c, h, "cert-name-mismatch")
    expect_rdns(c, h, MX_HOSTNAME, True)
    c.expect("no dns-* findings", [], sorted(
        f for f in finding_ids(h) if f and f.startswith("dns-")))


def check_mx_fcrdns(c, rep, ctx):
    t = rep.get("target") or {}
    c.expect("target (host, address, resolved)",
             ("mx2.example.test", MX2_ADDR, True),
             (t.get("host"), t.get("address"), t.get("resolved")))
    expect_tls_ok(c, rep, 25)
    # 198.18.3.26's PTR names other.example.test, which has no address.
    expect_rdns(c, rep, "other.example.test", False)
    expect_finding(c, rep, "dns-fcrdns-failed", "warn", None)
    # The greeting says mx.example.test, the PTR other.example.test.
    expect_finding(c, rep, "dns-banner-name-mismatch", "info", None)
    expect_no_finding(c, rep, "dns-ptr-missing")


def check_mx_implicit(c, rep, ctx):
    c.expect("mx (status, error)", ("implicit", None),
             (get(rep, "mx", "status"), get(rep, "mx", "error")))
    c.expect("mx.records: the domain itself",
             [(0, MX_HOSTNAME, [MX_ADDR], None, True)], mx_records(rep))
    c.expect("mx findings", [("mx-implicit", "info")], mx_findings(rep))
    h = expect_one_host(c, rep, MX_HOSTNAME, MX_ADDR)
    expect_tls_ok(c, h, 25)


def check_mx_tc(c, rep, ctx):
    # UDP says TC with no answer; the full MX set comes over TCP.
    c.expect("mx (status, error)", ("found", None),
             (get(rep, "mx", "status"), get(rep, "mx", "error")))
    c.expect("mx.records (over TCP)", MX_RECORDS, mx_records(rep))
    h = expect_one_host(c, rep, MX_HOSTNAME, MX_ADDR)
    expect_tls_ok(c, h, 25)


def check_mx_mixed(c, rep, ctx):
    # MX 5 loop / 10 mx / 20 fwdptr: two exchangers whose A answers are
    # hostile.  They are listed unresolved, mx is the one probed.
    recs = mx_records(rep)
    c.expect("mx (status, error)", ("found", None),
             (get(rep, "mx", "status"), get(rep, "mx", "error")))
    c.expect("mx.records (preference, name, addresses, probed)",
             [(5, "loop.example.test", [], False),
              (10, MX_HOSTNAME, [MX_ADDR], True),
              (20, "fwdptr.example.test", [], False)],
             [(r[0], r[1], r[2], r[4]) for r in recs])
    c.expect_true("unresolved exchangers carry a DNS error kind",
                  [r[3] for r in recs] != [] and
                  all(r[3] in DNS_ERRORS for r in recs if not r[2]),
                  [(r[1], r[3]) for r in recs])
    c.expect("mx findings", [("mx-host-unresolved", "warn")] * 2,
             mx_findings(rep))
    c.expect_true("each mx-host-unresolved names its exchanger",
                  all(any(n in (f.get("text") or "")
                          for f in rep.get("findings") or [])
                      for n in ("loop.example.test", "fwdptr.example.test")),
                  [f.get("text") for f in rep.get("findings") or []])
    h = expect_one_host(c, rep, MX_HOSTNAME, MX_ADDR)
    expect_tls_ok(c, h, 25)


def check_mx_loopmx(c, rep, ctx):
    recs = mx_records(rep)
    c.expect("mx (status, error)", ("found", None),
             (get(rep, "mx", "status"), get(rep, "mx", "error")))
    c.expect("mx.records (preference, name, addresses, probed)",
             [(10, "loop.example.test", [], False)],
             [(r[0], r[1], r[2], r[4]) for r in recs])
    c.expect_in("loop.example.test error kind", DNS_ERRORS,
                recs[0][3] if recs else None)
    c.expect("mx findings", [("mx-no-address", "fail")], mx_findings(rep))
    c.expect("hosts probed", [], hosts_of(rep))


def check_mx_nothing(status, error, fid):
    """The lookup itself decides: nothing to probe."""
    def check(c, rep, ctx):
        c.expect("mx (status, error, records)", (status, error, []),
                 (get(rep, "mx", "status"), get(rep, "mx", "error"),
                  get(rep, "mx", "records")))
        c.expect("mx findings", [(fid, "fail")], mx_findings(rep))
        c.expect("hosts probed", [], hosts_of(rep))
    return check


def check_mx_hostile(c, rep, ctx):
    """The MX answer itself is hostile: the lookup fails with a DNS error
    kind, and the fallback (the name as a host) finds no address either."""
    c.expect("mx.status", "failed", get(rep, "mx", "status"))
    c.expect_in("mx.error", DNS_ERRORS, get(rep, "mx", "error"))
    c.expect("mx.records", [], get(rep, "mx", "records"))
    c.expect("mx findings", [("mx-lookup-failed", "fail")], mx_findings(rep))
    for h in hosts_of(rep):
        t = h.get("target") or {}
        c.expect("fallback host %s (resolved, address)" % t.get("host"),
                 (False, None), (t.get("resolved"), t.get("address")))
        c.expect_in("fallback host resolve_error", DNS_ERRORS + (
            "dns-nodata",), t.get("resolve_error"))


HOST_SCHEMA = "mxprobe-report"
MX_SCHEMA = "mxprobe-mx-report"
# A run that only asks DNS (hostile answers, NXDOMAIN, null MX) gets this
# many --timeout deadlines: the MX lookup, then the name as a host (A and
# AAAA share one).  Beyond that something waits without a deadline.
DNS_DEADLINES = 3
MX_LIMIT_S = 45       # kill an MX-mode run after this (a hang fails fast)


def hostile_mx(name, what):
    return dict(
        text="MX lookup of %s.example.test: %s" % (name, what),
        mode="mx", ports=[25], timeout=3000, target=name + ".example.test",
        bound_s=DNS_DEADLINES * 3 + 2, check=check_mx_hostile)


VARIANTS = {
    "baseline": dict(
        text="clean path through the 1280 hop; ICMP frag-needed reaches the "
             "MX and the client, PMTU discovery shrinks the MX's segments",
        ports=[25, 587], timeout=3000,
        rules={NS_ROUTER: """
          counter frag_needed_to_mx {}
          chain output { type filter hook output priority 0; policy accept;
            oifname "mx0" %s counter name "frag_needed_to_mx"
          }
        """ % FRAG_NEEDED},
        check=check_baseline),
    "filtered25": dict(
        text="port 25 dropped on the router (no answer); 587 open",
        ports=[25, 587], timeout=3000,
        rules={NS_ROUTER: """
          counter port25 {}
          chain forward { type filter hook forward priority 0; policy accept;
            ip daddr %s tcp dport 25 counter name "port25" drop
          }
        """ % MX_ADDR},
        check=check_filtered25),
    "refused25": dict(
        text="port 25 rejected on the router with a TCP reset; 587 open",
        ports=[25, 587], timeout=3000,
        rules={NS_ROUTER: """
          counter port25 {}
          chain forward { type filter hook forward priority 0; policy accept;
            ip daddr %s tcp dport 25 counter name "port25" reject with tcp reset
          }
        """ % MX_ADDR},
        check=check_refused25),
    # The router's own frag-needed (for packets > 1280 it cannot put on
    # the tunnel) never reaches the MX, and the gw's never reaches the
    # client.  Packets over 1280 die on the tunnel hop itself: an nft `ip
    # length > 1280 drop` would count a GSO super-packet as one long packet
    # and also eat the clamped-MSS retry.
    "blackhole": dict(
        text="PMTU black hole both ways: ICMP frag-needed dropped towards "
             "the MX (router) and the client (gw)",
        ports=[25], timeout=3000,
        rules={NS_ROUTER: """
          counter frag_needed_to_mx {}
          chain output { type filter hook output priority 0; policy accept;
            oifname "mx0" %s counter name "frag_needed_to_mx" drop
          }
          chain forward { type filter hook forward priority 0; policy accept;
            oifname "mx0" %s counter name "frag_needed_to_mx" drop
          }
        """ % (FRAG_NEEDED, FRAG_NEEDED), NS_GW: """
          counter frag_needed_to_client {}
          chain output { type filter hook output priority 0; policy accept;
            oifname "lan0" %s counter name "frag_needed_to_client" drop
          }
        """ % FRAG_NEEDED},
        check=check_blackhole),
    # The common case: the MX's firewall eats ICMP, the client's side does
    # not.  The client's MTU probes hear the gw and measure 1280; the MX's
    # full-size flight still dies.
    "blackhole-mx": dict(
        text="PMTU black hole on the MX's side only: the router's "
             "frag-needed towards the MX dropped, the gw's reaches the client",
        ports=[25], timeout=3000,
        rules={NS_ROUTER: """
          counter frag_needed_to_mx {}
          chain output { type filter hook output priority 0; policy accept;
            oifname "mx0" %s counter name "frag_needed_to_mx" drop
          }
          chain forward { type filter hook forward priority 0; policy accept;
            oifname "mx0" %s counter name "frag_needed_to_mx" drop
          }
        """ % (FRAG_NEEDED, FRAG_NEEDED)},
        check=check_blackhole_mx),
    "loss5": dict(
        text="5% random loss on everything the router forwards",
        ports=[25], timeout=10000,
        rules={NS_ROUTER: """
          counter forwarded {}
          counter lost {}
          chain forward { type filter hook forward priority 0; policy accept;
            counter name "forwarded"
            numgen random mod 100 < 5 counter name "lost" drop
          }
        """},
        check=check_loss5),
    # ---- MX mode: a name without a port is a mail domain.
    "mx": dict(
        text="mail domain example.test: MX 20 mx2 / MX 10 mx on the wire, "
             "sorted; --mx-limit 1 probes mx only",
        mode="mx", ports=[25, 587], timeout=3000, target="example.test",
        opts=["--mx-limit", "1"], check=check_mx),
    "mx-fcrdns": dict(
        text="--host mx2.example.test: 198.18.3.26's PTR names "
             "other.example.test, which has no address",
        ports=[25], timeout=3000, target="mx2.example.test",
        opts=["--host"], check=check_mx_fcrdns),
    "mx-implicit": dict(
        text="mx.example.test as a mail domain: no MX (NODATA), implicit MX",
        mode="mx", ports=[25], timeout=3000, target=MX_HOSTNAME,
        check=check_mx_implicit),
    "mx-tc": dict(
        text="MX of tc.example.test: truncated over UDP, complete over TCP",
        mode="mx", ports=[25], timeout=3000, target="tc.example.test",
        opts=["--mx-limit", "1"], check=check_mx_tc),
    "mx-mixed": dict(
        text="MX 5 loop / 10 mx / 20 fwdptr: two exchangers with hostile "
             "A answers, one good",
        mode="mx", ports=[25], timeout=3000, target="mixmx.example.test",
        opts=["--mx-limit", "1"], check=check_mx_mixed),
    "mx-loopmx": dict(
        text="MX of loopmx.example.test is clean; its one exchanger's A "
             "answer is a compression loop",
        mode="mx", ports=[25], timeout=3000, target="loopmx.example.test",
        bound_s=DNS_DEADLINES * 3 + 2, check=check_mx_loopmx),
    "mx-nxdomain": dict(
        text="no-such-domain.example.test: NXDOMAIN (asked via --dns "
             "ADDR:PORT)",
        mode="mx", ports=[25], timeout=3000,
        target="no-such-domain.example.test",
        opts=["--dns", DNS_ADDR + ":53"], bound_s=DNS_DEADLINES * 3 + 2,
        check=check_mx_nothing("nxdomain", "dns-nxdomain", "mx-nxdomain")),
    "mx-null": dict(
        text="nullmx.example.test publishes MX 0 . (RFC 7505; asked via "
             "--dns ADDR)",
        mode="mx", ports=[25], timeout=3000, target="nullmx.example.test",
        opts=["--dns", DNS_ADDR], bound_s=DNS_DEADLINES * 3 + 2,
        check=check_mx_nothing("null-mx", None, "mx-null")),
    "mx-loop": hostile_mx("loop", "the answer's NAME is a pointer to itself"),
    "mx-fwdptr": hostile_mx("fwdptr", "a pointer past the message end"),
    "mx-longname": hostile_mx("longname", "a 320-octet NAME"),
    "mx-rdlen": hostile_mx("rdlen", "RDLENGTH 256 with 4 octets"),
    "mx-count": hostile_mx("count", "ANCOUNT 3 with one RR"),
    "mx-timeout": hostile_mx("timeout", "no reply at all"),
}
VARIANT_TABLE = "mxpt_variant"
RULE_NAMESPACES = (NS_ROUTER, NS_GW)


def flush_path_state():
    """Forget learned path MTUs and TCP metrics everywhere, so a variant
    never inherits what an earlier one taught the MX (or the client)."""
    for ns in NAMESPACES:
        ip("-n", ns, "route", "flush", "cache", check=False)
        ip("-n", ns, "tcp_metrics", "flush", "all", check=False)


def drop_variant_table():
    for ns in RULE_NAMESPACES:
        subprocess.run([tool("ip"), "netns", "exec", ns, tool("nft"),
                        "delete", "table", "inet", VARIANT_TABLE],
                       capture_output=True)


def read_counters(namespaces):
    counters = {}
    for ns in namespaces:
        out = in_ns(ns, tool("nft"), "-j", "list", "counters", "table",
                    "inet", VARIANT_TABLE)
        for item in json.loads(out).get("nftables", []):
            c = item.get("counter")
            if c:
                counters[c["name"]] = c.get("packets", 0)
    return counters


def testbed_id():
    try:
        with open(owner_file()) as f:
            return f.read().strip() + " " + str(os.stat(owner_file()).st_mtime)
    except OSError:
        return None


def load_report(name):
    try:
        with open(os.path.join(report_dir(), name + ".json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def variant_argv(v):
    """mxprobe's arguments after the binary."""
    argv = ["--json", "--timeout", str(v["timeout"])]
    if v.get("ports"):
        argv += ["-p", ",".join(map(str, v["ports"]))]
    return argv + v.get("opts", []) + [v.get("target", MX_ADDR)]


def check_common(c, v, r, wall, rep):
    """What every run owes: an exit status of 0 or 1 (never a signal, never
    2), within its bound, one JSON document of the right schema whose
    exit_status is the process's, no interrupted host, the ports asked."""
    c.expect_in("mxprobe exit status (0 or 1: no crash, no internal error)",
                (0, 1), r.returncode)
    if v.get("bound_s") is not None:
        c.expect_true("finished within %d s" % v["bound_s"],
                      wall <= v["bound_s"], "%.1f s" % wall)
    schema = MX_SCHEMA if v.get("mode") == "mx" else HOST_SCHEMA
    c.expect("report schema", schema, rep.get("schema"))
    c.expect("exit status matches the report", rep.get("exit_status"),
             r.returncode)
    hosts = hosts_of(rep) if schema == MX_SCHEMA else [rep]
    for h in hosts:
        tag = "" if h is rep else " (%s)" % get(h, "target", "host")
        c.expect("host report schema" + tag, HOST_SCHEMA, h.get("schema"))
        c.expect("interrupted" + tag, False, h.get("interrupted"))
        if get(h, "target", "resolved") is not False:
            c.expect("ports probed" + tag, v["ports"],
                     [p.get("port") for p in h.get("ports") or []])


def cmd_variant(name, mxprobe):
    if name not in VARIANTS:
        raise TestbedError("unknown variant %r; known: %s"
                           % (name, " ".join(VARIANTS)))
    mxprobe = os.path.abspath(mxprobe)
    if not os.access(mxprobe, os.X_OK):
        raise TestbedError("mxprobe binary %s not executable" % mxprobe)
    require_root()
    v = VARIANTS[name]
    rules = v.get("rules", {})
    limit = MX_LIMIT_S if v.get("mode") == "mx" or "bound_s" in v \
        else PROBE_LIMIT_S
    lock = lock_state()        # variants share the router: one at a time
    try:
        require_up()
        c = Checker(name)
        print("variant %s: %s" % (name, v["text"]), flush=True)
        drop_variant_table()   # a killed earlier variant's rules
        flush_path_state()
        ctx = dict(timeout=v["timeout"], testbed_id=testbed_id())
        cmd = [tool("ip"), "netns", "exec", NS_CLIENT, mxprobe] + \
            variant_argv(v)
        try:
            for ns, text in rules.items():
                nft(ns, "table inet %s {\n%s\n}\n" % (VARIANT_TABLE, text))
            print("$ " + " ".join(cmd[4:]), flush=True)
            t0 = time.monotonic()
            try:
                r = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                                   capture_output=True, text=True,
                                   timeout=limit)
            except subprocess.TimeoutExpired as e:
                err = e.stderr or ""
                if isinstance(err, bytes):
                    err = err.decode(errors="replace")
                c.fails.append(("mxprobe finishes", "within %d s" % limit,
                                "still running: killed (stderr %r)"
                                % err[-300:]))
                return c.report()
            wall = time.monotonic() - t0
            ctx["counters"] = read_counters(rules)
            ctx["mtu_after"] = mx_learned_mtu()
            ctx["client_mtu_after"] = route_mtu(NS_CLIENT, MX_ADDR)
        finally:
            drop_variant_table()
        os.makedirs(report_dir(), exist_ok=True)
        try:
            rep = json.loads(r.stdout)
        except ValueError:
            rep = None
        if isinstance(rep, dict):
            rep["_testbed"] = ctx["testbed_id"]
            with open(os.path.join(report_dir(), name + ".json"), "w") as f:
                json.dump(rep, f)
        print("  mxprobe exit %d in %.1f s; counters %s; path MTU cached by "
              "the MX %s, by the client %s" % (
                  r.returncode, wall, ctx["counters"] or "-",
                  ctx["mtu_after"] or "none",
                  ctx["client_mtu_after"] or "none"), flush=True)
        if r.stderr.strip():
            print("  stderr: " + r.stderr.strip()[-500:])
        if not isinstance(rep, dict):
            c.expect_in("mxprobe exit status", (0, 1), r.returncode)
            c.fails.append(("a JSON report on stdout", "one JSON document",
                            r.stdout[:300]))
            return c.report()
        if rep.get("schema") == MX_SCHEMA:
            print_mx_report(rep)
        else:
            print_report(rep)
        check_common(c, v, r, wall, rep)
        v["check"](c, rep, ctx)
        return c.report()
    finally:
        os.close(lock)


# ---------------------------------------------------------------- main

USAGE = __doc__.strip()


def main(argv):
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    args = argv[1:]
    if not args or args[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0 if args else 2
    cmd, rest = args[0], args[1:]
    try:
        if cmd == "_smtp-check":
            return _smtp_check(*rest)
        if cmd == "_dns-check":
            return _dns_check()
        if cmd == "_dns-ping":
            return _dns_ping()
        on_signal_raise()
        if cmd == "up":
            cmd_up()
        elif cmd == "down":
            cmd_down()
        elif cmd in ("--cleanup", "cleanup"):
            cmd_cleanup()
        elif cmd == "status":
            return cmd_status()
        elif cmd == "dns-check":
            return cmd_dns_check()
        elif cmd == "variants":
            for name, v in VARIANTS.items():
                print(name if rest == ["--names"] else
                      "%-12s %s" % (name, v["text"]))
        elif cmd == "variant" and len(rest) == 2:
            return cmd_variant(rest[0], rest[1])
        else:
            print(USAGE, file=sys.stderr)
            return 2
    except TestbedError as e:
        print("testbed: error: %s" % e, file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt as e:
        print("testbed: interrupted (%s)" % (e or "SIGINT"), file=sys.stderr,
              flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
