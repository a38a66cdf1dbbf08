import assert from "node:assert/strict";
import { test } from "node:test";
import { startedSteps, stepOutput } from "../../src/execute/step-output.ts";
import type { RunEvent } from "../../src/ui/events.ts";
import { textReporter } from "../../src/ui/reporter.ts";

test("a step mark split across chunks is one step event, named by its description", () => {
  const events: RunEvent[] = [];
  const onOutput = stepOutput(
    "install",
    (event) => events.push(event),
    (id) => (id === "unpack" ? "unpack the system" : undefined),
  );
  onOutput("stdout", "noise\n[groundwork] st");
  onOutput("stdout", "ep unpack\n[groundwork] step gr");
  onOutput("stderr", "[groundwork] step not-from-stderr\n");
  onOutput("stdout", "ub\n");
  assert.deepEqual(
    events.filter((event) => event.type === "step"),
    [
      { type: "step", phase: "install", text: "unpack the system" },
      { type: "step", phase: "install", text: "grub" },
    ],
  );
  assert.equal(events.filter((event) => event.type === "output").length, 4, "every chunk is still output");
});

test("the steps a script began are read back in order; a person sees each as an indented line", () => {
  assert.deepEqual(startedSteps("[groundwork] step a\nx\n[groundwork] step b-2\n"), ["a", "b-2"]);
  const lines: string[] = [];
  textReporter((line) => lines.push(line))({ type: "step", phase: "disk", text: "format /dev/sda2 as ext4" });
  assert.deepEqual(lines, ["    format /dev/sda2 as ext4"]);
});
