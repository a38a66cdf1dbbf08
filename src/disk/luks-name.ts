import { checkedString } from "./checked-string.ts";

/** A LUKS mapping's name: it becomes /dev/mapper/<name>, a crypttab field and a cryptsetup argument. */
export const LUKS_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,63}$/;

export const luksNameSchema = checkedString((name) =>
  LUKS_NAME.test(name)
    ? undefined
    : `${JSON.stringify(name)} is not a LUKS mapping name: give up to 64 letters, digits, "_", "+", "-" or ".", not starting with "." or "-", e.g. "crypted"`,
);
