import type { Place } from "./content/planner.ts";
import type { Disk } from "./disk.ts";
import { childPath } from "./path.ts";

/** The place of a disk's own content: the whole disk. */
export function diskPlace(name: string, disk: Disk): Place {
  return {
    device: { kind: "path", path: disk.device },
    disk: disk.device,
    diskName: name,
    path: `${childPath("disko.devices.disk", name)}.content`,
  };
}

/** Disks by name, in disko's order (alphabetical). */
export function sortedDisks(disks: Readonly<Record<string, Disk>>): [string, Disk][] {
  return Object.entries(disks).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
