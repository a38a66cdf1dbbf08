import assert from "node:assert/strict";
import { test } from "node:test";
import type { ObservedDevice, ObservedSystem } from "../../src/facts/observed.ts";
import { verifyInstalled } from "../../src/plan/verify-layout.ts";
import { layout, msdosLayout } from "../disk/layout.ts";

const devices = layout({
  disk: {
    main: {
      device: "/dev/vda",
      content: {
        type: "gpt",
        partitions: {
          root: {
            size: "100%",
            content: {
              type: "btrfs",
              mountpoint: "/partition-root",
              subvolumes: { "/rootfs": { mountpoint: "/" }, home: { mountpoint: "/home" } },
            },
          },
        },
      },
    },
  },
});

function device(path: string, extra: Partial<ObservedDevice> = {}): ObservedDevice {
  return {
    name: path.slice(5),
    path,
    size: 4 << 30,
    type: "part",
    readOnly: false,
    fsType: undefined,
    mountpoint: undefined,
    transport: undefined,
    partLabel: undefined,
    partType: undefined,
    children: [],
    ...extra,
  };
}

function observed(roots: Record<string, string>, fsType = "btrfs"): ObservedSystem {
  return {
    devices: [
      device("/dev/vda", {
        type: "disk",
        children: [
          device("/dev/vda1", {
            fsType,
            partLabel: "disk-main-root",
            partType: "0fc63daf-8483-4772-8e79-3d69d8477de4",
          }),
        ],
      }),
    ],
    mounts: Object.entries(roots).map(([target, fsRoot]) => ({
      target,
      source: "/dev/vda1",
      fsType,
      fsRoot,
    })),
    swaps: [],
    hostName: "web",
    firmware: "bios",
  };
}

test("btrfs subvolumes: each mountpoint must hold the declared subvolume", () => {
  assert.deepEqual(
    verifyInstalled(
      devices,
      "web",
      observed({ "/": "/rootfs", "/home": "/home", "/partition-root": "/" }),
      {},
    ),
    [],
  );
  assert.deepEqual(
    verifyInstalled(
      devices,
      "web",
      observed({ "/": "/home", "/home": "/home", "/partition-root": "/rootfs" }),
      {},
    ),
    [
      "/partition-root is the btrfs subvolume /rootfs, the layout says the top level",
      "/ is the btrfs subvolume /home, the layout says /rootfs",
    ],
  );
  assert.deepEqual(
    verifyInstalled(devices, "web", observed({ "/": "/", "/home": "/", "/partition-root": "/" }, "ext4"), {}),
    [
      "partition root: holds ext4, the layout says btrfs",
      "/partition-root is ext4, the layout says btrfs",
      "/ is ext4, the layout says btrfs",
      "/home is ext4, the layout says btrfs",
    ],
  );
});

const msdosTable = msdosLayout("/dev/nvme0n1");

/** The NVMe disk of `msdosTable` with `partitions`, / and /boot mounted from its partitions 2 and 1. */
function installedNvme(partitions: ObservedDevice[]): ObservedSystem {
  return {
    devices: [device("/dev/nvme0n1", { type: "disk", children: partitions })],
    mounts: [
      { target: "/", source: "/dev/nvme0n1p2", fsType: "ext4", fsRoot: "/" },
      { target: "/boot", source: "/dev/nvme0n1p1", fsType: "ext4", fsRoot: "/" },
    ],
    swaps: [],
    hostName: "web",
    firmware: "bios",
  };
}

test("msdos table: each partition is checked, found by its number", () => {
  const ext4 = { fsType: "ext4", partType: "0x83" };
  assert.deepEqual(
    verifyInstalled(
      msdosTable,
      "web",
      installedNvme([device("/dev/nvme0n1p1", ext4), device("/dev/nvme0n1p2", ext4)]),
      {},
    ),
    [],
  );
  assert.deepEqual(
    verifyInstalled(
      msdosTable,
      "web",
      installedNvme([device("/dev/nvme0n1p2", { fsType: "xfs", partType: "0x83" })]),
      {},
    ),
    [
      "disk main: 1 partitions, the layout has 2",
      "partition 1 of disk main: not on /dev/nvme0n1",
      "partition 2 of disk main: holds xfs, the layout says ext4",
    ],
  );
});

test("table with a GPT: named partitions are found by label, and the ESP flag fixes the type", () => {
  const devices = layout({
    disk: {
      main: {
        device: "/dev/vda",
        content: {
          type: "table",
          partitions: [
            {
              name: "ESP",
              start: "1MiB",
              end: "513MiB",
              flags: ["esp"],
              content: { type: "filesystem", format: "vfat", mountpoint: "/boot" },
            },
            { start: "513MiB", end: "100%", content: { type: "swap" } },
          ],
        },
      },
    },
  });
  const linux = "0fc63daf-8483-4772-8e79-3d69d8477de4";
  const installed: ObservedSystem = {
    devices: [
      device("/dev/vda", {
        type: "disk",
        children: [
          device("/dev/vda1", { fsType: "vfat", partLabel: "ESP", partType: linux }),
          device("/dev/vda2", { fsType: "swap", partLabel: "part2", partType: linux }),
        ],
      }),
    ],
    mounts: [{ target: "/boot", source: "/dev/vda1", fsType: "vfat", fsRoot: "/" }],
    swaps: ["/dev/vda2"],
    hostName: "web",
    firmware: "uefi",
  };
  assert.deepEqual(verifyInstalled(devices, "web", installed, {}), [
    `partition ESP: type ${linux}, the layout says an EFI system partition (c12a7328-f81f-11d2-ba4b-00a0c93ec93b)`,
  ]);
});
