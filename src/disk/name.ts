import { hasControlCharacter } from "../errors/index.ts";
import { checkedString } from "./checked-string.ts";

/** An attribute name of the layout (a disk's, a partition's): it goes into labels, step ids and messages. */
export function nameSchema(what: string, example: string) {
  return checkedString((name) =>
    name === "" || hasControlCharacter(name)
      ? `${JSON.stringify(name)} is not ${what}: give a name such as ${JSON.stringify(example)}, without control characters`
      : undefined,
  );
}
