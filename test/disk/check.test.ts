import assert from "node:assert/strict";
import { test } from "node:test";
import { checkLayout } from "../../src/disk/check.ts";
import { diskoSchema } from "../../src/disk/devices.ts";
import { ext4, gptInput, gptLayout, layout, layoutProblems, seedLayout } from "./layout.ts";

const P = "disko.devices.disk.main.content.partitions";

test("the seed layout has no problems", () => {
  assert.deepEqual(checkLayout(seedLayout()), []);
});

/** Disk a with a GPT partition labelled root, and disk b holding `content`. */
function besideLabelRoot(content: unknown) {
  return {
    disk: {
      a: {
        device: "/dev/sda",
        content: { type: "gpt", partitions: { root: { size: "100%", label: "root" } } },
      },
      b: { device: "/dev/sdb", content },
    },
  };
}

const rejected: [string, () => unknown, string, RegExp][] = [
  [
    "rejects two 100% partitions on one disk",
    () => gptInput({ a: { size: "100%", content: ext4("/") }, b: { size: "100%", content: ext4("/b") } }),
    P,
    /a and b both take 100% of the disk/,
  ],
  [
    "rejects a partition that comes after the one taking the rest",
    () =>
      gptInput({
        root: { size: "100%", priority: 1, content: ext4("/") },
        data: { size: "1G", priority: 2 },
      }),
    P,
    /data cannot fit: root comes first and takes the rest/,
  ],
  [
    "rejects partitions larger than imageSize",
    () => gptInput({ a: { size: "3G" }, b: { size: "100%", content: ext4("/") } }, { imageSize: "2G" }),
    "disko.devices.disk.main.imageSize",
    /need at least \d+ MiB, more than imageSize 2G/,
  ],
  [
    "rejects a size with a space",
    () => gptInput({ root: { size: "100 %" } }),
    `${P}.root.size`,
    /"100 %" is not a size \(examples: "500M"/,
  ],
  [
    "rejects a size with an unknown unit",
    () => gptInput({ root: { size: "5X" } }),
    `${P}.root.size`,
    /"5X" is not a size/,
  ],
  [
    "rejects a fractional size",
    () => gptInput({ root: { size: "1.5G" } }),
    `${P}.root.size`,
    /"1.5G" is not a size/,
  ],
  [
    "rejects size and end together",
    () => gptInput({ root: { size: "1G", end: "+1G" } }),
    `${P}.root.end`,
    /either size or end/,
  ],
  ["rejects a partition without size or end", () => gptInput({ root: {} }), `${P}.root.size`, /no size/],
  [
    "rejects duplicate mountpoints across disks and nodev",
    () => ({
      disk: {
        main: {
          device: "/dev/sda",
          content: { type: "gpt", partitions: { root: { size: "100%", content: ext4("/") } } },
        },
      },
      nodev: { "/": { fsType: "tmpfs" } },
    }),
    'disko.devices.nodev."/".mountpoint',
    /\/ is also the mountpoint of/,
  ],
  [
    "rejects a relative mountpoint",
    () => gptInput({ root: { size: "100%", content: ext4("boot") } }),
    `${P}.root.content.mountpoint`,
    /is relative/,
  ],
  [
    "rejects .. in a mountpoint",
    () => gptInput({ root: { size: "100%", content: ext4("/a/../b") } }),
    `${P}.root.content.mountpoint`,
    /contains "\." or "\.\."/,
  ],
  [
    "rejects a trailing / in a mountpoint",
    () => gptInput({ root: { size: "100%", content: ext4("/data/") } }),
    `${P}.root.content.mountpoint`,
    /ends with "\/"/,
  ],
  [
    "rejects a type code sgdisk does not know",
    () => gptInput({ root: { size: "100%", type: "1234" } }),
    `${P}.root.type`,
    /not a GPT type code that sgdisk knows/,
  ],
  [
    "rejects a type code that is no code at all",
    () => gptInput({ root: { size: "100%", type: "ZZZZ" } }),
    `${P}.root.type`,
    /not a GPT type code/,
  ],
  [
    "rejects an explicit GPT label over 36 characters",
    () => gptInput({ root: { size: "100%", label: "x".repeat(37) } }),
    `${P}.root.label`,
    /37 characters; a GPT label holds at most 36/,
  ],
  [
    "rejects two partitions with one label",
    () => gptInput({ a: { size: "1G", label: "same" }, b: { size: "100%", label: "same" } }),
    `${P}.b.label`,
    /also the label of a/,
  ],
  [
    "rejects an ESP that is not vfat",
    () =>
      gptInput({
        ESP: { size: "500M", type: "EF00", content: ext4("/boot") },
        root: { size: "100%", content: ext4("/") },
      }),
    `${P}.ESP.content`,
    /EFI system partition \(type EF00\) must hold a vfat filesystem \(or be a member of a RAID1 of one\), not format "ext4"/,
  ],
  [
    "rejects a BIOS boot partition with a filesystem",
    () =>
      gptInput({
        MBR: { size: "1M", type: "EF02", content: ext4("/x") },
        root: { size: "100%", content: ext4("/") },
      }),
    `${P}.MBR.content`,
    /holds GRUB's core image/,
  ],
  [
    "rejects control characters in a partition name",
    () => gptInput({ "a\nb": { size: "100%" } }),
    `${P}."a\\nb"`,
    /control characters/,
  ],
  [
    "rejects control characters in a label",
    () => gptInput({ root: { size: "100%", label: "a\tb" } }),
    `${P}.root.label`,
    /control characters/,
  ],
  [
    "rejects control characters in a mountpoint",
    () => gptInput({ root: { size: "100%", content: ext4("/a\nb") } }),
    `${P}.root.content.mountpoint`,
    /control characters/,
  ],
  [
    "rejects a device outside /dev",
    () => ({ disk: { main: { device: "disk.img" } } }),
    "disko.devices.disk.main.device",
    /"disk.img" is not a device path \(it is relative\): give a normalized absolute path under \/dev/,
  ],
  [
    "rejects two disks on one device",
    () => ({ disk: { a: { device: "/dev/sda" }, b: { device: "/dev/sda" } } }),
    "disko.devices.disk.b.device",
    /also the device of disk a/,
  ],
  [
    "rejects a GPT label used on another disk",
    () => besideLabelRoot({ type: "gpt", partitions: { data: { size: "100%", label: "root" } } }),
    "disko.devices.disk.b.content.partitions.data.label",
    /label "root" is also used on disk a: partition labels must be unique across disks/,
  ],
  [
    "rejects a parted partition name used on another disk",
    () => besideLabelRoot({ type: "table", partitions: [{ name: "root" }] }),
    "disko.devices.disk.b.content.partitions[0].name",
    /label "root" is also used on disk a/,
  ],
  [
    "rejects more than four primary msdos partitions",
    () => ({
      disk: {
        main: {
          device: "/dev/sda",
          content: { type: "table", format: "msdos", partitions: [{}, {}, {}, {}, {}] },
        },
      },
    }),
    "disko.devices.disk.main.content.partitions",
    /at most 4 primary/,
  ],
  [
    "rejects logical msdos partitions without an extended one",
    () => ({
      disk: {
        main: {
          device: "/dev/sda",
          content: { type: "table", format: "msdos", partitions: [{ "part-type": "logical" }] },
        },
      },
    }),
    "disko.devices.disk.main.content.partitions",
    /need an extended partition/,
  ],
  [
    "rejects a btrfs subvolume path with ..",
    () =>
      gptInput({
        root: { size: "100%", content: { type: "btrfs", subvolumes: { "/a/../b": { mountpoint: "/" } } } },
      }),
    `${P}.root.content.subvolumes."/a/../b"`,
    /is not a subvolume path/,
  ],
  [
    "rejects two names for one btrfs subvolume",
    () =>
      gptInput({
        root: { size: "100%", content: { type: "btrfs", subvolumes: { "/home": {}, "home/": {} } } },
      }),
    `${P}.root.content.subvolumes."home/"`,
    /names the same subvolume as "\/home"/,
  ],
  [
    "rejects subvol= among a subvolume's mount options",
    () =>
      gptInput({
        root: {
          size: "100%",
          content: {
            type: "btrfs",
            subvolumes: { "/rootfs": { mountpoint: "/", mountOptions: ["subvol=/other"] } },
          },
        },
      }),
    `${P}.root.content.subvolumes."/rootfs".mountOptions[0]`,
    /groundwork sets subvol= itself/,
  ],
  [
    "rejects a subvolume mounted where another filesystem is",
    () =>
      gptInput({
        data: { size: "1G", content: ext4("/home") },
        root: {
          size: "100%",
          content: {
            type: "btrfs",
            subvolumes: { "/rootfs": { mountpoint: "/" }, "/home": { mountpoint: "/home" } },
          },
        },
      }),
    `${P}.root.content.subvolumes."/home".mountpoint`,
    /\/home is also the mountpoint of/,
  ],
  [
    "rejects a btrfs swap file without a mounted filesystem to live on",
    () =>
      gptInput({
        root: {
          size: "100%",
          content: { type: "btrfs", subvolumes: { swap: { swap: { file: { size: "1G" } } } } },
        },
      }),
    `${P}.root.content.subvolumes.swap.swap.file`,
    /a swap file needs a mounted filesystem: give subvolume swap a mountpoint/,
  ],
  [
    "rejects a btrfs swap file of no size and one outside its mountpoint",
    () =>
      gptInput({
        root: {
          size: "100%",
          content: { type: "btrfs", mountpoint: "/top", swap: { file: { size: "100%", path: "../x" } } },
        },
      }),
    `${P}.root.content.swap.file.size`,
    /"100%" is not a swap file size: give at least 1M/,
  ],
  [
    "rejects a btrfs swap file path with ..",
    () =>
      gptInput({
        root: {
          size: "100%",
          content: { type: "btrfs", mountpoint: "/top", swap: { file: { size: "1G", path: "../x" } } },
        },
      }),
    `${P}.root.content.swap.file.path`,
    /"..\/x" is not a file path below the mountpoint/,
  ],
];

for (const [name, build, path, message] of rejected) {
  test(name, () => {
    const problems = layoutProblems(build());
    const match = problems.find((problem) => problem.path === path && message.test(problem.message));
    assert.ok(
      match,
      `expected ${path}: ${message}, got:\n${problems.map((problem) => `${problem.path}: ${problem.message}`).join("\n")}`,
    );
  });
}

test("accepts lowercase type codes and GUIDs", () => {
  assert.deepEqual(
    checkLayout(
      gptLayout({
        ESP: { size: "500M", type: "ef00" },
        root: { size: "100%", type: "0fc63daf-8483-4772-8e79-3d69d8477de4" },
      }),
    ),
    [],
  );
});

test("hashes a derived label over 36 characters, as disko does, and accepts it", () => {
  const devices = layout({
    disk: {
      "a-very-long-disk-name-indeed": {
        device: "/dev/sda",
        content: { type: "gpt", partitions: { "and-a-long-partition": { size: "100%" } } },
      },
    },
  });
  assert.deepEqual(checkLayout(devices), []);
});

test("the schema rejects an unknown format and a misspelt option", () => {
  const format = diskoSchema.safeParse({
    devices: { disk: { main: { device: "/dev/sda", content: { type: "filesystem", format: "ext5" } } } },
  });
  assert.equal(format.success, false);
  const typo = diskoSchema.safeParse({
    devices: {
      disk: {
        main: { device: "/dev/sda", content: { type: "filesystem", format: "ext4", mountpiont: "/" } },
      },
    },
  });
  assert.equal(typo.success, false);
  assert.match(JSON.stringify(typo.error?.issues), /mountpiont/);
});
