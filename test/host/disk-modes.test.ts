/**
 * Host tests: the disk scripts of each mode run for real on loop-device images, and sfdisk, blkid,
 * findmnt and swapon check what they did. Needs root (loop devices, mkfs, mount); skipped otherwise.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import { checkLayout } from "../../src/disk/check.ts";
import { diskoSchema } from "../../src/disk/devices.ts";
import { type DiskMode, planDiskMode } from "../../src/disk/modes.ts";
import { renderDiskScript } from "../../src/render/disk-script.ts";
import { msdosLayout } from "../disk/layout.ts";
import {
  activeSwaps,
  describeRun,
  LoopImage,
  MiB,
  mountsUnder,
  must,
  partitionTable,
  probe,
  type Run,
  run,
  runScript,
  type SfdiskTable,
  sfdisk,
} from "./loop.ts";

const needsRoot = { skip: process.getuid?.() !== 0 && "needs root for loop devices" };

/** GPT type GUIDs of the sgdisk codes the layouts use, as the UEFI spec lists them (not from src). */
const GUID = {
  EF02: "21686148-6449-6e6f-744e-656564454649",
  EF00: "c12a7328-f81f-11d2-ba4b-00a0c93ec93b",
  "8300": "0fc63daf-8483-4772-8e79-3d69d8477de4",
  "8200": "0657fd6d-a4ab-43c4-84e5-0933c84b4f4f",
} as const;

/** A layout for one disk: `disko.devices` with the image's loop device filled in. */
type Layout = (device: string) => unknown;

/** The script of `mode` for `layout`, which must pass validation. */
function script(layout: unknown, mode: DiskMode, rootMountpoint: string): string {
  const { devices } = diskoSchema.parse({ devices: layout });
  assert.deepEqual(checkLayout(devices), [], "the layout should be valid");
  return renderDiskScript(planDiskMode(devices, mode, { rootMountpoint }), {
    mode,
    source: "test/host/disk-modes.test.ts",
  });
}

/** Run `mode` on the image; the run, whatever its exit status. */
function attempt(loop: LoopImage, layout: Layout, mode: DiskMode): Run {
  return runScript(script(layout(loop.device), mode, loop.root), loop.dir);
}

/** Run `mode` on the image; it must succeed. */
function apply(loop: LoopImage, layout: Layout, mode: DiskMode): Run {
  const result = attempt(loop, layout, mode);
  assert.equal(result.status, 0, `--mode ${mode} failed: ${describeRun(result)}`);
  return result;
}

function gptDisk(device: string, partitions: Record<string, unknown>): unknown {
  return { disk: { main: { type: "disk", device, content: { type: "gpt", partitions } } } };
}

const ext4RootXfsSrvSwap: Layout = (device) =>
  gptDisk(device, {
    srv: { size: "512M", content: { type: "filesystem", format: "xfs", mountpoint: "/srv" } },
    swap: { size: "128M", content: { type: "swap" } },
    root: { size: "100%", content: { type: "filesystem", format: "ext4", mountpoint: "/" } },
  });

const btrfsRootExt4Home: Layout = (device) =>
  gptDisk(device, {
    home: { size: "256M", content: { type: "filesystem", format: "ext4", mountpoint: "/home" } },
    root: {
      size: "100%",
      content: { type: "filesystem", format: "btrfs", mountpoint: "/", mountOptions: ["compress=zstd"] },
    },
  });

/** disko's btrfs-subvolumes example, in short: root and /home as subvolumes, one nested, one not mounted. */
const btrfsSubvolumes: Layout = (device) =>
  gptDisk(device, {
    root: {
      size: "100%",
      content: {
        type: "btrfs",
        extraArgs: ["-f"],
        mountpoint: "/partition-root",
        swap: { "top-swap": { size: "16M", path: "swapfiles/top" } },
        subvolumes: {
          // compress applies to the whole filesystem: the first mount's options hold for all.
          "/rootfs": { mountpoint: "/", mountOptions: ["compress=zstd"] },
          "/home": { mountpoint: "/home", mountOptions: ["compress=zstd"] },
          "/home/user": {},
          "@snapshots": {},
          "/swap": { mountpoint: "/.swapvol", swap: { swapfile: { size: "32M", priority: 5 } } },
        },
      },
    },
  });

