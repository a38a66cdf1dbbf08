import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { prepareBuildFolder } from "../../src/execute/build-outputs.ts";

// Unit tests: the checks a build makes before it spends minutes building.

const scratch = mkdtempSync(join(tmpdir(), "groundwork-build-folder-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

test("makes the output folder private (0700): activate.sh in it holds password hashes", async () => {
  const dir = join(scratch, "new", "result");
  await prepareBuildFolder(dir);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
});

test("accepts a folder from an earlier build", async () => {
  const dir = join(scratch, "earlier");
  mkdirSync(dir);
  writeFileSync(join(dir, "activate.sh"), "");
  await prepareBuildFolder(dir);
});

test("refuses, before building, an output that is a file, below a file, or holds a folder by an output's name", async () => {
  const file = join(scratch, "a-file");
  writeFileSync(file, "");
  const withFolder = join(scratch, "with-folder");
  mkdirSync(join(withFolder, "activate.sh"), { recursive: true });
  const rows: [string, RegExp][] = [
    [
      file,
      /^UsageError: -o ".*a-file": it, or a folder above it, is a file; give a folder groundwork can write to, e\.g\. -o result$/,
    ],
    [join(file, "below"), /it, or a folder above it, is a file/],
    [withFolder, /^UsageError: -o ".*with-folder": activate\.sh in it is a folder;/],
  ];
  for (const [dir, message] of rows) await assert.rejects(prepareBuildFolder(dir), message, dir);
});

test("refuses a folder it cannot write to", {
  skip: process.getuid?.() === 0 && "root writes anywhere",
}, async () => {
  const locked = join(scratch, "locked");
  mkdirSync(locked, { mode: 0o500 });
  chmodSync(locked, 0o500);
  await assert.rejects(prepareBuildFolder(locked), /^UsageError: -o ".*locked": it is not writable;/);
  await assert.rejects(prepareBuildFolder(join(locked, "sub")), /it cannot be made \(EACCES\)/);
});
