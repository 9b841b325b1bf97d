#!/usr/bin/env node
// The `conflictguard` command of the npm package: runs the prebuilt binary that npm installed
// with this platform's optional dependency (@conflictguard/<os>-<cpu>[-<libc>]), or the one
// CONFLICTGUARD_BINARY names. It passes the arguments, standard streams and exit code through.
"use strict";

const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

/** The platform package's name part for this machine, as packaging/npm/generate.mjs names them. */
function platformKey() {
  const { platform, arch } = process;
  if (platform !== "linux") {
    return `${platform}-${arch}`;
  }
  // Node built against glibc reports its version; on musl (Alpine) there is none.
  let glibc = true;
  try {
    const report = process.report && process.report.getReport();
    glibc = Boolean(report && report.header && report.header.glibcVersionRuntime);
  } catch {
    glibc = !fs.existsSync("/etc/alpine-release");
  }
  return `${platform}-${arch}-${glibc ? "gnu" : "musl"}`;
}

function fail(message) {
  process.stderr.write(`conflictguard: ${message}\n`);
  // 2, as the binary itself exits when it cannot do its job.
  process.exit(2);
}

function binaryPath() {
  const override = process.env.CONFLICTGUARD_BINARY;
  if (override) {
    if (!fs.existsSync(override)) {
      fail(`CONFLICTGUARD_BINARY is ${override}, which does not exist`);
    }
    return override;
  }
  const key = platformKey();
  const name = `@conflictguard/${key}`;
  const executable = process.platform === "win32" ? "conflictguard.exe" : "conflictguard";
  let manifest;
  try {
    manifest = require.resolve(`${name}/package.json`);
  } catch {
    fail(
      `the prebuilt binary for this platform (${name}) is not installed.\n` +
        "  It is an optional dependency of conflictguard: reinstall without --omit=optional or\n" +
        "  --no-optional. Platforms with a prebuilt binary: linux x64/arm64 (glibc and musl),\n" +
        "  darwin x64/arm64, win32 x64. Elsewhere, build it (cargo install --locked conflictguard)\n" +
        "  and set CONFLICTGUARD_BINARY to its path.",
    );
  }
  return path.join(path.dirname(manifest), executable);
}

const binary = binaryPath();
const result = spawnSync(binary, process.argv.slice(2), { stdio: "inherit", windowsHide: true });
if (result.error) {
  fail(`could not run ${binary}: ${result.error.message}`);
}
if (result.signal) {
  process.kill(process.pid, result.signal);
}
process.exit(result.status === null ? 2 : result.status);
