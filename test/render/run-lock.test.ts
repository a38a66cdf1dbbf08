// The lock that keeps a deploy's disk and install scripts from running twice at once on one machine.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { DISK_PRELUDE, renderRunLock, WAIT_STEP } from "../../src/render/prelude.ts";

const root = mkdtempSync(join(tmpdir(), "groundwork-run-lock-test-"));
after(() => rmSync(root, { recursive: true, force: true }));

function run(name: string, work: string): Promise<{ code: number | null; stdout: string }> {
  const script = ["set -eu", DISK_PRELUDE, renderRunLock(join(root, "run.lock")), work].join("\n");
  const child = spawn("/bin/sh", ["-s"], { stdio: ["pipe", "pipe", "inherit"] });
  child.stdin.end(script);
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  return new Promise((resolve) =>
    child.on("close", (code) => resolve({ code, stdout: `${name}:${stdout}` })),
  );
}

test("a second run waits, saying so, until the first one and what it started have ended", async () => {
  const log = join(root, "log");
  // The first run leaves a child behind that holds the lock a while longer (as a tar cut off from ssh would).
  const first = run("first", `(sleep 1; echo first-child >> '${log}') & echo first >> '${log}'`);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const second = run("second", `echo second >> '${log}'`);
  const [a, b] = await Promise.all([first, second]);
  assert.equal(a.code, 0);
  assert.equal(b.code, 0);
  assert.equal(b.stdout, `second:[groundwork] step ${WAIT_STEP.id}\n`);
  assert.deepEqual(readFileSync(log, "utf8").split("\n"), ["first", "first-child", "second", ""]);
});

test("a run alone does not wait", async () => {
  const alone = await run("alone", "echo done");
  assert.deepEqual(alone, { code: 0, stdout: "alone:done\n" });
});
