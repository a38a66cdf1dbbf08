import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { checkLayout } from "../../src/disk/check.ts";
import { diskoSchema } from "../../src/disk/devices.ts";
import { DISK_MODES, planDiskMode } from "../../src/disk/modes.ts";
import { renderDiskScript } from "../../src/render/disk-script.ts";
import { seedLayout } from "../disk/layout.ts";
import { assertGolden } from "../golden.ts";

for (const mode of DISK_MODES) {
  test(`the seed's ${mode} script matches its golden file and parses`, () => {
    const script = renderDiskScript(planDiskMode(seedLayout(), mode, { rootMountpoint: "/mnt" }), {
      mode,
      source: "examples/seed",
    });
    execFileSync("/bin/sh", ["-n"], { input: script });
    assertGolden(join(import.meta.dirname, "golden", `seed-${mode}.sh`), script);
  });
}

// Every command the scripts may run, as a stub that logs its arguments: anything else (a `pwned` smuggled in
// through a name) is not on the PATH and would fail the script.
const STUBS = [
  "sgdisk",
  "parted",
  "blkid",
  "mkfs.ext4",
  "mkfs.xfs",
  "mkswap",
  "mount",
  "mountpoint",
  "findmnt",
  "partprobe",
  "partx",
  "udevadm",
  "blockdev",
  "wipefs",
  "lsblk",
  "swapon",
  "dd",
  "mkdir",
  "readlink",
  "basename",
  "cat",
  "sleep",
  "grep",
  "awk",
  "ls",
];

function stubDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "groundwork-stubs-"));
  for (const name of STUBS) {
    const path = join(dir, name);
    // mountpoint says "not mounted", grep finds nothing (no partition yet), blockdev reports a large disk.
    const answer =
      name === "mountpoint" || name === "grep"
        ? "exit 1"
        : name === "blockdev"
          ? "echo 1099511627776"
          : "exit 0";
    writeFileSync(
      path,
      `#!/bin/sh\nfor arg in "$@"; do printf '%s\\0' "$arg"; done >> "$LOG"\nprintf '\\n' >> "$LOG"\nprintf '%s\\n' ${name} >> "$LOG.names"\n${answer}\n`,
    );
    chmodSync(path, 0o755);
  }
  return dir;
}

const hostile = fc.string({
  minLength: 1,
  maxLength: 12,
  unit: fc.constantFrom(
    "a",
    " ",
    "'",
    '"',
    "$",
    "(",
    ")",
    "`",
    ";",
    "\\",
    "%",
    "&",
    "|",
    "*",
    "é",
    "\u{1F600}",
    "-",
  ),
});

test("hostile names, labels, mountpoints and options never break out of quoting", () => {
  const dir = stubDir();
  try {
    fc.assert(
      fc.property(hostile, hostile, hostile, hostile, (name, label, mountpoint, option) => {
        const parsed = diskoSchema.safeParse({
          devices: {
            disk: {
              main: {
                device: "/dev/sda",
                content: {
                  type: "gpt",
                  partitions: {
                    [name]: {
                      size: "100%",
                      label: label.slice(0, 36),
                      content: {
                        type: "filesystem",
                        format: "ext4",
                        mountpoint: `/srv/${mountpoint}`,
                        mountOptions: [`x=${option}`.replace(/[\s,]/g, "_")],
                        extraArgs: [option],
                      },
                    },
                  },
                },
              },
            },
          },
        });
        // Values the schema refuses (a word "--" in extraArgs, an empty label) are not the point here.
        fc.pre(parsed.success);
        const devices = parsed.data.devices;
        fc.pre(checkLayout(devices).length === 0);
        const steps = [
          ...planDiskMode(devices, "format", { rootMountpoint: "/mnt" }),
          ...planDiskMode(devices, "mount", { rootMountpoint: "/mnt" }),
        ].filter((step) => step.kind !== "check-disk");
        // Partitions are found through /sys at run time; here every partition is a fake path.
        const script = renderDiskScript(steps, { mode: "format", source: "test" })
          .replace("partition_device() {", "partition_device_from_sys() {")
          .replace("set -eu\n", 'set -eu\npartition_device() { echo "/dev/fakepart$2"; }\n');
        const log = join(dir, "log");
        rmSync(log, { force: true });
        rmSync(`${log}.names`, { force: true });
        const result = spawnSync("/bin/sh", ["-c", script], {
          env: { PATH: dir, LOG: log },
          encoding: "utf8",
        });
        assert.equal(result.status, 0, result.stderr);
        const calls = readFileSync(log, "utf8")
          .split("\n")
          .filter((line) => line !== "")
          .map((line) => line.split("\0").slice(0, -1));
        const sgdisk = calls.find((call) => call.some((arg) => arg.startsWith("--new=")));
        assert.ok(sgdisk?.includes(`--change-name=1:${label.slice(0, 36)}`), JSON.stringify(sgdisk));
        // As in disko, an extraArgs item is split at spaces into arguments, and nothing else happens to it.
        const mkfsArgs = [...option.split(" ").filter((word) => word !== ""), "/dev/fakepart1"];
        assert.ok(
          calls.some((call) => isDeepStrictEqual(call, mkfsArgs)),
          `mkfs.ext4 ${JSON.stringify(mkfsArgs)} in ${JSON.stringify(calls)}`,
        );
        const mount = calls.find((call) => call[0] === "-t");
        assert.deepEqual(mount, [
          "-t",
          "ext4",
          "-o",
          `x=${option}`.replace(/[\s,]/g, "_"),
          "/dev/fakepart1",
          `/mnt/srv/${mountpoint}`,
        ]);
        assert.equal(existsSync(join(dir, "pwned")), false);
      }),
      { numRuns: 60 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
