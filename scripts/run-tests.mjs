#!/usr/bin/env node
// Runs the test files under test/ (or the folders given) with node's test runner and tsx.
// Node 20's runner neither globs nor knows .ts, so the files are listed here.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);
const skipHost = args.includes("--skip-host");
const roots = args.filter((arg) => !arg.startsWith("--"));

function collect(path) {
  if (statSync(path).isFile()) return path.endsWith(".test.ts") ? [path] : [];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => collect(join(path, entry)));
}

let files = (roots.length > 0 ? roots : ["test"]).flatMap(collect);
if (skipHost) files = files.filter((file) => !file.includes("/host/") && !file.includes("/vm/"));
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-reporter=spec", "--test-concurrency=1", ...files],
  { stdio: "inherit" },
);
process.exitCode = result.status ?? 1;
