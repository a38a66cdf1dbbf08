import type { Devices } from "./devices.ts";
import { arrayContents, diskContents, stackMembers } from "./place.ts";

/** Disk devices that GRUB must be installed on for BIOS boot: those with a BIOS boot partition. */
export function biosBootDevices(devices: Devices): string[] {
  return diskContents(devices)
    .filter(({ content, place, planner }) => planner.bootRoles(content, place).biosBoot)
    .map(({ place }) => place.disk);
}

/**
 * Where the first EFI system partition with a mountpoint is mounted, if the layout has one: a partition, or
 * an mdadm array whose members are EFI system partitions (checked in check.ts to be a RAID1 with its
 * superblock at the end, which firmware reads member by member as plain FAT).
 */
export function espMountpoint(devices: Devices): string | undefined {
  const partitions = diskContents(devices).flatMap(
    ({ content, place, planner }) => planner.bootRoles(content, place).espMountpoints,
  );
  const members = stackMembers(devices, "mdraid");
  const mirrored = arrayContents(devices).flatMap(({ content, place, planner }) => {
    const esp = (members.get(place.diskName) ?? []).some((member) => member.esp === true);
    if (!esp) return [];
    const mount = planner.mounts(content, place).find((entry) => entry.kind === "filesystem");
    return mount === undefined ? [] : [mount.mountpoint];
  });
  return [...partitions, ...mirrored][0];
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
