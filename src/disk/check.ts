import type { Problem } from "../errors/index.ts";
import { deviceContentPlanner } from "./content/device-content.ts";
import type { Devices } from "./devices.ts";
import { isSwap, layoutMounts } from "./mounts.ts";
import { childPath, hasControlCharacter } from "./path.ts";
import { diskPlace, sortedDisks } from "./place.ts";
import { parseSize, SIZE_EXAMPLES } from "./size.ts";

/**
 * Checks of a layout that the schema cannot express: sizes, mountpoints, labels, names.
 * Problems carry option paths; the config layer adds the file that set each value.
 */
export function checkLayout(devices: Devices): Problem[] {
  const problems: Problem[] = [];
  const devicesSeen = new Map<string, string>();
  const labelsSeen = new Map<string, string>();

  for (const [name, disk] of sortedDisks(devices.disk)) {
    const path = childPath("disko.devices.disk", name);
    if (hasControlCharacter(name))
      problems.push({ path, message: "a disk name must not contain control characters" });
    if (
      !disk.device.startsWith("/dev/") ||
      hasControlCharacter(disk.device) ||
      disk.device.includes("/../")
    ) {
      problems.push({
        path: `${path}.device`,
        message: `${JSON.stringify(disk.device)} is not a block device path: give one under /dev, e.g. "/dev/sda" or "/dev/disk/by-id/…"`,
      });
    }
    const other = devicesSeen.get(disk.device);
    if (other !== undefined) {
      problems.push({
        path: `${path}.device`,
        message: `${disk.device} is also the device of disk ${other}`,
      });
    }
    devicesSeen.set(disk.device, name);
    if (disk.imageSize !== undefined) {
      const size = parseSize(disk.imageSize);
      if (size?.kind !== "bytes") {
        problems.push({
          path: `${path}.imageSize`,
          message: `${JSON.stringify(disk.imageSize)} is not a size (${SIZE_EXAMPLES.replace(', "100%"', "")})`,
        });
      }
    }
    const content = disk.content;
    if (content === undefined) continue;
    const place = diskPlace(name, disk);
    const planner = deviceContentPlanner(content);
    const contentProblems = planner.check(content, place);
    problems.push(...contentProblems);
    for (const { label } of planner.partitions(content, place)) {
      if (label === undefined) continue;
      const owner = labelsSeen.get(label.value);
      if (owner !== undefined && owner !== name) {
        problems.push({
          path: label.path,
          message: `label ${JSON.stringify(label.value)} is also used on disk ${owner}: partition labels must be unique across disks`,
        });
      }
      labelsSeen.set(label.value, name);
    }
    const imageSize = disk.imageSize === undefined ? undefined : parseSize(disk.imageSize);
    if (contentProblems.length === 0 && imageSize?.kind === "bytes") {
      const needed = planner.minimumBytes(content);
      if (needed > imageSize.bytes) {
        problems.push({
          path: `${path}.imageSize`,
          message: `the partitions need at least ${needed >> 20n} MiB, more than imageSize ${disk.imageSize}: make the disk larger or the partitions smaller`,
        });
      }
    }
  }

  const mountpoints = new Map<string, string>();
  for (const mount of layoutMounts(devices)) {
    if (isSwap(mount)) continue;
    const path = `${mount.path}.mountpoint`;
    const { mountpoint } = mount;
    if (!mountpoint.startsWith("/")) {
      problems.push({
        path,
        message: `${JSON.stringify(mountpoint)} is relative: a mountpoint must be an absolute path such as "/boot"`,
      });
      continue;
    }
    if (hasControlCharacter(mountpoint)) {
      problems.push({ path, message: "a mountpoint must not contain control characters" });
      continue;
    }
    if (mountpoint.split("/").some((segment) => segment === "." || segment === "..")) {
      problems.push({
        path,
        message: `${JSON.stringify(mountpoint)} contains "." or "..": write the path without them`,
      });
      continue;
    }
    if (mountpoint.length > 1 && mountpoint.endsWith("/")) {
      problems.push({
        path,
        message: `${JSON.stringify(mountpoint)} ends with "/": write it without, e.g. ${JSON.stringify(mountpoint.replace(/\/+$/, ""))}`,
      });
      continue;
    }
    const other = mountpoints.get(mountpoint);
    if (other !== undefined) {
      problems.push({
        path,
        message: `${mountpoint} is also the mountpoint of ${other}: each mountpoint can be used once`,
      });
    }
    mountpoints.set(mountpoint, mount.path);
  }
  return problems;
}
