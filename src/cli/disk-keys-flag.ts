import { Option } from "commander";
import { UsageError } from "../errors/index.ts";
import type { DiskKey } from "../plan/disk-keys.ts";
import { absolutePathProblem, parseLocalPath } from "./flag-values.ts";

export const DISK_KEYS_FLAG = "--disk-encryption-keys";

/**
 * `--disk-encryption-keys REMOTE LOCAL` takes two words, which commander's options cannot: each such pair in
 * `argv` becomes one value (a JSON array of the two), which the option's parser takes apart again.
 */
export function pairDiskKeyArguments(argv: readonly string[]): string[] {
  const paired: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const word = argv[index] ?? "";
    paired.push(word);
    if (word === "--") {
      paired.push(...argv.slice(index + 1));
      break;
    }
    const [remote, local] = [argv[index + 1], argv[index + 2]];
    if (word !== DISK_KEYS_FLAG || remote === undefined || local === undefined) continue;
    paired.push(JSON.stringify([remote, local]));
    index += 2;
  }
  return paired;
}

function parseDiskKey(text: string, previous: DiskKey[] | undefined): DiskKey[] {
  let pair: unknown;
  try {
    pair = JSON.parse(text);
  } catch {
    pair = undefined;
  }
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((item) => typeof item === "string"))
    throw new UsageError(
      `${DISK_KEYS_FLAG} takes two paths: where the key goes on the target, and the key file here, e.g. ${DISK_KEYS_FLAG} /tmp/secret.key ./secret.key`,
    );
  const [remote, local] = pair as [string, string];
  const problem = absolutePathProblem(remote);
  if (problem !== undefined)
    throw new UsageError(
      `${DISK_KEYS_FLAG} ${JSON.stringify(remote)}: ${problem}; give the absolute path the layout names (passwordFile, settings.keyFile), e.g. /tmp/secret.key`,
    );
  const others = previous ?? [];
  if (others.some((key) => key.remote === remote))
    throw new UsageError(`${DISK_KEYS_FLAG} ${remote} is given twice: give each key once`);
  return [...others, { remote, local: parseLocalPath(DISK_KEYS_FLAG, local) }];
}

/** `--disk-encryption-keys REMOTE LOCAL`, repeatable, as nixos-anywhere takes it. */
export function diskKeysOption(): Option {
  return new Option(
    `${DISK_KEYS_FLAG} <REMOTE LOCAL>`,
    "place the key file LOCAL at REMOTE in the installer's RAM for the LUKS devices (repeatable)",
  ).argParser(parseDiskKey);
}
