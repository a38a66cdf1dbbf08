// mdadm arrays (disko.devices.mdadm) and their members (content type mdraid): checks, steps and fstab.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fstabEntries } from "../../src/disk/fstab.ts";
import { planDiskMode } from "../../src/disk/modes.ts";
import { layout, layoutProblems } from "./layout.ts";

/** Two disks, each a BIOS boot partition and a member of `raid1`, an array holding `content`. */
function mirrored(array: Record<string, unknown>, members = ["a", "b"]) {
  const disk = (device: string) => ({
    device,
    content: {
      type: "gpt",
      partitions: {
        boot: { size: "1M", type: "EF02" },
        mdadm: { size: "100%", content: { type: "mdraid", name: "raid1" } },
      },
    },
  });
  return {
    disk: Object.fromEntries(members.map((name, i) => [name, disk(`/dev/vd${"ab"[i] ?? "c"}`)])),
    mdadm: {
      raid1: {
        level: 1,
        content: {
          type: "gpt",
          partitions: {
            primary: { size: "100%", content: { type: "filesystem", format: "ext4", mountpoint: "/" } },
          },
        },
        ...array,
      },
    },
  };
}

test("a two-disk RAID1 holding a GPT with / has no problems", () => {
  assert.deepEqual(layoutProblems(mirrored({})), []);
});

test("refuses a member of an array that is not declared, an array with too few members, and an ESP member it cannot boot", () => {
  const undeclared = mirrored({});
  undeclared.mdadm = {} as typeof undeclared.mdadm;
  assert.match(
    layoutProblems(undeclared)
      .map((problem) => `${problem.path}: ${problem.message}`)
      .join("\n"),
    /disko\.devices\.disk\.a\.content\.partitions\.mdadm\.content\.name: there is no array "raid1": declare it under disko\.devices\.mdadm/,
  );
  const alone = layoutProblems(mirrored({}, ["a"]));
  assert.deepEqual(
    alone.map((problem) => problem.path),
    ["disko.devices.mdadm.raid1"],
  );
  assert.match(alone[0]?.message ?? "", /a RAID1 array needs at least 2 members, and only 1 names it/);
  const esp = mirrored({ content: { type: "filesystem", format: "vfat", mountpoint: "/boot" } });
  for (const disk of Object.values(esp.disk)) {
    const partitions = disk.content.partitions as Record<string, Record<string, unknown>>;
    partitions.mdadm = { size: "500M", type: "EF00", content: { type: "mdraid", name: "raid1" } };
  }
  assert.match(
    layoutProblems(esp)
      .map((problem) => problem.message)
      .join("\n"),
    /firmware reads it only as a RAID1 with metadata = "1\.0"/,
  );
  assert.deepEqual(layoutProblems(mirrored({ ...esp.mdadm.raid1, metadata: "1.0" })).length, 0);
});

test("refuses array names that are no /dev/md name", () => {
  for (const name of ["a/b", "..", "-x", "x".repeat(33), "a b"]) {
    const devices = mirrored({});
    const problems = layoutProblems({ ...devices, mdadm: { [name]: devices.mdadm.raid1 } });
    assert.ok(
      problems.some((problem) => /is not an array name/.test(problem.message)),
      `${name}: ${JSON.stringify(problems)}`,
    );
  }
});

test("format creates the array once its members exist, then what it holds; mount assembles it first; unmount stops it last", () => {
  const devices = layout(mirrored({}));
  const format = planDiskMode(devices, "format", { rootMountpoint: "/mnt" });
  const kinds = format.map((step) => step.kind);
  const create = format.find((step) => step.kind === "mdadm-create");
  assert.ok(create?.kind === "mdadm-create");
  assert.deepEqual(create.members, [
    { kind: "partition", disk: "/dev/vda", number: 2, label: "disk-a-mdadm" },
    { kind: "partition", disk: "/dev/vdb", number: 2, label: "disk-b-mdadm" },
  ]);
  assert.equal(create.device, "/dev/md/raid1");
  const membersReady = format.findIndex(
    (step) => step.kind === "reread-partitions" && step.device === "/dev/vdb",
  );
  assert.ok(membersReady !== -1 && membersReady < kinds.indexOf("mdadm-create"));
  const table = format.find((step) => step.kind === "gpt-table" && step.device === "/dev/md/raid1");
  assert.ok(table !== undefined && format.indexOf(create) < format.indexOf(table));
  const partition = format.find((step) => step.kind === "gpt-partition" && step.device === "/dev/md/raid1");
  assert.equal(partition?.kind === "gpt-partition" ? partition.label : "", "mdadm-raid1-primary");

  const mount = planDiskMode(devices, "mount", { rootMountpoint: "/mnt" }).map((step) => step.kind);
  assert.deepEqual(mount, ["mdadm-assemble", "mount"]);
  const unmount = planDiskMode(devices, "unmount", { rootMountpoint: "/mnt" }).map((step) => step.kind);
  assert.deepEqual(unmount, ["unmount", "mdadm-stop"]);
});

test("fstab finds a filesystem on an array's partition by UUID: udev makes no by-partlabel links on md devices", () => {
  const [root] = fstabEntries(layout(mirrored({})));
  assert.deepEqual(root?.source, {
    kind: "uuid",
    device: { kind: "partition", disk: "/dev/md/raid1", number: 1 },
  });
});
