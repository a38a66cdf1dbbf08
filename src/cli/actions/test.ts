import { RunError } from "../../errors/index.ts";
import { systemImageOf } from "../../execute/build-outputs.ts";
import { readDiskKeys } from "../../execute/deploy/disk-keys.ts";
import { runInstallTest } from "../../execute/install-test.ts";
import { prepareInstallTestMachines } from "../../execute/install-test-machines.ts";
import { waitForSsh } from "../../execute/wait-for-ssh.ts";
import { withAuthorizedKey } from "../../plan/deploy-plan.ts";
import { bootPassphrases, type DiskKey } from "../../plan/disk-keys.ts";
import { loadDeployPlan } from "../load-plan.ts";
import type { SharedFlags } from "../options.ts";
import type { Output } from "../output.ts";
import { reporterOf } from "../reporter.ts";

export interface TestFlags extends Pick<SharedFlags, "disk" | "json" | "verbose"> {
  /** MiB. */
  readonly memory: number;
  readonly keep?: boolean;
  readonly diskEncryptionKeys?: DiskKey[];
}

/** Install the configuration into a throwaway QEMU machine, boot it under each firmware and check it. */
export async function runTest(configPath: string, flags: TestFlags, output: Output): Promise<void> {
  const { plan } = await loadDeployPlan(configPath, { diskDevices: flags.disk ?? {} });
  const events = reporterOf(flags, output);
  const keys = flags.diskEncryptionKeys ?? [];
  // Each boot asks for the LUKS passphrases on the console: the test types them, from the keys given.
  const passphrases = bootPassphrases(plan, await readDiskKeys(keys));
  events({
    type: "note",
    text: "Preparing the installer and the system image (cached after the first run)…",
  });
  const machines = await prepareInstallTestMachines(plan, {
    memoryMiB: flags.memory,
    keep: flags.keep === true,
    passphrases,
    ...(flags.verbose === true ? { onProgress: (line: string) => output.stderr(line) } : {}),
  });
  try {
    events({
      type: "note",
      text: `Machine folder ${machines.dir}; QEMU with ${machines.accel.toUpperCase()}.`,
    });
    const firmwares: ("bios" | "uefi")[] =
      plan.grub.biosDevices.length > 0
        ? plan.grub.efiDirectory === undefined
          ? ["bios"]
          : ["bios", "uefi"]
        : ["uefi"];
    const report = await runInstallTest({
      plan: withAuthorizedKey(plan, "root", machines.key.publicKey),
      machines,
      ssh: machines.rootSsh,
      connectLive: (port) => waitForSsh({ user: "root", host: "127.0.0.1", port }, machines.rootSsh, 300_000),
      systemImage: () => systemImageOf(plan),
      tools: async () => machines.installer.tools,
      events,
      source: configPath,
      diskDevices: machines.diskDevices,
      firmwares,
      bootTimeoutMs: 300_000,
      diskEncryptionKeys: keys,
    });
    const lines = ["", "Install test report:"];
    for (const phase of report.phases)
      lines.push(`  ${phase.phase.padEnd(16)} ${(phase.durationMs / 1000).toFixed(1)} s`);
    for (const check of report.checks) {
      lines.push(
        check.problems.length === 0
          ? `  boots under ${check.firmware.toUpperCase()}: disks, mounts, host name and root's SSH login as declared`
          : `  under ${check.firmware.toUpperCase()}:\n${check.problems.map((problem) => `    - ${problem}`).join("\n")}`,
      );
    }
    output.stderr(lines.join("\n"));
    const failed = report.checks.filter((check) => check.problems.length > 0);
    if (failed.length > 0)
      throw new RunError(
        `the installed machine differs from the configuration (${failed.map((check) => check.firmware).join(", ")})`,
      );
  } finally {
    await machines.dispose();
  }
}
