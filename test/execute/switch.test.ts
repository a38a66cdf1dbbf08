// Unit tests of a switch's decisions and sequencing, on recorded transports: no machine is switched here
// (test/vm/switch.test.ts proves switches and rollbacks on a QEMU machine).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { RecordError, StopError, UsageError } from "../../src/errors/index.ts";
import {
  RolledBackError,
  rollbackTargetOf,
  type SwitchContext,
  switchSystem,
} from "../../src/execute/switch.ts";
import { parseMachineState } from "../../src/facts/machine-state.ts";
import { SWITCH_STALE_EXIT } from "../../src/plan/generation.ts";
import { PinError } from "../../src/plan/pins.ts";
import { chooseRollback, rollbackMessage, type SwitchTarget } from "../../src/plan/switch-run.ts";
import type { RunEvent } from "../../src/ui/events.ts";
import { RecordedTransport, type Reply } from "../helpers/recorded-transport.ts";

// The state script's output for a machine on generation 4 of 5 (3 rolled back, 5 failed), as c35031a wrote it.
// Its system declares htop, which this machine has installed.
const STATE = readFileSync(
  new URL("../facts/fixtures/c35031a/machine-state.txt", import.meta.url),
  "utf8",
).replace("\n\n==> end", "\nii \thtop\t3.2.2-2\n\n==> end");
const state = parseMachineState(STATE, "root@host");
const current = state.system;
if (current === undefined) throw new Error("the fixture has a current system");

const STATE_SCRIPT = /^# groundwork: read the generations and installed packages/m;
const stateReply: Reply = { match: STATE_SCRIPT, stdout: STATE };
const withTree: SwitchTarget = {
  system: { ...current, packages: [...current.packages, "tree"] },
  configuration: { networking: { hostName: current.hostName } },
  kept: new Set(),
  kind: "switch",
};

function contextFor(
  transport: RecordedTransport,
  reconnect: SwitchContext["reconnect"],
  change: Partial<SwitchContext> = {},
): SwitchContext & { readonly seen: RunEvent[] } {
  const seen: RunEvent[] = [];
  return {
    ...withTree,
    transport,
    reconnect,
    confirmTimeoutMs: 30_000,
    dryRun: false,
    confirm: async () => true,
    events: (event) => seen.push(event),
    seen,
    ...change,
  };
}

const unreachable = () => Promise.reject(new Error("no new connection in this test"));

test("a machine as configured is one round trip and no generation", async () => {
  const transport = new RecordedTransport("root@host", [stateReply]);
  const result = await switchSystem(contextFor(transport, unreachable, { ...withTree, system: current }));
  assert.equal(result.generation, undefined);
  assert.equal(transport.calls.length, 1);
});

test("a dry run shows the scripts of the next generation and writes nothing", async () => {
  const transport = new RecordedTransport("root@host", [stateReply]);
  const context = contextFor(transport, unreachable, { dryRun: true });
  const result = await switchSystem(context);
  assert.equal(result.generation, undefined);
  assert.deepEqual(result.plan.install, ["tree"]);
  const note = context.seen.find((event) => event.type === "note");
  assert.match(note?.type === "note" ? note.text : "", /^Dry run: generation 6 would run these scripts\./);
  assert.equal(transport.calls.length, 1);
});

test("a switch writes generation 6, applies it detached, and confirms it over a new connection", async () => {
  const transport = new RecordedTransport("root@host", [
    stateReply,
    { match: /^set -eu\nlock=.*\nmkdir -p \/var\/lib\/groundwork\/generations\/6\n/s },
    { match: /^systemd-run .*groundwork-switch-6 /, stdout: "groundwork: generation 6 is active\n" },
  ]);
  const fresh = new RecordedTransport("root@host (new)", [
    {
      match:
        /^systemctl stop groundwork-rollback-6\.timer.* = 6 && mkdir \S+\/6\/decided 2>\/dev\/null && date/,
    },
  ]);
  const result = await switchSystem(contextFor(transport, async () => fresh));
  assert.equal(result.generation, 6);
  const written = transport.calls[1]?.text ?? "";
  for (const file of ["system.json", "info.json", "packages.sh", "activate.sh", "apply.sh", "rollback.sh"])
    assert.match(written, new RegExp(`/generations/6/${file.replace(".", "\\.")}'?\n`));
  assert.ok(transport.closed && fresh.closed, "both connections are closed");
});

