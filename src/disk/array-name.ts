import { checkedString } from "./checked-string.ts";

/** An array's name: it becomes /dev/md/<name> and the name in its superblock (at most 32 bytes there). */
export const arrayNameSchema = checkedString((name) =>
  /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/.test(name)
    ? undefined
    : `${JSON.stringify(name)} is not an array name: give up to 32 letters, digits, "_", "-" or ".", not starting with "." or "-", e.g. "raid1"`,
);
