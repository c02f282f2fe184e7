#!/usr/bin/env bash
# Fetch pinned third-party sources from Debian's source packages, verify each
# upstream tarball by sha256 and unpack it into a cache outside git.
#
#   toolchain/fetch-deps.sh [CACHE_DIR] [NAME...]
#
#   CACHE_DIR  default: $MXP_DEPS_DIR or .deps/ at the top of the tree
#   NAME       what to fetch; default: wolfssl lwip (what every build needs).
#              musl and compiler-rt are the soft-float router toolchains'
#              sources (toolchain/build-sysroot.sh asks for them).
#
# Idempotent: a verified, unpacked tree is left alone. The source entry is derived
# from the machine's own Debian "deb" entries, so no mirror is named here.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
cache=${1:-${MXP_DEPS_DIR:-$top/.deps}}
shift || true
wanted=("$@")
[ "${#wanted[@]}" -gt 0 ] || wanted=(wolfssl lwip)

# name  source-package  upstream tarball  sha256  path inside the tarball
# (only that path is unpacked, as ${cache}/<name>)
deps=(
  "wolfssl wolfssl wolfssl_5.5.4.orig.tar.gz b7ee150e49def77c765bc02aac92ddeb0bebefd4cb12aa263d8f95e405221fb8 wolfssl-5.5.4-stable"
  "lwip lwip lwip_2.1.3+dfsg1.orig.tar.xz 0a8276d09fc4e97bbba2f953d74af2388fc2195ea156be9d7589e297a68fde24 lwip-2.1.3"
  # musl 1.2.3, Debian 12's: the static libc of the soft-float MIPS router builds.
  "musl musl musl_1.2.3.orig.tar.gz 7d5b0b6062521e4627e099e4c9dc8248d32a30285e959b7eecaa780cf8cfd4a4 musl-1.2.3"
  # compiler-rt's builtins from Debian 12's LLVM 14: the soft-float compiler
  # runtime (Debian's cross libgcc for MIPS is hard-float). A 124 MiB tarball,
  # of which only this 2 MB subtree is unpacked.
  "compiler-rt llvm-toolchain-14 llvm-toolchain-14_14.0.6.orig.tar.xz d9bce5f42381d781e273c724db1ab0acd66259bf2782b79891664dbf1953d22c llvm-toolchain-14_14.0.6/compiler-rt/lib/builtins"
)

log() { printf 'fetch-deps: %s\n' "$*" >&2; }

entry() { # entry NAME: the deps line for NAME
  local d
  for d in "${deps[@]}"; do
    [ "${d%% *}" = "$1" ] && { printf '%s\n' "$d"; return 0; }
  done
  log "unknown source '$1' (known: $(printf '%s ' "${deps[@]%% *}"))"
  exit 2
}

ensure_deb_src() {
  if grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    return 0
  fi
  local src=/etc/apt/sources.list.d/debian.sources out=/etc/apt/sources.list.d/mxprobe-deb-src.sources
  if [ -f "$src" ]; then
    log "adding deb-src entries derived from $src"
    sed -e 's/^Types: *deb$/Types: deb-src/' "$src" >"$out"
  elif [ -f /etc/apt/sources.list ]; then
    log "adding deb-src lines derived from /etc/apt/sources.list"
    sed -n 's/^deb \(.*\)$/deb-src \1/p' /etc/apt/sources.list >/etc/apt/sources.list.d/mxprobe-deb-src.list
  else
    log "no Debian apt source found to derive a deb-src entry from"; exit 1
  fi
  apt-get update -qq
}

todo=()
for name in "${wanted[@]}"; do
  line=$(entry "$name")
  read -r _ _ _ sum _ <<<"$line"
  [ -f "$cache/$name/.verified-$sum" ] || todo+=("$name")
done
[ "${#todo[@]}" -gt 0 ] || { log "${wanted[*]}: up to date in $cache"; exit 0; }

mkdir -p "$cache/dl"
# One fetcher per cache at a time (two router presets configured at once).
exec 9>"$cache/dl/.lock"
flock 9

command -v dpkg-source >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dpkg-dev >/dev/null
for name in "${todo[@]}"; do
  line=$(entry "$name")
  read -r _ pkg tarball sum dir <<<"$line"
  [ -f "$cache/$name/.verified-$sum" ] && continue   # done while we waited for the lock
  if [ ! -f "$cache/dl/$tarball" ]; then
    ensure_deb_src
    log "apt-get source --download-only $pkg"
    (cd "$cache/dl" && apt-get source --download-only -qq "$pkg" >/dev/null 2>&1) ||
      { apt-get update -qq && (cd "$cache/dl" && apt-get source --download-only -qq "$pkg" >/dev/null); }
  fi
  got=$(sha256sum "$cache/dl/$tarball" | cut -d' ' -f1)
  if [ "$got" != "$sum" ]; then
    log "sha256 mismatch for $tarball: expected $sum, got $got"; exit 1
  fi
  rm -rf "${cache:?}/$name" "$cache/$name.tmp"
  mkdir -p "$cache/$name.tmp"
  tar -xf "$cache/dl/$tarball" -C "$cache/$name.tmp" "$dir"
  mv "$cache/$name.tmp/$dir" "$cache/$name"
  rm -rf "$cache/$name.tmp"
  touch "$cache/$name/.verified-$sum"
  log "$name ready in $cache/$name"
done
