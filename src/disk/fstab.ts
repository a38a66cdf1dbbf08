import type { Devices } from "./devices.ts";
import { isFilesystem, layoutMounts, mountOrder } from "./mounts.ts";
import type { DeviceRef } from "./steps.ts";

/** How fstab names a device: by GPT partition label (known now) or by filesystem UUID (known once formatted). */
export type FstabSource =
  | { readonly kind: "partlabel"; readonly label: string }
  | { readonly kind: "uuid"; readonly device: DeviceRef }
  | { readonly kind: "spec"; readonly spec: string };

export interface FstabEntry {
  readonly source: FstabSource;
  /** `none` for swap. */
  readonly mountpoint: string;
  readonly fsType: string;
  readonly options: readonly string[];
  readonly pass: 0 | 1 | 2;
}

/** fstab separates fields by whitespace: a space, tab, newline or backslash in a field is written in octal. */
export function fstabEscape(field: string): string {
  return field.replace(
    /[\\ \t\n]/g,
    (character) => `\\${character.charCodeAt(0).toString(8).padStart(3, "0")}`,
  );
}

function sourceOf(device: DeviceRef): FstabSource {
  if (device.kind === "partition" && device.label !== undefined)
    return { kind: "partlabel", label: device.label };
  return { kind: "uuid", device };
}

function passOf(mountpoint: string, fsType: string): 0 | 1 | 2 {
  if (!["ext2", "ext3", "ext4", "vfat"].includes(fsType)) return 0;
  return mountpoint === "/" ? 1 : 2;
}

/** The fstab of a layout: filesystems parents first, then swap spaces. */
export function fstabEntries(devices: Devices): FstabEntry[] {
  const mounts = layoutMounts(devices);
  const entries: FstabEntry[] = [];
  for (const mount of mountOrder(mounts.filter(isFilesystem))) {
    entries.push({
      source: mount.kind === "nodev" ? { kind: "spec", spec: mount.source } : sourceOf(mount.device),
      mountpoint: mount.mountpoint,
      fsType: mount.fsType,
      options: mount.options,
      pass: passOf(mount.mountpoint, mount.fsType),
    });
  }
  for (const mount of mounts) {
    if (mount.kind !== "swap" && mount.kind !== "swapfile") continue;
    const options = mount.options.filter((option) => option !== "defaults");
    if (mount.priority !== undefined) options.push(`pri=${mount.priority}`);
    if (mount.kind === "swap" && mount.discardPolicy !== undefined)
      options.push(mount.discardPolicy === "both" ? "discard" : `discard=${mount.discardPolicy}`);
    entries.push({
      source:
        mount.kind === "swapfile"
          ? { kind: "spec", spec: mount.file }
          : mount.randomEncryption !== undefined
            ? { kind: "spec", spec: `/dev/mapper/${mount.randomEncryption}` }
            : sourceOf(mount.device),
      mountpoint: "none",
      fsType: "swap",
      options: options.length === 0 ? ["defaults"] : options,
      pass: 0,
    });
  }
  return entries;
}

/** One fstab line; `uuid` gives the filesystem UUID of a device that has no partition label. */
export function formatFstabLine(entry: FstabEntry, uuid: (device: DeviceRef) => string): string {
  const source =
    entry.source.kind === "partlabel"
      ? `PARTLABEL=${entry.source.label}`
      : entry.source.kind === "uuid"
        ? `UUID=${uuid(entry.source.device)}`
        : entry.source.spec;
  return [source, entry.mountpoint, entry.fsType, entry.options.join(","), "0", String(entry.pass)]
    .map(fstabEscape)
    .join(" ");
}