/** The seed's single-disk layout (examples/seed/single-disk-layout.ts). */
const seed: Layout = (device) =>
  gptDisk(device, {
    MBR: { priority: 0, size: "1M", type: "EF02" },
    ESP: {
      priority: 1,
      size: "500M",
      type: "EF00",
      content: { type: "filesystem", format: "vfat", mountpoint: "/boot" },
    },
    root: { priority: 2, size: "100%", content: { type: "filesystem", format: "ext4", mountpoint: "/" } },
  });

const msdosTable: Layout = msdosLayout;

const HOSTILE_NAME = `my 'data' $HOME`;
const HOSTILE_MOUNTPOINT = "/srv/my data";
const HOSTILE_NAME_2 = 'a\\b "c" `id` 5%s';
const HOSTILE_MOUNTPOINT_2 = "/srv/$(touch pwned) 50%";

const hostileNames: Layout = (device) =>
  gptDisk(device, {
    [HOSTILE_NAME]: {
      size: "128M",
      content: { type: "filesystem", format: "ext4", mountpoint: HOSTILE_MOUNTPOINT },
    },
    [HOSTILE_NAME_2]: {
      size: "128M",
      content: { type: "filesystem", format: "ext4", mountpoint: HOSTILE_MOUNTPOINT_2 },
    },
    root: { size: "100%", content: { type: "filesystem", format: "ext4", mountpoint: "/" } },
  });

interface ExpectedPartition {
  /** GPT partition name; msdos partitions have none. */
  readonly name?: string;
  /** GPT type GUID or msdos type id, as sfdisk prints it. */
  readonly type: string;
  readonly start?: number;
  /** In sectors, or "rest": up to the end of the disk. */
  readonly size: number | "rest";
  /** What `blkid -p` finds on the partition; undefined: no signature. */
  readonly fs: string | undefined;
}

interface Expected {
  readonly label: "gpt" | "dos";
  readonly partitions: readonly ExpectedPartition[];
  /** Filesystems that `mount` mounts, by mountpoint, with the partition number and an option to look for. */
  readonly mounts: readonly { mountpoint: string; number: number; fstype: string; option?: RegExp }[];
  /** Partition numbers of the swap spaces. */
  readonly swaps: readonly number[];
  /** More checks while everything is mounted. */
  readonly mounted?: (loop: LoopImage) => void;
}

function node(table: SfdiskTable, number: number): string {
  const partition = table.partitions[number - 1];
  assert.ok(partition !== undefined, `partition ${number} is missing from ${JSON.stringify(table)}`);
  return partition.node;
}

function checkFormatted(loop: LoopImage, expected: Expected): SfdiskTable {
  const table = partitionTable(loop.device);
  const sectors = Number(must("blockdev", "--getsz", loop.device).trim());
  assert.equal(table.label, expected.label);
  assert.equal(
    table.partitions.length,
    expected.partitions.length,
    `partitions: ${JSON.stringify(table.partitions)}`,
  );
  let previousEnd = 0;
  for (const [index, want] of expected.partitions.entries()) {
    const got = table.partitions[index];
    assert.ok(got !== undefined);
    const what = `partition ${index + 1} (${JSON.stringify(got)})`;
    assert.equal(got.node, loop.partitionDevices().get(index + 1), `${what}: the kernel's device`);
    assert.equal(got.type.toLowerCase(), want.type, `${what}: type`);
    if (want.name !== undefined) assert.equal(got.name, want.name, `${what}: name`);
    assert.equal(got.start % MiB, 0, `${what}: starts on a MiB boundary`);
    assert.ok(got.start >= previousEnd, `${what}: overlaps the partition before it`);
    if (want.start !== undefined) assert.equal(got.start, want.start, `${what}: start`);
    if (want.size === "rest") {
      // Up to the end of the disk, less the backup GPT and the alignment of the end.
      assert.ok(
        got.start + got.size >= sectors - MiB - 34,
        `${what}: should reach the end of ${sectors} sectors`,
      );
      assert.ok(got.start + got.size <= (table.lastlba ?? sectors - 1) + 1, `${what}: beyond the disk`);
    } else {
      assert.equal(got.size, want.size, `${what}: size in sectors`);
    }
    previousEnd = got.start + got.size;
    assert.equal(probe(got.node).TYPE, want.fs, `${what}: filesystem (blkid -p)`);
  }
  return table;
}

