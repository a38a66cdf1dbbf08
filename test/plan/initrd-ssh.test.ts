// SSH in the initramfs, as planned from a configuration: its package, its keys, and the test's key.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../../src/config/load.ts";
import { planDeploy, withAuthorizedKey } from "../../src/plan/deploy-plan.ts";
import { bootUnlock } from "../../src/plan/disk-keys.ts";
import { describeSwitch, planSwitch } from "../../src/plan/switch-plan.ts";

const EXAMPLE = "examples/encrypted-server";

test("the initramfs lets in root's keys, brings dropbear-initramfs, and the test's key for root too", async () => {
  const { config } = await loadConfig(EXAMPLE);
  const plan = planDeploy(config, { rootMountpoint: "/mnt" });
  const rootKeys = config.users.users.root?.openssh.authorizedKeys.keys ?? [];
  assert.deepEqual(plan.system.initrdSsh, { port: 22, authorizedKeys: rootKeys });
  assert.ok(plan.packages.includes("dropbear-initramfs"));
  assert.ok(plan.system.packages.includes("dropbear-initramfs"), "a switch that turns it off removes it");
  const tested = withAuthorizedKey(plan, "root", "ssh-ed25519 AAAAtest test");
  assert.deepEqual(tested.system.initrdSsh?.authorizedKeys, [...rootKeys, "ssh-ed25519 AAAAtest test"]);
  assert.deepEqual(
    withAuthorizedKey(plan, "alice", "ssh-ed25519 AAAAtest test").system.initrdSsh,
    plan.system.initrdSsh,
  );
});

test("a switch that turns it on installs dropbear-initramfs and says so; turned off, removes it", async () => {
  const { config } = await loadConfig(EXAMPLE);
  const on = planDeploy(config, { rootMountpoint: "/mnt" }).system;
  const { initrdSsh: _, ...off } = { ...on, packages: [] };
  const turnOn = describeSwitch(planSwitch(off, on, new Map(), new Set()));
  assert.ok(turnOn.includes("+ package dropbear-initramfs"), turnOn.join("\n"));
  assert.ok(turnOn.includes("~ initramfs ssh port 22, 1 key (was off)"), turnOn.join("\n"));
  const turnOff = planSwitch(on, off, new Map([["dropbear-initramfs", "2022.83-1"]]), new Set());
  assert.deepEqual(turnOff.remove, ["dropbear-initramfs"]);
});

test("the first boot is unlocked by the deploy when the initramfs runs SSH and the keys give one passphrase", async () => {
  const { config } = await loadConfig(EXAMPLE);
  const plan = planDeploy(config, { rootMountpoint: "/mnt" });
  const key = { remote: "/tmp/secret.key", bytes: new TextEncoder().encode("my pass phrase\n") };
  assert.deepEqual(bootUnlock(plan, [key]), {
    kind: "ssh",
    passphrase: "my pass phrase",
    names: ["crypted"],
  });
  // Without the key's text, or without SSH in the initramfs, a person unlocks.
  assert.deepEqual(bootUnlock(plan, []), { kind: "person", names: ["crypted"], over: "console or ssh" });
  const { initrdSsh: _, ...console } = plan.system;
  assert.deepEqual(bootUnlock({ ...plan, system: console }, [key]), {
    kind: "person",
    names: ["crypted"],
    over: "console",
  });
  assert.deepEqual(bootUnlock({ ...plan, crypttab: [] }, [key]), { kind: "none" });
});
