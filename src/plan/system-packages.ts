import { crypttabEntries } from "../disk/crypttab.ts";
import type { Devices } from "../disk/devices.ts";
import { isSwap, layoutMounts } from "../disk/mounts.ts";

/** What every installed system has: a kernel, systemd, the network, GRUB for BIOS and EFI, OpenSSH. */
export const BASE_PACKAGES = [
  "linux-image-amd64",
  "initramfs-tools",
  "systemd-sysv",
  "systemd-resolved",
  "udev",
  "kmod",
  "iproute2",
  "grub2-common",
  "grub-pc-bin",
  "grub-efi-amd64-bin",
  "efibootmgr",
  "e2fsprogs",
  "openssh-server",
  "sudo",
] as const;

/** Debian packages that check and repair each filesystem at boot. */
const FILESYSTEM_PACKAGES: Readonly<Record<string, string>> = {
  vfat: "dosfstools",
  xfs: "xfsprogs",
  btrfs: "btrfs-progs",
  f2fs: "f2fs-tools",
  exfat: "exfatprogs",
};

export interface PackageInputs {
  readonly devices: Devices;
  readonly systemPackages: readonly string[];
  readonly qemuGuest: boolean;
}

/** The packages a system is built from, sorted and without repeats. */
export function systemPackages(inputs: PackageInputs): string[] {
  const packages = new Set<string>(BASE_PACKAGES);
  for (const mount of layoutMounts(inputs.devices)) {
    const extra = isSwap(mount) ? undefined : FILESYSTEM_PACKAGES[mount.fsType];
    if (extra !== undefined) packages.add(extra);
  }
  // Arrays are assembled at boot by mdadm's initramfs hook and udev rules.
  if (Object.keys(inputs.devices.mdadm).length > 0) packages.add("mdadm");
  // Volume groups are activated at boot by lvm2's initramfs hook and udev rules.
  if (Object.keys(inputs.devices.lvm_vg).length > 0) packages.add("lvm2");
  // LUKS devices are opened at boot by cryptsetup's initramfs hook and systemd's crypttab generator.
  if (crypttabEntries(inputs.devices).length > 0) packages.add("cryptsetup").add("cryptsetup-initramfs");
  if (inputs.qemuGuest) packages.add("qemu-guest-agent");
  for (const name of inputs.systemPackages) packages.add(name);
  return [...packages].sort();
}
