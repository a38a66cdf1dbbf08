import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { splitSections } from "../../src/facts/sections.ts";
import { STATE_DIR } from "../../src/plan/generation.ts";
import {
  renderGenerationFilesScript,
  renderMachineStateScript,
} from "../../src/render/machine-state-script.ts";

const OLD_STATE = fileURLToPath(new URL(`../facts/fixtures/c35031a${STATE_DIR}`, import.meta.url));
const run = (script: string) => execFileSync("sh", ["-s"], { input: script, encoding: "utf8" });

test("both scripts read a state folder whose name the shell would split or expand", (t) => {
  const parent = mkdtempSync(join(tmpdir(), "groundwork-state-"));
  t.after(() => rmSync(parent, { recursive: true, force: true }));
  const state = join(parent, "it's $HOME * state");
  cpSync(OLD_STATE, state, { recursive: true });

  const sections = splitSections(run(renderMachineStateScript(state)));
  assert.equal(sections.get("current"), "4");
  assert.equal(sections.get("generations")?.split("\n").length, 5);
  assert.match(
    sections.get("generations") ?? "",
    /\t1\t$/m,
    "each line ends with its folder's name and its interrupted time (none)",
  );
  assert.ok(sections.has("end"));

  const files = splitSections(run(renderGenerationFilesScript(2, state)));
  assert.equal(files.get("lock"), '{"htop":"3.2.2-2"}');
  assert.deepEqual([...files.keys()], ["system", "configuration", "lock", "end"]);
});

test("a generation without records gives empty sections, not a failed script", () => {
  const files = splitSections(run(renderGenerationFilesScript(9, OLD_STATE)));
  assert.deepEqual(
    [...files.entries()],
    [
      ["system", ""],
      ["configuration", ""],
      ["lock", ""],
      ["end", ""],
    ],
  );
});

test("the scripts read the machine's own state folder by default", () => {
  assert.match(renderMachineStateScript(), /^state=\/var\/lib\/groundwork$/m);
  assert.match(renderGenerationFilesScript(3), /^cat \/var\/lib\/groundwork\/generations\/3\/system\.json /m);
});
