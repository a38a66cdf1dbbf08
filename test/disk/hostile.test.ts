import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { loadConfig } from "../../src/config/load.ts";
import { ConfigError, formatProblem, type Problem } from "../../src/errors/index.ts";
import { PLACE_CASES } from "./hostile-places.ts";
import { STRING_CASES } from "./hostile-strings.ts";
import { layoutProblems } from "./layout.ts";

const dir = mkdtempSync(join(tmpdir(), "groundwork-hostile-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function assertNamed(problems: readonly Problem[], path: string, message: RegExp): Problem {
  const match = problems.find((problem) => problem.path === path && message.test(problem.message));
  assert.ok(match, `expected ${path}: ${message}, got:\n${problems.map(formatProblem).join("\n")}`);
  return match;
}

for (const [index, { name, config, path, message }] of [...PLACE_CASES, ...STRING_CASES].entries()) {
  if (config.boot === undefined && config.disko !== undefined) {
    const { devices } = config.disko;
    test(`the layout check refuses ${name}, naming the option and what to do`, () => {
      assertNamed(layoutProblems(devices), path, message);
    });
  }

  test(`loading a configuration refuses ${name}, naming the file, the option and what to do`, async () => {
    const file = join(dir, `hostile-${index}.json`);
    writeFileSync(file, JSON.stringify(config));
    const error = await loadConfig(file).then(
      () => assert.fail("the configuration should not load"),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.exitCode, 2);
    const problem = assertNamed(error.problems, path, message);
    assert.ok(problem.file?.endsWith(`hostile-${index}.json`), `no file named in ${formatProblem(problem)}`);
  });
}