test("the apply script's exit codes become the errors that say what the machine did", async () => {
  const rows: [number, string, (error: unknown) => boolean][] = [
    [4, "", (error) => error instanceof RolledBackError && /went back to generation 4/.test(error.message)],
    [
      3,
      "",
      (error) => /package changes of generation 6 failed.*nothing else was changed/.test(String(error)),
    ],
    [
      3,
      "E: Version '2.1.0-1' for 'tree' was not found\n",
      (error) => error instanceof PinError && /tree/.test(error.message),
    ],
  ];
  for (const [exitCode, stdout, expected] of rows) {
    const transport = new RecordedTransport("root@host", [
      stateReply,
      { match: /^set -eu\nlock=/ },
      { match: /^systemd-run /, exitCode, stdout },
    ]);
    await assert.rejects(switchSystem(contextFor(transport, unreachable)), expected);
    assert.equal(transport.calls.length, 3, "no confirmation after a failed apply");
  }
});

test("an unconfirmed generation: the machine goes back by itself, and the switch says it answers again", async () => {
  const transport = new RecordedTransport("root@host", [
    stateReply,
    { match: /^set -eu\nlock=/ },
    { match: /^systemd-run /, stdout: "groundwork: generation 6 is active\n" },
  ]);
  let attempts = 0;
  const after = new RecordedTransport("root@host (after)", [{ match: /rolled-back/, stdout: "4\n" }]);
  const context = contextFor(transport, async () => {
    attempts += 1;
    if (attempts === 1) throw new Error("sshd is off");
    return after;
  });
  await assert.rejects(switchSystem(context), (error) => {
    assert.ok(error instanceof RolledBackError);
    assert.match(error.message, /went back to generation 4 by itself and answers again/);
    return true;
  });
  assert.ok(
    context.seen.some((event) => event.type === "note" && /goes back to generation 4/.test(event.text)),
  );
});

test("after a restart cut the switch, the machine's word 'interrupted' says it went back at boot; 'pending' that the apply still runs", () => {
  const switched = { generation: 6, previous: 4, machine: "root@host" };
  const message = (answer: string | undefined) => rollbackMessage(answer, switched).message;
  assert.match(
    message("4\ninterrupted\n"),
    /^root@host restarted before generation 6 was confirmed; at boot it went back to generation 4/,
  );
  assert.equal(rollbackMessage("4\ninterrupted\n", switched).rolledBack, true);
  assert.match(message("4\n"), /went back to generation 4 by itself and answers again/);
  assert.match(message("6\n"), /does not answer after its rollback to generation 4 either/);
  assert.match(message(undefined), /does not answer after its rollback/);
  assert.deepEqual(rollbackMessage("4\nnot-started\n", switched), {
    rolledBack: false,
    message:
      "the connection to root@host dropped before generation 6's apply could start: nothing was changed, and generation 6 is marked failed. Run the switch again.",
  });
  // The apply had not ended (apt waited for the network): nothing rolled back yet, and the switch says so.
  assert.deepEqual(rollbackMessage("4\npending\n", switched), {
    rolledBack: false,
    message:
      "root@host answers again, but generation 6 is still being applied (its package changes may have waited for the network) and runs generation 4 now; unless it is confirmed, the machine goes back to generation 4 by itself. Run groundwork generations to see where it is.",
  });
});

