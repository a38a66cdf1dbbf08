// LUKS devices (content type luks): keys, steps in each mode, crypttab, and the layout's checks.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import fc from "fast-check";
import { crypttabEntries, formatCrypttabLine } from "../../src/disk/crypttab.ts";
import { fstabEntries } from "../../src/disk/fstab.ts";
import { planDiskMode } from "../../src/disk/modes.ts";
import { resumeDevice } from "../../src/disk/mounts.ts";
import type { DiskStep } from "../../src/disk/steps.ts";
import { hasControlCharacter } from "../../src/errors/index.ts";
import { renderDiskScript } from "../../src/render/disk-script.ts";
import { layout, layoutProblems } from "./layout.ts";

const ext4 = (mountpoint: string) => ({ type: "filesystem", format: "ext4", mountpoint });
const ROOT = { rootMountpoint: "/mnt" };

/** disko's luks-lvm example, in short: an ESP at /boot and LUKS holding a volume group with / and /home. */
function luksLvm(luks: Record<string, unknown> = {}) {
  return {
    disk: {
      main: {
        device: "/dev/vda",
        content: {
          type: "gpt",
          partitions: {
            ESP: {
              size: "500M",
              type: "EF00",
              content: { type: "filesystem", format: "vfat", mountpoint: "/boot" },
            },
            luks: {
              size: "100%",
              content: {
                type: "luks",
                name: "crypted",
                passwordFile: "/tmp/secret.key",
                settings: { allowDiscards: true },
                content: { type: "lvm_pv", vg: "pool" },
                ...luks,
              },
            },
          },
        },
      },
    },
    lvm_vg: {
      pool: {
        type: "lvm_vg",
        lvs: {
          root: { size: "100M", content: ext4("/") },
          home: { size: "100%FREE", content: ext4("/home") },
        },
      },
    },
  };
}

const summary = (steps: readonly DiskStep[]) =>
  steps.flatMap((step) =>
    step.kind === "luks-format" || step.kind === "luks-open" || step.kind === "luks-close"
      ? [`${step.kind} ${step.name}`]
      : step.kind === "lvm-activate" || step.kind === "mdadm-assemble" || step.kind === "mdadm-stop"
        ? [step.kind]
        : step.kind === "lvm-pv" || step.kind === "mount" || step.kind === "unmount"
          ? [step.kind]
          : [],
  );

test("a LUKS device is formatted and opened before what it holds; mount opens it before the volume group, unmount closes it after", () => {
  assert.deepEqual(layoutProblems(luksLvm()), []);
  const devices = layout(luksLvm());
  assert.deepEqual(summary(planDiskMode(devices, "format", ROOT)).slice(0, 3), [
    "luks-format crypted",
    "luks-open crypted",
    "lvm-pv",
  ]);
  assert.deepEqual(summary(planDiskMode(devices, "mount", ROOT)), [
    "luks-open crypted",
    "lvm-activate",
    "mount",
    "mount",
    "mount",
  ]);
  assert.deepEqual(summary(planDiskMode(devices, "unmount", ROOT)), [
    "unmount",
    "unmount",
    "unmount",
    "lvm-activate",
    "luks-close crypted",
  ]);
  const open = planDiskMode(devices, "mount", ROOT).find((step) => step.kind === "luks-open");
  assert.deepEqual(open?.kind === "luks-open" ? open.openArgs : undefined, ["--allow-discards"]);
  assert.deepEqual(
    fstabEntries(devices).map((entry) => entry.source),
    [
      { kind: "uuid", device: { kind: "path", path: "/dev/pool/root" } },
      { kind: "partlabel", label: "disk-main-ESP" },
      { kind: "uuid", device: { kind: "path", path: "/dev/pool/home" } },
    ],
  );
});

