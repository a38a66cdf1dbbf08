import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { main } from "../../src/cli/main.ts";
import { parseLock } from "../../src/plan/pins.ts";

async function run(args: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await main(args, { stdout: (text) => lines.push(text), stderr: (text) => lines.push(text) });
  return { code, text: lines.join("\n") };
}

test("pins: a build from groundwork.lock installs exactly the locked versions; a version the mirror lacks says to run pins update, which moves it", {
  skip: process.getuid?.() !== 0 && "needs root for mmdebstrap",
}, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "groundwork-pins-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, "configuration.ts"),
    `import { defineConfig } from "groundwork";\nexport default defineConfig({ imports: [${JSON.stringify(resolve("examples/seed/configuration.ts"))}], environment: { systemPackages: ["htop"] } });\n`,
  );
  const lockFile = join(dir, "groundwork.lock");

  const init = await run(["pins", "init", dir]);
  assert.equal(init.code, 0, init.text);
  const lock = parseLock(readFileSync(lockFile, "utf8"), lockFile);
  assert.equal(lock.suite, "bookworm");
  assert.match(lock.packages.htop ?? "", /^\d/);
  assert.ok(
    Object.keys(lock.packages).length > 100,
    "every package of the system, not only the declared ones",
  );
  assert.equal((await run(["pins", "init", dir])).code, 2, "init never overwrites a lock");

  // Right after init the cached build has the pinned versions and is reused: build once in an empty cache
  // too, so that apt really installs the pinned versions.
  const out = join(dir, "result");
  const reused = await run(["build", dir, "-o", join(dir, "reused")]);
  assert.equal(reused.code, 0, reused.text);
  assert.match(reused.text, /From the cache/);
  const cache = process.env.XDG_CACHE_HOME;
  process.env.XDG_CACHE_HOME = join(dir, "cache");
  const built = await run(["build", dir, "-o", out]).finally(() => {
    if (cache === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = cache;
  });
  assert.equal(built.code, 0, built.text);
  assert.match(built.text, /^Built/m);
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as {
    system: { packages: Record<string, string> };
  };
  assert.deepEqual(manifest.system.packages, lock.packages, "exactly the locked versions");

  // A pin the mirror no longer has.
  writeFileSync(
    lockFile,
    readFileSync(lockFile, "utf8").replace(`"htop": "${lock.packages.htop}"`, '"htop": "0.0.1-1"'),
  );
  const stale = await run(["build", dir, "-o", join(dir, "stale")]);
  assert.equal(stale.code, 1, stale.text);
  assert.match(stale.text, /the mirror no longer has htop 0\.0\.1-1.*run groundwork pins update htop/);

  const update = await run(["pins", "update", dir, "htop"]);
  assert.equal(update.code, 0, update.text);
  assert.match(
    update.text,
    new RegExp(
      `~ htop 0\\.0\\.1-1 → ${(lock.packages.htop ?? "").replaceAll(".", "\\.").replaceAll("+", "\\+")}`,
    ),
  );
  assert.deepEqual(parseLock(readFileSync(lockFile, "utf8"), lockFile).packages, lock.packages);
});
