import type { Devices } from "./devices.ts";
import { diskContents } from "./place.ts";

/** Disk devices that GRUB must be installed on for BIOS boot: those with a BIOS boot partition. */
export function biosBootDevices(devices: Devices): string[] {
  return diskContents(devices)
    .filter(({ content, place, planner }) => planner.bootRoles(content, place).biosBoot)
    .map(({ place }) => place.disk);
}

/** Where the first EFI system partition with a mountpoint is mounted, if the layout has one. */
export function espMountpoint(devices: Devices): string | undefined {
  return diskContents(devices).flatMap(
    ({ content, place, planner }) => planner.bootRoles(content, place).espMountpoints,
  )[0];
}

/** Why GRUB for BIOS cannot be installed on a disk as declared (a GPT without a BIOS boot partition), by device path. */
export function biosBootProblems(devices: Devices): Map<string, string> {
  const problems = new Map<string, string>();
  for (const { content, place, planner } of diskContents(devices)) {
    const problem = planner.bootRoles(content, place).biosBootProblem;
    if (problem !== undefined) problems.set(place.disk, problem);
  }
  return problems;
}