/** Partition table and filesystem identities: equal before and after a `format` that must change nothing. */
function identities(loop: LoopImage): unknown {
  const table = partitionTable(loop.device);
  return {
    table,
    filesystems: table.partitions.map((partition) => {
      const { TYPE, UUID, UUID_SUB, PART_ENTRY_UUID, PART_ENTRY_NAME } = probe(partition.node);
      return { node: partition.node, TYPE, UUID, UUID_SUB, PART_ENTRY_UUID, PART_ENTRY_NAME };
    }),
  };
}

function ourSwaps(loop: LoopImage): string[] {
  return activeSwaps().filter((swap) => swap.startsWith(`${loop.device}p`));
}

function checkDestroyed(loop: LoopImage): void {
  assert.deepEqual(
    probe(loop.device),
    {},
    "blkid -p should find no partition table or filesystem on the disk",
  );
  const table = sfdisk(loop.device);
  assert.ok(!("partitions" in table), `sfdisk should find no partition table: ${JSON.stringify(table)}`);
  assert.deepEqual([...loop.partitionDevices().values()], [], "the kernel should see no partitions");
}

/** format → check → mount → check → unmount → check → format (nothing changes) → destroy → check. */
async function lifecycle(t: TestContext, layout: Layout, expected: Expected): Promise<LoopImage> {
  const loop = LoopImage.attach(t, "2G");
  let formatted: SfdiskTable | undefined;

  await t.test("format creates the partitions and filesystems", () => {
    apply(loop, layout, "format");
    formatted = checkFormatted(loop, expected);
  });

  await t.test("mount mounts every filesystem under the root mountpoint and activates swap", () => {
    const table = formatted;
    assert.ok(table !== undefined, "format failed");
    apply(loop, layout, "mount");
    const want = expected.mounts.map((mount) => ({
      target: mount.mountpoint === "/" ? loop.root : join(loop.root, mount.mountpoint),
      source: node(table, mount.number),
      fstype: mount.fstype,
    }));
    const got = mountsUnder(loop.root);
    assert.deepEqual(
      got.map(({ target, source, fstype }) => ({ target, source, fstype })),
      [...want].sort((a, b) => (a.target < b.target ? -1 : 1)),
    );
    for (const mount of expected.mounts) {
      if (mount.option === undefined) continue;
      const target = mount.mountpoint === "/" ? loop.root : join(loop.root, mount.mountpoint);
      const entry = got.find((candidate) => candidate.target === target);
      assert.match(entry?.options ?? "", mount.option, `mount options of ${target}`);
    }
    assert.deepEqual(
      ourSwaps(loop),
      expected.swaps.map((number) => node(table, number)),
      "active swap spaces",
    );
    expected.mounted?.(loop);
    // Mounting again is a no-op.
    apply(loop, layout, "mount");
    assert.equal(
      mountsUnder(loop.root).length,
      expected.mounts.length,
      "a second mount should mount nothing more",
    );
  });

  await t.test("unmount unmounts everything under the root mountpoint and turns swap off", () => {
    apply(loop, layout, "unmount");
    assert.deepEqual(mountsUnder(loop.root), []);
    assert.deepEqual(ourSwaps(loop), []);
    apply(loop, layout, "unmount");
  });

  await t.test("format again reformats nothing and keeps the partition table", () => {
    assert.ok(formatted !== undefined, "format failed");
    const before = identities(loop);
    apply(loop, layout, "format");
    assert.deepEqual(identities(loop), before);
  });

  await t.test("destroy leaves no partition table and no filesystem", () => {
    apply(loop, layout, "destroy");
    checkDestroyed(loop);
  });
  return loop;
}

