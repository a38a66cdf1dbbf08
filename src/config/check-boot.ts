import { biosBootProblems, espMountpoint } from "../disk/boot.ts";
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
  const biosBoot = biosBootProblems(devices);
  for (const [index, device] of grub.devices.entries()) {
    const message = biosBoot.get(device);
    if (message !== undefined) problems.push({ path: `boot.loader.grub.devices[${index}]`, message });
  }
  if (grub.efiInstallAsRemovable && !grub.efiSupport) {
    problems.push({
      path: "boot.loader.grub.efiInstallAsRemovable",
      message: "has no effect without efiSupport = true",
    });
  }
  return problems;
}
