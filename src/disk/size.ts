import { checkedString } from "./checked-string.ts";

const UNITS = { "": 1n, K: 1n << 10n, M: 1n << 20n, G: 1n << 30n, T: 1n << 40n, P: 1n << 50n } as const;
type Unit = keyof typeof UNITS;
const isUnit = (unit: string): unit is Unit => Object.hasOwn(UNITS, unit);

/** A partition size as disko writes it: digits with an optional binary unit (`500M`, `4G`, `1GiB`), or `100%`. */
export const SIZE_PATTERN = /^(\d+)([KMGTP]?)(?:iB)?$/;
export const SIZE_EXAMPLES = 'examples: "500M", "4G", "512MiB", "100%"';
const BYTES_EXAMPLES = 'examples: "500M", "4G", "512MiB"';

/**
 * The most bytes a size, a position or a whole layout may have: 2^53 - 1 (8 PiB), beyond any disk. Plans carry
 * byte counts as JSON numbers, which are exact up to here, so every size renders as an exact integer.
 */
export const MAX_BYTES = BigInt(Number.MAX_SAFE_INTEGER);
const TOO_LARGE = "is larger than any disk: give less than 8P (8 PiB)";

export type Size = { readonly kind: "bytes"; readonly bytes: bigint } | { readonly kind: "rest" };

function sizeParts(text: string): { digits: string; unit: Unit } | undefined {
  const match = SIZE_PATTERN.exec(text);
  if (match === null) return undefined;
  const [, digits = "", unit = ""] = match;
  if (!isUnit(unit) || (unit === "" && text.endsWith("iB"))) return undefined;
  return { digits, unit };
}

/** Parse a size; `undefined` when the text is not one. */
export function parseSize(text: string): Size | undefined {
  if (text === "100%") return { kind: "rest" };
  const parts = sizeParts(text);
  return parts === undefined ? undefined : { kind: "bytes", bytes: BigInt(parts.digits) * UNITS[parts.unit] };
}

/** What a size may be: `rest` allows "100%", `minimum` is the fewest bytes it may have. */
export interface SizeRule {
  readonly rest: boolean;
  readonly minimum: bigint;
  // minimum is 1 (any size) or a whole number of MiB, as the message says it.
  /** What the size is of, for the message: "a size", "a swap file size". */
  readonly what: string;
}

/** Why `text` is not a size by `rule`, or undefined when it is one. */
export function sizeProblem(text: string, rule: SizeRule): string | undefined {
  const examples = rule.rest ? SIZE_EXAMPLES : BYTES_EXAMPLES;
  const size = parseSize(text);
  const least = rule.minimum > 1n ? `at least ${rule.minimum >> 20n}M` : undefined;
  if (size === undefined || (size.kind === "rest" && !rule.rest))
    return `${JSON.stringify(text)} is not ${rule.what}${least === undefined ? "" : `: give ${least}`} (${examples})`;
  if (size.kind === "rest") return undefined;
  if (size.bytes < rule.minimum || size.bytes === 0n)
    return `${JSON.stringify(text)} is not ${rule.what}: give ${least ?? "more than 0"} (${examples})`;
  if (size.bytes > MAX_BYTES) return `${JSON.stringify(text)} ${TOO_LARGE}`;
  return undefined;
}

/** A size option: a string that `sizeProblem` accepts by `rule`. */
export function sizeSchema(rule: SizeRule) {
  return checkedString((text) => sizeProblem(text, rule));
}

/** sgdisk's spelling of a valid size: K/M/G/T/P (binary units), digits without leading zeros (`01GiB` → `1G`). */
export function sgdiskSize(text: string): string {
  const parts = sizeParts(text);
  return parts === undefined ? text : `${BigInt(parts.digits)}${parts.unit}`;
}

/** Bytes exactly, in the largest binary unit that divides them: `500 MiB`, `1124 MiB`, `2 GiB`. */
export function formatBytes(bytes: bigint): string {
  const names = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let unit = 0;
  let value = bytes;
  while (unit < names.length - 1 && value !== 0n && value % 1024n === 0n) {
    value /= 1024n;
    unit += 1;
  }
  return `${value} ${names[unit]}`;
}

