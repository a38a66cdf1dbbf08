// The switch lock's script, run with sh against a state folder of its own and a stub systemctl.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { parseLockHolder } from "../../src/facts/switch-lock.ts";
import { SWITCH_LOCKED_EXIT, SWITCH_STALE_EXIT } from "../../src/plan/generation.ts";
import { renderReleaseLock, renderWriteGenerationScript } from "../../src/render/switch-commands.ts";

const root = mkdtempSync(join(tmpdir(), "groundwork-lock-test-"));
after(() => rmSync(root, { recursive: true, force: true }));
const bin = join(root, "bin");
mkdirSync(bin);
// `systemctl is-active --quiet UNIT` succeeds when the file bin/active/UNIT exists.
writeFileSync(join(bin, "systemctl"), `#!/bin/sh\n[ "$1" = is-active ] && [ -e "${bin}/active/$3" ]\n`);
chmodSync(join(bin, "systemctl"), 0o755);
mkdirSync(join(bin, "active"));

function write(generation: number, state: string, current?: number) {
  const script = renderWriteGenerationScript(
    generation,
    { "info.json": `{"number":${generation}}\n` },
    "me@here",
    current,
    state,
  );
  return spawnSync("/bin/sh", ["-s"], {
    input: script,
    encoding: "utf8",
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
  });
}

test("the first switch takes the lock and writes its generation; a second one meanwhile is refused, naming it", () => {
  const state = join(root, "it's $state");
  const first = write(6, state);
  assert.equal(first.status, 0, first.stderr);
  assert.equal(readFileSync(join(state, "generations/6/info.json"), "utf8"), '{"number":6}\n');
  const holder = parseLockHolder(readFileSync(join(state, "switch.lock/holder"), "utf8"));
  assert.equal(holder.generation, 6);
  assert.equal(holder.by, "me@here");
  const second = write(7, state);
  assert.equal(second.status, SWITCH_LOCKED_EXIT);
  assert.equal(parseLockHolder(second.stdout).generation, 6);
  assert.ok(!existsSync(join(state, "generations/7")), "the refused switch wrote nothing");
});

test("a lock whose switch died is taken over; one whose unit or timer still runs is not", () => {
  const state = join(root, "state-old");
  mkdirSync(join(state, "switch.lock"), { recursive: true });
  writeFileSync(join(state, "switch.lock/holder"), "4\t100\tother@there\n");
  writeFileSync(join(bin, "active/groundwork-rollback-4.timer"), "");
  assert.equal(write(5, state).status, SWITCH_LOCKED_EXIT, "its rollback timer is armed");
  rmSync(join(bin, "active/groundwork-rollback-4.timer"));
  const taken = write(5, state);
  assert.equal(taken.status, 0, taken.stderr);
  assert.match(taken.stderr, /generation 4 ended without releasing the switch lock: taking it over/);
  assert.equal(parseLockHolder(readFileSync(join(state, "switch.lock/holder"), "utf8")).generation, 5);
});

test("a damaged lock record is judged by its folder's age, and taken over when old and nothing runs", () => {
  const state = join(root, "state-damaged");
  mkdirSync(join(state, "switch.lock"), { recursive: true });
  writeFileSync(join(state, "switch.lock/holder"), "$(reboot)\tyesterday\n");
  assert.equal(write(8, state).status, SWITCH_LOCKED_EXIT, "young by its folder's age");
  utimesSync(join(state, "switch.lock"), 100, 100);
  const taken = write(8, state);
  assert.equal(taken.status, 0, taken.stderr);
});

test("a write that fails (a full disk) releases the lock and leaves no half-written generation", () => {
  const state = join(root, "it's $full");
  // The generation's folder cannot be made, as on a full disk.
  mkdirSync(state, { recursive: true });
  writeFileSync(join(state, "generations"), "");
  const failed = write(9, state);
  assert.notEqual(failed.status, 0);
  assert.notEqual(failed.status, SWITCH_LOCKED_EXIT);
  assert.ok(!existsSync(join(state, "switch.lock")), "the lock is released");
  assert.ok(!existsSync(join(state, "generations/9")), "the generation's folder is gone");
});