test(
  "ext4 root, xfs /srv and swap on GPT: format, mount, unmount, format again, destroy",
  needsRoot,
  async (t) => {
    await lifecycle(t, ext4RootXfsSrvSwap, {
      label: "gpt",
      partitions: [
        { name: "disk-main-srv", type: GUID["8300"], start: MiB, size: 512 * MiB, fs: "xfs" },
        { name: "disk-main-swap", type: GUID["8200"], size: 128 * MiB, fs: "swap" },
        { name: "disk-main-root", type: GUID["8300"], size: "rest", fs: "ext4" },
      ],
      mounts: [
        { mountpoint: "/", number: 3, fstype: "ext4" },
        { mountpoint: "/srv", number: 1, fstype: "xfs" },
      ],
      swaps: [2],
    });
  },
);

test("btrfs root with compress=zstd and ext4 /home on GPT: the whole cycle", needsRoot, async (t) => {
  await lifecycle(t, btrfsRootExt4Home, {
    label: "gpt",
    partitions: [
      { name: "disk-main-home", type: GUID["8300"], start: MiB, size: 256 * MiB, fs: "ext4" },
      { name: "disk-main-root", type: GUID["8300"], size: "rest", fs: "btrfs" },
    ],
    mounts: [
      { mountpoint: "/", number: 2, fstype: "btrfs", option: /(^|,)compress=zstd(:\d+)?(,|$)/ },
      { mountpoint: "/home", number: 1, fstype: "ext4" },
    ],
    swaps: [],
  });
});

test(
  "btrfs subvolumes mounted at / and /home, nested and unmounted ones, the top level aside: the whole cycle",
  needsRoot,
  async (t) => {
    await lifecycle(t, btrfsSubvolumes, {
      label: "gpt",
      partitions: [{ name: "disk-main-root", type: GUID["8300"], start: MiB, size: "rest", fs: "btrfs" }],
      mounts: [
        { mountpoint: "/", number: 1, fstype: "btrfs", option: /compress=zstd.*subvol=\/rootfs(,|$)/ },
        { mountpoint: "/home", number: 1, fstype: "btrfs", option: /(^|,)subvol=\/home(,|$)/ },
        { mountpoint: "/partition-root", number: 1, fstype: "btrfs", option: /(^|,)subvol=\/(,|$)/ },
        { mountpoint: "/.swapvol", number: 1, fstype: "btrfs", option: /(^|,)subvol=\/swap(,|$)/ },
      ],
      swaps: [],
      mounted(loop) {
        // Both swap files are active, the one with a priority at that priority, as /proc/swaps lists them.
        const swaps = readFileSync("/proc/swaps", "utf8").split("\n");
        const entry = (file: string) => swaps.find((line) => line.startsWith(`${file} `))?.split(/\s+/);
        assert.deepEqual(entry(join(loop.root, ".swapvol/swapfile"))?.slice(1, 3), ["file", "32764"]);
        assert.equal(entry(join(loop.root, ".swapvol/swapfile"))?.at(-1), "5");
        assert.deepEqual(entry(join(loop.root, "partition-root/swapfiles/top"))?.slice(1, 3), [
          "file",
          "16380",
        ]);
        const list = must("btrfs", "subvolume", "list", join(loop.root, "partition-root"));
        const paths = list
          .split("\n")
          .filter((line) => line !== "")
          .map((line) => line.replace(/^.* path /, ""))
          .sort();
        assert.deepEqual(paths, ["@snapshots", "home", "home/user", "rootfs", "swap"]);
      },
    });
  },
);

