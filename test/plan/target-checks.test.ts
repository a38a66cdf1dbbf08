import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { Facts } from "../../src/facts/facts.ts";
import { parseFacts } from "../../src/facts/parse-facts.ts";
import { checkTarget, missingTools, requiredTools } from "../../src/plan/target-checks.ts";
import { layout, seedLayout } from "../disk/layout.ts";

// Facts recorded from a Debian 12 machine with loop devices (test/facts/fixtures).
const recorded = parseFacts(
  readFileSync(new URL("../facts/fixtures/facts-debian12-host.txt", import.meta.url), "utf8"),
);
const loop = recorded.blockDevices.find((device) => device.path === "/dev/loop0");
const facts = (change: Partial<Facts> = {}): Facts => ({
  ...recorded,
  memoryBytes: 2 * 2 ** 30,
  mounts: recorded.mounts.filter((mount) => !mount.source.startsWith("/dev/loop0")),
  swaps: [],
  devices: { "/dev/loop0": "/dev/loop0" },
  blockDevices: loop === undefined ? [] : [{ ...loop, type: "disk", children: [] }],
  ...change,
});
const options = { rootMountpoint: "/mnt" };

test("accepts a machine that can take the layout", () => {
  assert.deepEqual(checkTarget(seedLayout("/dev/loop0"), facts(), options), []);
});

test("refuses less than 1 GB of RAM", () => {
  const refusals = checkTarget(seedLayout("/dev/loop0"), facts({ memoryBytes: 700 * 2 ** 20 }), options);
  assert.deepEqual(
    refusals.map((refusal) => refusal.code),
    ["GW_TARGET_MEMORY"],
  );
  assert.match(refusals[0]?.message ?? "", /700 MiB of RAM; installing needs at least 1 GB/);
});

test("refuses another architecture", () => {
  const refusals = checkTarget(seedLayout("/dev/loop0"), facts({ architecture: "riscv64" }), options);
  assert.deepEqual(
    refusals.map((refusal) => refusal.code),
    ["GW_TARGET_ARCH"],
  );
});

test("refuses a declared disk the machine does not have, listing those it has", () => {
  const refusals = checkTarget(seedLayout("/dev/vdb"), facts({ devices: { "/dev/vdb": "" } }), options);
  assert.deepEqual(
    refusals.map((refusal) => refusal.code),
    ["GW_TARGET_DISK_MISSING"],
  );
  assert.match(
    refusals[0]?.message ?? "",
    /\/dev\/vdb is not a disk on the target\. Its disks: \/dev\/loop0/,
  );
});

test("refuses a disk mounted outside the root mountpoint, accepts one mounted under it", () => {
  const mounted = (target: string) => facts({ mounts: [{ source: "/dev/loop0", target, fsType: "ext4" }] });
  assert.match(
    checkTarget(seedLayout("/dev/loop0"), mounted("/srv"), options)[0]?.message ?? "",
    /in use \(\/dev\/loop0 is mounted at \/srv\)/,
  );
  assert.deepEqual(checkTarget(seedLayout("/dev/loop0"), mounted("/mnt/boot"), options), []);
});

test("refuses a disk that an array, a volume or an open LUKS device holds, with the command that frees it", () => {
  const device = (name: string, type: string) => ({
    name,
    path: `/dev/${name}`,
    size: 1,
    type,
    readOnly: false,
    fsType: undefined,
    mountpoint: undefined,
    transport: undefined,
    children: [],
  });
  const rows: [ReturnType<typeof device>, RegExp][] = [
    [device("md127", "raid1"), /\/dev\/md127 \(raid1\) is active on it; mdadm --stop \/dev\/md127 frees it/],
    [device("mapper/old", "crypt"), /\(crypt\) is active on it; cryptsetup close old frees it/],
    [
      device("mapper/vg-root", "lvm"),
      /\(lvm\) is active on it; lvchange -an \/dev\/mapper\/vg-root frees it/,
    ],
  ];
  for (const [holder, message] of rows) {
    const held = facts({
      blockDevices: loop === undefined ? [] : [{ ...loop, type: "disk", children: [holder] }],
    });
    assert.match(checkTarget(seedLayout("/dev/loop0"), held, options)[0]?.message ?? "", message);
  }
});

test("needs the tools the layout uses, and says which the machine lacks", () => {
  assert.deepEqual(requiredTools(seedLayout()), [
    "blkid",
    "blockdev",
    "findmnt",
    "lsblk",
    "mkfs.ext4",
    "mkfs.vfat",
    "sgdisk",
    "tar",
    "wipefs",
    "zstd",
  ]);
  assert.deepEqual(
    missingTools(seedLayout(), facts({ tools: recorded.tools.filter((tool) => tool !== "sgdisk") })),
    ["sgdisk"],
  );
});

test("a parted table needs parted, not sgdisk; btrfs subvolumes and swap files need their tools", () => {
  const devices = layout({
    disk: {
      main: {
        device: "/dev/sda",
        content: {
          type: "table",
          format: "msdos",
          partitions: [
            { start: "1MiB", end: "1GiB", content: { type: "swap" } },
            {
              start: "1GiB",
              end: "100%",
              content: {
                type: "btrfs",
                subvolumes: { "/rootfs": { mountpoint: "/", swap: { swapfile: { size: "1G" } } } },
              },
            },
          ],
        },
      },
    },
  });
  assert.deepEqual(
    requiredTools(devices).filter((tool) => !requiredTools(layout({})).includes(tool)),
    ["btrfs", "chattr", "fallocate", "mkfs.btrfs", "mkswap", "parted"],
  );
});
