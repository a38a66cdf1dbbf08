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
