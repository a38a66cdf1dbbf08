import { deviceContentPlanner } from "../disk/content/device-content.ts";
import type { ExpectedPartition } from "../disk/content/planner.ts";
import type { Devices } from "../disk/devices.ts";
import { isSwap, layoutMounts, mountedSubvolume } from "../disk/mounts.ts";
import { diskPlace, sortedDisks } from "../disk/place.ts";
import type { ObservedDevice, ObservedSystem } from "../facts/observed.ts";

/**
 * Compare an installed machine with its configuration: every declared partition there with its label, type
 * and filesystem, every filesystem mounted where declared, the host name. Returns what differs.
 */
export function verifyInstalled(
  devices: Devices,
  hostName: string,
  observed: ObservedSystem,
  diskDevices: Readonly<Record<string, string>>,
): string[] {
  const problems: string[] = [];
  if (observed.hostName !== hostName)
    problems.push(`host name is ${JSON.stringify(observed.hostName)}, not ${JSON.stringify(hostName)}`);
  const byLabel = new Map<string, ObservedDevice>();
  for (const disk of observed.devices)
    for (const child of disk.children) if (child.partLabel !== undefined) byLabel.set(child.partLabel, child);

  for (const [name, disk] of sortedDisks(devices.disk)) {
    const device = diskDevices[name] ?? disk.device;
    const found = observed.devices.find((candidate) => candidate.path === device);
    if (found === undefined) {
      problems.push(`disk ${name}: ${device} is missing`);
      continue;
    }
    if (disk.content === undefined) continue;
    const expected = deviceContentPlanner(disk.content).partitions(disk.content, diskPlace(name, disk));
    problems.push(...comparePartitions(name, found, expected, byLabel));
  }

  for (const mount of layoutMounts(devices)) {
    if (isSwap(mount)) continue;
    const found = observed.mounts.find((candidate) => candidate.target === mount.mountpoint);
    if (found === undefined) problems.push(`${mount.mountpoint} is not mounted`);
    else if (found.fsType !== mount.fsType)
      problems.push(`${mount.mountpoint} is ${found.fsType}, the layout says ${mount.fsType}`);
    else if (mount.fsType === "btrfs") {
      const subvolume = mountedSubvolume(mount.options);
      if (found.fsRoot !== (subvolume ?? "/"))
        problems.push(
          `${mount.mountpoint} is the btrfs subvolume ${found.fsRoot}, the layout says ${subvolume ?? "the top level"}`,
        );
    }
  }
  const swaps = layoutMounts(devices).filter(isSwap).length;
  if (observed.swaps.length < swaps)
    problems.push(`${observed.swaps.length} swap spaces active, the layout has ${swaps}`);
  return problems;
}

/** A partition's number from its kernel name: `vda2` and `nvme0n1p2` are partition 2 of `vda` and `nvme0n1`. */
function partitionNumber(disk: ObservedDevice, partition: ObservedDevice): number | undefined {
  const number = /^p?(\d+)$/.exec(partition.name.slice(disk.name.length))?.[1];
  return partition.name.startsWith(disk.name) && number !== undefined ? Number(number) : undefined;
}

/** How the partitions of disk `name` differ from those its content declares: number, type and filesystem. */
function comparePartitions(
  name: string,
  disk: ObservedDevice,
  expected: readonly ExpectedPartition[],
  byLabel: ReadonlyMap<string, ObservedDevice>,
): string[] {
  const problems: string[] = [];
  const partitions = disk.children.filter((child) => child.type === "part");
  if (partitions.length !== expected.length)
    problems.push(`disk ${name}: ${partitions.length} partitions, the layout has ${expected.length}`);
  for (const partition of expected) {
    // A label finds the partition on any disk (labels are unique); without one, its number on this disk does.
    const found =
      partition.label === undefined
        ? partitions.find((child) => partitionNumber(disk, child) === partition.number)
        : byLabel.get(partition.label.value);
    if (found === undefined) {
      problems.push(
        partition.label === undefined
          ? `partition ${partition.name}: not on ${disk.path}`
          : `partition ${partition.name}: no partition labelled ${partition.label.value}`,
      );
      continue;
    }
    const { partType, fsType } = partition;
    if (partType !== undefined && found.partType?.toLowerCase() !== partType.id)
      problems.push(
        `partition ${partition.name}: type ${found.partType}, the layout says ${partType.declared}`,
      );
    if (fsType !== undefined && found.fsType !== fsType)
      problems.push(
        `partition ${partition.name}: holds ${found.fsType ?? "nothing"}, the layout says ${fsType}`,
      );
  }
  return problems;
}
