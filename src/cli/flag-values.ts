import { posix } from "node:path";
import { displayValue, hasControlCharacter, UsageError } from "../errors/index.ts";

// One parser per kind of value a flag or an argument takes, so that every flag of a kind accepts the same
// spellings and says the same thing when it refuses one. Each names the flag (or argument) and what to write.

/** Any value on the command line: no control character (a line break, a tab, an escape), which no flag takes. */
export function parsePlainText(flag: string, text: string): string {
  if (hasControlCharacter(text))
    throw new UsageError(
      `${flag} ${displayValue(text)}: a control character (a line break, a tab, an escape…) cannot be in it`,
    );
  return text;
}

/** The range of a whole-number flag, its unit, and an example for the message. */
export interface WholeNumberRange {
  readonly min: number;
  readonly max: number;
  /** What to give, as the message says it: `whole seconds`, `a generation number`. */
  readonly what: string;
  readonly example: number;
}

/** A whole number in decimal (no sign, exponent, fraction, hex, space or leading zero) within `range`. */
export function parseWholeNumber(flag: string, text: string, range: WholeNumberRange): number {
  const value = /^(?:0|[1-9][0-9]*)$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= range.min && value <= range.max))
    throw new UsageError(
      `${flag} ${displayValue(text)}: give ${range.what} from ${range.min} to ${range.max}, in decimal, e.g. ${flag} ${range.example}`,
    );
  return value;
}

/** A file or folder on this machine: not empty, no control character (it is printed, and handed to tools). */
export function parseLocalPath(flag: string, text: string): string {
  if (text === "") throw new UsageError(`${flag} "": give a path that is not empty`);
  return parsePlainText(flag, text);
}

const ROOT_ITSELF = "it names / itself";

/**
 * Why `path` is not a plain absolute path below / (a device, a mountpoint): as scripts and the mount table
 * compare it, it must be normalized and hold no space, backslash or control character. Undefined when it is.
 */
export function absolutePathProblem(path: string): string | undefined {
  if (hasControlCharacter(path) || /[\s\\]/u.test(path))
    return "it holds a space, a backslash or a control character";
  if (!path.startsWith("/")) return "it is not an absolute path";
  const normal = posix.normalize(path).replace(/(.)\/$/, "$1");
  if (normal === "/") return ROOT_ITSELF;
  if (normal !== path)
    return `it is not normalized (no "." or ".." segments, "//" or trailing "/"): write it as ${normal}`;
  return undefined;
}

/**
 * `--root-mountpoint`: where the layout's / is mounted. Never / itself: the destroy script would unmount the
 * running system, and every disk mounted below / would look free to the "disk in use" check.
 */
export function parseMountpoint(flag: string, text: string): string {
  const problem = absolutePathProblem(text);
  if (problem === undefined) return text;
  const why =
    problem === ROOT_ITSELF
      ? `${problem}, the running system's root: the destroy script would unmount it, and its disk would not count as in use`
      : problem;
  throw new UsageError(`${flag} ${displayValue(text)}: ${why}; give an empty folder, e.g. ${flag} /mnt`);
}

/** `--suite`: a Debian suite or code name, as mmdebstrap takes it (`bookworm`, `stable`, `trixie`). */
export function parseSuite(flag: string, text: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(text))
    throw new UsageError(`${flag} ${displayValue(text)}: give a Debian suite name, e.g. ${flag} bookworm`);
  return text;
}

/** `--mirror`: an http or https URL of a Debian mirror. */
export function parseMirror(flag: string, text: string): string {
  const plain = !hasControlCharacter(text) && !/\s/u.test(text);
  const url = plain && URL.canParse(text) ? new URL(text) : undefined;
  if (url === undefined || !(url.protocol === "http:" || url.protocol === "https:") || url.hostname === "")
    throw new UsageError(
      `${flag} ${displayValue(text)}: give the http or https URL of a Debian mirror, e.g. ${flag} http://deb.debian.org/debian`,
    );
  return text;
}

/** A Debian package name, as a pin names it: lower-case letters, digits and `+ - .`, two characters or more. */
export function parsePackageName(what: string, text: string): string {
  if (!/^[a-z0-9][a-z0-9+.-]+$/.test(text))
    throw new UsageError(`${what} ${displayValue(text)}: not a Debian package name (e.g. openssh-server)`);
  return text;
}
