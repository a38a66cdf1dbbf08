import type { Command } from "commander";
import { loadConfig } from "../../config/load.ts";
import { RunError } from "../../errors/index.ts";
import { systemImageOf } from "../../execute/build-outputs.ts";
import { runInstallTest } from "../../execute/install-test.ts";
import { readLock } from "../../execute/pins.ts";
import { prepareTestBench } from "../../execute/test-machines.ts";
import { waitForSsh } from "../../execute/wait-for-ssh.ts";
import { planDeploy, withAuthorizedKey } from "../../plan/deploy-plan.ts";
import { jsonReporter, textReporter } from "../../ui/reporter.ts";
import { collectDiskDevice } from "../disk-devices.ts";
import type { Output } from "../output.ts";

interface TestFlags {
  readonly disk?: Record<string, string>;
  readonly memory: string;
  readonly keep?: boolean;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** `groundwork test <config>`: the seed's installTest, in a throwaway QEMU machine. */
export function registerTest(program: Command, output: Output): void {
  program
    .command("test")
    .description(
      "install the configuration into a throwaway QEMU machine, boot it from its disk and check it",
    )
    .argument("<config>", "configuration file or folder (configuration.ts inside)")
    .option(
      "--disk <NAME=DEVICE>",
      "show disk NAME to the machine as DEVICE, e.g. /dev/vda (repeatable)",
      collectDiskDevice,
    )
    .option("--memory <MIB>", "memory of the machine", "1024")
    .option("--keep", "keep the machine's folder (disk images, console logs)")
    .option("--json", "print events as JSON lines")
    .option("--verbose", "show the output of the scripts in the machine")
    .action(async (configPath: string, flags: TestFlags) => {
      const { config } = await loadConfig(configPath, { diskDevices: flags.disk ?? {} });
      const plan = planDeploy(config, { rootMountpoint: "/mnt", lock: await readLock(configPath) });
      const events =
        flags.json === true
          ? jsonReporter(output.stdout)
          : textReporter(output.stderr, { verbose: flags.verbose === true });
      events({
        type: "note",
        text: "Preparing the installer and the system image (cached after the first run)…",
      });
      const bench = await prepareTestBench(plan, {
        memoryMiB: Number(flags.memory),
        keep: flags.keep === true,
        ...(flags.verbose === true ? { onProgress: (line: string) => output.stderr(line) } : {}),
      });
      try {
        events({
          type: "note",
          text: `Machine folder ${bench.dir}; QEMU with ${bench.accel.toUpperCase()}.`,
        });
        const ssh = { identityFile: bench.key.file, knownHostsFile: bench.knownHostsFile, sudo: false };
        const firmwares: ("bios" | "uefi")[] =
          plan.grub.biosDevices.length > 0
            ? plan.grub.efiDirectory === undefined
              ? ["bios"]
              : ["bios", "uefi"]
            : ["uefi"];
        const report = await runInstallTest({
          plan: withAuthorizedKey(plan, "root", bench.key.publicKey),
          machines: bench.machines,
          ssh,
          connectLive: (port) => waitForSsh({ user: "root", host: "127.0.0.1", port }, ssh, 300_000),
          systemImage: () => systemImageOf(plan),
          tools: async () => bench.installer.tools,
          events,
          source: configPath,
          diskDevices: bench.diskDevices,
          firmwares,
          bootTimeoutMs: 300_000,
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
        await bench.dispose();
      }
    });
}
