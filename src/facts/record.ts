import type { z } from "zod";
import { RecordError } from "../errors/index.ts";

/** Where a record was read from, and what its reader should do when it cannot be read: the words of its errors. */
export interface RecordPlace {
  /** What was read, for the messages: `generation 3's system.json on root@host`. */
  readonly name: string;
  /** What to do about a damaged record: `roll back to another generation (--to N), or switch again`. */
  readonly damaged: string;
  /** What to do about a record of a newer groundwork: `upgrade groundwork` unless said. */
  readonly newer?: string;
  /** 2 when the record is the user's input (groundwork.lock); 1, a failed run, otherwise. */
  readonly exitCode?: 1 | 2;
}

/** The schema of one version of a record: an object with `version: z.literal(N)`. */
export type RecordSchema = z.ZodObject<{ version: z.ZodLiteral<number> }>;

/** The first problem zod found, with its path: `users.0.name: Invalid input: expected string`. */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const others = error.issues.length - 1;
  const more = others > 0 ? `, and ${others} more problem${others === 1 ? "" : "s"}` : "";
  return `${issue?.path.join(".") || "(top)"}: ${issue?.message ?? "invalid"}${more}`;
}

function damagedRecord(place: RecordPlace, reason: string): RecordError {
  return new RecordError(
    "GW_RECORD_DAMAGED",
    place.name,
    `${place.name} is damaged (${reason}): ${place.damaged}`,
    place.exitCode,
  );
}

/** Read JSON whose shape is not groundwork's to check (a recorded configuration); bad JSON is a damaged record. */
export function parseJson(text: string, place: RecordPlace): unknown {
  if (text.trim() === "") throw damagedRecord(place, "empty or missing");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw damagedRecord(place, `not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Read a versioned JSON record through the schema of its current version. A record without a version was
 * written before records had one: that format is version 1.
 */
export function parseRecord<S extends RecordSchema>(
  text: string,
  schema: S,
  place: RecordPlace,
): z.output<S> {
  const json = parseJson(text, place);
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw damagedRecord(place, "not a JSON object");
  const version = "version" in json ? json.version : 1;
  if (typeof version === "number" && Number.isInteger(version) && version > schema.shape.version.value)
    throw new RecordError(
      "GW_RECORD_NEWER",
      place.name,
      `${place.name} was written by a newer groundwork (version ${version}): ${place.newer ?? "upgrade groundwork"}`,
      place.exitCode,
    );
  // An older version than the schema's, once there is one, is to be migrated here, before the schema reads it.
  const parsed = schema.safeParse({ ...json, version });
  if (!parsed.success) throw damagedRecord(place, firstIssue(parsed.error));
  return parsed.data;
}
