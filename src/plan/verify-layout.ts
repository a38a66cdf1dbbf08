import { resolvePartitions } from "../disk/content/gpt.ts";
import type { Devices } from "../disk/devices.ts";
import { isSwap, layoutMounts, mountedSubvolume } from "../disk/mounts.ts";
import { childPath } from "../disk/path.ts";
import { sortedDisks } from "../disk/place.ts";
import { TYPE_GUIDS } from "../disk/type-guids.ts";
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
    const content = disk.content;
    if (content?.type !== "gpt") continue;
    const partitions = resolvePartitions(content, name, childPath("disko.devices.disk", name));
    if (found.children.length !== partitions.length) {
      problems.push(`disk ${name}: ${found.children.length} partitions, the layout has ${partitions.length}`);
    }
    for (const partition of partitions) {
      const observedPartition = byLabel.get(partition.label);
      if (observedPartition === undefined) {
        problems.push(`partition ${partition.name}: no partition labelled ${partition.label}`);
        continue;
      }
      const guid = TYPE_GUIDS[partition.typeCode];
      if (guid !== undefined && observedPartition.partType?.toLowerCase() !== guid) {
        problems.push(
          `partition ${partition.name}: type ${observedPartition.partType}, the layout says ${partition.typeCode} (${guid})`,
        );
      }
      const fs = partition.partition.content;
      const expected =
        fs?.type === "filesystem"
          ? fs.format
          : fs?.type === "btrfs" || fs?.type === "swap"
            ? fs.type
            : undefined;
      if (expected !== undefined && observedPartition.fsType !== expected) {
        problems.push(
          `partition ${partition.name}: holds ${observedPartition.fsType ?? "nothing"}, the layout says ${expected}`,
        );
      }
    }
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
