import assert from "node:assert/strict";
import { test } from "node:test";
import { biosBootDevices, biosBootProblems, espMountpoint } from "../../src/disk/boot.ts";
import { deviceContentPlanner } from "../../src/disk/content/device-content.ts";
import { diskContents } from "../../src/disk/place.ts";
import { ext4, gptLayout, layout, seedLayout } from "./layout.ts";

const vfat = (mountpoint: string) => ({ type: "filesystem", format: "vfat", mountpoint });

/** One disk /dev/sda with a parted table of `format` holding `partitions`. */
function tableLayout(format: "gpt" | "msdos", partitions: unknown[]) {
  return layout({ disk: { main: { device: "/dev/sda", content: { type: "table", format, partitions } } } });
}

/** The boot roles the disk's content planner answers. */
function bootRolesOf(devices: ReturnType<typeof layout>) {
  return diskContents(devices).map(({ content, place }) =>
    deviceContentPlanner(content).bootRoles(content, place),
  );
}

test("gpt: the EF02 partition takes GRUB for BIOS, the EF00 partition's mountpoint is the ESP", () => {
  const devices = seedLayout();
  assert.deepEqual(bootRolesOf(devices), [
    { biosBoot: true, biosBootProblem: undefined, espMountpoints: ["/boot"] },
  ]);
  assert.deepEqual(biosBootDevices(devices), ["/dev/sda"]);
  assert.equal(espMountpoint(devices), "/boot");
  assert.deepEqual(biosBootProblems(devices), new Map());
});

test("gpt without EF02: GRUB for BIOS has no place there, and the problem says to add one", () => {
  const devices = gptLayout({ root: { size: "100%", content: ext4("/") } });
  assert.deepEqual(biosBootDevices(devices), []);
  assert.equal(espMountpoint(devices), undefined);
  assert.deepEqual(
    biosBootProblems(devices),
    new Map([
      [
        "/dev/sda",
        '/dev/sda has a GPT without a BIOS boot partition: GRUB cannot be installed there for BIOS; add a 1M partition with type "EF02"',
      ],
    ]),
  );
});

test("table with a GPT: flags bios_grub and esp play the roles of EF02 and EF00", () => {
  const devices = tableLayout("gpt", [
    { start: "1MiB", end: "2MiB", flags: ["bios_grub"] },
    { start: "2MiB", end: "514MiB", flags: ["esp"], content: vfat("/boot/efi") },
    { start: "514MiB", end: "100%", content: ext4("/") },
  ]);
  assert.deepEqual(bootRolesOf(devices), [
    { biosBoot: true, biosBootProblem: undefined, espMountpoints: ["/boot/efi"] },
  ]);
  assert.deepEqual(biosBootDevices(devices), ["/dev/sda"]);
  assert.equal(espMountpoint(devices), "/boot/efi");
});

test("table with a GPT: the boot flag is parted's other name for esp, and no bios_grub is a problem", () => {
  const devices = tableLayout("gpt", [
    { start: "1MiB", end: "513MiB", bootable: true, content: vfat("/boot") },
    { start: "513MiB", end: "100%", content: ext4("/") },
  ]);
  assert.equal(espMountpoint(devices), "/boot");
  assert.deepEqual(biosBootDevices(devices), []);
  assert.deepEqual(
    [...biosBootProblems(devices).values()],
    [
      '/dev/sda has a GPT without a BIOS boot partition: GRUB cannot be installed there for BIOS; add a 1M partition with flags = ["bios_grub"]',
    ],
  );
});

test("msdos table: the esp flag marks the ESP; GRUB for BIOS needs no partition of its own", () => {
  const devices = tableLayout("msdos", [
    { start: "1MiB", end: "257MiB", bootable: true, flags: ["esp"], content: vfat("/boot") },
    { start: "257MiB", end: "100%", bootable: true, content: ext4("/") },
  ]);
  assert.deepEqual(bootRolesOf(devices), [
    { biosBoot: false, biosBootProblem: undefined, espMountpoints: ["/boot"] },
  ]);
  assert.deepEqual(biosBootProblems(devices), new Map());
});

test("a filesystem on the whole disk plays no part in booting", () => {
  const devices = layout({ disk: { main: { device: "/dev/vda", content: ext4("/") } } });
  assert.deepEqual(bootRolesOf(devices), [
    { biosBoot: false, biosBootProblem: undefined, espMountpoints: [] },
  ]);
});
