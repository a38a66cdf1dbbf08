import { UsageError } from "../errors/index.ts";

/** Collects repeated `--disk NAME=DEVICE` options into a map. */
export function collectDiskDevice(
  value: string,
  previous: Record<string, string> = {},
): Record<string, string> {
  const match = /^([^=]+)=(\/.+)$/.exec(value);
  if (match === null) {
    throw new UsageError(`--disk ${JSON.stringify(value)}: expected NAME=DEVICE, e.g. --disk main=/dev/vdb`);
  }
  const [, name, device] = match as unknown as [string, string, string];
  if (previous[name] !== undefined && previous[name] !== device) {
    throw new UsageError(`--disk ${name} is given twice, as ${previous[name]} and ${device}`);
  }
  return { ...previous, [name]: device };
}
