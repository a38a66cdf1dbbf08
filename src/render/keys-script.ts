import { posix } from "node:path";
import { quote } from "./quote.ts";

/**
 * A script that writes each key at its path, readable by root alone. Secret: it goes over SSH on stdin only,
 * never in an argument or a log; the bytes travel as base64, so that any key survives the shell.
 */
export function renderPlaceKeys(
  keys: readonly { readonly remote: string; readonly bytes: Uint8Array }[],
): string {
  return [
    "#!/bin/sh",
    "# groundwork: place the disk encryption keys (generated)",
    "set -eu",
    "umask 077",
    ...keys.flatMap(({ remote, bytes }) => [
      `mkdir -p ${quote(posix.dirname(remote))}`,
      `printf '%s' ${quote(Buffer.from(bytes).toString("base64"))} | base64 -d > ${quote(remote)}`,
    ]),
    "",
  ].join("\n");
}
