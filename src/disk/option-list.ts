import { z } from "zod";
import { checkedString } from "./checked-string.ts";
import { hasControlCharacter } from "./path.ts";

/**
 * One item of an option list (`mountOptions`, a swap file's `options`): fstab and `mount -o` join the items with
 * commas, and fstab splits its fields on whitespace, so an item holds neither.
 */
function optionSchema(what: string) {
  return checkedString((option) =>
    option === "" || /[\s,]/.test(option) || hasControlCharacter(option)
      ? `${JSON.stringify(option)} is not one ${what}: give each option as its own list item, without spaces, commas or control characters`
      : undefined,
  );
}

/** A list of mount or swap options, each one option, e.g. `["defaults", "noatime"]`. */
export function optionListSchema(description: string, what = "mount option") {
  return z.array(optionSchema(what)).default(["defaults"]).meta({ description });
}