test("a lock being taken (no holder line yet) is young by its folder's age; an old one without a holder is taken over", () => {
  const state = join(root, "state-holderless");
  mkdirSync(join(state, "switch.lock"), { recursive: true });
  assert.equal(write(3, state).status, SWITCH_LOCKED_EXIT, "just made: its switch may be writing the holder");
  utimesSync(join(state, "switch.lock"), 100, 100);
  const taken = write(3, state);
  assert.equal(taken.status, 0, taken.stderr);
  assert.equal(parseLockHolder(readFileSync(join(state, "switch.lock/holder"), "utf8")).generation, 3);
});

test("a switch releases only its own lock, never one another switch holds by now", () => {
  const state = join(root, "state-release");
  assert.equal(write(4, state).status, 0);
  const release = (generation: number) =>
    spawnSync("/bin/sh", ["-c", renderReleaseLock(generation, state)], { encoding: "utf8" });
  assert.equal(release(3).status, 0);
  assert.ok(existsSync(join(state, "switch.lock")), "generation 3 does not release generation 4's lock");
  assert.equal(release(4).status, 0);
  assert.ok(!existsSync(join(state, "switch.lock")), "generation 4 releases its own");
  assert.equal(release(4).status, 0, "releasing again is harmless");
});

test("a machine that changed since the switch read it is refused, changing nothing: another current, or the generation taken", () => {
  const state = join(root, "state-stale");
  mkdirSync(join(state, "generations/6"), { recursive: true });
  writeFileSync(join(state, "current"), "5\n");
  const moved = write(7, state, 4);
  assert.equal(moved.status, SWITCH_STALE_EXIT);
  assert.equal(moved.stdout, "5\n", "it says where the machine is now");
  assert.ok(!existsSync(join(state, "generations/7")));
  assert.ok(!existsSync(join(state, "switch.lock")), "the lock is released");
  const taken = write(6, state, 5);
  assert.equal(taken.status, SWITCH_STALE_EXIT);
  assert.ok(existsSync(join(state, "generations/6")), "the other switch's generation stays");
  assert.equal(write(7, state, 5).status, 0);
});

test("a dead lock is taken over by one switch at a time: another takeover under way refuses; one that died half way is cleared after the grace", () => {
  const state = join(root, "state-takeover");
  mkdirSync(join(state, "switch.lock"), { recursive: true });
  writeFileSync(join(state, "switch.lock/holder"), "4\t100\tother@there\n");
  mkdirSync(join(state, "switch.lock.takeover"));
  const refused = write(5, state);
  assert.equal(refused.status, SWITCH_LOCKED_EXIT, "another switch is taking it over");
  assert.equal(parseLockHolder(refused.stdout).generation, 4);
  utimesSync(join(state, "switch.lock.takeover"), 100, 100);
  const taken = write(5, state);
  assert.equal(taken.status, 0, taken.stderr);
  assert.equal(parseLockHolder(readFileSync(join(state, "switch.lock/holder"), "utf8")).generation, 5);
  assert.ok(!existsSync(join(state, "switch.lock.takeover")));
});

test("a lock that cannot be made (a read-only or full file system) is that error, not another switch", () => {
  const state = join(root, "state-unwritable");
  mkdirSync(state, { recursive: true });
  // A file where the lock's folder would go makes mkdir fail without a lock being held.
  writeFileSync(join(state, "switch.lock"), "");
  const failed = write(2, state);
  assert.equal(failed.status, 1);
  assert.match(
    failed.stderr,
    /^groundwork: cannot take the switch lock: mkdir: cannot create directory .*File exists/m,
  );
});
