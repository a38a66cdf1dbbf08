import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { planDiskMode } from "../../src/disk/modes.ts";
import { parsePartedPosition, partedPositionBytes } from "../../src/disk/size.ts";
import { declaredDisks } from "../../src/disk/steps.ts";
import { renderDiskScript } from "../../src/render/disk-script.ts";
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

test("parted positions read as parted reads them: a unit in any case, and M, G, T as MB, GB, TB", () => {
  const rows: [string, bigint | undefined][] = [
    ["1M", 1_000_000n],
    ["1m", 1_000_000n],
    ["1MB", 1_000_000n],
    ["1MiB", 1_048_576n],
    ["1mib", 1_048_576n],
    ["2G", 2_000_000_000n],
    ["1K", 1000n],
    ["2048s", 1_048_576n],
    ["100", 100_000_000n],
    ["50%", undefined],
  ];
  for (const [text, bytes] of rows) assert.equal(partedPositionBytes(text), bytes, text);
  for (const text of ["1Mx", "1 M", "1MIBS", "M", "1e3M"])
    assert.equal(parsePartedPosition(text), undefined, text);
});

test("a parted table: a name on an msdos partition is ignored, as disko does; a gpt name with spaces reaches parted quoted", () => {
  const parted = (format: "msdos" | "gpt", name: string) =>
    planDiskMode(
      layout({
        disk: {
          main: {
            device: "/dev/vdb",
            content: { type: "table", format, partitions: [{ name, start: "1M", end: "100%" }] },
          },
        },
      }),
      "format",
      { rootMountpoint: "/mnt" },
    ).filter((step) => step.kind === "parted-partition");
  const [msdos] = parted("msdos", "ignored");
  assert.equal(msdos?.kind === "parted-partition" ? msdos.name : "?", undefined);
  // Each name reaches parted whole: run the rendered mkpart on an image file and read the GPT back.
  const dir = mkdtempSync(join(tmpdir(), "groundwork-parted-name-"));
  try {
    for (const name of ["name with spaces", 'say "hi"', "it's"]) {
      const image = join(dir, "disk.img");
      writeFileSync(image, Buffer.alloc(4 * 2 ** 20));
      const script = renderDiskScript(parted("gpt", name), { mode: "format", source: "test" });
      const mkpart = script.split("\n").find((line) => line.includes(" mkpart ")) ?? "";
      const run = spawnSync(
        "/bin/sh",
        ["-c", `parted -s ${image} -- mklabel gpt && ${mkpart.replace("/dev/vdb", image)}`],
        {
          encoding: "utf8",
        },
      );
      assert.equal(run.status, 0, run.stderr);
      const info = spawnSync("sgdisk", ["--info=1", image], { encoding: "utf8" });
      assert.match(
        info.stdout,
        new RegExp(`^Partition name: '${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}'$`, "m"),
        name,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
