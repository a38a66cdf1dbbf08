import { z } from "zod";
import { PACKAGE_NAME } from "../config/names.ts";
import { StopError } from "../errors/index.ts";
import { parseRecord } from "../facts/record.ts";

export const LOCK_FILE = "groundwork.lock";

/** `groundwork.lock`: what a build installs, pinned — the distribution, and the version of every package. */
const lockSchema = z.strictObject({
  version: z.literal(1),
  distribution: z.literal("debian"),
  suite: z.string().regex(/^[a-z][a-z0-9-]*$/),
  mirror: z.string().regex(/^https?:\/\/\S+$/),
  /** Package → exact version, every package of the system. */
  packages: z.record(z.string().regex(PACKAGE_NAME), z.string().regex(/^[A-Za-z0-9.+~:-]+$/)).readonly(),
});

export type Lock = Readonly<z.output<typeof lockSchema>>;

/** Read a lock's text; the problems name the file and say what to do. */
export function parseLock(text: string, file: string): Lock {
  return parseRecord(text, lockSchema, {
    name: file,
    damaged: "repair it, or remove it and run groundwork pins init",
    exitCode: 2,
  });
}

/** The lock's text: sorted, one package per line, so that its diffs read well. */
export function formatLock(lock: Lock): string {
  const packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a < b ? -1 : 1)));
  return `${JSON.stringify({ ...lock, packages }, null, 2)}\n`;
}

/** How two locks differ, one line per package: `htop 3.2.1-1 → 3.2.2-2`, `+ curl 7.88.1-10`, `- nano 7.2-1`. */
export function diffLocks(before: Lock | undefined, after: Lock): string[] {
  const lines: string[] = [];
  if (before !== undefined && (before.suite !== after.suite || before.mirror !== after.mirror))
    lines.push(`~ ${before.suite} ${before.mirror} → ${after.suite} ${after.mirror}`);
  const old = before?.packages ?? {};
  for (const [name, version] of Object.entries(after.packages).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const was = old[name];
    if (was === undefined) lines.push(`+ ${name} ${version}`);
    else if (was !== version) lines.push(`~ ${name} ${was} → ${version}`);
  }
  for (const name of Object.keys(old).sort())
    if (after.packages[name] === undefined) lines.push(`- ${name} ${old[name]}`);
  return lines;
}

/**
 * The lock after `pins update`: the fresh versions for `names` (every package when empty); the others keep
 * their pins. Packages the system no longer has leave the lock, new ones enter it.
 */
export function updateLock(before: Lock, fresh: Lock, names: readonly string[]): Lock {
  if (names.length === 0) return fresh;
  const packages: Record<string, string> = {};
  for (const [name, version] of Object.entries(fresh.packages))
    packages[name] = names.includes(name) ? version : (before.packages[name] ?? version);
  return { ...fresh, packages };
}

/** Pinned versions the built system does not have: the mirror no longer offers them. */
export function unmetPins(
  pins: Readonly<Record<string, string>>,
  built: Readonly<Record<string, string>>,
): { name: string; pinned: string; built: string | undefined }[] {
  return Object.entries(pins)
    .filter(([name, version]) => built[name] !== undefined && built[name] !== version)
    .map(([name, pinned]) => ({ name, pinned, built: built[name] }));
}

/** A pinned version the mirror does not have. */
export class PinError extends StopError {
  constructor(
    lost: readonly { readonly name: string; readonly version: string; readonly has?: string | undefined }[],
    advice = `pinned in ${LOCK_FILE}: run groundwork pins update ${lost.map((pin) => pin.name).join(" ")}`,
  ) {
    super(
      "GW_PIN_UNAVAILABLE",
      `the mirror no longer has ${lost.map((pin) => `${pin.name} ${pin.version}${pin.has === undefined ? "" : ` (it has ${pin.has})`}`).join(", ")}, ${advice}`,
    );
  }
}

/** The pinned versions apt said it could not find (`E: Version '…' for '…' was not found`). */
export function lostPins(aptOutput: string): { name: string; version: string }[] {
  return [...aptOutput.matchAll(/Version '([^']+)' for '([^']+)' was not found/g)].map((match) => ({
    name: match[2] ?? "",
    version: match[1] ?? "",
  }));
}
