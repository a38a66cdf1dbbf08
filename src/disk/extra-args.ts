import { z } from "zod";
import { hasControlCharacter } from "../errors/index.ts";
import { checkedString } from "./checked-string.ts";

const TWO_ITEMS = 'give an option and its value as two items, e.g. ["-L", "root"]';

/** Why `arg` cannot be one extra argument of a command that formats a device, or undefined when it can be. */
function extraArgProblem(arg: string): string | undefined {
  const shown = JSON.stringify(arg);
  if (arg === "") return `${shown}: an empty argument is no option; remove it`;
  if (arg === "--")
    return `${shown} ends the options: the items after it would be read as devices; remove it`;
  if (hasControlCharacter(arg)) return `${shown}: an argument must not contain control characters`;
  // disko joins btrfs' extraArgs unescaped; here each item is one argument, so "-d raid1" would be one word.
  if (/^-[^\s=]+\s/.test(arg)) return `${shown} is an option and its value in one item: ${TWO_ITEMS}`;
  // mkfs.btrfs formats every device it is given, and mkfs/mkswap read a second path as the size.
  if (arg.startsWith("/dev/"))
    return `${shown} is a device: the command would format it too; declare each disk under disko.devices.disk and leave devices out of extraArgs`;
  return undefined;
}

/** Extra arguments of the command `tool`, each one argument, given before the device. */
export function extraArgsSchema(tool: string) {
  return z
    .array(checkedString(extraArgProblem))
    .default([])
    .meta({ description: `Extra arguments for ${tool}, each item one argument (e.g. ["-L", "root"]).` });
}
