import { deviceContentPlanner } from "./content/device-content.ts";
import type { Devices } from "./devices.ts";
import { aroundHooks, type HookRun, hooksOf } from "./hooks.ts";
import { resolveVolumes, volumePlace } from "./lvm-vg.ts";
import { type Mdadm, mdadmDevice, mdadmPlace } from "./mdadm.ts";
import {
  type FilesystemMount,
  isFilesystem,
  layoutMounts,
  mountedSubvolume,
  mountOrder,
  type SwapMount,
} from "./mounts.ts";
import { childPath } from "./path.ts";
import {
  arrayContents,
  arrayHooks,
  diskContents,
  encryptedIn,
  groupHooks,
  type PlacedContent,
  sortedDisks,
  sortedVolumeGroups,
  stackMembers,
  volumeContents,
} from "./place.ts";
import type { DeviceRef, DiskStep } from "./steps.ts";

/** disko's modes: `disko` is destroy, then format, then mount. */
export const DISK_MODES = ["destroy", "format", "mount", "unmount", "disko"] as const;
export type DiskMode = (typeof DISK_MODES)[number];

export interface DiskPlanOptions {
  /** Where the layout's `/` is mounted; `/mnt` by default. */
  readonly rootMountpoint: string;
}

/** `/mnt` + `/boot` → `/mnt/boot`; `/mnt` + `/` → `/mnt`. */
export function underRoot(rootMountpoint: string, mountpoint: string): string {
  const root = rootMountpoint === "/" ? "" : rootMountpoint.replace(/\/+$/, "");
  if (mountpoint === "/") return root === "" ? "/" : root;
  return `${root}${mountpoint}`;
}

function checkSteps(devices: Devices, mode: DiskMode, options: DiskPlanOptions): DiskStep[] {
  return sortedDisks(devices.disk).flatMap(([name, disk]): DiskStep[] => {
    const skipped = mode === "destroy" && !disk.destroy;
    if (skipped) return [];
    const content = disk.content;
    const steps: DiskStep[] = [
      {
        kind: "check-disk",
        id: `check:disk.${name}`,
        description: `check that ${disk.device} is a disk large enough for the layout of disk ${name}`,
        destroys: false,
        disk: disk.device,
        device: disk.device,
        minimumBytes: content === undefined ? 0 : Number(deviceContentPlanner(content).minimumBytes(content)),
      },
    ];
    if (mode === "destroy" || mode === "disko") {
      steps.push({
        kind: "check-unused",
        id: `check-unused:disk.${name}`,
        description: `check that nothing on ${disk.device} is in use outside ${options.rootMountpoint}`,
        destroys: false,
        disk: disk.device,
        device: disk.device,
        rootMountpoint: options.rootMountpoint,
      });
    }
    return steps;
  });
}

function destroySteps(devices: Devices, options: DiskPlanOptions): DiskStep[] {
  return sortedDisks(devices.disk)
    .filter(([, disk]) => disk.destroy)
    .map(([name, disk]) => ({
      kind: "destroy-disk",
      id: `destroy:disk.${name}`,
      description: `unmount and wipe ${disk.device}: every partition, filesystem signature and partition table on it`,
      destroys: true,
      disk: disk.device,
      device: disk.device,
      rootMountpoint: options.rootMountpoint,
    }));
}

/** The arrays by name, each with its members' devices, in disko's order. */
function arrays(devices: Devices): { name: string; array: Mdadm; members: DeviceRef[] }[] {
  const members = stackMembers(devices, "mdraid");
  return Object.entries(devices.mdadm)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, array]) => ({
      name,
      array,
      members: (members.get(name) ?? []).map((member) => member.device),
    }));
}

