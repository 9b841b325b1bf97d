#!/usr/bin/env node
// Writes the npm packages of one release from one table: `conflictguard` (the launcher, with every
// platform package as an optional dependency) and, for each prebuilt binary given, its platform
// package (`os`, `cpu` and, on Linux, `libc`, so npm installs only the one that fits). No install
// script anywhere: npm puts the right binary in place by itself, offline and in containers too.
//
//   node packaging/npm/generate.mjs --out <dir> [--version <v>] [--binary <platform>=<path>]...
//
// <platform> is a key of PLATFORMS (linux-x64-gnu, …); the version defaults to Cargo.toml's.
// Each package is written to <dir>/<folder>; `npm pack` or `npm publish` it from there.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");

/** Every platform with a prebuilt binary: the npm fields and the Rust target it is built for. */
const PLATFORMS = {
  "linux-x64-gnu": { os: "linux", cpu: "x64", libc: "glibc", target: "x86_64-unknown-linux-gnu" },
  "linux-arm64-gnu": { os: "linux", cpu: "arm64", libc: "glibc", target: "aarch64-unknown-linux-gnu" },
  "linux-x64-musl": { os: "linux", cpu: "x64", libc: "musl", target: "x86_64-unknown-linux-musl" },
  "linux-arm64-musl": { os: "linux", cpu: "arm64", libc: "musl", target: "aarch64-unknown-linux-musl" },
  "darwin-x64": { os: "darwin", cpu: "x64", target: "x86_64-apple-darwin" },
  "darwin-arm64": { os: "darwin", cpu: "arm64", target: "aarch64-apple-darwin" },
  "win32-x64": { os: "win32", cpu: "x64", target: "x86_64-pc-windows-msvc" },
};

const SCOPE = "@conflictguard";
const DESCRIPTION =
  "Guards git merges: finds identifiers that one side deleted and the merge brings back";
const LICENSE = "MIT OR Apache-2.0";

function usage(message) {
  process.stderr.write(
    `generate.mjs: ${message}\nusage: node packaging/npm/generate.mjs --out <dir> [--version <v>] [--binary <platform>=<path>]...\n` +
      `platforms: ${Object.keys(PLATFORMS).join(", ")}\n`,
  );
  process.exit(2);
}

function parseArgs(argv) {
  const options = { out: null, version: null, binaries: [] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (!["--out", "--version", "--binary"].includes(flag)) usage(`unknown argument ${flag}`);
    if (value === undefined) usage(`${flag} needs a value`);
    i++;
    if (flag === "--out") options.out = value;
    if (flag === "--version") options.version = value;
    if (flag === "--binary") {
      const at = value.indexOf("=");
      const key = value.slice(0, at);
      if (at < 1 || !(key in PLATFORMS)) usage(`--binary ${value}: expected <platform>=<path>`);
      const file = value.slice(at + 1);
      if (!fs.existsSync(file)) usage(`--binary ${value}: ${file} does not exist`);
      options.binaries.push([key, file]);
    }
  }
  if (!options.out) usage("--out is required");
  return options;
}

/** The [package] version of Cargo.toml: the one version of the crate, wheel and npm packages. */
function cargoVersion() {
  const manifest = fs.readFileSync(path.join(root, "Cargo.toml"), "utf8");
  const pkg = manifest.split(/^\[/m).find((section) => section.startsWith("package]"));
  const match = pkg && pkg.match(/^version\s*=\s*"([^"]+)"/m);
  if (!match) usage("no version in Cargo.toml's [package]");
  return match[1];
}

function writeJson(file, value) {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

function writePackage(dir, manifest, readme) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  writeJson(path.join(dir, "package.json"), manifest);
  fs.writeFileSync(path.join(dir, "README.md"), readme);
  for (const license of ["LICENSE-MIT", "LICENSE-APACHE", "LICENSE"]) {
    const source = path.join(root, license);
    if (fs.existsSync(source)) fs.copyFileSync(source, path.join(dir, license));
  }
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const version = options.version || cargoVersion();
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) usage(`${version} is not a version`);

  const launcherDir = path.join(options.out, "conflictguard");
  writePackage(
    launcherDir,
    {
      name: "conflictguard",
      version,
      description: DESCRIPTION,
      license: LICENSE,
      keywords: ["git", "merge", "conflict", "husky", "lefthook", "pre-commit"],
      bin: { conflictguard: "bin/conflictguard.js" },
      files: ["bin"],
      engines: { node: ">=14.18" },
      optionalDependencies: Object.fromEntries(
        Object.keys(PLATFORMS).map((key) => [`${SCOPE}/${key}`, version]),
      ),
    },
    `# conflictguard\n\n${DESCRIPTION}.\n\n` +
      "```sh\nnpm install -D conflictguard\nnpx conflictguard demo\n```\n\n" +
      "npm installs the prebuilt binary for this machine from one of the optional dependencies\n" +
      `(${SCOPE}/<os>-<cpu>[-<libc>]); there is no install script. Set CONFLICTGUARD_BINARY to run\n` +
      "another binary instead.\n",
  );
  fs.mkdirSync(path.join(launcherDir, "bin"));
  const launcher = path.join(launcherDir, "bin", "conflictguard.js");
  fs.copyFileSync(path.join(here, "conflictguard.js"), launcher);
  fs.chmodSync(launcher, 0o755);

  for (const [key, binary] of options.binaries) {
    const platform = PLATFORMS[key];
    const executable = platform.os === "win32" ? "conflictguard.exe" : "conflictguard";
    const dir = path.join(options.out, key);
    writePackage(
      dir,
      {
        name: `${SCOPE}/${key}`,
        version,
        description: `The conflictguard binary for ${key} (${platform.target})`,
        license: LICENSE,
        os: [platform.os],
        cpu: [platform.cpu],
        ...(platform.libc ? { libc: [platform.libc] } : {}),
        files: [executable],
        preferUnplugged: true,
      },
      `# ${SCOPE}/${key}\n\nThe conflictguard binary for ${platform.target}. Install \`conflictguard\`, ` +
        "which depends on this package where it fits.\n",
    );
    fs.copyFileSync(binary, path.join(dir, executable));
    fs.chmodSync(path.join(dir, executable), 0o755);
  }
}

main();
