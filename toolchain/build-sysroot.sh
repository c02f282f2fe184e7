#!/usr/bin/env bash
# The soft-float sysroot of one router toolchain: a static musl libc, a
# soft-float compiler runtime, the kernel headers, and a gcc specs file that
# makes Debian's cross gcc use them instead of its own glibc and libgcc.
#
#   toolchain/build-sysroot.sh TARGET OUT_DIR [DEPS_DIR]
#
#   TARGET    mipsel-24kc  MIPS32r2 little-endian, soft-float (OpenWrt ramips)
#             mips-24kc    MIPS32r2 big-endian, soft-float (OpenWrt ath79)
#             armv5        ARMv5TE, soft-float, no VFP (Kirkwood and other ARM9)
#   OUT_DIR   where the sysroot goes (the toolchain files use <build dir>/sysroot)
#   DEPS_DIR  the source cache of toolchain/fetch-deps.sh (default: $MXP_DEPS_DIR
#             or .deps/ at the top of the tree)
#
# Why: Debian 12 has no soft-float libc or libgcc for MIPS (its mipsel glibc,
# musl-dev:mipsel and the cross libgcc are hard-float; big-endian MIPS is no
# bookworm architecture at all), so for MIPS this builds Debian's musl source
# package (1.2.3) and compiler-rt's builtins from Debian's llvm-toolchain-14
# source package with the Debian cross compiler and -msoft-float. For ARMv5
# Debian ships everything soft-float (musl-dev:armel, gcc-arm-linux-gnueabi's
# libgcc): the sysroot only points at it and adds the kernel headers.
#
# Layout of OUT_DIR:
#   mxp-musl.specs    pass -specs=OUT_DIR/mxp-musl.specs to compile and link
#   include/          musl's headers (MIPS; ARMv5 uses Debian's in place)
#   kernel/include/   linux/, asm/, asm-generic/ of the cross linux-libc-dev
#   lib/              crt1.o crti.o crtn.o libc.a libcompiler_rt.a (MIPS)
#   .mxp-sysroot      what it was built from; an equal recipe means up to date
#
# Idempotent: exits at once when OUT_DIR holds a sysroot of the same recipe
# (target, flags, source checksums, compiler version, this script). Every
# library put into the sysroot is checked with readelf to be soft-float.
# Prints how long each part took. Nothing is written outside OUT_DIR and the
# cache (never into the source tree).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
[ $# -ge 2 ] || { sed -n '2,/^set -e/{/^#/s/^# \{0,1\}//p}' "$0" >&2; exit 2; }
target=$1
out=$2
deps=${3:-${MXP_DEPS_DIR:-$top/.deps}}

log() { printf 'build-sysroot: %s: %s\n' "$target" "$*"; }
die() { printf 'build-sysroot: %s: %s\n' "$target" "$*" >&2; exit 1; }

# The libc's ABI and ISA baseline. toolchain/cpu/<cpu>.cmake gives our own
# code the same flags; the appliance test checks the float ABI of the result.
case "$target" in
mipsel-24kc)
  triple=mipsel-linux-gnu kernel_pkg=linux-libc-dev-mipsel-cross libc=musl runtime=compiler-rt
  flags="-march=mips32r2 -mtune=24kc -msoft-float" ;;
mips-24kc)
  triple=mips-linux-gnu kernel_pkg=linux-libc-dev-mips-cross libc=musl runtime=compiler-rt
  flags="-march=mips32r2 -mtune=24kc -msoft-float" ;;
armv5)
  triple=arm-linux-gnueabi kernel_pkg=linux-libc-dev-armel-cross libc=debian-armel runtime=libgcc
  flags="-march=armv5te -mtune=arm926ej-s -mfloat-abi=soft -marm" ;;
*) die "unknown target (mipsel-24kc, mips-24kc, armv5)" ;;
esac
cc=$triple-gcc
command -v "$cc" >/dev/null ||
  die "no $cc (apt-get install gcc-$triple; toolchain/install-deps.sh installs it)"
kernel=/usr/$triple/include
[ -f "$kernel/linux/errqueue.h" ] && [ -d "$kernel/asm" ] ||
  die "no kernel headers in $kernel (apt-get install $kernel_pkg)"

# Sources (MIPS only): fetched and verified into the cache, read-only here.
if [ "$libc" = musl ]; then
  "$here/fetch-deps.sh" "$deps" musl compiler-rt
  sources=$(cd "$deps" && echo musl/.verified-* compiler-rt/.verified-*)
else
  sources="musl-dev:armel $(dpkg-query -W -f='${Version}' musl-dev:armel 2>/dev/null || echo missing)"
fi
deps=$(cd "$deps" 2>/dev/null && pwd || echo "$deps")
mkdir -p "$out" && out=$(cd "$out" && pwd)
musl_src=$deps/musl
crt_src=$deps/compiler-rt

recipe="target=$target cc=$cc $($cc -dumpfullversion) flags=$flags libc=$libc runtime=$runtime
kernel=$kernel $(sed -n 's/^#define LINUX_VERSION_CODE //p' "$kernel/linux/version.h")
sources=$sources
script=$(sha256sum "$0" | cut -d' ' -f1)"
if [ -f "$out/.mxp-sysroot" ] && [ "$(cat "$out/.mxp-sysroot")" = "$recipe" ]; then
  log "up to date in $out"
  exit 0
fi

now_ms() { echo $(($(date +%s%N) / 1000000)); }
secs() { local d=$(($(now_ms) - $1)); printf '%d.%d' $((d / 1000)) $((d % 1000 / 100)); }
t0=$(now_ms)

rm -rf "${out:?}"
mkdir -p "$out/lib" "$out/kernel/include" "$out/work"

