// LVM volume groups (disko.devices.lvm_vg) and their physical volumes (content type lvm_pv): checks and steps.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fstabEntries } from "../../src/disk/fstab.ts";
import { planDiskMode } from "../../src/disk/modes.ts";
import { layout, layoutProblems } from "./layout.ts";

const ext4 = (mountpoint: string) => ({ type: "filesystem", format: "ext4", mountpoint });

/** One disk whose second partition is a physical volume of `pool`, with `lvs`. */
function pooled(lvs: Record<string, unknown>, vg = "pool") {
  return {
    disk: {
      main: {
        device: "/dev/vda",
        content: {
          type: "gpt",
          partitions: {
            boot: { size: "1M", type: "EF02" },
            primary: { size: "100%", content: { type: "lvm_pv", vg } },
          },
        },
      },
    },
    lvm_vg: { pool: { type: "lvm_vg", lvs } },
  };
}

test("volumes are created as disko orders them: thin pools, fixed sizes, then percentages, each by name", () => {
  const devices = layout(
    pooled({
      zzz: { size: "1M" },
      home: { size: "100%", content: ext4("/home") },
      aaa: { size: "1M" },
      root: { size: "100M", content: ext4("/") },
      thin: { size: "100M", lvm_type: "thin-pool" },
      data: { size: "1G", lvm_type: "thinlv", pool: "thin", content: ext4("/data") },
    }),
  );
  assert.deepEqual(layoutProblems(pooled({ root: { size: "100M", content: ext4("/") } })), []);
  const steps = planDiskMode(devices, "format", { rootMountpoint: "/mnt" });
  const lvs = steps.flatMap((step) =>
    step.kind === "lvm-lv"
      ? [`${step.lv} ${step.sizeFlag} ${step.size}${step.pool === undefined ? "" : ` ${step.pool}`}`]
      : [],
  );
  assert.deepEqual(lvs, [
    "thin -L 100M",
    "aaa -L 1M",
    "data -V 1G thin",
    "root -L 100M",
    "zzz -L 1M",
    "home -l 100%FREE",
  ]);
  const kinds = steps.map((step) => step.kind);
  assert.ok(
    kinds.indexOf("lvm-pv") < kinds.indexOf("lvm-vg") && kinds.indexOf("lvm-vg") < kinds.indexOf("lvm-lv"),
  );
  const mkfs = steps.find((step) => step.kind === "mkfs");
  assert.deepEqual(mkfs?.kind === "mkfs" ? mkfs.device : undefined, { kind: "path", path: "/dev/pool/data" });
  const mount = planDiskMode(devices, "mount", { rootMountpoint: "/mnt" }).map((step) => step.kind);
  assert.equal(mount[0], "lvm-activate");
  const unmount = planDiskMode(devices, "unmount", { rootMountpoint: "/mnt" }).map((step) => step.kind);
  assert.equal(unmount.at(-1), "lvm-activate");
  assert.deepEqual(
    fstabEntries(devices).map((entry) => entry.source),
    ["/", "/data", "/home"].map((mountpoint) => ({
      kind: "uuid",
      device: {
        kind: "path",
        path: `/dev/pool/${{ "/": "root", "/data": "data", "/home": "home" }[mountpoint]}`,
      },
    })),
  );
});

test("refuses a physical volume of an undeclared group, a group without one, a thinlv without a thin pool, and sizes lvcreate refuses", () => {
  const messages = (devices: unknown) =>
    layoutProblems(devices)
      .map((problem) => `${problem.path}: ${problem.message}`)
      .join("\n");
  const orphan = pooled({ root: { size: "1G" } }, "other");
  assert.match(messages(orphan), /partitions\.primary\.content\.vg: there is no volume group "other"/);
  assert.match(
    messages(orphan),
    /disko\.devices\.lvm_vg\.pool: no physical volume belongs to volume group pool/,
  );
  assert.match(
    messages(pooled({ data: { size: "1G", lvm_type: "thinlv", pool: "nowhere" } })),
    /lvs\.data\.pool: a thinlv lives in a thin pool/,
  );
  for (const size of ["1 G", "101%", "-1G", "ten", "50%ALL"])
    assert.match(
      messages(pooled({ root: { size } })),
      /is not a logical volume size|is more than 100%/,
      size,
    );
});
