import { z } from "zod";
import { hasControlCharacter } from "../errors/index.ts";
import { checkedString } from "./checked-string.ts";
import { LUKS_NAME } from "./luks-name.ts";

/** The words of one item: disko puts extraArgs into its commands unquoted, so the shell splits them at spaces. */
function wordsOf(item: string): string[] {
  return item.split(" ").filter((word) => word !== "");
}

/**
 * Why `item` cannot be extra arguments of a command that formats a device, or undefined when it can be. With
 * `mappings`, an opened LUKS device (`/dev/mapper/NAME`, declared in the layout) may be named: mkfs.btrfs makes
 * one filesystem of several devices.
 */
function extraArgProblem(item: string, mappings: boolean): string | undefined {
  const shown = JSON.stringify(item);
  if (hasControlCharacter(item)) return `${shown}: an argument must not contain control characters`;
  const words = wordsOf(item);
  if (words.length === 0) return `${shown}: an empty argument is no option; remove it`;
  for (const word of words) {
    if (word === "--")
      return `${shown}: "--" ends the options: the items after it would be read as devices; remove it`;
    // mkfs.btrfs formats every device it is given, and mkfs/mkswap read a second path as the size.
    if (mappings && word.startsWith("/dev/mapper/") && LUKS_NAME.test(word.slice("/dev/mapper/".length)))
      continue;
    if (word.startsWith("/dev/"))
      return `${shown}: "${word}" is a device: the command would format it too; declare each disk under disko.devices.disk and leave devices out of extraArgs`;
  }
  return undefined;
}

/**
 * Extra arguments of the command `tool`, given before the device. As in disko, an item holding spaces is several
 * arguments (`"-d raid1"` is `-d` and `raid1`); no quoting or globbing applies.
 */
export function extraArgsSchema(tool: string, options: { readonly mappings?: boolean } = {}) {
  return z
    .array(checkedString((item) => extraArgProblem(item, options.mappings === true)))
    .overwrite((items) => items.flatMap(wordsOf))
    .default([])
    .meta({
      description: `Extra arguments for ${tool}; an item with spaces is several, as in disko (e.g. ["-L", "root"] or ["-L root"]).`,
    });
}
