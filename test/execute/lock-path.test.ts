import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { lockPathOf, readLock } from "../../src/execute/pins.ts";

const scratch = mkdtempSync(join(tmpdir(), "groundwork-lock-path-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

test("groundwork.lock sits in the configuration's folder, or beside its file", async () => {
  writeFileSync(join(scratch, "configuration.ts"), "");
  assert.equal(await lockPathOf(scratch), join(scratch, "groundwork.lock"));
  assert.equal(await lockPathOf(join(scratch, "configuration.ts")), join(scratch, "groundwork.lock"));
});

test("a configuration that does not exist is a usage error that says what to give", async () => {
  await assert.rejects(
    lockPathOf(join(scratch, "missing")),
    /^UsageError: ".*missing" does not exist: give the configuration file or folder \(configuration\.ts inside\)$/,
  );
});

test("a groundwork.lock that cannot be read is a usage error, not a crash", async () => {
  const folder = join(scratch, "lock-is-a-folder");
  mkdirSync(join(folder, "groundwork.lock"), { recursive: true });
  await assert.rejects(readLock(folder), /^UsageError: .*groundwork\.lock cannot be read \(EISDIR\)/);
});
