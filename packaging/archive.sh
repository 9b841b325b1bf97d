#!/usr/bin/env bash
# Packs one release binary the way the release attaches it and the GitHub Action downloads it:
#   conflictguard-<version>-<target>.tar.gz (a .zip for Windows), holding the folder
#   conflictguard-<version>-<target>/ with the binary, README.md and the man pages, and beside it
#   <archive>.sha256: "<sha-256 in hex>  <archive name>", the format sha256sum -c reads.
#
#   packaging/archive.sh <binary> <target> <version> <out-dir> [<man-page-dir>]
set -euo pipefail

if [ $# -lt 4 ] || [ $# -gt 5 ]; then
  echo "usage: packaging/archive.sh <binary> <target> <version> <out-dir> [<man-page-dir>]" >&2
  exit 2
fi
binary=$1 target=$2 version=${3#v} out=$4 man=${5:-}
root=$(cd "$(dirname "$0")/.." && pwd)
[ -f "$binary" ] || { echo "archive.sh: no binary at $binary" >&2; exit 2; }
[ -z "$man" ] || [ -f "$man/conflictguard.1" ] || { echo "archive.sh: no conflictguard.1 in $man" >&2; exit 2; }

name="conflictguard-$version-$target"
mkdir -p "$out"
out=$(cd "$out" && pwd)
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
mkdir "$staging/$name"
case "$target" in
  *windows*) cp "$binary" "$staging/$name/conflictguard.exe" ;;
  *) cp "$binary" "$staging/$name/conflictguard" && chmod 755 "$staging/$name/conflictguard" ;;
esac
cp "$root/README.md" "$staging/$name/"
if [ -n "$man" ]; then
  mkdir "$staging/$name/man"
  cp "$man"/*.1 "$staging/$name/man/"
fi

case "$target" in
  *windows*)
    archive="$name.zip"
    (cd "$staging" && 7z a -tzip -bso0 "$out/$archive" "$name")
    ;;
  *)
    archive="$name.tar.gz"
    # GNU tar (Linux) makes it reproducible: sorted names, fixed owner and modification time.
    # macOS's bsdtar has no such flags.
    if tar --version 2>/dev/null | grep -q 'GNU tar'; then
      tar -C "$staging" --sort=name --owner=0 --group=0 --numeric-owner \
        --mtime='2000-01-01 00:00Z' -cf - "$name" | gzip -n -9 > "$out/$archive"
    else
      tar -C "$staging" -cf - "$name" | gzip -n -9 > "$out/$archive"
    fi
    ;;
esac

if command -v sha256sum >/dev/null 2>&1; then
  (cd "$out" && sha256sum "$archive" > "$archive.sha256")
else
  (cd "$out" && shasum -a 256 "$archive" > "$archive.sha256")
fi
echo "$out/$archive"
