import assert from "node:assert/strict";
import { posix } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { configSchema } from "../../src/config/schema.ts";
import { devicePathSchema } from "../../src/disk/device-path.ts";
import { diskoSchema } from "../../src/disk/devices.ts";
import { DISK_MODES, planDiskMode } from "../../src/disk/modes.ts";
import { MAX_BYTES, parseSize, sgdiskPositionBytes } from "../../src/disk/size.ts";
import type { DiskStep } from "../../src/disk/steps.ts";
import { hasControlCharacter } from "../../src/errors/index.ts";
import { renderDiskScript } from "../../src/render/disk-script.ts";
import { quote } from "../../src/render/quote.ts";
import { layoutProblems } from "./layout.ts";

const P = "disko.devices.disk.main.content.partitions";

/** How many generated inputs each property accepted: a property that accepts none proves nothing. */
const accepted = new Map<string, number>();
const count = (name: string) => accepted.set(name, (accepted.get(name) ?? 0) + 1);

/** Sizes as a hostile user writes them: digits with and without units, huge, negative, fractional, exponents. */
const sizeText = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 0, max: 4096 }),
        fc.constantFrom("", "K", "M", "G", "T", "P", "MiB", "GiB", "MB"),
      )
      .map(([digits, unit]) => `${digits}${unit}`),
  },
  fc
    .tuple(
      fc.constantFrom("", "-", "+", "0", " "),
      fc.oneof(fc.bigInt({ min: 0n, max: 1n << 72n }).map(String), fc.stringMatching(/^\d{1,30}$/)),
      fc.constantFrom(
        "",
        "K",
        "M",
        "G",
        "T",
        "P",
        "E",
        "KiB",
        "MiB",
        "GiB",
        "PiB",
        "iB",
        "B",
        "k",
        "%",
        " M",
        "s",
      ),
    )
    .map(([sign, digits, unit]) => `${sign}${digits}${unit}`),
  fc.double().map((value) => `${value}`),
  fc.double({ min: 1e15, max: 1e40 }).map((value) => `${value}M`),
  fc.integer({ min: 0, max: 30 }).map((exponent) => `1e${exponent}`),
  fc.constantFrom(
    "100%",
    "100 %",
    "50%",
    "",
    "0",
    "0M",
    "1.5G",
    "8P",
    "7P",
    "99999999999999999999P",
    "Infinity",
  ),
);

/** Sizes as values of any type, not only strings. */
const size = fc.oneof(sizeText, fc.integer(), fc.double(), fc.constant(null));

/** The one reason a refused size may give, at its own option path. */
const SIZE_PROBLEM =
  /is not a (swap file )?size|is larger than any disk|more than any disk holds|expected string|matches none/;

/** Steps of every mode; planning and rendering must not throw for a layout that passed its checks. */
function renderedSteps(devices: unknown): { steps: DiskStep[]; scripts: string } {
  const { devices: parsed } = diskoSchema.parse({ devices });
  const steps: DiskStep[] = [];
  let scripts = "";
  for (const mode of DISK_MODES) {
    const modeSteps = planDiskMode(parsed, mode, { rootMountpoint: "/mnt" });
    steps.push(...modeSteps);
    scripts += renderDiskScript(modeSteps, { mode, source: "test" });
  }
  return { steps, scripts };
}

/** The steps and scripts of a layout `property` accepted, counted, with every byte count checked. */
function acceptedSteps(property: string, devices: unknown): { steps: DiskStep[]; scripts: string } {
  count(property);
  const rendered = renderedSteps(devices);
  assertExactBytes(rendered.steps, rendered.scripts);
  return rendered;
}

/** Every byte count a step carries is an exact integer: a safe integer, so JSON and the script show it whole. */
function assertExactBytes(steps: readonly DiskStep[], scripts: string): void {
  for (const step of steps) {
    if (step.kind === "check-disk")
      assert.ok(Number.isSafeInteger(step.minimumBytes), `${step.minimumBytes}`);
    if (step.kind === "btrfs-swapfile") assert.ok(Number.isSafeInteger(step.bytes), `${step.bytes}`);
  }
  assert.doesNotMatch(scripts, /\d(\.\d+)?e[+-]?\d/, "a number in exponent form reached the script");
}