test("msdos table with parted positions: the whole cycle", needsRoot, async (t) => {
  await lifecycle(t, msdosTable, {
    label: "dos",
    partitions: [
      { type: "83", start: MiB, size: 256 * MiB, fs: "ext4" },
      { type: "83", start: 257 * MiB, size: "rest", fs: "ext4" },
    ],
    mounts: [
      { mountpoint: "/", number: 2, fstype: "ext4" },
      { mountpoint: "/boot", number: 1, fstype: "ext4" },
    ],
    swaps: [],
  });
});

test(
  "partition names and mountpoints with spaces, quotes, $ and backquotes: the whole cycle",
  needsRoot,
  async (t) => {
    const loop = await lifecycle(t, hostileNames, {
      label: "gpt",
      partitions: [
        // Priority 1000 for both, then by name: "a\b…" sorts before "my…".
        { name: `disk-main-${HOSTILE_NAME_2}`, type: GUID["8300"], start: MiB, size: 128 * MiB, fs: "ext4" },
        { name: `disk-main-${HOSTILE_NAME}`, type: GUID["8300"], size: 128 * MiB, fs: "ext4" },
        { name: "disk-main-root", type: GUID["8300"], size: "rest", fs: "ext4" },
      ],
      mounts: [
        { mountpoint: "/", number: 3, fstype: "ext4" },
        { mountpoint: HOSTILE_MOUNTPOINT_2, number: 1, fstype: "ext4" },
        { mountpoint: HOSTILE_MOUNTPOINT, number: 2, fstype: "ext4" },
      ],
      swaps: [],
    });
    // The scripts ran in the image's directory: a command substitution that escaped its quotes left this file.
    assert.equal(existsSync(join(loop.dir, "pwned")), false, "a mountpoint was executed as a command");
  },
);

test(
  "the seed layout: format creates the BIOS boot partition, a vfat ESP and an ext4 root",
  needsRoot,
  async (t) => {
    const loop = LoopImage.attach(t, "2G");
    apply(loop, seed, "format");
    checkFormatted(loop, {
      label: "gpt",
      partitions: [
        { name: "disk-main-MBR", type: GUID.EF02, start: MiB, size: MiB, fs: undefined },
        { name: "disk-main-ESP", type: GUID.EF00, start: 2 * MiB, size: 500 * MiB, fs: "vfat" },
        { name: "disk-main-root", type: GUID["8300"], start: 502 * MiB, size: "rest", fs: "ext4" },
      ],
      mounts: [],
      swaps: [],
    });
    const before = identities(loop);
    apply(loop, seed, "format");
    assert.deepEqual(identities(loop), before, "format again should change nothing");
    apply(loop, seed, "destroy");
    checkDestroyed(loop);
  },
);

/** Filesystem UUIDs by partition number. */
function filesystemUuids(loop: LoopImage): (string | undefined)[] {
  return partitionTable(loop.device).partitions.map((partition) => probe(partition.node).UUID);
}

for (const [what, layout, rootName, targets] of [
  ["", ext4RootXfsSrvSwap, "root", ["", "/srv"]],
  [
    " under a root mountpoint with spaces, quotes, $ and a backslash",
    hostileNames,
    `root 'q' "dq" $HOME \\x20`,
    ["", HOSTILE_MOUNTPOINT_2, HOSTILE_MOUNTPOINT],
  ],
] as const) {
  test(
    `disko creates and mounts the layout${what}, and run again while mounted starts over`,
    needsRoot,
    (t) => {
      const loop = LoopImage.attach(t, "2G", rootName);
      apply(loop, layout, "disko");
      const expectedTargets = targets.map((target) => `${loop.root}${target}`).sort();
      assert.deepEqual(
        mountsUnder(loop.root).map((entry) => entry.target),
        expectedTargets,
      );
      const first = filesystemUuids(loop);
      apply(loop, layout, "disko");
      assert.deepEqual(
        mountsUnder(loop.root).map((entry) => entry.target),
        expectedTargets,
      );
      const second = filesystemUuids(loop);
      for (const [index, uuid] of second.entries()) {
        assert.notEqual(uuid, first[index], `partition ${index + 1} should hold a new filesystem`);
      }
    },
  );
}

