// The recovery at boot, run with sh against a state folder of its own (the constant /var/lib/groundwork
// replaced) and stub dpkg and systemctl: which generations a restart cut, and what it makes of them.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { GENERATION_FILES as F, STATE_DIR } from "../../src/plan/generation.ts";
import { renderRecoverScript, renderRecoverUnit } from "../../src/render/recover-script.ts";
import { renderRollbackScript } from "../../src/render/switch-script.ts";

const root = mkdtempSync(join(tmpdir(), "groundwork-recover-test-"));
after(() => rmSync(root, { recursive: true, force: true }));
const bin = join(root, "bin");
mkdirSync(bin);
for (const tool of ["systemctl", "dpkg"]) {
  writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> "${root}/calls"\n`);
  chmodSync(join(bin, tool), 0o755);
}

/** A machine on generation 2 whose switch to 3 left `markers` behind; the lock is held by 3. */
function machine(name: string, markers: readonly string[], options: { rollback?: boolean } = {}) {
  const state = join(root, name);
  const g3 = join(state, "generations", "3");
  mkdirSync(join(state, "generations", "2"), { recursive: true });
  mkdirSync(g3, { recursive: true });
  writeFileSync(join(state, "current"), "3\n");
  mkdirSync(join(state, "switch.lock"));
  writeFileSync(join(state, "switch.lock", "holder"), "3\t0\tme@here\n");
  for (const marker of markers)
    if (marker === F.decided) mkdirSync(join(g3, marker));
    else writeFileSync(join(g3, marker), "2026-12-01T00:00:00Z\n");
  if (options.rollback !== false) {
    writeFileSync(join(g3, F.rollback), renderRollbackScript(3, 2).replaceAll(STATE_DIR, state));
    writeFileSync(join(g3, F.rollbackActivate), `echo back >> '${state}/went-back'\n`);
    writeFileSync(join(g3, F.rollbackPackages), ":\n");
  }
  const result = spawnSync("/bin/sh", ["-s"], {
    input: renderRecoverScript().replaceAll(STATE_DIR, state),
    encoding: "utf8",
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
  });
  assert.equal(result.status, 0, result.stderr);
  const has = (file: string) => existsSync(join(g3, file));
  return {
    current: readFileSync(join(state, "current"), "utf8").trim(),
    wentBack: existsSync(join(state, "went-back")) ? readFileSync(join(state, "went-back"), "utf8") : "",
    locked: existsSync(join(state, "switch.lock")),
    has,
    log: has(F.log) ? readFileSync(join(g3, F.log), "utf8") : "",
  };
}

test("an apply a restart cut is marked and rolled back, once, after dpkg finished its work; the lock goes", () => {
  for (const markers of [[F.started], [F.started, F.decided]]) {
    const after = machine(`cut-${markers.length}`, markers);
    assert.equal(after.current, "2");
    assert.equal(after.wentBack, "back\n", "the way back ran once");
    assert.ok(after.has(F.interrupted) && after.has(F.rolledBack));
    assert.ok(!after.locked);
    assert.match(after.log, /generation 3 was cut by a restart before it was confirmed/);
  }
  assert.match(readFileSync(join(root, "calls"), "utf8"), /^dpkg --configure -a$/m);
});

test("a generation without a way back is marked failed; its lock goes", () => {
  const after = machine("no-way-back", [F.started], { rollback: false });
  assert.ok(after.has(F.failed) && after.has(F.interrupted));
  assert.ok(!after.locked);
});

test("confirmed, rolled back, failed and never-started generations are left as they are", () => {
  for (const [name, markers] of [
    ["confirmed", [F.started, F.decided, F.confirmed]],
    ["rolled-back", [F.started, F.decided, F.rolledBack]],
    ["failed", [F.started, F.failed]],
    ["not-started", []],
  ] as const) {
    const after = machine(name, markers);
    assert.equal(after.current, "3", name);
    assert.equal(after.wentBack, "", name);
    assert.ok(!after.has(F.interrupted), name);
    assert.ok(after.locked, `${name}: the lock is for its own switch to release`);
  }
});

test("the unit runs the script once per boot, when the network is up", () => {
  const unit = renderRecoverUnit();
  assert.match(unit, /^After=network-online\.target$/m);
  assert.match(unit, /^Type=oneshot$/m);
  assert.match(unit, /^ExecStart=\/bin\/sh \/var\/lib\/groundwork\/recover\.sh$/m);
  assert.match(unit, /^WantedBy=multi-user\.target$/m);
});
