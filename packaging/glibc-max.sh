#!/usr/bin/env bash
# Prints the highest glibc symbol version a Linux binary needs (objdump -T), e.g. 2.17; with a
# second argument, fails unless that is at most the given version. OBJDUMP names another objdump
# (objdump-multiarch for another architecture's binary).
#   packaging/glibc-max.sh <binary> [<at-most>]
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: packaging/glibc-max.sh <binary> [<at-most>]" >&2
  exit 2
fi
[ -f "$1" ] || { echo "glibc-max.sh: no file at $1" >&2; exit 2; }
symbols=$("${OBJDUMP:-objdump}" -T "$1")
highest=$(grep -o 'GLIBC_[0-9][0-9.]*' <<<"$symbols" | sed 's/^GLIBC_//' | sort -uV | tail -n1)
[ -n "$highest" ] || { echo "glibc-max.sh: $1 needs no glibc symbol (static?)" >&2; exit 1; }
echo "$highest"
if [ $# -eq 2 ] && [ "$(printf '%s\n%s\n' "$highest" "$2" | sort -V | tail -n1)" != "$2" ]; then
  echo "glibc-max.sh: $1 needs glibc $highest, above $2" >&2
  exit 1
fi
