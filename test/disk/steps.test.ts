import assert from "node:assert/strict";
import { test } from "node:test";
import { planDiskMode } from "../../src/disk/modes.ts";
import { declaredDisks } from "../../src/disk/steps.ts";
import { layout } from "./layout.ts";

const twoDisksAndTmpfs = layout({
  disk: {
    data: {
      device: "/dev/vdb",
      content: { type: "filesystem", format: "ext4", mountpoint: "/srv" },
    },
    main: {
      device: "/dev/vda",
      content: {
        type: "gpt",
        partitions: {
          root: { size: "100%", content: { type: "filesystem", format: "ext4", mountpoint: "/" } },
        },
      },
    },
  },
  nodev: { "/tmp": { fsType: "tmpfs", mountOptions: ["size=200M"] } },
});

test("a disk plan touches each declared disk once; a tmpfs mount is on no disk", () => {
  const steps = planDiskMode(twoDisksAndTmpfs, "disko", { rootMountpoint: "/mnt" });
  assert.deepEqual(declaredDisks({ steps }), ["/dev/vdb", "/dev/vda"]);
  const tmpfs = steps.find((step) => step.kind === "mount" && step.mountpoint === "/tmp");
  assert.ok(tmpfs !== undefined && tmpfs.disk === undefined, "the tmpfs mount step names no disk");
  // Unmounting goes children first: /srv on vdb before / on vda.
  const unmount = planDiskMode(twoDisksAndTmpfs, "unmount", { rootMountpoint: "/mnt" });
  assert.deepEqual(declaredDisks({ steps: unmount }), ["/dev/vdb", "/dev/vda"]);
});

test("labels as disko makes them: a disk named by its path reads with _ for /, and a disk's and a partition's name replace the attribute names", () => {
  const labels = (devices: unknown) =>
    planDiskMode(layout(devices), "format", { rootMountpoint: "/mnt" }).flatMap((step) =>
      step.kind === "gpt-partition" ? [step.label] : [],
    );
  const gpt = (partitions: unknown) => ({ type: "gpt", partitions });
  assert.deepEqual(
    labels({
      disk: { "/dev/vdb": { device: "/dev/vdb", content: gpt({ boot: { size: "1M", type: "EF02" } }) } },
    }),
    ["disk-_dev_vdb-boot"],
  );
  assert.deepEqual(
    labels({
      disk: {
        one: {
          device: "/dev/vdb",
          name: "data",
          content: gpt({ a: { name: "first", size: "1M" }, b: { size: "1M", label: "mine" } }),
        },
      },
    }),
    ["disk-data-first", "mine"],
  );
});

test("an item of mountOptions that joins options with commas, as disko passes them to mount -o, is those options", () => {
  const devices = layout({
    disk: {
      main: {
        device: "/dev/vdb",
        content: {
          type: "gpt",
          partitions: {
            root: {
              size: "100%",
              content: {
                type: "filesystem",
                format: "ext4",
                mountpoint: "/",
                mountOptions: ["defaults,noatime", "ro"],
              },
            },
          },
        },
      },
    },
  });
  const mount = planDiskMode(devices, "mount", { rootMountpoint: "/mnt" }).find(
    (step) => step.kind === "mount",
  );
  assert.deepEqual(mount?.kind === "mount" ? mount.options : undefined, ["defaults", "noatime", "ro"]);
});

test("an extraArgs item with spaces is several arguments, as disko's unquoted command line makes it", () => {
  const devices = layout({
    disk: {
      main: {
        device: "/dev/vdb",
        content: {
          type: "gpt",
          partitions: {
            root: { size: "100%", content: { type: "btrfs", extraArgs: ["-d raid1", " -L  data "] } },
          },
        },
      },
    },
  });
  const mkfs = planDiskMode(devices, "format", { rootMountpoint: "/mnt" }).find(
    (step) => step.kind === "mkfs",
  );
  assert.deepEqual(mkfs?.kind === "mkfs" ? mkfs.extraArgs : undefined, ["-d", "raid1", "-L", "data"]);
});
