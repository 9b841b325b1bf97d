#!/usr/bin/env bash
# The GitHub Action's install step (action.yml). Puts a conflictguard binary on PATH:
# - the release archive matching the action's version and the runner's OS and architecture,
#   downloaded from the action's own repository and checked against its SHA-256 file;
# - only when no release matches (the action used at a branch or a commit, a fork without
#   releases, a platform without a prebuilt binary): `cargo install --locked` from the action's
#   own source.
# A binary restored by the cache step (`key` names it) is used as it is.
#
#   action-install.sh key       writes key=<cache key> to $GITHUB_OUTPUT
#   action-install.sh install   installs into $CG_INSTALL_DIR and adds it to $GITHUB_PATH
#
# Environment (action.yml sets it): GITHUB_ACTION_PATH, GITHUB_SERVER_URL, RUNNER_OS, RUNNER_ARCH,
# GITHUB_OUTPUT, GITHUB_PATH, CG_INSTALL_DIR, and CG_ACTION_REF / CG_ACTION_REPOSITORY from the
# github context (empty in some composite-action runs, actions/runner#2473: then they are read from
# the action's folder, …/_actions/<owner>/<repository>/<ref>).
set -euo pipefail

say() { echo "conflictguard: $*"; }
die() { echo "::error title=conflictguard::$*" >&2; exit 1; }

require() {
  local name
  for name in "$@"; do
    [ -n "${!name:-}" ] || die "$name is not set (action.yml sets it)"
  done
}

# The action's repository and ref: the github context's, else the folder the runner put it in.
action_identity() {
  repository=${CG_ACTION_REPOSITORY:-}
  ref=${CG_ACTION_REF:-}
  if [ -z "$ref" ] || [ -z "$repository" ]; then
    case "$GITHUB_ACTION_PATH" in
      */_actions/*/*/*)
        local tail=${GITHUB_ACTION_PATH#*/_actions/}
        repository=$(echo "$tail" | cut -d/ -f1-2)
        ref=$(echo "$tail" | cut -d/ -f3-)
        ;;
    esac
  fi
}

# A release exists only for a version tag: v1.2.3, v1.2.3-rc.1.
release_version() {
  if [[ "${ref:-}" =~ ^v([0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?)$ ]]; then
    echo "${BASH_REMATCH[1]}"
  fi
}

# The Rust target of the runner's prebuilt binary, or nothing when none is built for it.
runner_target() {
  local libc=gnu
  if [ "$RUNNER_OS" = Linux ] && ldd --version 2>&1 | grep -qi musl; then
    libc=musl
  fi
  case "$RUNNER_OS/$RUNNER_ARCH" in
    Linux/X64) echo "x86_64-unknown-linux-$libc" ;;
    Linux/ARM64) echo "aarch64-unknown-linux-$libc" ;;
    macOS/X64) echo x86_64-apple-darwin ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
  esac
}

exe() { if [ "$RUNNER_OS" = Windows ]; then echo conflictguard.exe; else echo conflictguard; fi; }

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

# A hash of the action's source: the cache key of a binary built from it.
source_hash() {
  (
    cd "$GITHUB_ACTION_PATH"
    find Cargo.toml Cargo.lock build.rs src grammars hooks -type f -print0 2>/dev/null |
      LC_ALL=C sort -z | xargs -0 cat | sha256_of /dev/stdin
  )
}

cache_key() {
  action_identity
  local version target
  version=$(release_version)
  target=$(runner_target)
  if [ -n "$version" ] && [ -n "$target" ]; then
    echo "conflictguard-$version-$target"
  else
    echo "conflictguard-source-$(source_hash)-$RUNNER_OS-$RUNNER_ARCH"
  fi
}

# Downloads $1 to $2; prints the HTTP status (000 when there was no answer).
download() {
  curl --silent --show-error --location --retry 3 --retry-connrefused \
    --output "$2" --write-out '%{http_code}' "$1" || true
}

