import assert from "node:assert/strict";
import { test } from "node:test";
import { checkBoot } from "../../src/config/check-boot.ts";
import { configSchema } from "../../src/config/schema.ts";

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