# Only these three: the rest of the cross include directory may hold the
# target's glibc headers (libc6-dev-*-cross), which must stay out of reach.
for d in linux asm asm-generic; do
  ln -s "$kernel/$d" "$out/kernel/include/$d"
done

case "$libc" in
musl)
  libc_inc=$out/include
  libc_lib=$out/lib
  runtime_lib=$out/lib/libcompiler_rt.a ;;
debian-armel)
  libc_inc=/usr/include/arm-linux-musleabi
  libc_lib=/usr/lib/arm-linux-musleabi
  [ -f "$libc_lib/libc.a" ] && [ -f "$libc_inc/stdio.h" ] ||
    die "no musl for armel in $libc_lib (dpkg --add-architecture armel; apt-get install musl-dev:armel)"
  runtime_lib=$($cc $flags -print-libgcc-file-name) ;;
esac

# gcc specs: musl's headers, then the kernel's, then gcc's own (stddef.h,
# stdarg.h; not include-fixed, which is fixed for glibc); musl's start files
# and libc; the soft-float runtime in place of libgcc; and -nostdlib to ld so
# that nothing is found in the default search path (the cross glibc).
# The same scheme as the musl-gcc.specs of Debian's musl-dev packages.
cat >"$out/mxp-musl.specs" <<EOF
%rename cpp_options old_cpp_options

*cpp_options:
-nostdinc -isystem $libc_inc -isystem $out/kernel/include -isystem include%s %(old_cpp_options)

*cc1:
%(cc1_cpu) -nostdinc -isystem $libc_inc -isystem $out/kernel/include -isystem include%s

*link_libgcc:
-L$libc_lib

*libgcc:
$runtime_lib

*startfile:
$libc_lib/crt1.o $libc_lib/crti.o

*endfile:
$libc_lib/crtn.o

%rename link old_link

*link:
%(old_link) -nostdlib

EOF

if [ "$libc" = musl ]; then
  # musl, out of tree (the cache stays read-only), static only.
  t=$(now_ms)
  mkdir -p "$out/work/musl"
  (cd "$out/work/musl" &&
    CC=$cc CROSS_COMPILE=$triple- CFLAGS="$flags" \
      "$musl_src/configure" --target="${triple%%-*}-linux-musl" --prefix=/ \
      --disable-shared --disable-wrapper >configure.log 2>&1 &&
    make -j"$(nproc)" >make.log 2>&1 &&
    make install DESTDIR="$out" >install.log 2>&1) ||
    { tail -n 30 "$out"/work/musl/*.log >&2; die "musl build failed (logs in $out/work/musl)"; }
  grep -q -- '-sf$' <(sed -n 's/^SUBARCH = //p' "$out/work/musl/config.mak") ||
    die "musl did not configure for soft-float ($(grep SUBARCH "$out/work/musl/config.mak"))"
  log "musl $(cat "$musl_src/VERSION") static libc built in $(secs "$t") s"

  # compiler-rt builtins: the generic C sources compiler-rt's own CMake
  # builds for mips/mipsel (mips_SOURCES = GENERIC_SOURCES), with its
  # flags; the 128-bit ones compile to nothing on a 32-bit target.
  t=$(now_ms)
  mkdir -p "$out/work/builtins"
  builtins=$(sed -n '/^set(GENERIC_SOURCES/,/^)/{s/^ *\([a-z0-9_]*\.c\)$/\1/p}' "$crt_src/CMakeLists.txt")
  [ "$(echo "$builtins" | wc -w)" -gt 100 ] || die "no GENERIC_SOURCES in $crt_src/CMakeLists.txt"
  export cc flags crt_src out
  printf '%s\n' $builtins | xargs -P"$(nproc)" -I{} sh -c \
    '$cc -specs="$out/mxp-musl.specs" $flags -O2 -std=c11 -fno-builtin -ffreestanding \
       -fvisibility=hidden -fomit-frame-pointer -fno-pie \
       -c "$crt_src/{}" -o "$out/work/builtins/$(basename {} .c).o"' ||
    die "compiler-rt builtins failed to compile"
  "$triple-ar" rcs "$runtime_lib" "$out"/work/builtins/*.o
  log "compiler-rt builtins (LLVM 14, $(echo "$builtins" | wc -w) sources) built in $(secs "$t") s"
  rm -rf "$out/work"
else
  rmdir "$out/work"
fi

# Every library must be soft-float: a hard-float object anywhere (Debian's
# MIPS libgcc, a VFP routine) would make the router's kernel kill the program.
for lib in "$libc_lib/libc.a" "$libc_lib/crt1.o" "$runtime_lib"; do
  attrs=$(readelf -A "$lib" 2>/dev/null || true)
  case "$target" in
  mips*)
    hard=$(grep -E 'FP ABI:|Tag_GNU_MIPS_ABI_FP:' <<<"$attrs" | grep -vc 'Soft float' || true)
    soft=$(grep -Ec 'FP ABI: Soft float' <<<"$attrs" || true) ;;
  arm*)
    hard=$(grep -Ec 'Tag_FP_arch|Tag_ABI_VFP_args|Tag_Advanced_SIMD_arch|Tag_CPU_arch: v[6-9]' <<<"$attrs" || true)
    soft=$(grep -Ec 'Tag_CPU_arch: v[45]' <<<"$attrs" || true) ;;
  esac
  [ "$hard" = 0 ] && [ "$soft" -gt 0 ] ||
    die "$lib is not soft-float ($hard hard-float members, $soft soft)"
done

printf '%s\n' "$recipe" >"$out/.mxp-sysroot"
log "sysroot ready in $out ($(secs "$t0") s)"
