import type { Devices } from "../disk/devices.ts";
import { childPath } from "../disk/path.ts";
import { layoutContents, sortedDisks } from "../disk/place.ts";
import type { BlockDevice, Facts } from "../facts/facts.ts";

/** A reason not to touch a target, found before anything runs. */
export interface Refusal {
  readonly code: string;
  readonly message: string;
}

/** MemTotal is below the installed RAM (the kernel keeps some); 1 GB machines report about 960 MiB. */
export const MINIMUM_MEMORY_BYTES = 900 * 2 ** 20;

/** Every block device with its children, depth first. */
export function flatten(devices: readonly BlockDevice[]): BlockDevice[] {
  return devices.flatMap((device) => [device, ...flatten(device.children)]);
}

/** Where the disk (or anything on it) is in use: mountpoints outside `rootMountpoint`, swap, or holders. */
/** The command that stops a stacked device that holds a disk: an array, a volume, an open LUKS device. */
function freeCommand(device: BlockDevice): string {
  if (device.type === "md" || device.type.startsWith("raid")) return `mdadm --stop ${device.path}`;
  if (device.type === "crypt") return `cryptsetup close ${device.path.replace(/^.*\//, "")}`;
  if (device.type === "lvm") return `lvchange -an ${device.path}`;
  return `dmsetup remove ${device.path}`;
}

export function diskUses(disk: BlockDevice, facts: Facts, rootMountpoint: string): string[] {
  const uses: string[] = [];
  for (const device of flatten([disk])) {
    for (const mount of facts.mounts) {
      if (mount.source !== device.path) continue;
      const underRoot = mount.target === rootMountpoint || mount.target.startsWith(`${rootMountpoint}/`);
      if (!underRoot) uses.push(`${device.path} is mounted at ${mount.target}`);
    }
    if (facts.swaps.includes(device.path)) uses.push(`${device.path} is used as swap`);
    if (
      device !== disk &&
      ["crypt", "lvm", "raid1", "raid0", "raid5", "raid6", "raid10", "md", "dm"].includes(device.type)
    ) {
      uses.push(`${device.path} (${device.type}) is active on it; ${freeCommand(device)} frees it`);
    }
  }
  return uses;
}

/**
 * Why the target cannot take this layout and system, before anything runs: architecture, memory, every
 * declared disk present and not in use. Empty when all is well.
 */
export function checkTarget(
  devices: Devices,
  facts: Facts,
  options: { readonly rootMountpoint: string },
): Refusal[] {
  const refusals: Refusal[] = [];
  if (facts.architecture !== "x86_64") {
    refusals.push({
      code: "GW_TARGET_ARCH",
      message: `the target is ${facts.architecture}; groundwork installs x86-64 (amd64) systems only for now`,
    });
  }
  if (facts.memoryBytes < MINIMUM_MEMORY_BYTES) {
    refusals.push({
      code: "GW_TARGET_MEMORY",
      message: `the target has ${Math.round(facts.memoryBytes / 2 ** 20)} MiB of RAM; installing needs at least 1 GB`,
    });
  }
  const all = flatten(facts.blockDevices);
  for (const [name, disk] of sortedDisks(devices.disk)) {
    const option = `${childPath("disko.devices.disk", name)}.device`;
    const resolved = facts.devices[disk.device] || disk.device;
    const found = all.find((device) => device.path === resolved && device.type === "disk");
    if (found === undefined) {
      const disks = all
        .filter((device) => device.type === "disk")
        .map((device) => `${device.path} (${Math.round(device.size / 2 ** 30)} GiB)`);
      refusals.push({
        code: "GW_TARGET_DISK_MISSING",
        message: `${option}: ${disk.device} is not a disk on the target. Its disks: ${disks.join(", ") || "none"}. Set the device, or pass --disk ${name}=DEVICE`,
      });
      continue;
    }
    if (found.readOnly)
      refusals.push({ code: "GW_TARGET_DISK_READONLY", message: `${option}: ${disk.device} is read-only` });
    const uses = diskUses(found, facts, options.rootMountpoint);
    if (uses.length > 0) {
      refusals.push({
        code: "GW_TARGET_DISK_IN_USE",
        message: `${option}: ${disk.device} is in use (${uses.join("; ")}). Boot a live or rescue system whose disks are free, or use kexec`,
      });
    }
  }
  return refusals;
}

/** The commands the disk and install scripts of this layout run on the target. */
export function requiredTools(devices: Devices): string[] {
  const tools = new Set(["wipefs", "blkid", "lsblk", "findmnt", "blockdev", "tar", "zstd"]);
  for (const { content, planner } of layoutContents(devices))
    for (const tool of planner.tools(content)) tools.add(tool);
  return [...tools].sort();
}

/** Required tools the target lacks: groundwork brings them along. */
export function missingTools(devices: Devices, facts: Facts): string[] {
  return requiredTools(devices).filter((tool) => !facts.tools.includes(tool));
}
