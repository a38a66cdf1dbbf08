import { type Command, Option } from "commander";
import { parsePort } from "../transport/destination.ts";
import { collectDiskDevice } from "./disk-devices.ts";
import { parseLocalPath, parsePlainText, parseWholeNumber, type WholeNumberRange } from "./flag-values.ts";

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
  return command.argument(
    "<config>",
    "configuration file or folder (configuration.ts inside)",
    (text: string) => parseLocalPath("<config>", text),
  );
}

/**
 * An option whose value `parse` checks when the command line is read, before any work, after refusing control
 * characters; the messages name it by its long flag.
 */
export function parsedOption<T>(
  flags: string,
  description: string,
  parse: (flag: string, text: string) => T,
): Option {
  const option = new Option(flags, description);
  const flag = option.long ?? flags;
  return option.argParser((text: string) => parse(flag, parsePlainText(flag, text)));
}

/** A TCP port flag: a decimal number from 1 to 65535. */
export function portOption(flags: string, description: string): Option {
  return parsedOption(flags, description, (flag, text) => parsePort(text, flag));
}

/** A whole-number flag (seconds, MiB, a generation) within `range`, with its default when one is given. */
export function wholeNumberOption(
  flags: string,
  description: string,
  range: WholeNumberRange,
  defaultValue?: number,
): Option {
  const option = parsedOption(flags, description, (flag, text) => parseWholeNumber(flag, text, range));
  return defaultValue === undefined ? option : option.default(defaultValue);
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

/** A duration flag in whole seconds, from `min` to `max`, with its default (also the message's example). */
export function secondsOption(
  flags: string,
  description: string,
  range: { readonly min: number; readonly max: number },
  defaultValue: number,
): Option {
  const seconds = { ...range, what: "whole seconds", example: defaultValue };
  return wholeNumberOption(flags, description, seconds, defaultValue);
}