test("LUKS on an array opens after the array is assembled and closes before it stops", () => {
  const devices = layout({
    disk: Object.fromEntries(
      ["a", "b"].map((name) => [
        name,
        {
          device: `/dev/vd${name}`,
          content: {
            type: "gpt",
            partitions: {
              boot: { size: "1M", type: "EF02" },
              raid: { size: "100%", content: { type: "mdraid", name: "raid1" } },
            },
          },
        },
      ]),
    ),
    mdadm: {
      raid1: {
        type: "mdadm",
        level: 1,
        content: { type: "luks", name: "crypted", passwordFile: "/tmp/secret.key", content: ext4("/") },
      },
    },
  });
  assert.deepEqual(summary(planDiskMode(devices, "mount", ROOT)), [
    "mdadm-assemble",
    "luks-open crypted",
    "mount",
  ]);
  assert.deepEqual(summary(planDiskMode(devices, "unmount", ROOT)), [
    "unmount",
    "luks-close crypted",
    "mdadm-stop",
  ]);
});

test("the key comes from settings.keyFile first, then passwordFile, then keyFile; a passphrase loses its trailing newlines", () => {
  const keyOf = (luks: Record<string, unknown>) => {
    const step = planDiskMode(layout(luksLvm(luks)), "format", ROOT).find((s) => s.kind === "luks-format");
    return step?.kind === "luks-format" ? step.key : undefined;
  };
  assert.deepEqual(keyOf({}), { file: "/tmp/secret.key", passphrase: true });
  assert.deepEqual(keyOf({ settings: { keyFile: "/run/k", keyFileSize: 64, keyFileOffset: 8 } }), {
    file: "/run/k",
    passphrase: false,
    size: 64,
    offset: 8,
  });
  assert.deepEqual(keyOf({ passwordFile: undefined, keyFile: "/tmp/old.key" }), {
    file: "/tmp/old.key",
    passphrase: false,
  });
  const script = renderDiskScript(
    planDiskMode(layout(luksLvm({ additionalKeyFiles: ["/tmp/second.key"] })), "format", ROOT),
    { mode: "format", source: "test" },
  );
  execFileSync("/bin/sh", ["-n"], { input: script });
  assert.ok(
    script.includes(
      `printf '%s' "$(cat /tmp/secret.key)" | cryptsetup --batch-mode luksFormat --key-file=- "$device"`,
    ),
  );
  assert.ok(
    script.includes(
      `printf '%s' "$(cat /tmp/secret.key)" | cryptsetup --batch-mode luksAddKey --key-file=- "$device" /tmp/second.key`,
    ),
  );
  assert.ok(
    script.includes("[ -f /tmp/secret.key ] || fail 'the key file /tmp/secret.key of LUKS device crypted"),
  );
  const keyed = renderDiskScript(
    planDiskMode(layout(luksLvm({ settings: { keyFile: "/run/k", keyFileSize: 64 } })), "mount", ROOT),
    { mode: "mount", source: "test" },
  );
  assert.ok(
    keyed.includes(`cryptsetup open --key-file=/run/k --keyfile-size=64 "$device" crypted </dev/null`),
  );
});

test("crypttab opens each device in the initramfs by its LUKS UUID, asking for the passphrase; initrdUnlock = false leaves it to systemd", () => {
  assert.deepEqual(crypttabEntries(layout(luksLvm())), [
    {
      kind: "luks",
      name: "crypted",
      device: { kind: "partition", disk: "/dev/vda", number: 2, label: "disk-main-luks" },
      options: ["luks", "initramfs", "discard"],
    },
  ]);
  assert.deepEqual(
    crypttabEntries(layout(luksLvm({ initrdUnlock: false, settings: { crypttabExtraOpts: ["tries=3"] } })))[0]
      ?.options,
    ["luks", "tries=3"],
  );
});

