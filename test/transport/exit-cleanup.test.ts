// What a process started and made is cleaned up however it ends: its exit, or a signal.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";

const root = mkdtempSync(join(tmpdir(), "groundwork-exit-cleanup-test-"));
after(() => rmSync(root, { recursive: true, force: true }));

/** Running: it exists and is not a zombie waiting for its new parent to reap it. */
function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
  test(`on ${signal}: the child is killed, the folder removed, the hook run, and the exit code is the signal's`, async () => {
    const dir = join(root, signal);
    const script = `
      import { spawn } from "node:child_process";
      import { mkdirSync, writeFileSync } from "node:fs";
      import { atExit, killAtExit, removeAtExit } from ${JSON.stringify(join(process.cwd(), "src/transport/exit-cleanup.ts"))};
      mkdirSync(${JSON.stringify(dir)});
      removeAtExit(${JSON.stringify(dir)});
      const child = spawn("sleep", ["600"], { stdio: "ignore" });
      killAtExit(child);
      atExit(() => writeFileSync(${JSON.stringify(`${dir}.hook`)}, "ran"));
      console.log(child.pid);
      setInterval(() => {}, 1000);
    `;
    const node = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const pid = await new Promise<number>((resolve) =>
      node.stdout.setEncoding("utf8").once("data", (line: string) => resolve(Number(line.trim()))),
    );
    assert.ok(alive(pid) && existsSync(dir));
    node.kill(signal);
    const code = await new Promise<number | null>((resolve) => node.on("close", (exit) => resolve(exit)));
    assert.equal(code, { SIGTERM: 143, SIGINT: 130, SIGHUP: 129 }[signal]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(!alive(pid), "the child is gone");
    assert.ok(!existsSync(dir), "the folder is gone");
    assert.equal(readFileSync(`${dir}.hook`, "utf8"), "ran");
  });
}