for (const mode of ["destroy", "disko"] as const) {
  test(`${mode} refuses a disk with a filesystem mounted outside the root mountpoint`, needsRoot, (t) => {
    const loop = LoopImage.attach(t, "2G");
    // Partitioned by sfdisk (fast, no sgdisk); destroy and disko stop before they look at the layout.
    const sfdiskScript = "label: gpt\nsize=64MiB\nsize=64MiB\nsize=64MiB\n";
    assert.equal(run("sfdisk", ["--quiet", loop.device], sfdiskScript).status, 0);
    must("partprobe", loop.device);
    const table = partitionTable(loop.device);
    must("mkfs.ext4", "-q", node(table, 3));
    const elsewhere = loop.directory("elsewhere");
    must("mount", node(table, 3), elsewhere);
    const before = identities(loop);
    const result = attempt(loop, ext4RootXfsSrvSwap, mode);
    assert.notEqual(result.status, 0, `--mode ${mode} should fail: ${describeRun(result)}`);
    assert.match(result.stderr, /in use/);
    assert.match(result.stderr, new RegExp(`${node(table, 3)}\\b`), "the message names the partition");
    assert.deepEqual(identities(loop), before, "the disk should be as it was");
    assert.deepEqual(
      mountsUnder(elsewhere).map((entry) => entry.source),
      [node(table, 3)],
      "the filesystem should still be mounted",
    );
  });
}

for (const [name, layout] of [
  ["GPT", ext4RootXfsSrvSwap],
  ["msdos", msdosTable],
] as const) {
  test(
    `format refuses a disk that holds a bare ext4 filesystem (${name} layout) and leaves it intact`,
    needsRoot,
    (t) => {
      const loop = LoopImage.attach(t, "2G");
      must("mkfs.ext4", "-q", loop.device);
      const before = probe(loop.device);
      assert.equal(before.TYPE, "ext4");
      const result = attempt(loop, layout, "format");
      assert.notEqual(result.status, 0, `format should fail: ${describeRun(result)}`);
      assert.match(result.stderr, /ext4 filesystem, not a partition table/);
      assert.deepEqual(probe(loop.device), before, "the ext4 filesystem should be untouched");
      assert.ok(!("partitions" in sfdisk(loop.device)), "no partition table should have been written");
    },
  );
}

/** A sparse image that nothing wrote to has no blocks allocated. */
function checkNothingWritten(loop: LoopImage): void {
  assert.deepEqual(probe(loop.device), {}, "blkid -p should find nothing on the disk");
  assert.equal(statSync(loop.image).blocks, 0, "nothing should have been written to the image");
}

for (const mode of ["format", "disko"] as const) {
  test(
    `${mode} fails with "smaller than" on a 300M disk for the seed's 500M ESP, before writing`,
    needsRoot,
    (t) => {
      const loop = LoopImage.attach(t, "300M");
      const result = attempt(loop, seed, mode);
      assert.notEqual(result.status, 0, `${mode} should fail: ${describeRun(result)}`);
      assert.match(result.stderr, /smaller than/);
      checkNothingWritten(loop);
    },
  );
}

test(
  'format fails with "smaller than" on a 200M disk for an msdos partition ending at 257MiB, before writing',
  needsRoot,
  (t) => {
    const loop = LoopImage.attach(t, "200M");
    const result = attempt(loop, msdosTable, "format");
    assert.notEqual(result.status, 0, `format should fail: ${describeRun(result)}`);
    assert.match(result.stderr, /smaller than/);
    checkNothingWritten(loop);
  },
);

test(
  'format fails with "smaller than" on a 300M disk for a GPT partition with end "+500M", before writing',
  needsRoot,
  (t) => {
    const loop = LoopImage.attach(t, "300M");
    const layout: Layout = (device) =>
      gptDisk(device, {
        data: { start: "1M", end: "+500M", content: { type: "filesystem", format: "ext4", mountpoint: "/" } },
      });
    const result = attempt(loop, layout, "format");
    assert.notEqual(result.status, 0, `format should fail: ${describeRun(result)}`);
    assert.match(result.stderr, /smaller than/);
    checkNothingWritten(loop);
  },
);

