#!/usr/bin/env bash
# Fail when a C source or header of ours differs from .clang-format
# (clang-format 14, Debian 12). Third-party code is never in the tree.
#   tests/lint/check_format.sh          check every tracked *.c / *.h
#   tests/lint/check_format.sh --fix    reformat them in place
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v clang-format >/dev/null || { echo "check_format: clang-format not found (apt-get install clang-format)" >&2; exit 2; }
mapfile -t files < <(git ls-files '*.c' '*.h')
if [ "${1:-}" = "--fix" ]; then
    clang-format -i "${files[@]}"
    exit 0
fi
bad=()
for f in "${files[@]}"; do
    clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ "${#bad[@]}" -gt 0 ]; then
    echo "check_format: ${#bad[@]} file(s) differ from .clang-format:"
    for f in "${bad[@]}"; do
        echo "  $f"
        clang-format "$f" | diff -u "$f" - | head -20 || true
    done
    echo "check_format: run tests/lint/check_format.sh --fix"
    exit 1
fi
echo "check_format: ${#files[@]} files match .clang-format"
