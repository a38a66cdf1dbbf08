import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { loadConfig } from "../../src/config/load.ts";
import { ConfigError } from "../../src/errors/index.ts";

const fixtures = join(import.meta.dirname, "fixtures/fixpoint");

test("function modules read options that other modules set", async () => {
  const { config } = await loadConfig(join(fixtures, "configuration.ts"));
  assert.deepEqual(config.boot.loader.grub.devices, ["/dev/vda", "/dev/vdb"]);
  assert.equal(config.networking.hostName, "old-host");
});

test("mkIf on config: a definition that depends on a module later in the order", async () => {
  const { config } = await loadConfig(join(fixtures, "configuration.ts"));
  assert.deepEqual(config.users.users.admin?.openssh.authorizedKeys.keys, [
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyReplaceWithYourOwnPublicKey0000 admin",
  ]);
});

test("a module function that throws before the options it reads are set is retried", async () => {
  const { config } = await loadConfig(join(fixtures, "throws-early.ts"));
  assert.deepEqual(config.boot.loader.grub.devices, ["/dev/vdc"]);
});

test("a module function that still throws once the rest settled is reported with its file", async () => {
  const error = await loadConfig(join(fixtures, "throws-always.ts")).catch((caught: unknown) => caught);
  assert.ok(error instanceof ConfigError);
  assert.equal(error.problems.length, 1);
  assert.match(error.problems[0]?.file ?? "", /fixpoint\/throws-always\.ts$/);
  assert.equal(error.problems[0]?.message, "the module function threw: cannot work with host debian");
});

test("a configuration that never settles is an error naming the changing option", async () => {
  const error = await loadConfig(join(fixtures, "never-settles.ts")).catch((caught: unknown) => caught);
  assert.ok(error instanceof ConfigError);
  assert.match(error.message, /does not settle: after 10 rounds.*boot\.loader\.grub\.devices/);
});