function formatSteps(devices: Devices): DiskStep[] {
  // Each device's create hooks run around its steps and those of what it holds.
  const steps = diskContents(devices).flatMap(({ content, place, planner, hooks }) =>
    aroundHooks(hooks, "Create", place.disk, planner.format(content, place)),
  );
  // Arrays once their members exist, then what each holds.
  for (const { name, array, members } of arrays(devices)) {
    const device = mdadmDevice(name);
    const arraySteps: DiskStep[] = [];
    arraySteps.push({
      kind: "mdadm-create",
      id: `mdadm:${name}`,
      description: `create the RAID${array.level} array ${device} of ${members.length} devices, unless they are members already`,
      destroys: false,
      disk: device,
      device,
      name,
      level: array.level,
      metadata: array.metadata,
      members,
      extraArgs: array.extraArgs,
    });
    if (array.content !== undefined)
      arraySteps.push(...deviceContentPlanner(array.content).format(array.content, mdadmPlace(name)));
    steps.push(...aroundHooks(arrayHooks(name, array), "Create", device, arraySteps));
  }
  // Volume groups once their physical volumes exist (on disks or arrays), then their volumes and what they hold.
  const pvs = stackMembers(devices, "lvm_pv");
  for (const [vg, group] of sortedVolumeGroups(devices)) {
    const groupSteps: DiskStep[] = [];
    groupSteps.push({
      kind: "lvm-vg",
      id: `lvm_vg:${vg}`,
      description: `create the volume group ${vg} of ${pvs.get(vg)?.length ?? 0} physical volumes, unless it exists`,
      destroys: false,
      disk: `/dev/${vg}`,
      vg,
      pvs: (pvs.get(vg) ?? []).map((member) => member.device),
    });
    for (const resolved of resolveVolumes(vg, group)) {
      groupSteps.push({
        kind: "lvm-lv",
        id: `lvm_lv:${vg}/${resolved.name}`,
        description: `create the ${resolved.volume.lvm_type ?? "linear"} volume ${vg}/${resolved.name} (${resolved.size}), unless it exists`,
        destroys: false,
        disk: `/dev/${vg}`,
        vg,
        lv: resolved.name,
        sizeFlag: resolved.sizeFlag,
        size: resolved.size,
        lvmType: resolved.volume.lvm_type,
        pool: resolved.volume.pool,
        extraArgs: resolved.volume.extraArgs,
      });
      const content = resolved.volume.content;
      if (content !== undefined)
        groupSteps.push(...deviceContentPlanner(content).format(content, volumePlace(vg, resolved)));
    }
    steps.push(...aroundHooks(groupHooks(vg, group), "Create", `/dev/${vg}`, groupSteps));
  }
  // A nodev filesystem is created by mounting it: only its create hooks run here.
  for (const mount of layoutMounts(devices))
    if (mount.kind === "nodev")
      steps.push(...aroundHooks(nodevCreateHooks(devices, mount.path), "Create", undefined, []));
  return steps;
}

/** The create hooks of the nodev filesystem declared at `path`. */
function nodevCreateHooks(devices: Devices, path: string): HookRun[] {
  const [name, nodev] =
    Object.entries(devices.nodev).find(([key]) => childPath("disko.devices.nodev", key) === path) ?? [];
  return name === undefined
    ? []
    : hooksOf(nodev, path, undefined).filter((run) => run.hook.endsWith("CreateHook"));
}

/** Volume groups are activated (`up`) before anything on them is mounted, deactivated after. */
function activateSteps(devices: Devices, up: boolean): DiskStep[] {
  return sortedVolumeGroups(devices).map(([vg]) => ({
    kind: "lvm-activate",
    id: `${up ? "activate" : "deactivate"}:${vg}`,
    description: `${up ? "activate" : "deactivate"} the volumes of ${vg}${up ? "" : ", if it is active"}`,
    destroys: false,
    disk: `/dev/${vg}`,
    vg,
    up,
  }));
}

/** Arrays are assembled before anything on them is mounted (after a restart, a rescue system may not have). */
function assembleSteps(devices: Devices): DiskStep[] {
  return arrays(devices).map(({ name, members }) => ({
    kind: "mdadm-assemble",
    id: `assemble:${name}`,
    description: `assemble the array ${mdadmDevice(name)}, unless it runs`,
    destroys: false,
    disk: mdadmDevice(name),
    device: mdadmDevice(name),
    members,
  }));
}

/** LUKS devices are opened before anything on them is assembled, activated or mounted. */
function openSteps(contents: readonly PlacedContent[]): DiskStep[] {
  return encryptedIn(contents).map((encrypted) => ({
    kind: "luks-open",
    id: `unlock:${encrypted.path}`,
    description: `open the LUKS device ${encrypted.name}, unless it is open`,
    destroys: false,
    disk: encrypted.disk,
    device: encrypted.device,
    name: encrypted.name,
    key: encrypted.key,
    openArgs: encrypted.openArgs,
  }));
}

/** LUKS devices are closed once nothing on them is in use, inner before outer. */
function closeSteps(contents: readonly PlacedContent[]): DiskStep[] {
  return encryptedIn(contents)
    .reverse()
    .map((encrypted) => ({
      kind: "luks-close",
      id: `lock:${encrypted.path}`,
      description: `close the LUKS device ${encrypted.name}, if it is open`,
      destroys: false,
      disk: encrypted.disk,
      name: encrypted.name,
    }));
}

function mountDevice(mount: FilesystemMount): DeviceRef {
  return mount.kind === "nodev" ? { kind: "path", path: mount.source } : mount.device;
}

/** ` subvolume rootfs` for a btrfs subvolume's mount, or nothing. */
function subvolumeOf(options: readonly string[]): string {
  const subvolume = mountedSubvolume(options);
  return subvolume === undefined ? "" : ` subvolume ${subvolume.slice(1)}`;
}

/** A swap partition's device, or a swap file below the root mountpoint. */
function swapDevice(mount: SwapMount, options: DiskPlanOptions): DeviceRef {
  return mount.kind === "swap"
    ? mount.device
    : { kind: "path", path: underRoot(options.rootMountpoint, mount.file) };
}

