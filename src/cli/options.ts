import { type Command, Option } from "commander";
import { collectDiskDevice } from "./disk-devices.ts";

/** Where the layout's / is mounted: where a deploy installs the new system, and `--root-mountpoint`'s default. */
export const ROOT_MOUNTPOINT = "/mnt";

/** What the options several commands share hand to an action: each spelled and typed once, here. */
export interface SharedFlags {
  readonly disk?: Record<string, string>;
  readonly json?: boolean;
  readonly verbose?: boolean;
  readonly yes?: boolean;
}

/** `<config>`: the configuration a command reads. */
export function withConfigArgument(command: Command): Command {
  return command.argument("<config>", "configuration file or folder (configuration.ts inside)");
}

/** `--disk NAME=DEVICE`, repeatable; `groundwork test` says what the device means in its machine. */
export function diskOption(description = "use DEVICE for disko.devices.disk.NAME (repeatable)"): Option {
  return new Option("--disk <NAME=DEVICE>", description).argParser(collectDiskDevice);
}

/** `--json`, with what the command prints as JSON. */
export function jsonOption(description: string): Option {
  return new Option("--json", description);
}

/** `--verbose`, with whose output the command then shows: by default the build's. */
export function verboseOption(description = "show mmdebstrap's output"): Option {
  return new Option("--verbose", description);
}

/** `--yes`, with what the command then does without asking. */
export function yesOption(description: string): Option {
  return new Option("--yes", description);
}
