import { type Command, Option } from "commander";
import { loadConfig } from "../../config/load.ts";
import { DISK_MODES, type DiskMode } from "../../disk/modes.ts";
import { UsageError } from "../../errors/index.ts";
import { runDiskPlan } from "../../execute/run-disk-plan.ts";
import { type DiskPlan, planDisk } from "../../plan/disk-plan.ts";
import { renderDiskScript } from "../../render/disk-script.ts";
import { LocalTransport } from "../../transport/local.ts";
import { formatDiskPlan } from "../../ui/disk-plan-text.ts";
import { confirm } from "../confirm.ts";
import { collectDiskDevice } from "../disk-devices.ts";
import type { Output } from "../output.ts";

interface DiskFlags {
  readonly mode: DiskMode;
  readonly disk?: Record<string, string>;
  readonly rootMountpoint: string;
  readonly json?: boolean;
  readonly yes?: boolean;
}

function withDiskOptions(command: Command, defaultMode: DiskMode | undefined): Command {
  const mode = new Option(
    "--mode <MODE>",
    "destroy, format, mount, unmount, or disko (destroy, format, mount)",
  ).choices(DISK_MODES);
  return command
    .argument("<config>", "configuration file or folder (configuration.ts inside)")
    .addOption(defaultMode === undefined ? mode.makeOptionMandatory() : mode.default(defaultMode))
    .option("--disk <NAME=DEVICE>", "use DEVICE for disko.devices.disk.NAME (repeatable)", collectDiskDevice)
    .option("--root-mountpoint <DIR>", "where the layout's / is mounted", "/mnt");
}

async function loadPlan(configPath: string, flags: DiskFlags): Promise<DiskPlan> {
  if (!flags.rootMountpoint.startsWith("/")) {
    throw new UsageError(`--root-mountpoint ${flags.rootMountpoint}: give an absolute path, e.g. /mnt`);
  }
  const { config } = await loadConfig(configPath, { diskDevices: flags.disk ?? {} });
  return planDisk(config, flags.mode, { rootMountpoint: flags.rootMountpoint });
}

/** `groundwork disk plan|script|apply`: the disk layout on its own, like disko. */
export function registerDisk(program: Command, output: Output): void {
  const disk = program.command("disk").description("plan, print or apply the disk layout (disko.devices)");

  withDiskOptions(
    disk.command("plan").description("show per device what a mode would destroy, create, format and mount"),
    "disko",
  )
    .option("--json", "print the plan as JSON")
    .action(async (configPath: string, flags: DiskFlags) => {
      const plan = await loadPlan(configPath, flags);
      output.stdout(flags.json === true ? JSON.stringify(plan, null, 2) : formatDiskPlan(plan));
    });

  withDiskOptions(
    disk.command("script").description("print the POSIX sh script of a mode"),
    undefined,
  ).action(async (configPath: string, flags: DiskFlags) => {
    const plan = await loadPlan(configPath, flags);
    output.stdout(renderDiskScript(plan.steps, { mode: plan.mode, source: configPath }));
  });

  withDiskOptions(
    disk.command("apply").description("show the plan, ask, and run a mode on this machine"),
    undefined,
  )
    .option("--yes", "run without asking")
    .action(async (configPath: string, flags: DiskFlags) => {
      const plan = await loadPlan(configPath, flags);
      output.stderr(formatDiskPlan(plan));
      if (flags.yes !== true && !(await confirm(`\nRun the ${plan.mode} script on this machine?`))) {
        output.stderr("Nothing was done.");
        return;
      }
      await runDiskPlan(plan, new LocalTransport(), configPath, {
        onOutput: (_stream, chunk) => output.stderr(chunk.replace(/\n$/, "")),
      });
      output.stderr(`The ${plan.mode} script finished.`);
    });
}
