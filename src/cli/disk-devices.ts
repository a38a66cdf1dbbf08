import { displayValue, hasControlCharacter, UsageError } from "../errors/index.ts";
import { absolutePathProblem } from "./flag-values.ts";

/** Collects repeated `--disk NAME=DEVICE` options into a map; DEVICE is a plain absolute path. */
export function collectDiskDevice(
  value: string,
  previous: Record<string, string> = {},
): Record<string, string> {
  const equals = value.indexOf("=");
  const name = value.slice(0, equals);
  const device = value.slice(equals + 1);
  if (equals < 1 || hasControlCharacter(name) || /\s/u.test(name)) {
    throw new UsageError(`--disk ${displayValue(value)}: expected NAME=DEVICE, e.g. --disk main=/dev/vdb`);
  }
  const problem = absolutePathProblem(device);
  if (problem !== undefined) {
    throw new UsageError(
      `--disk ${displayValue(value)}: the device ${problem}; write NAME=DEVICE with the device's absolute path, e.g. --disk ${name}=/dev/vdb`,
    );
  }
  const before = Object.hasOwn(previous, name) ? previous[name] : undefined;
  if (before !== undefined && before !== device) {
    throw new UsageError(`--disk ${name} is given twice, as ${before} and ${device}`);
  }
  return { ...previous, [name]: device };
}