/**
 * The bytes of an sgdisk position for `start`/`end` (`0`, `2048s` in sectors, `1M`, `+500M`, `-0`, `-10M`),
 * without its sign: `+500M` → 500 MiB, `2048s` → 1 MiB, `0` → 0; `undefined` when it is not one.
 */
export function sgdiskPositionBytes(text: string): bigint | undefined {
  const match = /^[+-]?(\d+)([KMGTPs]?)$/.exec(text);
  if (match === null) return undefined;
  const [, digits = "", unit = ""] = match;
  if (unit !== "s" && !isUnit(unit)) return undefined;
  return BigInt(digits) * (unit === "s" ? 512n : UNITS[unit]);
}

/** Why `text` is not an sgdisk position, or undefined when it is one; an end of `+0` would make no partition. */
export function sgdiskPositionProblem(text: string, position: "start" | "end"): string | undefined {
  const bytes = sgdiskPositionBytes(text);
  if (bytes === undefined)
    return `${JSON.stringify(text)} is not an sgdisk position (examples: "0", "1M", "+500M", "-0", "2048s")`;
  if (bytes > MAX_BYTES) return `${JSON.stringify(text)} ${TOO_LARGE}`;
  if (position === "end" && text.startsWith("+") && bytes === 0n)
    return `${JSON.stringify(text)} makes an empty partition: give a size, e.g. "+500M", or "-0" for the rest`;
  return undefined;
}

/** parted's units by their lower-case name; parted reads a unit's name in any case, and "1M" as 1 MB. */
const PARTED_UNITS: Readonly<Record<string, bigint>> = {
  s: 512n,
  b: 1n,
  k: 1000n,
  kb: 1000n,
  m: 1000n ** 2n,
  mb: 1000n ** 2n,
  g: 1000n ** 3n,
  gb: 1000n ** 3n,
  t: 1000n ** 4n,
  tb: 1000n ** 4n,
  kib: 1n << 10n,
  mib: 1n << 20n,
  gib: 1n << 30n,
  tib: 1n << 40n,
};

/** A parted position: sectors, bytes with a unit, or a percentage of the disk; negative counts from the end. */
const PARTED_POSITION = /^(-?)(\d+)(?:\.(\d+))?(s|b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib|%)?$/i;

/** A parted position read: bytes (MB when no unit) or a percentage, and whether it counts from the disk's end. */
export type PartedPosition =
  | { readonly kind: "bytes"; readonly bytes: bigint; readonly fromEnd: boolean }
  | { readonly kind: "percent"; readonly percent: number; readonly fromEnd: boolean };

/** Parse a parted position; `undefined` when the text is not one. */
export function parsePartedPosition(text: string): PartedPosition | undefined {
  const match = PARTED_POSITION.exec(text);
  if (match === null) return undefined;
  const [, sign, whole = "", fraction = "", unit = "mb"] = match;
  const fromEnd = sign === "-";
  if (unit === "%") return { kind: "percent", percent: Number(`${whole}.${fraction || "0"}`), fromEnd };
  const factor = PARTED_UNITS[unit.toLowerCase()] ?? 1n;
  const scale = 10n ** BigInt(fraction.length);
  const bytes = ((BigInt(whole) * scale + BigInt(fraction === "" ? "0" : fraction)) * factor) / scale;
  return { kind: "bytes", bytes, fromEnd };
}

/** The bytes of an absolute parted position (`513MiB`, `1GB`, `2048s`); `undefined` for percentages. */
export function partedPositionBytes(text: string): bigint | undefined {
  const position = parsePartedPosition(text);
  return position?.kind === "bytes" && !position.fromEnd ? position.bytes : undefined;
}

/** Why `text` is not a parted position, or undefined when it is one. */
export function partedPositionProblem(text: string): string | undefined {
  const position = parsePartedPosition(text);
  if (position === undefined)
    return `${JSON.stringify(text)} is not a parted position (examples: "1MiB", "513MiB", "50%", "100%")`;
  if (position.kind === "percent" && position.percent > 100)
    return `${JSON.stringify(text)} is more than the whole disk: give at most "100%"`;
  if (position.kind === "bytes" && position.bytes > MAX_BYTES) return `${JSON.stringify(text)} ${TOO_LARGE}`;
  return undefined;
}
