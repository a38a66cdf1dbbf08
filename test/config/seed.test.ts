import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { getOption } from "../../src/config/get-option.ts";
import { loadConfig } from "../../src/config/load.ts";
import { ConfigError } from "../../src/errors/index.ts";

const repo = join(import.meta.dirname, "../..");
const seed = join(repo, "examples/seed");

test("the seed example evaluates to the seed's values", async () => {
  const { config, files } = await loadConfig(seed);
  assert.deepEqual(files, [
    join(seed, "configuration.ts"),
    join(repo, "modules/profiles/qemu-guest.ts"),
    join(seed, "single-disk-layout.ts"),
  ]);
  assert.deepEqual(config.boot.loader.grub, {
    devices: ["/dev/sda"],
    efiSupport: true,
    efiInstallAsRemovable: true,
  });
  assert.equal(config.services.openssh.enable, true);
  assert.equal(config.profiles.qemuGuest.enable, true);
  assert.equal(config.system.stateVersion, "24.11");
  assert.equal(config.networking.hostName, "debian");
  assert.match(
    config.users.users.root?.openssh.authorizedKeys.keys[0] ?? "",
    /^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5/,
  );
  const main = config.disko.devices.disk.main;
  assert.equal(main?.device, "/dev/sda");
  assert.equal(main?.content?.type, "gpt");
  const partitions = main?.content?.type === "gpt" ? main.content.partitions : {};
  assert.deepEqual(Object.keys(partitions), ["MBR", "ESP", "root"]);
  assert.deepEqual(
    Object.values(partitions).map(({ priority, size, type }) => [priority, size, type]),
    [
      [0, "1M", "EF02"],
      [1, "500M", "EF00"],
      [2, "100%", undefined],
    ],
  );
  assert.deepEqual(partitions.ESP?.content, {
    type: "filesystem",
    format: "vfat",
    mountpoint: "/boot",
    mountOptions: ["defaults"],
    extraArgs: [],
  });
});

test("sourceOf names the file that set an option, or the closest enclosing one", async () => {
  const { sourceOf } = await loadConfig(seed);
  assert.equal(
    sourceOf("disko.devices.disk.main.content.partitions.ESP.size"),
    join(seed, "single-disk-layout.ts"),
  );
  assert.equal(sourceOf("boot.loader.grub.devices[0]"), join(seed, "configuration.ts"));
  assert.equal(sourceOf("profiles.qemuGuest.enable"), join(repo, "modules/profiles/qemu-guest.ts"));
  assert.equal(sourceOf("networking.hostName"), undefined);
});

test("--disk overrides a disk's device for one run", async () => {
  const { config, sourceOf } = await loadConfig(seed, { diskDevices: { main: "/dev/vdb" } });
  assert.equal(config.disko.devices.disk.main?.device, "/dev/vdb");
  assert.equal(sourceOf("disko.devices.disk.main.device"), "--disk main=/dev/vdb");
});

test("--disk naming a disk that does not exist lists the disks that do", async () => {
  const error = await loadConfig(seed, { diskDevices: { mian: "/dev/vdb" } }).catch(
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof ConfigError);
  assert.equal(
    error.message,
    '--disk mian=/dev/vdb: disko.devices.disk.mian: no disk "mian" is declared: the configuration\'s disks are "main"; did you mean --disk main=…?',
  );
});

test("getOption returns the value at a dotted path", async () => {
  const { config } = await loadConfig(seed);
  const cases: readonly [string, unknown][] = [
    ["boot.loader.grub.devices", ["/dev/sda"]],
    ["boot.loader.grub.devices[0]", "/dev/sda"],
    ['disko.devices.disk."main".content.partitions.ESP.size', "500M"],
    ["system.stateVersion", "24.11"],
    [
      "services.openssh",
      { enable: true, settings: { PermitRootLogin: "prohibit-password", PasswordAuthentication: true } },
    ],
  ];
  for (const [path, expected] of cases) assert.deepEqual(getOption(config, path), expected, path);
});

test("getOption names an absent option and suggests the close one", async () => {
  const { config } = await loadConfig(seed);
  assert.throws(() => getOption(config, "boot.loader.grub.efiSuport"), {
    name: "ConfigError",
    message: 'boot.loader.grub.efiSuport: no such option; did you mean "efiSupport"?',
  });
  assert.throws(() => getOption(config, "disko.devices.disk.mian.device"), {
    message: 'disko.devices.disk.mian: no such option; did you mean "main"?',
  });
});