test("a GPT partition size is refused with a clear problem, or reaches sgdisk as an exact integer", () => {
  fc.assert(
    fc.property(size, (given) => {
      const devices = {
        disk: { main: { device: "/dev/sda", content: { type: "gpt", partitions: { a: { size: given } } } } },
      };
      const problems = layoutProblems(devices);
      if (problems.length > 0) {
        for (const problem of problems) {
          assert.ok([`${P}.a.size`, "disko.devices.disk.main.content"].includes(problem.path), problem.path);
          assert.match(problem.message, SIZE_PROBLEM);
        }
        return;
      }
      assert.equal(typeof given, "string");
      const { steps, scripts } = acceptedSteps("gpt", devices);
      const partition = steps.find((step) => step.kind === "gpt-partition");
      assert.ok(partition?.kind === "gpt-partition");
      const bytes = parseSize(String(given));
      if (bytes?.kind === "rest") return assert.equal(partition.end, "-0");
      // sgdisk reads +<digits><K|M|G|T|P>: no sign but +, no leading zero, no fraction, no exponent.
      assert.match(partition.end, /^\+[1-9]\d*[KMGTP]?$/);
      const endBytes = sgdiskPositionBytes(partition.end) ?? -1n;
      assert.equal(endBytes, bytes?.bytes);
      assert.ok(endBytes > 0n && endBytes <= MAX_BYTES);
      assert.ok(scripts.includes(`--new=1:0:${partition.end}`));
    }),
    { numRuns: 400 },
  );
});

test("a btrfs swap file size is refused with a clear problem, or reaches fallocate as an exact integer", () => {
  fc.assert(
    fc.property(size, (given) => {
      const btrfs = { type: "btrfs", mountpoint: "/", swap: { swapfile: { size: given } } };
      const devices = { disk: { main: { device: "/dev/sda", content: btrfs } } };
      const problems = layoutProblems(devices);
      if (problems.length > 0) {
        for (const problem of problems) assert.match(problem.message, SIZE_PROBLEM);
        return;
      }
      const { steps, scripts } = acceptedSteps("swapfile", devices);
      const swapfile = steps.find((step) => step.kind === "btrfs-swapfile");
      assert.ok(swapfile?.kind === "btrfs-swapfile");
      const parsed = parseSize(String(given));
      assert.equal(BigInt(swapfile.bytes), parsed?.kind === "bytes" ? parsed.bytes : -1n);
      assert.ok(scripts.includes(`fallocate -l ${swapfile.bytes} `));
    }),
    { numRuns: 300 },
  );
});

test("a parted end is refused with a clear problem, or reaches parted as the position given", () => {
  fc.assert(
    fc.property(sizeText, (end) => {
      const table = { type: "table", format: "gpt", partitions: [{ start: "1MiB", end }] };
      const devices = { disk: { main: { device: "/dev/sda", content: table } } };
      const problems = layoutProblems(devices);
      if (problems.length > 0) {
        for (const problem of problems) {
          assert.ok(problem.path.startsWith("disko.devices.disk.main.content"), problem.path);
          assert.match(
            problem.message,
            /is not a parted position|is larger than any disk|more than the whole disk|overlaps|not after its start|more than any disk holds/,
          );
        }
        return;
      }
      const { steps, scripts } = acceptedSteps("parted", devices);
      const partition = steps.find((step) => step.kind === "parted-partition");
      assert.equal(partition?.kind === "parted-partition" ? partition.end : undefined, end);
      assert.ok(scripts.includes(`mkpart part1 1MiB ${quote(end)}\n`), "parted is given the end as written");
    }),
    { numRuns: 300 },
  );
});

/** Paths built of the pieces that make a device path wrong. */
const pathText = fc
  .array(
    fc.constantFrom("/", "dev", "sda", "disk", "by-id", ".", "..", "-", " ", "\n", "\0", "\t", "a", "é", "="),
    {
      maxLength: 10,
    },
  )
  .map((pieces) => pieces.join(""));
const devicePath = fc.oneof(
  pathText,
  pathText.map((path) => `/dev/${path}`),
  fc.string({ unit: "binary" }),
);

test("a device path is refused with one clear problem, or is a normalized path under /dev that a shell can take", () => {
  fc.assert(
    fc.property(devicePath, (device) => {
      const disk = layoutProblems({ disk: { main: { device } } });
      const grub = configSchema.safeParse({ boot: { loader: { grub: { devices: [device] } } } });
      if (devicePathSchema.safeParse(device).success) {
        assert.deepEqual(disk, []);
        assert.ok(grub.success);
        assert.ok(device.startsWith("/dev/") && !device.startsWith("-"));
        assert.equal(posix.normalize(device), device);
        assert.ok(!hasControlCharacter(device) && !/\s|\/$/.test(device), JSON.stringify(device));
        renderedSteps({ disk: { main: { device } } });
        count("device");
        return;
      }
      assert.equal(grub.success, false);
      assert.equal(disk.length, 1);
      assert.equal(disk[0]?.path, "disko.devices.disk.main.device");
      assert.match(
        disk[0]?.message ?? "",
        /is not a device path \(.+\): give a normalized absolute path under \/dev/,
      );
    }),
    { numRuns: 500 },
  );
});

test("each property accepted some of its inputs", () => {
  for (const name of ["gpt", "swapfile", "parted", "device"])
    assert.ok((accepted.get(name) ?? 0) > 5, `${name}: ${accepted.get(name) ?? 0} accepted`);
});
