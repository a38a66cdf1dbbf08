import { biosBootProblems, espMountpoint } from "../disk/boot.ts";
import type { Problem } from "../errors/index.ts";
import type { Config } from "./schema.ts";

/**
 * The boot loader must find what it needs in the layout: an ESP for EFI, a BIOS boot partition for BIOS; the
 * initramfs's SSH server, its network and keys.
 */
export function checkBoot(config: Config): Problem[] {
  const grub = config.boot.loader.grub;
  const devices = config.disko.devices;
  const problems: Problem[] = initrdSshProblems(config);
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

/** SSH in the initramfs needs its network, a key to let in, and (for now) the host key groundwork makes. */
function initrdSshProblems(config: Config): Problem[] {
  const network = config.boot.initrd.network;
  if (!network.ssh.enable) return [];
  const problems: Problem[] = [];
  if (!network.enable)
    problems.push({
      path: "boot.initrd.network.ssh.enable",
      message: "the initramfs's SSH server needs its network: set boot.initrd.network.enable = true as well",
    });
  if (initrdAuthorizedKeys(config).length === 0)
    problems.push({
      path: "boot.initrd.network.ssh.authorizedKeys",
      message:
        "nobody could log in to unlock the disks: give the public keys here, or in users.users.root.openssh.authorizedKeys.keys",
    });
  if (network.ssh.hostKeys.length > 0)
    problems.push({
      path: "boot.initrd.network.ssh.hostKeys",
      message:
        "host keys of your own are not supported yet: remove them; groundwork makes an ed25519 key for the initramfs at install and records it for groundwork unlock",
    });
  return problems;
}

/** The keys allowed into the initramfs: its own list, else root's. */
export function initrdAuthorizedKeys(config: Config): readonly string[] {
  return (
    config.boot.initrd.network.ssh.authorizedKeys ??
    config.users.users.root?.openssh.authorizedKeys.keys ??
    []
  );
}
