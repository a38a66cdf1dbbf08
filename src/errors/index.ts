/** One problem found while checking input: where it is and what to do about it. */
export interface Problem {
  /** The file that set the value, when known. */
  readonly file?: string | undefined;
  /** Dotted option path, e.g. `disko.devices.disk.main.content.partitions.root.size`. */
  readonly path: string;
  readonly message: string;
}

/** Base of every error a user can act on; `code` is stable, `exitCode` tells the bin how to exit. */
export abstract class GroundworkError extends Error {
  abstract readonly code: string;
  /** 2: the input is wrong; 1: a run failed. */
  abstract readonly exitCode: 1 | 2;
}

export function formatProblem(problem: Problem): string {
  const where = [problem.file, problem.path].filter((part) => part !== undefined && part !== "").join(": ");
  return where === "" ? problem.message : `${where}: ${problem.message}`;
}

/** The configuration is invalid: every problem found, each with its file and option path. */
export class ConfigError extends GroundworkError {
  readonly code = "GW_CONFIG_INVALID";
  readonly exitCode = 2;
  constructor(readonly problems: readonly Problem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "ConfigError";
  }
}

/** A command-line argument is wrong. */
export class UsageError extends GroundworkError {
  readonly code = "GW_USAGE";
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Something that ran on a machine failed; `state` says what it left behind. */
export class RunError extends GroundworkError {
  readonly code = "GW_RUN_FAILED";
  readonly exitCode = 1;
  constructor(
    message: string,
    readonly details: { readonly stderr?: string; readonly exitCode?: number | null } = {},
  ) {
    super(message);
    this.name = "RunError";
  }
}

/** A run stopped for a reason of its own, named by `code`: a refusal, a rollback, a missing pin. */
export class StopError extends GroundworkError {
  readonly exitCode = 1;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The target refused: it cannot take this configuration. Nothing was changed. */
export class TargetError extends StopError {}

/**
 * A record groundwork kept (a generation's files on a machine, a cache manifest, groundwork.lock) that this
 * groundwork cannot read: written by a newer groundwork (`GW_RECORD_NEWER`), or damaged (`GW_RECORD_DAMAGED`).
 */
export class RecordError extends GroundworkError {
  constructor(
    readonly code: "GW_RECORD_NEWER" | "GW_RECORD_DAMAGED",
    /** What was read: `generation 3's system.json on root@host`. */
    readonly record: string,
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = "RecordError";
  }
}

/** A bug in groundwork, never the user's fault. */
export class InternalError extends Error {
  readonly code = "GW_INTERNAL";
  constructor(message: string) {
    super(`internal error: ${message}`);
    this.name = "InternalError";
  }
}

export function assertNever(value: never): never {
  throw new InternalError(`unexpected variant ${JSON.stringify(value)}`);
}

/** C0 and C1 control characters, DEL, and the Unicode line and paragraph separators. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what it is for.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
/** What a terminal could act on, or that would hide or reorder text: controls and bidirectional marks. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what it is for.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** Whether `text` holds a control character (a line break, a tab, an escape, NUL, …), which no input should. */
export function hasControlCharacter(text: string): boolean {
  return CONTROL_CHARACTER.test(text);
}

/**
 * A value as an error message shows it: in double quotes, every control character escaped, so that whatever a
 * user typed can neither paint the terminal nor hide in the message.
 */
export function displayValue(text: string): string {
  return JSON.stringify(text).replace(
    UNPRINTABLE,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