test(
  "a hybrid MBR (disko's hybrid-mbr): its entries, types and active flag, the same after a second format",
  needsRoot,
  (t) => {
    const loop = LoopImage.attach(t, "300M");
    const layout: Layout = (device) => ({
      disk: {
        main: {
          device,
          content: {
            type: "gpt",
            efiGptPartitionFirst: false,
            partitions: {
              firmware: {
                priority: 1,
                type: "EF00",
                size: "32M",
                hybrid: { mbrPartitionType: "0x0c", mbrBootableFlag: true },
                content: { type: "filesystem", format: "vfat" },
              },
              root: { size: "100%", content: { type: "filesystem", format: "ext4", mountpoint: "/" } },
            },
          },
        },
      },
    });
    for (const round of ["first", "second"]) {
      apply(loop, layout, "format");
      const mbr = must("sfdisk", "--dump", "--label-nested", "dos", loop.device);
      const entries = mbr.split("\n").filter((line) => line.startsWith(loop.device));
      assert.equal(entries.length, 2, `${round} format: ${mbr}`);
      assert.match(entries[0] ?? "", /start=\s*2048, size=\s*65536, type=c, bootable/, `${round} format`);
      assert.match(entries[1] ?? "", /start=\s*1, .*type=ee/, `${round} format`);
    }
  },
);

test("cleanup leaves no loop device, mount or file behind", needsRoot, (t) => {
  const loop = LoopImage.attach(t, "64M");
  assert.deepEqual(loop.release(), []);
  assert.equal(existsSync(loop.dir), false);
  assert.ok(!must("losetup", "--list", "--noheadings", "-O", "BACK-FILE").includes(loop.image));
});

test(
  "disko's hooks run around creating, each mount and each unmount, in order, seeing their device and options",
  needsRoot,
  (t) => {
    const loop = LoopImage.attach(t, "600M");
    const log = join(loop.dir, "hooks.log");
    // Each hook appends one line; `$device`, `$type` and `$format` are the declaration's.
    const record = (line: string) => `echo "${line}" >> '${log}'`;
    const layout: Layout = (device) => ({
      disk: {
        main: {
          type: "disk",
          device,
          preCreateHook: record("disk pre-create $device $type"),
          postCreateHook: record("disk post-create"),
          content: {
            type: "gpt",
            partitions: {
              root: {
                size: "100%",
                content: {
                  type: "filesystem",
                  format: "ext4",
                  mountpoint: "/",
                  postCreateHook: `${record("root post-create $format")}\n[ -b "$device" ]`,
                  preMountHook: record("root pre-mount"),
                  postMountHook: `${record("root post-mount")}; touch "${loop.root}/mounted-by-hook"`,
                  preUnmountHook: record("root pre-unmount"),
                },
              },
            },
          },
        },
      },
    });
    apply(loop, layout, "disko");
    assert.ok(
      existsSync(join(loop.root, "mounted-by-hook")),
      "the post-mount hook ran on the mounted filesystem",
    );
    apply(loop, layout, "unmount");
    const lines = readFileSync(log, "utf8").trim().split("\n");
    assert.deepEqual(lines, [
      `disk pre-create ${loop.device} disk`,
      "root post-create ext4",
      "disk post-create",
      "root pre-mount",
      "root post-mount",
      "root pre-unmount",
    ]);
    // A failing hook stops the script, named by its option path.
    const failing: Layout = (device) => ({
      disk: {
        main: {
          type: "disk",
          device,
          preMountHook: "exit 3",
          content: (layout(device) as { disk: { main: { content: unknown } } }).disk.main.content,
        },
      },
    });
    const failed = attempt(loop, failing, "mount");
    assert.notEqual(failed.status, 0);
    assert.match(failed.stderr, /the hook disko\.devices\.disk\.main\.preMountHook failed \(exit 3\)/);
  },
);
