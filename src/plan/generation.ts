import type { z } from "zod";
import { type GenerationInfo, RECORD_FILES, type systemRecordSchema } from "../facts/generation-records.ts";
import type { SystemSpec } from "../facts/system-spec.ts";

/** Where a machine keeps its generations: `generations/<N>/…` and `current` (the active number). */
export const STATE_DIR = "/var/lib/groundwork";

/** The boot-time recovery of a switch that a restart interrupted: its script, and the unit that runs it. */
export const RECOVER_SCRIPT = `${STATE_DIR}/recover.sh`;
export const RECOVER_UNIT = "groundwork-recover.service";
/** What the deployer's wait for a rollback prints when a restart had cut the switch (the rollback ran at boot). */
export const INTERRUPTED_WORD = "interrupted";
/** The word the wait for a rollback prints when the generation had neither rolled back nor been decided. */
export const PENDING_WORD = "pending";
/** The word it prints when the generation's apply never began (the command that starts it was lost): it was given up. */
export const NOT_STARTED_WORD = "not-started";

/** The folder of generation `number` on the machine (`stateDir` is STATE_DIR but for tests). */
export function generationDir(number: number, stateDir: string = STATE_DIR): string {
  return `${stateDir}/generations/${number}`;
}

/**
 * How the apply script (render/switch-script.ts) tells its reader (execute/switch.ts) what happened: its exit
 * codes, and the start of the line that says a newer kernel waits for a reboot.
 */
export const APPLY_EXIT = {
  /** The package changes failed; nothing else was changed, the generation is marked failed. */
  packagesFailed: 3,
  /** The activation failed; the machine went back to the previous generation at once. */
  activationFailed: 4,
} as const;
export const KERNEL_NOTE = "groundwork: kernel";

/**
 * The switch lock: a folder that a switch makes atomically before it writes its generation, holding
 * `generation<TAB>since (epoch seconds)<TAB>who`, and removes when it ends: confirmed, rolled back, or failed.
 */
export function switchLock(stateDir: string = STATE_DIR): string {
  return `${stateDir}/switch.lock`;
}
/** The exit of the write script when another switch holds the lock; it prints the holder's line. */
export const SWITCH_LOCKED_EXIT = 75;
/** The exit of the write script when the machine changed since the switch read it; it prints its current. */
export const SWITCH_STALE_EXIT = 76;
/**
 * A lock younger than this is never taken over: its switch may be between writing its files and starting its
 * unit. An older one whose apply unit and rollback timer are both gone was left by a switch that died.
 */
export const LOCK_GRACE_SECONDS = 120;

/** The files of one generation: its records (system.json, configuration.json, lock.json, info.json), then these. */
export const GENERATION_FILES = {
  ...RECORD_FILES,
  /** Installed packages and versions after activation (dpkg-query). */
  packages: "packages.tsv",
  /** Package changes, then the activation; and the way back. */
  packagesScript: "packages.sh",
  /** apt preferences pinning groundwork.lock's versions, for the package changes. */
  pins: "pins.pref",
  activate: "activate.sh",
  rollback: "rollback.sh",
  rollbackActivate: "rollback-activate.sh",
  rollbackPackages: "rollback-packages.sh",
  /** Written when the generation rolled back: the time it did. */
  rolledBack: "rolled-back",
  /** Written when its package changes failed, so that it never became active: the time they did. */
  failed: "failed",
  /** Written when the deployer confirmed it over a new connection: the time it did. */
  confirmed: "confirmed",
  /** Written (and synced) when its apply began: the time it did. */
  started: "started",
  /** Written at boot when a restart had cut its apply or its wait for confirmation: the time it was found. */
  interrupted: "interrupted",
  /**
   * A folder made (atomically, by mkdir) by whichever comes first: the deployer's confirmation or the rollback.
   * The other one then changes nothing, so that a confirmation never races a rollback.
   */
  decided: "decided",
  apply: "apply.sh",
  log: "apply.log",
} as const;

/**
 * The record files of a generation: the system it activates, the configuration it came from, the versions it
 * pinned, and what it is — each in the current version of its format (src/facts/generation-records.ts).
 */
export function generationRecord(record: {
  readonly number: number;
  readonly time: string;
  readonly kind: GenerationInfo["kind"];
  readonly from?: number | undefined;
  readonly summary: string;
  readonly system: SystemSpec;
  readonly configuration: unknown;
  readonly pins: Readonly<Record<string, string>>;
}): Record<string, string> {
  const { system, configuration, pins, ...rest } = record;
  const systemRecord: z.input<typeof systemRecordSchema> = { version: 1, ...system };
  // pinsRecordSchema's type cannot hold a number beside its string index: the spread is its shape.
  const pinsRecord = { version: 1, ...pins };
  const info: GenerationInfo = { version: 1, ...rest };
  return {
    [GENERATION_FILES.system]: `${JSON.stringify(systemRecord)}\n`,
    [GENERATION_FILES.configuration]: `${JSON.stringify(configuration, null, 2)}\n`,
    [GENERATION_FILES.lock]: `${JSON.stringify(pinsRecord)}\n`,
    [GENERATION_FILES.info]: `${JSON.stringify(info)}\n`,
  };
}