test("a LUKS layout's mistakes are refused at their options, saying what to do", () => {
  const messages = (devices: unknown) => layoutProblems(devices).map((p) => `${p.path}: ${p.message}`);
  const luksPath = "disko.devices.disk.main.content.partitions.luks.content";
  assert.match(
    messages(luksLvm({ passwordFile: undefined }))[0] ?? "",
    new RegExp(
      `^${luksPath.replaceAll(".", "\\.")}\\.passwordFile: LUKS device crypted has no key .*--disk-encryption-keys`,
    ),
  );
  assert.match(messages(luksLvm({ name: "a/b" }))[0] ?? "", /name: "a\/b" is not a LUKS mapping name/);
  assert.match(
    messages(luksLvm({ passwordFile: "tmp/key" }))[0] ?? "",
    /passwordFile: "tmp\/key" is not a file's absolute path/,
  );
  assert.match(messages(luksLvm({ enrollFido2: true }))[0] ?? "", /enrollFido2/);
  assert.match(messages(luksLvm({ settings: { keyFile: "/k", bogus: 1 } }))[0] ?? "", /settings.*bogus/);
  // / on LUKS without a /boot of its own: GRUB cannot read the kernel.
  const encryptedBoot = luksLvm();
  encryptedBoot.disk.main.content.partitions.ESP.content.mountpoint = "/efi";
  assert.match(
    messages(encryptedBoot)[0] ?? "",
    /mountpoint: \/ holds \/boot and is encrypted: GRUB cannot read/,
  );
});

test("mkfs.btrfs may name another opened LUKS device (disko's luks-btrfs-raid), if it is declared and opened first", () => {
  const twoDisks = (second: string, args: string[]) => ({
    disk: {
      [second === "b" ? "a" : "b"]: {
        device: "/dev/vda",
        content: {
          type: "gpt",
          partitions: {
            ESP: {
              size: "100M",
              type: "EF00",
              content: { type: "filesystem", format: "vfat", mountpoint: "/boot" },
            },
            p: { size: "100%", content: { type: "luks", name: "p1", passwordFile: "/k" } },
          },
        },
      },
      [second]: {
        device: "/dev/vdb",
        content: {
          type: "gpt",
          partitions: {
            p: {
              size: "100%",
              content: {
                type: "luks",
                name: "p2",
                passwordFile: "/k",
                content: { type: "btrfs", extraArgs: args, mountpoint: "/" },
              },
            },
          },
        },
      },
    },
  });
  assert.deepEqual(layoutProblems(twoDisks("b", ["-d raid1", "/dev/mapper/p1"])), []);
  assert.match(
    layoutProblems(twoDisks("a", ["-d raid1", "/dev/mapper/p1"]))[0]?.message ?? "",
    /\/dev\/mapper\/p1 is opened after this filesystem is made/,
  );
  assert.match(
    layoutProblems(twoDisks("b", ["/dev/mapper/nope"]))[0]?.message ?? "",
    /\/dev\/mapper\/nope is no LUKS device of this layout/,
  );
  assert.match(layoutProblems(twoDisks("b", ["/dev/vdc"]))[0]?.message ?? "", /"\/dev\/vdc" is a device/);
});

test("two LUKS devices with one name are refused", () => {
  const devices = luksLvm();
  const partitions = devices.disk.main.content.partitions as Record<string, unknown>;
  partitions.more = { size: "10M", content: { type: "luks", name: "crypted", passwordFile: "/k" } };
  assert.match(
    layoutProblems(devices)
      .map((p) => p.message)
      .join("\n"),
    /crypted is also the name of the LUKS device at/,
  );
});

