const UNITS = { "": 1n, K: 1n << 10n, M: 1n << 20n, G: 1n << 30n, T: 1n << 40n, P: 1n << 50n } as const;

/** A partition size as disko writes it: digits with an optional binary unit (`500M`, `4G`, `1GiB`), or `100%`. */
export const SIZE_PATTERN = /^(\d+)([KMGTP]?)(?:iB)?$/;
export const SIZE_EXAMPLES = 'examples: "500M", "4G", "512MiB", "100%"';

export type Size = { readonly kind: "bytes"; readonly bytes: bigint } | { readonly kind: "rest" };

/** Parse a size; `undefined` when the text is not one. */
export function parseSize(text: string): Size | undefined {
  if (text === "100%") return { kind: "rest" };
  const match = SIZE_PATTERN.exec(text);
  if (match === null) return undefined;
  const [, digits, unit] = match as unknown as [string, string, keyof typeof UNITS];
  if (unit === "" && text.endsWith("iB")) return undefined;
  return { kind: "bytes", bytes: BigInt(digits) * UNITS[unit] };
}

/** sgdisk understands K/M/G/T/P (binary units); `1GiB` is written as `1G`. */
export function sgdiskSize(text: string): string {
  return text.endsWith("iB") ? text.slice(0, -2) : text;
}

/** An sgdisk position for `start`/`end`: `0`, `2048` (sectors), `1M`, `+500M`, `-0`, `-10M`, `100s`. */
export const POSITION_PATTERN = /^[+-]?\d+[KMGTPs]?$/;

/** Bytes in a readable binary unit, e.g. `500 MiB`. */
export function formatBytes(bytes: bigint): string {
  const names = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let unit = 0;
  let value = bytes;
  while (unit < names.length - 1 && value >= 1024n && value % 1024n === 0n) {
    value /= 1024n;
    unit += 1;
  }
  if (value >= 1024n && unit < names.length - 1) {
    const exact = Number(bytes) / 1024 ** (unit + 1);
    return `${exact.toFixed(1)} ${names[unit + 1]}`;
  }
  return `${value} ${names[unit]}`;
}

/**
 * The bytes of an sgdisk position without its sign (`+500M` → 500 MiB, `2048s` → 1 MiB, `0` → 0);
 * `undefined` when it is not one.
 */
export function sgdiskPositionBytes(text: string): bigint | undefined {
  const match = /^[+-]?(\d+)([KMGTPs]?)$/.exec(text);
  if (match === null) return undefined;
  const [, digits, unit] = match as unknown as [string, string, string];
  const factor = unit === "s" ? 512n : UNITS[unit as keyof typeof UNITS];
  return BigInt(digits) * factor;
}

const PARTED_UNITS: Readonly<Record<string, bigint>> = {
  s: 512n,
  B: 1n,
  kB: 1000n,
  KB: 1000n,
  MB: 1000n ** 2n,
  GB: 1000n ** 3n,
  TB: 1000n ** 4n,
  KiB: 1n << 10n,
  MiB: 1n << 20n,
  GiB: 1n << 30n,
  TiB: 1n << 40n,
};

/** The bytes of an absolute parted position (`513MiB`, `1GB`, `2048s`); `undefined` for percentages. */
export function partedPositionBytes(text: string): bigint | undefined {
  const match = /^(\d+)(?:\.(\d+))?(s|B|kB|KB|MB|MiB|GB|GiB|TB|TiB)?$/.exec(text);
  if (match === null) return undefined;
  const [, whole, fraction = "", unit = "MB"] = match as unknown as [
    string,
    string,
    string | undefined,
    string | undefined,
  ];
  const factor = PARTED_UNITS[unit] ?? 1n;
  const scale = 10n ** BigInt(fraction.length);
  return ((BigInt(whole) * scale + BigInt(fraction === "" ? "0" : fraction)) * factor) / scale;
}
