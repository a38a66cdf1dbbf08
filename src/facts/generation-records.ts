import { z } from "zod";
import { systemSpecSchema } from "./system-spec.ts";

/**
 * The records of a generation: what it is and what it came from. The rest of its files (scripts, logs,
 * markers) are in GENERATION_FILES (src/plan/generation.ts).
 */
export const RECORD_FILES = {
  /** The SystemSpec it activates: what the next switch compares against. */
  system: "system.json",
  /** The resolved configuration it came from (its own format: the configuration's, unversioned). */
  configuration: "configuration.json",
  /** The versions groundwork.lock pinned for it (none without a lock): a rollback to it pins them again. */
  lock: "lock.json",
  /** `{ version, number, time, kind, from, summary }`. */
  info: "info.json",
} as const;

/** system.json: the system spec, with the version of its format. */
export const systemRecordSchema = systemSpecSchema.extend({ version: z.literal(1) });

/** info.json: what a generation is. */
export const generationInfoSchema = z.object({
  version: z.literal(1),
  number: z.number().int().positive(),
  time: z.string(),
  kind: z.enum(["install", "switch", "rollback"]),
  /** For a rollback: the generation it went back to. */
  from: z.number().int().positive().optional(),
  summary: z.string(),
});

export type GenerationInfo = z.output<typeof generationInfoSchema>;

/**
 * lock.json: package → version, beside the format's `version`. Records from before versions hold only the
 * packages; a version is a number, never a package's version string.
 */
export const pinsRecordSchema = z.object({ version: z.literal(1) }).catchall(z.string());
