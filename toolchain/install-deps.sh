#!/usr/bin/env bash
# Install everything mxprobe needs on Debian 12 (run as root), then fetch and
# verify the pinned wolfSSL / lwIP sources. Idempotent and quiet when all is there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

packages=(
  # build
  build-essential cmake ninja-build pkg-config dpkg-dev
  # the formatting check of make test
  clang-format
  # tests: unit (cmocka), sanitizers and fuzzing (clang + compiler-rt)
  libcmocka-dev clang-14 libclang-rt-14-dev
  # the fault-injection test's MX speaks real TLS through OpenSSL (tests/unit/test_faults.c)
  libssl-dev
  # integration fixtures and peers: postfix MX instances, openssl, sslscan
  postfix openssl sslscan python3 procps iproute2
  # path-diagnostics testbed: packet filtering in namespaces, a scripted DNS server
  nftables python3-dnslib
  # benchmark: peak RSS of each probe run
  time
  # firmware: Cortex-M cross compiler with newlib, and QEMU to boot the boards
  gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
  # Linux appliances: cross compilers with glibc, QEMU user mode to run them
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross gcc-arm-linux-gnueabihf libc6-dev-armhf-cross
  gcc-mipsel-linux-gnu libc6-dev-mipsel-cross qemu-user-static
  # soft-float routers (toolchain/build-sysroot.sh): MIPS cross compilers and
  # kernel headers to build musl and compiler-rt with (sources: fetch-deps.sh),
  # and for ARMv5 Debian's armel compiler and musl (a foreign architecture)
  gcc-mips-linux-gnu linux-libc-dev-mips-cross linux-libc-dev-mipsel-cross
  gcc-arm-linux-gnueabi linux-libc-dev-armel-cross musl-dev:armel make xz-utils
)
# Foreign architectures some of those packages belong to.
foreign_archs=(armel)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing packages: ${missing[*]} (run as root to install them)" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}" >&2
  for a in "${foreign_archs[@]}"; do
    dpkg --print-foreign-architectures | grep -qx "$a" || {
      echo "install-deps: dpkg --add-architecture $a" >&2
      dpkg --add-architecture "$a"
    }
  done
  # postfix asks what kind of mail system to set up: none. The tests run their
  # own instances with their own configuration.
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

"$here/fetch-deps.sh"
