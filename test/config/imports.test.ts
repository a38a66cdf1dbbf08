import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { loadConfig } from "../../src/config/load.ts";
import { ConfigError } from "../../src/errors/index.ts";

const fixtures = join(import.meta.dirname, "fixtures");

async function problemsOf(path: string): Promise<ConfigError["problems"]> {
  const error = await loadConfig(join(fixtures, path)).then(
    () => assert.fail("expected a ConfigError"),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof ConfigError, String(error));
  return error.problems;
}

test("follows relative imports through nested folders, .js, .mts, .json and inline modules", async () => {
  const { config, files } = await loadConfig(join(fixtures, "imports/configuration.ts"));
  assert.deepEqual(config.users.users.root?.openssh.authorizedKeys.keys, [
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyReplaceWithYourOwnPublicKey0000 root@configuration",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyReplaceWithYourOwnPublicKey0000 root@one",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyReplaceWithYourOwnPublicKey0000 root@two",
  ]);
  assert.equal(config.networking.hostName, "two");
  assert.equal(config.services.openssh.enable, true);
  assert.equal(config.system.stateVersion, "24.11");
  assert.deepEqual(
    files.map((file) => file.slice(fixtures.length + 1)),
    [
      "imports/configuration.ts",
      "imports/nested/sub/one.ts",
      "imports/nested/two.js",
      "imports/extensions.mts",
      "imports/settings.json",
    ],
  );
});

test("loads a file imported twice once, so its list entries appear once", async () => {
  const { config } = await loadConfig(join(fixtures, "diamond"));
  assert.deepEqual(config.boot.loader.grub.devices, ["/dev/left", "/dev/shared", "/dev/right"]);
});

test("ends an import cycle: each file of the cycle counts once", async () => {
  const { config, files } = await loadConfig(join(fixtures, "cycle/a.ts"));
  assert.deepEqual(config.boot.loader.grub.devices, ["/dev/a", "/dev/b"]);
  assert.equal(files.length, 2);
});

test("a folder stands for its configuration.ts", async () => {
  const { config } = await loadConfig(join(fixtures, "folder"));
  assert.equal(config.networking.hostName, "from-folder");
});

test("reads JSON modules, ignoring their $schema", async () => {
  const { config } = await loadConfig(join(fixtures, "json/configuration.json"));
  assert.equal(config.services.openssh.enable, true);
  assert.equal(config.boot.loader.grub.efiSupport, true);
});

test("a missing import names the importing file and the path looked for", async () => {
  const [problem, ...rest] = await problemsOf("errors/missing-import.ts");
  assert.deepEqual(rest, []);
  assert.match(problem?.file ?? "", /errors\/missing-import\.ts$/);
  assert.equal(problem?.path, "imports");
  assert.match(
    problem?.message ?? "",
    /cannot find module "\.\/does-not-exist\.ts" \(looked for .*does-not-exist\.ts\)/,
  );
});

test("an import of a .nix file suggests the .ts module", async () => {
  const [problem] = await problemsOf("errors/nix-import.ts");
  assert.match(
    problem?.message ?? "",
    /groundwork modules are \.ts, \.js or \.json files, e\.g\. .*profiles\/qemu-guest\.ts$/,
  );
});

test("a file that is not a module says what it holds", async () => {
  const [problem] = await problemsOf("errors/not-a-module.json");
  assert.match(
    problem?.message ?? "",
    /a module is an object, or a function returning one; this one is a list/,
  );
});

test("a missing configuration is a ConfigError naming the path", async () => {
  const [problem] = await problemsOf("no-such-folder");
  assert.match(problem?.message ?? "", /cannot find module ".*no-such-folder"/);
});
