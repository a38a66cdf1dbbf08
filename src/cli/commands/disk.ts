import { type Command, Option } from "commander";
import type { DiskFlags } from "../actions/disk.ts";
import { parseMountpoint } from "../flag-values.ts";
import {
  diskOption,
  jsonOption,
  parsedOption,
  ROOT_MOUNTPOINT,
  withConfigArgument,
  yesOption,
} from "../options.ts";
import type { Output } from "../output.ts";

const MODE_FLAGS = "--mode <MODE>";

function withDiskOptions(command: Command, defaultMode: "disko" | undefined): Command {
  const mode = new Option(MODE_FLAGS, "destroy, format, mount, unmount, or disko (destroy, format, mount)");
  return withConfigArgument(command)
    .addOption(defaultMode === undefined ? mode.makeOptionMandatory() : mode.default(defaultMode))
    .addOption(diskOption())
    .addOption(
      parsedOption("--root-mountpoint <DIR>", "where the layout's / is mounted", parseMountpoint).default(
        ROOT_MOUNTPOINT,
      ),
    );
}

/** `groundwork disk plan|script|apply`: the disk layout on its own, like disko. */
export function registerDisk(program: Command, output: Output): void {
  const disk = program.command("disk").description("plan, print or apply the disk layout (disko.devices)");
  // The modes are the disk layer's, whose module loads every layout type (and zod): they become --mode's
  // choices when the disk command is chosen (before a subcommand parses or prints its help, `disk help plan`
  // included), not for `groundwork --help`.
  program.hook("preSubcommand", async (_program, chosen) => {
    if (chosen !== disk) return;
    const { DISK_MODES } = await import("../../disk/modes.ts");
    for (const subcommand of disk.commands)
      subcommand.options.find((option) => option.flags === MODE_FLAGS)?.choices(DISK_MODES);
  });
  const run = async (configPath: string, flags: DiskFlags, command: "plan" | "script" | "apply") => {
    const actions = await import("../actions/disk.ts");
    await actions.runDisk[command](configPath, flags, output);
  };

  withDiskOptions(
    disk.command("plan").description("show per device what a mode would destroy, create, format and mount"),
    "disko",
  )
    .addOption(jsonOption("print the plan as JSON"))
    .action((configPath: string, flags: DiskFlags) => run(configPath, flags, "plan"));

  withDiskOptions(
    disk.command("script").description("print the POSIX sh script of a mode"),
    undefined,
  ).action((configPath: string, flags: DiskFlags) => run(configPath, flags, "script"));

  withDiskOptions(
    disk.command("apply").description("show the plan, ask, and run a mode on this machine"),
    undefined,
  )
    .addOption(yesOption("run without asking"))
    .action((configPath: string, flags: DiskFlags) => run(configPath, flags, "apply"));
}