# Sets released=yes when it installed the release archive, released=no when there is none; dies
# on anything else (a checksum that does not match, a server error). Never called as a condition,
# so that `set -e` holds inside.
install_release() {
  released=no
  local version=$1 target=$2 ext=tar.gz
  [ "$RUNNER_OS" = Windows ] && ext=zip
  local archive="conflictguard-$version-$target.$ext"
  local url="${GITHUB_SERVER_URL%/}/$repository/releases/download/v$version/$archive"
  local work
  work=$(mktemp -d)
  say "downloading $url"
  local status
  status=$(download "$url" "$work/$archive")
  case "$status" in
    200) ;;
    404)
      say "no release archive for v$version on $target ($url: 404)"
      return 0
      ;;
    *) die "downloading $url failed (HTTP status $status)" ;;
  esac
  status=$(download "$url.sha256" "$work/$archive.sha256")
  [ "$status" = 200 ] || die "the release has $archive but not its checksum file ($url.sha256: HTTP status $status)"
  local expected actual
  expected=$(cut -d' ' -f1 < "$work/$archive.sha256" | tr 'A-F' 'a-f')
  actual=$(sha256_of "$work/$archive")
  [[ "$expected" =~ ^[0-9a-f]{64}$ ]] || die "$archive.sha256 holds no SHA-256 digest"
  if [ "$expected" != "$actual" ]; then
    die "$archive does not match its SHA-256 file (expected $expected, got $actual): not installed"
  fi
  say "SHA-256 verified: $actual"
  local name="conflictguard-$version-$target"
  case "$ext" in
    zip) (cd "$work" && unzip -q "$archive") ;;
    *) tar -C "$work" -xzf "$work/$archive" ;;
  esac
  [ -f "$work/$name/$(exe)" ] || die "$archive has no $name/$(exe)"
  mkdir -p "$CG_INSTALL_DIR"
  cp "$work/$name/$(exe)" "$CG_INSTALL_DIR/$(exe)"
  chmod 755 "$CG_INSTALL_DIR/$(exe)"
  rm -rf "$work"
  released=yes
}

install_from_source() {
  command -v cargo >/dev/null 2>&1 ||
    die "no release matches and cargo is not installed: use the action at a release tag, or install Rust first (dtolnay/rust-toolchain)"
  local root=${CG_INSTALL_DIR%/bin}
  [ "$root/bin" = "$CG_INSTALL_DIR" ] || die "CG_INSTALL_DIR must end in /bin for cargo install --root"
  say "building from source: cargo install --locked --path $GITHUB_ACTION_PATH --root $root"
  cargo install --locked --quiet --path "$GITHUB_ACTION_PATH" --root "$root"
}

install() {
  action_identity
  local binary
  binary="$CG_INSTALL_DIR/$(exe)"
  if [ -x "$binary" ] && "$binary" --version >/dev/null 2>&1; then
    say "using the cached $("$binary" --version)"
  else
    local version target
    version=$(release_version)
    target=$(runner_target)
    if [ -z "$version" ]; then
      say "the action is used at '${ref:-a local path}', not a release tag: no release to download"
      install_from_source
    elif [ -z "$target" ]; then
      say "no prebuilt binary for $RUNNER_OS $RUNNER_ARCH"
      install_from_source
    else
      install_release "$version" "$target"
      [ "$released" = yes ] || install_from_source
    fi
    say "installed $("$binary" --version)"
  fi
  echo "$CG_INSTALL_DIR" >> "$GITHUB_PATH"
}

case "${1:-}" in
  key)
    require GITHUB_ACTION_PATH RUNNER_OS RUNNER_ARCH GITHUB_OUTPUT
    echo "key=$(cache_key)" >> "$GITHUB_OUTPUT"
    ;;
  install)
    require GITHUB_ACTION_PATH GITHUB_SERVER_URL RUNNER_OS RUNNER_ARCH GITHUB_PATH CG_INSTALL_DIR
    install
    ;;
  *)
    echo "usage: action-install.sh key|install" >&2
    exit 2
    ;;
esac
