// The deployer's confirmation and the rollback timer can fire at the same moment: exactly one of them decides.
// Their shell runs against a state folder of its own (the constant /var/lib/groundwork replaced) and stubs.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { GENERATION_FILES, STATE_DIR } from "../../src/plan/generation.ts";
import { renderAwaitRollbackCommand, renderConfirmCommand } from "../../src/render/switch-commands.ts";
import { renderRollbackScript } from "../../src/render/switch-script.ts";

const root = mkdtempSync(join(tmpdir(), "groundwork-confirm-race-"));
after(() => rmSync(root, { recursive: true, force: true }));
const bin = join(root, "bin");
mkdirSync(bin);
writeFileSync(join(bin, "systemctl"), "#!/bin/sh\nexit 0\n");
chmodSync(join(bin, "systemctl"), 0o755);

function machine(name: string): { state: string; run: (script: string) => number } {
  const state = join(root, name);
  const generation = join(state, "generations", "2");
  mkdirSync(generation, { recursive: true });
  writeFileSync(join(state, "current"), "2\n");
  mkdirSync(join(state, "switch.lock"));
  writeFileSync(join(state, "switch.lock", "holder"), "2\t0\tme@here\n");
  // The way back leaves a mark, so that the test sees whether it ran.
  writeFileSync(
    join(generation, GENERATION_FILES.rollbackActivate),
    `echo activated > '${state}/went-back'\n`,
  );
  writeFileSync(join(generation, GENERATION_FILES.rollbackPackages), ":\n");
  return {
    state,
    run: (script) =>
      spawnSync("/bin/sh", ["-s"], {
        input: script.replaceAll(STATE_DIR, state),
        encoding: "utf8",
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      }).status ?? -1,
  };
}

test("a confirmation that comes while the rollback runs fails; the machine ends on the previous generation", () => {
  const { state, run } = machine("rollback-first");
  // The deployer's confirmation arrives in the middle of the way back, before it recorded anything.
  writeFileSync(join(state, "confirm.sh"), renderConfirmCommand(2).replaceAll(STATE_DIR, state));
  writeFileSync(
    join(state, "generations", "2", GENERATION_FILES.rollbackActivate),
    `sh '${state}/confirm.sh'; echo $? > '${state}/confirm-status'; echo activated > '${state}/went-back'\n`,
  );
  assert.equal(run(renderRollbackScript(2, 1)), 0);
  assert.notEqual(readFileSync(join(state, "confirm-status"), "utf8").trim(), "0", "the confirmation failed");
  assert.equal(readFileSync(join(state, "current"), "utf8").trim(), "1");
  assert.ok(existsSync(join(state, "went-back")));
  assert.ok(!existsSync(join(state, "generations", "2", GENERATION_FILES.confirmed)));
  assert.ok(!existsSync(join(state, "switch.lock")), "the rollback released the lock");
});

test("a confirmation that decided first makes the rollback change nothing", () => {
  const { state, run } = machine("confirm-first");
  assert.equal(run(renderConfirmCommand(2)), 0);
  assert.equal(run(renderRollbackScript(2, 1)), 0);
  assert.equal(readFileSync(join(state, "current"), "utf8").trim(), "2");
  assert.ok(!existsSync(join(state, "went-back")), "the way back did not run");
  assert.ok(existsSync(join(state, "generations", "2", GENERATION_FILES.confirmed)));
  assert.ok(!existsSync(join(state, "switch.lock")), "the confirmation released the lock");
  assert.match(
    readFileSync(join(state, "generations", "2", GENERATION_FILES.log), "utf8"),
    /generation 2 was confirmed meanwhile: no rollback/,
  );
});

test("the wait for a rollback says 'pending' while the generation is neither rolled back nor decided, and not once it is", () => {
  const { state } = machine("await");
  const script = renderAwaitRollbackCommand(2)
    .replace(/seq \d+/, "seq 1")
    .replaceAll(STATE_DIR, state);
  const run = () => spawnSync("/bin/sh", ["-c", script], { encoding: "utf8" }).stdout;
  writeFileSync(join(state, "generations", "2", GENERATION_FILES.started), "now\n");
  assert.equal(run(), "2\npending\n");
  writeFileSync(join(state, "current"), "1\n");
  writeFileSync(join(state, "generations", "2", GENERATION_FILES.rolledBack), "now\n");
  writeFileSync(join(state, "generations", "2", GENERATION_FILES.interrupted), "now\n");
  assert.equal(run(), "1\ninterrupted\n");
});

test("the wait for a rollback gives up a generation whose apply never began: marked failed, its lock gone", () => {
  const { state } = machine("never-started");
  const script = renderAwaitRollbackCommand(2)
    .replace(/seq \d+/, "seq 1")
    .replaceAll(STATE_DIR, state);
  const out = spawnSync("/bin/sh", ["-c", script], { encoding: "utf8" }).stdout;
  assert.equal(out, "2\nnot-started\n");
  assert.ok(existsSync(join(state, "generations", "2", GENERATION_FILES.failed)));
  assert.ok(!existsSync(join(state, "switch.lock")));
});
