import { biosBootDevices } from "../disk/boot.ts";
import { type CrypttabEntry, crypttabEntries } from "../disk/crypttab.ts";
import type { Devices } from "../disk/devices.ts";
import { type FstabEntry, fstabEntries } from "../disk/fstab.ts";
import { type DiskMode, type DiskPlanOptions, planDiskMode } from "../disk/modes.ts";
import { sortedDisks } from "../disk/place.ts";
import type { DiskStep } from "../disk/steps.ts";
import { InternalError } from "../errors/index.ts";

/** A disk plan: versioned, serializable data that `render` turns into a script and `ui` into text. */
export interface DiskPlan {
  readonly version: 1;
  readonly mode: DiskMode;
  readonly rootMountpoint: string;
  /** Disk names by device path, for showing steps per device. */
  readonly disks: Readonly<Record<string, string>>;
  readonly steps: readonly DiskStep[];
  readonly fstab: readonly FstabEntry[];
  /** The LUKS devices the installed system opens at boot. */
  readonly crypttab: readonly CrypttabEntry[];
  /** Where GRUB goes for BIOS boot: disks with a BIOS boot (EF02) partition. */
  readonly biosBootDevices: readonly string[];
}

/** Plan one mode of the layout in `config.disko.devices`. The layout must have passed its checks. */
export function planDisk(
  config: { readonly disko: { readonly devices: Devices } },
  mode: DiskMode,
  options: DiskPlanOptions,
): DiskPlan {
  // The CLI refuses such a root already; a plan for / itself would unmount the running system and no longer
  // see its disk as in use, whoever asks for it.
  if (
    !/^(\/[^/\0]+)+$/.test(options.rootMountpoint) ||
    options.rootMountpoint.split("/").some((part) => part === "." || part === "..")
  )
    throw new InternalError(
      `a disk plan needs a normalized root mountpoint other than /, not ${JSON.stringify(options.rootMountpoint)}`,
    );
  const devices = config.disko.devices;
  return {
    version: 1,
    mode,
    rootMountpoint: options.rootMountpoint,
    disks: Object.fromEntries(sortedDisks(devices.disk).map(([name, disk]) => [disk.device, name])),
    steps: planDiskMode(devices, mode, options),
    fstab: fstabEntries(devices),
    crypttab: crypttabEntries(devices),
    biosBootDevices: biosBootDevices(devices),
  };
}
