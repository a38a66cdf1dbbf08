import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";

// Layers from the bottom up; a file may import only from its own layer or one below it (ARCHITECTURE.md).
const LAYERS = [
  "errors",
  "disk",
  "config",
  "facts",
  "plan",
  "render",
  "transport",
  "ui",
  "vm",
  "image",
  "execute",
  "cli",
];
const SRC = resolve(import.meta.dirname, "../src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

function layerOf(path: string): string | undefined {
  const [first] = relative(SRC, path).split("/");
  return first?.endsWith(".ts") ? undefined : first;
}

test("imports follow the layers: nothing imports a layer above its own", () => {
  const violations: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = layerOf(file);
    if (from === undefined) continue;
    assert.ok(LAYERS.includes(from), `${relative(SRC, file)}: folder ${from} is not a known layer`);
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/from\s+"(\.[^"]+)"/g)) {
      const target = resolve(dirname(file), match[1] ?? "");
      const to = layerOf(target);
      if (to === undefined) {
        violations.push(
          `${relative(SRC, file)} imports ${match[1]} (src/index.ts is the public entry, not a layer)`,
        );
      } else if (LAYERS.indexOf(to) > LAYERS.indexOf(from)) {
        violations.push(`${relative(SRC, file)} (${from}) imports ${match[1]} (${to})`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test("no module outside src/cli imports the cli", () => {
  const offenders = sourceFiles(SRC).filter(
    (file) => layerOf(file) !== "cli" && /from\s+"[^"]*\/cli\//.test(readFileSync(file, "utf8")),
  );
  assert.deepEqual(offenders, []);
});
