import assert from "node:assert/strict";
import { test } from "node:test";
import type { ObservedDevice, ObservedSystem } from "../../src/facts/observed.ts";
import { verifyInstalled } from "../../src/plan/verify-layout.ts";
import { layout } from "../disk/layout.ts";

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