test("a machine busy with another switch is refused, naming that switch, and nothing is applied", async () => {
  const transport = new RecordedTransport("root@host", [
    stateReply,
    { match: /^set -eu\nlock=/, exitCode: 75, stdout: "7\t1764547200\talice@laptop\n" },
  ]);
  await assert.rejects(switchSystem(contextFor(transport, unreachable)), (error) => {
    assert.ok(error instanceof StopError);
    assert.equal(error.code, "GW_SWITCH_LOCKED");
    assert.match(
      error.message,
      /^root@host is busy with the switch to generation 7 by alice@laptop since 2025-12-01T00:00:00\.000Z; nothing was changed\./,
    );
    return true;
  });
  assert.equal(transport.calls.length, 2, "nothing runs after the refusal");
});

test("a machine another switch moved on meanwhile is refused, saying where it is now, and nothing is applied", async () => {
  const transport = new RecordedTransport("root@host", [
    stateReply,
    { match: /^set -eu\nlock=/, exitCode: SWITCH_STALE_EXIT, stdout: "6\n" },
  ]);
  await assert.rejects(switchSystem(contextFor(transport, unreachable)), (error) => {
    assert.ok(error instanceof StopError);
    assert.equal(error.code, "GW_SWITCH_STALE");
    assert.match(
      error.message,
      /its current generation is 6 now, not 4\): another switch ended meanwhile\. Nothing was changed/,
    );
    return true;
  });
  assert.equal(transport.calls.length, 2, "nothing runs after the refusal");
});

test("an apply whose unit never ran is an error that says so; the generation is marked failed and its lock released", async () => {
  const transport = new RecordedTransport("root@host", [
    stateReply,
    { match: /^set -eu\nlock=/ },
    {
      match: /^systemd-run /,
      exitCode: 1,
      stderr: "Failed to start transient service unit: Unit groundwork-switch-6.service already exists.\n",
    },
  ]);
  const fresh = new RecordedTransport("root@host (new)", [
    { match: /^if \[ -e \S+\/6\/started \]; then echo started; else date/ },
  ]);
  await assert.rejects(switchSystem(contextFor(transport, async () => fresh)), (error) => {
    assert.match(
      String(error),
      /the apply of generation 6 ended with exit 1 on root@host, which its script never gives:\nFailed to start transient service unit: Unit groundwork-switch-6\.service already exists\.\nIt never began: the generation is marked failed, and nothing was changed\./,
    );
    return true;
  });
  assert.ok(fresh.closed);
});

test("a rollback goes to the last generation that neither rolled back nor failed, and refuses the others", () => {
  assert.equal(chooseRollback(state, undefined, "root@host"), 2);
  assert.equal(chooseRollback(state, 1, "root@host"), 1);
  for (const to of [4, 5, 9])
    assert.throws(
      () => chooseRollback(state, to, "root@host"),
      (error) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, new RegExp(`--to ${to}: no such generation, other than the current one`));
        return true;
      },
    );
});

test("a rollback reads the generation's records, and a damaged one is named with what to do", async () => {
  const system = `${JSON.stringify({ version: 1, ...current })}\n`;
  const transport = new RecordedTransport("root@host", [
    stateReply,
    {
      match: /generations\/2/,
      stdout: `\n==> system\n${system}\n==> configuration\nnull\n\n==> lock\n{"htop":"3.2.2-2"}\n\n==> end\n`,
      times: 1,
    },
    {
      match: /generations\/2/,
      stdout: '\n==> system\n{"hostName": 7}\n\n==> configuration\nnull\n\n==> lock\n{}\n\n==> end\n',
    },
  ]);
  const target = await rollbackTargetOf(transport);
  assert.equal(target.from, 2);
  assert.equal(target.kind, "rollback");
  assert.deepEqual(target.versions, { htop: "3.2.2-2" });
  await assert.rejects(rollbackTargetOf(transport), (error) => {
    assert.ok(error instanceof RecordError);
    assert.equal(error.code, "GW_RECORD_DAMAGED");
    assert.match(error.message, /generation 2's system\.json on root@host is damaged/);
    return true;
  });
});
