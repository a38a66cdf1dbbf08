import { z } from "zod";
import { hasControlCharacter } from "../errors/index.ts";
import { checkedString } from "./checked-string.ts";

/**
 * One item of an option list (`mountOptions`, a swap file's `options`): fstab splits its fields on whitespace, so an
 * item holds none. An item may join several options with commas, as disko passes them to `mount -o`; the list
 * is then read as one option per item.
 */
function optionSchema(what: string) {
  return checkedString((option) =>
    option.split(",").some((part) => part === "") || /\s/.test(option) || hasControlCharacter(option)
      ? `${JSON.stringify(option)} is not a ${what}: give each option as its own list item (or several joined by single commas), without spaces or control characters`
      : undefined,
  );
}

/**
 * A list of mount or swap options, each one option, e.g. `["defaults", "noatime"]`. fstab needs a filesystem's
 * options field filled, so a mount option list holds one at least; a swap space's may be empty.
 */
export function optionListSchema(description: string, kind: "mount" | "swap" = "mount") {
  return z
    .array(optionSchema(`${kind} option`))
    .overwrite((options) => options.flatMap((option) => option.split(",")))
    .check((context) => {
      if (kind === "mount" && context.value.length === 0)
        context.issues.push({
          code: "custom",
          message: 'an empty list leaves fstab without options: give at least one, e.g. ["defaults"]',
          input: context.value,
        });
    })
    .default(["defaults"])
    .meta({ description });
}
