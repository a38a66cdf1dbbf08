import assert from "node:assert/strict";
import { test } from "node:test";
import { checkBoot } from "../../src/config/check-boot.ts";
import { configSchema } from "../../src/config/schema.ts";
import { espMountpoint } from "../../src/disk/boot.ts";

/** A configuration with GRUB for BIOS on /dev/vda, which holds a parted table of `format`. */
function grubOnTable(format: "gpt" | "msdos", flags: string[]) {
  return configSchema.parse({
    boot: { loader: { grub: { devices: ["/dev/vda"] } } },
    disko: {
      devices: {
        disk: {
          main: {
            device: "/dev/vda",
            content: {
              type: "table",
              format,
              partitions: [
                { start: "1MiB", end: "2MiB", flags },
                {
                  start: "2MiB",
                  end: "100%",
                  content: { type: "filesystem", format: "ext4", mountpoint: "/" },
                },
              ],
            },
          },
        },
      },
    },
  });
}

test("BIOS GRUB on a parted GPT needs a bios_grub partition; on msdos it needs none", () => {
  assert.deepEqual(checkBoot(grubOnTable("gpt", [])), [
    {
      path: "boot.loader.grub.devices[0]",
      message:
        '/dev/vda has a GPT without a BIOS boot partition: GRUB cannot be installed there for BIOS; add a 1M partition with flags = ["bios_grub"]',
    },
  ]);
  assert.deepEqual(checkBoot(grubOnTable("gpt", ["bios_grub"])), []);
  assert.deepEqual(checkBoot(grubOnTable("msdos", [])), []);
});

test("SSH in the initramfs needs its network and a key to let in; host keys of one's own are refused for now", () => {
  const config = configSchema.parse({
    boot: { initrd: { network: { ssh: { enable: true, hostKeys: ["/etc/secrets/initrd_key"] } } } },
  });
  assert.deepEqual(
    checkBoot(config).map((problem) => problem.path),
    [
      "boot.initrd.network.ssh.enable",
      "boot.initrd.network.ssh.authorizedKeys",
      "boot.initrd.network.ssh.hostKeys",
    ],
  );
  const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyReplaceWithYourOwnPublicKey0000 you@example";
  // Root's keys are let in when the initramfs names none of its own.
  const withRootKey = configSchema.parse({
    boot: { initrd: { network: { enable: true, ssh: { enable: true } } } },
    users: { users: { root: { openssh: { authorizedKeys: { keys: [key] } } } } },
  });
  assert.deepEqual(checkBoot(withRootKey), []);
});

test("GRUB for EFI takes an ESP mirrored by mdadm (RAID1, metadata 1.0) as the EFI system partition", () => {
  const member = { size: "256M", type: "EF00", content: { type: "mdraid", name: "boot" } };
  const disk = (device: string) => ({
    device,
    content: {
      type: "gpt",
      partitions: { ESP: member, root: { size: "100%", content: { type: "mdraid", name: "root" } } },
    },
  });
  const config = configSchema.parse({
    boot: { loader: { grub: { efiSupport: true, efiInstallAsRemovable: true } } },
    disko: {
      devices: {
        disk: { one: disk("/dev/sda"), two: disk("/dev/sdb") },
        mdadm: {
          boot: {
            type: "mdadm",
            level: 1,
            metadata: "1.0",
            content: { type: "filesystem", format: "vfat", mountpoint: "/boot" },
          },
          root: { type: "mdadm", level: 1, content: { type: "filesystem", format: "ext4", mountpoint: "/" } },
        },
      },
    },
  });
  assert.deepEqual(checkBoot(config), []);
  assert.equal(espMountpoint(config.disko.devices), "/boot");
});
