import { type DeviceContent, deviceContentPlanner } from "./content/device-content.ts";
import type { ContentPlanner, EncryptedDevice, Place, StackMember } from "./content/planner.ts";
import type { Devices } from "./devices.ts";
import { type Disk, diskLabelName } from "./disk.ts";
import { type HookRun, hooksOf } from "./hooks.ts";
import { resolveVolumes, type VolumeGroup, volumePlace } from "./lvm-vg.ts";
import { type Mdadm, mdadmDevice, mdadmPlace } from "./mdadm.ts";
import { childPath } from "./path.ts";

/** The place of a disk's own content: the whole disk. */
export function diskPlace(name: string, disk: Disk): Place {
  return {
    device: { kind: "path", path: disk.device },
    disk: disk.device,
    diskName: diskLabelName(name, disk),
    labelPrefix: `disk-${diskLabelName(name, disk)}`,
    byPartlabel: true,
    path: `${childPath("disko.devices.disk", name)}.content`,
  };
}

/** Disks by name, in disko's order (alphabetical). */
export function sortedDisks(disks: Readonly<Record<string, Disk>>): [string, Disk][] {
  return Object.entries(disks).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A disk's content with its place and its planner: what shared code asks its questions of. */
export interface PlacedContent {
  readonly content: DeviceContent;
  readonly place: Place;
  readonly planner: ContentPlanner<DeviceContent>;
  /** The hooks of the top-level device that holds it (the disk, the array, the volume group). */
  readonly hooks: readonly HookRun[];
}

/** The hooks of a disk, an array or a volume group. */
export function diskHooks(name: string, disk: Disk): HookRun[] {
  return hooksOf(disk, childPath("disko.devices.disk", name), { kind: "path", path: disk.device });
}
export function arrayHooks(name: string, array: Mdadm): HookRun[] {
  return hooksOf(array, childPath("disko.devices.mdadm", name), { kind: "path", path: mdadmDevice(name) });
}
export function groupHooks(vg: string, group: VolumeGroup): HookRun[] {
  return hooksOf(group, childPath("disko.devices.lvm_vg", vg), undefined);
}

/** The content of every disk that has some, in disko's order. */
export function diskContents(devices: Devices): PlacedContent[] {
  return sortedDisks(devices.disk).flatMap(([name, disk]) =>
    disk.content === undefined
      ? []
      : [
          {
            content: disk.content,
            place: diskPlace(name, disk),
            planner: deviceContentPlanner(disk.content),
            hooks: diskHooks(name, disk),
          },
        ],
  );
}

/** The content of every array that has some, by name. */
export function arrayContents(devices: Devices): PlacedContent[] {
  return Object.entries(devices.mdadm)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([name, array]) =>
      array.content === undefined
        ? []
        : [
            {
              content: array.content,
              place: mdadmPlace(name),
              planner: deviceContentPlanner(array.content),
              hooks: arrayHooks(name, array),
            },
          ],
    );
}

/** Volume groups by name, in disko's order. */
export function sortedVolumeGroups(devices: Devices): [string, VolumeGroup][] {
  return Object.entries(devices.lvm_vg).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The content of every logical volume that has some, in creation order. */
export function volumeContents(devices: Devices): PlacedContent[] {
  return sortedVolumeGroups(devices).flatMap(([vg, group]) =>
    resolveVolumes(vg, group).flatMap((resolved) => {
      const content = resolved.volume.content;
      return content === undefined
        ? []
        : [
            {
              content,
              place: volumePlace(vg, resolved),
              planner: deviceContentPlanner(content),
              hooks: groupHooks(vg, group),
            },
          ];
    }),
  );
}

/** The content of every disk, array and logical volume: everything that holds filesystems. */
export function layoutContents(devices: Devices): PlacedContent[] {
  return [...diskContents(devices), ...arrayContents(devices), ...volumeContents(devices)];
}

/** The members of each array (`mdraid`) or volume group (`lvm_pv`), by its name, in disko's disk order. */
export function stackMembers(devices: Devices, kind: StackMember["kind"]): Map<string, StackMember[]> {
  const members = new Map<string, StackMember[]>();
  for (const { content, place, planner } of layoutContents(devices))
    for (const member of planner.members(content, place))
      if (member.kind === kind) members.set(member.name, [...(members.get(member.name) ?? []), member]);
  return members;
}

/** The LUKS devices that `contents` hold, in their order, outer before inner. */
export function encryptedIn(contents: readonly PlacedContent[]): EncryptedDevice[] {
  return contents.flatMap(({ content, place, planner }) => planner.encrypted(content, place));
}
