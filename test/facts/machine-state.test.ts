import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { RunError } from "../../src/errors/index.ts";
import { parseGenerationFiles, parseMachineState } from "../../src/facts/machine-state.ts";
import { generationDir, generationRecord, STATE_DIR } from "../../src/plan/generation.ts";
import {
  renderGenerationFilesScript,
  renderMachineStateScript,
} from "../../src/render/machine-state-script.ts";
import { assertRecordError } from "./assert-record-error.ts";

// fixtures/c35031a holds what groundwork wrote on machines before records had versions (commit c35031a):
// five generations' records under var/lib/groundwork, and its state script's output on them.
const OLD_MACHINE = fileURLToPath(new URL("fixtures/c35031a", import.meta.url));
const OLD_STATE = join(OLD_MACHINE, STATE_DIR);
const HOST = "root@host";
const oldRecord = (number: number, file: string) =>
  readFileSync(join(OLD_MACHINE, generationDir(number), file), "utf8");

/** Run a rendered script with sh, as the machine would. */
const run = (script: string) => execFileSync("sh", ["-s"], { input: script, encoding: "utf8" });

test("reads the state of a machine whose generations were written before records had versions", () => {
  for (const output of [
    readFileSync(join(OLD_MACHINE, "machine-state.txt"), "utf8"),
    run(renderMachineStateScript(OLD_STATE)),
  ]) {
    const state = parseMachineState(output, HOST);
    assert.equal(state.current, 4);
    assert.equal(state.system?.hostName, "debian");
    assert.ok(state.system?.packages.includes("htop"));
    assert.deepEqual(
      state.generations.map((entry) => [entry.number, entry.kind, entry.from, entry.current]),
      [
        [1, "install", undefined, false],
        [2, "switch", undefined, false],
        [3, "switch", undefined, false],
        [4, "rollback", 2, true],
        [5, "switch", undefined, false],
      ],
    );
    assert.equal(state.generations[2]?.rolledBack, "2026-11-27T10:01:00Z");
    assert.equal(state.generations[4]?.failed, "2026-11-29T10:00:30Z");
    assert.ok(!("version" in (state.generations[0] ?? {})), "the record's version is not a generation's");
  }
  const recorded = parseMachineState(readFileSync(join(OLD_MACHINE, "machine-state.txt"), "utf8"), HOST);
  assert.equal(recorded.installed.get("adduser"), "3.134");
});

test("reads the records of an old generation for a rollback: its system, configuration and pins", () => {
  const two = parseGenerationFiles(run(renderGenerationFilesScript(2, OLD_STATE)), 2, HOST);
  assert.deepEqual(two.pins, { htop: "3.2.2-2" });
  assert.deepEqual(two.system, JSON.parse(oldRecord(2, "system.json")));
  assert.deepEqual(two.configuration, JSON.parse(oldRecord(2, "configuration.json")));
  assert.deepEqual(parseGenerationFiles(run(renderGenerationFilesScript(1, OLD_STATE)), 1, HOST).pins, {});
});

test("a generation written now carries version 1 in each record and reads back as it was written", (t) => {
  const root = mkdtempSync(join(tmpdir(), "groundwork-state-"));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  cpSync(OLD_STATE, root, { recursive: true });
  const system = parseGenerationFiles(run(renderGenerationFilesScript(4, root)), 4, HOST).system;
  const files = generationRecord({
    number: 6,
    time: "2026-12-01T10:00:00.000Z",
    kind: "rollback",
    from: 1,
    summary: "1 package to remove",
    system,
    configuration: { networking: { hostName: "debian" } },
    pins: { htop: "3.2.2-2" },
  });
  for (const [name, text] of Object.entries(files))
    if (name !== "configuration.json") assert.equal(JSON.parse(text).version, 1, name);
  mkdirSync(generationDir(6, root));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(generationDir(6, root), name), text);
  writeFileSync(join(root, "current"), "6\n");
  // Generation 5 was cut by a restart, and rolled back at the next boot.
  writeFileSync(join(generationDir(5, root), "interrupted"), "2026-11-30T09:00:00Z\n");

  const state = parseMachineState(run(renderMachineStateScript(root)), HOST);
  assert.equal(state.generations.at(-2)?.interrupted, "2026-11-30T09:00:00Z");
  assert.deepEqual(state.system, system);
  assert.deepEqual(state.generations.at(-1), {
    number: 6,
    time: "2026-12-01T10:00:00.000Z",
    kind: "rollback",
    from: 1,
    summary: "1 package to remove",
    current: true,
    rolledBack: undefined,
    failed: undefined,
    interrupted: undefined,
  });
  const six = parseGenerationFiles(run(renderGenerationFilesScript(6, root)), 6, HOST);
  assert.deepEqual(six, {
    system,
    configuration: { networking: { hostName: "debian" } },
    pins: { htop: "3.2.2-2" },
  });
});

