import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { z } from "zod";
import { ROOT_MOUNTPOINT } from "../../src/cli/options.ts";
import { loadConfig } from "../../src/config/load.ts";
import { type DiskPlan, planDisk } from "../../src/plan/disk-plan.ts";

// disko's own example layouts (nix-community/disko example/*.nix and example/stand-alone/configuration.nix), written
// as groundwork JSON modules with disko's meaning. Those using ZFS or bcachefs are only named, in skipped.json.
const corpus = join(import.meta.dirname, "disko-examples");
const examples = readdirSync(corpus)
  .filter((file) => file.endsWith(".json") && file !== "skipped.json")
  .map((file) => file.slice(0, -".json".length))
  .sort();
// Read back by its shape: the names of the skipped examples, by the kind of storage that keeps them out.
const skipped = z
  .record(z.string(), z.array(z.string()))
  .parse(JSON.parse(readFileSync(join(corpus, "skipped.json"), "utf8")));

/**
 * The examples groundwork refuses today, each with the start of its error's first line (after the file name).
 * When a change makes an example load and plan, its test here fails: remove its entry, it is accepted now.
 */
const REFUSED_TODAY: Record<string, RegExp> = {};

/** Loads an example and plans its layout as `groundwork disk plan` does (mode disko, root at /mnt). */
async function planExample(name: string): Promise<DiskPlan> {
  const { config } = await loadConfig(join(corpus, `${name}.json`));
  return planDisk(config, "disko", { rootMountpoint: ROOT_MOUNTPOINT });
}

/** The first line of an error, without the `file: ` it starts with. */
function firstProblem(error: unknown, name: string): string {
  const line = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
  const file = `${name}.json: `;
  const at = line.indexOf(file);
  return at === -1 ? line : line.slice(at + file.length);
}

for (const name of examples) {
  const refusal = REFUSED_TODAY[name];
  if (refusal === undefined) {
    test(`accepts and plans disko's example ${name}`, async () => {
      const plan = await planExample(name);
      assert.ok(plan.steps.length > 0, "the plan has steps");
    });
  } else {
    test(`refuses disko's example ${name} today`, async () => {
      await assert.rejects(planExample(name), (error) => {
        const problem = firstProblem(error, name);
        assert.match(
          problem,
          refusal,
          `${name} is refused for another reason, or accepted: update REFUSED_TODAY`,
        );
        return true;
      });
    });
  }
}

test("counts the disko examples groundwork accepts", async (t) => {
  for (const name of Object.keys(REFUSED_TODAY))
    assert.ok(examples.includes(name), `REFUSED_TODAY names ${name}, which is not in the corpus`);
  const accepted: string[] = [];
  for (const name of examples) {
    try {
      await planExample(name);
      accepted.push(name);
    } catch {}
  }
  assert.deepEqual(
    accepted,
    examples.filter((name) => !(name in REFUSED_TODAY)),
  );
  assert.equal(accepted.length, examples.length - Object.keys(REFUSED_TODAY).length);
  const more = Object.values(skipped).flat().length;
  t.diagnostic(
    `groundwork accepts ${accepted.length} of ${examples.length} of disko's examples (${more} more use ZFS or bcachefs)`,
  );
});