function mountSteps(devices: Devices, options: DiskPlanOptions): DiskStep[] {
  const mounts = layoutMounts(devices);
  const filesystems = mountOrder(mounts.filter(isFilesystem));
  // Layer by layer, as they stack: disks, arrays on them, volume groups on either.
  const steps: DiskStep[] = [
    ...openSteps(diskContents(devices)),
    ...assembleSteps(devices),
    ...openSteps(arrayContents(devices)),
    ...activateSteps(devices, true),
    ...openSteps(volumeContents(devices)),
  ];
  steps.push(
    ...filesystems.flatMap((mount): DiskStep[] =>
      aroundHooks(mount.hooks ?? [], "Mount", mount.disk, [
        {
          kind: "mount",
          id: `mount:${mount.mountpoint}`,
          description: `mount ${mount.fsType}${subvolumeOf(mount.options)} at ${underRoot(options.rootMountpoint, mount.mountpoint)}, unless it is mounted`,
          destroys: false,
          disk: mount.disk,
          device: mountDevice(mount),
          fsType: mount.fsType,
          mountpoint: mount.mountpoint,
          target: underRoot(options.rootMountpoint, mount.mountpoint),
          options: mount.options,
        },
      ]),
    ),
  );
  for (const mount of mounts) {
    if (mount.kind !== "swap" && mount.kind !== "swapfile") continue;
    // A randomly encrypted swap exists only on the installed system, under a key made at its boot.
    if (mount.kind === "swap" && mount.randomEncryption !== undefined) continue;
    steps.push(
      ...aroundHooks(mount.hooks ?? [], "Mount", mount.disk, [
        {
          kind: "swapon",
          id: `swapon:${mount.path}`,
          description:
            mount.kind === "swap"
              ? "activate the swap space, unless it is active"
              : `activate the swap file ${underRoot(options.rootMountpoint, mount.file)}, unless it is active`,
          destroys: false,
          disk: mount.disk,
          device: swapDevice(mount, options),
          options: mount.options,
          priority: mount.priority,
          discardPolicy: mount.kind === "swap" ? mount.discardPolicy : undefined,
        },
      ]),
    );
  }
  return steps;
}

function unmountSteps(devices: Devices, options: DiskPlanOptions): DiskStep[] {
  const mounts = layoutMounts(devices);
  const steps: DiskStep[] = mounts.flatMap((mount): DiskStep[] =>
    (mount.kind === "swap" && mount.randomEncryption === undefined) || mount.kind === "swapfile"
      ? aroundHooks(mount.hooks ?? [], "Unmount", mount.disk, [
          {
            kind: "swapoff",
            id: `swapoff:${mount.path}`,
            description: `deactivate the swap ${mount.kind === "swap" ? "space" : "file"}, if it is active`,
            destroys: false,
            disk: mount.disk,
            device: swapDevice(mount, options),
          },
        ])
      : [],
  );
  const filesystems = mountOrder(mounts.filter(isFilesystem)).reverse();
  for (const mount of filesystems) {
    const target = underRoot(options.rootMountpoint, mount.mountpoint);
    steps.push(
      ...aroundHooks(mount.hooks ?? [], "Unmount", mount.disk, [
        {
          kind: "unmount",
          id: `unmount:${mount.mountpoint}`,
          description: `unmount ${target}, if it is mounted`,
          destroys: false,
          disk: mount.disk,
          target,
        },
      ]),
    );
  }
  steps.push(...closeSteps(volumeContents(devices)), ...activateSteps(devices, false));
  steps.push(...closeSteps(arrayContents(devices)));
  // Arrays stop once nothing on them is mounted, so that the disks can be taken away or rebooted cleanly.
  for (const { name } of arrays(devices)) {
    steps.push({
      kind: "mdadm-stop",
      id: `stop:${name}`,
      description: `stop the array ${mdadmDevice(name)}, if it runs`,
      destroys: false,
      disk: mdadmDevice(name),
      device: mdadmDevice(name),
    });
  }
  steps.push(...closeSteps(diskContents(devices)));
  return steps;
}

/** The steps of one mode, in order. Pure: the layout must have passed `checkLayout`. */
export function planDiskMode(devices: Devices, mode: DiskMode, options: DiskPlanOptions): DiskStep[] {
  switch (mode) {
    case "destroy":
      return [...checkSteps(devices, mode, options), ...destroySteps(devices, options)];
    case "format":
      return [...checkSteps(devices, mode, options), ...formatSteps(devices)];
    case "mount":
      return mountSteps(devices, options);
    case "unmount":
      return unmountSteps(devices, options);
    case "disko":
      return [
        ...checkSteps(devices, mode, options),
        ...destroySteps(devices, options),
        ...formatSteps(devices),
        ...mountSteps(devices, options),
      ];
  }
}
