#!/usr/bin/env bash
# Fetch the pinned third-party sources (wolfSSL 5.5.4, lwIP 2.1.3) from Debian's
# source packages, verify them by sha256 and unpack them into a cache outside git.
#
#   toolchain/fetch-deps.sh [CACHE_DIR]      default: $MXP_DEPS_DIR or .deps/ at the top
#
# Idempotent: a verified, unpacked tree is left alone. The source entry is derived
# from the machine's own Debian "deb" entries, so no mirror is named here.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
cache=${1:-${MXP_DEPS_DIR:-$top/.deps}}
mkdir -p "$cache/dl"

# name  source-package  upstream tarball  sha256  directory inside the tarball
deps=(
  "wolfssl wolfssl wolfssl_5.5.4.orig.tar.gz b7ee150e49def77c765bc02aac92ddeb0bebefd4cb12aa263d8f95e405221fb8 wolfssl-5.5.4-stable"
  "lwip lwip lwip_2.1.3+dfsg1.orig.tar.xz 0a8276d09fc4e97bbba2f953d74af2388fc2195ea156be9d7589e297a68fde24 lwip-2.1.3"
)

log() { printf 'fetch-deps: %s\n' "$*" >&2; }

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

need_fetch=0
for d in "${deps[@]}"; do
  read -r name pkg tarball sum dir <<<"$d"
  [ -f "$cache/$name/.verified-$sum" ] || need_fetch=1
done
[ "$need_fetch" = 1 ] || { log "sources up to date in $cache"; exit 0; }

command -v dpkg-source >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dpkg-dev >/dev/null
ensure_deb_src

for d in "${deps[@]}"; do
  read -r name pkg tarball sum dir <<<"$d"
  [ -f "$cache/$name/.verified-$sum" ] && continue
  if [ ! -f "$cache/dl/$tarball" ]; then
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
  tar -xf "$cache/dl/$tarball" -C "$cache/$name.tmp"
  mv "$cache/$name.tmp/$dir" "$cache/$name"
  rm -rf "$cache/$name.tmp"
  touch "$cache/$name/.verified-$sum"
  log "$name ready in $cache/$name"
done
