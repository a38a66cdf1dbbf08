import type { Problem } from "../errors/index.ts";
import type { EncryptedDevice } from "./content/planner.ts";
import type { Devices } from "./devices.ts";
import { resolveVolumes } from "./lvm-vg.ts";
import { mdadmDevice } from "./mdadm.ts";
import type { DiskPlanOptions } from "./modes.ts";
import { planDiskMode } from "./modes.ts";
import { isSwap, layoutMounts } from "./mounts.ts";
import { encryptedIn, layoutContents, sortedVolumeGroups, stackMembers } from "./place.ts";
import type { DeviceRef } from "./steps.ts";

/** Every LUKS device of the layout, in disko's order, outer before inner. */
export function encryptedDevices(devices: Devices): EncryptedDevice[] {
  return encryptedIn(layoutContents(devices));
}

/** The devices whose data is encrypted: opened LUKS mappings, and arrays and logical volumes built on one. */
function encryptedPaths(devices: Devices): Set<string> {
  const paths = new Set(encryptedDevices(devices).map((device) => `/dev/mapper/${device.name}`));
  const inside = (ref: DeviceRef) => paths.has(ref.kind === "path" ? ref.path : ref.disk);
  // Two rounds reach an array on encrypted members under a volume group, and a group on such an array.
  for (let round = 0; round < 2; round++) {
    for (const [name, members] of stackMembers(devices, "mdraid"))
      if (members.some((member) => inside(member.device))) paths.add(mdadmDevice(name));
    const pvs = stackMembers(devices, "lvm_pv");
    for (const [vg, group] of sortedVolumeGroups(devices))
      if ((pvs.get(vg) ?? []).some((member) => inside(member.device)))
        for (const resolved of resolveVolumes(vg, group)) paths.add(`/dev/${vg}/${resolved.name}`);
  }
  return paths;
}

const ROOT_PLAN: DiskPlanOptions = { rootMountpoint: "/mnt" };

/**
 * Checks of the layout's LUKS devices: names used once, GRUB able to read /boot, and every mapping that a
 * filesystem's extraArgs names declared and opened before that filesystem is made.
 */
export function checkEncryption(devices: Devices): Problem[] {
  const encrypted = encryptedDevices(devices);
  if (encrypted.length === 0) return [];
  const problems: Problem[] = [];
  const names = new Map<string, string>();
  for (const device of encrypted) {
    const other = names.get(device.name);
    if (other !== undefined)
      problems.push({
        path: `${device.path}.name`,
        message: `${device.name} is also the name of the LUKS device at ${other}: each /dev/mapper name can be used once`,
      });
    names.set(device.name, device.path);
  }
  const paths = encryptedPaths(devices);
  const filesystems = layoutMounts(devices).filter((mount) => !isSwap(mount) && mount.kind !== "nodev");
  const boot =
    filesystems.find((mount) => mount.mountpoint === "/boot") ??
    filesystems.find((mount) => mount.mountpoint === "/");
  if (boot !== undefined && boot.kind === "filesystem") {
    const ref = boot.device;
    if (paths.has(ref.kind === "path" ? ref.path : ref.disk))
      problems.push({
        path: `${boot.path}.mountpoint`,
        message: `${boot.mountpoint === "/" ? "/ holds /boot and is" : "/boot is"} encrypted: GRUB cannot read the kernel from a LUKS2 device; give /boot a partition of its own outside LUKS (the ESP mounted at /boot will do)`,
      });
  }
  if (problems.length > 0) return problems;
  const opened = new Set<string>();
  for (const step of planDiskMode(devices, "format", ROOT_PLAN)) {
    if (step.kind === "luks-open") opened.add(step.name);
    if (step.kind !== "mkfs") continue;
    for (const word of step.extraArgs) {
      if (!word.startsWith("/dev/mapper/")) continue;
      const name = word.slice("/dev/mapper/".length);
      if (opened.has(name)) continue;
      problems.push({
        path: `${step.id.slice(step.id.indexOf(":") + 1)}.extraArgs`,
        message: names.has(name)
          ? `${word} is opened after this filesystem is made: disks are formatted in the order of their names, so declare the LUKS device ${name} on a disk whose name sorts first`
          : `${word} is no LUKS device of this layout: name one declared with { type = "luks"; name = "…"; }, or leave it out`,
      });
    }
  }
  return problems;
}