const SYSTEM = oldRecord(2, "system.json").trim();
const filesOutput = (records: Readonly<Record<string, string>>) =>
  ["system", "configuration", "lock"]
    .map((name) => `\n==> ${name}\n${records[name] ?? ""}`)
    .join("\n")
    .concat("\n==> end\n");
const ROLL_BACK_ELSEWHERE =
  "roll back to another generation (--to N, see groundwork generations), or switch to a configuration";

for (const [name, records, code, message] of [
  [
    "a system.json of a newer groundwork",
    { system: SYSTEM.replace("{", '{"version":2,') },
    "GW_RECORD_NEWER",
    "generation 2's system.json on root@host was written by a newer groundwork (version 2): upgrade groundwork to roll back to it",
  ],
  [
    "a system.json that is not JSON",
    { system: SYSTEM.slice(0, 40) },
    "GW_RECORD_DAMAGED",
    /^generation 2's system\.json on root@host is damaged \(not JSON: .+\): roll back to another generation \(--to N, see groundwork generations\), or switch to a configuration$/,
  ],
  [
    "a missing system.json",
    {},
    "GW_RECORD_DAMAGED",
    `generation 2 on root@host has no system.json: ${ROLL_BACK_ELSEWHERE}`,
  ],
  [
    "a system.json of the wrong shape",
    { system: SYSTEM.replace('"hostName":"debian"', '"hostName":7') },
    "GW_RECORD_DAMAGED",
    `generation 2's system.json on root@host is damaged (hostName: Invalid input: expected string, received number): ${ROLL_BACK_ELSEWHERE}`,
  ],
  [
    "a lock.json pinning a number",
    { system: SYSTEM, lock: '{"htop":3}' },
    "GW_RECORD_DAMAGED",
    `generation 2's lock.json on root@host is damaged (htop: Invalid input: expected string, received number): ${ROLL_BACK_ELSEWHERE}`,
  ],
  [
    "a configuration.json that is not JSON",
    { system: SYSTEM, configuration: "{" },
    "GW_RECORD_DAMAGED",
    /^generation 2's configuration\.json on root@host is damaged \(not JSON: /,
  ],
] as const) {
  test(`a rollback to a generation with ${name} says which file and what to do`, () => {
    assertRecordError(() => parseGenerationFiles(filesOutput(records), 2, HOST), code, message);
  });
}

const INFO = '{"number":3,"time":"2026-11-27T10:00:00.000Z","kind":"switch","summary":"1 package to remove"}';
const stateOutput = (info: string, system = SYSTEM) =>
  `\n==> current\n3\n\n==> system\n${system}\n\n==> generations\n${info}\t\t\t3\n\n==> packages\n\n==> end\n`;

for (const [name, output, code, message] of [
  [
    "an info.json of a newer groundwork",
    stateOutput(INFO.replace("{", '{"version":3,')),
    "GW_RECORD_NEWER",
    "generation 3's info.json on root@host was written by a newer groundwork (version 3): upgrade groundwork to read this machine's generations",
  ],
  [
    "an info.json cut short",
    stateOutput(INFO.slice(0, 30)),
    "GW_RECORD_DAMAGED",
    /^generation 3's info\.json on root@host is damaged \(not JSON: .+\): repair it, or remove that generation's folder if it is not the current one$/,
  ],
  [
    "an info.json of an unknown kind",
    stateOutput(INFO.replace('"switch"', '"upgrade"')),
    "GW_RECORD_DAMAGED",
    /^generation 3's info\.json on root@host is damaged \(kind: Invalid option: expected one of "install"\|"switch"\|"rollback"\): repair it/,
  ],
  [
    "a current system.json of the wrong shape",
    stateOutput(INFO, '{"hostName":"debian"}'),
    "GW_RECORD_DAMAGED",
    /^generation 3's system\.json on root@host is damaged \(users: Invalid input: expected array, received undefined, and \d+ more problems\): repair it \(the next switch compares the new system with it\)$/,
  ],
  [
    "a current system.json of a newer groundwork",
    stateOutput(INFO, '{"version":2}'),
    "GW_RECORD_NEWER",
    "generation 3's system.json on root@host was written by a newer groundwork (version 2): upgrade groundwork to switch this machine",
  ],
] as const) {
  test(`reading the state of a machine with ${name} says which generation and what to do`, () => {
    assertRecordError(() => parseMachineState(output, HOST), code, message);
  });
}

test("refuses machine state that ends early", () => {
  assert.throws(
    () => parseMachineState(stateOutput(INFO).replace("==> end", ""), HOST),
    (error: unknown) => error instanceof RunError && /root@host.*ends early/.test(error.message),
  );
});
