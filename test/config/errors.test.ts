import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { test } from "node:test";
import { loadConfig } from "../../src/config/load.ts";
import { ConfigError, type Problem } from "../../src/errors/index.ts";

const fixtures = join(import.meta.dirname, "fixtures");

async function problemsOf(path: string): Promise<Problem[]> {
  const error = await loadConfig(join(fixtures, path)).then(
    () => assert.fail(`${path} should not load`),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof ConfigError, String(error));
  return [...error.problems];
}

/** Problems with the file shown relative to the fixtures, as `file: path: message` lines. */
async function linesOf(path: string): Promise<string[]> {
  return (await problemsOf(path)).map(
    (problem) =>
      `${relative(fixtures, join(process.cwd(), problem.file ?? "?"))}: ${problem.path}: ${problem.message}`,
  );
}

const cases: readonly { name: string; config: string; lines: string[] }[] = [
  {
    name: "an unknown option suggests the close one, naming the file that set it",
    config: "errors/typo.ts",
    lines: [
      'errors/typo-grub.json: boot.loader.grub.efiSuport: unknown option "efiSuport"; did you mean "efiSupport"?',
    ],
  },
  {
    name: "an unknown option with nothing close lists valid ones",
    config: "errors/far-off.json",
    lines: [
      'errors/far-off.json: frobnicate: unknown option "frobnicate"; valid options here: "boot", "disko", "environment", "networking", "profiles", "services", …',
    ],
  },
  {
    name: "a wrong type names the path, the file, the expected type and the given value",
    config: "errors/wrong-type.ts",
    lines: ['errors/wrong-type-leaf.json: services.openssh.enable: expected boolean, got "yes"'],
  },
  {
    name: "an invalid enum value lists the allowed values",
    config: "errors/bad-format.json",
    lines: [
      'errors/bad-format.json: disko.devices.disk.main.content.partitions.root.content.format: "ext5" is not allowed: expected one of "ext2", "ext3", "ext4", "xfs", "btrfs", "vfat", "f2fs", "exfat"',
    ],
  },
  {
    name: "an unknown content type lists the kinds, quoting a disk name that is not an identifier",
    config: "errors/bad-kind.json",
    lines: [
      'errors/bad-kind.json: disko.devices.disk."my disk".content.type: "gtp" is not a known kind: expected one of "gpt", "table", "filesystem", "btrfs", "swap", "mdraid", "lvm_pv", "luks"; did you mean "gpt"?',
    ],
  },
  {
    name: "an invalid host name says what a host name is",
    config: "errors/bad-host-name.json",
    lines: [
      'errors/bad-host-name.json: networking.hostName: "web_1" is not a host name: use letters, digits and hyphens (at most 63, not starting or ending with a hyphen)',
    ],
  },
  {
    name: "an invalid user name says what a user name is",
    config: "errors/bad-user-name.json",
    lines: [
      'errors/bad-user-name.json: users.users."Root User": "Root User" is not a user name: use at most 32 lowercase letters, digits, "_" and "-", starting with a letter or "_"',
    ],
  },
  {
    name: "a required option nobody set names the file that declared its parent",
    config: "errors/no-device.ts",
    lines: [
      "errors/no-device-layout.json: disko.devices.disk.main.device: required, but no module sets it (expected string)",
    ],
  },
  {
    name: "reports every problem at once, list elements by index",
    config: "errors/many.json",
    lines: [
      'errors/many.json: boot.loader.grub.devices: expected list, got "/dev/sda"',
      "errors/many.json: boot.loader.grub.efiSupport: expected boolean, got 1",
      "errors/many.json: users.users.root.openssh.authorizedKeys.keys[1]: expected string, got 42",
      'errors/many.json: servics: unknown option "servics"; did you mean "services"?',
    ],
  },
  {
    name: "a layout problem found after parsing names the file that set the layout",
    config: "errors/two-rest.ts",
    lines: [
      "errors/two-rest-extra.json: disko.devices.disk.main.content.partitions: root and home both take 100% of the disk: only one partition can take the rest",
    ],
  },
];

for (const { name, config, lines } of cases) {
  test(name, async () => {
    assert.deepEqual(await linesOf(config), lines);
  });
}

test("rejects a scalar set twice, naming both files and the option path", async () => {
  const [problem, ...rest] = await problemsOf("conflict/configuration.ts");
  assert.deepEqual(rest, []);
  assert.equal(problem?.path, "networking.hostName");
  assert.match(
    problem?.message ?? "",
    /^conflicting definitions "alpha" and "beta", in \S*conflict\/alpha\.ts and in \S*conflict\/beta\.json/,
  );
});

test("accepts a scalar set twice to the same value", async () => {
  const { config } = await loadConfig(join(fixtures, "conflict/agree.ts"));
  assert.equal(config.networking.hostName, "alpha");
});

test("mkForce settles a conflict", async () => {
  const { config } = await loadConfig(join(fixtures, "conflict/forced.ts"));
  assert.equal(config.networking.hostName, "gamma");
});

test("rejects GRUB for EFI without an EFI system partition, and BIOS GRUB on a GPT without EF02", async () => {
  const dir = mkdtempSync(join(tmpdir(), "groundwork-boot-"));
  try {
    writeFileSync(
      join(dir, "configuration.json"),
      JSON.stringify({
        boot: { loader: { grub: { devices: ["/dev/vda"], efiSupport: true } } },
        disko: {
          devices: {
            disk: {
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
          },
        },
      }),
    );
    await assert.rejects(loadConfig(dir), (error: unknown) => {
      const problems = (error as ConfigError).problems.map(
        (problem) => `${problem.path}: ${problem.message}`,
      );
      assert.ok(
        problems.some((text) =>
          text.startsWith("boot.loader.grub.efiSupport: GRUB for EFI needs an EFI system partition"),
        ),
        problems.join("\n"),
      );
      assert.ok(
        problems.some((text) =>
          text.startsWith("boot.loader.grub.devices[0]: /dev/vda has a GPT without a BIOS boot partition"),
        ),
        problems.join("\n"),
      );
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
