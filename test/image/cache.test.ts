import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { cachedFolder, findCached } from "../../src/image/cache.ts";
import { INSTALLERS } from "../../src/image/installer/build-installer.ts";
import { SYSTEM_IMAGES, type SystemManifest } from "../../src/image/system/build-system.ts";

// Manifests as the builders wrote them before manifests had versions (c35031a), recorded from a real cache.
const fixture = (name: string) => fileURLToPath(new URL(`fixtures/c35031a/${name}`, import.meta.url));
const OLD_SYSTEM = JSON.parse(readFileSync(fixture("system-manifest.json"), "utf8"));
const HASH = "467a8a9a4bdd9a5ef2a5110ee9c4be83";

/** A cache root holding one complete system image entry whose manifest.json has `text`. */
function cacheWith(t: { after: (fn: () => void) => void }, text: string | undefined): string {
  const root = mkdtempSync(join(tmpdir(), "groundwork-cache-"));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, "system", HASH);
  mkdirSync(dir, { recursive: true });
  if (text !== undefined) writeFileSync(join(dir, "manifest.json"), text);
  writeFileSync(join(dir, ".complete"), "2026-11-30T23:47:39Z\n");
  return root;
}

const REBUILT: SystemManifest = { ...OLD_SYSTEM, version: 1, builtAt: "2026-12-01T00:00:00.000Z" };

test("a cached image whose manifest was written before manifests had versions is used as version 1", async (t) => {
  const root = cacheWith(t, readFileSync(fixture("system-manifest.json"), "utf8"));
  const entry = await cachedFolder(SYSTEM_IMAGES, HASH, () => assert.fail("must not build"), { root });
  assert.equal(entry.cached, true);
  assert.deepEqual(entry.manifest, { ...OLD_SYSTEM, version: 1 });

  const installerRoot = mkdtempSync(join(tmpdir(), "groundwork-cache-"));
  t.after(() => rmSync(installerRoot, { recursive: true, force: true }));
  const installer = join(installerRoot, "installer", "f44514226f9e58eab4118d12a537c54e");
  mkdirSync(installer, { recursive: true });
  copyFileSync(fixture("installer-manifest.json"), join(installer, "manifest.json"));
  writeFileSync(join(installer, ".complete"), "");
  const found = await findCached(INSTALLERS, "f44514226f9e58eab4118d12a537c54e", { root: installerRoot });
  assert.equal(found?.manifest.kernelVersion, "6.1.0-50-amd64");
});

test("a new entry's manifest.json is the one its builder returned, with version 1", async (t) => {
  const root = mkdtempSync(join(tmpdir(), "groundwork-cache-"));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const built = await cachedFolder(SYSTEM_IMAGES, HASH, async () => REBUILT, { root });
  assert.equal(built.cached, false);
  assert.deepEqual(JSON.parse(readFileSync(join(built.dir, "manifest.json"), "utf8")), REBUILT);
  const again = await cachedFolder(SYSTEM_IMAGES, HASH, () => assert.fail("must not build"), { root });
  assert.deepEqual({ ...again.manifest }, REBUILT);
});

const MANIFEST_FILE = `the cached system image's manifest.json \\(.*/system/${HASH}/manifest\\.json\\)`;

for (const [name, text, said] of [
  [
    "is of a newer groundwork",
    JSON.stringify({ ...OLD_SYSTEM, version: 2 }),
    new RegExp(
      `^${MANIFEST_FILE} was written by a newer groundwork \\(version 2\\): building it again for this groundwork$`,
    ),
  ],
  [
    "is not JSON",
    '{ "inputs": {',
    new RegExp(`^${MANIFEST_FILE} is damaged \\(not JSON: .+\\): building it again$`),
  ],
  [
    "is of the wrong shape",
    JSON.stringify({ ...OLD_SYSTEM, tarball: { file: "system.tar.zst", bytes: "big" } }),
    new RegExp(
      `^${MANIFEST_FILE} is damaged \\(tarball\\.bytes: Invalid input: expected number, received string, and 1 more problem\\): building it again$`,
    ),
  ],
  [
    "is missing",
    undefined,
    new RegExp(`^${MANIFEST_FILE} is damaged \\(empty or missing\\): building it again$`),
  ],
] as const) {
  test(`a cached image whose manifest ${name} is built again, and the build says why`, async (t) => {
    const root = cacheWith(t, text);
    const progress: string[] = [];
    const entry = await cachedFolder(SYSTEM_IMAGES, HASH, async () => REBUILT, {
      root,
      onProgress: (line) => progress.push(line),
    });
    assert.equal(entry.cached, false);
    assert.deepEqual(entry.manifest, REBUILT);
    assert.equal(progress.length, 1);
    assert.match(progress[0] ?? "", said);
  });
}
