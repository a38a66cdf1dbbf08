import { biosBootDevices, espMountpoint } from "../disk/mounts.ts";
import type { Problem } from "../errors/index.ts";
import type { Config } from "./schema.ts";

/** The boot loader must find what it needs in the layout: an ESP for EFI, a BIOS boot partition for BIOS. */
export function checkBoot(config: Config): Problem[] {
  const grub = config.boot.loader.grub;
  const devices = config.disko.devices;
  const problems: Problem[] = [];
  // Without disks the configuration is not (yet) one to install; nothing to check against.
  if (Object.keys(devices.disk).length === 0) return problems;
  if (grub.efiSupport && espMountpoint(devices) === undefined) {
    problems.push({
      path: "boot.loader.grub.efiSupport",
      message:
        'GRUB for EFI needs an EFI system partition: add a partition with type "EF00" holding a vfat filesystem with a mountpoint (e.g. /boot)',
    });
  }
  const gptDisks = Object.values(devices.disk)
    .filter((disk) => disk.content?.type === "gpt")
    .map((disk) => disk.device);
  const withBiosBoot = biosBootDevices(devices);
  for (const [index, device] of grub.devices.entries()) {
    if (gptDisks.includes(device) && !withBiosBoot.includes(device)) {
      problems.push({
        path: `boot.loader.grub.devices[${index}]`,
        message: `${device} has a GPT without a BIOS boot partition: GRUB cannot be installed there for BIOS; add a 1M partition with type "EF02"`,
      });
    }
  }
  if (grub.efiInstallAsRemovable && !grub.efiSupport) {
    problems.push({
      path: "boot.loader.grub.efiInstallAsRemovable",
      message: "has no effect without efiSupport = true",
    });
  }
  return problems;
}