test("a swap with randomEncryption is made by the installed system under a new key at each boot; resumeDevice names the hibernation swap", () => {
  const swaps = (encrypted: Record<string, unknown>, plain: Record<string, unknown> = {}) => ({
    disk: {
      main: {
        device: "/dev/vda",
        content: {
          type: "gpt",
          partitions: {
            boot: { size: "1M", type: "EF02" },
            root: { size: "1G", content: ext4("/") },
            encryptedSwap: { size: "10M", content: { type: "swap", randomEncryption: true, ...encrypted } },
            plainSwap: { size: "100%", content: { type: "swap", resumeDevice: true, ...plain } },
          },
        },
      },
    },
  });
  assert.deepEqual(layoutProblems(swaps({ priority: 100 })), []);
  const devices = layout(swaps({ priority: 100 }));
  const steps = planDiskMode(devices, "disko", ROOT);
  assert.deepEqual(
    steps.flatMap((step) =>
      step.kind === "mkswap" || step.kind === "swapon" ? [`${step.kind} ${step.id}`] : [],
    ),
    [
      "mkswap format:disko.devices.disk.main.content.partitions.plainSwap.content",
      "swapon swapon:disko.devices.disk.main.content.partitions.plainSwap.content",
    ],
  );
  assert.deepEqual(crypttabEntries(devices), [
    {
      kind: "random-swap",
      name: "swap-disk-main-encryptedSwap",
      path: "/dev/disk/by-partlabel/disk-main-encryptedSwap",
      options: ["swap", "cipher=aes-xts-plain64", "size=512"],
    },
  ]);
  assert.deepEqual(
    fstabEntries(devices)
      .filter((entry) => entry.fsType === "swap")
      .map((entry) => entry.source),
    [
      { kind: "spec", spec: "/dev/mapper/swap-disk-main-encryptedSwap" },
      { kind: "partlabel", label: "disk-main-plainSwap" },
    ],
  );
  assert.deepEqual(resumeDevice(devices), {
    kind: "partition",
    disk: "/dev/vda",
    number: 4,
    label: "disk-main-plainSwap",
  });
  assert.match(
    layoutProblems(swaps({ resumeDevice: true }))
      .map((problem) => `${problem.path}: ${problem.message}`)
      .join("\n"),
    /encryptedSwap\.content\.resumeDevice: the kernel cannot resume from a swap whose key is new at each boot/,
  );
});

test("hostile strings in every LUKS option are refused at that option, or reach the scripts and crypttab as one safe word", () => {
  const hostile = fc.oneof(
    fc.string({ unit: "binary", maxLength: 24 }),
    fc.constantFrom(
      "crypted",
      "/tmp/secret.key",
      "/tmp/a b",
      "/tmp/x\ny",
      "$(reboot)",
      "'; rm -rf /; '",
      "/dev/mapper/../sda",
      "-x",
      "tries=3",
      "a,b",
      "",
      "/",
      "/tmp/../etc/shadow",
    ),
  );
  const luksPath = "disko.devices.disk.main.content.partitions.luks.content";
  const fields: [string, (value: string) => Record<string, unknown>][] = [
    ["name", (value) => ({ name: value })],
    ["passwordFile", (value) => ({ passwordFile: value })],
    ["additionalKeyFiles", (value) => ({ additionalKeyFiles: [value] })],
    ["extraFormatArgs", (value) => ({ extraFormatArgs: [value] })],
    ["extraOpenArgs", (value) => ({ extraOpenArgs: [value] })],
    ["settings", (value) => ({ settings: { keyFile: value, crypttabExtraOpts: [value] } })],
  ];
  let acceptedSome = 0;
  fc.assert(
    fc.property(hostile, fc.constantFrom(...fields), (value, [field, make]) => {
      const problems = layoutProblems(luksLvm(make(value)));
      if (problems.length > 0) {
        for (const problem of problems)
          assert.ok(problem.path.startsWith(`${luksPath}.${field}`), problem.path);
        return;
      }
      acceptedSome++;
      const devices = layout(luksLvm(make(value)));
      for (const mode of ["disko", "mount", "unmount"] as const)
        execFileSync("/bin/sh", ["-n"], {
          input: renderDiskScript(planDiskMode(devices, mode, ROOT), { mode, source: "test" }),
        });
      for (const entry of crypttabEntries(devices)) {
        const line = formatCrypttabLine(entry, "0000");
        assert.equal(line.split(/\s+/).length, 4, line);
        assert.ok(!hasControlCharacter(line), line);
      }
    }),
    { numRuns: 400 },
  );
  assert.ok(acceptedSome > 0);
});
