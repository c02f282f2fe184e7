"""Fixture profiles shared by mxfix, truth.py and check_profile.py.

One table, so the ports and the TLS settings of every local MX live in
exactly one place.  Ports are fixed: the demo, the README and the tests
reference them by number.
"""

import os

# (name, port, mode, kind, description).  Order matters: `mxfix ports` and
# `mxfix status` print in this order.
PROFILES = {
    "modern": dict(port=10025, mode="starttls", kind="postfix", key="rsa",
                   protocols=">=TLSv1.2", ciphers=None,
                   text="STARTTLS, TLS 1.2 + 1.3, RSA-2048"),
    "legacy": dict(port=10026, mode="starttls", kind="postfix", key="rsa",
                   protocols=">=TLSv1, <=TLSv1",
                   # OpenSSL 3 refuses TLS 1.0's MD5+SHA1 signatures at the
                   # default security level 1: without @SECLEVEL=0 the server
                   # cannot complete a single TLS 1.0 handshake.
                   ciphers="aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH"
                           ":@SECLEVEL=0",
                   text="STARTTLS, TLS 1.0 only (@SECLEVEL=0)"),
    "tls13": dict(port=10027, mode="starttls", kind="postfix", key="rsa",
                  protocols=">=TLSv1.3", ciphers=None,
                  text="STARTTLS, TLS 1.3 only"),
    "single": dict(port=10028, mode="starttls", kind="postfix", key="rsa",
                   protocols=">=TLSv1.2, <=TLSv1.2",
                   ciphers="ECDHE-RSA-AES128-GCM-SHA256",
                   text="STARTTLS, TLS 1.2 only, one suite"),
    "nostarttls": dict(port=10029, mode="starttls", kind="postfix", key=None,
                       protocols=None, ciphers=None,
                       text="no STARTTLS offered"),
    "implicit": dict(port=10465, mode="implicit", kind="postfix", key="rsa",
                     protocols=">=TLSv1.2", ciphers=None,
                     text="implicit TLS (wrappermode), TLS 1.2 + 1.3"),
    "ecdsa": dict(port=10030, mode="starttls", kind="postfix", key="ec",
                  protocols=">=TLSv1.2", ciphers=None,
                  text="STARTTLS, TLS 1.2 + 1.3, ECDSA P-256"),
    "drop": dict(port=10031, mode="starttls", kind="hostile", key=None,
                 text="STARTTLS 220, reads the ClientHello, closes (FIN)"),
    "busy": dict(port=10032, mode="starttls", kind="hostile", key=None,
                 text="421 4.7.0 at the banner, closes"),
    "stall": dict(port=10033, mode="starttls", kind="hostile", key=None,
                  text="STARTTLS 220, never answers the ClientHello"),
    "reset": dict(port=10034, mode="starttls", kind="hostile", key=None,
                  text="STARTTLS 220, RST once the ClientHello arrives"),
    "garbage": dict(port=10035, mode="starttls", kind="hostile", key=None,
                    text="100-line banner, 5000-byte EHLO line, binary bytes"),
}

for _name, _p in PROFILES.items():
    _p["name"] = _name
    _p["hostname"] = "mx.%s.test" % _name
    _p["tls"] = _p["kind"] == "postfix" and _p["key"] is not None

VERSIONS = ["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"]

# openssl s_client switches per version.
VERSION_FLAGS = {"TLSv1.0": "-tls1", "TLSv1.1": "-tls1_1",
                 "TLSv1.2": "-tls1_2", "TLSv1.3": "-tls1_3"}


def state_dir():
    """Absolute state directory: $MXP_FIX_DIR or /tmp/mxprobe-fixtures."""
    return os.path.abspath(os.environ.get("MXP_FIX_DIR")
                           or "/tmp/mxprobe-fixtures")


def profile_dir(name):
    return os.path.join(state_dir(), name)


def generation(name):
    """Token written at each (re)start of a profile; None if never started."""
    try:
        with open(os.path.join(profile_dir(name), "generation")) as f:
            return f.read().strip() or None
    except OSError:
        return None
